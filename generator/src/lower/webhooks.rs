//! Lowers the root `x-plexy-webhooks` extension (how deliveries are signed, which OpenAPI does
//! not describe) into `ir::Webhooks`, reporting every missing, ill-typed or unknown field at its
//! pointer. `x-webhooks` is not this: others (Redoc) read it as OpenAPI 3.1's `webhooks`.

use super::schema::Types;
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{TypeRef, Webhooks};
use serde_json::Value;

/// Where the extension sits in the document.
const POINTER: &str = "#/x-plexy-webhooks";

/// The fields the extension has; any other key is reported, so a typo is not silently ignored.
const FIELDS: &[&str] = &["signatureHeader", "event", "toleranceSeconds"];

/// The webhooks `extension` describes, or `None` with errors pushed when it is not usable.
pub fn lower_webhooks(extension: &Value, types: &Types<'_>, errors: &mut ErrorStore) -> Option<Webhooks> {
    let Some(map) = extension.as_object() else {
        errors.push(
            POINTER,
            "`x-plexy-webhooks` must be a mapping with `signatureHeader`, `event` and `toleranceSeconds`",
        );
        return None;
    };
    for key in map.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        errors.push(
            child(POINTER, key),
            format!("unknown `x-plexy-webhooks` field `{key}`: expected one of {}", FIELDS.join(", ")),
        );
    }
    let missing = |field: &str, what: &str, errors: &mut ErrorStore| {
        errors.push(POINTER, format!("`x-plexy-webhooks` has no `{field}`: it must give {what}"));
    };

    let signature_header = match map.get("signatureHeader") {
        None => {
            missing("signatureHeader", "the name of the signature header", errors);
            None
        }
        Some(Value::String(name)) if is_header_name(name) => Some(name.clone()),
        Some(_) => {
            errors.push(child(POINTER, "signatureHeader"), "`signatureHeader` must be an HTTP header name");
            None
        }
    };

    let event = match map.get("event") {
        None => {
            missing("event", "a `$ref` to the component schema of an event body", errors);
            None
        }
        Some(value) => {
            let pointer = child(POINTER, "event");
            match value.as_object().and_then(|m| if m.len() == 1 { m.get("$ref") } else { None }) {
                // `resolve` reports a reference that is not a component schema, and gives raw JSON.
                Some(Value::String(reference)) => match types.resolve(reference, &pointer, errors) {
                    ty @ TypeRef::Named(_) => Some(ty),
                    _ => None,
                },
                _ => {
                    errors.push(pointer, "`event` must be a mapping with only a `$ref` to a component schema");
                    None
                }
            }
        }
    };

    let tolerance_secs = match map.get("toleranceSeconds") {
        None => {
            missing("toleranceSeconds", "how far, in seconds, a delivery's timestamp may be from now", errors);
            None
        }
        Some(value) => match value.as_u64() {
            Some(secs) if secs > 0 => Some(secs),
            _ => {
                errors.push(child(POINTER, "toleranceSeconds"), "`toleranceSeconds` must be a positive integer");
                None
            }
        },
    };

    Some(Webhooks { signature_header: signature_header?, event: event?, tolerance_secs: tolerance_secs? })
}

