//! The corpus: which source files a build reads, with their metadata.
//!
//! The default corpus is compiled into the binary (`data/corpus/`: the two
//! source texts and `manifest.toml`), so the tool works from any directory;
//! every built-in file is checked against the SHA-256 its manifest records.
//! `--corpus PATH` (directories, globs, `corpus.toml` manifests) and
//! `--source FILE` replace it with other files ([`collect`] says how each
//! file gets its id and metadata). A file whose bytes match a manifest
//! entry gets that entry's ids and metadata; any other file gets ids
//! derived from its path and a layout recognised from its text.
//!
//! A leading UTF-8 byte-order mark is an encoding signature, not text: it
//! is removed when the bytes are decoded ([`Source::byte_order_mark`] says
//! so, and `document::parse_corpus` reports it as a note at 1:1). Every
//! offset and `line:column` counts from the character after it, as editors
//! show them; the SHA-256 stays that of the bytes as given.
//!
//! Invariant: every [`Source`] holds valid UTF-8 text and a unique id.
//! Unreadable input (missing file, invalid UTF-8, a bad manifest) is a
//! [`CorpusError`]; odd text is left to the parsers' diagnostics.

pub mod collect;
pub mod corpus_file;
pub mod manifest;

use crate::data_file::CuratedDataError;
pub use collect::Inputs;
pub use manifest::{EditionMeta, Layout, Manifest, SourceMeta};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The manifest of the built-in corpus.
pub const BUILTIN_MANIFEST: &str = include_str!("../../../../data/corpus/manifest.toml");
/// The curated errata.
pub const BUILTIN_ERRATA: &str = include_str!("../../../../data/errata.toml");
/// Name of the errata file in messages and provenance.
pub const ERRATA_NAME: &str = "data/errata.toml";
/// The curated entity table.
pub const BUILTIN_ENTITIES: &str = include_str!("../../../../data/entities.toml");
/// Name of the entity table in messages.
pub const ENTITIES_NAME: &str = "data/entities.toml";
/// The strategy's logic.
pub const BUILTIN_LOGIC: &str = include_str!("../../../../data/logic.toml");
/// Name of the logic file in messages.
pub const LOGIC_NAME: &str = "data/logic.toml";
/// The curated facts with their evidence.
pub const BUILTIN_FACTS: &str = include_str!("../../../../data/facts.toml");
/// Name of the facts file in messages.
pub const FACTS_NAME: &str = "data/facts.toml";

/// The built-in source files, by the file name the manifest uses.
const BUILTIN_FILES: &[(&str, &[u8])] = &[
    (
        "strategy-un-english.txt",
        include_bytes!("../../../../data/corpus/strategy-un-english.txt"),
    ),
    (
        "strategy-parallel-zh-en.txt",
        include_bytes!("../../../../data/corpus/strategy-parallel-zh-en.txt"),
    ),
];

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A file could not be read.
    #[error("cannot read source file {file}: {error}")]
    Io {
        /// The file.
        file: String,
        /// What the system said.
        #[source]
        error: std::io::Error,
    },
    /// A file is not UTF-8 text.
    #[error(
        "{file}:{line}:{column}: the source file is not valid UTF-8 text (byte {byte:#04x}); save it as UTF-8"
    )]
    InvalidUtf8 {
        /// The file.
        file: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in characters) of the first bad byte.
        column: usize,
        /// The bad byte.
        byte: u8,
    },
    /// The manifest is malformed.
    #[error(transparent)]
    Manifest(#[from] crate::data_file::CuratedDataError),
    /// A built-in file does not match its recorded hash.
    #[error(
        "built-in source {file} does not match its SHA-256 in data/corpus/manifest.toml (expected {expected}, found {found})"
    )]
    Checksum {
        /// The file.
        file: String,
        /// The hash the manifest records.
        expected: String,
        /// The hash of the bytes.
        found: String,
    },
    /// Two sources would get the same id.
    #[error(
        "two sources would both get the id '{id}' ({first} and {second}); rename one of the files"
    )]
    DuplicateId {
        /// The id.
        id: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
    /// A directory or glob yields no source file.
    #[error("{path} {what}")]
    NoFiles {
        /// The directory or pattern as given.
        path: String,
        /// What it lacks ("matches no file").
        what: String,
    },
    /// A glob pattern is malformed.
    #[error("the pattern {pattern} is malformed at column {column}: {problem}")]
    Pattern {
        /// The pattern as given.
        pattern: String,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        problem: String,
    },
    /// One file is named twice (by two flags, or by a directory and again by itself).
    #[error("{second} is {first} again; name each file once")]
    RepeatedFile {
        /// The first name.
        first: String,
        /// The second name.
        second: String,
    },
    /// Two files hold the same bytes (copies of one text): renaming cannot help.
    #[error("{first} and {second} hold the same text (the source '{id}'); give it once")]
    SameText {
        /// The source id both would get.
        id: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
}

/// One source file of a corpus.
#[derive(Debug, Clone)]
pub struct Source {
    /// Stable id, unique in the corpus (`un-english`).
    pub id: String,
    /// How the file is named in messages (`data/corpus/strategy-un-english.txt` or the path given).
    pub name: String,
    /// Its layout.
    pub layout: Layout,
    /// The text.
    pub text: String,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// Whether the bytes started with a UTF-8 byte-order mark, which is
    /// not part of `text` (offsets count from after it).
    pub byte_order_mark: bool,
    /// Whether the file is one of the built-in corpus.
    pub builtin: bool,
    /// Metadata: from the manifest, or derived for other files.
    pub meta: SourceMeta,
}

/// A set of sources and the errata that apply to them.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The sources, in the order given.
    pub sources: Vec<Source>,
    /// The errata file's text.
    pub errata: String,
    /// The entity table's text.
    pub entities: String,
    /// The logic file's text.
    pub logic: String,
    /// The facts file's text.
    pub facts: String,
    /// Entity tables of the user's (`--entities`), added to the built-in one.
    pub extra_entities: Vec<CuratedText>,
}

