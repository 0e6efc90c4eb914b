//! `cyberkg push`: send the graph to a SPARQL 1.1 Graph Store over HTTP or
//! HTTPS, with the library's one HTTP client ([`cyberkg::http`]: Oxigraph's
//! oxhttp, rustls, the platform's root certificates).
//!
//! Graph by graph, with the protocol's indirect graph identification
//! (`ENDPOINT?graph=IRI`, `ENDPOINT?default` for the default graph): the
//! first batch of a graph is a PUT, which replaces that graph on the
//! endpoint, and the following batches are POSTs, which add to it; the body
//! is Turtle written one triple a line (N-Triples, which every Graph Store
//! reads). A graph holding blank nodes goes in one request, since a blank
//! node is local to the request that carries it.
//!
//! Streaming: one query counts each graph's triples and tells which hold
//! blank nodes (on Oxigraph's encoded terms, without reading strings);
//! each graph is then read from the store's index a batch at a time, the
//! default graph first, then by IRI. Nothing is sorted or collected, so
//! memory is one batch whatever the store's size. Within a graph the triples come in the store's own order. With
//! `--bulk`, every URL carries Oxigraph's `no_transaction`, so its server
//! loads each batch with its bulk loader instead of one transaction that
//! holds the whole batch in memory (oxigraph#844).
//!
//! Invariant: every attempt ends within `--timeout-s` (connecting, sending
//! and reading the answer together: [`http::Client::exchange`]), and every
//! request is retried a bounded number of times with exponential backoff,
//! and only when retrying can help (no connection, no answer in time, a
//! 5xx or 429 answer), so one batch takes at most (retries + 1) × timeout
//! plus the backoff; any failure ends the push with one line
//! that names the endpoint and, for a refusal, its status and the first line
//! of its answer. Header values never appear in messages (they often carry
//! credentials).

use super::failure::{CommandResult, Failure};
use super::output::{plural, write_output};
use super::stores::{check_graph_exists, graph_flag, reading_store, store_label};
use crate::cli::PushArgs;
use cyberkg::http::{self, HttpError, StatusCode};
use oxigraph::model::{GraphName, NamedNode, Quad, Term};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};
use std::io::Write as _;
use std::time::{Duration, Instant};

/// The first wait before a retry; each further wait doubles it.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// At most this many bytes of a refusal are read to find its first line.
const ANSWER_PREFIX: u64 = 4096;

/// A validated `--endpoint`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Endpoint(String);

impl Endpoint {
    fn parse(url: &str) -> Result<Self, Failure> {
        let invalid =
            |reason: &str| Failure::Usage(format!("invalid --endpoint '{url}': {reason}"));
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(invalid(
                "expected an http:// or https:// URL such as http://localhost:7878/store",
            ));
        }
        if url.contains('#') {
            return Err(invalid("a Graph Store URL has no fragment ('#…')"));
        }
        let uri = http::Uri::try_from(url).map_err(|_| {
            invalid("not a valid URL (expected something like http://localhost:7878/store)")
        })?;
        if uri.host().is_none_or(str::is_empty) {
            return Err(invalid("it names no host"));
        }
        Ok(Self(url.to_owned()))
    }

    /// `ENDPOINT?graph=IRI` (percent-encoded), or `ENDPOINT?default`.
    fn graph_url(&self, graph: &GraphName) -> String {
        let separator = if self.0.contains('?') { '&' } else { '?' };
        match graph {
            GraphName::NamedNode(node) => {
                format!(
                    "{}{separator}graph={}",
                    self.0,
                    percent_encode(node.as_str())
                )
            }
            GraphName::BlankNode(_) | GraphName::DefaultGraph => {
                format!("{}{separator}default", self.0)
            }
        }
    }
}

/// Every byte but RFC 3986's unreserved characters (letters, digits, `-._~`).
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, COMPONENT).to_string()
}

/// A `--header 'Name: value'`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Header {
    name: String,
    value: String,
}

