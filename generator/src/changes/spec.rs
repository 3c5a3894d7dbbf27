//! Spec-level differences: the two documents compared as parsed values (never as text, so
//! reformatting, key order and quoting are invisible), down to the smallest differing node, and
//! what a difference the crate's surface does not show means: prose, examples, constraints the
//! server checks, deprecation, servers other than the default.

use super::{Change, Semver};
use crate::diagnostics::child;
use serde_json::Value;

/// One differing node: absent on one side when it was added or removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// JSON pointer (`#/…`).
    pub pointer: String,
    /// The old value.
    pub old: Option<Value>,
    /// The new value.
    pub new: Option<Value>,
}

/// The smallest differing nodes of two documents. Arrays of the same length are compared
/// element by element; otherwise the whole array is one difference (an enum list, `required`).
/// The arrays JSON Schema reads as sets ([`SETS`]) differ only when their members do: where
/// their order reaches the crate (an enum's `Ord`, `new`'s arguments, an untagged union's
/// tie-breaks), the surface reports it.
pub fn leaves(old: &Value, new: &Value) -> Vec<Leaf> {
    let mut out = Vec::new();
    walk("#", Some(old), Some(new), &mut out);
    out
}

fn walk(pointer: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Leaf>) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (key, value) in a {
                walk(&child(pointer, key), Some(value), b.get(key), out);
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                walk(&child(pointer, key), None, Some(value), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if is_set(pointer) && same_members(a, b) => {}
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                walk(&child(pointer, &index.to_string()), Some(x), Some(y), out);
            }
        }
        (Some(a), Some(b)) if same(a, b) => {}
        _ => out.push(Leaf { pointer: pointer.to_owned(), old: old.cloned(), new: new.cloned() }),
    }
}

/// Schema keywords whose array's order means nothing to JSON Schema: the allowed values, the
/// required properties, the members of a composition, the types.
const SETS: &[&str] = &["enum", "required", "oneOf", "anyOf", "allOf", "type"];

/// Whether the array at `pointer` is one of [`SETS`].
fn is_set(pointer: &str) -> bool {
    pointer.rsplit('/').next().is_some_and(|key| SETS.contains(&key))
}

/// Whether two arrays hold the same members, each as often, in any order.
fn same_members(a: &[Value], b: &[Value]) -> bool {
    let mut left: Vec<&Value> = b.iter().collect();
    a.len() == b.len()
        && a.iter().all(|x| match left.iter().position(|y| same(x, y)) {
            Some(i) => {
                left.swap_remove(i);
                true
            }
            None => false,
        })
}

/// Semantic equality: maps regardless of key order, numbers by value (`1` = `1.0`).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w)),
        _ => a == b,
    }
}

/// Keywords that limit values; the crate does not check them, the server does.
const CONSTRAINTS: &[&str] = &[
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "format",
];

/// What a difference the surface does not show means. `reaches_crate` says whether the
/// generated files differ at all; `rust` is the item the node documents, when there is one.
pub fn classify(leaf: &Leaf, reaches_crate: bool, rust: Option<String>) -> Change {
    let tokens: Vec<&str> = leaf.pointer.split('/').skip(1).collect();
    let key = tokens.last().copied().unwrap_or_default();
    let parent = tokens.len().checked_sub(2).and_then(|i| tokens.get(i)).copied().unwrap_or_default();
    // Under these maps a key is a name (a property called `description`), not a keyword.
    let names = matches!(parent, "properties" | "responses" | "mapping" | "schemas" | "paths" | "securitySchemes");
    let key = if names { "" } else { key };
    let visible = if reaches_crate { Semver::Patch } else { Semver::None };
    let what = rust.as_ref().map_or_else(|| format!("`{}`", leaf.pointer), |r| format!("`{r}`"));
    let (kind, semver, summary, note) = if tokens.iter().any(|t| matches!(*t, "example" | "examples")) {
        ("example", visible, format!("an example for {what} changes"), None)
    } else if matches!(key, "description" | "summary" | "title") || tokens.first() == Some(&"info") {
        ("docs", visible, format!("the {key} of {what} changes"), None)
    } else if key == "deprecated" {
        let now = leaf.new.as_ref().and_then(Value::as_bool).unwrap_or(false);
        let (summary, note) = if now {
            (
                format!("{what} is deprecated"),
                format!(
                    "{what} is deprecated in the spec: the API may remove it, so plan to move off it \
                     (the crate does not mark it `#[deprecated]`)"
                ),
            )
        } else {
            (format!("{what} is no longer deprecated"), format!("{what} is no longer deprecated in the spec"))
        };
        ("deprecation", Semver::Patch, summary, Some(note))
    } else if CONSTRAINTS.contains(&key) {
        let tightened = tightens(key, leaf.old.as_ref(), leaf.new.as_ref());
        let (old, new) = (shown(leaf.old.as_ref()), shown(leaf.new.as_ref()));
        let summary = format!("`{key}` of {what} changes from {old} to {new}");
        let note = if tightened {
            format!(
                "the constraint is tightened: values the server accepted before may now be rejected (the crate \
                 does not check `{key}`; the server does)"
            )
        } else {
            format!(
                "the constraint is relaxed: the server accepts more, and answers may carry values the old `{key}` excluded"
            )
        };
        ("constraint", Semver::Patch, summary, Some(note))
    } else if key == "default" {
        let (old, new) = (shown(leaf.old.as_ref()), shown(leaf.new.as_ref()));
        let summary = format!("the default of {what} changes from {old} to {new}");
        let note = format!("a request that leaves it out now gets {new} from the server instead of {old}");
        ("default-value", Semver::Patch, summary, Some(note))
    } else if tokens.first() == Some(&"servers") {
        let summary = if tokens.get(1) == Some(&"0") {
            "the default server is written differently, to the same address".to_owned()
        } else {
            "a server other than the default changes".to_owned()
        };
        ("server", visible, summary, None)
    } else {
        let summary = if reaches_crate {
            format!("{what} changes: {} → {}", shown(leaf.old.as_ref()), shown(leaf.new.as_ref()))
        } else {
            format!("{what} changes without changing the generated crate")
        };
        ("spec", visible, summary, None)
    };
    Change {
        pointer: leaf.pointer.clone(),
        rust,
        kind: kind.to_owned(),
        breaking: false,
        semver,
        summary,
        reason: None,
        note,
    }
}

