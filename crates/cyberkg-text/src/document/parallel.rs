//! Parser of the Chinese-English parallel text (`strategy-parallel-zh-en.txt`).
//!
//! Layout: one line per heading or paragraph, the Chinese first and its
//! English directly after it. Each line goes through one pipeline, on a list
//! of characters that remember their offset in the file, so every cleaning
//! step keeps provenance:
//!
//! 1. find corrupted spans (`?` amid Chinese text) and HTML remnants, and report them;
//! 2. apply the curated errata for that line (recorded as repairs);
//! 3. remove HTML remnants (recorded as repairs);
//! 4. strip the pinyin glosses (`網(wǎng)` → `網`);
//! 5. split at the end of the Chinese: the English starts at the first ASCII
//!    letter or digit after the last Chinese character.
//!
//! `clean_line` runs the five steps in order, each a function of its own
//! (`damaged`, `apply_errata`, `remove_html_remnants`, `strip_glosses`,
//! `split_halves`); the damage is reported once the repairs are known.
//!
//! The cleaned Traditional text is kept, and Simplified (the script of the
//! original) is derived from it. Chinese headings give the structure: the
//! Preface (`前言`, `序言`), chapters (`第二章 …`), sections (`一、…`) and the
//! Conclusion (`結束語`, `結語`); the English headings must agree with them.
//! A Preface whose second line starts with a dash (`——習近平…- Xi Jinping…`)
//! opens with an epigraph, as the UN edition's does. A file may be one page
//! of a longer article (see [`super::pages`]): its title line may carry a
//! page marker (`…(全文)(2)`), which is not part of the title.

use super::chinese::{self, gloss_end, is_chinese, is_cjk_ideograph};
use super::errata::apply_errata;
use super::located::{Char, Working};
use super::numbering::key_parts;
use super::source::{Line, SourceText, Span};
use super::{
    Diagnostic, Document, DocumentKind, Errata, Language, Parsed, Part, PartKind, Repair,
    RepairKind, Text,
};
use crate::numerals::{parse_chinese as parse_numeral, parse_roman as roman};

/// Ids of the two editions a parallel source yields.
#[derive(Debug, Clone)]
pub struct ParallelIds {
    /// The source's id (for errata and provenance).
    pub source: String,
    /// Id of the Chinese edition.
    pub chinese: String,
    /// Id of the English edition.
    pub english: String,
}

/// Finds HTML remnants (`/td>`, `<br>`, `</p>`): an optional `<`, a `/` or
/// `<`, one to eight ASCII letters or digits starting with a letter, and `>`.
fn html_remnants(values: &[char]) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < values.len() {
        let start = index;
        let mut cursor = index;
        let opened = values[cursor] == '<';
        if opened {
            cursor += 1;
        }
        let slashed = values.get(cursor) == Some(&'/');
        if slashed {
            cursor += 1;
        }
        let name_start = cursor;
        while values
            .get(cursor)
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && cursor - name_start < 8
        {
            cursor += 1;
        }
        let named = cursor > name_start && values[name_start].is_ascii_alphabetic();
        if (opened || slashed) && named && values.get(cursor) == Some(&'>') {
            found.push(start..cursor + 1);
            index = cursor + 1;
        } else {
            index += 1;
        }
    }
    found
}

/// Finds corrupted spans: a `?` with a non-ASCII character within three
/// characters of it (a question mark in English prose has none), extended
/// over the stray pinyin letters and `)` that follow it.
fn corrupted_spans(values: &[char]) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < values.len() {
        if values[index] != '?' {
            index += 1;
            continue;
        }
        let near = values[index.saturating_sub(3)..(index + 4).min(values.len())]
            .iter()
            .any(|c| !c.is_ascii());
        if !near {
            index += 1;
            continue;
        }
        let mut end = index + 1;
        while values
            .get(end)
            .is_some_and(|&c| chinese::is_pinyin_letter(c) || c == ' ')
        {
            end += 1;
        }
        if values.get(end) == Some(&')') {
            end += 1;
        } else {
            end = index + 1;
        }
        found.push(index..end);
        index = end;
    }
    found
}

