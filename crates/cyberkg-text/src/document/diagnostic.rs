//! Diagnostics: what a parser noticed, with the position it noticed it at.
//!
//! A diagnostic is never an error: the document is still produced. Each has a
//! stable `code` (for tools and tests), a severity, a one-sentence message and
//! the `file:line:column` of the characters it is about.

use super::source::{SourceText, Span};
use serde::Serialize;
use std::fmt;

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Damage that was repaired, or a fact worth knowing.
    Note,
    /// Something that may make the graph differ from the text.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
        })
    }
}

/// One thing a parser noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Note or warning.
    pub severity: Severity,
    /// Stable machine-readable kind, such as `corrupted-character`.
    pub code: &'static str,
    /// The source's name, as shown in messages.
    pub file: String,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in code points.
    pub column: usize,
    /// Code-point offsets of the characters concerned.
    pub start: usize,
    /// One past the last code point concerned.
    pub end: usize,
    /// One sentence.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about `span` of `source`.
    pub fn new(
        source: &SourceText,
        span: Span,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        let position = source.position(span.start);
        Self {
            severity,
            code,
            file: source.name.clone(),
            line: position.line,
            column: position.column,
            start: span.start,
            end: span.end,
            message: message.into(),
        }
    }

    /// A warning about `span`.
    pub fn warning(
        source: &SourceText,
        span: Span,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(source, span, Severity::Warning, code, message)
    }

    /// A note about `span`.
    pub fn note(
        source: &SourceText,
        span: Span,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(source, span, Severity::Note, code, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file, self.line, self.column, self.severity, self.code, self.message
        )
    }
}
