//! The public surface of a generated crate, read off the IR: every item a user's code can name
//! (or rely on), flattened into a map, each with what the compiler checks (`signature`) and what
//! it does on the wire (`meaning`). Two surfaces compare item by item.
//!
//! This is the one place that knows what each IR node becomes in the crate (see emit/); when the
//! IR grows a new shape, it is mapped here. Matches are exhaustive on purpose, so a new shape
//! fails to compile until it is mapped.

use crate::diagnostics::child;
use crate::ir::{
    Api, Auth, Evidence, Field, JsonKind, Operation, Param, ParamLocation, PathPart, Presence, Struct, TypeDef,
    TypeKind, TypeRef, Variant,
};
use std::collections::BTreeMap;

/// What an item is; decides how its addition, removal or change is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    /// A type in `models` (struct, enum, union, alias).
    Type,
    /// A public field of a struct.
    Field,
    /// A struct's `new(required…)`.
    Constructor,
    /// A struct's `with_…` setter.
    Setter,
    /// `impl Default` of a struct whose fields are all optional.
    DefaultImpl,
    /// A known value of an open string enum (`Unknown` keeps the rest).
    EnumVariant,
    /// A known variant of a discriminated union (`Unknown` keeps the rest).
    UnionVariant,
    /// A variant of an untagged union (`Other` keeps the rest).
    UntaggedVariant,
    /// The order of a string enum's values, which its derived `PartialOrd`/`Ord` follow.
    EnumOrder,
    /// The order of an untagged union's members, which breaks ties between members that fit a
    /// value equally well.
    UntaggedOrder,
    /// A method on `Client`: one operation.
    Method,
    /// An operation's marker type in `operations`, which fixes its output type.
    Marker,
    /// The credentials an operation's calls send.
    OperationCredential,
    /// A setter on `Call<'_, Marker>` for an optional parameter.
    ParamSetter,
    /// An operation that sends an automatic `Idempotency-Key` and may retry a POST.
    Idempotency,
    /// The base URL a client uses when none is set.
    DefaultServer,
    /// A variable of the default server's URL, which `ClientBuilder::server_variable` sets.
    ServerVariable,
    /// How the client sends its credential.
    Credential,
    /// `ApiErrorBody`, the type of error bodies.
    ErrorBody,
    /// The webhook module and its settings.
    Webhooks,
    /// The type of a webhook request's body, in the `webhooks` module.
    WebhookPayload,
}

impl ItemKind {
    /// Whether the item is what its spec node defines (a type, a field, an operation) rather
    /// than something derived from it (a constructor, a setter, a marker type).
    pub fn is_primary(self) -> bool {
        !matches!(
            self,
            ItemKind::Constructor
                | ItemKind::Setter
                | ItemKind::DefaultImpl
                | ItemKind::Marker
                | ItemKind::OperationCredential
                | ItemKind::Idempotency
                | ItemKind::ParamSetter
                | ItemKind::EnumOrder
                | ItemKind::UntaggedOrder
        )
    }

    /// Whether a difference under the item's spec node is about the item. Not for
    /// `ApiErrorBody`: it is gathered from every operation's error answers, so its node is all
    /// of `#/paths`, and a change to one path is about that path's operations, not about it.
    pub fn anchors(self) -> bool {
        self != ItemKind::ErrorBody
    }

    /// How the kind reads in a sentence and in a change's `kind` (`field` → `field-added`).
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Type => "type",
            ItemKind::Field => "field",
            ItemKind::Constructor => "constructor",
            ItemKind::Setter => "setter",
            ItemKind::DefaultImpl => "default-impl",
            ItemKind::EnumVariant => "enum-value",
            ItemKind::UnionVariant => "union-variant",
            ItemKind::UntaggedVariant => "untagged-variant",
            ItemKind::EnumOrder => "enum-order",
            ItemKind::UntaggedOrder => "untagged-order",
            ItemKind::Method => "operation",
            ItemKind::Marker => "operation-output",
            ItemKind::OperationCredential => "operation-credential",
            ItemKind::ParamSetter => "optional-parameter",
            ItemKind::Idempotency => "idempotency-key",
            ItemKind::DefaultServer => "default-server",
            ItemKind::ServerVariable => "server-variable",
            ItemKind::Credential => "credential",
            ItemKind::ErrorBody => "error-body",
            ItemKind::Webhooks => "webhooks",
            ItemKind::WebhookPayload => "webhook-payload",
        }
    }
}

