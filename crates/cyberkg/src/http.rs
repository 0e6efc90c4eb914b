//! The one HTTP client of cyberkg: `push`'s Graph Store requests and the
//! `SERVICE` calls `--allow-service` permits both go through [`Client`].
//!
//! Design: the client is Oxigraph's own (oxhttp: blocking HTTP/1.1, rustls
//! with ring, the platform's root certificates), so that one client, one TLS
//! stack and one set of trusted roots serve the whole program, and a
//! `SERVICE` call made by cyberkg behaves like one made by Oxigraph. This
//! module is the only place that builds it: the user agent, the timeout and
//! the redirect policy are set here and nowhere else.
//!
//! Invariants: redirects are never followed (an allowed `SERVICE` host must
//! not hand a query on to another host, and a Graph Store that moved should
//! be named by its new URL); a failure to get an answer is an [`HttpError`]
//! that says whether retrying may help ([`HttpError::is_transient`]); an
//! answer with any status, error statuses included, is a [`Response`].

use oxhttp::model::Request;
use std::io;
use std::sync::OnceLock;
use std::time::Duration;

pub use oxhttp::model::{Body, Method, Response, StatusCode, Uri};

/// The `User-Agent` of every request (a `--header User-Agent: …` wins).
pub const USER_AGENT: &str = concat!("cyberkg/", env!("CARGO_PKG_VERSION"));

/// How oxhttp words a redirect it was told not to follow (its `Client`
/// turns a 301, 302 or 303 into an error when the redirection limit is 0).
const TOO_MANY_REDIRECTS: &str = "The server requested too many redirects";
/// What precedes the target in that message.
const REDIRECTION_TARGET: &str = "The latest redirection target is ";
/// How the standard library words a failed DNS lookup.
const LOOKUP_FAILED: &str = "failed to lookup address information";

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The method, URL or a header cannot make a request.
    #[error("invalid request: {0}")]
    InvalidRequest(#[from] oxhttp::model::Error),
    /// The TLS handshake failed (an untrusted or wrong certificate, an
    /// endpoint that does not speak TLS, or no root certificates on this
    /// machine): retrying cannot help.
    #[error("the TLS handshake failed: {reason}")]
    Tls {
        /// What rustls reported, such as `invalid peer certificate: UnknownIssuer`.
        reason: String,
    },
    /// The server answered with a redirect, which is not followed.
    #[error("the server redirected to {target}, and redirects are not followed")]
    Redirected {
        /// The `Location` of the redirect, resolved against the request URL.
        target: String,
    },
    /// No answer, for a reason that may pass: a refused or reset
    /// connection, a timeout, an unknown host.
    #[error("{reason}")]
    Unreachable {
        /// `connection refused`, `timed out`, `host not found`, …
        reason: String,
    },
    /// Anything else the client reports (a malformed answer, a port
    /// reserved for another protocol, …).
    #[error(transparent)]
    Other(io::Error),
}

impl HttpError {
    /// Whether the same request may succeed if sent again.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
    }

    /// Sorts one of the client's I/O errors.
    fn from_io(error: io::Error) -> Self {
        use io::ErrorKind;
        if let Some(tls) = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Self::Tls {
                reason: tls.to_string(),
            };
        }
        let message = error.to_string();
        if let Some(rest) = message.strip_prefix(TOO_MANY_REDIRECTS) {
            let target = rest
                .split_once(REDIRECTION_TARGET)
                .map_or("another URL", |(_, target)| target);
            return Self::Redirected {
                target: target.to_owned(),
            };
        }
        if message.starts_with(LOOKUP_FAILED) {
            return Self::Unreachable {
                reason: "host not found".to_owned(),
            };
        }
        let reason = match error.kind() {
            ErrorKind::InvalidInput | ErrorKind::InvalidData | ErrorKind::Other => {
                return Self::Other(error);
            }
            // A read or write timeout set with SO_RCVTIMEO/SO_SNDTIMEO.
            ErrorKind::TimedOut | ErrorKind::WouldBlock => "timed out".to_owned(),
            kind @ (ErrorKind::ConnectionRefused
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::NotConnected
            | ErrorKind::AddrNotAvailable
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkUnreachable
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof) => kind.to_string(),
            _ => message,
        };
        Self::Unreachable { reason }
    }
}

/// cyberkg's HTTP client: no redirects followed, one timeout for
/// connecting and for each read and write.
pub struct Client {
    inner: std::sync::Arc<oxhttp::Client>,
}

/// An answer read in time: its status and the first bytes of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// At most the number of bytes asked for, from the start of the body.
    pub body: Vec<u8>,
}

impl Client {
    /// A client whose connections, reads and writes each wait at most
    /// `timeout`.
    pub fn new(timeout: Duration) -> Self {
        // USER_AGENT is a constant, valid header value; were it not, the
        // client would still work without one.
        let inner = oxhttp::Client::new()
            .with_user_agent(USER_AGENT)
            .unwrap_or_else(|_| oxhttp::Client::new())
            .with_redirection_limit(0)
            .with_global_timeout(timeout);
        Self {
            inner: std::sync::Arc::new(inner),
        }
    }

