//! Media types: how each request body goes on the wire (JSON, form, multipart, text, bytes) and
//! what each 2xx answer becomes. Every media type maps to one of these, so no operation is left
//! out for its body; a type nothing else covers (a vendor type) is sent and read as raw bytes.

use super::headers::{Declared, header_pointer, response_headers};
use super::operation::{OpContext, component, example_of};
use super::schema::Types;
use crate::diagnostics::{ErrorStore, child};
use crate::ir::{Body, BodyKind, FieldStyle, Output, PartDoc, ResponseHeader, Style, TypeRef};
use openapiv3::{
    Components, MediaType, ReferenceOr, RequestBody, Response, Schema, SchemaKind, StatusCode, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

/// What an operation's success answers become.
pub(super) struct Answers {
    /// The preferred kind: JSON, else text, else bytes, else nothing.
    pub output: Output,
    /// Its media types, for `Accept`.
    pub accept: Vec<String>,
    /// Every other kind offered (`Text`, `Bytes`), with its media types.
    pub others: Vec<(Output, Vec<String>)>,
    /// The 2xx codes declared.
    pub statuses: Vec<u16>,
    /// The headers the answers declare.
    pub headers: Vec<ResponseHeader>,
}

/// What a media type is, for sending or reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MediaKind {
    /// JSON in any flavour. First: preferred when an operation offers several.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: raw bytes.
    Binary,
}

impl MediaKind {
    /// The word that names a method sending a body of this kind (`create_pet_form`).
    pub(super) fn word(self) -> &'static str {
        match self {
            MediaKind::Json => "json",
            MediaKind::Form => "form",
            MediaKind::Multipart => "multipart",
            MediaKind::Text => "text",
            MediaKind::Binary => "bytes",
        }
    }
}

/// Classifies a media type (`application/json; charset=utf-8`, `application/vnd.x+json`, `*/*`,
/// …). A JSON or wildcard type whose schema is a binary string is bytes, not JSON.
pub(super) fn classify(media_type: &str, media: &MediaType) -> MediaKind {
    let essence = media_type.split(';').next().unwrap_or(media_type).trim().to_ascii_lowercase();
    let binary_schema = media.schema.as_ref().is_some_and(is_binary_schema);
    match essence.as_str() {
        _ if binary_schema => MediaKind::Binary,
        "application/json" | "*/*" | "application/*" => MediaKind::Json,
        e if e.ends_with("+json") || e.ends_with("/json") => MediaKind::Json,
        "application/x-www-form-urlencoded" => MediaKind::Form,
        "multipart/form-data" => MediaKind::Multipart,
        e if e.starts_with("text/") => MediaKind::Text,
        _ => MediaKind::Binary,
    }
}

/// `type: string` with `format: binary` (or `byte`, which is base64 text but sent as given).
fn is_binary_schema(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => matches!(
                &st.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) | VariantOrUnknownOrEmpty::Item(StringFormat::Byte)
            ),
            SchemaKind::Any(any) => any.format.as_deref() == Some("binary"),
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// The media type of a content map the client sends: the first of the preferred kind.
fn preferred(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType, MediaKind)> {
    content.iter().map(|(k, m)| (k.as_str(), m, classify(k, m))).min_by_key(|(_, _, kind)| *kind)
}