/// One thing a user's code can depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The Rust path (`plexy::models::PaymentRequest::new`), or `None` for a behaviour of the
    /// crate that no single path names.
    pub rust: Option<String>,
    /// What it is.
    pub kind: ItemKind,
    /// JSON pointer (`#/…`) of the spec node it comes from.
    pub pointer: String,
    /// What the compiler checks: a change here can stop callers compiling. Argument names are
    /// left out (callers pass arguments by position); their order shows in `meaning`.
    pub signature: String,
    /// The signature as a reader wants to see it, with argument names.
    pub shown: String,
    /// What it means on the wire: a change here compiles unchanged but behaves differently.
    pub meaning: String,
    /// The key of the item this one belongs to (a field's struct, a setter's operation), so that
    /// adding or removing the whole reports it once.
    pub parent: Option<String>,
    /// For an order the item's behaviour follows (an enum's `Ord`, an untagged union's
    /// tie-breaks): every pair of names (earlier, later) whose relative order matters. Only pairs
    /// named on both sides are compared, so an added or removed name (reported on its own) is
    /// not a reordering, and pairs whose order cannot show are left out.
    pub ordered: Vec<(String, String)>,
}

/// Every item of a crate, by a key unique within the crate (usually the Rust path).
pub type Surface = BTreeMap<String, Item>;

/// Reads the public surface of the crate `crate_name` that `api` becomes.
pub fn surface(api: &Api, crate_name: &str) -> Surface {
    let root = crate_name.replace('-', "_");
    let mut out = Surface::new();
    for def in api.types.values() {
        type_items(&root, def, &mut out);
    }
    for op in &api.operations {
        for callable in op.callables() {
            operation_items(&root, api, &callable.op, callable.variant, &mut out);
        }
    }
    let client = format!("{root}::Client");
    let server = match (&api.base_url, &api.relative_server) {
        (Some(url), _) => url.clone(),
        (None, Some(relative)) => format!("`{relative}`, relative to the document's address"),
        (None, None) => "no server (a base URL must be set)".to_owned(),
    };
    let server_item = Item {
        rust: Some(client.clone()),
        kind: ItemKind::DefaultServer,
        pointer: "#/servers".to_owned(),
        signature: String::new(),
        shown: String::new(),
        meaning: server,
        parent: None,
        ordered: Vec::new(),
    };
    out.insert(format!("{client}: default server"), server_item);
    for variable in &api.server_variables {
        let allowed = if variable.allowed.is_empty() {
            "any value".to_owned()
        } else {
            let values: Vec<String> = variable.allowed.iter().map(|v| format!("`{v}`")).collect();
            format!("one of {}", values.join(", "))
        };
        let variable_item = Item {
            rust: Some(client.clone()),
            kind: ItemKind::ServerVariable,
            pointer: "#/servers/0/variables".to_owned(),
            signature: String::new(),
            shown: String::new(),
            meaning: format!("`{}`: `{}` by default, {allowed}", variable.name, variable.default),
            parent: None,
            ordered: Vec::new(),
        };
        out.insert(format!("{client}: server variable `{}`", variable.name), variable_item);
    }
    for (index, scheme) in api.security_schemes.iter().enumerate() {
        let primary = if api.primary_scheme == Some(index) { ", the key given to `Client::builder`" } else { "" };
        let credential_item = Item {
            rust: Some(client.clone()),
            kind: ItemKind::Credential,
            pointer: child("#/components/securitySchemes", &scheme.name),
            signature: String::new(),
            shown: String::new(),
            meaning: format!("{}{primary}", placement(&scheme.auth)),
            parent: None,
            ordered: Vec::new(),
        };
        out.insert(format!("{client}: credential `{}`", scheme.name), credential_item);
    }
    let error_body = api.error_body.as_ref().map_or_else(|| "serde_json::Value".to_owned(), rust_type);
    let path = format!("{root}::ApiErrorBody");
    out.insert(
        path.clone(),
        Item {
            rust: Some(path),
            kind: ItemKind::ErrorBody,
            pointer: "#/paths".to_owned(),
            signature: format!("type ApiErrorBody = {error_body}"),
            shown: format!("type ApiErrorBody = {error_body}"),
            meaning: String::new(),
            parent: None,
            ordered: Vec::new(),
        },
    );
    if let Some(webhooks) = &api.webhooks {
        let path = format!("{root}::webhook");
        out.insert(
            path.clone(),
            Item {
                rust: Some(path),
                kind: ItemKind::Webhooks,
                pointer: "#/x-plexy-webhooks".to_owned(),
                signature: format!("type WebhookEvent = {}", rust_type(&webhooks.event)),
                shown: format!("type WebhookEvent = {}", rust_type(&webhooks.event)),
                meaning: format!(
                    "signature in the `{}` header, timestamps within {} s",
                    webhooks.signature_header, webhooks.tolerance_secs
                ),
                parent: None,
                ordered: Vec::new(),
            },
        );
    }
    for payload in &api.webhook_payloads {
        let path = format!("{root}::webhooks::{}", payload.name);
        let signature = format!("type {} = {}", payload.name, rust_type(&payload.ty));
        out.insert(
            path.clone(),
            Item {
                rust: Some(path),
                kind: ItemKind::WebhookPayload,
                pointer: payload.pointer.clone(),
                shown: signature.clone(),
                signature,
                meaning: format!("the body of `{} {}` ({})", payload.method, payload.webhook, payload.media_type),
                parent: None,
                ordered: Vec::new(),
            },
        );
    }
    out
}

