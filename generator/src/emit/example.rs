//! Builds the Rust expression of a value for doc examples, from the spec's JSON example where it
//! has one and from plain placeholders where it does not.

use super::types::ident;
use crate::ir::{Api, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// Examples stop descending here; a type this deep gets no built example.
const MAX_DEPTH: usize = 8;

/// The date a doc example uses when the spec gives none.
pub const EXAMPLE_DATE: &str = "2026-01-31";

/// The date-time a doc example uses when the spec gives none.
pub const EXAMPLE_DATE_TIME: &str = "2026-01-31T12:00:00+05:00";

/// Writes Rust expressions of `models` values, naming types through `crate_ident`.
pub struct ExampleWriter<'a> {
    /// The API whose types are built.
    pub api: &'a Api,
    /// The crate's name as code (`plexy`).
    pub crate_ident: &'a proc_macro2::Ident,
}

impl ExampleWriter<'_> {
    /// Like [`Self::expr`], for a place that takes the value itself (a variant's payload, a
    /// request body bound to a variable): text is a `String` there, not a `&str`.
    pub fn owned_expr(
        &self,
        ty: &TypeRef,
        example: Option<&Value>,
        placeholder: &str,
        depth: usize,
    ) -> Option<TokenStream> {
        match ty {
            TypeRef::String => {
                let text = self.expr(ty, example, placeholder, depth)?;
                Some(quote!(String::from(#text)))
            }
            TypeRef::OrNull(inner) => {
                let inner = self.owned_expr(inner, example, placeholder, depth + 1)?;
                Some(quote!(Some(#inner)))
            }
            _ => self.expr(ty, example, placeholder, depth),
        }
    }

    /// An expression of type `ty`, using `example` for values; `None` when the type cannot be
    /// built without a value the example does not give (a recursive required field).
    pub fn expr(&self, ty: &TypeRef, example: Option<&Value>, placeholder: &str, depth: usize) -> Option<TokenStream> {
        if depth > MAX_DEPTH {
            return None;
        }
        let krate = self.crate_ident;
        Some(match ty {
            TypeRef::String => {
                let text = example.and_then(Value::as_str).unwrap_or(placeholder);
                quote!(#text)
            }
            TypeRef::Bool => {
                let b = example.and_then(Value::as_bool).unwrap_or(false);
                quote!(#b)
            }
            TypeRef::I32 => {
                let n = example.and_then(Value::as_i64).and_then(|n| i32::try_from(n).ok()).unwrap_or(0);
                let n = proc_macro2::Literal::i32_unsuffixed(n);
                quote!(#n)
            }
            TypeRef::I64 => {
                let n = proc_macro2::Literal::i64_unsuffixed(example.and_then(Value::as_i64).unwrap_or(0));
                quote!(#n)
            }
            TypeRef::F32 | TypeRef::F64 => {
                let n = proc_macro2::Literal::f64_unsuffixed(example.and_then(Value::as_f64).unwrap_or(0.0));
                quote!(#n)
            }
            TypeRef::Date => {
                let text = example.and_then(Value::as_str).unwrap_or(EXAMPLE_DATE);
                quote!(#krate::values::Formatted::parse(#text))
            }
            TypeRef::DateTime => {
                let text = example.and_then(Value::as_str).unwrap_or(EXAMPLE_DATE_TIME);
                quote!(#krate::values::Formatted::parse(#text))
            }
            TypeRef::Json => quote!(::serde_json::Value::Null),
            TypeRef::Null => quote!(()),
            TypeRef::OrNull(inner) => {
                let inner = self.expr(inner, example, placeholder, depth + 1)?;
                quote!(Some(#inner))
            }
            TypeRef::Vec(_) => quote!(Vec::new()),
            TypeRef::Map(_) => quote!(std::collections::BTreeMap::new()),
            TypeRef::Named(name) => {
                let def = self.api.types.get(name)?;
                let ty_ident = ident(name);
                match &def.kind {
                    TypeKind::Alias(target) => return self.expr(target, example, placeholder, depth + 1),
                    TypeKind::Untagged(u) => {
                        let v = u.variants.first()?;
                        let inner = self.owned_expr(&v.ty, example, placeholder, depth + 1)?;
                        let variant = ident(&v.name);
                        let inner = if v.boxed { quote!(Box::new(#inner)) } else { inner };
                        quote!(#krate::models::#ty_ident::#variant(#inner))
                    }
                    TypeKind::Enum(e) => {
                        let wanted = example.and_then(Value::as_str);
                        let variant =
                            e.variants.iter().find(|v| Some(v.wire_value.as_str()) == wanted).or(e.variants.first());
                        match variant {
                            Some(v) => {
                                let v = ident(&v.name);
                                quote!(#krate::models::#ty_ident::#v)
                            }
                            None => {
                                let text = wanted.unwrap_or(placeholder);
                                quote!(#krate::models::#ty_ident::from(#text))
                            }
                        }
                    }
                    TypeKind::ValueEnum(e) => {
                        let v =
                            example.and_then(|x| e.variants.iter().find(|v| &v.value == x)).or(e.variants.first())?;
                        let v = ident(&v.name);
                        quote!(#krate::models::#ty_ident::#v)
                    }
                    TypeKind::Union(u) => {
                        let wanted = example.and_then(|e| e.get(&u.tag)).and_then(Value::as_str);
                        let v = u
                            .variants
                            .iter()
                            .find(|v| v.tag_values.iter().any(|t| Some(t.as_str()) == wanted))
                            .or(u.variants.first())?;
                        let inner = self.expr(&TypeRef::Named(v.type_name.clone()), example, placeholder, depth + 1)?;
                        let variant = ident(&v.name);
                        let inner = if v.boxed { quote!(Box::new(#inner)) } else { inner };
                        quote!(#krate::models::#ty_ident::#variant(#inner))
                    }
                    TypeKind::Struct(s) => {
                        let mut args = Vec::new();
                        for f in s.fields.iter().filter(|f| f.required && f.pinned.is_none()) {
                            let sub = example.and_then(|e| e.get(&f.wire_name));
                            let value = self.expr(&f.ty, sub, &f.wire_name, depth + 1)?;
                            args.push(if f.nullable { quote!(Some(#value)) } else { value });
                        }
                        quote!(#krate::models::#ty_ident::new(#(#args),*))
                    }
                }
            }
        })
    }
}
