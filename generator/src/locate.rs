//! Finds the line and column of a JSON pointer in block-style YAML or in JSON text, for error
//! messages.
//!
//! serde_yaml gives no positions for values, so this is a small scanner over the text: it knows
//! block mappings, block sequences, quoted keys, comments and block scalars, which is what
//! hand-written specs use, and JSON. For anything else (YAML flow style) it answers `None` and the
//! error keeps its pointer alone.

/// One mapping key or sequence item found in the text.
#[derive(Debug)]
struct Entry {
    line: usize,
    column: usize,
    /// Nesting order: twice the column, plus one for the items of a sequence written at its
    /// key's own column, which are inside the key although not indented.
    level: usize,
    kind: EntryKind,
}

#[derive(Debug, PartialEq)]
enum EntryKind {
    Key(String),
    Item,
}

/// A text scanned once, answering any number of pointers: each lookup walks only the children
/// of the nodes on its path, so locating every problem of a large spec stays linear.
pub struct Locator<'a> {
    text: &'a str,
    /// Mapping keys and sequence items, in text order (YAML only).
    entries: Vec<Entry>,
    /// For each entry, the index just past its subtree.
    ends: Vec<usize>,
    json: bool,
}

impl<'a> Locator<'a> {
    /// Scans `text` (YAML, or JSON when it starts with `{`).
    pub fn new(text: &'a str) -> Self {
        let json = text.trim_start().starts_with('{');
        let entries = if json { Vec::new() } else { scan(text) };
        let ends = subtree_ends(&entries);
        Locator { text, entries, ends, json }
    }

    /// The 1-based line and column of the node that `pointer` names, when it can be found.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let tokens: Vec<String> = pointer
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        if self.json {
            let at = json::find(self.text.as_bytes(), 0, &tokens)?;
            let before = &self.text[..at];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            return Some((before.matches('\n').count() + 1, before[line_start..].chars().count() + 1));
        }
        let mut parent: Option<usize> = None;
        for token in &tokens {
            parent = Some(self.find_child(parent, token)?);
        }
        let found = &self.entries[parent?];
        Some((found.line + 1, found.column + 1))
    }

    /// The index of the child of `parent` (the root when `None`) named by `token`: a key, or the
    /// n-th item of a sequence.
    fn find_child(&self, parent: Option<usize>, token: &str) -> Option<usize> {
        let (start, limit) = match parent {
            Some(i) => (i + 1, self.ends[i]),
            None => (0, self.entries.len()),
        };
        let mut children = std::iter::successors((start < limit).then_some(start), |&i| {
            let next = self.ends[i];
            (next < limit).then_some(next)
        });
        match token.parse::<usize>() {
            Ok(n) if self.entries.get(start).is_some_and(|e| e.kind == EntryKind::Item) => {
                children.filter(|&i| self.entries[i].kind == EntryKind::Item).nth(n)
            }
            _ => children.find(|&i| self.entries[i].kind == EntryKind::Key(token.to_owned())),
        }
    }
}

/// For each entry, the index of the first later entry that is not inside it (not deeper).
fn subtree_ends(entries: &[Entry]) -> Vec<usize> {
    let mut ends = vec![entries.len(); entries.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while let Some(&top) = open.last() {
            if entries[top].level < e.level {
                break;
            }
            ends[top] = i;
            open.pop();
        }
        open.push(i);
    }
    ends
}

