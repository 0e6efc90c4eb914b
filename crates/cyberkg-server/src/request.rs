//! The request and the reply the handlers see: only what they need of HTTP.
//!
//! Handlers are functions from a [`Request`] to a [`Reply`], so that they are
//! tested without a socket; `server.rs` converts to and from the HTTP
//! library's types. Invariant: an error [`Reply`] is plain text of exactly
//! one line (the reason), whatever the message it was made from.

pub use oxhttp::model::StatusCode;

/// The request methods the server tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `HEAD`: answered as `GET`, without the body.
    Head,
    /// `POST`.
    Post,
    /// `OPTIONS`: the allowed methods (and a CORS preflight answer with `--cors`).
    Options,
    /// Anything else (`PUT`, `DELETE`, …): refused with 405.
    Other,
}

impl Method {
    /// The method of an HTTP method name.
    pub fn from_name(name: &str) -> Self {
        match name {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "OPTIONS" => Method::Options,
            _ => Method::Other,
        }
    }

    /// Whether the method reads (`GET` or `HEAD`).
    pub fn is_read(self) -> bool {
        matches!(self, Method::Get | Method::Head)
    }
}

/// A request, reduced to what the handlers use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The path as received (still percent-encoded), starting with `/`.
    pub path: String,
    /// The query string without its `?`; empty when there is none.
    pub query: String,
    /// The `Accept` header, if any.
    pub accept: Option<String>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body (already checked against the size limit).
    pub body: Vec<u8>,
}

impl Request {
    /// A request for `target` (a path with an optional `?query`).
    pub fn new(method: Method, target: &str) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        Self {
            method,
            path: path.to_owned(),
            query: query.to_owned(),
            accept: None,
            content_type: None,
            body: Vec::new(),
        }
    }

    /// A `GET` request for `target`.
    pub fn get(target: &str) -> Self {
        Self::new(Method::Get, target)
    }

    /// A `POST` request for `target` with a body of `content_type`.
    pub fn post(target: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut request = Self::new(Method::Post, target);
        request.content_type = Some(content_type.to_owned());
        request.body = body.into();
        request
    }

    /// The same request with an `Accept` header.
    pub fn with_accept(mut self, accept: &str) -> Self {
        self.accept = Some(accept.to_owned());
        self
    }

    /// The parameters of the query string, decoded, in order.
    pub fn parameters(&self) -> Vec<(String, String)> {
        parse_form(self.query.as_bytes())
    }

    /// The media type of the body, lower case, without parameters (`application/sparql-query`).
    pub fn media_type(&self) -> Option<String> {
        let content_type = self.content_type.as_deref()?;
        let media_type = content_type.split(';').next().unwrap_or_default().trim();
        (!media_type.is_empty()).then(|| media_type.to_ascii_lowercase())
    }
}

/// Decodes `application/x-www-form-urlencoded` text (a query string or a form body).
pub fn parse_form(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// Encodes one value for a query string.
pub fn encode_component(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A reply: status, headers and the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The status.
    pub status: StatusCode,
    /// Headers, names in lower case.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A body of `content_type`.
    pub fn bytes(status: StatusCode, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body,
        }
    }

    /// A plain-text reason on one line (line breaks in `message` become spaces).
    pub fn text(status: StatusCode, message: impl AsRef<str>) -> Self {
        let line = message
            .as_ref()
            .split(['\r', '\n'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Self::bytes(
            status,
            "text/plain; charset=utf-8",
            format!("{line}\n").into_bytes(),
        )
    }

    /// A rendered page (200).
    pub fn page(page: maud::Markup) -> Self {
        Self::bytes(
            StatusCode::OK,
            "text/html; charset=utf-8",
            page.into_string().into_bytes(),
        )
    }

    /// 204, no body.
    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The same reply with one more header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The first value of a header (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as text (lossy), for messages and tests.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_into_path_and_decoded_parameters() {
        let request = Request::get("/query?query=SELECT%20*%20WHERE+%7B%7D&default");
        assert_eq!(request.path, "/query");
        assert_eq!(
            request.parameters(),
            vec![
                ("query".to_owned(), "SELECT * WHERE {}".to_owned()),
                ("default".to_owned(), String::new())
            ]
        );
        assert_eq!(Request::get("/").parameters(), vec![]);
    }

    #[test]
    fn media_types_lose_parameters_and_case() {
        let request = Request::post(
            "/query",
            "Application/SPARQL-Query ; charset=UTF-8",
            "ASK {}",
        );
        assert_eq!(
            request.media_type().as_deref(),
            Some("application/sparql-query")
        );
        assert_eq!(Request::get("/").media_type(), None);
    }

    #[test]
    fn text_replies_are_one_line() {
        let reply = Reply::text(StatusCode::BAD_REQUEST, "first\nsecond\r\n");
        assert_eq!(reply.body_text(), "first second\n");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
    }
}
