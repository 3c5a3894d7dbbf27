//! The client and its configuration: credentials, base URL, timeouts and retry policy.

use crate::Error;
use reqwest::header::HeaderValue;
use std::sync::Arc;
use std::time::Duration;

/// A variable of the first server's URL, as the spec declares it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerVariable {
    /// Its name, as the URL writes it between braces.
    pub(crate) name: &'static str,
    /// The value used when the caller sets none.
    pub(crate) default: &'static str,
    /// The values the spec allows; empty when any is.
    pub(crate) allowed: &'static [&'static str],
}

/// Where a security scheme's credential goes on a request.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code, reason = "each spec uses some of the schemes")]
pub(crate) enum Auth {
    /// The key in the named header, as is.
    Header(&'static str),
    /// The key as the named query parameter.
    Query(&'static str),
    /// The key as the named cookie.
    Cookie(&'static str),
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `Authorization: Basic <key>`, the key being [`ApiKey::basic`]'s encoding.
    Basic,
}

/// A secret credential. Its `Debug` and `Display` never show the value.
///
/// ```
/// let key = plexy::ApiKey::new("pr_live_secret");
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// assert_eq!(key.to_string(), "<redacted>");
/// ```
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a secret key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The credential of an HTTP basic scheme: `user:password` in base64 (RFC 7617), sent as
    /// `Authorization: Basic …` by a client whose spec uses basic authentication.
    ///
    /// ```
    /// let key = plexy::ApiKey::basic("Aladdin", "open sesame");
    /// assert_eq!(key.expose(), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    /// ```
    pub fn basic(user: &str, password: &str) -> Self {
        use base64::Engine as _;
        ApiKey(base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
    }

    /// The key itself, for sending; keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What a token provider's future resolves to.
type Fresh = Result<ApiKey, Box<dyn std::error::Error + Send + Sync>>;

/// What [`ClientBuilder::token_provider`] keeps: a function that makes a fresh credential.
#[derive(Clone)]
pub(crate) struct TokenProvider(
    std::sync::Arc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Fresh> + Send>> + Send + Sync>,
);

impl TokenProvider {
    /// Asks for a credential.
    pub(crate) async fn fresh(&self) -> Fresh {
        (self.0)().await
    }
}

impl std::fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenProvider")
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl std::fmt::Display for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey(key.to_owned())
    }
}

/// Configures a [`Client`]. Start from [`Client::builder`].
///
/// ```
/// use std::time::Duration;
///
/// let client = plexy::Client::builder("pr_test_key")
///     .base_url("http://127.0.0.1:4010")
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(30))
///     .max_retries(3)
///     .user_agent_suffix("my-shop/1.4")
///     .build()?;
/// # Ok::<(), plexy::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: ApiKey,
    credentials: Vec<(String, ApiKey)>,
    /// Providers by scheme name; `None` names the primary scheme.
    providers: Vec<(Option<String>, TokenProvider)>,
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    identity: Option<reqwest::Identity>,
    base_url: Option<String>,
    document_url: Option<String>,
    server_variables: Vec<(String, String)>,
    connect_timeout: Duration,
    timeout: Duration,
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    user_agent_suffix: Option<String>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The API's address, replacing the spec's production URL: a sandbox, a proxy or a mock.
    /// It replaces the servers the spec gives single operations too (an upload host, say), so
    /// that every call goes to it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Where the API's OpenAPI document is served from, for a spec whose server URL is
    /// relative (`/v2`, or none at all, which OpenAPI reads as `/`): the server is that URL
    /// resolved against this address (RFC 3986), as OpenAPI defines it. An operation's own
    /// relative server resolves against it too. A `base_url` wins over both.
    ///
    /// ```
    /// let builder = plexy::Client::builder("pr_test_key").document_url("https://api.example.com/docs/openapi.yaml");
    /// # let _ = builder;
    /// ```
    pub fn document_url(mut self, url: impl Into<String>) -> Self {
        self.document_url = Some(url.into());
        self
    }

