//! The client against a payments server with a real idempotency store (faults/server.rs) on a
//! real TCP socket, one injected fault per attempt: what each compound fault costs (charges),
//! what the call returns, and what `may_have_been_processed()` says. A seeded soak (faults/
//! soak.rs) then mixes the faults over a thousand payments.
//!
//! Waits are shortened through the client's timeout and backoff settings. Expected values come
//! from the server's own record of charges and requests, never from the client.

#[path = "faults/server.rs"]
mod server;
#[path = "faults/soak.rs"]
mod soak;

use plexy::models::{Amount, CardDetails, PaymentMethodDetails, PaymentRequest};
use plexy::{AttemptOutcome, Client, Error};
// The client's statuses are `http` statuses, which axum re-exports.
use axum::http::StatusCode;
use server::{Fault, Loss, PaymentsServer};
use std::time::Duration;

const API_KEY: &str = "pr_test_faults_secret_77";
/// Long enough for an answer on a loaded machine, short enough to keep stalls cheap.
const TIMEOUT: Duration = Duration::from_millis(400);
/// Far past `TIMEOUT`: a stalled answer never completes within an attempt.
const STALL: Duration = Duration::from_secs(5);

fn client(server: &PaymentsServer, retries: u32) -> Client {
    Client::builder(API_KEY)
        .base_url(server.url())
        .timeout(TIMEOUT)
        .max_retries(retries)
        .backoff(Duration::from_millis(2), Duration::from_millis(20))
        .build()
        .unwrap()
}

fn payment(reference: &str) -> PaymentRequest {
    PaymentRequest::new(
        "PlexyMerchantKZ",
        Amount::new("KZT", 5000),
        reference,
        PaymentMethodDetails::Scheme(CardDetails::new()),
        "https://shop.example.com/return",
    )
}

fn answered(status: u16) -> AttemptOutcome {
    AttemptOutcome::Answered(StatusCode::from_u16(status).unwrap())
}

fn outcomes(history: &plexy::History) -> Vec<AttemptOutcome> {
    history.attempts.iter().map(|a| a.outcome).collect()
}

/// Asserts that every request carried the same key, and returns it.
fn the_one_key(server: &PaymentsServer) -> String {
    let seen = server.seen();
    let key = seen[0].idempotency_key.clone().expect("the call carries a key");
    assert!(seen.iter().all(|s| s.idempotency_key.as_deref() == Some(&key)), "one key for every attempt: {seen:?}");
    key
}

#[tokio::test]
async fn a_reset_after_the_charge_is_retried_and_returns_the_one_charge() {
    let server = PaymentsServer::with_faults(vec![Fault::After(Loss::Reset)]).await;
    let response = client(&server, 2).create_payment(&payment("o-reset")).send_with_response().await.unwrap();
    let charges = server.charges();
    assert_eq!(charges.len(), 1);
    assert_eq!(response.body.psp_reference.as_deref(), Some(charges[0].psp_reference.as_str()));
    assert_eq!(outcomes(&response.history), [AttemptOutcome::ConnectionLost, answered(200)]);
    assert!(response.history.may_have_been_processed());
    assert_eq!(response.idempotency_key(), Some(the_one_key(&server).as_str()));
}

#[tokio::test]
async fn a_body_cut_off_after_the_charge_is_retried() {
    let server = PaymentsServer::with_faults(vec![Fault::After(Loss::CloseMidBody)]).await;
    let response = client(&server, 2).create_payment(&payment("o-cut")).send_with_response().await.unwrap();
    let charges = server.charges();
    assert_eq!(charges.len(), 1);
    assert_eq!(response.body.psp_reference.as_deref(), Some(charges[0].psp_reference.as_str()));
    let status = StatusCode::OK;
    assert_eq!(outcomes(&response.history), [AttemptOutcome::BodyInterrupted(status), answered(200)]);
    assert!(response.history.may_have_been_processed());
    assert_eq!(response.idempotency_key(), Some(the_one_key(&server).as_str()));
}

#[tokio::test]
async fn a_body_stalled_after_the_charge_is_retried() {
    let server = PaymentsServer::with_faults(vec![Fault::After(Loss::StallMidBody(STALL))]).await;
    let response = client(&server, 2).create_payment(&payment("o-stall")).send_with_response().await.unwrap();
    let charges = server.charges();
    assert_eq!(charges.len(), 1);
    assert_eq!(response.body.psp_reference.as_deref(), Some(charges[0].psp_reference.as_str()));
    assert_eq!(outcomes(&response.history), [AttemptOutcome::BodyTimedOut(StatusCode::OK), answered(200)]);
    assert!(response.history.may_have_been_processed());
    assert_eq!(response.idempotency_key(), Some(the_one_key(&server).as_str()));
}

