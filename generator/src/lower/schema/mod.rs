//! Lowers schemas into `TypeDef`s and `TypeRef`s: components first, then inline schemas as
//! operations and properties reach them, each inline type named after where it sits.
//!
//! This module decides what kind of thing a schema is; objects and `allOf` (`object.rs`), enums
//! (`enums.rs`) and unions (`unions.rs`) are lowered by the module named for them.

mod enums;
mod object;
mod unions;

use crate::diagnostics::{ErrorStore, child};
use crate::ir::{TypeDef, TypeKind, TypeRef, Untagged, UntaggedVariant};
use crate::naming::{Scope, pascal};
use openapiv3::{
    IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

use object::ObjectParts;

/// Inline schemas nest at most this deep; deeper input is reported instead of recursing further.
const MAX_DEPTH: usize = 64;

/// The prefix JSON pointers use for component schemas.
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Lowers schemas, holding the type namespace and every type made so far.
pub struct Types<'a> {
    /// The plain tree, which `generate` cuts down to what lowering reads (`prune.rs`): a new
    /// kind of read from it must be kept there too.
    tree: &'a serde_json::Value,
    components: BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Component wire name → Rust name, assigned before anything is lowered.
    component_names: BTreeMap<String, String>,
    /// Component wire name → the components that extend it through `allOf` (for a discriminator
    /// on a parent schema: its children are the union's members).
    children: BTreeMap<String, Vec<String>>,
    scope: Scope,
    /// Every type made so far, keyed by Rust name.
    pub defs: BTreeMap<String, TypeDef>,
    /// Places where a shape could not be typed and became raw JSON, for the summary.
    pub untyped: Vec<String>,
    /// Schema pointer → the type it became and whether it may be `null`, for every schema
    /// lowered (the first lowering of a shared schema wins), so spec examples can be related to
    /// types (`inspect`).
    pub at: BTreeMap<String, (TypeRef, bool)>,
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
        let children = object::children_by_parent(&components);
        Types {
            tree,
            components,
            component_names,
            children,
            scope,
            defs: BTreeMap::new(),
            untyped: Vec::new(),
            at: BTreeMap::new(),
        }
    }

    /// Lowers every component schema into a named type.
    pub fn lower_components(&mut self, errors: &mut ErrorStore) {
        let components: Vec<(&str, &ReferenceOr<Schema>)> = self.components.iter().map(|(k, v)| (*k, *v)).collect();
        for (wire, schema) in components {
            let pointer = child("#/components/schemas", wire);
            let name = self.component_names[wire].clone();
            let (doc, nullable) = match schema {
                ReferenceOr::Item(s) => (doc_of(s), is_nullable(s)),
                ReferenceOr::Reference { .. } => (None, false),
            };
            let kind = match schema {
                ReferenceOr::Reference { reference } => TypeKind::Alias(self.resolve(reference, &pointer, errors)),
                ReferenceOr::Item(s) => match self.parent_union(wire, s, &pointer, &name, errors) {
                    Some(kind) => kind,
                    None => match self.shape(s, &pointer, &name, 0, errors) {
                        Shape::Kind(kind) => kind,
                        Shape::Ref(r) => TypeKind::Alias(r),
                    },
                },
            };
            self.at.entry(pointer.clone()).or_insert((TypeRef::Named(name.clone()), nullable));
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
        let lowered = match schema {
            ReferenceOr::Reference { reference } => (self.resolve(reference, pointer, errors), false),
            ReferenceOr::Item(s) => {
                let s = s.borrow();
                (self.lower_item(s, pointer, hint, depth, errors), is_nullable(s))
            }
        };
        self.at.entry(pointer.to_owned()).or_insert_with(|| lowered.clone());
        lowered
    }

    fn lower_item(&mut self, s: &Schema, pointer: &str, hint: &str, depth: usize, errors: &mut ErrorStore) -> TypeRef {
        match self.shape(s, pointer, hint, depth, errors) {
            Shape::Ref(r) => r,
            Shape::Kind(kind) => self.define(kind, pointer, hint, doc_of(s)),
        }
    }

    /// Defines a type named `hint` (numbered if taken).
    fn define(&mut self, kind: TypeKind, pointer: &str, hint: &str, doc: Option<String>) -> TypeRef {
        let name = self.scope.claim(&pascal(hint, "Type", "Schema"), "");
        let def = TypeDef { name: name.clone(), pointer: pointer.to_owned(), doc, kind };
        self.defs.insert(name.clone(), def);
        TypeRef::Named(name)
    }

    /// Defines an untagged union of `types` (each with the pointer of its schema) named `hint`
    /// (numbered if taken), chosen between by evidence like any union without a tag.
    pub fn untagged_of(&mut self, types: Vec<(TypeRef, String)>, pointer: &str, hint: &str, doc: &str) -> TypeRef {
        let mut names = Scope::default();
        let variants: Vec<UntaggedVariant> = types
            .into_iter()
            .map(|(ty, member)| UntaggedVariant {
                name: names.claim(&unions::type_variant_name(&ty), ""),
                ty,
                boxed: false,
                pointer: member,
                evidence: Default::default(),
            })
            .collect();
        let fallback = names.claim("Other", "");
        self.define(TypeKind::Untagged(Untagged { variants, fallback }), pointer, hint, Some(doc.to_owned()))
    }

    /// The `description` written beside a `$ref` at `pointer`, which openapiv3 does not keep.
    pub fn sibling_description(&self, pointer: &str) -> Option<String> {
        let at = format!("{}/description", pointer.trim_start_matches('#'));
        self.tree.pointer(&at).and_then(serde_json::Value::as_str).map(str::to_owned)
    }

    /// The document's own value at `pointer`, for what openapiv3 reads with a default in place
    /// of "not said" (an encoding's `explode`).
    pub fn raw(&self, pointer: &str) -> Option<&serde_json::Value> {
        self.tree.pointer(pointer.trim_start_matches('#'))
    }

    /// A `$ref` to a component schema.
    pub fn resolve(&self, reference: &str, pointer: &str, errors: &mut ErrorStore) -> TypeRef {
        let target = schema_ref_target(reference);
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

    /// The component schema a `$ref` names, if it is a local schema reference.
    fn component(&self, reference: &str) -> Option<(&'a str, &'a ReferenceOr<Schema>)> {
        let target = schema_ref_target(reference)?;
        self.components.get_key_value(target.as_str()).map(|(k, v)| (*k, *v))
    }

    /// Records that the shape at `pointer` could not be typed and is raw JSON.
    fn untyped(&mut self, pointer: &str, what: &str) -> Shape {
        self.untyped.push(format!("{pointer}: {what}, kept as raw JSON"));
        Shape::Ref(TypeRef::Json)
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
                    values = enums::known_values(s, pointer, errors).unwrap_or_default();
                }
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::Enum(enums::string_enum(&values)));
                }
                Shape::Ref(string_type(match &st.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
                    _ => None,
                }))
            }
            SchemaKind::Type(Type::Integer(it)) => {
                let values: Vec<serde_json::Value> = it.enumeration.iter().flatten().map(|i| (*i).into()).collect();
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::ValueEnum(enums::value_enum(&values)));
                }
                Shape::Ref(match it.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                })
            }
            SchemaKind::Type(Type::Number(nt)) => {
                let values: Vec<serde_json::Value> = nt.enumeration.iter().flatten().map(|f| (*f).into()).collect();
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::ValueEnum(enums::value_enum(&values)));
                }
                Shape::Ref(match nt.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                    _ => TypeRef::F64,
                })
            }
            SchemaKind::Type(Type::Boolean(bt)) => {
                let values: Vec<serde_json::Value> = bt.enumeration.iter().flatten().map(|b| (*b).into()).collect();
                if !values.is_empty() {
                    return Shape::Kind(TypeKind::ValueEnum(enums::value_enum(&values)));
                }
                Shape::Ref(TypeRef::Bool)
            }
            SchemaKind::Type(Type::Array(at)) => {
                Shape::Ref(self.array(at.items.as_ref(), pointer, name, depth, errors))
            }
            SchemaKind::Type(Type::Object(ot)) => {
                let own = ObjectParts::of(&ot.properties, &ot.required, ot.additional_properties.as_ref(), pointer);
                self.object(&own, pointer, name, depth, errors)
            }
            SchemaKind::OneOf { one_of } => self.union_of(one_of, "oneOf", s, pointer, name, depth, errors),
            SchemaKind::AnyOf { any_of } => self.union_of(any_of, "anyOf", s, pointer, name, depth, errors),
            SchemaKind::AllOf { all_of } => {
                self.all_of(all_of, &[], &ObjectParts::default(), pointer, name, depth, errors)
            }
            // `not` only narrows what is accepted: everything else still fits.
            SchemaKind::Not { .. } => Shape::Ref(TypeRef::Json),
            SchemaKind::Any(any) => self.any(s, any, pointer, name, depth, errors),
        }
    }

    /// A list of `items` (any JSON when the spec does not say).
    fn array<S: std::borrow::Borrow<Schema>>(
        &mut self,
        items: Option<&ReferenceOr<S>>,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> TypeRef {
        let at = child(pointer, "items");
        TypeRef::Vec(Box::new(match items {
            Some(item) => {
                let (ty, nullable) = self.lower_inline(item, &at, &format!("{name}Item"), depth + 1, errors);
                // A list that may hold `null`s keeps them as `None`.
                or_null(ty, nullable)
            }
            None => TypeRef::Json,
        }))
    }

    /// A `oneOf`/`anyOf` (members that only constrain presence or nullability are ignored).
    #[allow(clippy::too_many_arguments)]
    fn union_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        s: &Schema,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| !is_constraint_only(m) && !is_null_member(m)).collect();
        if meaningful.is_empty() {
            return Shape::Ref(TypeRef::Json);
        }
        let at = child(pointer, keyword);
        match &s.schema_data.discriminator {
            Some(d) => self.union(&meaningful, d, pointer, &at, name, depth, errors),
            None => self.untagged(&meaningful, &at, name, depth, errors),
        }
    }

    /// A schema whose keywords do not fit one of openapiv3's shapes: an object spelled without
    /// `type`, an object beside `allOf`, a union beside `type` or properties, an enum without a
    /// type, `type: "null"`.
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
            && !["object", "string", "integer", "number", "boolean", "array", "null"].contains(&t)
        {
            errors.push(child(pointer, "type"), format!("unknown type `{t}`"));
            return Shape::Ref(TypeRef::Json);
        }
        if !any.enumeration.is_empty() {
            return self.enum_without_type(any, pointer);
        }
        if any.typ.as_deref() == Some("null") {
            return Shape::Ref(TypeRef::Null);
        }
        let own = ObjectParts::of(&any.properties, &any.required, any.additional_properties.as_ref(), pointer);
        let meaningful = |members: &[ReferenceOr<Schema>]| members.iter().any(|m| !is_constraint_only(m));
        // Unions beside properties or `allOf` are one more part of the object: their members'
        // properties sit beside the others, so they are flattened in like a non-object `allOf`.
        let mut extra: Vec<(&str, &[ReferenceOr<Schema>])> = Vec::new();
        if meaningful(&any.one_of) {
            extra.push(("oneOf", &any.one_of));
        }
        if meaningful(&any.any_of) {
            extra.push(("anyOf", &any.any_of));
        }
        let has_all_of = any.all_of.iter().any(|m| !is_constraint_only(m));
        if has_all_of || (!extra.is_empty() && (!any.properties.is_empty() || extra.len() > 1)) {
            return self.all_of(&any.all_of, &extra, &own, pointer, name, depth, errors);
        }
        if let [(keyword, members)] = extra.as_slice() {
            return self.union_of(members, keyword, s, pointer, name, depth, errors);
        }
        // A plain type that carries a keyword openapiv3 does not expect there (`minItems` on a
        // string, a bound too large for its integer type, `items` without `type: array`).
        let format = any.format.as_deref();
        match any.typ.as_deref() {
            Some("integer") => Shape::Ref(if format == Some("int32") { TypeRef::I32 } else { TypeRef::I64 }),
            Some("number") => Shape::Ref(if format == Some("float") { TypeRef::F32 } else { TypeRef::F64 }),
            Some("boolean") => Shape::Ref(TypeRef::Bool),
            Some("string") => Shape::Ref(string_type(format)),
            Some("array") | None if any.items.is_some() => {
                Shape::Ref(self.array(any.items.as_ref(), pointer, name, depth, errors))
            }
            Some("array") => Shape::Ref(TypeRef::Vec(Box::new(TypeRef::Json))),
            // `{}` (or only constraints): any JSON value at all.
            None if own.properties.is_empty() && own.additional.is_none() => Shape::Ref(TypeRef::Json),
            _ => self.object(&own, pointer, name, depth, errors),
        }
    }

    /// An `enum` on a schema openapiv3 did not type: strings become an open string enum, other
    /// or mixed values an open enum of JSON values.
    fn enum_without_type(&mut self, any: &openapiv3::AnySchema, pointer: &str) -> Shape {
        let values: Vec<&serde_json::Value> = any.enumeration.iter().filter(|v| !v.is_null()).collect();
        if values.is_empty() {
            return Shape::Ref(TypeRef::Null);
        }
        if let Some(strings) = values.iter().map(|v| v.as_str()).collect::<Option<Vec<&str>>>() {
            return Shape::Kind(TypeKind::Enum(enums::string_enum(&strings)));
        }
        if values.iter().any(|v| v.is_object() || v.is_array()) {
            return self.untyped(pointer, "an `enum` of objects or arrays");
        }
        let owned: Vec<serde_json::Value> = values.into_iter().cloned().collect();
        Shape::Kind(TypeKind::ValueEnum(enums::value_enum(&owned)))
    }
}

