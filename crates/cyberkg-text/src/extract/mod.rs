//! Mentions: where the texts name the entities of the curated table.
//!
//! This stage knows nothing about RDF. It reads every title, paragraph and
//! attribution of every document and finds the names of [`table`] entities:
//! multi-pattern matching with aho-corasick, then a choice that keeps the
//! longest matches and never lets two overlap. Rules, applied everywhere:
//! - English: names match case-insensitively, acronyms case-sensitively
//!   (an acronym may take a plural `s`: `ICTs`); hyphen, en dash, em dash and
//!   minus count as one character; a name must stand between word boundaries.
//! - Chinese: names match exactly in the Simplified text; no boundaries.
//! - Nested names: the longest match wins, so "the ASEAN Regional Forum" is a
//!   mention of the ARF only; the inner ASEAN is reached through the ARF's
//!   parent, not counted as a mention of its own.
//!
//! Invariant: a mention's offsets are code points into the literal it was
//! found in, `start < end <= length`, and `exact` is exactly those
//! characters. Acronyms the text defines (`… Organization (SCO)`) are checked
//! against the table; an unknown or mismatched one is a diagnostic.

pub mod curated;
pub mod table;

use crate::document::{Diagnostic, Document, Language, ParsedCorpus, Part, SourceText, Span};
use aho_corasick::{AhoCorasick, MatchKind};
pub use table::{Entity, EntityTable, Kind};

/// How many code points of context a mention keeps on each side.
pub const CONTEXT: usize = 32;

/// Which literal of a node a mention was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// `dcterms:title`.
    Title,
    /// `schema:text`.
    Text,
    /// `cyberkg:attribution` (the epigraph's).
    Attribution,
}

impl Field {
    /// Stable name, used in IRIs.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Text => "text",
            Field::Attribution => "attribution",
        }
    }
}

/// One place where a text names an entity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mention {
    /// The document.
    pub document: String,
    /// The part's path of segments from the document root (empty: the document itself).
    pub path: Vec<String>,
    /// Which literal.
    pub field: Field,
    /// First code point in that literal.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// The entity's key.
    pub entity: String,
    /// The language of the literal.
    pub language: Language,
    /// The characters `start..end`.
    pub exact: String,
    /// Up to [`CONTEXT`] code points before.
    pub prefix: String,
    /// Up to [`CONTEXT`] code points after.
    pub suffix: String,
}

/// A candidate match before the longest-match choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Candidate {
    start: usize,
    end: usize,
    entity: usize,
}

/// Normalises English for matching, one code point for one code point:
/// dashes become `-`, typographic apostrophes `'`, ASCII letters lower case
/// (unless `keep_case`). Offsets in the result are offsets in the input.
fn normalize(text: &str, keep_case: bool) -> String {
    text.chars()
        .map(|c| match c {
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{2019}' | '\u{2018}' => '\'',
            c if !keep_case => c.to_ascii_lowercase(),
            c => c,
        })
        .collect()
}

/// Surface variants of an English form: itself, and without the hyphen between a letter and a digit (`G-20` → `G20`).
fn variants(form: &str) -> Vec<String> {
    let chars: Vec<char> = form.chars().collect();
    let mut without = String::new();
    for (index, c) in chars.iter().enumerate() {
        let between = index > 0
            && index + 1 < chars.len()
            && *c == '-'
            && chars[index - 1].is_alphabetic()
            && chars[index + 1].is_ascii_digit();
        if !between {
            without.push(*c);
        }
    }
    if without == form {
        vec![form.to_owned()]
    } else {
        vec![form.to_owned(), without]
    }
}

/// One automaton and the entity of each of its patterns.
struct Automaton {
    automaton: AhoCorasick,
    entities: Vec<usize>,
}

/// The names of an entity table could not be compiled into one automaton
/// (a limit of aho-corasick, such as too many patterns).
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot build the name matcher: {0}")]
pub struct MatcherError(aho_corasick::BuildError);

