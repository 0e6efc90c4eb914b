//! The SPARQL 1.1 Protocol: `/query` and `/update`.
//!
//! A request is read (GET parameters, an HTML form, or a bare
//! `application/sparql-query` body), the text parsed with cyberkg's
//! prefixes, the algebra checked for `SERVICE` (and updates for `LOAD`),
//! the answer format negotiated, and only then evaluated: on a worker
//! thread, with a cancellation token that a deadline fires. Invariants: a
//! query never runs longer than the configured timeout before its reply
//! (503), never returns more than the row cap (a 500 that says so: a
//! truncated answer would look complete to a SPARQL client), and never
//! reaches another host; without a protocol dataset (`default-graph-uri`,
//! `named-graph-uri`) or a `FROM`, the default graph is the union of the
//! named graphs, as on the command line.

use super::app::App;
use super::error::{HandlerResult, HttpError};
use super::evaluate::{Answer, Stopped, evaluate, with_deadline};
use super::media::{
    GRAPH_OFFERS, GraphFormat, SELECT_OFFERS, SOLUTION_OFFERS, SolutionsFormat, rdf_media_type,
};
use super::negotiate::{choose, not_acceptable};
use super::pages;
use super::request::parse_form;
use super::request::{Method, Reply, Request, StatusCode};
use cyberkg::export::write_triples;
use oxigraph::model::NamedNode;
use oxigraph::sparql::CancellationToken;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use spargebra::{GraphUpdateOperation, Query, Update};

/// A SPARQL request as the protocol states it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Operation {
    /// The query or update text.
    text: String,
    /// `default-graph-uri` (queries) or `using-graph-uri` (updates).
    default_graphs: Vec<String>,
    /// `named-graph-uri` (queries) or `using-named-graph-uri` (updates).
    named_graphs: Vec<String>,
}

/// The names of one kind of operation, for reading and for messages.
struct Kind {
    /// `query` or `update`.
    parameter: &'static str,
    /// `application/sparql-query` or `application/sparql-update`.
    media_type: &'static str,
    /// The dataset parameters.
    default_parameter: &'static str,
    named_parameter: &'static str,
}

const QUERY: Kind = Kind {
    parameter: "query",
    media_type: "application/sparql-query",
    default_parameter: "default-graph-uri",
    named_parameter: "named-graph-uri",
};

const UPDATE: Kind = Kind {
    parameter: "update",
    media_type: "application/sparql-update",
    default_parameter: "using-graph-uri",
    named_parameter: "using-named-graph-uri",
};

/// Reads the operation of a request; `Ok(None)` when a GET has no operation at all.
fn read_operation(request: &Request, kind: &Kind) -> Result<Option<Operation>, HttpError> {
    let mut parameters = request.parameters();
    let mut body_text = None;
    if request.method == Method::Post {
        match request.media_type().as_deref() {
            Some("application/x-www-form-urlencoded") => {
                parameters.extend(parse_form(&request.body));
            }
            Some(media_type) if media_type == kind.media_type => {
                let text = String::from_utf8(request.body.clone()).map_err(|_| {
                    HttpError::bad_request(format!("the {} body is not UTF-8", kind.media_type))
                })?;
                body_text = Some(text);
            }
            Some(other) => {
                return Err(HttpError::unsupported_media_type(format!(
                    "unsupported Content-Type '{other}' for a SPARQL {}; send {} or application/x-www-form-urlencoded",
                    kind.parameter, kind.media_type
                )));
            }
            None => {
                return Err(HttpError::unsupported_media_type(format!(
                    "a POST to /{} needs a Content-Type: {} or application/x-www-form-urlencoded",
                    kind.parameter, kind.media_type
                )));
            }
        }
    }
    let mut texts: Vec<String> = parameters
        .iter()
        .filter(|(name, _)| name == kind.parameter)
        .map(|(_, value)| value.clone())
        .collect();
    texts.extend(body_text);
    let text = match texts.len() {
        0 if request.method.is_read() => return Ok(None),
        0 => return Err(kind.missing()),
        1 => texts.remove(0),
        _ => {
            return Err(HttpError::bad_request(format!(
                "more than one SPARQL {0} in the request; send exactly one",
                kind.parameter
            )));
        }
    };
    let values = |name: &str| -> Vec<String> {
        parameters
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, value)| value.clone())
            .collect()
    };
    Ok(Some(Operation {
        text,
        default_graphs: values(kind.default_parameter),
        named_graphs: values(kind.named_parameter),
    }))
}