impl OpContext<'_> {
    /// The request body and its example; `None` when the operation has none. The body is the
    /// preferred of the media types the spec offers (JSON, form, multipart, text, bytes); the
    /// others follow, in the spec's order, for methods of their own.
    pub(super) fn request_body(
        &self,
        body: Option<&ReferenceOr<RequestBody>>,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> Option<(Body, Option<serde_json::Value>, Vec<Body>)> {
        let (body, pointer) = request_body_of(body?, self.pointer, self.components, errors)?;
        let (media_name, media, kind) = preferred(&body.content)?;
        let doc = (body.description.as_ref(), body.required);
        let first = self.body_as(media_name, media, kind, &pointer, doc, "", types, errors)?;
        let example = matches!(first.kind, BodyKind::Json(_)).then(|| example_of(media)).flatten();
        let others = body
            .content
            .iter()
            .filter(|(name, _)| name.as_str() != media_name)
            .filter_map(|(name, media)| {
                let kind = classify(name, media);
                self.body_as(name, media, kind, &pointer, doc, kind.word(), types, errors)
            })
            .collect();
        Some((first, example, others))
    }

    /// A request body sent as one media type; `word` tells an inline schema's type name from
    /// the preferred one's (`CreatePetFormRequest`).
    #[allow(clippy::too_many_arguments, reason = "one body's whole context; a struct would only rename it")]
    fn body_as(
        &self,
        media_name: &str,
        media: &MediaType,
        kind: MediaKind,
        pointer: &str,
        (doc, required): (Option<&String>, bool),
        word: &str,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> Option<Body> {
        let at = child(&child(pointer, "content"), media_name);
        if !media_name.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            // It becomes the `Content-Type` header, which allows only visible ASCII.
            errors.push(&at, format!("media type `{}` is not a valid header value", media_name.escape_debug()));
            return None;
        }
        let hint = format!("{}{}Request", self.type_name, heck::AsUpperCamelCase(word));
        let mut typed = |types: &mut Types<'_>| match &media.schema {
            Some(schema) => types.lower_inline(schema, &child(&at, "schema"), &hint, 0, errors).0,
            // No schema: any JSON value (or, for a form, any map of fields).
            None => TypeRef::Json,
        };
        let kind = match kind {
            MediaKind::Json => BodyKind::Json(typed(types)),
            MediaKind::Form => BodyKind::Form(typed(types)),
            MediaKind::Multipart => BodyKind::Multipart(parts_of(media, self.components)),
            MediaKind::Text => BodyKind::Text,
            MediaKind::Binary => BodyKind::Binary,
        };
        let field_styles = if matches!(kind, BodyKind::Form(_)) { field_styles(media, &at, types) } else { Vec::new() };
        Some(Body { kind, media_type: media_name.to_owned(), required, field_styles, doc: doc.cloned() })
    }

    /// What the 2xx answers become, their media types for `Accept`, and the declared 2xx codes.
    /// JSON wins when any 2xx answer offers it; text next; any other content is bytes. With no
    /// 2xx response declared, `default` describes success too. `Accept` names only the media
    /// types of the kind chosen, so that a server that offers the same answer as JSON and as
    /// XML or CSV is asked for the one the client decodes; each other kind offered (text, or
    /// bytes for everything else) is an [`Answers::others`] entry, asked for by a method of
    /// its own.
    pub(super) fn output(
        &self,
        responses: &openapiv3::Responses,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> Answers {
        let mut success: Vec<(StatusCode, &ReferenceOr<Response>, u16)> = Vec::new();
        for (status, response) in &responses.responses {
            match status {
                StatusCode::Code(c) if (200..300).contains(c) => success.push((status.clone(), response, *c)),
                StatusCode::Range(2) => success.push((status.clone(), response, 200)),
                _ => {}
            }
        }
        if success.is_empty()
            && let Some(default) = &responses.default
        {
            success.push((StatusCode::Range(0), default, 200));
        }
        let mut json: Vec<(TypeRef, String)> = Vec::new();
        let mut offered: Vec<(String, MediaKind)> = Vec::new();
        let mut other: Option<MediaKind> = None;
        let mut statuses = Vec::new();
        let mut declared: Vec<Declared<'_>> = Vec::new();
        for (status, response, code) in success {
            statuses.push(code);
            let Some((response, pointer)) = self.response_of(&status, response, errors) else { continue };
            for (name, header) in &response.headers {
                declared.push((name.as_str(), header, header_pointer(&pointer, name)));
            }
            for (name, media) in &response.content {
                let kind = classify(name, media);
                if !offered.iter().any(|(n, _)| n == name) {
                    offered.push((name.clone(), kind));
                }
                match kind {
                    MediaKind::Json => {
                        let at = child(&child(&child(&pointer, "content"), name), "schema");
                        let hint = format!("{}Response", self.type_name);
                        // No schema: any JSON value (the answer is still JSON, and still read).
                        let ty = match &media.schema {
                            Some(schema) => types.lower_inline(schema, &at, &hint, 0, errors).0,
                            None => TypeRef::Json,
                        };
                        if !json.iter().any(|(t, _)| *t == ty) {
                            json.push((ty, at));
                        }
                    }
                    MediaKind::Text => other = Some(MediaKind::Text),
                    _ if other.is_none() => other = Some(MediaKind::Binary),
                    _ => {}
                }
            }
        }
        let output = match json.len() {
            1 => Output::Json(json.remove(0).0),
            // Several 2xx bodies of different types: one enum, tried in status order.
            n if n > 1 => Output::Json(types.untagged_of(
                json,
                &child(self.pointer, "responses"),
                &format!("{}Response", self.type_name),
                "The success bodies this operation may answer with, tried in status order.",
            )),
            _ => match other {
                Some(MediaKind::Text) => Output::Text,
                Some(_) => Output::Bytes,
                None => Output::Empty,
            },
        };
        // Text and bytes each gather the media types of their kind; JSON is decoded as one.
        let of_kind = |output: &Output, kind: MediaKind| match output {
            Output::Json(_) => kind == MediaKind::Json,
            Output::Text => kind == MediaKind::Text,
            Output::Bytes => !matches!(kind, MediaKind::Json | MediaKind::Text),
            Output::Empty => true,
        };
        let accept_of = |output: &Output| -> Vec<String> {
            offered.iter().filter(|(_, kind)| of_kind(output, *kind)).map(|(name, _)| name.clone()).collect()
        };
        let others = match output {
            Output::Json(_) => vec![Output::Text, Output::Bytes],
            Output::Text => vec![Output::Bytes],
            Output::Bytes | Output::Empty => Vec::new(),
        };
        let others = others
            .into_iter()
            .filter_map(|other| {
                let accept = accept_of(&other);
                (!accept.is_empty()).then_some((other, accept))
            })
            .collect();
        let accept = accept_of(&output);
        let headers = response_headers(&declared, self.components, errors);
        Answers { output, accept, others, statuses, headers }
    }

    /// The body types of the non-2xx responses.
    pub(super) fn error_bodies(
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
                out.extend(self.json_type(status, response, &hint, types, errors));
            }
        }
        if let Some(default) = &responses.default {
            out.extend(self.json_type(&StatusCode::Range(0), default, &hint, types, errors));
        }
        out
    }

    /// A response with its `$ref` followed, and the pointer where it is written.
    fn response_of<'r>(
        &'r self,
        status: &StatusCode,
        response: &'r ReferenceOr<Response>,
        errors: &mut ErrorStore,
    ) -> Option<(&'r Response, String)> {
        let key = if *status == StatusCode::Range(0) { "default".to_owned() } else { status.to_string() };
        let pointer = child(&child(self.pointer, "responses"), &key);
        match response {
            ReferenceOr::Item(r) => Some((r, pointer)),
            ReferenceOr::Reference { reference } => {
                match component(reference, "responses", self.components.map(|c| &c.responses)) {
                    Some(r) => Some((r, reference.clone())),
                    None => {
                        errors.push(
                            &pointer,
                            format!("$ref `{reference}` points to no response in #/components/responses"),
                        );
                        None
                    }
                }
            }
        }
    }

    /// The JSON body type of one response, if it has one.
    fn json_type(
        &self,
        status: &StatusCode,
        response: &ReferenceOr<Response>,
        hint: &str,
        types: &mut Types<'_>,
        errors: &mut ErrorStore,
    ) -> Option<TypeRef> {
        let (response, pointer) = self.response_of(status, response, errors)?;
        let (media_name, media) =
            response.content.iter().find(|(k, m)| classify(k, m) == MediaKind::Json && m.schema.is_some())?;
        let schema = media.schema.as_ref()?;
        let at = child(&child(&child(&pointer, "content"), media_name), "schema");
        Some(types.lower_inline(schema, &at, hint, 0, errors).0)
    }
}

