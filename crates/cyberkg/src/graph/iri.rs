//! The base IRI and the IRIs minted under it.
//!
//! Invariant: a [`Base`] is an absolute IRI (checked with iri-string) with
//! no query or fragment, ending in `/`; every resource IRI is the base plus
//! path segments made of stable keys (document id, part kinds and numbers),
//! so the same input always yields the same IRIs.

use iri_string::types::IriStr;
use oxigraph::model::NamedNode;
use std::fmt;
use std::path::Path;

/// The prefixed name of `iri` under `prefixes` (prefix, namespace): the
/// longest namespace wins, and only a local part that Turtle and SPARQL
/// would read back unescaped (letters, digits, `_`, `-`, `.`, not ending in
/// `.`, not empty) is accepted. The one IRI shortener: the command line's
/// tables, the server's pages and the SHACL report all call it.
pub fn compact<'p, P: AsRef<str> + ?Sized + 'p>(
    iri: &str,
    prefixes: impl IntoIterator<Item = (&'p P, &'p P)>,
) -> Option<String> {
    prefixes
        .into_iter()
        .filter_map(|(prefix, namespace)| {
            let namespace = namespace.as_ref();
            let local = iri.strip_prefix(namespace)?;
            let readable = !local.is_empty()
                && !local.ends_with('.')
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
            readable.then_some((prefix.as_ref(), local, namespace.len()))
        })
        .max_by_key(|(_, _, length)| *length)
        .map(|(prefix, local, _)| format!("{prefix}:{local}"))
}

/// The graph a file loaded with `cyberkg load` goes into when no
/// `--graph` names one: `<base>graph/external/SEGMENT`, SEGMENT made from
/// the file's name (see [`graph_segment`]).
pub fn external_graph(
    base: &Base,
    path: &Path,
) -> Result<NamedNode, oxigraph::model::IriParseError> {
    base.iri(&format!("graph/external/{}", graph_segment(path)))
}

/// The last segment of `<base>graph/external/<segment>`: the file stem,
/// with characters that would need escaping in an IRI path replaced by '-'.
pub fn graph_segment(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut segment = String::new();
    for character in stem.chars() {
        let keep = character.is_alphanumeric() || matches!(character, '-' | '.' | '_' | '~');
        if keep {
            segment.push(character);
        } else if !segment.ends_with('-') {
            segment.push('-');
        }
    }
    let segment = segment.trim_matches('-');
    if segment.is_empty() {
        "file".to_owned()
    } else {
        segment.to_owned()
    }
}

/// The default base, under which every resource of the graph is named.
pub const DEFAULT_BASE: &str = "https://w3id.org/cyberkg/";

/// Why a base IRI was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseError {
    /// Not an IRI at all.
    #[error("invalid --base '{base}': {reason}")]
    Invalid {
        /// The value given.
        base: String,
        /// What is wrong, with its column where known.
        reason: String,
    },
}

/// A validated base IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base(String);

impl Base {
    /// Validates a base IRI.
    pub fn new(base: &str) -> Result<Self, BaseError> {
        let invalid = |reason: String| BaseError::Invalid {
            base: base.to_owned(),
            reason,
        };
        if let Some((index, c)) = base.chars().enumerate().find(|(_, c)| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
        }) {
            return Err(invalid(format!(
                "column {}: the character {c:?} is not allowed in an IRI",
                index + 1
            )));
        }
        if let Some((index, _)) = base.match_indices('%').find(|(index, _)| {
            let digits = base.as_bytes().get(index + 1..index + 3);
            !digits.is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit))
        }) {
            let encoding: String = base[index..].chars().take(3).collect();
            return Err(invalid(format!(
                "column {}: '{encoding}' is not a percent-encoding ('%' must be followed by two hexadecimal digits, as in %20)",
                base[..index].chars().count() + 1
            )));
        }
        let iri = IriStr::new(base).map_err(|_| {
            invalid(
                "it is not an absolute IRI (expected something like https://example.org/cyberkg/)"
                    .to_owned(),
            )
        })?;
        if iri.query_str().is_some() || iri.fragment().is_some() {
            return Err(invalid(
                "a base may not have a query ('?…') or a fragment ('#…')".to_owned(),
            ));
        }
        if !base.ends_with('/') {
            return Err(invalid(format!(
                "a base must end with '/' so that paths can follow it (try '{base}/')"
            )));
        }
        Ok(Self(base.to_owned()))
    }

    /// The base as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `<base>path`.
    pub fn iri(&self, path: &str) -> Result<NamedNode, oxigraph::model::IriParseError> {
        NamedNode::new(format!("{}{path}", self.0))
    }
}

impl Default for Base {
    fn default() -> Self {
        Self(DEFAULT_BASE.to_owned())
    }
}

impl fmt::Display for Base {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_segments_are_safe_iri_path_segments() {
        let table = [
            ("wikidata.nt", "wikidata"),
            ("dir/Wikidata extract (2024).ttl", "Wikidata-extract-2024"),
            ("人物.nq", "人物"),
            ("a.b.trig", "a.b"),
            ("#?.nt", "file"),
        ];
        for (path, expected) in table {
            assert_eq!(graph_segment(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn compact_takes_the_longest_namespace_and_readable_locals_only() {
        let prefixes = [
            ("ex", "http://example.org/"),
            ("exa", "http://example.org/a/"),
        ];
        let pairs = prefixes.iter().map(|(p, n)| (*p, *n));
        let table = [
            ("http://example.org/a/b", Some("exa:b")),
            ("http://example.org/b.c", Some("ex:b.c")),
            ("http://example.org/b.", None),
            ("http://example.org/", None),
            ("http://example.org/a%20b", None),
            ("http://other.org/x", None),
        ];
        for (iri, expected) in table {
            assert_eq!(compact(iri, pairs.clone()).as_deref(), expected, "{iri}");
        }
    }

    #[test]
    fn accepts_and_refuses() {
        let table = [
            ("https://w3id.org/cyberkg/", Ok(())),
            ("http://localhost:7878/", Ok(())),
            ("urn:x-cyberkg:/", Ok(())),
            (
                "https://example.org/kg",
                Err(
                    "invalid --base 'https://example.org/kg': a base must end with '/' so that paths can follow it (try 'https://example.org/kg/')",
                ),
            ),
            (
                "not an iri",
                Err(
                    "invalid --base 'not an iri': column 4: the character ' ' is not allowed in an IRI",
                ),
            ),
            (
                "relative/path/",
                Err(
                    "invalid --base 'relative/path/': it is not an absolute IRI (expected something like https://example.org/cyberkg/)",
                ),
            ),
            (
                "https://example.org/?q=1/",
                Err(
                    "invalid --base 'https://example.org/?q=1/': a base may not have a query ('?…') or a fragment ('#…')",
                ),
            ),
            (
                "http://ex.org/%zz/",
                Err(
                    "invalid --base 'http://ex.org/%zz/': column 15: '%zz' is not a percent-encoding ('%' must be followed by two hexadecimal digits, as in %20)",
                ),
            ),
            (
                "http://ex.org/a%2",
                Err(
                    "invalid --base 'http://ex.org/a%2': column 16: '%2' is not a percent-encoding ('%' must be followed by two hexadecimal digits, as in %20)",
                ),
            ),
            ("http://ex.org/%7Ea/", Ok(())),
            (
                "https://example.org/#/",
                Err(
                    "invalid --base 'https://example.org/#/': a base may not have a query ('?…') or a fragment ('#…')",
                ),
            ),
        ];
        for (base, expected) in table {
            let got = Base::new(base).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(got, expected.map_err(str::to_owned), "{base}");
        }
    }
}
