//! Curated data files (the corpus manifest, the errata, the entity table,
//! the logic and the facts): reading one as TOML, and the one error for a
//! file that cannot be used, with the file's name and, where the problem
//! has one, its `line:column`.

use std::fmt;

/// A curated data file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CuratedDataError {
    /// The file, as named in messages (`data/entities.toml`).
    pub file: String,
    /// The 1-based line and column (in code points) of the problem, when it
    /// is at one place of the file.
    pub position: Option<(usize, usize)>,
    /// What is wrong, in one sentence.
    pub problem: String,
}

impl CuratedDataError {
    /// A problem of the file as a whole (or of several places in it).
    pub fn new(file: &str, problem: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            position: None,
            problem: problem.into(),
        }
    }

    /// A problem at `line:column` of the file.
    pub fn at(file: &str, line: usize, column: usize, problem: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            position: Some((line, column)),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for CuratedDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.file, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

/// Reads a TOML file of curated data; the error names the file and the
/// `line:column` of the problem: "data/entities.toml:12:8: unknown variant …".
pub fn read_toml<T: serde::de::DeserializeOwned>(
    name: &str,
    text: &str,
) -> Result<T, CuratedDataError> {
    toml::from_str(text).map_err(|error: toml::de::Error| {
        let message = error.message().trim_end().to_owned();
        match error.span() {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                CuratedDataError::at(name, line, column, message)
            }
            None => CuratedDataError::new(name, message),
        }
    })
}

/// The 1-based `line:column` (column in code points) of a byte offset of
/// a curated file's text: TOML errors and `toml::Spanned` values of the
/// data files are placed with it.
pub fn line_column(text: &str, byte_offset: usize) -> (usize, usize) {
    let mut offset = byte_offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl CuratedDataError {
    /// A problem at a byte offset of the file's text (a `toml::Spanned` value's start).
    pub fn at_offset(
        file: &str,
        text: &str,
        byte_offset: usize,
        problem: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(text, byte_offset);
        Self::at(file, line, column, problem)
    }
}