/// Lists every mapping key and sequence item of the text, in order, skipping comments and
/// the bodies of block scalars.
fn scan(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut scalar_body_deeper_than: Option<usize> = None;
    // Columns whose latest key has no value on its line: a sequence may follow at that same
    // column (`required:` then `- a` directly below), and its items belong to the key.
    let mut open_keys = std::collections::BTreeSet::new();
    for (line_no, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some(limit) = scalar_body_deeper_than {
            if indent > limit {
                continue;
            }
            scalar_body_deeper_than = None;
        }
        let mut column = indent;
        let mut rest = rest;
        while rest == "-" || rest.starts_with("- ") {
            let level = if open_keys.contains(&column) { 2 * column + 1 } else { 2 * column };
            entries.push(Entry { line: line_no, column, level, kind: EntryKind::Item });
            let after = rest[1..].trim_start_matches(' ');
            column += rest.len() - after.len();
            rest = after;
        }
        if let Some((key, value)) = split_key(rest) {
            entries.push(Entry { line: line_no, column, level: 2 * column, kind: EntryKind::Key(key) });
            let value = value.trim();
            if value.is_empty() {
                open_keys.insert(column);
            } else {
                open_keys.remove(&column);
            }
            if value.starts_with('|') || value.starts_with('>') {
                scalar_body_deeper_than = Some(column);
            }
        }
    }
    entries
}

/// Splits `key: value` (the key plain or quoted) into the unquoted key and the rest.
fn split_key(s: &str) -> Option<(String, &str)> {
    let quote = s.chars().next().filter(|c| *c == '\'' || *c == '"');
    if let Some(q) = quote {
        let close = s[1..].find(q)? + 1;
        let after = &s[close + 1..];
        let value = after.strip_prefix(':')?;
        return (value.is_empty() || value.starts_with(' ')).then(|| (s[1..close].to_owned(), value));
    }
    let bytes = s.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let ends_key = bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ');
        (ends_key && i > 0).then(|| (s[..i].to_owned(), &s[i + 1..]))
    })
}

/// JSON text: the pointer is followed member by member, and everything else is skipped without
/// being parsed, so a deep or huge document costs one pass and no recursion beyond the pointer.
mod json {
    /// The byte offset of the node that `tokens` names below the value starting at or after
    /// `at`: the opening quote of its key for an object member, its first byte for an array item.
    pub fn find(text: &[u8], at: usize, tokens: &[String]) -> Option<usize> {
        let mut i = skip_space(text, at);
        let Some((token, rest)) = tokens.split_first() else { return Some(i) };
        match text.get(i)? {
            b'{' => loop {
                i = skip_space(text, i + 1);
                let key_at = i;
                let (key, after) = string(text, i)?;
                i = skip_space(text, after);
                if text.get(i) != Some(&b':') {
                    return None;
                }
                if key == *token {
                    return if rest.is_empty() { Some(key_at) } else { find(text, i + 1, rest) };
                }
                i = next_item(text, skip_value(text, i + 1)?, b'}')?;
            },
            b'[' => {
                let wanted: usize = token.parse().ok()?;
                for _ in 0..wanted {
                    i = next_item(text, skip_value(text, i + 1)?, b']')?;
                }
                find(text, i + 1, rest)
            }
            _ => None,
        }
    }

    /// The offset of the `,` after an item; `None` at the closing bracket (no such item) or on text
    /// that is not JSON.
    fn next_item(text: &[u8], at: usize, close: u8) -> Option<usize> {
        let i = skip_space(text, at);
        match text.get(i)? {
            b',' => Some(i),
            c if *c == close => None,
            _ => None,
        }
    }

