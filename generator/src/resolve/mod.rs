//! Stage 1b: resolves every `$ref` of the document before anything is lowered, so that lowering
//! sees one shape: references of the form `#/components/<kind>/<name>` and nothing else.
//!
//! A reference into a schema's parts (`#/components/schemas/Tag/allOf/0`), into another kind of
//! component, into `#/paths/…`, into `$defs`, or into another file (`common.yaml#/…`, passed in
//! by the caller, since the generator reads no files) has its target *hoisted*: copied under
//! `components` with a stable name derived from where it was, and, when it was in the spec
//! itself, replaced there by a reference to the copy so that one place gives one type. A path
//! item that is a reference is replaced by its target (path items are not types). Every move is
//! remembered in [`Origins`], so that a problem found later is reported where it was written.

mod reference;
mod walk;

use crate::diagnostics::{Diagnostic, child};
use reference::Target;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use walk::{Kind, Site};

/// How many references a chain (a reference to a reference …) may pass before it is taken for a cycle.
const MAX_CHAIN: usize = 64;

/// Where the parts of the resolved document were written.
#[derive(Debug, Default, Clone)]
pub struct Origins {
    /// Each move: the pointer of the new place in the root, then the file (`None`: the root
    /// spec) and pointer of the place it was written.
    moves: Vec<(String, Option<String>, String)>,
}

impl Origins {
    /// The same problems, each pointing where its place was written.
    pub fn relocate(&self, mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
        for d in problems.iter_mut().filter(|d| d.file.is_none()) {
            (d.file, d.pointer) = self.original(&d.pointer);
        }
        problems
    }

    /// Where the node at `pointer` of the resolved document was written: the file (`None` for
    /// the root spec) and the pointer there.
    pub fn original(&self, pointer: &str) -> (Option<String>, String) {
        let mut current = pointer.to_owned();
        // Each step moves out of one hoisted copy; a copy made from inside another copy takes
        // another step, so there are never more steps than moves.
        for _ in 0..=self.moves.len() {
            let inside = |new: &str| current == new || current.strip_prefix(new).is_some_and(|r| r.starts_with('/'));
            let Some((new, file, old)) =
                self.moves.iter().filter(|(new, _, _)| inside(new)).max_by_key(|(new, _, _)| new.len())
            else {
                break;
            };
            current = format!("{old}{}", &current[new.len()..]);
            if file.is_some() {
                return (file.clone(), current);
            }
        }
        (None, current)
    }
}

/// Resolves the references of `root` in place. `documents` holds the other files the spec refers
/// to, by path relative to the spec's folder; `root_name` is the spec's own file name, so that a
/// file referring back to it is understood.
///
/// A reference that cannot be resolved is reported and, in a schema, dropped (the schema then
/// accepts anything), so that the rest of the document is still lowered and every problem is
/// found in one run.
pub fn resolve(root: &mut Value, documents: &BTreeMap<String, String>, root_name: &str) -> (Origins, Vec<Diagnostic>) {
    let mut resolver = Resolver {
        root,
        root_name,
        texts: documents,
        parsed: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        origins: Origins::default(),
        problems: Vec::new(),
    };
    let mut queue: std::collections::VecDeque<Site> = walk::document_sites(resolver.root).into();
    while let Some(site) = queue.pop_front() {
        let still_there = resolver
            .root
            .pointer(&site.pointer[1..])
            .and_then(|v| v.get("$ref"))
            .is_some_and(|r| r.as_str() == Some(&site.reference));
        if !still_there {
            continue;
        }
        queue.extend(resolver.site(&site));
    }
    (resolver.origins, resolver.problems)
}

/// The other files that the document `file` (`None`: the spec) refers to, relative to the
/// spec's folder: what a caller must read and pass to [`resolve`] (with the files those name in
/// turn). Unreadable text gives none; parsing reports it.
pub fn external_files(text: &str, file: Option<&str>) -> BTreeSet<String> {
    if only_local_refs(text) {
        return BTreeSet::new();
    }
    let Ok(tree) = crate::parse::read_tree(text) else { return BTreeSet::new() };
    let mut files = BTreeSet::new();
    every_ref(&tree, &mut |reference| {
        if let Some(Target { file: Some(other), .. }) = reference::parse(reference, file)
            && Some(other.as_str()) != file
        {
            files.insert(other);
        }
    });
    files
}

