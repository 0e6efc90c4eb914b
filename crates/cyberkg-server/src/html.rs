//! HTML building blocks: escaping, links, terms, the page frame.
//!
//! Pages are strings built on the server, with a little inline CSS and no
//! script, font, image or style sheet from anywhere. Invariant: every string
//! that comes from the graph or the request passes through [`escape`] (text
//! and attribute values alike), and a link is only ever a server-relative
//! path (for an IRI under the base) or an absolute `http(s)` IRI, never a
//! `javascript:` or other scheme.

use oxigraph::model::{Literal, Term};
use std::fmt::Write;

/// Escapes text for HTML text and (double- or single-quoted) attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Where a link to `iri` points: the server-relative path of an IRI under
/// `base` (`<base>X#f` → `/X#f`), the IRI itself for another `http(s)` IRI,
/// and nothing for any other scheme.
pub fn href(base: &str, iri: &str) -> Option<String> {
    if let Some(rest) = iri.strip_prefix(base) {
        return Some(format!("/{rest}"));
    }
    let lower = iri.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| iri.to_owned())
}

/// A link to `iri` showing `text` (escaped here); plain text when `iri` may not be linked.
pub fn link(base: &str, iri: &str, text: &str) -> String {
    match href(base, iri) {
        Some(target) if target.starts_with('/') => {
            format!("<a href=\"{}\">{}</a>", escape(&target), escape(text))
        }
        Some(target) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            escape(&target),
            escape(text)
        ),
        None => escape(text),
    }
}

/// An IRI shortened for display: the path under the base, or a known prefix.
pub fn short_iri(base: &str, iri: &str) -> String {
    if let Some(rest) = iri.strip_prefix(base)
        && !rest.is_empty()
    {
        return rest.to_owned();
    }
    ::cyberkg::graph::vocab::compact(iri).unwrap_or_else(|| iri.to_owned())
}

/// The `lang` attribute (with a leading space) for a literal's language, if it has one.
pub fn lang_attribute(literal: &Literal) -> String {
    match literal.language() {
        Some(language) => format!(" lang=\"{}\"", escape(&bcp47_case(language))),
        None => String::new(),
    }
}

/// A language tag in its usual case (`zh-hans` → `zh-Hans`), as Oxigraph stores them in lower case.
pub fn bcp47_case(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(index, subtag)| match (index, subtag.len()) {
            (0, _) => subtag.to_ascii_lowercase(),
            (_, 4) => {
                let mut chars = subtag.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
                })
            }
            (_, 2) => subtag.to_ascii_uppercase(),
            _ => subtag.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A term as HTML: IRIs as links (labelled with their short form), literals
/// as text with their language or datatype.
pub fn term(base: &str, term: &Term) -> String {
    match term {
        Term::NamedNode(node) => link(base, node.as_str(), &short_iri(base, node.as_str())),
        Term::Literal(literal) => {
            let mut html = format!(
                "<span{}>{}</span>",
                lang_attribute(literal),
                escape(literal.value())
            );
            if let Some(language) = literal.language() {
                let _ = write!(
                    html,
                    " <small class=\"meta\">@{}</small>",
                    escape(&bcp47_case(language))
                );
            } else if literal.datatype() != oxigraph::model::vocab::xsd::STRING {
                let _ = write!(
                    html,
                    " <small class=\"meta\">{}</small>",
                    escape(&short_iri(base, literal.datatype().as_str()))
                );
            }
            html
        }
        // `allow`, not `expect`: the arm covers triple terms exactly when a
        // dependency turns on oxigraph's rdf-12 feature.
        #[allow(
            unreachable_patterns,
            reason = "blank nodes and, with RDF 1.2, triple terms"
        )]
        other => escape(&other.to_string()),
    }
}

pub use cyberkg::numerals::to_roman as roman;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.5;margin:0 auto;max-width:72rem;padding:0 1rem 3rem;color:#1b1b1b}\
header{border-bottom:1px solid #ccc;margin-bottom:1rem;padding:.5rem 0}\
header a{margin-right:1rem}\
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
code{font-family:ui-monospace,monospace}";

/// A whole page: the frame (navigation, style) around `body`, which must already be HTML.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title} · cyberkg</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
<header><a href=\"/\">Home</a><a href=\"/#query\">SPARQL</a><a href=\"/.well-known/void\">Dataset description</a><a href=\"/store\">Download (N-Quads)</a></header>\n\
<main>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title)
    )
}

/// The SPARQL form, pre-filled with `query`; it sends the query to `/query` by GET.
pub fn query_form(query: &str) -> String {
    format!(
        "<form action=\"/query\" method=\"get\" id=\"query-form\">\n\
<textarea name=\"query\" rows=\"10\" spellcheck=\"false\" aria-label=\"SPARQL query\">{}</textarea>\n\
<p><button type=\"submit\">Run query</button> <span class=\"meta\">The prefixes {} are predeclared; the default graph is the union of all graphs.</span></p>\n\
</form>",
        escape(query),
        escape(
            &cyberkg::graph::vocab::PREFIXES
                .iter()
                .map(|(prefix, _)| format!("{prefix}:"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(escape("网络空间"), "网络空间");
    }

    #[test]
    fn links_are_relative_under_the_base_and_never_scripts() {
        let base = "https://w3id.org/cyberkg/";
        let table = [
            (
                "https://w3id.org/cyberkg/iscc2017/en-un/chapter-4",
                Some("/iscc2017/en-un/chapter-4"),
            ),
            (
                "https://w3id.org/cyberkg/iscc2017/zh/preface#text-span",
                Some("/iscc2017/zh/preface#text-span"),
            ),
            (
                "http://www.wikidata.org/entity/Q485207",
                Some("http://www.wikidata.org/entity/Q485207"),
            ),
            ("javascript:alert(1)", None),
            ("urn:isbn:123", None),
        ];
        for (iri, expected) in table {
            assert_eq!(href(base, iri).as_deref(), expected, "{iri}");
        }
        assert_eq!(link(base, "javascript:alert(1)", "<x>"), "&lt;x&gt;");
        assert_eq!(
            link(base, "https://w3id.org/cyberkg/a\"b", "t"),
            "<a href=\"/a&quot;b\">t</a>"
        );
    }

    #[test]
    fn literals_show_their_language_in_bcp47_case() {
        let literal = Literal::new_language_tagged_literal_unchecked("网络<空间>", "zh-hans");
        assert_eq!(
            term("https://w3id.org/cyberkg/", &literal.into()),
            "<span lang=\"zh-Hans\">网络&lt;空间&gt;</span> <small class=\"meta\">@zh-Hans</small>"
        );
        assert_eq!(bcp47_case("en-us"), "en-US");
    }
}
