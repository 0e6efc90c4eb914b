//! RDFC-1.0 canonical N-Quads: the one serialization of a dataset that any
//! conforming implementation writes byte for byte, and its SHA-256.
//!
//! Blank nodes are relabelled by oxrdf's implementation of the W3C RDF
//! Dataset Canonicalization algorithm (RDFC-1.0, SHA-256); each quad is then
//! written in canonical N-Quads form (the escapes of RDFC-1.0 §4.8, no
//! `^^xsd:string`) and the lines are sorted by code point, each ending in a
//! line feed. Invariant: two isomorphic datasets give identical bytes, and so
//! the same hash, whatever store, backend or input order they come from; the
//! hash of a dataset is the SHA-256 of those bytes. cyberkg's graph has no
//! blank nodes, but anything `load` or `verify` reads may.

use oxigraph::model::{GraphNameRef, LiteralRef, NamedOrBlankNodeRef, Quad, QuadRef, TermRef};
use oxigraph::store::{StorageError, Store};
use oxrdf::Dataset;
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The name of the canonical form, for messages.
pub const ALGORITHM: &str = "RDFC-1.0 canonical N-Quads";

/// A dataset in canonical N-Quads: sorted, de-duplicated lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalNQuads {
    /// One canonical N-Quads statement a line, without its line feed, sorted.
    lines: Vec<String>,
}

impl CanonicalNQuads {
    /// Canonicalizes a set of quads (duplicates count once).
    pub fn new(quads: impl IntoIterator<Item = Quad>) -> Self {
        let mut dataset: Dataset = quads.into_iter().collect();
        dataset.canonicalize(CanonicalizationAlgorithm::Rdfc10 {
            hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
        });
        let mut lines: Vec<String> = dataset.iter().map(canonical_line).collect();
        // Byte order of UTF-8 is code point order, as RDFC-1.0 asks.
        lines.sort_unstable();
        lines.dedup();
        Self { lines }
    }

    /// The canonical form of everything in `store` (or of one of its graphs).
    pub fn from_store(
        store: &Store,
        graph: Option<GraphNameRef<'_>>,
    ) -> Result<Self, StorageError> {
        let quads = store
            .quads_for_pattern(None, None, None, graph)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(quads))
    }

    /// The number of quads.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the dataset is empty.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The canonical statements, sorted, each without its line feed.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The canonical N-Quads document: every statement followed by a line feed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for line in &self.lines {
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        bytes
    }

    /// The SHA-256 of the canonical document, in lower-case hexadecimal.
    pub fn sha256_hex(&self) -> String {
        let mut hasher = Sha256::new();
        for line in &self.lines {
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
        }
        cyberkg_text::corpus::hex(&hasher.finalize())
    }

    /// `sha256:<hex> (RDFC-1.0 canonical N-Quads, N quads)`: the line `cyberkg hash` prints.
    pub fn summary(&self) -> String {
        let count = self.len();
        let noun = if count == 1 { "quad" } else { "quads" };
        format!("sha256:{} ({ALGORITHM}, {count} {noun})", self.sha256_hex())
    }
}

/// One quad in canonical N-Quads form, without the line feed.
fn canonical_line(quad: QuadRef<'_>) -> String {
    let mut line = String::new();
    match quad.subject {
        NamedOrBlankNodeRef::NamedNode(node) => write_iri(&mut line, node.as_str()),
        NamedOrBlankNodeRef::BlankNode(node) => write_blank_node(&mut line, node.as_str()),
    }
    line.push(' ');
    write_iri(&mut line, quad.predicate.as_str());
    line.push(' ');
    match quad.object {
        TermRef::NamedNode(node) => write_iri(&mut line, node.as_str()),
        TermRef::BlankNode(node) => write_blank_node(&mut line, node.as_str()),
        TermRef::Literal(literal) => write_literal(&mut line, literal),
        // Triple terms (RDF 1.2) are outside RDFC-1.0. They exist because
        // the shacl crate turns on oxigraph's rdf-12 feature for every build
        // (were it off, rustc would flag this arm as unreachable).
        other => line.push_str(&other.to_string()),
    }
    match quad.graph_name {
        GraphNameRef::NamedNode(node) => {
            line.push(' ');
            write_iri(&mut line, node.as_str());
        }
        GraphNameRef::BlankNode(node) => {
            line.push(' ');
            write_blank_node(&mut line, node.as_str());
        }
        GraphNameRef::DefaultGraph => {}
    }
    line.push_str(" .");
    line
}

fn write_iri(line: &mut String, iri: &str) {
    line.push('<');
    line.push_str(iri);
    line.push('>');
}

fn write_blank_node(line: &mut String, id: &str) {
    line.push_str("_:");
    line.push_str(id);
}

