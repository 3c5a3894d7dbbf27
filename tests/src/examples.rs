//! Runs a spec's examples through a generated crate: each is decoded into its type and encoded
//! again, and every union inside it is decoded on its own to see which variant it lands in.
//!
//! This half runs next to the generated types (in-process for `plexy`, or in a small program
//! generated per crate by the slow test), so it knows types only through a [`Decoder`] that
//! maps type names to code. Whether a chosen variant's member schema accepts the value is
//! decided elsewhere, by a JSON Schema validator (tests/tests/examples_support).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What to check: the examples and the type structure needed to find unions inside them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// The examples.
    pub examples: Vec<PlannedExample>,
    /// The crate's `models` types by Rust name.
    pub types: BTreeMap<String, Shape>,
    /// Every property name some schema of the spec declares. A property an example has and the
    /// encoded value lacks is a difference only when its name is here and a type that may sit
    /// in that place names it: the generated types ignore properties the spec does not declare
    /// there (an example's extras), by design.
    pub declared: BTreeSet<String>,
}

/// One example and the type it must decode into.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PlannedExample {
    /// Its JSON pointer in the spec (identifies it in reports).
    pub pointer: String,
    /// The Rust type, as the [`Decoder`] knows it (`models::Pet`).
    pub rust_type: String,
    /// The same type's structure, to walk the value.
    pub ty: Ty,
    /// The example.
    pub value: Value,
}

/// A type's structure as far as walking a value goes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Ty {
    /// A scalar or raw JSON: nothing inside to walk.
    Leaf,
    /// A `models` type by Rust name.
    Named(String),
    /// A list.
    Vec(Box<Ty>),
    /// A map with string keys.
    Map(Box<Ty>),
    /// A nullable value.
    Option(Box<Ty>),
}

/// The structure of one `models` type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Shape {
    /// Nothing inside to walk (a string enum).
    Leaf,
    /// Another type.
    Alias(Ty),
    /// Fields by wire name (`None`: flattened into the object), and the type of other properties.
    Struct { fields: Vec<(Option<String>, Ty)>, additional: Option<Ty> },
    /// Variants by the name `Debug` prints, with the type each holds, and the fallback's name.
    Union { variants: Vec<(String, Ty)>, fallback: String },
}

/// What happened to one example.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    /// The example's pointer in the spec.
    pub pointer: String,
    /// `Err` with serde's message when the example does not decode into its type.
    pub decoded: Result<(), String>,
    /// Where the re-encoded JSON first differs from the example, and how; `None` when it is the
    /// same JSON (or did not decode).
    pub changed: Option<String>,
    /// Every union value inside the example and the variant it landed in.
    pub unions: Vec<UnionPick>,
}

/// The variant one union value landed in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnionPick {
    /// JSON pointer of the value inside the example (RFC 6901, `""` for the whole example).
    pub at: String,
    /// The union's Rust name.
    pub union: String,
    /// The variant's name, or why the value did not decode as the union.
    pub variant: Result<String, String>,
}

/// Decodes values into the generated crate's types, by name.
pub trait Decoder {
    /// Decodes `value` as the type `rust_type` (as written in the plan) and encodes it again.
    fn round_trip(&self, rust_type: &str, value: &Value) -> Result<Value, String>;
    /// Decodes `value` as the union `union` (Rust name) and returns the variant it became.
    fn variant(&self, union: &str, value: &Value) -> Result<String, String>;
}

/// Decodes `value` as `T` and encodes it again, through JSON text as on the wire (an `f32`
/// goes out as `0.585`, where `serde_json::to_value` would widen it to `0.5849999785423279`).
pub fn round_trip_as<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let text = serde_json::to_string(&typed).map_err(|e| format!("does not encode: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("encodes to JSON that does not parse: {e}"))
}

/// Decodes `value` as the enum `T` and reads the variant name from its derived `Debug`, which
/// starts with it (`Card(CardDetails { … })`).
pub fn variant_as<T: DeserializeOwned + std::fmt::Debug>(value: &Value) -> Result<String, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let debug = format!("{typed:?}");
    let end = debug.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(debug.len());
    Ok(debug[..end].to_owned())
}

