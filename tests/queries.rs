//! Runs every named query of `queries/` on the graph of the built-in corpus
//! and checks its answer against the source texts themselves.
//!
//! The expectations never come from the graph: they are read from
//! `data/corpus/*.txt` (and `data/errata.toml`, `data/corpus/manifest.toml`)
//! by the small, deliberately naive readers below, or quoted with the line
//! they stand on. A query and its test therefore fail together only when the
//! graph disagrees with the text.

mod common;
use common::oxigraph_server::Server;

use cyberkg::queries::{NAMED_QUERIES, description};
use cyberkg::sparql::Services;
use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::sync::OnceLock;

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// Every named query, each checked by the test of the same name (with `_` for `-`).
const TESTED: &[&str] = &[
    "chinese-original-of-un-paragraph",
    "cover-letter",
    "editions",
    "epigraph",
    "find-word",
    "longest-section",
    "outline-un",
    "paragraph-counts",
    "provenance-of-paragraph",
    "repairs",
    "side-by-side-chapter-3",
    "translation-length-differences",
    "translation-wording-differences",
    "unaligned-un-parts",
    "organizations-by-chapter-4-section",
    "un-bodies",
    "organizations-by-goal-and-action-line",
    "aligned-mentions",
    "concept-renderings",
    "unlinked-entities",
    "timeline",
    "forums-for-partnership",
    "who-is-named-where",
    "wikidata-memberships",
    "sentence-alignment",
];

const UN_FILE: &str = "data/corpus/strategy-un-english.txt";
const UN_TEXT: &str = include_str!("../data/corpus/strategy-un-english.txt");
const PARALLEL_FILE: &str = "data/corpus/strategy-parallel-zh-en.txt";
const PARALLEL_TEXT: &str = include_str!("../data/corpus/strategy-parallel-zh-en.txt");
const ERRATA_TEXT: &str = include_str!("../data/errata.toml");
const MANIFEST_TEXT: &str = include_str!("../data/corpus/manifest.toml");

/// The section titles of the Chinese original in Simplified characters, as
/// (chapter, section, title, line of the Traditional heading in the parallel file).
const SIMPLIFIED_SECTION_TITLES: &[(i64, i64, &str, usize)] = &[
    (2, 1, "和平原则", 5),
    (2, 2, "主权原则", 9),
    (2, 3, "共治原则", 13),
    (2, 4, "普惠原则", 16),
    (3, 1, "维护主权与安全", 22),
    (3, 2, "构建国际规则体系", 25),
    (3, 3, "促进互联网公平治理", 28),
    (3, 4, "保护公民合法权益", 31),
    (3, 5, "促进数字经济合作", 33),
    (3, 6, "打造网上文化交流平台", 37),
];

// ---------------------------------------------------------------------------
// The graph and the queries
// ---------------------------------------------------------------------------

static STORE: OnceLock<Result<Store, String>> = OnceLock::new();

fn build_store() -> Result<Store, String> {
    cyberkg::pipeline::builtin()
        .map(|built| built.store)
        .map_err(|error| error.to_string())
}

/// The default graph, built once for all tests.
fn store() -> TestResult<&'static Store> {
    STORE
        .get_or_init(build_store)
        .as_ref()
        .map_err(|error| format!("cannot build the graph: {error}").into())
}

/// One solution: variable name to term.
#[derive(Debug)]
struct Row(BTreeMap<String, Term>);

impl Row {
    fn term(&self, variable: &str) -> Option<&Term> {
        self.0.get(variable)
    }

    /// The lexical value of a bound literal.
    fn text(&self, variable: &str) -> TestResult<&str> {
        self.opt_text(variable)
            .ok_or_else(|| format!("?{variable} is not a bound literal in {self:?}").into())
    }

    fn opt_text(&self, variable: &str) -> Option<&str> {
        match self.term(variable)? {
            Term::Literal(literal) => Some(literal.value()),
            _ => None,
        }
    }

    /// The language tag of a bound literal ("" if it has none).
    fn language(&self, variable: &str) -> TestResult<&str> {
        match self.term(variable) {
            Some(Term::Literal(literal)) => Ok(literal.language().unwrap_or("")),
            _ => Err(format!("?{variable} is not a bound literal in {self:?}").into()),
        }
    }

    fn int(&self, variable: &str) -> TestResult<i64> {
        self.opt_int(variable)?
            .ok_or_else(|| format!("?{variable} is unbound in {self:?}").into())
    }

    fn opt_int(&self, variable: &str) -> TestResult<Option<i64>> {
        self.opt_text(variable)
            .map(|value| {
                value
                    .parse::<i64>()
                    .map_err(|error| format!("?{variable} = {value:?}: {error}").into())
            })
            .transpose()
    }

    fn offset(&self, variable: &str) -> TestResult<usize> {
        Ok(usize::try_from(self.int(variable)?)?)
    }
}

/// Runs a SELECT query the way `cyberkg query` does: default graph = union of all graphs.
fn run(query: &str) -> TestResult<Vec<Row>> {
    run_allowing(query, &Services::none())
}

/// Runs a SELECT query whose `SERVICE`s may call what `services` allows.
fn run_allowing(query: &str, services: &Services) -> TestResult<Vec<Row>> {
    let prepared = cyberkg::sparql::prepare(query, "test", services)?;
    let QueryResults::Solutions(solutions) = prepared.on_store(store()?).execute()? else {
        return Err("the query is not a SELECT query".into());
    };
    let mut rows = Vec::new();
    for solution in solutions {
        let solution = solution?;
        rows.push(Row(solution
            .iter()
            .map(|(variable, term)| (variable.as_str().to_owned(), term.clone()))
            .collect()));
    }
    Ok(rows)
}

fn named(name: &str) -> TestResult<&'static str> {
    cyberkg::queries::named(name).ok_or_else(|| format!("no named query {name}").into())
}

fn run_named(name: &str) -> TestResult<Vec<Row>> {
    run(named(name)?)
}

/// A named query with one piece of its text replaced (to try its documented parameters).
fn run_named_with(name: &str, from: &str, to: &str) -> TestResult<Vec<Row>> {
    let text = named(name)?;
    if !text.contains(from) {
        return Err(format!("queries/{name}.rq does not contain {from:?}").into());
    }
    run(&text.replacen(from, to, 1))
}

// ---------------------------------------------------------------------------
// The source texts: lines, offsets, errata
// ---------------------------------------------------------------------------

/// Line `number` (1-based) of a text.
fn line(text: &'static str, number: usize) -> TestResult<&'static str> {
    number
        .checked_sub(1)
        .and_then(|index| text.split('\n').nth(index))
        .ok_or_else(|| format!("no line {number}").into())
}

/// Code-point offset of the first character of line `number` (1-based).
fn line_start(text: &str, number: usize) -> TestResult<usize> {
    let mut offset = 0;
    for (index, content) in text.split('\n').enumerate() {
        if index + 1 == number {
            return Ok(offset);
        }
        offset += content.chars().count() + 1;
    }
    Err(format!("no line {number}").into())
}

/// Code-point offset of a 1-based line and column.
fn offset_of(text: &str, line_number: usize, column: usize) -> TestResult<usize> {
    let column = column.checked_sub(1).ok_or("columns are 1-based")?;
    Ok(line_start(text, line_number)? + column)
}

/// The code points `start..end` of a text.
fn slice(text: &str, start: usize, end: usize) -> TestResult<String> {
    if start > end || end > text.chars().count() {
        return Err(format!("{start}..{end} is outside the text").into());
    }
    Ok(text.chars().skip(start).take(end - start).collect())
}

fn file_text(file: &str) -> TestResult<&'static str> {
    match file {
        UN_FILE => Ok(UN_TEXT),
        PARALLEL_FILE => Ok(PARALLEL_TEXT),
        other => Err(format!("unknown source file {other}").into()),
    }
}

fn length(text: &str) -> i64 {
    text.chars().count() as i64
}

/// One entry of `data/errata.toml`.
#[derive(Debug, Clone)]
struct Erratum {
    id: String,
    source: String,
    line: usize,
    find: String,
    replace: String,
    reason: String,
}

fn errata() -> TestResult<Vec<Erratum>> {
    let table: toml::Table = toml::from_str(ERRATA_TEXT)?;
    let entries = table
        .get("erratum")
        .and_then(|value| value.as_array())
        .ok_or("data/errata.toml has no [[erratum]]")?;
    let field = |entry: &toml::Value, key: &str| -> TestResult<String> {
        entry
            .get(key)
            .and_then(|value| value.as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("an erratum has no {key}").into())
    };
    entries
        .iter()
        .map(|entry| {
            Ok(Erratum {
                id: field(entry, "id")?,
                source: field(entry, "source")?,
                line: entry
                    .get("line")
                    .and_then(|value| value.as_integer())
                    .and_then(|line| usize::try_from(line).ok())
                    .ok_or("an erratum has no line")?,
                find: field(entry, "find")?,
                replace: field(entry, "replace")?,
                reason: field(entry, "reason")?,
            })
        })
        .collect()
}

/// A line of a source with the errata for it applied.
fn corrected(source: &str, number: usize, content: &str) -> TestResult<String> {
    let mut content = content.to_owned();
    for erratum in errata()? {
        if erratum.source == source && erratum.line == number {
            content = content.replacen(&erratum.find, &erratum.replace, 1);
        }
    }
    Ok(content)
}

