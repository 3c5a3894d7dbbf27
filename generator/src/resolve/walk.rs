//! Finds every `$ref` of a document together with the kind of object it stands for, which only
//! its position tells (a `$ref` under `parameters` is a parameter, under `schema` a schema).

use crate::diagnostics::child;
use serde_json::Value;

/// The kinds of reusable object, each with its section under `components`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Schema,
    Response,
    Parameter,
    Example,
    RequestBody,
    Header,
    SecurityScheme,
    Link,
    Callback,
    PathItem,
}

impl Kind {
    /// Every kind, in the order of the specification's Components Object.
    pub const ALL: [Kind; 10] = [
        Kind::Schema,
        Kind::Response,
        Kind::Parameter,
        Kind::Example,
        Kind::RequestBody,
        Kind::Header,
        Kind::SecurityScheme,
        Kind::Link,
        Kind::Callback,
        Kind::PathItem,
    ];

    /// The key of this kind's map under `components`.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Response => "responses",
            Kind::Parameter => "parameters",
            Kind::Example => "examples",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::SecurityScheme => "securitySchemes",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::PathItem => "pathItems",
        }
    }

    /// The kind whose section is `section`.
    pub fn of_section(section: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == section)
    }
}

/// One `$ref`: where the object holding it is, what it says, and what kind of object it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Pointer of the object that holds the `$ref` key.
    pub pointer: String,
    /// The reference as written.
    pub reference: String,
    /// What the position says the target is.
    pub kind: Kind,
}

