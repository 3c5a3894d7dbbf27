//! The headers an operation's success answers declare, typed: each becomes a field of the
//! operation's `…Headers` struct, read from an answer's header map by name. A header of a
//! scalar type is parsed into it; any other (an array, an object, a `content` header) is its
//! text. `Content-Type` is left out, as OpenAPI says to ignore it there.

use super::operation::component;
use super::webhooks::is_header_name;
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{ResponseHeader, TypeRef};
use crate::naming::{Scope, snake};
use openapiv3::{Components, Header, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};

/// One declared header: its name as written, its definition, and the pointer of the
/// definition.
pub(super) type Declared<'r> = (&'r str, &'r ReferenceOr<Header>, String);

/// The typed headers of an operation, from every header its 2xx answers declare (the first
/// declaration of a name wins; names compare case-insensitively, as HTTP's do).
pub(super) fn response_headers(
    declared: &[Declared<'_>],
    components: Option<&Components>,
    errors: &mut ErrorStore,
) -> Vec<ResponseHeader> {
    let mut fields = Scope::default();
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (wire, header, pointer) in declared {
        let lower = wire.to_ascii_lowercase();
        if lower == "content-type" || seen.contains(&lower) {
            continue;
        }
        if !is_header_name(&lower) {
            errors.push(pointer, format!("`{wire}` is not a valid HTTP header name"));
            continue;
        }
        let header = match header {
            ReferenceOr::Item(h) => h,
            ReferenceOr::Reference { reference } => {
                match component(reference, "headers", components.map(|c| &c.headers)) {
                    Some(h) => h,
                    None => {
                        errors.push(pointer, format!("$ref `{reference}` points to no header in #/components/headers"));
                        continue;
                    }
                }
            }
        };
        seen.push(lower.clone());
        out.push(ResponseHeader {
            name: fields.claim(&snake(wire), "_"),
            wire_name: lower,
            ty: scalar_type(header, components),
            doc: header.description.clone(),
        });
    }
    out
}

/// The type a header's value parses into: its schema's scalar type, else its text.
fn scalar_type(header: &Header, components: Option<&Components>) -> TypeRef {
    let ParameterSchemaOrContent::Schema(schema) = &header.format else { return TypeRef::String };
    let schema = match schema {
        ReferenceOr::Item(s) => s,
        ReferenceOr::Reference { reference } => match component(reference, "schemas", components.map(|c| &c.schemas)) {
            Some(s) => s,
            None => return TypeRef::String,
        },
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(_)) => TypeRef::I64,
        SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
        SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
        _ => TypeRef::String,
    }
}

/// The pointer of header `name` of the response at `response`.
pub(super) fn header_pointer(response: &str, name: &str) -> String {
    child(&child(response, "headers"), name)
}
