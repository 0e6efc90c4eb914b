//! Writing the graph in standard RDF syntaxes, byte-stable from run to run.
//!
//! Oxigraph's serializers do the writing; this module decides what they are
//! given. Invariant: quads are sorted (graph, subject, predicate, object, by
//! their N-Triples form) before serialization and the prefixes are written in
//! a fixed order, so the same store content always yields the same bytes,
//! whichever backend holds it. Triple formats (Turtle, N-Triples, RDF/XML,
//! JSON-LD) export the union of the named graphs, duplicates removed.

use crate::graph::vocab::PREFIXES;
use oxigraph::io::RdfSerializer;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{GraphNameRef, NamedNode, Quad, QuadRef, TermRef, Triple, TripleRef};
use oxigraph::store::Store;

use std::io::Write;

pub use crate::format::{
    ALL_FORMATS, ExportFormat, UnknownFormat, XmlCharError, check_xml_term, check_xml_triple,
    format_names,
};

/// The sort key of a term, as the concatenation of up to five borrowed
/// pieces, so that building a key allocates nothing for IRIs, blank nodes
/// and literals that need no escape; what does (an escaped literal, a
/// triple term) is formatted once into `Owned`. Keys compare as their
/// concatenated bytes, which is how the owned strings they replace
/// compared, so the order (and the exported bytes) is unchanged.
pub(crate) enum Key<'a> {
    Pieces([&'a str; 5]),
    Owned(String),
}

impl Key<'_> {
    fn pieces(&self) -> [&str; 5] {
        match self {
            Key::Pieces(pieces) => *pieces,
            Key::Owned(text) => [text.as_str(), "", "", "", ""],
        }
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Key<'_> {}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        compare_concatenated(&self.pieces(), &other.pieces())
    }
}

/// Compares the concatenations of `left` and `right` byte by byte, a
/// common run of bytes at a time, without building either.
fn compare_concatenated(left: &[&str], right: &[&str]) -> std::cmp::Ordering {
    let mut left_pieces = left.iter().map(|piece| piece.as_bytes());
    let mut right_pieces = right.iter().map(|piece| piece.as_bytes());
    let (mut x, mut y): (&[u8], &[u8]) = (&[], &[]);
    loop {
        while x.is_empty() {
            match left_pieces.next() {
                Some(piece) => x = piece,
                None => break,
            }
        }
        while y.is_empty() {
            match right_pieces.next() {
                Some(piece) => y = piece,
                None => break,
            }
        }
        if x.is_empty() || y.is_empty() {
            return x.len().cmp(&y.len());
        }
        let common = x.len().min(y.len());
        match x[..common].cmp(&y[..common]) {
            std::cmp::Ordering::Equal => {
                x = &x[common..];
                y = &y[common..];
            }
            order => return order,
        }
    }
}

/// The sort key of a subject or graph name: the bare IRI, so that a
/// resource sorts before its `#fragments` and `/children`; anything else
/// as its N-Triples form.
fn node_key(node: TermRef<'_>) -> Key<'_> {
    match node {
        TermRef::NamedNode(node) => Key::Pieces([node.as_str(), "", "", "", ""]),
        TermRef::BlankNode(node) => Key::Pieces(["_:", node.as_str(), "", "", ""]),
        other => Key::Owned(other.to_string()),
    }
}

/// Whether Oxigraph's N-Triples form of a literal's value is the value
/// itself between quotes (no character escaped).
fn needs_no_escape(value: &str) -> bool {
    !value.chars().any(|c| {
        matches!(
            c,
            '"' | '\\' | '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}'
        )
    })
}

/// The sort key of an object: its N-Triples form.
fn object_key(object: TermRef<'_>) -> Key<'_> {
    match object {
        TermRef::NamedNode(node) => Key::Pieces(["<", node.as_str(), ">", "", ""]),
        TermRef::BlankNode(node) => Key::Pieces(["_:", node.as_str(), "", "", ""]),
        TermRef::Literal(literal) if needs_no_escape(literal.value()) => {
            let value = literal.value();
            if let Some(language) = literal.language() {
                if literal.direction().is_none() {
                    return Key::Pieces(["\"", value, "\"@", language, ""]);
                }
            } else if literal.datatype() == xsd::STRING {
                return Key::Pieces(["\"", value, "\"", "", ""]);
            } else {
                return Key::Pieces(["\"", value, "\"^^<", literal.datatype().as_str(), ">"]);
            }
            Key::Owned(literal.to_string())
        }
        other => Key::Owned(other.to_string()),
    }
}

/// The sort key of a triple: subject, then `rdf:type` before other
/// predicates, then predicate and object.
pub(crate) type TripleKey<'a> = (Key<'a>, bool, &'a str, Key<'a>);

pub(crate) fn triple_key(triple: TripleRef<'_>) -> TripleKey<'_> {
    (
        node_key(triple.subject.into()),
        triple.predicate != crate::graph::vocab::rdf::TYPE,
        triple.predicate.as_str(),
        object_key(triple.object),
    )
}

/// The sort key of a graph name; the default graph as `DEFAULT`, its N-Triples-like form.
pub(crate) fn graph_key(graph: GraphNameRef<'_>) -> Key<'_> {
    match graph {
        GraphNameRef::NamedNode(node) => node_key(node.into()),
        GraphNameRef::BlankNode(node) => node_key(node.into()),
        GraphNameRef::DefaultGraph => Key::Pieces(["DEFAULT", "", "", "", ""]),
    }
}

/// The sort key of a quad: its graph, then as [`triple_key`]. The one
/// order of dataset exports, whole (`sort_quads`) or split (`crate::bulk`).
pub(crate) fn quad_key(quad: QuadRef<'_>) -> (Key<'_>, TripleKey<'_>) {
    (graph_key(quad.graph_name), triple_key(quad.into()))
}

/// The order of `items` by `key`: keys are built once, borrowing the
/// items, and compared without allocating.
fn sorted_order<'a, T, K: Ord>(items: &'a [T], key: impl Fn(&'a T) -> K) -> Vec<usize> {
    let keys: Vec<K> = items.iter().map(key).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    order
}

/// `items` rearranged into `order`, a permutation of their indices.
fn permute<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&index| slots[index].take()));
}

