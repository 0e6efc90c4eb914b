//! Quads for what the strategy names: entities, their mentions as W3C Web
//! Annotations, the strategy's logic as SKOS schemes, and curated facts.
//!
//! Invariants: every `schema:mentions` triple is backed by at least one
//! `oa:Annotation` with the same part and entity, and every annotation has
//! one; an entity has exactly one `skos:prefLabel` per language; an
//! `owl:sameAs` exists only for identifiers the table verifies, with the
//! sources beside it; every fact's triples are reified with their evidence.

use super::vocab::{cyberkg, dcterms, oa, org, owl, prov, rdf, rdfs, schema, skos, xsd};
use super::{Builder, GraphError, date, integer, lang, mint, part_iri, string};
use cyberkg_text::document::{Document, Language, PartKind, TRADITIONAL_CHINESE_TAG, Text};
use cyberkg_text::extract::curated::{CheckedFact, FactTerm, Logic};
use cyberkg_text::extract::{Entity, EntityTable, Field, Kind, Mention};
use cyberkg_text::numerals::to_roman;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term};
use std::collections::BTreeSet;

/// The IRI of an entity: `<base>entity/<key>`.
pub fn entity_iri(base: &super::Base, key: &str) -> Result<NamedNode, GraphError> {
    mint(base, &format!("entity/{key}"))
}

fn classes(kind: Kind) -> Vec<NamedNodeRef<'static>> {
    match kind {
        Kind::State => vec![schema::COUNTRY],
        Kind::IntergovernmentalOrganization => vec![
            org::FORMAL_ORGANIZATION,
            org::ORGANIZATION,
            cyberkg::INTERGOVERNMENTAL_ORGANIZATION,
        ],
        Kind::Organ => vec![org::ORGANIZATIONAL_UNIT, org::ORGANIZATION],
        Kind::Forum => vec![org::ORGANIZATION, cyberkg::FORUM],
        Kind::NonProfit => vec![
            org::FORMAL_ORGANIZATION,
            org::ORGANIZATION,
            cyberkg::NON_PROFIT,
        ],
        Kind::GovernmentAgency => vec![
            org::FORMAL_ORGANIZATION,
            org::ORGANIZATION,
            cyberkg::GOVERNMENT_AGENCY,
        ],
        Kind::DiplomaticMission => vec![
            org::ORGANIZATIONAL_UNIT,
            org::ORGANIZATION,
            cyberkg::DIPLOMATIC_MISSION,
        ],
        Kind::Event => vec![schema::EVENT],
        Kind::Person => vec![schema::PERSON],
        Kind::Post => vec![org::POST],
        Kind::Place => vec![schema::PLACE],
        Kind::Document => vec![schema::CREATIVE_WORK],
        Kind::Initiative => vec![schema::CREATIVE_WORK, cyberkg::INITIATIVE],
        Kind::Concept => vec![skos::CONCEPT],
    }
}

/// Whether `org:subOrganizationOf` fits (both are organizations proper, not events).
fn is_organization_proper(kind: Kind) -> bool {
    kind.is_organization() && kind != Kind::Event
}

/// The entity descriptions (graph `entities`).
pub(super) fn write_entities(
    builder: &mut Builder<'_>,
    table: &EntityTable,
) -> Result<(), GraphError> {
    let graph = builder.names.entities.clone();
    let scheme = mint(builder.base, "concepts")?;
    if table.entities.iter().any(|e| e.kind == Kind::Concept) {
        builder.add(&scheme, rdf::TYPE, skos::CONCEPT_SCHEME, &graph);
        builder.add(
            &scheme,
            skos::PREF_LABEL,
            lang(
                "Key concepts of the International Strategy of Cooperation on Cyberspace",
                "en",
            ),
            &graph,
        );
        builder.add(
            &scheme,
            skos::PREF_LABEL,
            lang("网络空间国际合作战略的关键概念", "zh-Hans"),
            &graph,
        );
    }
    for entity in &table.entities {
        let node = entity_iri(builder.base, &entity.key)?;
        builder.add(&node, rdf::TYPE, cyberkg::ENTITY, &graph);
        for class in classes(entity.kind) {
            builder.add(&node, rdf::TYPE, class, &graph);
        }
        builder.add(&node, dcterms::IDENTIFIER, string(&entity.key), &graph);
        builder.add(
            &node,
            cyberkg::ENTITY_KIND,
            string(entity.kind.name()),
            &graph,
        );
        write_labels(builder, &node, entity, &graph);
        if let Some(description) = &entity.description {
            builder.add(&node, dcterms::DESCRIPTION, lang(description, "en"), &graph);
        }
        if entity.kind == Kind::Concept {
            builder.add(&node, skos::IN_SCHEME, scheme.clone(), &graph);
        }
        if let Some(parent) = entity.parent.as_deref().and_then(|p| table.get(p)) {
            let parent_node = entity_iri(builder.base, &parent.key)?;
            let predicate =
                if is_organization_proper(entity.kind) && is_organization_proper(parent.kind) {
                    org::SUB_ORGANIZATION_OF
                } else {
                    dcterms::RELATION
                };
            builder.add(&node, predicate, parent_node, &graph);
        }
        write_identity_links(builder, &node, entity, &graph)?;
    }
    Ok(())
}

