//! The HTML pages: home, SPARQL results, and one page per resource
//! (paragraph, entity, chapter or section, or a plain list of statements).
//!
//! Every page is built from the store on each request, so it always shows
//! what the store holds (also after an update on a `--writable` server).
//! A paragraph page shows the paragraph beside its aligned versions
//! (`schema:translationOfWork` / `schema:workTranslation`), each with its
//! mentions linked to their entities; mentions are placed by the
//! `oa:TextPositionSelector` offsets, in code points, into the literal of
//! `cyberkg:selectedProperty` whose language is the target's
//! `dcterms:language`. Invariants: everything from the store is escaped
//! (see `html.rs`); lists are in a fixed order (document order, then IRI);
//! a mention whose offsets do not fit its literal, or that overlaps the one
//! before, is left out rather than guessed at.

use super::evaluate::Answer;
use super::html::{self, escape, link, roman};
use super::lookup::{self, PREFERENCE, Summary, preferred};
use super::{App, Reply, Request, ServeError, StatusCode};
use ::cyberkg::graph::vocab::{cyberkg, dcterms, deo, doco, org, owl, rdf, schema, skos};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term, Triple};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The query the forms start with.
const EXAMPLE_QUERY: &str = "SELECT ?n ?title WHERE {
  ?chapter a doco:Chapter ;
     cyberkg:inEdition/dcterms:identifier \"iscc2017/en-un\" ;
     schema:position ?n ;
     dcterms:title ?title
} ORDER BY ?n";

/// How deep a chain of `dcterms:isPartOf` may go before the pages stop following it.
const MAX_DEPTH: usize = 16;

/// `/`: the outline of the versions, the entities, the SPARQL form.
pub fn home(app: &App, request: &Request) -> Reply {
    if !request.method.is_read() {
        return Reply::method_not_allowed("/", "GET and HEAD");
    }
    match home_page(app) {
        Ok(page) => Reply::html(StatusCode::OK, page),
        Err(error) => super::internal(&error),
    }
}

fn home_page(app: &App) -> Result<String, ServeError> {
    let store = &app.store;
    let mut body = String::new();
    let datasets = lookup::select(
        store,
        "SELECT DISTINCT ?dataset WHERE { ?dataset a void:Dataset ; void:rootResource ?root } ORDER BY ?dataset LIMIT 1",
        None,
    )?;
    let mut title = "China's International Strategy of Cooperation on Cyberspace".to_owned();
    if let Some(dataset) = datasets.first().and_then(|row| lookup::iri(row, "dataset")) {
        let dataset = NamedNode::new_unchecked(dataset);
        let titles = lookup::literals(store, &dataset, dcterms::TITLE)?;
        if let Some(english) = preferred(&titles, &["en"]) {
            english.value().clone_into(&mut title);
        }
        let _ = write!(body, "<h1>{}</h1>", escape(&title));
        for other in titles.iter().filter(|t| t.language() != Some("en")) {
            let _ = write!(
                body,
                "<p{}>{}</p>",
                html::lang_attribute(other),
                escape(other.value())
            );
        }
        for description in lookup::literals(store, &dataset, dcterms::DESCRIPTION)? {
            let _ = write!(body, "<p>{}</p>", escape(description.value()));
        }
    } else {
        let _ = write!(body, "<h1>{}</h1>", escape(&title));
    }

    body.push_str("<h2>The versions</h2>\n<div class=\"columns\">");
    for edition in editions(app)? {
        let _ = write!(
            body,
            "<section class=\"column\"{}><h3>{}</h3>{}</section>",
            edition
                .title()
                .map(html::lang_attribute)
                .unwrap_or_default(),
            link(&app.base, edition.iri.as_str(), &label(&edition)),
            outline(app, &edition)?
        );
    }
    body.push_str("</div>\n");
    let letters = lookup::subjects(store, rdf::TYPE, &cyberkg::COVER_LETTER.into_owned().into())?;
    for letter in letters {
        let summary = Summary::read(store, &letter)?;
        let _ = write!(
            body,
            "<p>The UN edition came with a cover letter: {}.</p>",
            link(&app.base, letter.as_str(), &label(&summary))
        );
    }

    body.push_str("<h2 id=\"entities\">Who and what the strategy names</h2>\n");
    let rows = lookup::select(
        store,
        "SELECT ?entity ?kind ?label WHERE { ?entity a cyberkg:Entity ; cyberkg:entityKind ?kind ; skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), \"en\")) } ORDER BY ?kind ?label ?entity",
        None,
    )?;
    let mut by_kind: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &rows {
        if let (Some(entity), Some(kind), Some(name)) = (
            lookup::iri(row, "entity"),
            lookup::text(row, "kind"),
            lookup::text(row, "label"),
        ) {
            by_kind
                .entry(kind)
                .or_default()
                .push(link(&app.base, &entity, &name));
        }
    }
    body.push_str("<dl>");
    for (kind, links) in by_kind {
        let _ = write!(
            body,
            "<dt>{}</dt><dd>{}</dd>",
            escape(&kind),
            links.join(" · ")
        );
    }
    body.push_str("</dl>\n");

    body.push_str("<h2 id=\"query\">Ask in SPARQL</h2>\n");
    body.push_str(&html::query_form(EXAMPLE_QUERY));
    body.push_str("<details><summary>Named queries</summary><ul>");
    for (name, text) in ::cyberkg::queries::NAMED_QUERIES {
        let _ = write!(
            body,
            "<li><a href=\"/query?query={}\">{}</a>: {}</li>",
            escape(&super::request::encode_component(text)),
            escape(name),
            escape(&::cyberkg::queries::description(text))
        );
    }
    body.push_str("</ul></details>\n");
    body.push_str(
        "<h2>For programs</h2><ul>\
<li><code>/query</code>: SPARQL 1.1 Protocol (GET or POST; JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG)</li>\
<li><code>/store</code>: Graph Store Protocol, read-only (<code>?default</code>, <code>?graph=IRI</code>, or the whole dataset)</li>\
<li><code>/.well-known/void</code>: the dataset description</li>\
<li>every IRI under the base, at its path, as RDF by content negotiation</li></ul>\n",
    );
    Ok(html::page(&title, &body))
}

