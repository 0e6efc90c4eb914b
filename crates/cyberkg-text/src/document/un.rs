//! Parser of the UN English edition (`strategy-un-english.txt`).
//!
//! Layout, as extracted from the UN PDF: a cover letter (circulating body,
//! document date, "Letter dated …" line, body, "(Signed) …"), the strategy's
//! title, "Contents" with a tab-separated table of contents, then the body:
//! Preface (an epigraph and its "- attribution" line first), "Chapter I …" to
//! "Chapter IV …" with "1. …" sections, and the Conclusion. One block per
//! line, blocks separated by blank lines.
//!
//! `parse_un_text` reads the blocks, finds their `Regions` (letter,
//! title, contents, body), then reads the letter (`read_letter`), the body
//! (`read_body`) and cross-checks the contents (`cross_check_toc`).
//!
//! Repairs of the extraction damage, each kept as provenance or reported:
//! - a block starting in lower case continues the paragraph above it (a page
//!   break split it); the two are joined;
//! - the table of contents is only cross-checked against the body headings,
//!   so its split words ("Pret face", "Con nclusion") never reach a title;
//! - curated errata (such as a hyphen lost at a line end) are applied.

use super::dates::{find_dates, parse_day_month_year};
use super::errata::apply_errata;
use super::located::Working;
use super::parallel::english_heading;
use super::source::{Line, SourceText, Span};
use super::{
    Attribution, Diagnostic, Document, DocumentKind, Errata, Language, Letter, Parsed, Part,
    PartKind, Repair, RepairKind, Text,
};

/// Ids of what a UN source yields.
#[derive(Debug, Clone)]
pub struct UnIds {
    /// The source's id (for errata and provenance).
    pub source: String,
    /// Id of the UN English edition.
    pub edition: String,
    /// Id of the cover letter.
    pub letter: String,
}

/// One non-blank line, cleaned of curated errata.
#[derive(Debug, Clone)]
struct Block {
    line: usize,
    /// Trimmed text, after errata.
    text: String,
    /// Span of the trimmed text in the file.
    span: Span,
    /// Whether `text` is still its line's own characters (no erratum or join
    /// changed it), so that sub-spans can be exact.
    exact: bool,
    repairs: Vec<Repair>,
    /// Whether the line holds tabs (table of contents).
    tabbed: bool,
}

impl Block {
    fn read(
        source: &SourceText,
        line: &Line<'_>,
        source_id: &str,
        errata: &Errata,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let (trimmed, offset) = line.trimmed();
        if trimmed.is_empty() {
            return None;
        }
        let span = line.span(offset, offset + trimmed.len());
        let mut working = Working::at(trimmed, span.start);
        let repairs = apply_errata(
            &mut working,
            errata.for_line(source_id, line.number),
            source,
            span,
            diagnostics,
        );
        for repair in &repairs {
            diagnostics.push(Diagnostic::note(
                source,
                repair.span,
                "erratum-applied",
                format!(
                    "'{}' repaired as '{}' by erratum '{}'",
                    repair.original,
                    repair.replacement,
                    repair.erratum_id.as_deref().unwrap_or_default()
                ),
            ));
        }
        let text = Working::string(&working.chars);
        Some(Self {
            line: line.number,
            exact: repairs.is_empty(),
            text,
            span,
            repairs,
            tabbed: line.text.contains('\t'),
        })
    }

    /// The block as one text.
    fn whole(&self) -> Text {
        Text {
            value: self.text.clone(),
            traditional: None,
            span: self.span,
            repairs: self.repairs.clone(),
        }
    }

    /// The text of bytes `range` of `self.text`, with its exact span when the
    /// block is still its line's own characters (else the block's span).
    fn piece(&self, range: std::ops::Range<usize>) -> Text {
        let start = self.text[..range.start].chars().count();
        let value = self.text[range].to_owned();
        let span = match self.exact {
            true => Span::new(
                self.span.start + start,
                self.span.start + start + value.chars().count(),
            ),
            false => self.span,
        };
        Text {
            value,
            traditional: None,
            span,
            repairs: self.repairs.clone(),
        }
    }

