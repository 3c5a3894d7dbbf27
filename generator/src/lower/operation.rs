//! Lowers paths and operations into `Operation`s: parameters, JSON bodies and response types.

use super::schema::Types;
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{Body, Operation, Param, ParamLocation, PathPart, TypeRef};
use crate::naming::{Scope, pascal, snake};
use openapiv3::{
    Components, MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response,
    StatusCode,
};
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
pub fn lower_operations(doc: &openapiv3::OpenAPI, types: &mut Types<'_>, errors: &mut ErrorStore) -> Lowered {
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
            let Some(body) =
                ctx.request_body(op.request_body.as_ref(), types, errors, &mut out.warnings, &operation_id)
            else {
                continue;
            };
            if let Some(kinds) = non_json_success(&op.responses, components) {
                out.warnings.push(format!("left out {operation_id}: its response is {kinds}, not JSON"));
                continue;
            }
            let (success, success_statuses) = ctx.success(&op.responses, types, errors);
            out.error_bodies.extend(ctx.error_bodies(&op.responses, types, errors));
            let Some((params, idempotency_key)) =
                ctx.params(&item.parameters, &op.parameters, types, errors, &mut out.warnings, &operation_id)
            else {
                continue;
            };
            let segments = path_segments(path, &params, &path_pointer, errors);
            let (body, body_example) = body.unzip();
            out.operations.push(Operation {
                method_name: methods.claim(&snake(&operation_id), "_"),
                type_name: type_names.claim(&ctx.type_name, ""),
                operation_id,
                http_method: method.to_ascii_uppercase(),
                path: path.clone(),
                segments,
                params,
                body,
                success,
                success_statuses,
                idempotency_key,
                summary: op.summary.clone(),
                description: op.description.clone(),
                body_example: body_example.flatten(),
            });
        }
    }
    out.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    out
}

/// The operations of a path item in a fixed method order.
fn methods_of(item: &PathItem) -> Vec<(&'static str, &openapiv3::Operation)> {
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

/// What one operation's lowering needs to know about where it is.
struct OpContext<'a> {
    pointer: &'a str,
    path: &'a str,
    path_pointer: &'a str,
    type_name: String,
    components: Option<&'a Components>,
}

