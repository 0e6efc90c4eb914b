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

/// Aligns `translation` with `original`; `source` is the translation's source, for diagnostics.
pub fn align(
    original: &Document,
    translation: &Document,
    source: &SourceText,
) -> (Alignment, Vec<Diagnostic>) {
    let mut paths = vec![Vec::new()];
    let mut diagnostics = Vec::new();
    align_children(
        &original.parts,
        &translation.parts,
        &mut Vec::new(),
        &mut paths,
        &mut diagnostics,
        source,
        &original.id,
    );
    let alignment = Alignment {
        translation: translation.id.clone(),
        original: original.id.clone(),
        paths,
    };
    (alignment, diagnostics)
}

fn align_children(
    original: &[Part],
    translation: &[Part],
    path: &mut Vec<String>,
    paths: &mut Vec<Vec<String>>,
    diagnostics: &mut Vec<Diagnostic>,
    source: &SourceText,
    original_id: &str,
) {
    let paragraphs = |parts: &[Part]| {
        parts
            .iter()
            .filter(|p| p.kind == PartKind::Paragraph)
            .count()
    };
    let (ours, theirs) = (paragraphs(translation), paragraphs(original));
    let paragraphs_align = ours == theirs;
    if !paragraphs_align && ours > 0 && theirs > 0 {
        let span = translation
            .iter()
            .find_map(|p| p.text.as_ref().map(|t| t.span))
            .unwrap_or_default();
        let place = if path.is_empty() {
            "the document".to_owned()
        } else {
            path.join("/")
        };
        diagnostics.push(Diagnostic::warning(
            source,
            span,
            "alignment-count",
            format!("{place} has {ours} paragraphs here but {theirs} in '{original_id}'; its paragraphs are left unaligned"),
        ));
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
        paths.push(path.clone());
        align_children(
            &counterpart.children,
            &part.children,
            path,
            paths,
            diagnostics,
            source,
            original_id,
        );
        path.pop();
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
        let source = SourceText::new("en.txt", "");
        let (alignment, diagnostics) = align(&original, &translation, &source);
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