/// Sorts quads by graph, then as [`sort_triples`] does.
pub fn sort_quads(quads: &mut Vec<Quad>) {
    let order = sorted_order(quads, |q| quad_key(q.as_ref()));
    permute(quads, &order);
    quads.dedup();
}

/// Sorts and de-duplicates triples: by subject IRI, `rdf:type` first, then predicate and object.
pub fn sort_triples(triples: &mut Vec<Triple>) {
    let order = sorted_order(triples, |t| triple_key(t.as_ref()));
    permute(triples, &order);
    triples.dedup();
}

/// A serializer for `format` with cyberkg's prefixes in a fixed order.
pub fn serializer(format: ExportFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format.rdf_format());
    if !matches!(format, ExportFormat::NTriples | ExportFormat::NQuads) {
        for (prefix, namespace) in PREFIXES {
            serializer = match serializer.clone().with_prefix(*prefix, *namespace) {
                Ok(with) => with,
                Err(_) => serializer,
            };
        }
    }
    serializer
}

/// Writes sorted triples. RDF/XML is refused (an [`std::io::ErrorKind::InvalidData`]
/// error holding an [`XmlCharError`]), before anything is written, when a
/// literal holds a character it cannot carry: never ill-formed XML.
pub fn write_triples(
    triples: &[Triple],
    format: ExportFormat,
    writer: impl Write,
) -> std::io::Result<()> {
    if format == ExportFormat::RdfXml {
        for triple in triples {
            check_xml_triple("RDF/XML", triple.as_ref())
                .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?;
        }
    }
    if format == ExportFormat::JsonLd {
        return write_json_ld(
            triples.iter().map(|t| {
                t.as_ref()
                    .in_graph(oxigraph::model::GraphNameRef::DefaultGraph)
            }),
            writer,
        );
    }
    let mut out = serializer(format).for_writer(writer);
    for triple in triples {
        out.serialize_triple(triple)?;
    }
    out.finish()?.flush()
}

/// Checks that SPARQL XML results can carry every value of `solutions`
/// (see [`XmlCharError`]); the server and `cyberkg query -r xml` call it
/// before serializing, so that no ill-formed XML is ever written.
pub fn check_xml_solutions<'a>(
    solutions: impl IntoIterator<Item = &'a oxigraph::sparql::QuerySolution>,
) -> Result<(), XmlCharError> {
    for solution in solutions {
        for (_, term) in solution.iter() {
            check_xml_term("SPARQL XML results", term.as_ref())?;
        }
    }
    Ok(())
}

/// JSON-LD with a `@context` of cyberkg's prefixes, so that IRIs come out
/// compact (`doco:Chapter`). Oxigraph's generic serializer writes expanded
/// JSON-LD without a context, which is valid but hard to read.
fn write_json_ld<'a>(
    quads: impl Iterator<Item = oxigraph::model::QuadRef<'a>>,
    writer: impl Write,
) -> std::io::Result<()> {
    let mut serializer = oxjsonld::JsonLdSerializer::new();
    for (prefix, namespace) in PREFIXES {
        serializer = match serializer.clone().with_prefix(*prefix, *namespace) {
            Ok(with) => with,
            Err(_) => serializer,
        };
    }
    let mut out = serializer.for_writer(writer);
    for quad in quads {
        out.serialize_quad(quad)?;
    }
    out.finish()?.flush()
}

