//! What a spec's examples and unions became in the generated crate, for harnesses that check the
//! crate against the spec's own examples (tests/): every example with the Rust type it must
//! decode into, and every union with the member schema behind each variant.
//!
//! This is a thin, read-only mapping from the IR to plain export structs, kept in one place so
//! that a change of the IR is a change here only. The generated crate never sees it.

use crate::diagnostics::child;
use crate::ir::{Api, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeMap;

/// The examples of one document and the types they decode into.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleSet {
    /// The document as the generator read it (an OpenAPI 3.1 document already rewritten into
    /// its 3.0 form): every pointer below points into it.
    pub document: Value,
    /// Every example whose schema became a type of the crate, sorted by pointer.
    pub examples: Vec<SpecExample>,
    /// The crate's `models`, by Rust name, as far as a value's structure goes: enough to find
    /// every union inside a decoded value.
    pub types: BTreeMap<String, TypeShape>,
}

/// One example of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecExample {
    /// JSON pointer of the example (`#/components/schemas/Pet/example`,
    /// `#/paths/~1pets/post/requestBody/content/application~1json/examples/cat/value`; for an
    /// `examples` entry that is a `$ref`, the pointer of the entry).
    pub pointer: String,
    /// JSON pointer of the schema the example must fit.
    pub schema: String,
    /// Whether it is sent, received, or neither (a schema's own example), which decides how
    /// `readOnly` and `writeOnly` properties count.
    pub context: ExampleContext,
    /// The type it must decode into.
    pub ty: TypeExpr,
    /// The example itself.
    pub value: Value,
}

/// Where an example's value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExampleContext {
    /// A request body or parameter: `readOnly` properties are not sent.
    Request,
    /// A response body: `writeOnly` properties are not returned.
    Response,
    /// A schema's own example, outside any operation.
    Schema,
}

/// A Rust type of the generated crate, as used in a field, body or example.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeExpr {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `values::Formatted<chrono::NaiveDate>` (keeps a string that is not a date as sent).
    Date,
    /// `values::Formatted<chrono::DateTime<chrono::FixedOffset>>`.
    DateTime,
    /// `serde_json::Value`.
    Json,
    /// `()`: JSON `null` only.
    Null,
    /// A type of the `models` module, by Rust name.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<TypeExpr>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeExpr>),
    /// `Option<T>`: the schema is nullable.
    Option(Box<TypeExpr>),
}

impl TypeExpr {
    /// The type as Rust code relative to the generated crate's root, with absolute std and
    /// dependency paths: `models::Pet`, `::std::vec::Vec<models::Pet>` (`models` and `values`
    /// are the crate's modules).
    ///
    /// ```
    /// use plexy_codegen::inspect::TypeExpr;
    /// let ty = TypeExpr::Vec(Box::new(TypeExpr::Named("Pet".into())));
    /// assert_eq!(ty.rust_path(), "::std::vec::Vec<models::Pet>");
    /// ```
    pub fn rust_path(&self) -> String {
        match self {
            TypeExpr::String => "::std::string::String".into(),
            TypeExpr::Bool => "bool".into(),
            TypeExpr::I32 => "i32".into(),
            TypeExpr::I64 => "i64".into(),
            TypeExpr::F32 => "f32".into(),
            TypeExpr::F64 => "f64".into(),
            TypeExpr::Date => "values::Formatted<::chrono::NaiveDate>".into(),
            TypeExpr::DateTime => "values::Formatted<::chrono::DateTime<::chrono::FixedOffset>>".into(),
            TypeExpr::Json => "::serde_json::Value".into(),
            TypeExpr::Null => "()".into(),
            TypeExpr::Named(name) => format!("models::{}", crate::naming::ident_text(name)),
            TypeExpr::Vec(inner) => format!("::std::vec::Vec<{}>", inner.rust_path()),
            TypeExpr::Map(inner) => {
                format!("::std::collections::BTreeMap<::std::string::String, {}>", inner.rust_path())
            }
            TypeExpr::Option(inner) => format!("::std::option::Option<{}>", inner.rust_path()),
        }
    }

    /// Every `models` name the type mentions.
    pub fn names(&self) -> Vec<&str> {
        match self {
            TypeExpr::Named(name) => vec![name.as_str()],
            TypeExpr::Vec(inner) | TypeExpr::Map(inner) | TypeExpr::Option(inner) => inner.names(),
            _ => Vec::new(),
        }
    }
}