impl Automaton {
    fn new(patterns: Vec<(String, usize)>) -> Result<Option<Self>, MatcherError> {
        if patterns.is_empty() {
            return Ok(None);
        }
        let (patterns, entities): (Vec<String>, Vec<usize>) = patterns.into_iter().unzip();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(MatcherError)?;
        Ok(Some(Self {
            automaton,
            entities,
        }))
    }

    /// Every (overlapping) match in `haystack`, as code-point ranges.
    fn candidates(&self, haystack: &str, char_of_byte: &[usize]) -> Vec<Candidate> {
        self.automaton
            .find_overlapping_iter(haystack)
            .map(|m| Candidate {
                start: char_of_byte[m.start()],
                end: char_of_byte[m.end()],
                entity: self.entities[m.pattern().as_usize()],
            })
            .collect()
    }
}

/// The compiled names of an entity table.
pub struct Matcher<'a> {
    table: &'a EntityTable,
    names: Option<Automaton>,
    acronyms: Option<Automaton>,
    chinese: Option<Automaton>,
}

/// The code-point index of each byte offset of `text` (and of its end).
fn char_of_byte(text: &str) -> Vec<usize> {
    let mut map = vec![0; text.len() + 1];
    let mut chars = 0;
    for (byte, c) in text.char_indices() {
        for slot in &mut map[byte..byte + c.len_utf8()] {
            *slot = chars;
        }
        chars += 1;
    }
    map[text.len()] = chars;
    map
}

/// Keeps the longest candidates that do not overlap, in text order.
fn longest_first(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
            .then(a.entity.cmp(&b.entity))
    });
    let mut chosen: Vec<Candidate> = Vec::new();
    for candidate in candidates {
        if chosen
            .iter()
            .all(|c| candidate.end <= c.start || c.end <= candidate.start)
        {
            chosen.push(candidate);
        }
    }
    chosen.sort_by_key(|c| (c.start, c.end));
    chosen
}

impl<'a> Matcher<'a> {
    /// Compiles the names of a table.
    pub fn new(table: &'a EntityTable) -> Result<Self, MatcherError> {
        let mut names = Vec::new();
        let mut acronyms = Vec::new();
        let mut chinese = Vec::new();
        for (index, entity) in table.entities.iter().enumerate() {
            for form in entity.english_forms() {
                let is_acronym = entity.acronyms.iter().any(|a| a == form);
                for variant in variants(form) {
                    if is_acronym {
                        acronyms.push((normalize(&variant, true), index));
                    } else {
                        names.push((normalize(&variant, false), index));
                    }
                }
            }
            for form in entity.chinese_forms() {
                chinese.push((form.to_owned(), index));
            }
        }
        for list in [&mut names, &mut acronyms, &mut chinese] {
            list.retain(|(pattern, _)| !pattern.is_empty());
            list.sort();
            list.dedup();
        }
        Ok(Self {
            table,
            names: Automaton::new(names)?,
            acronyms: Automaton::new(acronyms)?,
            chinese: Automaton::new(chinese)?,
        })
    }

    /// The entity matches in one literal, as (start, end, entity index), longest first and never overlapping.
    fn find(&self, text: &str, language: &Language) -> Vec<Candidate> {
        let chars: Vec<char> = text.chars().collect();
        let boundary = |index: Option<usize>| {
            index
                .and_then(|i| chars.get(i))
                .is_none_or(|c| !c.is_alphanumeric())
        };
        let mut candidates = Vec::new();
        if language.is_chinese() {
            if let Some(chinese) = &self.chinese {
                // Any Chinese text is searched in Simplified characters, the
                // script of the table's names; the folding keeps every
                // character's offset (`chinese::to_simplified`).
                let folded = crate::document::chinese::to_simplified(text);
                let folded = if folded.chars().count() == chars.len() {
                    folded
                } else {
                    text.to_owned()
                };
                candidates = chinese.candidates(&folded, &char_of_byte(&folded));
            }
        } else {
            if let Some(names) = &self.names {
                let folded = normalize(text, false);
                candidates.extend(names.candidates(&folded, &char_of_byte(&folded)));
            }
            if let Some(acronyms) = &self.acronyms {
                let cased = normalize(text, true);
                for mut candidate in acronyms.candidates(&cased, &char_of_byte(&cased)) {
                    // A plural acronym (`ICTs`) is the acronym's mention too.
                    if chars.get(candidate.end) == Some(&'s') && boundary(Some(candidate.end + 1)) {
                        candidate.end += 1;
                    }
                    candidates.push(candidate);
                }
            }
            candidates.retain(|c| boundary(c.start.checked_sub(1)) && boundary(Some(c.end)));
        }
        longest_first(candidates)
    }

