//! Alignment of a translation with its original, computed from structure.
//!
//! Two parts align when they sit at the same structural path: the same
//! chapter number, the same section number, and — for paragraphs — the same
//! position, but only where the two containers hold the same number of
//! paragraphs. A container whose paragraph counts differ aligns none of its
//! paragraphs and is reported: a wrong link is worse than a missing one.
//! Parts the original lacks (the Chinese corpus covers Chapters II-III only)
//! simply have no counterpart.

use super::source::SourceText;
use super::{Diagnostic, Document, Part, PartKind};
use std::collections::BTreeMap;

/// Aligned parts of one translation and its original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// The translation's document id.
    pub translation: String,
    /// The original's document id.
    pub original: String,
    /// Paths (segments from the document root) present in both; the empty
    /// path is the document itself.
    pub paths: Vec<Vec<String>>,
}

/// Aligns `translation` with `original`; `texts` are the sources by id,
/// for the positions of the diagnostics (a part's own page, see
/// [`Document::source_at`]).
pub fn align(
    original: &Document,
    translation: &Document,
    texts: &BTreeMap<String, SourceText>,
) -> (Alignment, Vec<Diagnostic>) {
    let mut walk = Walk {
        translation,
        texts,
        original_id: &original.id,
        paths: vec![Vec::new()],
        diagnostics: Vec::new(),
    };
    walk.children(&original.parts, &translation.parts, &mut Vec::new());
    let alignment = Alignment {
        translation: translation.id.clone(),
        original: original.id.clone(),
        paths: walk.paths,
    };
    (alignment, walk.diagnostics)
}

/// The alignment being computed.
struct Walk<'a> {
    translation: &'a Document,
    texts: &'a BTreeMap<String, SourceText>,
    original_id: &'a str,
    paths: Vec<Vec<String>>,
    diagnostics: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn children(&mut self, original: &[Part], translation: &[Part], path: &mut Vec<String>) {
        let paragraphs = |parts: &[Part]| {
            parts
                .iter()
                .filter(|p| p.kind == PartKind::Paragraph)
                .count()
        };
        let (ours, theirs) = (paragraphs(translation), paragraphs(original));
        let paragraphs_align = ours == theirs;
        if !paragraphs_align && ours > 0 && theirs > 0 {
            let first = translation.iter().find(|p| p.text.is_some());
            let span = first
                .and_then(|p| p.text.as_ref())
                .map(|t| t.span)
                .unwrap_or_default();
            let place = if path.is_empty() {
                "the document".to_owned()
            } else {
                path.join("/")
            };
            let source_path = match (path.is_empty(), first) {
                (true, Some(part)) => vec![part.segment()],
                _ => path.clone(),
            };
            let source = self.translation.source_at(&source_path);
            if let Some(text) = self.texts.get(source) {
                self.diagnostics.push(Diagnostic::warning(
                    text,
                    span,
                    "alignment-count",
                    format!(
                        "{place} has {ours} paragraphs here but {theirs} in '{}'; its paragraphs are left unaligned",
                        self.original_id
                    ),
                ));
            }
        }
        for part in translation {
            if part.kind == PartKind::Paragraph && !paragraphs_align {
                continue;
            }
            let segment = part.segment();
            let Some(counterpart) = original
                .iter()
                .find(|o| o.kind == part.kind && o.segment() == segment)
            else {
                continue;
            };
            path.push(segment);
            self.paths.push(path.clone());
            self.children(&counterpart.children, &part.children, path);
            path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::source::Span;
    use super::super::{DocumentKind, Language, Text};
    use super::*;

    fn chapter(number: u32, paragraphs: usize) -> Part {
        let mut chapter = Part::new(PartKind::Chapter, Some(number));
        for _ in 0..paragraphs {
            chapter.push_paragraph(Text::plain("p", Span::default()));
        }
        chapter
    }

    #[test]
    fn aligns_by_structure_and_refuses_unequal_counts() {
        let mut original = Document::new(
            "zh",
            DocumentKind::Edition,
            Language::SIMPLIFIED_CHINESE,
            "s",
        );
        original.parts = vec![chapter(2, 2), chapter(3, 1)];
        let mut translation = Document::new("en", DocumentKind::Edition, Language::ENGLISH, "s");
        translation.parts = vec![chapter(1, 1), chapter(2, 2), chapter(3, 2)];
        let texts = BTreeMap::from([("s".to_owned(), SourceText::new("en.txt", ""))]);
        let (alignment, diagnostics) = align(&original, &translation, &texts);
        let paths: Vec<String> = alignment.paths.iter().map(|p| p.join("/")).collect();
        assert_eq!(
            paths,
            vec![
                "",
                "chapter-2",
                "chapter-2/paragraph-1",
                "chapter-2/paragraph-2",
                "chapter-3"
            ]
        );
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0]
                .message
                .contains("chapter-3 has 2 paragraphs here but 1"),
            "{}",
            diagnostics[0].message
        );
    }
}
