//! Reading the store for the pages: triple lookups over all graphs, and the
//! server's own SELECT queries.
//!
//! Invariant: every lookup reads the union of the graphs (like the query
//! endpoint's default graph), removes duplicates and returns its answers in
//! a fixed order, so a page is the same bytes for the same store.

use super::error::ServeError;
use ::cyberkg::graph::vocab::{cyberkg, dcterms, rdf, schema, skos};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::{QueryResults, QuerySolution};
use oxigraph::store::Store;

/// The base IRI the store's dataset description states (`void:uriSpace` of
/// the `void:Dataset` that has `void:rootResource`s).
pub fn base_of(store: &Store) -> Result<String, ServeError> {
    let rows = select(
        store,
        "SELECT ?space WHERE { ?dataset a void:Dataset ; void:rootResource ?root ; void:uriSpace ?space } ORDER BY ?space LIMIT 1",
        None,
    )?;
    rows.first()
        .and_then(|row| text(row, "space"))
        .ok_or(ServeError::NoBase)
}

/// Runs one of the server's own SELECT queries over the union graph, with
/// `?resource` bound to `resource` when given (Oxigraph requires the query
/// to project `?resource` for that).
pub fn select(
    store: &Store,
    query: &str,
    resource: Option<&NamedNode>,
) -> Result<Vec<QuerySolution>, ServeError> {
    let mut prepared =
        ::cyberkg::sparql::prepare(query, "page query", &::cyberkg::sparql::Services::none())
            .map_err(|e| ServeError::Query(e.to_string()))?;
    if let Some(resource) = resource {
        prepared =
            prepared.substitute_variable(Variable::new_unchecked("resource"), resource.clone());
    }
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(|e| ServeError::Query(e.to_string()))?;
    match results {
        QueryResults::Solutions(solutions) => solutions
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ServeError::Query(e.to_string())),
        _ => Err(ServeError::Query("not a SELECT query".to_owned())),
    }
}

/// The IRI bound to `variable` in `row`.
pub fn iri(row: &QuerySolution, variable: &str) -> Option<String> {
    match row.get(variable)? {
        Term::NamedNode(node) => Some(node.as_str().to_owned()),
        _ => None,
    }
}

/// The lexical form of the literal bound to `variable` in `row`.
pub fn text(row: &QuerySolution, variable: &str) -> Option<String> {
    match row.get(variable)? {
        Term::Literal(literal) => Some(literal.value().to_owned()),
        _ => None,
    }
}

/// The integer bound to `variable` in `row`.
pub fn integer(row: &QuerySolution, variable: &str) -> Option<i64> {
    text(row, variable)?.parse().ok()
}

/// The objects of `subject predicate ?o` in any graph, without duplicates, sorted.
pub fn objects(
    store: &Store,
    subject: &NamedNode,
    predicate: NamedNodeRef<'_>,
) -> Result<Vec<Term>, ServeError> {
    let mut objects = store
        .quads_for_pattern(Some(subject.as_ref().into()), Some(predicate), None, None)
        .map(|quad| quad.map(|quad| quad.object))
        .collect::<Result<Vec<_>, _>>()?;
    objects.sort_by_cached_key(ToString::to_string);
    objects.dedup();
    Ok(objects)
}

/// The IRIs among `objects`.
pub fn object_iris(
    store: &Store,
    subject: &NamedNode,
    predicate: NamedNodeRef<'_>,
) -> Result<Vec<NamedNode>, ServeError> {
    Ok(objects(store, subject, predicate)?
        .into_iter()
        .filter_map(|term| match term {
            Term::NamedNode(node) => Some(node),
            _ => None,
        })
        .collect())
}