/// One half of a cleaned line: its text and its characters with their offsets.
struct Half {
    text: Text,
    chars: Vec<Char>,
}

/// The two halves of one cleaned line.
struct SplitLine {
    chinese: Option<Half>,
    english: Option<Half>,
}

/// Cleans one line and splits it into its Chinese and English parts, in
/// the five steps of the module's pipeline.
fn clean_line(
    source: &SourceText,
    line: &Line<'_>,
    ids: &ParallelIds,
    errata: &Errata,
    diagnostics: &mut Vec<Diagnostic>,
) -> SplitLine {
    let mut working = Working::new(line);
    let raw = working.values();

    // 1. Find damage before anything changes, so every damaged span is reported.
    let corrupted = damaged(&working, &raw, corrupted_spans);
    let remnants = damaged(&working, &raw, html_remnants);

    // 2. Curated errata.
    let line_span = Span::new(line.char_start, line.char_start + raw.len());
    let mut repairs = apply_errata(
        &mut working,
        errata.for_line(&ids.source, line.number),
        source,
        line_span,
        diagnostics,
    );

    // 3. HTML remnants.
    repairs.extend(remove_html_remnants(&mut working));
    repairs.sort_by_key(|r| r.span);
    report_damage(source, &corrupted, &remnants, &repairs, diagnostics);

    // 4. Pinyin glosses.
    strip_glosses(&mut working);

    // 5. Split.
    split_halves(&working, &repairs)
}

/// The spans `find` finds in `raw`, the line's characters before any
/// change, with the text of each.
fn damaged(
    working: &Working,
    raw: &[char],
    find: fn(&[char]) -> Vec<std::ops::Range<usize>>,
) -> Vec<(Span, String)> {
    find(raw)
        .into_iter()
        .map(|range| (working.span(range.clone()), raw[range].iter().collect()))
        .collect()
}

/// Step 3: removes the HTML remnants of `working`, one repair each (last first).
fn remove_html_remnants(working: &mut Working) -> Vec<Repair> {
    let mut repairs = Vec::new();
    for range in html_remnants(&working.values()).into_iter().rev() {
        let span = working.span(range.clone());
        let original = Working::string(&working.chars[range.clone()]);
        working.replace(range, "");
        repairs.push(Repair {
            kind: RepairKind::HtmlRemnant,
            span,
            original,
            replacement: String::new(),
            reason: "An HTML remnant left by the web page the text was copied from.".to_owned(),
            erratum_id: None,
        });
    }
    repairs
}

/// Reports the damage step 1 found: a corrupted span as a note when a
/// repair covers it (naming its erratum), else as a warning; each HTML
/// remnant as a note.
fn report_damage(
    source: &SourceText,
    corrupted: &[(Span, String)],
    remnants: &[(Span, String)],
    repairs: &[Repair],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (span, text) in corrupted {
        let repaired_by = repairs
            .iter()
            .find(|r| r.span.start <= span.start && span.end <= r.span.end);
        diagnostics.push(match repaired_by {
            Some(repair) => Diagnostic::note(
                source,
                *span,
                "corrupted-characters",
                format!(
                    "corrupted characters '{text}' from a broken encoding round-trip; repaired by erratum '{}'",
                    repair.erratum_id.as_deref().unwrap_or("?")
                ),
            ),
            None => Diagnostic::warning(
                source,
                *span,
                "corrupted-characters",
                format!("corrupted characters '{text}' from a broken encoding round-trip; no erratum repairs them, so they stay in the text"),
            ),
        });
    }
    for (span, text) in remnants {
        diagnostics.push(Diagnostic::note(
            source,
            *span,
            "html-remnant",
            format!("HTML remnant '{text}' removed"),
        ));
    }
}

