//! Stage 1: spec text → `openapiv3::OpenAPI`, with located errors for bad syntax and bad shape.

use crate::diagnostics::{Diagnostic, child};
use crate::resolve::Origins;
use serde::Deserialize;
use serde::de::DeserializeSeed;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// A parsed document: the typed view, and the plain tree for what openapiv3 does not keep (such
/// as a `description` beside a `$ref`).
#[derive(Debug)]
pub struct Parsed {
    /// The typed document.
    pub doc: openapiv3::OpenAPI,
    /// The same document as a JSON tree.
    pub tree: Value,
    /// Where the parts that resolving moved were written.
    pub origins: Origins,
    /// The references that could not be resolved (each dropped from its schema, so that
    /// lowering goes on and finds the other problems).
    pub unresolved: Vec<Diagnostic>,
}

/// Turns YAML or JSON text into an OpenAPI 3.0 document.
///
/// YAML is read into a plain tree first, so that the version can be checked and mapping keys such
/// as `200:` (integers to YAML) become strings before the typed decode.
///
/// Every `$ref` is resolved first (`resolve`), reading other files from `documents` (by path
/// relative to the spec's folder; `root_name` is the spec's own file name). Problems found after
/// that are reported where they were written.
pub fn parse(text: &str, documents: &BTreeMap<String, String>, root_name: &str) -> Result<Parsed, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::new("#", "the document is empty")]);
    }
    let mut tree = read_tree(text)?;
    let version = check_version(&tree)?;
    let (origins, unresolved) = crate::resolve::resolve(&mut tree, documents, root_name);
    let unresolved = origins.relocate(unresolved);
    let relocated = |problems: Vec<Diagnostic>| {
        let mut all = unresolved.clone();
        all.extend(origins.relocate(problems));
        all
    };
    if version == Version::V31 {
        let problems = crate::normalize::normalize_31(&mut tree);
        if !problems.is_empty() {
            return Err(relocated(problems));
        }
    }
    crate::normalize::drop_unknown_security_schemes(&mut tree);
    crate::normalize::drop_empty_prose(&mut tree);
    crate::normalize::fill_omitted(&mut tree);
    let dropped = dropped_keys(&tree);
    if !dropped.is_empty() {
        return Err(relocated(dropped));
    }
    // Decoded from the borrowed tree, without serde_path_to_error's bookkeeping; only a document
    // that fails is decoded again to learn where.
    let doc = match openapiv3::OpenAPI::deserialize(&tree) {
        Ok(doc) => doc,
        Err(_) => {
            let e = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&tree) {
                Ok(doc) => return Ok(Parsed { doc, tree, origins, unresolved }),
                Err(e) => e,
            };
            let (pointer, message) = narrow(&tree, extend("#", e.path()), e.inner().to_string());
            return Err(relocated(vec![Diagnostic::new(
                pointer,
                format!("not a valid OpenAPI 3.0 document here: {message}"),
            )]));
        }
    };
    Ok(Parsed { doc, tree, origins, unresolved })
}

/// Keys that openapiv3 drops without a word: a path that does not start with `/`, and a response
/// key that is not a status code, `default` or an extension. A typo there (`pets/{id}`, `2OO`)
/// would lose an operation or a response silently, so each is reported.
fn dropped_keys(tree: &Value) -> Vec<Diagnostic> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let is_status = |code: &str| {
        let b = code.as_bytes();
        b.len() == 3
            && (code.parse::<u16>().is_ok_and(|n| n >= 100)
                || (b[0].is_ascii_digit() && b[1..].eq_ignore_ascii_case(b"XX")))
    };
    let mut problems = Vec::new();
    let Some(paths) = tree.get("paths").and_then(Value::as_object) else { return problems };
    for (path, item) in paths.iter().filter(|(path, _)| !path.starts_with("x-")) {
        let at = child("#/paths", path);
        if !path.starts_with('/') {
            problems.push(Diagnostic::new(at, format!("the path `{path}` does not start with `/`")));
            continue;
        }
        for method in METHODS {
            let responses = item.get(method).and_then(|op| op.get("responses")).and_then(Value::as_object);
            for code in responses.into_iter().flat_map(|r| r.keys()) {
                if code != "default" && !code.starts_with("x-") && !is_status(code) {
                    problems.push(Diagnostic::new(
                        child(&child(&child(&at, method), "responses"), code),
                        format!("`{code}` is not a status code: a response key is a code such as `200`, a range such as `4XX`, or `default`"),
                    ));
                }
            }
        }
    }
    problems
}