impl Kind {
    /// The 400 of a request without an operation.
    fn missing(&self) -> HttpError {
        HttpError::bad_request(format!(
            "no SPARQL {0}: send it as the '{0}' parameter or as an {1} body",
            self.parameter, self.media_type
        ))
    }
}

/// The 400 of a text that is not SPARQL, is beyond cyberkg's limits (the
/// message names the limit), or is an update sent as a query (or the
/// reverse); the reason is the library's one sentence.
fn refused_text(error: cyberkg::sparql::PrepareError) -> HttpError {
    HttpError::bad_request(error.to_string())
}

/// The 403 of a `SERVICE` that `--allow-service` does not name.
fn service_refused(refused: &cyberkg::sparql::ServiceRefused) -> HttpError {
    HttpError::forbidden(refused.to_string())
}

/// Parses IRIs of the protocol's dataset parameters.
fn graph_iris(name: &str, values: &[String]) -> Result<Vec<NamedNode>, HttpError> {
    values
        .iter()
        .map(|value| {
            NamedNode::new(value.as_str())
                .map_err(|e| HttpError::bad_request(format!("invalid {name} '{value}': {e}")))
        })
        .collect()
}

/// The negotiated format of an answer.
#[derive(Debug, Clone, Copy)]
enum Chosen {
    Solutions(SolutionsFormat),
    Graph(GraphFormat),
}

/// The format `accept` asks for, among those of `query`'s form.
fn negotiate(query: &Query, accept: Option<&str>) -> Result<Chosen, HttpError> {
    let chosen = match query {
        Query::Select { .. } => choose(accept, &SELECT_OFFERS).map(Chosen::Solutions),
        Query::Ask { .. } => choose(accept, &SOLUTION_OFFERS).map(Chosen::Solutions),
        Query::Construct { .. } | Query::Describe { .. } => {
            choose(accept, &GRAPH_OFFERS).map(Chosen::Graph)
        }
    };
    chosen.ok_or_else(|| {
        HttpError::not_acceptable(match query {
            Query::Select { .. } => not_acceptable(accept, &SELECT_OFFERS),
            Query::Ask { .. } => not_acceptable(accept, &SOLUTION_OFFERS),
            Query::Construct { .. } | Query::Describe { .. } => {
                not_acceptable(accept, &GRAPH_OFFERS)
            }
        })
    })
}

/// `/query`: on a thread with the stack the SPARQL limits are sized for,
/// since checking, writing back and dropping a query's algebra recurse as
/// deep as parsing it.
pub fn query(app: &App, request: &Request) -> HandlerResult {
    on_sparql_stack(|| answer_query(app, request))
}

/// `/update`: refused (403) unless the server is writable; on the SPARQL stack too.
pub fn update(app: &App, request: &Request) -> HandlerResult {
    on_sparql_stack(|| run_update(app, request))
}

fn on_sparql_stack(work: impl FnOnce() -> HandlerResult + Send) -> HandlerResult {
    cyberkg::sparql::on_sparql_stack(work).map_err(|e| {
        HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("cannot start a thread for the request: {e}"),
        )
    })?
}

fn answer_query(app: &App, request: &Request) -> HandlerResult {
    if !matches!(request.method, Method::Get | Method::Head | Method::Post) {
        return Err(HttpError::method_not_allowed(
            "/query",
            "GET, HEAD and POST",
        ));
    }
    let Some(operation) = read_operation(request, &QUERY)? else {
        // A browser (or a person) at /query without a query gets the form.
        let wants_html = choose(
            request.accept.as_deref(),
            &[
                ("application/sparql-results+json", false),
                ("text/html", true),
            ],
        );
        return if wants_html == Some(true) {
            Ok(Reply::page(pages::query::QueryPage::empty().render(app)))
        } else {
            Err(QUERY.missing())
        };
    };
    let query = cyberkg::sparql::parse_query(&operation.text, "query").map_err(refused_text)?;
    app.config
        .services
        .check_query(&query)
        .map_err(|refused| service_refused(&refused))?;
    let default_graphs = graph_iris("default-graph-uri", &operation.default_graphs)?;
    let named_graphs = graph_iris("named-graph-uri", &operation.named_graphs)?;
    let chosen = negotiate(&query, request.accept.as_deref())?;
    let answer = evaluate(app, query, default_graphs, named_graphs)
        .map_err(|stopped| stopped.into_error(app, "query"))?;
    let reply = write_answer(app, operation.text, answer, chosen)
        .map_err(|error| HttpError::internal(format!("cannot write the answer: {error}")))?;
    Ok(reply.with_header("vary", "accept"))
}

