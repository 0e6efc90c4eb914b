//! What a command works on, resolved once from its flags: the corpus and
//! base (`--source`, `--base`), the store (`--location`, or the corpus
//! built in memory), and a `--graph` of that store.

use super::failure::Failure;
use crate::cli::CorpusArgs;
use cyberkg::corpus::{Corpus, Inputs};
use cyberkg::graph::Base;
use cyberkg::store::{self, Location};
use iri_string::types::IriStr;
use oxigraph::model::{NamedNode, NamedOrBlankNode};
use oxigraph::store::Store;
use std::path::Path;

/// The validated corpus arguments.
pub struct CorpusConfig {
    /// The corpus to read.
    pub corpus: Corpus,
    /// The base IRI.
    pub base: Base,
}

impl CorpusConfig {
    /// Validates `--base` and reads `--source` files (or the built-in corpus).
    pub fn resolve(args: &CorpusArgs) -> Result<Self, Failure> {
        let base = Base::new(&args.base).map_err(|e| Failure::Usage(e.to_string()))?;
        refuse_repeated_sources(&args.sources)?;
        let inputs = Inputs {
            corpus: args.corpus.clone(),
            sources: args.sources.clone(),
            entities: args.entities.clone(),
        };
        let corpus = Corpus::collect(&inputs).map_err(|e| Failure::Runtime(e.into()))?;
        Ok(Self { corpus, base })
    }

    /// Whether the user gave anything but the defaults.
    pub fn is_default(args: &CorpusArgs) -> bool {
        args.sources.is_empty()
            && args.corpus.is_empty()
            && args.entities.is_empty()
            && args.base == cyberkg::graph::DEFAULT_BASE
    }
}

/// Refuses a file given twice with `--source` (by the same or another
/// path): renaming cannot make one file two sources.
fn refuse_repeated_sources(sources: &[std::path::PathBuf]) -> Result<(), Failure> {
    let identity = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let identities: Vec<_> = sources.iter().map(|path| identity(path)).collect();
    for (index, path) in sources.iter().enumerate() {
        let Some(earlier) = (0..index).find(|&earlier| identities[earlier] == identities[index])
        else {
            continue;
        };
        let earlier = &sources[earlier];
        return Err(Failure::Usage(if earlier.as_os_str() == path.as_os_str() {
            format!(
                "--source {} is given twice; give each file once",
                path.display()
            )
        } else {
            format!(
                "--source {} and --source {} are the same file; give each file once",
                earlier.display(),
                path.display()
            )
        }));
    }
    Ok(())
}

/// How messages name the store a command reads: `the store at PATH`, or
/// `the in-memory store` (the corpus built for this run).
pub fn store_label(location: Option<&Path>) -> String {
    match location {
        Some(path) => format!("the store at {}", path.display()),
        None => "the in-memory store".to_owned(),
    }
}

/// The store a reading command works on: the on-disk store of `--location`,
/// or a fresh in-memory store holding the corpus.
pub fn reading_store(location: Option<&Path>, corpus: &CorpusArgs) -> Result<Store, Failure> {
    let location = Location::from_flag(location);
    match &location {
        Location::Disk(path) => {
            if !CorpusConfig::is_default(corpus) {
                return Err(Failure::Usage(format!(
                    "--source and --base apply to the in-memory store; to rebuild {} run `cyberkg build --location {}` with them",
                    path.display(),
                    path.display()
                )));
            }
            store::open_existing(&location).map_err(|e| Failure::Runtime(e.into()))
        }
        Location::Memory => {
            let config = CorpusConfig::resolve(corpus)?;
            let built = cyberkg::pipeline::build(&config.corpus, &config.base, &location)
                .map_err(|e| Failure::Runtime(e.into()))?;
            Ok(built.store)
        }
    }
}

/// Validates a `--graph IRI` flag.
pub(crate) fn graph_flag(iri: Option<&str>) -> Result<Option<NamedNode>, Failure> {
    let Some(iri) = iri else {
        return Ok(None);
    };
    IriStr::new(iri)
        .map_err(|_| Failure::Usage(format!("invalid --graph '{iri}': not an absolute IRI")))?;
    NamedNode::new(iri)
        .map(Some)
        .map_err(|e| Failure::Usage(format!("invalid --graph '{iri}': {e}")))
}

/// A usage error naming the store's graphs when `graph` is not one of them.
pub(crate) fn check_graph_exists(store: &Store, graph: &NamedNode) -> Result<(), Failure> {
    let mut known: Vec<String> = store
        .named_graphs()
        .filter_map(Result::ok)
        .filter_map(|g| match g {
            NamedOrBlankNode::NamedNode(n) => Some(n.into_string()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    if known.iter().any(|k| k == graph.as_str()) {
        return Ok(());
    }
    known.sort();
    Err(Failure::Usage(format!(
        "the store has no graph <{}>; it has {}",
        graph.as_str(),
        known.join(", ")
    )))
}
