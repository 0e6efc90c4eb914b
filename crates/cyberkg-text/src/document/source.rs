//! Source texts and spans: the one place that converts between byte offsets,
//! Unicode code-point offsets and `line:column` positions.
//!
//! Invariant: a [`Span`] is a half-open range of **code points** into the
//! whole file (0-based), because that is what the graph records and what
//! users of other languages can index with; positions shown to people are
//! 1-based `line:column`, the column counted in code points.

use std::fmt;

/// A half-open range `[start, end)` of Unicode code points in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First code point (0-based).
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and column (column in code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in code points.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One line of a source, with its offsets.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The line's text without its line ending.
    pub text: &'a str,
    /// Byte offset of the line's first byte in the file.
    pub byte_start: usize,
    /// Code-point offset of the line's first character in the file.
    pub char_start: usize,
}

impl Line<'_> {
    /// The code-point span of the bytes `[byte_start, byte_end)` of this line.
    pub fn span(&self, byte_start: usize, byte_end: usize) -> Span {
        let start = self.char_start + self.text[..byte_start].chars().count();
        let end = start + self.text[byte_start..byte_end].chars().count();
        Span::new(start, end)
    }

    /// The text with leading and trailing white space removed, and the byte
    /// offset (within the line) where that trimmed text starts.
    pub fn trimmed(&self) -> (&str, usize) {
        let without_start = self.text.trim_start();
        let offset = self.text.len() - without_start.len();
        (without_start.trim_end(), offset)
    }
}

/// The text of one source file, with a line index.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// How the file is named in messages (a path or `builtin:NAME`).
    pub name: String,
    /// The whole text.
    pub text: String,
    /// Byte offset and code-point offset of each line start.
    line_starts: Vec<(usize, usize)>,
    /// Number of code points in the text.
    char_len: usize,
}