/// The editions, the Chinese original first, then by identifier.
fn editions(app: &App) -> Result<Vec<Summary>, ServeError> {
    let mut editions =
        lookup::subjects(&app.store, rdf::TYPE, &cyberkg::EDITION.into_owned().into())?
            .iter()
            .map(|edition| Summary::read(&app.store, edition))
            .collect::<Result<Vec<_>, _>>()?;
    editions.sort_by_cached_key(|edition| {
        let chinese = edition
            .title()
            .and_then(Literal::language)
            .is_some_and(|language| language.starts_with("zh"));
        (!chinese, edition.identifier.clone(), edition.iri.clone())
    });
    Ok(editions)
}

/// The parts of `parent` in reading order.
fn children(app: &App, parent: &NamedNode) -> Result<Vec<Summary>, ServeError> {
    let mut children = lookup::object_iris(&app.store, parent, dcterms::HAS_PART)?
        .iter()
        .map(|child| Summary::read(&app.store, child))
        .collect::<Result<Vec<_>, _>>()?;
    children.sort_by_cached_key(|child| (child.order, child.position, child.iri.clone()));
    Ok(children)
}

/// A document's outline: its top-level parts, and the sections of each chapter.
fn outline(app: &App, document: &Summary) -> Result<String, ServeError> {
    let mut html = String::from("<ol class=\"outline\">");
    for part in children(app, &document.iri)? {
        if !part.texts.is_empty() {
            continue;
        }
        let _ = write!(
            html,
            "<li>{}",
            link(&app.base, part.iri.as_str(), &label(&part))
        );
        let sections: Vec<Summary> = children(app, &part.iri)?
            .into_iter()
            .filter(|child| child.is_a(doco::SECTION))
            .collect();
        if !sections.is_empty() {
            html.push_str("<ol>");
            for section in sections {
                let _ = write!(
                    html,
                    "<li>{}</li>",
                    link(&app.base, section.iri.as_str(), &label(&section))
                );
            }
            html.push_str("</ol>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
    Ok(html)
}

/// How a node is named on a page: "Chapter II: Basic principles", "Paragraph 3", a title, an identifier.
fn label(summary: &Summary) -> String {
    let title = summary.title().map(|t| t.value().to_owned());
    let numbered = |kind: &str, number: String| match &title {
        Some(title) => format!("{kind} {number}: {title}"),
        None => format!("{kind} {number}"),
    };
    match summary.position {
        Some(position) if summary.is_a(doco::CHAPTER) => numbered("Chapter", roman(position)),
        Some(position) if summary.is_a(doco::SECTION) => numbered("Section", position.to_string()),
        Some(position) if summary.is_a(doco::PARAGRAPH) => format!("Paragraph {position}"),
        _ => title
            .or_else(|| summary.identifier.clone())
            .unwrap_or_else(|| summary.iri.as_str().to_owned()),
    }
}

/// The chain of `dcterms:isPartOf` above a node, outermost first.
fn ancestors(app: &App, summary: &Summary) -> Result<Vec<Summary>, ServeError> {
    let mut chain = Vec::new();
    let mut next = summary.parent.clone();
    while let Some(parent) = next {
        if chain.len() >= MAX_DEPTH {
            break;
        }
        let parent = Summary::read(&app.store, &parent)?;
        next = parent.parent.clone();
        chain.push(parent);
    }
    chain.reverse();
    Ok(chain)
}

fn crumbs(app: &App, summary: &Summary) -> Result<String, ServeError> {
    let chain = ancestors(app, summary)?;
    if chain.is_empty() {
        return Ok(String::new());
    }
    let links: Vec<String> = chain
        .iter()
        .map(|part| link(&app.base, part.iri.as_str(), &label(part)))
        .collect();
    Ok(format!(
        "<nav class=\"crumbs\">{} ›</nav>",
        links.join(" › ")
    ))
}

/// One mention, placed in a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The entity.
    pub entity: String,
    /// The entity's English label, for the tooltip.
    pub label: Option<String>,
    /// The property whose literal the offsets index.
    pub property: String,
    /// The language of that literal (`dcterms:language` of the target).
    pub language: Option<String>,
}

/// The mentions whose source is `part`, by start.
fn mentions_in(app: &App, part: &NamedNode) -> Result<Vec<Mention>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?resource ?property ?language ?start ?end ?entity ?label WHERE {
           ?target oa:hasSource ?resource ; cyberkg:selectedProperty ?property ; oa:hasSelector ?selector .
           ?selector oa:start ?start ; oa:end ?end .
           ?annotation oa:hasTarget ?target ; oa:hasBody ?entity .
           OPTIONAL { ?target dcterms:language ?language }
           OPTIONAL { ?entity skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), \"en\")) }
         } ORDER BY ?start ?end ?entity",
        Some(part),
    )?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(Mention {
                start: usize::try_from(lookup::integer(row, "start")?).ok()?,
                end: usize::try_from(lookup::integer(row, "end")?).ok()?,
                entity: lookup::iri(row, "entity")?,
                label: lookup::text(row, "label"),
                property: lookup::iri(row, "property")?,
                language: lookup::text(row, "language"),
            })
        })
        .collect())
}

