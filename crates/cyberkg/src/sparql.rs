//! SPARQL as cyberkg runs it, in the CLI and the server alike.
//!
//! Invariants: the prefixes of the vocabulary contract are predeclared; the
//! default graph is the union of the named graphs unless the query names its
//! own dataset (`FROM`, `FROM NAMED`), which is then respected; a syntax
//! error reads `ORIGIN:LINE:COLUMN: SPARQL syntax error: …`; a query reaches
//! another host only through a `SERVICE` whose host `--allow-service` names
//! ([`Services`]), checked before evaluation and again at the call; the
//! full-text search service (`SERVICE <https://w3id.org/cyberkg/search>`,
//! `crate::search`) is answered in this process and always allowed.
//!
//! Bounded by construction: every SPARQL text a user sends goes through
//! [`parse_query`] or [`parse_update`], which first check it lexically
//! against [`Limits`] (size, bracket nesting, and the operators that build
//! deep algebra trees) and only then parse it, on a thread whose stack
//! ([`SPARQL_STACK_BYTES`], see [`on_sparql_stack`]) holds the parsing and
//! the evaluation of anything within the limits. The parser and Oxigraph's
//! evaluator recurse over the query's tree, so without the limits a 2 KB
//! query overflows any stack and aborts the process.

use crate::graph::vocab::{PREFIXES, SEARCH_SERVICE};
use crate::http;
use crate::search::{Search, SearchService};
use iri_string::types::IriStr;
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{
    CancellationToken, DefaultServiceHandler, PreparedSparqlQuery, QueryEvaluationError,
    QuerySolutionIter, SparqlEvaluator,
};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::NamedNodePattern;
use spargebra::{Query, SparqlParser, Update};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Why a `SERVICE` call was not made (the whole sentence after the origin).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ServiceRefused(String);

/// One `--allow-service` value: a host, optionally with a port.
///
/// Without a port, every port of the host is allowed; the host is compared
/// case-insensitively, as DNS does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceHost {
    host: String,
    port: Option<u16>,
}

