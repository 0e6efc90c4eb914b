//! cyberkg: China's *International Strategy of Cooperation on Cyberspace*
//! (1 March 2017) as a linked-data knowledge graph.
//!
//! The data flows one way, one module per stage; nothing imports upward:
//!
//! ```text
//! source text ──► document model ──► RDF quads ──► Oxigraph store ──► query / export
//!  (corpus)        (document)          (graph)        (store)            (commands)
//! ```
//!
//! `corpus` and `document` know nothing about RDF; `graph` is the only
//! place that mints IRIs and names vocabulary terms; `store` is the only
//! place that opens a store.

pub mod canonical;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod crosscheck;
pub mod document;
pub mod export;
pub mod extract;
pub mod graph;
pub mod pipeline;
pub mod queries;
pub mod serve;
pub mod sparql;
pub mod store;
pub mod validate;
