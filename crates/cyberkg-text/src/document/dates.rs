//! Dates as the texts write them ("7 March 2017"), read into calendar dates,
//! and as the curated data writes them (`2017-03-07`, `2015-01`).
//!
//! Only the English day-month-year form of UN documents is read from the
//! texts; anything else is "no date", never a guess. The curated data's ISO
//! 8601 dates are read into the same [`Date`] (and [`YearMonth`]) when the
//! TOML is deserialized, so a date that is not in the calendar
//! (`2017-02-30`) is an error at its `file:line:column`.
//!
//! Invariant: a [`Date`] or [`YearMonth`] is always a real calendar date
//! or month (year 1000-9999), and its `Display` is the lexical form of
//! `xsd:date` (`xsd:gYearMonth`).

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl fmt::Display for Date {
    /// ISO 8601 (`2017-03-07`), the lexical form of `xsd:date`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// The date, if it is in the calendar (year 1000-9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// Reads an ISO 8601 calendar date, exactly `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let [year, month, day] = iso_fields(text, [4, 2, 2])?;
        Self::new(year, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;

    fn try_from(text: String) -> Result<Self, DateError> {
        Self::parse_iso(&text).ok_or(DateError::NotADate(text))
    }
}

/// A year and a month (`2015-01`), for what the sources date only to the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Year.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
}

impl YearMonth {
    /// Reads an ISO 8601 year and month, exactly `YYYY-MM`.
    pub fn parse_iso(text: &str) -> Option<Self> {
        let [year, month] = iso_fields(text, [4, 2])?;
        let month = u8::try_from(month).ok()?;
        Date::new(year, month, 1).map(|_| Self { year, month })
    }
}

impl fmt::Display for YearMonth {
    /// ISO 8601 (`2015-01`), the lexical form of `xsd:gYearMonth`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A curated date that is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not `YYYY-MM-DD`, or not a day of the calendar.
    #[error("'{0}' is not a calendar date written YYYY-MM-DD")]
    NotADate(String),
    /// Not `YYYY-MM`, or not a month of the calendar.
    #[error("'{0}' is not a month written YYYY-MM")]
    NotAMonth(String),
}

/// The numbers of `text` when it is fields of ASCII digits of exactly
/// these `widths`, separated by `-`.
fn iso_fields<const N: usize>(text: &str, widths: [usize; N]) -> Option<[u16; N]> {
    let mut fields = text.split('-');
    let mut numbers = [0; N];
    for (number, width) in numbers.iter_mut().zip(widths) {
        let field = fields.next()?;
        if field.len() != width || !field.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *number = field.parse().ok()?;
    }
    fields.next().is_none().then_some(numbers)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Reads "7 March 2017" (surrounding white space and a trailing full stop allowed).
pub fn parse_day_month_year(text: &str) -> Option<Date> {
    let mut words = text.trim().trim_end_matches('.').split_whitespace();
    let day: u8 = words.next()?.parse().ok()?;
    let month_name = words.next()?.to_lowercase();
    let year: u16 = words.next()?.parse().ok()?;
    if words.next().is_some() {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month_name)? as u8 + 1;
    Date::new(year, month, day)
}

/// Finds every "D Month YYYY" date in a text, with the byte range it occupies.
pub fn find_dates(text: &str) -> Vec<(std::ops::Range<usize>, Date)> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|word| (word.as_ptr() as usize - text.as_ptr() as usize, word))
        .collect();
    let mut found = Vec::new();
    for window in words.windows(3) {
        let [(start, day), (_, month), (year_start, year)] = window else {
            continue;
        };
        let year = year.trim_end_matches(|c: char| !c.is_ascii_digit());
        if let Some(date) = parse_day_month_year(&format!("{day} {month} {year}")) {
            found.push((*start..*year_start + year.len(), date));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_un_dates_and_rejects_the_rest() {
        let table = [
            ("7 March 2017", Some("2017-03-07")),
            (" 16 December 2015.", Some("2015-12-16")),
            ("29 February 2016", Some("2016-02-29")),
            ("29 February 2017", None),
            ("March 7 2017", None),
            ("7 Marchember 2017", None),
            ("", None),
        ];
        for (text, expected) in table {
            assert_eq!(
                parse_day_month_year(text).map(|d| d.to_string()).as_deref(),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn reads_curated_iso_dates_and_rejects_the_rest() {
        let table = [
            ("2017-03-01", Some("2017-03-01")),
            ("2016-02-29", Some("2016-02-29")),
            ("2017-02-30", None),
            ("2017-02-29", None),
            ("2017-13-01", None),
            ("2017-00-10", None),
            ("2017-3-1", None),
            ("1 March 2017", None),
            ("", None),
            ("2017-03-01T00:00", None),
            ("2017-03-01-", None),
            ("+017-03-01", None),
        ];
        for (text, expected) in table {
            assert_eq!(
                Date::parse_iso(text).map(|d| d.to_string()).as_deref(),
                expected,
                "{text:?}"
            );
        }
        let months = [
            ("2015-01", Some("2015-01")),
            ("2015-13", None),
            ("2015-1", None),
            ("2015-01-01", None),
        ];
        for (text, expected) in months {
            assert_eq!(
                YearMonth::parse_iso(text).map(|m| m.to_string()).as_deref(),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn finds_dates_inside_sentences() {
        let text = "issued by the Ministry on 1 March 2017.";
        let found = find_dates(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].0.clone()], "1 March 2017");
        assert_eq!(found[0].1.to_string(), "2017-03-01");
    }
}