#[tokio::test]
async fn a_refused_connection_after_the_charge_still_says_it_may_have_been_processed() {
    let server = PaymentsServer::with_faults(vec![Fault::After(Loss::ResetAndGoDown(None))]).await;
    let client = client(&server, 2);
    let err = client.create_payment(&payment("o-down")).await.unwrap_err();
    assert_eq!(server.charges().len(), 1);
    assert!(matches!(err, Error::Connection { sent: true, .. }), "{err:?}");
    assert!(err.may_have_been_processed(), "the first attempt charged: {err}");
    let history = err.history().unwrap();
    assert_eq!(
        outcomes(history),
        [AttemptOutcome::ConnectionLost, AttemptOutcome::NotConnected, AttemptOutcome::NotConnected]
    );
    assert_eq!(err.attempts(), 3);
    let key = the_one_key(&server);
    assert_eq!(err.idempotency_key(), Some(key.as_str()));
    assert!(err.to_string().contains(&key), "the message names the key to re-send with: {err}");

    // Sent again with the same key while the server is still down, the call reaches nothing,
    // and yet it still says the payment may have been processed: it continues the first call.
    let still_down = client.create_payment(&payment("o-down")).idempotency_key_from(&err).await.unwrap_err();
    let history = still_down.history().unwrap();
    assert!(history.attempts.iter().all(|a| a.outcome == AttemptOutcome::NotConnected), "{history:?}");
    assert!(still_down.may_have_been_processed(), "{still_down}");
    assert_eq!(history.earlier.as_deref(), err.history());
    assert_eq!(server.charges().len(), 1);

    // The documented path: send the call again with the same key once the server is back.
    server.come_back();
    let again = client.create_payment(&payment("o-down")).idempotency_key_from(&err).await.unwrap();
    let charges = server.charges();
    assert_eq!(charges.len(), 1, "the re-sent call returns the stored charge");
    assert_eq!(again.psp_reference.as_deref(), Some(charges[0].psp_reference.as_str()));
}

#[tokio::test]
async fn a_key_in_use_is_retried_until_the_first_attempt_is_done() {
    // The first attempt takes three timeouts to process; retries meanwhile meet `409
    // idempotency_key_in_use` and wait for it.
    let server = PaymentsServer::with_faults(vec![Fault::Slow(TIMEOUT * 3)]).await;
    let client = Client::builder(API_KEY)
        .base_url(server.url())
        .timeout(TIMEOUT)
        .max_retries(30)
        .backoff(Duration::from_millis(20), Duration::from_millis(100))
        .build()
        .unwrap();
    let response = client.create_payment(&payment("o-slow")).send_with_response().await.unwrap();
    let charges = server.charges();
    assert_eq!(charges.len(), 1);
    assert_eq!(response.body.psp_reference.as_deref(), Some(charges[0].psp_reference.as_str()));
    let outcomes = outcomes(&response.history);
    assert_eq!(outcomes[0], AttemptOutcome::TimedOut);
    assert!(outcomes.contains(&answered(409)), "{outcomes:?}");
    assert_eq!(outcomes.last(), Some(&answered(200)));
    assert!(response.history.may_have_been_processed());
}

#[tokio::test]
async fn a_key_still_in_use_when_retries_run_out_says_it_may_have_been_processed() {
    let processing = TIMEOUT * 4;
    let server = PaymentsServer::with_faults(vec![Fault::Slow(processing)]).await;
    let client = client(&server, 3);
    let err = client.create_payment(&payment("o-busy")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CONFLICT), "{err:?}");
    assert!(err.may_have_been_processed() && err.is_retryable(), "{err}");
    let Error::Api(failure) = &err else { panic!("{err:?}") };
    let code = failure.body.as_ref().map(|b| b.error.code.to_string());
    assert_eq!(code.as_deref(), Some("idempotency_key_in_use"));
    assert_eq!(outcomes(&failure.history)[1..], [answered(409), answered(409), answered(409)]);

    // Once the first attempt is done, re-sending with the same key returns its charge.
    tokio::time::sleep(processing).await;
    let again = client.create_payment(&payment("o-busy")).idempotency_key_from(&err).max_retries(10).await.unwrap();
    let charges = server.charges();
    assert_eq!(charges.len(), 1);
    assert_eq!(again.psp_reference.as_deref(), Some(charges[0].psp_reference.as_str()));
}

