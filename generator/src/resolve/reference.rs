//! Reading a `$ref` string: which document (a path relative to the spec, or the spec itself) and
//! which JSON pointer inside it.

/// Where a reference points: a document and a pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// The document, as a normalised path relative to the root spec's folder; `None` for the root.
    pub file: Option<String>,
    /// The JSON pointer, `#`-prefixed and with percent-escapes decoded (`#` alone is the whole document).
    pub pointer: String,
}

impl Target {
    /// How the target is written in messages: `#/a/b`, or `common.yaml#/a/b`.
    pub fn display(&self) -> String {
        format!("{}{}", self.file.as_deref().unwrap_or(""), self.pointer)
    }

    /// The reference tokens of the pointer, unescaped.
    pub fn tokens(&self) -> Vec<String> {
        tokens(&self.pointer)
    }
}

/// The unescaped reference tokens of a `#/…` pointer.
pub fn tokens(pointer: &str) -> Vec<String> {
    let path = pointer.trim_start_matches('#');
    if path.is_empty() {
        return Vec::new();
    }
    path.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

/// Reads `reference`, written in the document `base` (`None` for the root spec). `None` when it
/// is not a reference this generator can follow: a URL, or a fragment that is not a JSON pointer
/// (a plain-name `$anchor`).
pub fn parse(reference: &str, base: Option<&str>) -> Option<Target> {
    let (file, fragment) = match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    };
    let fragment = percent_decode(fragment)?;
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return None;
    }
    let pointer = format!("#{fragment}");
    if file.is_empty() {
        return Some(Target { file: base.map(str::to_owned), pointer });
    }
    if file.contains("://") || file.starts_with('/') || file.starts_with('\\') {
        return None;
    }
    let file = percent_decode(file)?;
    let folder = base.and_then(|b| b.rfind('/').map(|i| &b[..i])).unwrap_or("");
    Some(Target { file: Some(join(folder, &file)), pointer })
}

/// `relative` read from `folder`, with `.` and `..` worked out (leading `..` stay).
pub fn join(folder: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Decodes `%XX` escapes; `None` when they do not make UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(file: Option<&str>, pointer: &str) -> Option<Target> {
        Some(Target { file: file.map(str::to_owned), pointer: pointer.to_owned() })
    }

    #[test]
    fn references_name_a_document_and_a_pointer() {
        assert_eq!(parse("#/components/schemas/A", None), target(None, "#/components/schemas/A"));
        assert_eq!(parse("#/paths/~1a%7Bid%7D", None), target(None, "#/paths/~1a{id}"));
        assert_eq!(
            parse("common.yaml#/components/schemas/Money", None),
            target(Some("common.yaml"), "#/components/schemas/Money")
        );
        assert_eq!(parse("money.yaml", None), target(Some("money.yaml"), "#"));
        assert_eq!(parse("#/x", Some("dir/a.yaml")), target(Some("dir/a.yaml"), "#/x"));
        assert_eq!(parse("../b.yaml#/y", Some("dir/sub/a.yaml")), target(Some("dir/b.yaml"), "#/y"));
        assert_eq!(parse("./c.json", Some("a.yaml")), target(Some("c.json"), "#"));
        assert_eq!(parse("../up.yaml", None), target(Some("../up.yaml"), "#"));
    }

    #[test]
    fn urls_anchors_and_bad_escapes_are_not_followed() {
        assert_eq!(parse("https://example.com/s.yaml#/a", None), None);
        assert_eq!(parse("/etc/passwd", None), None);
        assert_eq!(parse("#anchor", None), None);
        assert_eq!(parse("#/a%FF", None), None);
    }

    #[test]
    fn tokens_are_unescaped() {
        assert_eq!(tokens("#/paths/~1a~1{id}/get"), ["paths", "/a/{id}", "get"]);
        assert!(tokens("#").is_empty());
        assert_eq!(tokens("#/"), [""]);
    }
}
