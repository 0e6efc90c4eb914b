//! `cyberkg verify`: does an RDF file hold the same dataset as the store?
//!
//! Both sides are put in RDFC-1.0 canonical form and compared as sets of
//! canonical statements: graph by graph for N-Quads and TriG, as the union
//! of the graphs (triples) for the other formats, which is what `export`
//! writes in them. Invariant: the answer is "same" exactly when the two
//! canonical forms are identical, that is when the file is isomorphic to the
//! store; otherwise the statements missing from the file and those extra in
//! it are counted and the first few of each (in canonical order) are shown.

use super::load::{file_format, read_rdf_file};
use super::plural;
use super::{CommandResult, Failure, reading_store, store_label, write_output};
use crate::cli::VerifyArgs;
use anyhow::Context as _;
use cyberkg::canonical::CanonicalNQuads;
use oxigraph::model::{GraphName, Quad};
use std::cmp::Ordering;

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