    /// The matches in one literal as (start, end, entity key): code points,
    /// longest first, never overlapping, in text order.
    pub fn find_spans(&self, text: &str, language: &Language) -> Vec<(usize, usize, String)> {
        self.find(text, language)
            .into_iter()
            .map(|c| (c.start, c.end, self.table.entities[c.entity].key.clone()))
            .collect()
    }

    /// Mentions in one literal of a part.
    fn mentions_in(
        &self,
        document: &Document,
        path: &[String],
        field: Field,
        text: &str,
        language: &Language,
    ) -> Vec<Mention> {
        let chars: Vec<char> = text.chars().collect();
        self.find(text, language)
            .into_iter()
            .map(|c| Mention {
                document: document.id.clone(),
                path: path.to_vec(),
                field,
                start: c.start,
                end: c.end,
                entity: self.table.entities[c.entity].key.clone(),
                language: language.clone(),
                exact: chars[c.start..c.end].iter().collect(),
                prefix: chars[c.start.saturating_sub(CONTEXT)..c.start]
                    .iter()
                    .collect(),
                suffix: chars[c.end..(c.end + CONTEXT).min(chars.len())]
                    .iter()
                    .collect(),
            })
            .collect()
    }
}

/// Every literal of a part that may name entities: (field, value).
fn literals(part: &Part) -> Vec<(Field, &crate::document::Text)> {
    let mut out = Vec::new();
    if let Some(title) = &part.title {
        out.push((Field::Title, title));
    }
    if let Some(text) = &part.text {
        out.push((Field::Text, text));
    }
    if let Some(attribution) = &part.attribution {
        out.push((Field::Attribution, &attribution.text));
    }
    out
}

/// What extraction found.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Every mention, in document and text order.
    pub mentions: Vec<Mention>,
    /// Unknown or mismatched acronyms.
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds every mention of the table's entities in a parsed corpus.
pub fn extract_mentions(
    parsed: &ParsedCorpus,
    table: &EntityTable,
) -> Result<Extracted, MatcherError> {
    Ok(extract_mentions_with(parsed, &Matcher::new(table)?))
}

/// [`extract_mentions`] with a matcher built once for many corpora (the
/// automata are most of the cost for a small one).
pub fn extract_mentions_with(parsed: &ParsedCorpus, matcher: &Matcher<'_>) -> Extracted {
    let table = matcher.table;
    let mut extracted = Extracted::default();
    for document in &parsed.documents {
        let mut places: Vec<(Vec<String>, Field, &crate::document::Text)> = Vec::new();
        if let Some(title) = &document.title {
            places.push((Vec::new(), Field::Title, title));
        }
        for (path, part) in document.walk() {
            for (field, text) in literals(part) {
                places.push((path.clone(), field, text));
            }
        }
        for (path, field, text) in places {
            let found =
                matcher.mentions_in(document, &path, field, &text.value, &document.language);
            if document.language.is_english()
                && let Some(source) = parsed.texts.get(document.source_at(&path))
            {
                check_acronyms(
                    &text.value,
                    text.span,
                    &found,
                    table,
                    source,
                    &mut extracted.diagnostics,
                );
            }
            extracted.mentions.extend(found);
        }
    }
    extracted
}