impl FromStr for ServiceHost {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| Err(format!("'{value}' is not a HOST or HOST:PORT: {why}"));
        if value.contains("://") || value.contains('/') {
            return bad("give the host alone, e.g. query.wikidata.org, not a URL");
        }
        let (host, port) = if let Some(rest) = value.strip_prefix('[') {
            // [IPv6]:PORT
            match rest.split_once(']') {
                Some((address, "")) => (format!("[{address}]"), None),
                Some((address, port)) => match port.strip_prefix(':') {
                    Some(port) => (format!("[{address}]"), Some(port)),
                    None => return bad("expected ':' after ']'"),
                },
                None => return bad("'[' without ']'"),
            }
        } else {
            match value.rsplit_once(':') {
                Some((host, port)) if !host.contains(':') => (host.to_owned(), Some(port)),
                Some(_) => return bad("write an IPv6 address in brackets, e.g. [::1]:7878"),
                None => (value.to_owned(), None),
            }
        };
        if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c == '@') {
            return bad("the host is empty or has a space or '@'");
        }
        let port = match port {
            None => None,
            Some(port) => match port.parse::<u16>() {
                Ok(port) if port > 0 => Some(port),
                _ => return bad("the port is not a number from 1 to 65535"),
            },
        };
        Ok(Self {
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

impl fmt::Display for ServiceHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// Which `SERVICE` endpoints a query may call, and for how long; and the
/// store's full-text search, when a front end has one to offer.
#[derive(Debug, Clone)]
pub struct Services {
    allowed: Vec<ServiceHost>,
    timeout: Duration,
    search: Option<Arc<Search>>,
}

/// Two policies are equal when they allow the same hosts for the same time
/// and search the same [`Search`] (the same one, not an equal one).
impl PartialEq for Services {
    fn eq(&self, other: &Self) -> bool {
        self.allowed == other.allowed
            && self.timeout == other.timeout
            && match (&self.search, &other.search) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl Eq for Services {}

impl Services {
    /// No `SERVICE` is called: the default everywhere.
    pub fn none() -> Self {
        Self {
            allowed: Vec::new(),
            timeout: Duration::from_secs(30),
            search: None,
        }
    }

    /// Calls to these hosts are allowed, each bounded by `timeout`.
    pub fn allowing(allowed: Vec<ServiceHost>, timeout: Duration) -> Self {
        Self {
            allowed,
            timeout,
            search: None,
        }
    }

    /// The same policy, with `SERVICE <https://w3id.org/cyberkg/search>`
    /// answered by `search` (without one it fails with a sentence saying
    /// there is no search here).
    pub fn with_search(self, search: Arc<Search>) -> Self {
        Self {
            search: Some(search),
            ..self
        }
    }

    /// The full-text search the search service answers from, if any.
    pub fn search(&self) -> Option<&Arc<Search>> {
        self.search.as_ref()
    }

    /// Whether any host is allowed.
    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty()
    }

    /// Whether a `SERVICE` IRI may be called; the reason if not. The search
    /// service always may: it is answered here, without the network.
    pub fn check(&self, service: &str) -> Result<(), ServiceRefused> {
        if service == SEARCH_SERVICE.as_str() {
            return Ok(());
        }
        let refused = |why: String| {
            Err(ServiceRefused(format!(
                "SERVICE <{service}> is not allowed: {why}"
            )))
        };
        let Ok(iri) = IriStr::new(service) else {
            return refused("it is not an absolute IRI".to_owned());
        };
        let scheme = iri.scheme_str().to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return refused("only http and https endpoints can be called".to_owned());
        }
        let Some(authority) = iri.authority_components() else {
            return refused("it names no host".to_owned());
        };
        let host = authority.host().to_ascii_lowercase();
        let port = match authority.port().filter(|p| !p.is_empty()) {
            Some(port) => port.parse::<u16>().ok(),
            None if scheme == "https" => Some(443),
            None => Some(80),
        };
        if self.allowed.is_empty() {
            return refused(format!(
                "cyberkg calls no other endpoint unless --allow-service names its host (--allow-service {})",
                with_port(&host, authority.port())
            ));
        }
        let allowed = self
            .allowed
            .iter()
            .any(|a| a.host == host && a.port.is_none_or(|p| Some(p) == port));
        if allowed {
            Ok(())
        } else {
            let names: Vec<String> = self.allowed.iter().map(ToString::to_string).collect();
            refused(format!(
                "{} is not among the hosts --allow-service names ({})",
                with_port(&host, authority.port()),
                names.join(", ")
            ))
        }
    }

    /// Checks every `SERVICE` of a graph pattern; a variable service name is
    /// refused, since its host cannot be known before the query runs.
    pub fn check_pattern(&self, pattern: &GraphPattern) -> Result<(), ServiceRefused> {
        let mut found = Vec::new();
        services_in_pattern(pattern, &mut found);
        for name in found {
            match name {
                NamedNodePattern::NamedNode(node) => self.check(node.as_str())?,
                NamedNodePattern::Variable(variable) => {
                    return Err(ServiceRefused(format!(
                        "SERVICE {variable} is not allowed: a service named by a variable cannot be checked against --allow-service; write its IRI"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Checks every `SERVICE` of a query.
    pub fn check_query(&self, query: &Query) -> Result<(), ServiceRefused> {
        self.check_pattern(query_pattern(query))
    }
}

fn with_port(host: &str, port: Option<&str>) -> String {
    match port.filter(|p| !p.is_empty()) {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// The graph pattern of a query.
pub fn query_pattern(query: &Query) -> &GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// Every `SERVICE` name of a graph pattern, `EXISTS` filters included.
fn services_in_pattern<'a>(pattern: &'a GraphPattern, found: &mut Vec<&'a NamedNodePattern>) {
    match pattern {
        GraphPattern::Service { name, inner, .. } => {
            found.push(name);
            services_in_pattern(inner, found);
        }
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {}
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right }
        | GraphPattern::Lateral { left, right } => {
            services_in_pattern(left, found);
            services_in_pattern(right, found);
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            services_in_pattern(left, found);
            services_in_pattern(right, found);
            if let Some(expression) = expression {
                services_in_expression(expression, found);
            }
        }
        GraphPattern::Filter { expr, inner } => {
            services_in_expression(expr, found);
            services_in_pattern(inner, found);
        }
        GraphPattern::Extend {
            inner, expression, ..
        } => {
            services_in_pattern(inner, found);
            services_in_expression(expression, found);
        }
        GraphPattern::OrderBy { inner, expression } => {
            services_in_pattern(inner, found);
            for order in expression {
                match order {
                    OrderExpression::Asc(e) | OrderExpression::Desc(e) => {
                        services_in_expression(e, found);
                    }
                }
            }
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            services_in_pattern(inner, found);
            for (_, aggregate) in aggregates {
                if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                    services_in_expression(expr, found);
                }
            }
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => services_in_pattern(inner, found),
    }
}

/// Every `SERVICE` inside an expression (in an `EXISTS`).
fn services_in_expression<'a>(expression: &'a Expression, found: &mut Vec<&'a NamedNodePattern>) {
    match expression {
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => {}
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => {
            services_in_expression(a, found);
            services_in_expression(b, found);
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            services_in_expression(a, found);
        }
        Expression::If(a, b, c) => {
            for e in [a, b, c] {
                services_in_expression(e, found);
            }
        }
        Expression::In(a, list) => {
            services_in_expression(a, found);
            for e in list {
                services_in_expression(e, found);
            }
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            for e in list {
                services_in_expression(e, found);
            }
        }
        Expression::Exists(pattern) => services_in_pattern(pattern, found),
    }
}

/// Makes the `SERVICE` calls [`Services`] allows, as Oxigraph's own
/// `HttpServiceHandler` does (the pattern sent as a SELECT by POST, SPARQL
/// JSON or XML results read back), but with the host checked again at the
/// call and no redirects followed, so an allowed host cannot hand the query
/// on to one that is not.
struct ServiceClient {
    services: Services,
    client: Option<Arc<http::Client>>,
}

impl ServiceClient {
    fn new(services: Services) -> Self {
        let client = (!services.is_empty()).then(|| Arc::new(http::Client::new(services.timeout)));
        Self { services, client }
    }

    fn call(
        &self,
        service: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, ServiceRefused> {
        self.services.check(service.as_str())?;
        let service = service.as_str();
        let refused = |message: String| ServiceRefused(format!("SERVICE <{service}>{message}"));
        let client = self
            .client
            .as_ref()
            .ok_or_else(|| refused(": no HTTP client".to_owned()))?;
        let query = Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        };
        let headers = [
            (
                ACCEPT.as_str(),
                "application/sparql-results+json, application/sparql-results+xml",
            ),
            (CONTENT_TYPE.as_str(), "application/sparql-query"),
        ];
        let response = client
            .request(
                http::Method::POST,
                service,
                &headers,
                query.to_string().into_bytes(),
            )
            .map_err(|e| refused(format!(" could not be reached: {e}")))?;
        let status = response.status();
        if !status.is_success() {
            let body = response.into_body().to_string().unwrap_or_default();
            let first_line = body.lines().next().unwrap_or_default();
            return Err(refused(format!(" answered {status}: {first_line}")));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let format = QueryResultsFormat::from_media_type(&content_type).ok_or_else(|| {
            refused(format!(
                " answered with '{content_type}', not SPARQL results"
            ))
        })?;
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(response.into_body())
            .map_err(|e| refused(format!(" sent unreadable results: {e}")))?;
        let ReaderQueryResultsParserOutput::Solutions(solutions) = parsed else {
            return Err(refused(" sent a boolean, not solutions".to_owned()));
        };
        let variables = solutions.variables().into();
        Ok(QuerySolutionIter::new(
            variables,
            solutions.map(|row| row.map_err(|e| QueryEvaluationError::Service(Box::new(e)))),
        ))
    }
}

impl DefaultServiceHandler for ServiceClient {
    type Error = ServiceRefused;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, Self::Error> {
        self.call(service_name, pattern, base_iri)
    }
}

/// A parser with cyberkg's prefixes predeclared.
pub fn parser() -> SparqlParser {
    let mut parser = SparqlParser::new();
    for (prefix, namespace) in PREFIXES {
        parser = match parser.clone().with_prefix(*prefix, *namespace) {
            Ok(with) => with,
            Err(_) => parser,
        };
    }
    parser
}

/// An evaluator with cyberkg's prefixes predeclared, the search service
/// answered by `services`' [`Search`], and every other `SERVICE` limited to
/// what `services` allows (Oxigraph's own unrestricted HTTP handler is in
/// the build because the SHACL crate enables it, and is never used).
pub fn evaluator(services: &Services) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new()
        .with_default_service_handler(ServiceClient::new(services.clone()))
        .with_service_handler(
            SEARCH_SERVICE.into_owned(),
            SearchService::new(services.search.clone()),
        );
    for (prefix, namespace) in PREFIXES {
        evaluator = match evaluator.clone().with_prefix(*prefix, *namespace) {
            Ok(with) => with,
            Err(_) => evaluator,
        };
    }
    evaluator
}

/// Why a query was not prepared: it is not SPARQL, or it calls a service
/// that is not allowed. Both name the query's origin (a file, the command
/// line, a request).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    /// Not SPARQL.
    #[error("{}", syntax_message(origin, *position, detail))]
    Syntax {
        /// Where the query came from (`q.rq`, `<command line>`).
        origin: String,
        /// The 1-based line and column the parser points at, when it does.
        position: Option<(usize, usize)>,
        /// What the parser expected or refused.
        detail: String,
    },
    /// A `SERVICE` that `--allow-service` does not allow.
    #[error("{origin}: {refused}")]
    ServiceRefused {
        /// Where the query came from.
        origin: String,
        /// Which service, and why.
        refused: ServiceRefused,
    },
    /// Beyond one of cyberkg's [`Limits`], found before parsing.
    #[error(
        "{origin}:{}:{}: the {operation} {limit}, cyberkg's limit for SPARQL it parses; simplify or split the {operation}",
        position.0,
        position.1
    )]
    Limit {
        /// Where the text came from.
        origin: String,
        /// A query or an update.
        operation: Operation,
        /// The 1-based line and column where the limit was exceeded.
        position: (usize, usize),
        /// Which limit, with its value.
        limit: Limit,
    },
    /// A prefixed name whose prefix is neither declared nor predeclared.
    #[error(
        "{origin}:{}:{}: the prefix '{prefix}:' is not declared; add 'PREFIX {prefix}: <IRI>' before the query, or use one of the predeclared prefixes ({})",
        position.0,
        position.1,
        predeclared_prefixes()
    )]
    UndeclaredPrefix {
        /// Where the text came from.
        origin: String,
        /// The 1-based line and column of the prefixed name.
        position: (usize, usize),
        /// The prefix, without its colon.
        prefix: String,
    },
    /// An update where a query was expected, or a query where an update was.
    #[error("{origin}: {}", wrong_operation(*expected))]
    WrongOperation {
        /// Where the text came from.
        origin: String,
        /// What was expected.
        expected: Operation,
    },
    /// The thread that parses could not be started.
    #[error("{origin}: cannot start a thread to parse the SPARQL text: {message}")]
    Thread {
        /// Where the text came from.
        origin: String,
        /// The operating system's reason.
        message: String,
    },
}

/// The predeclared prefixes, comma-separated.
fn predeclared_prefixes() -> String {
    let names: Vec<&str> = PREFIXES.iter().map(|(prefix, _)| *prefix).collect();
    names.join(", ")
}

fn wrong_operation(expected: Operation) -> &'static str {
    match expected {
        Operation::Query => {
            "this is a SPARQL update, not a query; cyberkg runs updates only at /update of a server started with 'cyberkg serve --writable' (and 'cyberkg load' adds RDF files)"
        }
        Operation::Update => {
            "this is a SPARQL query, not an update; send it to /query, or run it with 'cyberkg query'"
        }
    }
}

impl PrepareError {
    /// A syntax error from the parser's message ("error at 3:10: expected …").
    pub fn syntax(origin: &str, message: &str) -> Self {
        let located = message.strip_prefix("error at ").and_then(|rest| {
            let (position, detail) = rest.split_once(": ")?;
            let (line, column) = position.split_once(':')?;
            Some(((line.parse().ok()?, column.parse().ok()?), detail))
        });
        let (position, detail) = match located {
            Some((position, detail)) => (Some(position), detail),
            None => (None, message),
        };
        PrepareError::Syntax {
            origin: origin.to_owned(),
            position,
            detail: detail.to_owned(),
        }
    }
}

fn syntax_message(origin: &str, position: Option<(usize, usize)>, detail: &str) -> String {
    match position {
        Some((line, column)) => format!("{origin}:{line}:{column}: SPARQL syntax error: {detail}"),
        None => format!("{origin}: SPARQL syntax error: {detail}"),
    }
}

/// "error at 3:10: expected …" from `origin` becomes "ORIGIN:3:10: SPARQL syntax error: expected …".
pub fn syntax_error_message(origin: &str, message: &str) -> String {
    PrepareError::syntax(origin, message).to_string()
}

/// How much SPARQL text cyberkg reads: checked lexically, before parsing,
/// by [`check_limits`]. The parser and the evaluator recurse once per
/// nesting level and once per chained operator, so these two numbers bound
/// the depth of every tree built from the text, and [`SPARQL_STACK_BYTES`]
/// is sized for the deepest tree within them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes of one query or update ([`MAX_BYTES`]).
    pub max_bytes: usize,
    /// The deepest nesting of `(`, `{` and `[`, counted together ([`MAX_NESTING`]).
    pub max_nesting: usize,
    /// The most operators that each add a level to the algebra tree
    /// ([`MAX_OPERATORS`]): `UNION`, `OPTIONAL`, `MINUS`, `FILTER`, `BIND`,
    /// `GRAPH`, `SERVICE`, `EXISTS`, each `{` (a group, joined to its
    /// neighbours), `||`, `&&`, `+`, `-`, `*`, `/`, `|`, `^`, `!` and a
    /// path's `?`.
    pub max_operators: usize,
}

/// The most bytes of one query or update: 1 MiB, the server's body cap.
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest bracket nesting (`(`, `{`, `[` together).
pub const MAX_NESTING: usize = 64;
/// The most operators that deepen the algebra tree (see [`Limits::max_operators`]).
pub const MAX_OPERATORS: usize = 1000;

/// The stack of the threads that parse and evaluate SPARQL
/// ([`on_sparql_stack`]): enough for the deepest query within [`Limits`],
/// parsed and evaluated by a debug build, with room to spare.
pub const SPARQL_STACK_BYTES: usize = 256 << 20;

impl Limits {
    /// cyberkg's limits, in the CLI and the server alike.
    pub const DEFAULT: Limits = Limits {
        max_bytes: MAX_BYTES,
        max_nesting: MAX_NESTING,
        max_operators: MAX_OPERATORS,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Which limit of [`Limits`] a SPARQL text exceeds, with the limit's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Longer than `max_bytes`.
    Bytes(usize),
    /// Brackets nested deeper than `max_nesting`.
    Nesting(usize),
    /// More than `max_operators` tree-building operators.
    Operators(usize),
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Bytes(limit) => write!(f, "is longer than {limit} bytes"),
            Limit::Nesting(limit) => write!(
                f,
                "nests brackets ((, {{ and [ together) deeper than {limit} levels"
            ),
            Limit::Operators(limit) => write!(
                f,
                "has more than {limit} operators that each deepen its algebra (UNION, OPTIONAL, MINUS, FILTER, BIND, groups, ||, &&, arithmetic, property paths)"
            ),
        }
    }
}

