//! The pieces every page template uses: links, terms, literals with their
//! language, text with its mentions marked.
//!
//! Escaping is maud's: every value is interpolated with `(…)` in `html!`,
//! and nothing here writes a tag as a string. Invariant: a link is only
//! ever a server-relative path (for an IRI under the base) or an absolute
//! `http(s)` IRI, never a `javascript:` or other scheme; anything else is
//! shown as text.

use maud::{Markup, html};
use oxigraph::model::{Literal, Term};

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

/// A link to `iri` showing `text`; plain text when `iri` may not be linked.
/// Links off the server carry `rel="noopener noreferrer"`.
pub fn link(base: &str, iri: &str, text: &str) -> Markup {
    match href(base, iri) {
        Some(target) if target.starts_with('/') => html! { a href=(target) { (text) } },
        Some(target) => html! { a href=(target) rel="noopener noreferrer" { (text) } },
        None => html! { (text) },
    }
}

/// Links joined by `separator` (" · ", ", ").
pub fn joined(links: &[Markup], separator: &str) -> Markup {
    html! {
        @for (index, link) in links.iter().enumerate() {
            @if index > 0 { (separator) }
            (link)
        }
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

/// A literal's language in its usual case, for a `lang` attribute (`lang=[language(l)]`).
pub fn language(literal: &Literal) -> Option<String> {
    literal.language().map(bcp47_case)
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

/// A literal's text in a `span` that carries its language.
pub fn literal(literal: &Literal) -> Markup {
    html! { span lang=[language(literal)] { (literal.value()) } }
}

/// A term: IRIs as links (labelled with their short form), literals as text
/// with their language or datatype.
pub fn term(base: &str, term: &Term) -> Markup {
    match term {
        Term::NamedNode(node) => link(base, node.as_str(), &short_iri(base, node.as_str())),
        Term::Literal(value) => html! {
            (literal(value))
            @if let Some(tag) = value.language() {
                " " small.meta { "@" (bcp47_case(tag)) }
            } @else if value.datatype() != oxigraph::model::vocab::xsd::STRING {
                " " small.meta { (short_iri(base, value.datatype().as_str())) }
            }
        },
        // Blank nodes and, with oxigraph's rdf-12 feature, triple terms.
        other => html! { (other.to_string()) },
    }
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

/// A piece of a text: plain, or the words of one mention.
enum Piece<'a> {
    Plain(String),
    Mention(String, &'a Mention),
}

/// `text` cut at its mentions; mentions out of range, empty, or overlapping
/// the previous one are left out rather than guessed at.
fn pieces<'a>(text: &str, mentions: &[&'a Mention]) -> Vec<Piece<'a>> {
    let characters: Vec<char> = text.chars().collect();
    let mut sorted = mentions.to_vec();
    sorted.sort_by_key(|mention| (mention.start, mention.end));
    let mut pieces = Vec::new();
    let mut cursor = 0;
    for mention in sorted {
        if mention.start < cursor || mention.start >= mention.end || mention.end > characters.len()
        {
            continue;
        }
        pieces.push(Piece::Plain(
            characters[cursor..mention.start].iter().collect(),
        ));
        let words = characters[mention.start..mention.end].iter().collect();
        pieces.push(Piece::Mention(words, mention));
        cursor = mention.end;
    }
    pieces.push(Piece::Plain(characters[cursor..].iter().collect()));
    pieces
}

/// `text` with each mention a link to its entity.
pub fn highlighted(base: &str, text: &str, mentions: &[&Mention]) -> Markup {
    html! {
        @for piece in pieces(text, mentions) {
            @match piece {
                Piece::Plain(plain) => (plain),
                Piece::Mention(words, mention) => {
                    a class="mention"
                        href=(href(base, &mention.entity).unwrap_or_default())
                        title=(mention.label.as_deref().unwrap_or(&mention.entity)) { (words) }
                }
            }
        }
    }
}

/// A literal of `property` with the mentions that index it (same property,
/// same language), in a `span` that carries its language.
pub fn literal_with_mentions(
    base: &str,
    literal: &Literal,
    property: &str,
    mentions: &[Mention],
) -> Markup {
    let applicable: Vec<&Mention> = mentions
        .iter()
        .filter(|mention| {
            mention.property == property
                && match (&mention.language, literal.language()) {
                    (Some(wanted), Some(language)) => wanted.eq_ignore_ascii_case(language),
                    (None, _) => true,
                    (Some(_), None) => false,
                }
        })
        .collect();
    html! { span lang=[language(literal)] { (highlighted(base, literal.value(), &applicable)) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_by_the_templates() {
        let hostile = r#"<a href="x" onclick='y'>&amp;</a>"#;
        assert_eq!(
            link(
                "https://w3id.org/cyberkg/",
                "https://example.org/\"><script>",
                hostile
            )
            .into_string(),
            "<a href=\"https://example.org/&quot;&gt;&lt;script&gt;\" rel=\"noopener noreferrer\">&lt;a href=&quot;x&quot; onclick='y'&gt;&amp;amp;&lt;/a&gt;</a>"
        );
        assert_eq!(html! { ("网络空间") }.into_string(), "网络空间");
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
        assert_eq!(
            link(base, "javascript:alert(1)", "<x>").into_string(),
            "&lt;x&gt;"
        );
        assert_eq!(
            link(base, "https://w3id.org/cyberkg/a\"b", "t").into_string(),
            "<a href=\"/a&quot;b\">t</a>"
        );
    }

    #[test]
    fn literals_show_their_language_in_bcp47_case() {
        let literal = Literal::new_language_tagged_literal_unchecked("网络<空间>", "zh-hans");
        assert_eq!(
            term("https://w3id.org/cyberkg/", &literal.into()).into_string(),
            "<span lang=\"zh-Hans\">网络&lt;空间&gt;</span> <small class=\"meta\">@zh-Hans</small>"
        );
        assert_eq!(bcp47_case("en-us"), "en-US");
    }

    fn mention(start: usize, end: usize) -> Mention {
        Mention {
            start,
            end,
            entity: "https://w3id.org/cyberkg/entity/un".to_owned(),
            label: Some("United \"Nations\"".to_owned()),
            property: "http://schema.org/text".to_owned(),
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
            let mentions: Vec<&Mention> = mentions.iter().collect();
            assert_eq!(
                &highlighted(base, text, &mentions).into_string(),
                expected,
                "{text}"
            );
        }
    }
}