/// Step 4: strips the pinyin glosses that follow an ideograph (`網(wǎng)` → `網`).
fn strip_glosses(working: &mut Working) {
    let values = working.values();
    let mut kept = Vec::with_capacity(working.chars.len());
    let mut index = 0;
    while index < values.len() {
        let after_ideograph = index > 0 && is_cjk_ideograph(values[index - 1]);
        match gloss_end(&values, index) {
            Some(end) if after_ideograph => index = end,
            _ => {
                kept.push(working.chars[index]);
                index += 1;
            }
        }
    }
    working.chars = kept;
}

/// Step 5: splits the cleaned line where the English starts, at the first
/// ASCII letter or digit after the last Chinese character. Repairs before
/// the English belong to the Chinese column (an HTML remnant between the
/// two closes the Chinese table cell); the rest to the English.
fn split_halves(working: &Working, repairs: &[Repair]) -> SplitLine {
    let values = working.values();
    let last_chinese = values.iter().rposition(|&c| is_chinese(c));
    let split = match last_chinese {
        Some(last) => values[last + 1..]
            .iter()
            .position(|c| c.is_ascii_alphanumeric())
            .map_or(values.len(), |p| last + 1 + p),
        None => 0,
    };
    let english_start = working.chars.get(split).map_or(usize::MAX, |c| c.offset);
    let repairs_where = |chinese: bool| -> Vec<Repair> {
        repairs
            .iter()
            .filter(|r| (r.span.start < english_start) == chinese)
            .cloned()
            .collect()
    };
    let chinese = trimmed(&working.chars[..split]).map(|chars| {
        let value = Working::string(chars);
        half(
            chars,
            chinese::to_simplified(&value),
            Some(value),
            repairs_where(true),
        )
    });
    let english = trimmed(&working.chars[split..])
        .map(|chars| half(chars, Working::string(chars), None, repairs_where(false)));
    SplitLine { chinese, english }
}

/// A half of a line from its characters, its value (and Traditional form) and its repairs.
fn half(chars: &[Char], value: String, traditional: Option<String>, repairs: Vec<Repair>) -> Half {
    let text = Text {
        value,
        traditional,
        span: chars_span(chars),
        repairs,
    };
    Half {
        text,
        chars: chars.to_vec(),
    }
}

/// `chars` without leading and trailing white space (None when nothing is left).
fn trimmed(chars: &[Char]) -> Option<&[Char]> {
    let start = chars.iter().position(|c| !c.value.is_whitespace())?;
    let end = chars.iter().rposition(|c| !c.value.is_whitespace())? + 1;
    Some(&chars[start..end])
}

/// The file span from the first to the last of `chars`.
fn chars_span(chars: &[Char]) -> Span {
    match (chars.first(), chars.last()) {
        (Some(first), Some(last)) => Span::new(first.offset, last.end),
        _ => Span::default(),
    }
}

/// A Chinese heading: `第二章 基本原則` (chapter) or `一、和平原則` (section).
pub(crate) fn chinese_heading(text: &str) -> Option<(PartKind, u32, usize)> {
    if let Some(rest) = text.strip_prefix('第')
        && let Some(end) = rest.find('章')
    {
        let number = parse_numeral(&rest[..end])?;
        let title_start = '第'.len_utf8() + end + '章'.len_utf8();
        return Some((PartKind::Chapter, number, title_start));
    }
    let (numeral, _) = text.split_once('、')?;
    let number = parse_numeral(numeral)?;
    let title = &text[numeral.len() + '、'.len_utf8()..];
    let short = title.chars().count() <= 40 && !title.contains('。');
    short.then_some((PartKind::Section, number, numeral.len() + '、'.len_utf8()))
}

