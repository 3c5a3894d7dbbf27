//! The review report: what a spec change means for code written against the generated crate.
//!
//! Both specs are lowered into the IR; `surface` reads each IR as the flat list of public items
//! the crate has, `compare` diffs the two lists (added = minor, removed or re-typed = major,
//! same signature with another wire meaning = major), and `spec` diffs the parsed documents for
//! what the surface does not show (prose, constraints, deprecation, other servers). `render`
//! prints the result as text, markdown or JSON.

mod compare;
mod render;
mod spec;
mod surface;

use crate::ir::{Api, Operation, PathPart, TypeDef, TypeKind};
use crate::{Diagnostics, Settings, Tree, emit_crate, lower_spec};
use std::collections::{BTreeMap, BTreeSet};

/// A recommended semver level for the generated crate, from `None` to `Major`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Semver {
    /// Nothing in the crate changes.
    None,
    /// Documentation, examples, or behaviour the server owns (constraints, deprecation).
    Patch,
    /// Something public is added; existing code compiles and means the same.
    Minor,
    /// Existing code can stop compiling or change meaning silently.
    Major,
}

impl Semver {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Semver::None => "none",
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

impl std::fmt::Display for Semver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// JSON pointer (`#/components/schemas/Amount/properties/value`) of the spec node.
    pub pointer: String,
    /// The item of the generated crate it concerns (`plexy::models::Amount::value`), if any.
    pub rust: Option<String>,
    /// What happened, as `<item kind>-<added|removed|changed>` or, for spec-only changes, `docs`,
    /// `example`, `constraint`, `deprecation`, `server`, `spec`.
    pub kind: String,
    /// Whether code written against the old crate can stop compiling or change meaning silently.
    pub breaking: bool,
    /// The level this change alone calls for.
    pub semver: Semver,
    /// One line saying what changed.
    pub summary: String,
    /// Why it breaks, when it does.
    pub reason: Option<String>,
    /// What behaves differently although the API stays.
    pub note: Option<String>,
}

/// Every change and the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Whether any change is breaking.
    pub breaking: bool,
    /// The highest level any change calls for.
    pub semver: Semver,
    /// Breaking changes first, then by level, then by pointer.
    pub changes: Vec<Change>,
}

/// Compares two specs (YAML or JSON text) and says what the difference means for users of the
/// crate generated with `settings`: each change with its pointer, its Rust item, whether it breaks
/// code written against the old crate and why, behaviour notes, and the semver level to release.
///
/// Equality is semantic: reformatting, key order and quoting report nothing (except where the
/// order is itself meaningful to the crate, such as the order of required properties, which is
/// the order of `new`'s arguments). Either spec failing to generate returns its diagnostics.
///
/// ```
/// let old = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Kind: {type: string, enum: [cat, dog]}\n";
/// let new = old.replace("[cat, dog]", "[cat, dog, bird]");
/// let settings = plexy_codegen::Settings::new("pets", "pets.yaml");
/// let report = plexy_codegen::changes(old, &new, &settings).unwrap();
/// assert_eq!(report.semver, plexy_codegen::Semver::Minor);
/// assert_eq!(report.changes[0].rust.as_deref(), Some("pets::models::Kind::Bird"));
/// ```
pub fn changes(old: &str, new: &str, settings: &Settings) -> Result<Report, Diagnostics> {
    // The old spec is the same file at another revision, beside the same files.
    let path = format!("{} (old)", settings.spec_path);
    changes_from(OldSpec { text: old, path: &path, documents: &settings.documents }, new, settings)
}

/// The old side of a comparison that is a file of its own (`cargo xtask changes --old PATH`).
#[derive(Debug, Clone, Copy)]
pub struct OldSpec<'a> {
    /// Its text (YAML or JSON).
    pub text: &'a str,
    /// Its path, as messages about it name it.
    pub path: &'a str,
    /// The other files it refers to, by path relative to its folder (as [`Settings::documents`]
    /// are for the new spec).
    pub documents: &'a BTreeMap<String, String>,
}

