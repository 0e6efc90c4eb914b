//! The Markdown layout: any other document, saved as CommonMark (what
//! pandoc makes of a PDF, DOCX or HTML), read with pulldown-cmark.
//!
//! A file may open with TOML front matter between two `+++` lines
//! ([`read_front_matter`]: `id`, `title`, `language`, `date`, `publisher`,
//! `translation_of`, `country`); the corpus collector reads it for the
//! document's metadata, and a key or value it cannot use is a
//! [`CuratedDataError`] at its `file:line:column`. The body gives the
//! structure:
//! - `#` is the document title (a later `#` is read as a `##`, with a
//!   warning);
//! - `##` a chapter: numbered `Chapter 2`, `Chapter II`, `II.`, `2.` or
//!   `第二章` is a [`PartKind::Chapter`] with that number; Preface,
//!   Introduction, Foreword, 前言, 序言, 引言 a [`PartKind::Preface`];
//!   Conclusion, Concluding remarks, 结束语, 结语, 結束語, 結語 a
//!   [`PartKind::Conclusion`]; **any other `##` is a chapter numbered one
//!   after the chapter before it** (the first is chapter 1), with a
//!   `unnumbered-heading` note: a translation with the same headings then
//!   aligns with its original chapter by chapter, as numbered ones do;
//! - `###` a section, numbered `1.`, `1 `, `一、`, `(一)` or `（一）` (an
//!   unnumbered one likewise numbered by order, with a note); a section
//!   before any chapter sits at the document level;
//! - each paragraph, and each list item (its own text, without the items
//!   of a list nested in it, which are paragraphs of their own), is a
//!   [`PartKind::Paragraph`] of the innermost open part
//!   ([`Part::push_paragraph`]); text before the first `##` belongs to the
//!   document itself ([`Document::push_paragraph`]);
//! - a `####` or deeper heading is read as a paragraph of the open part,
//!   a code block as one paragraph with its text verbatim, a block quote's
//!   paragraphs as paragraphs, each with a note; tables and HTML blocks
//!   are left out with a note, and inline HTML is dropped.
//!
//! **Values are the rendered text, spans are the source.** A literal is
//! what a reader sees: emphasis markers, link targets, backticks and
//! escapes are removed, and a line break inside a paragraph is one space.
//! Its [`Text::span`] runs from the first to the last source character the
//! value comes from, markup inside included, so it points at the whole
//! paragraph (or heading title) in the file. Where the paragraph holds no
//! markup and no line break, the span's characters are exactly the value.
//! Mentions are found in the value, so a mention's `exact` is always the
//! literal's characters.
//!
//! **Parsing never fails**: any text gives a document and diagnostics. A
//! front matter [`parse_markdown`] cannot read (the collector refuses such
//! a file first) is a warning, and the body after it is read.

use super::errata::apply_errata;
use super::located::{Char, Working};
use super::numbering::key_parts;
use super::source::{SourceText, Span};
use super::{Diagnostic, Document, DocumentKind, Errata, Language, Parsed, Part, PartKind, Text};
use crate::data_file::{CuratedDataError, read_toml};
use crate::document::dates::Date;
use crate::numerals::{parse_chinese, parse_roman};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Deserializer};

/// The line that opens and closes TOML front matter.
const FRONT_MATTER_FENCE: &str = "+++";

/// The ids and language of the one document a Markdown source yields.
#[derive(Debug, Clone)]
pub struct MarkdownIds {
    /// The source's id (for errata and provenance).
    pub source: String,
    /// The document's id.
    pub document: String,
    /// Its language, as the manifest or the front matter declares it;
    /// `None` reads it as `und` (undetermined), with a warning.
    pub language: Option<Language>,
}

/// The metadata a Markdown file's front matter states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The document id (an IRI path under the base).
    #[serde(default, deserialize_with = "id_field")]
    pub id: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// Its language, a well-formed BCP 47 tag.
    #[serde(default, deserialize_with = "language_field")]
    pub language: Option<Language>,
    /// When it was issued (`2021-02-01` or `"2021-02-01"`).
    #[serde(default, deserialize_with = "crate::corpus::corpus_file::date_field")]
    pub date: Option<Date>,
    /// Who issued it.
    pub publisher: Option<String>,
    /// The id of the document it translates.
    #[serde(default, alias = "translation-of", deserialize_with = "id_field")]
    pub translation_of: Option<String>,
    /// The country or issuing body it is from.
    pub country: Option<String>,
}

