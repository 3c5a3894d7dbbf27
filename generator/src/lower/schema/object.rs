//! Objects and `allOf`: properties become fields (wire names kept, Rust names unique), `allOf`
//! members merge into one struct, and members that are not objects (unions, primitives) become
//! flattened fields beside the merged properties.

use super::{MAX_DEPTH, Shape, Types, doc_of, is_constraint_only, or_null};
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{Field, Struct, TypeKind, TypeRef};
use crate::naming::{Scope, pascal, snake};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};

/// The property map type openapiv3 uses, named once.
pub type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Properties, `required` and `additionalProperties` gathered from an object or the members of
/// an `allOf`, each with the pointer of the schema it came from.
#[derive(Debug, Clone, Default)]
pub struct ObjectParts {
    pub properties: Properties,
    pub required: Vec<String>,
    pub additional: Option<AdditionalProperties>,
    /// Where each property's schema sits in the document, by wire name. A property merged in
    /// from another schema (an `allOf` member, a `$ref`) keeps its own place, so its types,
    /// errors and examples point at the schema the spec wrote, not at the object it landed in.
    pub origins: BTreeMap<String, String>,
    /// Where `additionalProperties` sits, when set.
    pub additional_origin: Option<String>,
}

impl ObjectParts {
    /// The parts of the object schema at `at`.
    pub fn of(
        properties: &Properties,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &str,
    ) -> Self {
        let props = child(at, "properties");
        ObjectParts {
            properties: properties.clone(),
            required: required.to_vec(),
            additional: additional.cloned(),
            origins: properties.keys().map(|wire| (wire.clone(), child(&props, wire))).collect(),
            additional_origin: additional.map(|_| child(at, "additionalProperties")),
        }
    }

    /// Adds `other`: its properties (a later definition of a name replaces the earlier one, in
    /// place), its `required` names, and its `additionalProperties` when none was set.
    pub fn merge(&mut self, other: ObjectParts) {
        self.properties.extend(other.properties);
        self.origins.extend(other.origins);
        for r in other.required {
            if !self.required.contains(&r) {
                self.required.push(r);
            }
        }
        if self.additional.is_none() {
            self.additional = other.additional;
            self.additional_origin = other.additional_origin;
        }
    }
}

/// Why an `allOf` member's properties could not be gathered.
pub enum Collect {
    /// It is not an object (a union, a primitive): it becomes a flattened field instead.
    NotObject,
    /// It is broken (a dangling `$ref`, runaway nesting).
    Error(String),
}

/// The unions written beside `allOf` or properties (`oneOf`, `anyOf`), by keyword.
pub type BesideUnions<'s> = [(&'s str, &'s [ReferenceOr<Schema>])];

/// For every component schema, the components that extend it (`allOf: [$ref: Parent, …]`).
pub fn children_by_parent(components: &BTreeMap<&str, &ReferenceOr<Schema>>) -> BTreeMap<String, Vec<String>> {
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, schema) in components {
        let ReferenceOr::Item(s) = schema else { continue };
        let all_of = match &s.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) => &any.all_of,
            _ => continue,
        };
        for member in all_of {
            if let ReferenceOr::Reference { reference } = member
                && let Some(parent) = super::schema_ref_target(reference)
            {
                children.entry(parent).or_default().push((*name).to_owned());
            }
        }
    }
    children
}

