//! Lowers paths and operations into `Operation`s; bodies and answers are decided in `media.rs`,
//! parameters in `params.rs`.

use super::schema::Types;
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{
    Body, BodyKind, Operation, OtherBody, OtherOutput, Output, Param, ParamEncoding, ParamLocation, PathPart, TypeRef,
};
use crate::naming::{Scope, pascal, snake};
use openapiv3::{Components, MediaType, PathItem, ReferenceOr};
use std::collections::{BTreeMap, BTreeSet};

/// Client methods the runtime defines; an operation with one of these names is renamed.
const RESERVED_METHODS: &[&str] = &["new", "builder", "base_url", "clone", "fmt"];

/// The header a spec declares when an operation accepts an idempotency key; the runtime owns it.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// What lowering the operations produced besides the operations themselves.
pub struct Lowered {
    /// The operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// Every distinct error body type across operations.
    pub error_bodies: BTreeSet<TypeRef>,
    /// Operations left out, with the reason (shown in the summary).
    pub warnings: Vec<String>,
}

/// Lowers every operation of every path.
pub fn lower_operations(
    doc: &openapiv3::OpenAPI,
    types: &mut Types<'_>,
    schemes: &[crate::ir::SecurityScheme],
    primary_scheme: Option<usize>,
    errors: &mut ErrorStore,
) -> Lowered {
    let components = doc.components.as_ref();
    let mut methods = Scope::with_reserved(RESERVED_METHODS);
    let mut type_names = Scope::default();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Lowered { operations: Vec::new(), error_bodies: BTreeSet::new(), warnings: Vec::new() };
    for (path, item) in &doc.paths.paths {
        let path_pointer = child("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            errors.push(&path_pointer, "a $ref for a whole path item is not supported");
            continue;
        };
        for (method, op) in methods_of(item) {
            let pointer = child(&path_pointer, method);
            let operation_id = op.operation_id.clone().unwrap_or_else(|| derived_id(method, path));
            if let Some(first) = seen_ids.insert(operation_id.clone(), pointer.clone()) {
                errors.push(&pointer, format!("operationId `{operation_id}` is already used at {first}"));
                continue;
            }
            let ctx = OpContext {
                pointer: &pointer,
                path,
                path_pointer: &path_pointer,
                type_name: pascal(&operation_id, "Op", "Operation"),
                components,
            };
            let body = ctx.request_body(op.request_body.as_ref(), types, errors);
            let answers = ctx.output(&op.responses, types, errors);
            out.error_bodies.extend(ctx.error_bodies(&op.responses, types, errors));
            let (mut params, idempotency_key) = ctx.params(&item.parameters, &op.parameters, types, errors);
            let segments = path_segments(path, &params, &path_pointer, errors);
            share_segments_as_text(&segments, &mut params, &types.defs, &pointer, errors);
            let (body, body_example, other_bodies) = match body {
                Some((body, example, others)) => (Some(body), example, others),
                None => (None, None, Vec::new()),
            };
            let method_name = methods.claim(&snake(&operation_id), "_");
            // Named once every operation has its method, so that an operation's own name wins.
            let other_bodies =
                other_bodies.into_iter().map(|body| OtherBody { method_name: String::new(), body }).collect();
            let other_outputs = answers
                .others
                .into_iter()
                .map(|(output, accept)| OtherOutput {
                    method_name: String::new(),
                    type_name: String::new(),
                    output,
                    accept: accept.join(", "),
                })
                .collect();
            let response_headers = answers.headers;
            out.operations.push(Operation {
                method_name,
                other_bodies,
                type_name: type_names.claim(&ctx.type_name, ""),
                // Claimed only when there is a struct to name, so no other name moves for it.
                headers_type: if response_headers.is_empty() {
                    String::new()
                } else {
                    type_names.claim(&format!("{}Headers", ctx.type_name), "")
                },
                response_headers,
                operation_id,
                http_method: method.to_ascii_uppercase(),
                path: path.clone(),
                segments,
                params,
                body,
                output: answers.output,
                accept: if answers.accept.is_empty() {
                    "application/json".to_owned()
                } else {
                    answers.accept.join(", ")
                },
                other_outputs,
                success_statuses: answers.statuses,
                idempotency_key,
                security: super::security::alternatives(
                    op.security.as_ref().or(doc.security.as_ref()),
                    schemes,
                    primary_scheme,
                ),
                server: own_server(&op.servers, &item.servers),
                summary: op.summary.clone(),
                description: op.description.clone(),
                body_example,
            });
        }
    }
    for op in &mut out.operations {
        for other in &mut op.other_bodies {
            other.method_name = methods.claim(&other_method_name(&op.method_name, &other.body), "_");
        }
        for other in &mut op.other_outputs {
            let (method_word, type_word) =
                if other.output == Output::Text { ("text", "Text") } else { ("bytes", "Bytes") };
            other.method_name = methods.claim(&format!("{}_as_{method_word}", op.method_name), "_");
            other.type_name = type_names.claim(&format!("{}As{type_word}", op.type_name), "");
        }
    }
    out.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    out
}

