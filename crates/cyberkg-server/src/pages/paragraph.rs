//! A paragraph (or any part with text) beside its aligned versions, the
//! Chinese original first, then by edition; each text with its mentions
//! linked to their entities.
//!
//! Mentions are placed by their `oa:TextPositionSelector` offsets, in code
//! points, into the literal of `cyberkg:selectedProperty` whose language is
//! the target's `dcterms:language` (see [`super::markup::highlighted`]).
//!
//! Below the columns, the versions sentence by sentence: one row per
//! alignment group, the sentences that `cyberkg:SentenceAlignment` links
//! connect (the two English versions meet through the Chinese, so a group
//! is a connected set of links). Hovering a sentence, or focusing it with
//! the keyboard, highlights its row, its counterparts: plain CSS on the
//! row (`:hover`, `:focus-within`), so the page still carries no script.

use super::markup::{self, Mention, literal_with_mentions};
use super::shared::{self, Named};
use crate::app::App;
use crate::error::ServeError;
use crate::lookup::{self, PREFERENCE, Summary, preferred};
use ::cyberkg::compare::{Side, compare};
use cyberkg::graph::vocab::schema;
use maud::{Markup, html};
use oxigraph::model::{Literal, NamedNode};
use std::collections::BTreeMap;

/// One version's column.
struct Column {
    /// The version, named by its edition.
    version: Named,
    /// Whether it is the part the page is about.
    current: bool,
    /// The text shown first (in the preferred script or language).
    shown: Option<Literal>,
    /// Its other texts (the Traditional script of a Chinese text).
    others: Vec<Literal>,
    mentions: Vec<Mention>,
}

/// One sentence of a version, as the sentence rows show it.
struct SentenceCell {
    iri: String,
    text: Literal,
    /// The sentence cut where the two English versions differ: byte
    /// ranges of the text, and whether the words are only in this version
    /// (struck through in the first, underlined in the second). Empty
    /// until [`mark_differences`]; the whole text, unmarked, when there is
    /// no second version to compare with.
    pieces: Vec<(std::ops::Range<usize>, Option<Side>)>,
}

/// What a paragraph page shows.
pub struct ParagraphPage {
    label: String,
    edition: String,
    columns: Vec<Column>,
    /// The alignment groups, in reading order: for each, the sentences of
    /// each column (in the order of `columns`). Empty when no sentence of
    /// this part is aligned.
    sentence_rows: Vec<Vec<Vec<SentenceCell>>>,
    /// The two English versions whose differences the rows mark, by name.
    compared: Option<(String, String)>,
}

/// The sentences of a paragraph, by position.
fn sentences_of(app: &App, paragraph: &str) -> Result<Vec<SentenceCell>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?resource ?sentence ?position ?text WHERE {
           ?sentence dcterms:isPartOf ?resource ; a doco:Sentence ; schema:position ?position ; schema:text ?text .
         } ORDER BY ?position ?sentence",
        Some(&NamedNode::new_unchecked(paragraph)),
    )?;
    let mut by_sentence: BTreeMap<(i64, String), Vec<Literal>> = BTreeMap::new();
    for row in &rows {
        if let (Some(sentence), Some(position), Some(oxigraph::model::Term::Literal(text))) = (
            lookup::iri(row, "sentence"),
            lookup::integer(row, "position"),
            row.get("text"),
        ) {
            by_sentence
                .entry((position, sentence))
                .or_default()
                .push(text.clone());
        }
    }
    Ok(by_sentence
        .into_iter()
        .filter_map(|((_, iri), texts)| {
            let text = preferred(&texts, PREFERENCE)?.clone();
            Some(SentenceCell {
                iri,
                text,
                pieces: Vec::new(),
            })
        })
        .collect())
}

