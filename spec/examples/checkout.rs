//! A card checkout from the merchant's server: payment methods, a session, a payment, the details
//! the shopper brings back from 3-D Secure, and the session result.
//!
//! Usage, against the Prism mock server (from the repository root, after `cargo xtask test` has
//! installed Prism):
//!
//! ```text
//! tests/prism/node_modules/.bin/prism mock spec/plexy.yaml    # in one terminal
//! cargo run -p plexy --example checkout                       # in another
//! ```
//!
//! `PLEXY_BASE_URL` (default `http://127.0.0.1:4010`, Prism's port) and `PLEXY_API_KEY` (default
//! a test key) point it at another server, such as your test account.

use plexy::models::{
    Action, Amount, AuthenticationData, AuthenticationDataAttemptAuthentication, BrowserInfo, CardDetails, Channel,
    CreateSessionRequest, PaymentCompletionDetails, PaymentDetailsRequest, PaymentMethodDetails, PaymentMethodsRequest,
    PaymentRequest, ResultCode,
};
use plexy::{Client, Error};
use std::process::ExitCode;

const MERCHANT_ACCOUNT: &str = "PlexyMerchantKZ";
const RETURN_URL: &str = "https://shop.example.com/checkout/return";

#[tokio::main]
async fn main() -> ExitCode {
    match checkout().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failed { step, error }) => {
            eprintln!("{step} failed: {error}");
            if let Error::Api(failure) = &error
                && let Some(body) = &failure.body
            {
                eprintln!("  API error {}: {}", body.error.code, body.error.message);
            }
            eprintln!("  what to do: {}", reaction(&error));
            ExitCode::FAILURE
        }
    }
}

/// A call that failed, with the step it belongs to.
struct Failed {
    step: &'static str,
    error: Error,
}

/// Names the step of an error, for `map_err`.
fn at(step: &'static str) -> impl FnOnce(Error) -> Failed {
    move |error| Failed { step, error }
}

/// The right reaction to a failed call. The client has already retried what was safe to retry.
fn reaction(error: &Error) -> &'static str {
    if error.may_have_been_processed() {
        "the API may have acted on it: look the payment up (or send it again with the same \
         idempotency key, which cannot charge twice) before asking the shopper to pay again"
    } else if error.is_retryable() {
        "nothing was processed: try again later with the same idempotency key"
    } else {
        "the request or the configuration is wrong: fix it, since sending it again fails the same way"
    }
}

