//! SPARQL as cyberkg runs it, in the CLI and the server alike.
//!
//! Invariants: the prefixes of the vocabulary contract are predeclared; the
//! default graph is the union of the named graphs unless the query names its
//! own dataset (`FROM`, `FROM NAMED`), which is then respected; a syntax
//! error reads `ORIGIN:LINE:COLUMN: SPARQL syntax error: …`; a query reaches
//! another host only through a `SERVICE` whose host `--allow-service` names
//! ([`Services`]), checked before evaluation and again at the call.

use crate::graph::vocab::PREFIXES;
use crate::http;
use iri_string::types::IriStr;
use oxhttp::model::header::{ACCEPT, CONTENT_TYPE};
use oxigraph::model::NamedNode;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{
    DefaultServiceHandler, PreparedSparqlQuery, QueryEvaluationError, QuerySolutionIter,
    SparqlEvaluator,
};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::NamedNodePattern;
use spargebra::{Query, SparqlParser};
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

/// Which `SERVICE` endpoints a query may call, and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Services {
    allowed: Vec<ServiceHost>,
    timeout: Duration,
}

impl Services {
    /// No `SERVICE` is called: the default everywhere.
    pub fn none() -> Self {
        Self {
            allowed: Vec::new(),
            timeout: Duration::from_secs(30),
        }
    }

    /// Calls to these hosts are allowed, each bounded by `timeout`.
    pub fn allowing(allowed: Vec<ServiceHost>, timeout: Duration) -> Self {
        Self { allowed, timeout }
    }

    /// Whether any host is allowed.
    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty()
    }

    /// Whether a `SERVICE` IRI may be called; the reason if not.
    pub fn check(&self, service: &str) -> Result<(), ServiceRefused> {
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

/// An evaluator with cyberkg's prefixes predeclared and `SERVICE` limited
/// to what `services` allows (Oxigraph's own unrestricted HTTP handler is
/// in the build because the SHACL crate enables it, and is never used).
pub fn evaluator(services: &Services) -> SparqlEvaluator {
    let mut evaluator =
        SparqlEvaluator::new().with_default_service_handler(ServiceClient::new(services.clone()));
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

/// Parses a query and checks its `SERVICE`s; the default graph is the union
/// of all graphs unless the query names its dataset.
pub fn prepare(
    query: &str,
    origin: &str,
    services: &Services,
) -> Result<PreparedSparqlQuery, PrepareError> {
    let query = parser()
        .parse_query(query)
        .map_err(|e| PrepareError::syntax(origin, &e.to_string()))?;
    services
        .check_query(&query)
        .map_err(|refused| PrepareError::ServiceRefused {
            origin: origin.to_owned(),
            refused,
        })?;
    let mut prepared = evaluator(services).for_query(query);
    if prepared.dataset().is_default_dataset() {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok(prepared)
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
}