    /// The text from byte `start` to the end, without surrounding white space.
    fn tail(&self, start: usize) -> Text {
        let text = self.piece(start..self.text.len());
        match self.exact {
            true => text.trimmed(),
            false => Text {
                value: text.value.trim().to_owned(),
                ..text
            },
        }
    }
}

/// Reads the blocks, joining paragraphs that a page break split.
fn read_blocks(
    source: &SourceText,
    source_id: &str,
    errata: &Errata,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in source.lines() {
        let Some(block) = Block::read(source, &line, source_id, errata, diagnostics) else {
            continue;
        };
        let continues = block.text.starts_with(|c: char| c.is_lowercase());
        match blocks.last_mut() {
            Some(previous)
                if continues && !previous.tabbed && english_heading(&previous.text).is_none() =>
            {
                let gap = Span::new(previous.span.end, block.span.start);
                diagnostics.push(Diagnostic::note(
                    source,
                    block.span,
                    "page-break",
                    format!("this line starts in lower case: it continues the paragraph of line {} (split by a page break), and the two are joined", previous.line),
                ));
                previous.repairs.push(Repair {
                    kind: RepairKind::PageBreak,
                    span: gap,
                    original: source.slice(gap),
                    replacement: " ".to_owned(),
                    reason: "A page break of the PDF split this paragraph in two; the parts are joined with one space.".to_owned(),
                    erratum_id: None,
                });
                previous.repairs.extend(block.repairs);
                // Appending in place keeps the join linear in the paragraph's
                // length; rebuilding the string at each line made it quadratic.
                previous.text.push(' ');
                previous.text.push_str(&block.text);
                previous.span = previous.span.cover(block.span);
                previous.exact = false;
            }
            _ => blocks.push(block),
        }
    }
    blocks
}

/// A table-of-contents entry.
#[derive(Debug, Clone)]
struct TocEntry {
    kind: Option<PartKind>,
    number: Option<u32>,
    /// The title's pieces between tabs; more than one means a word split across columns.
    fragments: Vec<String>,
    span: Span,
}

fn read_toc(block: &Block) -> Option<TocEntry> {
    let mut fields: Vec<&str> = block
        .text
        .split('\t')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    if fields.last().is_some_and(|f| *f == "Page") {
        return None;
    }
    if fields
        .last()
        .is_some_and(|f| f.chars().all(|c| c.is_ascii_digit()))
    {
        fields.pop();
    }
    let (kind, number) = match fields.first() {
        Some(first)
            if first.ends_with('.')
                && crate::numerals::parse_roman(first.trim_end_matches('.')).is_some() =>
        {
            (
                Some(PartKind::Chapter),
                crate::numerals::parse_roman(first.trim_end_matches('.')),
            )
        }
        Some(first)
            if first.ends_with('.') && first.trim_end_matches('.').parse::<u32>().is_ok() =>
        {
            (
                Some(PartKind::Section),
                first.trim_end_matches('.').parse().ok(),
            )
        }
        _ => (None, None),
    };
    if kind.is_some() {
        fields.remove(0);
    }
    Some(TocEntry {
        kind,
        number,
        fragments: fields.iter().map(|f| (*f).to_owned()).collect(),
        span: block.span,
    })
}