/// "3 March 2017" → "2017-03-03".
fn iso_date(text: &str) -> TestResult<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let [day, month, year] = words.as_slice() else {
        return Err(format!("{text:?} is not a day, month and year").into());
    };
    let month = MONTHS
        .iter()
        .position(|name| name == month)
        .ok_or_else(|| format!("{month:?} is not a month"))?
        + 1;
    Ok(format!("{year}-{month:02}-{:02}", day.parse::<u32>()?))
}

fn roman(numeral: &str) -> TestResult<i64> {
    match numeral {
        "I" => Ok(1),
        "II" => Ok(2),
        "III" => Ok(3),
        "IV" => Ok(4),
        "V" => Ok(5),
        other => Err(format!("{other:?} is not a chapter numeral").into()),
    }
}

/// "12. Title" → (12, "Title").
fn numbered_heading(content: &str) -> Option<(i64, &str)> {
    let (number, title) = content.split_once(". ")?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((number.parse().ok()?, title))
}

// ---------------------------------------------------------------------------
// A naive reader of the two layouts
// ---------------------------------------------------------------------------

/// What a part of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Preface,
    Chapter,
    Section,
    Conclusion,
    Paragraph,
    Epigraph,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Preface => "preface",
            Kind::Chapter => "chapter",
            Kind::Section => "section",
            Kind::Conclusion => "conclusion",
            Kind::Paragraph => "paragraph",
            Kind::Epigraph => "epigraph",
        }
    }
}

/// Where a part stands: its kind, the top-level part it is in, chapter,
/// section and paragraph numbers (a paragraph opening a chapter has no section).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    kind: Kind,
    top: Kind,
    chapter: Option<i64>,
    section: Option<i64>,
    paragraph: Option<i64>,
}

/// One heading or paragraph read from a source file.
#[derive(Debug, Clone)]
struct SourcePart {
    key: Key,
    /// The heading without its number, or the paragraph's text (errata applied).
    text: String,
    /// The Chinese heading or paragraph (parallel file only): cleaned Traditional.
    chinese: String,
    /// The source lines it was read from (1-based).
    lines: Vec<usize>,
}

impl SourcePart {
    fn line(&self) -> usize {
        self.lines.first().copied().unwrap_or(0)
    }

    fn is_heading(&self) -> bool {
        !matches!(self.key.kind, Kind::Paragraph | Kind::Epigraph)
    }
}

/// Numbers paragraphs in their parent as they come.
#[derive(Default)]
struct Cursor {
    top: Option<Kind>,
    chapter: Option<i64>,
    section: Option<i64>,
    paragraph: i64,
}

impl Cursor {
    fn heading(&mut self, kind: Kind, number: Option<i64>) -> Key {
        match kind {
            Kind::Section => self.section = number,
            _ => {
                self.top = Some(kind);
                self.chapter = number;
                self.section = None;
            }
        }
        self.paragraph = 0;
        Key {
            kind,
            top: self.top.unwrap_or(kind),
            chapter: self.chapter,
            section: self.section,
            paragraph: None,
        }
    }

    fn paragraph(&mut self) -> Key {
        self.paragraph += 1;
        Key {
            kind: Kind::Paragraph,
            top: self.top.unwrap_or(Kind::Paragraph),
            chapter: self.chapter,
            section: self.section,
            paragraph: Some(self.paragraph),
        }
    }
}

/// The strategy in the UN file, from the "Preface" heading (line 54, after
/// the table of contents) to the end. A line that starts in lower case
/// continues the paragraph a page break interrupted; a line "- …" is the
/// attribution of the paragraph before it, which is then the epigraph.
fn un_parts() -> TestResult<Vec<SourcePart>> {
    let lines: Vec<&str> = UN_TEXT.split('\n').collect();
    let first = lines
        .iter()
        .position(|content| content.trim() == "Preface")
        .ok_or("the UN file has no Preface heading")?;
    let mut parts: Vec<SourcePart> = Vec::new();
    let mut cursor = Cursor::default();
    for (index, raw) in lines.iter().enumerate().skip(first) {
        let number = index + 1;
        let content = corrected("un-english", number, raw.trim())?;
        let heading = |key: Key, title: &str| SourcePart {
            key,
            text: title.to_owned(),
            chinese: String::new(),
            lines: vec![number],
        };
        if content.is_empty() {
            continue;
        } else if content == "Preface" || content == "Conclusion" {
            let kind = if content == "Preface" {
                Kind::Preface
            } else {
                Kind::Conclusion
            };
            parts.push(heading(cursor.heading(kind, None), &content));
        } else if let Some(rest) = content.strip_prefix("Chapter ") {
            let (numeral, title) = rest.split_once(' ').ok_or("a chapter without title")?;
            let key = cursor.heading(Kind::Chapter, Some(roman(numeral)?));
            parts.push(heading(key, title));
        } else if let Some((section, title)) = numbered_heading(&content) {
            parts.push(heading(cursor.heading(Kind::Section, Some(section)), title));
        } else if content.starts_with("- ") {
            let quotation = parts.last_mut().ok_or("an attribution first")?;
            quotation.key.kind = Kind::Epigraph;
            quotation.key.paragraph = None;
            cursor.paragraph -= 1;
        } else if content.starts_with(|c: char| c.is_lowercase()) {
            let paragraph = parts.last_mut().ok_or("a continuation first")?;
            paragraph.text.push(' ');
            paragraph.text.push_str(&content);
            paragraph.lines.push(number);
        } else {
            parts.push(SourcePart {
                key: cursor.paragraph(),
                text: content,
                chinese: String::new(),
                lines: vec![number],
            });
        }
    }
    Ok(parts)
}

fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_chinese(c: char) -> bool {
    is_ideograph(c)
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '“' | '”' | '‘' | '’')
}

/// If a pinyin gloss such as `(wǎng)` or `(luò )` starts at `open`, the index after it.
fn gloss_end(chars: &[char], open: usize) -> Option<usize> {
    if chars.get(open) != Some(&'(') {
        return None;
    }
    let close = (open + 1..chars.len().min(open + 9)).find(|&i| chars[i] == ')')?;
    let inner: String = chars[open + 1..close].iter().collect();
    let letters = inner.trim_end();
    let pinyin = !letters.is_empty()
        && letters
            .chars()
            .all(|c| c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c));
    pinyin.then_some(close + 1)
}

/// Removes the pinyin glosses glued after Chinese characters.
fn without_glosses(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut cleaned = String::new();
    let mut index = 0;
    while let Some(&c) = chars.get(index) {
        cleaned.push(c);
        index += 1;
        if is_ideograph(c)
            && let Some(end) = gloss_end(&chars, index)
        {
            index = end;
        }
    }
    cleaned
}

/// A line of the parallel file split into its Chinese (glosses kept) and its
/// English: the English starts at the first capital or digit after the last
/// Chinese character (and the gloss glued to it).
fn split_parallel(content: &str) -> TestResult<(String, String)> {
    let chars: Vec<char> = content.trim().chars().collect();
    let last = chars
        .iter()
        .rposition(|&c| is_chinese(c))
        .ok_or_else(|| format!("no Chinese in {content:?}"))?;
    let chinese_end = gloss_end(&chars, last + 1).unwrap_or(last + 1);
    let english_start = (chinese_end..chars.len())
        .find(|&i| chars[i].is_ascii_uppercase() || chars[i].is_ascii_digit())
        .ok_or_else(|| format!("no English in {content:?}"))?;
    Ok((
        chars[..chinese_end].iter().collect(),
        chars[english_start..].iter().collect(),
    ))
}

/// The Chapters II-III of the parallel file: one part per line from line 2,
/// with the government's English and the cleaned Traditional Chinese.
fn parallel_parts() -> TestResult<Vec<SourcePart>> {
    let mut parts = Vec::new();
    let mut cursor = Cursor::default();
    for (index, raw) in PARALLEL_TEXT.split('\n').enumerate().skip(1) {
        let number = index + 1;
        let content = corrected("parallel-zh-en", number, raw)?;
        if content.trim().is_empty() {
            continue;
        }
        let (chinese, english) = split_parallel(&content)?;
        let chinese = without_glosses(&chinese);
        let (key, text, chinese) = if let Some(rest) = english.strip_prefix("Chapter ") {
            let (numeral, title) = rest.split_once(". ").ok_or("a chapter without title")?;
            let (_, chinese_title) = chinese.split_once(' ').ok_or("a 第…章 without title")?;
            let key = cursor.heading(Kind::Chapter, Some(roman(numeral)?));
            (key, title.to_owned(), chinese_title.to_owned())
        } else if let Some((section, title)) = numbered_heading(&english) {
            let (_, chinese_title) = chinese.split_once('、').ok_or("a section without 、")?;
            let key = cursor.heading(Kind::Section, Some(section));
            (key, title.to_owned(), chinese_title.to_owned())
        } else {
            (cursor.paragraph(), english.trim_end().to_owned(), chinese)
        };
        parts.push(SourcePart {
            key,
            text,
            chinese,
            lines: vec![number],
        });
    }
    Ok(parts)
}

fn find_part(parts: &[SourcePart], key: Key) -> TestResult<&SourcePart> {
    parts
        .iter()
        .find(|part| part.key == key)
        .ok_or_else(|| format!("no part {key:?} in the source").into())
}