/// Whether `name` is an HTTP field name (an RFC 9110 token).
pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lowers `extension` against a document whose only component schema is `Event`.
    fn lower(extension: Value) -> (Option<Webhooks>, Vec<(String, String)>) {
        let components: openapiv3::Components = serde_json::from_value(serde_json::json!({
            "schemas": {"Event": {"type": "object", "properties": {"id": {"type": "string"}}}}
        }))
        .unwrap();
        let tree = Value::Null;
        let types = Types::new(Some(&components), &tree);
        let mut errors = ErrorStore::default();
        let webhooks = lower_webhooks(&extension, &types, &mut errors);
        (webhooks, errors.into_sorted().into_iter().map(|d| (d.pointer, d.message)).collect())
    }

    #[test]
    fn a_complete_extension_lowers() {
        let (webhooks, errors) = lower(serde_json::json!({
            "signatureHeader": "Plexy-Signature",
            "event": {"$ref": "#/components/schemas/Event"},
            "toleranceSeconds": 300
        }));
        assert_eq!(errors, vec![]);
        assert_eq!(
            webhooks,
            Some(Webhooks {
                signature_header: "Plexy-Signature".into(),
                event: TypeRef::Named("Event".into()),
                tolerance_secs: 300
            })
        );
    }

    #[test]
    fn every_problem_is_reported_at_its_pointer() {
        let (webhooks, errors) = lower(serde_json::json!({
            "signatureHeader": "Plexy Signature",
            "event": {"$ref": "#/components/schemas/Missing"},
            "toleranceSeconds": -1,
            "tolerance": 300
        }));
        assert_eq!(webhooks, None);
        let pointers: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/x-plexy-webhooks/event",
                "#/x-plexy-webhooks/signatureHeader",
                "#/x-plexy-webhooks/tolerance",
                "#/x-plexy-webhooks/toleranceSeconds"
            ]
        );
        assert!(errors[0].1.contains("points to no schema"), "{errors:?}");
    }

    #[test]
    fn missing_fields_are_reported_on_the_extension() {
        let (webhooks, errors) = lower(serde_json::json!({}));
        assert_eq!(webhooks, None);
        assert_eq!(errors.len(), 3);
        assert!(errors.iter().all(|(p, _)| p == "#/x-plexy-webhooks"), "{errors:?}");
        let (_, errors) = lower(serde_json::json!({"event": {"type": "object"}}));
        assert!(errors.iter().any(|(p, m)| p == "#/x-plexy-webhooks/event" && m.contains("`$ref`")), "{errors:?}");
        let (_, errors) = lower(serde_json::json!("Plexy-Signature"));
        assert_eq!(errors, [("#/x-plexy-webhooks".to_owned(), errors[0].1.clone())]);
    }

    /// A small spec, with `extension` added at the root when given.
    fn spec(extension: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: Hooks, version: '1'}}\npaths: {{}}\n{extension}components:\n  schemas:\n    \
             Event:\n      type: object\n      properties:\n        id:\n          type: string\n"
        )
    }

    #[test]
    fn the_extension_adds_the_webhook_module_and_its_dependencies_and_nothing_else_changes() {
        let settings = crate::Settings::new("hooks", "hooks.yaml");
        let without = crate::generate(&spec(""), &settings).unwrap().files;
        assert!(!without.contains_key("src/webhook.rs"));
        assert!(!without["Cargo.toml"].contains("hmac"));
        assert!(!without["src/lib.rs"].contains("webhook"));
        assert!(!without["src/spec.rs"].contains("WEBHOOK"));
        let extension = "x-plexy-webhooks:\n  signatureHeader: X-Sig\n  event:\n    $ref: '#/components/schemas/Event'\n  \
                         toleranceSeconds: 60\n";
        let with = crate::generate(&spec(extension), &settings).unwrap().files;
        assert!(with["src/webhook.rs"].contains("pub struct Verifier"));
        assert!(with["Cargo.toml"].contains("hmac = "));
        assert!(
            with["src/lib.rs"].contains("pub mod webhook;")
                && with["src/lib.rs"].contains("pub use spec::WebhookEvent;")
        );
        assert!(with["src/spec.rs"].contains("WEBHOOK_SIGNATURE_HEADER: &str = \"X-Sig\""));
        assert!(with["src/spec.rs"].contains("WEBHOOK_TOLERANCE_SECS: u64 = 60"));
        assert!(with["src/spec.rs"].contains("pub type WebhookEvent = crate::models::Event;"));
        let changed: Vec<&String> = with.keys().filter(|path| without.get(*path) != Some(&with[*path])).collect();
        assert_eq!(changed, ["Cargo.toml", "README.md", "src/lib.rs", "src/spec.rs", "src/webhook.rs"]);
    }

    #[test]
    fn problems_are_located_in_the_text() {
        let extension = "x-plexy-webhooks:\n  signatureHeader: X-Sig\n  event:\n    $ref: '#/components/schemas/Nope'\n  \
                         toleranceSeconds: five\n";
        let diagnostics = crate::generate(&spec(extension), &crate::Settings::new("hooks", "hooks.yaml")).unwrap_err();
        let found: Vec<(&str, Option<(usize, usize)>)> =
            diagnostics.items.iter().map(|d| (d.pointer.as_str(), d.location)).collect();
        assert_eq!(
            found,
            [("#/x-plexy-webhooks/event", Some((6, 3))), ("#/x-plexy-webhooks/toleranceSeconds", Some((8, 3)))]
        );
    }

    #[test]
    fn only_component_schemas_are_accepted() {
        let (_, errors) = lower(serde_json::json!({
            "signatureHeader": "Plexy-Signature",
            "event": {"$ref": "#/components/responses/Event"},
            "toleranceSeconds": 300
        }));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "#/x-plexy-webhooks/event");
        assert!(errors[0].1.contains("not supported"), "{errors:?}");
    }
}