/// The sentence links of a translation's paragraph: (sources, targets).
fn links_of(app: &App, paragraph: &str) -> Result<Vec<Vec<String>>, ServeError> {
    let rows = lookup::select(
        &app.store,
        "SELECT ?resource ?link ?sentence WHERE {
           ?link cyberkg:alignedParagraph ?resource ; cyberkg:source|cyberkg:target ?sentence .
         } ORDER BY ?link ?sentence",
        Some(&NamedNode::new_unchecked(paragraph)),
    )?;
    let mut links: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &rows {
        if let (Some(link), Some(sentence)) =
            (lookup::iri(row, "link"), lookup::iri(row, "sentence"))
        {
            links.entry(link).or_default().push(sentence);
        }
    }
    Ok(links.into_values().collect())
}

/// The alignment groups of the columns' sentences: sentences joined by a
/// link share a group; groups are numbered in reading order (the first
/// column's sentences first). Empty when no link joins anything.
fn sentence_rows(
    columns: Vec<Vec<SentenceCell>>,
    links: &[Vec<String>],
) -> Vec<Vec<Vec<SentenceCell>>> {
    if links.is_empty() {
        return Vec::new();
    }
    let members: Vec<&str> = columns
        .iter()
        .flatten()
        .map(|cell| cell.iri.as_str())
        .collect();
    let group_of = ::cyberkg::paragraphs::alignment_groups(&members, links);
    let count = group_of.iter().max().map_or(0, |last| last + 1);
    let width = columns.len();
    let mut rows: Vec<Vec<Vec<SentenceCell>>> = (0..count)
        .map(|_| (0..width).map(|_| Vec::new()).collect())
        .collect();
    let mut at = 0;
    for (column, cells) in columns.into_iter().enumerate() {
        for cell in cells {
            rows[group_of[at]][column].push(cell);
            at += 1;
        }
    }
    rows
}

