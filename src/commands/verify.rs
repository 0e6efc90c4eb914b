//! `cyberkg verify`: does an RDF file hold the same dataset as the store?
//!
//! Both sides are put in RDFC-1.0 canonical form and compared as sets of
//! canonical statements: graph by graph for N-Quads and TriG, as the union
//! of the graphs (triples) for the other formats, which is what `export`
//! writes in them. Invariant: the answer is "same" exactly when the two
//! canonical forms are identical, that is when the file is isomorphic to the
//! store; otherwise the statements missing from the file and those extra in
//! it are counted and the first few of each (in canonical order) are shown.
//! A file Oxigraph reads as the store's is then read again by sophia, an
//! independent RDF implementation (`cyberkg::crosscheck`), and compared up
//! to blank-node renaming: two parsers that disagree fail `verify`.

use super::failure::{CommandResult, Failure};
use super::output::{plural, write_output};
use super::rdf_file::{file_format, read_rdf_file};
use super::stores::{reading_store, store_label};
use crate::cli::VerifyArgs;
use anyhow::Context as _;
use cyberkg::canonical::CanonicalNQuads;
use cyberkg::crosscheck::{self, CrossCheckError};
use cyberkg::export::{ExportFormat, write_store};
use oxigraph::model::{GraphName, Quad};
use oxigraph::store::Store;
use std::cmp::Ordering;
use std::path::Path;

/// How many missing and how many extra statements are shown.
const EXAMPLES: usize = 5;

/// Statements of one side that the other lacks.
fn difference<'a>(from: &'a [String], other: &[String]) -> Vec<&'a String> {
    let mut only = Vec::new();
    let mut others = other.iter().peekable();
    for line in from {
        loop {
            match others.peek().map(|o| o.as_str().cmp(line.as_str())) {
                Some(Ordering::Less) => {
                    others.next();
                }
                Some(Ordering::Equal) => break,
                Some(Ordering::Greater) | None => {
                    only.push(line);
                    break;
                }
            }
        }
    }
    only
}

/// The triples of `quads`, all in the default graph.
fn union(quads: Vec<Quad>) -> impl Iterator<Item = Quad> {
    quads
        .into_iter()
        .map(|q| Quad::new(q.subject, q.predicate, q.object, GraphName::DefaultGraph))
}

/// Reads `path` a second time with sophia, an RDF implementation
/// independent of Oxigraph, and compares it with the store: agreement is
/// logged (`-v`), a disagreement fails `verify`, since one of the two
/// parsers then misreads the file. RDF/XML has no independent parser here
/// (sophia's wraps Oxigraph's), which is logged too.
fn independent_check(path: &Path, format: ExportFormat, store: &Store) -> CommandResult {
    let file = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {file}"))?;
    let mut reference = Vec::new();
    write_store(store, None, ExportFormat::NQuads, &mut reference)
        .context("cannot read the store for sophia's comparison")?;
    let reference = String::from_utf8(reference).context("the store's N-Quads are not UTF-8")?;
    match crosscheck::compare(&reference, format, &text) {
        Ok(check) if check.isomorphic => {
            tracing::info!(
                "sophia, an independent RDF parser, also reads {file} as isomorphic to the store ({} of {} statements)",
                check.found,
                check.expected
            );
            Ok(())
        }
        Ok(check) => Err(Failure::Runtime(anyhow::anyhow!(
            "Oxigraph reads {file} as the store's dataset, but sophia, an independent RDF parser, does not ({} statements found, {} expected): one of the two misreads the file",
            check.found,
            check.expected
        ))),
        Err(CrossCheckError::Unsupported(_)) => {
            tracing::info!(
                "no independent parser checks {file}: {format} is read by Oxigraph only"
            );
            Ok(())
        }
        Err(error) => Err(Failure::Runtime(anyhow::anyhow!(
            "Oxigraph reads {file} as the store's dataset, but {error}: one of the two misreads the file"
        ))),
    }
}

