//! The exact bytes the generated client puts on the wire for every body kind and parameter
//! style, against a real local HTTP server (wiremock). The client is generated from
//! tests/wire/spec.yaml. Expected encodings come from a second implementation (serde_urlencoded
//! for flat forms, multer parsing multipart bodies) or from the OpenAPI specification's style
//! table, never from the code under test.

use serde_json::json;
use wire_client::models::{Address, Color, Signup};
use wire_client::multipart::{Form, Part};
use wire_client::{Binary, Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(status)).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder("token-1").base_url(format!("{}/v1", server.uri())).max_retries(0).build().unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected one request");
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> &'r str {
    request.headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap()
}

#[tokio::test]
async fn a_flat_form_body_is_what_serde_urlencoded_writes() {
    let server = server_answering(204).await;
    // Characters outside the form's unreserved set, which must be percent-encoded.
    let name = "ada.l*x_y-z~!&=/+";
    client(&server).create_signup(&Signup::new(name).with_age(36)).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/x-www-form-urlencoded");
    let expected = serde_urlencoded::to_string([("name", name), ("age", "36")]).unwrap();
    assert_eq!(header(&request, "authorization"), "Bearer token-1");
    assert_eq!(String::from_utf8(request.body).unwrap(), expected);
}

#[tokio::test]
async fn a_nested_form_body_repeats_list_keys_and_brackets_object_keys() {
    let server = server_answering(204).await;
    let signup = Signup::new("Ada")
        .with_tags(vec!["x".into(), "y".into()])
        .with_address(Address::new().with_city("Almaty").with_zip("050000"));
    client(&server).create_signup(&signup).await.unwrap();
    let request = only_request(&server).await;
    // OpenAPI's form default for a list (style form, explode true: the key repeated) and the
    // bracket convention of deepObject for the nested object, percent-encoded as a form must be
    // (`[` is %5B, `]` is %5D in the application/x-www-form-urlencoded set).
    let expected = "name=Ada&tags=x&tags=y&address%5Bcity%5D=Almaty&address%5Bzip%5D=050000";
    assert_eq!(String::from_utf8(request.body.clone()).unwrap(), expected);
    // And a second implementation reads the same pairs back.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&request.body).unwrap();
    let expected_pairs =
        [("name", "Ada"), ("tags", "x"), ("tags", "y"), ("address[city]", "Almaty"), ("address[zip]", "050000")];
    assert_eq!(pairs, expected_pairs.map(|(k, v)| (k.to_owned(), v.to_owned())));
}

/// Every part of a multipart body, as multer (the parser axum uses) reads it: name, file name,
/// content type and bytes.
async fn parse_multipart(request: &Request) -> Vec<(String, Option<String>, Option<String>, Vec<u8>)> {
    let boundary = multer::parse_boundary(header(request, "content-type")).unwrap();
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        parts.push((name, file_name, content_type, field.bytes().await.unwrap().to_vec()));
    }
    parts
}

#[tokio::test]
async fn a_multipart_body_carries_text_json_and_file_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/documents"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "doc-1"})))
        .mount(&server)
        .await;
    let pdf = b"%PDF-1.7\n\x00\xff binary".to_vec();
    let form = Form::new()
        .text("title", "Q3 report")
        .json("metadata", &Address::new().with_city("Almaty"))
        .unwrap()
        .part("file", Part::bytes(pdf.clone()).file_name("q3.pdf").content_type("application/pdf"))
        .part("file", Part::bytes(b"second".to_vec()).file_name("notes.txt"));
    let stored = client(&server).upload_document(form).await.unwrap();
    assert_eq!(stored.id.as_deref(), Some("doc-1"));
    let request = only_request(&server).await;
    assert!(header(&request, "content-type").starts_with("multipart/form-data; boundary="));
    let parts = parse_multipart(&request).await;
    assert_eq!(
        parts,
        vec![
            ("title".into(), None, None, b"Q3 report".to_vec()),
            ("metadata".into(), None, Some("application/json".into()), br#"{"city":"Almaty"}"#.to_vec()),
            ("file".into(), Some("q3.pdf".into()), Some("application/pdf".into()), pdf),
            ("file".into(), Some("notes.txt".into()), Some("application/octet-stream".into()), b"second".to_vec()),
        ]
    );
}

