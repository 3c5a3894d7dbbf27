//! Emits the client's operation methods, the operation marker types, and the setters for each
//! operation's optional parameters.

use super::docs::sanitize;
use super::example::ExampleWriter;
use super::types::{Scope, ident, rust_type};
use crate::ir::{Api, Operation, Param, ParamLocation, PathPart, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The whole `operations.rs`: marker types, then `impl Client`, then per-call setters.
pub fn emit_operations(api: &Api, crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let markers = api.operations.iter().map(marker);
    let methods = api.operations.iter().map(|op| method(api, op, &krate));
    let setters = api.operations.iter().filter_map(optional_setters);
    quote! {
        #![doc = " The API's operations: a method on [`Client`](crate::Client) for each, and a marker type"]
        #![doc = " for each that selects the result type and optional parameters of its [`Call`](crate::Call)."]
        #![allow(clippy::disallowed_names)]

        #(#markers)*

        impl crate::Client {
            #(#methods)*
        }

        #(#setters)*
    }
}

/// The uninhabited type that names an operation.
fn marker(op: &Operation) -> TokenStream {
    let name = ident(&op.type_name);
    let output = op.success.as_ref().map_or(quote!(()), |t| rust_type(t, Scope::Crate));
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

/// The builder calls that add a parameter's value to the call.
fn apply_param(p: &Param) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire_name;
    let adder = match p.location {
        ParamLocation::Header => quote!(header_param),
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

/// One client method.
fn method(api: &Api, op: &Operation, krate: &proc_macro2::Ident) -> TokenStream {
    let name = ident(&op.method_name);
    let marker = ident(&op.type_name);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.name);
        let t = param_type(p);
        quote!(#n: #t)
    });
    let body_arg = op.body.as_ref().map(|b| {
        let t = rust_type(&b.ty, Scope::Crate);
        quote!(body: &#t)
    });
    let segments = op.segments.iter().map(|parts| {
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
    let non_path: Vec<TokenStream> =
        required.iter().filter(|p| p.location != ParamLocation::Path).map(|p| apply_param(p)).collect();
    let body_call = op.body.as_ref().map(|_| quote!(call = call.json_body(body);));
    let idempotent = op.idempotency_key.then(|| quote!(call = call.idempotent();));
    let docs = method_docs(api, op, krate);
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
        let apply = apply_param(p);
        let mut docs = sanitize(p.doc.as_deref().unwrap_or(""));
        let place = match p.location {
            ParamLocation::Header => "header",
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

/// Summary, description, what the call sends and returns, and an example.
fn method_docs(api: &Api, op: &Operation, krate: &proc_macro2::Ident) -> Vec<String> {
    let mut docs = Vec::new();
    docs.extend(sanitize(op.summary.as_deref().unwrap_or(&op.operation_id)));
    if let Some(description) = &op.description {
        docs.push(String::new());
        docs.extend(sanitize(description));
    }
    docs.push(String::new());
    let statuses: Vec<String> = op.success_statuses.iter().map(u16::to_string).collect();
    let returns = match &op.success {
        Some(TypeRef::Named(n)) => format!("[`{n}`](crate::models::{n})"),
        Some(_) => "the decoded body".to_owned(),
        None => "`()`".to_owned(),
    };
    docs.push(format!(" `{} {}`: answers {} with {returns}.", op.http_method, op.path, statuses.join(" or ")));
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
    let op = api.operations.iter().find(|op| op.body.is_some()).or(api.operations.first())?;
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
                ty => writer.expr(ty, None, &p.wire_name, 0).map_or(quote!(::std::default::Default::default()), |e| {
                    match ty {
                        TypeRef::Named(_) | TypeRef::Vec(_) => quote!(&#e),
                        _ => e,
                    }
                }),
            })
            .collect();
    let built = op.body.as_ref().map(|b| writer.expr(&b.ty, op.body_example.as_ref(), "text", 0));
    let (hidden_param, request_line, body_arg) = match (&op.body, built) {
        (None, _) => (None, None, None),
        (Some(_), Some(Some(expr))) => (None, Some(quote!(let request = #expr;)), Some(quote!(&request))),
        (Some(b), _) => (Some(rust_type(&b.ty, Scope::External(krate))), None, Some(quote!(&request))),
    };
    let key = "YOUR_SECRET_KEY";
    let call = quote! {
        fn example() {
            let client = #krate::Client::new(#key)?;
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