/// Checks the acronyms a text defines ("Name (ACR)") and the all-capital
/// tokens it uses against the table. `span` locates the literal in its
/// source, for diagnostics (exact for unrepaired text).
fn check_acronyms(
    text: &str,
    span: Span,
    mentions: &[Mention],
    table: &EntityTable,
    source: &SourceText,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let chars: Vec<char> = text.chars().collect();
    for token in acronym_tokens(&chars) {
        let (start, end) = (token.start, token.end);
        let defined = start >= 2
            && chars[start - 1] == '('
            && chars[start - 2] == ' '
            && chars.get(end) == Some(&')');
        let token: String = chars[token].iter().collect();
        if let Some((code, message)) = acronym_problem(&token, start, defined, mentions, table) {
            let at = Span::new(
                (span.start + start).min(span.end),
                (span.start + end).min(span.end),
            );
            diagnostics.push(Diagnostic::warning(source, at, code, message));
        }
    }
}

/// The acronym-like tokens of `chars`, as code-point ranges: a whole word
/// of capitals, digits and `-` (with an optional plural `s`) that starts
/// with a capital, has two capitals or a capital and a digit, and is not a
/// Roman numeral.
fn acronym_tokens(chars: &[char]) -> Vec<std::ops::Range<usize>> {
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let is_token_start = chars[index].is_ascii_uppercase()
            && (index == 0 || !chars[index - 1].is_alphanumeric());
        if !is_token_start {
            index += 1;
            continue;
        }
        let mut end = index;
        while end < chars.len()
            && (chars[end].is_ascii_uppercase() || chars[end].is_ascii_digit() || chars[end] == '-')
        {
            end += 1;
        }
        if end < chars.len()
            && chars[end] == 's'
            && chars.get(end + 1).is_none_or(|c| !c.is_alphanumeric())
        {
            end += 1;
        }
        let token = &chars[index..end];
        let capitals = token.iter().filter(|c| c.is_ascii_uppercase()).count();
        let whole = chars.get(end).is_none_or(|c| !c.is_alphanumeric());
        let roman_numeral = token.iter().all(|c| "IVXLCDM".contains(*c));
        let acronym_like = whole
            && !roman_numeral
            && (capitals >= 2 || (capitals == 1 && token.iter().any(|c| c.is_ascii_digit())));
        if acronym_like {
            tokens.push(index..end);
        }
        index = end.max(index + 1);
    }
    tokens
}