/// A literal: the lexical form with RDFC-1.0's escapes, then what follows
/// it in N-Quads (`@lang`, `@lang--dir` with RDF 1.2, `^^<datatype>`; nothing
/// for `xsd:string`), as oxrdf writes it.
fn write_literal(line: &mut String, literal: LiteralRef<'_>) {
    line.push('"');
    for character in literal.value().chars() {
        match character {
            '\u{8}' => line.push_str("\\b"),
            '\t' => line.push_str("\\t"),
            '\n' => line.push_str("\\n"),
            '\u{C}' => line.push_str("\\f"),
            '\r' => line.push_str("\\r"),
            '"' => line.push_str("\\\""),
            '\\' => line.push_str("\\\\"),
            '\0'..='\u{1F}' | '\u{7F}' => {
                let _ = write!(line, "\\u{:04X}", u32::from(character));
            }
            other => line.push(other),
        }
    }
    line.push('"');
    // The suffix holds no '"' (IRIs and language tags cannot), so it starts
    // after the last one; oxrdf already leaves out `^^xsd:string`.
    let written = literal.to_string();
    if let Some(end) = written.rfind('"') {
        line.push_str(&written[end + 1..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode};

    fn iri(text: &str) -> NamedNode {
        NamedNode::new_unchecked(text)
    }

    #[test]
    fn literals_are_written_with_the_escapes_of_rdfc_1_0() {
        let table = [
            (Literal::new_simple_literal("plain"), r#""plain""#),
            (
                Literal::new_simple_literal("a \"quote\" \\ and\ttab\nline\rcr\u{8}\u{C}"),
                r#""a \"quote\" \\ and\ttab\nline\rcr\b\f""#,
            ),
            (
                Literal::new_simple_literal("\u{0}\u{1F}\u{7F}\u{FFFE}é网"),
                "\"\\u0000\\u001F\\u007F\u{FFFE}é网\"",
            ),
            (
                Literal::new_typed_literal("x", oxigraph::model::vocab::xsd::STRING),
                r#""x""#,
            ),
            (
                Literal::new_typed_literal("3", oxigraph::model::vocab::xsd::INTEGER),
                r#""3"^^<http://www.w3.org/2001/XMLSchema#integer>"#,
            ),
            (
                Literal::new_language_tagged_literal_unchecked("战略", "zh-hans"),
                r#""战略"@zh-hans"#,
            ),
        ];
        for (literal, expected) in table {
            let mut line = String::new();
            write_literal(&mut line, literal.as_ref());
            assert_eq!(line, expected);
        }
    }

    #[test]
    fn lines_are_sorted_deduplicated_and_end_with_a_line_feed() {
        let quads = [
            Quad::new(
                iri("http://e.org/b"),
                iri("http://e.org/p"),
                iri("http://e.org/o"),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                iri("http://e.org/a"),
                iri("http://e.org/p"),
                Literal::new_simple_literal("o"),
                iri("http://e.org/g"),
            ),
            Quad::new(
                iri("http://e.org/b"),
                iri("http://e.org/p"),
                iri("http://e.org/o"),
                GraphName::DefaultGraph,
            ),
        ];
        let canonical = CanonicalNQuads::new(quads);
        assert_eq!(
            String::from_utf8(canonical.to_bytes()).ok(),
            Some("<http://e.org/a> <http://e.org/p> \"o\" <http://e.org/g> .\n<http://e.org/b> <http://e.org/p> <http://e.org/o> .\n".to_owned())
        );
        assert_eq!(canonical.len(), 2);
    }

    #[test]
    fn blank_nodes_get_canonical_labels_whatever_their_input_labels() {
        let dataset = |first: &str, second: &str| {
            let (a, b) = (
                BlankNode::new_unchecked(first),
                BlankNode::new_unchecked(second),
            );
            CanonicalNQuads::new([
                Quad::new(
                    a.clone(),
                    iri("http://e.org/p"),
                    b.clone(),
                    GraphName::DefaultGraph,
                ),
                Quad::new(
                    b,
                    iri("http://e.org/q"),
                    Literal::new_simple_literal("x"),
                    a,
                ),
            ])
        };
        let one = dataset("x1", "y2");
        let two = dataset("zz", "aa");
        assert_eq!(one, two);
        assert_eq!(one.sha256_hex(), two.sha256_hex());
        assert!(
            one.lines()
                .iter()
                .all(|line| !line.contains("_:x1") && !line.contains("_:zz"))
        );
        assert!(one.lines().iter().any(|line| line.contains("_:c14n0")));
    }

    #[test]
    fn the_hash_is_the_sha256_of_the_canonical_bytes() {
        // The empty dataset is the empty document.
        let empty = CanonicalNQuads::new([]);
        assert_eq!(
            empty.summary(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 (RDFC-1.0 canonical N-Quads, 0 quads)"
        );
        let one = CanonicalNQuads::new([Quad::new(
            iri("http://e.org/s"),
            iri("http://e.org/p"),
            iri("http://e.org/o"),
            GraphName::DefaultGraph,
        )]);
        let expected: String =
            Sha256::digest(b"<http://e.org/s> <http://e.org/p> <http://e.org/o> .\n")
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
        assert_eq!(one.sha256_hex(), expected);
        assert!(
            one.summary()
                .ends_with("(RDFC-1.0 canonical N-Quads, 1 quad)")
        );
    }
}
