//! The `webhooks` module: one type alias per webhook request the API sends, naming the type its
//! body decodes into, with the webhook's name, method and media type in its docs.

use super::docs::{clean_line, sanitize};
use super::types::{Scope, rust_type};
use crate::ir::{Api, WebhookPayload};
use proc_macro2::TokenStream;
use quote::quote;

/// `src/webhooks.rs`, for a spec that describes webhooks with a JSON body; `first` is the one
/// the module's example decodes.
pub fn emit_webhook_payloads(api: &Api, first: &WebhookPayload, crate_name: &str) -> TokenStream {
    let krate = crate_name.replace('-', "_");
    let module_docs = [
        " The requests this API sends to your server (the spec's webhooks): for each, the type".to_owned(),
        " its body decodes into. Decode a delivery's body with `serde_json`:".to_owned(),
        String::new(),
        " ```".to_owned(),
        " # fn receive(body: &[u8]) -> Result<(), serde_json::Error> {".to_owned(),
        format!(" let payload: {krate}::webhooks::{} = serde_json::from_slice(body)?;", first.name),
        " # let _ = payload;".to_owned(),
        " # Ok(())".to_owned(),
        " # }".to_owned(),
        " ```".to_owned(),
    ];
    let aliases = api.webhook_payloads.iter().map(|p| {
        let mut docs = vec![format!(
            " The body of the `{}` webhook (`{} {}`).",
            clean_line(&p.webhook).replace('`', "'"),
            p.method,
            clean_line(&p.media_type).replace('`', "'")
        )];
        for prose in [&p.summary, &p.description].into_iter().flatten() {
            let lines = sanitize(prose);
            if !lines.is_empty() {
                docs.push(String::new());
                docs.extend(lines);
            }
        }
        let name = super::types::ident(&p.name);
        let ty = rust_type(&p.ty, Scope::Crate);
        quote! {
            #(#[doc = #docs])*
            pub type #name = #ty;
        }
    });
    quote! {
        #(#![doc = #module_docs])*

        #(#aliases)*
    }
}
