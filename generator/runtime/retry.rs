//! The retry loop of one call: sends its attempts, records how each ended, and decides whether
//! another attempt is both safe (it cannot act twice) and useful (the answer may change).

use crate::Error;
use crate::client::Inner;
use crate::error::{ApiFailure, is_retryable_status};
use crate::history::{Attempt, AttemptOutcome, History};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::time::{Duration, Instant};

/// Everything the attempts of one call share.
pub(crate) struct Plan {
    pub(crate) method: Method,
    pub(crate) url: reqwest::Url,
    pub(crate) headers: HeaderMap,
    /// Attached anew to each attempt.
    pub(crate) body: Option<Box<dyn crate::body::RequestBody>>,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    /// The idempotency key in `headers`, if any.
    pub(crate) idempotency_key: Option<String>,
    /// The history of the earlier call with the same key that this call continues.
    pub(crate) earlier: Option<Box<History>>,
    /// The schemes of the credentials the call sends whose providers are asked for a fresh one
    /// before each attempt.
    pub(crate) fresh_credentials: Vec<(&'static crate::credentials::Scheme, crate::client::TokenProvider)>,
    /// Hand a 2xx body over unread ([`crate::Call::send_streaming`]): the timeout then ends
    /// when the headers arrive, and the body is the caller's to read.
    pub(crate) stream: bool,
}

impl Plan {
    /// Whether an attempt that may have reached the server can be repeated without acting twice:
    /// the idempotent methods of RFC 9110 (section 9.2.2: GET, HEAD, OPTIONS, TRACE, PUT,
    /// DELETE), or any method with an idempotency key.
    fn safe_to_repeat(&self) -> bool {
        self.idempotency_key.is_some()
            || matches!(self.method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE)
    }
}

/// A 2xx answer, with the call's history.
pub(crate) struct Delivered {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The body read in full (empty when it was handed over unread).
    pub(crate) body: bytes::Bytes,
    /// The answer with its body unread, for a streaming call.
    pub(crate) open: Option<reqwest::Response>,
    pub(crate) history: History,
}

/// How one attempt ended, with what the next step needs.
enum Ending {
    /// A 2xx answer, read in full.
    Success { status: StatusCode, headers: HeaderMap, body: bytes::Bytes },
    /// A 2xx answer to a streaming call, its body not read.
    Open { status: StatusCode, headers: HeaderMap, response: reqwest::Response },
    /// A non-2xx answer, its body not yet read.
    Refused(reqwest::Response),
    /// The transport failed before a status arrived, or while a 2xx body was being read.
    Failed { outcome: AttemptOutcome, error: Option<reqwest::Error> },
}

impl Ending {
    fn outcome(&self) -> AttemptOutcome {
        match self {
            Ending::Success { status, .. } | Ending::Open { status, .. } => AttemptOutcome::Answered(*status),
            Ending::Refused(response) => AttemptOutcome::Answered(response.status()),
            Ending::Failed { outcome, .. } => *outcome,
        }
    }
}

/// Sends the call until it succeeds, fails for good, or runs out of retries.
///
/// Retried: a failed connection always (nothing was sent); when the call is safe to repeat, a
/// timeout, a lost connection, a 2xx whose body did not arrive in full, 429 and the transient
/// 5xx; and a 409 to a call with an idempotency key, which means an earlier attempt with the
/// same key is still being processed.
pub(crate) async fn deliver(inner: &Inner, mut plan: Plan) -> Result<Delivered, Error> {
    let mut history = History::new(plan.idempotency_key.clone(), plan.earlier.take());
    let safe_to_repeat = plan.safe_to_repeat();
    loop {
        let number = history.attempt_count() + 1;
        crate::telemetry::attempt_started(number);
        for (scheme, provider) in &plan.fresh_credentials {
            let fresh = provider.fresh().await;
            match fresh.and_then(|key| Ok(crate::credentials::header(scheme, &key)?)) {
                Ok(Some((name, value))) => {
                    plan.headers.insert(name, value);
                }
                Ok(None) => {}
                Err(source) => return Err(Error::Credential { source, history }),
            }
        }
        let started = Instant::now();
        let last = number > plan.max_retries;
        let ending = attempt(inner, &mut plan, last).await;
        let outcome = ending.outcome();
        history.attempts.push(Attempt { number, outcome, elapsed: started.elapsed() });
        let retries_left = number <= plan.max_retries;
        let wait = match &ending {
            Ending::Success { .. } | Ending::Open { .. } => None,
            Ending::Refused(response) => {
                let status = response.status();
                let key_in_use = status == StatusCode::CONFLICT && plan.idempotency_key.is_some();
                let worth_it = key_in_use || (safe_to_repeat && is_retryable_status(status));
                (retries_left && worth_it).then(|| {
                    let asked = retry_after(response.headers()).map(|w| w.min(inner.max_backoff));
                    asked.unwrap_or_else(|| backoff(inner, number))
                })
            }
            Ending::Failed { outcome, .. } => {
                let safe = !outcome.may_have_been_sent() || safe_to_repeat;
                (retries_left && safe).then(|| backoff(inner, number))
            }
        };
        crate::telemetry::attempt_ended(number, &outcome, plan.idempotency_key.as_deref(), started.elapsed(), wait);
        if let Some(wait) = wait {
            tokio::time::sleep(wait).await;
            continue;
        }
        return match ending {
            Ending::Success { status, headers, body } => Ok(Delivered { status, headers, body, open: None, history }),
            Ending::Open { status, headers, response } => {
                Ok(Delivered { status, headers, body: bytes::Bytes::new(), open: Some(response), history })
            }
            Ending::Refused(response) => Err(api_failure(response, history).await),
            Ending::Failed { error, .. } => {
                let sent = history.may_have_been_processed();
                // A connect timeout is a timeout too, though nothing was sent.
                match error {
                    Some(source) if !source.is_timeout() => {
                        // reqwest's errors print the URL, which may carry an API key.
                        let source = if crate::credentials::key_in_url() { source.without_url() } else { source };
                        Err(Error::Connection { sent, source, history })
                    }
                    _ => Err(Error::Timeout { sent, history }),
                }
            }
        };
    }
}

/// Sends one attempt and, for a 2xx, reads its body within the attempt's timeout. The call's
/// last possible attempt (`last`) takes the headers; an earlier one copies them for the next.
async fn attempt(inner: &Inner, plan: &mut Plan, last: bool) -> Ending {
    let mut request = reqwest::Request::new(plan.method.clone(), plan.url.clone());
    // Set as a whole, not merged header by header into a map of the request's own.
    *request.headers_mut() = if last { std::mem::take(&mut plan.headers) } else { plan.headers.clone() };
    if !plan.stream {
        // reqwest's timeout runs until the last byte of the body, so it covers the whole
        // attempt. A streamed body may take long: its attempt is timed up to the headers below.
        *request.timeout_mut() = Some(plan.timeout);
    }
    let mut request = reqwest::RequestBuilder::from_parts(inner.http.clone(), request);
    if let Some(body) = &mut plan.body {
        request = body.attach(request);
    }
    let sent = if plan.stream {
        match tokio::time::timeout(plan.timeout, request.send()).await {
            Ok(sent) => sent,
            Err(_) => return Ending::Failed { outcome: AttemptOutcome::TimedOut, error: None },
        }
    } else {
        request.send().await
    };
    let mut response = match sent {
        Ok(response) => response,
        Err(e) => {
            // A failure to connect means nothing was sent; anything later may have been.
            let outcome = if e.is_connect() {
                AttemptOutcome::NotConnected
            } else if e.is_timeout() {
                AttemptOutcome::TimedOut
            } else {
                AttemptOutcome::ConnectionLost
            };
            return Ending::Failed { outcome, error: Some(e) };
        }
    };
    let status = response.status();
    if !status.is_success() {
        return Ending::Refused(response);
    }
    // Moved out, not copied: the reading below needs only the body.
    let headers = std::mem::take(response.headers_mut());
    if plan.stream {
        return Ending::Open { status, headers, response };
    }
    match response.bytes().await {
        Ok(body) => Ending::Success { status, headers, body },
        Err(e) if e.is_timeout() => Ending::Failed { outcome: AttemptOutcome::BodyTimedOut(status), error: Some(e) },
        Err(e) => Ending::Failed { outcome: AttemptOutcome::BodyInterrupted(status), error: Some(e) },
    }
}

/// Exponential backoff from the client's initial wait, capped, with jitter in its upper half so
/// that many clients do not retry in step.
fn backoff(inner: &Inner, attempt: u32) -> Duration {
    let exponential = inner.initial_backoff.saturating_mul(1u32 << (attempt - 1).min(16));
    let capped = exponential.min(inner.max_backoff);
    capped / 2 + capped.mul_f64(fastrand::f64() / 2.0)
}

/// The wait a `Retry-After` header asks for: a number of seconds, or an HTTP date (a date in
/// the past asks for no wait).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// A non-2xx answer as an error, with the documented error body when it parses. The status is
/// the answer, so a body that fails to arrive is kept as empty rather than hiding it.
async fn api_failure(response: reqwest::Response, history: History) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let raw = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&raw).ok();
    Error::Api(Box::new(ApiFailure { status, body, raw, headers, history }))
}
