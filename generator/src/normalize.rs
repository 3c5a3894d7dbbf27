//! Rewrites the OpenAPI 3.1 constructs that real specs use into their 3.0 form, on the plain
//! tree, before openapiv3 (which reads 3.0) sees the document. What has no 3.0 form is reported
//! with its pointer.
//!
//! The walk is schema-aware: only values in schema positions are rewritten, so a property that
//! happens to be called `const` or `type` is left alone, and examples are never touched.

use crate::diagnostics::{Diagnostic, child};
use serde_json::{Map, Value};

/// The version the document claims after normalisation.
const NORMALISED_VERSION: &str = "3.0.3";

/// Normalises a 3.1 document in place; returns the problems that have no 3.0 form.
pub fn normalize_31(tree: &mut Value) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    walk(tree, "#", &mut problems);
    if let Some(map) = tree.as_object_mut() {
        map.insert("openapi".into(), Value::String(NORMALISED_VERSION.into()));
        // 3.1's top-level `webhooks` stays in the tree (its schemas normalised like the rest):
        // lowering types the bodies of those requests. openapiv3 ignores the key.
        map.remove("jsonSchemaDialect");
        // A 3.1 document may describe only components or webhooks.
        map.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        // 3.1's `components.pathItems` is only reached through references, which resolving followed.
        if let Some(Value::Object(components)) = map.get_mut("components") {
            components.remove("pathItems");
        }
    }
    problems
}