/// [`changes`] from an old spec that is another file than the new one: a problem in either is
/// reported against that file's own path.
///
/// ```
/// let old = "swagger: '2.0'\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
/// let new = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
/// let none = Default::default();
/// let old = plexy_codegen::OldSpec { text: old, path: "before.yaml", documents: &none };
/// let settings = plexy_codegen::Settings::new("pets", "after.yaml");
/// let error = plexy_codegen::changes_from(old, new, &settings).unwrap_err();
/// assert_eq!(error.file, "before.yaml");
/// ```
pub fn changes_from(old: OldSpec<'_>, new: &str, settings: &Settings) -> Result<Report, Diagnostics> {
    let (old_lowered, old_tree) = lower_spec(old.text, old.path, old.documents, Tree::Keep)?;
    let (new_lowered, new_tree) = lower_spec(new, &settings.spec_path, &settings.documents, Tree::Keep)?;
    let internal = |file: &str, message: String| Diagnostics {
        file: file.to_owned(),
        items: vec![crate::Diagnostic::new("#", format!("internal generator error: {message}"))],
    };
    let old_files = emit_crate(&old_lowered, settings).map_err(|m| internal(old.path, m))?.files;
    let new_files = emit_crate(&new_lowered, settings).map_err(|m| internal(&settings.spec_path, m))?.files;
    let (old_api, new_api) = (&old_lowered.api, &new_lowered.api);
    let old_surface = surface::surface(old_api, &settings.crate_name);
    let new_surface = surface::surface(new_api, &settings.crate_name);
    let compared = compare::compare(&old_surface, &new_surface);
    let mut accounted: Vec<String> = compared.iter().flat_map(|(_, pointers)| pointers.clone()).collect();
    let mut found: Vec<Change> = compared.into_iter().filter_map(|(change, _)| change).collect();
    // An IR difference that changes no file cannot affect anyone.
    let reaches_crate = old_files != new_files;
    if reaches_crate {
        found.extend(unclassified(old_api, new_api, &found, &settings.crate_name));
    }
    accounted.extend(found.iter().map(|c| c.pointer.clone()));

    // What the surface does not show, located by the spec node that differs.
    let items: Vec<&surface::Item> = old_surface
        .values()
        .chain(new_surface.values())
        .filter(|item| item.rust.is_some() && item.kind.anchors())
        .collect();
    for leaf in spec::leaves(&old_tree, &new_tree) {
        if accounted.iter().any(|p| spec::contains(p, &leaf.pointer) || spec::contains(&leaf.pointer, p)) {
            continue;
        }
        found.push(spec::classify(&leaf, reaches_crate, item_at(&items, &leaf.pointer)));
    }
    found.sort_by(|a, b| {
        b.semver.cmp(&a.semver).then_with(|| (&a.pointer, &a.rust, &a.kind).cmp(&(&b.pointer, &b.rust, &b.kind)))
    });
    found.dedup();
    let semver = found.iter().map(|c| c.semver).max().unwrap_or(Semver::None);
    Ok(Report { breaking: found.iter().any(|c| c.breaking), semver, changes: found })
}

/// The Rust item a spec node documents: the item nearest above it, and of items from the same
/// node the one it defines (the field rather than its setter, the type rather than its
/// constructor). A node above every item (a whole path item) is about the items under it when
/// they are one item and what belongs to it; otherwise it names none.
fn item_at(items: &[&surface::Item], pointer: &str) -> Option<String> {
    let above = items
        .iter()
        .filter(|item| spec::contains(&item.pointer, pointer))
        .max_by_key(|item| (item.pointer.len(), item.kind.is_primary()));
    if let Some(item) = above {
        return item.rust.clone();
    }
    let below: BTreeSet<&str> = items
        .iter()
        .filter(|item| item.parent.is_none() && spec::contains(pointer, &item.pointer))
        .filter_map(|item| item.rust.as_deref())
        .collect();
    match below.into_iter().collect::<Vec<_>>().as_slice() {
        [only] => Some((*only).to_owned()),
        _ => None,
    }
}