/// `text` as HTML with each mention a link to its entity; mentions out of
/// range, empty, or overlapping the previous one are skipped.
pub fn highlighted(base: &str, text: &str, mentions: &[Mention]) -> String {
    let characters: Vec<char> = text.chars().collect();
    let mut sorted: Vec<&Mention> = mentions.iter().collect();
    sorted.sort_by_key(|mention| (mention.start, mention.end));
    let mut html = String::new();
    let mut cursor = 0;
    for mention in sorted {
        if mention.start < cursor || mention.start >= mention.end || mention.end > characters.len()
        {
            continue;
        }
        let before: String = characters[cursor..mention.start].iter().collect();
        let words: String = characters[mention.start..mention.end].iter().collect();
        html.push_str(&escape(&before));
        let target = html::href(base, &mention.entity).unwrap_or_default();
        let _ = write!(
            html,
            "<a class=\"mention\" href=\"{}\" title=\"{}\">{}</a>",
            escape(&target),
            escape(mention.label.as_deref().unwrap_or(&mention.entity)),
            escape(&words)
        );
        cursor = mention.end;
    }
    let rest: String = characters[cursor..].iter().collect();
    html.push_str(&escape(&rest));
    html
}

/// A literal of `property` with the mentions that index it (same property, same language).
fn literal_html(
    app: &App,
    literal: &Literal,
    property: NamedNodeRef<'_>,
    mentions: &[Mention],
) -> String {
    let applicable: Vec<Mention> = mentions
        .iter()
        .filter(|mention| {
            mention.property == property.as_str()
                && match (&mention.language, literal.language()) {
                    (Some(wanted), Some(language)) => wanted.eq_ignore_ascii_case(language),
                    (None, _) => true,
                    (Some(_), None) => false,
                }
        })
        .cloned()
        .collect();
    format!(
        "<span{}>{}</span>",
        html::lang_attribute(literal),
        highlighted(&app.base, literal.value(), &applicable)
    )
}