#[tokio::test]
async fn a_binary_body_is_sent_as_is_with_its_media_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/blobs/b%201"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "b 1"})))
        .mount(&server)
        .await;
    let bytes = vec![0u8, 1, 2, 0xfe, 0xff];
    client(&server).put_blob("b 1", bytes.clone()).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/octet-stream");
    assert_eq!(request.body, bytes);

    let server = server_answering(202).await;
    client(&server).upload_firmware(bytes::Bytes::from_static(b"\x7fELF")).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/vnd.example.firmware");
    assert_eq!(request.body, b"\x7fELF");
}

#[tokio::test]
async fn a_body_in_memory_is_resent_on_retry_but_a_stream_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let retrying = Client::builder("t")
        .base_url(server.uri())
        .max_retries(2)
        .backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(5))
        .build()
        .unwrap();
    retrying.put_blob("b", b"same bytes".to_vec()).idempotency_key("k-1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.body == b"same bytes"), "every attempt sends the whole body");

    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let retrying = Client::builder("t").base_url(server.uri()).max_retries(2).build().unwrap();
    let chunks = vec![
        Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"chunk-1,")),
        Ok(bytes::Bytes::from_static(b"chunk-2")),
    ];
    let stream = Binary::stream(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)));
    let error = retrying.put_blob("b", stream).idempotency_key("k-2").await.unwrap_err();
    assert!(matches!(&error, Error::Api(f) if f.status == 503), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "a streamed body is never sent twice");
    assert_eq!(requests[0].body, b"chunk-1,chunk-2");
}

#[tokio::test]
async fn text_goes_out_as_utf8_and_comes_back_as_a_string() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("привет, мир", "text/plain; charset=utf-8"))
        .mount(&server)
        .await;
    let answer = client(&server).echo_note("héllo\nwörld").await.unwrap();
    assert_eq!(answer, "привет, мир");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "text/plain");
    assert_eq!(header(&request, "accept"), "text/plain");
    assert_eq!(request.body, "héllo\nwörld".as_bytes());
}

