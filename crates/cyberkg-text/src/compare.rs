//! Where two translations of one part differ in wording: a word-level diff
//! and a similarity score.
//!
//! The texts are cut into tokens (runs of letters and digits, with the
//! apostrophes and hyphens inside a word, and each other visible character
//! alone); tokens are compared case-folded, so "Cyberspace" and
//! "cyberspace" match, and whitespace never counts. The diff is Myers'
//! (the `similar` crate), whose matched tokens are a longest common
//! subsequence, and the similarity is `2 × matched / (tokens of a + tokens
//! of b)`: 1 for the same words, 0 for none in common. Length alone does
//! not move it much: two texts of the same length in other words score
//! low, a text and the same text with one clause more score high.
//!
//! Invariant: every [`Change`] range is a byte range of its text, the
//! changes cover every token of both texts in order, and the same two
//! texts give the same changes and score on every machine.

use crate::document::align::Alignment;
use crate::document::{Document, Part};
use similar::{Algorithm, DiffOp};
use std::ops::Range;

/// How the comparison is made, for the graph's `cyberkg:comparisonMethod`.
pub const METHOD: &str = "word-level diff (Myers, similar crate) of case-folded word and punctuation tokens; similarity = 2 x matched tokens / all tokens";

/// One token of a text: its byte range and its case-folded form.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    range: Range<usize>,
    folded: String,
}

/// The tokens of `text`, in order.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        if c.is_alphanumeric() {
            // A word: letters and digits, and an apostrophe or hyphen
            // between two of them ("other States'" keeps its apostrophe
            // out, "win-win" and "one's" stay whole).
            while let Some(&(index, next)) = chars.peek() {
                let joins = matches!(next, '\'' | '’' | '-' | '‑')
                    && text[index + next.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if next.is_alphanumeric() || joins {
                    end = index + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
        }
        out.push(Token {
            range: start..end,
            folded: text[start..end].to_lowercase(),
        });
    }
    out
}

/// What one stretch of the two texts is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The same words in both.
    Same,
    /// Words only in the first text.
    OnlyFirst,
    /// Words only in the second text.
    OnlySecond,
}

/// One stretch of the diff: byte ranges of the first and the second text
/// (an empty range on the side that does not have it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Same words, or words of one side only.
    pub kind: ChangeKind,
    /// The stretch in the first text (from its first token to its last).
    pub first: Range<usize>,
    /// The stretch in the second text.
    pub second: Range<usize>,
}

/// Two texts compared word by word.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// `2 × matched / all tokens`, from 0 to 1 (1 for two empty texts).
    pub similarity: f64,
    /// The stretches of both texts, in order.
    pub changes: Vec<Change>,
}

/// One of the two texts of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The first text.
    First,
    /// The second text.
    Second,
}

impl Comparison {
    /// The text of `side` (of `length` bytes) cut at the changes: each
    /// piece's byte range, and whether it holds words only that side has.
    /// The pieces cover the text in order; what lies between two changes
    /// (spaces) is a piece of its own, never marked. The one way a page
    /// marks a comparison.
    pub fn pieces(&self, side: Side, length: usize) -> Vec<(Range<usize>, bool)> {
        let mut pieces: Vec<(Range<usize>, bool)> = Vec::new();
        let mut cursor = 0;
        for change in &self.changes {
            let (range, own) = match side {
                Side::First => (change.first.clone(), change.kind == ChangeKind::OnlyFirst),
                Side::Second => (change.second.clone(), change.kind == ChangeKind::OnlySecond),
            };
            if range.is_empty() || range.start < cursor || range.end > length {
                continue;
            }
            if range.start > cursor {
                pieces.push((cursor..range.start, false));
            }
            pieces.push((range.clone(), own));
            cursor = range.end;
        }
        if cursor < length {
            pieces.push((cursor..length, false));
        }
        pieces
    }
}

/// Compares two texts word by word (see the module's documentation).
pub fn compare(first: &str, second: &str) -> Comparison {
    let a = tokens(first);
    let b = tokens(second);
    let folded_a: Vec<&str> = a.iter().map(|t| t.folded.as_str()).collect();
    let folded_b: Vec<&str> = b.iter().map(|t| t.folded.as_str()).collect();
    let ops = similar::capture_diff_slices(Algorithm::Myers, &folded_a, &folded_b);
    let span = |tokens: &[Token], range: Range<usize>| -> Range<usize> {
        match (
            tokens.get(range.start),
            range.end.checked_sub(1).and_then(|i| tokens.get(i)),
        ) {
            (Some(first), Some(last)) if !range.is_empty() => first.range.start..last.range.end,
            _ => {
                // An empty side: where the other side's stretch would go.
                let at = tokens.get(range.start).map_or_else(
                    || tokens.last().map_or(0, |t| t.range.end),
                    |t| t.range.start,
                );
                at..at
            }
        }
    };
    let mut matched = 0;
    let mut changes = Vec::new();
    for op in &ops {
        let (kind, old, new) = match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                matched += len;
                (
                    ChangeKind::Same,
                    old_index..old_index + len,
                    new_index..new_index + len,
                )
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (
                ChangeKind::OnlyFirst,
                old_index..old_index + old_len,
                new_index..new_index,
            ),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (
                ChangeKind::OnlySecond,
                old_index..old_index,
                new_index..new_index + new_len,
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                changes.push(Change {
                    kind: ChangeKind::OnlyFirst,
                    first: span(&a, old_index..old_index + old_len),
                    second: span(&b, new_index..new_index),
                });
                (
                    ChangeKind::OnlySecond,
                    old_index + old_len..old_index + old_len,
                    new_index..new_index + new_len,
                )
            }
        };
        changes.push(Change {
            kind,
            first: span(&a, old),
            second: span(&b, new),
        });
    }
    let total = a.len() + b.len();
    let similarity = if total == 0 {
        1.0
    } else {
        (2 * matched) as f64 / total as f64
    };
    Comparison {
        similarity,
        changes,
    }
}

