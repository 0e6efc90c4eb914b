//! The document model: editions of the strategy as plain Rust trees with spans.
//!
//! This stage knows nothing about RDF. A parser turns one [`SourceText`] into
//! [`Document`]s (an edition is a tree of [`Part`]s) plus a list of
//! [`Diagnostic`]s. The invariant every parser keeps: **parsing never fails on
//! odd text** — whatever the input, it returns documents (possibly empty) and
//! says what looked wrong, with positions. Every [`Text`] carries the [`Span`]
//! of the source characters it was read from, so later stages can record
//! provenance down to the code point.

pub mod align;
pub mod chinese;
pub mod dates;
pub mod diagnostic;
pub mod errata;
pub(crate) mod located;
pub mod markdown;
pub mod numbering;
pub mod pages;
pub mod parallel;
pub mod sentences;
pub mod source;
pub mod un;

pub use diagnostic::{Diagnostic, Severity};
pub use errata::{Errata, Erratum};
pub use source::{SourceText, Span};

/// The language of a document and of its text literals: a well-formed
/// BCP 47 tag. The built-in layouts use [`Language::ENGLISH`] and
/// [`Language::SIMPLIFIED_CHINESE`]; a Markdown document carries the tag
/// its front matter declares (normalised in case: `zh-hant-tw` →
/// `zh-Hant-TW`). Chinese parts carry a second (Traditional) form next to
/// the Simplified one.
///
/// What the later stages do with a language depends only on its primary
/// subtag: any `zh*` tag is Chinese ([`Language::is_chinese`]: entity names
/// matched exactly, after Traditional → Simplified folding, with no word
/// boundaries), every other tag is read with word boundaries, as English.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Language {
    tag: std::borrow::Cow<'static, str>,
}

/// A `language` that is not a well-formed BCP 47 tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{tag}' is not a well-formed BCP 47 language tag ({problem}); write one such as en, fr, zh-Hans or pt-BR"
)]
pub struct LanguageError {
    /// The tag as written.
    pub tag: String,
    /// What is wrong with it.
    pub problem: String,
}

impl Language {
    /// English (both English translations of the built-in corpus).
    pub const ENGLISH: Language = Language {
        tag: std::borrow::Cow::Borrowed("en"),
    };
    /// Simplified Chinese, the script of the original.
    pub const SIMPLIFIED_CHINESE: Language = Language {
        tag: std::borrow::Cow::Borrowed("zh-Hans"),
    };

    /// Undetermined (`und`): a Markdown document that declares no language.
    pub const UNDETERMINED: Language = Language {
        tag: std::borrow::Cow::Borrowed("und"),
    };

    /// A language from a BCP 47 tag, checked for well-formedness (RFC 5646
    /// syntax, with `oxilangtag`) and normalised in case.
    pub fn parse(tag: &str) -> Result<Language, LanguageError> {
        let parsed =
            oxilangtag::LanguageTag::parse_and_normalize(tag).map_err(|error| LanguageError {
                tag: tag.to_owned(),
                problem: error.to_string(),
            })?;
        let normalised = parsed.into_inner();
        Ok(match normalised.as_str() {
            "en" => Language::ENGLISH,
            "zh-Hans" => Language::SIMPLIFIED_CHINESE,
            _ => Language {
                tag: std::borrow::Cow::Owned(normalised),
            },
        })
    }

    /// The BCP 47 tag used in the graph.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The primary language subtag, lower case (`zh` for `zh-Hant-TW`).
    pub fn primary(&self) -> String {
        let primary = self.tag.split('-').next().unwrap_or_default();
        primary.to_ascii_lowercase()
    }

    /// Whether the text is Chinese (any `zh*` tag): read without word
    /// boundaries, folded to Simplified characters to find entity names.
    pub fn is_chinese(&self) -> bool {
        self.primary() == "zh"
    }

    /// Whether the text is English (any `en*` tag): the acronym checks apply.
    pub fn is_english(&self) -> bool {
        self.primary() == "en"
    }
}

/// BCP 47 tag of the cleaned Traditional Chinese kept beside the Simplified text.
pub const TRADITIONAL_CHINESE_TAG: &str = "zh-Hant";

/// A piece of text read from a source: its cleaned value, where it came from,
/// and every repair that made the value differ from the raw characters
/// (beyond systematic cleaning such as pinyin-gloss removal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The cleaned text, in the document's language.
    pub value: String,
    /// For Chinese text: the cleaned Traditional form the value was converted from.
    pub traditional: Option<String>,
    /// The characters of the source this text was read from.
    pub span: Span,
    /// Repairs applied to this text, in source order.
    pub repairs: Vec<Repair>,
}

