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
