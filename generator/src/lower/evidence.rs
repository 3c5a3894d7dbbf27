//! Whole-graph passes that need every type: the evidence each member of an untagged union must
//! show to be chosen, the fields whose one possible value the constructor fills in, and the
//! field in which each tagged union member keeps its tag.

use crate::ir::{Evidence, JsonKind, TagField, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// How many aliases and flattened structs are followed before giving up (a guard against
/// cycles, which `check_alias_cycles` reports on its own).
const MAX_HOPS: usize = 32;

/// Fills in the evidence of every untagged union's variants.
pub fn fill_evidence(defs: &mut BTreeMap<String, TypeDef>) {
    let mut found: Vec<(String, usize, Evidence)> = Vec::new();
    for (name, def) in defs.iter() {
        if let TypeKind::Untagged(u) = &def.kind {
            for (i, v) in u.variants.iter().enumerate() {
                found.push((name.clone(), i, evidence_of(&v.ty, defs, 0)));
            }
        }
    }
    for (name, i, evidence) in found {
        if let Some(TypeKind::Untagged(u)) = defs.get_mut(&name).map(|d| &mut d.kind) {
            u.variants[i].evidence = evidence;
        }
    }
}

/// Marks every required, non-nullable field whose type is an enum of one value: nothing else
/// can be sent, so the constructor sets it (a union member's tag, `type: scheme`).
pub fn pin_single_value_fields(defs: &mut BTreeMap<String, TypeDef>) {
    let mut found: Vec<(String, usize, String)> = Vec::new();
    for (name, def) in defs.iter() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        for (i, f) in s.fields.iter().enumerate() {
            if !f.required || f.nullable || f.flatten {
                continue;
            }
            let TypeRef::Named(target) = &f.ty else { continue };
            let only = match defs.get(target).map(|d| &d.kind) {
                Some(TypeKind::Enum(e)) if e.variants.len() == 1 => Some(e.variants[0].name.clone()),
                Some(TypeKind::ValueEnum(e)) if e.variants.len() == 1 => Some(e.variants[0].name.clone()),
                _ => None,
            };
            if let Some(variant) = only {
                found.push((name.clone(), i, variant));
            }
        }
    }
    for (name, i, variant) in found {
        if let Some(TypeKind::Struct(s)) = defs.get_mut(&name).map(|d| &mut d.kind) {
            s.fields[i].pinned = Some(variant);
        }
    }
}

/// Finds, for every variant of a tagged union, the member's field that holds the tag: a
/// non-nullable field of that wire name whose type reads as text (a string or string enum).
pub fn link_tag_fields(defs: &mut BTreeMap<String, TypeDef>) {
    let mut found: Vec<(String, usize, TagField)> = Vec::new();
    for (name, def) in defs.iter() {
        let TypeKind::Union(u) = &def.kind else { continue };
        for (i, v) in u.variants.iter().enumerate() {
            let Some(TypeKind::Struct(s)) = defs.get(&v.type_name).map(|d| &d.kind) else { continue };
            let Some(f) = s.fields.iter().find(|f| f.wire_name == u.tag && !f.flatten && !f.nullable) else {
                continue;
            };
            let textual = match &f.ty {
                TypeRef::String => true,
                TypeRef::Named(n) => matches!(defs.get(n).map(|d| &d.kind), Some(TypeKind::Enum(_))),
                _ => false,
            };
            if textual {
                found.push((name.clone(), i, TagField { name: f.name.clone(), optional: !f.required }));
            }
        }
    }
    for (name, i, field) in found {
        if let Some(TypeKind::Union(u)) = defs.get_mut(&name).map(|d| &mut d.kind) {
            u.variants[i].tag_field = Some(field);
        }
    }
}

