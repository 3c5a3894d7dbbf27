//! Lowers schemas into `TypeDef`s and `TypeRef`s: components first, then inline schemas as
//! operations and properties reach them, each inline type named after where it sits.

use crate::diagnostics::{ErrorStore, child};
use crate::ir::{
    Enum, EnumVariant, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant, Untagged, UntaggedVariant,
};
use crate::naming::{Scope, pascal, snake};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

/// Inline schemas nest at most this deep; deeper input is reported instead of recursing further.
const MAX_DEPTH: usize = 64;

/// The prefix JSON pointers use for component schemas.
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Lowers schemas, holding the type namespace and every type made so far.
pub struct Types<'a> {
    tree: &'a serde_json::Value,
    components: BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Component wire name → Rust name, assigned before anything is lowered.
    component_names: BTreeMap<String, String>,
    scope: Scope,
    /// Every type made so far, keyed by Rust name.
    pub defs: BTreeMap<String, TypeDef>,
    /// Struct Rust name → discriminator property that a union owns and the struct must not repeat.
    pub union_tags: BTreeMap<String, String>,
}

impl<'a> Types<'a> {
    /// Names every component schema (in sorted order, so names never depend on spec order).
    pub fn new(components: Option<&'a openapiv3::Components>, tree: &'a serde_json::Value) -> Self {
        let components: BTreeMap<&str, &ReferenceOr<Schema>> =
            components.map(|c| c.schemas.iter().map(|(k, v)| (k.as_str(), v)).collect()).unwrap_or_default();
        let mut scope = Scope::default();
        let component_names = components
            .keys()
            .map(|wire| ((*wire).to_owned(), scope.claim(&pascal(wire, "Type", "Schema"), "")))
            .collect();
        Types { tree, components, component_names, scope, defs: BTreeMap::new(), union_tags: BTreeMap::new() }
    }

    /// Lowers every component schema into a named type.
    pub fn lower_components(&mut self, errors: &mut ErrorStore) {
        let components: Vec<(&str, &ReferenceOr<Schema>)> = self.components.iter().map(|(k, v)| (*k, *v)).collect();
        for (wire, schema) in components {
            let pointer = child("#/components/schemas", wire);
            let name = self.component_names[wire].clone();
            let doc = match schema {
                ReferenceOr::Item(s) => doc_of(s),
                ReferenceOr::Reference { .. } => None,
            };
            let kind = match schema {
                ReferenceOr::Reference { reference } => TypeKind::Alias(self.resolve(reference, &pointer, errors)),
                ReferenceOr::Item(s) => match self.shape(s, &pointer, &name, 0, errors) {
                    Shape::Kind(kind) => kind,
                    Shape::Ref(r) => TypeKind::Alias(r),
                },
            };
            self.defs.insert(name.clone(), TypeDef { name, pointer, doc, kind });
        }
    }