impl Text {
    /// A text with no repairs and no Traditional form.
    pub fn plain(value: impl Into<String>, span: Span) -> Self {
        Self {
            value: value.into(),
            traditional: None,
            span,
            repairs: Vec::new(),
        }
    }
}

impl Text {
    /// The same text without surrounding white space; the span shrinks with it
    /// (for text whose value is its source characters one to one).
    pub fn trimmed(self) -> Text {
        let leading = self.value.len() - self.value.trim_start().len();
        let leading_chars = self.value[..leading].chars().count();
        let value = self.value.trim().to_owned();
        let start = (self.span.start + leading_chars).min(self.span.end);
        let end = (start + value.chars().count()).min(self.span.end);
        Text {
            value,
            span: Span::new(start, end),
            ..self
        }
    }
}

/// What kind of damage a [`Repair`] undid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RepairKind {
    /// A curated erratum from `data/errata.toml` replaced corrupted characters.
    Erratum,
    /// An HTML remnant (such as `/td>`) was removed.
    HtmlRemnant,
    /// A paragraph broken in two by a page break was joined again.
    PageBreak,
}

impl RepairKind {
    /// Stable lower-case name, used in IRIs and messages.
    pub fn name(self) -> &'static str {
        match self {
            RepairKind::Erratum => "erratum",
            RepairKind::HtmlRemnant => "html-remnant",
            RepairKind::PageBreak => "page-break",
        }
    }
}

/// One repair of damaged source text, kept as provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// What was repaired.
    pub kind: RepairKind,
    /// The damaged characters in the source file.
    pub span: Span,
    /// The damaged characters as they stand in the source.
    pub original: String,
    /// What they were replaced with (empty for a removal).
    pub replacement: String,
    /// Why, in one sentence (for errata: the curated reason).
    pub reason: String,
    /// The erratum's identifier, for [`RepairKind::Erratum`].
    pub erratum_id: Option<String>,
}

/// The kind of a part of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartKind {
    /// The preface (front matter, unnumbered).
    Preface,
    /// A quotation set at the head of the preface, with its attribution.
    Epigraph,
    /// A numbered chapter.
    Chapter,
    /// A numbered section of a chapter.
    Section,
    /// The conclusion (unnumbered).
    Conclusion,
    /// A paragraph of running text.
    Paragraph,
    /// The signature block of a letter.
    Signature,
}

impl PartKind {
    /// Stable lower-case name, used in IRIs (`chapter-2`, `preface`).
    pub fn slug(self) -> &'static str {
        match self {
            PartKind::Preface => "preface",
            PartKind::Epigraph => "epigraph",
            PartKind::Chapter => "chapter",
            PartKind::Section => "section",
            PartKind::Conclusion => "conclusion",
            PartKind::Paragraph => "paragraph",
            PartKind::Signature => "signature",
        }
    }

    /// Whether parts of this kind are numbered in their IRI (`chapter-2`).
    pub fn is_numbered(self) -> bool {
        matches!(
            self,
            PartKind::Chapter | PartKind::Section | PartKind::Paragraph
        )
    }
}

/// The names of the unnumbered top-level parts, lower case, without
/// trailing punctuation: the one list every layout reads headings with.
const UNNUMBERED_PARTS: [(PartKind, &[&str]); 2] = [
    (
        PartKind::Preface,
        &[
            "preface",
            "introduction",
            "foreword",
            "前言",
            "序言",
            "引言",
        ],
    ),
    (
        PartKind::Conclusion,
        &[
            "conclusion",
            "conclusions",
            "concluding remarks",
            "结束语",
            "结语",
            "結束語",
            "結語",
        ],
    ),
];

/// The unnumbered part a heading names (`Preface`, `前言`, `Conclusion:`).
pub(crate) fn unnumbered_part(heading: &str) -> Option<PartKind> {
    let name = heading
        .trim()
        .trim_end_matches(['.', ':', '：', '。'])
        .to_lowercase();
    UNNUMBERED_PARTS
        .iter()
        .find(|(_, names)| names.contains(&name.as_str()))
        .map(|(kind, _)| *kind)
}

/// The unnumbered part whose Chinese name a raw line starts with
/// (`前言Preface`, a heading line of the parallel layout).
pub(crate) fn line_starts_unnumbered(line: &str) -> Option<PartKind> {
    let line = line.trim_start();
    UNNUMBERED_PARTS
        .iter()
        .find(|(_, names)| {
            names
                .iter()
                .any(|name| !name.is_ascii() && line.starts_with(name))
        })
        .map(|(kind, _)| *kind)
}

