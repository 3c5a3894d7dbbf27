//! Whole-graph passes over the lowered types: union tags, boxing of recursive fields, and
//! alias cycles that no Rust type could express.

use crate::diagnostics::ErrorStore;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Removes from each union member struct the discriminator property that its union writes.
/// A tag property's own inline type (its one-value enum) goes with it.
pub fn strip_union_tags(defs: &mut BTreeMap<String, TypeDef>, union_tags: &BTreeMap<String, String>) {
    for (name, tag) in union_tags {
        let mut orphan = None;
        if let Some(TypeDef { kind: TypeKind::Struct(s), pointer, .. }) = defs.get_mut(name) {
            let tag_pointer = crate::diagnostics::child(&crate::diagnostics::child(pointer, "properties"), tag);
            if let Some(field) = s.fields.iter().find(|f| &f.wire_name == tag)
                && let TypeRef::Named(n) = &field.ty
            {
                orphan = Some((n.clone(), tag_pointer));
            }
            s.fields.retain(|f| &f.wire_name != tag);
        }
        if let Some((n, tag_pointer)) = orphan
            && defs.get(&n).is_some_and(|d| d.pointer == tag_pointer)
        {
            defs.remove(&n);
        }
    }
}

/// Reports aliases that lead back to themselves (`A = B`, `B = A`, or `A = Vec<A>`), which
/// would be infinite types in Rust: a `$ref` cycle with no object in between.
pub fn check_alias_cycles(defs: &BTreeMap<String, TypeDef>, errors: &mut ErrorStore) {
    for (name, def) in defs {
        let TypeKind::Alias(target) = &def.kind else { continue };
        let mut seen = BTreeSet::new();
        let mut stack = Vec::new();
        named_in(target, &mut stack);
        while let Some(next) = stack.pop() {
            if next == name.as_str() {
                errors.push(&def.pointer, "this schema refers to itself through `$ref`s with no object in between");
                break;
            }
            if !seen.insert(next) {
                continue;
            }
            if let Some(TypeDef { kind: TypeKind::Alias(t), .. }) = defs.get(next) {
                named_in(t, &mut stack);
            }
        }
    }
}

/// Marks every struct field and union variant that contains its own type without indirection
/// (only `Vec` and maps give indirection), so that it is stored in a `Box`.
pub fn box_recursive_fields(defs: &mut BTreeMap<String, TypeDef>) {
    let edges: BTreeMap<String, BTreeSet<String>> =
        defs.iter().map(|(name, def)| (name.clone(), direct_children(&def.kind))).collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut marks: Vec<(String, usize)> = Vec::new();
    for (name, def) in defs.iter() {
        match &def.kind {
            TypeKind::Struct(s) => {
                for (i, f) in s.fields.iter().enumerate() {
                    if let TypeRef::Named(t) = &f.ty
                        && reaches(t, name)
                    {
                        marks.push((name.clone(), i));
                    }
                }
            }
            TypeKind::Union(u) => {
                for (i, v) in u.variants.iter().enumerate() {
                    if reaches(&v.type_name, name) {
                        marks.push((name.clone(), i));
                    }
                }
            }
            TypeKind::Untagged(u) => {
                for (i, v) in u.variants.iter().enumerate() {
                    if let TypeRef::Named(t) = &v.ty
                        && reaches(t, name)
                    {
                        marks.push((name.clone(), i));
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
    for (name, i) in marks {
        match defs.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Struct(s)) => s.fields[i].boxed = true,
            Some(TypeKind::Union(u)) => u.variants[i].boxed = true,
            Some(TypeKind::Untagged(u)) => u.variants[i].boxed = true,
            _ => {}
        }
    }
}

/// Types a definition holds by value (not behind a `Vec` or a map).
fn direct_children(kind: &TypeKind) -> BTreeSet<String> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| v.type_name.clone()).collect(),
        TypeKind::Untagged(u) => u
            .variants
            .iter()
            .filter_map(|v| match &v.ty {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(TypeRef::Named(n)) => BTreeSet::from([n.clone()]),
        TypeKind::Alias(_) | TypeKind::Enum(_) => BTreeSet::new(),
    }
}

/// Pushes every type name mentioned anywhere in `ty`.
fn named_in<'a>(ty: &'a TypeRef, out: &mut Vec<&'a str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner, out),
        _ => {}
    }
}
