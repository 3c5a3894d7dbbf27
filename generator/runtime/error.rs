//! The crate's one error type: what went wrong with a call, and whether to retry or reconcile.

use crate::ApiErrorBody;

/// Everything a call can fail with.
///
/// Two questions matter more than the kind: [`Error::is_retryable`] (would the same call, sent
/// again, plausibly succeed?) and [`Error::may_have_been_processed`] (could the server have acted
/// on the request even though no success came back?). When the second is true, reconcile (look
/// the payment up) before charging again, or retry with the same idempotency key.
///
/// ```
/// # fn handle(error: plexy::Error) {
/// match &error {
///     plexy::Error::Api(failure) => eprintln!("API error {}: {}", failure.status, failure.raw),
///     other if other.may_have_been_processed() => eprintln!("reconcile before retrying: {other}"),
///     other => eprintln!("failed before reaching the API: {other}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status outside 2xx.
    #[error("{0}")]
    Api(Box<ApiFailure>),
    /// No complete answer arrived in time.
    #[error("the request timed out{}", if *.sent { " after it was sent; it may have been processed" } else { "" })]
    Timeout {
        /// Whether the request may have reached the server before the timeout.
        sent: bool,
    },
    /// The connection failed (DNS, TCP, TLS, or the connection dropped).
    #[error("the connection failed: {source}")]
    Connection {
        /// Whether the request may have reached the server before the failure.
        sent: bool,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// A 2xx response whose body does not fit the expected type.
    #[error("the {status} response does not decode at `{path}`: {source}")]
    Decode {
        /// The HTTP status of the response.
        status: reqwest::StatusCode,
        /// The JSON path of the value that did not fit, such as `action.url`.
        path: String,
        /// The start of the body, at most 512 bytes.
        excerpt: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// The request body could not be turned into JSON.
    #[error("the request body could not be encoded: {0}")]
    Encode(#[source] serde_json::Error),
    /// The client was configured with a value it cannot use.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// A non-2xx answer from the API.
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiFailure {
    /// The HTTP status.
    pub status: reqwest::StatusCode,
    /// The error body, when it is JSON of the documented shape.
    pub body: Option<ApiErrorBody>,
    /// The body as text, kept whether or not it parsed.
    pub raw: String,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        if self.body.is_none() && !self.raw.is_empty() {
            write!(f, ": {}", excerpt(self.raw.as_bytes(), 200))?;
        }
        Ok(())
    }
}

impl Error {
    /// Whether sending the same call again may succeed: timeouts, connection failures, 429 and
    /// 5xx answers. Other 4xx answers and decode failures will not change on retry.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(f) => is_retryable_status(f.status),
            Error::Timeout { .. } | Error::Connection { .. } => true,
            Error::Decode { .. } | Error::Encode(_) | Error::Config(_) => false,
        }
    }

    /// Whether the API may have acted on the request although no success came back: a timeout
    /// or dropped connection after sending, or a 5xx answer. Reconcile before charging again.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Error::Api(f) => f.status.is_server_error(),
            Error::Timeout { sent } | Error::Connection { sent, .. } => *sent,
            Error::Decode { .. } => true,
            Error::Encode(_) | Error::Config(_) => false,
        }
    }

    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(f) => Some(f.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// 429 and the 5xx statuses the API documents as transient.
pub(crate) fn is_retryable_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// At most `limit` bytes of `body` as text, cut on a character boundary.
pub(crate) fn excerpt(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(limit)]);
    let text = text.trim_end_matches('\u{fffd}');
    if body.len() > limit { format!("{text}…") } else { text.to_owned() }
}