/// The attribution line under an epigraph ("- Xi Jinping, …, 16 December 2015").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The attribution without its leading dash.
    pub text: Text,
    /// The date it ends with, when it ends with one.
    pub date: Option<dates::Date>,
}

/// One node of a document tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// What this part is.
    pub kind: PartKind,
    /// For chapters and sections the number printed in the text; for
    /// paragraphs the 1-based order among the paragraphs of the parent.
    pub number: Option<u32>,
    /// The heading, for parts that have one.
    pub title: Option<Text>,
    /// The running text, for paragraphs, epigraphs and signatures.
    pub text: Option<Text>,
    /// The epigraph's attribution.
    pub attribution: Option<Attribution>,
    /// For a part whose segment an earlier sibling already has (a heading
    /// number printed twice): 2 for the second such part, 3 for the third.
    /// Set by [`numbering::key_parts`]; it keeps the part's IRI its own.
    pub occurrence: Option<u32>,
    /// For a top-level part read from another page than the document's
    /// first (see [`pages`]): the id of that page's source, which its spans
    /// point into. `None`: the document's own [`Document::source_id`].
    pub source_id: Option<String>,
    /// For paragraphs: the sentences of the text, filled by
    /// [`parse_corpus`] once the pages are merged ([`sentences`]).
    pub sentences: Vec<sentences::Sentence>,
    /// Child parts in reading order.
    pub children: Vec<Part>,
}

impl Part {
    /// A part with nothing filled in yet.
    pub fn new(kind: PartKind, number: Option<u32>) -> Self {
        Self {
            kind,
            number,
            title: None,
            text: None,
            attribution: None,
            occurrence: None,
            source_id: None,
            sentences: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The path segment of this part in IRIs and alignment keys
    /// (`chapter-2`, `preface`; `chapter-2-2` for the second part printed
    /// as chapter 2, see [`numbering`]).
    pub fn segment(&self) -> String {
        let printed = self.printed_segment();
        match self.occurrence {
            Some(occurrence) => format!("{printed}-{occurrence}"),
            None => printed,
        }
    }

    /// The segment its printed number gives (without the occurrence).
    pub fn printed_segment(&self) -> String {
        match (self.kind.is_numbered(), self.number) {
            (true, Some(number)) => format!("{}-{number}", self.kind.slug()),
            _ => self.kind.slug().to_owned(),
        }
    }

    /// Appends a paragraph, numbering it after the paragraphs already there.
    pub fn push_paragraph(&mut self, text: Text) {
        let number = self.count(PartKind::Paragraph) + 1;
        let mut paragraph = Part::new(PartKind::Paragraph, Some(number as u32));
        paragraph.text = Some(text);
        self.children.push(paragraph);
    }

    /// Number of direct children of the given kind.
    pub fn count(&self, kind: PartKind) -> usize {
        self.children.iter().filter(|c| c.kind == kind).count()
    }
}

/// What a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentKind {
    /// One version (edition) of the strategy.
    Edition,
    /// The UN cover letter, the UN document that carries an edition.
    CoverLetter(Box<Letter>),
}

/// The facts a cover letter states about itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letter {
    /// The body that circulated the document ("Conference on Disarmament").
    pub circulated_by: Option<Text>,
    /// The date of the UN document (its header line).
    pub document_date: Option<dates::Date>,
    /// The date the letter is dated.
    pub letter_date: Option<dates::Date>,
    /// Who sent it.
    pub sender: Option<Text>,
    /// To whom it is addressed.
    pub addressee: Option<Text>,
    /// Who signed it.
    pub signatory: Option<Text>,
    /// The signatory's function, as printed after the name.
    pub signatory_role: Option<Text>,
    /// The issue date of the transmitted strategy, as the letter states it.
    pub stated_issue_date: Option<dates::Date>,
    /// The id of the edition this letter transmits.
    pub transmits: Option<String>,
}

/// One document: an edition of the strategy or the cover letter that carries one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable id, unique in a corpus; the path of the document's IRI (`iscc2017/en-un`).
    pub id: String,
    /// What this document is.
    pub kind: DocumentKind,
    /// Its language.
    pub language: Language,
    /// The title, when the text states one.
    pub title: Option<Text>,
    /// The id of the source file it was read from.
    pub source_id: String,
    /// Top-level parts in reading order.
    pub parts: Vec<Part>,
}

