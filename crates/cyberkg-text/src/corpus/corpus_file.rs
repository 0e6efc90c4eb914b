//! `corpus.toml`: a user's corpus manifest, read with serde.
//!
//! A corpus of one's own is a directory (or a glob) of source files; a
//! manifest beside them says what the files cannot: which document each
//! file is, its metadata (title, language, date, publisher, country or
//! issuing body, which document it translates) and which files are pages
//! of one document. The schema is the built-in manifest's
//! ([`super::manifest`]) made for hand-writing: one `[[document]]` per
//! document, every key but the file optional, `[document.editions.KEY]`
//! tables (the built-in manifest's [`EditionMeta`]) for layouts that yield
//! several documents from one file.
//!
//! ```toml
//! [[document]]
//! id = "iscc2017"                       # the IRI path; else from the first file's path
//! files = ["page-1.txt", "page-2.txt"]  # pages of one document, in order (or `file = "…"`)
//! layout = "parallel-zh-en"             # else recognised from the file
//! title = "International Strategy of Cooperation on Cyberspace"
//! date = "2017-03-01"
//! publisher = "Ministry of Foreign Affairs of the People's Republic of China"
//! ```
//!
//! Every value that can be wrong is kept with its position
//! (`toml::Spanned`), so a file that is missing or listed twice is an error
//! at its `corpus.toml:line:column`.

use super::manifest::{EditionMeta, Layout};
use crate::data_file::{CuratedDataError, read_toml};
use crate::document::dates::Date;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use toml::Spanned;

/// The name a corpus manifest has in a corpus directory.
pub const CORPUS_FILE_NAME: &str = "corpus.toml";

/// A user's corpus manifest.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CorpusFile {
    /// The documents, in order.
    #[serde(rename = "document", default)]
    pub documents: Vec<DocumentEntry>,
}

/// One `[[document]]`: one file, or the pages of one document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    /// The document id (the IRI path under the base); for layouts that
    /// yield several documents, the prefix of their ids (`ID/zh`, `ID/en`).
    pub id: Option<Spanned<String>>,
    /// The file, relative to the manifest.
    pub file: Option<Spanned<String>>,
    /// The pages of one document, in reading order, relative to the manifest.
    #[serde(default)]
    pub files: Vec<Spanned<String>>,
    /// The layout; recognised from the file when absent.
    pub layout: Option<Layout>,
    /// The title, where the text does not state one.
    pub title: Option<String>,
    /// The BCP 47 tag of its language (Markdown files; others have fixed languages).
    pub language: Option<Spanned<String>>,
    /// When it was issued.
    #[serde(default, deserialize_with = "date_field")]
    pub date: Option<Date>,
    /// Who issued it.
    pub publisher: Option<String>,
    /// The country or issuing body it is from.
    pub country: Option<String>,
    /// The id of the document this one translates.
    #[serde(alias = "translation-of")]
    pub translation_of: Option<String>,
    /// What the file is, in one sentence.
    pub description: Option<String>,
    /// The expected SHA-256 of the file's bytes (one file only), checked when given.
    pub sha256: Option<Spanned<String>>,
    /// Metadata per document, for layouts that yield several (`zh`, `en`; `en`, `letter`).
    #[serde(default)]
    pub editions: BTreeMap<String, EditionMeta>,
}

impl DocumentEntry {
    /// The files of the entry, in order, with their positions in the manifest.
    pub fn files(&self) -> Vec<&Spanned<String>> {
        self.file.iter().chain(&self.files).collect()
    }
}