fn paragraph_key(chapter: i64, section: Option<i64>, paragraph: i64) -> Key {
    Key {
        kind: Kind::Paragraph,
        top: Kind::Chapter,
        chapter: Some(chapter),
        section,
        paragraph: Some(paragraph),
    }
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

#[test]
fn the_readers_of_the_test_agree_with_the_numbers_quoted_in_the_brief() -> TestResult {
    // Counts known from reading the UN file by eye (the page break at line 193
    // splits paragraph 4 of Chapter IV section 5 over lines 192 and 194).
    let un = un_parts()?;
    let count = |top: Kind, chapter: Option<i64>, section: Option<i64>| {
        un.iter()
            .filter(|part| {
                part.key.kind == Kind::Paragraph
                    && part.key.top == top
                    && (chapter.is_none() || part.key.chapter == chapter)
                    && (section.is_none() || part.key.section == section)
            })
            .count()
    };
    assert_eq!(count(Kind::Preface, None, None), 3);
    assert_eq!(count(Kind::Chapter, Some(1), None), 3);
    assert_eq!(count(Kind::Chapter, Some(2), None), 12);
    assert_eq!(count(Kind::Chapter, Some(3), None), 13);
    assert_eq!(count(Kind::Chapter, Some(4), None), 31);
    assert_eq!(count(Kind::Chapter, Some(4), Some(5)), 5);
    assert_eq!(count(Kind::Conclusion, None, None), 2);
    let parallel = parallel_parts()?;
    assert_eq!(
        parallel.len(),
        37,
        "lines 2-39 of the parallel file but the blank line 2"
    );
    let (chinese, english) = split_parallel(line(PARALLEL_TEXT, 22)?)?;
    assert_eq!(chinese, "一、維護主權與安全");
    assert_eq!(english, "1. Safeguarding Sovereignty and Security");
    assert_eq!(without_glosses("網(wǎng)絡(luò )空間"), "網絡空間");
    Ok(())
}

#[test]
fn outline_un() -> TestResult {
    let rows = run_named("outline-un")?;
    let un = un_parts()?;
    let mut expected = Vec::new();
    for heading in un.iter().filter(|part| part.is_heading()) {
        let key = heading.key;
        let paragraphs = un
            .iter()
            .filter(|part| {
                part.key.kind == Kind::Paragraph
                    && part.key.top == key.top
                    && part.key.chapter == key.chapter
                    && (key.kind != Kind::Section || part.key.section == key.section)
            })
            .count() as i64;
        expected.push((
            key.kind.name().to_owned(),
            key.chapter,
            key.section,
            heading.text.clone(),
            paragraphs,
        ));
    }
    let mut found = Vec::new();
    for row in &rows {
        found.push((
            row.text("kind")?.to_owned(),
            row.opt_int("chapter")?,
            row.opt_int("section")?,
            row.text("title")?.to_owned(),
            row.int("paragraphs")?,
        ));
    }
    assert_eq!(found, expected);
    assert_eq!(found.len(), 1 + 4 + 19 + 1);
    Ok(())
}

#[test]
fn side_by_side_chapter_3() -> TestResult {
    let rows = run_named("side-by-side-chapter-3")?;
    let un_sections: Vec<SourcePart> = un_parts()?
        .into_iter()
        .filter(|part| part.key.kind == Kind::Section && part.key.chapter == Some(3))
        .collect();
    let gov_sections: Vec<SourcePart> = parallel_parts()?
        .into_iter()
        .filter(|part| part.key.kind == Kind::Section && part.key.chapter == Some(3))
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(un_sections.len(), 6);
    assert_eq!(gov_sections.len(), 6);
    // As printed, UN line 112 and parallel line 22.
    assert_eq!(line(UN_TEXT, 112)?, "1. Defending sovereignty and security");
    assert_eq!(rows[0].text("enUn")?, "Defending sovereignty and security");
    assert_eq!(rows[0].text("zhHans")?, "维护主权与安全");
    for ((row, un), gov) in rows.iter().zip(&un_sections).zip(&gov_sections) {
        let position = row.int("position")?;
        let printed_un = line(UN_TEXT, un.line())?.trim();
        assert_eq!(format!("{position}. {}", row.text("enUn")?), printed_un);
        let (_, printed_gov) = split_parallel(line(PARALLEL_TEXT, gov.line())?)?;
        assert_eq!(format!("{position}. {}", row.text("enGov")?), printed_gov);
        let simplified = SIMPLIFIED_SECTION_TITLES
            .iter()
            .find(|(chapter, section, _, _)| *chapter == 3 && *section == position)
            .ok_or("no Simplified title quoted")?;
        assert_eq!(simplified.3, gov.line());
        assert_eq!(row.text("zhHans")?, simplified.2);
        assert!(row.language("zhHans")?.eq_ignore_ascii_case("zh-Hans"));
        // The Simplified title has one character per Traditional character of the heading.
        assert_eq!(length(row.text("zhHans")?), length(&gov.chinese));
    }
    Ok(())
}

#[test]
fn chinese_original_of_un_paragraph() -> TestResult {
    let un = un_parts()?;
    let parallel = parallel_parts()?;
    // The default: Chapter II, section 1 ("1. The principle of peace", UN line 78), paragraph 2.
    let rows = run_named("chinese-original-of-un-paragraph")?;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (
            row.int("chapter")?,
            row.int("section")?,
            row.int("paragraph")?
        ),
        (2, 1, 2)
    );
    let key = paragraph_key(2, Some(1), 2);
    let un_paragraph = find_part(&un, key)?;
    let original = find_part(&parallel, key)?;
    assert_eq!(un_paragraph.line(), 82);
    assert_eq!(original.line(), 7);
    assert_eq!(row.text("enUn")?, un_paragraph.text);
    assert_eq!(row.text("enGov")?, original.text);
    assert_eq!(row.text("zhHant")?, original.chinese);
    assert!(
        original
            .chinese
            .starts_with("國際社會要切實遵守《聯合國憲章》")
    );
    let simplified = row.text("zhHans")?;
    assert!(simplified.starts_with("国际社会要切实遵守《联合国宪章》"));
    assert_eq!(length(simplified), length(&original.chinese));
    assert!(row.language("zhHans")?.eq_ignore_ascii_case("zh-Hans"));
    assert!(row.language("zhHant")?.eq_ignore_ascii_case("zh-Hant"));

    // The documented parameters: section 0 opens a chapter; Chapter IV has no Chinese.
    let rows = run_named_with(
        "chinese-original-of-un-paragraph",
        "(2 1 2)",
        "(3 0 1) (4 5 4)",
    )?;
    assert_eq!(rows.len(), 2);
    let opening = paragraph_key(3, None, 1);
    assert_eq!(rows[0].text("enUn")?, find_part(&un, opening)?.text);
    assert_eq!(rows[0].text("enGov")?, find_part(&parallel, opening)?.text);
    assert_eq!(
        rows[0].text("zhHant")?,
        find_part(&parallel, opening)?.chinese
    );
    let joined = find_part(&un, paragraph_key(4, Some(5), 4))?;
    assert_eq!(joined.lines, [192, 194]);
    assert_eq!(
        rows[1].text("enUn")?,
        format!("{} {}", line(UN_TEXT, 192)?, line(UN_TEXT, 194)?)
    );
    assert!(rows[1].term("zhHans").is_none() && rows[1].term("enGov").is_none());
    Ok(())
}

/// The rows of `sentence-alignment` for one paragraph, checked against the
/// source files: the Chinese sentences in order are the paragraph's Chinese
/// (read from the parallel file, folded to Simplified), each English
/// column's sentences in order are that translation's paragraph, and every
/// Chinese sentence has a row with a link kind into each translation.
fn check_sentence_alignment(
    rows: &[Row],
    chapter: i64,
    section: i64,
    paragraph: i64,
) -> TestResult {
    let key = paragraph_key(chapter, Some(section), paragraph);
    let parallel = parallel_parts()?;
    let original = find_part(&parallel, key)?;
    let un_paragraphs = un_parts()?;
    let un = find_part(&un_paragraphs, key)?;
    assert!(!rows.is_empty());
    let mut zh: BTreeMap<i64, String> = BTreeMap::new();
    let mut gov: BTreeMap<i64, String> = BTreeMap::new();
    let mut un_sentences: BTreeMap<i64, String> = BTreeMap::new();
    for row in rows {
        zh.insert(row.int("zhPosition")?, row.text("zh")?.to_owned());
        if let Some(position) = row.opt_int("govPosition")? {
            gov.insert(position, row.text("enGov")?.to_owned());
        }
        if let Some(position) = row.opt_int("unPosition")? {
            un_sentences.insert(position, row.text("enUn")?.to_owned());
        }
        for kind in ["govKind", "unKind"] {
            let kind = row.text(kind)?;
            assert!(
                ["1-1", "1-2", "2-1", "1-3", "3-1", "1-0"].contains(&kind),
                "{kind}"
            );
        }
        for score in ["govScore", "unScore"] {
            let score: f64 = row.text(score)?.parse()?;
            assert!((0.0..=1.0).contains(&score), "{score}");
        }
    }
    // Positions run 1, 2, ... with no sentence left out.
    for sentences in [&zh, &gov, &un_sentences] {
        let positions: Vec<i64> = sentences.keys().copied().collect();
        assert_eq!(positions, (1..=sentences.len() as i64).collect::<Vec<_>>());
    }
    let joined: String = zh.values().map(String::as_str).collect();
    assert_eq!(joined, hanconv::t2s(&original.chinese));
    let joined: Vec<&str> = gov.values().map(String::as_str).collect();
    assert_eq!(joined.join(" "), original.text);
    let joined: Vec<&str> = un_sentences.values().map(String::as_str).collect();
    assert_eq!(joined.join(" "), un.text);
    Ok(())
}

