//! Credentials by security scheme: what the caller gave for each of the spec's schemes, and
//! which of an operation's alternatives a call sends.

use crate::Error;
use crate::client::{ApiKey, Auth};
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
    /// One entry per scheme of `spec::SCHEMES`: the credential the caller gave for it.
    given: Vec<Option<Prepared>>,
    /// The primary scheme's credential when the key given to `Client::builder` was empty: sent
    /// only when nothing else meets the operation, so that the server answers for itself.
    empty_primary: Option<Prepared>,
}

impl Credentials {
    /// Files the key given to `Client::builder` under the primary scheme and the others under
    /// the schemes they name. A name the spec does not declare is a configuration error.
    pub(crate) fn new(primary_key: ApiKey, named: Vec<(String, ApiKey)>, provider: bool) -> Result<Self, Error> {
        let schemes = crate::spec::SCHEMES;
        let mut given: Vec<Option<Prepared>> = vec![None; schemes.len()];
        let mut empty_primary = None;
        if let Some(primary) = crate::spec::PRIMARY_SCHEME {
            let prepared = Some(prepare(&schemes[primary], primary_key.clone())?);
            if primary_key.expose().is_empty() && !provider {
                empty_primary = prepared;
            } else {
                given[primary] = prepared;
            }
        }
        for (name, key) in named {
            let Some(index) = schemes.iter().position(|s| s.name == name) else {
                let known: Vec<&str> = schemes.iter().map(|s| s.name).collect();
                return Err(Error::Config(format!(
                    "no security scheme is named `{name}`; the spec's are: {}",
                    if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                )));
            };
            given[index] = Some(prepare(&schemes[index], key)?);
        }
        Ok(Credentials { given, empty_primary })
    }

    /// The credentials a call of operation `id` sends: those of the first alternative that the
    /// client has every credential for, in the spec's order; else nothing, when the operation
    /// allows that; else the primary scheme's empty key, when that alone is an alternative.
    /// Otherwise the call cannot be made, and the error says what it needs.
    pub(crate) fn choose(&self, id: &str, alternatives: &'static [&'static [usize]]) -> Result<Chosen<'_>, Error> {
        let primary = crate::spec::PRIMARY_SCHEME;
        let met = |alternative: &[usize]| -> Option<Chosen<'_>> {
            let parts = alternative.iter().map(|&i| self.given[i].as_ref()).collect::<Option<Vec<_>>>()?;
            Some(Chosen { parts, primary: alternative.iter().any(|&i| Some(i) == primary) })
        };
        if let Some(chosen) = alternatives.iter().find_map(|a| met(a)) {
            return Ok(chosen);
        }
        if alternatives.iter().any(|a| a.is_empty()) {
            return Ok(Chosen { parts: Vec::new(), primary: false });
        }
        let primary_alone = |a: &&[usize]| a.len() == 1 && Some(a[0]) == primary;
        if let (Some(empty), true) = (&self.empty_primary, alternatives.iter().any(primary_alone)) {
            return Ok(Chosen { parts: vec![empty], primary: true });
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

/// The credentials one call sends.
pub(crate) struct Chosen<'a> {
    /// Each scheme's credential, in the alternative's order.
    pub(crate) parts: Vec<&'a Prepared>,
    /// Whether the primary scheme is among them, so that a token provider replaces its value.
    pub(crate) primary: bool,
}

/// Whether any scheme of the spec puts its key in the URL, which errors must then not print.
pub(crate) fn key_in_url() -> bool {
    crate::spec::SCHEMES.iter().any(|s| matches!(s.auth, Auth::Query(_)))
}
