//! How each attempt of a call ended, and what the attempts together say about whether the server
//! may have acted on the call.

use reqwest::StatusCode;
use std::time::Duration;

/// How one attempt of a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// No connection could be made: nothing was sent.
    NotConnected,
    /// The request may have been sent, then the connection failed before a status arrived
    /// (reset or closed by the other side).
    ConnectionLost,
    /// The request may have been sent, then no status arrived in time.
    TimedOut,
    /// A status arrived, then the connection failed while the body was being read.
    BodyInterrupted(StatusCode),
    /// A status arrived, then the rest of the body did not arrive in time.
    BodyTimedOut(StatusCode),
    /// A complete answer with this status.
    Answered(StatusCode),
}

impl AttemptOutcome {
    /// Whether this attempt may have reached the server: everything but a failed connection.
    pub fn may_have_been_sent(self) -> bool {
        !matches!(self, AttemptOutcome::NotConnected)
    }

    /// Whether the server may have acted on this attempt. `keyed` says whether the attempt
    /// carried an idempotency key: a 409 to a keyed request means another attempt with the same
    /// key is still being processed (the key is in use), so the call may have been processed.
    pub fn may_have_been_processed(self, keyed: bool) -> bool {
        match self {
            AttemptOutcome::NotConnected => false,
            AttemptOutcome::ConnectionLost | AttemptOutcome::TimedOut => true,
            AttemptOutcome::BodyInterrupted(status)
            | AttemptOutcome::BodyTimedOut(status)
            | AttemptOutcome::Answered(status) => {
                status.is_success() || status.is_server_error() || (keyed && status == StatusCode::CONFLICT)
            }
        }
    }
}

impl std::fmt::Display for AttemptOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttemptOutcome::NotConnected => f.write_str("not connected"),
            AttemptOutcome::ConnectionLost => f.write_str("connection lost"),
            AttemptOutcome::TimedOut => f.write_str("timed out"),
            AttemptOutcome::BodyInterrupted(status) => write!(f, "{} with its body cut off", status.as_u16()),
            AttemptOutcome::BodyTimedOut(status) => write!(f, "{} with its body late", status.as_u16()),
            AttemptOutcome::Answered(status) => write!(f, "{}", status.as_u16()),
        }
    }
}

/// One attempt of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
    /// How it ended.
    pub outcome: AttemptOutcome,
    /// From the start of the attempt to its end (the wait before a retry is not included).
    pub elapsed: Duration,
}

/// The idempotency key a call carried and how each of its attempts ended: on every
/// [`Error`](crate::Error) that came from sending, and on every [`Response`](crate::Response).
///
/// "May have been processed" is decided over all attempts, not the last one: a payment charged
/// on the first attempt stays charged when the retry finds the server unreachable. A call sent
/// again with [`Call::idempotency_key_from`](crate::Call::idempotency_key_from) continues the
/// earlier call's history, so its answer to that question remembers the earlier call too.
///
/// ```
/// # fn log(error: &plexy::Error) {
/// if let Some(history) = error.history() {
///     for attempt in &history.attempts {
///         eprintln!("attempt {}: {}", attempt.number, attempt.outcome);
///     }
///     eprintln!("key {:?}, may have been processed: {}", history.idempotency_key, history.may_have_been_processed());
/// }
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct History {
    /// The `Idempotency-Key` every attempt carried, if any. Send the call again with it
    /// ([`Call::idempotency_key_from`](crate::Call::idempotency_key_from)) to get the first
    /// result instead of acting twice.
    pub idempotency_key: Option<String>,
    /// The attempts, in order.
    pub attempts: Vec<Attempt>,
    /// The earlier call with the same key that this one continues, when it was made with
    /// [`Call::idempotency_key_from`](crate::Call::idempotency_key_from).
    pub earlier: Option<Box<History>>,
}

impl History {
    /// A call's history before its first attempt.
    pub(crate) fn new(idempotency_key: Option<String>, earlier: Option<Box<History>>) -> Self {
        History { idempotency_key, attempts: Vec::new(), earlier }
    }

    /// Whether any attempt, of this call or of the earlier calls it continues, may have been
    /// acted on by the server (see [`AttemptOutcome::may_have_been_processed`]).
    pub fn may_have_been_processed(&self) -> bool {
        self.this_call_may_have_been_processed() || self.earlier_may_have_been_processed()
    }

    /// Whether any attempt, of this call or of the earlier calls it continues, may have reached
    /// the server.
    pub fn may_have_been_sent(&self) -> bool {
        self.attempts.iter().any(|a| a.outcome.may_have_been_sent())
            || self.earlier.as_ref().is_some_and(|e| e.may_have_been_sent())
    }

    fn this_call_may_have_been_processed(&self) -> bool {
        let keyed = self.idempotency_key.is_some();
        self.attempts.iter().any(|a| a.outcome.may_have_been_processed(keyed))
    }

    fn earlier_may_have_been_processed(&self) -> bool {
        self.earlier.as_ref().is_some_and(|e| e.may_have_been_processed())
    }

    /// The attempts of this call, retries included.
    pub fn attempt_count(&self) -> u32 {
        self.attempts.len() as u32
    }

    /// What an error message adds about the call's history: how many attempts, and that an
    /// earlier attempt may have been processed when the last one alone would not say so.
    pub(crate) fn note(&self) -> String {
        let mut note = String::new();
        if self.attempts.len() > 1 {
            let outcomes: Vec<String> = self.attempts.iter().map(|a| a.outcome.to_string()).collect();
            note = format!(" after {} attempts ({})", self.attempts.len(), outcomes.join(", "));
        }
        let keyed = self.idempotency_key.is_some();
        let last_says_so = self.attempts.last().is_some_and(|a| a.outcome.may_have_been_processed(keyed));
        if self.may_have_been_processed() {
            note.push_str(if last_says_so {
                "; it may have been processed"
            } else if self.this_call_may_have_been_processed() {
                "; an earlier attempt may have been processed"
            } else {
                "; an earlier call with this key may have been processed"
            });
            match &self.idempotency_key {
                Some(key) => note.push_str(&format!(": reconcile, or send it again with idempotency key `{key}`")),
                None => note.push_str(": reconcile before sending it again"),
            }
        }
        note
    }
}
