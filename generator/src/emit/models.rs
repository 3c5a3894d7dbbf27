//! Emits the `models` module: every type of the API, in name order. A small API gets one
//! `models.rs`; a large one gets a folder with one file per initial letter, so that rustc can
//! split its work, incremental rebuilds touch less, and a spec change shows up in few files.
//! `models/mod.rs` re-exports every type, so the public path stays `crate::models::X`.

use super::Piece;
use super::docs::{self, doc_attrs};
use super::types::{Scope, ident, rust_type};
use super::{enums, structs, unions, untagged, value_enums};
use crate::ir::{Api, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// Up to this many types stay in one `models.rs`; more are split by initial letter.
pub const MAX_TYPES_IN_ONE_FILE: usize = 100;

/// The file (or files) of the `models` module, keyed by path relative to the crate root: each
/// a header piece, then one piece per type, so that types are emitted and formatted in parallel.
pub fn emit_models(api: &Api) -> Vec<(String, Vec<Piece<'_>>)> {
    let prelude = api.models_use_prelude();
    if api.types.len() <= MAX_TYPES_IN_ONE_FILE {
        let header: Piece<'_> = Box::new(|| {
            quote! {
                #![doc = " The API's data types, one for each schema of the spec."]
                // Field and parameter names come from the spec, which may well call one `foo`.
                #![allow(clippy::disallowed_names)]
            }
        });
        let pieces = std::iter::once(header).chain(api.types.values().map(|def| type_piece(prelude, def))).collect();
        return vec![("src/models.rs".to_owned(), pieces)];
    }
    let mut groups: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
    for def in api.types.values() {
        groups.entry(group_of(&def.name)).or_default().push(def);
    }
    let mut files = Vec::with_capacity(groups.len() + 1);
    let groups_named: Vec<String> = groups.keys().cloned().collect();
    let module_list: Piece<'_> = Box::new(move || {
        let modules = groups_named.iter().map(|g| format_ident!("{}", g));
        quote! {
            #![doc = " The API's data types, one for each schema of the spec."]
            #(
                #[rustfmt::skip]
                mod #modules;
                pub use #modules::*;
            )*
        }
    });
    files.push(("src/models/mod.rs".to_owned(), vec![module_list]));
    for (group, defs) in groups {
        let doc = match group.as_str() {
            OTHER => " Types whose names do not start with a letter.".to_owned(),
            letter => format!(" Types whose names start with `{}`.", letter.to_ascii_uppercase()),
        };
        let header: Piece<'_> = Box::new(move || {
            quote! {
                #![doc = #doc]
                // Field and parameter names come from the spec, which may well call one `foo`.
                #![allow(clippy::disallowed_names)]

                // The other types of `models`, by bare name, as in a single file.
                #[allow(unused_imports)]
                use super::*;
            }
        });
        let pieces = std::iter::once(header).chain(defs.into_iter().map(|def| type_piece(prelude, def))).collect();
        files.push((format!("src/models/{group}.rs"), pieces));
    }
    files
}

/// One type's items, as a piece of its file, with standard paths by their prelude names where
/// no model type shadows them.
fn type_piece(prelude: bool, def: &TypeDef) -> Piece<'_> {
    if prelude { Box::new(move || super::prelude::shorten(emit_type(def))) } else { Box::new(move || emit_type(def)) }
}

/// The module of types whose names do not start with an ASCII letter.
const OTHER: &str = "other";

/// The module a type goes to: its initial letter, lower-cased.
fn group_of(type_name: &str) -> String {
    match type_name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_lowercase().to_string(),
        _ => OTHER.to_owned(),
    }
}

/// One type's items.
fn emit_type(def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => structs::emit_struct(def, s),
        TypeKind::Enum(e) => enums::emit_enum(def, e),
        TypeKind::ValueEnum(e) => value_enums::emit_value_enum(def, e),
        TypeKind::Union(u) => unions::emit_union(def, u),
        TypeKind::Untagged(u) => untagged::emit_untagged(def, u),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let target = rust_type(target, Scope::Models);
            let doc = doc_attrs(def.doc.as_deref().unwrap_or(&docs::default_doc(def)));
            quote! { #doc pub type #name = #target; }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_lower_cased_initial_letter() {
        assert_eq!(group_of("PaymentRequest"), "p");
        assert_eq!(group_of("amount"), "a");
        assert_eq!(group_of("_Private"), OTHER);
        assert_eq!(group_of(""), OTHER);
    }
}
