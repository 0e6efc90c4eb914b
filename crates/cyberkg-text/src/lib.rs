//! cyberkg's text layer: which files a build reads, the document model and
//! its parsers, and what the texts name, all without RDF.
//!
//! ```text
//! source text ──► document model ──► mentions, logic, facts
//!  (corpus)        (document)          (extract)
//! ```
//!
//! Invariants: no RDF crate is a dependency of this crate, so nothing here
//! can mint an IRI or build a triple (the graph layer, in the `cyberkg`
//! crate, does); parsing never fails: the parsers return a document and
//! diagnostics with `file:line:column` for any text; every text carries the
//! code-point span it was read from.

pub mod compare;
pub mod corpus;
pub mod data_file;
pub mod document;
pub mod extract;
pub mod numerals;
pub mod sentence_alignment;
