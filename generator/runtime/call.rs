//! One call of one operation: per-call options, the retry loop, and decoding the answer.

use crate::Error;
use crate::body::{Buffered, RequestBody};
use crate::client::Client;
use crate::credentials::Prepared;
use crate::error::excerpt;
use crate::history::History;
use crate::retry::{Delivered, Plan};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

/// An operation of the API, as a type: what it returns and where it goes.
///
/// Implemented by the marker types in [`operations`](crate::operations); it is what lets a
/// [`Call`] know its result type and offer the operation's optional parameters.
pub trait Operation {
    /// The decoded success body.
    type Output;
    /// The spec's operationId.
    const ID: &'static str;
    /// The HTTP method.
    const METHOD: &'static str;
    /// The path template, such as `/sessions/{sessionId}`.
    const PATH: &'static str;
    /// The `Accept` header: the media types of the success answers.
    const ACCEPT: &'static str;
    /// The operation's security: alternatives in the spec's order, each the indices into
    /// `spec::SCHEMES` of the schemes it needs together; an empty one needs no credential.
    const SECURITY: &'static [&'static [usize]];
    /// The server the spec gives this operation (or its path), used in place of the client's
    /// default one unless the caller set a base URL.
    const SERVER: Option<&'static str>;

    /// Turns the body of a 2xx answer into the output (JSON decoding, text, bytes, or nothing);
    /// a JSON body that does not fit names the path of the value.
    fn decode(body: bytes::Bytes) -> Decoded<Self::Output>;
}

/// What [`Operation::decode`] gives: the output, or why a JSON body does not fit it, with the
/// path of the value at fault.
pub type Decoded<T> = Result<T, serde_path_to_error::Error<serde_json::Error>>;

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
    /// The call's idempotency key and how each attempt ended (the last one is this answer).
    pub history: History,
}

impl<T> Response<T> {
    /// The `Idempotency-Key` every attempt of the call carried, if any: keep it beside your
    /// order to look the payment up or send the same call again safely.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.history.idempotency_key.as_deref()
    }
}

/// How a call chooses its `Idempotency-Key`.
#[derive(Debug, Clone)]
enum KeyChoice {
    /// A fresh UUID v4 for a POST whose operation accepts a key; none otherwise.
    Automatic,
    /// The caller's key.
    Given(String),
    /// The key of an earlier call, whose history this call continues.
    Continued(Box<History>),
    /// No key at all.
    Disabled,
}

