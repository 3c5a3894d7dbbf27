//! The crate's one error type: what went wrong with a call, and whether to retry or reconcile.

use crate::ApiErrorBody;
use crate::history::History;

/// Everything a call can fail with.
///
/// Two questions matter more than the kind: [`Error::may_have_been_processed`] (could the server
/// have acted on the call, on any of its attempts, although no success came back?) and
/// [`Error::is_retryable`] (would the same call, sent again, plausibly succeed?). Ask them in
/// that order: an API error such as a 500 can follow an attempt that charged the payment.
/// When the call may have been processed, reconcile (look the payment up) or send it again with
/// the same idempotency key, never with a new one.
///
/// ```
/// // The order of checks after any call of this API failed with `error`.
/// fn what_to_do(error: &plexy::Error) -> &'static str {
///     if error.may_have_been_processed() {
///         // The same key (`Call::idempotency_key_from`) makes the server answer with the first
///         // result instead of acting again; or look the outcome up.
///         "reconcile, or send again with the same idempotency key"
///     } else if let plexy::Error::Api(_) = error {
///         "rejected: fix the request"
///     } else {
///         "not processed: safe to send again"
///     }
/// }
/// # let _ = what_to_do;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status outside 2xx.
    #[error("{failure}{note}", failure = .0, note = .0.history.note())]
    Api(Box<ApiFailure>),
    /// No complete answer arrived in time.
    #[error("the request timed out{}", .history.note())]
    Timeout {
        /// Whether any attempt of the call may have been processed (the same as
        /// [`Error::may_have_been_processed`]; an earlier attempt counts).
        sent: bool,
        /// The call's idempotency key and attempts.
        history: History,
    },
    /// The connection failed (DNS, TCP, TLS, or the connection dropped).
    #[error("the connection failed: {source}{}", .history.note())]
    Connection {
        /// Whether any attempt of the call may have been processed (the same as
        /// [`Error::may_have_been_processed`]; an earlier attempt counts).
        sent: bool,
        /// The transport error of the last attempt.
        #[source]
        source: reqwest::Error,
        /// The call's idempotency key and attempts.
        history: History,
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
        /// The call's idempotency key and attempts.
        history: History,
    },
    /// The token provider (see [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider))
    /// failed before an attempt, so that attempt was not sent; earlier attempts count in
    /// [`Error::may_have_been_processed`].
    #[error("the token provider failed: {source}{}", .history.note())]
    Credential {
        /// What the provider returned.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
        /// The call's idempotency key and the attempts sent before.
        history: History,
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
    /// The call's idempotency key and attempts; this answer is the last one.
    pub history: History,
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
    /// Whether sending the same call again may succeed: timeouts, connection failures, 429, 5xx,
    /// and a 409 to a call with an idempotency key (the key was still in use). Other 4xx answers
    /// and decode failures will not change on retry.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(f) => {
                is_retryable_status(f.status)
                    || (f.status == reqwest::StatusCode::CONFLICT && f.history.idempotency_key.is_some())
            }
            // A token provider that failed (its service down, say) may answer the next time.
            Error::Timeout { .. } | Error::Connection { .. } | Error::Credential { .. } => true,
            Error::Decode { .. } | Error::Encode(_) | Error::Config(_) => false,
        }
    }

    /// Whether the API may have acted on the call although no success came back, on any of its
    /// attempts: one that was sent and then timed out, lost its connection, or was answered
    /// with a 5xx or, for a call with an idempotency key, a 409 (the key was still in use). A
    /// decode failure follows a 2xx, so the call was processed. Reconcile, or send the call
    /// again with [`Error::idempotency_key`], before charging again.
    pub fn may_have_been_processed(&self) -> bool {
        self.history().is_some_and(History::may_have_been_processed)
    }

    /// The call's idempotency key and how each attempt ended; `None` for errors raised before
    /// anything was sent ([`Error::Encode`], [`Error::Config`]).
    pub fn history(&self) -> Option<&History> {
        match self {
            Error::Api(f) => Some(&f.history),
            Error::Timeout { history, .. }
            | Error::Connection { history, .. }
            | Error::Decode { history, .. }
            | Error::Credential { history, .. } => Some(history),
            Error::Encode(_) | Error::Config(_) => None,
        }
    }

    /// The `Idempotency-Key` every attempt of the call carried, if any: send the call again with
    /// it (see [`Call::idempotency_key_from`](crate::Call::idempotency_key_from)) to get the
    /// first result instead of a second charge.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.history().and_then(|h| h.idempotency_key.as_deref())
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.history().map_or(0, History::attempt_count)
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