/// Checks every example of the plan.
pub fn check(plan: &Plan, decoder: &dyn Decoder) -> Vec<Outcome> {
    plan.examples
        .iter()
        .map(|example| {
            let mut walk = Walk { plan, decoder, unions: Vec::new(), known: BTreeMap::new() };
            walk.walk(&example.value, &example.ty, String::new(), 0);
            // A property the example has and the encoded value lacks is lost when the spec
            // declares it for that place: some type that may sit there names it (a union's
            // other members included), or the walk does not know the place.
            let lost = |at: &str, key: &str| {
                plan.declared.contains(key) && walk.known.get(at).is_none_or(|names| names.contains(key))
            };
            let (decoded, changed) = match decoder.round_trip(&example.rust_type, &example.value) {
                Ok(back) => (Ok(()), first_difference(&example.value, &back, "", &lost)),
                Err(e) => (Err(e), None),
            };
            Outcome { pointer: example.pointer.clone(), decoded, changed, unions: walk.unions }
        })
        .collect()
}

/// The body of a generated check program: reads the plan from the file named by the first
/// argument and prints the outcomes as JSON.
pub fn main_with(decoder: &dyn Decoder) {
    let path = std::env::args().nth(1).expect("usage: check-examples PLAN.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let plan: Plan = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let outcomes = check(&plan, decoder);
    println!("{}", serde_json::to_string(&outcomes).expect("outcomes encode"));
}

/// Values nest at most this deep here; recursive types cannot make the walk run away.
const MAX_DEPTH: usize = 256;

/// One example's walk: the unions found, and the property names of the types that may sit at
/// each object inside it.
struct Walk<'a> {
    plan: &'a Plan,
    decoder: &'a dyn Decoder,
    unions: Vec<UnionPick>,
    known: BTreeMap<String, BTreeSet<String>>,
}

impl Walk<'_> {
    /// Finds every union value inside `value` (of type `ty`, at `at`), following the variant
    /// each one actually decodes into.
    fn walk(&mut self, value: &Value, ty: &Ty, at: String, depth: usize) {
        if depth > MAX_DEPTH || value.is_null() {
            return;
        }
        match ty {
            Ty::Leaf => {}
            Ty::Option(inner) => self.walk(value, inner, at, depth + 1),
            Ty::Vec(inner) => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    self.walk(item, inner, format!("{at}/{i}"), depth + 1);
                }
            }
            Ty::Map(inner) => {
                for (key, item) in value.as_object().into_iter().flatten() {
                    self.walk(item, inner, format!("{at}/{}", escape(key)), depth + 1);
                }
            }
            Ty::Named(name) => match self.plan.types.get(name) {
                None | Some(Shape::Leaf) => {}
                Some(Shape::Alias(target)) => self.walk(value, target, at, depth + 1),
                Some(Shape::Struct { fields, additional }) => {
                    let Some(object) = value.as_object() else { return };
                    let names = self.known.entry(at.clone()).or_default();
                    names.extend(fields.iter().filter_map(|(wire, _)| wire.clone()));
                    for (wire, field_ty) in fields {
                        match wire {
                            Some(wire) => {
                                if let Some(item) = object.get(wire) {
                                    self.walk(item, field_ty, format!("{at}/{}", escape(wire)), depth + 1);
                                }
                            }
                            None => self.walk(value, field_ty, at.clone(), depth + 1),
                        }
                    }
                    // With a flattened field the struct cannot tell which other properties
                    // are its own extras, so only a struct without one walks them.
                    let flattened = fields.iter().any(|(wire, _)| wire.is_none());
                    if let (Some(extra), false) = (additional, flattened) {
                        for (key, item) in object {
                            if !fields.iter().any(|(wire, _)| wire.as_deref() == Some(key.as_str())) {
                                self.walk(item, extra, format!("{at}/{}", escape(key)), depth + 1);
                            }
                        }
                    }
                }
                Some(Shape::Union { variants, .. }) => {
                    let mut names = BTreeSet::new();
                    for (_, variant_ty) in variants {
                        property_names(self.plan, variant_ty, &mut names, 0);
                    }
                    self.known.entry(at.clone()).or_default().extend(names);
                    let variant = self.decoder.variant(name, value);
                    let inner = variant.as_ref().ok().and_then(|v| variants.iter().find(|(n, _)| n == v));
                    self.unions.push(UnionPick { at: at.clone(), union: name.clone(), variant: variant.clone() });
                    if let Some((_, inner)) = inner {
                        self.walk(value, inner, at, depth + 1);
                    }
                }
            },
        }
    }
}

