//! An entity: its names in each language, its kind and description, the
//! organisations it belongs to or contains, its identity links, and every
//! part of the texts that names it, with the quoted words in context.

use super::markup;
use super::shared::{self, Named};
use crate::app::App;
use crate::error::ServeError;
use crate::lookup::{self, Summary};
use ::cyberkg::graph::vocab::{cyberkg, dcterms, org, owl, skos};
use maud::{Markup, html};
use oxigraph::model::{Literal, NamedNode};

/// One quoted mention: the words, with the text before and after.
struct Quote {
    language: Option<String>,
    prefix: String,
    exact: String,
    suffix: String,
}

/// The mentions in one part.
struct PartMentions {
    part: Named,
    /// The identifier of the part's edition (`iscc2017/en-un`).
    edition: String,
    quotes: Vec<Quote>,
}

/// What an entity page shows.
pub struct EntityPage {
    label: String,
    names: Vec<Literal>,
    alternatives: Vec<Literal>,
    kinds: Vec<String>,
    descriptions: Vec<String>,
    part_of: Vec<Named>,
    has_parts: Vec<Named>,
    same_as: Vec<Named>,
    mentions: Vec<PartMentions>,
}

impl EntityPage {
    /// Reads the entity and where the texts name it.
    pub fn load(app: &App, summary: &Summary) -> Result<Self, ServeError> {
        let store = &app.store;
        let mut names = summary.labels.clone();
        names.sort_by_key(|l| l.language().map(str::to_owned));
        let values = |property| -> Result<Vec<String>, ServeError> {
            Ok(lookup::literals(store, &summary.iri, property)?
                .iter()
                .map(|literal| literal.value().to_owned())
                .collect())
        };
        let parents = lookup::object_iris(store, &summary.iri, org::SUB_ORGANIZATION_OF)?;
        let parts = lookup::subjects(store, org::SUB_ORGANIZATION_OF, &summary.iri.clone().into())?;
        let targets = link_targets(app)?;
        let same_as = lookup::object_iris(store, &summary.iri, owl::SAME_AS)?
            .iter()
            .map(|iri| Named::new(iri.as_str(), link_name(&targets, iri)))
            .collect();
        Ok(Self {
            label: shared::label(summary),
            names,
            alternatives: lookup::literals(store, &summary.iri, skos::ALT_LABEL)?,
            kinds: values(cyberkg::ENTITY_KIND)?,
            descriptions: values(dcterms::DESCRIPTION)?,
            part_of: named(app, &parents)?,
            has_parts: named(app, &parts)?,
            same_as,
            mentions: mentions(app, &summary.iri)?,
        })
    }

    /// The page's body.
    pub fn render(&self, base: &str) -> Markup {
        html! {
            h1 { (self.label) }
            dl {
                @if !self.names.is_empty() {
                    dt { "Names" }
                    dd { ul { @for name in &self.names {
                        li { (markup::literal(name)) " " small.meta { (markup::language(name).unwrap_or_default()) } }
                    } } }
                }
                @if !self.alternatives.is_empty() {
                    dt { "Also called" }
                    dd { @for (index, name) in self.alternatives.iter().enumerate() {
                        @if index > 0 { ", " }
                        (markup::literal(name))
                    } }
                }
                @for kind in &self.kinds { dt { "Kind" } dd { (kind) } }
                @for description in &self.descriptions { dt { "Description" } dd { (description) } }
                @if !self.part_of.is_empty() {
                    dt { "Part of" } dd { (shared::links(base, &self.part_of, " · ")) }
                }
                @if !self.has_parts.is_empty() {
                    dt { "Has parts" } dd { (shared::links(base, &self.has_parts, " · ")) }
                }
                @if !self.same_as.is_empty() {
                    dt { "Same as" } dd { (shared::links(base, &self.same_as, " · ")) }
                }
            }
            (self.render_mentions(base))
        }
    }