/// `pointer` followed by the segments of a serde path.
fn extend(pointer: &str, path: &serde_path_to_error::Path) -> String {
    path.iter().fold(pointer.to_owned(), |p, segment| match segment {
        serde_path_to_error::Segment::Seq { index } => child(&p, &index.to_string()),
        serde_path_to_error::Segment::Map { key } => child(&p, key),
        serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => p,
    })
}

/// Where a shape error is, as deep as can be told. openapiv3 reads `$ref`-or-item values, the
/// paths, an operation's responses and a schema's keywords through buffers that
/// serde_path_to_error cannot see into, so its pointer stops at the first such node. From there,
/// each child whose type the pointer tells is read on its own, descending into the one that fails
/// with the same message.
fn narrow(tree: &Value, pointer: String, message: String) -> (String, String) {
    let Some(mut node) = tree.pointer(&pointer[1..]) else { return (pointer, message) };
    let mut tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let mut found = (pointer, message);
    'descend: loop {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            _ => break,
        };
        for (key, value) in children {
            tokens.push(key);
            // The same message: a key that openapiv3 ignores may fail for another reason.
            if let Some(Err((at, message))) = read_as_its_type(&tokens, value)
                && message == found.1
            {
                found.0 = at;
                node = value;
                continue 'descend;
            }
            tokens.pop();
        }
        break;
    }
    found
}

