//! Evaluating a query within the server's limits, collecting at most the
//! row cap. Below the handlers: the SPARQL endpoint and the query page
//! both use it.
//!
//! Where: in a worker process of the server's [`Pool`] when it has one
//! (`cyberkg serve` always does), which is killed at the deadline or when
//! it exceeds its memory; otherwise (a library user's [`App`], the unit
//! tests) on a thread here, among at most [`MAX_WORKERS`], with a
//! cancellation token that the deadline fires and that Oxigraph checks on
//! every store read.

use super::app::App;
use super::error::HttpError;
use super::request::StatusCode;
use super::worker::{Job, Outcome, Pool, PoolError};
use cyberkg::export::sort_triples;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple, Variable};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, QuerySolution,
};
use oxigraph::store::Store;
use spargebra::Query;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

/// An evaluated query, collected within the row cap.
pub enum Answer {
    /// SELECT.
    Solutions {
        /// The projected variables.
        variables: Vec<Variable>,
        /// The rows.
        rows: Vec<QuerySolution>,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT and DESCRIBE, sorted.
    Triples(Vec<Triple>),
}

/// Why an evaluation gave no answer.
pub enum Stopped {
    /// The deadline passed.
    TimedOut,
    /// More rows than the cap.
    TooManyRows,
    /// The evaluation failed.
    Failed(String),
    /// A `SERVICE` endpoint could not be reached or answered wrongly.
    Gateway(String),
    /// Every worker stayed busy for the whole wait.
    Busy,
    /// The query's worker ran out of its memory budget.
    OutOfMemory,
}

impl Stopped {
    /// The error a client gets; `what` is "query" or "update".
    pub fn into_error(self, app: &App, what: &str) -> HttpError {
        match self {
            Stopped::TimedOut => HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the {what} ran longer than this server's limit of {} s (--timeout-s) and was stopped",
                    app.config.timeout.as_secs_f64()
                ),
            ),
            Stopped::TooManyRows => HttpError::internal(format!(
                "the {what} has more than {} results, this server's limit (--max-rows); add a LIMIT, or start the server with a higher --max-rows",
                app.config.max_rows
            )),
            Stopped::Busy => {
                let reason = match &app.pool {
                    Some(pool) => format!(
                        "the server is busy: its {} SPARQL workers stayed busy for {} s (the queue's limit); try again later",
                        pool.size(),
                        app.config.queue_wait.as_secs_f64()
                    ),
                    None => format!(
                        "the server is busy: {MAX_WORKERS} queries or updates are still running; try again later"
                    ),
                };
                HttpError::new(StatusCode::SERVICE_UNAVAILABLE, reason)
                    .with_header("retry-after", retry_after(app).to_string())
            }
            Stopped::OutOfMemory => HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the {what} needed more memory than this server's limit per query (--max-query-memory-mb) and was stopped"
                ),
            ),
            Stopped::Failed(message) => {
                HttpError::internal(format!("the {what} failed: {message}"))
            }
            Stopped::Gateway(message) => HttpError::new(
                StatusCode::BAD_GATEWAY,
                format!("the {what} failed: {message}"),
            ),
        }
    }
}

/// The seconds a client told "busy" should wait: a worker frees up at the
/// latest when its query reaches the deadline.
fn retry_after(app: &App) -> u64 {
    app.config.timeout.as_secs().clamp(1, 60)
}

impl From<PoolError> for Stopped {
    fn from(error: PoolError) -> Self {
        match error {
            PoolError::Busy => Stopped::Busy,
            PoolError::TimedOut => Stopped::TimedOut,
            PoolError::OutOfMemory => Stopped::OutOfMemory,
            PoolError::Crashed(why) => Stopped::Failed(why),
        }
    }
}

/// At most this many evaluations run at once, counting those abandoned at
/// their deadline that have not stopped yet: Oxigraph checks the
/// cancellation token when it reads the store, so a query that loops over
/// data it already holds (a cartesian product under `COUNT`) runs on after
/// its 503. Past the cap, queries get a 503 instead of another core.
pub const MAX_WORKERS: usize = 4;

/// A slot among the [`MAX_WORKERS`], released when dropped (also on panic).
struct WorkerSlot(Arc<AtomicUsize>);

impl WorkerSlot {
    fn take(workers: &Arc<AtomicUsize>) -> Option<Self> {
        workers
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |running| {
                (running < MAX_WORKERS).then_some(running + 1)
            })
            .ok()
            .map(|_| WorkerSlot(Arc::clone(workers)))
    }
}

impl Drop for WorkerSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `work` on a worker thread and waits at most `timeout` for it; on
/// time-out the token is cancelled, so the worker stops at its next check.
pub fn with_deadline<T: Send + 'static>(
    app: &App,
    token: CancellationToken,
    work: impl FnOnce() -> Result<T, Stopped> + Send + 'static,
) -> Result<T, Stopped> {
    let slot = WorkerSlot::take(&app.workers).ok_or(Stopped::Busy)?;
    let (sender, receiver) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("cyberkg sparql".to_owned())
        .stack_size(cyberkg::sparql::SPARQL_STACK_BYTES)
        .spawn(move || {
            let result = work();
            // Freed before the answer is sent, so a caller that has its answer sees the slot back.
            drop(slot);
            let _ = sender.send(result);
        })
        .map_err(|e| Stopped::Failed(format!("cannot start a worker thread: {e}")))?;
    let timeout = app.config.timeout;
    match receiver.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            token.cancel();
            Err(Stopped::TimedOut)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Stopped::Failed(
            "the evaluation stopped unexpectedly".to_owned(),
        )),
    }
}

