//! Webhook verification of the generated crate: known-answer vectors computed outside Rust
//! (openssl), every check of the `Plexy-Signature` header, event decoding, and that nothing
//! prints the signing secret.

use hmac::{Hmac, KeyInit, Mac};
use plexy::models::WebhookEventType;
use plexy::webhook::{DEFAULT_TOLERANCE, SIGNATURE_HEADER, SigningSecret, Verifier, WebhookError};
use proptest::prelude::*;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "whsec_kat_5f3Jq9";
const T: u64 = 1_729_012_345;
const BODY: &str = r#"{"id":"evt_1Q2w3E4r5T6y7U8i","type":"payment.succeeded","created":1729012345,"data":{"pspReference":"BNV58BSJF9WQ5K65","amount":{"currency":"KZT","value":10000}}}"#;

/// `BODY` signed with `SECRET`, written down once from:
///
/// ```sh
/// printf '%s' '{"id":"evt_1Q2w3E4r5T6y7U8i","type":"payment.succeeded","created":1729012345,"data":{"pspReference":"BNV58BSJF9WQ5K65","amount":{"currency":"KZT","value":10000}}}' \
///   | openssl dgst -sha256 -hmac 'whsec_kat_5f3Jq9'
/// # SHA2-256(stdin)= 659535e25aacabd2c36b85799f879033907e510c0d9b2bd93b24e9e70999f15c
/// ```
///
/// (Python's `hmac.new(key, body, hashlib.sha256).hexdigest()` gives the same.)
const BODY_V1: &str = "659535e25aacabd2c36b85799f879033907e510c0d9b2bd93b24e9e70999f15c";

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn verifier() -> Verifier {
    Verifier::new(SECRET)
}

/// The lowercase hex HMAC-SHA256 of `body` keyed with `secret`, computed by `openssl dgst`.
fn openssl_hmac(secret: &str, body: &[u8]) -> String {
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-hmac", secret])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("the known-answer tests run `openssl dgst -sha256 -hmac`; install openssl (it was not found: {e})")
        });
    child.stdin.take().expect("piped stdin").write_all(body).expect("writing the body to openssl");
    let output = child.wait_with_output().expect("waiting for openssl");
    assert!(output.status.success(), "openssl failed: {}", String::from_utf8_lossy(&output.stderr));
    // `SHA2-256(stdin)= <hex>` (OpenSSL 3) or `(stdin)= <hex>` (1.1).
    let text = String::from_utf8(output.stdout).expect("openssl prints ASCII");
    let hex = text.trim().rsplit("= ").next().expect("openssl output has `= `").to_owned();
    assert_eq!(hex.len(), 64, "unexpected openssl output: {text:?}");
    hex
}

/// The same signature computed with the `hmac` crate, for tests that sign many bodies.
fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn header(t: u64, body: &[u8]) -> String {
    format!("t={t},v1={}", sign(SECRET, body))
}

#[test]
fn the_spec_names_the_header_and_the_tolerance() {
    assert_eq!(SIGNATURE_HEADER, "Plexy-Signature");
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    assert_eq!(verifier().tolerance(), DEFAULT_TOLERANCE);
}