    /// "Where the texts name it": a count, then a table of parts and quotes.
    fn render_mentions(&self, base: &str) -> Markup {
        let count: usize = self.mentions.iter().map(|part| part.quotes.len()).sum();
        let parts = self.mentions.len();
        html! {
            h2 { "Where the texts name it" }
            p {
                (count) " mention" @if count != 1 { "s" }
                " in " (parts) " part" @if parts != 1 { "s" } "."
            }
            @if !self.mentions.is_empty() {
                table #mentions {
                    thead { tr { th { "Version" } th { "Where" } th { "Words" } } }
                    tbody {
                        @for part in &self.mentions {
                            tr {
                                td { (part.edition) }
                                td { (part.part.link(base)) }
                                td {
                                    @for (index, quote) in part.quotes.iter().enumerate() {
                                        @if index > 0 { br; }
                                        span lang=[quote.language.as_deref()] {
                                            "…" (quote.prefix) mark { (quote.exact) } (quote.suffix) "…"
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The datasets the identity links point into, as the dataset description
/// names them: (URI space, title), e.g. ("http://www.wikidata.org/entity/", "Wikidata").
fn link_targets(app: &App) -> Result<Vec<(String, String)>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?space ?title WHERE {
           ?linkset a void:Linkset ; void:objectsTarget ?target .
           ?target void:uriSpace ?space ; dcterms:title ?title
         } ORDER BY DESC(STRLEN(?space)) ?space ?title",
        None,
    )?;
    Ok(rows
        .iter()
        .filter_map(|row| Some((lookup::text(row, "space")?, lookup::text(row, "title")?)))
        .collect())
}

/// "Wikidata Q485207", "DBpedia Shanghai_Cooperation_Organisation": the
/// target dataset's title and the local name in its URI space; else the IRI.
fn link_name(targets: &[(String, String)], iri: &NamedNode) -> String {
    targets
        .iter()
        .find_map(|(space, title)| {
            iri.as_str()
                .strip_prefix(space.as_str())
                .map(|id| format!("{title} {id}"))
        })
        .unwrap_or_else(|| iri.as_str().to_owned())
}

/// Entities, named by their labels.
fn named(app: &App, entities: &[NamedNode]) -> Result<Vec<Named>, ServeError> {
    Ok(shared::summaries(app, entities)?
        .iter()
        .map(Named::of)
        .collect())
}

/// Every quoted mention of `entity`, grouped by part, in edition and document order.
fn mentions(app: &App, entity: &NamedNode) -> Result<Vec<PartMentions>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?resource ?part ?document ?documentId ?order ?start ?exact ?prefix ?suffix ?language WHERE {
           ?annotation oa:hasBody ?resource ; oa:hasTarget ?target .
           ?target oa:hasSource ?part ; oa:hasSelector ?quote , ?position .
           ?quote oa:exact ?exact .
           ?position oa:start ?start .
           OPTIONAL { ?quote oa:prefix ?prefix }
           OPTIONAL { ?quote oa:suffix ?suffix }
           OPTIONAL { ?target dcterms:language ?language }
           OPTIONAL { ?part cyberkg:inEdition ?edition }
           OPTIONAL { ?part cyberkg:documentOrder ?order }
           BIND(COALESCE(?edition, ?part) AS ?document)
           OPTIONAL { ?document dcterms:identifier ?documentId }
         } ORDER BY ?documentId ?order ?part ?start",
        Some(entity),
    )?;
    let mut by_part: Vec<PartMentions> = Vec::new();
    for row in &rows {
        let (Some(part), Some(exact)) = (lookup::iri(row, "part"), lookup::text(row, "exact"))
        else {
            continue;
        };
        let quote = Quote {
            language: lookup::text(row, "language"),
            prefix: lookup::text(row, "prefix").unwrap_or_default(),
            exact,
            suffix: lookup::text(row, "suffix").unwrap_or_default(),
        };
        match by_part.last_mut() {
            Some(last) if last.part.iri == part => last.quotes.push(quote),
            _ => {
                let document = lookup::iri(row, "document").unwrap_or_default();
                let edition = lookup::text(row, "documentId").unwrap_or_else(|| document.clone());
                by_part.push(PartMentions {
                    part: Named::new(
                        part.clone(),
                        shared::path_label(
                            app,
                            &NamedNode::new_unchecked(part.clone()),
                            &document,
                        )?,
                    ),
                    edition,
                    quotes: vec![quote],
                });
            }
        }
    }
    Ok(by_part)
}

#[cfg(test)]
mod tests {
    use crate::tests::app;
    use crate::{Request, StatusCode};

    #[test]
    fn the_entity_page_names_labels_links_and_mentions() {
        let reply = app().handle(
            &Request::get("/entity/shanghai-cooperation-organization").with_accept("text/html"),
        );
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        for expected in [
            "<h1>Shanghai Cooperation Organisation</h1>",
            "<span lang=\"zh-Hans\">上海合作组织</span>",
            "<a href=\"http://www.wikidata.org/entity/Q485207\" rel=\"noopener noreferrer\">Wikidata Q485207</a>",
            "<a href=\"/iscc2017/en-un/chapter-4/section-2/paragraph-2\">Chapter IV › Section 2 › Paragraph 2</a>",
            "<mark>SCO</mark>",
        ] {
            assert!(page.contains(expected), "{expected}\n{page}");
        }
    }
}