/// The name of the method that sends an operation's body as another media type: the method's
/// name and the kind (`create_pet_form`), with the media subtype for raw bytes and text, where
/// an operation may offer several (`upload_png`, `import_csv`).
fn other_method_name(method: &str, body: &Body) -> String {
    let essence = body.media_type.split(';').next().unwrap_or_default().trim();
    let subtype = snake(essence.rsplit('/').next().unwrap_or_default());
    let word = match &body.kind {
        BodyKind::Json(_) if essence.eq_ignore_ascii_case("application/json") => "json".to_owned(),
        BodyKind::Form(_) => "form".to_owned(),
        BodyKind::Multipart(_) => "multipart".to_owned(),
        _ if subtype.is_empty() => "bytes".to_owned(),
        _ => subtype,
    };
    format!("{method}_{word}")
}

/// The server an operation names for itself (its own `servers`, else its path item's): the
/// first, variables at their defaults; an absolute URL without its trailing `/`, a relative one
/// as written (the client resolves it against the document's address). None leaves the
/// operation on the client's server.
fn own_server(operation: &[openapiv3::Server], path_item: &[openapiv3::Server]) -> Option<String> {
    let servers = if operation.is_empty() { path_item } else { operation };
    let server = servers.first()?;
    Some(super::server_url(server).unwrap_or_else(|| super::with_defaults(server)))
}

/// The operations of a path item in a fixed method order.
pub(super) fn methods_of(item: &PathItem) -> Vec<(&'static str, &openapiv3::Operation)> {
    [
        ("get", &item.get),
        ("put", &item.put),
        ("post", &item.post),
        ("delete", &item.delete),
        ("options", &item.options),
        ("head", &item.head),
        ("patch", &item.patch),
        ("trace", &item.trace),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

/// A stable name for an operation without an operationId: `get /users/{id}` → `get_users_id`.
fn derived_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() { method.to_owned() } else { format!("{method}_{}", words.join("_")) }
}

/// Splits `/sessions/{sessionId}` into segments of literal and parameter parts.
fn path_segments(path: &str, params: &[Param], pointer: &str, errors: &mut ErrorStore) -> Vec<Vec<PathPart>> {
    let by_wire: BTreeMap<&str, &str> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| (p.wire_name.as_str(), p.name.as_str()))
        .collect();
    let mut segments = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let mut parts = Vec::new();
        let mut rest = segment;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| c + open) else {
                errors.push(pointer, format!("the path has a `{{` without a closing `}}` in `{segment}`"));
                break;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let wire = &rest[open + 1..close];
            match by_wire.get(wire) {
                Some(name) => parts.push(PathPart::Param((*name).to_owned())),
                None => errors
                    .push(pointer, format!("the path names `{{{wire}}}` but no path parameter `{wire}` is declared")),
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        segments.push(parts);
    }
    segments
}