/// A curated data file of the user's: its name in messages and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuratedText {
    /// The file as named in messages (the path given).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl Corpus {
    /// Every entity table, the built-in one first, as `(name, text)`.
    pub fn entity_tables(&self) -> Vec<(&str, &str)> {
        let mut tables = vec![(ENTITIES_NAME, self.entities.as_str())];
        tables.extend(
            self.extra_entities
                .iter()
                .map(|t| (t.name.as_str(), t.text.as_str())),
        );
        tables
    }
}

/// Bytes (a digest) in lower-case hexadecimal: the one place digests are
/// written out, for the corpus's file hashes and the canonical form's hash.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The UTF-8 byte-order mark.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Decodes UTF-8 without a leading byte-order mark (and says whether
/// there was one), reporting the position of the first invalid byte.
fn decode(file: &str, mut bytes: Vec<u8>) -> Result<(String, bool), CorpusError> {
    let byte_order_mark = bytes.starts_with(BYTE_ORDER_MARK);
    if byte_order_mark {
        bytes.drain(..BYTE_ORDER_MARK.len());
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        CorpusError::InvalidUtf8 {
            file: file.to_owned(),
            line,
            column,
            byte: bytes[valid],
        }
    })?;
    Ok((text, byte_order_mark))
}

impl Corpus {
    /// Sources with the built-in curated data (errata, entities, logic, facts).
    fn with_curated_data(sources: Vec<Source>) -> Self {
        Self {
            sources,
            errata: BUILTIN_ERRATA.to_owned(),
            entities: BUILTIN_ENTITIES.to_owned(),
            logic: BUILTIN_LOGIC.to_owned(),
            facts: BUILTIN_FACTS.to_owned(),
            extra_entities: Vec::new(),
        }
    }

    /// The built-in corpus, checked against the manifest's hashes.
    pub fn builtin() -> Result<Self, CorpusError> {
        let manifest = Manifest::parse("data/corpus/manifest.toml", BUILTIN_MANIFEST)
            .map_err(CorpusError::Manifest)?;
        let mut sources = Vec::new();
        for meta in manifest.sources {
            let name = format!("data/corpus/{}", meta.file);
            let bytes = BUILTIN_FILES
                .iter()
                .find(|(file, _)| *file == meta.file)
                .map(|(_, bytes)| *bytes)
                .ok_or_else(|| {
                    CorpusError::Manifest(CuratedDataError::new(
                        "data/corpus/manifest.toml",
                        format!(
                            "names {}, which is not compiled into this binary",
                            meta.file
                        ),
                    ))
                })?;
            let found = sha256_hex(bytes);
            if found != meta.sha256 {
                return Err(CorpusError::Checksum {
                    file: name,
                    expected: meta.sha256.clone(),
                    found,
                });
            }
            let (text, byte_order_mark) = decode(&name, bytes.to_vec())?;
            sources.push(Source {
                id: meta.id.clone(),
                name,
                layout: meta.layout,
                text,
                sha256: found,
                byte_order_mark,
                builtin: true,
                meta,
            });
        }
        Ok(Self::with_curated_data(sources))
    }

    /// A corpus of other files, ids from their file names (`--source`).
    /// Files whose bytes match a built-in source take its metadata; others
    /// get metadata derived from their name.
    pub fn from_files(paths: &[impl AsRef<Path>]) -> Result<Self, CorpusError> {
        Self::collect(&Inputs {
            sources: paths.iter().map(|p| p.as_ref().to_owned()).collect(),
            ..Inputs::default()
        })
    }