/// The structure of one `models` type, as far as finding unions inside a value goes.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeShape {
    /// An object with known properties.
    Struct(StructShape),
    /// A string enum or an enum of other values: no unions inside.
    Enum,
    /// Another type under a new name.
    Alias(TypeExpr),
    /// A union: tagged (`oneOf` with a discriminator) or told apart by shape.
    Union(UnionShape),
}

/// An object's properties.
#[derive(Debug, Clone, PartialEq)]
pub struct StructShape {
    /// The fields in spec order.
    pub fields: Vec<FieldShape>,
    /// The type of the values of properties the struct does not name, when it keeps them.
    pub additional: Option<TypeExpr>,
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldShape {
    /// The property name on the wire; `None` for a flattened field, whose own properties sit
    /// beside the struct's.
    pub wire_name: Option<String>,
    /// Its type (without the `Option` of an optional field).
    pub ty: TypeExpr,
}

/// A union's variants.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionShape {
    /// The discriminator property, for a tagged union.
    pub tag: Option<String>,
    /// The variants that stand for a member schema.
    pub variants: Vec<VariantShape>,
    /// The name of the variant that keeps a value fitting no member (`Unknown`, `Other`).
    pub fallback: String,
}

/// One variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantShape {
    /// The variant's name as the derived `Debug` prints it (no `r#`).
    pub name: String,
    /// The type it holds.
    pub ty: TypeExpr,
    /// JSON pointer of the member schema it stands for.
    pub member: String,
}

/// The variant a tagged union keeps unknown tags in.
const TAGGED_FALLBACK: &str = "Unknown";

/// Builds the export from the lowered API, the schema → type map of lowering, and the tree.
pub(crate) fn export(api: &Api, schema_types: &BTreeMap<String, (TypeRef, bool)>, document: Value) -> ExampleSet {
    let types: BTreeMap<String, TypeShape> =
        api.types.iter().map(|(name, def)| (name.clone(), shape_of(&def.kind, api))).collect();
    let mut examples = Vec::new();
    for (schema, (ty, nullable)) in schema_types {
        let ty = expr(ty);
        let ty = if *nullable { TypeExpr::Option(Box::new(ty)) } else { ty };
        // A type that did not make it into the crate (a union's tag enum, which the union owns).
        if ty.names().iter().any(|n| !types.contains_key(*n)) {
            continue;
        }
        let Some(node) = document.pointer(&schema[1..]) else { continue };
        let context = context_of(schema);
        let mut push = |pointer: String, value: &Value| {
            examples.push(SpecExample {
                pointer,
                schema: schema.clone(),
                context,
                ty: ty.clone(),
                value: value.clone(),
            });
        };
        if let Some(value) = node.get("example") {
            push(child(schema, "example"), value);
        }
        // A media type's or parameter's examples sit beside its `schema`.
        let Some(holder) = holder_of(schema, &document) else { continue };
        let holder_pointer = &schema[..schema.len() - "/schema".len()];
        if let Some(value) = holder.get("example") {
            push(child(holder_pointer, "example"), value);
        }
        let named = holder.get("examples").and_then(Value::as_object).into_iter().flatten();
        for (name, entry) in named {
            let at = child(&child(holder_pointer, "examples"), name);
            let (entry, at) = match entry.get("$ref").and_then(Value::as_str) {
                Some(reference) => (reference.strip_prefix('#').and_then(|p| document.pointer(p)), at),
                None => (Some(entry), child(&at, "value")),
            };
            if let Some(value) = entry.and_then(|e| e.get("value")) {
                push(at, value);
            }
        }
    }
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    ExampleSet { document, examples, types }
}

/// The media type or parameter object whose `schema` sits at `schema`, if it is one.
fn holder_of<'a>(schema: &str, document: &'a Value) -> Option<&'a Value> {
    let holder_pointer = schema.strip_suffix("/schema")?;
    let holder = document.pointer(&holder_pointer[1..])?;
    let media_type = holder_pointer.rsplit('/').nth(1) == Some("content");
    let parameter = holder.get("in").is_some_and(Value::is_string);
    (media_type || parameter).then_some(holder)
}

