//! The only adapter to the HTTP library (hyper 1 on tokio): accepts
//! connections, converts hyper's requests to [`Request`]s and [`Reply`]s
//! back, and runs [`App::handle`] (synchronous) on tokio's blocking pool.
//!
//! Design: connections cost a task, not a thread, so idle or slow clients
//! hold no worker; what they may hold is bounded by [`Limits`]:
//! - a deadline for the whole request head, counted from when the server
//!   starts waiting for it (hyper's `header_read_timeout`: from the accept,
//!   and on a keep-alive connection from the end of the previous reply, so
//!   it is also the idle timeout), and one for the whole body
//!   (`tokio::time::timeout` around its collection), never per read: a
//!   client that sends a byte a second is cut at the deadline;
//! - a cap on open connections: at the cap a new connection makes the
//!   oldest idle one (no request being answered) close gracefully; if every
//!   one is answering a request, the new one gets 503 with `Retry-After`
//!   and is closed. Shedding, rather than waiting for a slot as oxhttp did,
//!   means idle clients can never lock out a new one.
//!
//! Invariants: a body is read up to the limit and no further (413 at once
//! when `Content-Length` says it is larger, before reading any of it, then
//! the connection is closed); pipelined requests are answered in order
//! (hyper keeps the bytes of the next request); a panic in a handler
//! becomes a 500 for that request and the server keeps answering; every
//! reply names the server (`Server: cyberkg/VERSION`).

use super::app::App;
use super::error::HttpError;
use super::request::{Method, Reply, Request, StatusCode};
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::{Body as _, Incoming};
use hyper::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, SERVER};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// What one client may hold of the server, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// At most this many connections are open at once; at the cap the
    /// oldest idle one is closed for a new one (503 when none is idle).
    /// Also the size of the pool of threads that answer requests, so that a
    /// request never waits for a thread behind another connection's.
    pub max_connections: usize,
    /// A request head must be complete this long after the server starts
    /// waiting for it: after the accept, or after the previous reply on a
    /// keep-alive connection (so an idle connection is closed after this
    /// long). The connection is then closed without a reply.
    pub header_timeout: Duration,
    /// A request body must be complete this long after its head (408 and
    /// the connection closed otherwise).
    pub body_timeout: Duration,
}

impl Default for Limits {
    /// 256 connections (twice oxhttp's 128 threads, well within the usual
    /// 1,024 open files), 30 s for a head and 30 s for a body (hyper's
    /// default header timeout, and Jetty's idle timeout, which Fuseki keeps).
    fn default() -> Self {
        Self {
            max_connections: 256,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// How long a shed connection that is still sending a request head may go
/// on before it is dropped (one idle between requests closes at once).
const SHED_GRACE: Duration = Duration::from_secs(1);

/// How long a refused connection (at the cap, none idle) has to send the
/// head its 503 answers.
const REFUSED_HEAD_TIMEOUT: Duration = Duration::from_secs(2);

/// How long to wait after a failed accept (out of file descriptors, say) before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Listens on every address of `addresses` and answers with `app`, within
/// `limits`, until the process ends; `on_listening` runs once every address
/// is bound. Fails only when an address cannot be bound (or the runtime
/// cannot start).
pub fn run(
    app: App,
    addresses: &[SocketAddr],
    limits: Limits,
    on_listening: impl FnOnce(),
) -> std::io::Result<()> {
    let listeners = addresses
        .iter()
        .map(|address| {
            let listener = std::net::TcpListener::bind(address)?;
            listener.set_nonblocking(true)?;
            Ok(listener)
        })
        .collect::<std::io::Result<Vec<_>>>()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("cyberkg-http")
        .max_blocking_threads(limits.max_connections.max(1))
        .build()?;
    let server = Arc::new(Server {
        app,
        limits,
        connections: Arc::new(Connections::new(limits.max_connections)),
        name: HeaderValue::from_str(&format!("cyberkg/{}", env!("CARGO_PKG_VERSION"))).ok(),
    });
    runtime.block_on(async move {
        let mut accepting = tokio::task::JoinSet::new();
        for listener in listeners {
            accepting.spawn(accept(
                TcpListener::from_std(listener)?,
                Arc::clone(&server),
            ));
        }
        on_listening();
        // The accept loops never end; only a panic in one could stop it.
        while accepting.join_next().await.is_some() {}
        Err(std::io::Error::other("the server stopped listening"))
    })
}

/// What every connection shares.
struct Server {
    app: App,
    limits: Limits,
    connections: Arc<Connections>,
    /// The `Server` header (always valid; if it were not, only the header would be lost).
    name: Option<HeaderValue>,
}

/// Accepts connections on `listener` forever, each served by its own task.
async fn accept(listener: TcpListener, server: Arc<Server>) {
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                // Small replies go out at once rather than after Nagle's delay.
                let _ = stream.set_nodelay(true);
                match server.connections.admit() {
                    Admission::Open(slot, shed) => {
                        tokio::spawn(serve(stream, Arc::clone(&server), slot, shed));
                    }
                    Admission::Full => {
                        tokio::spawn(refuse(stream, Arc::clone(&server)));
                    }
                }
            }
            // Out of file descriptors, or a connection reset before it was
            // accepted: the open connections go on; try again shortly.
            Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
        }
    }
}

