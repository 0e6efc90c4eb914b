//! cyberkg: China's *International Strategy of Cooperation on Cyberspace*
//! (1 March 2017) as a linked-data knowledge graph.
//!
//! This crate is the library façade: the RDF half of the pipeline, over the
//! text layer of `cyberkg-text` (re-exported as [`corpus`], [`document`]
//! and [`extract`], so one `cyberkg::` path reaches every stage):
//!
//! ```text
//! source text ──► document model ──► RDF quads ──► Oxigraph store ──► query / export
//!  (corpus)        (document)          (graph)        (store)            (sparql, export)
//!  └──────── cyberkg-text ───────┘     └──────────────── cyberkg ─────────────────┘
//! ```
//!
//! Invariants: `graph` is the only module that mints IRIs and names
//! vocabulary terms; `store` is the only module that opens a store;
//! [`pipeline::build`] is the one call that runs the stages in order.

pub mod bulk;
pub mod canonical;
pub mod crosscheck;
pub mod export;
pub mod format;
pub mod graph;
pub mod http;
pub mod paragraphs;
pub mod pipeline;
pub mod queries;
pub mod search;
pub mod sparql;
pub mod spreadsheet;
pub mod store;
pub mod table;
pub mod text_export;
pub mod validate;

pub use cyberkg_text::{compare, corpus, document, extract, numerals, sentence_alignment};