    /// The type of a schema that sits inline at `pointer` (a `Schema` or openapiv3's boxed one),
    /// and whether it may be `null`; a struct, enum or union it needs is named `hint` (numbered
    /// if taken).
    pub fn lower_inline<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &str,
        hint: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => (self.resolve(reference, pointer, errors), false),
            ReferenceOr::Item(s) => {
                let s = s.borrow();
                (self.lower_item(s, pointer, hint, depth, errors), is_nullable(s))
            }
        }
    }

    fn lower_item(&mut self, s: &Schema, pointer: &str, hint: &str, depth: usize, errors: &mut ErrorStore) -> TypeRef {
        match self.shape(s, pointer, hint, depth, errors) {
            Shape::Ref(r) => r,
            Shape::Kind(kind) => {
                let name = self.scope.claim(&pascal(hint, "Type", "Schema"), "");
                let def = TypeDef { name: name.clone(), pointer: pointer.to_owned(), doc: doc_of(s), kind };
                self.defs.insert(name.clone(), def);
                TypeRef::Named(name)
            }
        }
    }

    /// Defines an untagged union of `types` named `hint` (numbered if taken).
    pub fn untagged_of(&mut self, types: Vec<TypeRef>, pointer: &str, hint: &str, doc: &str) -> TypeRef {
        let mut names = Scope::with_reserved(&["Other"]);
        let variants = types
            .into_iter()
            .map(|ty| UntaggedVariant { name: names.claim(&variant_name(&ty), ""), ty, boxed: false })
            .collect();
        let name = self.scope.claim(&pascal(hint, "Type", "Schema"), "");
        let kind = TypeKind::Untagged(Untagged { variants });
        let def = TypeDef { name: name.clone(), pointer: pointer.to_owned(), doc: Some(doc.to_owned()), kind };
        self.defs.insert(name.clone(), def);
        TypeRef::Named(name)
    }

    /// The `description` written beside a `$ref` at `pointer`, which openapiv3 does not keep.
    pub fn sibling_description(&self, pointer: &str) -> Option<String> {
        let at = format!("{}/description", pointer.trim_start_matches('#'));
        self.tree.pointer(&at).and_then(serde_json::Value::as_str).map(str::to_owned)
    }

    /// A `$ref` to a component schema.
    pub fn resolve(&self, reference: &str, pointer: &str, errors: &mut ErrorStore) -> TypeRef {
        let target = reference.strip_prefix(SCHEMA_REF_PREFIX).map(|t| t.replace("~1", "/").replace("~0", "~"));
        match target.as_deref().and_then(|t| self.component_names.get(t)) {
            Some(name) => TypeRef::Named(name.clone()),
            None if target.is_some() => {
                errors.push(pointer, format!("$ref `{reference}` points to no schema in #/components/schemas"));
                TypeRef::Json
            }
            None => {
                errors.push(
                    pointer,
                    format!("$ref `{reference}` is not supported: only local references to #/components/schemas/… are"),
                );
                TypeRef::Json
            }
        }
    }

    /// Decides what a schema is: a plain type reference, or a type that needs a name.
    fn shape(&mut self, s: &Schema, pointer: &str, name: &str, depth: usize, errors: &mut ErrorStore) -> Shape {
        if depth > MAX_DEPTH {
            errors.push(pointer, format!("schemas nest more than {MAX_DEPTH} levels deep here"));
            return Shape::Ref(TypeRef::Json);
        }
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let mut values: Vec<&str> = st.enumeration.iter().flatten().map(String::as_str).collect();
                if values.is_empty() {
                    values = known_values(s, pointer, errors).unwrap_or_default();
                }
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::Enum(enum_of(&values)));
                }
                Shape::Ref(match &st.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    _ => TypeRef::String,
                })
            }
            SchemaKind::Type(Type::Integer(it)) => Shape::Ref(match it.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(nt)) => Shape::Ref(match nt.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(at)) => {
                let items = child(pointer, "items");
                Shape::Ref(TypeRef::Vec(Box::new(match &at.items {
                    Some(item) => self.lower_inline(item, &items, &format!("{name}Item"), depth + 1, errors).0,
                    None => TypeRef::Json,
                })))
            }
            SchemaKind::Type(Type::Object(ot)) => self.object(
                &ot.properties,
                &ot.required,
                ot.additional_properties.as_ref(),
                pointer,
                name,
                depth,
                errors,
            ),
            SchemaKind::OneOf { one_of } => match &s.schema_data.discriminator {
                Some(d) => self.union(one_of, d, pointer, name, depth, errors),
                None => self.untagged(one_of, &child(pointer, "oneOf"), name, depth, errors),
            },
            SchemaKind::AnyOf { any_of } => self.untagged(any_of, &child(pointer, "anyOf"), name, depth, errors),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, &ObjectParts::default(), pointer, name, depth, errors),
            SchemaKind::Not { .. } => unsupported(pointer, "`not`", errors),
            SchemaKind::Any(any) => self.any(s, any, pointer, name, depth, errors),
        }
    }

    /// A schema whose keywords do not fit one of openapiv3's shapes: an object spelled without
    /// `type`, an object beside `allOf`, a union beside `type`, or something unsupported.
    fn any(
        &mut self,
        s: &Schema,
        any: &openapiv3::AnySchema,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        if let Some(t) = any.typ.as_deref()
            && !["object", "string", "integer", "number", "boolean", "array"].contains(&t)
        {
            errors.push(child(pointer, "type"), format!("unknown type `{t}`"));
            return Shape::Ref(TypeRef::Json);
        }
        let own = ObjectParts {
            properties: any.properties.clone(),
            required: any.required.clone(),
            additional: any.additional_properties.clone(),
        };
        let object_like = matches!(any.typ.as_deref(), None | Some("object"));
        let constraint_only = |members: &[ReferenceOr<Schema>]| members.iter().all(is_constraint_only);
        if !any.all_of.is_empty() && object_like {
            return self.all_of(&any.all_of, &own, pointer, name, depth, errors);
        }
        if any.properties.is_empty() && any.all_of.is_empty() {
            if !any.one_of.is_empty() && !constraint_only(&any.one_of) {
                return match &s.schema_data.discriminator {
                    Some(d) => self.union(&any.one_of, d, pointer, name, depth, errors),
                    None => self.untagged(&any.one_of, &child(pointer, "oneOf"), name, depth, errors),
                };
            }
            if !any.any_of.is_empty() && !constraint_only(&any.any_of) {
                return self.untagged(&any.any_of, &child(pointer, "anyOf"), name, depth, errors);
            }
        }
        // `oneOf`/`anyOf`/`not` of bare `required` lists only constrain which properties are
        // present; the type holds them all either way.
        let not_ok = any.not.as_deref().is_none_or(is_constraint_only);
        let combinators_ok =
            constraint_only(&any.one_of) && constraint_only(&any.any_of) && any.all_of.is_empty() && not_ok;
        if !combinators_ok {
            return unsupported(pointer, "this combination of schema keywords", errors);
        }
        // A plain type that carries a keyword openapiv3 does not expect there (`minItems` on a
        // string, a bound too large for its integer type, `items` without `type: array`).
        let format = any.format.as_deref();
        match any.typ.as_deref() {
            Some("integer") => Shape::Ref(if format == Some("int32") { TypeRef::I32 } else { TypeRef::I64 }),
            Some("number") => Shape::Ref(if format == Some("float") { TypeRef::F32 } else { TypeRef::F64 }),
            Some("boolean") => Shape::Ref(TypeRef::Bool),
            Some("string") => {
                let values: Vec<&str> = any.enumeration.iter().filter_map(serde_json::Value::as_str).collect();
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::Enum(enum_of(&values)));
                }
                Shape::Ref(match format {
                    Some("date") => TypeRef::Date,
                    Some("date-time") => TypeRef::DateTime,
                    _ => TypeRef::String,
                })
            }
            Some("array") | None if any.items.is_some() => {
                let items = child(pointer, "items");
                Shape::Ref(TypeRef::Vec(Box::new(match &any.items {
                    Some(item) => self.lower_inline(item, &items, &format!("{name}Item"), depth + 1, errors).0,
                    None => TypeRef::Json,
                })))
            }
            Some("array") => Shape::Ref(TypeRef::Vec(Box::new(TypeRef::Json))),
            _ if any.enumeration.is_empty() => {
                self.object(&own.properties, &own.required, own.additional.as_ref(), pointer, name, depth, errors)
            }
            _ => unsupported(pointer, "an `enum` without a `type`", errors),
        }
    }

    /// `allOf`: one member is that member's type; objects merge into one struct with every
    /// property and every `required` name of all of them; a member that is not an object (a
    /// union, say) becomes a flattened field of that struct. Members that only constrain (such
    /// as `{nullable: true}`) add nothing.
    fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: &ObjectParts,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| !is_constraint_only(m)).collect();
        if let [(i, only)] = meaningful.as_slice()
            && own.properties.is_empty()
        {
            let at = child(&child(pointer, "allOf"), &i.to_string());
            return match only {
                ReferenceOr::Reference { reference } => Shape::Ref(self.resolve(reference, &at, errors)),
                ReferenceOr::Item(item) => self.shape(item, &at, name, depth + 1, errors),
            };
        }
        let mut parts = ObjectParts::default();
        let mut flattened = Vec::new();
        for (i, member) in meaningful {
            let at = child(&child(pointer, "allOf"), &i.to_string());
            let mut seen = std::collections::BTreeSet::new();
            let mut member_parts = ObjectParts::default();
            match self.collect(member, &mut member_parts, &mut seen, 0) {
                Ok(()) => parts.merge(member_parts),
                Err(Collect::NotObject) => {
                    let hint = format!("{name}Variant{}", i + 1);
                    flattened.push(self.lower_inline(member, &at, &hint, depth + 1, errors).0);
                }
                Err(Collect::Error(message)) => errors.push(at, message),
            }
        }
        parts.merge(own.clone());
        let shape = if parts.properties.is_empty() && parts.additional.is_none() && !flattened.is_empty() {
            Shape::Kind(TypeKind::Struct(Struct { fields: Vec::new(), additional: None }))
        } else {
            self.object(&parts.properties, &parts.required, parts.additional.as_ref(), pointer, name, depth, errors)
        };
        let Shape::Kind(TypeKind::Struct(mut st)) = shape else { return shape };
        let mut names = Scope::default();
        for f in &st.fields {
            names.claim(&f.name, "_");
        }
        for ty in flattened {
            let base = match &ty {
                TypeRef::Named(n) => snake(n),
                _ => "value".to_owned(),
            };
            st.fields.push(Field {
                name: names.claim(&base, "_"),
                wire_name: String::new(),
                ty,
                required: true,
                nullable: false,
                boxed: false,
                flatten: true,
                doc: Some("Properties of the value this object extends, beside its own.".to_owned()),
            });
        }
        Shape::Kind(TypeKind::Struct(st))
    }

    /// Adds the properties of an `allOf` member (following `$ref`s and nested `allOf`s) to `parts`.
    fn collect(
        &self,
        member: &ReferenceOr<Schema>,
        parts: &mut ObjectParts,
        seen: &mut std::collections::BTreeSet<String>,
        depth: usize,
    ) -> Result<(), Collect> {
        if depth > MAX_DEPTH {
            return Err(Collect::Error(format!("`allOf` nests more than {MAX_DEPTH} levels deep")));
        }
        let schema = match member {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                let target = reference.strip_prefix(SCHEMA_REF_PREFIX).unwrap_or(reference);
                if !seen.insert(target.to_owned()) {
                    return Ok(());
                }
                let Some(next) = self.components.get(target) else {
                    return Err(Collect::Error(format!(
                        "$ref `{reference}` points to no schema in #/components/schemas"
                    )));
                };
                return self.collect(next, parts, seen, depth + 1);
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(ot)) => {
                parts.merge(ObjectParts {
                    properties: ot.properties.clone(),
                    required: ot.required.clone(),
                    additional: ot.additional_properties.clone(),
                });
                Ok(())
            }
            SchemaKind::AllOf { all_of } => all_of.iter().try_for_each(|m| self.collect(m, parts, seen, depth + 1)),
            SchemaKind::Any(any) if matches!(any.typ.as_deref(), None | Some("object")) => {
                parts.merge(ObjectParts {
                    properties: any.properties.clone(),
                    required: any.required.clone(),
                    additional: any.additional_properties.clone(),
                });
                any.all_of.iter().try_for_each(|m| self.collect(m, parts, seen, depth + 1))
            }
            _ => Err(Collect::NotObject),
        }
    }

    /// `anyOf`, or `oneOf` without a discriminator: an enum tried variant by variant. A single
    /// member is just that member's type.
    fn untagged(
        &mut self,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        if let [only] = members {
            return Shape::Ref(self.lower_inline(only, &child(pointer, "0"), name, depth + 1, errors).0);
        }
        let mut names = Scope::with_reserved(&["Other"]);
        let variants = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let hint = format!("{name}Variant{}", i + 1);
                let ty = self.lower_inline(member, &child(pointer, &i.to_string()), &hint, depth + 1, errors).0;
                UntaggedVariant { name: names.claim(&variant_name(&ty), ""), ty, boxed: false }
            })
            .collect();
        Shape::Kind(TypeKind::Untagged(Untagged { variants }))
    }

    #[allow(clippy::too_many_arguments)]
    fn object(
        &mut self,
        properties: &indexmap_like::Properties,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let extra = match additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => {
                let p = child(pointer, "additionalProperties");
                Some(self.lower_inline(schema, &p, &format!("{name}Value"), depth + 1, errors).0)
            }
        };
        if properties.is_empty() {
            // A map, or any JSON object when the spec says nothing about its values.
            return Shape::Ref(TypeRef::Map(Box::new(extra.unwrap_or(TypeRef::Json))));
        }
        let mut field_names = Scope::default();
        let props = child(pointer, "properties");
        let fields = properties
            .iter()
            .map(|(wire, schema)| {
                let p = child(&props, wire);
                let hint = format!("{name}{}", pascal(wire, "Field", "Field"));
                let (ty, nullable) = self.lower_inline(schema, &p, &hint, depth + 1, errors);
                let doc = match schema {
                    ReferenceOr::Item(s) => doc_of(s),
                    ReferenceOr::Reference { .. } => self.sibling_description(&p),
                };
                Field {
                    name: field_names.claim(&snake(wire), "_"),
                    wire_name: wire.clone(),
                    ty,
                    required: required.contains(wire),
                    nullable,
                    boxed: false,
                    flatten: false,
                    doc,
                }
            })
            .collect();
        let additional = extra.map(|ty| (field_names.claim("additional_properties", "_"), ty));
        Shape::Kind(TypeKind::Struct(Struct { fields, additional }))
    }

    fn union(
        &mut self,
        one_of: &[ReferenceOr<Schema>],
        discriminator: &openapiv3::Discriminator,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let tag = &discriminator.property_name;
        // A member whose tag cannot be known (inline, without a pinned tag value) makes the
        // discriminator unusable: the union is then told apart by shape instead.
        let untaggable = one_of.iter().any(|m| match m {
            ReferenceOr::Item(item) => pinned_tag(&ReferenceOr::Item(item.clone()), tag).is_none(),
            ReferenceOr::Reference { .. } => false,
        });
        if untaggable {
            return self.untagged(one_of, &child(pointer, "oneOf"), name, depth, errors);
        }
        // (tag value, Rust type name) in mapping order, then members the mapping does not name.
        let mut tags: Vec<(String, String)> = Vec::new();
        let mapping_pointer = child(&child(pointer, "discriminator"), "mapping");
        for (tag_value, target) in &discriminator.mapping {
            let reference =
                if target.starts_with('#') { target.clone() } else { format!("{SCHEMA_REF_PREFIX}{target}") };
            if let TypeRef::Named(type_name) = self.resolve(&reference, &child(&mapping_pointer, tag_value), errors) {
                tags.push((tag_value.clone(), type_name));
            }
        }
        for (i, member) in one_of.iter().enumerate() {
            let at = child(&child(pointer, "oneOf"), &i.to_string());
            match member {
                ReferenceOr::Reference { reference } => {
                    if discriminator.mapping.values().any(|t| t == reference || reference.ends_with(&format!("/{t}"))) {
                        continue;
                    }
                    let TypeRef::Named(type_name) = self.resolve(reference, &at, errors) else { continue };
                    let component = reference.strip_prefix(SCHEMA_REF_PREFIX).unwrap_or(reference);
                    // The value the member's own tag property pins, else (OpenAPI's rule) its name.
                    let pinned = self.components.get(component).and_then(|s| pinned_tag(s, tag));
                    tags.push((pinned.unwrap_or_else(|| component.to_owned()), type_name));
                }
                ReferenceOr::Item(item) => {
                    let Some(value) = pinned_tag(&ReferenceOr::Item(item.clone()), tag) else {
                        errors.push(
                            at,
                            format!("an inline `oneOf` member needs a `{tag}` property with a single `enum` value"),
                        );
                        continue;
                    };
                    let hint = format!("{name}{}", pascal(&value, "Value", "Variant"));
                    if let TypeRef::Named(type_name) = self.lower_item(item, &at, &hint, depth + 1, errors) {
                        tags.push((value, type_name));
                    }
                }
            }
        }
        let mut variant_names = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        let mut seen_tags = std::collections::BTreeSet::new();
        for (tag_value, type_name) in tags {
            // A tag named twice (in the mapping and by a member's pinned value) selects the first.
            if !seen_tags.insert(tag_value.clone()) {
                continue;
            }
            self.union_tags.insert(type_name.clone(), tag.clone());
            variants.push(UnionVariant {
                name: variant_names.claim(&pascal(&tag_value, "Value", "Empty"), ""),
                tag_value,
                type_name,
                boxed: false,
            });
        }
        Shape::Kind(TypeKind::Union(Union { tag: tag.clone(), variants }))
    }
}

