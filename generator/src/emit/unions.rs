//! Emits a union told apart by a tag (declared or implicit): one variant per member, `Unknown`
//! keeping the raw JSON of a tag the spec does not list (or of a value with no tag), so a new
//! kind of action never fails a whole response and is written back unchanged.

use super::docs::{default_doc, doc_attrs};
use super::types::ident;
use crate::ir::{TypeDef, Union, UnionVariant};
use proc_macro2::TokenStream;
use quote::quote;

/// The enum, a `tag` accessor and the serde impls.
pub fn emit_union(def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let tag = &u.tag;
    let doc = doc_attrs(def.doc.as_deref().unwrap_or(&default_doc(def)));
    let how = if u.declared {
        format!(" Told apart by its `{tag}` property (the spec's discriminator).")
    } else {
        format!(" Told apart by its `{tag}` property, whose values differ from member to member.")
    };
    let variants: Vec<_> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let payloads = u.variants.iter().map(|v| {
        let t = ident(&v.type_name);
        if v.boxed { quote!(::std::boxed::Box<#t>) } else { quote!(#t) }
    });
    let variant_docs = u.variants.iter().map(|v| {
        let values: Vec<String> = v.tag_values.iter().map(|t| format!("`{t}`")).collect();
        format!(" `{tag}` = {}.", values.join(" or "))
    });
    let tag_reads = u.variants.iter().map(tag_read);
    let encodes = u.variants.iter().map(|v| encode(tag, v));
    let decodes = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let tags = &v.tag_values;
        let construct =
            if v.boxed { quote!(|v| Self::#variant(::std::boxed::Box::new(v))) } else { quote!(Self::#variant) };
        quote! {
            ::std::option::Option::Some(#(#tags)|*) => ::serde_json::from_value(value).map(#construct).map_err(<D::Error as ::serde::de::Error>::custom),
        }
    });
    let unknown_doc = format!(" A `{tag}` the spec does not list (or none), kept as the raw JSON value.");
    let tag_doc = format!(" The `{tag}` value this variant is written with.");
    quote! {
        #doc
        #[doc = ""]
        #[doc = #how]
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
                    #( Self::#variants(value) => #tag_reads, )*
                    Self::Unknown(value) => value.get(#tag).and_then(::serde_json::Value::as_str),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(value) => #encodes, )*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#tag).and_then(::serde_json::Value::as_str) {
                    #(#decodes)*
                    _ => ::std::result::Result::Ok(Self::Unknown(value)),
                }
            }
        }
    }
}

/// How `tag()` reads a variant's tag: from the member's own tag field, else the first tag value.
fn tag_read(v: &UnionVariant) -> TokenStream {
    let first = &v.tag_values[0];
    match &v.tag_field {
        Some(f) if !f.optional => {
            let field = ident(&f.name);
            quote!(::std::option::Option::Some(value.#field.as_str()))
        }
        Some(f) => {
            let field = ident(&f.name);
            quote!(::std::option::Option::Some(value.#field.as_ref().map_or(#first, |t| t.as_str())))
        }
        None => quote!({
            let _ = value;
            ::std::option::Option::Some(#first)
        }),
    }
}

/// How a variant is written: a member that always carries its tag writes itself; otherwise the
/// tag is added when the member leaves it out.
fn encode(tag: &str, v: &UnionVariant) -> TokenStream {
    if v.tag_field.as_ref().is_some_and(|f| !f.optional) {
        return quote!(::serde::Serialize::serialize(value, serializer));
    }
    let first = &v.tag_values[0];
    quote!({
        let mut json = ::serde_json::to_value(value).map_err(<S::Error as ::serde::ser::Error>::custom)?;
        if let ::std::option::Option::Some(object) = json.as_object_mut() {
            object.entry(#tag).or_insert_with(|| ::serde_json::Value::from(#first));
        }
        ::serde::Serialize::serialize(&json, serializer)
    })
}