#[test]
fn sentence_alignment() -> TestResult {
    // Chapter II, section 1, paragraph 1: parallel line 6, UN line 80. One
    // Chinese sentence, which both translations cut in two.
    let rows = run_named("sentence-alignment")?;
    check_sentence_alignment(&rows, 2, 1, 1)?;
    assert_eq!(rows.len(), 4, "1 Chinese sentence × 2 government × 2 UN");
    assert!(
        rows.iter()
            .all(|row| row.text("govKind").ok() == Some("1-2"))
    );
    // Another paragraph, through the VALUES line: Chapter III, section 5,
    // paragraph 3 (a repaired line of the parallel file, 数字鸿沟).
    let rows = run_named_with("sentence-alignment", "(2 1 1)", "(3 5 3)")?;
    check_sentence_alignment(&rows, 3, 5, 3)?;
    Ok(())
}

#[test]
fn translation_length_differences() -> TestResult {
    let rows = run_named("translation-length-differences")?;
    let un = un_parts()?;
    let parallel = parallel_parts()?;
    // Every aligned paragraph pair, from the two files.
    let mut expected = Vec::new();
    for original in parallel.iter().filter(|p| p.key.kind == Kind::Paragraph) {
        let united = find_part(&un, original.key)?;
        let difference = length(&united.text) - length(&original.text);
        expected.push((
            -difference.abs(),
            original.key.chapter.unwrap_or(0),
            original.key.section.unwrap_or(0),
            original.key.paragraph.unwrap_or(0),
            length(&united.text),
            length(&original.text),
            difference,
        ));
    }
    assert_eq!(expected.len(), 25);
    expected.sort();
    expected.truncate(10);
    let mut found = Vec::new();
    for row in &rows {
        let (united, government) = (row.int("unLength")?, row.int("govLength")?);
        assert_eq!(row.int("difference")?, united - government);
        found.push((
            -row.int("difference")?.abs(),
            row.int("chapter")?,
            row.int("section")?,
            row.int("paragraph")?,
            united,
            government,
            row.int("difference")?,
        ));
    }
    assert_eq!(found, expected);
    Ok(())
}

#[test]
fn paragraph_counts() -> TestResult {
    let rows = run_named("paragraph-counts")?;
    let count = |parts: &[SourcePart], kind: Kind| {
        parts.iter().filter(|part| part.key.kind == kind).count() as i64
    };
    let un = un_parts()?;
    let parallel = parallel_parts()?;
    let counts = |parts: &[SourcePart]| {
        (
            count(parts, Kind::Chapter),
            count(parts, Kind::Section),
            count(parts, Kind::Paragraph),
        )
    };
    let expected = vec![
        ("iscc2017/en-gov".to_owned(), counts(&parallel)),
        ("iscc2017/en-un".to_owned(), counts(&un)),
        ("iscc2017/zh".to_owned(), counts(&parallel)),
    ];
    let mut found = Vec::new();
    for row in &rows {
        found.push((
            row.text("edition")?.to_owned(),
            (
                row.int("chapters")?,
                row.int("sections")?,
                row.int("paragraphs")?,
            ),
        ));
    }
    assert_eq!(found, expected);
    assert_eq!(counts(&un), (4, 19, 3 + 3 + 12 + 13 + 31 + 2));
    assert_eq!(counts(&parallel), (2, 10, 12 + 13));
    Ok(())
}

#[test]
fn repairs() -> TestResult {
    let rows = run_named("repairs")?;
    let errata = errata()?;
    let mut applied = BTreeSet::new();
    let mut page_breaks = 0;
    let mut previous = None;
    for row in &rows {
        let file = row.text("file")?;
        let text = file_text(file)?;
        let (start, end) = (row.offset("startOffset")?, row.offset("endOffset")?);
        let (line_number, column) = (row.offset("line")?, row.offset("column")?);
        let original = row.text("original")?;
        let replacement = row.text("replacement")?;
        // The offsets hold the original characters, and line:column is where they start.
        assert_eq!(slice(text, start, end)?, original, "{row:?}");
        assert_eq!(offset_of(text, line_number, column)?, start, "{row:?}");
        let rest_of_line: String = line(text, line_number)?.chars().skip(column - 1).collect();
        assert!(rest_of_line.starts_with(original.trim_end_matches('\n')));
        assert!(
            previous <= Some((file.to_owned(), start)),
            "sorted by file and offset"
        );
        previous = Some((file.to_owned(), start));
        match row.text("kind")? {
            "erratum" => {
                let id = row.text("erratum")?;
                let erratum = errata
                    .iter()
                    .find(|erratum| erratum.id == id)
                    .ok_or_else(|| format!("{id} is not in data/errata.toml"))?;
                assert_eq!(erratum.find, original);
                assert_eq!(erratum.replace, replacement);
                assert_eq!(erratum.line, line_number);
                assert_eq!(erratum.reason, row.text("reason")?);
                let source_file = match erratum.source.as_str() {
                    "un-english" => UN_FILE,
                    _ => PARALLEL_FILE,
                };
                assert_eq!(source_file, file);
                assert!(applied.insert(id.to_owned()), "{id} applied twice");
            }
            "page-break" => {
                page_breaks += 1;
                assert_eq!((original, replacement), ("\n\n", " "));
                assert_eq!(file, UN_FILE);
                // The break ends a line, and the text after it goes on in lower case.
                assert_eq!(column - 1, line(text, line_number)?.chars().count());
                let after = slice(text, end, end + 1)?;
                assert!(after.chars().all(char::is_lowercase), "{after:?}");
            }
            "html-remnant" => {
                assert_eq!(replacement, "");
                assert!(original.contains("td>"), "{original:?}");
            }
            other => return Err(format!("unknown repair kind {other}").into()),
        }
    }
    let all: BTreeSet<String> = errata.iter().map(|erratum| erratum.id.clone()).collect();
    assert_eq!(applied, all, "every erratum is applied once");
    let split = un_parts()?
        .iter()
        .filter(|part| part.lines.len() > 1)
        .count();
    assert_eq!(page_breaks, split);
    // Line 19 of the parallel file carries the one HTML remnant ("/td>" before "Countries").
    let remnants: Vec<&Row> = rows
        .iter()
        .filter(|row| row.opt_text("kind") == Some("html-remnant"))
        .collect();
    assert_eq!(remnants.len(), 1);
    assert_eq!(remnants[0].int("line")?, 19);
    assert!(line(PARALLEL_TEXT, 19)?.contains("/td>Countries"));
    Ok(())
}

#[test]
fn provenance_of_paragraph() -> TestResult {
    let rows = run_named("provenance-of-paragraph")?;
    let expected: Vec<SourcePart> = un_parts()?
        .into_iter()
        .filter(|part| {
            part.key.kind == Kind::Paragraph
                && part.key.chapter == Some(4)
                && part.key.section == Some(5)
        })
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(expected.len(), 5);
    for (row, paragraph) in rows.iter().zip(&expected) {
        assert_eq!(Some(row.int("paragraph")?), paragraph.key.paragraph);
        assert_eq!(row.text("file")?, UN_FILE);
        let (line_number, column) = (row.offset("line")?, row.offset("column")?);
        assert_eq!(line_number, paragraph.line());
        assert_eq!(column, 1);
        let start = row.offset("startOffset")?;
        let end = row.offset("endOffset")?;
        assert_eq!(start, offset_of(UN_TEXT, line_number, column)?);
        let last = *paragraph.lines.last().ok_or("no lines")?;
        let last_end = line_start(UN_TEXT, last)? + line(UN_TEXT, last)?.chars().count();
        assert_eq!(
            end, last_end,
            "the span ends with the paragraph's last line"
        );
        // The span holds the paragraph; a page break inside becomes one space.
        assert_eq!(
            slice(UN_TEXT, start, end)?.replace("\n\n", " "),
            paragraph.text
        );
        let opening: String = paragraph.text.chars().take(60).collect();
        assert_eq!(row.text("opening")?, opening);
    }
    assert_eq!(
        rows[3].int("line")?,
        192,
        "the paragraph split by the page break"
    );
    Ok(())
}

#[test]
fn unaligned_un_parts() -> TestResult {
    let rows = run_named("unaligned-un-parts")?;
    let chinese_chapters: BTreeSet<Option<i64>> = parallel_parts()?
        .iter()
        .filter(|part| part.key.kind == Kind::Chapter)
        .map(|part| part.key.chapter)
        .collect();
    assert_eq!(chinese_chapters, BTreeSet::from([Some(2), Some(3)]));
    let expected: Vec<(String, Option<i64>, Option<i64>, String)> = un_parts()?
        .into_iter()
        .filter(|part| matches!(part.key.kind, Kind::Chapter | Kind::Section))
        .filter(|part| !chinese_chapters.contains(&part.key.chapter))
        .map(|part| {
            (
                part.key.kind.name().to_owned(),
                part.key.chapter,
                part.key.section,
                part.text,
            )
        })
        .collect();
    let mut found = Vec::new();
    for row in &rows {
        found.push((
            row.text("kind")?.to_owned(),
            row.opt_int("chapter")?,
            row.opt_int("section")?,
            row.text("title")?.to_owned(),
        ));
    }
    assert_eq!(found, expected);
    assert_eq!(
        found.len(),
        2 + 9,
        "Chapters I and IV, and the nine sections of IV"
    );
    Ok(())
}

