//! `cyberkg serve`: the graph over HTTP. A SPARQL 1.1 Protocol endpoint
//! (`/query`, `/update`), a read-only Graph Store Protocol endpoint
//! (`/store`), the dataset description (`/.well-known/void`), and every IRI
//! under the base dereferenceable as RDF or as a readable HTML page.
//!
//! Design: handlers are plain functions from a [`Request`] to a
//! `Result<Reply, HttpError>` ([`App::handle`] routes and turns an error
//! into its reply in one place), tested without a socket; pages are loaded
//! into plain structs and then rendered by maud templates (`pages/`, one
//! module per page); the media types live in one table (`media.rs`)
//! below every handler, derived from Oxigraph's formats; `server.rs` is the only
//! adapter to the HTTP library (oxhttp, the one Oxigraph's own server uses:
//! synchronous, one thread per connection, like Oxigraph's store). The paths
//! are Oxigraph's, so its users know them.
//!
//! Invariants: the server is read-only unless [`ServeConfig::writable`]; it
//! never makes an outgoing request (a `SERVICE` or `LOAD` is refused before
//! evaluation); every SPARQL request runs under a deadline and a result cap;
//! every failure is a status with a one-line plain-text reason, never a
//! panic; every dynamic string in a page is escaped; and no IRI is
//! rewritten: the path `/X` names `<base>X`, whatever host serves it.

mod app;
mod describe;
mod error;
mod evaluate;
mod gsp;
mod lookup;
mod media;
mod negotiate;
mod pages;
mod request;
mod server;
mod sparql;
pub mod worker;

pub use error::{HttpError, ServeError};
pub use request::{Method, Reply, Request, StatusCode};
pub use server::{Limits, run};

pub use app::{App, MAX_BODY_BYTES, ServeConfig};

impl App {
    /// Answers a request. Never panics on any request; every failure is a status with a reason.
    pub fn handle(&self, request: &Request) -> Reply {
        let mut reply = if request.body.len() > self.config.max_body_bytes {
            HttpError::too_large(self.config.max_body_bytes).into()
        } else {
            self.route(request).unwrap_or_else(Reply::from)
        };
        if self.config.cors {
            reply = reply
                .with_header("access-control-allow-origin", "*")
                .with_header("access-control-expose-headers", "content-type, vary");
        }
        if request.method == Method::Head {
            reply.body.clear();
        }
        reply
    }

    fn route(&self, request: &Request) -> error::HandlerResult {
        if request.method == Method::Options {
            return Ok(self.options(request));
        }
        match request.path.as_str() {
            "/query" => sparql::query(self, request),
            "/update" => sparql::update(self, request),
            "/store" => gsp::get(self, request),
            "/.well-known/void" => describe::void(self, request),
            "/" => pages::home::handler(self, request),
            "/differences" => pages::differences::handler(self, request),
            "/search" => pages::search::handler(self, request),
            _ => describe::resource(self, request),
        }
    }

    /// `OPTIONS`: the allowed methods, and the CORS preflight answer with `--cors`.
    fn options(&self, request: &Request) -> Reply {
        let allowed = match request.path.as_str() {
            "/query" => "GET, HEAD, POST, OPTIONS",
            "/update" => "POST, OPTIONS",
            _ => "GET, HEAD, OPTIONS",
        };
        let mut reply = Reply {
            status: StatusCode::NO_CONTENT,
            headers: vec![("allow", allowed.to_owned())],
            body: Vec::new(),
        };
        if self.config.cors {
            reply = reply
                .with_header("access-control-allow-methods", allowed)
                .with_header("access-control-allow-headers", "accept, content-type")
                .with_header("access-control-max-age", "600");
        }
        reply
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// A server over the built-in graph, built once for all unit tests.
    pub(crate) fn app() -> App {
        static APP: OnceLock<App> = OnceLock::new();
        APP.get_or_init(|| {
            let store = cyberkg::pipeline::builtin()
                .expect("the built-in graph builds")
                .store;
            App::new(store, ServeConfig::default()).expect("the store names its base")
        })
        .clone()
    }

    #[test]
    fn the_base_comes_from_the_store() {
        assert_eq!(app().base(), cyberkg::graph::DEFAULT_BASE);
    }

    #[test]
    fn options_lists_methods_and_cors_is_opt_in() {
        let app = app();
        let reply = app.handle(&Request::new(Method::Options, "/query"));
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        assert_eq!(reply.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
        assert_eq!(reply.header("access-control-allow-origin"), None);
        let cors = App {
            config: ServeConfig {
                cors: true,
                ..ServeConfig::default()
            },
            ..app
        };
        let reply = cors.handle(&Request::new(Method::Options, "/query"));
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        assert_eq!(
            reply.header("access-control-allow-methods"),
            Some("GET, HEAD, POST, OPTIONS")
        );
    }

    #[test]
    fn bodies_over_the_limit_are_413() {
        let app = App {
            config: ServeConfig {
                max_body_bytes: 8,
                ..ServeConfig::default()
            },
            ..app()
        };
        let reply = app.handle(&Request::post(
            "/query",
            "application/sparql-query",
            "ASK { ?s ?p ?o }",
        ));
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            reply.body_text(),
            "the request body is larger than this server's limit of 8 bytes\n"
        );
    }

    #[test]
    fn head_answers_like_get_without_a_body() {
        let app = app();
        let get = app.handle(&Request::get("/iscc2017/en-un/chapter-4"));
        let head = app.handle(&Request::new(Method::Head, "/iscc2017/en-un/chapter-4"));
        assert_eq!(get.status, StatusCode::OK);
        assert!(!get.body.is_empty());
        assert_eq!(
            (head.status, head.headers, head.body.len()),
            (get.status, get.headers, 0)
        );
    }
}