/// Schema keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
];
/// Schema keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Schema keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/// The operations of a path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Every `$ref` in the whole document.
pub fn document_sites(root: &Value) -> Vec<Site> {
    let mut out = Vec::new();
    let Some(map) = root.as_object() else { return out };
    for (key, value) in map {
        let at = child("#", key);
        match key.as_str() {
            "paths" | "webhooks" | "x-webhooks" => each_value(value, &at, Kind::PathItem, &mut out),
            "components" => {
                for (section, entries) in value.as_object().into_iter().flatten() {
                    if let Some(kind) = Kind::of_section(section) {
                        each_value(entries, &child(&at, section), kind, &mut out);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every `$ref` in `value`, an object of `kind` at `pointer`.
pub fn sites(value: &Value, pointer: &str, kind: Kind) -> Vec<Site> {
    let mut out = Vec::new();
    visit(value, pointer, kind, &mut out);
    out
}

/// Visits each value of a mapping (extension keys excepted) as an object of `kind`.
fn each_value(map: &Value, pointer: &str, kind: Kind, out: &mut Vec<Site>) {
    for (key, value) in map.as_object().into_iter().flatten() {
        if !key.starts_with("x-") || kind == Kind::Schema {
            visit(value, &child(pointer, key), kind, out);
        }
    }
}

/// Visits each item of a list as an object of `kind`.
fn each_item(list: &Value, pointer: &str, kind: Kind, out: &mut Vec<Site>) {
    for (i, value) in list.as_array().into_iter().flatten().enumerate() {
        visit(value, &child(pointer, &i.to_string()), kind, out);
    }
}

/// Records the `$ref` of one object, then visits what it contains.
fn visit(value: &Value, pointer: &str, kind: Kind, out: &mut Vec<Site>) {
    let Some(map) = value.as_object() else { return };
    if let Some(Value::String(reference)) = map.get("$ref") {
        out.push(Site { pointer: pointer.to_owned(), reference: reference.clone(), kind });
        // Beside a `$ref`, only a schema (OpenAPI 3.1) has keywords that hold more references.
        if kind != Kind::Schema {
            return;
        }
    }
    let at = |key: &str| child(pointer, key);
    for (key, value) in map {
        let key = key.as_str();
        match kind {
            Kind::Schema if ONE_SCHEMA.contains(&key) => visit(value, &at(key), Kind::Schema, out),
            Kind::Schema if SCHEMA_LISTS.contains(&key) => each_item(value, &at(key), Kind::Schema, out),
            Kind::Schema if SCHEMA_MAPS.contains(&key) => each_value(value, &at(key), Kind::Schema, out),
            Kind::Schema if key == "items" && value.is_array() => each_item(value, &at(key), Kind::Schema, out),
            Kind::Parameter | Kind::Header => match key {
                "schema" => visit(value, &at(key), Kind::Schema, out),
                "content" => media_types(value, &at(key), out),
                "examples" => each_value(value, &at(key), Kind::Example, out),
                _ => {}
            },
            Kind::RequestBody if key == "content" => media_types(value, &at(key), out),
            Kind::Response => match key {
                "headers" => each_value(value, &at(key), Kind::Header, out),
                "content" => media_types(value, &at(key), out),
                "links" => each_value(value, &at(key), Kind::Link, out),
                _ => {}
            },
            Kind::PathItem if key == "parameters" => each_item(value, &at(key), Kind::Parameter, out),
            Kind::PathItem if METHODS.contains(&key) => operation(value, &at(key), out),
            Kind::Callback if !key.starts_with("x-") => visit(value, &at(key), Kind::PathItem, out),
            _ => {}
        }
    }
}

/// The references of an operation.
fn operation(value: &Value, pointer: &str, out: &mut Vec<Site>) {
    for (key, value) in value.as_object().into_iter().flatten() {
        let at = child(pointer, key);
        match key.as_str() {
            "parameters" => each_item(value, &at, Kind::Parameter, out),
            "requestBody" => visit(value, &at, Kind::RequestBody, out),
            "responses" => each_value(value, &at, Kind::Response, out),
            "callbacks" => each_value(value, &at, Kind::Callback, out),
            _ => {}
        }
    }
}

/// The references of a `content` map: each media type's schema, examples and encoding headers.
fn media_types(content: &Value, pointer: &str, out: &mut Vec<Site>) {
    for (name, media) in content.as_object().into_iter().flatten() {
        let at = child(pointer, name);
        for (key, value) in media.as_object().into_iter().flatten() {
            let inner = child(&at, key);
            match key.as_str() {
                "schema" => visit(value, &inner, Kind::Schema, out),
                "examples" => each_value(value, &inner, Kind::Example, out),
                "encoding" => {
                    for (property, encoding) in value.as_object().into_iter().flatten() {
                        let headers = child(&child(&inner, property), "headers");
                        if let Some(h) = encoding.get("headers") {
                            each_value(h, &headers, Kind::Header, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_position_decides_the_kind() {
        let doc = json!({
            "paths": {"/a": {"$ref": "other.yaml#/paths/~1a"}, "/b": {"parameters": [{"$ref": "#/x"}], "get": {
                "requestBody": {"content": {"application/json": {"schema": {"items": {"$ref": "#/s"}}}}},
                "responses": {"200": {"$ref": "#/r", "description": "kept"}},
                "callbacks": {"c": {"{$url}": {"post": {"responses": {"200": {"headers": {"h": {"$ref": "#/h"}}}}}}}}
            }}},
            "components": {"schemas": {"A": {"properties": {"$ref": {"type": "string"}, "p": {"$ref": "#/p"}},
                "example": {"$ref": "#/not-a-ref"}}}}
        });
        let found: Vec<(String, Kind)> = document_sites(&doc).into_iter().map(|s| (s.reference, s.kind)).collect();
        assert_eq!(
            found,
            [
                ("other.yaml#/paths/~1a".to_owned(), Kind::PathItem),
                ("#/x".to_owned(), Kind::Parameter),
                ("#/s".to_owned(), Kind::Schema),
                ("#/r".to_owned(), Kind::Response),
                ("#/h".to_owned(), Kind::Header),
                ("#/p".to_owned(), Kind::Schema),
            ]
        );
    }
}
