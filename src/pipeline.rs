//! The pipeline as one call: corpus → documents → quads → store.
//!
//! The façade the commands, the benchmarks and the tests share, so that the
//! order of the stages lives in one place. Each stage stays usable alone.

use crate::corpus::{Corpus, CorpusError};
use crate::document::{ParsedCorpus, parse_corpus};
use crate::graph::{Base, GraphError, build_quads};
use crate::store::{self, Location, StoreError};
use oxigraph::store::Store;

/// Why the pipeline stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The corpus could not be read.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// The errata file is malformed.
    #[error("{0}")]
    Errata(String),
    /// Quads could not be built.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// The store could not be opened or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A built graph: the store that holds it and what the parsers found.
pub struct Built {
    /// The store, holding exactly this build.
    pub store: Store,
    /// The documents, alignments and diagnostics.
    pub parsed: ParsedCorpus,
}

/// Parses a corpus and replaces the content of the store at `location` with its graph.
/// The store is opened first, so a store in use fails before any parsing.
pub fn build(corpus: &Corpus, base: &Base, location: &Location) -> Result<Built, PipelineError> {
    let store = store::open(location)?;
    let parsed = parse_corpus(corpus).map_err(PipelineError::Errata)?;
    let quads = build_quads(corpus, &parsed, base)?;
    store::replace_all(&store, location, &quads)?;
    Ok(Built { store, parsed })
}

/// The graph of the built-in corpus under the default base, in memory.
pub fn builtin() -> Result<Built, PipelineError> {
    build(&Corpus::builtin()?, &Base::default(), &Location::Memory)
}
