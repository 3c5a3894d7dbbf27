//! Every example in spec/plexy.yaml decodes into its generated type and encodes back to the same
//! JSON: the examples document the types, and the types must hold them without loss.

use plexy::models;
use serde_json::Value;

/// Decodes `example` as `T` and checks that encoding gives the same JSON back.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str, example: &Value) {
    let typed: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| panic!("{name}: does not decode: {e}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(&back, example, "{name}: encodes differently");
}

/// Checks one example against the generated type named like its schema.
fn check(schema: &str, example: &Value) {
    match schema {
        "PaymentMethodsRequest" => round_trip::<models::PaymentMethodsRequest>(schema, example),
        "PaymentMethodsResponse" => round_trip::<models::PaymentMethodsResponse>(schema, example),
        "PaymentRequest" => round_trip::<models::PaymentRequest>(schema, example),
        "PaymentResponse" => round_trip::<models::PaymentResponse>(schema, example),
        "PaymentDetailsRequest" => round_trip::<models::PaymentDetailsRequest>(schema, example),
        "PaymentDetailsResponse" => round_trip::<models::PaymentDetailsResponse>(schema, example),
        "CreateSessionRequest" => round_trip::<models::CreateSessionRequest>(schema, example),
        "CreateSessionResponse" => round_trip::<models::CreateSessionResponse>(schema, example),
        "SessionResultResponse" => round_trip::<models::SessionResultResponse>(schema, example),
        "ErrorResponse" => round_trip::<models::ErrorResponse>(schema, example),
        "LineItem" => round_trip::<models::LineItem>(schema, example),
        "WebhookEvent" => round_trip::<models::WebhookEvent>(schema, example),
        other => panic!("the spec has an example for `{other}`: add its generated type to this table"),
    }
}

/// The component schema name a `$ref` points to.
fn schema_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.strip_prefix("#/components/schemas/")
}

/// Follows a `$ref` to `#/components/...` in the document.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).expect("dangling $ref"),
        None => node,
    }
}

/// Every `(schema, example)` pair of a content map's JSON media type.
fn media_examples<'a>(content: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    let Some(media) = content.get("application/json") else { return };
    let Some(name) = media.get("schema").and_then(schema_name) else { return };
    if let Some(example) = media.get("example") {
        out.push((name.to_owned(), example));
    }
    for example in media.get("examples").and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
        out.push((name.to_owned(), &example["value"]));
    }
}

#[test]
fn every_spec_example_round_trips_through_the_generated_types() {
    let root = xtask::codegen::workspace_root();
    let text = std::fs::read_to_string(root.join(xtask::codegen::SPEC)).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    let mut examples = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(body) = operation.get("requestBody") {
                media_examples(&resolve(&doc, body)["content"], &mut examples);
            }
            for response in operation.get("responses").and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
                media_examples(&resolve(&doc, response)["content"], &mut examples);
            }
        }
    }
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = schema.get("example") {
            examples.push((name.clone(), example));
        }
    }
    examples.sort_by(|a, b| a.0.cmp(&b.0));
    examples.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    assert!(examples.len() >= 12, "expected the spec's examples, found {}", examples.len());
    for (name, example) in &examples {
        check(name, example);
    }
}
