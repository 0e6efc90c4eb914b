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

/// How one translation renders the words of the original that name the
/// entity: in how many aligned paragraphs it uses `words` (`None`: the
/// aligned paragraph does not name the entity at all).
struct Rendering {
    /// The words, and their language (of the mention's target).
    original: (String, Option<String>),
    edition: String,
    words: Option<(String, Option<String>)>,
    paragraphs: i64,
}

/// Which page of an entity's mentions is shown, and how many there are.
/// At most [`ServeConfig::parts_per_page`](crate::ServeConfig) parts are on
/// one page, so an entity named in thousands of paragraphs costs one page
/// of them at a time.
struct Pagination {
    /// 1-based.
    page: usize,
    per_page: usize,
    pages: usize,
    mentions: usize,
    parts: usize,
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
    pagination: Pagination,
    renderings: Vec<Rendering>,
}

impl EntityPage {
    /// Reads the entity and where the texts name it: the parts on page
    /// `page` (1-based) of its mentions.
    pub fn load(app: &App, summary: &Summary, page: usize) -> Result<Self, ServeError> {
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
        let (mentions, pagination) = mentions(app, &summary.iri, page)?;
        Ok(Self {
            label: shared::label(summary),
            names,
            alternatives: lookup::literals(store, &summary.iri, skos::ALT_LABEL)?,
            kinds: values(cyberkg::ENTITY_KIND)?,
            descriptions: values(dcterms::DESCRIPTION)?,
            part_of: named(app, &parents)?,
            has_parts: named(app, &parts)?,
            same_as,
            mentions,
            pagination,
            renderings: renderings(app, &summary.iri)?,
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
            (self.render_renderings())
            (self.render_mentions(base))
        }
    }

    /// "How the versions render it": the words of the original, and the
    /// words of each translation's aligned paragraphs, with their counts.
    fn render_renderings(&self) -> Markup {
        html! {
            @if !self.renderings.is_empty() {
                h2 { "How the versions render it" }
                table #renderings {
                    thead { tr { th { "Original" } th { "Translation" } th { "Words" } th { "Paragraphs" } } }
                    tbody {
                        @for rendering in &self.renderings {
                            tr {
                                td { span lang=[rendering.original.1.as_deref()] { (rendering.original.0) } }
                                td { (rendering.edition) }
                                td {
                                    @match &rendering.words {
                                        Some((words, language)) => span lang=[language.as_deref()] { (words) },
                                        None => em { "not named" },
                                    }
                                }
                                td { (rendering.paragraphs) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// "Where the texts name it": a count, then a table of parts and
    /// quotes, one page of parts at a time.
    fn render_mentions(&self, base: &str) -> Markup {
        let Pagination {
            page,
            per_page,
            pages,
            mentions: count,
            parts,
        } = self.pagination;
        let first = (page - 1) * per_page + 1;
        let last = first + self.mentions.len().saturating_sub(1);
        html! {
            h2 { "Where the texts name it" }
            p {
                (count) " mention" @if count != 1 { "s" }
                " in " (parts) " part" @if parts != 1 { "s" } "."
                @if pages > 1 { " Parts " (first) "–" (last) ", page " (page) " of " (pages) "." }
            }
            @if pages > 1 {
                nav.pages aria-label="Pages of mentions" {
                    @if page > 1 { a rel="prev" href={ "?page=" (page - 1) } { "← previous" } " " }
                    @if page < pages { a rel="next" href={ "?page=" (page + 1) } { "next →" } }
                }
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

/// How each translation renders the entity: for each paragraph of an
/// original that names it and has an aligned translation, the original's
/// words and the words that name it in the translation's paragraph (the
/// same query as the named query `concept-renderings`, for one entity of
/// any kind and any editions).
fn renderings(app: &App, entity: &NamedNode) -> Result<Vec<Rendering>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?resource ?original ?originalLanguage ?edition ?words ?wordsLanguage (COUNT(DISTINCT ?source) AS ?paragraphs) WHERE {
           ?annotation oa:hasBody ?resource ; oa:hasTarget ?target .
           ?target oa:hasSource ?source ; oa:hasSelector/oa:exact ?original .
           OPTIONAL { ?target dcterms:language ?originalLanguage }
           ?source schema:workTranslation ?translation .
           ?translation cyberkg:inEdition/dcterms:identifier ?edition .
           OPTIONAL {
             ?other oa:hasBody ?resource ; oa:hasTarget ?otherTarget .
             ?otherTarget oa:hasSource ?translation ; oa:hasSelector/oa:exact ?words .
             OPTIONAL { ?otherTarget dcterms:language ?wordsLanguage }
           }
         } GROUP BY ?resource ?original ?originalLanguage ?edition ?words ?wordsLanguage
         ORDER BY ?original ?edition DESC(?paragraphs) ?words",
        Some(entity),
    )?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let words = |text, language| {
                lookup::text(row, text).map(|text| (text, lookup::text(row, language)))
            };
            Some(Rendering {
                original: words("original", "originalLanguage")?,
                edition: lookup::text(row, "edition")?,
                words: words("words", "wordsLanguage"),
                paragraphs: lookup::integer(row, "paragraphs")?,
            })
        })
        .collect())
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

/// The quoted mentions of `entity` in the parts on page `page` (1-based),
/// grouped by part, in edition and document order, and where that page is
/// among all of them. Two queries: the first lists the parts that name the
/// entity, with their order and how many mentions each holds, and reads no
/// quote; the second reads the quotes of the page's parts only, and only
/// those parts are labelled (each label reads the part's chain up to its
/// document). So an entity named in thousands of paragraphs costs the
/// index lookups of its list, and one page of strings.
fn mentions(
    app: &App,
    entity: &NamedNode,
    page: usize,
) -> Result<(Vec<PartMentions>, Pagination), ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?resource ?part (SAMPLE(?document) AS ?doc) (SAMPLE(?documentId) AS ?docId) (SAMPLE(?order) AS ?ord) (COUNT(*) AS ?mentions) WHERE {
           ?annotation oa:hasBody ?resource ; oa:hasTarget ?target .
           ?target oa:hasSource ?part .
           OPTIONAL { ?part cyberkg:inEdition ?edition }
           OPTIONAL { ?part cyberkg:documentOrder ?order }
           BIND(COALESCE(?edition, ?part) AS ?document)
           OPTIONAL { ?document dcterms:identifier ?documentId }
         } GROUP BY ?resource ?part ORDER BY ?docId ?ord ?part",
        Some(entity),
    )?;
    // (part, document, edition), in the rows' order.
    let mut parts: Vec<(String, String, String)> = Vec::new();
    let mut count = 0;
    for row in &rows {
        let Some(part) = lookup::iri(row, "part") else {
            continue;
        };
        count += lookup::integer(row, "mentions").map_or(0, |n| usize::try_from(n).unwrap_or(0));
        let document = lookup::iri(row, "doc").unwrap_or_default();
        let edition = lookup::text(row, "docId").unwrap_or_else(|| document.clone());
        parts.push((part, document, edition));
    }
    let per_page = app.config.parts_per_page.max(1);
    let pagination = Pagination {
        page,
        per_page,
        pages: parts.len().div_ceil(per_page).max(1),
        mentions: count,
        parts: parts.len(),
    };
    if page == 0 || page > pagination.pages {
        return Err(ServeError::NoSuchPage {
            page,
            pages: pagination.pages,
        });
    }
    let shown: Vec<(String, String, String)> = parts
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    let mut quotes = page_quotes(app, entity, shown.iter().map(|(part, _, _)| part.as_str()))?;
    let mut paths = shared::PathLabels::new(app);
    shown
        .into_iter()
        .map(|(part, document, edition)| {
            let label = paths.label(&NamedNode::new_unchecked(part.clone()), &document)?;
            Ok(PartMentions {
                quotes: quotes.remove(&part).unwrap_or_default(),
                part: Named::new(part, label),
                edition,
            })
        })
        .collect::<Result<_, ServeError>>()
        .map(|shown| (shown, pagination))
}

/// The quotes naming `entity` in `parts`, per part, in text order.
fn page_quotes<'a>(
    app: &App,
    entity: &NamedNode,
    parts: impl Iterator<Item = &'a str>,
) -> Result<std::collections::HashMap<String, Vec<Quote>>, ServeError> {
    // The parts' IRIs come from the store, so each is a valid IRI (no `>`).
    let values: String = parts.map(|part| format!("<{part}> ")).collect();
    let rows = lookup::select(
        &app.store,
        &format!(
            "SELECT ?resource ?part ?start ?exact ?prefix ?suffix ?language WHERE {{
               VALUES ?part {{ {values}}}
               ?target oa:hasSource ?part ; oa:hasSelector ?quote , ?position .
               ?annotation oa:hasTarget ?target ; oa:hasBody ?resource .
               ?quote oa:exact ?exact .
               ?position oa:start ?start .
               OPTIONAL {{ ?quote oa:prefix ?prefix }}
               OPTIONAL {{ ?quote oa:suffix ?suffix }}
               OPTIONAL {{ ?target dcterms:language ?language }}
             }} ORDER BY ?part ?start"
        ),
        Some(entity),
    )?;
    let mut quotes: std::collections::HashMap<String, Vec<Quote>> =
        std::collections::HashMap::new();
    for row in &rows {
        let (Some(part), Some(exact)) = (lookup::iri(row, "part"), lookup::text(row, "exact"))
        else {
            continue;
        };
        quotes.entry(part).or_default().push(Quote {
            language: lookup::text(row, "language"),
            prefix: lookup::text(row, "prefix").unwrap_or_default(),
            exact,
            suffix: lookup::text(row, "suffix").unwrap_or_default(),
        });
    }
    Ok(quotes)
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

    #[test]
    fn an_entity_page_shows_how_each_translation_renders_it() {
        let reply =
            app().handle(&Request::get("/entity/cold-war-mentality").with_accept("text/html"));
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        let table = &page[page.find("<table id=\"renderings\">").unwrap_or(0)..];
        let table = &table[..table.find("</table>").unwrap_or(table.len())];
        for row in [
            "<td><span lang=\"zh-Hans\">冷战思维</span></td><td>iscc2017/en-gov</td><td><span lang=\"en\">Cold War mentality</span></td><td>1</td>",
            "<td><span lang=\"zh-Hans\">冷战思维</span></td><td>iscc2017/en-un</td><td><span lang=\"en\">cold war mentalities</span></td><td>1</td>",
        ] {
            assert!(table.contains(row), "{row}\n{table}");
        }
        // Never named in the Chinese original (the built-in page holds
        // only Chapters II-III): no original words, so no table.
        let english_only = app()
            .handle(&Request::get("/entity/internet-governance-forum").with_accept("text/html"));
        assert_eq!(english_only.status, StatusCode::OK);
        assert!(!english_only.body_text().contains("id=\"renderings\""));
    }

    /// The parts of the IRIs linked in a page's mentions table, in order.
    fn listed_parts(page: &str) -> Vec<String> {
        let table = &page[page.find("<table id=\"mentions\">").unwrap_or(page.len())..];
        let table = &table[..table.find("</table>").unwrap_or(table.len())];
        table
            .split("<td><a href=\"")
            .skip(1)
            .filter_map(|cell| cell.split('"').next().map(str::to_owned))
            .collect()
    }

    #[test]
    fn long_lists_of_mentions_are_paginated() {
        const CHINA: &str = "/entity/peoples-republic-of-china";
        let whole = app().handle(&Request::get(CHINA).with_accept("text/html"));
        let all = listed_parts(&whole.body_text());
        assert!(all.len() > 60, "{}", all.len());
        let paged = crate::App {
            config: crate::ServeConfig {
                parts_per_page: 25,
                ..crate::ServeConfig::default()
            },
            ..app()
        };
        let pages = all.len().div_ceil(25);
        let mut joined = Vec::new();
        for page in 1..=pages {
            let reply = paged
                .handle(&Request::get(&format!("{CHINA}?page={page}")).with_accept("text/html"));
            assert_eq!(reply.status, StatusCode::OK, "page {page}");
            let body = reply.body_text();
            let listed = listed_parts(&body);
            assert_eq!(
                listed.len(),
                if page < pages {
                    25
                } else {
                    all.len() - 25 * (pages - 1)
                }
            );
            assert!(
                body.contains(&format!(", page {page} of {pages}.")),
                "{body}"
            );
            assert_eq!(body.contains("rel=\"next\""), page < pages);
            assert_eq!(body.contains("rel=\"prev\""), page > 1);
            joined.extend(listed);
        }
        assert_eq!(
            joined, all,
            "the pages, joined, are the whole list in its order"
        );
        let past = paged
            .handle(&Request::get(&format!("{CHINA}?page={}", pages + 1)).with_accept("text/html"));
        assert_eq!(past.status, StatusCode::NOT_FOUND);
        assert_eq!(
            past.body_text(),
            format!(
                "there is no page {}: the list has {pages} page(s)\n",
                pages + 1
            )
        );
        for bad in ["0", "two", "-1"] {
            let reply = paged.handle(&Request::get(&format!("{CHINA}?page={bad}")));
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
            assert_eq!(
                reply.body_text(),
                format!("the parameter page must be a whole number from 1, not '{bad}'\n")
            );
        }
    }
}
