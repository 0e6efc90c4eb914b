//! `cyberkg push`: send the graph to a SPARQL 1.1 Graph Store over HTTP or
//! HTTPS, with the library's one HTTP client ([`cyberkg::http`]: Oxigraph's
//! oxhttp, rustls, the platform's root certificates).
//!
//! Graph by graph, with the protocol's indirect graph identification
//! (`ENDPOINT?graph=IRI`, `ENDPOINT?default` for the default graph): the
//! first batch of a graph is a PUT, which replaces that graph on the
//! endpoint, and the following batches are POSTs, which add to it; the body
//! is Turtle written one triple a line (N-Triples, which every Graph Store
//! reads), in export order. A graph holding blank nodes goes in one request,
//! since a blank node is local to the request that carries it.
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
use anyhow::Context as _;
use cyberkg::export::sort_quads;
use cyberkg::http::{self, HttpError, StatusCode};
use indicatif::ProgressBar;
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term};
use std::io::Write as _;
use std::time::Duration;

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
}

impl Config {
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

    /// Sends one graph's quads, PUT then POSTs of at most `batch_size`
    /// triples (one request if a blank node is among them); returns how many
    /// requests it took.
    fn push_graph(
        &self,
        graph_quads: &[Quad],
        progress: Option<&ProgressBar>,
    ) -> Result<usize, PushError> {
        let Some(first) = graph_quads.first() else {
            return Ok(0);
        };
        let graph_name = &first.graph_name;
        let batch_size = if has_blank_nodes(graph_quads) {
            graph_quads.len()
        } else {
            self.batch_size
        };
        let mut requests = 0;
        for (index, batch) in graph_quads.chunks(batch_size).enumerate() {
            let method = if index == 0 {
                Method::Put
            } else {
                Method::Post
            };
            if let Some(bar) = progress {
                bar.set_message(format!("graph {}", short_name(graph_name)));
            }
            self.send(method, graph_name, &turtle_body(batch))?;
            requests += 1;
            if let Some(bar) = progress {
                bar.inc(batch.len() as u64);
            }
        }
        Ok(requests)
    }

    fn attempt(&self, method: Method, graph: &GraphName, body: &[u8], attempt: u32) -> Attempt {
        let url = self.endpoint.graph_url(graph);
        let method_name = match method {
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
        };
        let mut headers = vec![("Content-Type", "text/turtle")];
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

/// The body of a batch: one N-Triples line a triple (valid Turtle).
fn turtle_body(quads: &[Quad]) -> Vec<u8> {
    let mut body = Vec::new();
    for quad in quads {
        // Writing to a Vec cannot fail.
        let _ = writeln!(
            body,
            "{} {} {} .",
            quad.subject, quad.predicate, quad.object
        );
    }
    body
}

fn has_blank_nodes(quads: &[Quad]) -> bool {
    quads.iter().any(|quad| {
        matches!(quad.subject, NamedOrBlankNode::BlankNode(_))
            || matches!(quad.object, Term::BlankNode(_))
    })
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
    let graph_ref = graph
        .as_ref()
        .map(|g| oxigraph::model::GraphNameRef::NamedNode(g.as_ref()));
    let mut quads = store
        .quads_for_pattern(None, None, None, graph_ref)
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| {
            format!(
                "cannot read {}",
                store_label(args.store.location.as_deref())
            )
        })?;
    sort_quads(&mut quads);
    let timeout = Duration::from_secs(args.timeout_s);
    let config = Config {
        endpoint,
        headers,
        client: http::Client::new(timeout),
        batch_size: usize::try_from(args.batch_size).unwrap_or(usize::MAX),
        attempts: args.retries + 1,
        timeout,
    };
    let mut report = String::new();
    let (mut graphs, mut requests) = (0, 0);
    let progress = super::progress::bar(quiet, quads.len() as u64, "triples");
    for graph_quads in quads.chunk_by(|a, b| a.graph_name == b.graph_name) {
        let Some(first) = graph_quads.first() else {
            continue;
        };
        let graph_name = &first.graph_name;
        let graph_requests = config
            .push_graph(graph_quads, progress.as_ref())
            .map_err(|e| Failure::Runtime(e.into()))?;
        graphs += 1;
        requests += graph_requests;
        let name = match graph_name {
            GraphName::NamedNode(node) => node.to_string(),
            GraphName::BlankNode(_) | GraphName::DefaultGraph => "default graph".to_owned(),
        };
        report.push_str(&format!(
            "{name}: {} in {}\n",
            plural(graph_quads.len(), "triple"),
            plural(graph_requests, "request")
        ));
    }
    drop(progress);
    report.push_str(&format!(
        "Pushed {} in {} to {} ({}).\n",
        plural(quads.len(), "triple"),
        plural(graphs, "graph"),
        config.endpoint.0,
        plural(requests, "request")
    ));
    write_output(None, |out| {
        out.write_all(report.as_bytes())?;
        Ok(())
    })
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
