//! The axum webhook endpoint of the README's Webhooks section, compiled and driven over real
//! HTTP: a signed delivery is accepted once, a repeat is acknowledged without processing, and a
//! bad signature is refused. Keep `AppState`, `router`, `plexy_webhook` and `process` the same as
//! the README's.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, KeyInit, Mac};
use plexy::WebhookEvent;
use plexy::models::WebhookEventType;
use plexy::webhook::{SIGNATURE_HEADER, Verifier};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---- as in the README

#[derive(Clone)]
struct AppState {
    verifier: Arc<Verifier>,
    /// Ids of the events already accepted. A set in memory is lost on restart and not shared
    /// between instances: in production, use a durable store (for example a table with a
    /// unique key on the id, written in the same transaction that queues the work).
    seen: Arc<Mutex<HashSet<String>>>,
}

/// The README builds the state inside; the test passes it in so that it can look at `seen`.
fn router_with(state: AppState) -> Router {
    Router::new().route("/webhooks/plexy", post(plexy_webhook)).with_state(state)
}

fn router(secret: String) -> Router {
    let state = AppState { verifier: Arc::new(Verifier::new(secret)), seen: Arc::default() };
    router_with(state)
}

/// Verifies, de-duplicates, and answers at once; the work happens in a background task.
/// `Bytes` is the raw body, which is what the signature covers.
async fn plexy_webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let Some(signature) = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()) else {
        return StatusCode::BAD_REQUEST;
    };
    let event = match state.verifier.verify(&body, signature, SystemTime::now()) {
        Ok(event) => event,
        Err(error) => {
            eprintln!("rejected a Plexy webhook: {error}");
            return StatusCode::BAD_REQUEST;
        }
    };
    // `insert` is false when the id was already there: a repeated (or replayed) delivery.
    let first_time = state.seen.lock().unwrap_or_else(PoisonError::into_inner).insert(event.id.clone());
    if first_time {
        tokio::spawn(process(event));
    }
    StatusCode::OK
}

async fn process(event: WebhookEvent) {
    match &event.r#type {
        WebhookEventType::PaymentSucceeded => { /* fulfil the order */ }
        WebhookEventType::PaymentFailed => { /* tell the shopper */ }
        WebhookEventType::RefundSucceeded => { /* update the books */ }
        other => eprintln!("ignoring Plexy event {} of type {other}", event.id),
    }
}

// ---- the test

const SECRET: &str = "whsec_handler_test";

/// Sends one POST to the server and returns the status line.
async fn post_delivery(addr: std::net::SocketAddr, signature: Option<&str>, body: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let header = signature.map(|s| format!("{SIGNATURE_HEADER}: {s}\r\n")).unwrap_or_default();
    let request = format!(
        "POST /webhooks/plexy HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{header}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

fn signature(body: &str) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    format!("t={now},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn the_readme_handler_verifies_deduplicates_and_answers_200() {
    let _ = router(SECRET.to_owned());
    let state = AppState { verifier: Arc::new(Verifier::new(SECRET)), seen: Arc::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, router_with(state.clone())).into_future());

    let body = r#"{"id":"evt_1","type":"payment.succeeded","created":1729012345,"data":{}}"#;
    let good = signature(body);
    assert_eq!(post_delivery(addr, Some(&good), body).await, "HTTP/1.1 200 OK");
    assert_eq!(post_delivery(addr, Some(&good), body).await, "HTTP/1.1 200 OK", "a repeat is acknowledged");
    assert_eq!(state.seen.lock().unwrap().len(), 1, "a repeat is not processed again");

    let unknown = r#"{"id":"evt_2","type":"dispute.created","created":1729012345,"data":{}}"#;
    assert_eq!(post_delivery(addr, Some(&signature(unknown)), unknown).await, "HTTP/1.1 200 OK");

    let tampered = body.replace("evt_1", "evt_3");
    assert_eq!(post_delivery(addr, Some(&good), &tampered).await, "HTTP/1.1 400 Bad Request");
    assert_eq!(post_delivery(addr, None, body).await, "HTTP/1.1 400 Bad Request");
    assert_eq!(state.seen.lock().unwrap().len(), 2);
    server.abort();
}