/// Whether a SPARQL text is a query or an update, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// `SELECT`, `ASK`, `CONSTRUCT`, `DESCRIBE`.
    Query,
    /// `INSERT`, `DELETE`, `LOAD`, `CLEAR`, ….
    Update,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Query => "query",
            Operation::Update => "update",
        })
    }
}

/// What the lexical scan saw: the prefixes used and declared, for a
/// message naming an undeclared one.
#[derive(Debug, Default)]
struct Scan {
    /// `(prefix, byte offset)` of every prefixed name, in order.
    used: Vec<(String, usize)>,
    /// The prefixes of `PREFIX p: <…>` declarations.
    declared: Vec<String>,
}

/// The first prefix used but neither declared nor predeclared, and where.
fn undeclared_prefix(scan: &Scan) -> Option<&(String, usize)> {
    scan.used.iter().find(|(prefix, _)| {
        !scan.declared.contains(prefix) && !PREFIXES.iter().any(|(known, _)| known == prefix)
    })
}

/// Checks a SPARQL text against `limits` without parsing it: one pass over
/// its bytes, skipping string literals, IRIs (`<…>`) and `#` comments.
/// Returns the limit exceeded and the byte offset where.
pub fn check_limits(text: &str, limits: &Limits) -> Result<(), (Limit, usize)> {
    scan(text, limits).map(|_| ())
}

