//! The Graph Store Protocol, read-only: `GET /store`.
//!
//! `?graph=IRI` is one named graph; `?default` is the default graph, which
//! here is the union of the named graphs (as for queries: cyberkg's own
//! default graph is empty); no parameter is the whole dataset, in a quad
//! syntax (N-Quads by default, or TriG). Invariant: the bytes are those of
//! `cyberkg export` for the same graph and format (sorted, same prefixes).

use super::media::{RDF_OFFERS, rdf_media_type};
use super::negotiate::{choose, not_acceptable};
use super::{App, Reply, Request, StatusCode};
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
pub fn get(app: &App, request: &Request) -> Reply {
    if !request.method.is_read() {
        return Reply::text(
            StatusCode::METHOD_NOT_ALLOWED,
            "the Graph Store Protocol is read-only here: /store accepts only GET and HEAD",
        )
        .with_header("allow", "GET, HEAD");
    }
    let target = match target(request) {
        Ok(target) => target,
        Err(reply) => return reply,
    };
    let dataset_offers: Vec<(&str, ExportFormat)> = RDF_OFFERS
        .iter()
        .filter(|(_, format)| format.is_dataset())
        .copied()
        .collect();
    let triple_offers: Vec<(&str, ExportFormat)> = RDF_OFFERS
        .iter()
        .filter(|(_, format)| !format.is_dataset())
        .copied()
        .collect();
    let offers: &[(&str, ExportFormat)] = match target {
        Target::Dataset => &dataset_offers,
        Target::Default => &triple_offers,
        Target::Graph(_) => RDF_OFFERS,
    };
    let accept = request.accept.as_deref();
    let Some(format) = choose(accept, offers) else {
        return Reply::text(StatusCode::NOT_ACCEPTABLE, not_acceptable(accept, offers));
    };
    let graph = match &target {
        Target::Graph(graph) => {
            match app
                .store
                .contains_named_graph(NamedOrBlankNodeRef::NamedNode(graph.as_ref()))
            {
                Ok(true) => Some(graph),
                Ok(false) => {
                    return Reply::text(
                        StatusCode::NOT_FOUND,
                        format!("the store has no graph <{}>", graph.as_str()),
                    );
                }
                Err(error) => return super::internal(&error.into()),
            }
        }
        Target::Dataset | Target::Default => None,
    };
    let mut body = Vec::new();
    match write_store(&app.store, graph, format, &mut body) {
        Ok(()) => Reply::bytes(StatusCode::OK, &rdf_media_type(format), body)
            .with_header("vary", "accept"),
        Err(error) => Reply::text(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    }
}

/// Reads `?default` or `?graph=IRI`.
fn target(request: &Request) -> Result<Target, Reply> {
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
            .map_err(|e| {
                Reply::text(
                    StatusCode::BAD_REQUEST,
                    format!("invalid graph IRI '{iri}': {e}"),
                )
            }),
        _ => Err(Reply::text(
            StatusCode::BAD_REQUEST,
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
