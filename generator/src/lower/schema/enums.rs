//! Enums: string values become an open string enum; integers, numbers, booleans and mixed
//! values an open enum written as the values themselves. Either keeps a value the spec does not
//! list, so a new value never fails a response.

use crate::diagnostics::{ErrorStore, child};
use crate::ir::{Enum, EnumVariant, ValueEnum, ValueVariant};
use crate::naming::{Scope, pascal};
use openapiv3::Schema;
use std::collections::BTreeSet;

/// The extension that names the known values of an open string: validators still accept any
/// string (the spec says it is a string), while the generated type is an open enum of them.
pub const KNOWN_VALUES: &str = "x-known-values";

/// The values of `x-known-values` on a string schema, reporting a malformed one.
pub fn known_values<'s>(s: &'s Schema, pointer: &str, errors: &mut ErrorStore) -> Option<Vec<&'s str>> {
    let value = s.schema_data.extensions.get(KNOWN_VALUES)?;
    let values: Option<Vec<&str>> = value.as_array().and_then(|a| a.iter().map(serde_json::Value::as_str).collect());
    if values.is_none() {
        errors.push(child(pointer, KNOWN_VALUES), format!("`{KNOWN_VALUES}` must be a list of strings"));
    }
    values
}

/// An open string enum of the given values, duplicates dropped, names made unique.
pub fn string_enum(values: &[&str]) -> Enum {
    let mut names = Scope::with_reserved(&["Unknown"]);
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .filter(|v| seen.insert(**v))
        .map(|v| EnumVariant { name: names.claim(&pascal(v, "Value", "Empty"), ""), wire_value: (*v).to_owned() })
        .collect();
    Enum { variants }
}

/// An open enum of JSON values (integers, numbers, booleans, mixed), duplicates dropped. Names
/// come from the values: `1` → `Value1`, `-1` → `Minus1`, `true` → `True`, `"a b"` → `AB`.
pub fn value_enum(values: &[serde_json::Value]) -> ValueEnum {
    let mut names = Scope::with_reserved(&["Unknown"]);
    let mut seen = BTreeSet::new();
    let variants = values
        .iter()
        .filter(|v| !v.is_null() && seen.insert(v.to_string()))
        .map(|v| ValueVariant { name: names.claim(&value_name(v), ""), value: v.clone() })
        .collect();
    ValueEnum { variants }
}

/// The variant name for one value.
fn value_name(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => pascal(s, "Value", "Empty"),
        serde_json::Value::Bool(true) => "True".to_owned(),
        serde_json::Value::Bool(false) => "False".to_owned(),
        serde_json::Value::Number(n) => {
            let text = n.to_string().replace('.', "_").replace('+', "");
            match text.strip_prefix('-') {
                Some(rest) => format!("Minus{rest}"),
                None => format!("Value{text}"),
            }
        }
        _ => "Value".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn value_enums_name_their_values_and_drop_duplicates() {
        let e = value_enum(&[json!(1), json!(-2), json!(1), json!(2.5), json!(true), json!("a"), json!(null)]);
        let names: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Value1", "Minus2", "Value2_5", "True", "A"]);
    }
}