/// The extension that names the known values of an open string: validators still accept any
/// string (the spec says it is a string), while the generated type is an open enum of them.
pub const KNOWN_VALUES: &str = "x-known-values";

/// The values of `x-known-values` on a string schema, reporting a malformed one.
fn known_values<'s>(s: &'s Schema, pointer: &str, errors: &mut ErrorStore) -> Option<Vec<&'s str>> {
    let value = s.schema_data.extensions.get(KNOWN_VALUES)?;
    let values: Option<Vec<&str>> = value.as_array().and_then(|a| a.iter().map(serde_json::Value::as_str).collect());
    if values.is_none() {
        errors.push(child(pointer, KNOWN_VALUES), format!("`{KNOWN_VALUES}` must be a list of strings"));
    }
    values
}

/// Why an `allOf` member's properties could not be gathered.
enum Collect {
    /// It is not an object (a union, a primitive): it becomes a flattened field instead.
    NotObject,
    /// It is broken (a dangling `$ref`, runaway nesting).
    Error(String),
}

/// Whether a schema may be `null`: `nullable: true` on it, or on a constraint-only `allOf`
/// member (`allOf: [$ref, {nullable: true}]`, a common 3.0 spelling of a nullable reference).
fn is_nullable(s: &Schema) -> bool {
    s.schema_data.nullable
        || match &s.schema_kind {
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .any(|m| matches!(m, ReferenceOr::Item(item) if item.schema_data.nullable && is_constraint_only(m))),
            _ => false,
        }
}