/// The page of any resource under the base, chosen by what it is.
pub fn resource_page(
    app: &App,
    resource: &NamedNode,
    triples: &[Triple],
) -> Result<String, ServeError> {
    let summary = Summary::read(&app.store, resource)?;
    let mut body = crumbs(app, &summary)?;
    let title = label(&summary);
    if summary.is_a(cyberkg::ENTITY) {
        body.push_str(&entity_body(app, &summary)?);
    } else if !summary.texts.is_empty() {
        body.push_str(&text_body(app, &summary)?);
    } else if summary.is_a(cyberkg::EDITION)
        || summary.is_a(cyberkg::COVER_LETTER)
        || summary.is_a(doco::CHAPTER)
        || summary.is_a(doco::SECTION)
        || summary.is_a(doco::PREFACE)
        || summary.is_a(deo::CONCLUSION)
    {
        body.push_str(&container_body(app, &summary)?);
    } else {
        let _ = write!(body, "<h1>{}</h1>", escape(&title));
    }
    body.push_str(&statements_section(app, triples));
    Ok(html::page(&title, &body))
}

/// Headings with every title of a node (each language), mentions linked.
fn titles_html(app: &App, summary: &Summary) -> Result<String, ServeError> {
    let mut html = format!("<h1>{}</h1>", escape(&label(summary)));
    if summary.titles.len() > 1 {
        let mentions = mentions_in(app, &summary.iri)?;
        html.push_str("<ul>");
        for title in &summary.titles {
            let _ = write!(
                html,
                "<li>{}</li>",
                literal_html(app, title, dcterms::TITLE, &mentions)
            );
        }
        html.push_str("</ul>");
    }
    Ok(html)
}

/// "Also in": the aligned versions of a part.
fn aligned(app: &App, summary: &Summary) -> Result<Vec<Summary>, ServeError> {
    let store = &app.store;
    let mut versions: BTreeSet<NamedNode> = BTreeSet::new();
    for original in lookup::object_iris(store, &summary.iri, schema::TRANSLATION_OF_WORK)? {
        versions.extend(lookup::object_iris(
            store,
            &original,
            schema::WORK_TRANSLATION,
        )?);
        versions.insert(original);
    }
    versions.extend(lookup::object_iris(
        store,
        &summary.iri,
        schema::WORK_TRANSLATION,
    )?);
    versions.remove(&summary.iri);
    versions
        .iter()
        .map(|version| Summary::read(store, version))
        .collect()
}

/// The identifier of a part's edition (`iscc2017/en-un`), or of the document itself.
fn edition_name(app: &App, summary: &Summary) -> Result<String, ServeError> {
    match &summary.edition {
        Some(edition) => Ok(Summary::read(&app.store, edition)?
            .identifier
            .unwrap_or_else(|| edition.as_str().to_owned())),
        None => Ok(summary
            .identifier
            .clone()
            .unwrap_or_else(|| summary.iri.as_str().to_owned())),
    }
}

/// Chinese first, then by edition identifier.
fn version_key(app: &App, summary: &Summary) -> Result<(bool, String), ServeError> {
    let chinese = preferred(&summary.texts, PREFERENCE)
        .or_else(|| summary.title())
        .and_then(Literal::language)
        .is_some_and(|language| language.starts_with("zh"));
    Ok((!chinese, edition_name(app, summary)?))
}

