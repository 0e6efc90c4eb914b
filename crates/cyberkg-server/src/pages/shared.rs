//! What several pages load the same way, and render the same way: how a
//! node is named, the outline of a document, the breadcrumbs above a part,
//! the aligned versions of a part, the mentions in a part.
//!
//! Invariants: lists are in a fixed order (document order, then IRI); a
//! chain of `dcterms:isPartOf` is followed at most [`MAX_DEPTH`] steps.

use super::markup::{self, Mention, link};
use crate::app::App;
use crate::error::ServeError;
use crate::lookup::{self, PREFERENCE, Summary, preferred};
use ::cyberkg::graph::vocab::{cyberkg, deo, doco, schema};
use ::cyberkg::numerals::to_roman;
use maud::{Markup, html};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef};
use std::collections::BTreeSet;

/// How deep a chain of `dcterms:isPartOf` may go before the pages stop following it.
pub const MAX_DEPTH: usize = 16;

/// A node and the words a page shows for it: the data of one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The node's IRI.
    pub iri: String,
    /// What the link says.
    pub label: String,
}

impl Named {
    /// `summary`, named by [`label`].
    pub fn of(summary: &Summary) -> Self {
        Self::new(summary.iri.as_str(), label(summary))
    }

    /// `iri`, named `label`.
    pub fn new(iri: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            iri: iri.into(),
            label: label.into(),
        }
    }

    /// The link to the node.
    pub fn link(&self, base: &str) -> Markup {
        link(base, &self.iri, &self.label)
    }
}

/// Links to `named`, joined by `separator`.
pub fn links(base: &str, named: &[Named], separator: &str) -> Markup {
    let links: Vec<Markup> = named.iter().map(|named| named.link(base)).collect();
    markup::joined(&links, separator)
}

/// How a node is named on a page: "Chapter II: Basic principles", "Paragraph 3", a title, an identifier.
pub fn label(summary: &Summary) -> String {
    let title = summary.title().map(|t| t.value().to_owned());
    let numbered = |kind: &str, number: String| match &title {
        Some(title) => format!("{kind} {number}: {title}"),
        None => format!("{kind} {number}"),
    };
    match summary.position {
        Some(position) if summary.is_a(doco::CHAPTER) => numbered("Chapter", to_roman(position)),
        Some(position) if summary.is_a(doco::SECTION) => numbered("Section", position.to_string()),
        Some(position) if summary.is_a(doco::PARAGRAPH) => format!("Paragraph {position}"),
        _ => title
            .or_else(|| summary.identifier.clone())
            .unwrap_or_else(|| summary.iri.as_str().to_owned()),
    }
}

/// The summaries of `nodes`.
pub fn summaries(app: &App, nodes: &[NamedNode]) -> Result<Vec<Summary>, ServeError> {
    nodes
        .iter()
        .map(|node| Summary::read(&app.store, node))
        .collect()
}

/// The parts of `parent` in reading order.
pub fn children(app: &App, parent: &NamedNode) -> Result<Vec<Summary>, ServeError> {
    let parts = lookup::object_iris(
        &app.store,
        parent,
        ::cyberkg::graph::vocab::dcterms::HAS_PART,
    )?;
    let mut children = summaries(app, &parts)?;
    children.sort_by_cached_key(|child| (child.order, child.position, child.iri.clone()));
    Ok(children)
}

/// One top-level part of a document, with the sections of a chapter.
#[derive(Debug, Clone)]
pub struct OutlineEntry {
    /// The part.
    pub part: Named,
    /// Its sections.
    pub sections: Vec<Named>,
}

/// A document's outline: its top-level parts (not its paragraphs), and the sections of each.
pub fn outline(app: &App, document: &Summary) -> Result<Vec<OutlineEntry>, ServeError> {
    let mut entries = Vec::new();
    for part in children(app, &document.iri)? {
        if !part.texts.is_empty() {
            continue;
        }
        let sections = children(app, &part.iri)?
            .iter()
            .filter(|child| child.is_a(doco::SECTION))
            .map(Named::of)
            .collect();
        entries.push(OutlineEntry {
            part: Named::of(&part),
            sections,
        });
    }
    Ok(entries)
}

/// An outline as nested lists.
pub fn render_outline(base: &str, outline: &[OutlineEntry]) -> Markup {
    html! {
        ol.outline {
            @for entry in outline {
                li {
                    (entry.part.link(base))
                    @if !entry.sections.is_empty() {
                        ol { @for section in &entry.sections { li { (section.link(base)) } } }
                    }
                }
            }
        }
    }
}

/// The chain of `dcterms:isPartOf` from `start` upward, innermost first,
/// stopping before `stop` (if given) and after [`MAX_DEPTH`] steps: the one
/// walk up a document that the crumbs and the part paths share.
fn chain_up(
    app: &App,
    start: Option<NamedNode>,
    stop: Option<&str>,
) -> Result<Vec<Summary>, ServeError> {
    let mut chain = Vec::new();
    let mut next = start;
    while let Some(node) = next {
        if chain.len() >= MAX_DEPTH || stop == Some(node.as_str()) {
            break;
        }
        let summary = Summary::read(&app.store, &node)?;
        next = summary.parent.clone();
        chain.push(summary);
    }
    Ok(chain)
}