/// The safety net for IR shapes the surface does not map yet: a type or operation whose IR
/// differs (docs aside) while no change was found for it is reported as breaking, so that an
/// unknown difference is never waved through.
fn unclassified(old: &Api, new: &Api, found: &[Change], crate_name: &str) -> Vec<Change> {
    let root = crate_name.replace('-', "_");
    let seen: BTreeSet<&str> = found.iter().filter_map(|c| c.rust.as_deref()).collect();
    let touched = |path: &str| seen.iter().any(|s| s == &path || s.starts_with(&format!("{path}::")));
    let mut out = Vec::new();
    for (name, before) in &old.types {
        let Some(after) = new.types.get(name) else { continue };
        let path = format!("{root}::models::{name}");
        if without_docs(before) != without_docs(after) && !touched(&path) {
            out.push(unknown(&after.pointer, &path));
        }
    }
    for before in &old.operations {
        let Some(after) = new.operations.iter().find(|o| o.method_name == before.method_name) else { continue };
        let path = format!("{root}::Client::{}", before.method_name);
        let marker = format!("{root}::operations::{}", before.type_name);
        let touched_marker = seen.iter().any(|s| s.contains(marker.as_str()));
        if operation_shape(before) != operation_shape(after) && !touched(&path) && !touched_marker {
            let pointer = crate::diagnostics::child(
                &crate::diagnostics::child("#/paths", &after.path),
                &after.http_method.to_ascii_lowercase(),
            );
            out.push(unknown(&pointer, &path));
        }
    }
    out
}

fn unknown(pointer: &str, path: &str) -> Change {
    Change {
        pointer: pointer.to_owned(),
        rust: Some(path.to_owned()),
        kind: "unclassified".to_owned(),
        breaking: true,
        semver: Semver::Major,
        summary: format!("`{path}` changes in a way this report does not classify"),
        reason: Some("treated as breaking until a reviewer reads the diff of generated/".to_owned()),
        note: None,
    }
}

/// A type with its prose and origin removed, to compare shapes. Variants are put in one order:
/// where their order reaches users (an enum's `Ord`, an untagged union's tie-breaks) the surface
/// compares it, and elsewhere (a tagged union decodes by tag, a value enum by value, neither
/// derives an order) it means nothing.
fn without_docs(def: &TypeDef) -> TypeDef {
    let mut def = def.clone();
    def.doc = None;
    def.pointer.clear();
    match &mut def.kind {
        TypeKind::Struct(s) => {
            for f in &mut s.fields {
                f.doc = None;
            }
        }
        TypeKind::Enum(e) => e.variants.sort_by(|a, b| a.name.cmp(&b.name)),
        TypeKind::ValueEnum(e) => e.variants.sort_by(|a, b| a.name.cmp(&b.name)),
        TypeKind::Union(u) => u.variants.sort_by(|a, b| a.name.cmp(&b.name)),
        TypeKind::Untagged(u) => {
            u.variants.sort_by(|a, b| a.name.cmp(&b.name));
            // Where the member sits in the spec is named only in docs.
            for v in &mut u.variants {
                v.pointer.clear();
            }
        }
        TypeKind::Alias(_) => {}
    }
    def
}

/// An operation with its prose and examples removed, to compare shapes. A path parameter's
/// name in the template only says where its value goes, so it is replaced by its place: a
/// renamed one sends the same request (and the surface reports its Rust argument's new name).
fn operation_shape(op: &Operation) -> Operation {
    let mut op = op.clone();
    op.summary = None;
    op.description = None;
    op.body_example = None;
    op.success_statuses.clear();
    op.path.clear();
    // The methods for other media types are items of the surface, compared there.
    op.other_bodies.clear();
    op.other_outputs.clear();
    let mut slots = Vec::new();
    for part in op.segments.iter_mut().flatten() {
        if let PathPart::Param(name) = part {
            slots.push(std::mem::replace(name, format!("slot {}", slots.len() + 1)));
        }
    }
    for p in &mut op.params {
        p.doc = None;
        if let Some(slot) = slots.iter().position(|name| *name == p.name) {
            p.name = format!("slot {}", slot + 1);
            p.wire_name.clear();
        }
    }
    if let Some(body) = &mut op.body {
        body.doc = None;
    }
    op
}

#[cfg(test)]
mod tests;
