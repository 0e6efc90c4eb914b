//! The RDF syntaxes cyberkg writes: one table of their names, file
//! extensions and Oxigraph formats, for the exporter, the dataset
//! description (its DCAT distributions), the commands and the server.
//!
//! It sits below the graph and export stages, so that both can name a
//! format without either importing the other.

use oxigraph::io::RdfFormat;
use std::fmt;
use std::str::FromStr;

/// An RDF syntax cyberkg can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExportFormat {
    /// Turtle, with prefixes.
    Turtle,
    /// N-Triples.
    NTriples,
    /// N-Quads (keeps the named graphs).
    NQuads,
    /// TriG (keeps the named graphs), with prefixes.
    TriG,
    /// RDF/XML.
    RdfXml,
    /// JSON-LD with a `@context` of the prefixes.
    JsonLd,
}

/// Every format, in the order help texts list them.
pub const ALL_FORMATS: [ExportFormat; 6] = [
    ExportFormat::Turtle,
    ExportFormat::NTriples,
    ExportFormat::NQuads,
    ExportFormat::TriG,
    ExportFormat::RdfXml,
    ExportFormat::JsonLd,
];

/// The comma-separated list of format names, for messages.
pub fn format_names() -> String {
    ALL_FORMATS
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl ExportFormat {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Turtle => "turtle",
            ExportFormat::NTriples => "ntriples",
            ExportFormat::NQuads => "nquads",
            ExportFormat::TriG => "trig",
            ExportFormat::RdfXml => "rdfxml",
            ExportFormat::JsonLd => "jsonld",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Turtle => "ttl",
            ExportFormat::NTriples => "nt",
            ExportFormat::NQuads => "nq",
            ExportFormat::TriG => "trig",
            ExportFormat::RdfXml => "rdf",
            ExportFormat::JsonLd => "jsonld",
        }
    }

    /// The format of a file name's extension.
    pub fn from_extension(path: &std::path::Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "ttl" | "turtle" => ExportFormat::Turtle,
            "nt" | "ntriples" => ExportFormat::NTriples,
            "nq" | "nquads" => ExportFormat::NQuads,
            "trig" => ExportFormat::TriG,
            "rdf" | "xml" | "owl" => ExportFormat::RdfXml,
            "jsonld" | "json" => ExportFormat::JsonLd,
            _ => return None,
        })
    }

    /// Whether the format keeps named graphs.
    pub fn is_dataset(self) -> bool {
        matches!(self, ExportFormat::NQuads | ExportFormat::TriG)
    }

    /// Oxigraph's format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            ExportFormat::Turtle => RdfFormat::Turtle,
            ExportFormat::NTriples => RdfFormat::NTriples,
            ExportFormat::NQuads => RdfFormat::NQuads,
            ExportFormat::TriG => RdfFormat::TriG,
            ExportFormat::RdfXml => RdfFormat::RdfXml,
            ExportFormat::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown RDF format '{0}'; expected one of {list}", list = format_names())]
pub struct UnknownFormat(pub String);

impl FromStr for ExportFormat {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let lower = name.to_ascii_lowercase();
        let aliases = [
            ("ttl", ExportFormat::Turtle),
            ("nt", ExportFormat::NTriples),
            ("nq", ExportFormat::NQuads),
            ("xml", ExportFormat::RdfXml),
            ("rdf", ExportFormat::RdfXml),
            ("json-ld", ExportFormat::JsonLd),
        ];
        ALL_FORMATS
            .iter()
            .map(|f| (f.name(), *f))
            .chain(aliases)
            .find(|(n, _)| *n == lower)
            .map(|(_, f)| f)
            .ok_or_else(|| UnknownFormat(name.to_owned()))
    }
}

/// Whether XML 1.0 can carry a character, written or as a character
/// reference (its `Char` production): tab, line feed, carriage return and
/// everything from U+0020 but the surrogates, U+FFFE and U+FFFF. The other
/// C0 controls (a form feed from a PDF page break, NUL, escape, …) make
/// any XML document that holds them ill-formed; they cannot be escaped.
pub fn xml_can_carry(character: char) -> bool {
    matches!(character, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A character as messages name it: `U+000C (form feed)`.
pub fn describe_character(character: char) -> String {
    let name = match character {
        '\0' => Some("NUL"),
        '\u{7}' => Some("bell"),
        '\u{8}' => Some("backspace"),
        '\u{b}' => Some("vertical tab"),
        '\u{c}' => Some("form feed"),
        '\r' => Some("carriage return"),
        '\u{1b}' => Some("escape"),
        '\u{7f}' => Some("delete"),
        c if c.is_control() => Some("a control character"),
        _ => None,
    };
    let code = format!("U+{:04X}", u32::from(character));
    match name {
        Some(name) => format!("{code} ({name})"),
        None => code,
    }
}

/// A term that an XML output (RDF/XML, SPARQL XML results) cannot carry.
///
/// Two kinds: a character XML 1.0 does not allow at all
/// ([`xml_can_carry`]), and a carriage return, which XML allows but which
/// every XML reader turns into a line feed when it is written as itself, as
/// Oxigraph's serializers write it inside a literal: the value would not
/// survive the round trip. Both are refused rather than written wrong;
/// the formats without the limit (Turtle, N-Triples, JSON-LD, SPARQL JSON)
/// carry every character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{format} cannot carry the literal {literal}: it holds {character}, {why}; write it in another format (Turtle, N-Triples or JSON-LD for graphs, JSON for results)",
    character = describe_character(*.character),
    why = if *.character == '\r' {
        "which an XML reader would turn into a line feed"
    } else {
        "which XML 1.0 does not allow, even escaped"
    }
)]
pub struct XmlCharError {
    /// `RDF/XML` or `SPARQL XML results`.
    pub format: &'static str,
    /// The literal in N-Triples form, cut after 60 characters.
    pub literal: String,
    /// The first character that cannot be carried.
    pub character: char,
}

/// Checks that an XML output in `format` can carry `term` (see [`XmlCharError`]).
pub fn check_xml_term(
    format: &'static str,
    term: oxigraph::model::TermRef<'_>,
) -> Result<(), XmlCharError> {
    use oxigraph::model::TermRef;
    match term {
        TermRef::Literal(literal) => {
            let Some(character) = literal
                .value()
                .chars()
                .find(|&c| c == '\r' || !xml_can_carry(c))
            else {
                return Ok(());
            };
            let text = literal.to_string();
            let mut shown: String = text.chars().take(60).collect();
            if shown.len() < text.len() {
                shown.push('…');
            }
            Err(XmlCharError {
                format,
                literal: shown,
                character,
            })
        }
        TermRef::Triple(triple) => check_xml_triple(format, triple.as_ref()),
        // IRIs and blank-node labels hold no control characters.
        TermRef::NamedNode(_) | TermRef::BlankNode(_) => Ok(()),
    }
}

/// Checks every term of a triple (see [`check_xml_term`]).
pub fn check_xml_triple(
    format: &'static str,
    triple: oxigraph::model::TripleRef<'_>,
) -> Result<(), XmlCharError> {
    check_xml_term(format, triple.object)
}
