//! The generated client against a real local HTTP server: what it sends (method, path, query,
//! headers, body) and how it maps answers (2xx, 201, the API's error body, a non-JSON error,
//! an undecodable body, unknown values).

use plexy::models::{self, Amount, CreateSessionRequest, PaymentMethodDetails, PaymentRequest, ResultCode};
use plexy::{Client, Error};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "pr_test_0123456789";

async fn client(server: &MockServer) -> Client {
    Client::builder(KEY).base_url(format!("{}/v2", server.uri())).max_retries(0).build().unwrap()
}

fn payment_request() -> PaymentRequest {
    PaymentRequest::new(
        "PlexyMerchantKZ",
        Amount::new("KZT", 10000),
        "order-1",
        PaymentMethodDetails::Scheme(models::CardDetails::new().with_encrypted_card_number("enc")),
        "https://shop.example.com/return",
    )
}

fn authorised() -> Value {
    json!({"pspReference": "BNV58BSJF9WQ5K65", "resultCode": "Authorised", "amount": {"currency": "KZT", "value": 10000}})
}

#[tokio::test]
async fn a_post_sends_method_path_headers_and_body_and_decodes_200() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/payments"))
        .and(header("x-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header_exists("idempotency-key"))
        .and(body_json(json!({
            "merchantAccount": "PlexyMerchantKZ",
            "amount": {"currency": "KZT", "value": 10000},
            "reference": "order-1",
            "paymentMethod": {"type": "scheme", "encryptedCardNumber": "enc"},
            "returnUrl": "https://shop.example.com/return"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(authorised()))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).await.create_payment(&payment_request()).await.unwrap();
    assert_eq!(response.result_code, Some(ResultCode::Authorised));
    assert_eq!(response.psp_reference.as_deref(), Some("BNV58BSJF9WQ5K65"));
    let sent = &server.received_requests().await.unwrap()[0];
    let user_agent = sent.headers.get("user-agent").unwrap().to_str().unwrap();
    assert!(user_agent.starts_with("plexy-rust/"), "{user_agent}");
    let key = sent.headers.get("idempotency-key").unwrap().to_str().unwrap();
    assert_eq!(key.len(), 36, "an automatic key is a UUID: {key}");
}

#[tokio::test]
async fn a_given_idempotency_key_and_extra_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/payments"))
        .and(header("idempotency-key", "order-1-attempt-1"))
        .and(header("x-correlation-id", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(authorised()))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let call = client
        .create_payment(&payment_request())
        .idempotency_key("order-1-attempt-1")
        .header("X-Correlation-Id", "abc");
    call.await.unwrap();
}

#[tokio::test]
async fn a_201_answer_decodes_and_the_response_keeps_status_and_headers() {
    let server = MockServer::start().await;
    let session = json!({
        "id": "CS1", "expiresAt": "2026-11-24T21:15:00+05:00", "amount": {"currency": "KZT", "value": 10000},
        "merchantAccount": "PlexyMerchantKZ", "reference": "order-1", "returnUrl": "https://shop.example.com/return"
    });
    Mock::given(method("POST"))
        .and(path("/v2/sessions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(session).insert_header("x-request-id", "req_1"))
        .mount(&server)
        .await;
    let request = CreateSessionRequest::new(
        "PlexyMerchantKZ",
        Amount::new("KZT", 10000),
        "order-1",
        "https://shop.example.com/return",
    );
    let response = client(&server).await.create_session(&request).send_with_response().await.unwrap();
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(response.headers["x-request-id"], "req_1");
    assert_eq!(response.body.id, "CS1");
    assert_eq!(response.body.expires_at.as_str(), "2026-11-24T21:15:00+05:00");
    assert_eq!(response.body.expires_at.get().map(|t| t.offset().local_minus_utc()), Some(5 * 3600));
}

#[tokio::test]
async fn a_get_fills_and_encodes_path_and_query_and_sends_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/sessions/CS%2F1%20x"))
        .and(query_param("sessionResult", "res&ult=1"))
        .and(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "CS/1 x", "status": "completed"})))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server).await.get_session_result("CS/1 x", "res&ult=1").await.unwrap();
    assert_eq!(result.status, Some(models::SessionStatus::Completed));
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(sent.body.is_empty());
    assert!(sent.headers.get("content-type").is_none());
    assert!(sent.headers.get("idempotency-key").is_none(), "a GET carries no idempotency key");
}

