//! Full-text search over a store: the index of its texts, and the
//! `SERVICE <https://w3id.org/cyberkg/search>` that joins it with SPARQL.
//!
//! The index (`cyberkg_search`) is derived from the store, never built
//! beside it: [`records`] reads every part's language-tagged `schema:text`
//! and `dcterms:title` with its edition and place, so a store built in
//! memory, read from disk or loaded into a server's worker process gets the
//! index of exactly what it holds. For a Chinese part both scripts are in
//! the graph; the Simplified literal is indexed (Traditional queries are
//! folded to it). A [`Search`] builds its index on first use: a query that
//! does not search pays nothing.
//!
//! In memory by default; beside an on-disk store (`--location DIR` →
//! `DIR.search`, outside RocksDB's own directory) it is kept with the
//! fingerprint of the records it holds and rebuilt when the store's texts
//! differ, so it is never stale.
//!
//! *Invariant:* the search service answers from this process's index only:
//! no network, whatever `--allow-service` allows.

use crate::graph::vocab::{SEARCH_SERVICE, cyberkg as ns};
use oxigraph::model::{Literal, NamedNode, Term, Variable};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, QuerySolutionIter, ServiceHandler};
use oxigraph::store::Store;
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use cyberkg_search::{
    Hit, Language, Origin, Place, Record, SearchError, SearchIndex, SearchRequest, Snippet,
    TextKind,
};

/// Why the index could not be built or a search not be made.
#[derive(Debug, thiserror::Error)]
pub enum StoreSearchError {
    /// The texts could not be read from the store.
    #[error("cannot read the store's texts for the search index: {0}")]
    Read(String),
    /// The index failed, or the request was refused.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Every part's texts, with its edition and place (the union of the graphs).
const TEXTS: &str = r#"
SELECT ?part ?edition ?text ?kind ?chapter ?section ?paragraph WHERE {
  ?part cyberkg:inEdition ?e . ?e dcterms:identifier ?edition .
  # Paragraphs and headings, not their sentences (a sentence's text is
  # already in its paragraph's; a hit names the paragraph).
  FILTER NOT EXISTS { ?part a doco:Sentence }
  { ?part schema:text ?text BIND("text" AS ?kind) }
  UNION { ?part dcterms:title ?text BIND("heading" AS ?kind) }
  OPTIONAL { ?part a doco:Paragraph ; schema:position ?paragraph }
  OPTIONAL { ?part dcterms:isPartOf* ?s . ?s a doco:Section ; schema:position ?section }
  OPTIONAL { ?part dcterms:isPartOf* ?c . ?c a doco:Chapter ; schema:position ?chapter }
}"#;

/// The records of `store`'s texts, sorted by IRI, language and kind: one
/// per part, language and kind (for Chinese, the Simplified literal when
/// there is one).
pub fn records(store: &Store) -> Result<Vec<Record>, StoreSearchError> {
    let read = |e: &dyn std::fmt::Display| StoreSearchError::Read(e.to_string());
    let prepared = crate::sparql::prepare(TEXTS, "search index", &crate::sparql::Services::none())
        .map_err(|e| read(&e))?;
    let QueryResults::Solutions(solutions) =
        prepared.on_store(store).execute().map_err(|e| read(&e))?
    else {
        return Err(StoreSearchError::Read("not a SELECT".to_owned()));
    };
    // (iri, language, kind) -> (is Simplified or untagged script, record)
    let mut chosen: BTreeMap<(String, Language, TextKind), (bool, Record)> = BTreeMap::new();
    for solution in solutions {
        let solution = solution.map_err(|e| read(&e))?;
        let (Some(Term::NamedNode(part)), Some(Term::Literal(edition)), Some(Term::Literal(text))) = (
            solution.get("part"),
            solution.get("edition"),
            solution.get("text"),
        ) else {
            continue;
        };
        let Some(language) = text.language().and_then(Language::from_tag) else {
            continue;
        };
        let kind = match solution.get("kind") {
            Some(Term::Literal(kind)) if kind.value() == "heading" => TextKind::Heading,
            _ => TextKind::Body,
        };
        let number = |name: &str| match solution.get(name) {
            Some(Term::Literal(value)) => value.value().parse::<u64>().ok(),
            _ => None,
        };
        let preferred = !text
            .language()
            .is_some_and(|tag| tag.eq_ignore_ascii_case("zh-hant"));
        let record = Record {
            iri: part.as_str().to_owned(),
            edition: edition.value().to_owned(),
            language,
            kind,
            place: Place {
                chapter: number("chapter"),
                section: number("section"),
                paragraph: number("paragraph"),
            },
            text: text.value().to_owned(),
        };
        let key = (record.iri.clone(), language, kind);
        let replace = match chosen.get(&key) {
            None => true,
            // The Simplified text over the Traditional; else the smaller,
            // so the choice does not depend on the store's order.
            Some((was_preferred, was)) => {
                (preferred && !was_preferred) || (preferred == *was_preferred && record < *was)
            }
        };
        if replace {
            chosen.insert(key, (preferred, record));
        }
    }
    Ok(chosen.into_values().map(|(_, record)| record).collect())
}

/// Where a [`Search`] keeps its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexPlace {
    /// In memory, built on first use.
    Memory,
    /// In this directory, with the fingerprint of its records.
    Disk(PathBuf),
}