/// The property names an object of type `ty` may have (every member's, for a union).
fn property_names(plan: &Plan, ty: &Ty, names: &mut BTreeSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ty::Named(name) = ty else { return };
    match plan.types.get(name) {
        Some(Shape::Alias(target)) => property_names(plan, target, names, depth + 1),
        Some(Shape::Struct { fields, .. }) => {
            for (wire, field_ty) in fields {
                match wire {
                    Some(wire) => {
                        names.insert(wire.clone());
                    }
                    None => property_names(plan, field_ty, names, depth + 1),
                }
            }
        }
        Some(Shape::Union { variants, .. }) => {
            for (_, variant_ty) in variants {
                property_names(plan, variant_ty, names, depth + 1);
            }
        }
        Some(Shape::Leaf) | None => {}
    }
}

/// A JSON pointer token (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Where `back` first differs from `original` as JSON, or `None` when they are the same JSON
/// value. Numbers compare by value: `1` and `1.0` are the same number in JSON (and to JSON
/// Schema), and a `number` field encodes `1` back as `1.0`; integers compare exactly, a float
/// with anything as `f64`. A property missing from `back` counts only when `lost(object
/// pointer, name)` says so.
pub fn first_difference(original: &Value, back: &Value, at: &str, lost: &dyn Fn(&str, &str) -> bool) -> Option<String> {
    match (original, back) {
        (Value::Number(a), Value::Number(b)) => {
            let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64() && (a.is_f64() || b.is_f64()),
            };
            (!same).then(|| format!("{at}: {a} became {b}"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{at}: {} items became {}", a.len(), b.len()));
            }
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| first_difference(x, y, &format!("{at}/{i}"), lost))
        }
        (Value::Object(a), Value::Object(b)) => {
            if let Some(key) = a.keys().find(|k| !b.contains_key(*k) && lost(at, k)) {
                return Some(format!("{at}/{}: dropped (was {})", escape(key), short(&a[key])));
            }
            if let Some(key) = b.keys().find(|k| !a.contains_key(*k)) {
                return Some(format!("{at}/{}: added as {}", escape(key), short(&b[key])));
            }
            a.iter()
                .filter(|(k, _)| b.contains_key(*k))
                .find_map(|(k, x)| first_difference(x, &b[k], &format!("{at}/{}", escape(k)), lost))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!("{at}: {} became {}", short(a), short(b))),
    }
}

/// A value shortened for a message.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::first_difference;
    use serde_json::{Value, json};
    use std::collections::BTreeSet;

    fn diff(original: Value, back: Value) -> Option<String> {
        let declared: BTreeSet<String> = ["a", "b", "d"].into_iter().map(str::to_owned).collect();
        first_difference(&original, &back, "", &|_, key| declared.contains(key))
    }

    #[test]
    fn numbers_compare_by_value_and_everything_else_exactly() {
        assert_eq!(diff(json!({"a": [1, 2.5]}), json!({"a": [1.0, 2.5]})), None);
        assert_eq!(diff(json!(1), json!(2.0)), Some(": 1 became 2.0".into()));
        assert_eq!(diff(json!(u64::MAX), json!(u64::MAX)), None);
        assert_eq!(diff(json!({"a": null}), json!({})), Some("/a: dropped (was null)".into()));
        assert_eq!(diff(json!({}), json!({"b": 1})), Some("/b: added as 1".into()));
        assert_eq!(
            diff(json!({"d": "1970-07-10"}), json!({"d": "1970-07-10T00:00:00Z"})),
            Some("/d: \"1970-07-10\" became \"1970-07-10T00:00:00Z\"".into())
        );
    }

    #[test]
    fn a_property_the_spec_declares_nowhere_may_be_dropped() {
        assert_eq!(diff(json!({"a": 1, "extra": 2}), json!({"a": 1})), None);
        assert_eq!(diff(json!({"a": 1, "b": 2}), json!({"a": 1})), Some("/b: dropped (was 2)".into()));
    }
}