#[tokio::test]
async fn a_download_arrives_as_bytes() {
    let server = MockServer::start().await;
    let payload: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    Mock::given(method("GET"))
        .and(path("/v1/blobs/b1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(payload.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let client = client(&server);
    let bytes = client.get_blob("b1").await.unwrap();
    assert_eq!(bytes.as_ref(), payload.as_slice());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(header(&requests[0], "accept"), "application/octet-stream");
}

#[tokio::test]
async fn json_flavours_and_status_ranges() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(206).set_body_raw(r#"{"city":"Astana"}"#, "application/json; charset=utf-8"),
        )
        .mount(&server)
        .await;
    let answer = client(&server).patch_settings(&Address::new().with_city("Astana")).await.unwrap();
    assert_eq!(answer.city.as_deref(), Some("Astana"));
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/merge-patch+json");
    assert_eq!(request.body, br#"{"city":"Astana"}"#);
}

#[tokio::test]
async fn every_parameter_style_and_place() {
    let server = server_answering(204).await;
    let color = Color::new().with_r(100).with_g(200).with_b(150);
    client(&server)
        .get_styles(
            &["blue", "black", "brown"],
            &color,
            &["blue", "black", "brown"],
            &["x", "y"],
            &["blue", "black", "brown"],
            &["blue", "black", "brown"],
            &["blue", "black", "brown"],
            &color,
            &color,
            "a/b?c",
            &Address::new().with_city("Almaty"),
            &[1, 2, 3],
            "s 1;",
            &["a", "b"],
        )
        .theme("dark")
        .await
        .unwrap();
    let request = only_request(&server).await;
    // Path and query pieces from the rows of the OpenAPI 3.1.0 style table
    // (https://spec.openapis.org/oas/v3.1.0#style-examples), for a value `color` of
    // ["blue","black","brown"] or {"R":100,"G":200,"B":150}: label (array), matrix exploded
    // (object), simple (array); form exploded (array), form (array), spaceDelimited,
    // pipeDelimited, deepObject, form exploded (object).
    assert_eq!(request.url.path(), "/v1/styles/.blue.black.brown/;R=100;G=200;B=150/blue,black,brown");
    let expected_query = [
        "plain=x&plain=y",
        "csv=blue,black,brown",
        "spaced=blue%20black%20brown",
        "piped=blue|black|brown",
        "color[R]=100&color[G]=200&color[B]=150",
        "R=100&G=200&B=150",
        // allowReserved: RFC 3986's reserved characters stay as they are.
        "reserved=a/b?c",
        // `content: application/json`: the JSON text, percent-encoded.
        "filter=%7B%22city%22%3A%22Almaty%22%7D",
    ]
    .join("&");
    assert_eq!(request.url.query(), Some(expected_query.as_str()));
    // Header: simple style. Cookies: form style, `; ` between pairs, values percent-encoded.
    assert_eq!(header(&request, "x-ids"), "1,2,3");
    assert_eq!(header(&request, "cookie"), "session=s%201%3B; prefs=a,b; theme=dark");
}

#[test]
fn a_webhook_body_decodes_into_the_type_the_spec_gives_it() {
    let signup: wire_client::webhooks::SignupCreated =
        serde_json::from_value(json!({"name": "Ada", "age": 36})).unwrap();
    assert_eq!((signup.name.as_str(), signup.age), ("Ada", Some(36)));
    let body = json!({"colors": [{"R": 255, "G": 0, "B": 0}], "at": "2026-12-01T10:00:00+06:00"});
    let palette: wire_client::webhooks::PaletteChangedPost = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(palette.colors[0].r, Some(255));
    assert_eq!(serde_json::to_value(&palette).unwrap(), body);
}

#[tokio::test]
async fn an_operation_whose_security_is_empty_sends_no_credential() {
    let server = server_answering(204).await;
    client(&server).get_health().await.unwrap();
    let request = only_request(&server).await;
    assert!(request.headers.get("authorization").is_none(), "{:?}", request.headers);
    client(&server).get_blob("b1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(header(&requests[1], "authorization"), "Bearer token-1");
}

#[tokio::test]
async fn a_token_provider_is_asked_before_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_bytes("ok")).mount(&server).await;
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = asked.clone();
    let client = Client::builder("unused")
        .base_url(format!("{}/v1", server.uri()))
        .backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(1))
        .token_provider(move || {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            async move { Ok(wire_client::ApiKey::new(format!("token-{n}"))) }
        })
        .build()
        .unwrap();
    client.get_blob("b1").await.unwrap();
    let sent: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| header(r, "authorization").to_owned()).collect();
    assert_eq!(sent, ["Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn a_failing_token_provider_stops_the_call_before_sending() {
    let server = server_answering(200).await;
    let client = Client::builder("unused")
        .base_url(format!("{}/v1", server.uri()))
        .token_provider(|| async { Err("the identity provider is down".into()) })
        .build()
        .unwrap();
    let error = client.get_blob("b1").await.unwrap_err();
    assert!(matches!(error, Error::Credential { .. }), "{error:?}");
    assert!(!error.may_have_been_processed());
    assert!(error.to_string().contains("the identity provider is down"), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_provider_for_another_scheme_refreshes_that_credential_alone() {
    // getReport needs partnerKey (query) and signature (header) together; the signature comes
    // from a provider, asked before each attempt, and needs no key of its own.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = asked.clone();
    let client = Client::builder("bearer-token")
        .base_url(format!("{}/v1", server.uri()))
        .backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(1))
        .credential("partnerKey", "pk-1")
        .credential_provider("signature", move || {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            async move { Ok(wire_client::ApiKey::new(format!("sig-{n}"))) }
        })
        .build()
        .unwrap();
    client.get_report().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let signatures: Vec<&str> = requests.iter().map(|r| header(r, "x-signature")).collect();
    assert_eq!(signatures, ["sig-1", "sig-2"]);
    for request in &requests {
        assert_eq!(request.url.query(), Some("partner_key=pk-1"));
        assert!(request.headers.get("authorization").is_none(), "getReport does not take the bearer token");
    }

    // A provider for a credential that goes in the query, or for a scheme the spec does not
    // declare, is refused when the client is built.
    let query = Client::builder("t")
        .base_url("http://localhost")
        .credential_provider("partnerKey", || async { Ok("k".into()) })
        .build();
    assert!(matches!(&query, Err(Error::Config(m)) if m.contains("`partnerKey` is not sent in one")), "{query:?}");
    let unknown = Client::builder("t")
        .base_url("http://localhost")
        .credential_provider("nope", || async { Ok("k".into()) })
        .build();
    assert!(
        matches!(&unknown, Err(Error::Config(m)) if m.contains("no security scheme is named `nope`")),
        "{unknown:?}"
    );
}

#[test]
fn a_basic_credential_is_user_and_password_in_base64_as_rfc_7617_shows() {
    // RFC 7617, section 2: user "Aladdin", password "open sesame".
    assert_eq!(wire_client::ApiKey::basic("Aladdin", "open sesame").expose(), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

#[tokio::test]
async fn an_operation_with_its_own_server_goes_there_unless_the_caller_set_a_base_url() {
    // The mock server stands in as an HTTP proxy, so it sees the host each request is for.
    let server = server_answering(201).await;
    let http = reqwest::Client::builder().proxy(reqwest::Proxy::http(server.uri()).unwrap()).build().unwrap();
    let proxied = Client::builder("token-1")
        .document_url("http://api.example.com/openapi.yaml")
        .http_client(http)
        .max_retries(0)
        .build()
        .unwrap();
    proxied.upload_file_content("hello").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "host"), "uploads.example.com");
    assert_eq!(request.url.path(), "/v2/files/content");

    // A base URL set by the caller (a sandbox, a mock) takes every call, this one included.
    let server = server_answering(201).await;
    client(&server).upload_file_content("hello").await.unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/v1/files/content");
}

#[tokio::test]
async fn a_relative_server_of_a_path_resolves_against_the_documents_address() {
    // /invoices/{invoiceId} names `/billing/{version}`: RFC 3986 resolution against the address
    // of the document, as OpenAPI defines it, gives http://api.example.com/billing/v3.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "inv-1"})))
        .mount(&server)
        .await;
    let http = reqwest::Client::builder().proxy(reqwest::Proxy::http(server.uri()).unwrap()).build().unwrap();
    let proxied = Client::builder("token-1")
        .document_url("http://api.example.com/docs/openapi.yaml")
        .http_client(http)
        .max_retries(0)
        .build()
        .unwrap();
    proxied.get_invoice("inv-1").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "host"), "api.example.com");
    assert_eq!(request.url.path(), "/billing/v3/invoices/inv-1");
}