impl IndexPlace {
    /// Beside a store: in memory for an in-memory store, `DIR.search` for
    /// an on-disk store at `DIR` (outside RocksDB's directory, which holds
    /// only RocksDB's files).
    pub fn beside(location: &crate::store::Location) -> Self {
        match location {
            crate::store::Location::Memory => IndexPlace::Memory,
            crate::store::Location::Disk(path) => IndexPlace::Disk(index_path(path)),
        }
    }
}

/// `DIR.search` for a store at `DIR`.
pub fn index_path(store: &Path) -> PathBuf {
    let name = store
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".to_owned());
    store.with_file_name(format!("{name}.search"))
}

/// A store's full-text search: its index, built on first use.
pub struct Search {
    store: Store,
    place: IndexPlace,
    index: Mutex<Option<Arc<SearchIndex>>>,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search")
            .field("place", &self.place)
            .finish_non_exhaustive()
    }
}

impl Search {
    /// The search of `store`, its index kept at `place`.
    pub fn new(store: Store, place: IndexPlace) -> Self {
        Self {
            store,
            place,
            index: Mutex::new(None),
        }
    }

    /// The index, built (or read from disk) the first time.
    pub fn index(&self) -> Result<Arc<SearchIndex>, StoreSearchError> {
        let mut slot = self
            .index
            .lock()
            .map_err(|_| StoreSearchError::Read("the index lock is poisoned".to_owned()))?;
        if let Some(index) = slot.as_ref() {
            return Ok(Arc::clone(index));
        }
        let records = records(&self.store)?;
        let index = Arc::new(match &self.place {
            IndexPlace::Memory => SearchIndex::in_memory(&records)?,
            IndexPlace::Disk(path) => SearchIndex::on_disk(path, &records)?,
        });
        tracing::debug!(
            "search index of {} texts {:?}",
            records.len(),
            index.origin()
        );
        *slot = Some(Arc::clone(&index));
        Ok(index)
    }

    /// Forgets the index: the next search builds it again from the store.
    /// For a front end that has just changed its store (a server's update).
    pub fn invalidate(&self) {
        if let Ok(mut slot) = self.index.lock() {
            *slot = None;
        }
    }

    /// The parts that match `request`, best first.
    pub fn search(&self, request: &SearchRequest) -> Result<Vec<Hit>, StoreSearchError> {
        Ok(self.index()?.search(request)?)
    }
}

/// Why a call of the search service failed (the whole sentence).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SERVICE <{service}>: {0}", service = SEARCH_SERVICE.as_str())]
pub struct ServiceError(String);

/// What a call of the search service asks: the words, and the variables
/// its hits, scores and snippets go to.
#[derive(Debug, PartialEq, Eq)]
struct ServiceCall {
    words: String,
    language: Option<Language>,
    hit: Variable,
    score: Option<Variable>,
    snippet: Option<Variable>,
}

/// Reads the pattern inside `SERVICE <…/search> { … }`: triple patterns
/// with one subject variable, exactly one `cyberkg:matches "words"`, and at
/// most one `cyberkg:score ?s` and one `cyberkg:snippet ?t`.
fn service_call(pattern: &GraphPattern) -> Result<ServiceCall, ServiceError> {
    let usage = || {
        ServiceError(
            "write triple patterns of one variable, e.g. { ?hit cyberkg:matches \"网络主权\" ; cyberkg:score ?score ; cyberkg:snippet ?snippet }".to_owned(),
        )
    };
    let GraphPattern::Bgp { patterns } = pattern else {
        return Err(usage());
    };
    let mut hit: Option<Variable> = None;
    let mut words = None;
    let mut score = None;
    let mut snippet = None;
    for triple in patterns {
        let TermPattern::Variable(subject) = &triple.subject else {
            return Err(usage());
        };
        if hit.as_ref().is_some_and(|hit| hit != subject) {
            return Err(usage());
        }
        hit = Some(subject.clone());
        let NamedNodePattern::NamedNode(predicate) = &triple.predicate else {
            return Err(usage());
        };
        let predicate = predicate.as_ref();
        if predicate == ns::MATCHES && words.is_none() {
            let TermPattern::Literal(literal) = &triple.object else {
                return Err(ServiceError(
                    "cyberkg:matches takes a literal: the words to search for".to_owned(),
                ));
            };
            let language = match literal.language() {
                None => None,
                Some(tag) => Some(Language::from_tag(tag).ok_or_else(|| {
                    ServiceError(format!(
                        "cannot search texts in '{tag}'; the index holds zh and en"
                    ))
                })?),
            };
            words = Some((literal.value().to_owned(), language));
        } else if (predicate == ns::SCORE && score.is_none())
            || (predicate == ns::SNIPPET && snippet.is_none())
        {
            let TermPattern::Variable(variable) = &triple.object else {
                return Err(usage());
            };
            if predicate == ns::SCORE {
                score = Some(variable.clone());
            } else {
                snippet = Some(variable.clone());
            }
        } else {
            return Err(usage());
        }
    }
    let (Some(hit), Some((words, language))) = (hit, words) else {
        return Err(usage());
    };
    Ok(ServiceCall {
        words,
        language,
        hit,
        score,
        snippet,
    })
}

