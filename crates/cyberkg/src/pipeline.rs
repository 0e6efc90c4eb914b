//! The pipeline as one call: corpus → documents → quads → store.
//!
//! The façade the commands, the benchmarks and the tests share, so that the
//! order of the stages lives in one place. Each stage stays usable alone.
//!
//! Quads stream: the graph stage builds them a document at a time
//! ([`for_each_chunk`]), a [`Tally`] counts each chunk, the store's bulk
//! loader takes it by value, and it is gone before the next is built. What
//! stays for the whole build is the document models (the texts, their
//! parts and alignments), the mentions and the tally's fingerprints; the
//! dataset description and the build's summary come from the tally, so
//! nothing reads the quads back.

use crate::graph::{
    Base, ChunkKind, GraphError, GraphNames, Named, Tally, describe_dataset, for_each_chunk,
};
use crate::store::{self, Loader, Location, StoreError};
use cyberkg_text::corpus::{self, Corpus, CorpusError};
use cyberkg_text::data_file::CuratedDataError;
use cyberkg_text::document::{Diagnostic, ParsedCorpus, parse_corpus};
use cyberkg_text::extract::curated::{Logic, check_facts};
use cyberkg_text::extract::{EntityTable, Extracted, MatcherError, extract_mentions};
use oxigraph::store::Store;
use std::time::{Duration, Instant};

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
    /// The distinct triples of each graph of [`GraphNames::all`], in that
    /// order, as the store holds them.
    pub graph_triples: [usize; 6],
    /// How long each stage took.
    pub timings: Timings,
}

/// How long each stage of a build took. The graph, load and statistics
/// stages alternate chunk by chunk; each is the sum of its turns.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Parsing the sources into documents, and aligning them.
    pub parse: Duration,
    /// Reading the entity table, the logic and the facts; finding the mentions.
    pub extract: Duration,
    /// Building the quads (the dataset description included).
    pub graph: Duration,
    /// Opening the store, emptying the graphs a build replaces, handing
    /// the quads to the store and committing them.
    pub load: Duration,
    /// Counting the quads for the dataset description and the summary.
    pub statistics: Duration,
    /// The whole build, from opening the store to the commit.
    pub total: Duration,
}

/// How far a build is, after each document's quads are in the loader.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Documents whose quads are loaded.
    pub documents_done: usize,
    /// Documents in the corpus.
    pub documents_total: usize,
    /// Quads handed to the store so far.
    pub quads: usize,
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
    build_with_progress(corpus, base, location, |_| {})
}

/// [`build`], calling `progress` after each document's quads are loaded.
pub fn build_with_progress(
    corpus: &Corpus,
    base: &Base,
    location: &Location,
    mut progress: impl FnMut(Progress),
) -> Result<Built, PipelineError> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    // The time since the last call, added to `stage`.
    let mut lap = |stage: &mut Duration| {
        let now = Instant::now();
        *stage += now - clock;
        clock = now;
    };
    let store = store::open(location)?;
    tracing::debug!(?location, "opened the store");
    lap(&mut timings.load);
    let parsed = parse_corpus(corpus)?;
    lap(&mut timings.parse);
    tracing::info!(documents = parsed.documents.len(), diagnostics = parsed.diagnostics.len(), took = ?timings.parse, "parsed the corpus");
    let table = EntityTable::parse_all(&corpus.entity_tables())?;
    let logic = Logic::parse(corpus::LOGIC_NAME, &corpus.logic)?;
    let extracted = extract_mentions(&parsed, &table)?;
    let (facts, fact_notes) = check_facts(corpus::FACTS_NAME, &corpus.facts, &parsed, &table)?;
    lap(&mut timings.extract);
    tracing::info!(entities = table.entities.len(), mentions = extracted.mentions.len(), took = ?timings.extract, "found the mentions");
    // Earlier builds' graphs go (whatever their base); loaded graphs stay.
    let mut graphs = GraphNames::written_before(&store).map_err(|e| location.storage_error(e))?;
    graphs.extend(GraphNames::new(base)?.all().into_iter().cloned());
    graphs.sort_unstable();
    graphs.dedup();
    let mut loader = Loader::replacing(&store, location, &graphs)?;
    lap(&mut timings.load);
    let named = Named {
        table: &table,
        mentions: &extracted.mentions,
        logic: &logic,
        facts: &facts,
    };
    let mut tally = Tally::new(base)?;
    let mut quads = 0;
    let mut documents_done = 0;
    for_each_chunk(corpus, &parsed, &named, base, |chunk| {
        lap(&mut timings.graph);
        tally.observe_content(&chunk.quads);
        lap(&mut timings.statistics);
        quads += chunk.quads.len();
        loader.add(chunk.quads)?;
        lap(&mut timings.load);
        if let ChunkKind::Document(_) = chunk.kind {
            documents_done += 1;
            progress(Progress {
                documents_done,
                documents_total: parsed.documents.len(),
                quads,
            });
        }
        Ok::<_, PipelineError>(())
    })?;
    let description = describe_dataset(corpus, &parsed, &mut tally, base)?;
    lap(&mut timings.graph);
    loader.add(description)?;
    loader.finish()?;
    lap(&mut timings.load);
    let graph_triples = tally.graph_triples();
    drop(tally);
    lap(&mut timings.statistics);
    timings.total = started.elapsed();
    tracing::info!(quads, facts = facts.len(), ?timings, "loaded the store");
    Ok(Built {
        store,
        parsed,
        table,
        extracted,
        fact_notes,
        graph_triples,
        timings,
    })
}

/// The graph of the built-in corpus under the default base, in memory.
pub fn builtin() -> Result<Built, PipelineError> {
    build(&Corpus::builtin()?, &Base::default(), &Location::Memory)
}
