//! Webhooks: check that a delivery was signed with the endpoint's secret, then decode its event.
//!
//! Each delivery is a POST whose raw body is the JSON of a [`WebhookEvent`] and whose
//! [`SIGNATURE_HEADER`] reads `t=<unix seconds>,v1=<hex>`, where `v1` is the lowercase hex
//! HMAC-SHA256 of the raw body keyed with the endpoint's signing secret (`whsec_…`). A
//! [`Verifier`] checks that header against the body exactly as received (before any JSON
//! parsing), in constant time, and only then decodes the event.
//!
//! ```
//! use plexy::webhook::{SigningSecret, Verifier, WebhookError};
//! use std::time::SystemTime;
//!
//! let verifier = Verifier::new(SigningSecret::new("whsec_test"));
//! let body = br#"{"id":"evt_1","type":"payment.succeeded","created":1729012345,"data":{}}"#;
//! // A forged delivery: the signature was not made with the secret.
//! let header = format!("t=1729012345,v1={}", "00".repeat(32));
//! let result = verifier.verify(body, &header, SystemTime::now());
//! assert!(matches!(result, Err(WebhookError::SignatureMismatch)));
//! ```
//!
//! # Security
//!
//! Plexy's documentation says the timestamp `t` is **not** part of the signed message: the
//! signature covers the body alone. The tolerance check therefore only stops deliveries that are
//! replayed as they were captured. Anyone who captures one delivery (body and signature) can
//! send it again at any later time with a fresh `t`, and it will verify. This module follows the
//! documented scheme, because a verifier that signed `t` too would reject every genuine delivery.
//!
//! What a merchant's endpoint should do about it:
//!
//! - **De-duplicate on the event's `id`**, in a durable store, and ignore an id already seen.
//!   Plexy itself may deliver an event more than once, so this is needed anyway, and it makes a
//!   replayed delivery harmless.
//! - **Answer 200 at once** (within 30 seconds) and process the event asynchronously: a slow
//!   answer makes Plexy retry, which is more repeated deliveries.
//! - Treat an event as a notification: before an irreversible action (shipping goods), confirm
//!   the payment's state through the API.
//! - Keep the signing secret out of logs (the types here never print it) and rotate it if it
//!   leaks.

use crate::WebhookEvent;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The request header that carries a delivery's signature, as the spec names it.
///
/// ```
/// assert_eq!(plexy::webhook::SIGNATURE_HEADER, "Plexy-Signature");
/// ```
pub const SIGNATURE_HEADER: &str = crate::spec::WEBHOOK_SIGNATURE_HEADER;

/// How far a delivery's timestamp may be from now, either way, unless
/// [`Verifier::with_tolerance`] says otherwise. It comes from the spec.
///
/// ```
/// assert_eq!(plexy::webhook::DEFAULT_TOLERANCE.as_secs(), 300);
/// ```
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(crate::spec::WEBHOOK_TOLERANCE_SECS);

/// The length of an HMAC-SHA256 signature in bytes.
const SIGNATURE_LEN: usize = 32;

/// A webhook endpoint's signing secret (`whsec_…`). Its `Debug` and `Display` never show it.
///
/// The secret's bytes, prefix included, are the HMAC key.
///
/// ```
/// let secret = plexy::webhook::SigningSecret::new("whsec_live_secret");
/// assert_eq!(format!("{secret:?}"), "SigningSecret(<redacted>)");
/// assert_eq!(secret.to_string(), "<redacted>");
/// ```
#[derive(Clone)]
pub struct SigningSecret(String);

impl SigningSecret {
    /// Wraps a signing secret, exactly as the dashboard shows it.
    pub fn new(secret: impl Into<String>) -> Self {
        SigningSecret(secret.into())
    }
}

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

impl std::fmt::Display for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for SigningSecret {
    fn from(secret: String) -> Self {
        SigningSecret(secret)
    }
}

impl From<&str> for SigningSecret {
    fn from(secret: &str) -> Self {
        SigningSecret(secret.to_owned())
    }
}

/// Checks deliveries against one endpoint's signing secret. Build it once and share it.
///
/// Checks run in this order, and the first that fails is the error: the header's syntax
/// ([`WebhookError::MalformedHeader`]), a `v1` signature is present
/// ([`WebhookError::NoSignature`]), a `t` timestamp is present ([`WebhookError::NoTimestamp`]),
/// some `v1` matches the body ([`WebhookError::SignatureMismatch`]), `t` is within the
/// tolerance of now ([`WebhookError::TimestampOutsideTolerance`]), and, for
/// [`verify`](Verifier::verify), the body decodes ([`WebhookError::InvalidPayload`]).
///
/// The timestamp is not signed: read the [module's security notes](crate::webhook#security).
///
/// ```
/// use plexy::webhook::Verifier;
/// use std::time::Duration;
///
/// let verifier = Verifier::new("whsec_test").with_tolerance(Duration::from_secs(120));
/// assert_eq!(verifier.tolerance(), Duration::from_secs(120));
/// assert!(!format!("{verifier:?}").contains("whsec_test"));
/// ```
#[derive(Debug, Clone)]
pub struct Verifier {
    secret: SigningSecret,
    tolerance: Duration,
}

