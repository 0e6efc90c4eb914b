//! Cross-checking RDF with sophia, an RDF implementation independent of Oxigraph.
//!
//! This is the one adapter to sophia: everything else in cyberkg uses
//! Oxigraph's terms. Exports written by Oxigraph's serializers are parsed
//! back here with sophia's own parsers (Turtle, TriG, N-Triples, N-Quads,
//! JSON-LD) and compared, up to blank-node renaming, with a reference; the
//! two term types never meet, data passes between them as RDF text.
//! RDF/XML is not covered here: sophia's RDF/XML parser wraps Oxigraph's.

use crate::export::ExportFormat;
use sophia::api::prelude::*;
use sophia::inmem::dataset::LightDataset;
use sophia::inmem::graph::LightGraph;
use sophia::isomorphism::{isomorphic_datasets, isomorphic_graphs};
use sophia::jsonld::JsonLdParser;
use sophia::turtle::parser::{
    nq::NQuadsParser, nt::NTriplesParser, trig::TriGParser, turtle::TurtleParser,
};

/// Why a cross-check could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CrossCheckError {
    /// The format has no independent parser here.
    #[error(
        "no independent parser for {0} in this build (sophia's RDF/XML parser wraps Oxigraph's)"
    )]
    Unsupported(ExportFormat),
    /// sophia could not parse the text.
    #[error("sophia cannot parse the {format} text: {message}")]
    Parse {
        /// The format.
        format: ExportFormat,
        /// sophia's message.
        message: String,
    },
}

fn parse_error(format: ExportFormat) -> impl Fn(String) -> CrossCheckError {
    move |message| CrossCheckError::Parse { format, message }
}

/// Parses text of a dataset format (N-Quads, TriG, JSON-LD) with sophia.
fn dataset(format: ExportFormat, text: &str) -> Result<LightDataset, CrossCheckError> {
    let error = parse_error(format);
    match format {
        ExportFormat::NQuads => NQuadsParser::new()
            .parse_str(text)
            .collect_quads()
            .map_err(|e| error(e.to_string())),
        ExportFormat::TriG => TriGParser::new()
            .parse_str(text)
            .collect_quads()
            .map_err(|e| error(e.to_string())),
        ExportFormat::JsonLd => JsonLdParser::new()
            .parse_str(text)
            .collect_quads()
            .map_err(|e| error(e.to_string())),
        other => Err(CrossCheckError::Unsupported(other)),
    }
}

/// Parses text of a triple format (N-Triples, Turtle) with sophia.
fn graph(format: ExportFormat, text: &str) -> Result<LightGraph, CrossCheckError> {
    let error = parse_error(format);
    match format {
        ExportFormat::NTriples => NTriplesParser::new()
            .parse_str(text)
            .collect_triples()
            .map_err(|e| error(e.to_string())),
        ExportFormat::Turtle => TurtleParser::new()
            .parse_str(text)
            .collect_triples()
            .map_err(|e| error(e.to_string())),
        other => Err(CrossCheckError::Unsupported(other)),
    }
}

/// The union of a dataset's graphs, as a graph.
fn union(dataset: &LightDataset, format: ExportFormat) -> Result<LightGraph, CrossCheckError> {
    let mut graph = LightGraph::new();
    for quad in dataset.quads() {
        let quad = quad.map_err(|e| parse_error(format)(e.to_string()))?;
        graph
            .insert(quad.s(), quad.p(), quad.o())
            .map_err(|e| parse_error(format)(e.to_string()))?;
    }
    Ok(graph)
}

/// What a cross-check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossCheck {
    /// Quads (dataset formats) or triples (triple formats) in the reference.
    pub expected: usize,
    /// Quads or triples in the checked text.
    pub found: usize,
    /// Whether the two are isomorphic.
    pub isomorphic: bool,
}

/// Compares `text` (in `format`) with the dataset of `reference_nquads`: the
/// dataset itself for N-Quads and TriG, the union of its graphs for the
/// triple formats and JSON-LD (which cyberkg writes from the union).
pub fn compare(
    reference_nquads: &str,
    format: ExportFormat,
    text: &str,
) -> Result<CrossCheck, CrossCheckError> {
    let reference = dataset(ExportFormat::NQuads, reference_nquads)?;
    match format {
        ExportFormat::NQuads | ExportFormat::TriG => {
            let checked = dataset(format, text)?;
            let isomorphic = isomorphic_datasets(&reference, &checked)
                .map_err(|e| parse_error(format)(e.to_string()))?;
            Ok(CrossCheck {
                expected: reference.quads().count(),
                found: checked.quads().count(),
                isomorphic,
            })
        }
        ExportFormat::JsonLd => {
            let checked = union(&dataset(format, text)?, format)?;
            let reference = union(&reference, format)?;
            let isomorphic = isomorphic_graphs(&reference, &checked)
                .map_err(|e| parse_error(format)(e.to_string()))?;
            Ok(CrossCheck {
                expected: reference.triples().count(),
                found: checked.triples().count(),
                isomorphic,
            })
        }
        ExportFormat::NTriples | ExportFormat::Turtle => {
            let checked = graph(format, text)?;
            let reference = union(&reference, format)?;
            let isomorphic = isomorphic_graphs(&reference, &checked)
                .map_err(|e| parse_error(format)(e.to_string()))?;
            Ok(CrossCheck {
                expected: reference.triples().count(),
                found: checked.triples().count(),
                isomorphic,
            })
        }
        ExportFormat::RdfXml => Err(CrossCheckError::Unsupported(format)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "<http://e.org/s> <http://e.org/p> \"o\"@en <http://e.org/g> .\n<http://e.org/s> <http://e.org/p> <http://e.org/o> <http://e.org/h> .\n";

    #[test]
    fn equal_and_different_graphs() {
        let same = "<http://e.org/s> <http://e.org/p> \"o\"@en , <http://e.org/o> .";
        let check = compare(REFERENCE, ExportFormat::Turtle, same).map_err(|e| e.to_string());
        assert_eq!(
            check,
            Ok(CrossCheck {
                expected: 2,
                found: 2,
                isomorphic: true
            })
        );
        let different = "<http://e.org/s> <http://e.org/p> \"o\"@fr , <http://e.org/o> .";
        let check = compare(REFERENCE, ExportFormat::Turtle, different)
            .map(|c| c.isomorphic)
            .map_err(|e| e.to_string());
        assert_eq!(check, Ok(false));
        let trig = "<http://e.org/g> { <http://e.org/s> <http://e.org/p> \"o\"@en } <http://e.org/s> <http://e.org/p> <http://e.org/o> .";
        let check = compare(REFERENCE, ExportFormat::TriG, trig)
            .map(|c| c.isomorphic)
            .map_err(|e| e.to_string());
        assert_eq!(
            check,
            Ok(false),
            "the second triple is in the default graph, not in <h>"
        );
        assert!(compare(REFERENCE, ExportFormat::Turtle, "not turtle").is_err());
        assert!(matches!(
            compare(REFERENCE, ExportFormat::RdfXml, ""),
            Err(CrossCheckError::Unsupported(_))
        ));
    }
}
