//! The media types the server offers, one home below every handler, derived
//! from Oxigraph's own formats: each RDF syntax cyberkg writes
//! ([`ALL_FORMATS`], named by [`RdfFormat::media_type`]) and each SPARQL
//! results format ([`QueryResultsFormat::media_type`]), then HTML, then the
//! other names clients send, which Oxigraph resolves
//! (`RdfFormat::from_media_type`, `QueryResultsFormat::from_media_type`).
//!
//! Invariant: in every list the default comes first (Turtle for RDF, SPARQL
//! JSON for results), because negotiation gives ties and `*/*` to the first
//! offer; a media type appears once per list.
//!
//! [`RdfFormat::media_type`]: oxigraph::io::RdfFormat::media_type

use cyberkg::format::{ALL_FORMATS, ExportFormat};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use std::sync::LazyLock;

/// How SELECT and ASK answers can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolutionsFormat {
    /// A SPARQL results format.
    Results(QueryResultsFormat),
    /// An HTML page with a table.
    Html,
    /// An XLSX workbook (SELECT only).
    Xlsx,
}

/// How graphs (CONSTRUCT and DESCRIBE answers, resource descriptions) can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// An RDF syntax.
    Rdf(ExportFormat),
    /// An HTML page.
    Html,
}

/// An offer: a media type and what answering with it means.
pub type Offer<T> = (&'static str, T);

/// The SPARQL results formats, the default first.
const RESULTS_FORMATS: [QueryResultsFormat; 4] = [
    QueryResultsFormat::Json,
    QueryResultsFormat::Xml,
    QueryResultsFormat::Csv,
    QueryResultsFormat::Tsv,
];

/// Other names of results formats that clients send.
const RESULTS_ALIASES: [&str; 2] = ["application/json", "application/xml"];

/// Other names of RDF syntaxes that clients send.
const RDF_ALIASES: [&str; 1] = ["application/x-turtle"];

/// The media types of HTML.
const HTML: [&str; 2] = ["text/html", "application/xhtml+xml"];

/// A media type without its parameters (Oxigraph names CSV `text/csv; charset=utf-8`).
fn essence(media_type: &'static str) -> &'static str {
    media_type.split(';').next().unwrap_or(media_type).trim()
}

/// The export format Oxigraph's `format` is, if cyberkg writes it.
fn export_format(format: RdfFormat) -> Option<ExportFormat> {
    ALL_FORMATS
        .into_iter()
        .find(|candidate| candidate.rdf_format() == format)
}

/// Every RDF syntax cyberkg writes, by its media type, then the aliases.
fn rdf_offers() -> Vec<Offer<ExportFormat>> {
    let names = ALL_FORMATS
        .into_iter()
        .map(|format| (essence(format.rdf_format().media_type()), format));
    let aliases = RDF_ALIASES.into_iter().filter_map(|alias| {
        let format = export_format(RdfFormat::from_media_type(alias)?)?;
        Some((alias, format))
    });
    names.chain(aliases).collect()
}

/// Offers for SELECT and ASK: the results formats, HTML, the aliases.
pub static SOLUTION_OFFERS: LazyLock<Vec<Offer<SolutionsFormat>>> = LazyLock::new(|| {
    let formats = RESULTS_FORMATS.into_iter().map(|format| {
        (
            essence(format.media_type()),
            SolutionsFormat::Results(format),
        )
    });
    let html = [(HTML[0], SolutionsFormat::Html)];
    let aliases = RESULTS_ALIASES.into_iter().filter_map(|alias| {
        Some((
            alias,
            SolutionsFormat::Results(QueryResultsFormat::from_media_type(alias)?),
        ))
    });
    formats.chain(html).chain(aliases).collect()
});

/// Offers for SELECT: those of [`SOLUTION_OFFERS`], then an XLSX workbook
/// (an ASK answer is one boolean, no table, so ASK is not offered it).
pub static SELECT_OFFERS: LazyLock<Vec<Offer<SolutionsFormat>>> = LazyLock::new(|| {
    SOLUTION_OFFERS
        .iter()
        .copied()
        .chain([(cyberkg::spreadsheet::MEDIA_TYPE, SolutionsFormat::Xlsx)])
        .collect()
});

/// Offers for graphs: the RDF syntaxes by their own names, HTML, then the aliases.
pub static GRAPH_OFFERS: LazyLock<Vec<Offer<GraphFormat>>> = LazyLock::new(|| {
    let rdf = rdf_offers();
    let (names, aliases) = rdf.split_at(ALL_FORMATS.len());
    let rdf_offer =
        |(media_type, format): &Offer<ExportFormat>| (*media_type, GraphFormat::Rdf(*format));
    names
        .iter()
        .map(rdf_offer)
        .chain(
            HTML.iter()
                .map(|media_type| (*media_type, GraphFormat::Html)),
        )
        .chain(aliases.iter().map(rdf_offer))
        .collect()
});

/// Offers for the Graph Store: the RDF syntaxes (and aliases) `keep` accepts.
pub fn store_offers(keep: impl Fn(ExportFormat) -> bool) -> Vec<Offer<ExportFormat>> {
    rdf_offers()
        .into_iter()
        .filter(|(_, format)| keep(*format))
        .collect()
}

/// The `Content-Type` of an RDF syntax.
pub fn rdf_media_type(format: ExportFormat) -> String {
    format!("{}; charset=utf-8", format.rdf_format().media_type())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn offers_come_from_oxigraph_defaults_first_each_type_once() {
        assert_eq!(
            SOLUTION_OFFERS.first(),
            Some(&(
                "application/sparql-results+json",
                SolutionsFormat::Results(QueryResultsFormat::Json)
            ))
        );
        assert_eq!(
            GRAPH_OFFERS.first(),
            Some(&("text/turtle", GraphFormat::Rdf(ExportFormat::Turtle)))
        );
        assert_eq!(SELECT_OFFERS.first(), SOLUTION_OFFERS.first());
        assert_eq!(
            SELECT_OFFERS.last(),
            Some(&(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                SolutionsFormat::Xlsx
            ))
        );
        for offers in [
            SELECT_OFFERS.iter().map(|o| o.0).collect::<Vec<_>>(),
            SOLUTION_OFFERS.iter().map(|o| o.0).collect(),
            GRAPH_OFFERS.iter().map(|o| o.0).collect(),
        ] {
            let distinct: BTreeSet<_> = offers.iter().collect();
            assert_eq!(distinct.len(), offers.len(), "{offers:?}");
        }
        assert!(GRAPH_OFFERS.contains(&(
            "application/x-turtle",
            GraphFormat::Rdf(ExportFormat::Turtle)
        )));
        assert!(SOLUTION_OFFERS.contains(&(
            "text/csv",
            SolutionsFormat::Results(QueryResultsFormat::Csv)
        )));
        assert!(SOLUTION_OFFERS.contains(&(
            "application/xml",
            SolutionsFormat::Results(QueryResultsFormat::Xml)
        )));
        // Every syntax cyberkg writes is offered under Oxigraph's name for it.
        for format in ALL_FORMATS {
            assert!(GRAPH_OFFERS.contains(&(
                essence(format.rdf_format().media_type()),
                GraphFormat::Rdf(format)
            )));
        }
    }

    #[test]
    fn the_store_offers_quad_syntaxes_for_a_dataset() {
        let offers: Vec<&str> = store_offers(ExportFormat::is_dataset)
            .iter()
            .map(|o| o.0)
            .collect();
        assert_eq!(offers, ["application/n-quads", "application/trig"]);
    }
}
