//! Unions: `oneOf`/`anyOf` become a union told apart by a tag when there is one (the spec's
//! discriminator, or an implicit one: a property every member declares with disjoint
//! `enum`/`const` values), and a union chosen by evidence when there is none. A discriminator on
//! a parent schema that others extend with `allOf` makes the parent a union of its children.

use super::object::ObjectParts;
use super::{SCHEMA_REF_PREFIX, Shape, Types};
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{TypeKind, TypeRef, Union, UnionVariant, Untagged, UntaggedVariant};
use crate::naming::{Scope, pascal};
use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

/// Members of a union with their index in the spec's list.
type Members<'m> = [(usize, &'m ReferenceOr<Schema>)];

impl Types<'_> {
    /// A union with a declared discriminator. Members are `$ref`s (their tag value comes from
    /// the mapping, the member's own one-value `enum`, or its component name, in that order) or
    /// inline schemas that pin their tag. When a member's tag cannot be known, the discriminator
    /// cannot be trusted and the union is chosen by evidence instead.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn union(
        &mut self,
        members: &Members<'_>,
        discriminator: &Discriminator,
        schema_pointer: &str,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let tag = &discriminator.property_name;
        let untaggable = members.iter().any(|(i, m)| match m {
            ReferenceOr::Item(_) => self.tag_values(m, &child(pointer, &i.to_string()), tag).len() != 1,
            ReferenceOr::Reference { .. } => false,
        });
        if untaggable {
            return self.untagged(members, pointer, name, depth, errors);
        }
        // (tag value, Rust type name) in mapping order, then members the mapping does not name.
        let mut tags: Vec<(String, String)> = Vec::new();
        let mapping_pointer = child(&child(schema_pointer, "discriminator"), "mapping");
        for (tag_value, target) in &discriminator.mapping {
            let reference =
                if target.starts_with('#') { target.clone() } else { format!("{SCHEMA_REF_PREFIX}{target}") };
            let at = child(&mapping_pointer, tag_value);
            if let TypeRef::Named(type_name) = self.resolve(&reference, &at, errors) {
                tags.push((tag_value.clone(), type_name));
            }
        }
        for (i, member) in members {
            let at = child(pointer, &i.to_string());
            match member {
                ReferenceOr::Reference { reference } => {
                    if discriminator.mapping.values().any(|t| t == reference || reference.ends_with(&format!("/{t}"))) {
                        continue;
                    }
                    let TypeRef::Named(type_name) = self.resolve(reference, &at, errors) else { continue };
                    let component = reference.strip_prefix(SCHEMA_REF_PREFIX).unwrap_or(reference);
                    let pinned = self.tag_values(member, &at, tag);
                    let value = match pinned.as_slice() {
                        [only] => only.clone(),
                        _ => component.to_owned(),
                    };
                    tags.push((value, type_name));
                }
                ReferenceOr::Item(item) => {
                    let values = self.tag_values(member, &at, tag);
                    let hint = format!("{name}{}", pascal(&values[0], "Value", "Variant"));
                    if let TypeRef::Named(type_name) = self.lower_item(item, &at, &hint, depth + 1, errors) {
                        tags.push((values[0].clone(), type_name));
                    }
                }
            }
        }
        // One variant per member type, named after its first tag; a type named by several tags
        // is selected by each of them.
        let mut variant_names = Scope::with_reserved(&["Unknown"]);
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut seen_tags = BTreeSet::new();
        for (tag_value, type_name) in tags {
            if !seen_tags.insert(tag_value.clone()) {
                continue;
            }
            match variants.iter_mut().find(|v| v.type_name == type_name) {
                Some(v) => v.tag_values.push(tag_value),
                None => variants.push(UnionVariant {
                    name: variant_names.claim(&pascal(&tag_value, "Value", "Empty"), ""),
                    tag_values: vec![tag_value],
                    type_name,
                    boxed: false,
                    tag_field: None,
                }),
            }
        }
        Shape::Kind(TypeKind::Union(Union { tag: tag.clone(), declared: true, variants }))
    }

    /// A `oneOf`/`anyOf` without a usable discriminator: by an implicit tag when the members
    /// have one, otherwise by evidence. A single member is just that member's type.
    pub(super) fn untagged(
        &mut self,
        members: &Members<'_>,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        if let [(i, only)] = members {
            return Shape::Ref(self.lower_inline(*only, &child(pointer, &i.to_string()), name, depth + 1, errors).0);
        }
        if let Some((tag, values)) = self.implicit_tag(members, pointer) {
            return self.implicit_union(members, &tag, values, pointer, name, depth, errors);
        }
        let mut names = Scope::default();
        let mut variants = Vec::new();
        for (i, member) in members {
            let at = child(pointer, &i.to_string());
            let hint = match member_title(member) {
                Some(title) => format!("{name}{}", pascal(title, "Value", "Variant")),
                None => format!("{name}Variant{}", i + 1),
            };
            let (ty, nullable) = self.lower_inline(*member, &at, &hint, depth + 1, errors);
            let ty = super::or_null(ty, nullable);
            let member_pointer = match member {
                ReferenceOr::Reference { reference } => reference.clone(),
                ReferenceOr::Item(_) => at.clone(),
            };
            variants.push(UntaggedVariant {
                name: names.claim(&type_variant_name(&ty), ""),
                ty,
                boxed: false,
                pointer: member_pointer,
                evidence: Default::default(),
            });
        }
        let fallback = names.claim("Other", "");
        Shape::Kind(TypeKind::Untagged(Untagged { variants, fallback }))
    }

    /// A union whose members all declare `tag` with disjoint values (`values[i]` for member i).
    #[allow(clippy::too_many_arguments)]
    fn implicit_union(
        &mut self,
        members: &Members<'_>,
        tag: &str,
        values: Vec<Vec<String>>,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let mut names = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        for ((i, member), tag_values) in members.iter().zip(values) {
            let at = child(pointer, &i.to_string());
            let hint = format!("{name}{}", pascal(&tag_values[0], "Value", "Variant"));
            let ty = self.lower_inline(*member, &at, &hint, depth + 1, errors).0;
            let TypeRef::Named(type_name) = ty else { continue };
            // A member named in components keeps its name; an inline one is named by its tag.
            let variant = match member {
                ReferenceOr::Reference { .. } => type_name.clone(),
                ReferenceOr::Item(_) => pascal(&tag_values[0], "Value", "Empty"),
            };
            variants.push(UnionVariant {
                name: names.claim(&variant, ""),
                tag_values,
                type_name,
                boxed: false,
                tag_field: None,
            });
        }
        Shape::Kind(TypeKind::Union(Union { tag: tag.to_owned(), declared: false, variants }))
    }

    /// The implicit tag of a union's members: the first property (in the first member's order)
    /// that every member declares with an `enum`/`const` of strings, no value shared between
    /// two members. Returns it with each member's values. `pointer` is the `oneOf`/`anyOf` list's.
    fn implicit_tag(&self, members: &Members<'_>, pointer: &str) -> Option<(String, Vec<Vec<String>>)> {
        let parts: Vec<ObjectParts> = members
            .iter()
            .map(|(i, m)| {
                let mut parts = ObjectParts::default();
                let at = child(pointer, &i.to_string());
                self.collect(m, &at, &mut parts, &mut BTreeSet::new(), 0).ok().map(|()| parts)
            })
            .collect::<Option<_>>()?;
        let first = parts.first()?;
        'candidates: for property in first.properties.keys() {
            let mut all: Vec<Vec<String>> = Vec::new();
            let mut seen = BTreeSet::new();
            for p in &parts {
                let values = p.properties.get(property).map(|s| self.string_values(s)).unwrap_or_default();
                if values.is_empty() || values.iter().any(|v| !seen.insert(v.clone())) {
                    continue 'candidates;
                }
                all.push(values);
            }
            return Some((property.clone(), all));
        }
        None
    }

    /// The string values a property schema allows, following one `$ref` (an `enum` of strings,
    /// or a `const`, which 3.1 normalisation turned into a one-value `enum`).
    fn string_values<S: std::borrow::Borrow<Schema>>(&self, schema: &ReferenceOr<S>) -> Vec<String> {
        let s: &Schema = match schema {
            ReferenceOr::Item(s) => s.borrow(),
            ReferenceOr::Reference { reference } => match self.component(reference) {
                Some((_, ReferenceOr::Item(s))) => s,
                _ => return Vec::new(),
            },
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => st.enumeration.iter().flatten().cloned().collect(),
            SchemaKind::Any(any) => any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        }
    }

    /// The values the union member at `at` pins its tag property to (following `$ref` and
    /// `allOf`).
    fn tag_values(&self, member: &ReferenceOr<Schema>, at: &str, tag: &str) -> Vec<String> {
        let mut parts = ObjectParts::default();
        if self.collect(member, at, &mut parts, &mut BTreeSet::new(), 0).is_err() {
            return Vec::new();
        }
        parts.properties.get(tag).map(|s| self.string_values(s)).unwrap_or_default()
    }

    /// A component with a discriminator and no `oneOf`/`anyOf`, that other components extend
    /// through `allOf`: a union of those children, told apart by the discriminator (OpenAPI's
    /// inheritance). `None` when the component is not such a parent.
    pub(super) fn parent_union(
        &mut self,
        wire: &str,
        s: &Schema,
        pointer: &str,
        name: &str,
        errors: &mut ErrorStore,
    ) -> Option<TypeKind> {
        let discriminator = s.schema_data.discriminator.as_ref()?;
        let has_union = match &s.schema_kind {
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(any) => !any.one_of.is_empty() || !any.any_of.is_empty(),
            _ => false,
        };
        let children = self.children.get(wire).filter(|c| !c.is_empty())?.clone();
        if has_union {
            return None;
        }
        let members: Vec<ReferenceOr<Schema>> = children
            .iter()
            .map(|c| ReferenceOr::Reference { reference: format!("{SCHEMA_REF_PREFIX}{}", escape(c)) })
            .collect();
        let indexed: Vec<(usize, &ReferenceOr<Schema>)> = members.iter().enumerate().collect();
        match self.union(&indexed, discriminator, pointer, pointer, name, 0, errors) {
            Shape::Kind(kind) => Some(kind),
            Shape::Ref(_) => None,
        }
    }
}

/// A JSON pointer token for a component name.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The `title` of an inline member, which names its variant better than its position.
fn member_title(member: &ReferenceOr<Schema>) -> Option<&str> {
    match member {
        ReferenceOr::Item(s) => s.schema_data.title.as_deref().filter(|t| t.chars().any(|c| c.is_ascii_alphanumeric())),
        ReferenceOr::Reference { .. } => None,
    }
}

/// A variant name for a union member, from its type.
pub fn type_variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "String".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Null => "Null".into(),
        TypeRef::OrNull(inner) => type_variant_name(inner),
        TypeRef::Vec(inner) => format!("{}List", type_variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", type_variant_name(inner)),
    }
}
