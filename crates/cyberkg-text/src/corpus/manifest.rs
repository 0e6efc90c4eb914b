//! The corpus manifest (`data/corpus/manifest.toml`), read with serde.
//!
//! The manifest is the only place that names documents and states metadata
//! the texts do not carry (publisher, issue date, the government English
//! title); each edition's metadata cites its evidence. Its dates are read
//! into [`Date`]s when it is deserialized: one that is not in the calendar
//! is a [`CuratedDataError`] at its `line:column`.

use crate::data_file::{CuratedDataError, read_toml};
use crate::document::dates::{Date, DateError};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::Path;

/// The layout of a source file, which decides its parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// The UN edition: cover letter, contents, Preface, Chapters, Conclusion.
    UnEnglish,
    /// One line per heading or paragraph, Chinese then English.
    ParallelZhEn,
    /// Any other document as CommonMark, with TOML front matter
    /// (`document/markdown.rs`); one document per file.
    Markdown,
}

impl Layout {
    /// The name used in the manifest and the graph.
    pub fn name(self) -> &'static str {
        match self {
            Layout::UnEnglish => "un-english",
            Layout::ParallelZhEn => "parallel-zh-en",
            Layout::Markdown => "markdown",
        }
    }

    /// The layout of a file no manifest describes, recognised from its
    /// extension (`.md`, `.markdown`: Markdown), else from its text: any
    /// CJK Unified Ideograph means Chinese text, hence the parallel layout.
    pub fn sniff(path: &Path, text: &str) -> Self {
        let extension = path.extension().and_then(|e| e.to_str());
        if extension.is_some_and(|e| MARKDOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            Layout::Markdown
        } else if text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            Layout::ParallelZhEn
        } else {
            Layout::UnEnglish
        }
    }

    /// The edition keys a source of this layout yields.
    pub fn edition_keys(self) -> &'static [&'static str] {
        match self {
            Layout::UnEnglish => &["en", "letter"],
            Layout::ParallelZhEn => &["zh", "en"],
            Layout::Markdown => &["doc"],
        }
    }
}

/// The extensions of Markdown files (compared in lower case).
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown"];

/// Metadata of one document a source yields.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EditionMeta {
    /// Document id, the path of its IRI.
    pub id: String,
    /// A title the text does not state itself.
    pub title: Option<String>,
    /// Who issued it.
    pub publisher: Option<String>,
    /// When it was issued (`issued = "2017-03-01"`).
    pub issued: Option<Date>,
    /// The id of the document this one translates.
    pub translation_of: Option<String>,
    /// The country or issuing body it is from.
    pub country: Option<String>,
    /// Where the metadata comes from.
    pub evidence: Option<String>,
}

/// One source file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMeta {
    /// Stable id.
    pub id: String,
    /// File name inside `data/corpus/`.
    pub file: String,
    /// Layout, which picks the parser.
    pub layout: Layout,
    /// Title of the file as a whole.
    pub title: String,
    /// BCP 47 tags of the languages it holds.
    pub languages: Vec<String>,
    /// Who published the file.
    pub publisher: String,
    /// Its date (`date = "2017-03-07"`; `""` for none).
    #[serde(deserialize_with = "date_or_empty")]
    pub date: Option<Date>,
    /// What it is.
    pub description: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    /// The documents it yields, by edition key (`en`, `letter`, `zh`).
    pub editions: BTreeMap<String, EditionMeta>,
}

impl SourceMeta {
    /// Metadata for a file that is not in the manifest: id from the file
    /// name, layout sniffed from the text, no claims beyond that.
    pub fn derived(path: &Path, text: &str) -> Self {
        let name = path.file_name().map(Path::new).unwrap_or(path);
        Self::derived_with_id(&super::collect::id_from_path(name), path, text)
    }

    /// Metadata for a file that is not in the manifest, under the id its
    /// path gives: layout recognised from the text, no claims beyond that.
    pub fn derived_with_id(id: &str, path: &Path, text: &str) -> Self {
        let layout = Layout::sniff(path, text);
        let title = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self {
            id: id.to_owned(),
            file: path.display().to_string(),
            layout,
            title,
            languages: match layout {
                Layout::UnEnglish => vec!["en".to_owned()],
                Layout::ParallelZhEn => vec!["zh-Hant".to_owned(), "en".to_owned()],
                // Declared by the front matter or the corpus.toml entry.
                Layout::Markdown => Vec::new(),
            },
            publisher: String::new(),
            date: None,
            description: format!(
                "A source file given with --source, read with the {} layout.",
                layout.name()
            ),
            sha256: String::new(),
            editions: super::collect::derived_editions(layout, id),
        }
    }
}

