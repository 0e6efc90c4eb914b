//! `cyberkg table`: the aligned paragraphs side by side, one row per
//! paragraph of an original that has translations, as CSV or XLSX.
//!
//! The rows come from the graph's alignment (`schema:workTranslation`),
//! read by [`crate::paragraphs`]: for the built-in corpus, the 25
//! paragraphs of the Chinese original (Chapters II and III), each with the
//! government's English and the UN English. The columns are the chapter,
//! section and paragraph numbers of the original, then, for each edition,
//! its text and its paragraph's IRI: the originals' editions first, then
//! the translations', each group by identifier, so that a corpus of other
//! documents gets its own columns and never a column named after ours.
//! Invariant: the same store gives the same bytes, in either format.

use crate::paragraphs::{self, Paragraph, ParagraphsError};
use crate::spreadsheet::{self, Cell, Sheet, SpreadsheetError};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Why the table cannot be made or written.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Reading the store failed.
    #[error(transparent)]
    Paragraphs(#[from] ParagraphsError),
    /// Writing CSV failed.
    #[error("cannot write the CSV table: {0}")]
    Csv(#[from] csv::Error),
    /// Writing XLSX failed.
    #[error(transparent)]
    Spreadsheet(#[from] SpreadsheetError),
}

/// One version of an aligned paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The paragraph's IRI.
    pub iri: String,
    /// Its text, in its edition's language.
    pub text: String,
}

/// One row: a paragraph of an original and its translations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlignedRow {
    /// The original's chapter number, if it is in a chapter.
    pub chapter: Option<i64>,
    /// The original's section number, if it is in a section.
    pub section: Option<i64>,
    /// The original's position in its part.
    pub paragraph: i64,
    /// With `--sentences`: the 1-based number of the row's group of aligned
    /// sentences in its paragraph (sentences that alignment links join,
    /// directly or through others, in reading order of the original).
    pub sentences: Option<i64>,
    /// One entry per [`AlignedTable::editions`]: the version in that edition, if any.
    pub versions: Vec<Option<Version>>,
}

/// The aligned paragraphs of a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlignedTable {
    /// The editions' identifiers, in column order.
    pub editions: Vec<String>,
    /// The rows, in the originals' order (edition, then document order).
    pub rows: Vec<AlignedRow>,
    /// Whether the rows are groups of aligned sentences (one more column).
    pub by_sentence: bool,
}

impl AlignedTable {
    /// Reads the alignment of `store`.
    pub fn load(store: &Store) -> Result<Self, TableError> {
        Ok(Self::from_paragraphs(&paragraphs::load(store)?))
    }

    /// Reads the alignment of `store` sentence by sentence: each row of
    /// [`AlignedTable::load`] cut into its groups of aligned sentences
    /// (`cyberkg:SentenceAlignment`: sentences a link joins, directly or
    /// through another link, share a group; a sentence no link names is a
    /// group of its own). A version's cell is the group's sentences of that
    /// version, joined by a space, and their IRIs, joined by a space.
    pub fn load_sentences(store: &Store) -> Result<Self, TableError> {
        let all = paragraphs::load(store)?;
        let languages: BTreeMap<&str, &str> = all
            .iter()
            .map(|p| (p.iri.as_str(), p.language.as_str()))
            .collect();
        let (sentences, links) = paragraphs::sentences(store)?;
        let table = Self::from_paragraphs(&all);
        let mut rows = Vec::new();
        for row in &table.rows {
            // The row's sentences, column by column, in position order.
            let columns: Vec<Vec<(&paragraphs::Sentence, &str)>> = row
                .versions
                .iter()
                .map(|version| match version {
                    Some(version) => sentences
                        .get(&version.iri)
                        .map(|found| {
                            let language =
                                languages.get(version.iri.as_str()).copied().unwrap_or("");
                            found.iter().map(|sentence| (sentence, language)).collect()
                        })
                        .unwrap_or_default(),
                    None => Vec::new(),
                })
                .collect();
            let members: Vec<&str> = columns
                .iter()
                .flatten()
                .map(|(sentence, _)| sentence.iri.as_str())
                .collect();
            let group_of = paragraphs::alignment_groups(&members, &links);
            let count = group_of.iter().max().map_or(0, |last| last + 1);
            let mut groups: Vec<Vec<Vec<(&paragraphs::Sentence, &str)>>> = (0..count)
                .map(|_| vec![Vec::new(); columns.len()])
                .collect();
            let mut at = 0;
            for (column, cells) in columns.iter().enumerate() {
                for cell in cells {
                    groups[group_of[at]][column].push(*cell);
                    at += 1;
                }
            }
            for (number, group) in groups.iter().enumerate() {
                let versions = group
                    .iter()
                    .map(|cells| {
                        (!cells.is_empty()).then(|| Version {
                            iri: cells
                                .iter()
                                .map(|(sentence, _)| sentence.iri.as_str())
                                .collect::<Vec<_>>()
                                .join(" "),
                            text: cells
                                .iter()
                                .map(|(sentence, language)| sentence.text(language))
                                .collect::<Vec<_>>()
                                .join(" "),
                        })
                    })
                    .collect();
                rows.push(AlignedRow {
                    chapter: row.chapter,
                    section: row.section,
                    paragraph: row.paragraph,
                    sentences: i64::try_from(number + 1).ok(),
                    versions,
                });
            }
        }
        Ok(Self {
            editions: table.editions,
            rows,
            by_sentence: true,
        })
    }