#[tokio::test]
async fn a_download_can_be_read_piece_by_piece() {
    let server = MockServer::start().await;
    let body: Vec<u8> = (0..4 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/octet-stream"))
        .mount(&server)
        .await;
    let mut download = client(&server).get_blob("b1").send_streaming().await.unwrap();
    assert_eq!(download.status, 200);
    assert_eq!(download.headers["content-type"], "application/octet-stream");
    let (mut received, mut pieces) = (Vec::new(), 0);
    while let Some(piece) = download.chunk().await.unwrap() {
        received.extend_from_slice(&piece);
        pieces += 1;
    }
    assert_eq!(received, body);
    assert!(pieces > 1, "a 4 MiB body arrives in several pieces");
    assert_eq!(download.chunk().await.unwrap(), None);
}

#[tokio::test]
async fn declared_response_headers_are_typed() {
    let server = MockServer::start().await;
    let answer =
        ResponseTemplate::new(201).insert_header("Location", "/files/f1").insert_header("X-RateLimit-Remaining", "41");
    Mock::given(method("POST")).respond_with(answer).mount(&server).await;
    let response = client(&server).upload_file_content("hello").send_with_response().await.unwrap();
    let headers = wire_client::operations::UploadFileContent::headers(&response.headers);
    assert_eq!(headers.location.as_deref(), Some("/files/f1"));
    assert_eq!(headers.x_rate_limit_remaining, Some(41));

    // A header that is missing or not a number is `None`, not an error.
    let server = MockServer::start().await;
    let answer = ResponseTemplate::new(201).insert_header("X-RateLimit-Remaining", "plenty");
    Mock::given(method("POST")).respond_with(answer).mount(&server).await;
    let response = client(&server).upload_file_content("hello").send_with_response().await.unwrap();
    let headers = wire_client::operations::UploadFileContent::headers(&response.headers);
    assert_eq!((headers.location, headers.x_rate_limit_remaining), (None, None));
}

#[tokio::test]
async fn a_put_is_idempotent_so_it_is_retried_without_a_key_and_a_patch_is_not() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let retrying = Client::builder("t")
        .base_url(server.uri())
        .max_retries(1)
        .backoff(std::time::Duration::from_millis(1), std::time::Duration::from_millis(1))
        .build()
        .unwrap();
    // RFC 9110, section 9.2.2: PUT and DELETE are idempotent, PATCH is not.
    let error = retrying.put_blob("b", b"bytes".to_vec()).without_idempotency_key().await.unwrap_err();
    assert_eq!(error.attempts(), 2, "{error:?}");
    let address = Address::new().with_city("Almaty");
    let error = retrying.patch_settings(&address).await.unwrap_err();
    assert_eq!(error.attempts(), 1, "{error:?}");
}

