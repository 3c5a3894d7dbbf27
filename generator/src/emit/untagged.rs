//! Emits a union without a tag (`anyOf`, or `oneOf` with no discriminator, declared or
//! implicit): decoding asks each member's evidence which members the value fits without losing
//! a property, tries those tightest first, and keeps a value none of them takes whole in the
//! fallback variant.

use super::docs::{default_doc, doc_attrs};
use super::types::{Scope, ident, rust_type};
use crate::ir::{Evidence, JsonKind, TypeDef, Untagged};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The enum, its evidence table and the serde impls.
pub fn emit_untagged(def: &TypeDef, u: &Untagged) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref().unwrap_or(&default_doc(def)));
    let fallback = ident(&u.fallback);
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let declarations = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = rust_type(&v.ty, Scope::Models);
        let ty = if v.boxed { quote!(::std::boxed::Box<#ty>) } else { ty };
        let doc = format!(" A value of the member at `{}`.", v.pointer);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let evidence = u.variants.iter().map(|v| evidence_tokens(&v.evidence));
    let tries = u.variants.iter().enumerate().map(|(i, v)| {
        let variant = ident(&v.name);
        let ty = rust_type(&v.ty, Scope::Models);
        let index = Literal::usize_unsuffixed(i);
        let wrap = if v.boxed { quote!(|v| Self::#variant(::std::boxed::Box::new(v))) } else { quote!(Self::#variant) };
        quote!(#index => <#ty as ::serde::Deserialize>::deserialize(&value).ok().map(#wrap),)
    });
    let fallback_doc = " A value that no member keeps whole, kept as sent.";
    quote! {
        #doc
        #[doc = ""]
        #[doc = " Decoding picks the member by evidence: the value's JSON kind, the properties a member"]
        #[doc = " requires, the values its enums list, and never a member that would drop a property the"]
        #[doc = " value carries. A value that fits no member is kept whole and written back unchanged."]
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#declarations)*
            #[doc = #fallback_doc]
            #fallback(::serde_json::Value),
        }

        impl #name {
            const EVIDENCE: &'static [crate::values::Evidence] = &[#(#evidence),*];
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(value) => ::serde::Serialize::serialize(value, serializer), )*
                    Self::#fallback(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                for member in crate::values::candidates(&value, Self::EVIDENCE) {
                    let decoded = match member {
                        #(#tries)*
                        _ => ::std::option::Option::None,
                    };
                    if let ::std::option::Option::Some(decoded) = decoded {
                        return ::std::result::Result::Ok(decoded);
                    }
                }
                ::std::result::Result::Ok(Self::#fallback(value))
            }
        }
    }
}

/// One member's evidence as a `crate::values::Evidence` constant.
fn evidence_tokens(e: &Evidence) -> TokenStream {
    let kinds = e.kinds.iter().map(|k| match k {
        JsonKind::Null => quote!(crate::values::KIND_NULL),
        JsonKind::Boolean => quote!(crate::values::KIND_BOOLEAN),
        JsonKind::Integer => quote!(crate::values::KIND_INTEGER),
        JsonKind::Number => quote!(crate::values::KIND_NUMBER),
        JsonKind::String => quote!(crate::values::KIND_STRING),
        JsonKind::Array => quote!(crate::values::KIND_ARRAY),
        JsonKind::Object => quote!(crate::values::KIND_OBJECT),
    });
    let kinds = if e.kinds.is_empty() { quote!(0) } else { quote!(#(#kinds)|*) };
    let required = &e.required;
    let known = match &e.known {
        Some(names) => quote!(::std::option::Option::Some(&[#(#names),*])),
        None => quote!(::std::option::Option::None),
    };
    let property_values = e.property_values.iter().map(|(name, values)| {
        let values = values.iter().map(literal);
        quote!((#name, &[#(#values),*]))
    });
    let values = match &e.values {
        Some(values) => {
            let values = values.iter().map(literal);
            quote!(::std::option::Option::Some(&[#(#values),*]))
        }
        None => quote!(::std::option::Option::None),
    };
    let alternatives = e.alternatives.iter().map(evidence_tokens);
    quote! {
        crate::values::Evidence {
            kinds: #kinds,
            required: &[#(#required),*],
            known: #known,
            property_values: &[#(#property_values),*],
            values: #values,
            alternatives: &[#(#alternatives),*],
        }
    }
}

/// A JSON value as a `crate::values::Literal`.
fn literal(value: &serde_json::Value) -> TokenStream {
    match value {
        serde_json::Value::Null => quote!(crate::values::Literal::Null),
        serde_json::Value::Bool(b) => quote!(crate::values::Literal::Bool(#b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => {
                let i = Literal::i64_suffixed(i);
                quote!(crate::values::Literal::Int(#i))
            }
            None => {
                let f = Literal::f64_suffixed(n.as_f64().unwrap_or(0.0));
                quote!(crate::values::Literal::Float(#f))
            }
        },
        serde_json::Value::String(s) => quote!(crate::values::Literal::Str(#s)),
        // Evidence lists only scalar values; objects and arrays are left out by lowering.
        _ => quote!(crate::values::Literal::Null),
    }
}