impl OpContext<'_> {
    /// The JSON body and its example. `None` when the operation must be left out (a body that is
    /// not JSON); `Some(None)` when it has no body.
    fn request_body(
        &self,
        body: Option<&ReferenceOr<RequestBody>>,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
        warnings: &mut Vec<String>,
        operation_id: &str,
    ) -> Option<Option<(Body, Option<serde_json::Value>)>> {
        let Some(body) = body else { return Some(None) };
        let pointer = child(self.pointer, "requestBody");
        let (body, pointer) = match body {
            ReferenceOr::Item(b) => (b, pointer),
            ReferenceOr::Reference { reference } => {
                match component(reference, "requestBodies", self.components.map(|c| &c.request_bodies)) {
                    Some(b) => (b, reference.clone()),
                    None => {
                        errors.push(
                            &pointer,
                            format!("$ref `{reference}` points to no request body in #/components/requestBodies"),
                        );
                        return Some(None);
                    }
                }
            }
        };
        let Some((media_name, media)) = json_media(&body.content) else {
            let kinds: Vec<&str> = body.content.keys().map(String::as_str).collect();
            warnings.push(format!("left out {operation_id}: request body is {}, not JSON", kinds.join(", ")));
            return None;
        };
        let at = child(&child(&pointer, "content"), media_name);
        let Some(schema) = &media.schema else {
            errors.push(&at, "a JSON request body needs a `schema`");
            return Some(None);
        };
        let ty = types.lower_inline(schema, &child(&at, "schema"), &format!("{}Request", self.type_name), 0, errors).0;
        Some(Some((Body { ty, doc: body.description.clone() }, example_of(media))))
    }

    /// The 2xx body type (one for all 2xx responses) and the declared 2xx codes.
    fn success(
        &self,
        responses: &openapiv3::Responses,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> (Option<TypeRef>, Vec<u16>) {
        let mut found: Vec<(TypeRef, String)> = Vec::new();
        let mut statuses = Vec::new();
        for (status, response) in &responses.responses {
            let code = match status {
                StatusCode::Code(c) if (200..300).contains(c) => *c,
                StatusCode::Range(2) => 200,
                _ => continue,
            };
            statuses.push(code);
            let hint = format!("{}Response", self.type_name);
            if let Some((ty, at)) = self.response_type(status, response, &hint, types, errors)
                && !found.iter().any(|(t, _)| *t == ty)
            {
                found.push((ty, at));
            }
        }
        let success = match found.len() {
            0 => None,
            1 => found.pop().map(|(ty, _)| ty),
            // Several 2xx bodies of different types: one enum, tried in status order.
            _ => Some(types.untagged_of(
                found,
                &child(self.pointer, "responses"),
                &format!("{}Response", self.type_name),
                "The success bodies this operation may answer with, tried in status order.",
            )),
        };
        (success, statuses)
    }

    /// The body types of the non-2xx responses.
    fn error_bodies(
        &self,
        responses: &openapiv3::Responses,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> Vec<TypeRef> {
        let mut out = Vec::new();
        let hint = format!("{}Error", self.type_name);
        for (status, response) in &responses.responses {
            let success =
                matches!(status, StatusCode::Code(c) if (200..300).contains(c)) || *status == StatusCode::Range(2);
            if !success {
                out.extend(self.response_type(status, response, &hint, types, errors).map(|(ty, _)| ty));
            }
        }
        if let Some(default) = &responses.default {
            out.extend(self.response_type(&StatusCode::Range(0), default, &hint, types, errors).map(|(ty, _)| ty));
        }
        out
    }

    /// The JSON body type of one response, if it has one, and the pointer of its schema.
    fn response_type(
        &self,
        status: &StatusCode,
        response: &ReferenceOr<Response>,
        hint: &str,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> Option<(TypeRef, String)> {
        let key = if *status == StatusCode::Range(0) { "default".to_owned() } else { status.to_string() };
        let pointer = child(&child(self.pointer, "responses"), &key);
        let (response, pointer) = match response {
            ReferenceOr::Item(r) => (r, pointer),
            ReferenceOr::Reference { reference } => {
                match component(reference, "responses", self.components.map(|c| &c.responses)) {
                    Some(r) => (r, reference.clone()),
                    None => {
                        errors.push(
                            &pointer,
                            format!("$ref `{reference}` points to no response in #/components/responses"),
                        );
                        return None;
                    }
                }
            }
        };
        let (media_name, media) = json_media(&response.content)?;
        let schema = media.schema.as_ref()?;
        let at = child(&child(&child(&pointer, "content"), media_name), "schema");
        Some((types.lower_inline(schema, &at, hint, 0, errors).0, at))
    }

    /// Path-level and operation-level parameters merged (the operation's win), required first.
    /// Also says whether an `Idempotency-Key` header is declared, which the runtime sends itself.
    fn params(
        &self,
        path_level: &[ReferenceOr<Parameter>],
        op_level: &[ReferenceOr<Parameter>],
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
        warnings: &mut Vec<String>,
        operation_id: &str,
    ) -> Option<(Vec<Param>, bool)> {
        let mut merged: Vec<(String, &Parameter)> = Vec::new();
        let sources =
            [(child(self.pointer, "parameters"), op_level), (child(self.path_pointer, "parameters"), path_level)];
        for (base, list) in &sources {
            for (i, p) in list.iter().enumerate() {
                let at = child(base, &i.to_string());
                let (param, at) = match p {
                    ReferenceOr::Item(p) => (p, at),
                    ReferenceOr::Reference { reference } => {
                        match component(reference, "parameters", self.components.map(|c| &c.parameters)) {
                            Some(p) => (p, reference.clone()),
                            None => {
                                errors.push(
                                    &at,
                                    format!("$ref `{reference}` points to no parameter in #/components/parameters"),
                                );
                                continue;
                            }
                        }
                    }
                };
                let data = param.parameter_data_ref();
                let same = |(_, q): &(String, &Parameter)| {
                    q.parameter_data_ref().name == data.name
                        && std::mem::discriminant(*q) == std::mem::discriminant(param)
                };
                if !merged.iter().any(same) {
                    merged.push((at, param));
                }
            }
        }
        let mut names = Scope::default();
        let mut idempotency_key = false;
        let mut params = Vec::new();
        for (at, param) in merged {
            let data = param.parameter_data_ref();
            let location = match param {
                Parameter::Path { .. } if !self.path.contains(&format!("{{{}}}", data.name)) => {
                    errors.push(&at, format!("path parameter `{}` does not appear in the path", data.name));
                    continue;
                }
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } if data.name.eq_ignore_ascii_case(IDEMPOTENCY_HEADER) => {
                    idempotency_key = true;
                    continue;
                }
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    errors.push(&at, "cookie parameters are not supported by the generator yet");
                    continue;
                }
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                errors.push(&at, "a parameter described by `content` instead of `schema` is not supported yet");
                continue;
            };
            let hint = format!("{}{}", self.type_name, pascal(&data.name, "Param", "Param"));
            let ty = types.lower_inline(schema, &child(&at, "schema"), &hint, 0, errors).0;
            if !param_type_supported(&ty, &types.defs) {
                // An object or nested list has no single agreed text form in a URL or header.
                warnings.push(if data.required {
                    format!(
                        "left out {operation_id}: its required parameter `{}` is an object or nested list, which the client cannot send yet",
                        data.name
                    )
                } else {
                    format!(
                        "left out parameter `{}` of {operation_id}: an object or nested list, which the client cannot send yet",
                        data.name
                    )
                });
                if data.required {
                    return None;
                }
                continue;
            }
            let ty = resolve_aliases(ty, &types.defs);
            params.push(Param {
                name: names.claim(&snake(&data.name), "_"),
                wire_name: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: data.description.clone(),
            });
        }
        params.sort_by_key(|p| !p.required);
        Some((params, idempotency_key))
    }
}

