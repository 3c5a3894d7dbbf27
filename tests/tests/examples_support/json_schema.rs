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
//! - a `readOnly` property is not required in a request, nor a `writeOnly` one in a response;
//! - a schema with `properties` and no `type` describes an object. JSON Schema alone would let a
//!   string or a number through it; OpenAPI tools, the generator among them, read it as an
//!   object, and a spec that writes JSON text in a string there has made a mistake.
//!
//! `format` is an annotation, as in 2020-12: a string that is not a date-time still fits a
//! `format: date-time` schema (the generated types must keep such strings, not reject them).

use jsonschema::{Draft, Registry, Validator};
use plexy_codegen::inspect::ExampleContext;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The URI the converted document is registered under.
const BASE: &str = "urn:spec:openapi";

/// Validators for the schemas of one document, built on first use.
pub struct SchemaCheck {
    registries: BTreeMap<ExampleContext, Registry<'static>>,
    /// Original pointer → pointer in the converted document, for the schemas that moved (the
    /// same for every context).
    moved: HashMap<String, String>,
    validators: BTreeMap<(ExampleContext, String), Result<Validator, String>>,
}

impl SchemaCheck {
    /// Converts `document` (read by the generator) once per context. `openapi_30` is whether the
    /// original document was OpenAPI 3.0 (where `$ref` siblings are ignored).
    pub fn new(document: &Value, openapi_30: bool) -> Result<Self, String> {
        let mut registries = BTreeMap::new();
        let mut moves = HashMap::new();
        for context in [ExampleContext::Request, ExampleContext::Response, ExampleContext::Schema] {
            let (converted, moved) = convert(document, context, openapi_30);
            moves = moved;
            let registry = Registry::new()
                .draft(Draft::Draft202012)
                .add(BASE, converted)
                .and_then(|b| b.prepare())
                .map_err(|e| format!("the converted document is not a usable JSON Schema resource: {e}"))?;
            registries.insert(context, registry);
        }
        Ok(SchemaCheck { registries, moved: moves, validators: BTreeMap::new() })
    }