/// Serves one admitted connection until it closes, or until it is shed.
async fn serve(
    stream: TcpStream,
    server: Arc<Server>,
    slot: Slot,
    mut shed: oneshot::Receiver<()>,
) {
    let busy = Arc::clone(&slot.busy);
    let slot = Arc::new(slot);
    let service = {
        let server = Arc::clone(&server);
        service_fn(move |request| {
            let (server, slot) = (Arc::clone(&server), Arc::clone(&slot));
            async move {
                let _answering = slot.answering();
                Ok::<_, Infallible>(respond(&server, request).await)
            }
        })
    };
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(server.limits.header_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    // A connection's errors (a reset, a head too slow or malformed) end only that connection.
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = &mut shed => {}
    }
    // Shed for a newer connection: closed at once if idle between requests;
    // one still sending a head has a short grace, and one answering a
    // request (it started just as it was chosen) finishes it.
    connection.as_mut().graceful_shutdown();
    tokio::select! {
        _ = connection.as_mut() => return,
        () = tokio::time::sleep(SHED_GRACE) => {}
    }
    if busy.load(Ordering::Relaxed) {
        let _ = connection.await;
    }
}

/// Answers the first request of a connection over the cap with 503 and closes it.
async fn refuse(stream: TcpStream, server: Arc<Server>) {
    let service = service_fn(|_request| {
        let server = Arc::clone(&server);
        async move {
            let max = server.limits.max_connections;
            let reply = Reply::from(
                HttpError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "this server has {max} connections open, all answering a request (--max-connections); try again in a second"
                    ),
                )
                .with_header("retry-after", "1"),
            );
            Ok::<_, Infallible>(to_response(&server, reply))
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(REFUSED_HEAD_TIMEOUT.min(server.limits.header_timeout))
        .keep_alive(false);
    let _ = builder
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// One request: read within the limits, answer on the blocking pool, never panic.
async fn respond(
    server: &Arc<Server>,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let reply = match read_request(server, request).await {
        Ok(request) => {
            let handling = Arc::clone(server);
            tokio::task::spawn_blocking(move || answer(|| handling.app.handle(&request)))
                .await
                .unwrap_or_else(|_| failed())
        }
        // The body was not read to its end: the connection cannot carry another request.
        Err(error) => Reply::from(error).with_header("connection", "close"),
    };
    to_response(server, reply)
}

/// The reply of `handle`, or a 500 if it panics.
fn answer(handle: impl FnOnce() -> Reply) -> Reply {
    catch_unwind(AssertUnwindSafe(handle)).unwrap_or_else(|_| failed())
}

/// The 500 of a handler that panicked.
fn failed() -> Reply {
    HttpError::internal("the server failed on this request; it keeps answering others").into()
}

/// The values of header `name`, joined with ", " (as HTTP allows), if any.
fn header(request: &hyper::Request<Incoming>, name: HeaderName) -> Option<String> {
    let values: Vec<&str> = request
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// The request with its whole body, or why it cannot be read: 413 over the
/// limit (from `Content-Length` before any byte is read), 408 after the body deadline.
async fn read_request(
    server: &Server,
    request: hyper::Request<Incoming>,
) -> Result<Request, HttpError> {
    let limit = server.app.config().max_body_bytes;
    // hyper's size hint is the `Content-Length` when one is given.
    if request.body().size_hint().lower() > limit as u64 {
        return Err(HttpError::too_large(limit));
    }
    let mut request_without_body = Request {
        method: Method::from_name(request.method().as_str()),
        path: request.uri().path().to_owned(),
        query: request.uri().query().unwrap_or_default().to_owned(),
        accept: header(&request, ACCEPT),
        content_type: header(&request, CONTENT_TYPE),
        body: Vec::new(),
    };
    let deadline = server.limits.body_timeout;
    let body = tokio::time::timeout(deadline, Limited::new(request.into_body(), limit).collect())
        .await
        .map_err(|_elapsed| {
            HttpError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within this server's limit of {} s",
                    deadline.as_secs_f64()
                ),
            )
        })?
        .map_err(|error| {
            if error.is::<LengthLimitError>() {
                HttpError::too_large(limit)
            } else {
                HttpError::bad_request(format!("cannot read the request body: {error}"))
            }
        })?;
    request_without_body.body = body.to_bytes().into();
    Ok(request_without_body)
}

/// hyper's response of `reply`, with the `Server` header.
fn to_response(server: &Server, reply: Reply) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.append(name, value);
        }
    }
    if let Some(name) = &server.name {
        headers.entry(SERVER).or_insert_with(|| name.clone());
    }
    response
}

