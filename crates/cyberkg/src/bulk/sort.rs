//! Quads in export order within a memory budget: an external merge sort.
//!
//! A split export must write the same bytes for the same store content,
//! in memory or on disk, and must not hold the store in memory. Oxigraph's
//! iteration order is the order of its encoded terms (hashes for long
//! strings, a per-backend layout), not an order cyberkg defines, so it is
//! not relied on. Instead quads are read in runs of at most a budget of
//! bytes; a run is sorted in [`crate::export`]'s order (`quad_key`, the
//! order of `cyberkg export --format nquads`) and, when the quads do not
//! fit in one run, written to an unnamed temporary file as N-Quads; the
//! runs are then merged, [`FAN_IN`] at a time.
//!
//! Invariant: [`sorted`] yields exactly the distinct quads it was given, in
//! `quad_key` order, whatever the budget; it holds at most one run in
//! memory while reading, and one quad per run while merging.

use super::BulkError;
use crate::export::{quad_key, serializer, sort_quads};
use crate::format::ExportFormat;
use oxigraph::io::{RdfFormat, RdfParser, ReaderQuadParser};
use oxigraph::model::{GraphNameRef, Quad, TermRef};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Seek, Write};
use std::path::Path;

/// How many runs one merge reads at once; more are merged in rounds.
pub(crate) const FAN_IN: usize = 64;

/// About how many bytes of memory a quad holds: its strings and the
/// terms' fixed parts.
fn estimated_size(quad: &Quad) -> usize {
    fn term(term: TermRef<'_>) -> usize {
        match term {
            TermRef::NamedNode(node) => node.as_str().len(),
            TermRef::BlankNode(node) => node.as_str().len(),
            TermRef::Literal(literal) => {
                literal.value().len()
                    + literal.language().map_or(0, str::len)
                    + literal.datatype().as_str().len()
            }
            other => other.to_string().len(),
        }
    }
    let graph = match quad.graph_name.as_ref() {
        GraphNameRef::NamedNode(node) => node.as_str().len(),
        GraphNameRef::BlankNode(node) => node.as_str().len(),
        GraphNameRef::DefaultGraph => 0,
    };
    // Four terms of about 40 bytes each, plus the sort's key and index.
    term(quad.subject.as_ref().into())
        + quad.predicate.as_str().len()
        + term(quad.object.as_ref())
        + graph
        + 4 * 40
        + 96
}

/// The quads of `quads`, sorted and without duplicates, reading at most
/// about `budget` bytes of them into memory at a time; runs that do not
/// fit are spilled to unnamed temporary files in `spill_directory`.
pub(crate) fn sorted(
    quads: impl Iterator<Item = Result<Quad, BulkError>>,
    budget: usize,
    spill_directory: &Path,
) -> Result<Sorted, BulkError> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    let mut size = 0;
    for quad in quads {
        let quad = quad?;
        size += estimated_size(&quad);
        run.push(quad);
        if size >= budget {
            sort_quads(&mut run);
            runs.push(write_run(run.drain(..).map(Ok), spill_directory)?);
            size = 0;
        }
    }
    sort_quads(&mut run);
    if runs.is_empty() {
        return Ok(Sorted::Memory(run.into_iter()));
    }
    if !run.is_empty() {
        runs.push(write_run(run.into_iter().map(Ok), spill_directory)?);
    }
    while runs.len() > FAN_IN {
        let round: Vec<File> = runs.drain(..FAN_IN).collect();
        runs.push(write_run(Merge::new(round)?, spill_directory)?);
    }
    Ok(Sorted::Merge(Box::new(Merge::new(runs)?)))
}

/// Writes sorted quads to an unnamed temporary file as N-Quads, and
/// returns it ready to be read from its start.
fn write_run(
    quads: impl Iterator<Item = Result<Quad, BulkError>>,
    spill_directory: &Path,
) -> Result<File, BulkError> {
    let file = tempfile::tempfile_in(spill_directory).map_err(BulkError::Spill)?;
    let mut out = serializer(ExportFormat::NQuads).for_writer(BufWriter::new(file));
    for quad in quads {
        out.serialize_quad(&quad?).map_err(BulkError::Spill)?;
    }
    let mut file = out
        .finish()
        .and_then(|mut writer| {
            writer.flush()?;
            writer.into_inner().map_err(|e| e.into_error())
        })
        .map_err(BulkError::Spill)?;
    file.rewind().map_err(BulkError::Spill)?;
    Ok(file)
}

