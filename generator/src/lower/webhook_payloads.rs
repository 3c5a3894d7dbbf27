//! Lowers the requests an API sends to its users (OpenAPI 3.1's `webhooks`, and `x-webhooks`,
//! the name 3.0 documents give the same map of path items) into the types of their bodies, so a
//! receiver decodes a delivery into the type the spec gives it rather than into raw JSON.

use super::media::{MediaKind, classify, request_body_of};
use super::operation::methods_of;
use super::schema::Types;
use crate::diagnostics::{ErrorStore, child};
use crate::ir::WebhookPayload;
use crate::naming::{Scope, pascal};
use openapiv3::PathItem;
use serde::Deserialize;
use serde_json::Value;

/// The root keys that hold webhooks, in the order their entries are read.
const SECTIONS: [&str; 2] = ["webhooks", "x-webhooks"];

/// One payload per webhook operation with a JSON body, in document order. A body that is not
/// JSON has no type to give: it is named in `warnings`, so the summary says what was left out.
pub fn lower_webhook_payloads(
    doc: &openapiv3::OpenAPI,
    tree: &Value,
    types: &mut Types<'_>,
    errors: &mut ErrorStore,
    warnings: &mut Vec<String>,
) -> Vec<WebhookPayload> {
    let components = doc.components.as_ref();
    let mut names = Scope::default();
    let mut payloads = Vec::new();
    for section in SECTIONS {
        let Some(map) = tree.get(section).and_then(Value::as_object) else { continue };
        for (webhook, item) in map {
            let at = child(&child("#", section), webhook);
            let item = match PathItem::deserialize(item) {
                Ok(item) => item,
                Err(e) => {
                    errors.push(&at, format!("a webhook must be a path item: {e}"));
                    continue;
                }
            };
            let methods = methods_of(&item);
            for (method, op) in &methods {
                let op_at = child(&at, method);
                let Some(body) = &op.request_body else { continue };
                let Some((body, body_at)) = request_body_of(body, &op_at, components, errors) else { continue };
                let json = body.content.iter().find(|(k, m)| classify(k, m) == MediaKind::Json);
                let Some((media_type, media)) = json else {
                    let offered: Vec<&str> = body.content.keys().map(String::as_str).collect();
                    warnings.push(format!(
                        "{op_at}: webhook `{webhook}` sends {}, which has no type: its body stays bytes",
                        if offered.is_empty() { "no content".to_owned() } else { offered.join(", ") }
                    ));
                    continue;
                };
                // A webhook with one method is named after the webhook alone.
                let base = match methods.len() {
                    1 => pascal(webhook, "Webhook", "Webhook"),
                    _ => pascal(&format!("{webhook} {method}"), "Webhook", "Webhook"),
                };
                let schema_at = child(&child(&child(&body_at, "content"), media_type), "schema");
                let ty = match &media.schema {
                    Some(schema) => types.lower_inline(schema, &schema_at, &format!("{base}Payload"), 0, errors).0,
                    None => crate::ir::TypeRef::Json,
                };
                payloads.push(WebhookPayload {
                    name: names.claim(&base, ""),
                    webhook: webhook.clone(),
                    method: method.to_ascii_uppercase(),
                    pointer: op_at.clone(),
                    media_type: media_type.clone(),
                    summary: op.summary.clone().or_else(|| item.summary.clone()),
                    description: op.description.clone().or_else(|| body.description.clone()),
                    ty,
                });
            }
        }
    }
    payloads
}

#[cfg(test)]
mod tests {
    use crate::{Settings, generate};

    /// A 3.1 document with only webhooks: one body by `$ref`, one inline, one that is not JSON.
    const SPEC: &str = r##"
openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  newPet:
    post:
      summary: A pet was added.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
  pet-deleted:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                id: {type: [string, 'null']}
  ping:
    post:
      requestBody:
        content:
          text/plain:
            schema: {type: string}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
"##;

    #[test]
    fn each_json_webhook_body_gets_a_type_and_the_rest_is_reported() {
        let generated = generate(SPEC, &Settings::new("pets", "pets.yaml")).unwrap();
        let module = &generated.files["src/webhooks.rs"];
        assert!(module.contains("pub type NewPet = crate::models::Pet;"), "{module}");
        assert!(module.contains("pub type PetDeleted = crate::models::PetDeletedPayload;"), "{module}");
        assert!(module.contains("let payload: pets::webhooks::NewPet = serde_json::from_slice(body)?;"), "{module}");
        assert!(!module.contains("Ping"), "{module}");
        let models = generated.files.iter().filter(|(k, _)| k.starts_with("src/models")).map(|(_, v)| v.as_str());
        assert!(models.collect::<String>().contains("pub struct PetDeletedPayload"));
        assert!(generated.files["src/lib.rs"].contains("pub mod webhooks;"));
        let left_out = &generated.summary.warnings;
        assert!(
            left_out.iter().any(|w| w.contains("#/webhooks/ping/post") && w.contains("text/plain")),
            "{left_out:?}"
        );
    }

    #[test]
    fn a_spec_without_webhooks_has_no_webhooks_module() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let generated = generate(spec, &Settings::new("pets", "pets.yaml")).unwrap();
        assert!(!generated.files.contains_key("src/webhooks.rs"));
        assert!(!generated.files["src/lib.rs"].contains("mod webhooks"));
    }
}
