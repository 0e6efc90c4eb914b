//! `/search?q=…[&language=zh|en][&edition=ID]`: the results page of the
//! full-text search, each hit's snippet linking to the page of its part,
//! where a paragraph stands beside its versions. The path is the search
//! service's own IRI under the default base, so the service dereferences
//! to its page.
//!
//! The search runs on the server's in-process index of its store
//! (`cyberkg::search::Search`, built at the first search, rebuilt after an
//! update), not in a SPARQL worker: it reads no more than the index.

use super::frame::{page, search_form};
use super::markup;
use crate::app::App;
use crate::error::{HandlerResult, HttpError};
use crate::request::{Reply, Request};
use ::cyberkg::search::{Hit, Language, SearchError, SearchRequest, StoreSearchError};
use maud::{Markup, html};

/// How many hits the page shows.
const HITS_PER_PAGE: usize = 50;

/// What the results page shows.
pub struct SearchPage {
    words: String,
    language: Option<Language>,
    edition: Option<String>,
    /// `None` before a search (no words yet).
    hits: Option<Vec<Hit>>,
}

/// `/search`.
pub fn handler(app: &App, request: &Request) -> HandlerResult {
    if !request.method.is_read() {
        return Err(HttpError::method_not_allowed("/search", "GET and HEAD"));
    }
    Ok(Reply::page(
        SearchPage::load(app, request)?.render(app.base()),
    ))
}

impl SearchPage {
    /// Reads the parameters and searches.
    pub fn load(app: &App, request: &Request) -> Result<Self, HttpError> {
        let mut words = String::new();
        let mut language = None;
        let mut edition = None;
        for (name, value) in request.parameters() {
            match name.as_str() {
                "q" => words = value,
                "language" => {
                    language = match value.as_str() {
                        "" => None,
                        "zh" => Some(Language::Chinese),
                        "en" => Some(Language::English),
                        other => {
                            return Err(HttpError::bad_request(format!(
                                "unknown language '{other}' for language=; expected zh or en"
                            )));
                        }
                    }
                }
                "edition" if !value.is_empty() => edition = Some(value),
                _ => {}
            }
        }
        let mut found = Self {
            words,
            language,
            edition,
            hits: None,
        };
        if found.words.trim().is_empty() {
            return Ok(found);
        }
        let search = app
            .config
            .services
            .search()
            .ok_or_else(|| HttpError::internal("this server has no full-text search"))?;
        let hits = search
            .search(&SearchRequest {
                text: found.words.clone(),
                language: found.language,
                edition: found.edition.clone(),
                limit: HITS_PER_PAGE,
            })
            .or_else(|error| match error {
                // Punctuation only: nothing to search for, no hit.
                StoreSearchError::Search(SearchError::EmptyQuery { .. }) => Ok(Vec::new()),
                StoreSearchError::Search(refused @ SearchError::UnknownEdition { .. }) => {
                    Err(HttpError::bad_request(refused.to_string()))
                }
                other => Err(HttpError::internal(other.to_string())),
            })?;
        found.hits = Some(hits);
        Ok(found)
    }

    /// The page.
    pub fn render(&self, base: &str) -> Markup {
        let language = self.language.map(Language::code);
        let body = html! {
            h1 { "Search" }
            (search_form(&self.words, language, self.edition.as_deref()))
            @if let Some(hits) = &self.hits {
                p.meta {
                    (hits.len()) " hit" @if hits.len() != 1 { "s" }
                    @if hits.len() == HITS_PER_PAGE { " (the best " (HITS_PER_PAGE) ")" }
                    " for “" (self.words) "”"
                }
                ol.hits {
                    @for hit in hits {
                        li {
                            (markup::link(base, &hit.iri, &place(hit)))
                            " "
                            span.meta { "score " (format!("{:.2}", hit.score)) }
                            br;
                            span lang=(hit.language.code()) { (snippet(hit)) }
                        }
                    }
                }
            }
        };
        page("Search", body)
    }
}

/// Where a hit is: its edition, then chapter, section and paragraph.
fn place(hit: &Hit) -> String {
    let mut place = hit.edition.clone();
    for (label, number) in [
        ("chapter", hit.place.chapter),
        ("section", hit.place.section),
        ("paragraph", hit.place.paragraph),
    ] {
        if let Some(number) = number {
            place.push_str(&format!(" · {label} {number}"));
        }
    }
    if hit.kind.name() == "heading" {
        place.push_str(" · heading");
    }
    place
}

/// The snippet with each matched word in a `mark` element.
fn snippet(hit: &Hit) -> Markup {
    let characters: Vec<char> = hit.snippet.text.chars().collect();
    let piece = |from: usize, to: usize| -> String {
        characters
            .get(from.min(characters.len())..to.min(characters.len()))
            .map(|slice| slice.iter().collect())
            .unwrap_or_default()
    };
    let mut pieces = Vec::new();
    let mut at = 0;
    for &(start, end) in &hit.snippet.marks {
        pieces.push((piece(at, start), false));
        pieces.push((piece(start, end), true));
        at = end;
    }
    pieces.push((piece(at, characters.len()), false));
    html! {
        @for (text, marked) in &pieces {
            @if *marked { mark { (text) } } @else { (text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::app;

    fn page_of(target: &str) -> (u16, String) {
        let reply = app().handle(&Request::get(target));
        (reply.status.as_u16(), reply.body_text())
    }

    #[test]
    fn a_traditional_query_lists_the_simplified_paragraphs_with_marks_and_links() {
        let (status, page) = page_of("/search?q=%E4%B8%BB%E6%AC%8A&edition=zh");
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("<mark>主权</mark>"), "{page}");
        assert!(
            page.contains("<a href=\"/iscc2017/zh/chapter-2/section-2/paragraph-2\">"),
            "{page}"
        );
        assert!(
            page.contains("value=\"主權\""),
            "the form keeps the words: {page}"
        );
    }

    #[test]
    fn no_words_is_the_form_and_bad_parameters_are_one_line() {
        let (status, page) = page_of("/search");
        assert_eq!(status, 200);
        assert!(page.contains("<form action=\"/search\""), "{page}");
        assert!(!page.contains("<ol class=\"hits\">"), "{page}");
        let (status, message) = page_of("/search?q=x&edition=fr");
        assert_eq!(status, 400);
        assert!(
            message.starts_with("unknown edition 'fr'; the editions are "),
            "{message}"
        );
        assert_eq!(message.lines().count(), 1);
        let (status, message) = page_of("/search?q=x&language=fr");
        assert_eq!(
            (status, message.as_str()),
            (
                400,
                "unknown language 'fr' for language=; expected zh or en\n"
            )
        );
    }
}