impl Header {
    fn parse(text: &str) -> Result<Self, Failure> {
        // The value may be a credential: messages show the name only.
        let Some((name, value)) = text.split_once(':') else {
            return Err(Failure::Usage(
                "invalid --header: expected 'Name: value', for example 'Authorization: Bearer TOKEN'"
                    .to_owned(),
            ));
        };
        let name = name.trim();
        let invalid =
            |reason: &str| Failure::Usage(format!("invalid --header '{name}: …': {reason}"));
        let is_token_character =
            |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(is_token_character) {
            return Err(invalid("the name must be a token such as Authorization"));
        }
        let value = value.trim();
        if value.chars().any(|c| c.is_control() && c != '\t') {
            return Err(invalid("the value may not hold control characters"));
        }
        Ok(Self {
            name: name.to_owned(),
            value: value.to_owned(),
        })
    }
}

/// Why a request failed for good.
#[derive(Debug, thiserror::Error)]
enum PushError {
    /// No answer: the endpoint could not be reached.
    #[error("cannot reach {endpoint}: {reason} ({attempts})")]
    Unreachable {
        endpoint: String,
        reason: String,
        attempts: String,
    },
    /// The endpoint answered with an error status.
    #[error("{endpoint} refused the {method} of {graph}: {detail}")]
    Refused {
        endpoint: String,
        method: Method,
        /// `graph <IRI>` or `the default graph`.
        graph: String,
        /// The status, then `: first line` of the answer if any, then
        /// ` (N attempts)` if it was retried.
        detail: String,
    },
    /// The thread that sends the batches panicked (a bug).
    #[error("the push stopped: its sending thread failed unexpectedly")]
    SenderPanicked,
    /// Anything else the client reports, among them a failed TLS handshake
    /// (`the TLS handshake failed: …`) and a redirect: retrying cannot help.
    #[error("cannot push to {endpoint}: {error}")]
    Client {
        endpoint: String,
        #[source]
        error: HttpError,
    },
}

/// How a batch is sent: PUT replaces the graph, POST adds to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Put,
    Post,
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Method::Put => "PUT",
            Method::Post => "POST",
        })
    }
}

/// The result of one attempt.
enum Attempt {
    Done,
    Retry(PushError),
    Fail(PushError),
}

/// What `push` sends where, resolved once.
struct Config {
    endpoint: Endpoint,
    headers: Vec<Header>,
    client: http::Client,
    batch_size: usize,
    attempts: u32,
    /// How long one attempt (connect, send, answer) may take in all.
    timeout: Duration,
    /// `--bulk`: ask an Oxigraph server for its bulk loader.
    bulk: bool,
}

impl Config {
    /// The bodies are N-Triples lines, which are Turtle too. Turtle is the
    /// one syntax the Graph Store Protocol requires, so it is the default;
    /// with `--bulk` (Oxigraph only) they are labelled N-Triples, which
    /// Oxigraph reads with its line-based parser.
    fn content_type(&self) -> &'static str {
        if self.bulk {
            "application/n-triples"
        } else {
            "text/turtle"
        }
    }

    /// Sends one body, retrying when it can help.
    fn send(&self, method: Method, graph: &GraphName, body: &[u8]) -> Result<(), PushError> {
        let mut wait = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            match self.attempt(method, graph, body, attempt) {
                Attempt::Done => return Ok(()),
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry(error) if attempt >= self.attempts => return Err(error),
                Attempt::Retry(_) => {
                    std::thread::sleep(wait);
                    wait *= 2;
                    attempt += 1;
                }
            }
        }
    }

    fn attempt(&self, method: Method, graph: &GraphName, body: &[u8], attempt: u32) -> Attempt {
        let mut url = self.endpoint.graph_url(graph);
        if self.bulk {
            url.push_str("&no_transaction");
        }
        let method_name = match method {
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
        };
        let mut headers = vec![("Content-Type", self.content_type())];
        headers.extend(
            self.headers
                .iter()
                .map(|header| (header.name.as_str(), header.value.as_str())),
        );
        let attempts = if attempt == 1 {
            "1 attempt".to_owned()
        } else {
            format!("{attempt} attempts")
        };
        let endpoint = self.endpoint.0.clone();
        let answer = match self.client.exchange(
            method_name,
            &url,
            &headers,
            body.to_vec(),
            ANSWER_PREFIX,
            self.timeout,
        ) {
            Ok(answer) => answer,
            Err(HttpError::Unreachable { reason }) => {
                return Attempt::Retry(PushError::Unreachable {
                    endpoint,
                    reason,
                    attempts,
                });
            }
            Err(error) => return Attempt::Fail(PushError::Client { endpoint, error }),
        };
        let status = answer.status;
        if status.is_success() {
            return Attempt::Done;
        }
        let first_line = String::from_utf8_lossy(&answer.body)
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(|line| line.chars().take(200).collect::<String>())
            .unwrap_or_default();
        let retryable = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
        let mut detail = status.as_u16().to_string();
        if let Some(reason) = status.canonical_reason() {
            detail.push(' ');
            detail.push_str(reason);
        }
        if !first_line.is_empty() {
            detail.push_str(": ");
            detail.push_str(&first_line);
        }
        if attempt > 1 {
            detail.push_str(&format!(" ({attempts})"));
        }
        let error = PushError::Refused {
            endpoint,
            method,
            graph: graph_label(graph),
            detail,
        };
        if retryable {
            Attempt::Retry(error)
        } else {
            Attempt::Fail(error)
        }
    }
}

