//! Sentences: every paragraph cut into sentences, each with the code-point
//! span of the source characters it was read from.
//!
//! The boundaries are Unicode's (UAX #29, `unicode-segmentation`), which end
//! a sentence at `.` `!` `?` and at the Chinese `。！？`, together with the
//! closing quotes and brackets that follow them (`”』」）`). On top of them,
//! three rules of our own:
//! - Chinese also ends a sentence at `；` (and at `;`, which the damaged
//!   Chinese text of the corpus writes for it, as it writes `,` for `，`);
//!   an English `;` does not end one: English joins the items of a list with
//!   it ("...in cyberspace; ensure secure and orderly flows...; improve..."),
//!   so a clause after `;` is not a sentence of its own.
//! - A `.` after a known abbreviation (`e.g.`, `i.e.`, `No.`, `Mr.`, `Dr.`)
//!   or an initialism (`U.N.`, `U.S.`) does not end a sentence, whatever
//!   follows it (UAX #29 already keeps `e.g. the` together, not `Mr. Li`).
//! - An enumeration mark standing alone (`1.`, `(a)`, `IV.`) starts the
//!   sentence after it instead of being one. (Numbers such as `3.5` never
//!   break: UAX #29 keeps a `.` between digits.)
//!
//! Only paragraphs are split (`parse_corpus` fills [`super::Part::sentences`]
//! for them): a heading is a title, aligned one to one by the structure
//! already, and an epigraph or a signature block is not running text.
//!
//! Invariant: the sentences of a text cover its literal in order, with only
//! white space between them; each one's `start..end` are code points into
//! the literal (the offsets mentions use) and its span lies inside the
//! text's span. A literal may differ from its source characters (Traditional
//! → Simplified, glosses removed, repairs): [`locate`] maps each literal
//! character back to the file characters it was read from.

use super::source::{SourceText, Span};
use super::{Language, Repair, Text};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// One sentence of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// 1-based order within its paragraph.
    pub number: u32,
    /// First code point of the sentence in the paragraph's literal.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// Its text: value (and Traditional form), span in the source file, and
    /// the repairs of the paragraph that fall inside it.
    pub text: Text,
}

/// Abbreviations whose `.` never ends a sentence (compared case-sensitively
/// with the word before the `.`, the `.` included). `etc.` is not here: at
/// the end of a list it usually ends its sentence too, and mid-sentence
/// (followed by a lower-case word) UAX #29 already keeps it.
const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "cf.", "viz.", "vs.", "No.", "Nos.", "no.", "Mr.", "Mrs.", "Ms.", "Dr.",
    "Prof.", "St.", "Art.", "Arts.", "para.", "paras.", "Para.", "Vol.", "pp.", "p.", "Fig.",
    "Inc.", "Ltd.", "Co.", "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.",
    "Dec.",
];

/// Characters that end a Chinese clause as a sentence, beyond UAX #29's.
const CHINESE_SEMICOLONS: [char; 2] = ['；', ';'];

/// Closing quotes and brackets that stay with the sentence they follow.
const CLOSERS: &[char] = &[
    '”', '’', '』', '」', '）', ')', '》', '】', '〕', '"', '\'', ']',
];

/// The sentences of a literal, as code-point ranges into it, white space
/// at either end left out; empty for a text of white space only.
pub fn split(text: &str, language: &Language) -> Vec<Range<usize>> {
    // UAX #29's pieces, as code-point ranges.
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut chars_before = 0;
    for piece in text.split_sentence_bounds() {
        let length = piece.chars().count();
        pieces.push(chars_before..chars_before + length);
        chars_before += length;
    }
    let chars: Vec<char> = text.chars().collect();
    if language.is_chinese() {
        pieces = pieces
            .into_iter()
            .flat_map(|piece| split_after_semicolons(&chars, piece))
            .collect();
    }
    // Join a piece to the next where its `.` is an abbreviation's, or where
    // it is a lone enumeration mark.
    let mut joined: Vec<Range<usize>> = Vec::new();
    let mut pending: Option<Range<usize>> = None;
    for piece in pieces {
        let current = match pending.take() {
            Some(earlier) => earlier.start..piece.end,
            None => piece,
        };
        let trimmed = trim(&chars, current.clone());
        let words: String = chars[trimmed.clone()].iter().collect();
        if !trimmed.is_empty() && (ends_with_abbreviation(&words) || is_enumeration_mark(&words)) {
            pending = Some(current);
        } else {
            joined.push(current);
        }
    }
    joined.extend(pending);
    joined
        .into_iter()
        .map(|range| trim(&chars, range))
        .filter(|range| !range.is_empty())
        .collect()
}

