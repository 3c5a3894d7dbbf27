//! Emits an open enum of JSON values that are not all strings (integer codes, booleans, mixed):
//! known values as variants, anything else kept in `Unknown`, written back exactly as read.

use super::docs::{default_doc, doc_attrs};
use super::types::ident;
use crate::ir::{TypeDef, ValueEnum};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// The enum, `to_value` and the serde impls.
pub fn emit_value_enum(def: &TypeDef, e: &ValueEnum) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref().unwrap_or(&default_doc(def)));
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let variant_docs = e.variants.iter().map(|v| format!(" `{}`", v.value));
    let values: Vec<TokenStream> = e.variants.iter().map(|v| value_expr(&v.value)).collect();
    let literals: Vec<TokenStream> = e.variants.iter().map(|v| literal(&v.value)).collect();
    quote! {
        #doc
        #[doc = ""]
        #[doc = " Open: a value this version of the crate does not know is kept in `Unknown` and written back unchanged."]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            #[doc = " A value not listed in the spec, as sent."]
            Unknown(::serde_json::Value),
        }

        impl #name {
            #[doc = " The value as it is written on the wire."]
            pub fn to_value(&self) -> ::serde_json::Value {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => ::std::clone::Clone::clone(value),
                }
            }
        }

        impl ::std::convert::From<::serde_json::Value> for #name {
            fn from(value: ::serde_json::Value) -> Self {
                #( if value == #literals {
                    return Self::#variants;
                } )*
                Self::Unknown(value)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.to_value(), serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }
    }
}

/// A `serde_json::Value` expression for a scalar value.
fn value_expr(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::Bool(b) => quote!(::serde_json::Value::Bool(#b)),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => {
                let i = proc_macro2::Literal::i64_suffixed(i);
                quote!(::serde_json::Value::from(#i))
            }
            (None, Some(u)) => {
                let u = proc_macro2::Literal::u64_suffixed(u);
                quote!(::serde_json::Value::from(#u))
            }
            _ => {
                let f = proc_macro2::Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
                quote!(::serde_json::Value::from(#f))
            }
        },
        serde_json::Value::String(s) => quote!(::serde_json::Value::from(#s)),
        _ => quote!(::serde_json::Value::Null),
    }
}

/// A scalar value as a literal that `serde_json::Value` compares with directly.
fn literal(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::Bool(b) => quote!(#b),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => proc_macro2::Literal::i64_suffixed(i).into_token_stream(),
            (None, Some(u)) => proc_macro2::Literal::u64_suffixed(u).into_token_stream(),
            _ => proc_macro2::Literal::f64_suffixed(n.as_f64().unwrap_or(0.0)).into_token_stream(),
        },
        serde_json::Value::String(s) => quote!(#s),
        _ => quote!(::serde_json::Value::Null),
    }
}
