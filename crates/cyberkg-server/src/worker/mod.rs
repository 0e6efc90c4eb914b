//! Query evaluation in worker processes: the deadline and the memory cap
//! that really stop a query.
//!
//! Oxigraph checks a query's cancellation token only when it reads the
//! store, so a query that loops over what it has already read (a `COUNT`
//! over a cross product, a chain of `BIND(CONCAT(?v, ?v))`) runs on, and
//! allocates on, after its deadline; a thread cannot be stopped from
//! outside. A process can. The server keeps a pool of worker processes
//! (`cyberkg sparql-worker`, hidden), each holding its own copy of the
//! store (a snapshot sent over its standard input, or the on-disk store
//! opened read-only), and sends each query to an idle one:
//!
//! - a query still running at its deadline gets its worker killed, and a
//!   fresh worker takes the slot ([`pool`]);
//! - each worker runs under an address-space budget (`RLIMIT_DATA`, Linux)
//!   of its store plus the per-query cap, so a query that allocates beyond
//!   it ends its own worker, not the server;
//! - a crash of any kind (a stack overflow included) is one failed query.
//!
//! The protocol (this module) is one JSON line per [`Job`], answered by one
//! JSON [`Head`] line and `Head::bytes` bytes of payload: SPARQL JSON
//! results for solutions, N-Triples for triples, the message for a failure.
//! The payload is parsed back with Oxigraph's parsers, so the handlers see
//! the same [`Answer`](crate::evaluate::Answer)s as from in-process
//! evaluation.

mod child;
mod pool;

pub use child::{WorkerOptions, WorkerStore, run_worker};
pub use pool::{Pool, PoolError, WorkerCommand};

use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, Write};

/// One query for a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Job {
    /// The parsed query, written back as SPARQL (full IRIs, its own dataset).
    pub query: String,
    /// The protocol's `default-graph-uri`s.
    pub default_graphs: Vec<String>,
    /// The protocol's `named-graph-uri`s.
    pub named_graphs: Vec<String>,
    /// More rows (or triples) than this are refused.
    pub max_rows: usize,
}

/// What a worker answers; the payload follows the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// The worker holds its store and waits for jobs.
    Ready,
    /// SELECT: SPARQL JSON results follow.
    Solutions,
    /// ASK.
    Boolean {
        /// The answer.
        value: bool,
    },
    /// CONSTRUCT or DESCRIBE: N-Triples follow, sorted.
    Triples,
    /// More rows than the job's cap.
    TooManyRows,
    /// A `SERVICE` failed: the message follows.
    Gateway,
    /// The evaluation failed: the message follows.
    Failed,
}

/// The line before a payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Head {
    #[serde(flatten)]
    pub outcome: Outcome,
    /// The payload's length in bytes.
    pub bytes: usize,
}

/// Writes one JSON line.
pub(crate) fn write_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Reads one JSON line; `None` at the end of the stream.
pub(crate) fn read_line<T: for<'de> Deserialize<'de>>(
    input: &mut impl BufRead,
) -> io::Result<Option<T>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    serde_json::from_str(&line)
        .map(Some)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Writes a head and its payload, and flushes.
pub(crate) fn write_reply(
    out: &mut impl Write,
    outcome: Outcome,
    payload: &[u8],
) -> io::Result<()> {
    write_line(
        out,
        &Head {
            outcome,
            bytes: payload.len(),
        },
    )?;
    out.write_all(payload)?;
    out.flush()
}

/// Reads a head and its payload; `None` at the end of the stream.
pub(crate) fn read_reply(input: &mut impl BufRead) -> io::Result<Option<(Outcome, Vec<u8>)>> {
    let Some(head) = read_line::<Head>(input)? else {
        return Ok(None);
    };
    let mut payload = vec![0; head.bytes];
    input.read_exact(&mut payload)?;
    Ok(Some((head.outcome, payload)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_round_trip() {
        let mut wire = Vec::new();
        write_reply(&mut wire, Outcome::Boolean { value: true }, b"").unwrap();
        write_reply(&mut wire, Outcome::Failed, "a\nmessage".as_bytes()).unwrap();
        let mut input = wire.as_slice();
        assert_eq!(
            read_reply(&mut input).unwrap(),
            Some((Outcome::Boolean { value: true }, Vec::new()))
        );
        assert_eq!(
            read_reply(&mut input).unwrap(),
            Some((Outcome::Failed, b"a\nmessage".to_vec()))
        );
        assert_eq!(read_reply(&mut input).unwrap(), None);
    }
}
