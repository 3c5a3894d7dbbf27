//! Emits an open string enum: known values as variants, anything else kept in `Unknown`, and
//! serde impls that write back exactly the string that was read.

use super::docs::{default_doc, doc_attrs};
use super::types::ident;
use crate::ir::{Enum, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

/// The enum, `as_str`, `From<&str>`, `Display` and the serde impls.
pub fn emit_enum(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref().unwrap_or(&default_doc(def)));
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire_value.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    quote! {
        #doc
        #[doc = ""]
        #[doc = " Open: a value this version of the crate does not know is kept in `Unknown` and written back unchanged."]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            #[doc = " A value not listed in the spec, as sent."]
            Unknown(::std::string::String),
        }

        impl #name {
            #[doc = " The value as it is written on the wire."]
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
}