fn evaluation_error(error: &QueryEvaluationError) -> Stopped {
    match error {
        QueryEvaluationError::Cancelled => Stopped::TimedOut,
        QueryEvaluationError::Service(error) => Stopped::Gateway(error.to_string()),
        other => Stopped::Failed(other.to_string()),
    }
}

/// The dataset of the protocol (`default-graph-uri`, `named-graph-uri`)
/// when it names graphs; otherwise the query's own (`FROM`), or the union
/// of all graphs as the default graph.
pub(crate) fn use_dataset(
    prepared: &mut PreparedSparqlQuery,
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
) {
    if !default_graphs.is_empty() || !named_graphs.is_empty() {
        prepared
            .dataset_mut()
            .set_default_graph(default_graphs.into_iter().map(GraphName::from).collect());
        prepared.dataset_mut().set_available_named_graphs(
            named_graphs
                .into_iter()
                .map(NamedOrBlankNode::from)
                .collect(),
        );
    } else if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
}

/// Evaluates a parsed query with the dataset of the protocol, within the limits.
pub fn evaluate(
    app: &App,
    query: Query,
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
) -> Result<Answer, Stopped> {
    if let Some(pool) = &app.pool {
        return in_worker(app, pool, &query, &default_graphs, &named_graphs);
    }
    let token = CancellationToken::new();
    let store: Store = app.store.clone();
    let max_rows = app.config.max_rows;
    let services = app.config.services.clone();
    let worker_token = token.clone();
    let row_token = token.clone();
    with_deadline(app, token, move || {
        let mut prepared = cyberkg::sparql::evaluator(&services)
            .with_cancellation_token(worker_token)
            .for_query(query);
        use_dataset(&mut prepared, default_graphs, named_graphs);
        let results = prepared
            .on_store(&store)
            .execute()
            .map_err(|e| evaluation_error(&e))?;
        match results {
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let mut rows = Vec::new();
                for row in solutions {
                    if row_token.is_cancelled() {
                        return Err(Stopped::TimedOut);
                    }
                    rows.push(row.map_err(|e| evaluation_error(&e))?);
                    if rows.len() > max_rows {
                        return Err(Stopped::TooManyRows);
                    }
                }
                Ok(Answer::Solutions { variables, rows })
            }
            QueryResults::Boolean(value) => Ok(Answer::Boolean(value)),
            QueryResults::Graph(triples) => {
                let mut collected = Vec::new();
                for triple in triples {
                    if row_token.is_cancelled() {
                        return Err(Stopped::TimedOut);
                    }
                    collected.push(triple.map_err(|e| evaluation_error(&e))?);
                    if collected.len() > max_rows {
                        return Err(Stopped::TooManyRows);
                    }
                }
                sort_triples(&mut collected);
                Ok(Answer::Triples(collected))
            }
        }
    })
}

/// Evaluates in one of the pool's worker processes and reads its answer back.
fn in_worker(
    app: &App,
    pool: &Pool,
    query: &Query,
    default_graphs: &[NamedNode],
    named_graphs: &[NamedNode],
) -> Result<Answer, Stopped> {
    let iris = |nodes: &[NamedNode]| nodes.iter().map(|n| n.as_str().to_owned()).collect();
    let job = Job {
        query: query.to_string(),
        default_graphs: iris(default_graphs),
        named_graphs: iris(named_graphs),
        max_rows: app.config.max_rows,
    };
    let (outcome, payload) = pool.run(&job, app.config.queue_wait, app.config.timeout)?;
    let unreadable = |e: &dyn std::fmt::Display| {
        Stopped::Failed(format!("the worker's answer cannot be read: {e}"))
    };
    match outcome {
        Outcome::Solutions => match QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_slice(&payload)
            .map_err(|e| unreadable(&e))?
        {
            SliceQueryResultsParserOutput::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let rows = solutions
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| unreadable(&e))?;
                Ok(Answer::Solutions { variables, rows })
            }
            SliceQueryResultsParserOutput::Boolean(value) => Ok(Answer::Boolean(value)),
        },
        Outcome::Boolean { value } => Ok(Answer::Boolean(value)),
        Outcome::Triples => {
            let triples = RdfParser::from_format(RdfFormat::NTriples)
                .for_slice(&payload)
                .map(|quad| quad.map(Triple::from))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| unreadable(&e))?;
            Ok(Answer::Triples(triples))
        }
        Outcome::TooManyRows => Err(Stopped::TooManyRows),
        Outcome::Gateway => Err(Stopped::Gateway(
            String::from_utf8_lossy(&payload).into_owned(),
        )),
        Outcome::Failed => Err(Stopped::Failed(
            String::from_utf8_lossy(&payload).into_owned(),
        )),
        Outcome::Ready => Err(unreadable(&"an unexpected 'ready'")),
    }
}
