//! `/differences`: where two translations of one original differ most in
//! wording, lowest word similarity first, each pair with its word-level
//! diff: words only in the first translation struck through (`del`), words
//! only in the second underlined (`ins`).
//!
//! The similarity is the graph's (`cyberkg:wordSimilarity` of each
//! `cyberkg:TranslationComparison`); the diff is recomputed from the two
//! texts by the function that computed it, `cyberkg::compare::compare`, so
//! page and graph cannot disagree.

use super::frame::page;
use super::shared::{Named, PathLabels};
use crate::app::App;
use crate::error::{HandlerResult, HttpError, ServeError};
use crate::lookup;
use crate::request::{Reply, Request};
use ::cyberkg::compare::{Comparison, Side, compare};
use maud::{Markup, html};
use oxigraph::model::NamedNode;

/// At most this many pairs on the page, the least alike first.
const SHOWN: usize = 50;

/// One translated part of a pair, named by its edition's identifier.
struct Translated {
    part: Named,
    text: String,
}

/// One pair of translations of one original part.
struct Pair {
    original: Named,
    similarity: String,
    first: Translated,
    second: Translated,
    comparison: Comparison,
}

/// What the page shows.
pub struct DifferencesPage {
    pairs: Vec<Pair>,
    comparisons: usize,
}

/// `/differences`.
pub fn handler(app: &App, request: &Request) -> HandlerResult {
    if !request.method.is_read() {
        return Err(HttpError::method_not_allowed(
            "/differences",
            "GET and HEAD",
        ));
    }
    Ok(Reply::page(page(
        "Where the translations differ",
        DifferencesPage::load(app)?.render(app.base()),
    )))
}

impl DifferencesPage {
    /// The [`SHOWN`] least alike pairs, and how many comparisons there are.
    pub fn load(app: &App) -> Result<Self, ServeError> {
        let rows = lookup::select(
            &app.store,
            "SELECT ?original ?document ?similarity ?first ?firstText ?firstEdition ?second ?secondText ?secondEdition WHERE {
               ?comparison a cyberkg:TranslationComparison ;
                 cyberkg:comparisonOf ?original ;
                 cyberkg:wordSimilarity ?similarity ;
                 cyberkg:comparedTranslation ?first , ?second .
               FILTER (STR(?first) < STR(?second))
               ?original cyberkg:inEdition ?document .
               ?first schema:text ?firstText ; cyberkg:inEdition/dcterms:identifier ?firstEdition .
               ?second schema:text ?secondText ; cyberkg:inEdition/dcterms:identifier ?secondEdition .
             } ORDER BY ?similarity ?original ?first",
            None,
        )?;
        let mut paths = PathLabels::new(app);
        let mut pairs = Vec::new();
        for row in rows.iter().take(SHOWN) {
            let (Some(original), Some(document), Some(similarity)) = (
                lookup::iri(row, "original"),
                lookup::iri(row, "document"),
                lookup::text(row, "similarity"),
            ) else {
                continue;
            };
            let side = |part: &str, text: &str, edition: &str| -> Option<Translated> {
                let (Some(part), Some(text), Some(edition)) = (
                    lookup::iri(row, part),
                    lookup::text(row, text),
                    lookup::text(row, edition),
                ) else {
                    return None;
                };
                Some(Translated {
                    part: Named::new(part, edition),
                    text,
                })
            };
            let (Some(first), Some(second)) = (
                side("first", "firstText", "firstEdition"),
                side("second", "secondText", "secondEdition"),
            ) else {
                continue;
            };
            let label = paths.label(&NamedNode::new_unchecked(original.clone()), &document)?;
            pairs.push(Pair {
                comparison: compare(&first.text, &second.text),
                original: Named::new(original, label),
                similarity,
                first,
                second,
            });
        }
        Ok(Self {
            pairs,
            comparisons: rows.len(),
        })
    }

    /// The page's body.
    pub fn render(&self, base: &str) -> Markup {
        html! {
            h1 { "Where the translations differ" }
            p {
                "Pairs of translations of one part of an original, the least alike in wording first: "
                "the word similarity is the share of their words (case-folded, with punctuation) that a longest common subsequence matches. "
                "Words only in the first translation are struck through, words only in the second underlined. "
                (self.comparisons) " comparison" @if self.comparisons != 1 { "s" } " in the graph"
                @if self.comparisons > self.pairs.len() { ", the first " (self.pairs.len()) " shown" }
                "."
            }
            @for pair in &self.pairs {
                section.difference {
                    h2 { (pair.original.link(base)) " " small.meta { "similarity " (pair.similarity) } }
                    table {
                        thead { tr {
                            th { (pair.first.part.link(base)) }
                            th { (pair.second.part.link(base)) }
                        } }
                        tbody { tr {
                            td lang="en" { (marked(&pair.first.text, &pair.comparison, Side::First)) }
                            td lang="en" { (marked(&pair.second.text, &pair.comparison, Side::Second)) }
                        } }
                    }
                }
            }
        }
    }
}

/// `text` with the words only it has marked: `del` in the first, `ins` in
/// the second; what lies between the changes (spaces) as it is.
fn marked(text: &str, comparison: &Comparison, side: Side) -> Markup {
    let pieces = comparison.pieces(side, text.len());
    html! {
        @for (range, own) in pieces {
            @let words = &text[range];
            @if own {
                @match side {
                    Side::First => del { (words) },
                    Side::Second => ins { (words) },
                }
            } @else {
                (words)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::app;
    use crate::{Request, StatusCode};

    #[test]
    fn the_least_alike_pair_comes_first_with_its_words_marked() {
        let reply = app().handle(&Request::get("/differences").with_accept("text/html"));
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        assert!(page.contains("25 comparisons in the graph."), "{page}");
        let first = &page[page.find("<section class=\"difference\">").unwrap_or(0)..];
        let first = &first[..first.find("</section>").unwrap_or(first.len())];
        // Chapter III, section 6, paragraph 1: the government's "important
        // carrier to spread mankind's fine cultures", the UN's "important
        // medium for disseminating the high points of our shared culture".
        for expected in [
            "<a href=\"/iscc2017/zh/chapter-3/section-6/paragraph-1\">Chapter III › Section 6 › Paragraph 1</a>",
            "similarity 0.3669",
            "<del>carrier to spread mankind's fine cultures</del>",
            "<ins>medium for disseminating the high points of our shared culture</ins>",
        ] {
            assert!(first.contains(expected), "{expected}\n{first}");
        }
        let head = app().handle(&Request::new(crate::Method::Post, "/differences"));
        assert_eq!(head.status, StatusCode::METHOD_NOT_ALLOWED);
    }
}