/// Properties, `required` and `additionalProperties` gathered from the members of an `allOf`.
#[derive(Debug, Clone, Default)]
struct ObjectParts {
    properties: indexmap_like::Properties,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
}

impl ObjectParts {
    /// Adds `other`: its properties (a later definition of a name replaces the earlier one, in
    /// place), its `required` names, and its `additionalProperties` when none was set.
    fn merge(&mut self, other: ObjectParts) {
        self.properties.extend(other.properties);
        for r in other.required {
            if !self.required.contains(&r) {
                self.required.push(r);
            }
        }
        if self.additional.is_none() {
            self.additional = other.additional;
        }
    }
}

/// The single value a union member's tag property is pinned to by a one-value `enum`.
fn pinned_tag(schema: &ReferenceOr<Schema>, tag: &str) -> Option<String> {
    let ReferenceOr::Item(s) = schema else { return None };
    let properties = match &s.schema_kind {
        SchemaKind::Type(Type::Object(ot)) => &ot.properties,
        SchemaKind::Any(any) => &any.properties,
        _ => return None,
    };
    match properties.get(tag)? {
        ReferenceOr::Item(p) => match &p.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => st.enumeration[0].clone(),
            _ => None,
        },
        ReferenceOr::Reference { .. } => None,
    }
}

