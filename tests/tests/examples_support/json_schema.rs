//! The second opinion on whether a value fits a schema of an OpenAPI document: the document is
//! turned into JSON Schema 2020-12 and the `jsonschema` crate decides, with every `$ref` of the
//! document resolvable.
//!
//! The document is the one the generator read (`ExampleSet::document`), where OpenAPI 3.1 is
//! already in its 3.0 form, so one conversion serves both versions:
//! - `nullable: true` allows `null` beside whatever the schema allows (also where the schema has
//!   no `type`, as in `allOf: [$ref], nullable: true`, the usual 3.0 spelling of a nullable
//!   reference, and the form 3.1's `anyOf: [$ref, {type: "null"}]` is rewritten into);
//! - 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become 2020-12's numeric ones;
//! - in a 3.0 document, keywords beside a `$ref` are ignored, as OpenAPI 3.0 says;
//! - a `oneOf` with a `discriminator` needs only some member to fit: OpenAPI picks the member by
//!   the tag, so two members that both fit are not an error there;
//! - a `readOnly` property is not required in a request, nor a `writeOnly` one in a response.
//!
//! `format` is an annotation, as in 2020-12: a string that is not a date-time still fits a
//! `format: date-time` schema (the generated types must keep such strings, not reject them).

use jsonschema::{Draft, Registry, Validator};
use plexy_codegen::inspect::ExampleContext;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The URI the converted document is registered under.
const BASE: &str = "urn:spec:openapi";

/// Validators for the schemas of one document, built on first use.
pub struct SchemaCheck {
    registries: BTreeMap<ExampleContext, Registry<'static>>,
    validators: BTreeMap<(ExampleContext, String), Result<Validator, String>>,
}

impl SchemaCheck {
    /// Converts `document` (read by the generator) once per context. `openapi_30` is whether the
    /// original document was OpenAPI 3.0 (where `$ref` siblings are ignored).
    pub fn new(document: &Value, openapi_30: bool) -> Result<Self, String> {
        let mut registries = BTreeMap::new();
        for context in [ExampleContext::Request, ExampleContext::Response, ExampleContext::Schema] {
            let converted = convert(document, context, openapi_30);
            let registry = Registry::new()
                .draft(Draft::Draft202012)
                .add(BASE, converted)
                .and_then(|b| b.prepare())
                .map_err(|e| format!("the converted document is not a usable JSON Schema resource: {e}"))?;
            registries.insert(context, registry);
        }
        Ok(SchemaCheck { registries, validators: BTreeMap::new() })
    }

    /// Whether `value` fits the schema at `pointer` (`#/components/schemas/Pet`); `Err` says why
    /// not (the validator's first complaint, with where in the value).
    pub fn fits(&mut self, pointer: &str, context: ExampleContext, value: &Value) -> Result<(), String> {
        let key = (context, pointer.to_owned());
        if !self.validators.contains_key(&key) {
            let schema = json!({ "$ref": format!("{BASE}{}", fragment(pointer)) });
            let built = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_registry(&self.registries[&context])
                .offline()
                .build(&schema)
                .map_err(|e| format!("cannot build a validator for {pointer}: {e}"));
            self.validators.insert(key.clone(), built);
        }
        match &self.validators[&key] {
            Err(e) => Err(e.clone()),
            Ok(validator) => match validator.iter_errors(value).next() {
                None => Ok(()),
                Some(error) => {
                    let at = error.instance_path().to_string();
                    let at = if at.is_empty() { "the value".to_owned() } else { at };
                    Err(format!("{at}: {error}"))
                }
            },
        }
    }
}

/// A JSON pointer (`#/paths/~1pets~1{id}`) as a URI fragment, percent-encoding what a URI
/// cannot hold.
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for byte in pointer.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"#/-._~!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The document with every schema turned into JSON Schema for `context`.
fn convert(document: &Value, context: ExampleContext, openapi_30: bool) -> Value {
    let mut converted = document.clone();
    let hidden = hidden_components(document, context);
    let rules = Rules { context, openapi_30, hidden: &hidden };
    walk(&mut converted, false, &rules);
    converted
}

/// How schemas are converted.
struct Rules<'a> {
    context: ExampleContext,
    openapi_30: bool,
    /// Component schemas (`#/components/schemas/X`) that are `readOnly` (in a request) or
    /// `writeOnly` (in a response) as a whole.
    hidden: &'a BTreeSet<String>,
}

/// The component schemas that are `readOnly`/`writeOnly` as a whole, for `context`.
fn hidden_components(document: &Value, context: ExampleContext) -> BTreeSet<String> {
    let Some(key) = hiding_keyword(context) else { return BTreeSet::new() };
    let schemas = document.pointer("/components/schemas").and_then(Value::as_object);
    schemas
        .into_iter()
        .flatten()
        .filter(|(_, s)| s.get(key) == Some(&Value::Bool(true)))
        .map(|(name, _)| format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// The keyword that keeps a property out of `context`.
fn hiding_keyword(context: ExampleContext) -> Option<&'static str> {
    match context {
        ExampleContext::Request => Some("readOnly"),
        ExampleContext::Response => Some("writeOnly"),
        ExampleContext::Schema => None,
    }
}

/// Walks the document outside schemas, converting each schema it finds.
fn walk(node: &mut Value, in_components: bool, rules: &Rules<'_>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    "example" | "examples" | "default" | "enum" | "const" => {}
                    "schema" => schema(value, rules),
                    "schemas" if in_components => {
                        for s in value.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
                            schema(s, rules);
                        }
                    }
                    "components" => walk(value, true, rules),
                    _ => walk(value, false, rules),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, false, rules)),
        _ => {}
    }
}

