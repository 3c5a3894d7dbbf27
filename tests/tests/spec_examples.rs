//! Every example in spec/plexy.yaml (request, response and schema examples) decodes into its
//! generated type, encodes back to the same JSON, and each union value inside it lands in a
//! variant whose member schema accepts it, as a JSON Schema validator judges. The examples
//! document the types, and the types must hold them without loss.
//!
//! The list of examples and their types comes from `plexy_codegen::examples`; the `plexy` crate
//! is already built in the workspace, so this runs in-process with a decoder table that names
//! its types (a type the spec gains an example or union for and the table lacks fails the test
//! by name). tests/tests/public_spec_examples.rs does the same for the public specs.

mod examples_support;

use examples_support::json_schema::SchemaCheck;
use examples_support::{Tally, judge, plan_of};
use plexy::models;
use plexy_tests::examples::{Decoder, check, round_trip_as, variant_as};
use serde_json::Value;

/// The `plexy` types that spec examples decode into, by the name the export gives them.
struct Plexy;

impl Decoder for Plexy {
    fn round_trip(&self, rust_type: &str, value: &Value) -> Result<Value, String> {
        match rust_type {
            "models::CreateSessionRequest" => round_trip_as::<models::CreateSessionRequest>(value),
            "models::CreateSessionResponse" => round_trip_as::<models::CreateSessionResponse>(value),
            "models::ErrorResponse" => round_trip_as::<models::ErrorResponse>(value),
            "models::LineItem" => round_trip_as::<models::LineItem>(value),
            "models::PaymentDetailsRequest" => round_trip_as::<models::PaymentDetailsRequest>(value),
            "models::PaymentDetailsResponse" => round_trip_as::<models::PaymentDetailsResponse>(value),
            "models::PaymentMethodsRequest" => round_trip_as::<models::PaymentMethodsRequest>(value),
            "models::PaymentMethodsResponse" => round_trip_as::<models::PaymentMethodsResponse>(value),
            "models::PaymentRequest" => round_trip_as::<models::PaymentRequest>(value),
            "models::PaymentResponse" => round_trip_as::<models::PaymentResponse>(value),
            "models::SessionResultResponse" => round_trip_as::<models::SessionResultResponse>(value),
            "models::WebhookEvent" => round_trip_as::<models::WebhookEvent>(value),
            other => Err(format!("the spec has an example of type `{other}`: add it to the table in this test")),
        }
    }

    fn variant(&self, union: &str, value: &Value) -> Result<String, String> {
        match union {
            "Action" => variant_as::<models::Action>(value),
            "PaymentDetailsAction" => variant_as::<models::PaymentDetailsAction>(value),
            "PaymentMethodDetails" => variant_as::<models::PaymentMethodDetails>(value),
            other => Err(format!("the crate has a union `{other}`: add it to the table in this test")),
        }
    }
}

/// The spec's examples and what `decoder` makes of them, judged.
fn verdicts(decoder: &dyn Decoder) -> Vec<examples_support::Verdict> {
    let root = xtask::codegen::workspace_root();
    let text = std::fs::read_to_string(root.join(xtask::codegen::SPEC)).unwrap();
    let settings = plexy_codegen::Settings::new("plexy", xtask::codegen::SPEC);
    let set = plexy_codegen::examples(&text, &settings).unwrap_or_else(|d| panic!("{d}"));
    // The spec documents every request and response with an example, and the webhook event.
    assert!(set.examples.len() >= 12, "expected the spec's examples, found {}", set.examples.len());
    let outcomes = check(&plan_of(&set), decoder);
    let mut schemas = SchemaCheck::new(&set.document, true).unwrap();
    judge(&set, &outcomes, &mut schemas)
}

#[test]
fn every_spec_example_decodes_into_the_member_it_is_and_round_trips() {
    let verdicts = verdicts(&Plexy);
    let problems: Vec<String> = verdicts
        .iter()
        .filter_map(|v| match (&v.fits, &v.problem) {
            (Err(e), _) => Some(format!("{}: does not fit its own schema: {e}", v.pointer)),
            (Ok(()), Some(p)) => Some(format!("{}: {p}", v.pointer)),
            (Ok(()), None) => None,
        })
        .collect();
    let tally = Tally::of(&verdicts);
    assert!(problems.is_empty(), "{}\n\n{}", problems.join("\n"), tally.line());
    // The payment examples carry a payment method and an action: the union check must have run.
    assert!(tally.unions >= 2, "expected union values in the examples: {}", tally.line());
}

/// Decodes like `plexy`, but puts every union value in its fallback variant and drops the
/// last property of every object it encodes: what a broken generator would do.
struct Broken;

impl Decoder for Broken {
    fn round_trip(&self, rust_type: &str, value: &Value) -> Result<Value, String> {
        let mut back = Plexy.round_trip(rust_type, value)?;
        if let Value::Object(map) = &mut back
            && let Some(last) = map.keys().next_back().cloned()
        {
            map.remove(&last);
        }
        Ok(back)
    }

    fn variant(&self, _union: &str, _value: &Value) -> Result<String, String> {
        Ok("Unknown".into())
    }
}

#[test]
fn a_lost_property_and_a_union_value_in_the_wrong_variant_are_caught() {
    let verdicts = verdicts(&Broken);
    let tally = Tally::of(&verdicts);
    assert_eq!(tally.passing, 0, "every example loses a property: {}", tally.line());
    assert_eq!(tally.unions_right, 0, "no union value is in a member: {}", tally.line());
    let problems: Vec<&str> = verdicts.iter().filter_map(|v| v.problem.as_deref()).collect();
    assert!(problems.iter().all(|p| p.starts_with("encodes differently")), "{problems:#?}");
}
