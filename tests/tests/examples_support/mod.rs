//! What the spec-example tests share: the plan handed to the code next to the generated types
//! (`plexy_tests::examples`), the judgement of its outcomes with a JSON Schema validator, and
//! the tally per spec.
//!
//! An example passes when it decodes into its type, encodes back to the same JSON, and every
//! union value inside it lands in a variant whose member schema accepts that value. Whether an
//! example fits its own schema at all is asked of the validator too: one that does not is a
//! known-bad example of the spec, not a failure of the generator.
#![allow(dead_code)] // Each test binary uses its own part of this module.

pub mod json_schema;

use json_schema::SchemaCheck;
use plexy_codegen::inspect::{ExampleSet, TypeExpr, TypeShape};
use plexy_tests::examples::{Outcome, Plan, PlannedExample, Shape, Ty};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The plan for the examples of `set`.
pub fn plan_of(set: &ExampleSet) -> Plan {
    let examples = set
        .examples
        .iter()
        .map(|e| PlannedExample {
            pointer: e.pointer.clone(),
            rust_type: e.ty.rust_path(),
            ty: ty_of(&e.ty),
            value: e.value.clone(),
        })
        .collect();
    let types = set
        .types
        .iter()
        .map(|(name, shape)| {
            let shape = match shape {
                TypeShape::Enum => Shape::Leaf,
                TypeShape::Alias(target) => Shape::Alias(ty_of(target)),
                TypeShape::Struct(s) => Shape::Struct {
                    fields: s.fields.iter().map(|f| (f.wire_name.clone(), ty_of(&f.ty))).collect(),
                    additional: s.additional.as_ref().map(ty_of),
                },
                TypeShape::Union(u) => Shape::Union {
                    variants: u.variants.iter().map(|v| (v.name.clone(), ty_of(&v.ty))).collect(),
                    fallback: u.fallback.clone(),
                },
            };
            (name.clone(), shape)
        })
        .collect();
    Plan { examples, types, declared: declared_properties(&set.document) }
}

/// Every name under a `properties` map anywhere in the document: the properties some schema
/// declares. (A `properties` key inside an example only adds names, which only makes the
/// round-trip check stricter.)
fn declared_properties(document: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut pending = vec![document];
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    names
}

/// The walker's view of a type.
fn ty_of(ty: &TypeExpr) -> Ty {
    match ty {
        TypeExpr::Named(name) => Ty::Named(name.clone()),
        TypeExpr::Vec(inner) => Ty::Vec(Box::new(ty_of(inner))),
        TypeExpr::Map(inner) => Ty::Map(Box::new(ty_of(inner))),
        TypeExpr::Option(inner) => Ty::Option(Box::new(ty_of(inner))),
        _ => Ty::Leaf,
    }
}

/// Every union type of the set: the ones a decoder must know by name.
pub fn union_names(set: &ExampleSet) -> Vec<&str> {
    set.types.iter().filter(|(_, s)| matches!(s, TypeShape::Union(_))).map(|(n, _)| n.as_str()).collect()
}

/// Every distinct example type of the set, as Rust paths.
pub fn example_types(set: &ExampleSet) -> BTreeSet<String> {
    set.examples.iter().map(|e| e.ty.rust_path()).collect()
}

/// The verdict on one example.
#[derive(Debug)]
pub struct Verdict {
    /// The example's pointer.
    pub pointer: String,
    /// Whether the example fits its own schema (the validator's word).
    pub fits: Result<(), String>,
    /// The first thing the generated types got wrong, if any.
    pub problem: Option<String>,
    /// Union values inside the example, and how many of them landed in a member that accepts them.
    pub unions: usize,
    /// Union values that landed in a member whose schema accepts them.
    pub unions_right: usize,
}

/// Judges the outcomes of `set`'s examples.
pub fn judge(set: &ExampleSet, outcomes: &[Outcome], check: &mut SchemaCheck) -> Vec<Verdict> {
    assert_eq!(outcomes.len(), set.examples.len(), "one outcome per example");
    set.examples
        .iter()
        .zip(outcomes)
        .map(|(example, outcome)| {
            assert_eq!(example.pointer, outcome.pointer, "outcomes in plan order");
            let fits = check.fits(&example.schema, example.context, &example.value);
            let mut problems = Vec::new();
            if let Err(e) = &outcome.decoded {
                problems.push(format!("does not decode as {}: {e}", example.ty.rust_path()));
            }
            if let Some(change) = &outcome.changed {
                problems.push(format!("encodes differently: {change}"));
            }
            let mut unions_right = 0;
            for pick in &outcome.unions {
                let value = example.value.pointer(&pick.at).unwrap_or(&Value::Null);
                let at = if pick.at.is_empty() { "the value".to_owned() } else { pick.at.clone() };
                match landed(set, &pick.union, &pick.variant) {
                    Err(why) => problems.push(format!("{at} ({}) {why}", pick.union)),
                    Ok(member) => match check.fits(member, example.context, value) {
                        Ok(()) => unions_right += 1,
                        Err(e) => problems.push(format!(
                            "{at} ({}) landed in {}, whose schema {member} rejects it: {e}",
                            pick.union,
                            pick.variant.as_deref().unwrap_or("?")
                        )),
                    },
                }
            }
            Verdict {
                pointer: example.pointer.clone(),
                fits,
                problem: problems.into_iter().next(),
                unions: outcome.unions.len(),
                unions_right,
            }
        })
        .collect()
}

