//! Credentials by security scheme: what the caller gave for each of the spec's schemes, and
//! which of an operation's alternatives a call sends.

use crate::Error;
use crate::client::{ApiKey, Auth, TokenProvider};
use reqwest::header::{HeaderName, HeaderValue};

/// One of the spec's security schemes: the name the spec gives it and where it goes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scheme {
    /// Its name under `components/securitySchemes`.
    pub(crate) name: &'static str,
    /// Where its credential goes on a request.
    pub(crate) auth: Auth,
}

/// A scheme's credential, ready to send: made once, when the client is built.
#[derive(Debug, Clone)]
pub(crate) enum Prepared {
    /// A header and its value, marked sensitive so that debug output leaves it out.
    Header(HeaderName, HeaderValue),
    /// A query parameter and the key.
    Query(&'static str, ApiKey),
    /// A cookie and the key.
    Cookie(&'static str, ApiKey),
}

/// The header a credential goes in, for the schemes that send one; `None` for the others.
pub(crate) fn header(scheme: &Scheme, key: &ApiKey) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
    Ok(match prepare(scheme, key.clone())? {
        Prepared::Header(name, value) => Some((name, value)),
        Prepared::Query(..) | Prepared::Cookie(..) => None,
    })
}

/// A scheme's credential made ready to send.
fn prepare(scheme: &Scheme, key: ApiKey) -> Result<Prepared, Error> {
    let (name, text) = match scheme.auth {
        Auth::Query(name) => return Ok(Prepared::Query(name, key)),
        Auth::Cookie(name) => return Ok(Prepared::Cookie(name, key)),
        Auth::Header(name) => (HeaderName::from_static(name), key.expose().to_owned()),
        Auth::Bearer => (reqwest::header::AUTHORIZATION, format!("Bearer {}", key.expose())),
        Auth::Basic => (reqwest::header::AUTHORIZATION, format!("Basic {}", key.expose())),
    };
    let mut value = HeaderValue::from_str(&text).map_err(|_| {
        Error::Config(format!("the API key for `{}` has characters HTTP does not allow in a header", scheme.name))
    })?;
    value.set_sensitive(true);
    Ok(Prepared::Header(name, value))
}

/// The credentials of a client, by scheme.
#[derive(Debug)]
pub(crate) struct Credentials {
    /// One entry per scheme of `spec::SCHEMES`: the credential the caller gave for it (for a
    /// scheme with a provider, a placeholder the provider's credential replaces).
    given: Vec<Option<Prepared>>,
    /// One entry per scheme: the provider asked for its credential before each attempt.
    providers: Vec<Option<TokenProvider>>,
    /// The primary scheme's credential when the key given to `Client::builder` was empty: sent
    /// only when nothing else meets the operation, so that the server answers for itself.
    empty_primary: Option<Prepared>,
}

impl Credentials {
    /// Files the key given to `Client::builder` under the primary scheme, the others under the
    /// schemes they name, and the providers under theirs (`None`: the primary scheme). A name
    /// the spec does not declare, or a provider for a scheme that does not send its credential
    /// in a header, is a configuration error.
    pub(crate) fn new(
        primary_key: ApiKey,
        named: Vec<(String, ApiKey)>,
        named_providers: Vec<(Option<String>, TokenProvider)>,
    ) -> Result<Self, Error> {
        let schemes = crate::spec::SCHEMES;
        let mut providers: Vec<Option<TokenProvider>> = vec![None; schemes.len()];
        for (name, provider) in named_providers {
            let index = match name {
                Some(name) => index_of(&name)?,
                None => crate::spec::PRIMARY_SCHEME.ok_or_else(|| {
                    Error::Config("a token provider replaces the primary scheme's key; this API has none".into())
                })?,
            };
            if matches!(schemes[index].auth, Auth::Query(_) | Auth::Cookie(_)) {
                return Err(Error::Config(format!(
                    "a credential provider applies to a credential in a header; `{}` is not sent in one",
                    schemes[index].name
                )));
            }
            providers[index] = Some(provider);
        }
        let mut given: Vec<Option<Prepared>> = vec![None; schemes.len()];
        let mut empty_primary = None;
        if let Some(primary) = crate::spec::PRIMARY_SCHEME {
            let prepared = Some(prepare(&schemes[primary], primary_key.clone())?);
            if primary_key.expose().is_empty() && providers[primary].is_none() {
                empty_primary = prepared;
            } else {
                given[primary] = prepared;
            }
        }
        for (name, key) in named {
            let index = index_of(&name)?;
            given[index] = Some(prepare(&schemes[index], key)?);
        }
        // A scheme with a provider is met without a key: the provider's credential replaces
        // this placeholder before each attempt.
        for (index, provider) in providers.iter().enumerate() {
            if provider.is_some() && given[index].is_none() {
                given[index] = Some(prepare(&schemes[index], ApiKey::new(""))?);
            }
        }
        Ok(Credentials { given, providers, empty_primary })
    }