impl Types<'_> {
    /// `allOf` (with any union written beside it): one member is that member's type; objects
    /// merge into one struct with every property and every `required` name of all of them; a
    /// member that is not an object (a union, say) becomes a flattened field of that struct.
    /// Members that only constrain (such as `{nullable: true}`) add nothing.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        beside: &BesideUnions<'_>,
        own: &ObjectParts,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, m)| !is_constraint_only(m)).collect();
        // Members that only annotate or constrain (`allOf: [{}, {description: …}]`) describe no
        // type: with nothing else beside them, the value may be any JSON.
        if meaningful.is_empty() && beside.is_empty() && own.properties.is_empty() && own.additional.is_none() {
            return Shape::Ref(TypeRef::Json);
        }
        if let [(i, only)] = meaningful.as_slice()
            && own.properties.is_empty()
            && beside.is_empty()
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
            let mut seen = BTreeSet::new();
            let mut member_parts = ObjectParts::default();
            match self.collect(member, &at, &mut member_parts, &mut seen, 0) {
                Ok(()) => parts.merge(member_parts),
                Err(Collect::NotObject) => {
                    let hint = format!("{name}Part{}", i + 1);
                    flattened.push(self.lower_inline(member, &at, &hint, depth + 1, errors).0);
                }
                Err(Collect::Error(message)) => errors.push(at, message),
            }
        }
        for (keyword, union_members) in beside {
            let at = child(pointer, keyword);
            let meaningful: Vec<(usize, &ReferenceOr<Schema>)> =
                union_members.iter().enumerate().filter(|(_, m)| !is_constraint_only(m)).collect();
            let hint = format!("{name}{}", pascal(keyword, "Union", "Union"));
            let shape = self.untagged(&meaningful, &at, &hint, depth + 1, errors);
            flattened.push(match shape {
                Shape::Ref(r) => r,
                Shape::Kind(kind) => self.define(kind, &at, &hint, None),
            });
        }
        parts.merge(own.clone());
        let shape = if parts.properties.is_empty() && parts.additional.is_none() && !flattened.is_empty() {
            Shape::Kind(TypeKind::Struct(Struct { fields: Vec::new(), additional: None }))
        } else {
            self.object(&parts, pointer, name, depth, errors)
        };
        let Shape::Kind(TypeKind::Struct(mut st)) = shape else { return shape };
        let mut names = Scope::default();
        for f in &st.fields {
            names.claim(&f.name, "_");
        }
        for ty in flattened {
            // Flattening needs an object on both sides: a primitive member constrains only.
            if !matches!(ty, TypeRef::Named(_)) {
                continue;
            }
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
                pinned: None,
                doc: Some("Properties of the value this object extends, beside its own.".to_owned()),
            });
        }
        Shape::Kind(TypeKind::Struct(st))
    }

    /// Adds the properties of an `allOf` member at `at` (following `$ref`s and nested `allOf`s)
    /// to `parts`.
    pub(super) fn collect(
        &self,
        member: &ReferenceOr<Schema>,
        at: &str,
        parts: &mut ObjectParts,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), Collect> {
        if depth > MAX_DEPTH {
            return Err(Collect::Error(format!("`allOf` nests more than {MAX_DEPTH} levels deep")));
        }
        let schema = match member {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                if !seen.insert(reference.clone()) {
                    return Ok(());
                }
                let Some((_, next)) = self.component(reference) else {
                    return Err(Collect::Error(format!(
                        "$ref `{reference}` points to no schema in #/components/schemas"
                    )));
                };
                return self.collect(next, reference, parts, seen, depth + 1);
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(ot)) => {
                parts.merge(ObjectParts::of(&ot.properties, &ot.required, ot.additional_properties.as_ref(), at));
                Ok(())
            }
            SchemaKind::AllOf { all_of } => self.collect_all(all_of, at, parts, seen, depth),
            SchemaKind::Any(any)
                if matches!(any.typ.as_deref(), None | Some("object"))
                    && any.one_of.iter().all(is_constraint_only)
                    && any.any_of.iter().all(is_constraint_only)
                    && any.enumeration.is_empty() =>
            {
                parts.merge(ObjectParts::of(&any.properties, &any.required, any.additional_properties.as_ref(), at));
                self.collect_all(&any.all_of, at, parts, seen, depth)
            }
            _ => Err(Collect::NotObject),
        }
    }

    /// [`Self::collect`] for each member of the `allOf` of the schema at `at`.
    fn collect_all(
        &self,
        all_of: &[ReferenceOr<Schema>],
        at: &str,
        parts: &mut ObjectParts,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<(), Collect> {
        let members = child(at, "allOf");
        all_of
            .iter()
            .enumerate()
            .try_for_each(|(i, m)| self.collect(m, &child(&members, &i.to_string()), parts, seen, depth + 1))
    }

    /// An object: a struct of its properties, or a map when it names none.
    pub(super) fn object(
        &mut self,
        parts: &ObjectParts,
        pointer: &str,
        name: &str,
        depth: usize,
        errors: &mut ErrorStore,
    ) -> Shape {
        let extra = match &parts.additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => {
                let p = parts.additional_origin.clone().unwrap_or_else(|| child(pointer, "additionalProperties"));
                let (ty, nullable) = self.lower_inline(schema, &p, &format!("{name}Value"), depth + 1, errors);
                Some(or_null(ty, nullable))
            }
        };
        if parts.properties.is_empty() {
            // A map, or any JSON object when the spec says nothing about its values.
            return Shape::Ref(TypeRef::Map(Box::new(extra.unwrap_or(TypeRef::Json))));
        }
        let mut field_names = Scope::default();
        let props = child(pointer, "properties");
        let fields = parts
            .properties
            .iter()
            .map(|(wire, schema)| {
                let p = parts.origins.get(wire).cloned().unwrap_or_else(|| child(&props, wire));
                let hint = format!("{name}{}", pascal(wire, "Field", "Field"));
                let (ty, nullable) = self.lower_inline(schema, &p, &hint, depth + 1, errors);
                let (doc, server_or_client_only) = match schema {
                    ReferenceOr::Item(s) => (doc_of(s), s.schema_data.read_only || s.schema_data.write_only),
                    ReferenceOr::Reference { .. } => (self.sibling_description(&p), false),
                };
                Field {
                    name: field_names.claim(&snake(wire), "_"),
                    wire_name: wire.clone(),
                    // A property only the server sets (or only the client sends) is absent from
                    // the other direction's bodies, so the shared type cannot require it.
                    required: parts.required.contains(wire) && !server_or_client_only,
                    // A property that can only be `null` may still be absent: `null` is its value.
                    nullable: nullable || ty == TypeRef::Null,
                    ty,
                    boxed: false,
                    flatten: false,
                    pinned: None,
                    doc,
                }
            })
            .collect();
        let additional = extra.map(|ty| (field_names.claim("additional_properties", "_"), ty));
        Shape::Kind(TypeKind::Struct(Struct { fields, additional }))
    }
}