/// A paragraph (or any part with text) beside its aligned versions.
fn text_body(app: &App, summary: &Summary) -> Result<String, ServeError> {
    let mut versions = vec![summary.clone()];
    versions.extend(aligned(app, summary)?);
    let mut keyed = versions
        .into_iter()
        .map(|version| Ok((version_key(app, &version)?, version)))
        .collect::<Result<Vec<_>, ServeError>>()?;
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut html = format!(
        "<h1>{} <small class=\"meta\">{}</small></h1>",
        escape(&label(summary)),
        escape(&edition_name(app, summary)?)
    );
    if keyed.len() == 1 {
        html.push_str("<p class=\"meta\">No other version is aligned with this part.</p>");
    }
    html.push_str("<div class=\"columns\">");
    for ((_, edition), version) in &keyed {
        let current = version.iri == summary.iri;
        let mentions = mentions_in(app, &version.iri)?;
        let _ = write!(
            html,
            "<section class=\"column{}\"><h2>{}</h2>",
            if current { " current" } else { "" },
            link(&app.base, version.iri.as_str(), edition)
        );
        if let Some(shown) = preferred(&version.texts, PREFERENCE) {
            let _ = write!(
                html,
                "<p class=\"text\">{}</p>",
                literal_html(app, shown, schema::TEXT, &mentions)
            );
            for other in version.texts.iter().filter(|text| *text != shown) {
                let _ = write!(
                    html,
                    "<details><summary>Also as {}</summary><p{}>{}</p></details>",
                    escape(&other.language().map(html::bcp47_case).unwrap_or_default()),
                    html::lang_attribute(other),
                    literal_html(app, other, schema::TEXT, &mentions)
                );
            }
        }
        html.push_str("</section>");
    }
    html.push_str("</div>");
    Ok(html)
}

/// A document, chapter, section, preface or conclusion: its titles, its
/// aligned versions and its parts (paragraphs with their text).
fn container_body(app: &App, summary: &Summary) -> Result<String, ServeError> {
    let mut html = titles_html(app, summary)?;
    let versions = aligned(app, summary)?;
    if !versions.is_empty() {
        let mut links = Vec::new();
        for version in &versions {
            links.push(link(
                &app.base,
                version.iri.as_str(),
                &edition_name(app, version)?,
            ));
        }
        let _ = write!(html, "<p>Also in {}.</p>", links.join(", "));
    }
    if summary.is_a(cyberkg::EDITION) || summary.is_a(cyberkg::COVER_LETTER) {
        html.push_str("<h2>Outline</h2>");
        html.push_str(&outline(app, summary)?);
    }
    let parts = children(app, &summary.iri)?;
    let (paragraphs, others): (Vec<Summary>, Vec<Summary>) =
        parts.into_iter().partition(|part| !part.texts.is_empty());
    if !others.is_empty() && !summary.is_a(cyberkg::EDITION) {
        html.push_str("<h2>Parts</h2><ol class=\"outline\">");
        for part in &others {
            let _ = write!(
                html,
                "<li>{}</li>",
                link(&app.base, part.iri.as_str(), &label(part))
            );
        }
        html.push_str("</ol>");
    }
    if !paragraphs.is_empty() {
        html.push_str("<h2>Text</h2>");
        for paragraph in &paragraphs {
            let mentions = mentions_in(app, &paragraph.iri)?;
            let shown = preferred(&paragraph.texts, PREFERENCE)
                .map(|text| literal_html(app, text, schema::TEXT, &mentions))
                .unwrap_or_default();
            let _ = write!(
                html,
                "<p>{} {}</p>",
                link(
                    &app.base,
                    paragraph.iri.as_str(),
                    &paragraph
                        .position
                        .map_or_else(|| label(paragraph), |position| format!("¶{position}"))
                ),
                shown
            );
        }
    }
    Ok(html)
}