fn scan(text: &str, limits: &Limits) -> Result<Scan, (Limit, usize)> {
    if text.len() > limits.max_bytes {
        let mut at = limits.max_bytes;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        return Err((Limit::Bytes(limits.max_bytes), at));
    }
    let bytes = text.as_bytes();
    let mut found = Scan::default();
    let mut depth = 0usize;
    let mut operators = 0usize;
    let mut after_prefix_keyword = false;
    let mut i = 0;
    let mut operator = |at: usize| {
        operators += 1;
        if operators > limits.max_operators {
            Err((Limit::Operators(limits.max_operators), at))
        } else {
            Ok(())
        }
    };
    while i < bytes.len() {
        let byte = bytes[i];
        let start = i;
        match byte {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'<' => {
                if let Some(end) = iri_end(bytes, i) {
                    i = end;
                    continue;
                }
                i += 1;
                continue;
            }
            b'(' | b'{' | b'[' => {
                depth += 1;
                if depth > limits.max_nesting {
                    return Err((Limit::Nesting(limits.max_nesting), i));
                }
                if byte == b'{' {
                    operator(i)?;
                }
                i += 1;
                continue;
            }
            b')' | b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
                continue;
            }
            b'|' | b'&' => {
                // `||` and `&&` are one operator; a lone `|` is a path alternative.
                i += if bytes.get(i + 1) == Some(&byte) {
                    2
                } else {
                    1
                };
                operator(start)?;
                continue;
            }
            b'+' | b'-' | b'*' | b'/' | b'^' | b'!' => {
                i += 1;
                operator(start)?;
                continue;
            }
            b'?' | b'$' => {
                i += 1;
                if i < bytes.len() && is_name_byte(bytes[i]) {
                    while i < bytes.len() && is_name_byte(bytes[i]) {
                        i += 1;
                    }
                } else if byte == b'?' {
                    // A path's "zero or one".
                    operator(start)?;
                }
                continue;
            }
            b'0'..=b'9' => {
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                    i += 1;
                    if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                        i += 1;
                    }
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                continue;
            }
            _ if is_name_byte(byte) || byte == b':' => {
                while i < bytes.len() && (is_name_byte(bytes[i]) || b"-.:%\\".contains(&bytes[i])) {
                    // `\` escapes the next character of a local name.
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let mut end = i.min(bytes.len());
                while end > start + 1 && bytes[end - 1] == b'.' {
                    end -= 1;
                }
                i = end;
                let word = &text[start..end];
                if after_prefix_keyword {
                    after_prefix_keyword = false;
                    if let Some(prefix) = word.strip_suffix(':') {
                        found.declared.push(prefix.to_owned());
                        continue;
                    }
                }
                if let Some((prefix, _)) = word.split_once(':') {
                    if prefix != "_" {
                        found.used.push((prefix.to_owned(), start));
                    }
                } else if word.eq_ignore_ascii_case("PREFIX") {
                    after_prefix_keyword = true;
                } else if [
                    "UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "EXISTS",
                ]
                .iter()
                .any(|keyword| word.eq_ignore_ascii_case(keyword))
                {
                    operator(start)?;
                }
                continue;
            }
            _ => {
                i += 1;
            }
        }
    }
    Ok(found)
}