/// An entity's preferred labels (one per language), then its aliases and
/// acronyms as alternative labels, each label once.
fn write_labels(builder: &mut Builder<'_>, node: &NamedNode, entity: &Entity, graph: &NamedNode) {
    let preferred = [
        ("en", &entity.label.en),
        ("zh-Hans", &entity.label.zh_hans),
        (TRADITIONAL_CHINESE_TAG, &entity.label.zh_hant),
    ];
    let mut labels: BTreeSet<(String, &str)> = BTreeSet::new();
    for (tag, label) in preferred {
        if let Some(label) = label {
            builder.add(node, skos::PREF_LABEL, lang(label, tag), graph);
            labels.insert((label.clone(), tag));
        }
    }
    let alternatives = entity
        .aliases
        .en
        .iter()
        .flatten()
        .chain(&entity.acronyms)
        .map(|a| (a.clone(), "en"))
        .chain(
            entity
                .aliases
                .zh_hans
                .iter()
                .flatten()
                .map(|a| (a.clone(), "zh-Hans")),
        )
        .chain(
            entity
                .aliases
                .zh_hant
                .iter()
                .flatten()
                .map(|a| (a.clone(), TRADITIONAL_CHINESE_TAG)),
        )
        .collect::<BTreeSet<_>>();
    for (alias, tag) in alternatives {
        if labels.insert((alias.clone(), tag)) {
            builder.add(node, skos::ALT_LABEL, lang(&alias, tag), graph);
        }
    }
}

/// `<space><id>`, an IRI of another dataset (Wikidata, DBpedia).
fn external_iri(space: &str, id: &str) -> Result<NamedNode, GraphError> {
    NamedNode::new(format!("{space}{id}")).map_err(|error| GraphError::Iri {
        path: id.to_owned(),
        error,
    })
}

/// An entity's `owl:sameAs` links to Wikidata and DBpedia, with their
/// confidence and sources.
fn write_identity_links(
    builder: &mut Builder<'_>,
    node: &NamedNode,
    entity: &Entity,
    graph: &NamedNode,
) -> Result<(), GraphError> {
    if let Some(wikidata) = &entity.wikidata {
        let item = external_iri("http://www.wikidata.org/entity/", &wikidata.id)?;
        builder.add(node, owl::SAME_AS, item, graph);
        builder.add(
            node,
            cyberkg::WIKIDATA_CONFIDENCE,
            string(wikidata.confidence.name()),
            graph,
        );
        for source in &wikidata.sources {
            builder.add(node, cyberkg::WIKIDATA_SOURCE, string(source), graph);
        }
    }
    if let Some(dbpedia) = &entity.dbpedia {
        let resource = external_iri("http://dbpedia.org/resource/", &dbpedia.resource)?;
        builder.add(node, owl::SAME_AS, resource, graph);
        builder.add(
            node,
            cyberkg::DBPEDIA_SOURCE,
            string(&dbpedia.source),
            graph,
        );
    }
    Ok(())
}

