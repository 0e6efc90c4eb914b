//! The frame around every page (head, style, navigation) and the SPARQL
//! form that the home and query pages share.
//!
//! Pages carry a little inline CSS and nothing else: no script, font,
//! image or style sheet from anywhere (the sentence rows of the paragraph
//! page highlight counterparts with CSS alone).

use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The style of every page (a constant, never built from data).
const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;margin:0 auto;max-width:72rem;padding:0 1rem 3rem;color:#1b1b1b}\
header{border-bottom:1px solid #ccc;margin-bottom:1rem;padding:.5rem 0}\
header a{margin-right:1rem}\
header form{display:inline;float:right}\
mark{background:#fff3bf}\
ol.hits li{margin-bottom:.8rem}\
a{color:#0b5394}\
h1{font-size:1.6rem;margin:.8rem 0 .3rem}\
h2{font-size:1.25rem;margin-top:1.6rem}\
.meta{color:#666}\
.crumbs{color:#666;font-size:.9rem}\
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}\
.column{border:1px solid #ddd;border-radius:4px;padding:.5rem 1rem}\
.column.current{border-color:#0b5394;box-shadow:0 0 0 1px #0b5394}\
a.mention{background:#fff3bf;color:inherit;text-decoration:none;border-bottom:2px solid #e0a800}\
a.mention:hover{background:#ffe066}\
table{border-collapse:collapse;margin:.5rem 0}\
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#f4f4f4}\
textarea{width:100%;font-family:ui-monospace,monospace;font-size:.9rem}\
ol.outline,ol.outline ol{padding-left:1.2rem}\
blockquote{margin:.3rem 0 .8rem;padding-left:.8rem;border-left:3px solid #ddd}\
code{font-family:ui-monospace,monospace}\
table.sentences{width:100%;table-layout:fixed}\
.sentence{border-radius:3px;outline:none}\
table.sentences tr:hover .sentence,table.sentences tr:focus-within .sentence{background:#dbe9f7}\
table.sentences tr .sentence:hover,table.sentences tr .sentence:focus{background:#ffe066}";

/// The query the forms start with.
pub const EXAMPLE_QUERY: &str = "SELECT ?n ?title WHERE {
  ?chapter a doco:Chapter ;
     cyberkg:inEdition/dcterms:identifier \"iscc2017/en-un\" ;
     schema:position ?n ;
     dcterms:title ?title
} ORDER BY ?n";

/// A whole page: the frame (navigation, style) around `body`.
pub fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · cyberkg" }
                // The constant above: CSS must not be HTML-escaped (`'Segoe UI'`).
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    a href="/" { "Home" }
                    a href="/#query" { "SPARQL" }
                    a href="/differences" { "Where the translations differ" }
                    a href="/.well-known/void" { "Dataset description" }
                    a href="/store" { "Download (N-Quads)" }
                    (search_box())
                }
                main { (body) }
            }
        }
    }
}

/// The search box of every page's header: the words go to `/search`.
fn search_box() -> Markup {
    html! {
        form action="/search" method="get" role="search" {
            input type="search" name="q" placeholder="网络主权 / sovereignty" aria-label="Search the text";
            " "
            button type="submit" { "Search" }
        }
    }
}

/// The search page's form, pre-filled with the words and filters.
pub fn search_form(words: &str, language: Option<&str>, edition: Option<&str>) -> Markup {
    html! {
        form action="/search" method="get" id="search-form" {
            input type="search" name="q" value=(words) size="40" aria-label="Words to search for";
            " "
            select name="language" aria-label="Language" {
                option value="" selected[language.is_none()] { "any language" }
                option value="zh" selected[language == Some("zh")] { "中文" }
                option value="en" selected[language == Some("en")] { "English" }
            }
            " "
            input type="text" name="edition" value=(edition.unwrap_or_default()) size="12" placeholder="edition (en-un)" aria-label="Edition";
            " "
            button type="submit" { "Search" }
            p.meta {
                "Chinese in either script (Traditional is folded to Simplified), English by word stem (Snowball English); every word must occur. In SPARQL: "
                code { "SERVICE <https://w3id.org/cyberkg/search> { ?hit cyberkg:matches \"…\" ; cyberkg:score ?score }" }
            }
        }
    }
}

/// The SPARQL form, pre-filled with `query`; it sends the query to `/query` by GET.
pub fn query_form(query: &str) -> Markup {
    let prefixes = cyberkg::graph::vocab::PREFIXES
        .iter()
        .map(|(prefix, _)| format!("{prefix}:"))
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        form action="/query" method="get" id="query-form" {
            textarea name="query" rows="10" spellcheck="false" aria-label="SPARQL query" { (query) }
            p {
                button type="submit" { "Run query" }
                " "
                span.meta {
                    "The prefixes " (prefixes)
                    " are predeclared; the default graph is the union of all graphs."
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_escapes_the_title_and_keeps_the_style() {
        let page = page("<b>&", html! { p { "body" } }).into_string();
        assert!(
            page.starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "{page}"
        );
        assert!(
            page.contains("<title>&lt;b&gt;&amp; · cyberkg</title>"),
            "{page}"
        );
        assert!(page.contains("'Segoe UI'"), "{page}");
        assert!(page.contains("<main><p>body</p></main>"), "{page}");
    }

    #[test]
    fn the_form_escapes_the_query() {
        let form = query_form("</textarea><script>").into_string();
        assert!(
            form.contains(">&lt;/textarea&gt;&lt;script&gt;</textarea>"),
            "{form}"
        );
        assert!(form.starts_with("<form action=\"/query\" method=\"get\" id=\"query-form\">"));
    }
}