fn id_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let id = String::deserialize(deserializer)?;
    crate::corpus::collect::check_id(&id)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn language_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Language>, D::Error> {
    let tag = String::deserialize(deserializer)?;
    Language::parse(&tag)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// Whether a line (without its ending) is a front matter fence.
fn is_fence(line: &str) -> bool {
    line.trim_end() == FRONT_MATTER_FENCE
}

/// Reads the TOML front matter at the very start of a Markdown file:
/// `None` when the first line is not `+++`, else the metadata and the byte
/// offset where the body starts (after the closing `+++` line). An
/// unclosed front matter, an unknown key or a bad value (a date outside
/// the calendar, a malformed language tag or id) is an error at its
/// `file:line:column`.
pub fn read_front_matter(
    file: &str,
    text: &str,
) -> Result<Option<(FrontMatter, usize)>, CuratedDataError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(text[..first_end].trim_end_matches('\r')) {
        return Ok(None);
    }
    let toml_start = (first_end + 1).min(text.len());
    let mut line_start = toml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if is_fence(&text[line_start..line_end]) {
            // One line feed in front keeps the TOML's lines the file's.
            let toml = format!("\n{}", &text[toml_start..line_start]);
            let front_matter: FrontMatter = read_toml(file, &toml)?;
            return Ok(Some((front_matter, (line_end + 1).min(text.len()))));
        }
        line_start = line_end + 1;
    }
    Err(CuratedDataError::at(
        file,
        1,
        1,
        "the front matter opened by this +++ line is never closed; end it with a line holding only +++",
    ))
}

/// Where the collected text of a block goes once the block ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Paragraph,
    Item,
    Heading(HeadingLevel),
    Code,
}

/// The parser's state: the document, the open chapter and section, the
/// block being collected.
struct Reader<'a> {
    source: &'a SourceText,
    ids: &'a MarkdownIds,
    errata: &'a Errata,
    document: Document,
    chapter: Option<Part>,
    section: Option<Part>,
    block: Option<(Block, Vec<Char>)>,
    /// Depth of the blocks whose text is left out (tables, HTML).
    skipped: usize,
    diagnostics: Vec<Diagnostic>,
}

/// Parses one Markdown source into its document (see the module doc).
pub fn parse_markdown(source: &SourceText, ids: &MarkdownIds, errata: &Errata) -> Parsed {
    let mut diagnostics = Vec::new();
    let text = source.text.as_str();
    let body_start = match read_front_matter(&source.name, text) {
        Ok(Some((_, start))) => start,
        Ok(None) => 0,
        Err(error) => {
            diagnostics.push(Diagnostic::warning(
                source,
                Span::default(),
                "front-matter",
                format!(
                    "the front matter cannot be read ({}); the text after it is read as the document",
                    error.problem
                ),
            ));
            skip_front_matter(text)
        }
    };
    let language = match &ids.language {
        Some(language) => language.clone(),
        None => {
            diagnostics.push(Diagnostic::warning(
                source,
                Span::default(),
                "no-language",
                "no language is declared for this Markdown file; its text is tagged 'und' (undetermined): add `language = \"en\"` (any BCP 47 tag) to its front matter or its corpus.toml entry",
            ));
            Language::UNDETERMINED
        }
    };
    let mut reader = Reader {
        source,
        ids,
        errata,
        document: Document::new(&ids.document, DocumentKind::Edition, language, &ids.source),
        chapter: None,
        section: None,
        block: None,
        skipped: 0,
        diagnostics,
    };
    let body = &text[body_start..];
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let span = source.span_of_bytes(body_start + range.start, body_start + range.end);
        reader.event(event, span);
    }
    reader.finish()
}

/// Where the body starts after a front matter that cannot be read: after
/// the closing `+++` line, else the whole text is the body.
fn skip_front_matter(text: &str) -> usize {
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if index > 0 && is_fence(line.trim_end_matches(['\n', '\r'])) {
            return offset;
        }
    }
    0
}