/// Whether the schema at `pointer` belongs to a request, a response, or neither.
fn context_of(pointer: &str) -> ExampleContext {
    let tokens: Vec<&str> = pointer.split('/').collect();
    let request = ["requestBody", "requestBodies", "parameters"];
    let response = ["responses"];
    // Schema keywords never hold these tokens except as property names, which sit below a
    // `properties` token; the first operation-level token decides.
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 && tokens[i - 1] == "properties" {
            continue;
        }
        if request.contains(token) {
            return ExampleContext::Request;
        }
        if response.contains(token) {
            return ExampleContext::Response;
        }
        if *token == "schemas" || *token == "schema" {
            break;
        }
    }
    ExampleContext::Schema
}

/// The export of one type's kind.
fn shape_of(kind: &TypeKind, api: &Api) -> TypeShape {
    match kind {
        TypeKind::Struct(s) => TypeShape::Struct(StructShape {
            fields: s
                .fields
                .iter()
                .map(|f| FieldShape { wire_name: (!f.flatten).then(|| f.wire_name.clone()), ty: expr(&f.ty) })
                .collect(),
            additional: s.additional.as_ref().map(|(_, ty)| expr(ty)),
        }),
        TypeKind::Enum(_) | TypeKind::ValueEnum(_) => TypeShape::Enum,
        TypeKind::Alias(ty) => TypeShape::Alias(expr(ty)),
        TypeKind::Union(u) => TypeShape::Union(UnionShape {
            tag: Some(u.tag.clone()),
            variants: u
                .variants
                .iter()
                .map(|v| VariantShape {
                    name: debug_name(&v.name),
                    ty: TypeExpr::Named(v.type_name.clone()),
                    member: api.types.get(&v.type_name).map(|d| d.pointer.clone()).unwrap_or_default(),
                })
                .collect(),
            fallback: TAGGED_FALLBACK.into(),
        }),
        TypeKind::Untagged(u) => TypeShape::Union(UnionShape {
            tag: None,
            variants: u
                .variants
                .iter()
                .map(|v| VariantShape { name: debug_name(&v.name), ty: expr(&v.ty), member: v.pointer.clone() })
                .collect(),
            fallback: debug_name(&u.fallback),
        }),
    }
}