    /// Sets a variable of the spec's server URL (`region` in `https://{region}.example.com`),
    /// which otherwise takes its default. `build` refuses a name the URL does not have, and a
    /// value outside the variable's `enum` when the spec gives one. A `base_url` wins.
    ///
    /// ```
    /// // `build` checks the name and the value against the spec's server.
    /// let builder = plexy::Client::builder("pr_test_key").server_variable("region", "eu");
    /// # let _ = builder;
    /// ```
    pub fn server_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        self.server_variables.push((name.to_owned(), value.into()));
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take from sending to the last byte of the answer (default 60 s).
    /// A call can override it with [`Call::timeout`](crate::Call::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed call is sent again when that is safe (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first wait between attempts and the longest, for the exponential backoff with jitter
    /// (defaults 1 s and 8 s). A `Retry-After` answer is honoured up to the longest wait.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Text appended to the `User-Agent` header, such as your application's name and version.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The credential for one of the spec's security schemes, named as the spec names it under
    /// `components/securitySchemes`. The key given to [`Client::builder`] is for the spec's
    /// primary scheme (the first it requires); an API with several schemes takes the others
    /// here. Each call sends the credentials of the first of its operation's alternatives
    /// that the client has them all for, in the spec's order; a call that none is met for
    /// fails before anything is sent, naming the schemes it needs. Give `Client::builder` an
    /// empty key when you have none for the primary scheme.
    ///
    /// `build` refuses a name the spec does not declare.
    pub fn credential(mut self, scheme: &str, key: impl Into<ApiKey>) -> Self {
        self.credentials.push((scheme.to_owned(), key.into()));
        self
    }

    /// Asks `provider` for the credential before every attempt, in place of the key given to
    /// [`Client::builder`] (the primary scheme's), so that a short-lived token (OAuth 2, OpenID Connect) is refreshed
    /// as it expires: the provider caches and renews as it sees fit. A provider that fails ends
    /// the call with [`Error::Credential`](crate::Error::Credential) before that attempt is sent.
    /// It applies to a credential sent in a header (bearer, basic, an API key header); for a key
    /// in the query or a cookie, `build` refuses it. For another of the spec's schemes, see
    /// [`credential_provider`](ClientBuilder::credential_provider).
    ///
    /// ```
    /// let builder = plexy::Client::builder("unused").token_provider(|| async {
    ///     // Fetch or renew the token here.
    ///     Ok(plexy::ApiKey::new("fresh-token"))
    /// });
    /// # let _ = builder;
    /// ```
    pub fn token_provider<F, Fut>(mut self, provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Fresh> + Send + 'static,
    {
        self.providers.push((None, TokenProvider(std::sync::Arc::new(move || Box::pin(provider())))));
        self
    }

    /// Asks `provider` for the credential of the security scheme named `scheme` (its name under
    /// `components/securitySchemes`) before every attempt of a call that sends it, as
    /// [`token_provider`](ClientBuilder::token_provider) does for the primary scheme: the
    /// scheme then needs no key of its own. It applies to a scheme whose credential goes in a
    /// header; `build` refuses another, and a name the spec does not declare.
    ///
    /// ```
    /// // `build` checks that the spec declares the scheme.
    /// let builder = plexy::Client::builder("unused").credential_provider("oauth", || async {
    ///     Ok(plexy::ApiKey::new("fresh-token"))
    /// });
    /// # let _ = builder;
    /// ```
    pub fn credential_provider<F, Fut>(mut self, scheme: &str, provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Fresh> + Send + 'static,
    {
        let provider = TokenProvider(std::sync::Arc::new(move || Box::pin(provider())));
        self.providers.push((Some(scheme.to_owned()), provider));
        self
    }

    /// The client certificate and key to present when the server asks for one (mutual TLS), as
    /// `reqwest::Identity::from_pem` reads them. It applies to the HTTP client the builder
    /// makes; with [`ClientBuilder::http_client`], set it on that client instead.
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    pub fn identity(mut self, identity: reqwest::Identity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// Sends through your own `reqwest::Client` (its proxy, TLS and pool settings). The connect
    /// timeout set here then does not apply; the per-attempt timeout still does.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and makes the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url_given = self.base_url.is_some();
        // Parsed once: the base URL and operations' relative servers both resolve against it.
        let document_url = match &self.document_url {
            Some(url) => Some(
                reqwest::Url::parse(url)
                    .map_err(|e| Error::Config(format!("document URL `{url}` is not a valid URL: {e}")))?,
            ),
            None => None,
        };
        let base_url = base_url_of(self.base_url, document_url.as_ref(), &self.server_variables)?;
        let credentials = crate::credentials::Credentials::new(self.api_key, self.credentials, self.providers)?;
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        let http = match (self.http, self.identity) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "an identity applies to the HTTP client the builder makes: set it on your own client instead".into(),
                ));
            }
            (Some(http), None) => http,
            (None, identity) => default_http_client(self.connect_timeout, identity)?,
        };
        #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
        let http = match self.http {
            Some(http) => http,
            None => default_http_client(self.connect_timeout)?,
        };
        let mut user_agent = format!("{}-rust/{}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = &self.user_agent_suffix {
            user_agent = format!("{user_agent} {suffix}");
        }
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Config("the User-Agent suffix has characters HTTP does not allow".into()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base_url_given,
                document_url,
                credentials,
                user_agent,
                timeout: self.timeout,
                max_retries: self.max_retries,
                initial_backoff: self.initial_backoff,
                max_backoff: self.max_backoff,
            }),
        })
    }
}

