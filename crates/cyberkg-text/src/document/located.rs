//! Text being cleaned, as characters that remember where in the file they
//! come from: the one representation both parsers repair text in (errata,
//! HTML remnants, glosses), so that every repair, however many came before
//! it on the same line, has the exact span of the characters it replaced.

use super::source::{Line, Span};

/// A character of a line being cleaned, with the code-point range in the
/// file of the character it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Char {
    pub value: char,
    /// First code point of the source characters it stands for.
    pub offset: usize,
    /// One past the last of them (`offset + 1` for an original character;
    /// the end of the whole damaged run for the characters of a repair).
    pub end: usize,
}

/// A line being cleaned.
pub struct Working {
    /// The characters, in order.
    pub chars: Vec<Char>,
}

impl Working {
    pub fn new(line: &Line<'_>) -> Self {
        Self::at(line.text, line.char_start)
    }

    /// The characters of `text`, whose first character is at code point
    /// `char_start` of its file.
    pub fn at(text: &str, char_start: usize) -> Self {
        Self {
            chars: text
                .chars()
                .enumerate()
                .map(|(index, value)| Char {
                    value,
                    offset: char_start + index,
                    end: char_start + index + 1,
                })
                .collect(),
        }
    }

    pub fn values(&self) -> Vec<char> {
        self.chars.iter().map(|c| c.value).collect()
    }

    pub fn string(chars: &[Char]) -> String {
        chars.iter().map(|c| c.value).collect()
    }

    /// The span in the file covered by `chars[range]`.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        match (
            self.chars.get(range.start),
            range.end.checked_sub(1).and_then(|i| self.chars.get(i)),
        ) {
            (Some(first), Some(last)) if range.start < range.end => {
                Span::new(first.offset, last.end)
            }
            (Some(first), _) => Span::new(first.offset, first.offset),
            _ => Span::default(),
        }
    }

    /// Index of the single occurrence of `needle`, if it occurs exactly once.
    pub fn find_once(&self, needle: &[char]) -> Result<usize, usize> {
        if needle.is_empty() || needle.len() > self.chars.len() {
            return Err(0);
        }
        let values = self.values();
        let hits: Vec<usize> = values
            .windows(needle.len())
            .enumerate()
            .filter(|(_, window)| *window == needle)
            .map(|(index, _)| index)
            .collect();
        match hits.as_slice() {
            [one] => Ok(*one),
            other => Err(other.len()),
        }
    }

    /// Replaces `chars[range]`; each new character stands for the whole replaced run.
    pub fn replace(&mut self, range: std::ops::Range<usize>, replacement: &str) {
        let span = self.span(range.clone());
        let new = replacement.chars().map(|value| Char {
            value,
            offset: span.start,
            end: span.end,
        });
        self.chars.splice(range, new);
    }
}
