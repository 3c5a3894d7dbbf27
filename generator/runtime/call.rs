//! One call of one operation: per-call options, the retry loop, and decoding the answer.

use crate::Error;
use crate::client::{Auth, Client};
use crate::error::{ApiFailure, excerpt, is_retryable_status};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// An operation of the API, as a type: what it returns and where it goes.
///
/// Implemented by the marker types in [`operations`](crate::operations); it is what lets a
/// [`Call`] know its result type and offer the operation's optional parameters.
pub trait Operation {
    /// The decoded success body.
    type Output: serde::de::DeserializeOwned;
    /// The spec's operationId.
    const ID: &'static str;
    /// The HTTP method.
    const METHOD: &'static str;
    /// The path template, such as `/sessions/{sessionId}`.
    const PATH: &'static str;
}

/// A successful answer with its status and headers, from [`Call::send_with_response`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status (a 2xx).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

/// How a call chooses its `Idempotency-Key`.
#[derive(Debug, Clone)]
enum KeyChoice {
    /// A fresh UUID v4 for a POST whose operation accepts a key; none otherwise.
    Automatic,
    /// The caller's key.
    Given(String),
    /// No key at all.
    Disabled,
}

/// One call, ready to send: `.await` it for the body, or set per-call options first.
///
/// Every attempt of a call sends the same `Idempotency-Key`, so a retried payment is never a
/// second payment. A POST is retried after it may have reached the server only when it carries
/// a key.
///
/// ```no_run
/// # async fn run(client: plexy::Client, request: plexy::models::PaymentRequest) -> Result<(), plexy::Error> {
/// use std::time::Duration;
///
/// let payment = client
///     .create_payment(&request)
///     .idempotency_key("order-1729012345-attempt-1")
///     .timeout(Duration::from_secs(20))
///     .max_retries(4)
///     .send_with_response()
///     .await?;
/// println!("{} {:?}", payment.status, payment.body.psp_reference);
/// # Ok(())
/// # }
/// ```
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<'a, O: Operation> {
    client: &'a Client,
    segments: Vec<String>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(String, String)>,
    body: Option<Result<Vec<u8>, serde_json::Error>>,
    accepts_idempotency_key: bool,
    key: KeyChoice,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> std::fmt::Debug for Call<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call").field("operation", &O::ID).field("path", &self.segments).finish_non_exhaustive()
    }
}

impl<'a, O: Operation> Call<'a, O> {
    /// A call to `O` at the given path segments (already filled in, not yet encoded).
    pub(crate) fn new(client: &'a Client, segments: Vec<String>) -> Self {
        Call {
            client,
            segments,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accepts_idempotency_key: false,
            key: KeyChoice::Automatic,
            timeout: None,
            max_retries: None,
            operation: PhantomData,
        }
    }

    /// Sets the JSON body.
    pub(crate) fn json_body<T: serde::Serialize>(mut self, body: &T) -> Self {
        self.body = Some(serde_json::to_vec(body));
        self
    }

    /// Adds a query parameter.
    pub(crate) fn query_param(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a header parameter the spec declares.
    #[allow(dead_code, reason = "used only when the spec declares header parameters")]
    pub(crate) fn header_param(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.headers.push((name.to_owned(), value.to_string()));
        self
    }

    /// Marks the operation as one the spec lets take an `Idempotency-Key`.
    #[allow(dead_code, reason = "used only when the spec declares an Idempotency-Key header")]
    pub(crate) fn idempotent(mut self) -> Self {
        self.accepts_idempotency_key = true;
        self
    }

    /// Sends your own `Idempotency-Key` (1 to 255 characters; a UUID is a good choice) instead of
    /// the automatic one. Use a key derived from your order to make the call safe across process
    /// restarts too.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.key = KeyChoice::Given(key.into());
        self
    }

    /// Sends no `Idempotency-Key`. The call is then not retried once it may have reached the
    /// server (a POST without a key could charge twice).
    pub fn without_idempotency_key(mut self) -> Self {
        self.key = KeyChoice::Disabled;
        self
    }

    /// This call's per-attempt timeout instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// This call's retry budget instead of the client's.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An extra header on every attempt of this call.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the call and decodes the success body.
    pub async fn send(self) -> Result<O::Output, Error> {
        self.send_with_response().await.map(|r| r.body)
    }

    /// Sends the call and keeps the status and headers beside the decoded body, so that request
    /// IDs and references can be logged.
    pub async fn send_with_response(self) -> Result<Response<O::Output>, Error> {
        let span = tracing::info_span!(
            "api_call",
            operation = O::ID,
            method = O::METHOD,
            path = O::PATH,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = tracing::Instrument::instrument(self.run(), span.clone()).await;
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(r) => {
                span.record("status", r.status.as_u16());
            }
            Err(e) => {
                if let Some(status) = e.status() {
                    span.record("status", status.as_u16());
                }
                span.in_scope(|| tracing::info!(error_kind = error_kind(e), "call failed"));
            }
        }
        result
    }

