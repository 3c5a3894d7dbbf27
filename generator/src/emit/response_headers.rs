//! An operation's typed response headers: a `…Headers` struct with a field per header its
//! success answers declare, and `<Marker>::headers(&response.headers)` to read them (on the
//! markers of the methods for other answer kinds too).

use super::docs::sanitize;
use super::types::{Scope, ident, rust_type};
use crate::ir::Operation;
use proc_macro2::TokenStream;
use quote::quote;

/// The struct and its reader, or `None` when the operation's answers declare no header.
pub fn emit(op: &Operation) -> Option<TokenStream> {
    if op.response_headers.is_empty() {
        return None;
    }
    let (marker, name) = (ident(&op.type_name), ident(&op.headers_type));
    let doc = format!(
        " The headers `{}`'s success answers declare, read with [`{}::headers`].",
        op.operation_id, op.type_name
    );
    let fields = op.response_headers.iter().map(|h| {
        let field = ident(&h.name);
        let ty = rust_type(&h.ty, Scope::Crate);
        let mut docs = vec![format!(" The `{}` header.", h.wire_name)];
        let prose = h.doc.as_deref().map(sanitize).unwrap_or_default();
        if !prose.is_empty() {
            docs.push(String::new());
            docs.extend(prose);
        }
        quote! {
            #(#[doc = #docs])*
            pub #field: ::std::option::Option<#ty>,
        }
    });
    let reads = op.response_headers.iter().map(|h| {
        let field = ident(&h.name);
        let wire = &h.wire_name;
        quote!(#field: crate::call::header_value(headers, #wire),)
    });
    let reader_doc = format!(
        " The headers of [`{}`] from an answer's `headers` (see [`Call::send_with_response`](crate::Call::send_with_response)); a header that is missing or does not parse is `None`.",
        op.headers_type
    );
    // The methods that ask for another kind of answer get the same answers' headers.
    let others = op.other_outputs.iter().map(|other| {
        let other_marker = ident(&other.type_name);
        quote! {
            impl #other_marker {
                #[doc = #reader_doc]
                pub fn headers(headers: &::reqwest::header::HeaderMap) -> #name {
                    #marker::headers(headers)
                }
            }
        }
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #marker {
            #[doc = #reader_doc]
            pub fn headers(headers: &::reqwest::header::HeaderMap) -> #name {
                #name {
                    #(#reads)*
                }
            }
        }

        #(#others)*
    })
}