    fn skip_space(text: &[u8], mut i: usize) -> usize {
        while text.get(i).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    /// The string starting at `at` (unescaped) and the offset after it.
    fn string(text: &[u8], at: usize) -> Option<(String, usize)> {
        if text.get(at) != Some(&b'"') {
            return None;
        }
        let mut i = at + 1;
        let mut out = Vec::new();
        loop {
            match *text.get(i)? {
                b'"' => return Some((String::from_utf8(out).ok()?, i + 1)),
                b'\\' => {
                    let escaped = *text.get(i + 1)?;
                    i += 2;
                    match escaped {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = std::str::from_utf8(text.get(i..i + 4)?).ok()?;
                            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                            i += 4;
                        }
                        other => out.push(other),
                    }
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
    }

    /// The offset just after the value starting at or after `at`, skipped with a depth count.
    fn skip_value(text: &[u8], at: usize) -> Option<usize> {
        let mut i = skip_space(text, at);
        let mut depth = 0usize;
        loop {
            match *text.get(i)? {
                b'"' => {
                    i += 1;
                    while *text.get(i)? != b'"' {
                        i += if text[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'{' | b'[' => {
                    depth += 1;
                    i += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    i += 1;
                }
                b',' if depth == 0 => return Some(i),
                _ => i += 1,
            }
            if depth == 0 && matches!(text.get(skip_space(text, i)), Some(b',' | b'}' | b']') | None) {
                return Some(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Locator;

    fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
        Locator::new(text).locate(pointer)
    }

    const DOC: &str = "\
openapi: 3.0.3
# a comment: with a colon
info:
  title: x
  description: |
    paths: not a key
    components: neither
paths:
  /sessions/{id}:
    get:
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/Q'
components:
  schemas:
    'Amount':
      properties:
        \"threeds2.fingerprint\":
          type: string
";

    #[test]
    fn finds_nested_keys() {
        assert_eq!(locate(DOC, "#/info/title"), Some((4, 3)));
        assert_eq!(locate(DOC, "#/components/schemas/Amount"), Some((17, 5)));
        assert_eq!(locate(DOC, "#/components/schemas/Amount/properties/threeds2.fingerprint/type"), Some((20, 11)));
    }

    #[test]
    fn finds_sequence_items_and_escaped_tokens() {
        assert_eq!(locate(DOC, "#/paths/~1sessions~1{id}/get/parameters/1"), Some((14, 9)));
        assert_eq!(locate(DOC, "#/paths/~1sessions~1{id}/get/parameters/0/in"), Some((13, 11)));
    }

    #[test]
    fn skips_block_scalars_and_comments() {
        assert_eq!(locate(DOC, "#/paths"), Some((8, 1)));
        assert_eq!(locate(DOC, "#/components"), Some((15, 1)));
    }

    const JSON: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "a \"}{\" b", "version": "1"},
  "paths": {
    "/a/{id}": {"get": {"parameters": [
      {"name": "x", "in": "query"},
      {"name": "y", "in": "query", "schema": {"type": "strnig"}}
    ]}}
  },
  "components": {"schemas": {"caf\u00e9": {"type": "object"}}}
}"#;

    #[test]
    fn finds_members_and_items_in_json() {
        assert_eq!(locate(JSON, "#/openapi"), Some((2, 3)));
        assert_eq!(locate(JSON, "#/paths"), Some((4, 3)));
        assert_eq!(locate(JSON, "#/paths/~1a~1{id}/get/parameters/1"), Some((7, 7)));
        assert_eq!(locate(JSON, "#/paths/~1a~1{id}/get/parameters/1/schema/type"), Some((7, 47)));
        assert_eq!(locate(JSON, "#/components/schemas/café"), Some((10, 30)));
        assert_eq!(locate(JSON, "#/components/schemas/café/type"), Some((10, 44)));
        assert_eq!(locate(JSON, "#/info/version"), Some((3, 35)));
    }

    #[test]
    fn a_sequence_at_its_keys_column_belongs_to_the_key() {
        let doc = "a:\n  required:\n  - x\n  - y\n  next: 1\n";
        assert_eq!(locate(doc, "#/a/required/1"), Some((4, 3)));
        assert_eq!(locate(doc, "#/a/next"), Some((5, 3)));
    }

    #[test]
    fn unknown_pointers_and_flow_style_give_none() {
        assert_eq!(locate(DOC, "#/info/version"), None);
        assert_eq!(locate("{openapi: 3.0.3}", "#/openapi"), None);
        assert_eq!(locate(JSON, "#/paths/~1a~1{id}/get/parameters/2"), None);
        assert_eq!(locate(JSON, "#/info/missing"), None);
        assert_eq!(locate("{\"a\": [1, 2", "#/a/5"), None);
        assert_eq!(locate(&"[".repeat(100_000), "#/0/0"), None);
        assert_eq!(locate(DOC, "#/paths/~1sessions~1{id}/get/parameters/7"), None);
    }
}
