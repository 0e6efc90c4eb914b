//! Reading a user's RDF file (`load`, `verify`): its format from `--format`
//! or its extension, every quad, and a syntax error at `file:line:column`
//! (for RDF/XML, whose parser gives no position, where the parser stopped
//! reading). An RDF/XML file holding a character XML 1.0 does not allow is
//! refused at that character, since it is not XML.

use super::failure::{Failure, position_after};
use cyberkg::export::{ExportFormat, format_names};
use oxigraph::io::RdfParser;
use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Quad, Term};
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
/// go to `default_graph`. With `rename_blank_nodes` (`load`), every blank
/// node gets a label derived from the file's bytes, its default graph and
/// its label in the file: two files never share a blank node by accident,
/// and the same file loaded again gets the same labels (byte-identical
/// exports, and loading twice adds nothing).
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
    let bytes = std::fs::read(path).map_err(read_error)?;
    if format == ExportFormat::RdfXml {
        check_xml_characters(path, &bytes)?;
        check_xml_depth(path, &bytes)?;
    }
    let labels = rename_blank_nodes.then(|| BlankNodeLabels::new(&bytes, &default_graph));
    let parser = RdfParser::from_format(format.rdf_format()).with_default_graph(default_graph);
    let mut quads = Vec::new();
    for quad in parser.clone().for_reader(bytes.as_slice()) {
        match quad {
            Ok(quad) => quads.push(quad),
            Err(oxigraph::io::RdfParseError::Io(error)) => return Err(read_error(error)),
            Err(oxigraph::io::RdfParseError::Syntax(error)) => {
                let text = error.to_string();
                let message = bare_message(&text).to_owned();
                let position = match error.location() {
                    Some(range) => Some((range.start.line + 1, range.start.column + 1)),
                    None => where_parser_stopped(&parser, &bytes).map(|offset| {
                        let position = position_after(&bytes[..offset]);
                        (position.line as u64, position.column as u64)
                    }),
                };
                return Err(match position {
                    Some((line, column)) => RdfFileError::Syntax {
                        path: path.to_owned(),
                        line,
                        column,
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
    if let Some(mut labels) = labels {
        for quad in &mut quads {
            labels.rename(quad);
        }
    }
    Ok(quads)
}

/// How far a parser that gives no position (Oxigraph's RDF/XML) had read
/// when it failed: the file is parsed again from a reader that hands over
/// one byte at a time, so the bytes read are the bytes it needed to see the
/// error. Only on the error path, so a file that parses pays nothing.
fn where_parser_stopped(parser: &RdfParser, bytes: &[u8]) -> Option<usize> {
    struct OneByte<'a> {
        bytes: &'a [u8],
        read: usize,
    }
    impl std::io::Read for OneByte<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            match (self.bytes.get(self.read), buffer.first_mut()) {
                (Some(byte), Some(slot)) => {
                    *slot = *byte;
                    self.read += 1;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }
    let mut reader = OneByte { bytes, read: 0 };
    let failed = parser
        .clone()
        .for_reader(&mut reader)
        .any(|quad| quad.is_err());
    failed.then_some(reader.read)
}

/// Refuses an XML file holding a character XML 1.0 does not allow (a form
/// feed, NUL, …), written as itself or as a character reference (`&#12;`):
/// such a file is not well-formed XML, whatever a lenient parser makes of it.
fn check_xml_characters(path: &Path, bytes: &[u8]) -> Result<(), RdfFileError> {
    use cyberkg::format::{describe_character, xml_can_carry};
    let text = String::from_utf8_lossy(bytes);
    let mut found = None;
    for (offset, character) in text.char_indices() {
        if !xml_can_carry(character) {
            found = Some((offset, character, String::new()));
            break;
        }
        if character == '&'
            && let Some((reference, referenced)) = character_reference(&text[offset..])
            && !xml_can_carry(referenced)
        {
            found = Some((
                offset,
                referenced,
                format!(" (as the character reference {reference})"),
            ));
            break;
        }
    }
    let Some((offset, character, how)) = found else {
        return Ok(());
    };
    let position = position_after(text[..offset].as_bytes());
    Err(RdfFileError::Syntax {
        path: path.to_owned(),
        line: position.line as u64,
        column: position.column as u64,
        message: format!(
            "the file holds {}{how}, which XML 1.0 does not allow: it is not well-formed XML",
            describe_character(character)
        ),
    })
}

/// RDF/XML nested deeper than this is refused: Oxigraph's parser takes
/// time that grows faster than the depth (16,000 levels: 8.6 s in a debug
/// build, 2.5 times as long per doubling), and real files nest a few levels.
pub(crate) const MAX_XML_DEPTH: usize = 1000;

/// Refuses RDF/XML whose elements nest deeper than [`MAX_XML_DEPTH`], at
/// the element that does; a file that is not XML is left to the parser,
/// which says where and why.
fn check_xml_depth(path: &Path, bytes: &[u8]) -> Result<(), RdfFileError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut depth = 0_usize;
    let mut buffer = Vec::new();
    loop {
        let before = reader.buffer_position();
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    let offset = usize::try_from(before)
                        .unwrap_or(bytes.len())
                        .min(bytes.len());
                    let position = position_after(&bytes[..offset]);
                    return Err(RdfFileError::Syntax {
                        path: path.to_owned(),
                        line: position.line as u64,
                        column: position.column as u64,
                        message: format!(
                            "the elements nest deeper than {MAX_XML_DEPTH} levels, cyberkg's limit for RDF/XML; write the data unnested (one rdf:Description per resource) or in another format"
                        ),
                    });
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buffer.clear();
    }
}

/// A character reference (`&#12;`, `&#xC;`) at the start of `text`: its
/// text and the character it stands for.
fn character_reference(text: &str) -> Option<(&str, char)> {
    let end = text.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let reference = &text[..=end];
    let number = reference.strip_prefix("&#")?.strip_suffix(';')?;
    let number = match number.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    Some((reference, char::from_u32(number)?))
}

/// Labels for a file's blank nodes, the same on every run (see [`read_rdf_file`]).
struct BlankNodeLabels {
    /// What makes the labels of this file its own: its SHA-256 and default graph.
    salt: String,
    /// Labels already given.
    given: std::collections::HashMap<String, BlankNode>,
}

impl BlankNodeLabels {
    fn new(bytes: &[u8], default_graph: &GraphName) -> Self {
        Self {
            salt: format!("{}\n{default_graph}\n", cyberkg::corpus::sha256_hex(bytes)),
            given: std::collections::HashMap::new(),
        }
    }

    fn label(&mut self, node: &BlankNode) -> BlankNode {
        let salt = &self.salt;
        self.given
            .entry(node.as_str().to_owned())
            .or_insert_with(|| {
                let digest =
                    cyberkg::corpus::sha256_hex(format!("{salt}{}", node.as_str()).as_bytes());
                BlankNode::new_unchecked(format!("b{}", &digest[..32]))
            })
            .clone()
    }

    fn rename_term(&mut self, term: &mut Term) {
        match term {
            Term::BlankNode(node) => *node = self.label(node),
            Term::Triple(triple) => {
                if let NamedOrBlankNode::BlankNode(node) = &mut triple.subject {
                    *node = self.label(node);
                }
                self.rename_term(&mut triple.object);
            }
            Term::NamedNode(_) | Term::Literal(_) => {}
        }
    }

    fn rename(&mut self, quad: &mut Quad) {
        if let NamedOrBlankNode::BlankNode(node) = &mut quad.subject {
            *node = self.label(node);
        }
        self.rename_term(&mut quad.object);
        if let GraphName::BlankNode(node) = &mut quad.graph_name {
            *node = self.label(node);
        }
    }
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
    fn character_references_are_read() {
        let table = [
            ("&#12;rest", Some(("&#12;", '\u{c}'))),
            ("&#xC;", Some(("&#xC;", '\u{c}'))),
            ("&#x1F600;", Some(("&#x1F600;", '\u{1F600}'))),
            ("&amp;", None),
            ("&#xD800;", None),
            ("&#12", None),
            ("& not a reference; at all", None),
        ];
        for (text, expected) in table {
            assert_eq!(character_reference(text), expected, "{text}");
        }
    }

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
