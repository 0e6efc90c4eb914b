//! Reading a user's RDF file (`load`, `verify`): its format from `--format`
//! or its extension, every quad, and a syntax error at `file:line:column`.

use super::failure::Failure;
use cyberkg::export::{ExportFormat, format_names};
use oxigraph::io::RdfParser;
use oxigraph::model::{GraphName, Quad};
use std::path::{Path, PathBuf};

/// Why an RDF file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RdfFileError {
    /// The file could not be opened or read.
    #[error("cannot read {}: {error}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        error: std::io::Error,
    },
    /// The text is not valid in its format, at a known position.
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column, in code points.
        column: u64,
        /// What the parser said.
        message: String,
    },
    /// The text is not valid in its format; the parser gave no position (RDF/XML).
    #[error("{}: {message}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
}

/// The format of an RDF file: `--format` if given, else from its extension
/// (a usage error when neither tells).
pub(crate) fn file_format(path: &Path, flag: Option<&str>) -> Result<ExportFormat, Failure> {
    match flag {
        Some(name) => name
            .parse::<ExportFormat>()
            .map_err(|e| Failure::Usage(format!("{e} (for --format)"))),
        None => ExportFormat::from_extension(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the RDF format of '{}' from its extension; add --format (one of {})",
                path.display(),
                format_names()
            ))
        }),
    }
}

/// Reads every quad of an RDF file; triples (and a dataset's default graph)
/// go to `default_graph`.
pub(crate) fn read_rdf_file(
    path: &Path,
    format: ExportFormat,
    default_graph: GraphName,
    rename_blank_nodes: bool,
) -> Result<Vec<Quad>, RdfFileError> {
    let read_error = |error| RdfFileError::Read {
        path: path.to_owned(),
        error,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut parser = RdfParser::from_format(format.rdf_format()).with_default_graph(default_graph);
    if rename_blank_nodes {
        parser = parser.rename_blank_nodes();
    }
    let mut quads = Vec::new();
    for quad in parser.for_reader(std::io::BufReader::new(file)) {
        match quad {
            Ok(quad) => quads.push(quad),
            Err(oxigraph::io::RdfParseError::Io(error)) => return Err(read_error(error)),
            Err(oxigraph::io::RdfParseError::Syntax(error)) => {
                let text = error.to_string();
                let message = bare_message(&text).to_owned();
                return Err(match error.location() {
                    Some(range) => RdfFileError::Syntax {
                        path: path.to_owned(),
                        line: range.start.line + 1,
                        column: range.start.column + 1,
                        message,
                    },
                    None => RdfFileError::Invalid {
                        path: path.to_owned(),
                        message,
                    },
                });
            }
        }
    }
    Ok(quads)
}

/// A parser message without the position Oxigraph puts in front of it
/// ("Parser error at line 3 column 7: …"), which `file:line:column` replaces.
fn bare_message(text: &str) -> &str {
    if text.starts_with("Parser error ")
        && let Some((_, message)) = text.split_once(": ")
    {
        return message;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_positions_are_stripped_from_messages() {
        let table = [
            (
                "Parser error at line 1 column 31: Triples should be followed by a dot",
                "Triples should be followed by a dot",
            ),
            (
                "Parser error at line 2 between columns 1 and 4: Unknown prefix: ex",
                "Unknown prefix: ex",
            ),
            ("unexpected end of file", "unexpected end of file"),
        ];
        for (text, expected) in table {
            assert_eq!(bare_message(text), expected);
        }
    }
}