/// The type and what it carries: fields, constructor, setters, variants.
fn type_items(root: &str, def: &TypeDef, out: &mut Surface) {
    let path = format!("{root}::models::{}", def.name);
    let (shape, meaning) = match &def.kind {
        TypeKind::Struct(_) => ("struct".to_owned(), String::new()),
        TypeKind::Enum(_) => ("open enum (`Unknown` keeps other values)".to_owned(), String::new()),
        TypeKind::ValueEnum(_) => ("open value enum (`Unknown` keeps other values)".to_owned(), String::new()),
        TypeKind::Union(u) => {
            ("tagged union (`Unknown` keeps other tags)".to_owned(), format!("tagged by the `{}` property", u.tag))
        }
        TypeKind::Untagged(_) => ("untagged union (`Other` keeps the rest)".to_owned(), String::new()),
        TypeKind::Alias(target) => (format!("type {} = {}", def.name, rust_type(target)), String::new()),
    };
    let item = |kind, pointer: String, signature: String, meaning: String| Item {
        rust: None,
        kind,
        pointer,
        shown: signature.clone(),
        signature,
        meaning,
        parent: Some(path.clone()),
        ordered: Vec::new(),
    };
    let mut add = |key: String, mut item: Item| {
        item.rust = Some(key.split(": ").next().unwrap_or(&key).to_owned());
        out.insert(key, item);
    };
    add(path.clone(), Item { parent: None, ..item(ItemKind::Type, def.pointer.clone(), shape, meaning) });
    match &def.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                let pointer = child(&child(&def.pointer, "properties"), &f.wire_name);
                let wire = if f.flatten { "properties flattened into the object".to_owned() } else { wire(f) };
                let signature = format!("pub {}: {}", f.name, field_type(f));
                add(format!("{path}::{}", f.name), item(ItemKind::Field, pointer.clone(), signature, wire));
                if !f.required {
                    let signature = format!("fn with_{}(self, {}: {}) -> Self", f.name, f.name, arg_type(f));
                    add(format!("{path}::with_{}", f.name), item(ItemKind::Setter, pointer, signature, String::new()));
                }
            }
            if let Some((name, ty)) = &s.additional {
                let pointer = child(&def.pointer, "additionalProperties");
                let signature = format!("pub {name}: BTreeMap<String, {}>", rust_type(ty));
                let meaning = "properties the spec does not name".to_owned();
                add(format!("{path}::{name}"), item(ItemKind::Field, pointer, signature, meaning));
            }
            let (signature, shown, meaning) = constructor(s);
            let constructor = Item { shown, ..item(ItemKind::Constructor, def.pointer.clone(), signature, meaning) };
            add(format!("{path}::new"), constructor);
            // Derived when every field is optional; written by hand when `new` takes nothing.
            let derived = s.fields.iter().all(|f| !f.flatten && f.presence() != Presence::Required);
            let takes_nothing = s.fields.iter().all(|f| !f.required || f.pinned.is_some());
            if derived || takes_nothing {
                let signature = format!("impl Default for {}", def.name);
                let key = format!("{path}: Default");
                add(key, item(ItemKind::DefaultImpl, def.pointer.clone(), signature, String::new()));
            }
        }
        TypeKind::Enum(e) => {
            for v in &e.variants {
                let meaning = format!("`{}`", v.wire_value);
                let pointer = child(&def.pointer, "enum");
                add(format!("{path}::{}", v.name), item(ItemKind::EnumVariant, pointer, v.name.clone(), meaning));
            }
            // emit/enums.rs derives `PartialOrd` and `Ord`, which order the values as declared:
            // every pair's order is part of the type's behaviour.
            let names: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
            let ordered = pairs(&names, |_, _| true);
            let order = item(ItemKind::EnumOrder, child(&def.pointer, "enum"), String::new(), String::new());
            add(format!("{path}: Ord"), Item { ordered, ..order });
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                let payload = if v.boxed { format!("Box<{}>", v.type_name) } else { v.type_name.clone() };
                let signature = format!("{}({payload})", v.name);
                let tags: Vec<String> = v.tag_values.iter().map(|t| format!("`{t}`")).collect();
                let meaning = format!("`{}` = {}", u.tag, tags.join(" or "));
                let first = v.tag_values.first().map_or("", String::as_str);
                let pointer = child(&child(&child(&def.pointer, "discriminator"), "mapping"), first);
                add(format!("{path}::{}", v.name), item(ItemKind::UnionVariant, pointer, signature, meaning));
            }
        }
        TypeKind::Untagged(u) => {
            for v in &u.variants {
                let ty = rust_type(&v.ty);
                let payload = if v.boxed { format!("Box<{ty}>") } else { ty };
                let signature = format!("{}({payload})", v.name);
                let pointer = def.pointer.clone();
                add(format!("{path}::{}", v.name), item(ItemKind::UntaggedVariant, pointer, signature, String::new()));
            }
            // Decoding tries the members that fit tightest first (runtime/values.rs, `candidates`);
            // the spec's order only breaks ties, so it matters only between members one value can
            // fit both of.
            let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
            let ordered = pairs(&names, |a, b| may_both_fit(&u.variants[a].evidence, &u.variants[b].evidence));
            let order = item(ItemKind::UntaggedOrder, def.pointer.clone(), String::new(), String::new());
            add(format!("{path}: member order"), Item { ordered, ..order });
        }
        TypeKind::ValueEnum(e) => {
            for v in &e.variants {
                let meaning = format!("`{}`", v.value);
                let pointer = child(&def.pointer, "enum");
                add(format!("{path}::{}", v.name), item(ItemKind::EnumVariant, pointer, v.name.clone(), meaning));
            }
        }
        TypeKind::Alias(_) => {}
    }
}

