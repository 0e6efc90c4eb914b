//! SPARQL as cyberkg runs it, in the CLI and the server alike.
//!
//! Invariants: the prefixes of the vocabulary contract are predeclared; the
//! default graph is the union of the named graphs unless the query names its
//! own dataset (`FROM`, `FROM NAMED`), which is then respected; a syntax
//! error reads `ORIGIN:LINE:COLUMN: SPARQL syntax error: …`.

use crate::graph::vocab::PREFIXES;
use oxigraph::model::NamedNode;
use oxigraph::sparql::{
    DefaultServiceHandler, PreparedSparqlQuery, QuerySolutionIter, SparqlEvaluator,
};

/// Why a `SERVICE` call was not made.
#[derive(Debug, thiserror::Error)]
#[error("SERVICE <{0}> is not allowed: cyberkg makes no network request from a query")]
pub struct ServiceRefused(String);

/// Refuses every `SERVICE`: no query reaches the network. (Oxigraph's own
/// HTTP service handler is in the build because the SHACL crate enables it.)
struct NoService;

impl DefaultServiceHandler for NoService {
    type Error = ServiceRefused;

    fn handle(
        &self,
        service_name: &NamedNode,
        _pattern: &spargebra::algebra::GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, Self::Error> {
        Err(ServiceRefused(service_name.as_str().to_owned()))
    }
}

/// An evaluator with cyberkg's prefixes predeclared and `SERVICE` refused.
pub fn evaluator() -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new().with_default_service_handler(NoService);
    for (prefix, namespace) in PREFIXES {
        evaluator = match evaluator.clone().with_prefix(*prefix, *namespace) {
            Ok(with) => with,
            Err(_) => evaluator,
        };
    }
    evaluator
}

/// "error at 3:10: expected …" from `origin` becomes "ORIGIN:3:10: SPARQL syntax error: expected …".
pub fn syntax_error_message(origin: &str, message: &str) -> String {
    let located = message.strip_prefix("error at ").and_then(|rest| {
        let (position, detail) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        let (line, column): (usize, usize) = (line.parse().ok()?, column.parse().ok()?);
        Some(format!(
            "{origin}:{line}:{column}: SPARQL syntax error: {detail}"
        ))
    });
    located.unwrap_or_else(|| format!("{origin}: SPARQL syntax error: {message}"))
}

/// Parses a query; the default graph is the union of all graphs unless the query names its dataset.
pub fn prepare(query: &str, origin: &str) -> Result<PreparedSparqlQuery, String> {
    let mut prepared = evaluator()
        .parse_query(query)
        .map_err(|e| syntax_error_message(origin, &e.to_string()))?;
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

    #[test]
    fn service_is_refused() {
        let store = oxigraph::store::Store::new().unwrap_or_else(|e| panic!("{e}"));
        let prepared = prepare(
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "q",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let error = match prepared.on_store(&store).execute() {
            Ok(oxigraph::sparql::QueryResults::Solutions(mut solutions)) => {
                solutions.find_map(Result::err).map(|e| e.to_string())
            }
            Ok(_) => None,
            Err(e) => Some(e.to_string()),
        }
        .unwrap_or_default();
        assert!(
            error.contains("SERVICE <http://127.0.0.1:9/sparql> is not allowed"),
            "{error}"
        );
    }

    #[test]
    fn from_clauses_are_respected() {
        assert!(
            prepare("SELECT * WHERE { ?s ?p ?o }", "q")
                .is_ok_and(|p| !p.dataset().is_default_dataset())
        );
        assert!(
            prepare("SELECT * FROM <http://e.org/g> WHERE { ?s ?p ?o }", "q").is_ok_and(|p| !p
                .dataset()
                .is_default_dataset()
                && p.dataset()
                    .default_graph_graphs()
                    .is_some_and(|g| g.len() == 1))
        );
        assert_eq!(
            prepare("SELECT", "<command line>").err().as_deref(),
            Some(
                "<command line>:1:7: SPARQL syntax error: expected one of \"$\", \"(\", \"*\", \"?\", PREFIX, [_]"
            )
        );
    }
}