/// Cuts a piece after each Chinese semicolon (with its closers).
fn split_after_semicolons(chars: &[char], piece: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = piece.start;
    let mut index = piece.start;
    while index < piece.end {
        if CHINESE_SEMICOLONS.contains(&chars[index]) {
            let mut end = index + 1;
            while end < piece.end && CLOSERS.contains(&chars[end]) {
                end += 1;
            }
            out.push(start..end);
            start = end;
            index = end;
        } else {
            index += 1;
        }
    }
    if start < piece.end {
        out.push(start..piece.end);
    }
    out
}

/// The range without white space at either end.
fn trim(chars: &[char], range: Range<usize>) -> Range<usize> {
    let mut start = range.start;
    let mut end = range.end;
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    start..end
}

/// Whether a piece's last word is an abbreviation or an initialism (`U.N.`).
fn ends_with_abbreviation(piece: &str) -> bool {
    let last = piece.split_whitespace().last().unwrap_or_default();
    let last = last.trim_start_matches(['(', '"', '“', '‘', '\'']);
    if ABBREVIATIONS.contains(&last) {
        return true;
    }
    // An initialism: single letters each followed by a dot, at least two.
    let letters: Vec<&str> = last.split_terminator('.').collect();
    last.ends_with('.')
        && letters.len() >= 2
        && letters
            .iter()
            .all(|letter| letter.chars().count() == 1 && letter.chars().all(char::is_alphabetic))
}

/// Whether a piece is only an enumeration mark: `1.`, `12.`, `(a)`, `a.`,
/// `IV.`, `(iii)`.
fn is_enumeration_mark(piece: &str) -> bool {
    let inner = piece
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .or_else(|| piece.strip_suffix('.'))
        .or_else(|| piece.strip_suffix(')'));
    let Some(inner) = inner else {
        return false;
    };
    let digits = !inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit());
    let letter = inner.chars().count() == 1 && inner.chars().all(|c| c.is_ascii_alphabetic());
    let roman = !inner.is_empty()
        && inner.len() <= 5
        && (inner.chars().all(|c| "IVXLC".contains(c))
            || inner.chars().all(|c| "ivxlc".contains(c)));
    digits || letter || roman
}

/// How far ahead [`locate`] looks for a literal character among the file's
/// (a gloss, markup or a page marker the parser dropped is shorter).
const LOOKAHEAD: usize = 256;

/// For each character of `text`'s literal, the span of the file characters
/// it was read from: one code point for a character taken over as it
/// stands (or converted one for one, such as Traditional → Simplified),
/// the damaged run for the characters of a repair, and an empty span (at
/// the place it stands) for a character with no source of its own (a
/// space that joins two lines).
///
/// The literal is matched against the characters of `text.span` in order,
/// skipping what the parser dropped (pinyin glosses, markup, page markers);
/// Chinese is matched in its Traditional form, which is what the file holds.
pub fn locate(text: &Text, source: &SourceText) -> Vec<Span> {
    let value_length = text.value.chars().count();
    let literal: Vec<char> = match &text.traditional {
        Some(traditional) if traditional.chars().count() == value_length => {
            traditional.chars().collect()
        }
        _ => text.value.chars().collect(),
    };
    let file: Vec<char> = source.slice(text.span).chars().collect();
    let base = text.span.start;
    let mut repairs: Vec<&Repair> = text
        .repairs
        .iter()
        .filter(|repair| repair.span.start >= base && repair.span.end <= base + file.len())
        .collect();
    repairs.sort_by_key(|repair| (repair.span.start, repair.span.end));
    let mut repairs = repairs.into_iter().peekable();
    let mut spans = Vec::with_capacity(literal.len());
    let (mut index, mut cursor) = (0, 0);
    while index < literal.len() {
        if let Some(repair) = repairs.next_if(|repair| repair.span.start <= base + cursor) {
            // The literal characters the replacement became (in order; the
            // parser may have dropped some of them since, such as a gloss).
            let replacement: Vec<char> = repair.replacement.chars().collect();
            let mut next = 0;
            while let Some(found) = literal
                .get(index)
                .and_then(|c| replacement[next..].iter().position(|r| r == c))
            {
                spans.push(repair.span);
                index += 1;
                next += found + 1;
            }
            cursor = cursor.max(repair.span.end - base);
            continue;
        }
        let limit = repairs
            .peek()
            .map_or(file.len(), |repair| repair.span.start - base)
            .min(file.len());
        let character = literal[index];
        let found = if character.is_whitespace() {
            (cursor < limit && file[cursor].is_whitespace()).then_some(cursor)
        } else {
            (cursor..limit.min(cursor + LOOKAHEAD)).find(|&at| file[at] == character)
        };
        match found {
            Some(at) => {
                spans.push(Span::new(base + at, base + at + 1));
                cursor = at + 1;
            }
            None => spans.push(Span::new(base + cursor, base + cursor)),
        }
        index += 1;
    }
    spans
}