/// An English heading: `Chapter II. Basic Principles` or `1. The Principle of Peace`.
/// Returns the kind, the number and the byte offset where the title starts.
pub(crate) fn english_heading(text: &str) -> Option<(PartKind, u32, usize)> {
    if let Some(rest) = text.strip_prefix("Chapter ") {
        let numeral_len = rest.find(|c: char| !matches!(c, 'I' | 'V' | 'X' | 'L'))?;
        let number = roman(&rest[..numeral_len])?;
        let after = &rest[numeral_len..];
        let title = after.trim_start_matches('.').trim_start();
        return Some((PartKind::Chapter, number, text.len() - title.len()));
    }
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    let number: u32 = text[..digits].parse().ok()?;
    let title = text[digits..].strip_prefix('.')?.trim_start();
    let heading_like = !title.is_empty() && title.len() <= 120 && !title.ends_with('.');
    heading_like.then_some((PartKind::Section, number, text.len() - title.len()))
}

/// The characters of an attribution line's Chinese half: after its
/// leading dash (`——`), without the dash before the English (`- Xi…`) that
/// the split left at its end; `None` for a line that does not start with a
/// dash.
fn attribution_chars(half: &Half) -> Option<&[Char]> {
    let dashes = ['—', '－', '-', '–'];
    let start = half.chars.iter().position(|c| !dashes.contains(&c.value))?;
    if start == 0 {
        return None;
    }
    let chars = trimmed(&half.chars[start..])?;
    let end = chars.iter().rposition(|c| !dashes.contains(&c.value))? + 1;
    trimmed(&chars[..end])
}

/// The text of some of a half's characters, with the exact span they came from.
fn text_of(half: &Half, chars: &[Char]) -> Text {
    let value = Working::string(chars);
    let (value, traditional) = match half.text.traditional {
        Some(_) => (chinese::to_simplified(&value), Some(value)),
        None => (value, None),
    };
    Text {
        value,
        traditional,
        span: chars_span(chars),
        repairs: half.text.repairs.clone(),
    }
}

/// The title of a heading: the characters from `title_start` on (in code
/// points of the cleaned text), with the exact span they came from.
fn title_text(half: &Half, title_start: usize) -> Text {
    let chars = half
        .chars
        .get(title_start..)
        .and_then(trimmed)
        .unwrap_or(&[]);
    text_of(half, chars)
}

/// The document title from the first line: `【中英文對照】網絡空間國際合作戰略(全文)`
/// loses its bracketed label, its page markers (`(2)`, see
/// [`super::pages::strip_page_markers`]) and its `(全文)` ("full text") note.
fn document_title(half: &Half) -> Text {
    let chars = &half.chars;
    let start = match chars.first().map(|c| c.value) {
        Some('【') => chars
            .iter()
            .position(|c| c.value == '】')
            .map_or(0, |i| i + 1),
        _ => 0,
    };
    let value = Working::string(chars);
    let mut end = super::pages::strip_page_markers(&value).chars().count();
    for suffix in ["(全文)", "（全文）"] {
        let suffix: Vec<char> = suffix.chars().collect();
        if end >= start + suffix.len()
            && chars[end - suffix.len()..end]
                .iter()
                .map(|c| c.value)
                .eq(suffix.iter().copied())
        {
            end -= suffix.len();
        }
    }
    text_of(half, trimmed(&chars[start..end]).unwrap_or(&[]))
}

/// Whether the "English" the split found on a title line is only the rest
/// of a page marker (`…(全文)(2)` splits before the `2`).
fn is_page_marker_rest(zh: &Half, en: &Half) -> bool {
    if en.text.value.chars().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let line = format!("{}{}", Working::string(&zh.chars), en.text.value);
    let stripped = super::pages::strip_page_markers(&line);
    stripped.len() < line.len()
        && !stripped
            .chars()
            .rev()
            .take_while(|&c| !is_chinese(c))
            .any(|c| c.is_ascii_alphanumeric())
}

/// One half made of two (a title line the split cut at a page marker).
fn joined(first: Half, second: Half) -> Half {
    let mut chars = first.chars;
    chars.extend(second.chars);
    Half {
        text: first.text,
        chars,
    }
}

/// Builds the two editions, keeping track of the current chapter and section.
struct Builder {
    document: Document,
    chapter: Option<usize>,
    section: Option<usize>,
}