/// The client method, the marker type, the optional-parameter setters and the idempotency key.
/// A method for another body media type shares its operation's marker, so brings only itself.
fn operation_items(root: &str, api: &Api, op: &Operation, variant: Variant, out: &mut Surface) {
    let method = format!("{root}::Client::{}", op.method_name);
    let marker = format!("{root}::operations::{}", op.type_name);
    let pointer = child(&child("#/paths", &op.path), &op.http_method.to_ascii_lowercase());
    let slots: Vec<&str> = op
        .segments
        .iter()
        .flatten()
        .filter_map(|part| match part {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
        .collect();
    let (mut types, mut named, mut wires) = (vec!["&self".to_owned()], vec!["&self".to_owned()], Vec::new());
    for p in op.params.iter().filter(|p| p.required) {
        types.push(param_type(&p.ty));
        named.push(format!("{}: {}", p.name, param_type(&p.ty)));
        wires.push(match slots.iter().position(|slot| *slot == p.name) {
            Some(slot) => format!("path slot {}", slot + 1),
            None => place(p),
        });
    }
    if let Some(body) = &op.body {
        let (arg, what) = match &body.kind {
            crate::ir::BodyKind::Json(ty) => (format!("&{}", rust_type(ty)), "the JSON body".to_owned()),
            crate::ir::BodyKind::Form(ty) => (format!("&{}", rust_type(ty)), "the form body".to_owned()),
            crate::ir::BodyKind::Multipart(_) => ("multipart::Form".to_owned(), "the multipart body".to_owned()),
            crate::ir::BodyKind::Text => ("&str".to_owned(), format!("the `{}` body", body.media_type)),
            crate::ir::BodyKind::Binary if body.required => {
                ("impl Into<Binary>".to_owned(), format!("the `{}` body", body.media_type))
            }
            crate::ir::BodyKind::Binary => ("Binary".to_owned(), format!("the `{}` body", body.media_type)),
        };
        let arg = if body.required { arg } else { format!("Option<{arg}>") };
        types.push(arg.clone());
        named.push(format!("body: {arg}"));
        wires.push(what);
    }
    let returns = format!("Call<'_, {}>", op.type_name);
    let signature = format!("fn {}({}) -> {returns}", op.method_name, types.join(", "));
    let shown = format!("fn {}({}) -> {returns}", op.method_name, named.join(", "));
    let meaning = if wires.len() > 1 { format!("arguments fill {}", wires.join(", ")) } else { String::new() };
    let item = |rust: &str, kind, signature: String, meaning: String, parent: Option<&str>| Item {
        rust: Some(rust.to_owned()),
        kind,
        pointer: pointer.clone(),
        shown: signature.clone(),
        signature,
        meaning,
        parent: parent.map(str::to_owned),
        ordered: Vec::new(),
    };
    let method_item = Item { shown, ..item(&method, ItemKind::Method, signature, meaning, None) };
    out.insert(method.clone(), method_item);
    if variant == Variant::OtherBody {
        return;
    }
    let output = match &op.output {
        crate::ir::Output::Empty => "()".to_owned(),
        crate::ir::Output::Json(ty) => rust_type(ty),
        crate::ir::Output::Text => "String".to_owned(),
        crate::ir::Output::Bytes => "bytes::Bytes".to_owned(),
    };
    // Path parameters are named only to be placed: `{id}` and `{sessionId}` send the same request.
    let template: Vec<String> = op
        .segments
        .iter()
        .map(|parts| {
            parts
                .iter()
                .map(|part| match part {
                    PathPart::Literal(text) => text.as_str(),
                    PathPart::Param(_) => "{…}",
                })
                .collect()
        })
        .collect();
    let mut sends = format!("{} /{} (`{}`)", op.http_method, template.join("/"), op.operation_id);
    if let Some(server) = &op.server {
        sends.push_str(&format!(" to {server}"));
    }
    out.insert(
        marker.clone(),
        item(&marker, ItemKind::Marker, format!("type Output = {output}"), sends, Some(&method)),
    );
    // What a call sends to prove who it is belongs to the request, not to the output type.
    out.insert(
        format!("{method}: security"),
        item(&method, ItemKind::OperationCredential, String::new(), security_of(api, op), Some(&method)),
    );
    for p in op.params.iter().filter(|p| !p.required) {
        let rust = format!("{root}::Call<'_, {marker}>::{}", p.name);
        let signature = format!("fn {}(self, {}: {}) -> Self", p.name, p.name, param_type(&p.ty));
        out.insert(rust.clone(), item(&rust, ItemKind::ParamSetter, signature, place(p), Some(&method)));
    }
    // The headers struct and its reader belong to the operation's own marker.
    let headers = if variant == Variant::Primary { op.response_headers.as_slice() } else { &[] };
    for h in headers {
        let rust = format!("{root}::operations::{}::{}", op.headers_type, h.name);
        let signature = format!("{}: Option<{}>", h.name, rust_type(&h.ty));
        let meaning = format!("the `{}` header of a success answer", h.wire_name);
        out.insert(rust.clone(), item(&rust, ItemKind::Field, signature, meaning, Some(&method)));
    }
    if op.idempotency_key {
        let meaning = "sends an automatic `Idempotency-Key` and retries after a possible delivery".to_owned();
        out.insert(
            format!("{method}: Idempotency-Key"),
            item(&method, ItemKind::Idempotency, String::new(), meaning, Some(&method)),
        );
    }
}

/// Where a parameter goes, as a phrase.
fn place(p: &Param) -> String {
    match p.location {
        ParamLocation::Path => format!("the path parameter `{}`", p.wire_name),
        ParamLocation::Query => format!("the query parameter `{}`", p.wire_name),
        ParamLocation::Header => format!("the header `{}`", p.wire_name.to_ascii_lowercase()),
        ParamLocation::Cookie => format!("the cookie `{}`", p.wire_name),
    }
}

/// The wire name of a field. (Nullability shows in the Rust type where it matters: a required
/// nullable field is an `Option`.)
fn wire(f: &Field) -> String {
    format!("`{}`", f.wire_name)
}

/// `new(required…)` as emit/structs.rs writes it: the signature without names, with names, and
/// which property each argument sets.
fn constructor(s: &Struct) -> (String, String, String) {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required && f.pinned.is_none()).collect();
    let types: Vec<String> = required.iter().map(|f| arg_type(f)).collect();
    let named: Vec<String> = required.iter().map(|f| format!("{}: {}", f.name, arg_type(f))).collect();
    let sets: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire_name)).collect();
    let meaning = if sets.is_empty() { String::new() } else { format!("arguments set {}", sets.join(", ")) };
    (format!("fn new({}) -> Self", types.join(", ")), format!("fn new({}) -> Self", named.join(", ")), meaning)
}