/// Converts one schema and its subschemas.
fn schema(node: &mut Value, rules: &Rules<'_>) {
    let Value::Object(map) = node else { return };
    if rules.openapi_30 && map.contains_key("$ref") {
        map.retain(|k, _| k == "$ref");
        return;
    }
    for (key, value) in map.iter_mut() {
        match key.as_str() {
            "items" | "not" => schema(value, rules),
            "additionalProperties" if value.is_object() => schema(value, rules),
            "properties" => {
                value.as_object_mut().into_iter().flat_map(|m| m.values_mut()).for_each(|s| schema(s, rules))
            }
            "allOf" | "anyOf" | "oneOf" => {
                value.as_array_mut().into_iter().flatten().for_each(|s| schema(s, rules));
            }
            _ => {}
        }
    }
    drop_hidden_required(map, rules);
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match map.get(exclusive) {
            Some(Value::Bool(true)) => match map.remove(bound) {
                Some(limit) => {
                    map.insert(exclusive.into(), limit);
                }
                None => {
                    map.remove(exclusive);
                }
            },
            Some(Value::Bool(false)) => {
                map.remove(exclusive);
            }
            _ => {}
        }
    }
    if map.contains_key("discriminator")
        && let Some(members) = map.remove("oneOf")
    {
        map.insert("anyOf".into(), members);
    }
    if map.remove("nullable") == Some(Value::Bool(true)) {
        let inner = std::mem::take(map);
        map.insert("anyOf".into(), json!([Value::Object(inner), {"type": "null"}]));
    }
}

/// Removes from `required` the properties that `context` does not carry.
fn drop_hidden_required(map: &mut Map<String, Value>, rules: &Rules<'_>) {
    let Some(key) = hiding_keyword(rules.context) else { return };
    let Some(properties) = map.get("properties").and_then(Value::as_object) else { return };
    let hidden: BTreeSet<String> = properties
        .iter()
        .filter(|(_, p)| {
            p.get(key) == Some(&Value::Bool(true))
                || p.get("$ref").and_then(Value::as_str).is_some_and(|r| rules.hidden.contains(r))
        })
        .map(|(name, _)| name.clone())
        .collect();
    if let Some(Value::Array(required)) = map.get_mut("required") {
        required.retain(|r| r.as_str().is_none_or(|r| !hidden.contains(r)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(document: Value) -> SchemaCheck {
        SchemaCheck::new(&document, true).unwrap()
    }

    #[test]
    fn openapi_30_keywords_mean_what_openapi_says() {
        let mut check = check(json!({"components": {"schemas": {
            "N": {"type": "string", "nullable": true, "enum": ["a"]},
            "Ref": {"allOf": [{"$ref": "#/components/schemas/N"}], "nullable": true},
            "Min": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
            "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer", "readOnly": true}, "name": {"type": "string"}}},
            "Sibling": {"$ref": "#/components/schemas/N", "type": "integer"},
            "When": {"type": "string", "format": "date-time"}
        }}}));
        let s = ExampleContext::Schema;
        assert!(check.fits("#/components/schemas/N", s, &json!(null)).is_ok());
        assert!(check.fits("#/components/schemas/N", s, &json!("a")).is_ok());
        assert!(check.fits("#/components/schemas/N", s, &json!("b")).is_err());
        assert!(check.fits("#/components/schemas/Ref", s, &json!(null)).is_ok());
        assert!(check.fits("#/components/schemas/Min", s, &json!(0)).is_err());
        assert!(check.fits("#/components/schemas/Min", s, &json!(0.5)).is_ok());
        assert!(check.fits("#/components/schemas/Pet", ExampleContext::Request, &json!({"name": "Rex"})).is_ok());
        assert!(check.fits("#/components/schemas/Pet", ExampleContext::Response, &json!({"name": "Rex"})).is_err());
        assert!(check.fits("#/components/schemas/Sibling", s, &json!("a")).is_ok());
        assert!(check.fits("#/components/schemas/When", s, &json!("1970-07-10")).is_ok());
    }

    #[test]
    fn pointers_with_path_characters_resolve() {
        let mut check = check(json!({"paths": {"/pets/{id}": {"get": {"responses": {"200": {"content": {
            "application/json": {"schema": {"type": "integer"}}}}}}}}}));
        let at = "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema";
        assert!(check.fits(at, ExampleContext::Response, &json!(1)).is_ok());
        let complaint = check.fits(at, ExampleContext::Response, &json!("one")).unwrap_err();
        assert!(complaint.contains("integer"), "{complaint}");
    }

    #[test]
    fn a_discriminated_one_of_needs_one_fitting_member_not_exactly_one() {
        let mut check = check(json!({"components": {"schemas": {
            "Pet": {"oneOf": [{"type": "object"}, {"type": "object"}], "discriminator": {"propertyName": "kind"}},
            "Plain": {"oneOf": [{"type": "object"}, {"type": "object"}]}
        }}}));
        assert!(check.fits("#/components/schemas/Pet", ExampleContext::Schema, &json!({"kind": "cat"})).is_ok());
        assert!(check.fits("#/components/schemas/Plain", ExampleContext::Schema, &json!({"kind": "cat"})).is_err());
    }
}