/// One call, ready to send: `.await` it for the body, or set per-call options first.
///
/// Every attempt of a call sends the same `Idempotency-Key`, so a retried payment is never a
/// second payment. A POST is retried after it may have reached the server only when it carries
/// a key. A call with a key is also retried when the server answers 409 (an earlier attempt with
/// the key is still being processed) and when a 2xx body is cut off or late: the retry returns
/// the stored answer. The key is on the [`Response`] and on the [`Error`], and
/// [`Call::idempotency_key_from`] sends a call again with it.
///
/// Every method of [`Client`] that stands for an operation returns one (each operation's own
/// documentation shows it); the options below apply to all of them:
///
/// ```no_run
/// # async fn run<O: plexy::Operation>(call: plexy::Call<'_, O>) -> Result<(), plexy::Error> {
/// use std::time::Duration;
///
/// let answer = call
///     .idempotency_key("order-1729012345-attempt-1")
///     .timeout(Duration::from_secs(20))
///     .max_retries(4)
///     .send_with_response()
///     .await?;
/// println!("{} {:?}", answer.status, answer.headers.get("x-request-id"));
/// # Ok(())
/// # }
/// ```
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<'a, O: Operation> {
    client: &'a Client,
    segments: Vec<String>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(String, String)>,
    /// Query pieces already encoded by a parameter style (`name=a,b`, `name[key]=v`).
    encoded_query: Vec<String>,
    /// `name=value` pairs of the `Cookie` header, already encoded.
    cookies: Vec<String>,
    body: Option<Box<dyn RequestBody>>,
    /// A parameter or body that could not be encoded; the call fails with it before sending.
    invalid: Option<Error>,
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
    #[allow(dead_code, reason = "used only when the spec has operations")]
    pub(crate) fn new(client: &'a Client, segments: Vec<String>) -> Self {
        Call {
            client,
            segments,
            query: Vec::new(),
            headers: Vec::new(),
            encoded_query: Vec::new(),
            cookies: Vec::new(),
            body: None,
            invalid: None,
            accepts_idempotency_key: false,
            key: KeyChoice::Automatic,
            timeout: None,
            max_retries: None,
            operation: PhantomData,
        }
    }

    /// Sets the JSON body, sent as `content_type` (`application/json` or another JSON flavour).
    #[allow(dead_code, reason = "used only when the spec has JSON request bodies")]
    pub(crate) fn json_body<T: serde::Serialize>(self, body: &T, content_type: &'static str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.__body(Buffered::boxed(content_type, bytes)),
            Err(e) => self.__invalid(Error::Encode(e)),
        }
    }

    /// Sets a text body, sent as UTF-8.
    #[allow(dead_code, reason = "used only when the spec has text request bodies")]
    pub(crate) fn __text_body(self, text: &str, content_type: &'static str) -> Self {
        self.__body(Buffered::boxed(content_type, text.as_bytes().to_vec()))
    }

    /// Sets the body (the hook each body kind's module uses).
    #[allow(dead_code, reason = "used only when the spec has request bodies")]
    pub(crate) fn __body(mut self, body: Box<dyn RequestBody>) -> Self {
        self.body = Some(body);
        self
    }

    /// Records a value that could not be encoded: the call fails with `error` and sends nothing.
    #[allow(dead_code, reason = "used only by the encoders a spec needs")]
    pub(crate) fn __invalid(mut self, error: Error) -> Self {
        self.invalid.get_or_insert(error);
        self
    }

    /// Adds a query piece already encoded by a parameter style.
    #[allow(dead_code, reason = "used only when the spec has styled query parameters")]
    pub(crate) fn __encoded_query(mut self, piece: String) -> Self {
        self.encoded_query.push(piece);
        self
    }

    /// Replaces the path segment at `index` (a styled path parameter's text, not yet encoded).
    #[allow(dead_code, reason = "used only when the spec has styled path parameters")]
    pub(crate) fn __path_segment(mut self, index: usize, text: String) -> Self {
        if let Some(segment) = self.segments.get_mut(index) {
            *segment = text;
        }
        self
    }

    /// Adds a `name=value` pair, already encoded, to the `Cookie` header.
    #[allow(dead_code, reason = "used only when the spec has cookie parameters")]
    pub(crate) fn __encoded_cookie(mut self, pair: String) -> Self {
        self.cookies.push(pair);
        self
    }

    /// Adds a query parameter.
    #[allow(dead_code, reason = "used only when the spec declares query parameters")]
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

    /// Sends the `Idempotency-Key` an earlier call carried, taken from its error, so that the
    /// server answers with that call's result instead of acting a second time. Use it when
    /// [`Error::may_have_been_processed`] is true. This call continues the earlier call's
    /// [`History`]: should it fail too, its error still says "may have been processed", even if
    /// none of its own attempts reached the server. When the earlier call carried no key there
    /// is nothing to reuse and this call keeps its own key choice: reconcile instead.
    ///
    /// ```no_run
    /// // `make` builds the same call each time it is asked (any operation of this API).
    /// async fn with_reconciliation<'c, O: plexy::Operation>(
    ///     make: impl Fn() -> plexy::Call<'c, O>,
    /// ) -> Result<O::Output, plexy::Error> {
    ///     match make().send().await {
    ///         Err(e) if e.may_have_been_processed() && e.idempotency_key().is_some() => {
    ///             make().idempotency_key_from(&e).send().await
    ///         }
    ///         other => other,
    ///     }
    /// }
    /// ```
    pub fn idempotency_key_from(mut self, earlier: &Error) -> Self {
        if let Some(history) = earlier.history().filter(|h| h.idempotency_key.is_some()) {
            self.key = KeyChoice::Continued(Box::new(history.clone()));
        }
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
        crate::telemetry::in_call_span(O::ID, O::METHOD, O::PATH, || self.run()).await
    }

    /// Sends the call and hands over the success body unread, as soon as the status and
    /// headers arrive: for downloads too large to hold in memory. The timeout (the client's,
    /// or [`Call::timeout`]) then covers the attempt up to the headers only; read the body with
    /// [`Download::chunk`](crate::Download::chunk). Failed attempts are retried as for
    /// [`Call::send`].
    pub async fn send_streaming(self) -> Result<crate::Download, Error> {
        let download = || async {
            let Delivered { status, headers, body, open, history } = self.deliver(true).await?;
            Ok(match open {
                Some(response) => crate::Download::open(status, headers, history, response),
                None => crate::Download::read(status, headers, history, body),
            })
        };
        crate::telemetry::in_call_span(O::ID, O::METHOD, O::PATH, download).await
    }

    async fn run(self) -> Result<Response<O::Output>, Error> {
        decode::<O>(self.deliver(false).await?)
    }

    /// Builds the request and sends its attempts; `stream` hands a 2xx body over unread.
    async fn deliver(mut self, stream: bool) -> Result<Delivered, Error> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        let inner = &self.client.inner;
        let credentials = inner.credentials.choose(O::ID, O::SECURITY)?;
        for part in &credentials.parts {
            if let Prepared::Query(name, key) = part {
                self.query.push((name, key.expose().to_owned()));
            }
        }
        let own_server = match O::SERVER {
            Some(server) if !inner.base_url_given => Some(inner.operation_server(server)?),
            _ => None,
        };
        let base = own_server.as_ref().unwrap_or(&inner.base_url);
        let url = build_url(base, &self.segments, &self.query, &self.encoded_query);
        let method = Method::from_bytes(O::METHOD.as_bytes()).map_err(|e| Error::Config(e.to_string()))?;
        let (idempotency_key, earlier) = match self.key {
            KeyChoice::Given(key) => (Some(key), None),
            KeyChoice::Continued(earlier) => (earlier.idempotency_key.clone(), Some(earlier)),
            KeyChoice::Automatic if self.accepts_idempotency_key && method == Method::POST => {
                (Some(uuid::Uuid::new_v4().to_string()), None)
            }
            KeyChoice::Automatic | KeyChoice::Disabled => (None, None),
        };
        let headers =
            request_headers::<O>(inner, &credentials.parts, &self.headers, &self.cookies, idempotency_key.as_deref())?;
        // A streamed body goes to the first attempt and cannot be sent again.
        let replayable = self.body.as_ref().is_none_or(|b| b.replayable());
        let plan = Plan {
            method,
            url,
            headers,
            body: self.body,
            timeout: self.timeout.unwrap_or(inner.timeout),
            max_retries: if replayable { self.max_retries.unwrap_or(inner.max_retries) } else { 0 },
            idempotency_key,
            earlier,
            fresh_credentials: credentials.fresh,
            stream,
        };
        crate::retry::deliver(inner, plan).await
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
fn build_url(
    base: &reqwest::Url,
    segments: &[String],
    query: &[(&'static str, String)],
    encoded_query: &[String],
) -> reqwest::Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    if !encoded_query.is_empty() {
        let mut text = url.query().filter(|q| !q.is_empty()).map(str::to_owned).unwrap_or_default();
        for piece in encoded_query {
            if !text.is_empty() {
                text.push('&');
            }
            text.push_str(piece);
        }
        url.set_query(Some(&text));
    }
    url
}

/// The headers every attempt sends. Credentials are marked sensitive so that they are kept out
/// of debug output.
fn request_headers<O: Operation>(
    inner: &crate::client::Inner,
    credentials: &[&Prepared],
    extra: &[(String, String)],
    cookies: &[String],
    key: Option<&str>,
) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::with_capacity(5 + extra.len());
    let value = |v: &str| {
        HeaderValue::from_str(v).map_err(|_| Error::Config("a header value has characters HTTP does not allow".into()))
    };
    let mut cookie = String::new();
    for part in credentials {
        match part {
            // Made once when the client was built; copying it copies a handle, not the text.
            Prepared::Header(name, secret) => {
                headers.insert(name.clone(), secret.clone());
            }
            Prepared::Cookie(name, secret) => add_cookie(&mut cookie, &[name, "=", secret.expose()]),
            Prepared::Query(..) => {}
        }
    }
    let secret_cookie = !cookie.is_empty();
    for c in cookies {
        add_cookie(&mut cookie, &[c]);
    }
    if !cookie.is_empty() {
        let mut cookie = value(&cookie)?;
        cookie.set_sensitive(secret_cookie);
        headers.insert(reqwest::header::COOKIE, cookie);
    }
    // A constant of the operation: shared, not copied, when it is valid header text.
    let accept = if O::ACCEPT.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b)) {
        HeaderValue::from_static(O::ACCEPT)
    } else {
        value(O::ACCEPT)?
    };
    headers.insert(reqwest::header::ACCEPT, accept);
    headers.insert(reqwest::header::USER_AGENT, inner.user_agent.clone());
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