impl Builder {
    fn new(id: &str, language: Language, source: &str) -> Self {
        Self {
            document: Document::new(id, DocumentKind::Edition, language, source),
            chapter: None,
            section: None,
        }
    }

    fn chapter(&mut self, number: u32, title: Text) {
        let mut chapter = Part::new(PartKind::Chapter, Some(number));
        chapter.title = Some(title);
        self.document.parts.push(chapter);
        self.chapter = Some(self.document.parts.len() - 1);
        self.section = None;
    }

    /// Adds an unnumbered top-level part (the Preface, the Conclusion),
    /// which holds the paragraphs after it.
    fn unnumbered(&mut self, kind: PartKind, title: Text) {
        let mut part = Part::new(kind, None);
        part.title = Some(title);
        self.document.parts.push(part);
        self.chapter = Some(self.document.parts.len() - 1);
        self.section = None;
    }

    /// The Preface being read, while it holds one paragraph and no epigraph:
    /// the place where a dash line makes that paragraph the epigraph.
    fn preface_awaiting_attribution(&mut self) -> Option<&mut Part> {
        let part = self.chapter.and_then(|i| self.document.parts.get_mut(i))?;
        let awaiting = part.kind == PartKind::Preface
            && self.section.is_none()
            && part.count(PartKind::Paragraph) == 1
            && part.count(PartKind::Epigraph) == 0
            && part.children.len() == 1;
        awaiting.then_some(part)
    }

    /// Adds a section; returns false when there is no chapter to hold it.
    fn section(&mut self, number: u32, title: Text) -> bool {
        let Some(chapter) = self.chapter.and_then(|i| self.document.parts.get_mut(i)) else {
            return false;
        };
        let mut section = Part::new(PartKind::Section, Some(number));
        section.title = Some(title);
        chapter.children.push(section);
        self.section = Some(chapter.children.len() - 1);
        true
    }

    fn paragraph(&mut self, text: Text) {
        let chapter = self.chapter.and_then(|i| self.document.parts.get_mut(i));
        match (chapter, self.section) {
            (Some(chapter), Some(section)) => match chapter.children.get_mut(section) {
                Some(section) => section.push_paragraph(text),
                None => chapter.push_paragraph(text),
            },
            (Some(chapter), None) => chapter.push_paragraph(text),
            (None, _) => self.document.push_paragraph(text),
        }
    }
}

/// The two editions being read from one source, and the diagnostics so far.
struct Editions<'a> {
    source: &'a SourceText,
    chinese: Builder,
    english: Builder,
    diagnostics: Vec<Diagnostic>,
}

/// Parses a parallel text into its Chinese and English editions.
pub fn parse_parallel_text(source: &SourceText, ids: &ParallelIds, errata: &Errata) -> Parsed {
    let mut editions = Editions {
        source,
        chinese: Builder::new(&ids.chinese, Language::SIMPLIFIED_CHINESE, &ids.source),
        english: Builder::new(&ids.english, Language::ENGLISH, &ids.source),
        diagnostics: Vec::new(),
    };
    for line in source.lines() {
        if line.text.trim().is_empty() {
            continue;
        }
        let line_span = Span::new(line.char_start, line.char_start + line.text.chars().count());
        let split = clean_line(source, &line, ids, errata, &mut editions.diagnostics);
        if let Some((zh, en)) = editions.pair(split, line_span) {
            editions.add_line(zh, en, line_span);
        }
    }
    editions.finish()
}

