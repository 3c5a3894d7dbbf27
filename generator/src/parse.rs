//! Stage 1: spec text → `openapiv3::OpenAPI`, with located errors for bad syntax and bad shape.

use crate::diagnostics::{Diagnostic, child};
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
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new("#", format!("not valid YAML or JSON: {}", strip_location(&e)));
        d.location = e.location().map(|l| (l.line(), l.column()));
        vec![d]
    })?;
    let tree = to_json(yaml);
    check_version(&tree)?;
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

/// Rejects what is not OpenAPI 3.0 with a message that says what it is.
fn check_version(tree: &Value) -> Result<(), Vec<Diagnostic>> {
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
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(()),
        Some(other) => Err(vec![Diagnostic::new(
            "#/openapi",
            format!("OpenAPI version {} is not supported: this generator reads OpenAPI 3.0.x", scalar(other)),
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

/// Converts a YAML tree to a JSON tree, turning non-string keys into their text.
fn to_json(v: serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        serde_yaml::Value::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = match to_json(k) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out.insert(key, to_json(v));
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(t) => to_json(t.value),
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
