//! The only adapter to the HTTP library (oxhttp): converts its requests to
//! [`Request`]s and [`Reply`]s back, and runs the listener.
//!
//! Invariants: a body is read up to the limit and no further (413 beyond,
//! decided from `Content-Length` before reading when it is given); a panic
//! in a handler becomes a 500 for that request and the server keeps
//! answering; connections are capped and idle ones time out, so a slow or
//! greedy client cannot exhaust the threads for long.
//!
//! Known loss: oxhttp 0.3.3 never writes an `Access-Control-Allow-Methods`
//! header (it lists it among the Fetch standard's forbidden names, which
//! name the request header `Access-Control-Request-Method`). Browsers then
//! allow the CORS-safelisted methods GET, HEAD and POST, which are all that
//! `/query` takes, so `--cors` works without it.

use super::app::App;
use super::error::HttpError;
use super::request::{Method, Reply, Request};
use oxhttp::Server;
use oxhttp::model::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use oxhttp::model::{Body, HeaderName, HeaderValue, Response};
use std::io::Read;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

/// At most this many connections are served at once (one thread each).
const MAX_CONNECTIONS: usize = 128;

/// A connection idle (or stalled mid-request) this long is closed.
const IO_TIMEOUT: Duration = Duration::from_secs(60);

/// Listens on `addresses` and answers with `app` until the process ends;
/// `on_listening` runs once every address is bound.
pub fn run(app: App, addresses: &[SocketAddr], on_listening: impl FnOnce()) -> std::io::Result<()> {
    let app = Arc::new(app);
    let handler = move |request: &mut oxhttp::model::Request<Body>| respond(&app, request);
    let name = format!("cyberkg/{}", env!("CARGO_PKG_VERSION"));
    // The name is always a valid header value; if it were not, only the header would be lost.
    let mut server = match Server::new(handler.clone()).with_server_name(name) {
        Ok(named) => named,
        Err(_) => Server::new(handler),
    }
    .with_global_timeout(IO_TIMEOUT)
    .with_max_concurrent_connections(MAX_CONNECTIONS);
    for address in addresses {
        server = server.bind(*address);
    }
    let listening = server.spawn()?;
    on_listening();
    listening.join()
}

/// One request: read within the limits, answer, never panic.
fn respond(app: &App, request: &mut oxhttp::model::Request<Body>) -> Response<Body> {
    let reply = match read_request(app, request) {
        Ok(request) => {
            catch_unwind(AssertUnwindSafe(|| app.handle(&request))).unwrap_or_else(|_| {
                HttpError::internal("the server failed on this request; it keeps answering others")
                    .into()
            })
        }
        Err(reply) => reply,
    };
    to_response(reply)
}

fn header(request: &oxhttp::model::Request<Body>, name: HeaderName) -> Option<String> {
    let values: Vec<&str> = request
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn read_request(app: &App, request: &mut oxhttp::model::Request<Body>) -> Result<Request, Reply> {
    let limit = app.config().max_body_bytes;
    let declared =
        header(request, CONTENT_LENGTH).and_then(|length| length.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(HttpError::too_large(limit).into());
    }
    let mut body = Vec::new();
    request
        .body_mut()
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            Reply::from(HttpError::bad_request(format!(
                "cannot read the request body: {e}"
            )))
        })?;
    if body.len() > limit {
        return Err(HttpError::too_large(limit).into());
    }
    Ok(Request {
        method: Method::from_name(request.method().as_str()),
        path: request.uri().path().to_owned(),
        query: request.uri().query().unwrap_or_default().to_owned(),
        accept: header(request, ACCEPT),
        content_type: header(request, CONTENT_TYPE),
        body,
    })
}

fn to_response(reply: Reply) -> Response<Body> {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = reply.status;
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
