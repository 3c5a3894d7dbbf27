//! Stage 3: IR → token streams, one per generated Rust file. Split by construct: structs, enums,
//! unions, operations; this module assembles them into files.

mod docs;
mod enums;
mod example;
mod models;
mod operations;
mod prelude;
mod response_headers;
mod structs;
mod types;
mod unions;
mod untagged;
mod value_enums;
mod webhook_payloads;

pub use docs::{clean_doc_attributes, sanitize};
pub use operations::readme_example;

use crate::ir::{Api, Auth};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;
use types::{Scope, rust_type};

/// Where doc examples say a spec with a relative server is served (RFC 2606's example domain).
pub const EXAMPLE_DOCUMENT_URL: &str = "https://api.example.com/openapi.yaml";

/// One part of a generated file: a run of whole top-level items (the first piece of a file also
/// carries its inner attributes). Calling it builds the part's tokens. A file's text is its
/// pieces formatted one by one and joined, which is the text of the whole file formatted at
/// once, since the printer starts every item on a line of its own. Pieces are closures because
/// token streams cannot cross threads: each is built on the thread that formats it.
pub type Piece<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A file that is one piece.
fn whole<'a>(build: impl Fn() -> TokenStream + Send + Sync + 'a) -> Vec<Piece<'a>> {
    vec![Box::new(build)]
}

/// The Rust files of the crate, each as its pieces, keyed by path relative to the crate root.
pub fn emit<'a>(api: &'a Api, crate_name: &'a str) -> BTreeMap<String, Vec<Piece<'a>>> {
    let mut files = BTreeMap::from([
        ("src/lib.rs".to_owned(), whole(move || lib_rs(api, crate_name))),
        ("src/operations.rs".to_owned(), operations::operation_pieces(api, crate_name)),
        ("src/spec.rs".to_owned(), whole(move || spec_rs(api))),
    ]);
    files.extend(models::emit_models(api));
    if let Some(first) = api.webhook_payloads.first() {
        let build = move || webhook_payloads::emit_webhook_payloads(api, first, crate_name);
        files.insert("src/webhooks.rs".to_owned(), whole(build));
    }
    files
}

/// An optional constant as Rust: `Some(value)` or `None`.
fn option_tokens<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(::std::option::Option::Some(#value)),
        None => quote!(::std::option::Option::None),
    }
}