/// The spec's first server with the caller's variables, when the caller set any: `None` leaves
/// the server at its defaults, as the spec's constants hold it.
fn server_with(variables: &[(String, String)]) -> Result<Option<String>, Error> {
    if variables.is_empty() {
        return Ok(None);
    }
    let declared = crate::spec::SERVER_VARIABLES;
    for (name, value) in variables {
        let Some(variable) = declared.iter().find(|v| v.name == name) else {
            let names: Vec<&str> = declared.iter().map(|v| v.name).collect();
            return Err(Error::Config(format!(
                "the server URL has no variable `{name}`; its variables are: {}",
                if names.is_empty() { "none".to_owned() } else { names.join(", ") }
            )));
        };
        if !variable.allowed.is_empty() && !variable.allowed.contains(&value.as_str()) {
            return Err(Error::Config(format!(
                "the server variable `{name}` cannot be `{value}`; the spec allows: {}",
                variable.allowed.join(", ")
            )));
        }
    }
    let mut url = crate::spec::SERVER_TEMPLATE.to_owned();
    for variable in declared {
        // The caller's last setting wins, as a builder's later call does.
        let value = variables.iter().rev().find(|(n, _)| n == variable.name).map_or(variable.default, |(_, v)| v);
        url = url.replace(&format!("{{{}}}", variable.name), value);
    }
    Ok(Some(url))
}

/// The address requests go to: the caller's base URL, else the spec's server (with the
/// caller's variables) when absolute, else that server resolved against the document's
/// address.
fn base_url_of(
    given: Option<String>,
    document: Option<&reqwest::Url>,
    variables: &[(String, String)],
) -> Result<reqwest::Url, Error> {
    let parse = |url: &str, what: &str| {
        reqwest::Url::parse(url).map_err(|e| Error::Config(format!("{what} `{url}` is not a valid URL: {e}")))
    };
    let chosen = server_with(variables)?;
    let (absolute, relative) = match chosen.as_deref() {
        Some(url) if url.starts_with("http://") || url.starts_with("https://") => (Some(url), None),
        Some(url) => (None, Some(url)),
        None => (crate::spec::DEFAULT_BASE_URL, crate::spec::RELATIVE_SERVER),
    };
    let base = match (given, absolute, relative, document) {
        (Some(url), ..) => parse(&url, "base URL")?,
        (None, Some(url), ..) => parse(url, "base URL")?,
        (None, None, Some(relative), Some(document)) => document
            .join(relative)
            .map_err(|e| Error::Config(format!("the server `{relative}` does not resolve against `{document}`: {e}")))?,
        (None, None, Some(relative), None) => {
            return Err(Error::Config(format!(
                "no base URL: the spec's server `{relative}` is relative to where its document is served; give that \
                 address with `document_url`, or set `base_url`"
            )));
        }
        (None, None, None, _) => {
            return Err(Error::Config("no base URL: the spec names no server, so set one with `base_url`".into()));
        }
    };
    if base.cannot_be_a_base() {
        return Err(Error::Config(format!("base URL `{base}` cannot have paths appended")));
    }
    Ok(base)
}