/// Serializes an answer in the negotiated format.
fn write_answer(
    app: &App,
    text: String,
    answer: Answer,
    chosen: Chosen,
) -> Result<Reply, Box<dyn std::error::Error>> {
    Ok(match (answer, chosen) {
        (answer, Chosen::Solutions(SolutionsFormat::Html) | Chosen::Graph(GraphFormat::Html)) => {
            Reply::page(pages::query::QueryPage::answered(text, answer).render(app))
        }
        (
            Answer::Solutions { variables, rows },
            Chosen::Solutions(SolutionsFormat::Results(format)),
        ) => {
            if format == QueryResultsFormat::Xml {
                cyberkg::export::check_xml_solutions(&rows)?;
            }
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(Vec::new(), variables)?;
            for row in &rows {
                serializer.serialize(row.iter())?;
            }
            Reply::bytes(StatusCode::OK, format.media_type(), serializer.finish()?)
        }
        (Answer::Solutions { variables, rows }, Chosen::Solutions(SolutionsFormat::Xlsx)) => {
            // The worker's SPARQL JSON, parsed into solutions, written as a sheet.
            let mut body = Vec::new();
            cyberkg::spreadsheet::write_xlsx(
                &cyberkg::spreadsheet::solutions_sheet(&variables, &rows),
                &mut body,
            )?;
            Reply::bytes(StatusCode::OK, cyberkg::spreadsheet::MEDIA_TYPE, body).with_header(
                "content-disposition",
                "attachment; filename=\"query-results.xlsx\"",
            )
        }
        (Answer::Boolean(value), Chosen::Solutions(SolutionsFormat::Results(format))) => {
            let body = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(Vec::new(), value)?;
            Reply::bytes(StatusCode::OK, format.media_type(), body)
        }
        (Answer::Triples(triples), Chosen::Graph(GraphFormat::Rdf(format))) => {
            let mut body = Vec::new();
            write_triples(&triples, format, &mut body)?;
            Reply::bytes(StatusCode::OK, &rdf_media_type(format), body)
        }
        _ => return Err("the answer does not match the negotiated format".into()),
    })
}

fn run_update(app: &App, request: &Request) -> HandlerResult {
    if !app.config.writable {
        return Err(HttpError::forbidden(
            "this server is read-only: SPARQL updates are refused unless it is started with --writable",
        ));
    }
    if request.method != Method::Post {
        return Err(HttpError::method_not_allowed("/update", "POST"));
    }
    let operation = read_operation(request, &UPDATE)?.ok_or_else(|| UPDATE.missing())?;
    let update = cyberkg::sparql::parse_update(&operation.text, "update").map_err(refused_text)?;
    refuse_in_update(&update, &app.config.services)?;
    if !operation.default_graphs.is_empty() || !operation.named_graphs.is_empty() {
        return Err(HttpError::bad_request(
            "using-graph-uri and using-named-graph-uri are not supported; write USING in the update instead",
        ));
    }
    let token = CancellationToken::new();
    let worker_token = token.clone();
    let store = app.store.clone();
    let services = app.config.services.clone();
    with_deadline(app, token, move || {
        cyberkg::sparql::evaluator(&services)
            .with_cancellation_token(worker_token)
            .for_update(update)
            .on_store(&store)
            .execute()
            .map_err(|e| Stopped::Failed(e.to_string()))
    })
    .map_err(|stopped| stopped.into_error(app, "update"))?;
    // The texts may have changed: the next search rebuilds its index.
    if let Some(search) = app.config.services.search() {
        search.invalidate();
    }
    if let Some(pool) = &app.pool {
        // Later queries must see the update: their workers start from the new state.
        pool.refresh(&app.store).map_err(HttpError::internal)?;
    }
    Ok(Reply::no_content())
}

