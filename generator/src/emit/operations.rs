//! Emits the client's operation methods, the operation marker types, and the setters for each
//! operation's optional parameters.

use super::Piece;
use super::docs::sanitize;
use super::example::{EXAMPLE_DATE, EXAMPLE_DATE_TIME, ExampleWriter};
use super::types::{Scope, ident, rust_type};
use crate::ir::{
    Api, BodyKind, Callable, Operation, Output, Param, ParamEncoding, ParamLocation, PathPart, Style, TypeRef, Variant,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `operations.rs`, one piece per operation after the file's header: each operation's marker
/// types, its methods on `Client` (an `impl crate::Client` block of its own), its per-call
/// setters and its answer's headers, together. Whatever a spec change does to one operation
/// shows in one place of the diff, and the largest syntax tree formatted at once is one
/// operation's, not the file's.
pub fn operation_pieces<'a>(api: &'a Api, crate_name: &str) -> Vec<Piece<'a>> {
    // An identifier cannot cross threads, so each piece makes its own from the name.
    let krate = crate_name.replace('-', "_");
    let header: Piece<'a> = Box::new(|| {
        quote! {
            #![doc = " The API's operations: a method on [`Client`](crate::Client) for each, and a marker type"]
            #![doc = " for each that selects the result type and optional parameters of its [`Call`](crate::Call)."]
            // Names come from the spec, and an operation takes as many required parameters as it declares.
            #![allow(clippy::disallowed_names, clippy::too_many_arguments)]
        }
    });
    let per_operation = api.operations.iter().map(move |op| {
        let krate = krate.clone();
        Box::new(move || operation(api, op, &format_ident!("{krate}"))) as Piece<'a>
    });
    std::iter::once(header).chain(per_operation).collect()
}

/// Everything `operations.rs` has for one operation.
fn operation(api: &Api, op: &Operation, krate: &proc_macro2::Ident) -> TokenStream {
    let callables = op.callables();
    // A method for another body media type shares its operation's marker type.
    let own_marker = |c: &&Callable<'_>| c.variant != Variant::OtherBody;
    let markers = callables.iter().filter(own_marker).map(|c| marker(&c.op));
    let methods = callables.iter().map(|c| method(api, &c.op, krate, variant_note(op, c)));
    let setters = callables.iter().filter(own_marker).filter_map(|c| optional_setters(&c.op));
    let headers = super::response_headers::emit(op);
    quote! {
        #(#markers)*

        impl crate::Client {
            #(#methods)*
        }

        #(#setters)*

        #headers
    }
}

/// The uninhabited type that names an operation.
fn marker(op: &Operation) -> TokenStream {
    let name = ident(&op.type_name);
    let (output, decode) = match &op.output {
        Output::Empty => (quote!(()), quote!(::std::result::Result::Ok(()))),
        Output::Json(t) => (rust_type(t, Scope::Crate), quote!(crate::call::decode_json(&body))),
        Output::Text => (
            quote!(::std::string::String),
            quote!(::std::result::Result::Ok(::std::string::String::from_utf8_lossy(&body).into_owned())),
        ),
        Output::Bytes => (quote!(::bytes::Bytes), quote!(::std::result::Result::Ok(body))),
    };
    let body = if matches!(op.output, Output::Empty) { quote!(_body) } else { quote!(body) };
    let accept = &op.accept;
    let alternatives = op.security.iter().map(|schemes| {
        let schemes = schemes.iter().map(|i| proc_macro2::Literal::usize_unsuffixed(*i));
        quote!(&[#(#schemes),*])
    });
    let server = super::option_tokens(op.server.as_ref());
    let (id, method, path) = (&op.operation_id, &op.http_method, &op.path);
    let doc = format!(" `{method} {path}` (`{id}`).");
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #name {}

        impl crate::Operation for #name {
            type Output = #output;
            const ID: &'static str = #id;
            const METHOD: &'static str = #method;
            const PATH: &'static str = #path;
            const ACCEPT: &'static str = #accept;
            const SECURITY: &'static [&'static [usize]] = &[#(#alternatives),*];
            const SERVER: ::std::option::Option<&'static str> = #server;

            fn decode(#body: ::bytes::Bytes) -> crate::Decoded<Self::Output> {
                #decode
            }
        }
    }
}

