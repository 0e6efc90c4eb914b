//! Dereferencing: every IRI under the base is served at its path, and the
//! dataset description at `/.well-known/void`.
//!
//! The resource `<base>X` is served at `/X`, whatever host and port the
//! server listens on: nothing is rewritten, so with the default base a
//! local request for `/iscc2017/en-un/chapter-4` describes
//! `<https://w3id.org/cyberkg/iscc2017/en-un/chapter-4>` (build with
//! `--base http://127.0.0.1:7878/` for IRIs that resolve locally).
//! Invariant: a description holds every triple whose subject is the
//! resource or one of its fragments (`…/paragraph-3#text-span`), from every
//! graph, plus the `dcterms:title` and `skos:prefLabel` of the IRIs those
//! triples point to; it is empty exactly when the resource is unknown (404).

use super::app::App;
use super::error::ServeError;
use super::error::{HandlerResult, HttpError};
use super::media::{GRAPH_OFFERS, GraphFormat, rdf_media_type};
use super::negotiate::{choose, not_acceptable};
use super::pages;
use super::request::{Reply, Request, StatusCode};
use cyberkg::export::{ExportFormat, sort_triples, write_store, write_triples};
use cyberkg::graph::vocab::{dcterms, skos};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::store::Store;
use std::collections::{BTreeSet, HashSet};

/// The triples that describe `resource` (see the module documentation), sorted.
///
/// The fragments are found through the links between the resource and
/// them, in both directions (a span is the object of its part's
/// `cyberkg:textSpan`; a mention's target points at its part with
/// `oa:hasSource`, its annotation at the target with `oa:hasTarget`), so a
/// description costs the index lookups of the resource and its fragments,
/// never a pass over the store.
pub fn description(store: &Store, resource: &NamedNode) -> Result<Vec<Triple>, ServeError> {
    let fragment_prefix = format!("{}#", resource.as_str());
    let is_fragment = |node: &NamedNode| node.as_str().starts_with(&fragment_prefix);
    let mut triples = Vec::new();
    let mut reached = HashSet::from([resource.clone()]);
    let mut frontier = vec![resource.clone()];
    while let Some(node) = frontier.pop() {
        for quad in store.quads_for_pattern(Some(node.as_ref().into()), None, None, None) {
            let quad = quad?;
            if let Term::NamedNode(object) = &quad.object
                && is_fragment(object)
                && reached.insert(object.clone())
            {
                frontier.push(object.clone());
            }
            triples.push(quad.into());
        }
        for quad in store.quads_for_pattern(None, None, Some(node.as_ref().into()), None) {
            if let NamedOrBlankNode::NamedNode(subject) = quad?.subject
                && is_fragment(&subject)
                && !reached.contains(&subject)
            {
                reached.insert(subject.clone());
                frontier.push(subject);
            }
        }
    }
    if triples.is_empty() {
        return Ok(triples);
    }
    let subjects: BTreeSet<String> = triples.iter().map(|t| t.subject.to_string()).collect();
    let neighbours: BTreeSet<NamedNode> = triples
        .iter()
        .filter_map(|triple| match &triple.object {
            Term::NamedNode(node) if !subjects.contains(&triple.object.to_string()) => {
                Some(node.clone())
            }
            _ => None,
        })
        .collect();
    for neighbour in &neighbours {
        for predicate in [dcterms::TITLE, skos::PREF_LABEL] {
            for quad in store.quads_for_pattern(
                Some(neighbour.as_ref().into()),
                Some(predicate),
                None,
                None,
            ) {
                triples.push(quad?.into());
            }
        }
    }
    sort_triples(&mut triples);
    Ok(triples)
}

/// A resource under the base: its description, as RDF or as a page.
pub fn resource(app: &App, request: &Request) -> HandlerResult {
    if !request.method.is_read() {
        return Err(HttpError::method_not_allowed(&request.path, "GET and HEAD"));
    }
    let path = request.path.strip_prefix('/').unwrap_or(&request.path);
    let iri = format!("{}{path}", app.base);
    let not_found = || HttpError::not_found(format!("no resource <{iri}> in this graph"));
    let resource = NamedNode::new(iri.as_str()).map_err(|_| not_found())?;
    let page = page_number(request)?;
    let triples = description(&app.store, &resource)?;
    if triples.is_empty() {
        return Err(not_found());
    }
    let reply = match negotiate(request)? {
        GraphFormat::Rdf(format) => rdf_reply(&triples, format)?,
        GraphFormat::Html => Reply::page(pages::resource(app, &resource, &triples, page)?),
    };
    Ok(reply.with_header("vary", "accept"))
}

/// `/.well-known/void`: the graph `<base>graph/metadata` (Turtle by default).
pub fn void(app: &App, request: &Request) -> HandlerResult {
    if !request.method.is_read() {
        return Err(HttpError::method_not_allowed(
            "/.well-known/void",
            "GET and HEAD",
        ));
    }
    let graph = NamedNode::new(format!("{}graph/metadata", app.base))
        .map_err(|error| HttpError::internal(error.to_string()))?;
    let reply = match negotiate(request)? {
        GraphFormat::Rdf(format) => {
            let mut body = Vec::new();
            write_store(&app.store, Some(&graph), format, &mut body)
                .map_err(|error| HttpError::internal(error.to_string()))?;
            Reply::bytes(StatusCode::OK, &rdf_media_type(format), body)
        }
        GraphFormat::Html => {
            let mut triples = app
                .store
                .quads_for_pattern(
                    None,
                    None,
                    None,
                    Some(GraphNameRef::NamedNode(graph.as_ref())),
                )
                .map(|quad| quad.map(Triple::from))
                .collect::<Result<Vec<_>, _>>()?;
            sort_triples(&mut triples);
            Reply::page(
                pages::statements::StatementsPage::new("Dataset description", &triples).render(app),
            )
        }
    };
    Ok(reply.with_header("vary", "accept"))
}