    /// Sources checked for clashes: no two with the same bytes or id, and
    /// no edition id twice, except on adjacent pages of one document
    /// (sources whose editions have the same ids).
    pub(crate) fn checked(sources: Vec<Source>) -> Result<Self, CorpusError> {
        for (index, source) in sources.iter().enumerate() {
            let earlier = &sources[..index];
            if let Some(other) = earlier.iter().find(|s| s.sha256 == source.sha256) {
                return Err(CorpusError::SameText {
                    id: other.id.clone(),
                    first: other.name.clone(),
                    second: source.name.clone(),
                });
            }
            if let Some(other) = earlier.iter().find(|s| s.id == source.id) {
                return Err(CorpusError::DuplicateId {
                    id: source.id.clone(),
                    first: other.name.clone(),
                    second: source.name.clone(),
                });
            }
        }
        let edition_ids = |source: &Source| -> Vec<(String, String)> {
            let editions = source.meta.editions.iter();
            editions.map(|(k, e)| (k.clone(), e.id.clone())).collect()
        };
        let mut owner: std::collections::BTreeMap<String, usize> = Default::default();
        for (index, source) in sources.iter().enumerate() {
            for (_, id) in edition_ids(source) {
                let Some(&first) = owner.get(&id) else {
                    owner.insert(id, index);
                    continue;
                };
                let same_document = first != index
                    && index > 0
                    && edition_ids(&sources[index - 1]) == edition_ids(source)
                    && sources[index - 1].layout == source.layout;
                if !same_document {
                    return Err(CorpusError::DuplicateId {
                        id,
                        first: sources[first].name.clone(),
                        second: source.name.clone(),
                    });
                }
            }
        }
        Ok(Self::with_curated_data(sources))
    }
}

/// The text of every built-in source, by source id (a source whose bytes
/// are not UTF-8 is left out; the built-in ones all are, as a test checks).
pub(crate) fn builtin_source_texts() -> BTreeMap<String, &'static str> {
    Manifest::parse("data/corpus/manifest.toml", BUILTIN_MANIFEST)
        .map(|manifest| {
            manifest
                .sources
                .iter()
                .filter_map(|meta| {
                    let bytes = builtin_text(&meta.file)?;
                    let text = std::str::from_utf8(bytes).ok()?;
                    Some((
                        meta.id.clone(),
                        text.strip_prefix('\u{feff}').unwrap_or(text),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The bytes of a built-in source file, by its manifest name.
pub(crate) fn builtin_text(file: &str) -> Option<&'static [u8]> {
    BUILTIN_FILES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, bytes)| *bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn builtin_corpus_matches_its_manifest() {
        let corpus = Corpus::builtin().map_err(|e| e.to_string());
        let corpus = corpus.as_ref().map(|c| {
            c.sources
                .iter()
                .map(|s| (s.id.as_str(), s.layout))
                .collect::<Vec<_>>()
        });
        assert_eq!(
            corpus,
            Ok(vec![
                ("un-english", Layout::UnEnglish),
                ("parallel-zh-en", Layout::ParallelZhEn)
            ])
        );
    }

    #[test]
    fn every_builtin_file_is_in_the_manifest() {
        let manifest = Manifest::parse("m", BUILTIN_MANIFEST).unwrap_or_default();
        let named: BTreeSet<&str> = manifest.sources.iter().map(|s| s.file.as_str()).collect();
        let compiled: BTreeSet<&str> = BUILTIN_FILES.iter().map(|(f, _)| *f).collect();
        assert_eq!(named, compiled);
    }

    #[test]
    fn a_byte_order_mark_is_removed_and_remembered() {
        let decoded = |bytes: &[u8]| decode("x.txt", bytes.to_vec()).map_err(|e| e.to_string());
        assert_eq!(decoded(b"\xEF\xBB\xBFab"), Ok(("ab".to_owned(), true)));
        assert_eq!(decoded(b"ab"), Ok(("ab".to_owned(), false)));
        assert_eq!(decoded(b"\xEF\xBB\xBF"), Ok((String::new(), true)));
        // Only a leading one: later, U+FEFF is a character of the text.
        assert_eq!(
            decoded(b"a\xEF\xBB\xBFb"),
            Ok(("a\u{feff}b".to_owned(), false))
        );
        // Positions of invalid bytes count from after the mark.
        assert_eq!(
            decoded(b"\xEF\xBB\xBFab\xff").map(|_| ()),
            Err(
                "x.txt:1:3: the source file is not valid UTF-8 text (byte 0xff); save it as UTF-8"
                    .to_owned()
            )
        );
    }

    #[test]
    fn invalid_utf8_reports_its_position() {
        let error = decode("x.txt", b"ab\ncd\xffe".to_vec())
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(
            error,
            Err(
                "x.txt:2:3: the source file is not valid UTF-8 text (byte 0xff); save it as UTF-8"
                    .to_owned()
            )
        );
    }
}