/// A variant name as `#[derive(Debug)]` prints it: the identifier without `r#`.
fn debug_name(name: &str) -> String {
    let text = crate::naming::ident_text(name);
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

/// The export of an IR type reference.
fn expr(ty: &TypeRef) -> TypeExpr {
    match ty {
        TypeRef::String => TypeExpr::String,
        TypeRef::Bool => TypeExpr::Bool,
        TypeRef::I32 => TypeExpr::I32,
        TypeRef::I64 => TypeExpr::I64,
        TypeRef::F32 => TypeExpr::F32,
        TypeRef::F64 => TypeExpr::F64,
        TypeRef::Date => TypeExpr::Date,
        TypeRef::DateTime => TypeExpr::DateTime,
        TypeRef::Json => TypeExpr::Json,
        TypeRef::Null => TypeExpr::Null,
        TypeRef::OrNull(inner) => TypeExpr::Option(Box::new(expr(inner))),
        TypeRef::Named(name) => TypeExpr::Named(name.clone()),
        TypeRef::Vec(inner) => TypeExpr::Vec(Box::new(expr(inner))),
        TypeRef::Map(inner) => TypeExpr::Map(Box::new(expr(inner))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
            examples:
              cat: {value: {kind: cat, name: Tom}}
              shared: {$ref: '#/components/examples/Rex'}
      responses:
        '200':
          description: the pets
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
              example: [{kind: dog, name: Rex}]
components:
  examples:
    Rex: {value: {kind: dog, name: Rex}}
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind}
    Cat:
      type: object
      properties: {kind: {type: string}, name: {type: string}}
      example: {kind: cat, name: Tom}
    Dog:
      type: object
      properties: {kind: {type: string}, name: {type: string, nullable: true, example: null}}
    Id:
      anyOf: [{type: string}, {type: integer}]
"##;

    fn set() -> ExampleSet {
        crate::examples(SPEC, &crate::Settings::new("t", "t.yaml")).unwrap()
    }

    #[test]
    fn every_example_is_listed_with_its_schema_context_and_type() {
        let found: Vec<(String, String, ExampleContext, String)> =
            set().examples.into_iter().map(|e| (e.pointer, e.schema, e.context, e.ty.rust_path())).collect();
        let body = "#/paths/~1pets/post/requestBody/content/application~1json";
        let response = "#/paths/~1pets/post/responses/200/content/application~1json";
        assert_eq!(
            found,
            vec![
                (
                    "#/components/schemas/Cat/example".into(),
                    "#/components/schemas/Cat".into(),
                    ExampleContext::Schema,
                    "models::Cat".into()
                ),
                (
                    "#/components/schemas/Dog/properties/name/example".into(),
                    "#/components/schemas/Dog/properties/name".into(),
                    ExampleContext::Schema,
                    "::std::option::Option<::std::string::String>".into()
                ),
                (
                    format!("{body}/examples/cat/value"),
                    format!("{body}/schema"),
                    ExampleContext::Request,
                    "models::Pet".into()
                ),
                (
                    format!("{body}/examples/shared"),
                    format!("{body}/schema"),
                    ExampleContext::Request,
                    "models::Pet".into()
                ),
                (
                    format!("{response}/example"),
                    format!("{response}/schema"),
                    ExampleContext::Response,
                    "::std::vec::Vec<models::Pet>".into()
                ),
            ]
        );
    }

    #[test]
    fn unions_name_the_member_schema_of_each_variant() {
        let set = set();
        let TypeShape::Union(pet) = &set.types["Pet"] else { panic!("Pet is a union") };
        let members: Vec<(&str, &str)> = pet.variants.iter().map(|v| (v.name.as_str(), v.member.as_str())).collect();
        assert_eq!(members, vec![("Cat", "#/components/schemas/Cat"), ("Dog", "#/components/schemas/Dog")]);
        assert_eq!((pet.tag.as_deref(), pet.fallback.as_str()), (Some("kind"), "Unknown"));
        let TypeShape::Union(id) = &set.types["Id"] else { panic!("Id is a union") };
        let members: Vec<(&str, &str)> = id.variants.iter().map(|v| (v.name.as_str(), v.member.as_str())).collect();
        assert_eq!(
            members,
            vec![("String", "#/components/schemas/Id/anyOf/0"), ("Integer", "#/components/schemas/Id/anyOf/1")]
        );
        assert_eq!((id.tag.as_deref(), id.fallback.as_str()), (None, "Other"));
    }

    /// A child that extends a parent with `allOf`, the parent holding an inline union and a map
    /// of values its schema leaves open.
    const EXTENDED: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Payment:
      type: object
      properties:
        source:
          anyOf:
            - {type: object, title: Card, required: [number], properties: {number: {type: string}}}
            - {type: object, title: Bank, required: [iban], properties: {iban: {type: string}}}
        params:
          type: object
          additionalProperties:
            allOf: [{}, {description: Whatever the template field holds.}, {example: '100'}]
    Receipt:
      allOf:
        - $ref: '#/components/schemas/Payment'
        - {type: object, properties: {status: {type: string}}}
"##;

    #[test]
    fn merged_properties_point_at_the_schema_the_spec_wrote() {
        let set = crate::examples(EXTENDED, &crate::Settings::new("t", "t.yaml")).unwrap();
        let TypeShape::Struct(receipt) = &set.types["Receipt"] else { panic!("Receipt is a struct") };
        let field = |wire: &str| &receipt.fields.iter().find(|f| f.wire_name.as_deref() == Some(wire)).unwrap().ty;
        let TypeExpr::Named(source) = field("source") else { panic!("source is a named union") };
        let TypeShape::Union(union) = &set.types[source] else { panic!("{source} is a union") };
        let members: Vec<&str> = union.variants.iter().map(|v| v.member.as_str()).collect();
        assert_eq!(
            members,
            [
                "#/components/schemas/Payment/properties/source/anyOf/0",
                "#/components/schemas/Payment/properties/source/anyOf/1"
            ]
        );
        for member in members {
            assert!(set.document.pointer(member.trim_start_matches('#')).is_some(), "{member} is in the document");
        }
        // `allOf` members that only annotate describe no type: the map's values are any JSON.
        assert_eq!(field("params"), &TypeExpr::Map(Box::new(TypeExpr::Json)));
    }
}