impl Reader<'_> {
    fn note(&mut self, span: Span, code: &'static str, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::note(self.source, span, code, message));
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => self.text(&text, span),
            Event::SoftBreak => self.push_chars(" ", span),
            Event::HardBreak => self.push_chars("\n", span),
            Event::Html(_) | Event::InlineHtml(_) if self.skipped == 0 && self.block.is_some() => {
                self.note(span, "html", "inline HTML is left out of the text");
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        if self.skipped > 0 {
            if matches!(tag, Tag::Table(_) | Tag::HtmlBlock) {
                self.skipped += 1;
            }
            return;
        }
        match tag {
            Tag::Paragraph => match &self.block {
                Some((Block::Item, chars)) if !chars.is_empty() => self.push_chars(" ", span),
                Some(_) => {}
                None => self.block = Some((Block::Paragraph, Vec::new())),
            },
            Tag::Item => {
                self.flush();
                self.block = Some((Block::Item, Vec::new()));
            }
            Tag::List(_) => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.block = Some((Block::Heading(level), Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let what = match kind {
                    CodeBlockKind::Indented => "an indented code block",
                    CodeBlockKind::Fenced(_) => "a fenced code block",
                };
                self.note(
                    span,
                    "code-block",
                    format!("{what} is read as one paragraph, its text verbatim"),
                );
                self.block = Some((Block::Code, Vec::new()));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.note(
                    span,
                    "block-quote",
                    "a block quote's paragraphs are read as paragraphs of the open part",
                );
            }
            Tag::Table(_) | Tag::HtmlBlock => {
                self.flush();
                let what = if matches!(tag, Tag::Table(_)) {
                    "a table"
                } else {
                    "an HTML block"
                };
                self.note(
                    span,
                    "left-out",
                    format!(
                        "{what} is left out: only headings, paragraphs and list items are read"
                    ),
                );
                self.skipped = 1;
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if self.skipped > 0 {
            if matches!(tag, TagEnd::Table | TagEnd::HtmlBlock) {
                self.skipped -= 1;
            }
            return;
        }
        match tag {
            TagEnd::Paragraph if matches!(self.block, Some((Block::Paragraph, _))) => self.flush(),
            TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock => self.flush(),
            TagEnd::BlockQuote(_) | TagEnd::List(_) => self.flush(),
            _ => {}
        }
    }

    /// A text event: its characters, each with the source character it
    /// comes from where the source holds it literally (inline code inside
    /// its backticks too), else all standing for the event's whole range
    /// (an entity such as `&amp;`, an escape).
    fn text(&mut self, text: &str, span: Span) {
        if self.skipped > 0 || self.block.is_none() {
            return;
        }
        let raw = self.source.slice(span);
        let found = if raw == text {
            Some(0)
        } else {
            raw.find(text).map(|byte| raw[..byte].chars().count())
        };
        match found {
            Some(offset) if !text.is_empty() => {
                let start = span.start + offset;
                if let Some((_, chars)) = &mut self.block {
                    chars.extend(text.chars().enumerate().map(|(index, value)| Char {
                        value,
                        offset: start + index,
                        end: start + index + 1,
                    }));
                }
            }
            _ => self.push_chars(text, span),
        }
    }

    /// Characters that all stand for `span` (a line break, a separator).
    fn push_chars(&mut self, text: &str, span: Span) {
        if self.skipped > 0 {
            return;
        }
        if let Some((_, chars)) = &mut self.block {
            chars.extend(text.chars().map(|value| Char {
                value,
                offset: span.start,
                end: span.end,
            }));
        }
    }

    /// Ends the block being collected and puts its text where it belongs.
    fn flush(&mut self) {
        let Some((block, chars)) = self.block.take() else {
            return;
        };
        let Some(text) = self.clean(chars) else {
            return;
        };
        match block {
            Block::Heading(HeadingLevel::H1) if self.document.title.is_none() => {
                self.document.title = Some(text);
            }
            Block::Heading(HeadingLevel::H1) => {
                self.diagnostics.push(Diagnostic::warning(
                    self.source,
                    text.span,
                    "second-title",
                    "a second '#' heading: the first one is the document's title, so this one is read as a chapter ('##')",
                ));
                self.chapter_heading(text);
            }
            Block::Heading(HeadingLevel::H2) => self.chapter_heading(text),
            Block::Heading(HeadingLevel::H3) => self.section_heading(text),
            Block::Heading(_) => {
                self.note(
                    text.span,
                    "deep-heading",
                    "a heading deeper than '###' is read as a paragraph of the open part",
                );
                self.paragraph(text);
            }
            Block::Paragraph | Block::Item | Block::Code => self.paragraph(text),
        }
    }

    /// The collected characters as a [`Text`]: trimmed, errata applied;
    /// `None` when nothing is left.
    fn clean(&mut self, chars: Vec<Char>) -> Option<Text> {
        let first = chars.iter().position(|c| !c.value.is_whitespace())?;
        let last = chars.iter().rposition(|c| !c.value.is_whitespace())?;
        let mut working = Working {
            chars: chars[first..=last].to_vec(),
        };
        let span = working.span(0..working.chars.len());
        let first_line = self.source.position(span.start).line;
        let last_line = self.source.position(span.end.saturating_sub(1)).line;
        let errata = self
            .errata
            .for_source(&self.ids.source)
            .filter(|e| (first_line..=last_line).contains(&e.line));
        let repairs = apply_errata(
            &mut working,
            errata,
            self.source,
            span,
            &mut self.diagnostics,
        );
        let value = Working::string(&working.chars);
        Some(Text {
            value,
            traditional: None,
            span,
            repairs,
        })
    }

    fn paragraph(&mut self, text: Text) {
        if let Some(section) = &mut self.section {
            section.push_paragraph(text);
        } else if let Some(chapter) = &mut self.chapter {
            chapter.push_paragraph(text);
        } else {
            self.document.push_paragraph(text);
        }
    }

    fn close_section(&mut self) {
        if let Some(section) = self.section.take() {
            match &mut self.chapter {
                Some(chapter) => chapter.children.push(section),
                None => self.document.parts.push(section),
            }
        }
    }

    fn close_chapter(&mut self) {
        self.close_section();
        if let Some(chapter) = self.chapter.take() {
            self.document.parts.push(chapter);
        }
    }

    /// The number of the last part of a kind among `parts`.
    fn last_number(parts: &[Part], kind: PartKind) -> u32 {
        parts
            .iter()
            .rev()
            .find(|p| p.kind == kind)
            .and_then(|p| p.number)
            .unwrap_or(0)
    }

    fn chapter_heading(&mut self, text: Text) {
        self.close_chapter();
        let heading = read_heading(&text.value, HeadingRank::Chapter);
        let mut chapter = match heading {
            Heading::Numbered(number, _) => Part::new(PartKind::Chapter, Some(number)),
            Heading::Kind(kind) => Part::new(kind, None),
            Heading::Unnumbered => {
                let number = Self::last_number(&self.document.parts, PartKind::Chapter) + 1;
                self.note(
                    text.span,
                    "unnumbered-heading",
                    format!("the '##' heading '{}' has no number and is no Preface or Conclusion; it is read as chapter {number}, one after the chapter before it", text.value),
                );
                Part::new(PartKind::Chapter, Some(number))
            }
        };
        chapter.title = Some(title_after_number(text, &heading));
        self.chapter = Some(chapter);
    }

    fn section_heading(&mut self, text: Text) {
        self.close_section();
        let heading = read_heading(&text.value, HeadingRank::Section);
        let number = match heading {
            Heading::Numbered(number, _) => number,
            _ => {
                let siblings = match &self.chapter {
                    Some(chapter) => &chapter.children,
                    None => &self.document.parts,
                };
                let number = Self::last_number(siblings, PartKind::Section) + 1;
                self.note(
                    text.span,
                    "unnumbered-heading",
                    format!("the '###' heading '{}' has no number; it is read as section {number}, one after the section before it", text.value),
                );
                number
            }
        };
        if self.chapter.is_none() {
            self.note(
                text.span,
                "section-outside-chapter",
                "a '###' section before any '##' chapter is a part of the document itself",
            );
        }
        let mut section = Part::new(PartKind::Section, Some(number));
        section.title = Some(title_after_number(text, &heading));
        self.section = Some(section);
    }

    fn finish(mut self) -> Parsed {
        self.flush();
        self.close_chapter();
        let mut diagnostics = self.diagnostics;
        key_parts(self.source, &mut self.document.parts, &mut diagnostics);
        Parsed {
            documents: vec![self.document],
            diagnostics,
        }
    }
}

/// What a heading's words say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heading {
    /// A number, and the byte offset in the heading where its title starts.
    Numbered(u32, usize),
    /// An unnumbered part of its own kind (Preface, Conclusion).
    Kind(PartKind),
    /// No number, no known kind.
    Unnumbered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeadingRank {
    Chapter,
    Section,
}

/// Reads a heading's number or kind (see the module doc for the forms).
fn read_heading(heading: &str, rank: HeadingRank) -> Heading {
    let trimmed = heading.trim();
    if rank == HeadingRank::Chapter {
        if let Some(kind) = super::unnumbered_part(trimmed) {
            return Heading::Kind(kind);
        }
        if let Some((number, rest)) = chapter_word(heading).or_else(|| chinese_chapter(heading)) {
            return Heading::Numbered(number, rest);
        }
    } else if let Some((number, rest)) = chinese_section(heading) {
        return Heading::Numbered(number, rest);
    }
    match leading_number(heading, rank) {
        Some((number, rest)) => Heading::Numbered(number, rest),
        None => Heading::Unnumbered,
    }
}

/// A number in digits or (upper-case) Roman numerals.
fn number_of(word: &str) -> Option<u32> {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
        return word.parse().ok().filter(|&n| n > 0);
    }
    parse_roman(word)
}

/// The byte offset after the separators that may follow a heading's
/// number (`.`, `:`, a dash, white space).
fn skip_separators(heading: &str, from: usize) -> usize {
    let rest = &heading[from..];
    let skipped = rest.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ':' | '：' | '-' | '–' | '—' | '、')
    });
    from + rest.len() - skipped.len()
}