impl Editions<'_> {
    /// The Chinese and English halves of a line, when it has both. A first
    /// line with only Chinese is the document title; any other line with a
    /// half missing is left out with a warning.
    fn pair(&mut self, split: SplitLine, line_span: Span) -> Option<(Half, Half)> {
        let awaiting_title =
            self.chinese.document.title.is_none() && self.chinese.document.parts.is_empty();
        match (split.chinese, split.english) {
            (Some(zh), en)
                if awaiting_title && en.as_ref().is_none_or(|en| is_page_marker_rest(&zh, en)) =>
            {
                let whole = match en {
                    Some(en) => joined(zh, en),
                    None => zh,
                };
                self.chinese.document.title = Some(document_title(&whole));
                None
            }
            (Some(zh), Some(en)) => Some((zh, en)),
            (Some(_), None) => {
                self.diagnostics.push(Diagnostic::warning(self.source, line_span, "missing-english", "this line has Chinese text but no English translation after it; it is left out"));
                None
            }
            (None, _) => {
                self.diagnostics.push(Diagnostic::warning(
                    self.source,
                    line_span,
                    "missing-chinese",
                    "this line has no Chinese text; it is left out",
                ));
                None
            }
        }
    }

    /// Adds a line to both editions: a heading when the Chinese is one (the
    /// English must agree), else a paragraph.
    fn add_line(&mut self, zh: Half, en: Half, line_span: Span) {
        let traditional = zh.text.traditional.clone().unwrap_or_default();
        if let Some(kind) = super::unnumbered_part(&traditional) {
            if super::unnumbered_part(&en.text.value) != Some(kind) {
                self.diagnostics.push(Diagnostic::warning(
                    self.source,
                    en.text.span,
                    "heading-mismatch",
                    format!(
                        "the English heading '{}' does not match the Chinese {}",
                        en.text.value,
                        kind.slug()
                    ),
                ));
            }
            self.chinese.unnumbered(kind, zh.text);
            self.english.unnumbered(kind, en.text);
            return;
        }
        if let Some(zh_attribution) = attribution_chars(&zh)
            && self.chinese.preface_awaiting_attribution().is_some()
            && self.english.preface_awaiting_attribution().is_some()
        {
            let zh_text = text_of(&zh, zh_attribution);
            if let Some(preface) = self.chinese.preface_awaiting_attribution() {
                super::un::make_epigraph(preface, zh_text);
            }
            if let Some(preface) = self.english.preface_awaiting_attribution() {
                super::un::make_epigraph(preface, en.text);
            }
            return;
        }
        match (
            chinese_heading(&traditional),
            english_heading(&en.text.value),
        ) {
            (Some((kind, number, title_start)), english_match) => {
                let zh_title = title_text(&zh, traditional[..title_start].chars().count());
                let en_title = self.english_title(&en, kind, number, english_match);
                self.add_heading(kind, number, zh_title, en_title, line_span);
            }
            (None, Some((kind, number, _))) => {
                self.diagnostics.push(Diagnostic::warning(
                    self.source,
                    en.text.span,
                    "heading-mismatch",
                    format!("the English looks like {} {number} but the Chinese is not a heading; read as a paragraph", kind.slug()),
                ));
                self.chinese.paragraph(zh.text);
                self.english.paragraph(en.text);
            }
            (None, None) => {
                self.chinese.paragraph(zh.text);
                self.english.paragraph(en.text);
            }
        }
    }

    /// The English title of the Chinese heading `kind number`: the title of
    /// `english_match` when it is the same heading, else (with a warning)
    /// the whole English line.
    fn english_title(
        &mut self,
        en: &Half,
        kind: PartKind,
        number: u32,
        english_match: Option<(PartKind, u32, usize)>,
    ) -> Text {
        match english_match {
            Some((en_kind, en_number, en_start)) if en_kind == kind && en_number == number => {
                title_text(en, en.text.value[..en_start].chars().count())
            }
            _ => {
                self.diagnostics.push(Diagnostic::warning(
                    self.source,
                    en.text.span,
                    "heading-mismatch",
                    format!(
                        "the English heading '{}' does not match the Chinese {} {number}",
                        en.text.value,
                        kind.slug()
                    ),
                ));
                en.text.clone()
            }
        }
    }

    /// Adds a chapter or a section to both editions; a section before any
    /// chapter is left out with a warning.
    fn add_heading(
        &mut self,
        kind: PartKind,
        number: u32,
        zh_title: Text,
        en_title: Text,
        line_span: Span,
    ) {
        match kind {
            PartKind::Chapter => {
                self.chinese.chapter(number, zh_title);
                self.english.chapter(number, en_title);
            }
            _ => {
                if !(self.chinese.section(number, zh_title)
                    && self.english.section(number, en_title))
                {
                    self.diagnostics.push(Diagnostic::warning(
                        self.source,
                        line_span,
                        "section-outside-chapter",
                        format!("section {number} comes before any chapter; it is left out"),
                    ));
                }
            }
        }
    }

    /// The two documents, with a warning when no structure was found.
    fn finish(mut self) -> Parsed {
        if self.chinese.document.parts.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                self.source,
                Span::default(),
                "no-structure",
                "no chapter, section or paragraph found in this parallel text",
            ));
        }
        // The two editions are built in step, so they get the same keys;
        // the repeats are reported once, at the Chinese headings.
        key_parts(
            self.source,
            &mut self.chinese.document.parts,
            &mut self.diagnostics,
        );
        key_parts(
            self.source,
            &mut self.english.document.parts,
            &mut Vec::new(),
        );
        Parsed {
            documents: vec![self.chinese.document, self.english.document],
            diagnostics: self.diagnostics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> ParallelIds {
        ParallelIds {
            source: "p".into(),
            chinese: "t/zh".into(),
            english: "t/en".into(),
        }
    }

    fn parse(text: &str, errata: &Errata) -> Parsed {
        parse_parallel_text(&SourceText::new("p.txt", text), &ids(), errata)
    }

    #[test]
    fn splits_strips_glosses_and_converts() {
        let parsed = parse(
            "   【中英文對照】網(wǎng)絡(luò )空間(全文)\n\n   第二章 基本原則Chapter II. Basic Principles\n   網(wǎng)絡(luò )空間互聯(lián)互通。In the interconnected cyberspace.\n",
            &Errata::default(),
        );
        let [zh, en] = parsed.documents.as_slice() else {
            panic!("two editions")
        };
        assert_eq!(
            zh.title.as_ref().map(|t| t.value.as_str()),
            Some("网络空间")
        );
        assert_eq!(
            zh.title.as_ref().and_then(|t| t.traditional.as_deref()),
            Some("網絡空間")
        );
        let chapter = &zh.parts[0];
        assert_eq!((chapter.kind, chapter.number), (PartKind::Chapter, Some(2)));
        assert_eq!(
            chapter.title.as_ref().map(|t| t.value.as_str()),
            Some("基本原则")
        );
        let paragraph = chapter.children[0].text.as_ref().map(|t| t.value.as_str());
        assert_eq!(paragraph, Some("网络空间互联互通。"));
        assert_eq!(
            en.parts[0].title.as_ref().map(|t| t.value.as_str()),
            Some("Basic Principles")
        );
        assert_eq!(
            en.parts[0].children[0]
                .text
                .as_ref()
                .map(|t| t.value.as_str()),
            Some("In the interconnected cyberspace.")
        );
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    }

    #[test]
    fn english_span_points_at_the_english_characters() {
        let text = "   第二章 基本原則Chapter II. Basic Principles\n   中國(guó)。China.\n";
        let source = SourceText::new("p.txt", text);
        let parsed = parse_parallel_text(&source, &ids(), &Errata::default());
        let english = parsed.documents[1].parts[0].children[0].text.clone();
        let span = english.map(|t| t.span).unwrap_or_default();
        assert_eq!(source.slice(span), "China.");
        let chinese = parsed.documents[0].parts[0].children[0].text.clone();
        assert_eq!(
            chinese.map(|t| source.slice(t.span)).as_deref(),
            Some("中國(guó)。")
        );
    }

    #[test]
    fn corrupted_spans_and_html_are_reported_and_repaired_by_errata() {
        let errata = Errata::from_toml("e", "[[erratum]]\nid = \"e1\"\nsource = \"p\"\nline = 2\nfind = \"字?zhù)櫆稀薄?\"\nreplace = \"字鴻溝”。\"\nreason = \"test\"\n").unwrap_or_default();
        let parsed = parse(
            "第二章 原則Chapter II. Principles\n數字?zhù)櫆稀薄?/td>Bridge the divide.\n第三章 目標Chapter III. Goals\n數字?xún)?yōu)。Text.\n",
            &errata,
        );
        let codes: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column, d.code, d.severity))
            .collect();
        use super::super::Severity::*;
        assert_eq!(
            codes,
            vec![
                (2, 3, "corrupted-characters", Note),
                (2, 11, "corrupted-characters", Note),
                (2, 12, "html-remnant", Note),
                (4, 3, "corrupted-characters", Warning),
                (4, 8, "corrupted-characters", Warning),
            ]
        );
        let text = parsed.documents[0].parts[0].children[0]
            .text
            .clone()
            .unwrap_or_else(|| Text::plain("", Span::default()));
        assert_eq!(text.traditional.as_deref(), Some("數字鴻溝”。"));
        assert_eq!(text.value, "数字鸿沟”。");
        let kinds: Vec<_> = text.repairs.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, vec![RepairKind::Erratum, RepairKind::HtmlRemnant]);
        let english = parsed.documents[1].parts[0].children[0]
            .text
            .clone()
            .unwrap_or_else(|| Text::plain("", Span::default()));
        assert_eq!(english.value, "Bridge the divide.");
        assert!(english.repairs.is_empty(), "{:?}", english.repairs);
    }

    #[test]
    fn a_repaired_ending_spans_the_whole_damaged_run() {
        let errata = Errata::from_toml("e", "[[erratum]]\nid = \"e1\"\nsource = \"p\"\nline = 2\nfind = \"字?zhù)櫆稀薄?\"\nreplace = \"字鴻溝”。\"\nreason = \"test\"\n").unwrap_or_default();
        let source = SourceText::new(
            "p.txt",
            "第二章 原則Chapter II. Principles\n數字?zhù)櫆稀薄?/td>Bridge the divide.\n",
        );
        let parsed = parse_parallel_text(&source, &ids(), &errata);
        let text = parsed.documents[0].parts[0].children[0]
            .text
            .clone()
            .map(|t| source.slice(t.span));
        assert_eq!(text.as_deref(), Some("數字?zhù)櫆稀薄?"));
    }

    #[test]
    fn a_repeated_chapter_number_keys_both_editions_alike() {
        let line = "第二章 原則Chapter II. Principles\n中國。China.\n";
        let parsed = parse(&line.repeat(2), &Errata::default());
        for edition in &parsed.documents {
            let segments: Vec<String> = edition.parts.iter().map(Part::segment).collect();
            assert_eq!(segments, ["chapter-2", "chapter-2-2"], "{}", edition.id);
        }
        let warnings: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect();
        assert_eq!(warnings, [("duplicate-number", 3, 5)]);
    }

    #[test]
    fn odd_lines_are_diagnostics_not_failures() {
        let parsed = parse(
            "只有中文。\nOnly English.\n一、節Section without chapter\n",
            &Errata::default(),
        );
        let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"missing-chinese"), "{codes:?}");
        assert_eq!(parsed.documents.len(), 2);
    }

    #[test]
    fn headings() {
        assert_eq!(
            chinese_heading("第二章 基本原則"),
            Some((PartKind::Chapter, 2, 9))
        );
        assert_eq!(
            chinese_heading("一、和平原則"),
            Some((PartKind::Section, 1, 6))
        );
        assert_eq!(
            chinese_heading("中國始終是世界和平的建設者、全球發展的貢獻者。"),
            None
        );
        assert_eq!(
            english_heading("Chapter II. Basic Principles"),
            Some((PartKind::Chapter, 2, 12))
        );
        assert_eq!(
            english_heading("Chapter IV Plan of action"),
            Some((PartKind::Chapter, 4, 11))
        );
        assert_eq!(
            english_heading("1. The Principle of Peace"),
            Some((PartKind::Section, 1, 3))
        );
        assert_eq!(english_heading("2030 Agenda is a plan."), None);
    }
}