async fn checkout() -> Result<(), Failed> {
    let base_url = std::env::var("PLEXY_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:4010".into());
    let api_key = std::env::var("PLEXY_API_KEY").unwrap_or_else(|_| "pr_test_example_key".into());
    let client = Client::builder(api_key)
        .base_url(&base_url)
        .max_retries(2)
        .user_agent_suffix("checkout-example/1.0")
        .build()
        .map_err(at("configuring the client"))?;
    // A local mock answers with the spec's first example (an authorised payment) unless asked
    // for another; ask it for the 3-D Secure redirect so that every step runs.
    let local_mock = base_url.starts_with("http://127.0.0.1") || base_url.starts_with("http://localhost");
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let reference = format!("order-{seconds}");
    let amount = Amount::new("KZT", 10000);
    println!("checkout of {} {} (minor units) for {reference} at {base_url}", amount.value, amount.currency);

    // 1. What the shopper can pay with.
    let request = PaymentMethodsRequest::new(MERCHANT_ACCOUNT)
        .with_amount(amount.clone())
        .with_country_code("KZ")
        .with_channel(Channel::Web)
        .with_shopper_reference("shopper-1042");
    let methods = client.list_payment_methods(&request).await.map_err(at("listPaymentMethods"))?;
    let available: Vec<String> = methods
        .payment_methods
        .unwrap_or_default()
        .into_iter()
        .map(|m| match (m.r#type, m.brands) {
            (Some(kind), Some(brands)) => format!("{kind} ({})", brands.join(", ")),
            (kind, _) => kind.unwrap_or_else(|| "?".into()),
        })
        .collect();
    let stored = methods.stored_payment_methods.map_or(0, |s| s.len());
    println!("1. payment methods: {}; {stored} stored for the shopper", available.join(", "));

    // 2. A session for the Drop-in or Components on the checkout page. Every POST carries an
    //    idempotency key made from the order, so a retry, even after a restart, cannot act twice.
    let request = CreateSessionRequest::new(MERCHANT_ACCOUNT, amount.clone(), &reference, RETURN_URL)
        .with_country_code("KZ")
        .with_channel(Channel::Web);
    let session = client
        .create_session(&request)
        .idempotency_key(format!("{reference}-session"))
        .await
        .map_err(at("createSession"))?;
    println!("2. session {}: expires {}", session.id, session.expires_at);

    // 3. Or the payment from the server, with the card the shopper's browser encrypted.
    let card = CardDetails::new()
        .with_encrypted_card_number("enc-card-number-placeholder")
        .with_encrypted_expiry_month("enc-expiry-month-placeholder")
        .with_encrypted_expiry_year("enc-expiry-year-placeholder")
        .with_encrypted_security_code("enc-security-code-placeholder")
        .with_holder_name("Aigerim Nurlanova");
    let browser = BrowserInfo::new("text/html", 24, false, "ru-RU", 1080, 1920, -300, "Mozilla/5.0");
    let request =
        PaymentRequest::new(MERCHANT_ACCOUNT, amount, &reference, PaymentMethodDetails::Scheme(card), RETURN_URL)
            .with_shopper_reference("shopper-1042")
            .with_browser_info(browser)
            .with_authentication_data(
                AuthenticationData::new().with_attempt_authentication(AuthenticationDataAttemptAuthentication::Always),
            );
    let mut call = client.create_payment(&request).idempotency_key(format!("{reference}-payment"));
    if local_mock {
        call = call.header("Prefer", "example=redirect");
    }
    let payment = call.await.map_err(at("createPayment"))?;
    let action = payment.action.as_ref().map(describe_action).unwrap_or_else(|| "none".into());
    println!(
        "3. payment: resultCode {}, pspReference {}, action {action}",
        show(payment.result_code.as_ref()),
        payment.psp_reference.as_deref().unwrap_or("-"),
    );

    // 4. The shopper completes the action and comes back to the return URL with a redirectResult,
    //    which the server submits. A payment without an action is already final.
    if payment.action.is_some() {
        let details = PaymentCompletionDetails::new().with_redirect_result("X6XtfGC3Ab02b4c0lZGRkZDc2NDJkMTA0YjdmNDk2");
        let result = client
            .submit_payment_details(&PaymentDetailsRequest::new(details))
            .idempotency_key(format!("{reference}-details"))
            .await
            .map_err(at("submitPaymentDetails"))?;
        println!(
            "4. details: resultCode {}, pspReference {}",
            show(result.result_code.as_ref()),
            result.psp_reference.as_deref().unwrap_or("-"),
        );
        if result.result_code == Some(ResultCode::Refused) {
            // A refusal is an answer, not an error: tell the shopper and offer another method.
            println!("   refused: {}", result.refusal_reason.as_deref().unwrap_or("no reason given"));
        }
    } else {
        println!("4. details: not needed, the payment is final");
    }

    // 5. The session's outcome, with the sessionResult the Drop-in hands back.
    let result =
        client.get_session_result(&session.id, "Ab02b4c0!BQABAgBfYI29f1mA").await.map_err(at("getSessionResult"))?;
    let payments: Vec<String> = result
        .payments
        .unwrap_or_default()
        .into_iter()
        .map(|p| format!("{} {}", p.psp_reference.as_deref().unwrap_or("-"), show(p.result_code.as_ref())))
        .collect();
    println!("5. session result: status {}, payments: {}", show(result.status.as_ref()), payments.join(", "));
    Ok(())
}

/// An action's type and what the shopper must do.
fn describe_action(action: &Action) -> String {
    match action {
        Action::Redirect(redirect) => format!("redirect ({} {})", redirect.method, redirect.url),
        other => other.tag().unwrap_or("unknown").to_owned(),
    }
}

/// An optional value for printing.
fn show<T: std::fmt::Display>(value: Option<&T>) -> String {
    value.map_or_else(|| "-".to_owned(), T::to_string)
}