/// A graph to send, as a first pass over it found it.
struct GraphToPush {
    name: GraphName,
    triples: usize,
    /// A graph with blank nodes goes in one request: a blank node is local
    /// to the request that carries it.
    blank_nodes: bool,
}

/// Each graph's triples and whether a blank node is among them, in one
/// query: Oxigraph counts and tests terms on its encoded ids, without
/// reading a single string (a pass over the quads would look up every IRI
/// and literal). Oxigraph's own evaluator, not `cyberkg::sparql::prepare`:
/// this query is fixed, and its `{ ?s ?p ?o }` is the default graph alone,
/// not cyberkg's union default graph.
const SURVEY: &str = "SELECT ?g (COUNT(*) AS ?triples) (SUM(IF(isBlank(?s) || isBlank(?o), 1, 0)) AS ?blank) \
    WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g";

/// The graphs to send (all, or `only`), with quads, the default graph
/// first and then by IRI.
fn graphs_to_push(
    store: &Store,
    only: Option<&NamedNode>,
) -> Result<Vec<GraphToPush>, QueryEvaluationError> {
    let number = |term: Option<&Term>| match term {
        Some(Term::Literal(literal)) => literal.value().parse::<usize>().unwrap_or(0),
        _ => 0,
    };
    let mut graphs = Vec::new();
    let prepared = SparqlEvaluator::new()
        .parse_query(SURVEY)
        .map_err(|error| QueryEvaluationError::Unexpected(error.into()))?;
    if let QueryResults::Solutions(solutions) = prepared.on_store(store).execute()? {
        for solution in solutions {
            let solution = solution?;
            let name = match solution.get("g") {
                Some(Term::NamedNode(node)) => GraphName::NamedNode(node.clone()),
                Some(Term::BlankNode(node)) => GraphName::BlankNode(node.clone()),
                _ => GraphName::DefaultGraph,
            };
            let wanted = match (only, &name) {
                (None, _) => true,
                (Some(only), GraphName::NamedNode(node)) => only == node,
                (Some(_), _) => false,
            };
            let triples = number(solution.get("triples"));
            if wanted && triples > 0 {
                graphs.push(GraphToPush {
                    name,
                    triples,
                    blank_nodes: number(solution.get("blank")) > 0,
                });
            }
        }
    }
    graphs.sort_by(|a, b| match (&a.name, &b.name) {
        (GraphName::DefaultGraph, GraphName::DefaultGraph) => std::cmp::Ordering::Equal,
        (GraphName::DefaultGraph, _) => std::cmp::Ordering::Less,
        (_, GraphName::DefaultGraph) => std::cmp::Ordering::Greater,
        (a, b) => a.to_string().cmp(&b.to_string()),
    });
    Ok(graphs)
}

/// One request's worth of a graph.
struct Batch {
    method: Method,
    graph: GraphName,
    body: Vec<u8>,
    triples: usize,
}

