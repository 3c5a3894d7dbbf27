//! Emits a struct: serde attributes, a constructor taking the required fields, and a `with_`
//! setter per optional field, so that new optional fields never break callers.

use super::docs::{default_doc, doc_attrs};
use super::types::{Scope, ident, rust_type};
use crate::ir::{Field, Presence, Struct, TypeDef, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The struct and its `impl` block.
pub fn emit_struct(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref().unwrap_or(&default_doc(def)));
    let derive_default = s.fields.iter().all(|f| !f.flatten && f.presence() != Presence::Required);
    let default = derive_default.then(|| quote!(Default,));
    let fields = s.fields.iter().map(field);
    let additional = s.additional.as_ref().map(|(field_name, ty)| {
        let f = ident(field_name);
        let ty = rust_type(&TypeRef::Map(Box::new(ty.clone())), Scope::Models);
        quote! {
            #[doc = " Properties the spec does not name, kept as sent."]
            #[serde(flatten)]
            pub #f: #ty,
        }
    });
    let constructor = constructor(def, s);
    let setters = s.fields.iter().filter(|f| !f.required).map(setter);
    let default_impl = default_impl(def, s);
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }

        impl #name {
            #constructor
            #(#setters)*
        }
        #default_impl
    }
}

/// The Rust type of a field, with its `Box` and its `Option` (or tri-state `Nullable`).
fn field_type(f: &Field) -> TokenStream {
    let inner = rust_type(&f.ty, Scope::Models);
    let inner = if f.boxed { quote!(::std::boxed::Box<#inner>) } else { inner };
    match f.presence() {
        _ if f.flatten => inner,
        Presence::Required => inner,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#inner>),
        Presence::OptionalNullable => quote!(crate::values::Nullable<#inner>),
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let ty = field_type(f);
    let doc = doc_attrs(f.doc.as_deref().unwrap_or(&format!("`{}`.", f.wire_name)));
    // serde names a field after its identifier without `r#`, which for `self` is `self_`.
    let serde_name = name.to_string().trim_start_matches("r#").to_owned();
    let rename = (serde_name != f.wire_name).then(|| {
        let wire = &f.wire_name;
        quote!(#[serde(rename = #wire)])
    });
    let optional = match f.presence() {
        _ if f.flatten => None,
        Presence::Optional => Some(quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")])),
        Presence::OptionalNullable => {
            Some(quote!(#[serde(default, skip_serializing_if = "crate::values::Nullable::is_absent")]))
        }
        Presence::Required | Presence::RequiredNullable => None,
    };
    let flatten = f.flatten.then(|| quote!(#[serde(flatten)]));
    let rename = if f.flatten { None } else { rename };
    quote! {
        #doc
        #rename
        #optional
        #flatten
        pub #name: #ty,
    }
}

/// `new` with one argument per required field; strings are taken as `impl Into<String>`.
fn constructor(def: &TypeDef, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required && f.pinned.is_none()).collect();
    if required.is_empty() && s.fields.iter().all(|f| f.pinned.is_none() && !f.required) {
        return quote! {
            #[doc = " An empty value; set fields with the `with_` methods."]
            pub fn new() -> Self {
                Self::default()
            }
        };
    }
    let args = required.iter().map(|f| {
        let name = ident(&f.name);
        let ty = arg_type(f);
        quote!(#name: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let name = ident(&f.name);
        if let Some(variant) = &f.pinned {
            let ty = rust_type(&f.ty, Scope::Models);
            let variant = ident(variant);
            quote!(#name: #ty::#variant)
        } else if f.required {
            if stored_as_given(f) {
                quote!(#name)
            } else {
                let value = wrap(f, quote!(#name));
                quote!(#name: #value)
            }
        } else if f.presence() == Presence::OptionalNullable {
            quote!(#name: crate::values::Nullable::Absent)
        } else {
            quote!(#name: ::std::option::Option::None)
        }
    });
    let additional = s.additional.as_ref().map(|(n, _)| {
        let n = ident(n);
        quote!(#n: ::std::collections::BTreeMap::new(),)
    });
    let doc = if s.fields.iter().any(|f| !f.required) {
        format!(" Builds a `{}` from its required fields; set optional ones with the `with_` methods.", def.name)
    } else {
        format!(" Builds a `{}` from its fields.", def.name)
    };
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #[doc = #doc]
        #allow
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits,)* #additional }
        }
    }
}

/// `Default` for a struct whose constructor takes nothing but cannot be derived (a field holds
/// its one possible value rather than being optional).
fn default_impl(def: &TypeDef, s: &Struct) -> Option<TokenStream> {
    let derived = s.fields.iter().all(|f| !f.flatten && f.presence() != Presence::Required);
    let takes_nothing = s.fields.iter().all(|f| !f.required || f.pinned.is_some());
    if derived || !takes_nothing {
        return None;
    }
    let name = ident(&def.name);
    Some(quote! {
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self::new()
            }
        }
    })
}

/// A `with_` setter for an optional field.
fn setter(f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let method = format_ident!("with_{}", f.name);
    let ty = arg_type(f);
    let value = wrap(f, quote!(#name));
    let (doc, stored) = if f.presence() == Presence::OptionalNullable {
        (
            format!(" Sets `{}` to a value (to send `null`, set the field to `Nullable::Null`).", f.wire_name),
            quote!(crate::values::Nullable::Value(#value)),
        )
    } else {
        (format!(" Sets `{}`.", f.wire_name), quote!(::std::option::Option::Some(#value)))
    };
    quote! {
        #[doc = #doc]
        pub fn #method(mut self, #name: #ty) -> Self {
            self.#name = #stored;
            self
        }
    }
}

/// The argument type for a field's value: what a caller naturally has in hand. A nullable
/// required field takes a concrete `Option<T>`, so that a bare `None` infers.
fn arg_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty, Scope::Models);
    if f.required && f.nullable {
        quote!(::std::option::Option<#ty>)
    } else if converts(f) {
        quote!(impl ::std::convert::Into<#ty>)
    } else {
        ty
    }
}

/// Whether the argument is taken as `impl Into<T>`: a string (`&str` works), or a date or
/// date-time (a `chrono` value works).
fn converts(f: &Field) -> bool {
    matches!(f.ty, TypeRef::String | TypeRef::Date | TypeRef::DateTime)
}

/// Whether an argument is stored exactly as given (no `into()`, no `Box::new`), so that the
/// constructor can use the field shorthand.
fn stored_as_given(f: &Field) -> bool {
    !f.boxed && (!converts(f) || (f.required && f.nullable))
}

/// Converts an argument into the field's stored form (`into()`, `Box::new`).
fn wrap(f: &Field, value: TokenStream) -> TokenStream {
    if f.required && f.nullable {
        return if f.boxed { quote!(#value.map(::std::boxed::Box::new)) } else { value };
    }
    let value = if converts(f) { quote!(#value.into()) } else { value };
    if f.boxed { quote!(::std::boxed::Box::new(#value)) } else { value }
}