#[test]
fn cover_letter() -> TestResult {
    let rows = run_named("cover-letter")?;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.text("letter")?, "iscc2017/un-letter");
    // Line 1: "Conference on Disarmament".
    assert_eq!(row.text("circulatedBy")?, line(UN_TEXT, 1)?);
    // Line 4: "7 March 2017 English Original: Chinese/English".
    let header = line(UN_TEXT, 4)?;
    let issued = header.split(" English").next().ok_or("no header")?;
    assert_eq!(row.text("issued")?, iso_date(issued)?);
    // Line 6: "Letter dated 3 March 2017 from …, addressed to …".
    let title = line(UN_TEXT, 6)?;
    let dated = title
        .strip_prefix("Letter dated ")
        .and_then(|rest| rest.split(" from ").next())
        .ok_or("line 6 is not the letter's title")?;
    assert_eq!(row.text("dated")?, iso_date(dated)?);
    assert_eq!(
        title,
        format!(
            "Letter dated {dated} from {}, addressed to {}",
            row.text("sender")?,
            row.text("addressee")?
        )
    );
    // Line 9: "… issued by … on 1 March 2017."
    let stated = line(UN_TEXT, 9)?
        .rsplit(" on ")
        .next()
        .map(|date| date.trim_end_matches('.'))
        .ok_or("no date on line 9")?;
    assert_eq!(row.text("statedIssueDate")?, iso_date(stated)?);
    // Line 13: "(Signed) Fu Cong Ambassador for Disarmament Affairs of China to the Conference on Disarmament".
    assert_eq!(
        line(UN_TEXT, 13)?,
        format!("(Signed) {} {}", row.text("signatory")?, row.text("role")?)
    );
    assert_eq!(row.text("signatory")?, "Fu Cong");
    // The annexed text: the strategy whose title is line 23.
    assert_eq!(row.text("transmitted")?, "iscc2017/en-un");
    assert_eq!(row.text("transmittedTitle")?, line(UN_TEXT, 23)?);
    Ok(())
}

#[test]
fn epigraph() -> TestResult {
    let rows = run_named("epigraph")?;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(line(UN_TEXT, 54)?, "Preface");
    assert_eq!(row.text("edition")?, "iscc2017/en-un");
    assert_eq!(row.text("quotation")?, line(UN_TEXT, 56)?);
    assert_eq!(
        format!("- {}", row.text("attribution")?),
        line(UN_TEXT, 58)?
    );
    // "… of China, 16 December 2015".
    let named_date = row
        .text("attribution")?
        .rsplit(", ")
        .next()
        .ok_or("no date in the attribution")?;
    assert_eq!(row.text("date")?, iso_date(named_date)?);
    assert_eq!(row.text("file")?, UN_FILE);
    assert_eq!((row.int("line")?, row.int("attributionLine")?), (56, 58));
    Ok(())
}

/// The (edition, line, field) of every part whose text contains `word`, read from the files.
fn expected_hits(
    word: &str,
    un: &[SourcePart],
    parallel: &[SourcePart],
) -> TestResult<BTreeSet<(String, usize, String)>> {
    let field = |part: &SourcePart| if part.is_heading() { "title" } else { "text" };
    let lower = word.to_lowercase();
    let mut hits = BTreeSet::new();
    for part in un {
        if part.text.to_lowercase().contains(&lower) {
            hits.insert((
                "iscc2017/en-un".to_owned(),
                part.line(),
                field(part).to_owned(),
            ));
        }
    }
    // The letter's two paragraphs (lines 9 and 11) and its signature (line 13).
    for number in [9, 11, 13] {
        if line(UN_TEXT, number)?.to_lowercase().contains(&lower) {
            hits.insert(("iscc2017/un-letter".to_owned(), number, "text".to_owned()));
        }
    }
    for part in parallel {
        if part.text.to_lowercase().contains(&lower) {
            hits.insert((
                "iscc2017/en-gov".to_owned(),
                part.line(),
                field(part).to_owned(),
            ));
        }
        if part.chinese.contains(word) {
            hits.insert((
                "iscc2017/zh".to_owned(),
                part.line(),
                field(part).to_owned(),
            ));
        }
    }
    Ok(hits)
}

fn found_hits(rows: &[Row]) -> TestResult<BTreeSet<(String, usize, String)>> {
    let mut hits = BTreeSet::new();
    for row in rows {
        hits.insert((
            row.text("edition")?.to_owned(),
            row.offset("line")?,
            row.text("field")?.to_owned(),
        ));
    }
    Ok(hits)
}

#[test]
fn find_word() -> TestResult {
    let un = un_parts()?;
    let parallel = parallel_parts()?;
    let rows = run_named("find-word")?;
    let expected = expected_hits("sovereignty", &un, &parallel)?;
    assert!(expected.len() > 10);
    assert_eq!(found_hits(&rows)?, expected);
    for row in &rows {
        let edition = row.text("edition")?;
        let file_lines = match edition {
            "iscc2017/en-gov" | "iscc2017/zh" => &parallel,
            _ => &un,
        };
        let hit = file_lines
            .iter()
            .find(|part| part.line() == row.offset("line").unwrap_or(0))
            .ok_or("a hit on no part of the file")?;
        assert!(row.text("match")?.to_lowercase().contains("sovereignty"));
        assert_eq!(row.text("match")?, hit.text);
        // Counterparts: the aligned parts of the other versions, Chapters II-III only.
        let counterparts: BTreeSet<&str> = rows
            .iter()
            .filter(|other| {
                other.opt_text("edition") == Some(edition)
                    && other.opt_text("line") == row.opt_text("line")
                    && other.opt_text("field") == row.opt_text("field")
            })
            .filter_map(|other| other.opt_text("counterpartEdition"))
            .collect();
        let aligned = matches!(hit.key.chapter, Some(2 | 3));
        let expected_counterparts = match (edition, aligned) {
            ("iscc2017/en-gov", _) => BTreeSet::from(["iscc2017/en-un", "iscc2017/zh"]),
            ("iscc2017/en-un", true) => BTreeSet::from(["iscc2017/en-gov", "iscc2017/zh"]),
            _ => BTreeSet::new(),
        };
        assert_eq!(counterparts, expected_counterparts, "{row:?}");
        match row.opt_text("counterpartEdition") {
            Some("iscc2017/en-un") => {
                assert_eq!(row.text("counterpart")?, find_part(&un, hit.key)?.text);
            }
            Some("iscc2017/en-gov") => {
                assert_eq!(
                    row.text("counterpart")?,
                    find_part(&parallel, hit.key)?.text
                );
            }
            Some("iscc2017/zh") => {
                let original = find_part(&parallel, hit.key)?;
                assert!(row.language("counterpart")?.eq_ignore_ascii_case("zh-Hans"));
                assert_eq!(length(row.text("counterpart")?), length(&original.chinese));
            }
            Some(other) => return Err(format!("unexpected counterpart {other}").into()),
            None => {}
        }
    }
    // A Traditional word finds the Chinese parts and shows their Simplified text.
    let rows = run_named_with(
        "find-word",
        "VALUES ?word { \"sovereignty\" }",
        "VALUES ?word { \"主權\" }",
    )?;
    let expected = expected_hits("主權", &un, &parallel)?;
    assert!(!expected.is_empty());
    assert_eq!(found_hits(&rows)?, expected);
    for row in &rows {
        assert!(row.text("match")?.contains("主权"), "{row:?}");
    }
    Ok(())
}

#[test]
fn longest_section() -> TestResult {
    let rows = run_named("longest-section")?;
    let un = un_parts()?;
    let parallel = parallel_parts()?;
    // (characters, chapter, section) of the longest section of a file.
    let longest = |parts: &[SourcePart], chinese: bool| {
        let mut sizes: BTreeMap<(i64, i64), i64> = BTreeMap::new();
        for part in parts.iter().filter(|part| part.key.kind == Kind::Paragraph) {
            if let (Some(chapter), Some(section)) = (part.key.chapter, part.key.section) {
                let text = if chinese { &part.chinese } else { &part.text };
                *sizes.entry((chapter, section)).or_default() += length(text);
            }
        }
        sizes
            .into_iter()
            .max_by_key(|&(place, size)| (size, std::cmp::Reverse(place)))
            .map(|((chapter, section), size)| (size, chapter, section))
    };
    // The Simplified text has as many code points as the cleaned Traditional one.
    let expected = [
        ("iscc2017/en-gov", longest(&parallel, false)),
        ("iscc2017/en-un", longest(&un, false)),
        ("iscc2017/zh", longest(&parallel, true)),
    ];
    assert_eq!(rows.len(), expected.len());
    for (row, (edition, expected)) in rows.iter().zip(expected) {
        let (size, chapter, section) = expected.ok_or("no sections")?;
        assert_eq!(row.text("edition")?, edition);
        assert_eq!(
            (
                row.int("characters")?,
                row.int("chapter")?,
                row.int("section")?
            ),
            (size, chapter, section)
        );
        let heading = Key {
            kind: Kind::Section,
            top: Kind::Chapter,
            chapter: Some(chapter),
            section: Some(section),
            paragraph: None,
        };
        let title = match edition {
            "iscc2017/en-un" => find_part(&un, heading)?.text.clone(),
            "iscc2017/en-gov" => find_part(&parallel, heading)?.text.clone(),
            _ => SIMPLIFIED_SECTION_TITLES
                .iter()
                .find(|entry| (entry.0, entry.1) == (chapter, section))
                .map(|entry| entry.2.to_owned())
                .ok_or("no Simplified title quoted")?,
        };
        assert_eq!(row.text("title")?, title);
    }
    Ok(())
}