/// A member of `oneOf`/`anyOf`/`allOf`/`not` that only constrains presence (`required` names)
/// or nullability, and so describes no type of its own.
fn is_constraint_only(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.is_none()
                    && any.properties.is_empty()
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.additional_properties.is_none()
                    && any.not.as_deref().is_none_or(is_constraint_only)
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// A variant name for an untagged union member, from its type.
fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::String => "String".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
    }
}

/// What a schema turned out to be.
enum Shape {
    /// A type that needs no definition of its own (a primitive, a `Vec`, a map, a `$ref`).
    Ref(TypeRef),
    /// A type that must be defined under a name.
    Kind(TypeKind),
}

/// The property map type openapiv3 uses, named once.
mod indexmap_like {
    pub type Properties = indexmap::IndexMap<String, openapiv3::ReferenceOr<Box<openapiv3::Schema>>>;
}

fn unsupported(pointer: &str, what: &str, errors: &mut ErrorStore) -> Shape {
    errors.push(pointer, format!("{what} is not supported by the generator yet"));
    Shape::Ref(TypeRef::Json)
}

/// An open enum of the given values, duplicates dropped, names made unique.
fn enum_of(values: &[&str]) -> Enum {
    let mut names = Scope::with_reserved(&["Unknown"]);
    let mut seen = std::collections::BTreeSet::new();
    let variants = values
        .iter()
        .filter(|v| seen.insert(**v))
        .map(|v| EnumVariant { name: names.claim(&pascal(v, "Value", "Empty"), ""), wire_value: (*v).to_owned() })
        .collect();
    Enum { variants }
}

/// Rustdoc prose of a schema: its title and description, whichever it has.
fn doc_of(s: &Schema) -> Option<String> {
    let prose = match (&s.schema_data.title, &s.schema_data.description) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    };
    // An integer enum stays an integer (a new value must not break decoding); its values are
    // documented instead.
    let values: Vec<String> = match &s.schema_kind {
        SchemaKind::Type(Type::Integer(it)) => it.enumeration.iter().flatten().map(i64::to_string).collect(),
        _ => Vec::new(),
    };
    if values.is_empty() {
        return prose;
    }
    let known = format!("Known values: {}.", values.join(", "));
    Some(match prose {
        Some(p) => format!("{p}\n\n{known}"),
        None => known,
    })
}
