//! Shorter standard paths in `models`: `::std::option::Option<::std::string::String>` becomes
//! `Option<String>`. Emitters write standard items by their full paths, which no spec name can
//! shadow; where the IR says no model type takes a prelude name
//! ([`Api::models_use_prelude`](crate::ir::Api::models_use_prelude)), a type's tokens are
//! rewritten to the prelude's names. The code reads as hand-written code does, and it has fewer
//! tokens to format and compile (a third fewer in a typical `models` file).

use crate::ir::{PRELUDE_PATHS, PRELUDE_VARIANTS};
use proc_macro2::{Group, Ident, Literal, Spacing, TokenStream, TokenTree};
use std::collections::VecDeque;

/// `tokens` with every prelude path among them shortened to the prelude's name.
///
/// Tokens are moved, never copied: a group's stream is taken out of the group before it is
/// walked, so that proc-macro2 need not copy a stream still shared with the group.
pub fn shorten(tokens: TokenStream) -> TokenStream {
    let mut rest: VecDeque<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(rest.len());
    loop {
        if let Some((name, used)) = prelude_path(rest.make_contiguous()).filter(|_| starts_a_path(out.last())) {
            out.push(TokenTree::Ident(name));
            rest.drain(..used);
            continue;
        }
        let Some(tree) = rest.pop_front() else { break };
        match tree {
            TokenTree::Group(group) => {
                let (delimiter, span, stream) = (group.delimiter(), group.span(), group.stream());
                drop(group);
                let mut shortened = Group::new(delimiter, shorten(stream));
                shortened.set_span(span);
                out.push(TokenTree::Group(shortened));
            }
            TokenTree::Literal(path) if names_serde_function(&out) => {
                let text = path.to_string();
                let short = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).and_then(short_function);
                out.push(TokenTree::Literal(short.map_or(path, |s| Literal::string(&s))));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// Whether the literal after `out` is the path of a function that serde calls
/// (`skip_serializing_if = "…"`), written as a string.
fn names_serde_function(out: &[TokenTree]) -> bool {
    matches!(out, [.., TokenTree::Ident(key), TokenTree::Punct(eq)] if key == "skip_serializing_if" && eq.as_char() == '=')
}

/// A function path given as text (`::std::option::Option::is_none`) by its prelude name
/// (`Option::is_none`), if it has one.
fn short_function(path: &str) -> Option<String> {
    let tokens: Vec<TokenTree> = path.parse::<TokenStream>().ok()?.into_iter().collect();
    let (name, used) = prelude_path(&tokens)?;
    let rest: TokenStream = tokens[used..].iter().cloned().collect();
    Some(format!("{name}{rest}").replace(' ', ""))
}

/// Keywords after which `::std::…` is an absolute path (`impl ::std::convert::Into<…>`). After
/// any other identifier it continues a path (`crate::std::…`), which is left alone.
const KEYWORDS_BEFORE_PATHS: [&str; 14] =
    ["impl", "dyn", "mut", "as", "return", "in", "for", "where", "if", "else", "match", "let", "move", "const"];

/// Whether a `::` after `previous` starts a path of its own.
fn starts_a_path(previous: Option<&TokenTree>) -> bool {
    match previous {
        Some(TokenTree::Ident(ident)) => KEYWORDS_BEFORE_PATHS.iter().any(|k| ident == k),
        _ => true,
    }
}

/// The prelude name that the path at the start of `trees` stands for, and how many tokens the
/// path takes: `::std::option::Option` (9 tokens) → `Option`, `::std::option::Option::Some`
/// (12) → `Some`.
fn prelude_path(trees: &[TokenTree]) -> Option<(Ident, usize)> {
    let segment = |at: usize| -> Option<&Ident> {
        match trees.get(at..at + 3)? {
            [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(ident)]
                if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':' =>
            {
                Some(ident)
            }
            _ => None,
        }
    };
    if segment(0)? != "std" {
        return None;
    }
    let (module, name) = (segment(3)?, segment(6)?);
    let (_, prelude_name) = PRELUDE_PATHS.iter().find(|(m, n)| module == m && name == n)?;
    let variant = segment(9).filter(|v| PRELUDE_VARIANTS.iter().any(|(n, var)| n == prelude_name && *v == var));
    Some(match variant {
        Some(variant) => (variant.clone(), 12),
        None => (name.clone(), 9),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn prelude_paths_shorten_everywhere_and_other_paths_stay_whole() {
        let tokens = quote! {
            pub struct A { pub b: ::std::option::Option<::std::vec::Vec<::std::string::String>> }
            impl ::std::fmt::Display for A {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    let _ = ::std::option::Option::Some(::std::boxed::Box::new(1));
                    let _: ::std::result::Result<(), ()> = ::std::result::Result::Ok(());
                    let _ = ::std::option::Option::<u8>::None;
                    let _ = ::std::collections::BTreeMap::<u8, u8>::new();
                    let _ = crate::std::option::Option::Some(1);
                    f.write_str("")
                }
            }
            fn g(x: impl ::std::convert::Into<::std::string::String>) {}
            struct S { #[serde(skip_serializing_if = "::std::option::Option::is_none")] a: u8 }
        };
        let expected = quote! {
            pub struct A { pub b: Option<Vec<String>> }
            impl ::std::fmt::Display for A {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    let _ = Some(Box::new(1));
                    let _: Result<(), ()> = Ok(());
                    let _ = Option::<u8>::None;
                    let _ = ::std::collections::BTreeMap::<u8, u8>::new();
                    let _ = crate::std::option::Option::Some(1);
                    f.write_str("")
                }
            }
            fn g(x: impl Into<String>) {}
            struct S { #[serde(skip_serializing_if = "Option::is_none")] a: u8 }
        };
        assert_eq!(shorten(tokens).to_string(), expected.to_string());
    }
}
