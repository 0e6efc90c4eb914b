//! Content negotiation: which of the media types an answer is offered in
//! best fits a request's `Accept` header (RFC 9110, section 12.5.1).
//!
//! Each offered type takes the quality of the most specific range that
//! matches it (`text/turtle` before `text/*` before `*/*`); the highest
//! quality above zero wins, and ties go to the offer listed first, so each
//! handler lists its default first. Invariant: no `Accept` header (or one
//! with no readable range) means the first offer; a header whose ranges
//! match nothing means `None`, which handlers answer with 406.

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MediaRange {
    /// Main type, lower case (`*` for any).
    main: String,
    /// Subtype, lower case (`*` for any).
    sub: String,
    /// Quality in thousandths (0 to 1000).
    quality: u16,
}

/// Parses a quality value (`1`, `0.8`, `0.125`) into thousandths; `None` if malformed.
fn parse_quality(text: &str) -> Option<u16> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" | "" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The media ranges of an `Accept` header; malformed entries are skipped.
fn parse_accept(header: &str) -> Vec<MediaRange> {
    header
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let media_range = parts.next()?.trim().to_ascii_lowercase();
            let (main, sub) = media_range.split_once('/')?;
            if main.is_empty() || sub.is_empty() || (main == "*" && sub != "*") {
                return None;
            }
            let mut quality = 1000;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    quality = parse_quality(value)?;
                }
            }
            Some(MediaRange {
                main: main.to_owned(),
                sub: sub.to_owned(),
                quality,
            })
        })
        .collect()
}

/// The quality a parsed header gives `media_type` (0 if no range matches).
fn quality_of(ranges: &[MediaRange], media_type: &str) -> u16 {
    let (main, sub) = media_type.split_once('/').unwrap_or((media_type, ""));
    ranges
        .iter()
        .filter_map(|range| {
            let specificity = match (range.main.as_str(), range.sub.as_str()) {
                ("*", "*") => 0,
                (m, "*") if m == main => 1,
                (m, s) if m == main && s == sub => 2,
                _ => return None,
            };
            Some((specificity, range.quality))
        })
        .max_by_key(|(specificity, _)| *specificity)
        .map_or(0, |(_, quality)| quality)
}

/// The offer that best fits `accept`: offers are `(media type, value)` pairs,
/// the first being the default.
pub fn choose<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<T> {
    let ranges = accept.map(parse_accept).unwrap_or_default();
    if ranges.is_empty() {
        // No header, an empty one, or one with nothing we can read: the RFC lets us ignore it.
        return offers.first().map(|(_, value)| *value);
    }
    let mut best: Option<(u16, T)> = None;
    for (media_type, value) in offers {
        let quality = quality_of(&ranges, media_type);
        if quality > 0 && best.is_none_or(|(best_quality, _)| quality > best_quality) {
            best = Some((quality, *value));
        }
    }
    best.map(|(_, value)| value)
}

/// The one-line reason of a 406.
pub fn not_acceptable<T>(accept: Option<&str>, offers: &[(&str, T)]) -> String {
    let available: Vec<&str> = offers.iter().map(|(media_type, _)| *media_type).collect();
    format!(
        "none of the media types in 'Accept: {}' is available here; ask for one of {}",
        accept.unwrap_or_default(),
        available.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: &[(&str, &str)] = &[
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/html", "html"),
    ];

    #[test]
    fn the_best_offer_wins() {
        let table: &[(Option<&str>, Option<&str>)] = &[
            (None, Some("json")),
            (Some(""), Some("json")),
            (Some("*/*"), Some("json")),
            (Some("text/csv"), Some("csv")),
            (Some("TEXT/CSV; charset=utf-8"), Some("csv")),
            (Some("text/*"), Some("csv")),
            (Some("text/*;q=0.5, text/html"), Some("html")),
            (
                Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                Some("html"),
            ),
            (
                Some("application/sparql-results+xml;q=0.9, */*;q=0.1"),
                Some("xml"),
            ),
            (Some("text/csv;q=0, */*"), Some("json")),
            (Some("image/png"), None),
            (Some("text/csv;q=0"), None),
            (Some("text/csv;q=2"), Some("json")),
            (Some("garbage"), Some("json")),
            (
                Some("text/html, image/gif, *; q=.2, */*; q=.2"),
                Some("html"),
            ),
        ];
        for (accept, expected) in table {
            assert_eq!(choose(*accept, OFFERS), *expected, "{accept:?}");
        }
    }

    #[test]
    fn qualities_parse_in_thousandths() {
        let table = [
            ("1", Some(1000)),
            ("1.000", Some(1000)),
            ("0.8", Some(800)),
            ("0.125", Some(125)),
            ("0", Some(0)),
            (".2", Some(200)),
            ("1.5", None),
            ("0.1234", None),
            ("x", None),
        ];
        for (text, expected) in table {
            assert_eq!(parse_quality(text), expected, "{text}");
        }
    }

    #[test]
    fn refusals_list_what_is_available() {
        assert_eq!(
            not_acceptable(Some("image/png"), &OFFERS[..2]),
            "none of the media types in 'Accept: image/png' is available here; ask for one of application/sparql-results+json, application/sparql-results+xml"
        );
    }
}