    async fn run(self) -> Result<Response<O::Output>, Error> {
        let inner = &self.client.inner;
        let body = self.body.transpose().map_err(Error::Encode)?;
        let url = build_url(&inner.base_url, &self.segments, &self.query);
        let method = Method::from_bytes(O::METHOD.as_bytes()).map_err(|e| Error::Config(e.to_string()))?;
        let key = match self.key {
            KeyChoice::Given(key) => Some(key),
            KeyChoice::Automatic if self.accepts_idempotency_key && method == Method::POST => {
                Some(uuid::Uuid::new_v4().to_string())
            }
            KeyChoice::Automatic | KeyChoice::Disabled => None,
        };
        let headers = request_headers(inner, &self.headers, key.as_deref(), body.is_some())?;
        // A request that may have reached the server is repeated only when repeating cannot act
        // twice: GET-like methods, or any method with an idempotency key.
        let safe_to_repeat = key.is_some() || matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
        let max_retries = self.max_retries.unwrap_or(inner.max_retries);
        let timeout = self.timeout.unwrap_or(inner.timeout);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            tracing::Span::current().record("attempts", attempt);
            let mut request = inner.http.request(method.clone(), url.clone()).headers(headers.clone()).timeout(timeout);
            if let Some(body) = &body {
                request = request.body(body.clone());
            }
            let sent_at = Instant::now();
            let outcome = request.send().await;
            let retries_left = attempt <= max_retries;
            match outcome {
                Ok(response) => {
                    let status = response.status();
                    tracing::debug!(
                        attempt,
                        status = status.as_u16(),
                        latency_ms = sent_at.elapsed().as_millis() as u64,
                        "answer"
                    );
                    if status.is_success() {
                        return decode::<O::Output>(response, timeout).await;
                    }
                    if retries_left && safe_to_repeat && is_retryable_status(status) {
                        let wait = retry_after(response.headers()).map(|w| w.min(inner.max_backoff));
                        tokio::time::sleep(wait.unwrap_or_else(|| backoff(inner, attempt))).await;
                        continue;
                    }
                    return Err(api_failure(response).await);
                }
                Err(e) => {
                    // A failure to connect means nothing was sent; anything later may have been.
                    let sent = !e.is_connect();
                    tracing::debug!(attempt, sent, timeout = e.is_timeout(), "transport failure");
                    if retries_left && (!sent || safe_to_repeat) {
                        tokio::time::sleep(backoff(inner, attempt)).await;
                        continue;
                    }
                    return Err(if e.is_timeout() {
                        Error::Timeout { sent }
                    } else {
                        Error::Connection { sent, source: e }
                    });
                }
            }
        }
    }
}

impl<'a, O> IntoFuture for Call<'a, O>
where
    O: Operation + 'a,
    O::Output: Send + 'a,
{
    type Output = Result<O::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The base URL with the encoded path segments and query appended.
fn build_url(base: &reqwest::Url, segments: &[String], query: &[(&'static str, String)]) -> reqwest::Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

/// The headers every attempt sends. The credential is marked sensitive so that it is kept out
/// of debug output.
fn request_headers(
    inner: &crate::client::Inner,
    extra: &[(String, String)],
    key: Option<&str>,
    has_body: bool,
) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    let value = |v: &str| {
        HeaderValue::from_str(v).map_err(|_| Error::Config("a header value has characters HTTP does not allow".into()))
    };
    match crate::spec::AUTH {
        Auth::Header(name) => {
            let mut secret = value(inner.api_key.expose())?;
            secret.set_sensitive(true);
            headers.insert(HeaderName::from_static(name), secret);
        }
        Auth::Bearer => {
            let mut secret = value(&format!("Bearer {}", inner.api_key.expose()))?;
            secret.set_sensitive(true);
            headers.insert(reqwest::header::AUTHORIZATION, secret);
        }
        Auth::None => {}
    }
    headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(reqwest::header::USER_AGENT, value(&inner.user_agent)?);
    if has_body {
        headers.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if let Some(key) = key {
        headers.insert(HeaderName::from_static("idempotency-key"), value(key)?);
    }
    for (name, v) in extra {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
        headers.append(name, value(v)?);
    }
    Ok(headers)
}

/// Exponential backoff from the client's initial wait, capped, with jitter in its upper half so
/// that many clients do not retry in step.
fn backoff(inner: &crate::client::Inner, attempt: u32) -> Duration {
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

/// Reads and decodes a 2xx body, naming the JSON path of the first value that does not fit.
async fn decode<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
    timeout: Duration,
) -> Result<Response<T>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = read_body(response, timeout).await?;
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"null" } else { &bytes };
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(body) => Ok(Response { status, headers, body }),
        Err(e) => Err(Error::Decode {
            status,
            path: e.path().to_string(),
            excerpt: excerpt(&bytes, 512),
            source: e.into_inner(),
        }),
    }
}

/// Reads the body of a response, mapping transport failures.
async fn read_body(response: reqwest::Response, timeout: Duration) -> Result<Vec<u8>, Error> {
    match tokio::time::timeout(timeout, response.bytes()).await {
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
        Ok(Err(e)) if e.is_timeout() => Err(Error::Timeout { sent: true }),
        Ok(Err(e)) => Err(Error::Connection { sent: true, source: e }),
        Err(_) => Err(Error::Timeout { sent: true }),
    }
}

/// A non-2xx answer as an error, with the documented error body when it parses.
async fn api_failure(response: reqwest::Response) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let raw = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&raw).ok();
    Error::Api(Box::new(ApiFailure { status, body, raw, headers }))
}

/// A short name of the error's kind for logs (never its contents).
fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Api(_) => "api",
        Error::Timeout { .. } => "timeout",
        Error::Connection { .. } => "connection",
        Error::Decode { .. } => "decode",
        Error::Encode(_) => "encode",
        Error::Config(_) => "config",
    }
}
