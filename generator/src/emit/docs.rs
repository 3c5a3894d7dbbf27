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
    for raw in text.trim().lines() {
        let line = raw.trim().replace('\t', " ");
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
            out.push(line);
            continue;
        }
        out.push(escape_prose(&line));
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
    fn blank_runs_collapse() {
        assert_eq!(sanitize("a\n\n\n\nb\n\n"), vec![" a", "", " b"]);
        assert!(sanitize("   ").is_empty());
    }
}
