//! Rust names from wire names: case conversion, keywords, leading digits and collisions.
//!
//! Every Rust name in the output comes from here, so the rules live in one table-tested place.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words Rust reserves. Most can be written as raw identifiers (`r#type`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a `_` suffix instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keeps ASCII letters and digits, turning everything else into a word break, so that heck sees
/// `threeds2.fingerprint`, `x-api-key` and `a b` as separate words.
///
/// A word of one lowercase letter and then capitals (`iOS`, `eBay`) is a brand written that way,
/// not two words: it is lowercased whole, so it becomes `Ios` rather than heck's `IOs`.
fn words(wire: &str) -> String {
    let spaced: String = wire.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let words: Vec<String> = spaced
        .split(' ')
        .map(|w| {
            let b = w.as_bytes();
            let brand = b.len() > 2 && b[0].is_ascii_lowercase() && b[1].is_ascii_uppercase();
            if brand { w.to_ascii_lowercase() } else { w.to_owned() }
        })
        .collect();
    words.join(" ")
}

/// An `UpperCamelCase` name for a type or variant; `prefix` goes before a leading digit and
/// `fallback` is used when the wire name has no letters or digits at all.
pub fn pascal(wire: &str, prefix: &str, fallback: &str) -> String {
    let name = words(wire).to_upper_camel_case();
    let name = if name.is_empty() { fallback.to_owned() } else { name };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("{prefix}{name}") } else { name };
    if KEYWORDS.contains(&name.as_str()) { format!("{name}_") } else { name }
}

/// A `snake_case` name for a field, parameter or method. Keywords stay as they are here and are
/// made raw by [`ident_text`], so the name reads naturally in docs.
pub fn snake(wire: &str) -> String {
    let name = words(wire).to_snake_case();
    if name.is_empty() {
        "value".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{name}")
    } else {
        name
    }
}