/// The annotations and the `schema:mentions` shortcut (graph `annotations`).
pub(super) fn write_mentions(
    builder: &mut Builder<'_>,
    mentions: &[Mention],
) -> Result<(), GraphError> {
    let graph = builder.names.annotations.clone();
    let mut shortcuts = BTreeSet::new();
    for mention in mentions {
        let part = part_iri(builder.base, &mention.document, &mention.path)?;
        let entity = entity_iri(builder.base, &mention.entity)?;
        let id = format!(
            "{}#mention-{}-{}",
            part.as_str(),
            mention.field.name(),
            mention.start
        );
        let fragment = |suffix: &str| {
            NamedNode::new(format!("{id}{suffix}")).map_err(|error| GraphError::Iri {
                path: id.clone(),
                error,
            })
        };
        let (annotation, target, position, quote) = (
            fragment("")?,
            fragment("-target")?,
            fragment("-position")?,
            fragment("-quote")?,
        );
        let tag = mention.language.tag();
        builder.add(&annotation, rdf::TYPE, oa::ANNOTATION, &graph);
        builder.add(&annotation, oa::MOTIVATED_BY, oa::IDENTIFYING, &graph);
        builder.add(&annotation, oa::HAS_BODY, entity.clone(), &graph);
        builder.add(&annotation, oa::HAS_TARGET, target.clone(), &graph);
        builder.add(&target, rdf::TYPE, oa::SPECIFIC_RESOURCE, &graph);
        builder.add(&target, oa::HAS_SOURCE, part.clone(), &graph);
        let property = match mention.field {
            Field::Title => dcterms::TITLE,
            Field::Text => schema::TEXT,
            Field::Attribution => cyberkg::ATTRIBUTION,
        };
        builder.add(&target, cyberkg::SELECTED_PROPERTY, property, &graph);
        // The language of the selected literal; oa:exact, oa:prefix and oa:suffix are plain strings (the WADM range).
        builder.add(&target, dcterms::LANGUAGE, string(tag), &graph);
        builder.add(&target, oa::HAS_SELECTOR, position.clone(), &graph);
        builder.add(&target, oa::HAS_SELECTOR, quote.clone(), &graph);
        builder.add(&position, rdf::TYPE, oa::TEXT_POSITION_SELECTOR, &graph);
        builder.add(&position, oa::START, integer(mention.start), &graph);
        builder.add(&position, oa::END, integer(mention.end), &graph);
        builder.add(&quote, rdf::TYPE, oa::TEXT_QUOTE_SELECTOR, &graph);
        builder.add(&quote, oa::EXACT, string(&mention.exact), &graph);
        builder.add(&quote, oa::PREFIX, string(&mention.prefix), &graph);
        builder.add(&quote, oa::SUFFIX, string(&mention.suffix), &graph);
        shortcuts.insert((part, entity));
    }
    for (part, entity) in shortcuts {
        builder.add(&part, schema::MENTIONS, entity, &graph);
    }
    Ok(())
}

/// The labels of a heading in one edition: (literal, is the preferred English).
fn heading_labels(title: &Text, language: &Language, preferred: bool) -> Vec<(Term, bool)> {
    let mut labels = vec![(
        lang(&title.value, language.tag()),
        *language != Language::ENGLISH || preferred,
    )];
    if let Some(traditional) = &title.traditional {
        labels.push((lang(traditional, TRADITIONAL_CHINESE_TAG), true));
    }
    labels
}

/// Adds a heading's labels to a concept or scheme: preferred, or alternative
/// for the English that is not the preferred edition's.
fn add_heading_labels(
    builder: &mut Builder<'_>,
    node: &NamedNode,
    title: &Text,
    language: &Language,
    preferred: bool,
    graph: &NamedNode,
) {
    for (label, is_preferred) in heading_labels(title, language, preferred) {
        builder.add(
            node,
            if is_preferred {
                skos::PREF_LABEL
            } else {
                skos::ALT_LABEL
            },
            label,
            graph,
        );
    }
}

/// The strategy's logic as SKOS concept schemes (graph `entities`).
pub(super) fn write_logic(
    builder: &mut Builder<'_>,
    logic: &Logic,
    documents: &[Document],
) -> Result<(), GraphError> {
    let graph = builder.names.entities.clone();
    let editions: Vec<&Document> = logic
        .editions
        .iter()
        .filter_map(|id| documents.iter().find(|d| &d.id == id))
        .collect();
    if editions.is_empty() {
        return Ok(());
    }
    for scheme in &logic.schemes {
        let scheme_node = mint(builder.base, &format!("logic/{}", scheme.key))?;
        builder.add(&scheme_node, rdf::TYPE, skos::CONCEPT_SCHEME, &graph);
        for edition in &editions {
            let Some(chapter) = edition
                .parts
                .iter()
                .find(|p| p.kind == PartKind::Chapter && p.number == Some(scheme.chapter))
            else {
                continue;
            };
            let preferred = edition.id == logic.preferred_english;
            if let Some(title) = &chapter.title {
                add_heading_labels(
                    builder,
                    &scheme_node,
                    title,
                    &edition.language,
                    preferred,
                    &graph,
                );
            }
            let chapter_iri = part_iri(builder.base, &edition.id, &[chapter.segment()])?;
            builder.add(&scheme_node, cyberkg::STATED_IN, chapter_iri, &graph);
            for section in chapter
                .children
                .iter()
                .filter(|p| p.kind == PartKind::Section)
            {
                let Some(number) = section.number else {
                    continue;
                };
                let concept = mint(builder.base, &format!("logic/{}-{number}", scheme.concept))?;
                builder.add(&concept, rdf::TYPE, skos::CONCEPT, &graph);
                builder.add(&concept, skos::IN_SCHEME, scheme_node.clone(), &graph);
                builder.add(&concept, skos::TOP_CONCEPT_OF, scheme_node.clone(), &graph);
                builder.add(&scheme_node, skos::HAS_TOP_CONCEPT, concept.clone(), &graph);
                builder.add(
                    &concept,
                    skos::NOTATION,
                    string(&format!("{}.{number}", to_roman(i64::from(scheme.chapter)))),
                    &graph,
                );
                builder.add(&concept, schema::POSITION, integer(number as usize), &graph);
                if let Some(title) = &section.title {
                    add_heading_labels(
                        builder,
                        &concept,
                        title,
                        &edition.language,
                        preferred,
                        &graph,
                    );
                }
                let section_iri = part_iri(
                    builder.base,
                    &edition.id,
                    &[chapter.segment(), section.segment()],
                )?;
                builder.add(&concept, cyberkg::STATED_IN, section_iri, &graph);
            }
        }
    }
    Ok(())
}