/// The request body of the operation at `operation` with its `$ref` followed, and the pointer
/// where it is written; `None`, with the error pushed, when the reference points nowhere.
pub(super) fn request_body_of<'r>(
    body: &'r ReferenceOr<RequestBody>,
    operation: &str,
    components: Option<&'r Components>,
    errors: &mut ErrorStore,
) -> Option<(&'r RequestBody, String)> {
    let pointer = child(operation, "requestBody");
    match body {
        ReferenceOr::Item(b) => Some((b, pointer)),
        ReferenceOr::Reference { reference } => {
            match component(reference, "requestBodies", components.map(|c| &c.request_bodies)) {
                Some(b) => Some((b, reference.clone())),
                None => {
                    errors.push(
                        &pointer,
                        format!("$ref `{reference}` points to no request body in #/components/requestBodies"),
                    );
                    None
                }
            }
        }
    }
}

/// The properties of a multipart body's schema (following one `$ref`), for the method's docs.
/// The fields of a form body (at `at`) whose `encoding` entry says how to write them. An entry
/// that names only a `contentType` (which a form has no place for) keeps the default. openapiv3
/// reads a missing `explode` as false, so whether it was said is read from the document.
fn field_styles(media: &MediaType, at: &str, types: &Types<'_>) -> Vec<FieldStyle> {
    media
        .encoding
        .iter()
        .filter_map(|(name, e)| {
            let explode_at = child(&child(&child(at, "encoding"), name), "explode");
            let explode = types.raw(&explode_at).and_then(serde_json::Value::as_bool);
            if e.style.is_none() && explode.is_none() && !e.allow_reserved {
                return None;
            }
            let style = e.style.as_ref().map_or(Style::Form, super::params::query_style);
            Some(FieldStyle {
                name: name.clone(),
                style,
                explode: explode.unwrap_or(style == Style::Form),
                allow_reserved: e.allow_reserved,
            })
        })
        .collect()
}

