//! Stage 1: spec text → `openapiv3::OpenAPI`, with located errors for bad syntax and bad shape.

use crate::diagnostics::{Diagnostic, child};
use serde::Deserialize;
use serde_json::{Map, Value};

/// A parsed document: the typed view, and the plain tree for what openapiv3 does not keep (such
/// as a `description` beside a `$ref`).
#[derive(Debug)]
pub struct Parsed {
    /// The typed document.
    pub doc: openapiv3::OpenAPI,
    /// The same document as a JSON tree.
    pub tree: Value,
}

/// Turns YAML or JSON text into an OpenAPI 3.0 document.
///
/// YAML is read into a plain tree first, so that the version can be checked and mapping keys such
/// as `200:` (integers to YAML) become strings before the typed decode.
pub fn parse(text: &str) -> Result<Parsed, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::new("#", "the document is empty")]);
    }
    let Tree(tree) = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new("#", format!("not valid YAML or JSON: {}", strip_location(&e)));
        d.location = e.location().map(|l| (l.line(), l.column()));
        vec![d]
    })?;
    let mut tree = tree;
    if check_version(&tree)? == Version::V31 {
        let problems = crate::normalize::normalize_31(&mut tree);
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let doc = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(tree.clone()).map_err(|e| {
        let pointer = e.path().iter().fold("#".to_owned(), |p, segment| match segment {
            serde_path_to_error::Segment::Seq { index } => child(&p, &index.to_string()),
            serde_path_to_error::Segment::Map { key } => child(&p, key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => p,
        });
        vec![Diagnostic::new(pointer, format!("not a valid OpenAPI 3.0 document here: {}", e.inner()))]
    })?;
    Ok(Parsed { doc, tree })
}

/// The OpenAPI versions read: 3.0 as it is, 3.1 after normalisation to 3.0.
#[derive(Debug, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

/// Rejects what is not OpenAPI 3.0 or 3.1 with a message that says what it is.
fn check_version(tree: &Value) -> Result<Version, Vec<Diagnostic>> {
    let Some(map) = tree.as_object() else {
        return Err(vec![Diagnostic::new("#", "not an OpenAPI document: the top level is not a mapping")]);
    };
    if let Some(swagger) = map.get("swagger") {
        return Err(vec![Diagnostic::new(
            "#/swagger",
            format!(
                "Swagger {} documents are not supported: convert the document to OpenAPI 3.0 first",
                scalar(swagger)
            ),
        )]);
    }
    match map.get("openapi") {
        None => Err(vec![Diagnostic::new("#", "not an OpenAPI document: it has no `openapi` version field")]),
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(Version::V30),
        Some(Value::String(v)) if v.starts_with("3.1.") => Ok(Version::V31),
        Some(other) => Err(vec![Diagnostic::new(
            "#/openapi",
            format!("OpenAPI version {} is not supported: this generator reads OpenAPI 3.0.x and 3.1.x", scalar(other)),
        )]),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// serde_yaml puts "at line X column Y" in its message; the location is reported separately.
fn strip_location(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A JSON tree read from YAML or JSON. Unlike `serde_yaml::Value` it takes integers beyond 64
/// bits (as floating point, which is what a schema bound of that size means) and turns mapping
/// keys that are not strings (`200:`) into their text.
struct Tree(Value);

impl<'de> serde::Deserialize<'de> for Tree {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

impl<'de> serde::de::Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Tree::deserialize(d).map(|t| t.0)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some((Tree(key), Tree(value))) = access.next_entry()? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn first_error(text: &str) -> (String, Option<(usize, usize)>, String) {
        let d = parse(text).unwrap_err().remove(0);
        (d.pointer, d.location, d.message)
    }

    #[test]
    fn integer_response_codes_become_strings() {
        let doc = parse(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n",
        )
        .unwrap();
        assert_eq!(doc.doc.paths.paths.len(), 1);
    }

    #[test]
    fn integers_beyond_64_bits_are_read() {
        let doc = parse(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: number\n      minimum: -9223372036854776000\n",
        )
        .unwrap();
        assert!(doc.tree.pointer("/components/schemas/A/minimum").is_some_and(serde_json::Value::is_f64));
    }

    #[test]
    fn rejects_empty_swagger_and_other_versions() {
        assert_eq!(first_error("  \n").2, "the document is empty");
        assert!(first_error("swagger: '2.0'\n").2.starts_with("Swagger 2.0 documents are not supported"));
        assert_eq!(first_error("openapi: 4.0.0\n").0, "#/openapi");
        assert!(first_error("title: x\n").2.contains("no `openapi` version field"));
        assert!(first_error("- a\n").2.contains("top level is not a mapping"));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let (pointer, location, message) = first_error("openapi: 3.0.3\ninfo: [\n");
        assert_eq!(pointer, "#");
        assert!(location.is_some());
        assert!(message.starts_with("not valid YAML or JSON"));
    }

    #[test]
    fn shape_errors_name_the_pointer() {
        let (pointer, _, message) = first_error("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: 5\n");
        // openapiv3 flattens the path map, so the pointer stops at the map itself.
        assert_eq!(pointer, "#/paths");
        assert!(message.starts_with("not a valid OpenAPI 3.0 document here"));
    }
}