/// The argument type of a parameter: borrowed where the value is borrowed naturally.
fn param_type(p: &Param) -> TokenStream {
    match &p.ty {
        TypeRef::String => quote!(&str),
        TypeRef::Vec(inner) => {
            let inner = param_type(&Param { ty: (**inner).clone(), ..p.clone() });
            quote!(&[#inner])
        }
        TypeRef::Named(_) => {
            let t = rust_type(&p.ty, Scope::Crate);
            quote!(&#t)
        }
        // A parameter is written by the caller, so it takes the typed value itself.
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        other => rust_type(other, Scope::Crate),
    }
}

/// The text form of a scalar parameter value (RFC 3339 for date-times, `Display` otherwise).
fn param_text(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::DateTime => quote!(#value.to_rfc3339()),
        _ => value,
    }
}

/// The builder calls that add a parameter's value to the call (`index`: its path segment).
fn apply_param(p: &Param, index: Option<usize>) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire_name;
    let place = match (p.location, index) {
        (ParamLocation::Path, Some(i)) => quote!(crate::encode::Place::Path(#i)),
        (ParamLocation::Path | ParamLocation::Query, _) => quote!(crate::encode::Place::Query),
        (ParamLocation::Header, _) => quote!(crate::encode::Place::Header),
        (ParamLocation::Cookie, _) => quote!(crate::encode::Place::Cookie),
    };
    match &p.encoding {
        ParamEncoding::Json => quote!(call = call.__json_param(#place, #wire, &#name);),
        ParamEncoding::Styled { style, explode, allow_reserved } => {
            let style = style_tokens(*style);
            quote!(call = call.__styled(#place, #wire, #style, #explode, #allow_reserved, &#name);)
        }
        ParamEncoding::Plain => {
            let adder = match p.location {
                ParamLocation::Header => quote!(header_param),
                ParamLocation::Cookie => quote!(__cookie_param),
                ParamLocation::Query | ParamLocation::Path => quote!(query_param),
            };
            match &p.ty {
                TypeRef::Vec(inner) => {
                    let text = param_text(inner, quote!(item));
                    quote!(for item in #name { call = call.#adder(#wire, #text); })
                }
                ty => {
                    let text = param_text(ty, quote!(#name));
                    quote!(call = call.#adder(#wire, #text);)
                }
            }
        }
    }
}

/// The runtime's name of a style.
fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form => quote!(crate::encode::Style::Form),
        Style::SpaceDelimited => quote!(crate::encode::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(crate::encode::Style::PipeDelimited),
        Style::DeepObject => quote!(crate::encode::Style::DeepObject),
        Style::Simple => quote!(crate::encode::Style::Simple),
        Style::Label => quote!(crate::encode::Style::Label),
        Style::Matrix => quote!(crate::encode::Style::Matrix),
    }
}

/// The method's body argument and the builder call that sends it. An optional body is an
/// `Option` of the same argument (raw bytes as `Binary` itself), sent only when `Some`.
fn body_arg(op: &Operation) -> Option<(TokenStream, TokenStream)> {
    let body = op.body.as_ref()?;
    let media = &body.media_type;
    let (ty, send) = match &body.kind {
        BodyKind::Json(ty) => {
            let t = rust_type(ty, Scope::Crate);
            (quote!(&#t), quote!(call = call.json_body(body, #media);))
        }
        BodyKind::Form(ty) if !body.field_styles.is_empty() => {
            let t = rust_type(ty, Scope::Crate);
            let styles = body.field_styles.iter().map(|f| {
                let (name, style, explode, allow_reserved) = (&f.name, style_tokens(f.style), f.explode, f.allow_reserved);
                quote!(crate::form::FieldStyle { name: #name, style: #style, explode: #explode, allow_reserved: #allow_reserved })
            });
            (quote!(&#t), quote!(call = call.__form_body_styled(body, #media, &[#(#styles),*]);))
        }
        BodyKind::Form(ty) => {
            let t = rust_type(ty, Scope::Crate);
            (quote!(&#t), quote!(call = call.__form_body(body, #media);))
        }
        BodyKind::Multipart(_) => (quote!(crate::multipart::Form), quote!(call = call.__multipart_body(body);)),
        BodyKind::Text => (quote!(&str), quote!(call = call.__text_body(body, #media);)),
        BodyKind::Binary if body.required => {
            (quote!(impl ::std::convert::Into<crate::Binary>), quote!(call = call.__binary_body(body.into(), #media);))
        }
        BodyKind::Binary => (quote!(crate::Binary), quote!(call = call.__binary_body(body, #media);)),
    };
    Some(if body.required {
        (quote!(body: #ty), send)
    } else {
        (quote!(body: ::std::option::Option<#ty>), quote!(if let ::std::option::Option::Some(body) = body { #send }))
    })
}

/// The line that starts the docs of a method for another media type: which method sends or
/// asks for which.
fn variant_note(op: &Operation, callable: &Callable<'_>) -> Vec<String> {
    let m = &op.method_name;
    match callable.variant {
        Variant::Primary => Vec::new(),
        Variant::OtherBody => {
            let primary = op.body.as_ref().map(|b| b.media_type.as_str()).unwrap_or_default();
            let this = callable.op.body.as_ref().map(|b| b.media_type.as_str()).unwrap_or_default();
            vec![format!(" Sends the body as `{this}`; [`Client::{m}`](crate::Client::{m}) sends it as `{primary}`.")]
        }
        Variant::OtherOutput => {
            let what = if callable.op.output == Output::Text { "its text" } else { "its bytes" };
            vec![format!(
                " Asks for the answer as `{}` and returns {what}; [`Client::{m}`](crate::Client::{m}) asks for \
                 `{}`.",
                callable.op.accept, op.accept
            )]
        }
    }
}

/// One client method; `note` goes first in its docs.
fn method(api: &Api, op: &Operation, krate: &proc_macro2::Ident, note: Vec<String>) -> TokenStream {
    let name = ident(&op.method_name);
    let marker = ident(&op.type_name);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.name);
        let t = param_type(p);
        quote!(#n: #t)
    });
    let (body_arg, body_call) = body_arg(op).unzip();
    // Path parameters the style encoder writes fill their whole segment after the call is made.
    let mut styled_path = Vec::new();
    let segments = op.segments.iter().enumerate().map(|(index, parts)| {
        if let [PathPart::Param(p)] = parts.as_slice()
            && let Some(param) = op.params.iter().find(|q| &q.name == p && q.encoding != ParamEncoding::Plain)
        {
            styled_path.push(apply_param(param, Some(index)));
            return quote!(::std::string::String::new());
        }
        let pieces: Vec<TokenStream> = parts
            .iter()
            .map(|part| match part {
                PathPart::Literal(text) => quote!(#text),
                PathPart::Param(p) => {
                    let ty = op.params.iter().find(|q| &q.name == p).map(|q| &q.ty);
                    let id = ident(p);
                    match ty {
                        // A list in a path is written comma-separated (the `simple` style).
                        Some(TypeRef::Vec(inner)) => {
                            let item = param_text(inner, quote!(item));
                            quote!(#id.iter().map(|item| ::std::string::ToString::to_string(&#item)).collect::<::std::vec::Vec<_>>().join(","))
                        }
                        _ => param_text(ty.unwrap_or(&TypeRef::String), quote!(#id)),
                    }
                }
            })
            .collect();
        match parts.as_slice() {
            [PathPart::Literal(text)] => quote!(::std::string::String::from(#text)),
            [PathPart::Param(_)] => {
                let piece = &pieces[0];
                quote!(::std::string::ToString::to_string(&#piece))
            }
            _ => {
                let format = "{}".repeat(pieces.len());
                quote!(::std::format!(#format, #(#pieces),*))
            }
        }
    });
    let segments: Vec<TokenStream> = segments.collect();
    let mut non_path: Vec<TokenStream> = styled_path;
    non_path.extend(required.iter().filter(|p| p.location != ParamLocation::Path).map(|p| apply_param(p, None)));
    let idempotent = op.idempotency_key.then(|| quote!(call = call.idempotent();));
    let docs = method_docs(api, op, krate, note);
    let new_call = quote!(crate::Call::new(self, ::std::vec::Vec::from([#(#segments),*])));
    let body = if non_path.is_empty() && body_call.is_none() && idempotent.is_none() {
        new_call
    } else {
        quote! {
            let mut call = #new_call;
            #(#non_path)*
            #body_call
            #idempotent
            call
        }
    };
    quote! {
        #(#[doc = #docs])*
        pub fn #name(&self, #(#args,)* #body_arg) -> crate::Call<'_, crate::operations::#marker> {
            #body
        }
    }
}

/// Setters on `Call<'_, Marker>` for an operation's optional parameters.
fn optional_setters(op: &Operation) -> Option<TokenStream> {
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    if optional.is_empty() {
        return None;
    }
    let marker = ident(&op.type_name);
    let setters = optional.iter().map(|p| {
        let name = ident(&p.name);
        let ty = param_type(p);
        let apply = apply_param(p, None);
        let mut docs = sanitize(p.doc.as_deref().unwrap_or(""));
        let place = match p.location {
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            _ => "query parameter",
        };
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(format!(" Sets the optional {place} `{}`.", p.wire_name));
        quote! {
            #(#[doc = #docs])*
            pub fn #name(self, #name: #ty) -> Self {
                let mut call = self;
                #apply
                call
            }
        }
    });
    Some(quote! {
        impl crate::Call<'_, crate::operations::#marker> {
            #(#setters)*
        }
    })
}

/// What the method's body argument is and how it goes on the wire, for its docs.
fn body_docs(op: &Operation) -> Vec<String> {
    let Some(body) = &op.body else { return Vec::new() };
    let media = &body.media_type;
    let optional =
        (!body.required).then(|| " The spec does not require a body: `None` sends the call without one.".to_owned());
    let mut docs: Vec<String> = match &body.kind {
        BodyKind::Json(_) => Vec::new(),
        BodyKind::Form(_) => vec![format!(" `body` is sent form-encoded (`{media}`).")],
        BodyKind::Text => vec![format!(" `body` is sent as `{media}`.")],
        BodyKind::Binary => vec![
            format!(" `body` is sent as `{media}`: bytes in memory, or a stream"),
            " ([`Binary::stream`](crate::Binary::stream)), which is read once and so never retried.".to_owned(),
        ],
        BodyKind::Multipart(parts) => {
            let mut docs = vec![
                format!(" `body` is sent as `{media}`; build it with [`Form`](crate::multipart::Form)."),
                " Streamed parts are read once, so a call with one is never retried.".to_owned(),
            ];
            if !parts.is_empty() {
                docs.push(" The parts the spec describes:".to_owned());
                docs.push(String::new());
                for part in parts {
                    let kind = if part.file { "a file" } else { "a value" };
                    let required = if part.required { ", required" } else { "" };
                    docs.push(format!(" - `{}`: {kind}{required}", part.name.replace('`', "'")));
                }
            }
            docs
        }
    };
    // Before a multipart list, which must end the paragraph it starts.
    docs.splice(0..0, optional);
    docs
}

/// Summary, description, what the call sends and returns, and an example.
fn method_docs(api: &Api, op: &Operation, krate: &proc_macro2::Ident, note: Vec<String>) -> Vec<String> {
    let mut docs = Vec::new();
    docs.extend(sanitize(op.summary.as_deref().unwrap_or(&op.operation_id)));
    if let Some(description) = &op.description {
        docs.push(String::new());
        docs.extend(sanitize(description));
    }
    docs.push(String::new());
    let statuses: Vec<String> = op.success_statuses.iter().map(u16::to_string).collect();
    let returns = match &op.output {
        Output::Json(TypeRef::Named(n)) => format!("[`{n}`](crate::models::{n})"),
        Output::Json(_) => "the decoded body".to_owned(),
        Output::Text => "the body as text".to_owned(),
        Output::Bytes => "the body's bytes".to_owned(),
        Output::Empty => "`()`".to_owned(),
    };
    docs.push(format!(" `{} {}`: answers {} with {returns}.", op.http_method, op.path, statuses.join(" or ")));
    docs.extend(note.into_iter().filter(|line| !line.is_empty()));
    docs.extend(body_docs(op));
    if op.idempotency_key {
        docs.push(" Every attempt carries the same `Idempotency-Key` (automatic unless you set one), so".to_owned());
        docs.push(" retries never act twice.".to_owned());
    }
    docs.push(String::new());
    docs.extend(example(api, op, krate));
    docs
}

/// The code of one call, as plain lines for a README: the operation that takes a body (the
/// typical one), else the first; `None` for an API without operations.
pub fn readme_example(api: &Api, crate_name: &str) -> Option<String> {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let op = api
        .operations
        .iter()
        .find(|op| matches!(op.body.as_ref().map(|b| &b.kind), Some(BodyKind::Json(_))))
        .or(api.operations.first())?;
    let lines = example(api, op, &krate);
    let code: Vec<&str> = lines
        .iter()
        .skip_while(|l| !l.trim_start().starts_with("```"))
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with("```"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .filter(|l| !l.starts_with('#'))
        .collect();
    Some(code.join("\n"))
}

/// A file name for a raw body's example, with an extension that fits its media type.
fn example_file_name(media_type: &str) -> String {
    let essence = media_type.split(';').next().unwrap_or(media_type).trim();
    let extension = match essence.rsplit('/').next().unwrap_or("") {
        "octet-stream" | "*" | "" => "bin",
        "jpeg" => "jpg",
        subtype if subtype.chars().all(|c| c.is_ascii_alphanumeric()) => subtype,
        _ => "bin",
    };
    format!("upload.{extension}")
}

/// A short `no_run` example of the call, formatted by prettyplease.
fn example(api: &Api, op: &Operation, krate: &proc_macro2::Ident) -> Vec<String> {
    let writer = ExampleWriter { api, crate_ident: krate };
    let method = ident(&op.method_name);
    let args: Vec<TokenStream> =
        op.params
            .iter()
            .filter(|p| p.required)
            .map(|p| match &p.ty {
                TypeRef::String => {
                    let text = &p.wire_name;
                    quote!(#text)
                }
                // A date parameter takes chrono's type itself (see `param_type`).
                TypeRef::Date => quote!(#EXAMPLE_DATE.parse::<::chrono::NaiveDate>()?),
                TypeRef::DateTime => {
                    quote!(#EXAMPLE_DATE_TIME.parse::<::chrono::DateTime<::chrono::FixedOffset>>()?)
                }
                ty => writer.expr(ty, None, &p.wire_name, 0).map_or(quote!(::std::default::Default::default()), |e| {
                    match ty {
                        TypeRef::Named(_) | TypeRef::Vec(_) => quote!(&#e),
                        _ => e,
                    }
                }),
            })
            .collect();
    let (hidden_param, request_line, body_arg) = match op.body.as_ref().map(|b| (b, &b.kind)) {
        None => (None, None, None),
        Some((_, BodyKind::Json(ty) | BodyKind::Form(ty))) => {
            match writer.owned_expr(ty, op.body_example.as_ref(), "text", 0) {
                Some(expr) => (None, Some(quote!(let request = #expr;)), Some(quote!(&request))),
                None => (Some(rust_type(ty, Scope::External(krate))), None, Some(quote!(&request))),
            }
        }
        Some((_, BodyKind::Text)) => (None, None, Some(quote!("text"))),
        Some((b, BodyKind::Binary)) => {
            let file = example_file_name(&b.media_type);
            (None, Some(quote!(let file = ::std::fs::read(#file)?;)), Some(quote!(file)))
        }
        Some((_, BodyKind::Multipart(parts))) => {
            let adds = parts.iter().map(|part| {
                let name = &part.name;
                if part.file {
                    quote!(.part(#name, #krate::multipart::Part::bytes(::std::fs::read("upload.bin")?).file_name("upload.bin")))
                } else {
                    quote!(.text(#name, "value"))
                }
            });
            (None, Some(quote!(let form = #krate::multipart::Form::new() #(#adds)*;)), Some(quote!(form)))
        }
    };
    let body_arg = match (body_arg, op.body.as_ref()) {
        (Some(arg), Some(body)) if !body.required => match body.kind {
            BodyKind::Binary => Some(quote!(Some(#arg.into()))),
            _ => Some(quote!(Some(#arg))),
        },
        (arg, _) => arg,
    };
    let key = "YOUR_SECRET_KEY";
    // A relative server needs the document's address before the client can be built.
    let client = match api.relative_server {
        Some(_) => {
            let document = super::EXAMPLE_DOCUMENT_URL;
            quote!(#krate::Client::builder(#key).document_url(#document).build()?)
        }
        None => quote!(#krate::Client::new(#key)?),
    };
    let call = quote! {
        fn example() {
            let client = #client;
            #request_line
            let response = client.#method(#(#args,)* #body_arg).await?;
            println!("{response:?}");
        }
    };
    let formatted = crate::format::format_tokens(call).unwrap_or_default();
    let body: Vec<&str> = formatted.lines().skip(1).take_while(|l| *l != "}").collect();
    let signature = match hidden_param {
        Some(t) => format!("# async fn example(request: {t}) -> Result<(), Box<dyn std::error::Error>> {{"),
        None => "# async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
    };
    let mut lines = vec![" # Example".to_owned(), String::new(), " ```no_run".to_owned(), format!(" {signature}")];
    lines.extend(body.iter().map(|l| format!(" {}", l.strip_prefix("    ").unwrap_or(l))));
    lines.extend([" # Ok(())".to_owned(), " # }".to_owned(), " ```".to_owned()]);
    lines
}