/// Whether a constraint now rejects values it accepted: a new limit, a higher minimum, a lower
/// maximum, or any new pattern or format.
fn tightens(key: &str, old: Option<&Value>, new: Option<&Value>) -> bool {
    let number = |v: Option<&Value>| v.and_then(Value::as_f64);
    match (old, new) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(_), Some(_)) if key.starts_with("min") || key == "minimum" => number(new) > number(old),
        (Some(_), Some(_)) if key.starts_with("max") || key == "maximum" => number(new) < number(old),
        (Some(a), Some(b)) if key.starts_with("exclusive") => a != b && b.as_bool() != Some(false),
        (Some(a), Some(b)) if key == "uniqueItems" => a != b && b.as_bool() == Some(true),
        (Some(_), Some(_)) => true,
    }
}

/// A value for a sentence.
fn shown(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 60 {
                format!("`{}…`", text.chars().take(57).collect::<String>())
            } else {
                format!("`{text}`")
            }
        }
    }
}

/// Whether `prefix` is `pointer` or one of its ancestors (whole reference tokens only).
pub fn contains(prefix: &str, pointer: &str) -> bool {
    pointer == prefix || pointer.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_number_spelling_are_not_differences() {
        let a = json!({"a": 1, "b": {"c": [1, 2]}});
        let b: Value = serde_json::from_str(r#"{"b": {"c": [1.0, 2]}, "a": 1.0}"#).unwrap();
        assert!(leaves(&a, &b).is_empty());
    }

    #[test]
    fn differences_are_the_smallest_nodes() {
        let a = json!({"s": {"enum": ["x", "y"], "d": "old"}, "gone": 1});
        let b = json!({"s": {"enum": ["x", "y", "z"], "d": "new"}, "new": 2});
        let pointers: Vec<String> = leaves(&a, &b).into_iter().map(|l| l.pointer).collect();
        assert_eq!(pointers, ["#/s/enum", "#/s/d", "#/gone", "#/new"]);
    }

    #[test]
    fn arrays_json_schema_reads_as_sets_differ_only_in_their_members() {
        let a = json!({"s": {"enum": ["x", "y"], "required": ["a", "b"], "anyOf": [{"type": "string"}, {}]}});
        let b = json!({"s": {"enum": ["y", "x"], "required": ["b", "a"], "anyOf": [{}, {"type": "string"}]}});
        assert!(leaves(&a, &b).is_empty());
        let c = json!({"s": {"enum": ["x", "x"], "required": ["a", "b"], "anyOf": [{"type": "string"}, {}]}});
        assert_eq!(leaves(&a, &c).into_iter().map(|l| l.pointer).collect::<Vec<_>>(), ["#/s/enum/1"]);
        // Other arrays keep their order: parameters, servers, security alternatives.
        let p = json!({"parameters": [{"name": "a"}, {"name": "b"}]});
        let q = json!({"parameters": [{"name": "b"}, {"name": "a"}]});
        assert_eq!(leaves(&p, &q).len(), 2);
    }

    #[test]
    fn tightening_is_told_from_relaxing() {
        assert!(tightens("maxLength", Some(&json!(10)), Some(&json!(5))));
        assert!(!tightens("maxLength", Some(&json!(5)), Some(&json!(10))));
        assert!(tightens("minimum", Some(&json!(0)), Some(&json!(1))));
        assert!(tightens("pattern", None, Some(&json!("^a"))));
        assert!(!tightens("pattern", Some(&json!("^a")), None));
    }

    #[test]
    fn prefixes_match_whole_tokens() {
        assert!(contains("#/a/b", "#/a/b/c"));
        assert!(contains("#/a/b", "#/a/b"));
        assert!(!contains("#/a/b", "#/a/bc"));
    }
}