/// The path of a part below its document, readable: "Chapter IV › Section 2 › Paragraph 2".
fn part_path(document: &str, part: &str) -> String {
    let Some(rest) = part
        .strip_prefix(document)
        .map(|rest| rest.trim_start_matches('/'))
    else {
        return part.to_owned();
    };
    if rest.is_empty() {
        return "Title".to_owned();
    }
    rest.split('/')
        .map(|segment| match segment.rsplit_once('-') {
            Some(("chapter", number)) => number.parse().map_or_else(
                |_| segment.to_owned(),
                |n: i64| format!("Chapter {}", roman(n)),
            ),
            Some(("section", number)) => format!("Section {number}"),
            Some(("paragraph", number)) => format!("Paragraph {number}"),
            _ => {
                let mut words = segment.replace('-', " ");
                if let Some(first) = words.get(..1) {
                    words = first.to_ascii_uppercase() + &words[1..];
                }
                words
            }
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// An entity: labels, links, hierarchy, and every part that names it.
fn entity_body(app: &App, summary: &Summary) -> Result<String, ServeError> {
    let store = &app.store;
    let mut html = format!("<h1>{}</h1>", escape(&label(summary)));
    let mut labels = summary.labels.clone();
    labels.sort_by_key(|l| l.language().map(str::to_owned));
    html.push_str("<dl>");
    if !labels.is_empty() {
        html.push_str("<dt>Names</dt><dd><ul>");
        for name in &labels {
            let _ = write!(
                html,
                "<li><span{}>{}</span> <small class=\"meta\">{}</small></li>",
                html::lang_attribute(name),
                escape(name.value()),
                escape(&name.language().map(html::bcp47_case).unwrap_or_default())
            );
        }
        html.push_str("</ul></dd>");
    }
    let alternatives = lookup::literals(store, &summary.iri, skos::ALT_LABEL)?;
    if !alternatives.is_empty() {
        let names: Vec<String> = alternatives
            .iter()
            .map(|name| {
                format!(
                    "<span{}>{}</span>",
                    html::lang_attribute(name),
                    escape(name.value())
                )
            })
            .collect();
        let _ = write!(html, "<dt>Also called</dt><dd>{}</dd>", names.join(", "));
    }
    for kind in lookup::literals(store, &summary.iri, cyberkg::ENTITY_KIND)? {
        let _ = write!(html, "<dt>Kind</dt><dd>{}</dd>", escape(kind.value()));
    }
    for description in lookup::literals(store, &summary.iri, dcterms::DESCRIPTION)? {
        let _ = write!(
            html,
            "<dt>Description</dt><dd>{}</dd>",
            escape(description.value())
        );
    }
    let parents = lookup::object_iris(store, &summary.iri, org::SUB_ORGANIZATION_OF)?;
    if !parents.is_empty() {
        let _ = write!(
            html,
            "<dt>Part of</dt><dd>{}</dd>",
            entity_links(app, &parents)?
        );
    }
    let parts = lookup::subjects(store, org::SUB_ORGANIZATION_OF, &summary.iri.clone().into())?;
    if !parts.is_empty() {
        let _ = write!(
            html,
            "<dt>Has parts</dt><dd>{}</dd>",
            entity_links(app, &parts)?
        );
    }
    let same = lookup::object_iris(store, &summary.iri, owl::SAME_AS)?;
    if !same.is_empty() {
        let links: Vec<String> = same
            .iter()
            .map(|iri| {
                let name = if let Some(id) =
                    iri.as_str().strip_prefix("http://www.wikidata.org/entity/")
                {
                    format!("Wikidata {id}")
                } else if let Some(id) = iri.as_str().strip_prefix("http://dbpedia.org/resource/") {
                    format!("DBpedia {id}")
                } else {
                    iri.as_str().to_owned()
                };
                link(&app.base, iri.as_str(), &name)
            })
            .collect();
        let _ = write!(html, "<dt>Same as</dt><dd>{}</dd>", links.join(" · "));
    }
    html.push_str("</dl>");

    let rows = lookup::select(
        store,
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
        Some(&summary.iri),
    )?;
    let mut by_part: Vec<(String, String, String, Vec<String>)> = Vec::new();
    for row in &rows {
        let (Some(part), Some(exact)) = (lookup::iri(row, "part"), lookup::text(row, "exact"))
        else {
            continue;
        };
        let document = lookup::iri(row, "document").unwrap_or_default();
        let document_id = lookup::text(row, "documentId").unwrap_or_else(|| document.clone());
        let language = lookup::text(row, "language")
            .map(|language| format!(" lang=\"{}\"", escape(&language)))
            .unwrap_or_default();
        let quote = format!(
            "<span{language}>…{}<mark>{}</mark>{}…</span>",
            escape(&lookup::text(row, "prefix").unwrap_or_default()),
            escape(&exact),
            escape(&lookup::text(row, "suffix").unwrap_or_default())
        );
        match by_part.last_mut() {
            Some((last, _, _, quotes)) if *last == part => quotes.push(quote),
            _ => by_part.push((part, document, document_id, vec![quote])),
        }
    }
    let count: usize = by_part.iter().map(|(_, _, _, quotes)| quotes.len()).sum();
    let _ = write!(
        html,
        "<h2>Where the texts name it</h2><p>{count} mention{} in {} part{}.</p>",
        if count == 1 { "" } else { "s" },
        by_part.len(),
        if by_part.len() == 1 { "" } else { "s" }
    );
    if !by_part.is_empty() {
        html.push_str("<table id=\"mentions\"><thead><tr><th>Version</th><th>Where</th><th>Words</th></tr></thead><tbody>");
        for (part, document, document_id, quotes) in &by_part {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(document_id),
                link(&app.base, part, &part_path(document, part)),
                quotes.join("<br>")
            );
        }
        html.push_str("</tbody></table>");
    }
    Ok(html)
}

fn entity_links(app: &App, entities: &[NamedNode]) -> Result<String, ServeError> {
    let mut links = Vec::new();
    for entity in entities {
        let summary = Summary::read(&app.store, entity)?;
        links.push(link(&app.base, entity.as_str(), &label(&summary)));
    }
    Ok(links.join(" · "))
}

/// A table of triples, subjects grouped, each fragment subject anchored by its fragment.
fn statements_table(app: &App, triples: &[Triple]) -> String {
    let mut html = String::from(
        "<table class=\"statements\"><thead><tr><th>Subject</th><th>Predicate</th><th>Object</th></tr></thead><tbody>",
    );
    let mut previous: Option<String> = None;
    for triple in triples {
        let subject = triple.subject.to_string();
        let first = previous.as_ref() != Some(&subject);
        let anchor = match (&triple.subject, first) {
            (oxigraph::model::NamedOrBlankNode::NamedNode(node), true) => node
                .as_str()
                .split_once('#')
                .map(|(_, fragment)| format!(" id=\"{}\"", escape(fragment)))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let subject_html = if first {
            html::term(&app.base, &Term::from(triple.subject.clone()))
        } else {
            String::new()
        };
        let _ = write!(
            html,
            "<tr{anchor}><td>{subject_html}</td><td>{}</td><td>{}</td></tr>",
            html::term(&app.base, &triple.predicate.clone().into()),
            html::term(&app.base, &triple.object)
        );
        previous = Some(subject);
    }
    html.push_str("</tbody></table>");
    html
}

fn statements_section(app: &App, triples: &[Triple]) -> String {
    format!(
        "<details class=\"statements\"><summary>All statements ({})</summary>{}</details>",
        triples.len(),
        statements_table(app, triples)
    )
}

/// A page that lists statements (the dataset description).
pub fn statements_page(app: &App, title: &str, triples: &[Triple]) -> String {
    html::page(
        title,
        &format!(
            "<h1>{}</h1>{}",
            escape(title),
            statements_table(app, triples)
        ),
    )
}

/// The SPARQL page: the form, and the answer as a table when there is one.
pub fn query_page(app: &App, query: &str, answer: Option<&Answer>) -> String {
    let mut body = String::from("<h1>SPARQL query</h1>");
    body.push_str(&html::query_form(if query.is_empty() {
        EXAMPLE_QUERY
    } else {
        query
    }));
    match answer {
        None => {}
        Some(Answer::Boolean(value)) => {
            let _ = write!(
                body,
                "<p id=\"results\">Answer: <strong>{value}</strong></p>"
            );
        }
        Some(Answer::Solutions { variables, rows }) => {
            let _ = write!(
                body,
                "<p>{} result{}</p><table id=\"results\"><thead><tr>",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            );
            for variable in variables {
                let _ = write!(body, "<th>{}</th>", escape(variable.as_str()));
            }
            body.push_str("</tr></thead><tbody>");
            for row in rows {
                body.push_str("<tr>");
                for variable in variables {
                    let cell = row
                        .get(variable)
                        .map(|term| html::term(&app.base, term))
                        .unwrap_or_default();
                    let _ = write!(body, "<td>{cell}</td>");
                }
                body.push_str("</tr>");
            }
            body.push_str("</tbody></table>");
        }
        Some(Answer::Triples(triples)) => {
            let _ = write!(
                body,
                "<p>{} triple{}</p><div id=\"results\">{}</div>",
                triples.len(),
                if triples.len() == 1 { "" } else { "s" },
                statements_table(app, triples)
            );
        }
    }
    html::page("SPARQL query", &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::app;

    fn mention(start: usize, end: usize) -> Mention {
        Mention {
            start,
            end,
            entity: "https://w3id.org/cyberkg/entity/un".to_owned(),
            label: Some("United \"Nations\"".to_owned()),
            property: schema::TEXT.as_str().to_owned(),
            language: Some("en".to_owned()),
        }
    }

    #[test]
    fn mentions_become_links_by_code_point() {
        let base = "https://w3id.org/cyberkg/";
        let link = "<a class=\"mention\" href=\"/entity/un\" title=\"United &quot;Nations&quot;\">";
        let table: &[(&str, Vec<Mention>, String)] = &[
            (
                "the UN <now>",
                vec![mention(4, 6)],
                format!("the {link}UN</a> &lt;now&gt;"),
            ),
            (
                "联合国和联合国",
                vec![mention(0, 3), mention(4, 7)],
                format!("{link}联合国</a>和{link}联合国</a>"),
            ),
            (
                "UN",
                vec![mention(0, 2), mention(1, 2)],
                format!("{link}UN</a>"),
            ),
            ("UN", vec![mention(0, 3)], "UN".to_owned()),
            ("UN", vec![mention(1, 1)], "UN".to_owned()),
            ("", vec![], String::new()),
        ];
        for (text, mentions, expected) in table {
            assert_eq!(&highlighted(base, text, mentions), expected, "{text}");
        }
    }

    #[test]
    fn the_query_page_escapes_the_query_and_the_answers() {
        let app = app();
        let query = "SELECT (\"</textarea><script>alert(1)</script>\" AS ?x) WHERE {}";
        let reply = app.handle(
            &Request::get(&format!(
                "/query?query={}",
                crate::request::encode_component(query)
            ))
            .with_accept("text/html"),
        );
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(
            page.contains("<td><span>&lt;/textarea&gt;&lt;script&gt;"),
            "{page}"
        );
    }

    #[test]
    fn part_paths_read_as_words() {
        let document = "https://w3id.org/cyberkg/iscc2017/en-un";
        let table = [
            (
                "/chapter-4/section-2/paragraph-2",
                "Chapter IV › Section 2 › Paragraph 2",
            ),
            ("/preface/epigraph", "Preface › Epigraph"),
            ("", "Title"),
        ];
        for (path, expected) in table {
            assert_eq!(part_path(document, &format!("{document}{path}")), expected);
        }
    }

    #[test]
    fn the_paragraph_page_shows_three_versions_with_mentions() {
        let reply = app().handle(
            &Request::get("/iscc2017/zh/chapter-2/section-1/paragraph-3").with_accept("text/html"),
        );
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        for expected in [
            "<a href=\"/iscc2017/en-gov/chapter-2/section-1/paragraph-3\">iscc2017/en-gov</a>",
            "<a href=\"/iscc2017/en-un/chapter-2/section-1/paragraph-3\">iscc2017/en-un</a>",
            "<section class=\"column current\"><h2><a href=\"/iscc2017/zh/chapter-2/section-1/paragraph-3\">iscc2017/zh</a>",
            "<a class=\"mention\" href=\"/entity/cyberterrorism\" title=\"cyberterrorism\">网络恐怖主义</a>",
            "<a class=\"mention\" href=\"/entity/cyberterrorism\" title=\"cyberterrorism\">Cyberterrorism</a> poses a new threat",
        ] {
            assert!(page.contains(expected), "{expected}\n{page}");
        }
        let zh = page.find("iscc2017/zh</a></h2>").expect("Chinese column");
        let gov = page
            .find("iscc2017/en-gov</a></h2>")
            .expect("government column");
        let un = page.find("iscc2017/en-un</a></h2>").expect("UN column");
        assert!(zh < gov && gov < un, "Chinese first, then by identifier");
    }

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

    #[test]
    fn chapter_and_section_pages_list_their_parts() {
        let chapter = app()
            .handle(&Request::get("/iscc2017/en-un/chapter-4").with_accept("text/html"))
            .body_text();
        assert!(
            chapter.contains("<a href=\"/iscc2017/en-un/chapter-4/section-2\">Section 2: "),
            "{chapter}"
        );
        let section = app()
            .handle(&Request::get("/iscc2017/en-un/chapter-4/section-2").with_accept("text/html"))
            .body_text();
        assert!(
            section.contains("<a href=\"/iscc2017/en-un/chapter-4/section-2/paragraph-2\">¶2</a>"),
            "{section}"
        );
        assert!(
            section
                .contains("class=\"mention\" href=\"/entity/shanghai-cooperation-organization\"")
        );
    }
}