/// The RDF term of a fact's term: an IRI under the base, a typed literal
/// from its checked date or month, English text, or a vocabulary term
/// (which must be one of `graph/vocab.rs`).
fn fact_term(builder: &Builder<'_>, term: &FactTerm) -> Result<Term, GraphError> {
    Ok(match term {
        FactTerm::Entity(key) => entity_iri(builder.base, key)?.into(),
        FactTerm::Document(id) | FactTerm::Part(id) => mint(builder.base, id)?.into(),
        FactTerm::Node(key) => mint(builder.base, &format!("fact/node/{key}"))?.into(),
        FactTerm::Date(day) => date(*day),
        FactTerm::Month(month) => {
            Literal::new_typed_literal(month.to_string(), xsd::G_YEAR_MONTH).into()
        }
        FactTerm::Text(text) => lang(text, "en"),
        FactTerm::Vocabulary { prefix, name } => vocabulary_term(term, prefix, name)?.into(),
    })
}

/// `prefix:name` as a term of `graph/vocab.rs`.
fn vocabulary_term(term: &FactTerm, prefix: &str, name: &str) -> Result<NamedNode, GraphError> {
    let invalid =
        |why: &str| GraphError::Metadata(format!("data/facts.toml: the term '{term}' {why}"));
    let namespace = super::vocab::PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, ns)| *ns)
        .ok_or_else(|| invalid("uses an unknown prefix"))?;
    let iri = format!("{namespace}{name}");
    let known = super::vocab::all_terms()
        .into_iter()
        .any(|t| t.as_str() == iri);
    if !known {
        return Err(invalid("is not a term of src/graph/vocab.rs"));
    }
    NamedNode::new(iri).map_err(|error| GraphError::Iri {
        path: term.to_string(),
        error,
    })
}

/// A fact term that must be an IRI (a subject or a predicate).
fn fact_iri(builder: &Builder<'_>, fact: &str, term: &FactTerm) -> Result<NamedNode, GraphError> {
    match fact_term(builder, term)? {
        Term::NamedNode(node) => Ok(node),
        _ => Err(GraphError::Metadata(format!(
            "data/facts.toml: fact '{fact}': '{term}' must be an IRI here"
        ))),
    }
}

/// Curated facts, asserted and reified with their evidence (graph `facts`).
pub(super) fn write_facts(
    builder: &mut Builder<'_>,
    facts: &[CheckedFact],
) -> Result<(), GraphError> {
    let graph = builder.names.facts.clone();
    for checked in facts {
        let fact = &checked.fact;
        let node = mint(builder.base, &format!("fact/{}", fact.key))?;
        builder.add(&node, rdf::TYPE, cyberkg::CURATED_FACT, &graph);
        builder.add(&node, rdfs::COMMENT, lang(&fact.statement, "en"), &graph);
        let evidence = part_iri(builder.base, &fact.evidence.document, &checked.path)?;
        builder.add(&node, cyberkg::EVIDENCE_PART, evidence, &graph);
        builder.add(
            &node,
            cyberkg::EVIDENCE_QUOTE,
            string(&fact.evidence.quote),
            &graph,
        );
        for (index, [subject, predicate, object]) in fact.triples.iter().enumerate() {
            let subject = fact_iri(builder, &fact.key, subject)?;
            let predicate = fact_iri(builder, &fact.key, predicate)?;
            let object = fact_term(builder, object)?;
            builder.add(&subject, predicate.as_ref(), object.clone(), &graph);
            let statement = mint(builder.base, &format!("fact/{}/{}", fact.key, index + 1))?;
            builder.add(&statement, rdf::TYPE, rdf::STATEMENT, &graph);
            builder.add(&statement, rdf::SUBJECT, subject, &graph);
            builder.add(&statement, rdf::PREDICATE, predicate, &graph);
            builder.add(&statement, rdf::OBJECT, object, &graph);
            builder.add(&statement, prov::WAS_DERIVED_FROM, node.clone(), &graph);
        }
    }
    Ok(())
}