/// Runs `cyberkg verify`.
pub fn run(args: VerifyArgs) -> CommandResult {
    let format = file_format(&args.file, args.format.as_deref())?;
    let file_quads = read_rdf_file(&args.file, format, GraphName::DefaultGraph, false)
        .map_err(|e| Failure::Runtime(e.into()))?;
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    let store_quads = store
        .iter()
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| {
            format!(
                "cannot read {}",
                store_label(args.store.location.as_deref())
            )
        })?;
    let graph_aware = format.is_dataset();
    let (expected, found, noun, how) = if graph_aware {
        (
            CanonicalNQuads::new(store_quads),
            CanonicalNQuads::new(file_quads),
            "quad",
            "compared graph by graph",
        )
    } else {
        (
            CanonicalNQuads::new(union(store_quads)),
            CanonicalNQuads::new(union(file_quads)),
            "triple",
            "compared with the union of the store's graphs",
        )
    };
    let file = args.file.display();
    if expected == found {
        independent_check(&args.file, format, &store)?;
        let what = if graph_aware { "dataset" } else { "graph" };
        return write_output(None, |out| {
            writeln!(
                out,
                "{file}: the same {what} as the store ({}, {how})",
                plural(expected.len(), noun)
            )?;
            Ok(())
        });
    }
    let missing = difference(expected.lines(), found.lines());
    let extra = difference(found.lines(), expected.lines());
    write_output(None, |out| {
        let sections = [
            (
                &missing,
                format!(
                    "{} of the store's {} missing from {file}:",
                    plural(missing.len(), noun),
                    expected.len()
                ),
            ),
            (
                &extra,
                format!("{} of {file} not in the store:", plural(extra.len(), noun)),
            ),
        ];
        for (lines, heading) in sections {
            if lines.is_empty() {
                continue;
            }
            writeln!(out, "{heading}")?;
            for line in lines.iter().take(EXAMPLES) {
                writeln!(out, "  {line}")?;
            }
            if lines.len() > EXAMPLES {
                writeln!(out, "  … and {} more", lines.len() - EXAMPLES)?;
            }
        }
        Ok(())
    })?;
    Err(Failure::Runtime(anyhow::anyhow!(
        "{file} differs from the store: {} missing, {} extra ({how})",
        plural(missing.len(), noun),
        extra.len()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sophia_reads_the_file_a_second_time_and_a_disagreement_fails() {
        let store = Store::new().expect("in-memory store");
        store
            .load_from_slice(
                oxigraph::io::RdfFormat::NQuads,
                "<http://e.org/s> <http://e.org/p> \"o\"@en <http://e.org/g> .\n",
            )
            .expect("loaded");
        let directory = tempfile::tempdir().expect("temp dir");
        let same = directory.path().join("same.ttl");
        std::fs::write(&same, "<http://e.org/s> <http://e.org/p> \"o\"@en .\n").expect("written");
        assert!(independent_check(&same, ExportFormat::Turtle, &store).is_ok());
        let other = directory.path().join("other.ttl");
        std::fs::write(&other, "<http://e.org/s> <http://e.org/p> \"o\"@fr .\n").expect("written");
        let message = match independent_check(&other, ExportFormat::Turtle, &store) {
            Err(Failure::Runtime(error)) => error.to_string(),
            _ => String::new(),
        };
        assert!(
            message.contains(
                "but sophia, an independent RDF parser, does not (1 statements found, 1 expected)"
            ),
            "{message}"
        );
        let broken = directory.path().join("broken.ttl");
        std::fs::write(&broken, "not turtle").expect("written");
        assert!(independent_check(&broken, ExportFormat::Turtle, &store).is_err());
        let xml = directory.path().join("g.rdf");
        std::fs::write(&xml, "").expect("written");
        assert!(
            independent_check(&xml, ExportFormat::RdfXml, &store).is_ok(),
            "no second parser: logged, not failed"
        );
    }

    #[test]
    fn differences_of_sorted_lines() {
        let lines = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let table: [(&[&str], &[&str], &[&str]); 5] = [
            (&["a", "b", "c"], &["a", "b", "c"], &[]),
            (&["a", "b", "c"], &["b"], &["a", "c"]),
            (&["a", "c"], &["b", "d"], &["a", "c"]),
            (&[], &["a"], &[]),
            (&["b", "d"], &[], &["b", "d"]),
        ];
        for (from, other, expected) in table {
            let (from, other) = (lines(from), lines(other));
            let only: Vec<&str> = difference(&from, &other)
                .into_iter()
                .map(String::as_str)
                .collect();
            assert_eq!(only, expected, "{from:?} minus {other:?}");
        }
    }
}
