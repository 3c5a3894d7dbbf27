//! Finds the line and column of a JSON pointer in block-style YAML text, for error messages.
//!
//! serde_yaml gives no positions for values, so this is a small scanner over the text: it knows
//! block mappings, block sequences, quoted keys, comments and block scalars, which is what
//! hand-written specs use. For anything else (flow style, JSON text) it answers `None` and the
//! error keeps its pointer alone.

/// One mapping key or sequence item found in the text.
#[derive(Debug)]
struct Entry {
    line: usize,
    column: usize,
    kind: EntryKind,
}

#[derive(Debug, PartialEq)]
enum EntryKind {
    Key(String),
    Item,
}

/// The 1-based line and column of the node that `pointer` names, when the scanner can find it.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<String> =
        pointer.trim_start_matches('#').split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let entries = scan(text);
    let mut parent: Option<usize> = None;
    for token in &tokens {
        parent = Some(find_child(&entries, parent, token)?);
    }
    let found = &entries[parent?];
    Some((found.line + 1, found.column + 1))
}

/// The index of the child of `parent` (the root when `None`) named by `token`.
fn find_child(entries: &[Entry], parent: Option<usize>, token: &str) -> Option<usize> {
    let (start, parent_col) = match parent {
        Some(i) => (i + 1, entries[i].column as isize),
        None => (0, -1),
    };
    let children: Vec<usize> =
        (start..entries.len()).take_while(|&i| entries[i].column as isize > parent_col).collect();
    let child_col = children.iter().map(|&i| entries[i].column).min()?;
    let mut level = children.into_iter().filter(|&i| entries[i].column == child_col);
    match token.parse::<usize>() {
        Ok(n) if entries.get(start).is_some_and(|e| e.kind == EntryKind::Item) => {
            level.filter(|&i| entries[i].kind == EntryKind::Item).nth(n)
        }
        _ => level.find(|&i| entries[i].kind == EntryKind::Key(token.to_owned())),
    }
}

/// Lists every mapping key and sequence item of the text, in order, skipping comments and
/// the bodies of block scalars.
fn scan(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut scalar_body_deeper_than: Option<usize> = None;
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
            entries.push(Entry { line: line_no, column, kind: EntryKind::Item });
            let after = rest[1..].trim_start_matches(' ');
            column += rest.len() - after.len();
            rest = after;
        }
        if let Some((key, value)) = split_key(rest) {
            entries.push(Entry { line: line_no, column, kind: EntryKind::Key(key) });
            let value = value.trim();
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

#[cfg(test)]
mod tests {
    use super::locate;

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

    #[test]
    fn unknown_pointers_and_flow_style_give_none() {
        assert_eq!(locate(DOC, "#/info/version"), None);
        assert_eq!(locate("{\"openapi\": \"3.0.3\"}", "#/openapi"), None);
        assert_eq!(locate(DOC, "#/paths/~1sessions~1{id}/get/parameters/7"), None);
    }
}