/// The IRI subjects of `?s predicate object` in any graph, without duplicates, sorted.
pub fn subjects(
    store: &Store,
    predicate: NamedNodeRef<'_>,
    object: &Term,
) -> Result<Vec<NamedNode>, ServeError> {
    let mut subjects = store
        .quads_for_pattern(None, Some(predicate), Some(object.as_ref()), None)
        .filter_map(|quad| match quad {
            Ok(quad) => match quad.subject {
                NamedOrBlankNode::NamedNode(node) => Some(Ok(node)),
                _ => None,
            },
            Err(error) => Some(Err(error)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    subjects.sort();
    subjects.dedup();
    Ok(subjects)
}

/// The literals among `objects`.
pub fn literals(
    store: &Store,
    subject: &NamedNode,
    predicate: NamedNodeRef<'_>,
) -> Result<Vec<Literal>, ServeError> {
    Ok(objects(store, subject, predicate)?
        .into_iter()
        .filter_map(|term| match term {
            Term::Literal(literal) => Some(literal),
            _ => None,
        })
        .collect())
}

/// The literal to show among several: the first language of `preference`
/// that one has (`zh-Hans` before `zh-Hant`: the graph's main Chinese text),
/// else the first.
pub fn preferred<'a>(literals: &'a [Literal], preference: &[&str]) -> Option<&'a Literal> {
    preference
        .iter()
        .find_map(|wanted| {
            literals.iter().find(|literal| {
                literal
                    .language()
                    .is_some_and(|language| language.eq_ignore_ascii_case(wanted))
            })
        })
        .or_else(|| literals.first())
}

/// Languages in the order pages prefer them.
pub const PREFERENCE: &[&str] = &["en", "zh-hans", "zh-hant"];

/// What the pages need of a part, a document or an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The node.
    pub iri: NamedNode,
    /// Its `rdf:type`s.
    pub types: Vec<NamedNode>,
    /// Its `dcterms:title`s.
    pub titles: Vec<Literal>,
    /// Its `skos:prefLabel`s.
    pub labels: Vec<Literal>,
    /// Its `schema:text`s.
    pub texts: Vec<Literal>,
    /// `schema:position`.
    pub position: Option<i64>,
    /// `cyberkg:documentOrder`.
    pub order: Option<i64>,
    /// `cyberkg:inEdition`.
    pub edition: Option<NamedNode>,
    /// `dcterms:isPartOf`.
    pub parent: Option<NamedNode>,
    /// `dcterms:identifier`.
    pub identifier: Option<String>,
}

impl Summary {
    /// Reads the summary of `iri` (one indexed scan of its triples).
    pub fn read(store: &Store, iri: &NamedNode) -> Result<Self, ServeError> {
        let mut summary = Summary {
            iri: iri.clone(),
            types: Vec::new(),
            titles: Vec::new(),
            labels: Vec::new(),
            texts: Vec::new(),
            position: None,
            order: None,
            edition: None,
            parent: None,
            identifier: None,
        };
        let mut quads = store
            .quads_for_pattern(Some(iri.as_ref().into()), None, None, None)
            .collect::<Result<Vec<_>, _>>()?;
        quads.sort_by_cached_key(|quad| (quad.predicate.to_string(), quad.object.to_string()));
        for quad in quads {
            let predicate = quad.predicate.as_ref();
            match quad.object {
                Term::NamedNode(object) => {
                    if predicate == rdf::TYPE {
                        summary.types.push(object);
                    } else if predicate == cyberkg::IN_EDITION {
                        summary.edition = Some(object);
                    } else if predicate == dcterms::IS_PART_OF {
                        summary.parent = Some(object);
                    }
                }
                Term::Literal(literal) => {
                    if predicate == dcterms::TITLE {
                        summary.titles.push(literal);
                    } else if predicate == skos::PREF_LABEL {
                        summary.labels.push(literal);
                    } else if predicate == schema::TEXT {
                        summary.texts.push(literal);
                    } else if predicate == schema::POSITION {
                        summary.position = literal.value().parse().ok();
                    } else if predicate == cyberkg::DOCUMENT_ORDER {
                        summary.order = literal.value().parse().ok();
                    } else if predicate == dcterms::IDENTIFIER {
                        summary.identifier = Some(literal.value().to_owned());
                    }
                }
                _ => {}
            }
        }
        summary.types.dedup();
        summary.titles.dedup();
        summary.labels.dedup();
        summary.texts.dedup();
        Ok(summary)
    }