/// Refuses a `SERVICE` or `LOAD` in an update.
fn refuse_in_update(
    update: &Update,
    services: &cyberkg::sparql::Services,
) -> Result<(), HttpError> {
    for operation in &update.operations {
        match operation {
            GraphUpdateOperation::Load { source, .. } => {
                return Err(HttpError::forbidden(format!(
                    "LOAD {source} is not allowed: this server sends no request to any other host"
                )));
            }
            GraphUpdateOperation::DeleteInsert { pattern, .. } => {
                services
                    .check_pattern(pattern)
                    .map_err(|refused| service_refused(&refused))?
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::MAX_WORKERS;
    use crate::tests::app;
    use oxigraph::store::Store;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const CHAPTERS: &str = "SELECT ?n ?title WHERE { ?c a doco:Chapter ; cyberkg:inEdition/dcterms:identifier \"iscc2017/en-un\" ; schema:position ?n ; dcterms:title ?title } ORDER BY ?n";

    fn get(query: &str, accept: &str) -> Reply {
        app().handle(
            &Request::get(&format!(
                "/query?query={}",
                crate::request::encode_component(query)
            ))
            .with_accept(accept),
        )
    }

    #[test]
    fn xml_answers_refuse_characters_xml_cannot_carry() {
        let select = "SELECT (\"page\\fbreak\" AS ?x) {}";
        let refused = get(select, "application/sparql-results+xml");
        assert_eq!(refused.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            refused.body_text().contains("SPARQL XML results cannot carry the literal \"page\\fbreak\": it holds U+000C (form feed)"),
            "{}",
            refused.body_text()
        );
        assert_eq!(
            get(select, "application/sparql-results+json").status,
            StatusCode::OK
        );
        let construct = "CONSTRUCT { <http://e.org/s> <http://e.org/p> \"page\\fbreak\" } WHERE {}";
        let refused = get(construct, "application/rdf+xml");
        assert_eq!(refused.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            refused
                .body_text()
                .contains("RDF/XML cannot carry the literal"),
            "{}",
            refused.body_text()
        );
        assert_eq!(get(construct, "text/turtle").status, StatusCode::OK);
    }

    #[test]
    fn select_answers_in_every_results_format() {
        let table = [
            (
                "application/sparql-results+json",
                "application/sparql-results+json",
                "\"Plan of action\"",
            ),
            (
                "application/sparql-results+xml",
                "application/sparql-results+xml",
                "<literal xml:lang=\"en\">Plan of action</literal>",
            ),
            (
                "text/csv",
                "text/csv; charset=utf-8",
                "4,Plan of action\r\n",
            ),
            (
                "text/tab-separated-values",
                "text/tab-separated-values; charset=utf-8",
                "4\t\"Plan of action\"@en\n",
            ),
            (
                "text/html",
                "text/html; charset=utf-8",
                "<td><span lang=\"en\">Plan of action</span>",
            ),
        ];
        for (accept, content_type, expected) in table {
            let reply = get(CHAPTERS, accept);
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{accept}: {}",
                reply.body_text()
            );
            assert_eq!(reply.header("content-type"), Some(content_type));
            assert!(
                reply.body_text().contains(expected),
                "{accept}: {}",
                reply.body_text()
            );
        }
    }

    #[test]
    fn select_answers_as_xlsx_the_same_bytes_each_time_and_ask_does_not() {
        let xlsx = cyberkg::spreadsheet::MEDIA_TYPE;
        let first = get(CHAPTERS, xlsx);
        assert_eq!(first.status, StatusCode::OK, "{}", first.body_text());
        assert_eq!(first.header("content-type"), Some(xlsx));
        assert!(first.body.starts_with(b"PK\x03\x04"), "a zip archive");
        assert_eq!(first.body, get(CHAPTERS, xlsx).body);
        // A client that takes anything still gets SPARQL JSON first.
        assert_eq!(
            get(CHAPTERS, "*/*").header("content-type"),
            Some("application/sparql-results+json")
        );
        let ask = get("ASK {}", xlsx);
        assert_eq!(ask.status, StatusCode::NOT_ACCEPTABLE);
        assert!(
            ask.body_text()
                .ends_with("ask for one of application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values, text/html, application/json, application/xml\n"),
            "{}",
            ask.body_text()
        );
    }

    #[test]
    fn posts_carry_the_query_as_a_form_or_a_body() {
        let form = format!("query={}", crate::request::encode_component(CHAPTERS));
        for request in [
            Request::post("/query", "application/x-www-form-urlencoded", form),
            Request::post(
                "/query",
                "application/sparql-query; charset=utf-8",
                CHAPTERS,
            ),
        ] {
            let reply = app().handle(&request.with_accept("text/csv"));
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body_text());
            assert_eq!(reply.body_text().lines().count(), 5);
        }
        let reply = app().handle(&Request::post("/query", "text/plain", CHAPTERS));
        assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(
            reply.body_text(),
            "unsupported Content-Type 'text/plain' for a SPARQL query; send application/sparql-query or application/x-www-form-urlencoded\n"
        );
    }

    #[test]
    fn bad_requests_say_why_in_one_line() {
        let reply = get("SELECT * WHERE {\n  ?s ?p }", "*/*");
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(
            reply
                .body_text()
                .starts_with("query:2:10: SPARQL syntax error: "),
            "{}",
            reply.body_text()
        );
        assert_eq!(reply.body_text().lines().count(), 1);
        let reply = app().handle(&Request::get("/query?query=ASK%7B%7D&query=ASK%7B%7D"));
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let reply = app().handle(&Request::get("/query"));
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let form = app().handle(&Request::get("/query").with_accept("text/html,*/*;q=0.8"));
        assert_eq!(form.status, StatusCode::OK, "a browser gets the form");
        assert!(form.body_text().contains("<textarea name=\"query\""));
        let reply = get(CHAPTERS, "text/turtle");
        assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE);
        let reply = get("CONSTRUCT WHERE { ?s a doco:Chapter }", "text/csv");
        assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE);
    }

    #[test]
    fn service_is_refused_wherever_it_hides() {
        let table = [
            "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?q ?r } } }",
            "ASK { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?q ?r } } }",
            "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
        ];
        for query in table {
            let reply = get(query, "*/*");
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{query}");
            assert!(
                reply.body_text().starts_with("SERVICE "),
                "{}",
                reply.body_text()
            );
        }
    }

    #[test]
    fn the_row_cap_refuses_rather_than_truncates() {
        let capped = App {
            config: crate::ServeConfig {
                max_rows: 3,
                ..crate::ServeConfig::default()
            },
            ..app()
        };
        let request = Request::get(&format!(
            "/query?query={}",
            crate::request::encode_component(CHAPTERS)
        ));
        let reply = capped.handle(&request);
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            reply.body_text(),
            "the query has more than 3 results, this server's limit (--max-rows); add a LIMIT, or start the server with a higher --max-rows\n"
        );
    }

    #[test]
    fn updates_need_writable_and_never_load() {
        let reply = app().handle(&Request::post(
            "/update",
            "application/sparql-update",
            "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        ));
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let store = Store::new().expect("store");
        let writable = App {
            store: store.clone(),
            base: "https://example.org/".to_owned(),
            config: crate::ServeConfig {
                writable: true,
                ..crate::ServeConfig::default()
            },
            workers: Arc::default(),
            pool: None,
        };
        let reply = writable.handle(&Request::post(
            "/update",
            "application/sparql-update",
            "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
        ));
        assert_eq!(
            reply.status,
            StatusCode::NO_CONTENT,
            "{}",
            reply.body_text()
        );
        assert_eq!(store.len().ok(), Some(1));
        let reply = writable.handle(&Request::post(
            "/update",
            "application/x-www-form-urlencoded",
            "update=LOAD+%3Chttp%3A%2F%2Fexample.org%2Fdata.ttl%3E",
        ));
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(
            reply.body_text(),
            "LOAD <http://example.org/data.ttl> is not allowed: this server sends no request to any other host\n"
        );
        let reply = writable.handle(&Request::get("/update"));
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn busy_workers_are_a_503_not_another_thread() {
        let app = App {
            workers: Arc::default(),
            ..app()
        };
        let busy = App {
            workers: Arc::new(AtomicUsize::new(MAX_WORKERS)),
            ..app.clone()
        };
        let request = Request::get("/query?query=ASK%7B%7D");
        let reply = busy.handle(&request);
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            reply
                .body_text()
                .starts_with("the server is busy: 4 queries"),
            "{}",
            reply.body_text()
        );
        assert_eq!(app.handle(&request).status, StatusCode::OK);
        assert_eq!(
            app.workers.load(Ordering::SeqCst),
            0,
            "slots are given back"
        );
    }

    #[test]
    fn protocol_datasets_replace_the_union() {
        let query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a void:Dataset }";
        let union = get(query, "text/csv").body_text();
        let metadata = app().handle(
            &Request::get(&format!(
                "/query?query={}&default-graph-uri={}",
                crate::request::encode_component(query),
                crate::request::encode_component("https://w3id.org/cyberkg/graph/text")
            ))
            .with_accept("text/csv"),
        );
        assert_eq!(union, "n\r\n3\r\n");
        assert_eq!(metadata.body_text(), "n\r\n0\r\n");
    }
}