/// Reads one graph straight from the store's index and hands it to `send`
/// a batch at a time: a PUT of its first `batch_size` triples (all of them
/// if it has blank nodes), then POSTs of the next ones. Stops early when
/// `send` returns `false` (the sender has failed). Returns how many batches
/// it made.
fn read_batches(
    store: &Store,
    graph: &GraphToPush,
    batch_size: usize,
    mut send: impl FnMut(Batch) -> bool,
) -> Result<usize, StorageError> {
    let batch_size = if graph.blank_nodes {
        usize::MAX
    } else {
        batch_size
    };
    let mut quads = store.quads_for_pattern(None, None, None, Some(graph.name.as_ref()));
    let mut batches = 0;
    loop {
        let mut body = Vec::new();
        let mut triples = 0;
        for quad in quads.by_ref().take(batch_size) {
            write_triple(&mut body, &quad?);
            triples += 1;
        }
        if triples == 0 {
            return Ok(batches);
        }
        let method = if batches == 0 {
            Method::Put
        } else {
            Method::Post
        };
        batches += 1;
        let batch = Batch {
            method,
            graph: graph.name.clone(),
            body,
            triples,
        };
        if !send(batch) {
            return Ok(batches);
        }
    }
}

/// The last segment of a graph's IRI (`annotations`), for the progress bar,
/// whose message the terminal's width may cut.
fn short_name(graph: &GraphName) -> String {
    match graph {
        GraphName::NamedNode(node) => node
            .as_str()
            .trim_end_matches(['/', '#'])
            .rsplit(['/', '#'])
            .next()
            .unwrap_or(node.as_str())
            .to_owned(),
        GraphName::BlankNode(_) | GraphName::DefaultGraph => "(default)".to_owned(),
    }
}

/// `graph <IRI>`, or `the default graph`, for messages.
fn graph_label(graph: &GraphName) -> String {
    match graph {
        GraphName::NamedNode(node) => format!("graph {node}"),
        GraphName::BlankNode(_) | GraphName::DefaultGraph => "the default graph".to_owned(),
    }
}

/// One N-Triples line (valid Turtle) of a batch's body.
fn write_triple(body: &mut Vec<u8>, quad: &Quad) {
    // Writing to a Vec cannot fail.
    let _ = writeln!(
        body,
        "{} {} {} .",
        quad.subject, quad.predicate, quad.object
    );
}

/// Runs `cyberkg push`.
pub fn run(args: PushArgs, quiet: bool) -> CommandResult {
    let endpoint = Endpoint::parse(&args.endpoint)?;
    let headers = args
        .headers
        .iter()
        .map(|h| Header::parse(h))
        .collect::<Result<Vec<_>, _>>()?;
    let graph = graph_flag(args.graph.as_deref())?;
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    if let Some(graph) = &graph {
        check_graph_exists(&store, graph)?;
    }
    let timeout = Duration::from_secs(args.timeout_s);
    let config = Config {
        endpoint,
        headers,
        client: http::Client::new(timeout),
        batch_size: usize::try_from(args.batch_size).unwrap_or(usize::MAX),
        attempts: args.retries + 1,
        timeout,
        bulk: args.bulk,
    };
    let started = Instant::now();
    let read_failed = |error: &dyn std::fmt::Display| {
        Failure::Runtime(anyhow::anyhow!(
            "cannot read {}: {error}",
            store_label(args.store.location.as_deref())
        ))
    };
    let graphs = graphs_to_push(&store, graph.as_ref()).map_err(|e| read_failed(&e))?;
    let total: usize = graphs.iter().map(|graph| graph.triples).sum();
    let progress = super::progress::bar(quiet, total as u64, "triples");
    let mut report = String::new();
    let mut requests = 0;
    // Reading the store and sending overlap: this thread reads and writes
    // the next batch while a second one sends the last (a rendezvous
    // channel, so at most two batches exist). Decoding the store's terms
    // costs about as much as the server's parsing, so the push takes the
    // longer of the two, not their sum.
    let (batches, to_send) = std::sync::mpsc::sync_channel::<Batch>(0);
    let sent = std::thread::scope(|scope| {
        let sender = scope.spawn(|| -> Result<(), PushError> {
            for batch in to_send {
                if let Some(bar) = progress.as_ref() {
                    bar.set_message(format!("graph {}", short_name(&batch.graph)));
                }
                config.send(batch.method, &batch.graph, &batch.body)?;
                if let Some(bar) = progress.as_ref() {
                    bar.inc(batch.triples as u64);
                }
            }
            Ok(())
        });
        let mut read = Ok(());
        let mut receiving = true;
        for graph in &graphs {
            // A failed send drops the receiver: stop reading then.
            let graph_requests = match read_batches(&store, graph, config.batch_size, |batch| {
                receiving = batches.send(batch).is_ok();
                receiving
            }) {
                Ok(count) => count,
                Err(error) => {
                    read = Err(error);
                    break;
                }
            };
            if !receiving {
                break;
            }
            requests += graph_requests;
            let name = match &graph.name {
                GraphName::NamedNode(node) => node.to_string(),
                GraphName::BlankNode(_) | GraphName::DefaultGraph => "default graph".to_owned(),
            };
            report.push_str(&format!(
                "{name}: {} in {}\n",
                plural(graph.triples, "triple"),
                plural(graph_requests, "request")
            ));
        }
        drop(batches);
        let sent = sender.join().unwrap_or(Err(PushError::SenderPanicked));
        (read, sent)
    });
    match sent {
        (_, Err(error)) => return Err(Failure::Runtime(error.into())),
        (Err(error), Ok(())) => return Err(read_failed(&error)),
        (Ok(()), Ok(())) => {}
    }
    drop(progress);
    let elapsed = started.elapsed();
    report.push_str(&format!(
        "Pushed {} in {} to {} ({}{}) in {:.2} s: {} triples/s.\n",
        plural(total, "triple"),
        plural(graphs.len(), "graph"),
        config.endpoint.0,
        plural(requests, "request"),
        if config.bulk { ", bulk" } else { "" },
        elapsed.as_secs_f64(),
        per_second(total, elapsed),
    ));
    write_output(None, |out| {
        out.write_all(report.as_bytes())?;
        Ok(())
    })
}

