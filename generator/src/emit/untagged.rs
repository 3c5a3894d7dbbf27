//! Emits an untagged union (`anyOf`, or `oneOf` without a discriminator): serde tries the
//! variants in spec order, and a value that fits none is kept in `Other` rather than failing.

use super::docs::{default_doc, doc_attrs};
use super::types::{Scope, ident, rust_type};
use crate::ir::{TypeDef, Untagged};
use proc_macro2::TokenStream;
use quote::quote;

/// The enum with serde's untagged representation and a raw-JSON fallback.
pub fn emit_untagged(def: &TypeDef, u: &Untagged) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref().unwrap_or(&default_doc(def)));
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = rust_type(&v.ty, Scope::Models);
        let ty = if v.boxed { quote!(::std::boxed::Box<#ty>) } else { ty };
        let doc = format!(" A value of type `{}`.", v.name);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    quote! {
        #doc
        #[doc = ""]
        #[doc = " Decoding tries the variants in order and keeps the first that fits."]
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = " A value that fits none of the variants above, kept as sent."]
            Other(::serde_json::Value),
        }
    }
}