/// A byte that may be part of a variable, a keyword or a prefixed name
/// (any byte of a non-ASCII character counts).
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The offset after the string literal starting at `start` (its end if unclosed).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let long = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if long { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => {
                if !long {
                    return i + 1;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    return i + 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The offset after the IRI `<…>` starting at `start`, if it is one (and
/// not a `<` comparison).
fn iri_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i + 1),
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' | 0..=b' ' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Runs `work` on a thread with a [`SPARQL_STACK_BYTES`] stack and waits
/// for it: parsing, optimizing, evaluating and dropping a query recurse
/// over its tree, which [`Limits`] bound but a caller's stack (2 MiB for a
/// spawned thread) may not hold. A panic in `work` is resumed here; the
/// error is the operating system's refusal to start the thread.
pub fn on_sparql_stack<T: Send>(work: impl FnOnce() -> T + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("cyberkg sparql".to_owned())
            .stack_size(SPARQL_STACK_BYTES)
            .spawn_scoped(scope, work)?;
        match worker.join() {
            Ok(value) => Ok(value),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Checks, then parses, a query (with cyberkg's prefixes) on a thread with
/// a stack for [`Limits::DEFAULT`]: the one entry point for SPARQL a user
/// sends. `origin` names it in messages (`q.rq`, `<command line>`, `query`).
pub fn parse_query(text: &str, origin: &str) -> Result<Query, PrepareError> {
    let query = parse(text, origin, Operation::Query, |text| {
        parser().parse_query(text).map_err(|e| e.to_string())
    })?;
    Ok(query)
}

/// Checks, then parses, an update, as [`parse_query`] does a query.
pub fn parse_update(text: &str, origin: &str) -> Result<Update, PrepareError> {
    parse(text, origin, Operation::Update, |text| {
        parser().parse_update(text).map_err(|e| e.to_string())
    })
}

fn parse<T: Send>(
    text: &str,
    origin: &str,
    operation: Operation,
    parse: impl FnOnce(&str) -> Result<T, String> + Send,
) -> Result<T, PrepareError> {
    let scanned = scan(text, &Limits::DEFAULT).map_err(|(limit, offset)| PrepareError::Limit {
        origin: origin.to_owned(),
        operation,
        position: line_column(text, offset),
        limit,
    })?;
    let parsed = on_sparql_stack(|| match parse(text) {
        Ok(parsed) => Ok(parsed),
        Err(message) => {
            // Why it failed, said better than the parser's list of expected tokens.
            let other = match operation {
                Operation::Query => parser().parse_update(text).is_ok(),
                Operation::Update => parser().parse_query(text).is_ok(),
            };
            Err((message, other))
        }
    })
    .map_err(|error| PrepareError::Thread {
        origin: origin.to_owned(),
        message: error.to_string(),
    })?;
    let (message, other) = match parsed {
        Ok(parsed) => return Ok(parsed),
        Err(failure) => failure,
    };
    if other {
        return Err(PrepareError::WrongOperation {
            origin: origin.to_owned(),
            expected: operation,
        });
    }
    let error = PrepareError::syntax(origin, &message);
    if let Some((prefix, offset)) = undeclared_prefix(&scanned) {
        let position = line_column(text, *offset);
        let before_error = match &error {
            PrepareError::Syntax {
                position: Some(at), ..
            } => position <= *at,
            _ => true,
        };
        if before_error {
            return Err(PrepareError::UndeclaredPrefix {
                origin: origin.to_owned(),
                position,
                prefix: prefix.clone(),
            });
        }
    }
    Err(error)
}

/// Parses a query ([`parse_query`]) and checks its `SERVICE`s; the default
/// graph is the union of all graphs unless the query names its dataset.
pub fn prepare(
    query: &str,
    origin: &str,
    services: &Services,
) -> Result<PreparedSparqlQuery, PrepareError> {
    prepare_cancellable(query, origin, services, CancellationToken::new())
}

/// [`prepare`], with a token that stops the evaluation when cancelled (at
/// its next read of the store: a deadline needs a watchdog as well).
pub fn prepare_cancellable(
    query: &str,
    origin: &str,
    services: &Services,
    token: CancellationToken,
) -> Result<PreparedSparqlQuery, PrepareError> {
    let query = parse_checked(query, origin, services)?;
    Ok(prepare_parsed(query, services, token))
}

/// Parses a query ([`parse_query`]) and checks its `SERVICE`s against
/// `services`, without preparing it: a front end reports a bad query before
/// it opens the store, then prepares it with the store's search
/// ([`prepare_parsed`]).
pub fn parse_checked(
    query: &str,
    origin: &str,
    services: &Services,
) -> Result<Query, PrepareError> {
    let query = parse_query(query, origin)?;
    services
        .check_query(&query)
        .map_err(|refused| PrepareError::ServiceRefused {
            origin: origin.to_owned(),
            refused,
        })?;
    Ok(query)
}

/// Prepares a query [`parse_checked`] returned; the default graph is the
/// union of all graphs unless the query names its dataset.
pub fn prepare_parsed(
    query: Query,
    services: &Services,
    token: CancellationToken,
) -> PreparedSparqlQuery {
    let mut prepared = evaluator(services)
        .with_cancellation_token(token)
        .for_query(query);
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    prepared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_positions() {
        assert_eq!(
            syntax_error_message("q.rq", "error at 2:7: expected one of \"{\""),
            "q.rq:2:7: SPARQL syntax error: expected one of \"{\""
        );
        assert_eq!(
            syntax_error_message("q.rq", "The blank node _:b cannot be shared"),
            "q.rq: SPARQL syntax error: The blank node _:b cannot be shared"
        );
    }

    fn run(prepared: PreparedSparqlQuery) -> String {
        let store = oxigraph::store::Store::new().unwrap_or_else(|e| panic!("{e}"));
        match prepared.on_store(&store).execute() {
            Ok(oxigraph::sparql::QueryResults::Solutions(mut solutions)) => solutions
                .find_map(Result::err)
                .map(|e| e.to_string())
                .unwrap_or_else(|| "no error".to_owned()),
            Ok(_) => "no error".to_owned(),
            Err(e) => e.to_string(),
        }
    }

    fn hosts(values: &[&str]) -> Services {
        Services::allowing(
            values
                .iter()
                .map(|v| v.parse().unwrap_or_else(|e| panic!("{e}")))
                .collect(),
            Duration::from_secs(2),
        )
    }

    #[test]
    fn service_is_refused_before_the_query_runs() {
        let refused = prepare(
            "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
            "q.rq",
            &Services::none(),
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            refused.as_deref(),
            Some(
                "q.rq: SERVICE <https://query.wikidata.org/sparql> is not allowed: cyberkg calls no other endpoint unless --allow-service names its host (--allow-service query.wikidata.org)"
            )
        );
        // Hidden in an EXISTS, a nested SERVICE, or named by a variable.
        for query in [
            "ASK { FILTER EXISTS { SERVICE <http://a.example/> { ?s ?p ?o } } }",
            "SELECT * { SERVICE <http://allowed.example/> { SERVICE <http://a.example/> { ?s ?p ?o } } }",
            "SELECT * { ?x ?y ?z OPTIONAL { SERVICE ?x { ?s ?p ?o } } }",
        ] {
            let error = prepare(query, "q", &hosts(&["allowed.example"]))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                error.starts_with("q: SERVICE <http://a.example/> is not allowed: a.example is not among the hosts --allow-service names (allowed.example)")
                    || error.starts_with("q: SERVICE ?x is not allowed: a service named by a variable"),
                "{query}: {error}"
            );
        }
    }

    #[test]
    fn the_handler_checks_the_host_again() {
        // Prepared without the check (as a variable service name would be).
        let prepared = evaluator(&Services::none())
            .parse_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
            .unwrap_or_else(|e| panic!("{e}"));
        let error = run(prepared);
        assert!(
            error.contains("SERVICE <http://127.0.0.1:9/sparql> is not allowed"),
            "{error}"
        );
    }

    #[test]
    fn an_allowed_but_unreachable_service_is_a_clear_error() {
        // Nothing listens on the port: the connection is refused.
        let port = crate::http::free_loopback_port();
        let endpoint = format!("http://127.0.0.1:{port}/sparql");
        let prepared = prepare(
            &format!("SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"),
            "q",
            &hosts(&[&format!("127.0.0.1:{port}")]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let error = run(prepared);
        assert!(
            error.contains(&format!("SERVICE <{endpoint}> could not be reached")),
            "{error}"
        );
        let silent = prepare(
            &format!("SELECT * WHERE {{ SERVICE SILENT <{endpoint}> {{ ?s ?p ?o }} }}"),
            "q",
            &hosts(&["127.0.0.1"]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(run(silent), "no error", "SILENT skips the failed call");
    }

    #[test]
    fn allowed_hosts_are_matched_by_host_and_port() {
        let services = hosts(&["Query.Wikidata.org", "127.0.0.1:7879", "[::1]:8000"]);
        for allowed in [
            "https://query.wikidata.org/sparql",
            "http://QUERY.wikidata.org:8080/sparql",
            "http://127.0.0.1:7879/query",
            "http://[::1]:8000/query",
        ] {
            assert_eq!(services.check(allowed), Ok(()), "{allowed}");
        }
        for refused in [
            "http://127.0.0.1:7878/query",
            "http://127.0.0.1/query",
            "https://wikidata.org/sparql",
            "ftp://query.wikidata.org/sparql",
            "urn:x-service:1",
        ] {
            assert!(services.check(refused).is_err(), "{refused}");
        }
        assert_eq!(
            hosts(&["example.org:443"]).check("https://example.org/sparql"),
            Ok(()),
            "https's default port is 443"
        );
    }

    #[test]
    fn allow_service_values_are_validated() {
        for good in [
            "query.wikidata.org",
            "127.0.0.1:7878",
            "[::1]:7878",
            "[::1]",
        ] {
            assert!(good.parse::<ServiceHost>().is_ok(), "{good}");
        }
        for (bad, why) in [
            ("https://query.wikidata.org/sparql", "give the host alone"),
            ("query.wikidata.org/sparql", "give the host alone"),
            ("127.0.0.1:http", "the port is not a number"),
            ("127.0.0.1:0", "the port is not a number"),
            ("::1", "write an IPv6 address in brackets"),
            ("", "the host is empty"),
            (":80", "the host is empty"),
            ("[::1", "'[' without ']'"),
        ] {
            let error = bad.parse::<ServiceHost>().err().unwrap_or_default();
            assert!(
                error.starts_with(&format!("'{bad}' is not a HOST or HOST:PORT: "))
                    && error.contains(why),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn from_clauses_are_respected() {
        assert!(
            prepare("SELECT * WHERE { ?s ?p ?o }", "q", &Services::none())
                .is_ok_and(|p| !p.dataset().is_default_dataset())
        );
        assert!(
            prepare(
                "SELECT * FROM <http://e.org/g> WHERE { ?s ?p ?o }",
                "q",
                &Services::none()
            )
            .is_ok_and(|p| !p.dataset().is_default_dataset()
                && p.dataset()
                    .default_graph_graphs()
                    .is_some_and(|g| g.len() == 1))
        );
        assert_eq!(
            prepare("SELECT", "<command line>", &Services::none())
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "<command line>:1:7: SPARQL syntax error: expected one of \"$\", \"(\", \"*\", \"?\", PREFIX, [_]"
            )
        );
    }

    #[test]
    fn limits_are_checked_lexically() {
        let limits = Limits {
            max_bytes: 100,
            max_nesting: 3,
            max_operators: 3,
        };
        for (text, expected) in [
            ("ASK {}", Ok(())),
            ("ASK { FILTER(((1))) }", Err((Limit::Nesting(3), 14))),
            // Brackets, operators and comments inside strings, IRIs and comments do not count.
            ("ASK { FILTER(\"(((|| + /\" = '[[[') }", Ok(())),
            ("ASK { <http://e.org/(((> ?p ?o } # ((( UNION UNION", Ok(())),
            ("ASK { FILTER(\"\"\"a \" (((\"\"\" = 'it\\'s') }", Ok(())),
            // `<` as a comparison is not an IRI.
            ("ASK { FILTER(1 < 2 && 2 > 1) }", Ok(())),
            (
                "ASK { FILTER(1 < 2 || 2 > 1 || 3) }",
                Err((Limit::Operators(3), 28)),
            ),
            // `SELECT *` counts too (the count is an upper bound): the second `{` is the fourth.
            (
                "SELECT * { ?s ?p ?o } UNION { } UNION { }",
                Err((Limit::Operators(3), 28)),
            ),
            // Variables, hyphenated names and numbers are not operators.
            ("ASK { ?a ex:b-c-d 1.5e-3 }", Ok(())),
            (&"x".repeat(101), Err((Limit::Bytes(100), 100))),
        ] {
            assert_eq!(check_limits(text, &limits), expected, "{text}");
        }
    }

    #[test]
    fn texts_beyond_the_limits_are_one_sentence() {
        let deep = format!("ASK{{FILTER({}1{})}}", "(".repeat(1000), ")".repeat(1000));
        assert_eq!(
            parse_query(&deep, "q")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "q:1:74: the query nests brackets ((, { and [ together) deeper than 64 levels, cyberkg's limit for SPARQL it parses; simplify or split the query"
            )
        );
        let unions = format!(
            "INSERT {{}} WHERE {{ {} }}",
            vec!["{}"; 600].join(" UNION ")
        );
        assert!(matches!(
            parse_update(&unions, "u"),
            Err(PrepareError::Limit {
                operation: Operation::Update,
                limit: Limit::Operators(MAX_OPERATORS),
                ..
            })
        ));
        let within = format!("ASK{{FILTER({}1{})}}", "(".repeat(62), ")".repeat(62));
        assert!(parse_query(&within, "q").is_ok());
    }

    #[test]
    fn an_undeclared_prefix_is_named() {
        assert_eq!(
            parse_query("SELECT * {\n ?s foo:bar ?o }", "q")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "q:2:5: the prefix 'foo:' is not declared; add 'PREFIX foo: <IRI>' before the query, or use one of the predeclared prefixes (cyberkg, dcat, oa, org, skos, dcterms, deo, doco, owl, prov, rdf, rdfs, schema, void, xsd)"
            )
        );
        // Declared, or a predeclared one: parsed.
        assert!(
            parse_query(
                "PREFIX foo: <http://e.org/> SELECT * { ?s foo:bar ?o }",
                "q"
            )
            .is_ok()
        );
        assert!(parse_query("SELECT * { ?s dcterms:title ?o }", "q").is_ok());
        // A syntax error before the prefix is still reported as such.
        assert!(matches!(
            parse_query("SELECT * WHERE ?s { ?s foo:bar ?o }", "q"),
            Err(PrepareError::Syntax { .. })
        ));
    }

    #[test]
    fn an_update_is_not_a_query_and_the_reverse() {
        assert_eq!(
            parse_query("INSERT DATA { <http://e.org/s> <http://e.org/p> 1 }", "q")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "q: this is a SPARQL update, not a query; cyberkg runs updates only at /update of a server started with 'cyberkg serve --writable' (and 'cyberkg load' adds RDF files)"
            )
        );
        assert_eq!(
            parse_update("ASK {}", "u")
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "u: this is a SPARQL query, not an update; send it to /query, or run it with 'cyberkg query'"
            )
        );
    }
}
