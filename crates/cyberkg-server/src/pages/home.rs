//! `/`: the dataset's titles, the outline of every version, the entities
//! by kind, the SPARQL form and the named queries.

use super::frame::{EXAMPLE_QUERY, page, query_form};
use super::markup;
use super::shared::{self, Named, OutlineEntry, render_outline};
use crate::app::App;
use crate::error::ServeError;
use crate::error::{HandlerResult, HttpError};
use crate::lookup::{self, Summary, preferred};
use crate::request::{Reply, Request};
use ::cyberkg::graph::vocab::{cyberkg, dcterms, rdf};
use maud::{Markup, html};
use oxigraph::model::{Literal, NamedNode};
use std::collections::BTreeMap;

/// The title when the store's dataset description has none.
const FALLBACK_TITLE: &str = "China's International Strategy of Cooperation on Cyberspace";

/// One version and its outline.
struct Version {
    edition: Named,
    /// The edition's title, for the column's language.
    title: Option<Literal>,
    outline: Vec<OutlineEntry>,
}

/// One named query of `queries/`.
struct NamedQuery {
    name: &'static str,
    text: &'static str,
    description: String,
}

/// What the home page shows.
pub struct HomePage {
    title: String,
    other_titles: Vec<Literal>,
    descriptions: Vec<String>,
    versions: Vec<Version>,
    cover_letters: Vec<Named>,
    entities: BTreeMap<String, Vec<Named>>,
    queries: Vec<NamedQuery>,
}

/// `/`.
pub fn handler(app: &App, request: &Request) -> HandlerResult {
    if !request.method.is_read() {
        return Err(HttpError::method_not_allowed("/", "GET and HEAD"));
    }
    Ok(Reply::page(HomePage::load(app)?.render(app.base())))
}

impl HomePage {
    /// Reads everything the page shows.
    pub fn load(app: &App) -> Result<Self, ServeError> {
        let store = &app.store;
        let mut title = FALLBACK_TITLE.to_owned();
        let mut other_titles = Vec::new();
        let mut descriptions = Vec::new();
        if let Some(dataset) = dataset(app)? {
            let titles = lookup::literals(store, &dataset, dcterms::TITLE)?;
            if let Some(english) = preferred(&titles, &["en"]) {
                english.value().clone_into(&mut title);
            }
            other_titles = titles
                .into_iter()
                .filter(|t| t.language() != Some("en"))
                .collect();
            descriptions = lookup::literals(store, &dataset, dcterms::DESCRIPTION)?
                .into_iter()
                .map(|description| description.value().to_owned())
                .collect();
        }
        let versions = editions(app)?
            .iter()
            .map(|edition| {
                Ok(Version {
                    edition: Named::of(edition),
                    title: edition.title().cloned(),
                    outline: shared::outline(app, edition)?,
                })
            })
            .collect::<Result<_, ServeError>>()?;
        let letters =
            lookup::subjects(store, rdf::TYPE, &cyberkg::COVER_LETTER.into_owned().into())?;
        let cover_letters = shared::summaries(app, &letters)?
            .iter()
            .map(Named::of)
            .collect();
        let queries = ::cyberkg::queries::NAMED_QUERIES
            .iter()
            .map(|(name, text)| NamedQuery {
                name,
                text,
                description: ::cyberkg::queries::description(text),
            })
            .collect();
        Ok(Self {
            title,
            other_titles,
            descriptions,
            versions,
            cover_letters,
            entities: entities_by_kind(app)?,
            queries,
        })
    }