/// Two translations of one part of an original, compared.
#[derive(Debug, Clone, PartialEq)]
pub struct PartComparison {
    /// The original's document id.
    pub original: String,
    /// The part's path in all three documents.
    pub path: Vec<String>,
    /// The first translation's document id (the smaller id).
    pub first: String,
    /// The second translation's document id.
    pub second: String,
    /// Their texts compared.
    pub similarity: f64,
}

/// The running text of each part of `document` that has one, by path.
fn texts_by_path(document: &Document) -> std::collections::HashMap<Vec<String>, &str> {
    document
        .walk()
        .into_iter()
        .filter_map(|(path, part): (Vec<String>, &Part)| {
            part.text.as_ref().map(|text| (path, text.value.as_str()))
        })
        .collect()
}

/// Every pair of translations of one original, compared part by part
/// where both are aligned with the original and both parts have running
/// text (paragraphs, epigraphs): in original, translation-pair and
/// path order.
pub fn compare_translations(
    documents: &[Document],
    alignments: &[Alignment],
) -> Vec<PartComparison> {
    let find = |id: &str| documents.iter().find(|d| d.id == id);
    let mut pairs: Vec<(&Alignment, &Alignment)> = Vec::new();
    for (index, first) in alignments.iter().enumerate() {
        for second in &alignments[index + 1..] {
            if first.original == second.original && first.translation != second.translation {
                if first.translation < second.translation {
                    pairs.push((first, second));
                } else {
                    pairs.push((second, first));
                }
            }
        }
    }
    pairs.sort_by(|x, y| {
        (&x.0.original, &x.0.translation, &x.1.translation).cmp(&(
            &y.0.original,
            &y.0.translation,
            &y.1.translation,
        ))
    });
    let mut out = Vec::new();
    for (first, second) in pairs {
        let (Some(a), Some(b)) = (find(&first.translation), find(&second.translation)) else {
            continue;
        };
        let (texts_a, texts_b) = (texts_by_path(a), texts_by_path(b));
        let in_second: std::collections::HashSet<&Vec<String>> = second.paths.iter().collect();
        for path in first.paths.iter().filter(|path| in_second.contains(path)) {
            if let (Some(x), Some(y)) = (texts_a.get(path), texts_b.get(path)) {
                out.push(PartComparison {
                    original: first.original.clone(),
                    path: path.clone(),
                    first: first.translation.clone(),
                    second: second.translation.clone(),
                    similarity: compare(x, y).similarity,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        tokens(text).into_iter().map(|t| &text[t.range]).collect()
    }

    #[test]
    fn tokens_are_words_and_punctuation() {
        let table: [(&str, &[&str]); 4] = [
            (
                "win-win cooperation, one's own",
                &["win-win", "cooperation", ",", "one's", "own"],
            ),
            ("other States' rights", &["other", "States", "'", "rights"]),
            ("  the 2030 Agenda.", &["the", "2030", "Agenda", "."]),
            ("", &[]),
        ];
        for (text, expected) in table {
            assert_eq!(pieces(text), expected, "{text}");
        }
    }

    #[test]
    fn similarity_counts_shared_words_not_length() {
        let same = compare(
            "Defending sovereignty and security",
            "defending Sovereignty and security",
        );
        assert_eq!(same.similarity, 1.0);
        assert!(same.changes.iter().all(|c| c.kind == ChangeKind::Same));
        let other = compare(
            "Safeguarding Sovereignty and Security",
            "Defending sovereignty and security",
        );
        // 3 of 4 words on each side: 2 × 3 / 8.
        assert_eq!(other.similarity, 0.75);
        let none = compare("alpha beta", "gamma delta");
        assert_eq!(none.similarity, 0.0);
        assert_eq!(compare("", "").similarity, 1.0);
    }

    #[test]
    fn changes_cover_both_texts_in_order() {
        let first = "Safeguarding Sovereignty and Security";
        let second = "Defending sovereignty and security in cyberspace";
        let comparison = compare(first, second);
        let shown: Vec<(ChangeKind, &str, &str)> = comparison
            .changes
            .iter()
            .map(|c| (c.kind, &first[c.first.clone()], &second[c.second.clone()]))
            .collect();
        assert_eq!(
            shown,
            [
                (ChangeKind::OnlyFirst, "Safeguarding", ""),
                (ChangeKind::OnlySecond, "", "Defending"),
                (
                    ChangeKind::Same,
                    "Sovereignty and Security",
                    "sovereignty and security"
                ),
                (ChangeKind::OnlySecond, "", "in cyberspace"),
            ]
        );
    }
}
