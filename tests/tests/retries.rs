//! The double-charge rule and the rest of the retry policy, over real HTTP: what is retried, how
//! often, with which idempotency key, how long it waits, and what the errors say. Waits are
//! shortened through the client's backoff settings; time is only ever bounded from below (a
//! sleep cannot be shorter than asked), so a busy machine cannot make these tests fail.

use plexy::models::{Amount, CardDetails, PaymentMethodDetails, PaymentRequest};
use plexy::{Client, Error};
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "pr_live_supersecret_42";

fn client(server: &MockServer, retries: u32) -> Client {
    Client::builder(KEY)
        .base_url(server.uri())
        .max_retries(retries)
        .backoff(Duration::from_millis(1), Duration::from_millis(20))
        .build()
        .unwrap()
}

fn payment() -> PaymentRequest {
    PaymentRequest::new(
        "PlexyMerchantKZ",
        Amount::new("KZT", 5000),
        "order-7",
        PaymentMethodDetails::Scheme(CardDetails::new()),
        "https://shop.example.com/return",
    )
}

fn ok_body() -> serde_json::Value {
    json!({"pspReference": "P1", "resultCode": "Authorised"})
}

/// The idempotency keys of every request the server received, in order.
async fn keys(server: &MockServer) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers.get("idempotency-key").map(|v| v.to_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn a_5xx_is_retried_with_the_same_automatic_key_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(2).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(ok_body())).mount(&server).await;
    let response = client(&server, 2).create_payment(&payment()).await.unwrap();
    assert_eq!(response.psp_reference.as_deref(), Some("P1"));
    let keys = keys(&server).await;
    assert_eq!(keys.len(), 3);
    assert!(keys[0].is_some());
    assert!(keys.iter().all(|k| k == &keys[0]), "one key for every attempt: {keys:?}");
}

#[tokio::test]
async fn each_call_gets_its_own_automatic_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(ok_body())).mount(&server).await;
    let client = client(&server, 0);
    client.create_payment(&payment()).await.unwrap();
    client.create_payment(&payment()).await.unwrap();
    let keys = keys(&server).await;
    assert_ne!(keys[0], keys[1]);
}

#[tokio::test]
async fn retries_stop_at_the_budget_and_the_error_says_it_may_have_been_processed() {
    for status in [500, 502, 503, 504, 429] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let err = client(&server, 3).create_payment(&payment()).idempotency_key("k-1").await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.is_retryable());
        assert_eq!(err.may_have_been_processed(), status != 429, "status {status}");
        assert_eq!(keys(&server).await, vec![Some("k-1".to_owned()); 4], "status {status}");
    }
}

#[tokio::test]
async fn other_4xx_answers_are_never_retried() {
    for status in [400, 401, 403, 404, 422] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let err = client(&server, 3).create_payment(&payment()).await.unwrap_err();
        assert!(!err.is_retryable(), "status {status}");
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn a_409_is_retried_only_for_a_call_with_a_key() {
    // With a key, a 409 means an earlier attempt with the key is still being processed (the
    // fault suite in faults.rs shows it against a real store); without one it is final.
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(409)).mount(&server).await;
    let err = client(&server, 2).create_payment(&payment()).idempotency_key("k-409").await.unwrap_err();
    assert!(err.is_retryable() && err.may_have_been_processed(), "{err}");
    assert_eq!(keys(&server).await, vec![Some("k-409".to_owned()); 3]);

    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(409)).mount(&server).await;
    let err = client(&server, 2).create_payment(&payment()).without_idempotency_key().await.unwrap_err();
    assert!(!err.is_retryable() && !err.may_have_been_processed(), "{err}");
    assert_eq!(keys(&server).await, vec![None]);
}

#[tokio::test]
async fn a_post_without_a_key_is_not_retried_once_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let err = client(&server, 3).create_payment(&payment()).without_idempotency_key().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(keys(&server).await, vec![None]);
}

#[tokio::test]
async fn a_get_is_retried_without_a_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "completed"})))
        .mount(&server)
        .await;
    client(&server, 1).get_session_result("CS1", "r").await.unwrap();
    assert_eq!(keys(&server).await, vec![None, None]);
}

/// How long a call waits when its first answer is `status` with this `Retry-After`, and a
/// second attempt succeeds. The backoff is 1 ms, so any longer wait comes from the header.
async fn wait_for_retry_after(status: u16, retry_after: &str) -> Duration {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).insert_header("retry-after", retry_after))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(ok_body())).mount(&server).await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .backoff(Duration::from_millis(1), Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    client.create_payment(&payment()).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    started.elapsed()
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let waited = wait_for_retry_after(429, "1").await;
    assert!(waited >= Duration::from_secs(1), "waited {waited:?}");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    // Two seconds ahead: HTTP dates have whole seconds, so the wait is at least one.
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let waited = wait_for_retry_after(503, &at).await;
    assert!(waited >= Duration::from_millis(900), "waited {waited:?}");
}

#[tokio::test]
async fn a_timeout_fires_and_is_retried_only_with_a_key() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_json(ok_body()).set_delay(Duration::from_secs(30));
    Mock::given(method("POST")).respond_with(slow).mount(&server).await;
    let client = client(&server, 2);

    let err = client.create_payment(&payment()).timeout(Duration::from_millis(200)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { sent: true, .. }), "{err:?}");
    assert!(err.is_retryable() && err.may_have_been_processed());
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "with its automatic key the call is retried");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let err = client.create_payment(&payment()).without_idempotency_key().timeout(Duration::from_millis(200)).await;
    assert!(matches!(err, Err(Error::Timeout { sent: true, .. })));
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "without a key it is not");
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_without_a_key_and_says_nothing_was_sent() {
    // Bind and drop a listener: its port is then closed on loopback.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let err = client.create_payment(&payment()).without_idempotency_key().await.unwrap_err();
    assert!(matches!(err, Error::Connection { sent: false, .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.may_have_been_processed());
}

#[tokio::test]
async fn the_key_never_shows_in_debug_output_or_tracing_events() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(ok_body())).mount(&server).await;
    let builder =
        Client::builder(KEY).base_url(server.uri()).backoff(Duration::from_millis(1), Duration::from_millis(2));
    assert!(!format!("{builder:?}").contains(KEY));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(KEY));
    assert!(!format!("{:?}", client.create_payment(&payment())).contains(KEY));

    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let writer = {
        let log = log.clone();
        move || LogWriter(log.clone())
    };
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(writer).with_ansi(false).finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    client.create_payment(&payment()).await.unwrap();
    let text = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    assert!(text.contains("api_call"), "the call is traced: {text}");
    assert!(text.contains("operation=\"createPayment\"") || text.contains("operation=createPayment"), "{text}");
    assert!(!text.contains(KEY), "the key leaked into tracing output");
    assert!(!text.contains("PlexyMerchantKZ"), "a request body leaked into tracing output");
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