fn normalized(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A heading of the body, for the cross-check with the table of contents.
struct BodyHeading {
    kind: PartKind,
    chapter: Option<u32>,
    number: Option<u32>,
    title: Text,
}

/// Cross-checks the table of contents with the body's headings: each
/// entry must have its heading (matched by kind and number, an unnumbered
/// one by its title) with the same title, and each heading an entry.
fn cross_check_toc(
    source: &SourceText,
    toc: &[TocEntry],
    headings: &[BodyHeading],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut used = vec![false; headings.len()];
    let mut chapter = None;
    for entry in toc {
        if entry.kind == Some(PartKind::Chapter) {
            chapter = entry.number;
        }
        let found = headings
            .iter()
            .enumerate()
            .position(|(index, heading)| !used[index] && entry_matches(entry, chapter, heading));
        let Some(index) = found else {
            let spaced = entry.fragments.join(" ");
            diagnostics.push(Diagnostic::warning(
                source,
                entry.span,
                "toc-mismatch",
                format!("the table of contents lists '{spaced}', which has no heading in the text"),
            ));
            continue;
        };
        used[index] = true;
        compare_titles(source, entry, &headings[index], diagnostics);
    }
    for (heading, used) in headings.iter().zip(used) {
        if !used && !toc.is_empty() {
            diagnostics.push(Diagnostic::warning(
                source,
                heading.title.span,
                "toc-mismatch",
                format!(
                    "the heading '{}' is missing from the table of contents",
                    heading.title.value
                ),
            ));
        }
    }
}

/// Whether `heading` is the one the table of contents `entry` lists
/// (`chapter`: the chapter of the entries so far).
fn entry_matches(entry: &TocEntry, chapter: Option<u32>, heading: &BodyHeading) -> bool {
    match entry.kind {
        Some(PartKind::Chapter) => {
            heading.kind == PartKind::Chapter && heading.number == entry.number
        }
        Some(_) => {
            heading.kind == PartKind::Section
                && heading.number == entry.number
                && heading.chapter == chapter
        }
        None => {
            heading.number.is_none()
                && strsim::levenshtein(
                    &normalized(&entry.fragments.concat()),
                    &normalized(&heading.title.value),
                ) <= 2
        }
    }
}

/// Compares the title of an entry with its heading's: a word split across
/// columns is a note, any other difference a warning.
fn compare_titles(
    source: &SourceText,
    entry: &TocEntry,
    heading: &BodyHeading,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let joined = entry.fragments.concat();
    let spaced = entry.fragments.join(" ");
    let title = normalized(&heading.title.value);
    let position = source.position(heading.title.span.start);
    if normalized(&spaced) == title {
        return;
    }
    if entry.fragments.len() > 1 && strsim::levenshtein(&normalized(&joined), &title) <= 2 {
        diagnostics.push(Diagnostic::note(
            source,
            entry.span,
            "toc-split-word",
            format!("the table of contents entry '{spaced}' is a word split across columns; it matches the heading '{}' at line {}", heading.title.value, position.line),
        ));
    } else {
        diagnostics.push(Diagnostic::warning(
            source,
            heading.title.span,
            "toc-mismatch",
            format!(
                "the heading '{}' disagrees with the table of contents entry '{spaced}'",
                heading.title.value
            ),
        ));
    }
}

/// Words that start a signatory's function after the name.
const ROLE_WORDS: [&str; 10] = [
    "Ambassador",
    "Permanent",
    "Minister",
    "Chargé",
    "Representative",
    "Secretary",
    "Head",
    "Director",
    "Deputy",
    "Counsellor",
];

/// Reads the cover letter from the blocks before the edition: who
/// circulated it, its date, its `Letter dated …` title (sender and
/// addressee), its paragraphs (the strategy's stated issue date) and its
/// signature. A missing title or signature is a warning.
fn read_letter(
    source: &SourceText,
    ids: &UnIds,
    blocks: &[Block],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let first = blocks.first()?;
    let mut letter = Letter {
        transmits: Some(ids.edition.clone()),
        ..Letter::default()
    };
    let mut document = Document::new(
        &ids.letter,
        DocumentKind::CoverLetter(Box::default()),
        Language::ENGLISH,
        &ids.source,
    );
    let mut paragraphs = Part::new(PartKind::Paragraph, None);
    for (index, block) in blocks.iter().enumerate() {
        let text = block.text.as_str();
        if let Some(rest) = text.strip_prefix("Letter dated ") {
            document.title = Some(block.whole());
            read_letter_title(source, block, rest, &mut letter, diagnostics);
        } else if let Some(rest) = text.strip_prefix("(Signed)") {
            read_signature(source, block, rest, &mut letter, diagnostics);
            let mut signature = Part::new(PartKind::Signature, None);
            signature.text = Some(block.whole());
            paragraphs.children.push(signature);
        } else if index == 0 && find_dates(text).is_empty() {
            letter.circulated_by = Some(block.whole());
        } else if let Some(date) = leading_date(text)
            .filter(|_| letter.document_date.is_none() && document.title.is_none())
        {
            letter.document_date = Some(date);
        } else {
            if letter.stated_issue_date.is_none() && text.contains("issued") {
                letter.stated_issue_date = find_dates(text).first().map(|(_, date)| *date);
            }
            paragraphs.push_paragraph(block.whole());
        }
    }
    let missing = [
        (
            document.title.is_none(),
            "letter-title",
            "the cover letter has no 'Letter dated …' line",
        ),
        (
            letter.signatory.is_none(),
            "letter-signatory",
            "the cover letter has no '(Signed) …' line",
        ),
    ];
    for (code, message) in missing
        .into_iter()
        .filter_map(|(is_missing, code, message)| is_missing.then_some((code, message)))
    {
        diagnostics.push(Diagnostic::warning(source, first.span, code, message));
    }
    document.kind = DocumentKind::CoverLetter(Box::new(letter));
    document.parts = paragraphs.children;
    Some(document)
}

/// The `Letter dated … from SENDER, addressed to ADDRESSEE` line (`rest`
/// follows `Letter dated `): the letter's date and its two parties.
fn read_letter_title(
    source: &SourceText,
    block: &Block,
    rest: &str,
    letter: &mut Letter,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = block.text.as_str();
    letter.letter_date = find_dates(rest).first().map(|(_, date)| *date);
    // The sender is the " from " part before ", addressed to " (a " from "
    // after it belongs to the addressee, and would make an inverted range).
    let to = text.find(", addressed to ");
    let from = to.and_then(|to| text[..to].find(" from ").map(|i| i + " from ".len()));
    if let (Some(from), Some(to)) = (from, to) {
        letter.sender = Some(block.piece(from..to));
        letter.addressee = Some(block.tail(to + ", addressed to ".len()));
    } else {
        diagnostics.push(Diagnostic::warning(source, block.span, "letter-parties", "the 'Letter dated …' line does not name its sender ('from …') and addressee (', addressed to …')"));
    }
}

/// The `(Signed) NAME ROLE` line (`rest` follows `(Signed)`): the name
/// ends where a [`ROLE_WORDS`] word starts the signatory's function.
fn read_signature(
    source: &SourceText,
    block: &Block,
    rest: &str,
    letter: &mut Letter,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let text = block.text.as_str();
    let signature_start = text.len() - rest.trim_start().len();
    let role_start = ROLE_WORDS
        .iter()
        .filter_map(|word| rest.find(&format!(" {word}")).map(|i| i + 1))
        .min();
    match role_start {
        Some(role) => {
            let role = text.len() - rest.len() + role;
            letter.signatory = Some(block.piece(signature_start..role).trimmed());
            letter.signatory_role = Some(block.tail(role));
        }
        None => {
            letter.signatory = Some(block.tail(signature_start));
            diagnostics.push(Diagnostic::warning(source, block.span, "letter-signatory", "cannot tell the signatory's name from their function in this signature; the whole line is taken as the name"));
        }
    }
}

/// The date a line starts with ("7 March 2017 English Original: …").
fn leading_date(text: &str) -> Option<super::dates::Date> {
    parse_day_month_year(
        &text
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Where the next paragraph goes.
#[derive(Clone, Copy)]
enum Cursor {
    /// Before any heading: paragraphs go to the top level.
    Top,
    /// Into the top-level part at this index.
    Part(usize),
    /// Into section `.1` of the top-level part `.0`.
    Section(usize, usize),
}

/// Parses the UN edition and its cover letter.
pub fn parse_un_text(source: &SourceText, ids: &UnIds, errata: &Errata) -> Parsed {
    let mut diagnostics = Vec::new();
    let blocks = read_blocks(source, &ids.source, errata, &mut diagnostics);
    let regions = Regions::of(source, &blocks, &mut diagnostics);
    let mut documents = Vec::new();
    let mut edition = Document::new(
        &ids.edition,
        DocumentKind::Edition,
        Language::ENGLISH,
        &ids.source,
    );
    edition.title = regions.title.map(|i| blocks[i].whole());
    if let Some(letter) = read_letter(source, ids, &blocks[..regions.letter_end], &mut diagnostics)
    {
        documents.push(letter);
    }
    let toc: Vec<TocEntry> = match regions.contents {
        Some(contents) => blocks[contents + 1..regions.body_start]
            .iter()
            .filter_map(read_toc)
            .collect(),
        None => Vec::new(),
    };
    let headings = read_body(
        source,
        &blocks[regions.body_start..],
        &mut edition,
        &mut diagnostics,
    );
    if !edition.parts.iter().any(|p| p.kind == PartKind::Chapter) {
        diagnostics.push(Diagnostic::warning(
            source,
            Span::default(),
            "no-structure",
            "no 'Chapter …' heading found in this UN text",
        ));
    }
    cross_check_toc(source, &toc, &headings, &mut diagnostics);
    documents.insert(0, edition);
    for document in &mut documents {
        super::numbering::key_parts(source, &mut document.parts, &mut diagnostics);
    }
    Parsed {
        documents,
        diagnostics,
    }
}

/// Where the cover letter, the edition's title, the table of contents and
/// the body are among the blocks (indices).
struct Regions {
    /// The `Contents` line, if there is one.
    contents: Option<usize>,
    /// The letter is the blocks before this one.
    letter_end: usize,
    /// The edition's title.
    title: Option<usize>,
    /// The first block of the body.
    body_start: usize,
}

impl Regions {
    /// With a `Contents` line: the title just before it, the body after the
    /// tabbed lines that follow it. Without one (a warning): the body from
    /// the Preface or the first chapter, the title a short line before it.
    fn of(source: &SourceText, blocks: &[Block], diagnostics: &mut Vec<Diagnostic>) -> Self {
        let contents = blocks.iter().position(|b| b.text == "Contents");
        if let Some(contents) = contents {
            let body_start = blocks[contents + 1..]
                .iter()
                .position(|b| !b.tabbed)
                .map_or(blocks.len(), |p| contents + 1 + p);
            return Self {
                contents: Some(contents),
                letter_end: contents.saturating_sub(1),
                title: contents.checked_sub(1),
                body_start,
            };
        }
        diagnostics.push(Diagnostic::warning(
            source,
            Span::default(),
            "no-contents",
            "no 'Contents' line: the headings cannot be cross-checked with a table of contents",
        ));
        let is_body_start = |b: &Block| {
            b.text == "Preface"
                || english_heading(&b.text).is_some_and(|(kind, _, _)| kind == PartKind::Chapter)
        };
        let body_start = blocks.iter().position(is_body_start).unwrap_or(0);
        let title = body_start
            .checked_sub(1)
            .filter(|&i| blocks[i].text.len() < 100 && !blocks[i].text.ends_with('.'));
        Self {
            contents: None,
            letter_end: title.unwrap_or(body_start),
            title,
            body_start,
        }
    }
}

/// Reads the body's blocks into `edition`: the Preface, the chapters and
/// the Conclusion at the top level, the sections in their chapter, the
/// rest as paragraphs (or the epigraph) where the cursor is. Returns the
/// headings, for the cross-check with the table of contents.
fn read_body(
    source: &SourceText,
    blocks: &[Block],
    edition: &mut Document,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<BodyHeading> {
    let mut headings = Vec::new();
    let mut cursor = Cursor::Top;
    for block in blocks {
        let heading = english_heading(&block.text);
        if let Some((mut part, title)) = top_level_heading(block, heading) {
            headings.push(BodyHeading {
                kind: part.kind,
                chapter: None,
                number: part.number,
                title: title.clone(),
            });
            part.title = Some(title);
            edition.parts.push(part);
            cursor = Cursor::Part(edition.parts.len() - 1);
        } else if let (
            Some((PartKind::Section, number, start)),
            Cursor::Part(index) | Cursor::Section(index, _),
        ) = (heading, cursor)
            && edition.parts[index].kind == PartKind::Chapter
        {
            let chapter = &mut edition.parts[index];
            let mut section = Part::new(PartKind::Section, Some(number));
            section.title = Some(block.tail(start));
            headings.push(BodyHeading {
                kind: PartKind::Section,
                chapter: chapter.number,
                number: Some(number),
                title: block.tail(start),
            });
            chapter.children.push(section);
            cursor = Cursor::Section(index, chapter.children.len() - 1);
        } else {
            add_body_text(
                source,
                block,
                heading.is_some(),
                edition,
                cursor,
                diagnostics,
            );
        }
    }
    headings
}

/// The part and title of a top-level heading: `Preface`, `Conclusion` or
/// a chapter (`heading` is the block read as an English heading).
fn top_level_heading(
    block: &Block,
    heading: Option<(PartKind, u32, usize)>,
) -> Option<(Part, Text)> {
    let lower = block.text.to_lowercase();
    if lower == "preface" {
        Some((Part::new(PartKind::Preface, None), block.whole()))
    } else if lower == "conclusion" {
        Some((Part::new(PartKind::Conclusion, None), block.whole()))
    } else if let Some((PartKind::Chapter, number, start)) = heading {
        Some((
            Part::new(PartKind::Chapter, Some(number)),
            block.tail(start),
        ))
    } else {
        None
    }
}

/// Adds a block that is not a heading where the cursor is: the dash line
/// after the Preface's first paragraph makes that paragraph the epigraph
/// with its attribution; before any heading, a numbered top-level
/// paragraph (a numbered heading there gets a warning).
fn add_body_text(
    source: &SourceText,
    block: &Block,
    looks_like_heading: bool,
    edition: &mut Document,
    cursor: Cursor,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let attribution = ["- ", "— ", "– "]
        .iter()
        .find_map(|dash| block.text.strip_prefix(dash));
    let container = match cursor {
        Cursor::Top => None,
        Cursor::Part(index) => edition.parts.get_mut(index),
        Cursor::Section(index, section) => edition
            .parts
            .get_mut(index)
            .and_then(|p| p.children.get_mut(section)),
    };
    match (attribution, container) {
        (Some(attribution), Some(container))
            if container.kind == PartKind::Preface
                && container.count(PartKind::Paragraph) == 1
                && container.count(PartKind::Epigraph) == 0 =>
        {
            make_epigraph(container, block.tail(block.text.len() - attribution.len()));
        }
        (_, Some(container)) => container.push_paragraph(block.whole()),
        (_, None) => {
            if looks_like_heading {
                diagnostics.push(Diagnostic::warning(
                    source,
                    block.span,
                    "section-outside-chapter",
                    "a numbered heading outside any chapter is read as a paragraph",
                ));
            }
            edition.push_paragraph(block.whole());
        }
    }
}

/// Makes the last paragraph of `container` the epigraph, attributed to
/// `text` (dated with the last date it names).
pub(crate) fn make_epigraph(container: &mut Part, text: Text) {
    let date = find_dates(&text.value).last().map(|(_, date)| *date);
    let mut quote = container
        .children
        .pop()
        .unwrap_or_else(|| Part::new(PartKind::Paragraph, None));
    quote.kind = PartKind::Epigraph;
    quote.number = None;
    quote.attribution = Some(Attribution { text, date });
    container.children.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> UnIds {
        UnIds {
            source: "un".into(),
            edition: "t/en-un".into(),
            letter: "t/letter".into(),
        }
    }

    const SAMPLE: &str = "Conference on Disarmament\n\n7 March 2017 English Original: Chinese/English\n\nLetter dated 3 March 2017 from the Mission of X, addressed to the Secretary-General of Y\n\nI transmit the Strategy issued by the Ministry on 1 March 2017.\n\n(Signed) Fu Cong Ambassador for Disarmament Affairs\n\nThe Strategy\n\nContents\n\nChapter\t\t\tPage\n\tPret\tface\t3\nI.\tFirst things\t\t3\n\t1.\tThe one\t4\n\tCon\tnclusion\t5\n\nPreface\n\nA quote.\n\n- Someone, Somewhere, 16 December 2015\n\nPreface text.\n\nChapter I First things\n\nIntro.\n\n1. The one\n\nFirst half of a paragraph\n\nsecond half.\n\nConclusion\n\nThe end.";

    /// Every repair of a parsed source, from every text of every part.
    fn repairs(parsed: &Parsed) -> Vec<Repair> {
        fn walk(part: &Part, found: &mut Vec<Repair>) {
            for text in [&part.title, &part.text].into_iter().flatten() {
                found.extend(text.repairs.iter().cloned());
            }
            part.children.iter().for_each(|child| walk(child, found));
        }
        let mut found = Vec::new();
        for document in &parsed.documents {
            document
                .parts
                .iter()
                .for_each(|part| walk(part, &mut found));
        }
        found
    }

    #[test]
    fn two_errata_on_one_line_both_apply_with_their_own_spans() {
        // Line 7 of SAMPLE. The first repair lengthens the line, so the
        // second one's span must still point at the source's characters.
        let errata = Errata::from_toml(
            "e",
            "[[erratum]]\nid = \"a\"\nsource = \"un\"\nline = 7\nfind = \"transmit\"\nreplace = \"have the honour to transmit\"\nreason = \"r\"\n\n[[erratum]]\nid = \"b\"\nsource = \"un\"\nline = 7\nfind = \"Ministry\"\nreplace = \"Ministry of Foreign Affairs\"\nreason = \"r\"\n",
        )
        .unwrap_or_default();
        assert_eq!(errata.entries.len(), 2);
        let source = SourceText::new("un.txt", SAMPLE);
        let parsed = parse_un_text(&source, &ids(), &errata);
        let not_applied: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.code == "erratum-not-applied")
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(not_applied, Vec::<String>::new());
        let found: Vec<(Option<String>, String)> = repairs(&parsed)
            .into_iter()
            .filter(|r| r.kind == RepairKind::Erratum)
            .map(|r| (r.erratum_id, source.slice(r.span)))
            .collect();
        assert_eq!(
            found,
            vec![
                (Some("a".to_owned()), "transmit".to_owned()),
                (Some("b".to_owned()), "Ministry".to_owned())
            ]
        );
        let letter = &parsed.documents[1];
        let texts: Vec<&str> = letter
            .parts
            .iter()
            .filter_map(|p| p.text.as_ref().map(|t| t.value.as_str()))
            .collect();
        assert!(
            texts.contains(&"I have the honour to transmit the Strategy issued by the Ministry of Foreign Affairs on 1 March 2017."),
            "{texts:?}"
        );
    }

    #[test]
    fn an_erratum_whose_text_occurs_twice_is_not_applied() {
        let errata = Errata::from_toml(
            "e",
            "[[erratum]]\nid = \"twice\"\nsource = \"un\"\nline = 7\nfind = \"M\"\nreplace = \"m\"\nreason = \"r\"\n",
        )
        .unwrap_or_default();
        let parsed = parse_un_text(&SourceText::new("un.txt", SAMPLE), &ids(), &errata);
        let messages: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.code == "erratum-not-applied")
            .map(|d| (d.line, d.message.clone()))
            .collect();
        assert_eq!(
            messages,
            vec![(
                7,
                "erratum 'twice' was not applied: its text occurs 2 times on this line instead of once".to_owned()
            )]
        );
    }

    #[test]
    fn reads_letter_structure_and_repairs() {
        let source = SourceText::new("un.txt", SAMPLE);
        let parsed = parse_un_text(&source, &ids(), &Errata::default());
        let [edition, letter] = parsed.documents.as_slice() else {
            panic!("edition and letter")
        };
        assert_eq!(
            edition.title.as_ref().map(|t| t.value.as_str()),
            Some("The Strategy")
        );
        let kinds: Vec<_> = edition.parts.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            vec![PartKind::Preface, PartKind::Chapter, PartKind::Conclusion]
        );
        let preface = &edition.parts[0];
        assert_eq!(preface.children[0].kind, PartKind::Epigraph);
        let attribution = preface.children[0]
            .attribution
            .as_ref()
            .map(|a| (a.text.value.as_str(), a.date.map(|d| d.to_string())));
        assert_eq!(
            attribution,
            Some((
                "Someone, Somewhere, 16 December 2015",
                Some("2015-12-16".to_owned())
            ))
        );
        assert_eq!(preface.children[1].number, Some(1));
        let section = &edition.parts[1].children[1];
        assert_eq!(
            section.title.as_ref().map(|t| t.value.as_str()),
            Some("The one")
        );
        let joined = section.children[0].text.clone().map(|t| t.value);
        assert_eq!(
            joined.as_deref(),
            Some("First half of a paragraph second half.")
        );
        let chapter_title = edition.parts[1].title.clone().map(|t| source.slice(t.span));
        assert_eq!(chapter_title.as_deref(), Some("First things"));

        let DocumentKind::CoverLetter(info) = &letter.kind else {
            panic!("letter")
        };
        assert_eq!(
            info.document_date.map(|d| d.to_string()).as_deref(),
            Some("2017-03-07")
        );
        assert_eq!(
            info.letter_date.map(|d| d.to_string()).as_deref(),
            Some("2017-03-03")
        );
        assert_eq!(
            info.stated_issue_date.map(|d| d.to_string()).as_deref(),
            Some("2017-03-01")
        );
        assert_eq!(
            info.sender.as_ref().map(|t| t.value.as_str()),
            Some("the Mission of X")
        );
        assert_eq!(
            info.addressee
                .as_ref()
                .map(|t| source.slice(t.span))
                .as_deref(),
            Some("the Secretary-General of Y")
        );
        assert_eq!(
            info.signatory
                .as_ref()
                .map(|t| source.slice(t.span))
                .as_deref(),
            Some("Fu Cong")
        );
        assert_eq!(
            info.signatory_role.as_ref().map(|t| t.value.as_str()),
            Some("Ambassador for Disarmament Affairs")
        );

        let codes: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("page-break", 37),
                ("toc-split-word", 16),
                ("toc-split-word", 19)
            ]
        );
    }

    #[test]
    fn a_heading_that_disagrees_with_the_contents_is_reported() {
        let text = SAMPLE.replace("Chapter I First things", "Chapter I Other things");
        let parsed = parse_un_text(&SourceText::new("un.txt", text), &ids(), &Errata::default());
        let mismatch: Vec<_> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.code == "toc-mismatch")
            .map(|d| (d.line, d.column))
            .collect();
        assert_eq!(mismatch, vec![(29, 11)]);
    }

    #[test]
    fn a_paragraph_broken_by_many_page_breaks_is_joined_exactly() {
        // Large enough that a join costing the length of the paragraph at
        // each line would be felt (40,000 lines took seconds); the speed
        // itself is measured in benches/pipeline.rs, this checks the result.
        let count = 20_000;
        let lines: Vec<String> = (0..count).map(|i| format!("line {i} é")).collect();
        let text = format!("Chapter I Start\n\nFirst\n\n{}\n", lines.join("\n\n"));
        let source = SourceText::new("big.txt", text);
        let parsed = parse_un_text(&source, &ids(), &Errata::default());
        let chapter = &parsed.documents[0].parts[0];
        let [paragraph] = chapter.children.as_slice() else {
            panic!("one paragraph, not {}", chapter.children.len())
        };
        let Some(joined) = &paragraph.text else {
            panic!("a paragraph has text")
        };
        assert_eq!(joined.value, format!("First {}", lines.join(" ")));
        assert_eq!(
            source.slice(joined.span),
            format!("First\n\n{}", lines.join("\n\n"))
        );
        assert_eq!(joined.repairs.len(), count);
        assert!(
            joined
                .repairs
                .iter()
                .all(|r| r.kind == RepairKind::PageBreak
                    && r.original == "\n\n"
                    && source.slice(r.span) == "\n\n")
        );
        let notes = parsed.diagnostics.iter().filter(|d| d.code == "page-break");
        assert_eq!(notes.count(), count);
    }

    #[test]
    fn a_repeated_section_number_is_a_warning_and_a_part_of_its_own() {
        let text = SAMPLE.replace(
            "\n\nConclusion\n\nThe end.",
            "\n\n1. The one\n\nMore.\n\nConclusion\n\nThe end.",
        );
        let parsed = parse_un_text(&SourceText::new("un.txt", text), &ids(), &Errata::default());
        let chapter = &parsed.documents[0].parts[1];
        let segments: Vec<String> = chapter.children.iter().map(Part::segment).collect();
        assert_eq!(segments, ["paragraph-1", "section-1", "section-1-2"]);
        assert_eq!(chapter.children[2].number, Some(1));
        let warnings: Vec<String> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.code == "duplicate-number")
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            warnings,
            [
                "un.txt:39:4: warning[duplicate-number]: section 1 repeats the number of section 1 at un.txt:33:4; it is kept as a part of its own, 'section-1-2'"
            ]
        );
    }

    #[test]
    fn empty_and_odd_input_gives_diagnostics() {
        for text in ["", "\n\n", "just one line", "Contents\n\tx\t1", "1. a\n\nb"] {
            let parsed = parse_un_text(
                &SourceText::new("odd.txt", text),
                &ids(),
                &Errata::default(),
            );
            assert!(!parsed.documents.is_empty());
            assert!(
                parsed.diagnostics.iter().any(|d| d.code == "no-structure"),
                "{text:?}"
            );
        }
    }
}
