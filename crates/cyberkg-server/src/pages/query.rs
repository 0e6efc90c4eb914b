//! The SPARQL page: the form, and the answer as a table when there is one.

use super::frame::{EXAMPLE_QUERY, page, query_form};
use super::markup::term;
use super::statements;
use crate::app::App;
use crate::evaluate::Answer;
use maud::{Markup, html};

/// What the query page shows.
pub struct QueryPage {
    query: String,
    answer: Option<Answer>,
}

impl QueryPage {
    /// The form alone, with the example query.
    pub fn empty() -> Self {
        Self {
            query: String::new(),
            answer: None,
        }
    }

    /// The form with `query`, and its answer.
    pub fn answered(query: String, answer: Answer) -> Self {
        Self {
            query,
            answer: Some(answer),
        }
    }

    /// The whole page.
    pub fn render(&self, app: &App) -> Markup {
        let base = app.base();
        let query = if self.query.is_empty() {
            EXAMPLE_QUERY
        } else {
            &self.query
        };
        let body = html! {
            h1 { "SPARQL query" }
            (query_form(query))
            @match &self.answer {
                None => {},
                Some(Answer::Boolean(value)) => p #results { "Answer: " strong { (value) } },
                Some(Answer::Solutions { variables, rows }) => {
                    p { (rows.len()) " result" @if rows.len() != 1 { "s" } }
                    table #results {
                        thead { tr { @for variable in variables { th { (variable.as_str()) } } } }
                        tbody {
                            @for row in rows {
                                tr { @for variable in variables {
                                    td { @if let Some(value) = row.get(variable) { (term(base, value)) } }
                                } }
                            }
                        }
                    }
                },
                Some(Answer::Triples(triples)) => {
                    p { (triples.len()) " triple" @if triples.len() != 1 { "s" } }
                    div #results { (statements::table(base, triples)) }
                },
            }
        };
        page("SPARQL query", body)
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::app;
    use crate::{Request, StatusCode};

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
}