/// A field's stored type, with the `Box` and `Option` emit/structs.rs adds.
fn field_type(f: &Field) -> String {
    let inner = rust_type(&f.ty);
    let inner = if f.boxed { format!("Box<{inner}>") } else { inner };
    match f.presence() {
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{inner}>"),
        Presence::OptionalNullable => format!("Nullable<{inner}>"),
    }
}

/// The argument type of a constructor or setter, as emit/structs.rs writes it.
fn arg_type(f: &Field) -> String {
    let ty = rust_type(&f.ty);
    if f.required && f.nullable {
        format!("Option<{ty}>")
    } else if matches!(f.ty, TypeRef::String | TypeRef::Date | TypeRef::DateTime) {
        format!("impl Into<{ty}>")
    } else {
        ty
    }
}

/// The argument type of an operation parameter, as emit/operations.rs writes it.
fn param_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "&str".to_owned(),
        TypeRef::Vec(inner) => format!("&[{}]", param_type(inner)),
        TypeRef::Named(_) => format!("&{}", rust_type(ty)),
        other => rust_type(other),
    }
}

/// A type as a reader writes it (short paths; the crate names them in full).
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Date => "Formatted<chrono::NaiveDate>".to_owned(),
        TypeRef::DateTime => "Formatted<chrono::DateTime<FixedOffset>>".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Null => "()".to_owned(),
        TypeRef::OrNull(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
    }
}

