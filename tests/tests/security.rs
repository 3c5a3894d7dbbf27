//! Several security schemes at once, against a real local HTTP server (wiremock): an
//! operation's alternatives (OR) of schemes needed together (AND), as OpenAPI's Security
//! Requirement Object defines them, read off tests/wire/spec.yaml. `getReport` needs the
//! `partnerKey` query key and the `signature` header together, or the `session` cookie; every
//! other operation needs the primary `bearer` scheme, `getHealth` none.

use wire_client::{Client, ClientBuilder, Error};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

fn builder(server: &MockServer, key: &str) -> ClientBuilder {
    Client::builder(key).base_url(format!("{}/v1", server.uri())).max_retries(0)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn the_first_alternative_the_client_has_every_credential_for_is_sent_and_nothing_else() {
    let server = server().await;
    let client = builder(&server, "token-1")
        .credential("session", "s-1")
        .credential("partnerKey", "p-1")
        .credential("signature", "sig-1")
        .build()
        .unwrap();
    client.get_report().await.unwrap();
    let sent = &requests(&server).await[0];
    assert_eq!(sent.url.query(), Some("partner_key=p-1"));
    assert_eq!(header(sent, "x-signature").as_deref(), Some("sig-1"));
    assert_eq!(header(sent, "cookie"), None, "the second alternative is not sent as well");
    assert_eq!(header(sent, "authorization"), None, "the operation's security replaces the document's");
}

#[tokio::test]
async fn an_alternative_met_only_in_part_is_passed_over_for_a_later_one() {
    let server = server().await;
    let client =
        builder(&server, "token-1").credential("partnerKey", "p-1").credential("session", "s-1").build().unwrap();
    client.get_report().await.unwrap();
    let sent = &requests(&server).await[0];
    assert_eq!(sent.url.query(), None, "{}", sent.url);
    assert_eq!(header(sent, "cookie").as_deref(), Some("sid=s-1"));
    assert_eq!(header(sent, "x-signature"), None);
}

#[tokio::test]
async fn a_call_no_alternative_is_met_for_fails_before_sending_and_names_what_it_needs() {
    let server = server().await;
    let client = builder(&server, "token-1").credential("signature", "sig-1").build().unwrap();
    let error = client.get_report().await.unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(!error.may_have_been_processed());
    let text = error.to_string();
    assert!(text.contains("`getReport`") && text.contains("`partnerKey` and `signature`, or for `session`"), "{text}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn the_builders_key_is_the_primary_schemes_and_an_empty_one_is_a_last_resort() {
    let server = server().await;
    let client = builder(&server, "").credential("session", "s-1").build().unwrap();
    client.get_report().await.unwrap();
    client.get_health().await.unwrap();
    // The primary scheme alone meets getBlob: with an empty key the call is still sent, as it
    // always was, and the server answers for itself.
    client.get_blob("b1").await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "cookie").as_deref(), Some("sid=s-1"));
    assert_eq!(header(&sent[1], "authorization"), None, "getHealth needs no credential");
    assert_eq!(header(&sent[2], "authorization").as_deref(), Some("Bearer"));
}

#[test]
fn a_scheme_the_spec_does_not_declare_is_refused_with_the_names_it_does() {
    let error = Client::builder("k").base_url("http://127.0.0.1:9").credential("sesion", "s-1").build().unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`sesion`") && text.contains("bearer, partnerKey, signature, session"), "{text}");
}

#[tokio::test]
async fn a_credential_in_a_cookie_travels_with_the_calls_cookies_and_stays_out_of_debug_output() {
    let server = server().await;
    let client = builder(&server, "").credential("session", "s-secret").build().unwrap();
    assert!(!format!("{client:?}").contains("s-secret"), "{client:?}");
    client.get_report().await.unwrap();
    let sent = &requests(&server).await[0];
    assert_eq!(header(sent, "cookie").as_deref(), Some("sid=s-secret"));
}