/// A required date field that may be empty (`""`, no date).
fn date_or_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.is_empty() {
        return Ok(None);
    }
    Date::try_from(text)
        .map(Some)
        .map_err(|error: DateError| serde::de::Error::custom(error))
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The sources, in order.
    #[serde(rename = "source")]
    pub sources: Vec<SourceMeta>,
}

impl Manifest {
    /// Reads and checks a manifest: every layout's editions present, ids unique.
    pub fn parse(name: &str, text: &str) -> Result<Self, CuratedDataError> {
        let manifest: Manifest = read_toml(name, text)?;
        for source in &manifest.sources {
            for key in source.layout.edition_keys() {
                if !source.editions.contains_key(*key) {
                    return Err(CuratedDataError::new(
                        name,
                        format!(
                            "source '{}' has no [source.editions.{key}] table, which the {} layout needs",
                            source.id,
                            source.layout.name()
                        ),
                    ));
                }
            }
        }
        Ok(manifest)
    }

    /// The edition metadata of a document id.
    pub fn edition(&self, id: &str) -> Option<&EditionMeta> {
        self.sources
            .iter()
            .flat_map(|s| s.editions.values())
            .find(|e| e.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_metadata_sniffs_the_layout() {
        let meta = SourceMeta::derived(
            Path::new("/tmp/My Strategy.v2.txt"),
            "第二章 原則Chapter II.",
        );
        assert_eq!(meta.id, "my-strategy-v2");
        assert_eq!(meta.layout, Layout::ParallelZhEn);
        let english = meta
            .editions
            .get("en")
            .map(|e| (e.id.as_str(), e.translation_of.as_deref()));
        assert_eq!(
            english,
            Some(("my-strategy-v2/en", Some("my-strategy-v2/zh")))
        );
        assert_eq!(
            SourceMeta::derived(Path::new("un.txt"), "Chapter I").layout,
            Layout::UnEnglish
        );
        for name in ["a.md", "b.MD", "c.markdown"] {
            let meta = SourceMeta::derived(Path::new(name), "第二章 原則");
            assert_eq!(meta.layout, Layout::Markdown, "{name}");
            let ids: Vec<_> = meta
                .editions
                .iter()
                .map(|(k, e)| (k.as_str(), e.id.as_str()))
                .collect();
            assert_eq!(ids, [("doc", name.split('.').next().unwrap_or_default())]);
        }
    }

    #[test]
    fn malformed_manifest_errors_name_the_position() {
        let error = Manifest::parse("m.toml", "[[source]]\nid = 3\n").err();
        assert_eq!(
            error.as_ref().map(|e| (e.file.as_str(), e.position)),
            Some(("m.toml", Some((2, 6))))
        );
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with("m.toml:2:6: "), "{message}");
    }

    #[test]
    fn dates_outside_the_calendar_are_refused_at_their_line() {
        let builtin = crate::corpus::BUILTIN_MANIFEST;
        let parsed = Manifest::parse("m.toml", builtin).map(|m| {
            let source = &m.sources[0];
            let issued = source.editions.get("en").and_then(|e| e.issued);
            (
                source.date.map(|d| d.to_string()),
                issued.map(|d| d.to_string()),
            )
        });
        assert_eq!(
            parsed,
            Ok((Some("2017-03-07".to_owned()), Some("2017-03-07".to_owned())))
        );
        for (field, line) in [("date", 18), ("issued", 25)] {
            let broken = builtin.replacen(
                &format!("{field} = \"2017-03-07\""),
                &format!("{field} = \"2017-02-30\""),
                1,
            );
            let error = Manifest::parse("m.toml", &broken).err();
            assert_eq!(
                error
                    .as_ref()
                    .map(|e| (e.file.as_str(), e.position.map(|p| p.0))),
                Some(("m.toml", Some(line))),
                "{error:?}"
            );
            let message = error.map(|e| e.to_string()).unwrap_or_default();
            assert!(
                message.contains("'2017-02-30' is not a calendar date written YYYY-MM-DD"),
                "{message}"
            );
        }
        let empty = builtin.replacen("date = \"2017-03-07\"", "date = \"\"", 1);
        let date = Manifest::parse("m.toml", &empty).map(|m| m.sources[0].date);
        assert_eq!(date, Ok(None));
    }
}
