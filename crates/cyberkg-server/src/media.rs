//! The media types the server offers, one table below every handler: RDF
//! syntaxes (for descriptions, the Graph Store and CONSTRUCT answers) and
//! SPARQL results formats (for SELECT and ASK), each first in its list as
//! the default.

use cyberkg::export::ExportFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// How SELECT and ASK answers can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolutionsFormat {
    /// A SPARQL results format.
    Results(QueryResultsFormat),
    /// An HTML page with a table.
    Html,
}

/// How CONSTRUCT and DESCRIBE answers can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// An RDF syntax.
    Rdf(ExportFormat),
    /// An HTML page with a table.
    Html,
}

/// Offers for SELECT and ASK, the default (SPARQL JSON) first.
pub const SOLUTION_OFFERS: &[(&str, SolutionsFormat)] = &[
    (
        "application/sparql-results+json",
        SolutionsFormat::Results(QueryResultsFormat::Json),
    ),
    (
        "application/sparql-results+xml",
        SolutionsFormat::Results(QueryResultsFormat::Xml),
    ),
    (
        "text/csv",
        SolutionsFormat::Results(QueryResultsFormat::Csv),
    ),
    (
        "text/tab-separated-values",
        SolutionsFormat::Results(QueryResultsFormat::Tsv),
    ),
    ("text/html", SolutionsFormat::Html),
    (
        "application/json",
        SolutionsFormat::Results(QueryResultsFormat::Json),
    ),
    (
        "application/xml",
        SolutionsFormat::Results(QueryResultsFormat::Xml),
    ),
];

/// Offers for RDF answers, the default (Turtle) first.
pub const RDF_OFFERS: &[(&str, ExportFormat)] = &[
    ("text/turtle", ExportFormat::Turtle),
    ("application/n-triples", ExportFormat::NTriples),
    ("application/rdf+xml", ExportFormat::RdfXml),
    ("application/ld+json", ExportFormat::JsonLd),
    ("application/n-quads", ExportFormat::NQuads),
    ("application/trig", ExportFormat::TriG),
    ("application/x-turtle", ExportFormat::Turtle),
];

/// Offers for CONSTRUCT and DESCRIBE: every RDF syntax, then HTML.
pub fn graph_offers() -> Vec<(&'static str, GraphFormat)> {
    let mut offers: Vec<_> = RDF_OFFERS
        .iter()
        .map(|(media_type, format)| (*media_type, GraphFormat::Rdf(*format)))
        .collect();
    offers.insert(offers.len() - 1, ("text/html", GraphFormat::Html));
    offers
}

/// The `Content-Type` of an RDF syntax.
pub fn rdf_media_type(format: ExportFormat) -> String {
    format!("{}; charset=utf-8", format.rdf_format().media_type())
}
