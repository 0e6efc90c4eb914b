//! The worker's side (`cyberkg sparql-worker`): load the store once, then
//! answer jobs from standard input until it closes.
//!
//! Invariants: nothing but protocol frames is written to standard output;
//! the worker dies with the server (`PR_SET_PDEATHSIG` on Linux, and the
//! end of its standard input everywhere); the memory budget is set after
//! the store is loaded and the evaluation thread's stack is reserved, so it
//! counts what queries allocate and nothing else.

use super::{Job, Outcome, read_line, write_reply};
use cyberkg::export::sort_triples;
use cyberkg::search::{IndexPlace, Search};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults};
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, BufReader, BufWriter};
use std::sync::Arc;

/// The snapshot's announcement on standard input, before its N-Quads.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    /// The N-Quads' length in bytes.
    pub bytes: usize,
}

/// Where the worker's store comes from.
pub enum WorkerStore {
    /// A store already opened by the caller (an on-disk store, read-only).
    Opened(Store),
    /// A snapshot of the server's in-memory store, sent on standard input.
    Snapshot,
}

/// What a worker is started with.
pub struct WorkerOptions {
    /// Its store.
    pub store: WorkerStore,
    /// The memory a query may allocate beyond the loaded store, in bytes.
    pub max_query_memory: Option<u64>,
    /// The `SERVICE` policy, the server's.
    pub services: cyberkg::sparql::Services,
}

/// Runs a worker until its standard input closes; an error is why it could not start.
pub fn run_worker(options: WorkerOptions) -> Result<(), String> {
    die_with_parent();
    let mut input = BufReader::new(io::stdin().lock());
    let store = match options.store {
        WorkerStore::Opened(store) => store,
        WorkerStore::Snapshot => load_snapshot(&mut input)?,
    };
    // The search service answers from an index of the store this worker
    // loaded, built now, before the memory budget is set, so that a query's
    // budget counts what the query allocates and the first search is as
    // fast as the next. A failure is tried again, and reported, by the
    // first search (the worker's standard output carries only the protocol).
    let search = Arc::new(Search::new(store.clone(), IndexPlace::Memory));
    let _ = search.index();
    let services = options.services.with_search(search);
    let budget = options.max_query_memory;
    // Everything after the load runs on a thread whose stack is sized for
    // the deepest query the SPARQL limits let through (Oxigraph's evaluator
    // recurses over the algebra).
    drop(input);
    let evaluation = std::thread::Builder::new()
        .name("cyberkg sparql worker".to_owned())
        .stack_size(cyberkg::sparql::SPARQL_STACK_BYTES)
        .spawn(move || serve_jobs(&store, &services, budget))
        .map_err(|e| format!("cannot start the evaluation thread: {e}"))?;
    evaluation
        .join()
        .map_err(|_| "the evaluation thread failed".to_owned())?
}

fn serve_jobs(
    store: &Store,
    services: &cyberkg::sparql::Services,
    budget: Option<u64>,
) -> Result<(), String> {
    if let Some(budget) = budget {
        limit_memory(budget)?;
    }
    let mut input = BufReader::new(io::stdin().lock());
    let mut output = BufWriter::new(io::stdout().lock());
    let broken = |e: io::Error| format!("cannot answer the server: {e}");
    write_reply(&mut output, Outcome::Ready, b"").map_err(broken)?;
    while let Some(job) = read_line::<Job>(&mut input).map_err(broken)? {
        let (outcome, payload) = answer(store, services, job);
        write_reply(&mut output, outcome, &payload).map_err(broken)?;
    }
    Ok(())
}

fn load_snapshot(input: &mut impl BufRead) -> Result<Store, String> {
    let snapshot = read_line::<Snapshot>(input)
        .map_err(|e| format!("cannot read the store's snapshot: {e}"))?
        .ok_or("the server sent no snapshot of its store")?;
    let mut bytes = vec![0; snapshot.bytes];
    input
        .read_exact(&mut bytes)
        .map_err(|e| format!("cannot read the store's snapshot: {e}"))?;
    let store = Store::new().map_err(|e| e.to_string())?;
    // Parsed without renaming blank nodes: the worker's labels are the server's.
    let quads = RdfParser::from_format(RdfFormat::NQuads).for_slice(&bytes);
    let mut loader = store.bulk_loader();
    loader
        .load_ok_quads::<_, Box<dyn std::error::Error>>(quads)
        .map_err(|e| format!("cannot load the store's snapshot: {e}"))?;
    loader.commit().map_err(|e| e.to_string())?;
    Ok(store)
}

