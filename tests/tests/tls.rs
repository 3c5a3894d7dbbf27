//! HTTPS out of the box: a client built with the crate's default TLS (rustls with the ring
//! provider and the platform's root certificates, no extra setup) completes a handshake and a
//! call against a local HTTPS server. The server's certificate is signed by a test root that is
//! added to the platform's roots the way an operator adds a company root: `SSL_CERT_FILE`.
//!
//! A server that asks for a client certificate (mutual TLS) accepts a client given that
//! identity with `ClientBuilder::identity`, and refuses one without it.
//!
//! The certificates in tests/fixtures/tls were made with openssl: a P-256 root (`CA:TRUE`,
//! `keyCertSign`) and a P-256 leaf for `localhost` and 127.0.0.1 (`CA:FALSE`, `serverAuth`)
//! signed by it; for clients, a second P-256 root (`client-ca.pem`) and a leaf for a shop
//! (`client.pem`, `client.key`: `CA:FALSE`, `clientAuth`) signed by it. All are valid for a
//! hundred years; the roots' keys were not kept.

use plexy::models::{self, Amount, PaymentMethodDetails, PaymentRequest, ResultCode};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fixture(name: &str) -> PathBuf {
    xtask::codegen::workspace_root().join("tests/fixtures/tls").join(name)
}

/// Serves one HTTPS connection: reads one request and answers 200 with `body`. Returns the
/// request's head, or `None` when the handshake failed. With `client_root`, the server asks
/// for a client certificate signed by that root and refuses a client without one.
async fn serve_one(listener: tokio::net::TcpListener, body: &'static str, client_root: Option<&str>) -> Option<String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs = CertificateDer::pem_file_iter(fixture("localhost.pem")).unwrap().map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_file(fixture("localhost.key")).unwrap();
    let builder =
        rustls::ServerConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions().unwrap();
    let builder = match client_root {
        None => builder.with_no_client_auth(),
        Some(root) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in CertificateDer::pem_file_iter(fixture(root)).unwrap() {
                roots.add(cert.unwrap()).unwrap();
            }
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider).build().unwrap();
            builder.with_client_cert_verifier(verifier)
        }
    };
    let config = builder.with_single_cert(certs, key).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let (tcp, _) = listener.accept().await.unwrap();
    let mut tls = acceptor.accept(tcp).await.ok()?;
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    // The head, then as many body bytes as Content-Length says.
    let head_end = loop {
        let n = tls.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the client closed the connection before sending a whole request");
        received.extend_from_slice(&buffer[..n]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_ascii_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap());
    while received.len() < head_end + length {
        let n = tls.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the client closed the connection before sending its whole body");
        received.extend_from_slice(&buffer[..n]);
    }
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(answer.as_bytes()).await.unwrap();
    tls.shutdown().await.unwrap();
    Some(head)
}

/// A payment request; what it holds does not matter here.
fn request() -> PaymentRequest {
    PaymentRequest::new(
        "PlexyMerchantKZ",
        Amount::new("KZT", 10000),
        "order-1",
        PaymentMethodDetails::Scheme(models::CardDetails::new()),
        "https://shop.example.com/return",
    )
}

/// The shop's client certificate and key, as `reqwest::Identity::from_pem` reads them.
fn shop_identity() -> reqwest::Identity {
    let mut pem = std::fs::read(fixture("client.pem")).unwrap();
    pem.extend(std::fs::read(fixture("client.key")).unwrap());
    reqwest::Identity::from_pem(&pem).unwrap()
}

// One test in this binary: it sets the environment before any other thread starts.
#[test]
fn a_client_with_default_features_calls_an_https_server_the_platform_trusts() {
    // SAFETY: this test binary has this one test, and no other thread has started yet that
    // could read the environment while it changes.
    unsafe { std::env::set_var("SSL_CERT_FILE", fixture("ca.pem")) };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(serve_one(listener, AUTHORISED, None));
        let client = plexy::Client::builder("pr_test_key")
            .base_url(format!("https://localhost:{port}/v2"))
            .max_retries(0)
            .build()
            .unwrap();
        let payment = client.create_payment(&request()).await.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(payment.result_code, Some(ResultCode::Authorised));
        let head = server.await.unwrap().expect("the handshake succeeds");
        assert!(head.starts_with("post /v2/payments http/1.1\r\n"), "{head}");

        // Mutual TLS: the server asks for a certificate from the shop's root.
        for identity in [Some(shop_identity()), None] {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = tokio::spawn(serve_one(listener, AUTHORISED, Some("client-ca.pem")));
            let builder =
                plexy::Client::builder("pr_test_key").base_url(format!("https://localhost:{port}/v2")).max_retries(0);
            let with_identity = identity.is_some();
            let builder = match identity {
                Some(identity) => builder.identity(identity),
                None => builder,
            };
            let answer = builder.build().unwrap().create_payment(&request()).await;
            let handshake = server.await.unwrap();
            if with_identity {
                assert_eq!(answer.unwrap_or_else(|e| panic!("{e:?}")).result_code, Some(ResultCode::Authorised));
                assert!(handshake.is_some());
            } else {
                assert!(matches!(answer, Err(plexy::Error::Connection { .. })), "{answer:?}");
                assert!(handshake.is_none(), "the server refuses a client without a certificate");
            }
        }
    });
}

/// The body the server answers with.
const AUTHORISED: &str = r#"{"pspReference":"BNV58BSJF9WQ5K65","resultCode":"Authorised"}"#;