/// Appends one `name=value` pair, given in pieces, to a `Cookie` header's text.
fn add_cookie(cookie: &mut String, pieces: &[&str]) {
    if !cookie.is_empty() {
        cookie.push_str("; ");
    }
    cookie.extend(pieces.iter().copied());
}

/// Decodes a 2xx body with the operation's decoder, naming the JSON path of the first value
/// that does not fit.
fn decode<O: Operation>(delivered: Delivered) -> Result<Response<O::Output>, Error> {
    let Delivered { status, headers, body: bytes, history, .. } = delivered;
    // A second handle on the body (no copy), read only when decoding fails.
    let kept = bytes.clone();
    match O::decode(bytes) {
        Ok(body) => Ok(Response { status, headers, body, history }),
        Err(e) => Err(Error::Decode {
            status,
            path: e.path().to_string(),
            excerpt: excerpt(&kept, 512),
            source: e.into_inner(),
            history,
        }),
    }
}

/// A response header's value parsed as `T` (text for `String`); `None` when it is missing, not
/// text, or does not parse.
#[allow(dead_code, reason = "used only when the spec declares response headers")]
pub(crate) fn header_value<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Decodes a JSON body (whitespace alone reads as `null`, for `()`).
#[allow(dead_code, reason = "used only when the spec has JSON answers")]
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Decoded<T> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"null" } else { bytes };
    // Plain serde_json first; only a body that does not fit is decoded again, through
    // serde_path_to_error, to name the JSON path of the value at fault.
    if let Ok(value) = serde_json::from_slice::<T>(text) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    serde_path_to_error::deserialize(&mut deserializer)
}