/// The identifier as written in code: `r#type` for keywords that allow it, `self_` for the rest.
pub fn ident_text(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The names that an operation's parameters share a namespace with: the methods of the
/// runtime's `Call` (the setters of optional parameters are methods beside them), the client
/// method's request body argument and the local that holds the call being built. A parameter
/// that would take one of them gets [`PARAM_SUFFIX`] instead, so a query parameter may be called
/// `timeout`, `send`, `header`, `body` or `call` (a test checks the list against runtime/call.rs).
pub const CALL_NAMES: &[&str] = &[
    "body",
    "call",
    "deliver",
    "header",
    "header_param",
    "idempotency_key",
    "idempotency_key_from",
    "idempotent",
    "into_future",
    "json_body",
    "max_retries",
    "new",
    "query_param",
    "run",
    "send",
    "send_streaming",
    "send_with_response",
    "timeout",
    "without_idempotency_key",
];

/// What a parameter named like the call plumbing ([`CALL_NAMES`]) gets after its name.
pub const PARAM_SUFFIX: &str = "_param";

/// The Rust name of an operation parameter, claimed in `scope` (one scope per operation).
pub fn param_name(scope: &mut Scope, wire: &str) -> String {
    let mut base = snake(wire);
    // `header` becomes `header_param`, which `Call` also has: suffix until the name is free.
    while CALL_NAMES.contains(&base.as_str()) {
        base.push_str(PARAM_SUFFIX);
    }
    scope.claim(&base, "_")
}

/// Hands out names within one scope, resolving collisions after case conversion
/// (`foo-bar` and `foo_bar`) by numbering the later claims in the order they are made.
#[derive(Debug, Default)]
pub struct Scope {
    used: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { used: reserved.iter().map(|s| (*s).to_owned()).collect() }
    }

    /// Claims `base`, or `base` with the smallest number from 2 that is still free.
    /// `separator` is `""` for camel case and `"_"` for snake case.
    pub fn claim(&mut self, base: &str, separator: &str) -> String {
        let mut candidate = base.to_owned();
        let mut n = 2;
        while !self.used.insert(candidate.clone()) {
            candidate = format!("{base}{separator}{n}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let table = [
            ("PaymentRequest", "PaymentRequest"),
            ("payment_request", "PaymentRequest"),
            ("threeds2.fingerprint", "Threeds2Fingerprint"),
            ("MD", "Md"),
            ("01", "Value01"),
            ("Self", "Self_"),
            ("", "Empty"),
            ("+", "Empty"),
            ("api_error", "ApiError"),
            ("ChallengeShopper", "ChallengeShopper"),
            ("iOS", "Ios"),
            ("eBay", "Ebay"),
            ("Android", "Android"),
        ];
        for (wire, want) in table {
            assert_eq!(pascal(wire, "Value", "Empty"), want, "for {wire:?}");
        }
    }

    #[test]
    fn field_names() {
        let table = [
            ("merchantAccount", "merchant_account"),
            ("threeds2.fingerprint", "threeds2_fingerprint"),
            ("threeds2.challengeResult", "threeds2_challenge_result"),
            ("MD", "md"),
            ("PaRes", "pa_res"),
            ("request_id", "request_id"),
            ("type", "type"),
            ("x-api-key", "x_api_key"),
            ("3ds", "n3ds"),
            ("$", "value"),
            ("iOS", "ios"),
        ];
        for (wire, want) in table {
            assert_eq!(snake(wire), want, "for {wire:?}");
        }
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident_text("type"), "r#type");
        assert_eq!(ident_text("async"), "r#async");
        assert_eq!(ident_text("self"), "self_");
        assert_eq!(ident_text("crate"), "crate_");
        assert_eq!(ident_text("amount"), "amount");
    }

    #[test]
    fn parameters_never_take_the_names_of_the_call_plumbing() {
        let mut scope = Scope::default();
        assert_eq!(param_name(&mut scope, "timeout"), "timeout_param");
        assert_eq!(param_name(&mut scope, "Send"), "send_param");
        assert_eq!(param_name(&mut scope, "body"), "body_param");
        assert_eq!(param_name(&mut scope, "timeout_param"), "timeout_param_2");
        assert_eq!(param_name(&mut scope, "header"), "header_param_param");
        assert_eq!(param_name(&mut scope, "limit"), "limit");
    }

    #[test]
    fn every_method_of_the_runtime_call_is_reserved() {
        let runtime = include_str!("../runtime/call.rs");
        let start = runtime.find("impl<'a, O: Operation> Call<'a, O>").expect("the Call impl");
        let mut methods: Vec<&str> = runtime[start..]
            .split("fn ")
            .skip(1)
            .filter_map(|rest| rest.split_once('('))
            .filter(|(_, args)| ["self", "mut self", "&self", "&mut self"].iter().any(|r| args.starts_with(r)))
            .map(|(name, _)| name.split('<').next().unwrap_or(name).trim())
            .collect();
        methods.extend(["new", "into_future"]);
        // `__…` plumbing needs no reservation: `snake` never makes a name that starts with `_`.
        assert_eq!(snake("__body"), "body");
        for method in methods.into_iter().filter(|m| !m.starts_with("__")) {
            assert!(CALL_NAMES.contains(&method), "`{method}` of runtime/call.rs is missing from CALL_NAMES");
        }
    }

    #[test]
    fn collisions_are_numbered_in_claim_order() {
        let mut scope = Scope::with_reserved(&["new"]);
        assert_eq!(scope.claim(&snake("foo-bar"), "_"), "foo_bar");
        assert_eq!(scope.claim(&snake("foo_bar"), "_"), "foo_bar_2");
        assert_eq!(scope.claim(&snake("FooBar"), "_"), "foo_bar_3");
        assert_eq!(scope.claim("new", "_"), "new_2");
        let mut types = Scope::default();
        assert_eq!(types.claim("Foo", ""), "Foo");
        assert_eq!(types.claim("Foo", ""), "Foo2");
    }
}