/// Writes the store (or one of its graphs) in `format`, sorted.
pub fn write_store(
    store: &Store,
    graph: Option<&NamedNode>,
    format: ExportFormat,
    writer: impl Write,
) -> Result<(), ExportError> {
    let graph_ref = graph.map(|g| GraphNameRef::NamedNode(g.as_ref()));
    let mut quads = store
        .quads_for_pattern(None, None, None, graph_ref)
        .collect::<Result<Vec<_>, _>>()
        .map_err(ExportError::Storage)?;
    if format.is_dataset() {
        sort_quads(&mut quads);
        let mut out = serializer(format).for_writer(writer);
        for quad in &quads {
            out.serialize_quad(quad).map_err(ExportError::Io)?;
        }
        out.finish()
            .and_then(|mut w| w.flush())
            .map_err(ExportError::Io)
    } else {
        let mut triples: Vec<Triple> = quads.into_iter().map(Triple::from).collect();
        sort_triples(&mut triples);
        write_triples(&triples, format, writer).map_err(ExportError::Io)
    }
}

/// Writes the store (or one of its graphs) as RDFC-1.0 canonical N-Quads
/// (see [`crate::canonical`]): the bytes any conforming implementation writes
/// for the same dataset.
pub fn write_canonical(
    store: &Store,
    graph: Option<&NamedNode>,
    mut writer: impl Write,
) -> Result<(), ExportError> {
    let graph_ref = graph.map(|g| GraphNameRef::NamedNode(g.as_ref()));
    let canonical = crate::canonical::CanonicalNQuads::from_store(store, graph_ref)
        .map_err(ExportError::Storage)?;
    writer
        .write_all(&canonical.to_bytes())
        .and_then(|()| writer.flush())
        .map_err(ExportError::Io)
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error("cannot read the store: {0}")]
    Storage(#[source] oxigraph::store::StorageError),
    /// Writing failed, or the format cannot carry a literal (RDF/XML).
    #[error("{}", io_message(.0))]
    Io(#[source] std::io::Error),
}

/// An export's write error: a refused literal as itself, other errors as
/// `cannot write the export: …`.
fn io_message(error: &std::io::Error) -> String {
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<XmlCharError>())
    {
        Some(refused) => refused.to_string(),
        None => format!("cannot write the export: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_and_extensions_round_trip() {
        for format in ALL_FORMATS {
            assert_eq!(format.name().parse::<ExportFormat>().ok(), Some(format));
            let file = format!("graph.{}", format.extension());
            assert_eq!(
                ExportFormat::from_extension(std::path::Path::new(&file)),
                Some(format)
            );
        }
        assert_eq!(
            "TTL".parse::<ExportFormat>().ok(),
            Some(ExportFormat::Turtle)
        );
        let error = "tutle".parse::<ExportFormat>().map_err(|e| e.to_string());
        assert_eq!(error, Err("unknown RDF format 'tutle'; expected one of turtle, ntriples, nquads, trig, rdfxml, jsonld".to_owned()));
        assert_eq!(
            ExportFormat::from_extension(std::path::Path::new("graph.txt")),
            None
        );
    }

    #[test]
    fn xml_refuses_what_it_cannot_carry_and_writes_nothing() {
        use oxigraph::model::{Literal, NamedNode};
        let triple = |value: &str| {
            Triple::new(
                NamedNode::new_unchecked("http://e.org/s"),
                NamedNode::new_unchecked("http://e.org/p"),
                Literal::new_simple_literal(value),
            )
        };
        let table = [
            ("tab\tand line\nfeed", None),
            ("page\u{c}break", Some('\u{c}')),
            ("a\rb", Some('\r')),
            ("nul\0", Some('\0')),
            ("\u{FFFE}", Some('\u{FFFE}')),
        ];
        for (value, refused) in table {
            let mut written = Vec::new();
            let result = write_triples(&[triple(value)], ExportFormat::RdfXml, &mut written);
            let found = result.err().and_then(|error| {
                error
                    .get_ref()
                    .and_then(|inner| inner.downcast_ref::<XmlCharError>())
                    .map(|refusal| refusal.character)
            });
            assert_eq!(found, refused, "{value:?}");
            assert_eq!(written.is_empty(), refused.is_some(), "{value:?}");
            let mut turtle = Vec::new();
            assert!(write_triples(&[triple(value)], ExportFormat::Turtle, &mut turtle).is_ok());
        }
    }
}
