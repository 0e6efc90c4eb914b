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

    /// The errata as they apply to the source `source_id`, whose text is
    /// `text`: its own entries, and every entry of another source whose
    /// line stands in `text` unchanged (a page or an edited copy of that
    /// source), moved to each line where it stands. `line_of` gives the
    /// text of another source's line (`None` when that source is unknown).
    /// The damage of a line is in its characters, so the same characters
    /// take the same repair; any other line is left alone.
    pub fn carried_to<'a>(
        &self,
        source_id: &str,
        text: &SourceText,
        line_of: impl Fn(&str, usize) -> Option<&'a str>,
    ) -> Errata {
        let mut entries: Vec<Erratum> = self.for_source(source_id).cloned().collect();
        let foreign: Vec<(&Erratum, &str)> = self
            .entries
            .iter()
            .filter(|e| e.source != source_id)
            .filter_map(|e| Some((e, line_of(&e.source, e.line)?.trim())))
            .filter(|(_, line)| !line.is_empty())
            .collect();
        if !foreign.is_empty() {
            for line in text.lines() {
                let trimmed = line.text.trim();
                for (erratum, erratum_line) in &foreign {
                    if trimmed == *erratum_line {
                        entries.push(Erratum {
                            source: source_id.to_owned(),
                            line: line.number,
                            ..(*erratum).clone()
                        });
                    }
                }
            }
        }
        Errata { entries }
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