/// A path parameter that shares its segment with text (`/files/{name}.json`) is written as its
/// text: a style's prefix or list would run into the neighbouring text. Scalars are, so their
/// style is dropped; a list or object there has no single reading and is reported.
fn share_segments_as_text(
    segments: &[Vec<PathPart>],
    params: &mut [Param],
    defs: &BTreeMap<String, crate::ir::TypeDef>,
    pointer: &str,
    errors: &mut ErrorStore,
) {
    for parts in segments.iter().filter(|parts| parts.len() > 1) {
        for part in parts {
            let PathPart::Param(name) = part else { continue };
            let Some(param) = params.iter_mut().find(|p| &p.name == name) else { continue };
            if param.encoding == ParamEncoding::Plain {
                continue;
            }
            let scalar = match &param.ty {
                TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json => false,
                TypeRef::Named(n) => matches!(defs.get(n).map(|d| &d.kind), Some(crate::ir::TypeKind::Enum(_))),
                _ => true,
            };
            if scalar {
                param.encoding = ParamEncoding::Plain;
            } else {
                errors.push(
                    pointer,
                    format!(
                        "path parameter `{}` is a list or object but shares its path segment with text; it must fill the segment",
                        param.wire_name
                    ),
                );
            }
        }
    }
}

/// What one operation's lowering needs to know about where it is.
pub(super) struct OpContext<'a> {
    pub(super) pointer: &'a str,
    pub(super) path: &'a str,
    pub(super) path_pointer: &'a str,
    pub(super) type_name: String,
    pub(super) components: Option<&'a Components>,
}

/// The media type's `example`, or the first of its `examples`.
pub(super) fn example_of(media: &MediaType) -> Option<serde_json::Value> {
    media.example.clone().or_else(|| {
        media.examples.values().find_map(|e| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })
}

/// Resolves `#/components/<kind>/<name>` in the given component map.
pub(super) fn component<'a, T>(
    reference: &str,
    kind: &str,
    map: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
) -> Option<&'a T> {
    let name = reference.strip_prefix(&format!("#/components/{kind}/"))?;
    match map?.get(name)? {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{derived_id, own_server};

    #[test]
    fn derived_ids_are_stable_words_of_method_and_path() {
        assert_eq!(derived_id("get", "/users/{id}/posts"), "get_users_id_posts");
        assert_eq!(derived_id("post", "/"), "post");
    }

    #[test]
    fn http_basic_sends_an_authorization_basic_header() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  securitySchemes:\n    login: {type: http, scheme: basic}\n";
        let generated = crate::generate(spec, &crate::Settings::new("t", "t.yaml")).unwrap();
        assert!(generated.files["src/spec.rs"].contains("crate::client::Auth::Basic"));
    }

    #[test]
    fn a_relative_first_server_or_none_at_all_is_kept_for_the_document_address() {
        let lowered = |servers: &str| {
            let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{servers}paths: {{}}\n");
            let doc: openapiv3::OpenAPI = serde_yaml::from_str(&spec).unwrap();
            let tree = serde_json::to_value(&doc).unwrap();
            let api = crate::lower::lower(&doc, &tree, &mut crate::diagnostics::ErrorStore::default()).api;
            (api.base_url, api.relative_server)
        };
        assert_eq!(lowered(""), (None, Some("/".to_owned())), "OpenAPI: no servers means `/`");
        let relative = "servers: [{url: '/{v}', variables: {v: {default: v2}}}]\n";
        assert_eq!(lowered(relative), (None, Some("/v2".to_owned())));
        let absolute = "servers: [{url: 'https://api.example.com/v1/'}]\n";
        assert_eq!(lowered(absolute), (Some("https://api.example.com/v1".to_owned()), None));
    }

    #[test]
    fn an_operations_own_servers_win_over_its_path_items_and_relative_ones_are_kept_as_written() {
        let server = |url: &str| openapiv3::Server { url: url.to_owned(), ..Default::default() };
        let (op, path) = ([server("https://upload.example.com/2.0/")], [server("https://path.example.com")]);
        assert_eq!(own_server(&op, &path).as_deref(), Some("https://upload.example.com/2.0"));
        assert_eq!(own_server(&[], &path).as_deref(), Some("https://path.example.com"));
        assert_eq!(own_server(&[server("/v2")], &path).as_deref(), Some("/v2"), "resolved by the client");
        assert_eq!(own_server(&[], &[]), None);
        assert_eq!(own_server(&[], &[]), None);
    }
}