#[tokio::test]
async fn a_429_after_the_charge_says_it_may_have_been_processed() {
    let server = PaymentsServer::with_faults(vec![
        Fault::After(Loss::Reset),
        Fault::Before(429),
        Fault::Before(429),
        Fault::Before(429),
    ])
    .await;
    let err = client(&server, 3).create_payment(&payment("o-429")).await.unwrap_err();
    assert_eq!(server.charges().len(), 1);
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(err.may_have_been_processed(), "{err}");
    assert!(err.to_string().contains("an earlier attempt may have been processed"), "{err}");
    assert_eq!(
        outcomes(err.history().unwrap()),
        [AttemptOutcome::ConnectionLost, answered(429), answered(429), answered(429)]
    );
}

#[tokio::test]
async fn a_500_after_the_charge_then_429_says_it_may_have_been_processed() {
    for faults in [
        vec![Fault::After(Loss::Status(500)), Fault::Before(429)],
        vec![Fault::After(Loss::Status(500)), Fault::After(Loss::Status(500)), Fault::Before(429)],
    ] {
        let attempts = faults.len() as u32;
        let server = PaymentsServer::with_faults(faults).await;
        let err = client(&server, attempts - 1).create_payment(&payment("o-500")).await.unwrap_err();
        assert_eq!(server.charges().len(), 1);
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert!(err.may_have_been_processed(), "{err}");
        assert_eq!(err.attempts(), attempts);
        assert_eq!(err.history().unwrap().attempts[0].outcome, answered(500));
    }
}

#[tokio::test]
async fn without_a_key_a_charged_call_is_not_repeated_and_says_so() {
    for loss in [Loss::Reset, Loss::CloseMidBody, Loss::StallMidBody(STALL), Loss::Status(500)] {
        let server = PaymentsServer::with_faults(vec![Fault::After(loss)]).await;
        let err = client(&server, 3).create_payment(&payment("o-nokey")).without_idempotency_key().await.unwrap_err();
        assert_eq!(server.charges().len(), 1, "{loss:?}");
        assert_eq!(server.seen().len(), 1, "{loss:?}: a POST without a key is sent once");
        assert!(err.may_have_been_processed(), "{loss:?}: {err}");
        assert_eq!(err.idempotency_key(), None);
        assert_eq!(err.attempts(), 1, "{loss:?}");
        let expected = match loss {
            Loss::Reset | Loss::CloseMidBody => matches!(err, Error::Connection { sent: true, .. }),
            Loss::StallMidBody(_) => matches!(err, Error::Timeout { sent: true, .. }),
            Loss::Status(status) => matches!(&err, Error::Api(f) if f.status == status),
            _ => false,
        };
        assert!(expected, "{loss:?} ends as {err:?}");
    }
}

#[tokio::test]
async fn answers_before_processing_say_not_processed() {
    // 429 three times: the server never got to the payment.
    let server = PaymentsServer::with_faults(vec![Fault::Before(429); 3]).await;
    let err = client(&server, 2).create_payment(&payment("o-limited")).await.unwrap_err();
    assert_eq!(server.charges().len(), 0);
    assert_eq!(err.attempts(), 3);
    assert!(!err.may_have_been_processed() && err.is_retryable(), "{err}");
}

#[tokio::test]
async fn a_key_used_with_other_parameters_is_a_conflict_that_is_not_a_charge() {
    let server = PaymentsServer::with_faults(vec![]).await;
    let client = client(&server, 0);
    client.create_payment(&payment("o-first")).idempotency_key("k-shared").await.unwrap();
    let err = client.create_payment(&payment("o-second")).idempotency_key("k-shared").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::CONFLICT));
    assert_eq!(server.charges().len(), 1);
}

#[tokio::test]
async fn every_attempt_is_one_tracing_event_with_its_outcome_and_key() {
    let server = PaymentsServer::with_faults(vec![Fault::After(Loss::Reset)]).await;
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let writer = {
        let log = log.clone();
        move || LogWriter(log.clone())
    };
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(writer).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let response = client(&server, 2).create_payment(&payment("o-traced")).send_with_response().await.unwrap();
    let key = response.idempotency_key().unwrap();
    let text = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    let attempts: Vec<&str> = text.lines().filter(|l| l.contains(": attempt attempt=")).collect();
    assert_eq!(attempts.len(), 2, "one event per attempt: {text}");
    assert!(attempts[0].contains("attempt=1") && attempts[0].contains("connection lost"), "{}", attempts[0]);
    assert!(attempts[1].contains("attempt=2") && attempts[1].contains("outcome=200"), "{}", attempts[1]);
    assert!(attempts.iter().all(|l| l.contains(key)), "each event names the idempotency key: {attempts:?}");
    assert!(!text.contains(API_KEY), "the API key leaked into tracing output");
}

/// Collects formatted tracing output in memory.
struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