    /// The credentials a call of operation `id` sends: those of the first alternative that the
    /// client has every credential for, in the spec's order; else nothing, when the operation
    /// allows that; else the primary scheme's empty key, when that alone is an alternative.
    /// Otherwise the call cannot be made, and the error says what it needs.
    pub(crate) fn choose(&self, id: &str, alternatives: &'static [&'static [usize]]) -> Result<Chosen<'_>, Error> {
        let primary = crate::spec::PRIMARY_SCHEME;
        let met = |alternative: &[usize]| -> Option<Chosen<'_>> {
            let parts = alternative.iter().map(|&i| self.given[i].as_ref()).collect::<Option<Vec<_>>>()?;
            let fresh = alternative
                .iter()
                .filter_map(|&i| self.providers[i].as_ref().map(|p| (&crate::spec::SCHEMES[i], p.clone())))
                .collect();
            Some(Chosen { parts, fresh })
        };
        if let Some(chosen) = alternatives.iter().find_map(|a| met(a)) {
            return Ok(chosen);
        }
        if alternatives.iter().any(|a| a.is_empty()) {
            return Ok(Chosen { parts: Vec::new(), fresh: Vec::new() });
        }
        let primary_alone = |a: &&[usize]| a.len() == 1 && Some(a[0]) == primary;
        if let (Some(empty), true) = (&self.empty_primary, alternatives.iter().any(primary_alone)) {
            return Ok(Chosen { parts: vec![empty], fresh: Vec::new() });
        }
        let needs: Vec<String> = alternatives
            .iter()
            .map(|a| a.iter().map(|&i| format!("`{}`", crate::spec::SCHEMES[i].name)).collect::<Vec<_>>().join(" and "))
            .collect();
        Err(Error::Config(format!(
            "`{id}` needs a credential for {}: give the primary scheme's key to `Client::builder` and the others \
             to `ClientBuilder::credential`",
            needs.join(", or for ")
        )))
    }
}

/// The index in `spec::SCHEMES` of the scheme named `name`, or the error that lists them.
fn index_of(name: &str) -> Result<usize, Error> {
    let schemes = crate::spec::SCHEMES;
    schemes.iter().position(|s| s.name == name).ok_or_else(|| {
        let known: Vec<&str> = schemes.iter().map(|s| s.name).collect();
        Error::Config(format!(
            "no security scheme is named `{name}`; the spec's are: {}",
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        ))
    })
}

/// The credentials one call sends.
pub(crate) struct Chosen<'a> {
    /// Each scheme's credential, in the alternative's order.
    pub(crate) parts: Vec<&'a Prepared>,
    /// The schemes among them whose credential a provider replaces before each attempt.
    pub(crate) fresh: Vec<(&'static Scheme, TokenProvider)>,
}

/// Whether any scheme of the spec puts its key in the URL, which errors must then not print.
pub(crate) fn key_in_url() -> bool {
    crate::spec::SCHEMES.iter().any(|s| matches!(s.auth, Auth::Query(_)))
}