#[test]
fn editions() -> TestResult {
    let rows = run_named("editions")?;
    let manifest: toml::Table = toml::from_str(MANIFEST_TEXT)?;
    let sources = manifest
        .get("source")
        .and_then(|value| value.as_array())
        .ok_or("the manifest has no [[source]]")?;
    let get = |table: &toml::Value, key: &str| {
        table
            .get(key)
            .and_then(|value| value.as_str())
            .map(str::to_owned)
    };
    // The title of the Chinese original: line 1 of the parallel file, between 】 and (全文).
    let heading = line(PARALLEL_TEXT, 1)?;
    let traditional = heading
        .split_once('】')
        .and_then(|(_, rest)| rest.split_once("(全文)"))
        .map(|(title, _)| without_glosses(title))
        .ok_or("line 1 of the parallel file is not the title")?;
    let mut expected = BTreeSet::new();
    for source in sources {
        let file = format!("data/corpus/{}", get(source, "file").ok_or("no file")?);
        let editions = source
            .get("editions")
            .and_then(|value| value.as_table())
            .ok_or("a source without editions")?;
        for (key, edition) in editions {
            let id = get(edition, "id").ok_or("an edition without id")?;
            let titles = match id.as_str() {
                "iscc2017/en-un" => vec![line(UN_TEXT, 23)?.to_owned()],
                "iscc2017/un-letter" => vec![line(UN_TEXT, 6)?.to_owned()],
                "iscc2017/zh" => vec![traditional.clone(), "网络空间国际合作战略".to_owned()],
                _ => vec![get(edition, "title").ok_or("no title in the manifest")?],
            };
            // The letter's issue date is the one its header states (line 4: "7 March 2017 …").
            let issued = match get(edition, "issued") {
                Some(issued) => Some(issued),
                None if key == "letter" => {
                    let header: Vec<&str> = line(UN_TEXT, 4)?.split(' ').take(3).collect();
                    Some(iso_date(&header.join(" "))?)
                }
                None => None,
            };
            for title in titles {
                expected.insert((
                    id.clone(),
                    if key == "letter" {
                        "cover letter"
                    } else {
                        "edition"
                    }
                    .to_owned(),
                    if key == "zh" { "zh-Hans" } else { "en" }.to_owned(),
                    title,
                    get(edition, "publisher"),
                    issued.clone(),
                    file.clone(),
                    get(edition, "translation-of"),
                ));
            }
        }
    }
    let mut found = BTreeSet::new();
    for row in &rows {
        found.insert((
            row.text("identifier")?.to_owned(),
            row.text("kind")?.to_owned(),
            row.text("language")?.to_owned(),
            row.text("title")?.to_owned(),
            row.opt_text("publisher").map(str::to_owned),
            row.opt_text("issued").map(str::to_owned),
            row.text("file")?.to_owned(),
            row.opt_text("translationOf").map(str::to_owned),
        ));
    }
    assert_eq!(found, expected);
    assert_eq!(rows.len(), 5);
    Ok(())
}

#[test]
fn every_named_query_is_described_portable_and_tested() -> TestResult {
    let mut names: Vec<&str> = NAMED_QUERIES.iter().map(|(name, _)| *name).collect();
    names.sort_unstable();
    let mut tested = TESTED.to_vec();
    tested.sort_unstable();
    assert_eq!(names, tested, "every query in queries/ has a test above");
    let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory)? {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == "rq") {
            let stem = path.file_stem().and_then(|stem| stem.to_str());
            files.push(stem.ok_or("a query file name is not UTF-8")?.to_owned());
        }
    }
    files.sort_unstable();
    assert_eq!(
        files, tested,
        "queries/ holds exactly the compiled-in queries"
    );
    for (name, text) in NAMED_QUERIES {
        assert!(
            description(text).len() > 20,
            "queries/{name}.rq needs a '#' comment saying what it asks"
        );
        // Portable: parses without cyberkg's predeclared prefixes.
        if let Err(error) = SparqlEvaluator::new().parse_query(text) {
            return Err(format!("queries/{name}.rq needs its PREFIX lines: {error}").into());
        }
        assert!(
            text.contains("ORDER BY"),
            "queries/{name}.rq must be ordered"
        );
        let data_iris = text
            .match_indices("w3id.org/cyberkg/")
            .filter(|(at, _)| !text[*at..].starts_with("w3id.org/cyberkg/vocab#"))
            .count();
        assert_eq!(data_iris, 0, "queries/{name}.rq hard-codes a data IRI");
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// What the strategy names (entities, mentions, logic, facts)
// ---------------------------------------------------------------------------

/// An entity of the table as the tests read it: (key, kind, QID).
type TableEntry = (String, String, Option<String>);

/// The entity table, read independently of the graph: English preferred label → entry.
fn table() -> TestResult<BTreeMap<String, TableEntry>> {
    let table: toml::Table = toml::from_str(include_str!("../data/entities.toml"))?;
    let mut out = BTreeMap::new();
    for entity in table["entity"].as_array().ok_or("entities")? {
        let key = entity["key"].as_str().ok_or("key")?.to_owned();
        let kind = entity["kind"].as_str().ok_or("kind")?.to_owned();
        let label = entity["label"]["en"].as_str().ok_or("label")?.to_owned();
        let qid = entity
            .get("wikidata")
            .and_then(|w| w["id"].as_str())
            .map(str::to_owned);
        out.insert(label, (key, kind, qid));
    }
    Ok(out)
}

/// The hand-made answer key: Chapter IV section → organization keys.
fn answer_key() -> TestResult<BTreeMap<i64, BTreeSet<String>>> {
    let key: toml::Table = toml::from_str(include_str!("expected/chapter-4-organizations.toml"))?;
    let mut out = BTreeMap::new();
    for (section, organizations) in key["section"].as_table().ok_or("sections")? {
        let organizations = organizations
            .as_array()
            .ok_or("a list")?
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::to_owned)
            .collect();
        out.insert(section.parse()?, organizations);
    }
    Ok(out)
}

#[test]
fn organizations_by_chapter_4_section() -> TestResult {
    let table = table()?;
    let mut found: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for row in run_named("organizations-by-chapter-4-section")? {
        let (key, kind, _) = table
            .get(row.text("organization")?)
            .ok_or("an organization of the table")?;
        assert_eq!(kind, row.text("kind")?);
        assert!(row.int("mentions")? >= 1);
        found
            .entry(row.int("section")?)
            .or_default()
            .insert(key.clone());
    }
    let expected: BTreeMap<i64, BTreeSet<String>> = answer_key()?
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    assert_eq!(found, expected);
    Ok(())
}

#[test]
fn un_bodies() -> TestResult {
    let parents: BTreeMap<String, String> = run_named("un-bodies")?
        .iter()
        .map(|row| Ok((row.text("body")?.to_owned(), row.text("parent")?.to_owned())))
        .collect::<TestResult<_>>()?;
    // The hierarchy the reference gives: the GA, the SC and ECOSOC belong to the UN, the CCPCJ to ECOSOC.
    for (body, parent) in [
        ("United Nations General Assembly", "United Nations"),
        ("United Nations Security Council", "United Nations"),
        (
            "United Nations Economic and Social Council",
            "United Nations",
        ),
        (
            "Commission on Crime Prevention and Criminal Justice",
            "United Nations Economic and Social Council",
        ),
    ] {
        assert_eq!(
            parents.get(body).map(String::as_str),
            Some(parent),
            "{body}"
        );
    }
    assert!(
        parents.keys().any(|b| b.contains("Human Rights Council")),
        "the Human Rights Council (Chapter IV section 6)"
    );
    assert!(
        !parents.contains_key("United Nations"),
        "the UN itself is not its own body"
    );
    Ok(())
}

#[test]
fn organizations_by_goal_and_action_line() -> TestResult {
    let rows = run_named("organizations-by-goal-and-action-line")?;
    let notations: Vec<&str> = rows
        .iter()
        .map(|r| r.text("notation"))
        .collect::<TestResult<_>>()?;
    assert_eq!(
        notations,
        vec![
            "III.1", "III.2", "III.3", "III.4", "III.5", "III.6", "IV.1", "IV.2", "IV.3", "IV.4",
            "IV.5", "IV.6", "IV.7", "IV.8", "IV.9"
        ]
    );
    let lists: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| {
            Ok((
                r.text("notation")?,
                r.opt_text("organizations").unwrap_or(""),
            ))
        })
        .collect::<TestResult<_>>()?;
    assert!(lists["IV.3"].contains("BRICS") && lists["IV.3"].contains("Boao Forum for Asia"));
    assert!(lists["IV.5"].contains("United Nations Security Council"));
    assert_eq!(
        lists["IV.1"], "",
        "section IV.1 names no organization (UN text lines 154-158)"
    );
    // Goal III.2 says "within the framework of the United Nations" (UN text line 120).
    assert!(line(UN_TEXT, 120)?.contains("within the framework of the United Nations"));
    assert!(lists["III.2"].contains("United Nations"));
    // Section titles are the concepts' labels: UN text line 112.
    assert_eq!(
        rows[0].text("concept")?,
        line(UN_TEXT, 112)?.trim_start_matches("1. ")
    );
    Ok(())
}

