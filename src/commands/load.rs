//! `cyberkg load`: add external RDF files to the graph, each in a named graph of its own.
//!
//! All or nothing: every file is parsed into memory before the store is
//! touched, then all the quads are added in one transaction, so a file that
//! fails to parse (reported as `FILE:line:column: message`) loads nothing.
//! A file's default graph goes to `<base>graph/external/<file stem>` (or
//! `--graph`); the quads of named graphs in N-Quads and TriG keep their
//! graph. Blank nodes are renamed per file, so two files never share one by
//! accident. Also home of the RDF file reader `verify` uses.

use super::export::graph_flag;
use super::{CommandResult, Failure, plural, reading_store, write_output};
use crate::cli::LoadArgs;
use cyberkg::export::{ExportFormat, format_names};
use cyberkg::graph::Base;
use cyberkg::store::{self, Location};
use oxigraph::io::RdfParser;
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::collections::{BTreeSet, HashSet};
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

/// One file to load, resolved before anything is read.
struct Plan {
    path: PathBuf,
    format: ExportFormat,
    graph: NamedNode,
}

/// Runs `cyberkg load`.
pub fn run(args: LoadArgs, quiet: bool) -> CommandResult {
    let explicit_graph = graph_flag(args.graph.as_deref())?;
    let base = Base::new(&args.corpus.base).map_err(|e| Failure::Usage(e.to_string()))?;
    if let Some(location) = &args.store.location
        && !args.corpus.sources.is_empty()
    {
        return Err(Failure::Usage(format!(
            "--source applies to the in-memory build; to load into a rebuilt {} run `cyberkg build --location {} --source …` first",
            location.display(),
            location.display()
        )));
    }
    let plans = plans(&args, &base, explicit_graph.as_ref())?;
    // Parse everything first: nothing is loaded unless every file parses.
    let files = read_files(&plans, quiet)?;
    let store = match &args.store.location {
        Some(path) => {
            store::open(&Location::Disk(path.clone())).map_err(|e| Failure::Runtime(e.into()))?
        }
        None => reading_store(None, &args.corpus)?,
    };
    let storage = |e: oxigraph::store::StorageError| {
        let store = super::store_label(args.store.location.as_deref());
        Failure::Runtime(anyhow::Error::new(e).context(format!("cannot load into {store}")))
    };
    let mut report = String::new();
    let mut counted = HashSet::new();
    let mut new_total = 0;
    for (plan, quads) in plans.iter().zip(&files) {
        let mut new = 0;
        for quad in quads {
            if counted.insert(quad) && !store.contains(quad).map_err(storage)? {
                new += 1;
            }
        }
        new_total += new;
        let graphs: BTreeSet<String> = quads.iter().map(|q| q.graph_name.to_string()).collect();
        let file = plan.path.display();
        match graphs.len() {
            0 => report.push_str(&format!("{file}: no quads\n")),
            count => {
                let into = if count == 1 {
                    graphs.into_iter().collect()
                } else {
                    plural(count, "graph")
                };
                report.push_str(&format!(
                    "{file}: {} into {into} ({new} new)\n",
                    plural(quads.len(), "quad"),
                ));
            }
        }
    }
    // One transaction: all files or none.
    let spinner = super::progress::spinner(quiet, "adding the quads to the store…");
    store.extend(files.into_iter().flatten()).map_err(storage)?;
    drop(spinner);
    let total = store.len().map_err(storage)?;
    let from = plural(plans.len(), "file");
    let loaded = plural(new_total, "new quad");
    report.push_str(&match &args.store.location {
        Some(path) => format!(
            "Loaded {loaded} from {from} into the store at {}, which now holds {}.\n",
            path.display(),
            plural(total, "quad")
        ),
        None => format!(
            "Loaded {loaded} from {from} into a fresh in-memory build, which now holds {}; it is not kept (add --location DIR to keep it).\n",
            plural(total, "quad")
        ),
    });
    write_output(None, |out| {
        out.write_all(report.as_bytes())?;
        Ok(())
    })
}

/// What to read from each file, and into which graph: `--graph`, or a
/// graph named after the file.
fn plans(
    args: &LoadArgs,
    base: &Base,
    explicit_graph: Option<&NamedNode>,
) -> Result<Vec<Plan>, Failure> {
    let mut plans = Vec::new();
    for path in &args.files {
        let format = file_format(path, args.format.as_deref())?;
        let graph = match explicit_graph {
            Some(graph) => graph.clone(),
            None => cyberkg::graph::iri::external_graph(base, path).map_err(|e| {
                Failure::Usage(format!(
                    "cannot name a graph after {}: {e}; give one with --graph",
                    path.display()
                ))
            })?,
        };
        plans.push(Plan {
            path: path.clone(),
            format,
            graph,
        });
    }
    Ok(plans)
}

/// The quads of every planned file, with a progress bar on a terminal.
fn read_files(plans: &[Plan], quiet: bool) -> Result<Vec<Vec<Quad>>, Failure> {
    let mut files = Vec::new();
    let progress = super::progress::bar(quiet, plans.len() as u64, "files");
    for plan in plans {
        if let Some(bar) = &progress {
            bar.set_message(format!("reading {}", plan.path.display()));
        }
        let quads = read_rdf_file(&plan.path, plan.format, plan.graph.clone().into(), true)
            .map_err(|e| Failure::Runtime(e.into()))?;
        files.push(quads);
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    }
    Ok(files)
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