/// A date written as a string (`"2017-03-01"`) or a TOML date (`2017-03-01`).
pub(crate) fn date_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Date>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Text(String),
        Toml(toml::value::Datetime),
    }
    let text = match Written::deserialize(deserializer)? {
        Written::Text(text) => text,
        Written::Toml(datetime) => datetime.to_string(),
    };
    Date::try_from(text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

impl CorpusFile {
    /// Reads a manifest and checks what needs no file system: every entry
    /// names at least one file, and not both `file` and `files`.
    pub fn parse(name: &str, text: &str) -> Result<Self, CuratedDataError> {
        let manifest: CorpusFile = read_toml(name, text)?;
        if manifest.documents.is_empty() {
            return Err(CuratedDataError::new(
                name,
                "the manifest lists no [[document]]; add one per document, each with `file = \"…\"`",
            ));
        }
        for entry in &manifest.documents {
            let at = |spanned: Option<&Spanned<String>>, problem: String| match spanned {
                Some(value) => CuratedDataError::at_offset(name, text, value.span().start, problem),
                None => CuratedDataError::new(name, problem),
            };
            match (&entry.file, entry.files.first()) {
                (None, None) => {
                    return Err(at(
                        entry.id.as_ref(),
                        format!(
                            "the document {}names no file; give `file = \"…\"` or, for pages, `files = [\"…\", \"…\"]`",
                            entry
                                .id
                                .as_ref()
                                .map_or_else(String::new, |id| format!("'{}' ", id.get_ref()))
                        ),
                    ));
                }
                (Some(_), Some(page)) => {
                    return Err(at(
                        Some(page),
                        "a document gives either `file` or `files` (its pages), not both"
                            .to_owned(),
                    ));
                }
                _ => {}
            }
            if entry.sha256.is_some() && entry.files.len() > 1 {
                return Err(at(
                    entry.sha256.as_ref(),
                    "`sha256` checks one file; give each page its own [[document]] or leave it out"
                        .to_owned(),
                ));
            }
        }
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        CorpusFile::parse("corpus.toml", text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn entries_read_with_their_dates_in_either_form() {
        let manifest = CorpusFile::parse(
            "corpus.toml",
            "[[document]]\nfile = \"a.md\"\ndate = 2021-02-01\n\n[[document]]\nfiles = [\"p1.txt\", \"p2.txt\"]\ndate = \"2017-03-01\"\ntranslation-of = \"x\"\n",
        );
        let summary = manifest.map(|m| {
            m.documents
                .iter()
                .map(|d| {
                    (
                        d.files()
                            .iter()
                            .map(|f| f.get_ref().clone())
                            .collect::<Vec<_>>(),
                        d.date.map(|d| d.to_string()),
                        d.translation_of.clone(),
                    )
                })
                .collect::<Vec<_>>()
        });
        assert_eq!(
            summary.map_err(|e| e.to_string()),
            Ok(vec![
                (vec!["a.md".to_owned()], Some("2021-02-01".to_owned()), None),
                (
                    vec!["p1.txt".to_owned(), "p2.txt".to_owned()],
                    Some("2017-03-01".to_owned()),
                    Some("x".to_owned())
                ),
            ])
        );
    }

    #[test]
    fn bad_manifests_are_refused_at_their_position() {
        let table = [
            (
                "",
                "corpus.toml: the manifest lists no [[document]]; add one per document, each with `file = \"…\"`",
            ),
            (
                "[[document]]\nid = \"a\"\n",
                "corpus.toml:2:6: the document 'a' names no file; give `file = \"…\"` or, for pages, `files = [\"…\", \"…\"]`",
            ),
            (
                "[[document]]\nfile = \"a\"\nfiles = [\"b\"]\n",
                "corpus.toml:3:10: a document gives either `file` or `files` (its pages), not both",
            ),
            (
                "[[document]]\nfile = \"a\"\ndate = \"2017-02-30\"\n",
                "corpus.toml:3:8: '2017-02-30' is not a calendar date written YYYY-MM-DD",
            ),
        ];
        for (text, expected) in table {
            assert_eq!(error(text), expected, "{text}");
        }
        assert!(
            error("[[document]]\nfile = \"a\"\nlanguge = \"fr\"\n")
                .starts_with("corpus.toml:3:1: unknown field `languge`"),
            "{}",
            error("[[document]]\nfile = \"a\"\nlanguge = \"fr\"\n")
        );
    }
}