/// Removes `description` and `summary` values that say nothing (empty or only
/// whitespace), so that whatever documents the thing falls back to its name, as it does when they
/// are absent. Examples, defaults, enums and extensions are data, not prose, and are left alone.
pub fn drop_empty_prose(node: &mut Value) {
    match node {
        Value::Object(map) => {
            map.retain(|key, value| {
                !(matches!(key.as_str(), "description" | "summary")
                    && value.as_str().is_some_and(|text| text.trim().is_empty()))
            });
            for (key, value) in map.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum" | "const")
                    && !key.starts_with("x-")
                {
                    drop_empty_prose(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_empty_prose),
        _ => {}
    }
}

/// Fills in what the reader requires and documents may leave out: an operation's `responses`
/// (optional since OpenAPI 3.1; in `paths` and in webhooks) and a response's `description` (required, but missing from
/// real documents, and nothing the client needs). Runs after [`drop_empty_prose`].
pub fn fill_omitted(tree: &mut Value) {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let describe = |responses: &mut Value| {
        for response in responses.as_object_mut().into_iter().flat_map(|r| r.values_mut()) {
            if let Value::Object(map) = response
                && !map.contains_key("$ref")
            {
                map.entry("description").or_insert_with(|| Value::String(String::new()));
            }
        }
    };
    // Webhooks are path items too, read by lowering to type their bodies.
    for section in ["paths", "webhooks", "x-webhooks"] {
        let Some(Value::Object(paths)) = tree.get_mut(section) else { continue };
        for item in paths.values_mut() {
            for method in METHODS {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    describe(op.entry("responses").or_insert_with(|| Value::Object(Map::new())));
                }
            }
        }
    }
    if let Some(responses) = tree.pointer_mut("/components/responses") {
        describe(responses);
    }
}

/// The security scheme types openapiv3 reads; others (3.1's `mutualTLS`, a vendor's own) are
/// dropped before it reads the document, since the client cannot use them anyway and the
/// document must not be rejected for them.
const KNOWN_SECURITY_TYPES: &[&str] = &["apiKey", "http", "oauth2", "openIdConnect"];

/// Removes the security schemes whose type the reader does not know (see [`KNOWN_SECURITY_TYPES`]).
pub fn drop_unknown_security_schemes(tree: &mut Value) {
    let Some(Value::Object(schemes)) = tree.pointer_mut("/components/securitySchemes") else { return };
    schemes.retain(|_, scheme| {
        scheme.get("$ref").is_some()
            || scheme.get("type").and_then(Value::as_str).is_some_and(|t| KNOWN_SECURITY_TYPES.contains(&t))
    });
}

/// Walks the document outside schemas, finding the places where schemas sit.
fn walk(node: &mut Value, pointer: &str, problems: &mut Vec<Diagnostic>) {
    match node {
        Value::Object(map) => {
            let in_components = pointer == "#/components";
            for (key, value) in map.iter_mut() {
                let at = child(pointer, key);
                match key.as_str() {
                    "example" | "examples" | "default" | "enum" | "const" => {}
                    "schema" => schema(value, &at, problems),
                    "schemas" if in_components => {
                        if let Value::Object(schemas) = value {
                            for (name, s) in schemas.iter_mut() {
                                schema(s, &child(&at, name), problems);
                            }
                        }
                    }
                    _ => walk(value, &at, problems),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &child(pointer, &i.to_string()), problems);
            }
        }
        _ => {}
    }
}

/// Rewrites one schema and, recursively, its subschemas.
#[allow(
    clippy::only_used_in_recursion,
    reason = "every 3.1 schema keyword has a 3.0 form now; kept for the next that has none"
)]
fn schema(node: &mut Value, pointer: &str, problems: &mut Vec<Diagnostic>) {
    if let Value::Bool(b) = node {
        // `true` accepts anything: `{}`. `false` accepts nothing: `not: {}` (3.0 has it too).
        let accepts_all = *b;
        *node = Value::Object(Map::new());
        if !accepts_all && let Value::Object(map) = node {
            map.insert("not".into(), Value::Object(Map::new()));
        }
        return;
    }
    let Value::Object(map) = node else { return };
    type_list(map);
    if let Some(value) = map.remove("const") {
        if !map.contains_key("type")
            && let Some(t) = json_type(&value)
        {
            map.insert("type".into(), Value::String(t.into()));
        }
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples")
        && !map.contains_key("example")
        && !examples.is_empty()
    {
        map.insert("example".into(), examples.swap_remove(0));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    for key in ["anyOf", "oneOf"] {
        drop_null_members(map, key);
    }
    // A tuple (`prefixItems`) is a list whose items differ by position: a list of any JSON.
    if map.remove("prefixItems").is_some() {
        map.insert("items".into(), Value::Object(Map::new()));
    }
    // Properties named by pattern are the object's other properties: one schema types their
    // values, several leave them any JSON.
    if let Some(Value::Object(patterns)) = map.remove("patternProperties")
        && !map.contains_key("additionalProperties")
    {
        let values = match patterns.len() {
            1 => patterns.into_iter().next().map(|(_, v)| v).unwrap_or_default(),
            _ => Value::Object(Map::new()),
        };
        map.insert("additionalProperties".into(), values);
    }
    // Conditional schemas only narrow what the schema already accepts.
    for key in ["if", "then", "else", "dependentSchemas", "dependentRequired", "unevaluatedProperties"] {
        map.remove(key);
    }
    // Resolving has hoisted every `$defs` entry that is referred to; the rest is never used.
    map.remove("$defs");
    for (key, value) in map.iter_mut() {
        let at = child(pointer, key);
        match key.as_str() {
            // `additionalProperties: false` is 3.0 too: only a schema object is rewritten.
            "additionalProperties" if value.is_boolean() => {}
            "items" | "additionalProperties" | "not" => schema(value, &at, problems),
            "properties" => {
                if let Value::Object(props) = value {
                    for (name, s) in props.iter_mut() {
                        schema(s, &child(&at, name), problems);
                    }
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(members) = value {
                    for (i, s) in members.iter_mut().enumerate() {
                        schema(s, &child(&at, &i.to_string()), problems);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `type: [X, "null"]` → `type: X, nullable: true`.
fn type_list(map: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type") else { return };
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    match rest.as_slice() {
        [] => {
            map.remove("type");
        }
        [only] => {
            map.insert("type".into(), only.clone());
        }
        _ => split_types(map, &rest),
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// Keywords that describe a schema as a whole and stay on it when its types are split.
const DESCRIPTIVE: &[&str] =
    &["title", "description", "default", "example", "examples", "deprecated", "readOnly", "writeOnly", "externalDocs"];

/// `type: [A, B]` → `oneOf: [{type: A, …}, {type: B, …}]`: each member gets the type-specific
/// keywords (an `enum` keeps the values of its type), the schema keeps its descriptive ones.
fn split_types(map: &mut Map<String, Value>, types: &[Value]) {
    map.remove("type");
    let specific: Map<String, Value> =
        map.iter().filter(|(k, _)| !DESCRIPTIVE.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    let members: Vec<Value> = types
        .iter()
        .map(|t| {
            let mut member = specific.clone();
            if let Some(Value::Array(values)) = member.get("enum") {
                let of_type: Vec<Value> = values
                    .iter()
                    .filter(|v| json_type(v).is_some_and(|vt| t == vt || (t == "number" && vt == "integer")))
                    .cloned()
                    .collect();
                member.insert("enum".into(), Value::Array(of_type));
            }
            member.insert("type".into(), t.clone());
            Value::Object(member)
        })
        .collect();
    map.retain(|k, _| DESCRIPTIVE.contains(&k.as_str()));
    map.insert("oneOf".into(), Value::Array(members));
}

/// Removes `{type: "null"}` members from an `anyOf`/`oneOf`, marking the schema nullable. When one
/// member is left, the schema becomes that member: a `$ref` through a one-member `allOf` (so the
/// schema's own keys, such as `nullable`, survive), anything else merged in.
fn drop_null_members(map: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(members)) = map.get(key) else { return };
    let is_null = |m: &Value| m.get("type").is_some_and(|t| t == "null") && m.as_object().is_some_and(|o| o.len() == 1);
    if !members.iter().any(is_null) {
        return;
    }
    let rest: Vec<Value> = members.iter().filter(|m| !is_null(m)).cloned().collect();
    map.insert("nullable".into(), Value::Bool(true));
    if rest.len() != 1 {
        map.insert(key.into(), Value::Array(rest));
        return;
    }
    map.remove(key);
    let member = rest.into_iter().next().unwrap_or_default();
    match member {
        Value::Object(m) if m.contains_key("$ref") => {
            map.insert("allOf".into(), Value::Array(vec![Value::Object(m)]));
        }
        Value::Object(m) => {
            for (k, v) in m {
                if k == "nullable" {
                    continue;
                }
                map.entry(k).or_insert(v);
            }
        }
        _ => {}
    }
}

/// The JSON Schema type of a `const` value.
fn json_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_31;
    use serde_json::json;

    #[test]
    fn null_unions_type_lists_const_and_examples_become_30() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "name": {"type": ["string", "null"]},
                "ref": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}], "description": "d"},
                "inline": {"oneOf": [{"type": "integer"}, {"type": "null"}]},
                "kind": {"const": "a"},
                "const": {"type": "string", "examples": ["x", "y"]},
                "n": {"type": "number", "exclusiveMinimum": 0},
                "closed": {"type": "object", "additionalProperties": false}
            }}}}
        });
        assert!(normalize_31(&mut doc).is_empty());
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(props["name"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            props["ref"],
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/B"}]})
        );
        assert_eq!(props["inline"], json!({"nullable": true, "type": "integer"}));
        assert_eq!(props["kind"], json!({"type": "string", "enum": ["a"]}));
        assert_eq!(props["const"], json!({"type": "string", "example": "x"}));
        assert_eq!(props["n"], json!({"type": "number", "exclusiveMinimum": true, "minimum": 0}));
        assert_eq!(props["closed"], json!({"type": "object", "additionalProperties": false}));
    }

    #[test]
    fn examples_and_non_schema_keys_are_untouched() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"200": {"content": {
            "application/json": {"schema": {"type": "string"}, "examples": {"one": {"value": {"const": 1, "type": ["x"]}}}}
        }}}}}}});
        let before = doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["examples"].clone();
        assert!(normalize_31(&mut doc).is_empty());
        assert_eq!(doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["examples"], before);
    }

    #[test]
    fn several_types_tuples_patterns_and_false_get_a_30_form() {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Multi": {"type": ["string", "integer", "null"], "description": "d", "enum": ["a", 1, null], "maxLength": 3},
            "Never": false,
            "Tuple": {"type": "array", "prefixItems": [{"type": "string"}]},
            "Patterned": {"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}
        }}});
        assert!(normalize_31(&mut doc).is_empty());
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Multi"],
            json!({"description": "d", "nullable": true, "oneOf": [
                {"type": "string", "enum": ["a"], "maxLength": 3},
                {"type": "integer", "enum": [1], "maxLength": 3}
            ]})
        );
        assert_eq!(schemas["Never"], json!({"not": {}}));
        assert_eq!(schemas["Tuple"], json!({"type": "array", "items": {}}));
        assert_eq!(schemas["Patterned"], json!({"type": "object", "additionalProperties": {"type": "integer"}}));
    }
}