    /// Whether `value` fits the schema at `pointer` (`#/components/schemas/Pet`); `Err` says why
    /// not (the validator's first complaint, with where in the value).
    pub fn fits(&mut self, pointer: &str, context: ExampleContext, value: &Value) -> Result<(), String> {
        let key = (context, pointer.to_owned());
        if !self.validators.contains_key(&key) {
            let target = self.moved.get(pointer).map_or(pointer, String::as_str);
            let schema = json!({ "$ref": format!("{BASE}{}", fragment(target)) });
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
    encode(pointer, b"")
}

/// `text` (`#` and a pointer) with every byte a URI fragment cannot hold percent-encoded, but
/// those in `also_keep`.
fn encode(text: &str, also_keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, byte) in text.bytes().enumerate() {
        let keep = (i == 0 && byte == b'#')
            || byte.is_ascii_alphanumeric()
            || b"/-._~!$&'()*+,;=:@".contains(&byte)
            || also_keep.contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The document with every schema turned into JSON Schema for `context`, and where each schema
/// of the original went (a nullable schema moves under an `anyOf`, a discriminated `oneOf`
/// becomes an `anyOf`), by pointer.
fn convert(document: &Value, context: ExampleContext, openapi_30: bool) -> (Value, HashMap<String, String>) {
    let mut converted = document.clone();
    let hidden = hidden_components(document, context);
    let rules = Rules { context, openapi_30, hidden: &hidden };
    let mut moved = HashMap::new();
    walk(&mut converted, "#", false, &rules, &mut moved);
    (converted, moved)
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
        .map(|(name, _)| format!("#/components/schemas/{}", token(name)))
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

/// A JSON pointer token (RFC 6901).
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Walks the document outside schemas, converting each schema it finds (`at`: its pointer).
fn walk(node: &mut Value, at: &str, in_components: bool, rules: &Rules<'_>, moved: &mut HashMap<String, String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let here = format!("{at}/{}", token(key));
                match key.as_str() {
                    "example" | "examples" | "default" | "enum" | "const" => {}
                    "schema" => schema(value, &here, &here, rules, moved),
                    "schemas" if in_components => {
                        for (name, s) in value.as_object_mut().into_iter().flatten() {
                            let p = format!("{here}/{}", token(name));
                            schema(s, &p, &p, rules, moved);
                        }
                    }
                    "components" => walk(value, &here, true, rules, moved),
                    _ => walk(value, &here, false, rules, moved),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{at}/{i}"), false, rules, moved);
            }
        }
        _ => {}
    }
}

/// Converts one schema and its subschemas; `at` is its pointer in the original document and
/// `to` in the converted one.
fn schema(node: &mut Value, at: &str, to: &str, rules: &Rules<'_>, moved: &mut HashMap<String, String>) {
    if at != to {
        moved.insert(at.to_owned(), to.to_owned());
    }
    let Value::Object(map) = node else { return };
    // A `$ref` is a URI reference: a pointer token with a space (a name the generator gave a
    // schema it lifted out of another) must be percent-encoded for the validator to follow it.
    if let Some(Value::String(reference)) = map.get_mut("$ref")
        && reference.starts_with('#')
    {
        *reference = encode(reference, b"%");
    }
    if rules.openapi_30 && map.contains_key("$ref") {
        map.retain(|k, _| k == "$ref");
        return;
    }
    let nullable = map.remove("nullable") == Some(Value::Bool(true));
    // The schema's own keywords move under `anyOf/0` when it is nullable.
    let inner = if nullable { format!("{to}/anyOf/0") } else { to.to_owned() };
    let discriminated = map.contains_key("discriminator");
    for (key, value) in map.iter_mut() {
        let (from, into) = (format!("{at}/{}", token(key)), format!("{inner}/{}", token(key)));
        match key.as_str() {
            "items" | "not" => schema(value, &from, &into, rules, moved),
            "additionalProperties" if value.is_object() => schema(value, &from, &into, rules, moved),
            "properties" => {
                for (name, s) in value.as_object_mut().into_iter().flatten() {
                    let (a, b) = (format!("{from}/{}", token(name)), format!("{into}/{}", token(name)));
                    schema(s, &a, &b, rules, moved);
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                let into = if key == "oneOf" && discriminated { format!("{inner}/anyOf") } else { into };
                for (i, s) in value.as_array_mut().into_iter().flatten().enumerate() {
                    schema(s, &format!("{from}/{i}"), &format!("{into}/{i}"), rules, moved);
                }
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
    if map.contains_key("properties") && !map.contains_key("type") {
        map.insert("type".into(), json!("object"));
    }
    // OpenAPI picks the member by the tag: another member that also fits is no error.
    if discriminated && let Some(members) = map.remove("oneOf") {
        map.insert("anyOf".into(), members);
    }
    if nullable {
        let own = std::mem::take(map);
        map.insert("anyOf".into(), json!([Value::Object(own), {"type": "null"}]));
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
            "When": {"type": "string", "format": "date-time"},
            "Untyped": {"properties": {"name": {"type": "string"}}}
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
        assert!(check.fits("#/components/schemas/Untyped", s, &json!({"name": "Rex"})).is_ok());
        assert!(check.fits("#/components/schemas/Untyped", s, &json!("{\"name\": \"Rex\"}")).is_err());
    }

    fn check_with_hash_path() -> SchemaCheck {
        check(json!({"paths": {"/pets/{id}#tag": {"get": {"responses": {"200": {"content": {
            "application/json": {"schema": {"type": "integer"}}}}}}}}}))
    }

    fn check_without_hash_path() -> SchemaCheck {
        check(json!({"paths": {"/pets/{id}": {"get": {"responses": {"200": {"content": {
            "application/json": {"schema": {"type": "integer"}}}}}}}}}))
    }

    #[test]
    fn pointers_with_path_characters_resolve() {
        let mut check = check_with_hash_path();
        let at = "#/paths/~1pets~1{id}#tag/get/responses/200/content/application~1json/schema";
        assert!(check.fits(at, ExampleContext::Response, &json!(1)).is_ok());
        let mut check = check_without_hash_path();
        let at = "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema";
        assert!(check.fits(at, ExampleContext::Response, &json!(1)).is_ok());
        let complaint = check.fits(at, ExampleContext::Response, &json!("one")).unwrap_err();
        assert!(complaint.contains("integer"), "{complaint}");
    }

    #[test]
    fn references_to_names_with_spaces_are_followed() {
        let mut check = check(json!({"components": {"schemas": {
            "Event items": {"type": "integer"},
            "Event": {"type": "array", "items": {"$ref": "#/components/schemas/Event items"}}
        }}}));
        let at = "#/components/schemas/Event";
        assert!(check.fits(at, ExampleContext::Schema, &json!([1, 2])).is_ok());
        assert!(check.fits(at, ExampleContext::Schema, &json!(["one"])).is_err());
    }

    #[test]
    fn schemas_inside_rewritten_ones_are_found_where_the_spec_has_them() {
        let mut check = check(json!({"components": {"schemas": {
            "N": {"type": "object", "nullable": true, "properties": {"id": {"type": "integer", "nullable": true}}},
            "Pet": {"oneOf": [{"type": "integer"}, {"type": "string"}], "discriminator": {"propertyName": "kind"}}
        }}}));
        let s = ExampleContext::Schema;
        assert!(check.fits("#/components/schemas/N/properties/id", s, &json!(null)).is_ok());
        assert!(check.fits("#/components/schemas/N/properties/id", s, &json!("one")).is_err());
        assert!(check.fits("#/components/schemas/Pet/oneOf/1", s, &json!("cat")).is_ok());
        assert!(check.fits("#/components/schemas/Pet/oneOf/1", s, &json!(1)).is_err());
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