/// What is wrong with the acronym `token` at code point `start` (the
/// warning's code and message), if anything: unknown to the table, or
/// `defined` after a name of another entity than the one it belongs to.
fn acronym_problem(
    token: &str,
    start: usize,
    defined: bool,
    mentions: &[Mention],
    table: &EntityTable,
) -> Option<(&'static str, String)> {
    let singular = token.strip_suffix('s').unwrap_or(token);
    let known = table.entities.iter().find(|e| {
        e.english_forms()
            .iter()
            .any(|a| *a == token || *a == singular)
    });
    match (known, defined) {
        (None, true) => Some((
            "acronym-unknown",
            format!("the text defines the acronym '{token}', which the entity table does not know"),
        )),
        (None, false) => Some((
            "acronym-unknown",
            format!("the acronym '{token}' is not in the entity table"),
        )),
        (Some(entity), true) => {
            let before = mentions.iter().find(|m| m.end + 2 == start);
            if before.is_some_and(|m| m.entity == entity.key) {
                return None;
            }
            let named = before.map_or("no known name".to_owned(), |m| {
                format!("a name of '{}'", m.entity)
            });
            Some((
                "acronym-mismatch",
                format!(
                    "the acronym '{token}' belongs to '{}' in the entity table, but follows {named}",
                    entity.key
                ),
            ))
        }
        (Some(_), false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> EntityTable {
        let text = r#"
[[entity]]
key = "asean"
kind = "intergovernmental-organization"
label = { en = "Association of Southeast Asian Nations", zh-hans = "东南亚国家联盟" }
aliases = { en = ["ASEAN"], zh-hans = ["东盟"] }
acronyms = ["ASEAN"]

[[entity]]
key = "arf"
kind = "forum"
label = { en = "ASEAN Regional Forum", zh-hans = "东盟地区论坛" }
aliases = { en = ["Regional Forum of the Association of Southeast Asian Nations"] }
acronyms = ["ARF"]
parent = "asean"

[[entity]]
key = "g20"
kind = "forum"
label = { en = "G20" }
aliases = { en = ["Group of 20", "G-20"] }

[[entity]]
key = "ict"
kind = "concept"
label = { en = "information and communication technologies" }
acronyms = ["ICT"]

[[entity]]
key = "focac"
kind = "forum"
label = { en = "Forum on China-Africa Cooperation" }
acronyms = ["FOCAC"]
"#;
        EntityTable::parse("t", text).unwrap_or_default()
    }

    fn found(text: &str, language: Language) -> Vec<(String, String)> {
        let table = table();
        let matcher = Matcher::new(&table).unwrap_or_else(|e| panic!("{e}"));
        matcher
            .find(text, &language)
            .into_iter()
            .map(|c| {
                (
                    table.entities[c.entity].key.clone(),
                    text.chars().skip(c.start).take(c.end - c.start).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn longest_match_wins_and_nothing_overlaps() {
        let text = "the Regional Forum of the Association of Southeast Asian Nations (the ASEAN Regional Forum) and ASEAN";
        let pairs: Vec<_> = found(text, Language::ENGLISH)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(pairs, vec!["arf", "arf", "asean"]);
    }

    #[test]
    fn case_dashes_hyphens_and_boundaries() {
        let text = "the Group of 20 (G-20), the g20? Not G20s nor XG20. The Forum on China–Africa Cooperation (FOCAC). Many ICTs; ict; asean.";
        assert_eq!(
            found(text, Language::ENGLISH),
            vec![
                ("g20".to_owned(), "Group of 20".to_owned()),
                ("g20".to_owned(), "G-20".to_owned()),
                ("g20".to_owned(), "g20".to_owned()),
                (
                    "focac".to_owned(),
                    "Forum on China–Africa Cooperation".to_owned()
                ),
                ("focac".to_owned(), "FOCAC".to_owned()),
                ("ict".to_owned(), "ICTs".to_owned()),
            ]
        );
    }

    #[test]
    fn chinese_needs_no_boundaries() {
        assert_eq!(
            found("加强东盟地区论坛合作，东盟", Language::SIMPLIFIED_CHINESE),
            vec![
                ("arf".to_owned(), "东盟地区论坛".to_owned()),
                ("asean".to_owned(), "东盟".to_owned())
            ]
        );
    }

    #[test]
    fn acronyms_are_checked_against_the_table() {
        let table = table();
        let source = SourceText::new("s.txt", "x");
        let check = |text: &str| {
            let matcher = Matcher::new(&table).unwrap_or_else(|e| panic!("{e}"));
            let mut document = Document::new(
                "d",
                crate::document::DocumentKind::Edition,
                Language::ENGLISH,
                "s",
            );
            document.title = None;
            let mentions =
                matcher.mentions_in(&document, &[], Field::Text, text, &Language::ENGLISH);
            let mut diagnostics = Vec::new();
            check_acronyms(
                text,
                Span::new(0, 1),
                &mentions,
                &table,
                &source,
                &mut diagnostics,
            );
            diagnostics
                .into_iter()
                .map(|d| d.message)
                .collect::<Vec<_>>()
        };
        assert!(check("the Forum on China-Africa Cooperation (FOCAC) and the G-20").is_empty());
        assert_eq!(
            check("the Shanghai Cooperation Organization (SCO)"),
            vec!["the text defines the acronym 'SCO', which the entity table does not know"]
        );
        assert_eq!(
            check("the ASEAN Regional Forum (FOCAC)"),
            vec![
                "the acronym 'FOCAC' belongs to 'focac' in the entity table, but follows a name of 'arf'"
            ]
        );
        assert_eq!(
            check("IT and WTO, but not I or Chapter IV"),
            vec![
                "the acronym 'IT' is not in the entity table",
                "the acronym 'WTO' is not in the entity table"
            ]
        );
    }
}