/// The HTTP client a [`Client`] makes for itself, with the TLS the crate's features choose:
/// rustls with the ring provider (`rustls`, the default) or the platform's library
/// (`native-tls`, preferred when both are on).
fn default_http_client(
    connect_timeout: Duration,
    #[cfg(any(feature = "rustls", feature = "native-tls"))] identity: Option<reqwest::Identity>,
) -> Result<reqwest::Client, Error> {
    #[cfg(feature = "rustls")]
    {
        // reqwest is built without a crypto provider of its own (the default one needs cmake):
        // make ring the process default unless the application has chosen one already.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let builder = reqwest::Client::builder().connect_timeout(connect_timeout);
    #[cfg(feature = "native-tls")]
    let builder = builder.tls_backend_native();
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    let builder = match identity {
        Some(identity) => builder.identity(identity),
        None => builder,
    };
    builder.build().map_err(|e| Error::Config(format!("the HTTP client could not be built: {e}")))
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("credentials", &self.credentials)
            .field("providers", &self.providers)
            .field("base_url", &self.base_url)
            .field("document_url", &self.document_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// The API client: one async method per operation. Cheap to clone; clones share connections.
///
/// ```no_run
/// # async fn run() -> Result<(), plexy::Error> {
/// let client = plexy::Client::new("pr_test_key")?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// What every call of a client shares. The headers every request carries are made once, here;
/// a call only copies their handles.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: reqwest::Url,
    /// Whether the caller set the base URL, which then replaces operations' own servers too.
    pub(crate) base_url_given: bool,
    /// Where the spec is served, when the caller said (`ClientBuilder::document_url`).
    pub(crate) document_url: Option<reqwest::Url>,
    /// The caller's credentials and credential providers by security scheme, ready to send.
    pub(crate) credentials: crate::credentials::Credentials,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
}

impl Inner {
    /// The address of an operation's own server: an absolute URL as it is; a relative one
    /// resolved against the document's address (as OpenAPI defines it) when the caller gave
    /// it, else against the client's base URL, where the document is most often served.
    pub(crate) fn operation_server(&self, server: &str) -> Result<reqwest::Url, Error> {
        let against = self.document_url.as_ref().unwrap_or(&self.base_url);
        against
            .join(server)
            .map_err(|e| Error::Config(format!("the operation's server `{server}` does not resolve against `{against}`: {e}")))
    }
}

impl Client {
    /// A client with the default settings and the spec's production URL.
    pub fn new(api_key: impl Into<ApiKey>) -> Result<Client, Error> {
        Client::builder(api_key).build()
    }

    /// Starts configuring a client with the given secret key.
    pub fn builder(api_key: impl Into<ApiKey>) -> ClientBuilder {
        ClientBuilder {
            api_key: api_key.into(),
            credentials: Vec::new(),
            providers: Vec::new(),
            #[cfg(any(feature = "rustls", feature = "native-tls"))]
            identity: None,
            base_url: None,
            document_url: None,
            server_variables: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            max_retries: 2,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(8),
            user_agent_suffix: None,
            http: None,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }
}