#[tokio::test]
async fn an_error_body_of_the_documented_shape_is_parsed() {
    let server = MockServer::start().await;
    let error = json!({"error": {
        "type": "invalid_request_error", "code": "parameter_missing",
        "message": "Missing required parameter: amount", "param": "amount", "request_id": "req_abc123"
    }});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(422).set_body_json(error)).mount(&server).await;
    let err = client(&server).await.create_payment(&payment_request()).await.unwrap_err();
    let Error::Api(failure) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(failure.status.as_u16(), 422);
    let body = failure.body.as_ref().expect("parsed error body");
    assert_eq!(body.error.code, models::ApiErrorCode::ParameterMissing);
    assert_eq!(body.error.r#type, Some(models::ErrorType::InvalidRequestError));
    assert_eq!(body.error.param.as_deref(), Some("amount"));
    assert_eq!(body.error.request_id.as_deref(), Some("req_abc123"));
    assert!(!err.is_retryable());
    assert!(!err.may_have_been_processed());
}

#[tokio::test]
async fn a_non_json_error_keeps_the_raw_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_string("Unauthorized").insert_header("content-type", "text/plain"),
        )
        .mount(&server)
        .await;
    let err = client(&server).await.create_payment(&payment_request()).await.unwrap_err();
    let Error::Api(failure) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(failure.status.as_u16(), 401);
    assert!(failure.body.is_none());
    assert_eq!(failure.raw, "Unauthorized");
    assert_eq!(err.to_string(), "the API answered 401 Unauthorized: Unauthorized");
}

#[tokio::test]
async fn an_undecodable_success_body_names_the_json_path() {
    let server = MockServer::start().await;
    let body = json!({"pspReference": "X", "amount": {"currency": "KZT", "value": "ten thousand"}});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let err = client(&server).await.create_payment(&payment_request()).await.unwrap_err();
    let Error::Decode { status, path, excerpt, .. } = &err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(path, "amount.value");
    assert!(excerpt.contains("ten thousand"));
    assert!(err.may_have_been_processed(), "the payment may exist although its answer did not decode");
}

#[tokio::test]
async fn unknown_values_and_extra_fields_decode_and_are_kept() {
    let server = MockServer::start().await;
    let body = json!({
        "pspReference": "X", "resultCode": "Deferred", "brandNewField": {"nested": [1, 2]},
        "action": {"type": "biometric", "challenge": "abc", "paymentMethodType": "scheme"}
    });
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let response = client(&server).await.create_payment(&payment_request()).await.unwrap();
    assert_eq!(response.result_code, Some(ResultCode::Unknown("Deferred".into())));
    let action = response.action.as_ref().unwrap();
    assert_eq!(action.tag(), Some("biometric"));
    assert_eq!(
        serde_json::to_value(action).unwrap(),
        json!({"type": "biometric", "challenge": "abc", "paymentMethodType": "scheme"})
    );
    assert_eq!(serde_json::to_value(&response.result_code).unwrap(), json!("Deferred"));
}

#[tokio::test]
async fn an_unknown_error_code_and_type_are_kept() {
    let server = MockServer::start().await;
    let error = json!({"error": {"type": "fraud_error", "code": "velocity_limit", "message": "Too many", "extra": 1}});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(error)).mount(&server).await;
    let err = client(&server).await.create_payment(&payment_request()).await.unwrap_err();
    let Error::Api(failure) = err else { panic!("expected an API error") };
    let body = failure.body.unwrap();
    assert_eq!(body.error.code, models::ApiErrorCode::Unknown("velocity_limit".into()));
    assert_eq!(serde_json::to_value(&body.error.code).unwrap(), json!("velocity_limit"));
    assert_eq!(body.error.r#type, Some(models::ErrorType::Unknown("fraud_error".into())));
    assert_eq!(serde_json::to_value(&body.error.r#type).unwrap(), json!("fraud_error"));
}

#[tokio::test]
async fn a_bad_base_url_is_a_configuration_error() {
    let err = Client::builder(KEY).base_url("not a url").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_eq!(Client::new(KEY).unwrap().base_url(), "https://api.plexypay.com/v2");
}

#[tokio::test]
async fn a_key_that_cannot_be_a_header_is_a_configuration_error_when_building() {
    let err = Client::builder("pr_test\nInjected: 1").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("API key")), "{err:?}");
    let err = Client::builder(KEY).user_agent_suffix("shop\r\n").build().unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("User-Agent")), "{err:?}");
}
