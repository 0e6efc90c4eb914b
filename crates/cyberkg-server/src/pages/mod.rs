//! The HTML pages, one module per page: home, a paragraph beside its
//! versions, where the translations differ, a part (document, chapter, section), an entity, the SPARQL
//! page, the search results, and plain statements. Each page is a plain struct loaded from the
//! store first (`load`), then rendered by a maud template (`render`), so
//! store reads and markup never interleave and escaping is the template
//! engine's.
//!
//! Every page is built from the store on each request, so it always shows
//! what the store holds (also after an update on a `--writable` server).
//! Invariants: every value is interpolated by maud (escaped); lists are in
//! a fixed order (document order, then IRI); a mention whose offsets do not
//! fit its literal, or that overlaps the one before, is left out rather
//! than guessed at.

pub mod differences;
mod entity;
mod frame;
pub mod home;
mod markup;
mod paragraph;
mod part;
pub mod query;
pub mod search;
mod shared;
pub mod statements;

use crate::app::App;
use crate::error::ServeError;
use crate::lookup::Summary;
use ::cyberkg::graph::vocab::{cyberkg, deo, doco};
use maud::{Markup, html};
use oxigraph::model::{NamedNode, Triple};

/// What a resource page is about, chosen by what the resource is.
enum Body {
    Entity(entity::EntityPage),
    Paragraph(paragraph::ParagraphPage),
    Part(part::PartPage),
    /// Anything else: a heading, then the statements.
    Other(String),
}

/// The page of any resource under the base: breadcrumbs, the body its kind
/// calls for, and all its statements; `page` (1-based) is the page of a
/// long list (an entity's mentions).
pub fn resource(
    app: &App,
    resource: &NamedNode,
    triples: &[Triple],
    page: usize,
) -> Result<Markup, ServeError> {
    let summary = Summary::read(&app.store, resource)?;
    let crumbs = shared::crumbs(app, &summary)?;
    let title = shared::label(&summary);
    let body = if summary.is_a(cyberkg::ENTITY) {
        Body::Entity(entity::EntityPage::load(app, &summary, page)?)
    } else if !summary.texts.is_empty() {
        Body::Paragraph(paragraph::ParagraphPage::load(app, &summary)?)
    } else if [
        cyberkg::EDITION,
        cyberkg::COVER_LETTER,
        doco::CHAPTER,
        doco::SECTION,
        doco::PREFACE,
        deo::CONCLUSION,
    ]
    .into_iter()
    .any(|class| summary.is_a(class))
    {
        Body::Part(part::PartPage::load(app, &summary)?)
    } else {
        Body::Other(title.clone())
    };
    let base = app.base();
    let body = html! {
        (shared::render_crumbs(base, &crumbs))
        @match &body {
            Body::Entity(page) => (page.render(base)),
            Body::Paragraph(page) => (page.render(base)),
            Body::Part(page) => (page.render(base)),
            Body::Other(title) => h1 { (title) },
        }
        (statements::section(base, triples))
    };
    Ok(frame::page(&title, body))
}