impl Document {
    /// An empty document.
    pub fn new(
        id: impl Into<String>,
        kind: DocumentKind,
        language: Language,
        source_id: &str,
    ) -> Self {
        Self {
            id: id.into(),
            kind,
            language,
            title: None,
            source_id: source_id.to_owned(),
            parts: Vec::new(),
        }
    }

    /// Appends a top-level paragraph (text before any heading), numbering
    /// it after the top-level paragraphs already there.
    pub fn push_paragraph(&mut self, text: Text) {
        let number = self
            .parts
            .iter()
            .filter(|p| p.kind == PartKind::Paragraph)
            .count()
            + 1;
        let mut paragraph = Part::new(PartKind::Paragraph, Some(number as u32));
        paragraph.text = Some(text);
        self.parts.push(paragraph);
    }

    /// Every part with its path of segments from the root, in reading order (depth first).
    pub fn walk(&self) -> Vec<(Vec<String>, &Part)> {
        fn visit<'a>(
            part: &'a Part,
            path: &mut Vec<String>,
            out: &mut Vec<(Vec<String>, &'a Part)>,
        ) {
            path.push(part.segment());
            out.push((path.clone(), part));
            for child in &part.children {
                visit(child, path, out);
            }
            path.pop();
        }
        let mut out = Vec::new();
        let mut path = Vec::new();
        for part in &self.parts {
            visit(part, &mut path, &mut out);
        }
        out
    }

    /// The id of the source the part at `path` was read from: its top-level
    /// part's page, else the document's own source.
    pub fn source_at(&self, path: &[String]) -> &str {
        path.first()
            .and_then(|segment| self.parts.iter().find(|p| &p.segment() == segment))
            .and_then(|part| part.source_id.as_deref())
            .unwrap_or(&self.source_id)
    }

    /// Counts parts of a kind anywhere in the tree.
    pub fn count(&self, kind: PartKind) -> usize {
        self.walk()
            .iter()
            .filter(|(_, part)| part.kind == kind)
            .count()
    }
}

/// The result of parsing a whole corpus.
#[derive(Debug, Clone)]
pub struct ParsedCorpus {
    /// Every document, in source order.
    pub documents: Vec<Document>,
    /// Alignments of translations with their originals.
    pub alignments: Vec<align::Alignment>,
    /// Every diagnostic, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The indexed text of each source, by source id.
    pub texts: std::collections::BTreeMap<String, SourceText>,
}

impl ParsedCorpus {
    /// The document with this id.
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
}

/// One note per kind of control character in a source (tab, line feed and
/// carriage return aside), at its first occurrence, with how many there are:
/// a form feed from a PDF page break, say. The parsers keep such a character
/// where it falls inside a paragraph (between words it is whitespace), and
/// XML outputs (RDF/XML, SPARQL XML results) refuse a literal holding one,
/// since XML 1.0 cannot carry it: the note says so before an export fails.
fn control_character_notes(source: &SourceText, text: &str) -> Vec<Diagnostic> {
    let mut first: std::collections::BTreeMap<char, (usize, usize)> =
        std::collections::BTreeMap::new();
    for (offset, character) in text.chars().enumerate() {
        if character.is_control() && !matches!(character, '\t' | '\n' | '\r') {
            first.entry(character).or_insert((offset, 0)).1 += 1;
        }
    }
    first
        .into_iter()
        .map(|(character, (offset, count))| {
            let times = if count == 1 {
                "once".to_owned()
            } else {
                format!("{count} times, first here")
            };
            Diagnostic::note(
                source,
                Span::new(offset, offset + 1),
                "control-character",
                format!(
                    "the text holds the control character U+{:04X}{} {times}; where it falls inside a paragraph it is kept, and RDF/XML and SPARQL XML results, which cannot carry it, refuse a literal that holds it",
                    u32::from(character),
                    match character {
                        '\u{c}' => " (form feed)",
                        '\u{b}' => " (vertical tab)",
                        '\0' => " (NUL)",
                        _ => "",
                    }
                ),
            )
        })
        .collect()
}