/// The chain of `dcterms:isPartOf` above a node, outermost first.
pub fn crumbs(app: &App, summary: &Summary) -> Result<Vec<Named>, ServeError> {
    let chain = chain_up(app, summary.parent.clone(), None)?;
    Ok(chain.iter().rev().map(Named::of).collect())
}

/// The breadcrumbs: "Edition › Chapter IV › Section 2 ›".
pub fn render_crumbs(base: &str, crumbs: &[Named]) -> Markup {
    html! {
        @if !crumbs.is_empty() {
            nav.crumbs { (links(base, crumbs, " › ")) " ›" }
        }
    }
}

/// The mentions whose source is `part`, by start.
pub fn mentions_in(app: &App, part: &NamedNode) -> Result<Vec<Mention>, ServeError> {
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

/// The aligned versions of a part (`schema:translationOfWork` / `schema:workTranslation`), without the part.
pub fn aligned(app: &App, summary: &Summary) -> Result<Vec<Summary>, ServeError> {
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
    summaries(app, &versions.into_iter().collect::<Vec<_>>())
}

/// The identifier of a part's edition (`iscc2017/en-un`), or of the document itself.
pub fn edition_name(app: &App, summary: &Summary) -> Result<String, ServeError> {
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

/// Whether a node's text (or title) is Chinese: versions show the original first.
pub fn is_chinese(summary: &Summary) -> bool {
    preferred(&summary.texts, PREFERENCE)
        .or_else(|| summary.title())
        .and_then(Literal::language)
        .is_some_and(|language| language.starts_with("zh"))
}

/// The parts that are named by what they are, and the word for each.
const PART_WORDS: [(NamedNodeRef<'static>, &str); 4] = [
    (doco::PREFACE, "Preface"),
    (deo::CONCLUSION, "Conclusion"),
    (cyberkg::EPIGRAPH, "Epigraph"),
    (cyberkg::SIGNATURE, "Signature"),
];

/// A part named by its kind and number alone ("Chapter IV", "Section 2",
/// "Paragraph 2", "Preface"), without its title.
fn step_label(summary: &Summary) -> String {
    let numbered = [
        (doco::CHAPTER, "Chapter"),
        (doco::SECTION, "Section"),
        (doco::PARAGRAPH, "Paragraph"),
    ];
    if let Some(position) = summary.position
        && let Some((class, word)) = numbered.iter().find(|(class, _)| summary.is_a(*class))
    {
        return if *class == doco::CHAPTER {
            format!("{word} {}", to_roman(position))
        } else {
            format!("{word} {position}")
        };
    }
    PART_WORDS
        .iter()
        .find(|(class, _)| summary.is_a(*class))
        .map_or_else(|| label(summary), |(_, word)| (*word).to_owned())
}

/// Where parts sit in their documents, read from the graph (each part's
/// `dcterms:isPartOf` chain up to its document, each step by
/// [`step_label`]): "Chapter IV › Section 2 › Paragraph 2"; "Title" for the
/// document itself. For the parts of one page: each step of a chain (a
/// chapter, a section) is read once however many of the parts sit under
/// it, and only the triples a step label needs are read
/// ([`Summary::read_outline`]: not a paragraph's text).
pub struct PathLabels<'a> {
    app: &'a App,
    steps: std::collections::HashMap<NamedNode, (String, Option<NamedNode>)>,
}

impl<'a> PathLabels<'a> {
    /// No step read yet.
    pub fn new(app: &'a App) -> Self {
        Self {
            app,
            steps: std::collections::HashMap::new(),
        }
    }

    /// The path of `part` in `document`.
    pub fn label(&mut self, part: &NamedNode, document: &str) -> Result<String, ServeError> {
        if part.as_str() == document {
            return Ok("Title".to_owned());
        }
        let mut steps = Vec::new();
        let mut next = Some(part.clone());
        while let Some(node) = next {
            if steps.len() >= MAX_DEPTH || node.as_str() == document {
                break;
            }
            let (label, parent) = match self.steps.get(&node) {
                Some(step) => step.clone(),
                None => {
                    let summary = Summary::read_outline(&self.app.store, &node)?;
                    let step = (step_label(&summary), summary.parent.clone());
                    self.steps.insert(node, step.clone());
                    step
                }
            };
            steps.push(label);
            next = parent;
        }
        steps.reverse();
        Ok(steps.join(" › "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::app;

    #[test]
    fn part_paths_read_as_words_from_the_graph() {
        let app = app();
        let document = "https://w3id.org/cyberkg/iscc2017/en-un";
        let table = [
            (
                "/chapter-4/section-2/paragraph-2",
                "Chapter IV › Section 2 › Paragraph 2",
            ),
            ("/preface/epigraph", "Preface › Epigraph"),
            ("/conclusion", "Conclusion"),
            ("", "Title"),
        ];
        for (path, expected) in table {
            let part = NamedNode::new_unchecked(format!("{document}{path}"));
            assert_eq!(
                PathLabels::new(&app).label(&part, document).expect("reads"),
                expected,
                "{path}"
            );
        }
        let letter = "https://w3id.org/cyberkg/iscc2017/un-letter";
        let signature = NamedNode::new_unchecked(format!("{letter}/signature"));
        assert_eq!(
            PathLabels::new(&app)
                .label(&signature, letter)
                .expect("reads"),
            "Signature"
        );
    }
}
