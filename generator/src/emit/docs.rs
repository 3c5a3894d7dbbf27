//! Spec prose → rustdoc attributes that render as written and never turn into doctests or
//! broken links.

use proc_macro2::TokenStream;
use quote::quote;

/// The doc of a type the spec does not describe: where in the spec it comes from, so that a
/// renamed type (`FooBar2`) can be traced to its schema (`foo-bar`).
pub fn default_doc(def: &crate::ir::TypeDef) -> String {
    format!("The schema at `{}`.", def.pointer)
}

/// One `#[doc]` attribute per line of sanitised prose; nothing for empty prose.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    quote! { #( #[doc = #lines] )* }
}

/// Rustdoc lines for `text`: each with a leading space (so prettyplease prints `/// text`),
/// indentation removed (four spaces would start a code block, which rustdoc runs as a test),
/// code fences marked `text`, brackets and angle brackets escaped, bare URLs wrapped in `<>`.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Any line break counts, a bare carriage return too (rustdoc refuses one in a doc comment).
    for raw in text.trim().split(['\n', '\r']) {
        let line = clean_line(raw);
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("```") {
            out.push(if in_fence || !rest.trim().is_empty() && rest.trim() == "text" {
                "```".to_owned()
            } else {
                "```text".to_owned()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        out.push(escape_prose(line));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    // Collapse runs of blank lines and drop trailing ones.
    let mut lines: Vec<String> = Vec::new();
    for line in out {
        if !(line.is_empty() && lines.last().is_none_or(String::is_empty)) {
            lines.push(line);
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") }).collect()
}

/// One line of text made safe for a comment or a doc attribute: line breaks and tabs become
/// spaces; other control characters, and the characters that reorder text (bidirectional
/// overrides and isolates, which rustc refuses in comments because they can hide code), are left
/// out.
pub fn clean_line(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() || is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// The Unicode characters that change the direction of the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Makes the text of every `#[doc]` attribute of `file` safe (see [`clean_line`]). Emitters
/// build doc lines from spec text in many places (paths, operation ids, wire names); this is
/// the one place where all of it is escaped before printing, as `quote` escapes string literals.
pub fn clean_doc_attributes(file: &mut syn::File) {
    struct Cleaner;
    impl syn::visit_mut::VisitMut for Cleaner {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut nv.value
            {
                let value = text.value();
                let cleaned = clean_line(&value);
                if cleaned != value {
                    *text = syn::LitStr::new(&cleaned, text.span());
                }
            }
        }
    }
    syn::visit_mut::VisitMut::visit_file_mut(&mut Cleaner, file);
}

/// Escapes one line of prose outside code fences.
fn escape_prose(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if let Some(url_start) = word.find("https://").or_else(|| word.find("http://")) {
            let (before, rest) = word.split_at(url_start);
            let end = rest.find(|c: char| "<>\"`)".contains(c)).unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push_str(&escape_text(before));
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&escape_text(&rest[url.len()..]));
        } else {
            out.push_str(&escape_text(word));
        }
    }
    out
}

/// Escapes Markdown and HTML characters that would become links or tags, outside inline code.
fn escape_text(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
        }
        match c {
            '[' | ']' | '<' | '>' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn prose_is_made_safe() {
        let text = "Amount in minor units.\n\n    indented code\nSee https://docs.plexypay.com/errors. Or [link] and Map<K, V>.\n`a[0]` stays";
        assert_eq!(
            sanitize(text),
            vec![
                " Amount in minor units.",
                "",
                " indented code",
                " See <https://docs.plexypay.com/errors>. Or \\[link\\] and Map\\<K, V\\>.",
                " `a[0]` stays",
            ]
        );
    }

    #[test]
    fn fences_never_become_doctests() {
        assert_eq!(sanitize("```\nlet x = 1;\n```"), vec![" ```text", " let x = 1;", " ```"]);
        assert_eq!(sanitize("```json\n{}\n"), vec![" ```text", " {}", " ```"]);
    }

    #[test]
    fn carriage_returns_controls_and_direction_overrides_never_reach_a_comment() {
        assert_eq!(sanitize("one\rtwo\r\nthree"), vec![" one", " two", "", " three"]);
        assert_eq!(sanitize("a\u{202E}b\u{0}c\u{7}\td\u{2066}e\u{200F}"), vec![" abc de"]);
        assert_eq!(super::clean_line("x\ry\nz\u{202D}"), "x y z");
        let mut file: syn::File = syn::parse2(quote::quote! {
            #[doc = " path /a\r\n    let x = 1;\u{202E}"]
            pub struct A;
        })
        .unwrap();
        super::clean_doc_attributes(&mut file);
        let printed = prettyplease::unparse(&file);
        assert_eq!(printed, "/// path /a      let x = 1;\npub struct A;\n");
    }

    #[test]
    fn blank_runs_collapse() {
        assert_eq!(sanitize("a\n\n\n\nb\n\n"), vec![" a", "", " b"]);
        assert!(sanitize("   ").is_empty());
    }
}