/// The quads [`sorted`] yields: one run still in memory, or a merge of spilled runs.
pub(crate) enum Sorted {
    /// Everything fitted in one run.
    Memory(std::vec::IntoIter<Quad>),
    /// Runs on disk.
    Merge(Box<Merge>),
}

impl Iterator for Sorted {
    type Item = Result<Quad, BulkError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Sorted::Memory(quads) => quads.next().map(Ok),
            Sorted::Merge(merge) => merge.next(),
        }
    }
}

/// The next quad of one run, ordered for a min-heap: the smallest key on
/// top, ties (the same quad in two runs) by run.
struct Head {
    quad: Quad,
    run: usize,
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        quad_key(other.quad.as_ref())
            .cmp(&quad_key(self.quad.as_ref()))
            .then_with(|| other.run.cmp(&self.run))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

/// A k-way merge of sorted runs, duplicates dropped.
pub(crate) struct Merge {
    runs: Vec<ReaderQuadParser<BufReader<File>>>,
    heap: BinaryHeap<Head>,
    last: Option<Quad>,
}

impl Merge {
    fn new(files: Vec<File>) -> Result<Self, BulkError> {
        let mut merge = Merge {
            runs: files
                .into_iter()
                .map(|file| {
                    RdfParser::from_format(RdfFormat::NQuads).for_reader(BufReader::new(file))
                })
                .collect(),
            heap: BinaryHeap::new(),
            last: None,
        };
        for run in 0..merge.runs.len() {
            merge.refill(run)?;
        }
        Ok(merge)
    }

    /// Puts the next quad of `run`, if any, on the heap.
    fn refill(&mut self, run: usize) -> Result<(), BulkError> {
        if let Some(quad) = self.runs[run].next() {
            let quad = quad.map_err(|e| BulkError::Spill(e.into()))?;
            self.heap.push(Head { quad, run });
        }
        Ok(())
    }
}

impl Iterator for Merge {
    type Item = Result<Quad, BulkError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Head { quad, run } = self.heap.pop()?;
            if let Err(error) = self.refill(run) {
                return Some(Err(error));
            }
            if self.last.as_ref() != Some(&quad) {
                self.last = Some(quad.clone());
                return Some(Ok(quad));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn quads(count: usize) -> Vec<Quad> {
        // Subjects and graphs in an order unlike the sorted one.
        (0..count)
            .map(|index| {
                let scrambled = (index * 7919) % count;
                Quad::new(
                    NamedNode::new_unchecked(format!("http://e.org/s{scrambled}")),
                    NamedNode::new_unchecked("http://e.org/p"),
                    Literal::new_language_tagged_literal_unchecked(
                        format!("value \"{index}\"\n"),
                        "en",
                    ),
                    NamedNode::new_unchecked(format!("http://e.org/g{}", scrambled % 3)),
                )
            })
            .collect()
    }

    #[test]
    fn every_budget_gives_the_in_memory_order() {
        let given = quads(1000);
        let mut expected = given.clone();
        sort_quads(&mut expected);
        let directory = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(directory) = directory else {
            panic!("{directory:?}");
        };
        // One run; about 4 quads a run (250 runs: merged in rounds); 50 runs.
        for budget in [usize::MAX, 1000, 20_000] {
            let mut input = given.clone();
            // A duplicate, which the store never holds, is dropped all the same.
            input.push(given[17].clone());
            let merged: Result<Vec<Quad>, String> =
                sorted(input.into_iter().map(Ok), budget, directory.path())
                    .map_err(|e| e.to_string())
                    .and_then(|quads| quads.collect::<Result<_, _>>().map_err(|e| e.to_string()));
            assert_eq!(merged.as_ref(), Ok(&expected), "budget {budget}");
        }
        let left = std::fs::read_dir(directory.path()).map(|entries| entries.count());
        assert_eq!(left.ok(), Some(0), "spilled runs are unnamed and gone");
    }
}