/// What a value of type `ty` looks like.
fn evidence_of(ty: &TypeRef, defs: &BTreeMap<String, TypeDef>, hops: usize) -> Evidence {
    let kinds = |k: &[JsonKind]| Evidence { kinds: k.to_vec(), ..Evidence::default() };
    match ty {
        TypeRef::String | TypeRef::Date | TypeRef::DateTime => kinds(&[JsonKind::String]),
        TypeRef::Bool => kinds(&[JsonKind::Boolean]),
        TypeRef::I32 | TypeRef::I64 => kinds(&[JsonKind::Integer]),
        TypeRef::F32 | TypeRef::F64 => kinds(&[JsonKind::Number]),
        TypeRef::Null => kinds(&[JsonKind::Null]),
        TypeRef::Json => Evidence::default(),
        TypeRef::Vec(_) => kinds(&[JsonKind::Array]),
        TypeRef::Map(_) => Evidence { kinds: vec![JsonKind::Object], known: None, ..Evidence::default() },
        TypeRef::OrNull(inner) => {
            let mut e = evidence_of(inner, defs, hops);
            if !e.kinds.is_empty() {
                e.kinds.push(JsonKind::Null);
            }
            if let Some(values) = &mut e.values {
                values.push(serde_json::Value::Null);
            }
            e
        }
        TypeRef::Named(name) => match defs.get(name).map(|d| &d.kind) {
            _ if hops > MAX_HOPS => Evidence::default(),
            Some(TypeKind::Alias(target)) => evidence_of(target, defs, hops + 1),
            Some(TypeKind::Struct(_)) => struct_evidence(name, defs, hops),
            Some(TypeKind::Enum(e)) => Evidence {
                kinds: vec![JsonKind::String],
                values: Some(e.variants.iter().map(|v| v.wire_value.clone().into()).collect()),
                ..Evidence::default()
            },
            Some(TypeKind::ValueEnum(e)) => {
                let values: Vec<serde_json::Value> = e.variants.iter().map(|v| v.value.clone()).collect();
                Evidence { values: Some(values), ..Evidence::default() }
            }
            Some(TypeKind::Union(u)) => Evidence {
                kinds: vec![JsonKind::Object],
                required: vec![u.tag.clone()],
                known: None,
                property_values: vec![(
                    u.tag.clone(),
                    u.variants.iter().flat_map(|v| v.tag_values.iter().map(|t| t.clone().into())).collect(),
                )],
                ..Evidence::default()
            },
            // A nested union accepts what any of its members accepts (its fallback, which takes
            // anything, does not count: a value it would only keep raw fits it no better).
            Some(TypeKind::Untagged(u)) => Evidence {
                alternatives: u.variants.iter().map(|v| evidence_of(&v.ty, defs, hops + 1)).collect(),
                ..Evidence::default()
            },
            None => Evidence::default(),
        },
    }
}

/// A struct's evidence: an object with its required properties, the properties it keeps
/// (its own and those of flattened structs; any, when it keeps extra properties or flattens
/// something else), and the values its enum-typed properties allow.
fn struct_evidence(name: &str, defs: &BTreeMap<String, TypeDef>, hops: usize) -> Evidence {
    let mut e = Evidence { kinds: vec![JsonKind::Object], known: Some(Vec::new()), ..Evidence::default() };
    add_struct(name, defs, hops, &mut e);
    if let Some(known) = &mut e.known {
        known.sort();
        known.dedup();
    }
    e
}

fn add_struct(name: &str, defs: &BTreeMap<String, TypeDef>, hops: usize, e: &mut Evidence) {
    let Some(TypeKind::Struct(s)) = defs.get(name).map(|d| &d.kind) else {
        e.known = None;
        return;
    };
    if s.additional.is_some() {
        e.known = None;
    }
    for f in &s.fields {
        if f.flatten {
            match (&f.ty, hops < MAX_HOPS) {
                (TypeRef::Named(inner), true)
                    if matches!(defs.get(inner).map(|d| &d.kind), Some(TypeKind::Struct(_))) =>
                {
                    add_struct(inner, defs, hops + 1, e);
                }
                _ => e.known = None,
            }
            continue;
        }
        if let Some(known) = &mut e.known {
            known.push(f.wire_name.clone());
        }
        if f.required {
            e.required.push(f.wire_name.clone());
        }
        let field = evidence_of(&f.ty, defs, hops + 1);
        if let Some(mut values) = field.values {
            if f.nullable {
                values.push(serde_json::Value::Null);
            }
            e.property_values.push((f.wire_name.clone(), values));
        }
    }
}