impl SourceText {
    /// Indexes a text. Line endings are `\n` (a `\r` before it is treated as part of the ending).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![(0, 0)];
        let mut chars = 0;
        for (byte, c) in text.char_indices() {
            chars += 1;
            if c == '\n' {
                line_starts.push((byte + 1, chars));
            }
        }
        Self {
            name: name.into(),
            text,
            line_starts,
            char_len: chars,
        }
    }

    /// Every line in order, without line endings.
    pub fn lines(&self) -> impl Iterator<Item = Line<'_>> {
        self.line_starts
            .iter()
            .enumerate()
            .map(move |(index, &(byte_start, char_start))| {
                let byte_end = self
                    .line_starts
                    .get(index + 1)
                    .map_or(self.text.len(), |&(next, _)| next - 1);
                let text = &self.text[byte_start..byte_end];
                Line {
                    number: index + 1,
                    text: text.strip_suffix('\r').unwrap_or(text),
                    byte_start,
                    char_start,
                }
            })
    }

    /// The 0-based index of the line holding a code-point offset.
    fn line_index(&self, char_offset: usize) -> usize {
        match self
            .line_starts
            .binary_search_by_key(&char_offset, |&(_, chars)| chars)
        {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        }
    }

    /// The 1-based position of a code-point offset.
    pub fn position(&self, char_offset: usize) -> Position {
        let index = self.line_index(char_offset);
        let (_, line_chars) = self.line_starts[index];
        Position {
            line: index + 1,
            column: char_offset - line_chars + 1,
        }
    }

    /// The characters of a span (empty if the span lies outside the text).
    ///
    /// Costs the length of the span plus, on a line that is not all ASCII,
    /// the length of that line: it never walks the text from its start, so
    /// slicing every span of a file stays linear in the file.
    pub fn slice(&self, span: Span) -> String {
        let start = self.byte_offset(span.start);
        self.text[start..]
            .chars()
            .take(span.end.saturating_sub(span.start))
            .collect()
    }

    /// The byte offset of a code-point offset (the text's length past its end).
    fn byte_offset(&self, char_offset: usize) -> usize {
        let index = self.line_index(char_offset);
        let (line_bytes, line_chars) = self.line_starts[index];
        let (next_bytes, next_chars) = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or((self.text.len(), self.char_len));
        let into_line = char_offset - line_chars;
        if next_bytes - line_bytes == next_chars - line_chars {
            // An ASCII line: one byte a code point.
            return (line_bytes + into_line).min(self.text.len());
        }
        self.text[line_bytes..]
            .char_indices()
            .nth(into_line)
            .map_or(self.text.len(), |(byte, _)| line_bytes + byte)
    }

    /// The code-point offset of a byte offset (rounded down to the start
    /// of its character; the text's length past its end). Costs at most
    /// the length of the offset's line.
    pub fn char_offset(&self, byte_offset: usize) -> usize {
        let byte_offset = byte_offset.min(self.text.len());
        let index = match self
            .line_starts
            .binary_search_by_key(&byte_offset, |&(bytes, _)| bytes)
        {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        };
        let (line_bytes, line_chars) = self.line_starts[index];
        let into_line = self.text[line_bytes..]
            .char_indices()
            .take_while(|(byte, c)| line_bytes + byte + c.len_utf8() <= byte_offset)
            .count();
        line_chars + into_line
    }

    /// The code-point span of the bytes `[byte_start, byte_end)` of the
    /// text (what a parser reporting byte ranges, such as pulldown-cmark,
    /// gives).
    pub fn span_of_bytes(&self, byte_start: usize, byte_end: usize) -> Span {
        let start = self.char_offset(byte_start);
        Span::new(start, self.char_offset(byte_end.max(byte_start)))
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_positions_count_code_points() {
        let source = SourceText::new("t.txt", "ab\n網絡x\n\nlast");
        let lines: Vec<_> = source
            .lines()
            .map(|l| (l.number, l.text, l.char_start))
            .collect();
        assert_eq!(
            lines,
            vec![(1, "ab", 0), (2, "網絡x", 3), (3, "", 7), (4, "last", 8)]
        );
        assert_eq!(source.position(0).to_string(), "1:1");
        assert_eq!(source.position(4).to_string(), "2:2");
        assert_eq!(source.position(8).to_string(), "4:1");
        let line = source.lines().nth(1).map(|l| l.span(3, 7));
        assert_eq!(line, Some(Span::new(4, 6)));
        assert_eq!(source.slice(Span::new(3, 5)), "網絡");
    }

    #[test]
    fn slices_agree_with_counting_from_the_start() {
        let text = "ab\n網絡x\n\nlast é\n";
        let source = SourceText::new("t.txt", text);
        let length = text.chars().count();
        for start in 0..=length + 2 {
            for end in start..=length + 2 {
                let expected: String = text.chars().skip(start).take(end - start).collect();
                assert_eq!(
                    source.slice(Span::new(start, end)),
                    expected,
                    "{start}..{end}"
                );
            }
        }
        assert_eq!(source.char_len(), length);
    }

    #[test]
    fn byte_offsets_become_code_points() {
        let text = "ab\n網絡x\n\nlast é\n";
        let source = SourceText::new("t.txt", text);
        for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(
                source.char_offset(byte),
                text[..byte].chars().count(),
                "{byte}"
            );
        }
        // Inside a character: its start; past the end: the length.
        assert_eq!(source.char_offset(4), 3);
        assert_eq!(source.char_offset(1000), text.chars().count());
        assert_eq!(source.span_of_bytes(3, 9), Span::new(3, 5));
        assert_eq!(source.slice(source.span_of_bytes(3, 9)), "網絡");
    }

    #[test]
    fn carriage_returns_stay_out_of_lines() {
        let source = SourceText::new("t.txt", "a\r\nb");
        let texts: Vec<_> = source.lines().map(|l| l.text).collect();
        assert_eq!(texts, vec!["a", "b"]);
    }
}
