//! Lowers schemas into `TypeDef`s and `TypeRef`s: components first, then inline schemas as
//! operations and properties reach them, each inline type named after where it sits.

use crate::diagnostics::{ErrorStore, child};
use crate::ir::{Enum, EnumVariant, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant};
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

    /// The type of a schema that sits inline at `pointer`; a struct, enum or union it needs is
    /// named `hint` (numbered if taken).
    pub fn lower_inline(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => (self.resolve(reference, pointer, errors), false),
            ReferenceOr::Item(s) => (self.lower_item(s, pointer, hint, depth, errors), s.schema_data.nullable),
        }
    }

    fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => (self.resolve(reference, pointer, errors), false),
            ReferenceOr::Item(s) => (self.lower_item(s, pointer, hint, depth, errors), s.schema_data.nullable),
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
                let values: Vec<&str> = st.enumeration.iter().flatten().map(String::as_str).collect();
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
                    Some(item) => self.lower_boxed(item, &items, &format!("{name}Item"), depth + 1, errors).0,
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
                Some(d) => self.union(one_of, d, pointer, errors),
                None => unsupported(pointer, "`oneOf` without a `discriminator`", errors),
            },
            SchemaKind::AllOf { .. } => unsupported(pointer, "`allOf`", errors),
            SchemaKind::AnyOf { .. } => unsupported(pointer, "`anyOf`", errors),
            SchemaKind::Not { .. } => unsupported(pointer, "`not`", errors),
            SchemaKind::Any(any) => {
                let untyped = any.typ.is_none() || any.typ.as_deref() == Some("object");
                let combinators = !any.one_of.is_empty() || !any.all_of.is_empty() || !any.any_of.is_empty();
                if untyped && !combinators && any.items.is_none() && any.enumeration.is_empty() && any.not.is_none() {
                    self.object(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        pointer,
                        name,
                        depth,
                        errors,
                    )
                } else {
                    unsupported(pointer, "this combination of schema keywords", errors)
                }
            }
        }
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
                let (ty, nullable) = self.lower_boxed(schema, &p, &hint, depth + 1, errors);
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
        errors: &mut ErrorStore,
    ) -> Shape {
        let mut tags: Vec<(String, String)> =
            discriminator.mapping.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (i, member) in one_of.iter().enumerate() {
            match member {
                ReferenceOr::Reference { reference } => {
                    if !tags.iter().any(|(_, target)| target == reference) {
                        // OpenAPI's implicit mapping: the tag is the component's name.
                        let implicit = reference.rsplit('/').next().unwrap_or(reference).to_owned();
                        tags.push((implicit, reference.clone()));
                    }
                }
                ReferenceOr::Item(_) => errors.push(
                    child(&child(pointer, "oneOf"), &i.to_string()),
                    "a discriminated `oneOf` member must be a $ref to a component schema",
                ),
            }
        }
        let mut variant_names = Scope::with_reserved(&["Unknown"]);
        let mapping_pointer = child(&child(pointer, "discriminator"), "mapping");
        let mut variants = Vec::new();
        for (tag_value, reference) in tags {
            let at = child(&mapping_pointer, &tag_value);
            let reference =
                if reference.starts_with('#') { reference } else { format!("{SCHEMA_REF_PREFIX}{reference}") };
            let TypeRef::Named(type_name) = self.resolve(&reference, &at, errors) else { continue };
            self.union_tags.insert(type_name.clone(), discriminator.property_name.clone());
            variants.push(UnionVariant {
                name: variant_names.claim(&pascal(&tag_value, "Value", "Empty"), ""),
                tag_value,
                type_name,
                boxed: false,
            });
        }
        Shape::Kind(TypeKind::Union(Union { tag: discriminator.property_name.clone(), variants }))
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
    match (&s.schema_data.title, &s.schema_data.description) {
        (Some(t), Some(d)) => Some(format!("{t}\n\n{d}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    }
}