/// `Chapter 2`, `Chapter II.`, `chapter IV: …`.
fn chapter_word(heading: &str) -> Option<(u32, usize)> {
    let leading = heading.len() - heading.trim_start().len();
    let after = heading[leading..].get(..7)?;
    if !after.eq_ignore_ascii_case("chapter") {
        return None;
    }
    let number_start = leading + 7;
    let rest = &heading[number_start..];
    let number_start = number_start + rest.len() - rest.trim_start().len();
    if number_start == leading + 7 {
        return None;
    }
    let word_end = heading[number_start..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .map_or(heading.len(), |i| number_start + i);
    let number = number_of(&heading[number_start..word_end])?;
    Some((number, skip_separators(heading, word_end)))
}

/// `第二章 …`, `第2章`.
fn chinese_chapter(heading: &str) -> Option<(u32, usize)> {
    let leading = heading.len() - heading.trim_start().len();
    let rest = heading[leading..].strip_prefix('第')?;
    let end = rest.find('章')?;
    let word = &rest[..end];
    let number = parse_chinese(word).or_else(|| number_of(word).filter(|_| word.is_ascii()))?;
    let after = leading + '第'.len_utf8() + end + '章'.len_utf8();
    Some((number, skip_separators(heading, after)))
}

/// `一、…`, `(一)…`, `（一）…`.
fn chinese_section(heading: &str) -> Option<(u32, usize)> {
    let leading = heading.len() - heading.trim_start().len();
    let text = &heading[leading..];
    for (open, close) in [("(", ")"), ("（", "）")] {
        if let Some(inner) = text.strip_prefix(open)
            && let Some(end) = inner.find(close)
            && let Some(number) = parse_chinese(&inner[..end])
        {
            let after = leading + open.len() + end + close.len();
            return Some((number, skip_separators(heading, after)));
        }
    }
    let end = text.find('、')?;
    let number = parse_chinese(&text[..end])?;
    Some((number, skip_separators(heading, leading + end)))
}

/// `II. …`, `2. …` (chapters); `1. …`, `1 …` (sections).
fn leading_number(heading: &str, rank: HeadingRank) -> Option<(u32, usize)> {
    let leading = heading.len() - heading.trim_start().len();
    let word_end = heading[leading..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .map_or(heading.len(), |i| leading + i);
    let word = &heading[leading..word_end];
    let number = number_of(word)?;
    let is_digits = word.chars().all(|c| c.is_ascii_digit());
    let next = heading[word_end..].chars().next();
    let dotted = next == Some('.')
        && heading[word_end + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
    let spaced = rank == HeadingRank::Section && is_digits && next.is_some_and(char::is_whitespace);
    let alone = next.is_none() && is_digits;
    (dotted || spaced || alone).then(|| (number, skip_separators(heading, word_end)))
}

/// The title of a numbered heading: its words after the number (the whole
/// heading when nothing follows it), the span shrunk to match.
fn title_after_number(text: Text, heading: &Heading) -> Text {
    let Heading::Numbered(_, rest) = *heading else {
        return text;
    };
    let title = &text.value[rest.min(text.value.len())..];
    if title.trim().is_empty() {
        return text;
    }
    let skipped = text.value[..rest].chars().count();
    let chars = text.value.chars().count();
    // The span of the title: the source characters of the value's
    // characters from `skipped` on, assuming, as for every heading whose
    // number is plain text, one source character per value character
    // before it; else the whole heading's span.
    let start = text.span.start + skipped;
    let span = if text.span.end - text.span.start == chars {
        Span::new(start, text.span.end)
    } else {
        text.span
    };
    Text {
        value: title.trim().to_owned(),
        span,
        ..text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        let source = SourceText::new("t.md", text);
        parse_markdown(
            &source,
            &MarkdownIds {
                source: "t".to_owned(),
                document: "t".to_owned(),
                language: Some(Language::ENGLISH),
            },
            &Errata::default(),
        )
    }

    /// (segment path, title or text) of every part.
    fn outline(text: &str) -> Vec<(String, String)> {
        let parsed = parse(text);
        let document = &parsed.documents[0];
        document
            .walk()
            .into_iter()
            .map(|(path, part)| {
                let value = part
                    .title
                    .as_ref()
                    .or(part.text.as_ref())
                    .map(|t| t.value.clone())
                    .unwrap_or_default();
                (path.join("/"), value)
            })
            .collect()
    }

    #[test]
    fn headings_are_read_by_their_numbers_and_names() {
        let table: &[(&str, HeadingRank, Heading, &str)] = &[
            (
                "Chapter 2 Principles",
                HeadingRank::Chapter,
                Heading::Numbered(2, 10),
                "Principles",
            ),
            (
                "Chapter II. Principles",
                HeadingRank::Chapter,
                Heading::Numbered(2, 12),
                "Principles",
            ),
            (
                "chapter IV: Plan",
                HeadingRank::Chapter,
                Heading::Numbered(4, 12),
                "Plan",
            ),
            (
                "II. Principles",
                HeadingRank::Chapter,
                Heading::Numbered(2, 4),
                "Principles",
            ),
            (
                "2. Principles",
                HeadingRank::Chapter,
                Heading::Numbered(2, 3),
                "Principles",
            ),
            (
                "第二章 基本原则",
                HeadingRank::Chapter,
                Heading::Numbered(2, 10),
                "基本原则",
            ),
            ("第12章", HeadingRank::Chapter, Heading::Numbered(12, 8), ""),
            (
                "Preface",
                HeadingRank::Chapter,
                Heading::Kind(PartKind::Preface),
                "",
            ),
            (
                "Introduction:",
                HeadingRank::Chapter,
                Heading::Kind(PartKind::Preface),
                "",
            ),
            (
                "前言",
                HeadingRank::Chapter,
                Heading::Kind(PartKind::Preface),
                "",
            ),
            (
                "Concluding remarks",
                HeadingRank::Chapter,
                Heading::Kind(PartKind::Conclusion),
                "",
            ),
            (
                "结束语",
                HeadingRank::Chapter,
                Heading::Kind(PartKind::Conclusion),
                "",
            ),
            (
                "結語",
                HeadingRank::Chapter,
                Heading::Kind(PartKind::Conclusion),
                "",
            ),
            (
                "Chapters of history",
                HeadingRank::Chapter,
                Heading::Unnumbered,
                "",
            ),
            ("Vision", HeadingRank::Chapter, Heading::Unnumbered, ""),
            ("I am here", HeadingRank::Chapter, Heading::Unnumbered, ""),
            (
                "2 Principles",
                HeadingRank::Chapter,
                Heading::Unnumbered,
                "",
            ),
            (
                "1. Peace",
                HeadingRank::Section,
                Heading::Numbered(1, 3),
                "Peace",
            ),
            (
                "3 Peace",
                HeadingRank::Section,
                Heading::Numbered(3, 2),
                "Peace",
            ),
            (
                "一、和平原则",
                HeadingRank::Section,
                Heading::Numbered(1, 6),
                "和平原则",
            ),
            (
                "(二) 主权",
                HeadingRank::Section,
                Heading::Numbered(2, 6),
                "主权",
            ),
            (
                "（三）共治",
                HeadingRank::Section,
                Heading::Numbered(3, 9),
                "共治",
            ),
            (
                "1.5 billion users",
                HeadingRank::Section,
                Heading::Unnumbered,
                "",
            ),
            ("Preface", HeadingRank::Section, Heading::Unnumbered, ""),
        ];
        for &(heading, rank, expected, title) in table {
            let read = read_heading(heading, rank);
            assert_eq!(read, expected, "{heading}");
            if let Heading::Numbered(_, rest) = read {
                assert_eq!(heading[rest..].trim(), title, "{heading}");
            }
        }
    }

    #[test]
    fn structure_chapters_sections_paragraphs_and_items() {
        let text = "# A Strategy\n\nOpening words.\n\n## Preface\n\nFirst.\n\n## Chapter I. Aims\n\nAims text.\n\n### 1. Peace\n\nPeace text\nover two lines.\n\n- item one\n- item *two*\n  - nested\n\n### 2. Order\n\n1. first\n2. second\n\n## Conclusion\n\nLast words.\n";
        assert_eq!(
            outline(text),
            [
                ("paragraph-1", "Opening words."),
                ("preface", "Preface"),
                ("preface/paragraph-1", "First."),
                ("chapter-1", "Aims"),
                ("chapter-1/paragraph-1", "Aims text."),
                ("chapter-1/section-1", "Peace"),
                (
                    "chapter-1/section-1/paragraph-1",
                    "Peace text over two lines."
                ),
                ("chapter-1/section-1/paragraph-2", "item one"),
                ("chapter-1/section-1/paragraph-3", "item two"),
                ("chapter-1/section-1/paragraph-4", "nested"),
                ("chapter-1/section-2", "Order"),
                ("chapter-1/section-2/paragraph-1", "first"),
                ("chapter-1/section-2/paragraph-2", "second"),
                ("conclusion", "Conclusion"),
                ("conclusion/paragraph-1", "Last words."),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        let parsed = parse(text);
        assert_eq!(
            parsed.documents[0].title.as_ref().map(|t| t.value.as_str()),
            Some("A Strategy")
        );
    }

    #[test]
    fn spans_point_at_the_source() {
        let text = "+++\ntitle = \"T\"\n+++\n## Chapter 2. 原则\n\nPlain 网络 text.\n\nSome *emphasis* and a [link](http://x.org).\n";
        let source = SourceText::new("t.md", text);
        let parsed = parse(text);
        let document = &parsed.documents[0];
        let chapter = &document.parts[0];
        let title = chapter
            .title
            .as_ref()
            .map(|t| (t.value.clone(), source.slice(t.span)));
        assert_eq!(title, Some(("原则".to_owned(), "原则".to_owned())));
        let texts: Vec<(String, String)> = chapter
            .children
            .iter()
            .filter_map(|p| p.text.as_ref())
            .map(|t| (t.value.clone(), source.slice(t.span)))
            .collect();
        assert_eq!(
            texts,
            [
                ("Plain 网络 text.", "Plain 网络 text."),
                (
                    "Some emphasis and a link.",
                    "Some *emphasis* and a [link](http://x.org)."
                ),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn unnumbered_and_odd_blocks_are_read_with_notes() {
        let text = "# Title\n\n## Vision\n\nA.\n\n## Chapter 3\n\n### Goals\n\n#### Deep\n\n    code here\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>html</div>\n\n# Late title\n";
        let parsed = parse(text);
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                "unnumbered-heading",
                "unnumbered-heading",
                "deep-heading",
                "code-block",
                "block-quote",
                "left-out",
                "left-out",
                "second-title",
                "unnumbered-heading",
                "number-order",
            ]
        );
        assert_eq!(
            outline(text),
            [
                ("chapter-1", "Vision"),
                ("chapter-1/paragraph-1", "A."),
                ("chapter-3", "Chapter 3"),
                ("chapter-3/section-1", "Goals"),
                ("chapter-3/section-1/paragraph-1", "Deep"),
                ("chapter-3/section-1/paragraph-2", "code here"),
                ("chapter-3/section-1/paragraph-3", "quoted"),
                ("chapter-4", "Late title"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
    }

    #[test]
    fn front_matter_is_read_or_refused_at_its_position() {
        let read = |text: &str| read_front_matter("f.md", text).map_err(|e| e.to_string());
        let good = "+++\nid = \"ex/strategy\"\ntitle = \"T\"\nlanguage = \"zh-hant\"\ndate = 2021-02-01\npublisher = \"P\"\ntranslation-of = \"ex/en\"\ncountry = \"Examplia\"\n+++\n# T\n";
        let Ok(Some((front, start))) = read(good) else {
            panic!("{:?}", read(good));
        };
        assert_eq!(front.id.as_deref(), Some("ex/strategy"));
        assert_eq!(front.language.as_ref().map(Language::tag), Some("zh-Hant"));
        assert_eq!(
            front.date.map(|d| d.to_string()).as_deref(),
            Some("2021-02-01")
        );
        assert_eq!(front.translation_of.as_deref(), Some("ex/en"));
        assert_eq!(front.country.as_deref(), Some("Examplia"));
        assert_eq!(&good[start..], "# T\n");
        assert_eq!(read("# No front matter\n+++\n"), Ok(None));
        let table = [
            (
                "+++\ntitle = \"T\"\n",
                "f.md:1:1: the front matter opened by this +++ line is never closed; end it with a line holding only +++",
            ),
            (
                "+++\ntitle = \"T\"\nauthor = \"me\"\n+++\n",
                "f.md:3:1: unknown field `author`",
            ),
            (
                "+++\ndate = \"2021-02-30\"\n+++\n",
                "f.md:2:8: '2021-02-30' is not a calendar date written YYYY-MM-DD",
            ),
            (
                "+++\n\nlanguage = \"en_GB\"\n+++\n",
                "f.md:3:12: 'en_GB' is not a well-formed BCP 47 language tag",
            ),
            (
                "+++\nid = \"a b\"\n+++\n",
                "f.md:2:6: the id 'a b' is not a path",
            ),
        ];
        for (text, expected) in table {
            let message = read(text).err().unwrap_or_default();
            assert!(message.starts_with(expected), "{message}");
        }
    }

    #[test]
    fn odd_input_never_panics() {
        let inputs = [
            "",
            "+++",
            "+++\n",
            "+++\n+++",
            "+++\nbad = [\n+++\n## Chapter",
            "#",
            "## \n### \n",
            "##Chapter\u{0}II",
            "## 第章\n### (\n### （一\n### 一、",
            "## Chapter 99999999999999999999\n### 99999999999999999999. x",
            "- \n  - \n    - x\n\n> > > y",
            "&amp; \\* `a` <b>c</b>\r\n\r\n## é\r\n",
            "```\nunclosed",
            "| a |\n|---|\n",
        ];
        for input in inputs {
            let parsed = parse(input);
            assert_eq!(parsed.documents.len(), 1, "{input:?}");
            let source = SourceText::new("t.md", input);
            for (_, part) in parsed.documents[0].walk() {
                for text in part.title.iter().chain(&part.text) {
                    assert!(text.span.start <= text.span.end && text.span.end <= source.char_len());
                }
            }
        }
    }
}