/// Whether a plain look at the text shows that every `$ref` in it points into the same document
/// (its value starts with `#`), so that it names no other file without reading the whole tree,
/// which costs as much as reading the document. Anything else (a file name, a value on the next
/// line, a key spelled with escapes) is left to the full reading.
fn only_local_refs(text: &str) -> bool {
    const ESCAPED_DOLLAR: [&str; 3] = ["\\u0024", "\\x24", "\\U00000024"];
    if ESCAPED_DOLLAR.iter().any(|escape| text.contains(escape)) {
        return false;
    }
    text.match_indices("$ref").all(|(at, found)| {
        let value = text[at + found.len()..].trim_start_matches(['"', '\'']).trim_start_matches([' ', '\t']);
        value.strip_prefix(':').is_some_and(|v| v.trim_start_matches([' ', '\t', '"', '\'']).starts_with('#'))
    })
}

/// Calls `f` with every `$ref` string anywhere in `value`.
fn every_ref(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                f(r);
            }
            map.values().for_each(|v| every_ref(v, f));
        }
        Value::Array(items) => items.iter().for_each(|v| every_ref(v, f)),
        _ => {}
    }
}

struct Resolver<'a> {
    root: &'a mut Value,
    root_name: &'a str,
    texts: &'a BTreeMap<String, String>,
    /// Other files, read when first needed (`None`: unreadable, already reported).
    parsed: BTreeMap<String, Option<Value>>,
    /// Every target already hoisted, with its component name.
    hoisted: BTreeMap<(Target, Kind), String>,
    origins: Origins,
    problems: Vec<Diagnostic>,
}