/// Triples a second, rounded to a whole number.
fn per_second(triples: usize, elapsed: Duration) -> u64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        (triples as f64 / seconds).round() as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    #[test]
    fn graph_urls_percent_encode_the_graph_name() {
        let endpoint = Endpoint::parse("http://localhost:7878/store").map_err(|e| e.to_string());
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(
            "https://w3id.org/cyberkg/graph/text",
        ));
        assert_eq!(
            endpoint.as_ref().map(|e| e.graph_url(&graph)),
            Ok(
                "http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fcyberkg%2Fgraph%2Ftext"
                    .to_owned()
            )
        );
        assert_eq!(
            endpoint.map(|e| e.graph_url(&GraphName::DefaultGraph)),
            Ok("http://localhost:7878/store?default".to_owned())
        );
        let with_query = Endpoint::parse("http://h/ds?x=1")
            .map(|e| e.graph_url(&graph))
            .map_err(|e| e.to_string());
        assert_eq!(
            with_query,
            Ok("http://h/ds?x=1&graph=https%3A%2F%2Fw3id.org%2Fcyberkg%2Fgraph%2Ftext".to_owned())
        );
        assert_eq!(percent_encode("é ~"), "%C3%A9%20~");
    }

    #[test]
    fn endpoints_are_validated() {
        let table = [
            (
                "ftp://h/store",
                "invalid --endpoint 'ftp://h/store': expected an http:// or https:// URL such as http://localhost:7878/store",
            ),
            (
                "http://h/store#x",
                "invalid --endpoint 'http://h/store#x': a Graph Store URL has no fragment ('#…')",
            ),
            (
                "http:///store",
                "invalid --endpoint 'http:///store': not a valid URL (expected something like http://localhost:7878/store)",
            ),
        ];
        for (url, expected) in table {
            assert_eq!(
                Endpoint::parse(url).map_err(|e| e.to_string()),
                Err(expected.to_owned()),
                "{url}"
            );
        }
        for url in [
            "http://localhost:7878/store",
            "https://db.example.org/store",
        ] {
            assert!(Endpoint::parse(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn headers_are_validated_without_echoing_their_values() {
        let ok = Header::parse("Authorization:  Bearer secret ").map_err(|e| e.to_string());
        assert_eq!(
            ok,
            Ok(Header {
                name: "Authorization".to_owned(),
                value: "Bearer secret".to_owned()
            })
        );
        let table = [
            (
                "Authorization Bearer secret",
                "invalid --header: expected 'Name: value', for example 'Authorization: Bearer TOKEN'",
            ),
            (
                "Bad Name: secret",
                "invalid --header 'Bad Name: …': the name must be a token such as Authorization",
            ),
            (
                ": secret",
                "invalid --header ': …': the name must be a token such as Authorization",
            ),
        ];
        for (text, expected) in table {
            assert_eq!(
                Header::parse(text).map_err(|e| e.to_string()),
                Err(expected.to_owned()),
                "{text}"
            );
        }
    }
}
