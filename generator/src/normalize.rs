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
        // 3.1's top-level `webhooks` describes calls the API makes; the client does not need it.
        map.remove("webhooks");
        map.remove("jsonSchemaDialect");
    }
    problems
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
fn schema(node: &mut Value, pointer: &str, problems: &mut Vec<Diagnostic>) {
    if let Value::Bool(b) = node {
        // `true` accepts anything; `false` nothing, which no value can satisfy.
        if !*b {
            problems.push(Diagnostic::new(pointer, "the schema `false` (no value allowed) is not supported"));
        }
        *node = Value::Object(Map::new());
        return;
    }
    let Value::Object(map) = node else { return };
    type_list(map, pointer, problems);
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
    for key in ["$defs", "prefixItems", "patternProperties", "if", "dependentSchemas"] {
        if map.contains_key(key) {
            problems.push(Diagnostic::new(child(pointer, key), format!("`{key}` is not supported by the generator")));
            map.remove(key);
        }
    }
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
fn type_list(map: &mut Map<String, Value>, pointer: &str, problems: &mut Vec<Diagnostic>) {
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
        _ => {
            problems.push(Diagnostic::new(
                child(pointer, "type"),
                "a schema with several types is not supported: use `oneOf` with one schema per type",
            ));
            map.remove("type");
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
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
    fn what_has_no_30_form_is_reported_with_its_pointer() {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {
            "Multi": {"type": ["string", "integer"]},
            "Never": false,
            "Tuple": {"type": "array", "prefixItems": [{"type": "string"}]}
        }}});
        let problems: Vec<String> = normalize_31(&mut doc).into_iter().map(|d| d.pointer).collect();
        assert_eq!(
            problems,
            vec![
                "#/components/schemas/Multi/type",
                "#/components/schemas/Never",
                "#/components/schemas/Tuple/prefixItems",
            ]
        );
    }
}