/// The member schema of the variant a union value landed in, or why there is none.
fn landed<'a>(set: &'a ExampleSet, union: &str, variant: &Result<String, String>) -> Result<&'a str, String> {
    let variant = variant.as_ref().map_err(|e| format!("does not decode as its union: {e}"))?;
    let Some(TypeShape::Union(shape)) = set.types.get(union) else {
        return Err("is not a union of the export".into());
    };
    if *variant == shape.fallback {
        return Err(format!("fell through to `{variant}`, the variant for values that fit no member"));
    }
    shape
        .variants
        .iter()
        .find(|v| v.name == *variant)
        .map(|v| v.member.as_str())
        .ok_or_else(|| format!("landed in `{variant}`, which the export does not list"))
}

/// Counts for one spec.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Examples.
    pub examples: usize,
    /// Examples that do not fit their own schema.
    pub bad: usize,
    /// Examples that fit and pass every check.
    pub passing: usize,
    /// Union values inside examples that fit.
    pub unions: usize,
    /// Of those, the ones that landed in a member that accepts them.
    pub unions_right: usize,
}

impl Tally {
    /// Counts `verdicts`.
    pub fn of(verdicts: &[Verdict]) -> Tally {
        let mut t = Tally { examples: verdicts.len(), ..Tally::default() };
        for v in verdicts {
            if v.fits.is_err() {
                t.bad += 1;
                continue;
            }
            t.unions += v.unions;
            t.unions_right += v.unions_right;
            if v.problem.is_none() {
                t.passing += 1;
            }
        }
        t
    }

    /// One line: `12 examples (1 not fitting its schema): 9 of 11 pass; 4 of 6 union values in the right member`.
    pub fn line(&self) -> String {
        format!(
            "{} examples ({} not fitting their schema): {} of {} pass; {} of {} union values in a member that accepts them",
            self.examples,
            self.bad,
            self.passing,
            self.examples - self.bad,
            self.unions_right,
            self.unions
        )
    }
}

/// Compares what was found with what a list expects, both keyed: listed keys that no longer
/// apply and found keys the list lacks, each as a line ready to paste into (or delete from) it.
pub fn list_drift(found: &BTreeMap<String, String>, listed: &BTreeMap<String, String>, what: &str) -> Vec<String> {
    let mut drift = Vec::new();
    for (key, reason) in found {
        if !listed.contains_key(key) {
            drift.push(format!("{what}: not listed, add it:\n    {:?}: {:?}", key, reason));
        }
    }
    for key in listed.keys() {
        if !found.contains_key(key) {
            drift.push(format!("{what}: listed but now passes, remove it: {key:?}"));
        }
    }
    drift
}

/// The source of a check program for a generated crate: a [`plexy_tests::examples::Decoder`]
/// that knows every example type and union of `set` by name.
pub fn decoder_source(crate_ident: &str, set: &ExampleSet) -> String {
    let mut out = String::new();
    writeln!(out, "//! Decodes the spec's examples with the generated `{crate_ident}` crate.").unwrap();
    writeln!(out, "#![allow(unused_imports)]").unwrap();
    writeln!(out, "use {crate_ident}::{{models, values}};").unwrap();
    writeln!(out, "use plexy_tests::examples::{{Decoder, main_with, round_trip_as, variant_as}};").unwrap();
    writeln!(out, "use serde_json::Value;\n").unwrap();
    writeln!(out, "struct Generated;\n").unwrap();
    writeln!(out, "impl Decoder for Generated {{").unwrap();
    writeln!(out, "    fn round_trip(&self, rust_type: &str, value: &Value) -> Result<Value, String> {{").unwrap();
    writeln!(out, "        match rust_type {{").unwrap();
    for ty in example_types(set) {
        writeln!(out, "            {ty:?} => round_trip_as::<{ty}>(value),").unwrap();
    }
    writeln!(out, "            other => Err(format!(\"no decoder for {{other}}\")),").unwrap();
    writeln!(out, "        }}\n    }}\n").unwrap();
    writeln!(out, "    fn variant(&self, union: &str, value: &Value) -> Result<String, String> {{").unwrap();
    writeln!(out, "        match union {{").unwrap();
    for name in union_names(set) {
        let path = TypeExpr::Named(name.to_owned()).rust_path();
        writeln!(out, "            {name:?} => variant_as::<{path}>(value),").unwrap();
    }
    writeln!(out, "            other => Err(format!(\"no decoder for the union {{other}}\")),").unwrap();
    writeln!(out, "        }}\n    }}\n}}\n").unwrap();
    writeln!(out, "fn main() {{\n    main_with(&Generated);\n}}").unwrap();
    out
}