#[test]
fn aligned_mentions() -> TestResult {
    let rows = run_named("aligned-mentions")?;
    let charter: Vec<(String, String, String)> = rows
        .iter()
        .filter(|r| {
            r.text("entity")
                .is_ok_and(|e| e == "charter-of-the-united-nations")
        })
        .map(|r| {
            Ok((
                r.text("chinese")?.to_owned(),
                r.text("english")?.to_owned(),
                r.text("edition")?.to_owned(),
            ))
        })
        .collect::<TestResult<_>>()?;
    // Parallel text line 7 (Chapter II section 1 paragraph 2) writes 《聯合國憲章》 and "UN Charter"; UN text line 82 "Charter of the United Nations".
    assert!(line(PARALLEL_TEXT, 7)?.contains("UN Charter"));
    assert!(line(UN_TEXT, 82)?.contains("Charter of the United Nations"));
    assert!(
        charter.iter().any(|(zh, en, ed)| zh.contains("联合国宪章")
            && en == "UN Charter"
            && ed == "iscc2017/en-gov"),
        "{charter:?}"
    );
    assert!(
        charter.iter().any(|(zh, en, ed)| zh.contains("联合国宪章")
            && en == "Charter of the United Nations"
            && ed == "iscc2017/en-un"),
        "{charter:?}"
    );
    for row in &rows {
        assert!(
            row.text("chinese")?
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "the Chinese words are Chinese"
        );
        assert!(
            (2..=3).contains(&row.int("chapter")?),
            "only Chapters II-III are in Chinese"
        );
    }
    Ok(())
}

#[test]
fn concept_renderings() -> TestResult {
    let rows = run_named("concept-renderings")?;
    let concepts: BTreeSet<String> = table()?
        .into_values()
        .filter(|(_, kind, _)| kind == "concept")
        .map(|(key, _, _)| key)
        .collect();
    let renderings: BTreeSet<(String, String, String, String)> = rows
        .iter()
        .map(|r| {
            Ok((
                r.text("entity")?.to_owned(),
                r.text("chinese")?.to_owned(),
                r.text("edition")?.to_owned(),
                r.text("english").unwrap_or("").to_owned(),
            ))
        })
        .collect::<TestResult<_>>()?;
    // Parallel text line 7 (Chapter II, section 1, paragraph 2) writes
    // 冷戰思維 and "Cold War mentality"; UN text line 82 onwards (the same
    // paragraph) "cold war mentalities".
    let parallel = line(PARALLEL_TEXT, 7)?;
    assert!(parallel.contains("冷戰思維") && parallel.contains("Cold War mentality"));
    let un_paragraph: String = (82..=90)
        .map(|n| line(UN_TEXT, n))
        .collect::<TestResult<Vec<_>>>()?
        .join(" ");
    assert!(
        un_paragraph.contains("cold war mentalities"),
        "{un_paragraph}"
    );
    for (edition, english) in [
        ("iscc2017/en-gov", "Cold War mentality"),
        ("iscc2017/en-un", "cold war mentalities"),
    ] {
        let row = (
            "cold-war-mentality".to_owned(),
            "冷战思维".to_owned(),
            edition.to_owned(),
            english.to_owned(),
        );
        assert!(renderings.contains(&row), "{row:?} in {renderings:?}");
    }
    for row in &rows {
        let entity = row.text("entity")?;
        assert!(
            concepts.contains(entity),
            "{entity} is a concept in data/entities.toml"
        );
        assert!(
            row.text("chinese")?
                .chars()
                .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "the Chinese words are Chinese characters"
        );
        assert!(row.int("paragraphs")? >= 1);
        if let Ok(english) = row.text("english") {
            assert!(
                !english
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{english}"
            );
        }
    }
    // Each rendering's paragraphs, over all its renderings in one edition,
    // are at least the paragraphs naming the concept in Chinese that have
    // a translation in that edition: no paragraph is lost by the grouping.
    let mut per_edition: BTreeMap<(String, String), i64> = BTreeMap::new();
    for row in &rows {
        *per_edition
            .entry((
                row.text("entity")?.to_owned(),
                row.text("edition")?.to_owned(),
            ))
            .or_default() += row.int("paragraphs")?;
    }
    // The parallel file's Chinese paragraphs naming 網絡空間, read naively:
    // one paragraph a line (Chinese, then its English), the conversion's
    // pinyin glosses "(huì )" removed, the title line (【…】) left out.
    let naming = PARALLEL_TEXT
        .lines()
        .filter(|line| !line.trim_start().starts_with('【'))
        .filter(|line| {
            let mut plain = String::new();
            let mut depth = 0;
            for c in line.chars() {
                match c {
                    '(' => depth += 1,
                    ')' if depth > 0 => depth -= 1,
                    _ if depth == 0 => plain.push(c),
                    _ => {}
                }
            }
            plain.contains("網絡空間")
        })
        .count();
    assert!(naming >= 15, "{naming}");
    for edition in ["iscc2017/en-gov", "iscc2017/en-un"] {
        let paragraphs = per_edition
            .get(&("cyberspace".to_owned(), edition.to_owned()))
            .copied()
            .unwrap_or(0);
        assert!(
            paragraphs >= i64::try_from(naming)?,
            "{edition}: {paragraphs} paragraphs for the {naming} that name 网络空间"
        );
    }
    Ok(())
}

/// Tokens as `cyberkg_text::compare` documents them, read naively: runs of
/// letters and digits (an apostrophe or hyphen between two of them stays
/// inside), every other visible character alone; case-folded.
fn naive_tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c.is_whitespace() {
            index += 1;
            continue;
        }
        let mut end = index + 1;
        if c.is_alphanumeric() {
            while end < chars.len()
                && (chars[end].is_alphanumeric()
                    || (matches!(chars[end], '\'' | '’' | '-' | '‑')
                        && chars.get(end + 1).is_some_and(|n| n.is_alphanumeric())))
            {
                end += 1;
            }
        }
        out.push(chars[index..end].iter().collect::<String>().to_lowercase());
        index = end;
    }
    out
}