#[tokio::test]
async fn a_relative_server_is_resolved_against_the_documents_address() {
    // The spec's server is `/v1`: OpenAPI reads it relative to where the document is served.
    let server = server_answering(204).await;
    let client = Client::builder("t").document_url(format!("{}/docs/openapi.yaml", server.uri())).build().unwrap();
    assert_eq!(client.base_url(), format!("{}/v1", server.uri()));
    client.get_health().await.unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/v1/health");

    let error = Client::builder("t").build().unwrap_err();
    assert!(matches!(&error, Error::Config(m) if m.contains("`/v1`") && m.contains("document_url")), "{error:?}");
}

#[tokio::test]
async fn a_server_variable_takes_the_callers_value_within_the_specs_enum() {
    // The spec's server is `/{version}`, `v1` by default, `v1` or `v2` allowed.
    let server = server_answering(204).await;
    let document = format!("{}/docs/openapi.yaml", server.uri());
    let client = Client::builder("t").document_url(&document).server_variable("version", "v2").build().unwrap();
    assert_eq!(client.base_url(), format!("{}/v2", server.uri()));
    client.get_health().await.unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/v2/health");

    let outside = Client::builder("t").document_url(&document).server_variable("version", "v3").build();
    assert!(
        matches!(&outside, Err(Error::Config(m)) if m.contains("cannot be `v3`") && m.contains("v1, v2")),
        "{outside:?}"
    );
    let unknown = Client::builder("t").document_url(&document).server_variable("region", "eu").build();
    assert!(
        matches!(&unknown, Err(Error::Config(m)) if m.contains("no variable `region`") && m.contains("version")),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn the_caller_chooses_the_request_media_type_by_the_method() {
    let server = server_answering(204).await;
    // The spec offers createSignup's body as a form or as XML; the form is the preferred one.
    client(&server).create_signup_xml(b"<signup name=\"Aigerim\"/>".to_vec()).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/xml");
    assert_eq!(request.body, b"<signup name=\"Aigerim\"/>");

    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let body = wire_client::models::PatchSettingsJsonRequest::new().with_city("Astana");
    client(&server).patch_settings_json(&body).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/json");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(), json!({"city": "Astana"}));
}

#[tokio::test]
async fn an_optional_body_is_sent_only_when_given() {
    let server = server_answering(204).await;
    client(&server).add_tags(None).await.unwrap();
    client(&server).add_tags(Some(&vec!["vip".to_owned()])).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].body.is_empty() && requests[0].headers.get("content-type").is_none(), "{:?}", requests[0]);
    assert_eq!(header(&requests[1], "content-type"), "application/json");
    assert_eq!(requests[1].body, br#"["vip"]"#);
}

#[tokio::test]
async fn a_form_bodys_encoding_styles_its_fields_as_the_specification_table_shows() {
    let server = server_answering(204).await;
    let search = wire_client::models::SaveSearchRequest::new()
        .with_colors(vec!["blue".to_owned(), "black".to_owned()])
        .with_sizes(vec!["S".to_owned(), "M".to_owned()])
        .with_filter(Address::new().with_city("Almaty").with_zip("050000"))
        .with_next("/page?2")
        .with_note("a/b c");
    client(&server).save_search(&search).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), "application/x-www-form-urlencoded");
    // OpenAPI 3.1, Style Examples: pipeDelimited `color=blue|black`, form without explode
    // `color=blue,black`, deepObject `color[R]=100`; allowReserved keeps `/` and `?`. A field
    // without an encoding entry is written the default way, which a form parser
    // (serde_urlencoded) reads back as it was.
    let body = std::str::from_utf8(&request.body).unwrap();
    let (styled, plain) = body.split_once("&note=").unwrap();
    assert_eq!(styled, "colors=blue|black&sizes=S,M&filter[city]=Almaty&filter[zip]=050000&next=/page?2");
    let read: Vec<(String, String)> = serde_urlencoded::from_str(&format!("note={plain}")).unwrap();
    assert_eq!(read, [("note".to_owned(), "a/b c".to_owned())]);
}

