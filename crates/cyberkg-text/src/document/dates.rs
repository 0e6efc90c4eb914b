//! Dates as the texts write them ("7 March 2017"), read into calendar dates.
//!
//! Only the English day-month-year form of UN documents is read; anything
//! else is "no date", never a guess.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    if words.next().is_some() || !(1000..=9999).contains(&year) {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month_name)? as u8 + 1;
    (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
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
    fn finds_dates_inside_sentences() {
        let text = "issued by the Ministry on 1 March 2017.";
        let found = find_dates(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].0.clone()], "1 March 2017");
        assert_eq!(found[0].1.to_string(), "2017-03-01");
    }
}
