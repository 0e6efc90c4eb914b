//! The Graph Store Protocol, read-only: `GET /store`.
//!
//! `?graph=IRI` is one named graph; `?default` is the default graph, which
//! here is the union of the named graphs (as for queries: cyberkg's own
//! default graph is empty); no parameter is the whole dataset, in a quad
//! syntax (N-Quads by default, or TriG). Invariant: the bytes are those of
//! `cyberkg export` for the same graph and format (sorted, same prefixes).

use super::app::App;
use super::error::{HandlerResult, HttpError};
use super::media::{rdf_media_type, store_offers};
use super::negotiate::{choose, not_acceptable};
use super::request::{Reply, Request, StatusCode};
use cyberkg::export::{ExportFormat, write_store};
use oxigraph::model::{NamedNode, NamedOrBlankNodeRef};

/// What a request asks for.
enum Target {
    /// The whole dataset.
    Dataset,
    /// The default graph (the union).
    Default,
    /// A named graph.
    Graph(NamedNode),
}

/// `/store`.
pub fn get(app: &App, request: &Request) -> HandlerResult {
    if !request.method.is_read() {
        return Err(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "the Graph Store Protocol is read-only here: /store accepts only GET and HEAD",
        )
        .with_header("allow", "GET, HEAD"));
    }
    let target = target(request)?;
    let offers = match target {
        Target::Dataset => store_offers(ExportFormat::is_dataset),
        Target::Default => store_offers(|format| !format.is_dataset()),
        Target::Graph(_) => store_offers(|_| true),
    };
    let accept = request.accept.as_deref();
    let format = choose(accept, &offers)
        .ok_or_else(|| HttpError::not_acceptable(not_acceptable(accept, &offers)))?;
    let graph = match &target {
        Target::Graph(graph) => {
            if !app
                .store
                .contains_named_graph(NamedOrBlankNodeRef::NamedNode(graph.as_ref()))?
            {
                return Err(HttpError::not_found(format!(
                    "the store has no graph <{}>",
                    graph.as_str()
                )));
            }
            Some(graph)
        }
        Target::Dataset | Target::Default => None,
    };
    let mut body = Vec::new();
    write_store(&app.store, graph, format, &mut body)
        .map_err(|error| HttpError::internal(error.to_string()))?;
    Ok(Reply::bytes(StatusCode::OK, &rdf_media_type(format), body).with_header("vary", "accept"))
}

/// Reads `?default` or `?graph=IRI`.
fn target(request: &Request) -> Result<Target, HttpError> {
    let parameters = request.parameters();
    let default = parameters.iter().any(|(name, _)| name == "default");
    let graphs: Vec<&String> = parameters
        .iter()
        .filter(|(name, _)| name == "graph")
        .map(|(_, value)| value)
        .collect();
    match (default, graphs.as_slice()) {
        (false, []) => Ok(Target::Dataset),
        (true, []) => Ok(Target::Default),
        (false, [iri]) => NamedNode::new(iri.as_str())
            .map(Target::Graph)
            .map_err(|e| HttpError::bad_request(format!("invalid graph IRI '{iri}': {e}"))),
        _ => Err(HttpError::bad_request(
            "ask for one graph: either ?default or one ?graph=IRI",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::app;

    #[test]
    fn the_three_targets() {
        let app = app();
        let dataset = app.handle(&Request::get("/store"));
        assert_eq!(dataset.status, StatusCode::OK);
        assert_eq!(
            dataset.header("content-type"),
            Some("application/n-quads; charset=utf-8")
        );
        assert_eq!(
            dataset.body_text().lines().count(),
            app.store.len().expect("len")
        );
        let default =
            app.handle(&Request::get("/store?default").with_accept("application/n-triples"));
        assert_eq!(default.status, StatusCode::OK);
        let metadata = app.handle(
            &Request::get("/store?graph=https%3A%2F%2Fw3id.org%2Fcyberkg%2Fgraph%2Fmetadata")
                .with_accept("application/n-triples"),
        );
        assert_eq!(metadata.status, StatusCode::OK);
        assert!(metadata.body_text().lines().count() < default.body_text().lines().count());
        assert!(
            metadata
                .body_text()
                .contains("<http://rdfs.org/ns/void#Dataset>")
        );
    }

    #[test]
    fn refusals() {
        let app = app();
        let table = [
            (
                Request::get("/store?graph=https%3A%2F%2Fexample.org%2Fnone"),
                StatusCode::NOT_FOUND,
            ),
            (
                Request::get("/store?graph=not%20an%20iri"),
                StatusCode::BAD_REQUEST,
            ),
            (
                Request::get("/store?default&graph=https%3A%2F%2Fexample.org%2F"),
                StatusCode::BAD_REQUEST,
            ),
            (
                Request::get("/store").with_accept("text/turtle"),
                StatusCode::NOT_ACCEPTABLE,
            ),
            (
                Request::get("/store?default").with_accept("application/n-quads"),
                StatusCode::NOT_ACCEPTABLE,
            ),
            (
                Request::post("/store", "text/turtle", "<a> <b> <c> ."),
                StatusCode::METHOD_NOT_ALLOWED,
            ),
        ];
        for (request, status) in table {
            let reply = app.handle(&request);
            assert_eq!(reply.status, status, "{request:?}: {}", reply.body_text());
        }
    }
}