/// The component name a `#/components/schemas/…` reference names (its pointer token unescaped).
fn schema_ref_target(reference: &str) -> Option<String> {
    reference.strip_prefix(SCHEMA_REF_PREFIX).map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// The type of a string with a `format`: dates and date-times are typed (and kept as sent).
fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date") => TypeRef::Date,
        Some("date-time") => TypeRef::DateTime,
        _ => TypeRef::String,
    }
}

/// The type of a list item or map value that may be `null` (raw JSON holds `null` already).
fn or_null(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Json | TypeRef::Null | TypeRef::OrNull(_) => ty,
        _ if nullable => TypeRef::OrNull(Box::new(ty)),
        _ => ty,
    }
}

/// Whether a schema may be `null`: `nullable: true` on it, or on a constraint-only `allOf`
/// member (`allOf: [$ref, {nullable: true}]`, a common 3.0 spelling of a nullable reference),
/// or a `{type: "null"}`/`{enum: [null]}` member of its `oneOf`/`anyOf`.
fn is_nullable(s: &Schema) -> bool {
    let null_member = |members: &[ReferenceOr<Schema>]| members.iter().any(is_null_member);
    s.schema_data.nullable
        || match &s.schema_kind {
            SchemaKind::AllOf { all_of } => all_of
                .iter()
                .any(|m| matches!(m, ReferenceOr::Item(item) if item.schema_data.nullable && is_constraint_only(m))),
            SchemaKind::OneOf { one_of } => null_member(one_of),
            SchemaKind::AnyOf { any_of } => null_member(any_of),
            SchemaKind::Type(Type::String(st)) => st.enumeration.iter().any(Option::is_none),
            SchemaKind::Any(any) => {
                null_member(&any.one_of) || null_member(&any.any_of) || any.enumeration.iter().any(|v| v.is_null())
            }
            _ => false,
        }
}

/// A union member that is `null` itself (`{type: "null"}`, `{enum: [null]}`).
fn is_null_member(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(any) => {
                any.properties.is_empty()
                    && (any.typ.as_deref() == Some("null")
                        || (!any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_null())))
            }
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
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

/// What a schema turned out to be.
enum Shape {
    /// A type that needs no definition of its own (a primitive, a `Vec`, a map, a `$ref`).
    Ref(TypeRef),
    /// A type that must be defined under a name.
    Kind(TypeKind),
}

/// Rustdoc prose of a schema: its title and description, whichever it has, and its default.
fn doc_of(s: &Schema) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(t) = s.schema_data.title.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(t.to_owned());
    }
    if let Some(d) = s.schema_data.description.as_deref().filter(|d| !d.trim().is_empty()) {
        parts.push(d.to_owned());
    }
    if let Some(default) = &s.schema_data.default {
        parts.push(format!("Default: `{default}`."));
    }
    if s.schema_data.read_only {
        parts.push("Set by the server: leave it out of requests.".to_owned());
    }
    if s.schema_data.write_only {
        parts.push("Sent in requests only: answers leave it out.".to_owned());
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}