/// The length of a longest common subsequence, by the textbook table.
fn lcs(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[test]
fn translation_wording_differences() -> TestResult {
    let rows = run_named("translation-wording-differences")?;
    assert_eq!(rows.len(), 10);
    let mut previous = 0.0;
    for row in &rows {
        let (gov, un) = (
            naive_tokens(row.text("govText")?),
            naive_tokens(row.text("unText")?),
        );
        let expected = 2.0 * lcs(&gov, &un) as f64 / (gov.len() + un.len()) as f64;
        let similarity: f64 = row.text("similarity")?.parse()?;
        assert_eq!(
            similarity,
            (expected * 10_000.0).round() / 10_000.0,
            "{row:?}"
        );
        assert!(similarity >= previous, "lowest first");
        previous = similarity;
        assert_eq!(
            row.int("govLength")?,
            i64::try_from(row.text("govText")?.chars().count())?
        );
    }
    // Chapter II, section 4, paragraph 1: two texts of about one length
    // in other words (the UN's "Commercial integration of the Internet",
    // the government's "Integrated development of the Internet and other
    // sectors").
    assert!(PARALLEL_TEXT.contains("Integrated development of the Internet and other sectors"));
    assert!(UN_TEXT.contains("Commercial integration of the Internet"));
    let same_length = rows
        .iter()
        .find(|r| {
            r.int("chapter").is_ok_and(|c| c == 2)
                && r.int("section").is_ok_and(|s| s == 4)
                && r.int("paragraph").is_ok_and(|p| p == 1)
        })
        .ok_or("Chapter II 4.1 is among the ten")?;
    let (gov, un) = (same_length.int("govLength")?, same_length.int("unLength")?);
    assert!(
        (gov - un).abs() * 50 < gov,
        "about one length: {gov} and {un}"
    );
    assert!(same_length.text("similarity")?.parse::<f64>()? < 0.5);
    Ok(())
}

#[test]
fn unlinked_entities() -> TestResult {
    let table = table()?;
    let unlinked: BTreeSet<String> = table
        .values()
        .filter(|(_, _, qid)| qid.is_none())
        .map(|(key, _, _)| key.clone())
        .collect();
    let found: BTreeSet<String> = run_named("unlinked-entities")?
        .iter()
        .map(|r| Ok(r.text("key")?.to_owned()))
        .collect::<TestResult<_>>()?;
    assert_eq!(found, unlinked);
    assert!(
        found.contains("internet-governance-forum") && found.contains("world-economic-forum"),
        "their reference QIDs are known to be wrong"
    );
    Ok(())
}

#[test]
fn timeline() -> TestResult {
    let rows = run_named("timeline")?;
    let dates: Vec<&str> = rows
        .iter()
        .map(|r| r.text("date"))
        .collect::<TestResult<_>>()?;
    assert_eq!(
        dates,
        vec![
            "2015-01",
            "2015-12-16",
            "2017-03-01",
            "2017-03-03",
            "2017-03-07"
        ]
    );
    // Each date as the UN text prints it: lines 164, 58, 9, 6 and 4.
    for (number, printed) in [
        (164, "In January 2015"),
        (58, "16 December 2015"),
        (9, "on 1 March 2017"),
        (6, "Letter dated 3 March 2017"),
        (4, "7 March 2017"),
    ] {
        assert!(line(UN_TEXT, number)?.contains(printed), "line {number}");
    }
    assert!(rows[3].text("event")?.ends_with("Fu Cong"));
    Ok(())
}

#[test]
fn forums_for_partnership() -> TestResult {
    let table = table()?;
    let found: BTreeSet<String> = run_named("forums-for-partnership")?
        .iter()
        .map(|r| Ok(table.get(r.text("name")?).ok_or("in the table")?.0.clone()))
        .collect::<TestResult<_>>()?;
    let kinds: BTreeMap<&str, &str> = table
        .values()
        .map(|(key, kind, _)| (key.as_str(), kind.as_str()))
        .collect();
    let expected: BTreeSet<String> = answer_key()?[&3]
        .iter()
        .filter(|key| {
            matches!(
                kinds.get(key.as_str()),
                Some(&"forum" | &"intergovernmental-organization" | &"event")
            )
        })
        .cloned()
        .collect();
    assert_eq!(found, expected);
    assert!(found.contains("brics") && found.contains("world-internet-conference"));
    Ok(())
}

#[test]
fn who_is_named_where() -> TestResult {
    let rows = run_named("who-is-named-where")?;
    // Every row's words are the characters at its offset in its paragraph (checked for the UN edition against the file).
    let parts = un_parts()?;
    let mut checked = 0;
    for row in &rows {
        let (Some(paragraph), Ok("iscc2017/en-un")) =
            (row.opt_int("paragraph")?, row.text("edition"))
        else {
            continue;
        };
        let (Some(chapter), section) = (row.opt_int("chapter")?, row.opt_int("section")?) else {
            continue;
        };
        let part = find_part(&parts, paragraph_key(chapter, section, paragraph))?;
        let at = row.offset("at")?;
        let words = row.text("words")?;
        let text: String = part
            .text
            .chars()
            .skip(at)
            .take(words.chars().count())
            .collect();
        assert_eq!(text, words, "{row:?}");
        checked += 1;
    }
    assert!(checked > 100, "{checked} UN mentions checked");
    // SCO, in Chapter IV section 2 paragraph 2 (UN text line 164), as the long name and as the acronym.
    let sco: Vec<&str> = rows
        .iter()
        .filter(|r| {
            r.text("entity").is_ok_and(|e| e.starts_with("Shanghai"))
                && r.opt_int("section").ok().flatten() == Some(2)
        })
        .map(|r| r.text("words"))
        .collect::<TestResult<_>>()?;
    assert!(line(UN_TEXT, 164)?.contains("Shanghai Cooperation Organization (SCO)"));
    assert!(
        sco.contains(&"Shanghai Cooperation Organization") && sco.contains(&"SCO"),
        "{sco:?}"
    );
    let roles: BTreeSet<&str> = rows
        .iter()
        .map(|r| r.text("kind"))
        .collect::<TestResult<_>>()?;
    assert!(
        roles.contains("forum")
            && roles.contains("organ")
            && roles.contains("state")
            && roles.contains("person")
    );
    Ok(())
}

/// The endpoint the federated query names.
const WIKIDATA_SPARQL: &str = "https://query.wikidata.org/sparql";

#[test]
fn wikidata_memberships() -> TestResult {
    // As shipped, the query asks Wikidata, and is refused until allowed.
    let text = named("wikidata-memberships")?;
    assert!(text.contains(&format!("SERVICE <{WIKIDATA_SPARQL}>")));
    let refused = cyberkg::sparql::prepare(text, "q", &Services::none())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        refused.starts_with(&format!("q: SERVICE <{WIKIDATA_SPARQL}> is not allowed: "))
            && refused.ends_with("(--allow-service query.wikidata.org)"),
        "{refused}"
    );

    // Pointed at a second local server that holds the stand-in statements.
    let stand_in = include_str!("support/wikidata-stand-in.ttl");
    let server = Server::oxigraph();
    server.add_turtle(stand_in);
    let local = text.replace(WIKIDATA_SPARQL, &server.url("/query"));
    let allowed = Services::allowing(
        vec![format!("127.0.0.1:{}", server.port).parse()?],
        std::time::Duration::from_secs(30),
    );
    let rows = run_allowing(&local, &allowed)?;

    // The expected answer, from the stand-in (who is a member of what, and
    // Wikidata's label), data/entities.toml (which items the strategy names,
    // and its English label for each) and data/facts.toml (the BRICS members
    // the strategy states): never from the graph.
    let member_of = "http://www.wikidata.org/prop/direct/P463";
    let label = "http://www.w3.org/2000/01/rdf-schema#label";
    let triples: Vec<oxigraph::model::Triple> =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(stand_in)
            .map(|quad| quad.map(oxigraph::model::Triple::from))
            .collect::<Result<_, _>>()?;
    let english = |item: &str| {
        triples.iter().find_map(|t| match &t.object {
            Term::Literal(l)
                if t.subject.to_string() == format!("<{item}>")
                    && t.predicate.as_str() == label
                    && l.language() == Some("en") =>
            {
                Some(l.value().to_owned())
            }
            _ => None,
        })
    };
    let by_qid: BTreeMap<String, (String, String)> = table()?
        .into_iter()
        .filter_map(|(label, (key, _, qid))| Some((qid?, (key, label))))
        .collect();
    let facts: toml::Table = toml::from_str(include_str!("../data/facts.toml"))?;
    let stated_brics: BTreeSet<String> = facts["fact"]
        .as_array()
        .ok_or("facts")?
        .iter()
        .filter(|fact| fact["key"].as_str() == Some("brics-members"))
        .flat_map(|fact| fact["triples"].as_array().cloned().unwrap_or_default())
        .filter_map(|triple| {
            Some(
                triple
                    .as_array()?
                    .get(2)?
                    .as_str()?
                    .strip_prefix("entity:")?
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(stated_brics.len(), 5, "{stated_brics:?}");
    let wd = "http://www.wikidata.org/entity/";
    let mut expected = BTreeSet::new();
    for triple in triples.iter().filter(|t| t.predicate.as_str() == member_of) {
        let Term::NamedNode(organization) = &triple.object else {
            continue;
        };
        let Some((organization_key, organization_label)) = organization
            .as_str()
            .strip_prefix(wd)
            .and_then(|qid| by_qid.get(qid))
        else {
            continue; // an organization the query does not ask about
        };
        let member = triple.subject.to_string();
        let member = member.trim_matches(|c| c == '<' || c == '>');
        let named = member.strip_prefix(wd).and_then(|qid| by_qid.get(qid));
        let stated =
            organization_key == "brics" && named.is_some_and(|(key, _)| stated_brics.contains(key));
        expected.insert((
            organization_label.clone(),
            member.to_owned(),
            english(member).ok_or("a member without an English label")?,
            named.map(|(_, label)| label.clone()),
            stated,
        ));
    }
    let found: Vec<_> = rows
        .iter()
        .map(|row| -> TestResult<_> {
            let Some(Term::NamedNode(item)) = row.term("memberItem") else {
                return Err(format!("no ?memberItem in {row:?}").into());
            };
            Ok((
                row.text("organization")?.to_owned(),
                item.as_str().to_owned(),
                row.text("memberOnWikidata")?.to_owned(),
                row.opt_text("namedInStrategy").map(str::to_owned),
                row.text("stated")? == "true",
            ))
        })
        .collect::<TestResult<_>>()?;
    assert_eq!(found.len(), 10, "{found:#?}");
    assert_eq!(found.iter().cloned().collect::<BTreeSet<_>>(), expected);
    // Ordered by organization, the stated memberships first.
    assert!(
        found
            .windows(2)
            .all(|w| (&w[0].0, !w[0].4) <= (&w[1].0, !w[1].4)),
        "{found:#?}"
    );
    // Japan is named by the strategy and labelled in the stand-in, but a member of neither.
    assert!(found.iter().all(|row| row.2 != "Japan"));

    // The same through the binary, as the query's comment tells a user.
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), &local)?;
    let path = file.path().to_string_lossy().into_owned();
    let host = format!("127.0.0.1:{}", server.port);
    let output = common::cyberkg()
        .args(["query", "--query-file", &path, "--allow-service", &host])
        .args(["--results-format", "csv"])
        .output()?;
    assert!(output.status.success(), "{output:?}");
    let csv = String::from_utf8(output.stdout)?;
    assert_eq!(csv.lines().count(), 11, "a header and ten rows: {csv}");
    assert!(csv.starts_with("organization,memberItem,memberOnWikidata,namedInStrategy,stated\r\nBRICS,http://www.wikidata.org/entity/"));
    common::cyberkg()
        .args(["query", "--name", "wikidata-memberships"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "cyberkg: queries/wikidata-memberships.rq: SERVICE <{WIKIDATA_SPARQL}> is not allowed: cyberkg calls no other endpoint unless --allow-service names its host (--allow-service query.wikidata.org)\n"
        ));
    common::cyberkg()
        .args(["query", "--query-file", &path, "--allow-service", "query.wikidata.org"])
        .assert()
        .code(1)
        .stderr(format!(
            "cyberkg: {path}: SERVICE <{}> is not allowed: {host} is not among the hosts --allow-service names (query.wikidata.org)\n",
            server.url("/query")
        ));
    Ok(())
}
