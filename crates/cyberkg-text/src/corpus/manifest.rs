//! The corpus manifest (`data/corpus/manifest.toml`), read with serde.
//!
//! The manifest is the only place that names documents and states metadata
//! the texts do not carry (publisher, issue date, the government English
//! title); each edition's metadata cites its evidence.

use crate::data_file::{CuratedDataError, read_toml};
use serde::Deserialize;
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
}

impl Layout {
    /// The name used in the manifest and the graph.
    pub fn name(self) -> &'static str {
        match self {
            Layout::UnEnglish => "un-english",
            Layout::ParallelZhEn => "parallel-zh-en",
        }
    }

    /// The edition keys a source of this layout yields.
    pub fn edition_keys(self) -> &'static [&'static str] {
        match self {
            Layout::UnEnglish => &["en", "letter"],
            Layout::ParallelZhEn => &["zh", "en"],
        }
    }
}

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
    /// When it was issued (ISO 8601 date).
    pub issued: Option<String>,
    /// The id of the document this one translates.
    pub translation_of: Option<String>,
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
    /// Its date (ISO 8601).
    pub date: String,
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
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut id: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if id.is_empty() {
            id = "source".to_owned();
        }
        // Sniff: any CJK Unified Ideograph means Chinese text, hence the parallel layout.
        let layout = if text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            Layout::ParallelZhEn
        } else {
            Layout::UnEnglish
        };
        let editions = match layout {
            Layout::UnEnglish => [
                ("en", format!("{id}/en-un")),
                ("letter", format!("{id}/letter")),
            ],
            Layout::ParallelZhEn => [("zh", format!("{id}/zh")), ("en", format!("{id}/en"))],
        };
        let zh = format!("{id}/zh");
        let editions = editions
            .into_iter()
            .map(|(key, edition_id)| {
                let translation_of =
                    (layout == Layout::ParallelZhEn && key == "en").then(|| zh.clone());
                (
                    key.to_owned(),
                    EditionMeta {
                        id: edition_id,
                        translation_of,
                        ..EditionMeta::default()
                    },
                )
            })
            .collect();
        Self {
            id,
            file: path.display().to_string(),
            layout,
            title: stem,
            languages: match layout {
                Layout::UnEnglish => vec!["en".to_owned()],
                Layout::ParallelZhEn => vec!["zh-Hant".to_owned(), "en".to_owned()],
            },
            publisher: String::new(),
            date: String::new(),
            description: format!(
                "A source file given with --source, read with the {} layout.",
                layout.name()
            ),
            sha256: String::new(),
            editions,
        }
    }
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
}