/// Reads `node` as the openapiv3 type that its reference tokens say it has: `None` when they do
/// not say, otherwise the pointer and message of the first shape error, if any.
fn read_as_its_type(tokens: &[String], node: &Value) -> Option<Result<(), (String, String)>> {
    use openapiv3::{Header, MediaType, Parameter, ReferenceOr, RequestBody, Response, Schema};
    fn read<T: serde::de::DeserializeOwned>(tokens: &[String], node: &Value) -> Result<(), (String, String)> {
        let at = tokens.iter().fold("#".to_owned(), |p, t| child(&p, t));
        serde_path_to_error::deserialize::<_, T>(node)
            .map(drop)
            .map_err(|e| (extend(&at, e.path()), e.inner().to_string()))
    }
    type Map<T> = indexmap::IndexMap<String, T>;
    let last = tokens.last().map(String::as_str)?;
    let parent = tokens.len().checked_sub(2).map(|i| tokens[i].as_str());
    let top = tokens.len() <= 3 && tokens[0] == "components";
    Some(match (parent, last) {
        (Some("properties" | "allOf" | "oneOf" | "anyOf"), _) | (_, "schema" | "items" | "not") => {
            read::<ReferenceOr<Schema>>(tokens, node)
        }
        (Some("schemas"), _) if top => read::<ReferenceOr<Schema>>(tokens, node),
        (_, "additionalProperties") => read::<openapiv3::AdditionalProperties>(tokens, node),
        (_, "properties") => read::<Map<ReferenceOr<Schema>>>(tokens, node),
        (_, "allOf" | "oneOf" | "anyOf") => read::<Vec<ReferenceOr<Schema>>>(tokens, node),
        (Some("paths"), _) if tokens.len() == 2 => read::<ReferenceOr<openapiv3::PathItem>>(tokens, node),
        (Some(p), "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
            if tokens.len() == 3 && tokens[0] == "paths" && p.starts_with('/') =>
        {
            read::<openapiv3::Operation>(tokens, node)
        }
        (Some("parameters"), _) => read::<ReferenceOr<Parameter>>(tokens, node),
        (_, "parameters") if top => read::<Map<ReferenceOr<Parameter>>>(tokens, node),
        (_, "parameters") => read::<Vec<ReferenceOr<Parameter>>>(tokens, node),
        (Some("requestBodies"), _) if top => read::<ReferenceOr<RequestBody>>(tokens, node),
        (_, "requestBody") => read::<ReferenceOr<RequestBody>>(tokens, node),
        (_, "responses") if top => read::<Map<ReferenceOr<Response>>>(tokens, node),
        (_, "responses") => read::<openapiv3::Responses>(tokens, node),
        (Some("responses"), _) => read::<ReferenceOr<Response>>(tokens, node),
        (_, "content") => read::<Map<MediaType>>(tokens, node),
        (Some("content"), _) => read::<MediaType>(tokens, node),
        (_, "headers") => read::<Map<ReferenceOr<Header>>>(tokens, node),
        (Some("headers"), _) => read::<ReferenceOr<Header>>(tokens, node),
        _ => return None,
    })
}

/// The OpenAPI versions read: 3.0 as it is, 3.1 after normalisation to 3.0.
#[derive(Debug, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

/// Rejects what is not OpenAPI 3.0 or 3.1 with a message that says what it is.
fn check_version(tree: &Value) -> Result<Version, Vec<Diagnostic>> {
    let Some(map) = tree.as_object() else {
        return Err(vec![Diagnostic::new("#", "not an OpenAPI document: the top level is not a mapping")]);
    };
    if let Some(swagger) = map.get("swagger") {
        return Err(vec![Diagnostic::new(
            "#/swagger",
            format!(
                "Swagger {} documents are not supported: convert the document to OpenAPI 3.0 first",
                scalar(swagger)
            ),
        )]);
    }
    match map.get("openapi") {
        None => Err(vec![Diagnostic::new("#", "not an OpenAPI document: it has no `openapi` version field")]),
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(Version::V30),
        Some(Value::String(v)) if v.starts_with("3.1.") => Ok(Version::V31),
        Some(Value::Number(n)) => Err(vec![Diagnostic::new(
            "#/openapi",
            format!(
                "the version must be a string such as \"3.0.3\", not the number {n}: quote it, and name the patch release"
            ),
        )]),
        Some(other) => Err(vec![Diagnostic::new(
            "#/openapi",
            format!("OpenAPI version {} is not supported: this generator reads OpenAPI 3.0.x and 3.1.x", scalar(other)),
        )]),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads the text into a plain tree: as JSON when it looks like JSON and is JSON, otherwise as
/// YAML (which also reads flow-style documents such as `{openapi: 3.0.3}`). A syntax error is
/// reported in the terms of what the text looks like, with its line and column.
pub fn read_tree(text: &str) -> Result<Value, Vec<Diagnostic>> {
    let looks_like_json = text.trim_start().strip_prefix('{').is_some_and(|t| t.trim_start().starts_with(['"', '}']));
    let mut json_error = None;
    if looks_like_json {
        let reader = Reader::new(text);
        let mut de = serde_json::Deserializer::from_str(text);
        match TreeSeed(&reader).deserialize(&mut de).and_then(|tree| de.end().map(|()| tree)) {
            Ok(tree) => return Ok(tree),
            Err(_) if reader.problem.borrow().is_some() => return Err(reader.take_problem().into_iter().collect()),
            Err(e) => json_error = Some(e),
        }
    }
    let (message, location) = match nesting_too_deep(text) {
        Some(location) => ("recursion limit exceeded".to_owned(), Some(location)),
        None => {
            let reader = Reader::new(text);
            let e = match TreeSeed(&reader).deserialize(serde_yaml::Deserializer::from_str(text)) {
                Ok(tree) => return Ok(tree),
                Err(_) if reader.problem.borrow().is_some() => return Err(reader.take_problem().into_iter().collect()),
                Err(e) => e,
            };
            let location = e.location().map(|l| (l.line(), l.column())).or_else(|| second_document(text));
            // serde_yaml puts "at line X column Y" of the problem in its message, and sometimes the
            // place where the enclosing construct starts after it; the first is reported separately.
            let message = match location {
                Some((line, column)) => e.to_string().replacen(&format!(" at line {line} column {column}"), "", 1),
                None => e.to_string(),
            };
            (message, location)
        }
    };
    let (language, message, location) = match json_error {
        Some(e) => {
            let location = (e.line() > 0).then(|| (e.line(), e.column().max(1)));
            ("JSON", e.to_string().replacen(&format!(" at line {} column {}", e.line(), e.column()), "", 1), location)
        }
        None => ("YAML", message, location),
    };
    let mut d = Diagnostic::new("#", format!("not valid {language}: {}", explain(&message, text, location)));
    d.location = location;
    Err(vec![d])
}

/// Where a second YAML document starts (the `---` after some content), for the error that
/// says there is more than one.
fn second_document(text: &str) -> Option<(usize, usize)> {
    let mut content = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("---") {
            if content {
                return Some((i + 1, 1));
            }
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            content = true;
        }
    }
    None
}

/// How deep collections may nest: what serde_yaml and serde_json read (both refuse the 129th level).
const MAX_NESTING: usize = 128;

/// Where a collection nests deeper than [`MAX_NESTING`], if one does.
///
/// libyaml takes time quadratic in the nesting of flow collections (`{a: {a: …`: 100,000 levels
/// take minutes), and serde_yaml has it read every event of a document before its own depth
/// limit acts. This pass runs libyaml alone, keeping nothing, and stops at the first collection
/// that is too deep, so such a text costs no more than a shallow one. Syntax errors are left to
/// serde_yaml, which reports them.
fn nesting_too_deep(text: &str) -> Option<(usize, usize)> {
    use unsafe_libyaml as unsafe_yaml;
    use unsafe_yaml::yaml_event_type_t as Event;
    // libyaml keeps pointers into its parser struct (the string reader's state), so it lives on
    // the heap and never moves.
    let mut boxed = Box::new(std::mem::MaybeUninit::<unsafe_yaml::yaml_parser_t>::uninit());
    let parser = boxed.as_mut_ptr();
    let mut event = std::mem::MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
    // SAFETY: the same calls, in the same order, as serde_yaml's own parser (`libyaml/parser.rs`):
    // the parser is initialised before use and deleted once; `text` outlives it; each event is
    // read only after a successful `yaml_parser_parse` and deleted before the next.
    unsafe {
        if unsafe_yaml::yaml_parser_initialize(parser).fail {
            return None;
        }
        unsafe_yaml::yaml_parser_set_encoding(parser, unsafe_yaml::yaml_encoding_t::YAML_UTF8_ENCODING);
        unsafe_yaml::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let mut depth = 0usize;
        let found = loop {
            if unsafe_yaml::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                break None;
            }
            let (kind, mark) = ((*event.as_ptr()).type_, (*event.as_ptr()).start_mark);
            unsafe_yaml::yaml_event_delete(event.as_mut_ptr());
            match kind {
                Event::YAML_SEQUENCE_START_EVENT | Event::YAML_MAPPING_START_EVENT => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        break Some((mark.line as usize + 1, mark.column as usize + 1));
                    }
                }
                Event::YAML_SEQUENCE_END_EVENT | Event::YAML_MAPPING_END_EVENT => depth = depth.saturating_sub(1),
                Event::YAML_STREAM_END_EVENT => break None,
                _ => {}
            }
        };
        unsafe_yaml::yaml_parser_delete(parser);
        found
    }
}

