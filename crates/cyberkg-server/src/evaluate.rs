//! Evaluating a query within the server's limits: on a worker thread,
//! among at most [`MAX_WORKERS`], with a cancellation token that the
//! deadline fires, collecting at most the row cap. Below the handlers: the
//! SPARQL endpoint and the query page both use it.

use super::app::App;
use super::error::HttpError;
use super::request::StatusCode;
use cyberkg::export::sort_triples;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple, Variable};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, QuerySolution};
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
    /// Every worker is busy.
    Busy,
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
            Stopped::Busy => HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the server is busy: {MAX_WORKERS} queries or updates are still running (one that ignores its cancellation can outlive its timeout); try again later"
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

/// Evaluates a parsed query with the dataset of the protocol, within the limits.
pub fn evaluate(
    app: &App,
    query: Query,
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
) -> Result<Answer, Stopped> {
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
        if !default_graphs.is_empty() || !named_graphs.is_empty() {
            prepared.dataset_mut().set_default_graph(
                default_graphs
                    .into_iter()
                    .map(GraphName::NamedNode)
                    .collect(),
            );
            prepared.dataset_mut().set_available_named_graphs(
                named_graphs
                    .into_iter()
                    .map(NamedOrBlankNode::NamedNode)
                    .collect(),
            );
        } else if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
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
