//! Conformance of the generated client against Prism, an independent mock server that serves
//! spec/plexy.yaml: every request the client sends must pass Prism's validation, every response
//! Prism makes (the spec's examples, then bodies generated from the schemas) must decode into the
//! typed models, and a request that breaks the spec must surface as `plexy::Error::Api` with a
//! 4xx status. Prism is pinned in tests/prism and installed by `cargo xtask test`.

use plexy::models::{
    Address, Amount, AuthenticationData, AuthenticationDataAttemptAuthentication, AuthenticationDataThreeDsRequestData,
    AuthenticationDataThreeDsRequestDataChallengeWindowSize, AuthenticationDataThreeDsRequestDataNativeThreeDs,
    BrowserInfo, CardDetails, Channel, CreateSessionRequest, CreateSessionRequestMode, LineItem,
    PaymentCompletionDetails, PaymentDetailsRequest, PaymentMethodDetails, PaymentMethodsRequest, PaymentRequest,
    RecurringProcessingModel, ResultCode, SessionStatus, ShopperInteraction, ShopperName, StorePaymentMethodMode,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use support::prism_server::{Prism, log_tail};

mod support {
    pub mod prism_server;
}

#[tokio::test]
async fn generated_client_conforms_to_prism() {
    let root = xtask::codegen::workspace_root();
    let prism = Prism::start(&root, &root.join(xtask::codegen::SPEC)).await;
    let client = client_for(&prism.base_url, "pr_test_prism_conformance");

    // The spec's examples: the values are known, so check that they land in the right fields.
    every_operation(&client, None, &prism.log).await;
    let redirect =
        conforming("createPayment", client.create_payment(&payment_request()), Some("example=redirect"), &prism.log)
            .await;
    assert_eq!(redirect.result_code, Some(ResultCode::RedirectShopper));
    match redirect.action {
        Some(plexy::models::Action::Redirect(action)) => {
            assert_eq!(action.url, "https://checkout.plexypay.com/threeDS/redirect?MD=M2RzZGtkZmpr");
        }
        other => panic!("createPayment (example=redirect): expected a redirect action, got {other:?}"),
    }

    // Bodies generated from the schemas: every optional field, extra properties, odd values.
    every_operation(&client, Some("dynamic=true"), &prism.log).await;

    // A nested value that breaks the schema: a currency code must be exactly 3 letters.
    let mut invalid = payment_request();
    invalid.amount = Amount::new("KZTX", 10000);
    let error = client.create_payment(&invalid).await.expect_err("Prism accepted a 4-letter currency code");
    let failure = client_error("createPayment with currency KZTX", &error);
    let violations = violations(failure);
    assert!(violations.contains("currency"), "the 4xx is not about the currency: {violations}");

    // No credential at all: an empty x-api-key.
    let anonymous = client_for(&prism.base_url, "");
    let request = PaymentMethodsRequest::new("PlexyMerchantKZ");
    let error = anonymous.list_payment_methods(&request).await.expect_err("Prism accepted an empty x-api-key");
    let failure = client_error("listPaymentMethods with an empty x-api-key", &error);
    assert_eq!(failure.status, 401, "{}", describe(&error, &prism.log));
}

/// The checkout in order: payment methods, session, payment, details, session result. With
/// `prefer` unset Prism answers with the spec's examples, whose values are checked.
async fn every_operation(client: &plexy::Client, prefer: Option<&str>, log: &Path) {
    let examples = prefer.is_none();

    let request = PaymentMethodsRequest::new("PlexyMerchantKZ")
        .with_amount(Amount::new("KZT", 10000))
        .with_country_code("KZ")
        .with_channel(Channel::Web)
        .with_shopper_locale("ru-KZ")
        .with_shopper_reference("shopper-1042")
        .with_shopper_email("aigerim@example.com")
        .with_shopper_name(ShopperName::new("Aigerim", "Nurlanova"))
        .with_date_of_birth(chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap())
        .with_allowed_payment_methods(vec!["scheme".into(), "googlepay".into()])
        .with_additional_data(BTreeMap::from([("riskProfile".into(), "default".into())]));
    let methods = conforming("listPaymentMethods", client.list_payment_methods(&request), prefer, log).await;
    if examples {
        let stored = methods.stored_payment_methods.as_deref().unwrap_or_default();
        assert_eq!(stored.first().map(|m| m.id.as_str()), Some("8416038790273850"));
        assert_eq!(stored.first().and_then(|m| m.last_four.as_deref()), Some("1111"));
        let brands = methods.payment_methods.as_deref().unwrap_or_default().first().and_then(|m| m.brands.clone());
        assert_eq!(brands, Some(vec!["visa".to_owned(), "mc".to_owned()]));
    }

    let expires_at = chrono::DateTime::parse_from_rfc3339("2026-11-24T20:15:00+05:00").unwrap();
    let request = CreateSessionRequest::new(
        "PlexyMerchantKZ",
        Amount::new("KZT", 10000),
        "order-1729012345",
        "https://shop.example.com/checkout/return",
    )
    .with_expires_at(expires_at)
    .with_mode(CreateSessionRequestMode::Embedded)
    .with_country_code("KZ")
    .with_channel(Channel::Web)
    .with_shopper_reference("shopper-1042")
    .with_shopper_interaction(ShopperInteraction::Ecommerce)
    .with_recurring_processing_model(RecurringProcessingModel::CardOnFile)
    .with_store_payment_method_mode(StorePaymentMethodMode::AskForConsent)
    .with_billing_address(address())
    .with_line_items(line_items())
    .with_metadata(BTreeMap::from([("cartId".into(), "cart-5521".into())]));
    let session = conforming("createSession", client.create_session(&request), prefer, log).await;
    if examples {
        assert_eq!(session.id, "CS37D372C44F83716CE84D22F");
        assert_eq!(session.expires_at.get(), Some(&expires_at));
        assert_eq!(session.amount, Amount::new("KZT", 10000));
    }

    let payment = conforming("createPayment", client.create_payment(&payment_request()), prefer, log).await;
    if examples {
        assert_eq!(payment.result_code, Some(ResultCode::Authorised));
        assert_eq!(payment.psp_reference.as_deref(), Some("BNV58BSJF9WQ5K65"));
        assert_eq!(payment.payment_method.and_then(|m| m.brand).as_deref(), Some("visa"));
    }

    let request = PaymentDetailsRequest::new(
        PaymentCompletionDetails::new()
            .with_redirect_result("X6XtfGC3Ab02b4c0lZGRkZDc2NDJkMTA0YjdmNDk2OTEzODk2YWU4ZDM1"),
    )
    .with_payment_data("Ab02b4c0!BQABAgCJN1wRZuGJmq8dMncmypvknj9s7l5Tj");
    let details = conforming("submitPaymentDetails", client.submit_payment_details(&request), prefer, log).await;
    if examples {
        assert_eq!(details.result_code, Some(ResultCode::Authorised));
        assert_eq!(details.shopper_locale.as_deref(), Some("ru-KZ"));
    }

    let call = client.get_session_result(&session.id, "Ab02b4c0!BQABAgBfYI29f1mA");
    let result = conforming("getSessionResult", call, prefer, log).await;
    if examples {
        assert_eq!(result.status, Some(SessionStatus::Completed));
        let payments = result.payments.as_deref().unwrap_or_default();
        assert_eq!(payments.first().and_then(|p| p.psp_reference.as_deref()), Some("863628121234567P"));
    }
}

/// A card payment with most optional fields set, so that Prism checks how each is encoded.
fn payment_request() -> PaymentRequest {
    let card = CardDetails::new()
        .with_encrypted_card_number("enc-card-number-placeholder")
        .with_encrypted_expiry_month("enc-expiry-month-placeholder")
        .with_encrypted_expiry_year("enc-expiry-year-placeholder")
        .with_encrypted_security_code("enc-security-code-placeholder")
        .with_holder_name("Aigerim Nurlanova");
    let browser = BrowserInfo::new(
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        24,
        false,
        "ru-RU",
        1080,
        1920,
        -300,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    )
    .with_java_script_enabled(true);
    let three_ds = AuthenticationDataThreeDsRequestData::new()
        .with_native_three_ds(AuthenticationDataThreeDsRequestDataNativeThreeDs::Preferred)
        .with_challenge_window_size(AuthenticationDataThreeDsRequestDataChallengeWindowSize::Value05);
    PaymentRequest::new(
        "PlexyMerchantKZ",
        Amount::new("KZT", 10000),
        "order-1729012345",
        PaymentMethodDetails::Scheme(card),
        "https://shop.example.com/checkout/return",
    )
    .with_country_code("KZ")
    .with_channel(Channel::Web)
    .with_shopper_reference("shopper-1042")
    .with_shopper_email("aigerim@example.com")
    .with_shopper_name(ShopperName::new("Aigerim", "Nurlanova"))
    .with_shopper_locale("ru-KZ")
    .with_shopper_ip("203.0.113.24")
    .with_shopper_interaction(ShopperInteraction::Ecommerce)
    .with_date_of_birth(chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap())
    .with_billing_address(address())
    .with_delivery_address(address())
    .with_line_items(line_items())
    .with_browser_info(browser)
    .with_origin("https://shop.example.com")
    .with_recurring_processing_model(RecurringProcessingModel::CardOnFile)
    .with_store_payment_method(true)
    .with_authentication_data(
        AuthenticationData::new()
            .with_attempt_authentication(AuthenticationDataAttemptAuthentication::Always)
            .with_three_ds_request_data(three_ds),
    )
    .with_metadata(BTreeMap::from([("cartId".into(), "cart-5521".into())]))
}

fn address() -> Address {
    Address::new("Almaty", "KZ", "15", "050000", "Abay Avenue").with_state_or_province("Almaty")
}

fn line_items() -> Vec<LineItem> {
    vec![
        LineItem::new()
            .with_id("Item #1")
            .with_description("Shoes")
            .with_quantity(1)
            .with_amount_excluding_tax(331)
            .with_tax_amount(69)
            .with_amount_including_tax(400)
            .with_tax_percentage(2100),
    ]
}

/// A client for Prism: no retries, so that every answer is seen as Prism sent it.
fn client_for(base_url: &str, key: &str) -> plexy::Client {
    plexy::Client::builder(key)
        .base_url(base_url)
        .timeout(Duration::from_secs(20))
        .max_retries(0)
        .build()
        .expect("a client for Prism")
}

/// Sends a call, with Prism's `Prefer` header (which example, or a generated body) when there is
/// one, and returns the decoded body of a 2xx answer about which Prism reported nothing: it lists
/// every problem it finds in the request, or in its own response, in the `sl-violations` header.
async fn conforming<O: plexy::Operation>(
    what: &str,
    call: plexy::Call<'_, O>,
    prefer: Option<&str>,
    log: &Path,
) -> O::Output {
    let call = match prefer {
        Some(prefer) => call.header("Prefer", prefer),
        None => call,
    };
    let label = format!("{what} ({})", prefer.unwrap_or("example"));
    let response = call.send_with_response().await.unwrap_or_else(|error| panic!("{label}: {}", describe(&error, log)));
    if let Some(violations) = response.headers.get("sl-violations") {
        panic!("{label}: Prism answered {} but reported violations: {violations:?}", response.status);
    }
    response.body
}

/// The `ApiFailure` of a 4xx answer, which must be neither retryable nor possibly processed.
fn client_error<'e>(what: &str, error: &'e plexy::Error) -> &'e plexy::ApiFailure {
    let plexy::Error::Api(failure) = error else { panic!("{what}: expected Error::Api, got {error:?}") };
    assert!(failure.status.is_client_error(), "{what}: expected a 4xx, got {}: {}", failure.status, failure.raw);
    assert!(failure.body.is_some(), "{what}: the error body does not decode as ErrorResponse: {}", failure.raw);
    assert!(!error.is_retryable(), "{what}: a {} must not be retryable", failure.status);
    assert!(!error.may_have_been_processed(), "{what}: a {} cannot have been processed", failure.status);
    failure
}

/// What Prism found wrong with the request that it refused.
fn violations(failure: &plexy::ApiFailure) -> String {
    failure.headers.get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// An error with what Prism said about it: its violations for an answer, the body excerpt for a
/// decode failure, and the end of Prism's log.
fn describe(error: &plexy::Error, log: &Path) -> String {
    let detail = match error {
        plexy::Error::Api(failure) => {
            format!("\n  sl-violations: {}\n  body: {}", violations(failure), failure.raw)
        }
        plexy::Error::Decode { excerpt, .. } => format!("\n  body: {excerpt}"),
        _ => String::new(),
    };
    format!("{error}{detail}\n--- end of {} ---\n{}", log.display(), log_tail(log))
}