#[tokio::test]
async fn the_caller_chooses_the_answers_media_type_by_the_method() {
    // getInvoice answers JSON, a PDF or CSV; each method asks for its own kind (RFC 9110 §12.5.1)
    // and reads the answer as that kind.
    let server = MockServer::start().await;
    let by_accept = |accept: &'static str, body: &'static [u8], media: &'static str| {
        Mock::given(method("GET"))
            .and(path("/v1/invoices/inv-1"))
            .and(wiremock::matchers::header("accept", accept))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, media).insert_header("x-pages", "3"))
    };
    by_accept("application/json", br#"{"id":"inv-1"}"#, "application/json").mount(&server).await;
    by_accept("application/pdf", b"%PDF-1.7 \x00\xff", "application/pdf").mount(&server).await;
    by_accept("text/csv", b"id\r\ninv-1\r\n", "text/csv").mount(&server).await;
    let client = client(&server);

    assert_eq!(client.get_invoice("inv-1").await.unwrap().id.as_deref(), Some("inv-1"));
    let pdf = client.get_invoice_as_bytes("inv-1").send_with_response().await.unwrap();
    assert_eq!(pdf.body.as_ref(), b"%PDF-1.7 \x00\xff");
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    // The headers the answer declares read the same whichever kind was asked for.
    assert_eq!(wire_client::operations::GetInvoiceAsBytes::headers(&pdf.headers).x_pages, Some(3));
    assert_eq!(client.get_invoice_as_text("inv-1").await.unwrap(), "id\r\ninv-1\r\n");
    let requests = server.received_requests().await.unwrap();
    let accepts: Vec<&str> = requests.iter().map(|r| header(r, "accept")).collect();
    assert_eq!(accepts, ["application/json", "application/pdf", "text/csv"]);
}
