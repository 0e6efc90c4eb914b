//! Heading numbers as printed, and the keys that keep parts apart.
//!
//! A part's IRI and alignment key is its segment, derived from the number
//! printed in its heading (`chapter-2/section-1`): IRIs do not move when a
//! part is lost elsewhere, and the Chinese text (Chapters II-III only)
//! aligns with the English by number. Extraction damage can print a number
//! twice (a section numbered 1 twice, "Chapter II" where "Chapter III"
//! belongs, a lost chapter heading that leaves two runs of sections in one
//! chapter), which merged two parts into one IRI. The rule, applied by both
//! parsers once a document is read:
//! - among siblings, the first part with a segment keeps it; each later one
//!   printed with the same number gets its occurrence appended, in document
//!   order (`chapter-2`, `chapter-2-2`, `chapter-2-3`), and keeps its
//!   printed number (`schema:position`) and its title; a repeated unnumbered
//!   part (a second `Preface`, a second signature) likewise (`preface-2`);
//! - each repeat is a warning (`duplicate-number`) naming both positions;
//! - a chapter or section number that is not one more than the previous
//!   sibling's of its kind is a warning (`number-order`) naming both, as a
//!   heading is missing or misprinted there; the first number is free (the
//!   parallel text starts at Chapter II).
//!
//! Renumbering in document order was rejected: one lost heading would move
//! every later IRI and break the alignment by number. With no repeat, no
//! segment changes, so an undamaged text keeps every IRI.
//!
//! Invariant: after [`key_parts`], no two siblings share a segment.

use super::source::{SourceText, Span};
use super::{Diagnostic, Part, PartKind};
use std::collections::BTreeMap;

/// Keys `parts` and their descendants apart (see the module doc), and
/// reports repeated and out-of-order heading numbers.
pub fn key_parts(source: &SourceText, parts: &mut [Part], diagnostics: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<String, (Span, u32)> = BTreeMap::new();
    let mut previous: BTreeMap<PartKind, (u32, Span)> = BTreeMap::new();
    for part in parts.iter_mut() {
        let span = part_span(part);
        match first.get_mut(&part.printed_segment()) {
            Some((first_span, count)) => {
                *count += 1;
                part.occurrence = Some(*count);
                diagnostics.push(Diagnostic::warning(
                    source,
                    span,
                    "duplicate-number",
                    format!(
                        "{what} repeats the number of {what} at {at}; it is kept as a part of its own, '{segment}'",
                        what = describe(part),
                        at = at(source, *first_span),
                        segment = part.segment(),
                    ),
                ));
            }
            None => {
                first.insert(part.printed_segment(), (span, 1));
            }
        }
        if let (PartKind::Chapter | PartKind::Section, Some(number)) = (part.kind, part.number) {
            if let Some(&(before, before_span)) = previous.get(&part.kind)
                && part.occurrence.is_none()
                && Some(number) != before.checked_add(1)
            {
                let kind = part.kind.slug();
                diagnostics.push(Diagnostic::warning(
                    source,
                    span,
                    "number-order",
                    format!(
                        "{kind} {number} follows {kind} {before} at {}; expected {kind} {}, so a heading may be missing or misnumbered",
                        at(source, before_span),
                        before.saturating_add(1)
                    ),
                ));
            }
            previous.insert(part.kind, (number, span));
        }
        key_parts(source, &mut part.children, diagnostics);
    }
}

/// `chapter 2`, `section 1`, or the kind of an unnumbered part.
fn describe(part: &Part) -> String {
    match (part.kind, part.number) {
        (PartKind::Chapter | PartKind::Section, Some(number)) => {
            format!("{} {number}", part.kind.slug())
        }
        _ => part.kind.slug().to_owned(),
    }
}

/// Where a part was read: its title, else its text.
pub(crate) fn part_span(part: &Part) -> Span {
    part.title
        .as_ref()
        .or(part.text.as_ref())
        .map_or_else(Span::default, |text| text.span)
}

/// `file:line:column` of a span's start.
pub(crate) fn at(source: &SourceText, span: Span) -> String {
    format!("{}:{}", source.name, source.position(span.start))
}

#[cfg(test)]
mod tests {
    use super::super::Text;
    use super::*;

    fn part(kind: PartKind, number: Option<u32>, line: usize) -> Part {
        let mut part = Part::new(kind, number);
        part.title = Some(Text::plain("t", Span::new(line * 2, line * 2 + 1)));
        part
    }

    /// The segments and the diagnostics' codes and lines for siblings of
    /// `kinds` (each on its own line of a file of one-character lines).
    fn keyed(parts: &[(PartKind, Option<u32>)]) -> (Vec<String>, Vec<(&'static str, usize)>) {
        let source = SourceText::new("t.txt", "t\n".repeat(parts.len()));
        let mut parts: Vec<Part> = parts
            .iter()
            .enumerate()
            .map(|(line, &(kind, number))| part(kind, number, line))
            .collect();
        let mut diagnostics = Vec::new();
        key_parts(&source, &mut parts, &mut diagnostics);
        let segments = parts.iter().map(Part::segment).collect();
        let codes = diagnostics.iter().map(|d| (d.code, d.line)).collect();
        (segments, codes)
    }

    /// Siblings (kind and printed number), their segments, and the
    /// diagnostics' codes and lines.
    type Case = (
        &'static [(PartKind, Option<u32>)],
        &'static [&'static str],
        &'static [(&'static str, usize)],
    );

    #[test]
    fn repeats_get_their_occurrence_and_gaps_a_warning() {
        use PartKind::{Chapter, Conclusion, Preface, Section};
        let cases: &[Case] = &[
            (
                &[
                    (Preface, None),
                    (Chapter, Some(2)),
                    (Chapter, Some(3)),
                    (Conclusion, None),
                ],
                &["preface", "chapter-2", "chapter-3", "conclusion"],
                &[],
            ),
            (
                &[
                    (Chapter, Some(1)),
                    (Chapter, Some(2)),
                    (Chapter, Some(2)),
                    (Chapter, Some(4)),
                ],
                &["chapter-1", "chapter-2", "chapter-2-2", "chapter-4"],
                &[("duplicate-number", 3), ("number-order", 4)],
            ),
            (
                &[
                    (Section, Some(1)),
                    (Section, Some(1)),
                    (Section, Some(1)),
                    (Section, Some(2)),
                ],
                &["section-1", "section-1-2", "section-1-3", "section-2"],
                &[("duplicate-number", 2), ("duplicate-number", 3)],
            ),
            (
                &[(Section, Some(2)), (Section, Some(1))],
                &["section-2", "section-1"],
                &[("number-order", 2)],
            ),
            (
                &[(Preface, None), (Preface, None)],
                &["preface", "preface-2"],
                &[("duplicate-number", 2)],
            ),
        ];
        for (parts, segments, codes) in cases {
            assert_eq!(
                keyed(parts),
                (
                    segments.iter().map(|s| (*s).to_owned()).collect(),
                    codes.to_vec()
                ),
                "{parts:?}"
            );
        }
    }

    #[test]
    fn the_warning_names_both_positions() {
        let source = SourceText::new("t.txt", "t\nt\n");
        let mut parts = vec![
            part(PartKind::Chapter, Some(2), 0),
            part(PartKind::Chapter, Some(2), 1),
        ];
        let mut diagnostics = Vec::new();
        key_parts(&source, &mut parts, &mut diagnostics);
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "t.txt:2:1: warning[duplicate-number]: chapter 2 repeats the number of chapter 2 at t.txt:1:1; it is kept as a part of its own, 'chapter-2-2'"
            ]
        );
    }
}
