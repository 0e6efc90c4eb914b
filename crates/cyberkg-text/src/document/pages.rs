//! Pages of one document: several source files that are one edition.
//!
//! A long web article is often saved page by page: the built-in parallel
//! text is one page (Chapters II-III) of an article that also has the
//! Preface, Chapters I and IV and the Conclusion. The corpus collector gives
//! the pages of one article the same edition ids and puts them next to each
//! other in page order; each page is parsed on its own, so every span points
//! into its own file. [`merge_pages`] then joins the documents that share an
//! id into one: the first page's document keeps its id, title and source,
//! and every later page's top-level parts are appended with
//! [`Part::source_id`] naming their page.
//!
//! *Invariant:* merging never changes a span or a text; a part's spans are
//! offsets into the source [`Document::source_at`] names. A top-level part
//! whose segment an earlier page already has (the same chapter on two
//! pages) is kept as a part of its own (`chapter-3-2`), with a warning at
//! both places, as the parsers do for a number printed twice in one file.
//!
//! This module is also the one home of the page markers a saved page adds
//! to its title line (`…(2)`, `…第2頁`, `… - 2`).

use super::numbering::{at, part_span};
use super::source::SourceText;
use super::{Diagnostic, Document, PartKind};
use std::collections::BTreeMap;

/// The title line without the page markers at its end: `…(2)`, `…（2）`,
/// `…[2]`, `…【2】`, `…(p. 2)`, `…第2頁`, `…第二页`, `… - 2`, `… Page 2`,
/// any number of them.
pub fn strip_page_markers(text: &str) -> &str {
    let mut rest = text.trim_end();
    loop {
        let stripped = strip_page_marker(rest).trim_end();
        if stripped.len() == rest.len() {
            return rest;
        }
        rest = stripped;
    }
}

fn strip_page_marker(text: &str) -> &str {
    let numeral = |s: &str| {
        !s.is_empty()
            && (s.chars().all(|c| c.is_ascii_digit())
                || crate::numerals::parse_chinese(s).is_some())
    };
    for (open, close) in [("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")] {
        if let Some(inner) = text.strip_suffix(close)
            && let Some(start) = inner.rfind(open)
        {
            let number = inner[start + open.len()..]
                .trim()
                .trim_start_matches(['p', 'P'])
                .trim_start_matches("age")
                .trim_start_matches('.')
                .trim();
            if numeral(number) {
                return &text[..start];
            }
        }
    }
    for page in ["頁", "页"] {
        if let Some(inner) = text.strip_suffix(page)
            && let Some(start) = inner.rfind('第')
            && numeral(&inner[start + '第'.len_utf8()..])
        {
            return &text[..start];
        }
    }
    for separator in [" - ", " — ", " Page ", " page ", "-"] {
        if let Some(start) = text.rfind(separator)
            && numeral(text[start + separator.len()..].trim())
        {
            return &text[..start];
        }
    }
    text
}

/// Joins the documents that share an id (the pages of one document, next
/// to each other in source order) into one; see the module doc. `texts`
/// are the sources by id, for the positions of the warnings.
pub fn merge_pages(
    documents: Vec<Document>,
    texts: &BTreeMap<String, SourceText>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Document> {
    let mut merged: Vec<Document> = Vec::with_capacity(documents.len());
    let mut index_of: BTreeMap<String, usize> = BTreeMap::new();
    for page in documents {
        match index_of.get(&page.id) {
            None => {
                index_of.insert(page.id.clone(), merged.len());
                merged.push(page);
            }
            Some(&at) => append_page(&mut merged[at], page, texts, diagnostics),
        }
    }
    merged
}

/// Appends a later page's top-level parts to the document.
fn append_page(
    document: &mut Document,
    page: Document,
    texts: &BTreeMap<String, SourceText>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let page_source = page.source_id.clone();
    if document.title.is_none()
        && let Some(title) = &page.title
        && let Some(text) = texts.get(&page_source)
    {
        diagnostics.push(Diagnostic::note(
            text,
            title.span,
            "page-title",
            format!(
                "the first page of '{}' states no title; this page's title is not taken over, since the document's title must come from its first page",
                document.id
            ),
        ));
    }
    let mut paragraphs = document
        .parts
        .iter()
        .filter(|p| p.kind == PartKind::Paragraph)
        .count() as u32;
    for mut part in page.parts {
        if part.source_id.is_none() {
            part.source_id = Some(page_source.clone());
        }
        if part.kind == PartKind::Paragraph {
            // Top-level paragraphs are numbered across the pages.
            paragraphs += 1;
            part.number = Some(paragraphs);
        }
        let repeated = document
            .parts
            .iter()
            .filter(|p| p.kind == part.kind && p.printed_segment() == part.printed_segment())
            .count() as u32;
        if repeated > 0 && part.kind != PartKind::Paragraph {
            let first = document
                .parts
                .iter()
                .find(|p| p.kind == part.kind && p.printed_segment() == part.printed_segment())
                .map(|p| (document.source_at(&[p.segment()]).to_owned(), part_span(p)));
            part.occurrence = Some(repeated + 1);
            if let Some(text) = texts.get(&page_source) {
                let first_at = first
                    .and_then(|(source, span)| texts.get(&source).map(|t| at(t, span)))
                    .unwrap_or_else(|| "an earlier page".to_owned());
                diagnostics.push(Diagnostic::warning(
                    text,
                    part_span(&part),
                    "duplicate-page-part",
                    format!(
                        "this page repeats {} of '{}' (first at {first_at}); it is kept as a part of its own, '{}'",
                        part.printed_segment(),
                        document.id,
                        part.segment()
                    ),
                ));
            }
        }
        document.parts.push(part);
    }
}