/// The open connections, oldest first, and whether each is answering a request.
struct Connections {
    max: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    /// The id of the next connection; ids grow, so the smallest is the oldest.
    next: u64,
    by_age: BTreeMap<u64, Tracked>,
}

struct Tracked {
    busy: Arc<AtomicBool>,
    /// Tells the connection's task to close it.
    shed: oneshot::Sender<()>,
}

/// Whether a new connection is served.
enum Admission {
    /// Served; the receiver fires when it is shed for a newer one.
    Open(Slot, oneshot::Receiver<()>),
    /// At the cap with every connection answering a request.
    Full,
}

impl Connections {
    fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            open: Mutex::default(),
        }
    }

    /// A slot for a new connection, shedding the oldest idle one at the cap.
    fn admit(self: &Arc<Self>) -> Admission {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.by_age.len() >= self.max {
            let oldest_idle = open
                .by_age
                .iter()
                .find(|(_, tracked)| !tracked.busy.load(Ordering::Relaxed))
                .map(|(id, _)| *id);
            match oldest_idle.and_then(|id| open.by_age.remove(&id)) {
                // The connection may have just closed by itself: then there is nothing to tell.
                Some(tracked) => {
                    let _ = tracked.shed.send(());
                }
                None => return Admission::Full,
            }
        }
        let id = open.next;
        open.next += 1;
        let busy = Arc::new(AtomicBool::new(false));
        let (shed, shed_signal) = oneshot::channel();
        open.by_age.insert(
            id,
            Tracked {
                busy: Arc::clone(&busy),
                shed,
            },
        );
        let slot = Slot {
            id,
            busy,
            connections: Arc::clone(self),
        };
        Admission::Open(slot, shed_signal)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_age
            .len()
    }
}

/// A connection's place among the open ones, given up when dropped.
struct Slot {
    id: u64,
    busy: Arc<AtomicBool>,
    connections: Arc<Connections>,
}

impl Slot {
    /// Marks the connection as answering a request until the guard is dropped.
    fn answering(&self) -> Answering {
        self.busy.store(true, Ordering::Relaxed);
        Answering(Arc::clone(&self.busy))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connections
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_age
            .remove(&self.id);
    }
}

/// A request being answered on a connection (see [`Slot::answering`]).
struct Answering(Arc<AtomicBool>);

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(connections: &Arc<Connections>) -> (Slot, oneshot::Receiver<()>) {
        match connections.admit() {
            Admission::Open(slot, shed) => (slot, shed),
            Admission::Full => panic!("refused below the cap or with an idle connection"),
        }
    }

    #[test]
    fn at_the_cap_the_oldest_idle_connection_is_shed() {
        let connections = Arc::new(Connections::new(3));
        let (first, mut first_shed) = open(&connections);
        let (second, mut second_shed) = open(&connections);
        let (_third, mut third_shed) = open(&connections);
        let _busy = first.answering();
        let (_fourth, _) = open(&connections);
        assert_eq!(
            first_shed.try_recv(),
            Err(oneshot::error::TryRecvError::Empty)
        );
        assert_eq!(second_shed.try_recv(), Ok(()), "the oldest idle one");
        assert_eq!(
            third_shed.try_recv(),
            Err(oneshot::error::TryRecvError::Empty)
        );
        assert_eq!(connections.len(), 3);
        // A shed connection that then closes gives up no one else's place.
        drop(second);
        assert_eq!(connections.len(), 3);
    }

    #[test]
    fn at_the_cap_with_every_connection_busy_a_new_one_is_refused() {
        let connections = Arc::new(Connections::new(2));
        let (first, mut first_shed) = open(&connections);
        let (second, _second_shed) = open(&connections);
        let (first_busy, _second_busy) = (first.answering(), second.answering());
        assert!(matches!(connections.admit(), Admission::Full));
        drop(first_busy);
        let (_newcomer, _) = open(&connections);
        assert_eq!(first_shed.try_recv(), Ok(()), "idle again, so shed");
        assert_eq!(connections.len(), 2);
    }

    #[test]
    fn a_closed_connection_frees_its_place() {
        let connections = Arc::new(Connections::new(1));
        let (slot, _shed) = open(&connections);
        let busy = slot.answering();
        assert!(matches!(connections.admit(), Admission::Full));
        drop(busy);
        drop(slot);
        assert_eq!(connections.len(), 0);
        let (_slot, mut shed) = open(&connections);
        assert_eq!(shed.try_recv(), Err(oneshot::error::TryRecvError::Empty));
    }

    #[test]
    fn a_panicking_handler_is_a_500() {
        let reply = answer(|| panic!("a bug in a handler"));
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            reply.body_text(),
            "the server failed on this request; it keeps answering others\n"
        );
        let fine = answer(Reply::no_content);
        assert_eq!(fine.status, StatusCode::NO_CONTENT);
    }
}