/// Adds what a reader's terse message usually means in a spec.
fn explain(message: &str, text: &str, location: Option<(usize, usize)>) -> String {
    if message.starts_with("recursion limit exceeded") {
        return format!("the document nests more than {MAX_NESTING} levels deep");
    }
    let line = location.and_then(|(line, _)| text.lines().nth(line.saturating_sub(1))).unwrap_or("");
    if line.trim_start_matches(' ').starts_with('\t') {
        return format!("{message}: the line is indented with a tab, and YAML indentation must use spaces");
    }
    message.to_owned()
}

/// What the reading of one tree shares between its nodes.
struct Reader {
    /// How many more values may be made. YAML aliases repeat a node wherever they are used, so a
    /// small text can stand for a huge tree ("billion laughs"); the budget stops that early.
    remaining: Cell<usize>,
    /// The budget, for the message.
    budget: usize,
    /// A problem found by the tree itself (not by the syntax), reported in place of the reader's
    /// error: its message, and the reference tokens of where it is, innermost first. The tokens
    /// are gathered while the error travels out of the nested reads, so a document without
    /// problems costs no path bookkeeping at all.
    problem: RefCell<Option<(String, Vec<String>)>>,
}

impl Reader {
    /// A text without aliases never makes more than about two values per byte (`{a,b}` is five),
    /// so the budget only ever stops documents whose aliases multiply them: beyond that, aliases
    /// may add 100,000 values, which no reuse of a shared block in an API description comes near
    /// and which a "billion laughs" reaches in a few milliseconds.
    fn new(text: &str) -> Self {
        let budget = text.len().saturating_mul(2).saturating_add(100_000);
        Reader { remaining: Cell::new(budget), budget, problem: RefCell::default() }
    }

    /// Records a problem with the node being read and returns the error that stops the reading.
    fn fail<E: serde::de::Error>(&self, message: String) -> E {
        self.problem.replace(Some((message, Vec::new())));
        E::custom("stopped reading")
    }

