//! Statements as a table, subjects grouped and each fragment subject
//! anchored by its fragment (`#text-span`): the "All statements" part of
//! every resource page, the dataset description page, and CONSTRUCT
//! answers in a browser.

use super::frame::page;
use super::markup::term;
use crate::app::App;
use maud::{Markup, html};
use oxigraph::model::{NamedOrBlankNode, Term, Triple};

/// A table of triples.
pub fn table(base: &str, triples: &[Triple]) -> Markup {
    html! {
        table.statements {
            thead { tr { th { "Subject" } th { "Predicate" } th { "Object" } } }
            tbody {
                @for (index, triple) in triples.iter().enumerate() {
                    @let first = index == 0 || triples[index - 1].subject != triple.subject;
                    tr id=[first.then(|| fragment(&triple.subject)).flatten()] {
                        td { @if first { (term(base, &Term::from(triple.subject.clone()))) } }
                        td { (term(base, &triple.predicate.clone().into())) }
                        td { (term(base, &triple.object)) }
                    }
                }
            }
        }
    }
}

/// The fragment of a subject IRI (`text-span` of `…/paragraph-3#text-span`).
fn fragment(subject: &NamedOrBlankNode) -> Option<&str> {
    match subject {
        NamedOrBlankNode::NamedNode(node) => node.as_str().split_once('#').map(|(_, f)| f),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

/// The folded "All statements (N)" section of a resource page.
pub fn section(base: &str, triples: &[Triple]) -> Markup {
    html! {
        details.statements {
            summary { "All statements (" (triples.len()) ")" }
            (table(base, triples))
        }
    }
}

/// A page that only lists statements (the dataset description).
pub struct StatementsPage<'a> {
    title: &'a str,
    triples: &'a [Triple],
}

impl<'a> StatementsPage<'a> {
    /// The page of `triples`, titled `title`.
    pub fn new(title: &'a str, triples: &'a [Triple]) -> Self {
        Self { title, triples }
    }

    /// The whole page.
    pub fn render(&self, app: &App) -> Markup {
        page(
            self.title,
            html! { h1 { (self.title) } (table(app.base(), self.triples)) },
        )
    }
}