/// The sentences of a text, numbered from 1, with their spans in `source`.
pub fn sentences(text: &Text, language: &Language, source: &SourceText) -> Vec<Sentence> {
    let ranges = split(&text.value, language);
    if ranges.is_empty() {
        return Vec::new();
    }
    let located = locate(text, source);
    let value: Vec<char> = text.value.chars().collect();
    let traditional: Option<Vec<char>> = text
        .traditional
        .as_ref()
        .map(|t| t.chars().collect::<Vec<char>>())
        .filter(|t| t.len() == value.len());
    ranges
        .into_iter()
        .enumerate()
        .map(|(index, range)| {
            let span = match (located.get(range.start), located.get(range.end - 1)) {
                (Some(first), Some(last)) => Span::new(first.start, last.end.max(first.start)),
                _ => text.span,
            };
            Sentence {
                number: index as u32 + 1,
                start: range.start,
                end: range.end,
                text: Text {
                    value: value[range.clone()].iter().collect(),
                    traditional: traditional
                        .as_ref()
                        .map(|t| t[range.clone()].iter().collect()),
                    span,
                    repairs: text
                        .repairs
                        .iter()
                        .filter(|repair| {
                            repair.span.start < span.end && span.start < repair.span.end
                        })
                        .cloned()
                        .collect(),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, language: &Language) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        split(text, language)
            .into_iter()
            .map(|range| chars[range].iter().collect())
            .collect()
    }

    #[test]
    fn english_boundaries() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two! Three?", &["One.", "Two!", "Three?"]),
            (
                "Talks at the U.N. General Assembly began. Then more.",
                &["Talks at the U.N. General Assembly began.", "Then more."],
            ),
            (
                "The U.S. and China met. They agreed.",
                &["The U.S. and China met.", "They agreed."],
            ),
            (
                "Some rules, e.g. Rule 3, apply. Others, i.e. the rest, do not.",
                &[
                    "Some rules, e.g. Rule 3, apply.",
                    "Others, i.e. the rest, do not.",
                ],
            ),
            (
                "See No. 5 of the list. Mr. Li and Dr. Wang agreed.",
                &["See No. 5 of the list.", "Mr. Li and Dr. Wang agreed."],
            ),
            (
                "Growth was 3.5 per cent. It rose.",
                &["Growth was 3.5 per cent.", "It rose."],
            ),
            (
                "1. Peace comes first. 2. Sovereignty second.",
                &["1. Peace comes first.", "2. Sovereignty second."],
            ),
            (
                "(A) One thing. (IV) Another.",
                &["(A) One thing.", "(IV) Another."],
            ),
            // UAX #29: a lower-case word after a `.` continues the sentence.
            (
                "(a) One thing. (b) another.",
                &["(a) One thing. (b) another."],
            ),
            (
                "Promote peace; ensure order; improve links. Then stop.",
                &["Promote peace; ensure order; improve links.", "Then stop."],
            ),
            (
                "Laws, rules, etc. Then the end.",
                &["Laws, rules, etc.", "Then the end."],
            ),
            (
                "He said \"Stop.\" Then left.",
                &["He said \"Stop.\"", "Then left."],
            ),
            ("  ", &[]),
            ("No end", &["No end"]),
        ];
        for (text, expected) in cases {
            assert_eq!(pieces(text, &Language::ENGLISH), *expected, "{text}");
        }
    }

    #[test]
    fn chinese_boundaries() {
        let zh = Language::SIMPLIFIED_CHINESE;
        let cases: &[(&str, &[&str])] = &[
            (
                "第一句。第二句！第三句？",
                &["第一句。", "第二句！", "第三句？"],
            ),
            ("他说：“好。”然后走了。", &["他说：“好。”", "然后走了。"]),
            ("一是和平；二是主权。", &["一是和平；", "二是主权。"]),
            ("一是和平;二是主权。", &["一是和平;", "二是主权。"]),
            (
                "见《公约》（第2.5条）。其后。",
                &["见《公约》（第2.5条）。", "其后。"],
            ),
            ("「引文。」后文。", &["「引文。」", "后文。"]),
            ("没有句号", &["没有句号"]),
        ];
        for (text, expected) in cases {
            assert_eq!(pieces(text, &zh), *expected, "{text}");
        }
    }

    #[test]
    fn spans_skip_glosses_and_follow_repairs() {
        // The file holds Traditional characters with pinyin glosses; the
        // literal is Simplified without them.
        let file = "xx網(wǎng)絡(luò )安全。第二句。";
        let source = SourceText::new("t.txt", file);
        let length = file.chars().count();
        let text = Text {
            value: "网络安全。第二句。".to_owned(),
            traditional: Some("網絡安全。第二句。".to_owned()),
            span: Span::new(2, length),
            repairs: Vec::new(),
        };
        let found = sentences(&text, &Language::SIMPLIFIED_CHINESE, &source);
        assert_eq!(found.len(), 2);
        assert_eq!(source.slice(found[0].text.span), "網(wǎng)絡(luò )安全。");
        assert_eq!(source.slice(found[1].text.span), "第二句。");
        assert_eq!(found[1].text.value, "第二句。");
        assert_eq!((found[1].start, found[1].end), (5, 9));
        // A repair: "/td>" removed, "Tw0" replaced by "Two".
        let file = "One/td>. Tw0 here.";
        let source = SourceText::new("e.txt", file);
        let repair = |start, end, original: &str, replacement: &str| Repair {
            kind: super::super::RepairKind::Erratum,
            span: Span::new(start, end),
            original: original.to_owned(),
            replacement: replacement.to_owned(),
            reason: String::new(),
            erratum_id: None,
        };
        let text = Text {
            value: "One. Two here.".to_owned(),
            traditional: None,
            span: Span::new(0, 18),
            repairs: vec![repair(3, 7, "/td>", ""), repair(9, 12, "Tw0", "Two")],
        };
        let found = sentences(&text, &Language::ENGLISH, &source);
        assert_eq!(source.slice(found[0].text.span), "One/td>.");
        assert_eq!(source.slice(found[1].text.span), "Tw0 here.");
        assert_eq!(found[1].text.repairs.len(), 1);
    }

    /// Every paragraph of the built-in corpus: each literal character not
    /// made by a repair is found in the file as itself (or its Traditional
    /// form), so every sentence span is exact.
    #[test]
    fn builtin_spans_are_exact() {
        let corpus = crate::corpus::Corpus::builtin().expect("the built-in corpus");
        let parsed = super::super::parse_corpus(&corpus).expect("parses");
        let mut checked = 0;
        for document in &parsed.documents {
            for (path, part) in document.walk() {
                let Some(text) = &part.text else { continue };
                let source = &parsed.texts[document.source_at(&path)];
                let literal: Vec<char> = text
                    .traditional
                    .as_deref()
                    .unwrap_or(&text.value)
                    .chars()
                    .collect();
                for (character, span) in literal.iter().zip(locate(text, source)) {
                    let repaired = text.repairs.iter().any(|r| r.span == span);
                    if repaired || character.is_whitespace() {
                        continue;
                    }
                    assert_eq!(
                        source.slice(span),
                        character.to_string(),
                        "{} {path:?}",
                        document.id
                    );
                    checked += 1;
                }
                for sentence in &part.sentences {
                    let slice = source.slice(sentence.text.span);
                    let first = sentence.text.value.chars().next();
                    if sentence.text.repairs.is_empty() && !document.language.is_chinese() {
                        assert!(slice.starts_with(first.unwrap_or_default()), "{slice}");
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }
}