    /// The page.
    pub fn render(&self, base: &str) -> Markup {
        let body = html! {
            h1 { (self.title) }
            @for other in &self.other_titles { p lang=[markup::language(other)] { (other.value()) } }
            @for description in &self.descriptions { p { (description) } }
            h2 { "The versions" }
            div.columns {
                @for version in &self.versions {
                    section.column lang=[version.title.as_ref().and_then(markup::language)] {
                        h3 { (version.edition.link(base)) }
                        (render_outline(base, &version.outline))
                    }
                }
            }
            @for letter in &self.cover_letters {
                p { "The UN edition came with a cover letter: " (letter.link(base)) "." }
            }
            h2 #entities { "Who and what the strategy names" }
            dl {
                @for (kind, entities) in &self.entities {
                    dt { (kind) }
                    dd { (shared::links(base, entities, " · ")) }
                }
            }
            h2 #query { "Ask in SPARQL" }
            (query_form(EXAMPLE_QUERY))
            details {
                summary { "Named queries" }
                ul {
                    @for query in &self.queries {
                        li {
                            a href={ "/query?query=" (crate::request::encode_component(query.text)) } { (query.name) }
                            ": " (query.description)
                        }
                    }
                }
            }
            (for_programs())
        };
        page(&self.title, body)
    }
}

/// What programs can ask for, and where.
fn for_programs() -> Markup {
    let items = [
        html! { code { "/query" } ": SPARQL 1.1 Protocol (GET or POST; JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG)" },
        html! { code { "/store" } ": Graph Store Protocol, read-only (" code { "?default" } ", " code { "?graph=IRI" } ", or the whole dataset)" },
        html! { code { "/.well-known/void" } ": the dataset description" },
        html! { "every IRI under the base, at its path, as RDF by content negotiation" },
    ];
    html! { h2 { "For programs" } ul { @for item in items { li { (item) } } } }
}

/// The dataset the store describes, if any.
fn dataset(app: &App) -> Result<Option<NamedNode>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT DISTINCT ?dataset WHERE { ?dataset a void:Dataset ; void:rootResource ?root } ORDER BY ?dataset LIMIT 1",
        None,
    )?;
    Ok(rows
        .first()
        .and_then(|row| lookup::iri(row, "dataset"))
        .map(NamedNode::new_unchecked))
}

/// The editions, the Chinese original first, then by identifier.
fn editions(app: &App) -> Result<Vec<Summary>, ServeError> {
    let nodes = lookup::subjects(&app.store, rdf::TYPE, &cyberkg::EDITION.into_owned().into())?;
    let mut editions = shared::summaries(app, &nodes)?;
    editions.sort_by_cached_key(|edition| {
        let chinese = edition
            .title()
            .and_then(Literal::language)
            .is_some_and(|language| language.starts_with("zh"));
        (!chinese, edition.identifier.clone(), edition.iri.clone())
    });
    Ok(editions)
}

/// Every entity with an English label, by kind, then label.
fn entities_by_kind(app: &App) -> Result<BTreeMap<String, Vec<Named>>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?entity ?kind ?label WHERE { ?entity a cyberkg:Entity ; cyberkg:entityKind ?kind ; skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), \"en\")) } ORDER BY ?kind ?label ?entity",
        None,
    )?;
    let mut by_kind: BTreeMap<String, Vec<Named>> = BTreeMap::new();
    for row in &rows {
        if let (Some(entity), Some(kind), Some(name)) = (
            lookup::iri(row, "entity"),
            lookup::text(row, "kind"),
            lookup::text(row, "label"),
        ) {
            by_kind
                .entry(kind)
                .or_default()
                .push(Named::new(entity, name));
        }
    }
    Ok(by_kind)
}

#[cfg(test)]
mod tests {
    use crate::tests::app;
    use crate::{Request, StatusCode};

    #[test]
    fn the_home_page_has_the_outline_the_entities_and_the_form() {
        let reply = app().handle(&Request::get("/").with_accept("text/html"));
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        for expected in [
            "<a href=\"/iscc2017/en-un/chapter-4\">Chapter IV: Plan of action</a>",
            "<a href=\"/iscc2017/zh/chapter-2\">",
            "<a href=\"/iscc2017/en-gov/chapter-3/section-1\">",
            "<a href=\"/entity/shanghai-cooperation-organization\">Shanghai Cooperation Organisation</a>",
            "<form action=\"/query\" method=\"get\" id=\"query-form\">",
        ] {
            assert!(page.contains(expected), "{expected}");
        }
    }
}
