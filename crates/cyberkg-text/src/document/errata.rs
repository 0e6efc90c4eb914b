//! Curated errata: known corruptions of a source and their repairs.
//!
//! The errata file (`data/errata.toml`) is reference data, not code: each
//! entry names a source, a line, the exact damaged characters and their
//! repair, with a reason. A parser applies an erratum only where its `find`
//! text occurs exactly once on that line, and records each application as a
//! [`super::Repair`]; an erratum that does not apply is a diagnostic, never a
//! silent change.

use super::located::Working;
use super::source::{SourceText, Span};
use super::{Diagnostic, Repair, RepairKind};
use crate::data_file::{CuratedDataError, read_toml};
use serde::Deserialize;

/// One curated repair.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    /// Stable identifier (used in IRIs and messages).
    pub id: String,
    /// The id of the source it applies to.
    pub source: String,
    /// The 1-based line it applies to.
    pub line: usize,
    /// The damaged characters, exactly as in the source.
    pub find: String,
    /// What they stand for.
    pub replace: String,
    /// Why the repair is right, in one or two sentences.
    pub reason: String,
}

/// The errata of a corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errata {
    /// All entries, in file order.
    #[serde(default, rename = "erratum")]
    pub entries: Vec<Erratum>,
}

impl Errata {
    /// Reads an errata file; the error names the file and the TOML position.
    pub fn from_toml(name: &str, text: &str) -> Result<Self, CuratedDataError> {
        read_toml(name, text)
    }

    /// The entries for one source and line.
    pub fn for_line<'a>(
        &'a self,
        source: &'a str,
        line: usize,
    ) -> impl Iterator<Item = &'a Erratum> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.source == source && e.line == line)
    }

    /// The entries for one source.
    pub fn for_source<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Erratum> + 'a {
        self.entries.iter().filter(move |e| e.source == source)
    }
}

/// Applies `errata` (those of one line, in file order) to the line's
/// characters: each erratum whose `find` text occurs exactly once in the
/// text as the earlier errata left it is replaced and returned as a
/// [`Repair`] with the span of the source characters it replaced; any other
/// is a warning at `line_span`. The one place errata are applied: both
/// parsers call it.
pub(crate) fn apply_errata<'a>(
    working: &mut Working,
    errata: impl Iterator<Item = &'a Erratum>,
    source: &SourceText,
    line_span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Repair> {
    let mut repairs = Vec::new();
    for erratum in errata {
        let needle: Vec<char> = erratum.find.chars().collect();
        match working.find_once(&needle) {
            Ok(index) => {
                let span = working.span(index..index + needle.len());
                working.replace(index..index + needle.len(), &erratum.replace);
                repairs.push(Repair {
                    kind: RepairKind::Erratum,
                    span,
                    original: erratum.find.clone(),
                    replacement: erratum.replace.clone(),
                    reason: erratum.reason.clone(),
                    erratum_id: Some(erratum.id.clone()),
                });
            }
            Err(count) => diagnostics.push(Diagnostic::warning(
                source,
                line_span,
                "erratum-not-applied",
                format!(
                    "erratum '{}' was not applied: its text occurs {count} times on this line instead of once",
                    erratum.id
                ),
            )),
        }
    }
    repairs
}