impl Verifier {
    /// A verifier for the endpoint with this signing secret, with the [`DEFAULT_TOLERANCE`].
    pub fn new(secret: impl Into<SigningSecret>) -> Self {
        Verifier { secret: secret.into(), tolerance: DEFAULT_TOLERANCE }
    }

    /// Sets how far a delivery's timestamp may be from now, in either direction. A timestamp
    /// exactly this far away is accepted; the comparison is in whole seconds.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// How far a delivery's timestamp may be from now, in either direction.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks a delivery's signature and timestamp, then decodes its event.
    ///
    /// `body` must be the request body exactly as received: parsing and re-serialising JSON
    /// changes the bytes and breaks the signature. `signature_header` is the value of the
    /// [`SIGNATURE_HEADER`] header, and `now` the current time (`SystemTime::now()`; a
    /// parameter so that tests can fix it).
    ///
    /// A verified event may still be a repeat: de-duplicate on its `id` (see the [module's
    /// security notes](crate::webhook#security)).
    ///
    /// ```
    /// use hmac::{Hmac, KeyInit, Mac};
    /// use std::time::{Duration, SystemTime, UNIX_EPOCH};
    ///
    /// let body = br#"{"id":"evt_1","type":"payment.succeeded","created":1729012345,"data":{"pspReference":"BNV58BSJF9WQ5K65"}}"#;
    /// // What Plexy sends: the hex HMAC-SHA256 of the raw body, keyed with the secret.
    /// let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"whsec_test").unwrap();
    /// mac.update(body);
    /// let header = format!("t=1729012345,v1={}", hex::encode(mac.finalize().into_bytes()));
    ///
    /// let verifier = plexy::webhook::Verifier::new("whsec_test");
    /// let now = UNIX_EPOCH + Duration::from_secs(1729012360);
    /// let event = verifier.verify(body, &header, now)?;
    /// assert_eq!(event.id, "evt_1");
    /// assert_eq!(event.r#type, plexy::models::WebhookEventType::PaymentSucceeded);
    ///
    /// // The same delivery ten minutes later is outside the default tolerance.
    /// let later = now + Duration::from_secs(600);
    /// assert!(verifier.verify(body, &header, later).is_err());
    /// # Ok::<(), plexy::webhook::WebhookError>(())
    /// ```
    pub fn verify(&self, body: &[u8], signature_header: &str, now: SystemTime) -> Result<WebhookEvent, WebhookError> {
        self.verify_signature(body, signature_header, now)?;
        let mut json = serde_json::Deserializer::from_slice(body);
        let event = serde_path_to_error::deserialize(&mut json)
            .map_err(|e| WebhookError::InvalidPayload { path: e.path().to_string(), source: e.into_inner() })?;
        // Text after the event is as wrong as a bad event.
        json.end().map_err(|source| WebhookError::InvalidPayload { path: ".".to_owned(), source })?;
        Ok(event)
    }

    /// The checks of [`verify`](Verifier::verify) without decoding the body, for a handler that
    /// decodes it into its own type.
    ///
    /// ```
    /// use hmac::{Hmac, KeyInit, Mac};
    /// use plexy::webhook::{Verifier, WebhookError};
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let body = b"not even JSON";
    /// let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"whsec_test").unwrap();
    /// mac.update(body);
    /// let good = hex::encode(mac.finalize().into_bytes());
    /// // Several `v1` entries (as during a secret rotation): one matching is enough.
    /// let header = format!("t=1729012345, v1={}, v1={good}", "ab".repeat(32));
    ///
    /// let verifier = Verifier::new("whsec_test");
    /// let now = UNIX_EPOCH + Duration::from_secs(1729012345);
    /// assert!(verifier.verify_signature(body, &header, now).is_ok());
    /// assert!(matches!(verifier.verify(body, &header, now), Err(WebhookError::InvalidPayload { .. })));
    /// ```
    pub fn verify_signature(&self, body: &[u8], signature_header: &str, now: SystemTime) -> Result<(), WebhookError> {
        let header = parse_header(signature_header)?;
        if header.signatures.is_empty() {
            return Err(WebhookError::NoSignature);
        }
        let timestamp = header.timestamp.ok_or(WebhookError::NoTimestamp)?;
        if self.secret.0.is_empty() {
            // An empty key is one anybody can sign with: refuse rather than accept forgeries.
            return Err(WebhookError::EmptySecret);
        }
        // HMAC takes keys of any length, so this never fails; if it did, nothing would match.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.secret.0.as_bytes())
            .map_err(|_| WebhookError::SignatureMismatch)?;
        mac.update(body);
        // `verify_slice` compares in constant time; which entry matched does not need hiding.
        if !header.signatures.iter().any(|signature| mac.clone().verify_slice(signature).is_ok()) {
            return Err(WebhookError::SignatureMismatch);
        }
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let (age, in_future) = if now >= timestamp { (now - timestamp, false) } else { (timestamp - now, true) };
        let age = Duration::from_secs(age);
        if age > self.tolerance {
            return Err(WebhookError::TimestampOutsideTolerance { age, in_future, tolerance: self.tolerance });
        }
        Ok(())
    }
}