impl Resolver<'_> {
    /// Resolves one reference; returns the references of whatever was added to the document.
    fn site(&mut self, site: &Site) -> Vec<Site> {
        let at = child(&site.pointer, "$ref");
        let Some(target) = self.parse(&site.reference, None) else {
            self.problems.push(Diagnostic::new(
                at,
                format!(
                    "$ref `{}` cannot be followed: only JSON pointers into this document or into files beside it are",
                    site.reference
                ),
            ));
            if site.kind == Kind::Schema
                && let Some(Value::Object(map)) = self.root.pointer_mut(&site.pointer[1..])
            {
                map.remove("$ref");
            }
            return Vec::new();
        };
        if site.kind == Kind::PathItem {
            return self.inline_path_item(site, &target);
        }
        if target.file.is_none() && canonical_name(&target.pointer, site.kind).is_some() {
            // A component that is itself a reference is followed (for a schema it is an alias);
            // lowering reports a component that does not exist, in its own words.
            let chained = self.root.pointer(&target.pointer[1..]).and_then(|v| v.get("$ref")).is_some();
            if site.kind == Kind::Schema || !chained {
                return Vec::new();
            }
        }
        let mut added = Vec::new();
        match self.hoist(&target, site.kind, &mut BTreeSet::new(), &mut added) {
            Ok(name) => {
                let canonical = child(&format!("#/components/{}", site.kind.section()), &name);
                if let Some(Value::Object(map)) = self.root.pointer_mut(&site.pointer[1..]) {
                    map.insert("$ref".into(), Value::String(canonical));
                }
            }
            Err(message) => {
                self.problems.push(Diagnostic::new(at, message));
                if site.kind == Kind::Schema
                    && let Some(Value::Object(map)) = self.root.pointer_mut(&site.pointer[1..])
                {
                    map.remove("$ref");
                }
            }
        }
        added
    }

    /// Replaces a path item that is a reference with its target.
    fn inline_path_item(&mut self, site: &Site, target: &Target) -> Vec<Site> {
        // Callbacks are not part of the client; a reference there is left as written.
        if !is_top_level_path_item(&site.pointer) {
            return Vec::new();
        }
        let mut seen = BTreeSet::new();
        let mut current = target.clone();
        let (actual, value) = loop {
            if !seen.insert(current.clone()) || seen.len() > MAX_CHAIN {
                let message = format!("$ref `{}` is part of a cycle of path item references", site.reference);
                self.problems.push(Diagnostic::new(child(&site.pointer, "$ref"), message));
                return Vec::new();
            }
            let (actual, value) = match self.find(&current) {
                Ok(found) => found,
                Err(message) => {
                    self.problems.push(Diagnostic::new(child(&site.pointer, "$ref"), message));
                    return Vec::new();
                }
            };
            match value.get("$ref").and_then(Value::as_str).and_then(|r| self.parse(r, actual.file.as_deref())) {
                Some(next) => current = next,
                None => break (actual, value),
            }
        };
        let Value::Object(mut merged) = self.qualified(value, actual.file.as_deref()) else {
            let message = format!("$ref `{}` points to something that is not a path item", site.reference);
            self.problems.push(Diagnostic::new(child(&site.pointer, "$ref"), message));
            return Vec::new();
        };
        if let Some(Value::Object(written)) = self.root.pointer(&site.pointer[1..]) {
            for (key, value) in written.iter().filter(|(k, _)| *k != "$ref") {
                merged.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        let merged = Value::Object(merged);
        let sites = walk::sites(&merged, &site.pointer, Kind::PathItem);
        if let Some(slot) = self.root.pointer_mut(&site.pointer[1..]) {
            *slot = merged;
        }
        self.origins.moves.push((site.pointer.clone(), actual.file.clone(), actual.pointer.clone()));
        sites
    }

    /// The component name under which `target` is found, copying it under `components` first
    /// when it is not a component of `kind` of the spec itself. References that only lead to
    /// another reference are followed (a schema that is only a reference stays: it is an alias).
    fn hoist(
        &mut self,
        target: &Target,
        kind: Kind,
        chain: &mut BTreeSet<Target>,
        added: &mut Vec<Site>,
    ) -> Result<String, String> {
        if let Some(name) = self.hoisted.get(&(target.clone(), kind)) {
            return Ok(name.clone());
        }
        if !chain.insert(target.clone()) || chain.len() > MAX_CHAIN {
            return Err(format!(
                "$ref `{}` is part of a cycle of references that never reaches a value",
                target.display()
            ));
        }
        let (actual, value) = self.find(target)?;
        let next = value
            .as_object()
            .filter(|map| kind != Kind::Schema || map.len() == 1)
            .and_then(|map| map.get("$ref"))
            .and_then(Value::as_str)
            .map(|r| (r.to_owned(), self.parse(r, actual.file.as_deref())));
        let name = match next {
            Some((_, Some(next)))
                if !(kind == Kind::Schema && next.file.is_none() && canonical_name(&next.pointer, kind).is_some()) =>
            {
                self.hoist(&next, kind, chain, added)?
            }
            Some((written, None)) => {
                return Err(format!(
                    "$ref `{written}` cannot be followed: only JSON pointers into this document or into files beside it are"
                ));
            }
            _ => match (&actual.file, canonical_name(&actual.pointer, kind)) {
                (None, Some(name)) => name,
                _ => self.copy(&actual, value, kind, added),
            },
        };
        self.hoisted.insert((target.clone(), kind), name.clone());
        Ok(name)
    }

    /// Copies `value`, found at `actual`, under `components` with a new name, and puts a
    /// reference to the copy where it was (when that is in the spec itself).
    fn copy(&mut self, actual: &Target, value: Value, kind: Kind, added: &mut Vec<Site>) -> String {
        let name = self.free_name(kind, &derived_name(actual, kind));
        let value = self.qualified(value, actual.file.as_deref());
        let pointer = child(&format!("#/components/{}", kind.section()), &name);
        added.extend(walk::sites(&value, &pointer, kind));
        let Some(root) = self.root.as_object_mut() else { return name };
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        let section =
            components.as_object_mut().map(|c| c.entry(kind.section()).or_insert_with(|| Value::Object(Map::new())));
        if let Some(Value::Object(section)) = section {
            section.insert(name.clone(), value);
        }
        let in_data =
            actual.tokens().iter().any(|t| ["example", "examples", "default", "enum", "const"].contains(&t.as_str()));
        if actual.file.is_none()
            && !in_data
            && let Some(slot) = self.root.pointer_mut(&actual.pointer[1..])
        {
            *slot = serde_json::json!({ "$ref": pointer.clone() });
        }
        self.origins.moves.push((pointer, actual.file.clone(), actual.pointer.clone()));
        name
    }

    /// `base` (its first free form) among the names of the `kind` section.
    fn free_name(&self, kind: Kind, base: &str) -> String {
        let taken = |name: &str| {
            self.root.get("components").and_then(|c| c.get(kind.section())).and_then(|s| s.get(name)).is_some()
        };
        let mut name = base.to_owned();
        let mut n = 2;
        while taken(&name) {
            name = format!("{base} {n}");
            n += 1;
        }
        name
    }

    /// `value`, written in `file`, with its references rewritten to be read from the spec.
    fn qualified(&self, mut value: Value, file: Option<&str>) -> Value {
        if file.is_some() {
            self.qualify(&mut value, file);
        }
        value
    }

    fn qualify(&self, value: &mut Value, file: Option<&str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get_mut("$ref")
                    && let Some(target) = self.parse(r, file)
                {
                    *r = target.display();
                }
                map.values_mut().for_each(|v| self.qualify(v, file));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.qualify(v, file)),
            _ => {}
        }
    }

    /// Reads a reference written in `base`, naming the spec itself as `None`.
    fn parse(&self, reference: &str, base: Option<&str>) -> Option<Target> {
        read_reference(self.root_name, reference, base)
    }

    /// The value `target` names and where it really is: a reference met on the way is followed
    /// (`#/components/schemas/A/properties/b` when `A` is itself a reference).
    fn find(&mut self, target: &Target) -> Result<(Target, Value), String> {
        let mut current = target.clone();
        let root_name = self.root_name;
        'chain: for _ in 0..MAX_CHAIN {
            let doc = self.document(current.file.as_deref())?;
            let tokens = current.tokens();
            let mut node = doc;
            for (i, token) in tokens.iter().enumerate() {
                let next = match node {
                    Value::Object(map) => map.get(token),
                    Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                };
                let next = match (next, node.get("$ref").and_then(Value::as_str)) {
                    (Some(next), _) => next,
                    (None, Some(reference)) => {
                        let Some(mut via) = read_reference(root_name, reference, current.file.as_deref()) else {
                            break;
                        };
                        for rest in &tokens[i..] {
                            via.pointer = child(&via.pointer, rest);
                        }
                        current = via;
                        continue 'chain;
                    }
                    (None, None) => break,
                };
                node = next;
                if i + 1 == tokens.len() {
                    return Ok((current, node.clone()));
                }
            }
            if tokens.is_empty() {
                return Ok((current, node.clone()));
            }
            return Err(format!("$ref `{}` points to nothing: there is no `{}`", target.display(), current.display()));
        }
        Err(format!("$ref `{}` is part of a cycle of references that never reaches a value", target.display()))
    }

    /// The root spec, or another file read on first use.
    fn document(&mut self, file: Option<&str>) -> Result<&Value, String> {
        let Some(file) = file else { return Ok(self.root) };
        if !self.parsed.contains_key(file) {
            let parsed = match self.texts.get(file) {
                None => None,
                Some(text) => match crate::parse::read_tree(text) {
                    Ok(tree) => Some(tree),
                    Err(problems) => {
                        self.problems.extend(problems.into_iter().map(|d| d.in_file(file)));
                        None
                    }
                },
            };
            self.parsed.insert(file.to_owned(), parsed);
        }
        match (self.parsed.get(file), self.texts.contains_key(file)) {
            (Some(Some(tree)), _) => Ok(tree),
            (_, true) => Err(format!("the file `{file}` that this $ref names could not be read (see its own errors)")),
            (_, false) => Err(format!("the file `{file}` that this $ref names was not found beside the spec")),
        }
    }
}