    /// Notes, while a problem's error travels outwards, that it came from the child `token`.
    fn came_from(&self, token: impl FnOnce() -> String) {
        if let Some((_, tokens)) = self.problem.borrow_mut().as_mut() {
            tokens.push(token());
        }
    }

    /// The problem, with its JSON pointer, if the tree itself stopped the reading.
    fn take_problem(&self) -> Option<Diagnostic> {
        let (message, tokens) = self.problem.take()?;
        let pointer = tokens.iter().rev().fold("#".to_owned(), |p, token| child(&p, token));
        Some(Diagnostic::new(pointer, message))
    }
}

/// Reads one JSON tree from YAML or JSON. Unlike `serde_yaml::Value` it takes integers beyond 64
/// bits (as floating point, which is what a schema bound of that size means), turns mapping keys
/// that are not strings (`200:`) into their text, rejects repeated keys, and stops a tree that
/// YAML aliases blow up.
#[derive(Clone, Copy)]
struct TreeSeed<'r>(&'r Reader);

impl<'de> DeserializeSeed<'de> for TreeSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        let reader = self.0;
        let Some(remaining) = reader.remaining.get().checked_sub(1) else {
            let message = format!(
                "the document stands for more than {} values once its YAML aliases are expanded: \
                 aliases that repeat each other multiply the document",
                reader.budget
            );
            return Err(reader.fail(message));
        };
        reader.remaining.set(remaining);
        deserializer.deserialize_any(TreeVisitor(reader))
    }
}

struct TreeVisitor<'r>(&'r Reader);