/// Marks, in each row, the words of the two English versions that the
/// other does not have: the row's sentences of each version joined by a
/// space and compared word by word (`cyberkg::compare`, the comparison
/// whose similarity the graph holds for whole paragraphs), then cut back
/// into their sentences. `english` are the two columns compared; other
/// columns, and rows where one of the two is empty, stay unmarked.
fn mark_differences(rows: &mut [Vec<Vec<SentenceCell>>], english: Option<(usize, usize)>) {
    for row in rows.iter_mut() {
        for cells in row.iter_mut() {
            for cell in cells.iter_mut() {
                cell.pieces = vec![(0..cell.text.value().len(), None)];
            }
        }
        let Some((first, second)) = english else {
            continue;
        };
        if row[first].is_empty() || row[second].is_empty() {
            continue;
        }
        let joined = |cells: &[SentenceCell]| -> String {
            cells
                .iter()
                .map(|cell| cell.text.value())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (a, b) = (joined(&row[first]), joined(&row[second]));
        let comparison = compare(&a, &b);
        for (column, side, length) in [
            (first, Side::First, a.len()),
            (second, Side::Second, b.len()),
        ] {
            let pieces = comparison.pieces(side, length);
            let mut start = 0;
            for cell in row[column].iter_mut() {
                let end = start + cell.text.value().len();
                cell.pieces = pieces
                    .iter()
                    .filter_map(|(range, own)| {
                        let (from, to) = (range.start.max(start), range.end.min(end));
                        (from < to).then(|| (from - start..to - start, own.then_some(side)))
                    })
                    .collect();
                start = end + 1;
            }
        }
    }
}

impl ParagraphPage {
    /// Reads the part and its aligned versions.
    pub fn load(app: &App, summary: &Summary) -> Result<Self, ServeError> {
        let mut versions = vec![summary.clone()];
        versions.extend(shared::aligned(app, summary)?);
        let mut columns = Vec::new();
        for version in versions {
            let edition = shared::edition_name(app, &version)?;
            let shown = preferred(&version.texts, PREFERENCE).cloned();
            let others = version
                .texts
                .iter()
                .filter(|text| Some(*text) != shown.as_ref())
                .cloned()
                .collect();
            columns.push((
                (!shared::is_chinese(&version), edition.clone()),
                Column {
                    version: Named::new(version.iri.as_str(), edition),
                    current: version.iri == summary.iri,
                    shown,
                    others,
                    mentions: shared::mentions_in(app, &version.iri)?,
                },
            ));
        }
        columns.sort_by(|a, b| a.0.cmp(&b.0));
        let columns: Vec<Column> = columns.into_iter().map(|(_, column)| column).collect();
        let mut sentences = Vec::new();
        let mut links = Vec::new();
        for column in &columns {
            sentences.push(sentences_of(app, &column.version.iri)?);
            links.extend(links_of(app, &column.version.iri)?);
        }
        let mut rows = sentence_rows(sentences, &links);
        let english: Vec<usize> = columns
            .iter()
            .enumerate()
            .filter(|(_, column)| {
                column
                    .shown
                    .as_ref()
                    .and_then(Literal::language)
                    .is_some_and(|tag| tag == "en" || tag.starts_with("en-"))
            })
            .map(|(at, _)| at)
            .collect();
        let english_pair = match english.as_slice() {
            [first, second, ..] => Some((*first, *second)),
            _ => None,
        };
        mark_differences(&mut rows, english_pair);
        Ok(Self {
            label: shared::label(summary),
            edition: shared::edition_name(app, summary)?,
            compared: english_pair.map(|(first, second)| {
                (
                    columns[first].version.label.clone(),
                    columns[second].version.label.clone(),
                )
            }),
            sentence_rows: rows,
            columns,
        })
    }

    /// The page's body.
    pub fn render(&self, base: &str) -> Markup {
        let text = schema::TEXT.as_str();
        html! {
            h1 { (self.label) " " small.meta { (self.edition) } }
            @if self.columns.len() == 1 {
                p.meta { "No other version is aligned with this part." }
            }
            div.columns {
                @for column in &self.columns {
                    section.column.current[column.current] {
                        h2 { (column.version.link(base)) }
                        @if let Some(shown) = &column.shown {
                            p.text { (literal_with_mentions(base, shown, text, &column.mentions)) }
                            @for other in &column.others {
                                details {
                                    summary { "Also as " (markup::language(other).unwrap_or_default()) }
                                    p lang=[markup::language(other)] {
                                        (literal_with_mentions(base, other, text, &column.mentions))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !self.sentence_rows.is_empty() {
                h2 { "Sentence by sentence" }
                p.meta {
                    "One row per group of aligned sentences (the English versions through the Chinese); hover over or select a sentence to see its counterparts."
                    @if let Some((first, second)) = &self.compared {
                        " Words only in " (first) " are struck through, words only in " (second) " underlined."
                    }
                }
                table.sentences {
                    thead { tr { @for column in &self.columns { th { (column.version.link(base)) } } } }
                    tbody {
                        @for (group, row) in self.sentence_rows.iter().enumerate() {
                            tr data-group=(group + 1) {
                                @for cells in row {
                                    td {
                                        @for cell in cells {
                                            span.sentence tabindex="0" data-group=(group + 1) data-sentence=(cell.iri) lang=[markup::language(&cell.text)] {
                                                @for (range, own) in &cell.pieces {
                                                    @let words = &cell.text.value()[range.clone()];
                                                    @match own {
                                                        Some(Side::First) => del { (words) },
                                                        Some(Side::Second) => ins { (words) },
                                                        None => (words),
                                                    }
                                                }
                                            }
                                            " "
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::app;
    use crate::{Request, StatusCode};

    #[test]
    fn the_paragraph_page_shows_three_versions_with_mentions() {
        let reply = app().handle(
            &Request::get("/iscc2017/zh/chapter-2/section-1/paragraph-3").with_accept("text/html"),
        );
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        for expected in [
            "<a href=\"/iscc2017/en-gov/chapter-2/section-1/paragraph-3\">iscc2017/en-gov</a>",
            "<a href=\"/iscc2017/en-un/chapter-2/section-1/paragraph-3\">iscc2017/en-un</a>",
            "<section class=\"column current\"><h2><a href=\"/iscc2017/zh/chapter-2/section-1/paragraph-3\">iscc2017/zh</a>",
            "<a class=\"mention\" href=\"/entity/cyberterrorism\" title=\"cyberterrorism\">网络恐怖主义</a>",
            "<a class=\"mention\" href=\"/entity/cyberterrorism\" title=\"cyberterrorism\">Cyberterrorism</a> poses a new threat",
        ] {
            assert!(page.contains(expected), "{expected}\n{page}");
        }
        let zh = page.find("iscc2017/zh</a></h2>").expect("Chinese column");
        let gov = page
            .find("iscc2017/en-gov</a></h2>")
            .expect("government column");
        let un = page.find("iscc2017/en-un</a></h2>").expect("UN column");
        assert!(zh < gov && gov < un, "Chinese first, then by identifier");
    }

    #[test]
    fn the_sentence_rows_mark_where_the_english_versions_differ() {
        // Chapter II, section 1, paragraph 3, second sentence: the
        // government's "should take pragmatic measures to prevent and fight
        // against cyber terrorist activities", the UN's "must take practical
        // measures to prevent and cooperate in the fight against
        // cyberterrorism".
        let reply = app().handle(
            &Request::get("/iscc2017/zh/chapter-2/section-1/paragraph-3").with_accept("text/html"),
        );
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        let rows = &page[page.find("<table class=\"sentences\">").unwrap_or(0)..];
        for expected in [
            "Words only in iscc2017/en-gov are struck through, words only in iscc2017/en-un underlined.",
            "<del>should</del>",
            "<ins>must</ins>",
            "<del>pragmatic</del>",
            "<ins>practical</ins>",
        ] {
            assert!(page.contains(expected), "{expected}\n{rows}");
        }
        // The Chinese column is never marked, and the marks never cut a sentence's text.
        assert!(!rows.contains("<del>网") && !rows.contains("<ins>网"));
        let without_marks = rows
            .replace("<del>", "")
            .replace("</del>", "")
            .replace("<ins>", "")
            .replace("</ins>", "");
        assert!(without_marks.contains(
            "The international community should take pragmatic measures to prevent and fight against cyber terrorist activities."
        ), "{without_marks}");
    }

    #[test]
    fn the_paragraph_page_shows_the_sentences_row_by_row() {
        // Chapter II, section 1, paragraph 1: one Chinese sentence, two in
        // each English version: one row of five sentences.
        let reply = app().handle(
            &Request::get("/iscc2017/en-un/chapter-2/section-1/paragraph-1")
                .with_accept("text/html"),
        );
        assert_eq!(reply.status, StatusCode::OK);
        let page = reply.body_text();
        assert!(page.contains("<h2>Sentence by sentence</h2>"), "{page}");
        assert_eq!(page.matches("<tr data-group=").count(), 1, "{page}");
        assert_eq!(page.matches("class=\"sentence\"").count(), 5, "{page}");
        assert!(page.contains("data-sentence=\"https://w3id.org/cyberkg/iscc2017/zh/chapter-2/section-1/paragraph-1/sentence-1\" lang=\"zh-Hans\">网络空间互联互通"), "{page}");
        // A paragraph of two Chinese sentences has two or more rows, in order.
        let page = app()
            .handle(
                &Request::get("/iscc2017/zh/chapter-2/section-2/paragraph-1")
                    .with_accept("text/html"),
            )
            .body_text();
        let first = page
            .find("paragraph-1/sentence-1\"")
            .expect("first sentence");
        let second = page
            .find("paragraph-1/sentence-2\"")
            .expect("second sentence");
        assert!(first < second);
        assert!(page.matches("<tr data-group=").count() >= 2, "{page}");
    }
}
