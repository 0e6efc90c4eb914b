//! Curated errata: known corruptions of a source and their repairs.
//!
//! The errata file (`data/errata.toml`) is reference data, not code: each
//! entry names a source, a line, the exact damaged characters and their
//! repair, with a reason. A parser applies an erratum only where its `find`
//! text occurs exactly once on that line, and records each application as a
//! [`super::Repair`]; an erratum that does not apply is a diagnostic, never a
//! silent change.

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
    pub fn from_toml(name: &str, text: &str) -> Result<Self, String> {
        crate::corpus::manifest::read_toml(name, text)
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
