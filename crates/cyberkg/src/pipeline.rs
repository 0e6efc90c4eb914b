//! The pipeline as one call: corpus → documents → quads → store.
//!
//! The façade the commands, the benchmarks and the tests share, so that the
//! order of the stages lives in one place. Each stage stays usable alone.

use crate::graph::{
    Base, GraphError, GraphNames, Named, build_named_quads, build_quads, describe_dataset,
};
use crate::store::{self, Location, StoreError};
use cyberkg_text::corpus::{self, Corpus, CorpusError};
use cyberkg_text::data_file::CuratedDataError;
use cyberkg_text::document::{Diagnostic, ParsedCorpus, parse_corpus};
use cyberkg_text::extract::curated::{Logic, check_facts};
use cyberkg_text::extract::{EntityTable, Extracted, MatcherError, extract_mentions};
use oxigraph::store::Store;

/// Why the pipeline stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The corpus could not be read.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// A curated data file (errata, entities, logic, facts) is malformed or does not hold.
    #[error(transparent)]
    Curated(#[from] CuratedDataError),
    /// The entity table's names could not be compiled.
    #[error(transparent)]
    Matcher(#[from] MatcherError),
    /// Quads could not be built.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// The store could not be opened or written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A built graph: the store that holds it and what the stages found.
pub struct Built {
    /// The store, holding exactly this build.
    pub store: Store,
    /// The documents, alignments and parser diagnostics.
    pub parsed: ParsedCorpus,
    /// The entity table.
    pub table: EntityTable,
    /// The mentions and the acronym diagnostics.
    pub extracted: Extracted,
    /// Notes about curated facts left out (their evidence is not in the corpus).
    pub fact_notes: Vec<Diagnostic>,
}

impl Built {
    /// Every diagnostic of every stage, in pipeline order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.parsed
            .diagnostics
            .iter()
            .chain(&self.extracted.diagnostics)
            .chain(&self.fact_notes)
    }
}

/// Parses a corpus and replaces the content of the store at `location` with its graph.
/// The store is opened first, so a store in use fails before any parsing.
pub fn build(corpus: &Corpus, base: &Base, location: &Location) -> Result<Built, PipelineError> {
    let started = std::time::Instant::now();
    let elapsed = || format!("{:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    let store = store::open(location)?;
    tracing::debug!(?location, "opened the store");
    let parsed = parse_corpus(corpus)?;
    tracing::info!(documents = parsed.documents.len(), diagnostics = parsed.diagnostics.len(), at = %elapsed(), "parsed the corpus");
    let table = EntityTable::parse_all(&corpus.entity_tables())?;
    let logic = Logic::parse(corpus::LOGIC_NAME, &corpus.logic)?;
    let extracted = extract_mentions(&parsed, &table)?;
    tracing::info!(entities = table.entities.len(), mentions = extracted.mentions.len(), at = %elapsed(), "found the mentions");
    let (facts, fact_notes) = check_facts(corpus::FACTS_NAME, &corpus.facts, &parsed, &table)?;
    let mut quads = build_quads(corpus, &parsed, base)?;
    let named = Named {
        table: &table,
        mentions: &extracted.mentions,
        logic: &logic,
        facts: &facts,
    };
    quads.extend(build_named_quads(&named, &parsed, base)?);
    let description = describe_dataset(corpus, &parsed, &quads, base)?;
    quads.extend(description);
    tracing::info!(quads = quads.len(), facts = facts.len(), at = %elapsed(), "built the quads");
    // Earlier builds' graphs go (whatever their base); loaded graphs stay.
    let mut graphs = GraphNames::written_before(&store).map_err(|e| location.storage_error(e))?;
    graphs.extend(GraphNames::new(base)?.all().into_iter().cloned());
    graphs.sort_unstable();
    graphs.dedup();
    store::replace_graphs(&store, location, &graphs, &quads)?;
    tracing::info!(at = %elapsed(), "loaded the store");
    Ok(Built {
        store,
        parsed,
        table,
        extracted,
        fact_notes,
    })
}

/// The graph of the built-in corpus under the default base, in memory.
pub fn builtin() -> Result<Built, PipelineError> {
    build(&Corpus::builtin()?, &Base::default(), &Location::Memory)
}