/// Reads a reference written in `base`, naming the spec (the file `root_name`) as `None`.
fn read_reference(root_name: &str, reference: &str, base: Option<&str>) -> Option<Target> {
    let mut target = reference::parse(reference, base)?;
    if target.file.as_deref() == Some(root_name) {
        target.file = None;
    }
    Some(target)
}

/// The component name when `pointer` is `#/components/<section of kind>/<name>`.
fn canonical_name(pointer: &str, kind: Kind) -> Option<String> {
    match reference::tokens(pointer).as_slice() {
        [components, section, name] if components == "components" && section == kind.section() => Some(name.clone()),
        _ => None,
    }
}

/// A path item directly under `paths`, `webhooks` or `x-webhooks`.
fn is_top_level_path_item(pointer: &str) -> bool {
    let tokens = reference::tokens(pointer);
    tokens.len() == 2 && ["paths", "webhooks", "x-webhooks"].contains(&tokens[0].as_str())
}

/// A name for a hoisted target that says where it came from: the component's own name, the file
/// name for a whole file, otherwise the meaningful tokens of its pointer (`Tag allOf 0`,
/// `pets get 200`). Naming turns it into a Rust name later.
fn derived_name(target: &Target, kind: Kind) -> String {
    let mut tokens = target.tokens();
    if let [components, _, name] = tokens.as_slice()
        && components == "components"
    {
        return name.clone();
    }
    if tokens.first().is_some_and(|t| t == "components") && tokens.len() > 1 {
        // The section (`parameters`) says nothing the component's name does not.
        tokens.drain(..2);
    }
    if tokens.is_empty() {
        let file = target.file.as_deref().unwrap_or("document");
        let stem = file.rsplit('/').next().unwrap_or(file);
        return stem.split('.').next().unwrap_or(stem).to_owned();
    }
    const STRUCTURE: &[&str] =
        &["components", "paths", "properties", "content", "schema", "schemas", "$defs", "definitions", "responses"];
    let words: Vec<String> = tokens
        .iter()
        // Media types (`application/json`) are structure too; paths (`/pets`) are not.
        .filter(|t| !STRUCTURE.contains(&t.as_str()) && (!t.contains('/') || t.starts_with('/')))
        .map(|t| t.replace(['/', '{', '}'], " ").trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    if words.is_empty() { kind.section().trim_end_matches('s').to_owned() } else { words.join(" ") }
}

#[cfg(test)]
mod tests;
