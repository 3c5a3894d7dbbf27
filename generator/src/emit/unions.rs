//! Emits a discriminated union: one variant per known tag, `Unknown` keeping the raw JSON of a
//! tag the spec does not list, so a new kind of action never fails a whole response.

use super::docs::{default_doc, doc_attrs};
use super::types::ident;
use crate::ir::{TypeDef, Union};
use proc_macro2::TokenStream;
use quote::quote;

/// The enum, a `tag` accessor and the serde impls.
pub fn emit_union(def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let tag = &u.tag;
    let doc = doc_attrs(def.doc.as_deref().unwrap_or(&default_doc(def)));
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let tags: Vec<&str> = u.variants.iter().map(|v| v.tag_value.as_str()).collect();
    let payloads = u.variants.iter().map(|v| {
        let t = ident(&v.type_name);
        if v.boxed { quote!(::std::boxed::Box<#t>) } else { quote!(#t) }
    });
    let borrowed: Vec<_> = u.variants.iter().map(|v| ident(&v.type_name)).collect();
    let variant_docs = u.variants.iter().map(|v| format!(" `{tag}` = `{}`.", v.tag_value));
    let deref = u.variants.iter().map(|v| if v.boxed { quote!(&**value) } else { quote!(value) });
    let construct = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        if v.boxed { quote!(|v| Self::#variant(::std::boxed::Box::new(v))) } else { quote!(Self::#variant) }
    });
    let unknown_doc = format!(" A `{tag}` the spec does not list, kept as the raw JSON object.");
    let tag_doc = format!(" The `{tag}` value that identifies this variant on the wire.");
    let expect = format!("a JSON object with a `{tag}` field");
    quote! {
        #doc
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants(#payloads), )*
            #[doc = #unknown_doc]
            Unknown(::serde_json::Value),
        }

        impl #name {
            #[doc = #tag_doc]
            pub fn tag(&self) -> ::std::option::Option<&str> {
                match self {
                    #( Self::#variants(_) => ::std::option::Option::Some(#tags), )*
                    Self::Unknown(value) => value.get(#tag).and_then(::serde_json::Value::as_str),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                // Tag values often share a word (`input_text`, `input_image`); the names follow them.
                #[allow(clippy::enum_variant_names)]
                #[derive(::serde::Serialize)]
                #[serde(tag = #tag)]
                enum Tagged<'a> {
                    #( #[serde(rename = #tags)] #variants(&'a #borrowed), )*
                }
                match self {
                    #( Self::#variants(value) => ::serde::Serialize::serialize(&Tagged::#variants(#deref), serializer), )*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                if !value.is_object() {
                    return ::std::result::Result::Err(<D::Error as ::serde::de::Error>::invalid_type(::serde::de::Unexpected::Other("a non-object value"), &#expect));
                }
                match value.get(#tag).and_then(::serde_json::Value::as_str) {
                    #( ::std::option::Option::Some(#tags) => ::serde_json::from_value(value).map(#construct).map_err(<D::Error as ::serde::de::Error>::custom), )*
                    _ => ::std::result::Result::Ok(Self::Unknown(value)),
                }
            }
        }
    }
}