#[test]
fn the_written_down_vector_verifies_and_decodes() {
    let event = verifier().verify(BODY.as_bytes(), &format!("t={T},v1={BODY_V1}"), at(T)).unwrap();
    assert_eq!(event.id, "evt_1Q2w3E4r5T6y7U8i");
    assert_eq!(event.r#type, WebhookEventType::PaymentSucceeded);
    assert_eq!(event.created, 1_729_012_345);
    assert_eq!(event.data["pspReference"], "BNV58BSJF9WQ5K65");
    assert_eq!(event.data["amount"]["value"], 10000);
    // Hex case is not significant.
    let upper = format!("t={T},v1={}", BODY_V1.to_ascii_uppercase());
    assert!(verifier().verify_signature(BODY.as_bytes(), &upper, at(T)).is_ok());
}

#[test]
fn vectors_computed_by_openssl_verify() {
    let bodies: [&[u8]; 5] = [
        BODY.as_bytes(),
        b"",
        "{\"id\":\"evt_\u{4e2d}\",\"type\":\"refund.succeeded\",\"created\":1,\"data\":{\"note\":\"\u{e9}\"}}"
            .as_bytes(),
        b"{\n  \"id\": \"evt_2\",\n  \"type\": \"payment.failed\",\n  \"created\": 2,\n  \"data\": {}\n}\n",
        &[0, 1, 2, 0xff, 0xfe, b'\n', b'\r'],
    ];
    for secret in [SECRET, "whsec_other", "k"] {
        for body in bodies {
            let expected = openssl_hmac(secret, body);
            assert_eq!(sign(secret, body), expected, "the test's own signer disagrees with openssl");
            let result = Verifier::new(secret).verify_signature(body, &format!("t={T},v1={expected}"), at(T));
            assert!(result.is_ok(), "{secret} {body:?}: {result:?}");
        }
    }
    assert_eq!(openssl_hmac(SECRET, BODY.as_bytes()), BODY_V1);
}

#[test]
fn a_tampered_body_is_rejected() {
    let signed = header(T, BODY.as_bytes());
    let tampered = BODY.replace("10000", "10001");
    let result = verifier().verify(tampered.as_bytes(), &signed, at(T));
    assert!(matches!(result, Err(WebhookError::SignatureMismatch)), "{result:?}");
    // Re-serialised JSON is a different body too.
    let reserialised = serde_json::to_vec_pretty(&serde_json::from_str::<serde_json::Value>(BODY).unwrap()).unwrap();
    assert!(matches!(verifier().verify(&reserialised, &signed, at(T)), Err(WebhookError::SignatureMismatch)));
}

#[test]
fn another_secret_is_rejected() {
    let forged = format!("t={T},v1={}", sign("whsec_attacker", BODY.as_bytes()));
    assert!(matches!(verifier().verify(BODY.as_bytes(), &forged, at(T)), Err(WebhookError::SignatureMismatch)));
    let signed = header(T, BODY.as_bytes());
    let other = Verifier::new("whsec_kat_5f3Jq8");
    assert!(matches!(other.verify(BODY.as_bytes(), &signed, at(T)), Err(WebhookError::SignatureMismatch)));
}

#[test]
fn the_tolerance_holds_both_ways_and_includes_its_boundary() {
    let body = BODY.as_bytes();
    let signed = header(T, body);
    let v = verifier();
    assert!(v.verify(body, &signed, at(T + 300)).is_ok(), "exactly 300 s old");
    assert!(v.verify(body, &signed, at(T - 300)).is_ok(), "exactly 300 s ahead");
    // Whole seconds: 300.999 s old is 300 s old.
    assert!(v.verify(body, &signed, at(T + 300) + Duration::from_millis(999)).is_ok());
    match v.verify(body, &signed, at(T + 301)) {
        Err(WebhookError::TimestampOutsideTolerance { age, in_future: false, tolerance }) => {
            assert_eq!((age, tolerance), (Duration::from_secs(301), Duration::from_secs(300)));
        }
        other => panic!("stale: {other:?}"),
    }
    match v.verify(body, &signed, at(T - 301)) {
        Err(WebhookError::TimestampOutsideTolerance { age, in_future: true, .. }) => {
            assert_eq!(age, Duration::from_secs(301));
        }
        other => panic!("future: {other:?}"),
    }
    let strict = verifier().with_tolerance(Duration::from_secs(10));
    assert!(strict.verify(body, &signed, at(T + 10)).is_ok());
    assert!(matches!(
        strict.verify(body, &signed, at(T + 11)),
        Err(WebhookError::TimestampOutsideTolerance { in_future: false, .. })
    ));
    // Far-off timestamps saturate instead of overflowing.
    let far = header(u64::MAX, body);
    assert!(matches!(
        v.verify(body, &far, at(T)),
        Err(WebhookError::TimestampOutsideTolerance { in_future: true, .. })
    ));
    let epoch = header(0, body);
    assert!(matches!(v.verify(body, &epoch, at(T)), Err(WebhookError::TimestampOutsideTolerance { .. })));
}

#[test]
fn malformed_headers_say_what_is_wrong() {
    let good = sign(SECRET, BODY.as_bytes());
    let cases = [
        (String::new(), "the header is empty"),
        ("   ".to_owned(), "the header is empty"),
        ("garbage".to_owned(), "part 1 is not `key=value`"),
        (format!("t={T},,v1={good}"), "part 2 is not `key=value`"),
        (format!("t={T},v1={good},"), "part 3 is not `key=value`"),
        (format!("t=abc,v1={good}"), "`t` is not a whole number of Unix seconds"),
        (format!("t=-5,v1={good}"), "`t` is not a whole number of Unix seconds"),
        (format!("t=,v1={good}"), "`t` is not a whole number of Unix seconds"),
        (format!("t=1.5,v1={good}"), "`t` is not a whole number of Unix seconds"),
        (format!("t=99999999999999999999999,v1={good}"), "`t` is too large"),
        (format!("t={T},t={T},v1={good}"), "it has more than one `t`"),
        (format!("t={T},v1=xyz"), "a `v1` is not 64 hex digits"),
        (format!("t={T},v1={}", &good[..62]), "a `v1` is not 64 hex digits"),
        (format!("t={T},v1={good}00"), "a `v1` is not 64 hex digits"),
        (format!("t={T},v1="), "a `v1` is not 64 hex digits"),
    ];
    for (text, what) in cases {
        match verifier().verify(BODY.as_bytes(), &text, at(T)) {
            Err(WebhookError::MalformedHeader(message)) => assert_eq!(message, what, "{text:?}"),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn missing_parts_are_named() {
    let good = sign(SECRET, BODY.as_bytes());
    let no_v1 = [format!("t={T}"), format!("t={T},v0={good}"), format!("t={T},V1={good}")];
    for text in no_v1 {
        assert!(matches!(verifier().verify(BODY.as_bytes(), &text, at(T)), Err(WebhookError::NoSignature)), "{text}");
    }
    let no_t = [format!("v1={good}"), format!("ts={T},v1={good}")];
    for text in no_t {
        assert!(matches!(verifier().verify(BODY.as_bytes(), &text, at(T)), Err(WebhookError::NoTimestamp)), "{text}");
    }
}

#[test]
fn one_right_v1_among_wrong_ones_passes_in_any_order() {
    let good = sign(SECRET, BODY.as_bytes());
    let wrong1 = sign("whsec_old", BODY.as_bytes());
    let wrong2 = "00".repeat(32);
    let orders = [
        format!("t={T},v1={wrong1},v1={good}"),
        format!("t={T},v1={good},v1={wrong1},v1={wrong2}"),
        format!("v1={wrong2},v1={good},t={T}"),
        format!("v1={wrong1},t={T},v1={wrong2},v1={good}"),
        format!("v1={good},v1={good},t={T}"),
    ];
    for text in orders {
        assert!(verifier().verify(BODY.as_bytes(), &text, at(T)).is_ok(), "{text}");
    }
    let all_wrong = format!("t={T},v1={wrong1},v1={wrong2}");
    assert!(matches!(verifier().verify(BODY.as_bytes(), &all_wrong, at(T)), Err(WebhookError::SignatureMismatch)));
}

#[test]
fn extra_keys_and_whitespace_are_tolerated() {
    let good = sign(SECRET, BODY.as_bytes());
    let texts = [
        format!("t={T},v0=deadbeef,v1={good},scheme=hmac-sha256"),
        format!("  t = {T} ,\tv1 = {good}  "),
        format!("t={T}, v1={good}, v2=not-even-hex"),
    ];
    for text in texts {
        assert!(verifier().verify(BODY.as_bytes(), &text, at(T)).is_ok(), "{text:?}");
    }
}

#[test]
fn an_unknown_event_type_is_kept_and_written_back_unchanged() {
    let body = r#"{"id":"evt_9","type":"dispute.created","created":1729012399,"data":{"zeta":1,"alpha":{"nested":[true,null,"x"]}}}"#;
    let event = verifier().verify(body.as_bytes(), &header(T, body.as_bytes()), at(T)).unwrap();
    assert_eq!(event.r#type, WebhookEventType::Unknown("dispute.created".into()));
    assert_eq!(event.r#type.as_str(), "dispute.created");
    let written = serde_json::to_value(&event).unwrap();
    assert_eq!(written, serde_json::from_str::<serde_json::Value>(body).unwrap());
}

#[test]
fn a_signed_body_that_is_not_an_event_is_an_invalid_payload() {
    let cases = [
        (r#"{"id":"evt_1","type":"payment.failed","created":"yesterday","data":{}}"#, "created"),
        (r#"{"id":"evt_1","type":"payment.failed","created":1}"#, "."),
        (r#"{"id":"evt_1","type":"payment.failed","created":1,"data":{}} trailing"#, "."),
        ("not json", "."),
    ];
    for (body, at_path) in cases {
        let signed = header(T, body.as_bytes());
        assert!(verifier().verify_signature(body.as_bytes(), &signed, at(T)).is_ok(), "{body}");
        match verifier().verify(body.as_bytes(), &signed, at(T)) {
            Err(WebhookError::InvalidPayload { path, source }) => {
                assert_eq!(path, at_path, "{body}");
                assert!(!source.to_string().is_empty());
            }
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn an_empty_secret_accepts_nothing() {
    let empty = Verifier::new("");
    let signed = format!("t={T},v1={}", sign("", BODY.as_bytes()));
    assert!(matches!(empty.verify(BODY.as_bytes(), &signed, at(T)), Err(WebhookError::EmptySecret)));
}

#[test]
fn the_secret_and_the_expected_signature_are_never_printed() {
    let good = sign(SECRET, BODY.as_bytes());
    let secret = SigningSecret::new(SECRET);
    let v = Verifier::new(secret.clone());
    for text in [format!("{secret:?}"), format!("{secret:#?}"), secret.to_string(), format!("{v:?}"), format!("{v:#?}")]
    {
        assert!(!text.contains(SECRET) && !text.contains("kat_5f3"), "{text}");
    }
    let wrong = "00".repeat(32);
    let errors = [
        v.verify(BODY.as_bytes(), "", at(T)),
        v.verify(BODY.as_bytes(), &format!("t={T}"), at(T)),
        v.verify(BODY.as_bytes(), &format!("v1={good}"), at(T)),
        v.verify(BODY.as_bytes(), &format!("t={T},v1={wrong}"), at(T)),
        v.verify(BODY.as_bytes(), &format!("t={T},v1={good}"), at(T + 1000)),
        v.verify(b"{}", &format!("t={T},v1={}", sign(SECRET, b"{}")), at(T)),
        Verifier::new("").verify(BODY.as_bytes(), &format!("t={T},v1={good}"), at(T)),
    ];
    // The mismatch case must not reveal what the right signature would have been.
    let expected_for_wrong_case = sign(SECRET, BODY.as_bytes());
    for result in errors {
        let error = result.expect_err("every case is rejected");
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(SECRET), "{text}");
            assert!(!text.contains(&expected_for_wrong_case), "{text}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Changing any one byte of the body breaks the signature.
    #[test]
    fn any_single_byte_change_is_rejected(index in 0..BODY.len(), delta in 1..=255u8) {
        let signed = header(T, BODY.as_bytes());
        let mut body = BODY.as_bytes().to_vec();
        body[index] = body[index].wrapping_add(delta);
        let result = verifier().verify_signature(&body, &signed, at(T));
        prop_assert!(matches!(result, Err(WebhookError::SignatureMismatch)), "{:?}", result);
    }
}