/// Oxigraph's handler for the search service.
pub struct SearchService {
    search: Option<Arc<Search>>,
}

impl SearchService {
    /// Answers from `search`; without one, every call fails with a sentence
    /// saying so (a front end that has no store to search).
    pub fn new(search: Option<Arc<Search>>) -> Self {
        Self { search }
    }
}

impl ServiceHandler for SearchService {
    type Error = ServiceError;

    fn handle(
        &self,
        pattern: &GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, ServiceError> {
        let call = service_call(pattern)?;
        let search = self
            .search
            .as_ref()
            .ok_or_else(|| ServiceError("full-text search is not available here".to_owned()))?;
        let failed = |e: &dyn std::fmt::Display| ServiceError(e.to_string());
        let index = search.index().map_err(|e| failed(&e))?;
        let hits = index
            .search(&SearchRequest {
                text: call.words.clone(),
                language: call.language,
                edition: None,
                // Every hit: the join decides what is kept.
                limit: index.len(),
            })
            .map_err(|e| failed(&e))?;
        let mut variables = vec![call.hit.clone()];
        variables.extend(call.score.clone());
        variables.extend(call.snippet.clone());
        let mut rows = Vec::with_capacity(hits.len());
        for hit in hits {
            let iri = NamedNode::new(&hit.iri).map_err(|e| failed(&e))?;
            let mut row = vec![Some(Term::from(iri))];
            if call.score.is_some() {
                // The f32 score's shortest decimal form, not its binary
                // expansion as an f64 (6.264939, not 6.264938831329346).
                let score = hit.score.to_string().parse::<f64>().unwrap_or_default();
                row.push(Some(Literal::from(score).into()));
            }
            if call.snippet.is_some() {
                row.push(Some(
                    Literal::new_simple_literal(hit.snippet.marked("«", "»")).into(),
                ));
            }
            rows.push(Ok::<_, QueryEvaluationError>(
                row.into_iter().collect::<Vec<_>>(),
            ));
        }
        let variables: Arc<[Variable]> = variables.into();
        let solutions = rows.into_iter().map({
            let variables = Arc::clone(&variables);
            move |row| row.map(|values| (Arc::clone(&variables), values).into())
        });
        Ok(QuerySolutionIter::new(variables, solutions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(query: &str) -> Result<ServiceCall, ServiceError> {
        let parsed = crate::sparql::parse_query(query, "q").unwrap_or_else(|e| panic!("{e}"));
        let mut found = None;
        fn find(pattern: &GraphPattern, found: &mut Option<GraphPattern>) {
            match pattern {
                GraphPattern::Service { inner, .. } => *found = Some((**inner).clone()),
                GraphPattern::Project { inner, .. }
                | GraphPattern::Slice { inner, .. }
                | GraphPattern::Distinct { inner }
                | GraphPattern::OrderBy { inner, .. } => find(inner, found),
                GraphPattern::Join { left, right } => {
                    find(left, found);
                    find(right, found);
                }
                _ => {}
            }
        }
        find(crate::sparql::query_pattern(&parsed), &mut found);
        service_call(&found.unwrap_or_else(|| panic!("no SERVICE in {query}")))
    }

    #[test]
    fn service_patterns_are_read_or_refused_in_one_sentence() {
        let read = call(
            "SELECT * { SERVICE <https://w3id.org/cyberkg/search> { ?h cyberkg:matches \"主权\"@zh ; cyberkg:score ?s } }",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.words, "主权");
        assert_eq!(read.language, Some(Language::Chinese));
        assert_eq!(read.score.map(|v| v.into_string()).as_deref(), Some("s"));
        assert_eq!(read.snippet, None);
        for (bad, message) in [
            (
                "SELECT * { SERVICE <https://w3id.org/cyberkg/search> { ?h cyberkg:score ?s } }",
                "write triple patterns",
            ),
            (
                "SELECT * { SERVICE <https://w3id.org/cyberkg/search> { ?h cyberkg:matches ?w } }",
                "cyberkg:matches takes a literal",
            ),
            (
                "SELECT * { SERVICE <https://w3id.org/cyberkg/search> { ?h cyberkg:matches \"x\"@fr } }",
                "cannot search texts in 'fr'",
            ),
            (
                "SELECT * { SERVICE <https://w3id.org/cyberkg/search> { ?h cyberkg:matches \"x\" . ?g cyberkg:score ?s } }",
                "write triple patterns",
            ),
        ] {
            let error = call(bad).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                error.starts_with("SERVICE <https://w3id.org/cyberkg/search>: ")
                    && error.contains(message),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn the_index_path_is_beside_the_store() {
        assert_eq!(
            index_path(Path::new("/tmp/store")),
            Path::new("/tmp/store.search")
        );
        assert_eq!(index_path(Path::new("store/")), Path::new("store.search"));
    }
}