/// The `page` parameter of a page with a long list: 1 when absent.
fn page_number(request: &Request) -> Result<usize, HttpError> {
    let Some((_, value)) = request
        .parameters()
        .into_iter()
        .find(|(name, _)| name == "page")
    else {
        return Ok(1);
    };
    value
        .parse::<usize>()
        .ok()
        .filter(|page| *page >= 1)
        .ok_or_else(|| {
            HttpError::bad_request(format!(
                "the parameter page must be a whole number from 1, not '{value}'"
            ))
        })
}

/// The format of a description that the request's `Accept` asks for.
fn negotiate(request: &Request) -> Result<GraphFormat, HttpError> {
    let accept = request.accept.as_deref();
    choose(accept, &GRAPH_OFFERS)
        .ok_or_else(|| HttpError::not_acceptable(not_acceptable(accept, &GRAPH_OFFERS)))
}

/// Triples in an RDF syntax.
fn rdf_reply(triples: &[Triple], format: ExportFormat) -> HandlerResult {
    let mut body = Vec::new();
    write_triples(triples, format, &mut body)
        .map_err(|error| HttpError::from(ServeError::from(error)))?;
    Ok(Reply::bytes(StatusCode::OK, &rdf_media_type(format), body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::app;

    const PARAGRAPH: &str = "/iscc2017/en-un/chapter-2/section-1/paragraph-3";

    #[test]
    fn a_paragraph_is_its_triples_its_fragments_and_its_neighbours_labels() {
        let reply = app().handle(&Request::get(PARAGRAPH).with_accept("application/n-triples"));
        assert_eq!(reply.status, StatusCode::OK);
        let text = reply.body_text();
        let base = "<https://w3id.org/cyberkg/iscc2017/en-un/chapter-2/section-1/paragraph-3";
        assert!(text.contains(&format!(
            "{base}> <http://schema.org/text> \"Cyberterrorism poses"
        )));
        assert!(text.contains(&format!(
            "{base}#text-span> <https://w3id.org/cyberkg/vocab#startLine>"
        )));
        assert!(text.contains(&format!(
            "{base}#mention-text-0> <http://www.w3.org/ns/oa#hasBody>"
        )));
        assert!(text.contains("<https://w3id.org/cyberkg/iscc2017/en-un/chapter-2/section-1> <http://purl.org/dc/terms/title> \"The principle of peace\"@en"), "{text}");
        for line in text.lines() {
            assert!(
                line.starts_with(base)
                    || line.contains("/terms/title>")
                    || line.contains("#prefLabel>"),
                "{line}"
            );
        }
    }

    /// Every fragment in the built-in graph is reached from its resource:
    /// the description of each resource holds exactly the triples a pass
    /// over the whole store finds for it and its `#` fragments.
    #[test]
    fn every_fragment_is_reached_through_its_resources_links() {
        let app = app();
        let mut by_resource: std::collections::BTreeMap<String, BTreeSet<String>> =
            std::collections::BTreeMap::new();
        for quad in app.store.iter() {
            let quad = quad.expect("the store reads");
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            let resource = subject.as_str().split('#').next().unwrap_or_default();
            if resource.starts_with(app.base.as_str()) {
                by_resource
                    .entry(resource.to_owned())
                    .or_default()
                    .insert(Triple::from(quad).to_string());
            }
        }
        let fragments: usize = by_resource
            .values()
            .flatten()
            .filter(|triple| triple.split(' ').next().is_some_and(|s| s.contains('#')))
            .count();
        assert!(fragments > 10_000, "{fragments}");
        for (resource, expected) in &by_resource {
            let node = NamedNode::new(resource.as_str()).expect("an IRI");
            let prefix = format!("<{resource}>");
            let fragment_prefix = format!("<{resource}#");
            let described: BTreeSet<String> = description(&app.store, &node)
                .expect("described")
                .iter()
                .map(ToString::to_string)
                .filter(|t| t.starts_with(&prefix) || t.starts_with(&fragment_prefix))
                .collect();
            assert_eq!(&described, expected, "{resource}");
        }
    }

    #[test]
    fn nothing_is_rewritten_and_unknown_is_404() {
        let reply =
            app().handle(&Request::get("/iscc2017/en-un/chapter-4").with_accept("text/turtle"));
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.header("content-type"),
            Some("text/turtle; charset=utf-8")
        );
        assert!(
            reply
                .body_text()
                .contains("<https://w3id.org/cyberkg/iscc2017/en-un/chapter-4> a doco:Chapter"),
            "{}",
            reply.body_text()
        );
        let reply = app().handle(&Request::get("/iscc2017/en-un/chapter-9"));
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(
            reply.body_text(),
            "no resource <https://w3id.org/cyberkg/iscc2017/en-un/chapter-9> in this graph\n"
        );
        let reply = app().handle(&Request::get("/a%20b%3E"));
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn void_is_the_metadata_graph() {
        let reply = app().handle(&Request::get("/.well-known/void"));
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.header("content-type"),
            Some("text/turtle; charset=utf-8")
        );
        assert!(reply.body_text().contains("void:Dataset"));
        let reply = app().handle(&Request::get("/.well-known/void").with_accept("text/html"));
        assert!(reply.body_text().contains("Dataset description"));
    }
}