    /// The part of [`Summary::read`] that names a node's place (types,
    /// titles, labels, position, parent, identifier), read predicate by
    /// predicate: no text, no document order, no edition.
    pub fn read_outline(store: &Store, iri: &NamedNode) -> Result<Self, ServeError> {
        let objects = |predicate: NamedNodeRef<'_>| -> Result<Vec<Term>, ServeError> {
            let mut objects = store
                .quads_for_pattern(Some(iri.as_ref().into()), Some(predicate), None, None)
                .map(|quad| quad.map(|quad| quad.object))
                .collect::<Result<Vec<_>, _>>()?;
            objects.sort_by_cached_key(Term::to_string);
            objects.dedup();
            Ok(objects)
        };
        let named = |terms: Vec<Term>| -> Vec<NamedNode> {
            terms
                .into_iter()
                .filter_map(|term| match term {
                    Term::NamedNode(node) => Some(node),
                    _ => None,
                })
                .collect()
        };
        let literals = |terms: Vec<Term>| -> Vec<Literal> {
            terms
                .into_iter()
                .filter_map(|term| match term {
                    Term::Literal(literal) => Some(literal),
                    _ => None,
                })
                .collect()
        };
        Ok(Summary {
            iri: iri.clone(),
            types: named(objects(rdf::TYPE)?),
            titles: literals(objects(dcterms::TITLE)?),
            labels: literals(objects(skos::PREF_LABEL)?),
            texts: Vec::new(),
            // The last one, as `read` keeps it.
            position: literals(objects(schema::POSITION)?)
                .last()
                .and_then(|literal| literal.value().parse().ok()),
            order: None,
            edition: None,
            parent: named(objects(dcterms::IS_PART_OF)?).pop(),
            identifier: literals(objects(dcterms::IDENTIFIER)?)
                .last()
                .map(|literal| literal.value().to_owned()),
        })
    }

    /// Whether the node has type `class`.
    pub fn is_a(&self, class: NamedNodeRef<'_>) -> bool {
        self.types.iter().any(|t| t.as_ref() == class)
    }

    /// The title or label to show, in the preferred language.
    pub fn title(&self) -> Option<&Literal> {
        preferred(&self.titles, PREFERENCE).or_else(|| preferred(&self.labels, PREFERENCE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferred_literals_follow_the_language_order() {
        let literals = vec![
            Literal::new_language_tagged_literal_unchecked("網絡", "zh-hant"),
            Literal::new_language_tagged_literal_unchecked("网络", "zh-hans"),
        ];
        assert_eq!(
            preferred(&literals, PREFERENCE).map(Literal::value),
            Some("网络")
        );
        assert_eq!(preferred(&[], PREFERENCE), None);
    }

    #[test]
    fn summaries_read_parts() {
        let app = crate::tests::app();
        let iri = NamedNode::new_unchecked(
            "https://w3id.org/cyberkg/iscc2017/zh/chapter-2/section-1/paragraph-3",
        );
        let summary = Summary::read(&app.store, &iri).expect("reads");
        assert!(summary.is_a(::cyberkg::graph::vocab::doco::PARAGRAPH));
        assert_eq!(summary.position, Some(3));
        assert_eq!(
            summary.parent.as_ref().map(NamedNode::as_str),
            Some("https://w3id.org/cyberkg/iscc2017/zh/chapter-2/section-1")
        );
        assert_eq!(summary.texts.len(), 2, "Simplified and Traditional");
        assert_eq!(
            preferred(&summary.texts, PREFERENCE).and_then(|l| l.language()),
            Some("zh-hans")
        );
    }
}