/// Parses every source of a corpus and aligns translations with originals.
/// Fails only when the errata file itself is malformed.
pub fn parse_corpus(
    corpus: &crate::corpus::Corpus,
) -> Result<ParsedCorpus, crate::data_file::CuratedDataError> {
    use crate::corpus::Layout;
    let errata = Errata::from_toml(crate::corpus::ERRATA_NAME, &corpus.errata)?;
    let mut documents = Vec::new();
    let mut diagnostics = Vec::new();
    let mut texts = std::collections::BTreeMap::new();
    let edition_id = |source: &crate::corpus::Source, key: &str| {
        source
            .meta
            .editions
            .get(key)
            .map_or_else(|| format!("{}/{key}", source.id), |e| e.id.clone())
    };
    // The line each erratum names, read once for the corpus: other files
    // that hold it unchanged (pages, copies) take the erratum too (see
    // `Errata::carried_to`).
    let builtin_texts = crate::corpus::builtin_source_texts();
    let erratum_lines: std::collections::BTreeMap<(&str, usize), &str> = errata
        .entries
        .iter()
        .filter_map(|erratum| {
            let text = corpus
                .sources
                .iter()
                .find(|s| s.id == erratum.source)
                .map(|s| s.text.as_str())
                .or_else(|| builtin_texts.get(&erratum.source).copied())?;
            let line = text.lines().nth(erratum.line.checked_sub(1)?)?;
            Some(((erratum.source.as_str(), erratum.line), line))
        })
        .collect();
    let line_of = |source_id: &str, line: usize| erratum_lines.get(&(source_id, line)).copied();
    for source in &corpus.sources {
        let text = SourceText::new(source.name.clone(), source.text.clone());
        if source.byte_order_mark {
            diagnostics.push(Diagnostic::note(
                &text,
                Span::default(),
                "byte-order-mark",
                "the file starts with a UTF-8 byte-order mark; it is not part of the text, and positions count from the character after it",
            ));
        }
        diagnostics.extend(control_character_notes(&text, &source.text));
        let errata = errata.carried_to(&source.id, &text, line_of);
        let parsed = match source.layout {
            Layout::UnEnglish => un::parse_un_text(
                &text,
                &un::UnIds {
                    source: source.id.clone(),
                    edition: edition_id(source, "en"),
                    letter: edition_id(source, "letter"),
                },
                &errata,
            ),
            Layout::ParallelZhEn => parallel::parse_parallel_text(
                &text,
                &parallel::ParallelIds {
                    source: source.id.clone(),
                    chinese: edition_id(source, "zh"),
                    english: edition_id(source, "en"),
                },
                &errata,
            ),
            Layout::Markdown => markdown::parse_markdown(
                &text,
                &markdown::MarkdownIds {
                    source: source.id.clone(),
                    document: edition_id(source, "doc"),
                    language: source
                        .meta
                        .languages
                        .first()
                        .and_then(|tag| Language::parse(tag).ok()),
                },
                &errata,
            ),
        };
        documents.extend(parsed.documents);
        diagnostics.extend(parsed.diagnostics);
        texts.insert(source.id.clone(), text);
    }
    // Pages of one document (adjacent sources with the same edition ids)
    // become one document.
    let mut documents = pages::merge_pages(documents, &texts, &mut diagnostics);
    for document in &mut documents {
        split_sentences(document, &texts);
    }
    let translations: std::collections::BTreeMap<&str, &str> = corpus
        .sources
        .iter()
        .flat_map(|source| source.meta.editions.values())
        .filter_map(|edition| Some((edition.id.as_str(), edition.translation_of.as_deref()?)))
        .collect();
    let mut alignments = Vec::new();
    for (translation_id, original_id) in translations {
        let (Some(translation), Some(original)) = (
            documents.iter().find(|d| d.id == translation_id),
            documents.iter().find(|d| d.id == original_id),
        ) else {
            continue;
        };
        let (alignment, found) = align::align(original, translation, &texts);
        alignments.push(alignment);
        diagnostics.extend(found);
    }
    alignments.sort_by(|a, b| a.translation.cmp(&b.translation));
    Ok(ParsedCorpus {
        documents,
        alignments,
        diagnostics,
        texts,
    })
}

/// Fills the [`Part::sentences`] of every paragraph of `document`, with
/// spans in the file each top-level part was read from.
fn split_sentences(
    document: &mut Document,
    texts: &std::collections::BTreeMap<String, SourceText>,
) {
    fn visit(part: &mut Part, language: &Language, source: &SourceText) {
        if part.kind == PartKind::Paragraph
            && let Some(text) = &part.text
        {
            part.sentences = sentences::sentences(text, language, source);
        }
        for child in &mut part.children {
            visit(child, language, source);
        }
    }
    let language = document.language.clone();
    for part in &mut document.parts {
        let source_id = part.source_id.as_deref().unwrap_or(&document.source_id);
        if let Some(source) = texts.get(source_id) {
            visit(part, &language, source);
        }
    }
}

/// The result of parsing one source: documents and what looked wrong.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The documents read from the source.
    pub documents: Vec<Document>,
    /// Warnings and notes with positions.
    pub diagnostics: Vec<Diagnostic>,
}