/// What the spec says about reaching the API: base URL, credential, error body.
fn spec_rs(api: &Api) -> TokenStream {
    let base_url = option_tokens(api.base_url.as_ref());
    let relative_server = option_tokens(api.relative_server.as_ref());
    let server_template = &api.server_template;
    let server_variables = api.server_variables.iter().map(|v| {
        let (name, default, allowed) = (&v.name, &v.default, &v.allowed);
        quote!(crate::client::ServerVariable { name: #name, default: #default, allowed: &[#(#allowed),*] })
    });
    let schemes = api.security_schemes.iter().map(|scheme| {
        let name = &scheme.name;
        let auth = match &scheme.auth {
            // Header names are case-insensitive (RFC 9110); `HeaderName::from_static` wants lower case.
            Auth::ApiKeyHeader(header) => {
                let header = header.to_ascii_lowercase();
                quote!(crate::client::Auth::Header(#header))
            }
            Auth::ApiKeyQuery(param) => quote!(crate::client::Auth::Query(#param)),
            Auth::ApiKeyCookie(cookie) => quote!(crate::client::Auth::Cookie(#cookie)),
            Auth::Bearer => quote!(crate::client::Auth::Bearer),
            Auth::Basic => quote!(crate::client::Auth::Basic),
        };
        quote!(crate::credentials::Scheme { name: #name, auth: #auth })
    });
    let primary = option_tokens(api.primary_scheme.map(proc_macro2::Literal::usize_unsuffixed));
    let (error_body, error_doc) = match &api.error_body {
        Some(ty) => (rust_type(ty, Scope::Crate), " The body of the API's error answers, as the spec describes it."),
        None => (
            quote!(::serde_json::Value),
            " The body of the API's error answers: the spec gives no single shape, so it is raw JSON.",
        ),
    };
    let webhooks = api.webhooks.as_ref().map(|w| {
        let header = &w.signature_header;
        let tolerance = proc_macro2::Literal::u64_unsuffixed(w.tolerance_secs);
        let event = rust_type(&w.event, Scope::Crate);
        quote! {
            #[doc = " The request header that carries a webhook delivery's signature."]
            #[cfg(feature = "webhooks")]
            pub(crate) const WEBHOOK_SIGNATURE_HEADER: &str = #header;

            #[doc = " How far, in seconds, a webhook delivery's timestamp may be from now by default."]
            #[cfg(feature = "webhooks")]
            pub(crate) const WEBHOOK_TOLERANCE_SECS: u64 = #tolerance;

            #[doc = " The body of a webhook delivery; verify it with `webhook::Verifier` (the `webhooks` feature)."]
            pub type WebhookEvent = #event;
        }
    });
    quote! {
        #![doc = " What the spec says about reaching the API: its address, its credential, its error body."]

        #[doc = " The first server the spec lists."]
        pub(crate) const DEFAULT_BASE_URL: ::std::option::Option<&str> = #base_url;

        #[doc = " The first server's URL when it is relative, resolved against the document's address."]
        pub(crate) const RELATIVE_SERVER: ::std::option::Option<&str> = #relative_server;

        #[doc = " The first server's URL as written, `{name}` for each variable; empty when it has none."]
        pub(crate) const SERVER_TEMPLATE: &str = #server_template;

        #[doc = " The variables of the first server's URL, which `ClientBuilder::server_variable` sets."]
        pub(crate) const SERVER_VARIABLES: &[crate::client::ServerVariable] = &[#(#server_variables),*];

        #[doc = " The security schemes the client can send, in the spec's order; operations name them by index."]
        pub(crate) const SCHEMES: &[crate::credentials::Scheme] = &[#(#schemes),*];

        #[doc = " The scheme the key given to `Client::builder` is for (an index into `SCHEMES`)."]
        pub(crate) const PRIMARY_SCHEME: ::std::option::Option<usize> = #primary;

        #[doc = #error_doc]
        pub type ApiErrorBody = #error_body;
        #webhooks
    }
}

/// The crate root: docs, module declarations and re-exports.
fn lib_rs(api: &Api, crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let mut docs = vec![format!(" # {}", api.title), String::new()];
    if let Some(description) = &api.description {
        docs.extend(sanitize(description));
        docs.push(String::new());
    }
    docs.push(format!(" A typed async client generated from the API's OpenAPI document (version {}).", api.version));
    docs.push(" Every operation is a method on [`Client`] that returns a [`Call`]: await it for the".to_owned());
    docs.push(" typed body, or set per-call options first. Types are in [`models`].".to_owned());
    docs.push(String::new());
    docs.push(" ```no_run".to_owned());
    docs.push(" # async fn example() -> Result<(), Box<dyn std::error::Error>> {".to_owned());
    docs.push(format!(" let client = {krate}::Client::builder(std::env::var(\"API_KEY\")?)"));
    if let Some(relative) = &api.relative_server {
        docs.push(format!("     // The spec's server, `{relative}`, is relative to where its document is served."));
        docs.push(format!("     .document_url(\"{EXAMPLE_DOCUMENT_URL}\")"));
    }
    docs.push("     .max_retries(3)".to_owned());
    docs.push("     .build()?;".to_owned());
    docs.push(" # let _ = client;".to_owned());
    docs.push(" # Ok(())".to_owned());
    docs.push(" # }".to_owned());
    docs.push(" ```".to_owned());
    docs.push(String::new());
    docs.push(" When a call fails, ask [`Error::may_have_been_processed`] before anything else: the API".to_owned());
    docs.push(" may have acted on an earlier attempt. Then look the result up, or send the call again".to_owned());
    docs.push(" with the same key ([`Call::idempotency_key_from`]). Only then match [`Error::Api`].".to_owned());
    if api.webhooks.is_some() {
        docs.push(String::new());
        docs.push(" Webhook deliveries are verified and decoded by `webhook::Verifier` (the `webhooks`".to_owned());
        docs.push(" feature, on by default).".to_owned());
    }
    let webhooks = api.webhooks.as_ref().map(|_| {
        quote! {
            #[cfg(feature = "webhooks")]
            #[rustfmt::skip]
            pub mod webhook;
        }
    });
    let webhook_payloads = (!api.webhook_payloads.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    let values_docs = values_docs(&krate.to_string());
    let needs = api.runtime_needs();
    let mut optional_modules = Vec::new();
    for (needed, name, public) in [
        (needs.binary, "binary", false),
        (needs.encode, "encode", false),
        (needs.form, "form", false),
        (needs.multipart, "multipart", true),
    ] {
        let name = format_ident!("{name}");
        let visibility = if public { quote!(pub) } else { quote!() };
        if needed {
            optional_modules.push(quote! {
                #[rustfmt::skip]
                #visibility mod #name;
            });
        }
    }
    let binary = needs.binary.then(|| {
        quote!(
            pub use binary::Binary;
        )
    });
    let webhook_event = api.webhooks.as_ref().map(|_| {
        quote!(
            pub use spec::WebhookEvent;
        )
    });
    quote! {
        #(#![doc = #docs])*
        #![warn(missing_docs)]
        // Prose copied from the spec is not ours to restyle.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        #[rustfmt::skip]
        mod body;
        #[rustfmt::skip]
        mod call;
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod credentials;
        #[rustfmt::skip]
        mod download;
        #[rustfmt::skip]
        mod error;
        #[rustfmt::skip]
        mod history;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        mod retry;
        #[rustfmt::skip]
        mod spec;
        #(#[doc = #values_docs])*
        #[rustfmt::skip]
        pub mod values;
        #[rustfmt::skip]
        mod telemetry;
        #webhooks
        #webhook_payloads
        #(#optional_modules)*

        #binary
        pub use call::{Call, Decoded, Operation, Response};
        pub use client::{ApiKey, Client, ClientBuilder};
        pub use download::Download;
        pub use error::{ApiFailure, Error};
        pub use history::{Attempt, AttemptOutcome, History};
        pub use spec::ApiErrorBody;
        #webhook_event
    }
}

/// The docs of the `values` module, with examples that name this crate.
fn values_docs(krate: &str) -> Vec<String> {
    let text = format!(
        r##"
# Examples

A field that may be absent or `null` is a [`Nullable`](values::Nullable): absent is the
default and is left out, `null` is written as `null`.

```
use {krate}::values::Nullable;

#[derive(serde::Serialize, serde::Deserialize)]
struct Patch {{
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    nickname: Nullable<String>,
}}

let untouched: Patch = serde_json::from_str("{{}}").unwrap();
assert!(untouched.nickname.is_absent());
let cleared: Patch = serde_json::from_str(r#"{{"nickname": null}}"#).unwrap();
assert!(cleared.nickname.is_null());
let clear = Patch {{ nickname: Nullable::Null }};
assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{{"nickname":null}}"#);
```

A date or date-time is a [`Formatted`](values::Formatted) value: the text as sent, typed where
it fits its format, and written back unchanged either way.

```
use {krate}::values::Formatted;

let at: Formatted<chrono::DateTime<chrono::FixedOffset>> = serde_json::from_str(r#""2026-03-01T10:00:00Z""#).unwrap();
assert_eq!(at.get().map(|t| t.timestamp()), Some(1_772_359_200));
let day_only: Formatted<chrono::DateTime<chrono::FixedOffset>> = serde_json::from_str(r#""1970-07-10""#).unwrap();
assert!(day_only.get().is_none());
assert_eq!(serde_json::to_string(&day_only).unwrap(), r#""1970-07-10""#);
```"##
    );
    text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect()
}
