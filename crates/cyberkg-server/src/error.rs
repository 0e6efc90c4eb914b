//! Why the server could not start or answer ([`ServeError`]), and why a
//! request failed ([`HttpError`]): the one error type every handler
//! returns, and the one place that turns it into a reply.
//!
//! Handlers are `fn(&App, &Request) -> Result<Reply, HttpError>` and use `?`
//! on every step; [`App::handle`](crate::App::handle) converts an
//! [`HttpError`] with [`Reply::from`]. Invariant: the reply of an error is
//! its status and its reason as one line of plain text (see
//! [`Reply::text`]), plus the headers the status needs (`Allow` on a 405).

use crate::request::{Reply, StatusCode};
use oxigraph::store::StorageError;

/// Why the server could not start or answer.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Reading the store failed.
    #[error("cannot read the store: {0}")]
    Storage(#[from] StorageError),
    /// One of the server's own queries failed.
    #[error("an internal query failed: {0}")]
    Query(String),
    /// The store does not say which base its IRIs are under.
    #[error(
        "the store holds no cyberkg dataset description (a void:Dataset with void:rootResource and void:uriSpace), so its base IRI is unknown; rebuild it with `cyberkg build`"
    )]
    NoBase,
    /// A page of a paginated list past its last page.
    #[error("there is no page {page}: the list has {pages} page(s)")]
    NoSuchPage {
        /// The page asked for (1-based).
        page: usize,
        /// How many pages the list has.
        pages: usize,
    },
    /// Writing an answer failed.
    #[error("cannot write the answer: {0}")]
    Io(#[from] std::io::Error),
}

/// A failed request: a status, a one-line reason, and the headers that go with the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    status: StatusCode,
    reason: String,
    headers: Vec<(&'static str, String)>,
}

impl HttpError {
    /// An error of `status` with `reason`.
    pub fn new(status: StatusCode, reason: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.into(),
            headers: Vec::new(),
        }
    }

    /// 400: the request is malformed.
    pub fn bad_request(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, reason)
    }

    /// 403: the request is understood and refused.
    pub fn forbidden(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, reason)
    }

    /// 404: no such resource or graph.
    pub fn not_found(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, reason)
    }

    /// 406: no offered media type fits the `Accept` header.
    pub fn not_acceptable(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_ACCEPTABLE, reason)
    }

    /// 415: a body of a media type the endpoint does not read.
    pub fn unsupported_media_type(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, reason)
    }

    /// 500: the server failed.
    pub fn internal(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, reason)
    }

    /// 413: the body is larger than the server's limit.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than this server's limit of {limit} bytes"),
        )
    }

    /// 405 with the `Allow` header: "`path` accepts only `allowed`" (`"GET and HEAD"`).
    pub fn method_not_allowed(path: &str, allowed: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{path} accepts only {allowed}"),
        )
        .with_header("allow", allowed.replace(" and ", ", "))
    }

    /// The same error with one more header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The reason, as given.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl From<HttpError> for Reply {
    fn from(error: HttpError) -> Self {
        let mut reply = Reply::text(error.status, &error.reason);
        reply.headers.extend(error.headers);
        reply
    }
}

impl From<ServeError> for HttpError {
    fn from(error: ServeError) -> Self {
        match error {
            ServeError::NoSuchPage { .. } => Self::not_found(error.to_string()),
            _ => Self::internal(error.to_string()),
        }
    }
}

impl From<StorageError> for HttpError {
    fn from(error: StorageError) -> Self {
        ServeError::from(error).into()
    }
}

/// The result of a handler.
pub type HandlerResult = Result<Reply, HttpError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_one_line_replies_with_their_headers() {
        let reply = Reply::from(HttpError::method_not_allowed("/store", "GET and HEAD"));
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(reply.header("allow"), Some("GET, HEAD"));
        assert_eq!(reply.body_text(), "/store accepts only GET and HEAD\n");
        let reply = Reply::from(HttpError::internal("first\nsecond"));
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(reply.body_text(), "first second\n");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
    }
}