impl<'de> serde::de::Visitor<'de> for TreeVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    /// A value with a YAML tag such as `!custom` (the reader passes it as an enum).
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, _): (String, _) = data.variant()?;
        let message = format!("the YAML tag `!{tag}` is not supported: remove it");
        Err(self.0.fail(message))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let reader = self.0;
        let mut items = Vec::new();
        loop {
            match seq.next_element_seed(TreeSeed(reader)) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(Value::Array(items)),
                Err(e) => {
                    reader.came_from(|| items.len().to_string());
                    return Err(e);
                }
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let reader = self.0;
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(TreeSeed(reader))? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            if map.contains_key(&key) {
                let message = format!("the key `{key}` appears more than once in this mapping");
                return Err(reader.fail(message));
            }
            match access.next_value_seed(TreeSeed(reader)) {
                Ok(value) => map.insert(key, value),
                Err(e) => {
                    reader.came_from(|| key);
                    return Err(e);
                }
            };
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {

    fn parse(text: &str) -> Result<super::Parsed, Vec<crate::diagnostics::Diagnostic>> {
        super::parse(text, &Default::default(), "spec.yaml")
    }

    fn first_error(text: &str) -> (String, Option<(usize, usize)>, String) {
        let d = parse(text).unwrap_err().remove(0);
        (d.pointer, d.location, d.message)
    }

    #[test]
    fn integer_response_codes_become_strings() {
        let doc = parse(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n",
        )
        .unwrap();
        assert_eq!(doc.doc.paths.paths.len(), 1);
    }

    #[test]
    fn integers_beyond_64_bits_are_read() {
        let doc = parse(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: number\n      minimum: -9223372036854776000\n",
        )
        .unwrap();
        assert!(doc.tree.pointer("/components/schemas/A/minimum").is_some_and(serde_json::Value::is_f64));
    }

    #[test]
    fn rejects_empty_swagger_and_other_versions() {
        assert_eq!(first_error("  \n").2, "the document is empty");
        assert!(first_error("swagger: '2.0'\n").2.starts_with("Swagger 2.0 documents are not supported"));
        assert_eq!(first_error("openapi: 4.0.0\n").0, "#/openapi");
        assert!(first_error("title: x\n").2.contains("no `openapi` version field"));
        assert!(first_error("- a\n").2.contains("top level is not a mapping"));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let (pointer, location, message) = first_error("openapi: 3.0.3\ninfo: [\n");
        assert_eq!(pointer, "#");
        assert!(location.is_some());
        assert!(message.starts_with("not valid YAML: did not find expected node content"), "{message}");
        let (_, location, message) = first_error("openapi: 3.0.3\ntags: [a, b\npaths: {}\n");
        assert_eq!(location, Some((3, 6)));
        assert_eq!(
            message,
            "not valid YAML: did not find expected ',' or ']', while parsing a flow sequence at line 2 column 7"
        );
    }

    #[test]
    fn json_errors_are_reported_as_json_and_flow_yaml_still_reads() {
        let (pointer, location, message) = first_error("{\"openapi\": \"3.0.3\" \"info\": {}}");
        assert_eq!(
            (pointer.as_str(), location, message.as_str()),
            ("#", Some((1, 21)), "not valid JSON: expected `,` or `}`")
        );
        let doc = parse("{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}").unwrap();
        assert_eq!(doc.tree["openapi"], "3.0.3");
    }

    #[test]
    fn tabs_too_deep_nesting_and_numeric_versions_are_explained() {
        assert!(first_error("openapi: 3.0.3\ninfo:\n\ttitle: t\n").2.ends_with("YAML indentation must use spaces"));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            first_error(&deep),
            ("#".into(), Some((1, 129)), "not valid YAML: the document nests more than 128 levels deep".into())
        );
        let deepest = format!("a: {}{}", "[".repeat(127), "]".repeat(127));
        assert!(super::read_tree(&deepest).is_ok());
        let json = format!("{{\"a\": {}{}}}", "[".repeat(128), "]".repeat(128));
        assert_eq!(first_error(&json).2, "not valid JSON: the document nests more than 128 levels deep");
        let mapping = format!("{}1{}", "{a: ".repeat(100_000), "}".repeat(100_000));
        assert_eq!(first_error(&mapping).1, Some((1, 513)));
        assert!(first_error("openapi: 3.0\n").2.starts_with("the version must be a string"));
    }

    #[test]
    fn repeated_keys_are_rejected_with_the_mapping_pointer() {
        let (pointer, _, message) = first_error("openapi: 3.0.3\npaths:\n  /a: {}\n  /b: {}\n  /a: {}\n");
        assert_eq!(
            (pointer.as_str(), message.as_str()),
            ("#/paths", "the key `/a` appears more than once in this mapping")
        );
        let (pointer, _, _) = first_error("{\"openapi\": \"3.0.3\", \"x\": [{\"a\": 1, \"a\": 2}]}");
        assert_eq!(pointer, "#/x/0");
    }

    #[test]
    fn aliases_cannot_blow_up_the_tree() {
        let mut text = format!("a: &a [{}]\n", vec!["x"; 1000].join(", "));
        for (name, previous) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 10].join(", ")));
        }
        let (pointer, _, message) = first_error(&text);
        assert!(pointer.starts_with("#/"), "{pointer}");
        assert!(message.contains("once its YAML aliases are expanded"), "{message}");
        let small = "a: &a {type: string}\nb: [*a, *a]\n";
        assert!(super::read_tree(small).is_ok());
    }

    #[test]
    fn shape_errors_name_the_pointer() {
        let (pointer, _, message) = first_error("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: 5\n");
        assert_eq!(pointer, "#/paths/~1a");
        assert!(message.starts_with("not a valid OpenAPI 3.0 document here"));
    }

    #[test]
    fn paths_and_response_codes_that_openapiv3_would_drop_are_reported() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  pets: {}\n  x-note: {}\n  /a:\n    get:\n      responses:\n        '2OO': {description: a}\n        20: {description: b}\n        200: {description: c}\n        4xx: {description: d}\n        default: {description: e}\n        x-y: {}\n";
        let problems = parse(spec).unwrap_err();
        let pointers: Vec<&str> = problems.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/paths/pets", "#/paths/~1a/get/responses/2OO", "#/paths/~1a/get/responses/20"]);
        assert_eq!(problems[0].message, "the path `pets` does not start with `/`");
    }

    #[test]
    fn shape_errors_behind_refs_and_flattened_maps_are_narrowed() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string}}\n        - {name: l, in: query, required: maybe, schema: {type: integer}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  example: {type: string}\n                  x: {type: string, maxLength: many}\n";
        let (pointer, _, message) = first_error(spec);
        assert_eq!(pointer, "#/paths/~1a/get/parameters/1");
        assert_eq!(
            message,
            "not a valid OpenAPI 3.0 document here: invalid type: string \"maybe\", expected a boolean"
        );
        let (pointer, _, _) = first_error(&spec.replace("required: maybe", "required: true"));
        assert_eq!(pointer, "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/x");
        let components = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - {type: object, additionalProperties: {type: integer, minimum: low}}\n";
        assert_eq!(first_error(components).0, "#/components/schemas/A/allOf/0/additionalProperties");
    }
}