/// Where a scheme's credential goes, in words.
fn placement(auth: &Auth) -> String {
    match auth {
        // Header names are case-insensitive (RFC 9110), so `X-Api-Key` is the same header.
        Auth::ApiKeyHeader(header) => format!("API key in the `{}` header", header.to_ascii_lowercase()),
        Auth::ApiKeyQuery(name) => format!("API key in the `{name}` query parameter"),
        Auth::ApiKeyCookie(name) => format!("API key in the `{name}` cookie"),
        Auth::Bearer => "`Authorization: Bearer` token".to_owned(),
        Auth::Basic => "`Authorization: Basic` user and password".to_owned(),
    }
}

/// What an operation's calls send as credentials, in words. Requiring the primary scheme's key
/// or accepting none (an optional credential) both read as the usual case.
fn security_of(api: &Api, op: &Operation) -> String {
    let primary: Vec<usize> = api.primary_scheme.into_iter().collect();
    let usual = [primary.clone()] == op.security.as_slice() || [primary.clone(), Vec::new()] == op.security.as_slice();
    if usual && !primary.is_empty() {
        return "the key given to `Client::builder`".to_owned();
    }
    let words: Vec<String> = op
        .security
        .iter()
        .map(|alternative| match alternative.as_slice() {
            [] => "no credential".to_owned(),
            schemes => {
                schemes.iter().map(|&i| format!("`{}`", api.security_schemes[i].name)).collect::<Vec<_>>().join(" and ")
            }
        })
        .collect();
    words.join(", or ")
}

