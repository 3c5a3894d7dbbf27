//! `TypeRef` → Rust type tokens, with fully qualified std paths so spec names cannot shadow them.

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Where a type is written: inside the `models` module (siblings by bare name) or elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// Inside `models`.
    Models,
    /// Anywhere else in the crate.
    Crate,
    /// Outside the crate, as in a doc example: `plexy::models::…`.
    External(&'a Ident),
}

/// The Rust type for `ty`.
pub fn rust_type(ty: &TypeRef, scope: Scope<'_>) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Date => {
            let values = values_path(scope);
            quote!(#values::Formatted<::chrono::NaiveDate>)
        }
        TypeRef::DateTime => {
            let values = values_path(scope);
            quote!(#values::Formatted<::chrono::DateTime<::chrono::FixedOffset>>)
        }
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Null => quote!(()),
        TypeRef::OrNull(inner) => {
            let inner = rust_type(inner, scope);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Named(name) => {
            let ident = ident(name);
            match scope {
                Scope::Models => quote!(#ident),
                Scope::Crate => quote!(crate::models::#ident),
                Scope::External(krate) => quote!(#krate::models::#ident),
            }
        }
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner, scope);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
    }
}

/// The path of the crate's `values` module (the types models use) from `scope`.
pub fn values_path(scope: Scope<'_>) -> TokenStream {
    match scope {
        Scope::Models | Scope::Crate => quote!(crate::values),
        Scope::External(krate) => quote!(#krate::values),
    }
}

/// An identifier from a name the naming module produced (raw for keywords).
pub fn ident(name: &str) -> Ident {
    let text = crate::naming::ident_text(name);
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&text, Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_fully_qualified() {
        let ty = TypeRef::Map(Box::new(TypeRef::Vec(Box::new(TypeRef::Named("Result".into())))));
        assert_eq!(
            rust_type(&ty, Scope::Crate).to_string(),
            ":: std :: collections :: BTreeMap < :: std :: string :: String , :: std :: vec :: Vec < crate :: models :: Result > >"
        );
        assert_eq!(rust_type(&TypeRef::Named("Option".into()), Scope::Models).to_string(), "Option");
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
    }
}
