//! What a call tells `tracing`, with the crate's `tracing` feature: a span per call (operation,
//! method, path template, attempts, status, latency) and an event per attempt, never bodies or
//! credentials. Without the feature these functions do nothing and compile away.

use crate::Error;
use crate::call::Response;
use std::future::Future;
use std::time::Duration;

/// What a call ends with when it succeeds: an answer with a status.
pub(crate) trait Answer {
    /// The HTTP status.
    #[allow(dead_code, reason = "read only with the `tracing` feature")]
    fn status(&self) -> reqwest::StatusCode;
}

impl<T> Answer for Response<T> {
    fn status(&self) -> reqwest::StatusCode {
        self.status
    }
}

impl Answer for crate::Download {
    fn status(&self) -> reqwest::StatusCode {
        self.status
    }
}

/// Runs a call inside its span and records how it ended. The call's future is made here, by
/// `call`, and awaited where it is made: a future passed in would be held twice over (as the
/// argument and as the future awaited), and `.await` on a `Call` boxes the whole of it.
#[cfg(feature = "tracing")]
pub(crate) async fn in_call_span<A: Answer, F: Future<Output = Result<A, Error>>>(
    operation: &'static str,
    method: &'static str,
    path: &'static str,
    call: impl FnOnce() -> F,
) -> Result<A, Error> {
    let span = tracing::info_span!(
        "api_call",
        operation,
        method,
        path,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let result = tracing::Instrument::instrument(call(), span.clone()).await;
    span.record("latency_ms", started.elapsed().as_millis() as u64);
    match &result {
        Ok(r) => {
            span.record("status", r.status().as_u16());
        }
        Err(e) => {
            if let Some(status) = e.status() {
                span.record("status", status.as_u16());
            }
            span.in_scope(|| {
                tracing::info!(
                    error_kind = error_kind(e),
                    may_have_been_processed = e.may_have_been_processed(),
                    idempotency_key = e.idempotency_key().unwrap_or(""),
                    "call failed"
                )
            });
        }
    }
    result
}

/// The call's future itself (no span: the `tracing` feature is off), not awaited inside another
/// `async fn`, which would hold it twice over.
#[cfg(not(feature = "tracing"))]
pub(crate) fn in_call_span<A: Answer, F: Future<Output = Result<A, Error>>>(
    _operation: &'static str,
    _method: &'static str,
    _path: &'static str,
    call: impl FnOnce() -> F,
) -> F {
    call()
}

/// Records that attempt number `attempt` starts.
pub(crate) fn attempt_started(attempt: u32) {
    #[cfg(feature = "tracing")]
    tracing::Span::current().record("attempts", attempt);
    #[cfg(not(feature = "tracing"))]
    let _ = attempt;
}

/// Records how an attempt ended and the wait before the next one, if any.
pub(crate) fn attempt_ended(
    attempt: u32,
    outcome: &crate::history::AttemptOutcome,
    idempotency_key: Option<&str>,
    latency: Duration,
    retry_in: Option<Duration>,
) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        attempt,
        outcome = %outcome,
        idempotency_key = idempotency_key.unwrap_or(""),
        latency_ms = latency.as_millis() as u64,
        retry_in_ms = retry_in.map(|w| w.as_millis() as u64),
        "attempt"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (attempt, outcome, idempotency_key, latency, retry_in);
}

/// A short name of the error's kind for logs (never its contents).
#[cfg(feature = "tracing")]
fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Api(_) => "api",
        Error::Timeout { .. } => "timeout",
        Error::Connection { .. } => "connection",
        Error::Decode { .. } => "decode",
        Error::Credential { .. } => "credential",
        Error::Encode(_) => "encode",
        Error::Config(_) => "config",
    }
}