/// Every pair (earlier, later) of `names` for which `matters` holds (by index).
fn pairs(names: &[&str], matters: impl Fn(usize, usize) -> bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (a, first) in names.iter().enumerate() {
        for (b, second) in names.iter().enumerate().skip(a + 1) {
            if matters(a, b) {
                out.push(((*first).to_owned(), (*second).to_owned()));
            }
        }
    }
    out
}

/// The classes of JSON value a runtime `kind_of` tells apart, as bits: an integer-valued number
/// fits both `integer` and `number`, a number with a fraction only `number`.
const NULL: u8 = 1;
const BOOLEAN: u8 = 1 << 1;
const WHOLE: u8 = 1 << 2;
const FRACTION: u8 = 1 << 3;
const STRING: u8 = 1 << 4;
const ARRAY: u8 = 1 << 5;
const OBJECT: u8 = 1 << 6;

/// The classes of value a member's evidence lets through (`Evidence::fits` checks the kind
/// first; a member of alternatives takes what any of them takes).
fn classes(e: &Evidence) -> u8 {
    if !e.alternatives.is_empty() {
        return e.alternatives.iter().fold(0, |all, a| all | classes(a));
    }
    if e.kinds.is_empty() {
        return u8::MAX;
    }
    e.kinds.iter().fold(0, |all, kind| {
        all | match kind {
            JsonKind::Null => NULL,
            JsonKind::Boolean => BOOLEAN,
            JsonKind::Integer => WHOLE,
            JsonKind::Number => WHOLE | FRACTION,
            JsonKind::String => STRING,
            JsonKind::Array => ARRAY,
            JsonKind::Object => OBJECT,
        }
    })
}

/// Whether some value could fit both members, so that their order could decide between them:
/// not when they take different kinds of value, or list values of which none is shared. (A
/// cautious answer: other evidence may still keep them apart.)
fn may_both_fit(a: &Evidence, b: &Evidence) -> bool {
    if classes(a) & classes(b) == 0 {
        return false;
    }
    match (&a.values, &b.values, a.alternatives.is_empty() && b.alternatives.is_empty()) {
        (Some(x), Some(y), true) => x.iter().any(|v| y.iter().any(|w| super::spec::same(v, w))),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(kinds: &[JsonKind], values: Option<Vec<serde_json::Value>>) -> Evidence {
        Evidence { kinds: kinds.to_vec(), values, ..Evidence::default() }
    }

    #[test]
    fn members_of_disjoint_kinds_or_values_cannot_tie() {
        let string = evidence(&[JsonKind::String], None);
        let integer = evidence(&[JsonKind::Integer], None);
        let number = evidence(&[JsonKind::Number], None);
        let any = evidence(&[], None);
        assert!(!may_both_fit(&string, &integer));
        assert!(may_both_fit(&integer, &number), "1 is an integer and a number");
        assert!(may_both_fit(&any, &string));
        let ab = evidence(&[JsonKind::String], Some(vec!["a".into(), "b".into()]));
        let cd = evidence(&[JsonKind::String], Some(vec!["c".into(), "d".into()]));
        let bc = evidence(&[JsonKind::String], Some(vec!["b".into(), "c".into()]));
        assert!(!may_both_fit(&ab, &cd));
        assert!(may_both_fit(&ab, &bc));
        let either = Evidence { alternatives: vec![string.clone(), integer.clone()], ..Evidence::default() };
        assert!(may_both_fit(&either, &integer) && !may_both_fit(&either, &evidence(&[JsonKind::Array], None)));
    }
}