    /// Sends one request and reads at most `limit` bytes of its answer,
    /// the whole exchange within `deadline`. The client's own timeout
    /// bounds each read, so a server that never answers, or trickles a byte
    /// at a time, could hold a request far longer; past the deadline the
    /// request is abandoned (its thread ends at the next socket timeout)
    /// and the error is [`HttpError::Unreachable`], `no answer within N s`,
    /// which may pass.
    pub fn exchange(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        limit: u64,
        deadline: Duration,
    ) -> Result<Answer, HttpError> {
        use std::io::Read as _;
        let request = build_request(method, url, headers, body)?;
        let inner = std::sync::Arc::clone(&self.inner);
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let answer = inner.request(request).map(|response| {
                let status = response.status();
                let mut body = Vec::new();
                // The status decides; the body is best effort.
                let _ = response.into_body().take(limit).read_to_end(&mut body);
                Answer { status, body }
            });
            // The receiver may have given up waiting: nobody to tell.
            let _ = sender.send(answer);
        });
        let late = || HttpError::Unreachable {
            reason: format!("no answer within {}", seconds(deadline)),
        };
        match receiver.recv_timeout(deadline) {
            // The client's own timeout and the deadline are one limit to the
            // user, whichever of the two fired first.
            Ok(answer) => answer.map_err(|error| match HttpError::from_io(error) {
                HttpError::Unreachable { reason } if reason == "timed out" => late(),
                other => other,
            }),
            Err(_) => Err(late()),
        }
    }

    /// Sends one request and returns the answer, whatever its status.
    pub fn request(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<Response<Body>, HttpError> {
        let request = build_request(method, url, headers, body)?;
        self.inner.request(request).map_err(HttpError::from_io)
    }
}

/// A request, checked; for HTTPS, once the root certificates are known to load.
fn build_request(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<Request<Vec<u8>>, HttpError> {
    let mut request = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(body)?;
    if request.uri().scheme_str() == Some("https") {
        check_root_certificates()?;
    }
    Ok(request)
}

/// `2 s`, `1.5 s`: a duration for messages.
pub fn seconds(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds.fract() == 0.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{seconds} s")
    }
}

/// Whether this machine's root certificates can be loaded, checked once.
///
/// oxhttp loads them at its first HTTPS request and panics if it cannot (a
/// container without `ca-certificates`); loading them here first turns that
/// into an [`HttpError::Tls`]. The platform verifier is the one oxhttp's
/// `rustls-ring-native` feature uses, so both see the same roots.
fn check_root_certificates() -> Result<(), HttpError> {
    use rustls_platform_verifier::ConfigVerifierExt as _;
    static LOADED: OnceLock<Result<(), String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            rustls::ClientConfig::with_platform_verifier()
                .map(drop)
                .map_err(|error| format!("cannot load this machine's root certificates: {error}"))
        })
        .clone()
        .map_err(|reason| HttpError::Tls { reason })
}

/// A loopback port that was just free, so that nothing listens on it and a
/// connection to it is refused (for tests of unreachable endpoints).
#[cfg(test)]
pub(crate) fn free_loopback_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_are_sorted_by_whether_retrying_can_help() {
        use io::ErrorKind;
        let table = [
            (
                io::Error::from(ErrorKind::ConnectionRefused),
                "connection refused",
                true,
            ),
            (io::Error::from(ErrorKind::WouldBlock), "timed out", true),
            (io::Error::from(ErrorKind::TimedOut), "timed out", true),
            (
                io::Error::other("failed to lookup address information: Name or service not known"),
                "host not found",
                true,
            ),
            (
                io::Error::new(
                    ErrorKind::InvalidData,
                    rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
                ),
                "the TLS handshake failed: invalid peer certificate: UnknownIssuer",
                false,
            ),
            (
                io::Error::other(
                    "The server requested too many redirects (1). The latest redirection target is http://h/new",
                ),
                "the server redirected to http://h/new, and redirects are not followed",
                false,
            ),
            (
                io::Error::new(ErrorKind::InvalidInput, "The port 9 is not allowed"),
                "The port 9 is not allowed",
                false,
            ),
        ];
        for (error, message, transient) in table {
            let sorted = HttpError::from_io(error);
            assert_eq!(
                (sorted.to_string(), sorted.is_transient()),
                (message.to_owned(), transient)
            );
        }
    }

    #[test]
    fn a_refused_connection_is_an_error_not_an_answer() {
        let port = free_loopback_port();
        let client = Client::new(Duration::from_secs(5));
        let error = client
            .request(
                Method::GET,
                &format!("http://127.0.0.1:{port}/"),
                &[],
                Vec::new(),
            )
            .map(|response| response.status());
        assert!(
            matches!(&error, Err(HttpError::Unreachable { reason }) if reason == "connection refused"),
            "{error:?}"
        );
    }
}