fn parts_of(media: &MediaType, components: Option<&Components>) -> Vec<PartDoc> {
    let schema = match &media.schema {
        Some(ReferenceOr::Item(s)) => Some(s),
        Some(ReferenceOr::Reference { reference }) => component(reference, "schemas", components.map(|c| &c.schemas)),
        None => None,
    };
    let Some(Schema { schema_kind: SchemaKind::Type(Type::Object(object)), .. }) = schema else {
        return Vec::new();
    };
    object
        .properties
        .iter()
        .map(|(name, property)| {
            let declared_file = media.encoding.get(name).and_then(|e| e.content_type.as_deref()).is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                !(t.starts_with("text/") || t.contains("json"))
            });
            let file = declared_file
                || match property {
                    ReferenceOr::Item(s) => match &s.schema_kind {
                        SchemaKind::Type(Type::Array(a)) => a.items.as_ref().is_some_and(|i| match i {
                            ReferenceOr::Item(i) => is_binary_schema(&ReferenceOr::Item((**i).clone())),
                            ReferenceOr::Reference { .. } => false,
                        }),
                        _ => is_binary_schema(&ReferenceOr::Item((**s).clone())),
                    },
                    ReferenceOr::Reference { .. } => false,
                };
            PartDoc { name: name.clone(), file, required: object.required.contains(name) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// The `ACCEPT` constant the generated marker of the spec's only operation declares.
    fn accept_of(content: &str) -> String {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /report:\n    get:\n      operationId: report\n      \
             responses:\n        '200':\n          description: ok\n          content: {content}\n"
        );
        let generated = crate::generate(&spec, &crate::Settings::new("t", "t.yaml")).expect("valid spec");
        let operations = &generated.files["src/operations.rs"];
        let line = operations.lines().find(|l| l.contains("const ACCEPT")).expect("an ACCEPT constant");
        line.split('"').nth(1).expect("a string").to_owned()
    }

    #[test]
    fn accept_asks_for_the_media_types_the_client_decodes() {
        let json_or_csv = "{application/json: {schema: {type: object}}, text/csv: {schema: {type: string}}}";
        assert_eq!(accept_of(json_or_csv), "application/json");
        let text_or_pdf = "{text/plain: {schema: {type: string}}, application/pdf: {}}";
        assert_eq!(accept_of(text_or_pdf), "text/plain", "the PDF has a method of its own");
        let csv_or_html = "{text/csv: {schema: {type: string}}, text/html: {schema: {type: string}}}";
        assert_eq!(accept_of(csv_or_html), "text/csv, text/html");
        let schemaless = "{application/json: {}}";
        assert_eq!(accept_of(schemaless), "application/json", "JSON without a schema is any JSON");
    }

    #[test]
    fn every_other_kind_of_answer_has_a_method_that_asks_for_it() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /invoice:\n    get:\n      \
                    operationId: getInvoice\n      responses:\n        '200':\n          description: ok\n          \
                    content:\n            application/json: {schema: {type: object, properties: {id: {type: string}}}}\n            \
                    application/pdf: {schema: {type: string, format: binary}}\n            image/png: {}\n            \
                    text/csv: {schema: {type: string}}\n";
        let generated = crate::generate(spec, &crate::Settings::new("t", "t.yaml")).expect("valid spec");
        let operations = &generated.files["src/operations.rs"];
        let markers: Vec<(&str, &str, &str)> = operations
            .split("impl crate::Operation for ")
            .skip(1)
            .map(|block| {
                let name = block.split_whitespace().next().unwrap_or_default();
                let output = block.split("type Output = ").nth(1).and_then(|t| t.split(';').next()).unwrap_or_default();
                let accept = block.split("const ACCEPT: &'static str = \"").nth(1).and_then(|t| t.split('"').next());
                (name, output, accept.unwrap_or_default())
            })
            .collect();
        assert_eq!(
            markers,
            [
                ("GetInvoice", "crate::models::GetInvoiceResponse", "application/json"),
                ("GetInvoiceAsText", "::std::string::String", "text/csv"),
                ("GetInvoiceAsBytes", "::bytes::Bytes", "application/pdf, image/png"),
            ]
        );
        for method in ["pub fn get_invoice(", "pub fn get_invoice_as_text(", "pub fn get_invoice_as_bytes("] {
            assert!(operations.contains(method), "{method} missing");
        }
    }
}