/// The media types of the 2xx responses, when they have content and none of it is JSON.
fn non_json_success(responses: &openapiv3::Responses, components: Option<&Components>) -> Option<String> {
    let mut kinds = BTreeSet::new();
    for (status, response) in &responses.responses {
        let success =
            matches!(status, StatusCode::Code(c) if (200..300).contains(c)) || *status == StatusCode::Range(2);
        let response = match response {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                match component(reference, "responses", components.map(|c| &c.responses)) {
                    Some(r) => r,
                    None => continue,
                }
            }
        };
        if !success || response.content.is_empty() {
            continue;
        }
        if json_media(&response.content).is_some() {
            return None;
        }
        kinds.extend(response.content.keys().cloned());
    }
    (!kinds.is_empty()).then(|| kinds.into_iter().collect::<Vec<_>>().join(", "))
}

/// Parameters become text in a URL or header: scalars, string enums (and aliases of them), or
/// lists of those.
fn param_type_supported(ty: &TypeRef, defs: &BTreeMap<String, crate::ir::TypeDef>) -> bool {
    param_type_supported_at(ty, defs, 0)
}

/// The type an alias stands for, all the way down, so that a parameter's list repeats its key
/// and its scalar prints as text.
fn resolve_aliases(ty: TypeRef, defs: &BTreeMap<String, crate::ir::TypeDef>) -> TypeRef {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Named(ref name) => match defs.get(name).map(|d| &d.kind) {
                Some(crate::ir::TypeKind::Alias(target)) => ty = target.clone(),
                _ => return ty,
            },
            TypeRef::Vec(inner) => return TypeRef::Vec(Box::new(resolve_aliases(*inner, defs))),
            other => return other,
        }
    }
    ty
}

fn param_type_supported_at(ty: &TypeRef, defs: &BTreeMap<String, crate::ir::TypeDef>, depth: usize) -> bool {
    match ty {
        TypeRef::Json | TypeRef::Map(_) => false,
        TypeRef::Vec(inner) => !matches!(**inner, TypeRef::Vec(_)) && param_type_supported_at(inner, defs, depth + 1),
        TypeRef::Named(name) => match defs.get(name).map(|d| &d.kind) {
            Some(crate::ir::TypeKind::Enum(_)) => true,
            Some(crate::ir::TypeKind::Alias(target)) if depth < 16 => param_type_supported_at(target, defs, depth + 1),
            _ => false,
        },
        _ => true,
    }
}

/// The first JSON media type of a content map (`application/json` or any `+json`).
fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(k, _)| {
            let essence = k.split(';').next().unwrap_or(k).trim().to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        })
        .map(|(k, v)| (k.as_str(), v))
}

/// The media type's `example`, or the first of its `examples`.
fn example_of(media: &MediaType) -> Option<serde_json::Value> {
    media.example.clone().or_else(|| {
        media.examples.values().find_map(|e| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })
}

/// Resolves `#/components/<kind>/<name>` in the given component map.
fn component<'a, T>(
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
    use super::derived_id;

    #[test]
    fn derived_ids_are_stable_words_of_method_and_path() {
        assert_eq!(derived_id("get", "/users/{id}/posts"), "get_users_id_posts");
        assert_eq!(derived_id("post", "/"), "post");
    }
}