    /// Builds the table from the paragraphs [`paragraphs::load`] reads.
    pub fn from_paragraphs(all: &[Paragraph]) -> Self {
        let by_iri: BTreeMap<&str, &Paragraph> = all.iter().map(|p| (p.iri.as_str(), p)).collect();
        let originals: Vec<&Paragraph> =
            all.iter().filter(|p| !p.translations.is_empty()).collect();
        let original_editions: BTreeSet<&str> =
            originals.iter().map(|p| p.edition.as_str()).collect();
        let translation_editions: BTreeSet<&str> = originals
            .iter()
            .flat_map(|p| p.translations.iter())
            .filter_map(|iri| by_iri.get(iri.as_str()))
            .map(|p| p.edition.as_str())
            .filter(|edition| !original_editions.contains(edition))
            .collect();
        let editions: Vec<String> = original_editions
            .iter()
            .chain(translation_editions.iter())
            .map(|edition| (*edition).to_owned())
            .collect();
        let rows = originals
            .iter()
            .map(|original| {
                let versions = editions
                    .iter()
                    .map(|edition| {
                        std::iter::once(*original)
                            .chain(
                                original
                                    .translations
                                    .iter()
                                    .filter_map(|iri| by_iri.get(iri.as_str()).copied()),
                            )
                            .find(|p| p.edition == *edition)
                            .map(|p| Version {
                                iri: p.iri.clone(),
                                text: p.text.clone(),
                            })
                    })
                    .collect();
                AlignedRow {
                    chapter: original.place.chapter,
                    section: original.place.section,
                    paragraph: original.position,
                    sentences: None,
                    versions,
                }
            })
            .collect();
        AlignedTable {
            editions,
            rows,
            by_sentence: false,
        }
    }

    /// The header: `chapter`, `section`, `paragraph`, then per edition
    /// `ID` (its text) and `ID IRI`.
    pub fn header(&self) -> Vec<String> {
        let mut header = vec![
            "chapter".to_owned(),
            "section".to_owned(),
            "paragraph".to_owned(),
        ];
        if self.by_sentence {
            header.push("sentences".to_owned());
        }
        for edition in &self.editions {
            header.push(edition.clone());
            header.push(format!("{edition} IRI"));
        }
        header
    }

    /// The rows as cells: numbers as numbers, an absent number or version empty.
    fn cells(&self) -> impl Iterator<Item = Vec<Cell>> + '_ {
        let number = |value: Option<i64>| value.map_or(Cell::Empty, |n| Cell::Number(n as f64));
        self.rows.iter().map(move |row| {
            let mut cells = vec![
                number(row.chapter),
                number(row.section),
                number(Some(row.paragraph)),
            ];
            if self.by_sentence {
                cells.push(number(row.sentences));
            }
            for version in &row.versions {
                match version {
                    Some(version) => {
                        cells.push(Cell::Text(version.text.clone()));
                        cells.push(Cell::Text(version.iri.clone()));
                    }
                    None => cells.extend([Cell::Empty, Cell::Empty]),
                }
            }
            cells
        })
    }

    /// Writes the table as CSV (RFC 4180: a header, comma-separated,
    /// quoted where needed, `\n` line ends).
    pub fn write_csv(&self, out: &mut dyn Write) -> Result<(), TableError> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        writer.write_record(self.header())?;
        for row in self.cells() {
            writer.write_record(row.iter().map(|cell| match cell {
                Cell::Empty => String::new(),
                Cell::Text(text) => text.clone(),
                Cell::Number(number) => number.to_string(),
            }))?;
        }
        writer.flush().map_err(csv::Error::from)?;
        Ok(())
    }

    /// Writes the table as an XLSX workbook (one sheet, "aligned"), texts wrapped in wide columns.
    pub fn write_xlsx(&self, out: &mut dyn Write) -> Result<(), TableError> {
        let mut widths = vec![Some(8.0), Some(8.0), Some(10.0)];
        if self.by_sentence {
            widths.push(Some(10.0));
        }
        for _ in &self.editions {
            widths.extend([Some(60.0), None]);
        }
        let sheet = Sheet {
            name: "aligned".to_owned(),
            header: self.header(),
            rows: self.cells().collect(),
            widths,
        };
        Ok(spreadsheet::write_xlsx(&sheet, out)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraphs::{Parent, Place};

    fn paragraph(iri: &str, edition: &str, translations: &[&str]) -> Paragraph {
        Paragraph {
            iri: iri.to_owned(),
            edition_iri: format!("e/{edition}"),
            edition: edition.to_owned(),
            language: String::new(),
            order: 1,
            position: 2,
            place: Place {
                chapter: Some(3),
                section: None,
            },
            text: format!("text of {iri}"),
            parent: Parent {
                iri: "parent".to_owned(),
                title: None,
                order: None,
            },
            translations: translations.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    #[test]
    fn originals_first_then_translations_and_a_missing_version_is_empty() {
        let all = [
            paragraph("b1", "b", &[]),
            paragraph("z1", "z", &["b1"]),
            paragraph("a1", "a", &[]),
            paragraph("z2", "z", &["a1"]),
        ];
        let table = AlignedTable::from_paragraphs(&all);
        assert_eq!(table.editions, ["z", "a", "b"]);
        assert_eq!(
            table.header(),
            [
                "chapter",
                "section",
                "paragraph",
                "z",
                "z IRI",
                "a",
                "a IRI",
                "b",
                "b IRI"
            ]
        );
        assert_eq!(table.rows.len(), 2);
        let mut csv = Vec::new();
        assert!(table.write_csv(&mut csv).is_ok());
        assert_eq!(
            String::from_utf8_lossy(&csv),
            "chapter,section,paragraph,z,z IRI,a,a IRI,b,b IRI\n\
             3,,2,text of z1,z1,,,text of b1,b1\n\
             3,,2,text of z2,z2,text of a1,a1,,\n"
        );
    }
}