/// Evaluates one job; every failure is an outcome, never a panic.
fn answer(store: &Store, services: &cyberkg::sparql::Services, job: Job) -> (Outcome, Vec<u8>) {
    match evaluate(store, services, job) {
        Ok(answered) => answered,
        Err(Stopped::TooManyRows) => (Outcome::TooManyRows, Vec::new()),
        Err(Stopped::Failed(message)) => (Outcome::Failed, message.into_bytes()),
        Err(Stopped::Gateway(message)) => (Outcome::Gateway, message.into_bytes()),
    }
}

enum Stopped {
    TooManyRows,
    Failed(String),
    Gateway(String),
}

fn evaluation_error(error: QueryEvaluationError) -> Stopped {
    match error {
        QueryEvaluationError::Service(error) => Stopped::Gateway(error.to_string()),
        other => Stopped::Failed(other.to_string()),
    }
}

fn iris(values: &[String]) -> Result<Vec<NamedNode>, Stopped> {
    values
        .iter()
        .map(|iri| NamedNode::new(iri).map_err(|e| Stopped::Failed(e.to_string())))
        .collect()
}

fn evaluate(
    store: &Store,
    services: &cyberkg::sparql::Services,
    job: Job,
) -> Result<(Outcome, Vec<u8>), Stopped> {
    let failed = |e: &dyn std::fmt::Display| Stopped::Failed(e.to_string());
    let query = spargebra::SparqlParser::new()
        .parse_query(&job.query)
        .map_err(|e| failed(&e))?;
    let default_graphs = iris(&job.default_graphs)?;
    let named_graphs = iris(&job.named_graphs)?;
    let mut prepared = cyberkg::sparql::evaluator(services).for_query(query);
    crate::evaluate::use_dataset(&mut prepared, default_graphs, named_graphs);
    let results = prepared
        .on_store(store)
        .execute()
        .map_err(evaluation_error)?;
    match results {
        QueryResults::Solutions(solutions) => {
            let mut serializer = QueryResultsSerializer::from_format(QueryResultsFormat::Json)
                .serialize_solutions_to_writer(Vec::new(), solutions.variables().to_vec())
                .map_err(|e| failed(&e))?;
            for (count, row) in solutions.enumerate() {
                if count >= job.max_rows {
                    return Err(Stopped::TooManyRows);
                }
                let row = row.map_err(evaluation_error)?;
                serializer.serialize(row.iter()).map_err(|e| failed(&e))?;
            }
            let payload = serializer.finish().map_err(|e| failed(&e))?;
            Ok((Outcome::Solutions, payload))
        }
        QueryResults::Boolean(value) => Ok((Outcome::Boolean { value }, Vec::new())),
        QueryResults::Graph(triples) => {
            let mut collected = Vec::new();
            for triple in triples {
                if collected.len() >= job.max_rows {
                    return Err(Stopped::TooManyRows);
                }
                collected.push(triple.map_err(evaluation_error)?);
            }
            sort_triples(&mut collected);
            let mut serializer =
                RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
            for triple in &collected {
                serializer
                    .serialize_triple(triple)
                    .map_err(|e| failed(&e))?;
            }
            let payload = serializer.finish().map_err(|e| failed(&e))?;
            Ok((Outcome::Triples, payload))
        }
    }
}

/// The worker ends when the server does, even in the middle of a query
/// (its standard input is read only between queries).
fn die_with_parent() {
    #[cfg(target_os = "linux")]
    {
        // Best effort: without it the worker still ends at its next read.
        let _ =
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    }
}

/// Caps the process's data segment at what it uses now plus `budget`.
#[cfg(target_os = "linux")]
fn limit_memory(budget: u64) -> Result<(), String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("cannot read /proc/self/status: {e}"))?;
    let used_kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmData:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or("/proc/self/status has no VmData line")?;
    let limit = Some(used_kib.saturating_mul(1024).saturating_add(budget));
    rustix::process::setrlimit(
        rustix::process::Resource::Data,
        rustix::process::Rlimit {
            current: limit,
            maximum: limit,
        },
    )
    .map_err(|e| format!("cannot set the memory limit: {e}"))
}

/// Without `RLIMIT_DATA` semantics the cap is not enforced; the deadline still is.
#[cfg(not(target_os = "linux"))]
fn limit_memory(_budget: u64) -> Result<(), String> {
    Ok(())
}