/// Why a delivery was rejected. Messages never contain the secret or the expected signature.
///
/// ```
/// use plexy::webhook::{Verifier, WebhookError};
/// use std::time::SystemTime;
///
/// let error = Verifier::new("whsec_test").verify(b"{}", "v1=00", SystemTime::now()).unwrap_err();
/// assert!(matches!(error, WebhookError::MalformedHeader(_)));
/// assert_eq!(error.to_string(), "the signature header is malformed: a `v1` is not 64 hex digits");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature header does not read `t=<unix seconds>,v1=<hex>`; the text says what is wrong.
    #[error("the signature header is malformed: {0}")]
    MalformedHeader(String),
    /// The signature header has no `v1` entry.
    #[error("the signature header has no `v1` signature")]
    NoSignature,
    /// The signature header has no `t` entry.
    #[error("the signature header has no `t` timestamp")]
    NoTimestamp,
    /// No `v1` entry is the signature of the body with this secret: the body was changed, or it
    /// was signed with another secret, or not by Plexy.
    #[error("no `v1` signature matches the body and the signing secret")]
    SignatureMismatch,
    /// The timestamp is further from now than the tolerance (a stale delivery, or a clock that
    /// is off).
    #[error(
        "the signature timestamp is {}s {}, outside the tolerance of {}s",
        age.as_secs(),
        if *in_future { "in the future" } else { "old" },
        tolerance.as_secs()
    )]
    TimestampOutsideTolerance {
        /// How far the timestamp is from now, in whole seconds.
        age: Duration,
        /// Whether the timestamp is after now rather than before it.
        in_future: bool,
        /// The tolerance it exceeds.
        tolerance: Duration,
    },
    /// The signature is good but the body is not a valid event.
    #[error("the event does not decode at `{path}`: {source}")]
    InvalidPayload {
        /// The JSON path of the value that did not fit, such as `created`.
        path: String,
        /// What serde said.
        #[source]
        source: serde_json::Error,
    },
    /// The verifier's signing secret is empty, which would accept anybody's signature.
    #[error("the signing secret is empty")]
    EmptySecret,
}

/// The parts of a signature header this module reads.
struct Header {
    timestamp: Option<u64>,
    signatures: Vec<[u8; SIGNATURE_LEN]>,
}

/// Parses `t=…,v1=…`: parts in any order, several `v1`, whitespace around parts and around `=`
/// tolerated, other keys ignored.
fn parse_header(text: &str) -> Result<Header, WebhookError> {
    let malformed = |what: &str| WebhookError::MalformedHeader(what.to_owned());
    if text.trim().is_empty() {
        return Err(malformed("the header is empty"));
    }
    let mut header = Header { timestamp: None, signatures: Vec::new() };
    for (index, part) in text.split(',').enumerate() {
        let Some((key, value)) = part.split_once('=') else {
            return Err(WebhookError::MalformedHeader(format!("part {} is not `key=value`", index + 1)));
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "t" => {
                if header.timestamp.is_some() {
                    return Err(malformed("it has more than one `t`"));
                }
                if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(malformed("`t` is not a whole number of Unix seconds"));
                }
                header.timestamp = Some(value.parse().map_err(|_| malformed("`t` is too large"))?);
            }
            "v1" => {
                let mut signature = [0; SIGNATURE_LEN];
                hex::decode_to_slice(value, &mut signature).map_err(|_| malformed("a `v1` is not 64 hex digits"))?;
                header.signatures.push(signature);
            }
            _ => {}
        }
    }
    Ok(header)
}
