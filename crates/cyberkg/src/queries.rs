//! The named competency queries of `queries/`, compiled into the binary.
//!
//! Each `.rq` file starts with `#` comment lines saying what it asks; the
//! first paragraph of that comment is its description.

include!(concat!(env!("OUT_DIR"), "/named_queries.rs"));

/// The description of a query: its leading `#` comment lines up to the first blank comment line.
pub fn description(query: &str) -> String {
    query
        .lines()
        .map_while(|line| line.strip_prefix('#'))
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a named query.
pub fn named(name: &str) -> Option<&'static str> {
    NAMED_QUERIES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}
