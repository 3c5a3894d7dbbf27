//! plexy-codegen: a pure function from an OpenAPI 3.0 document to the files of a typed Rust
//! client crate.
//!
//! One entry point, [`generate`], and beside it [`examples`], which relates the spec's examples
//! to the generated types for test harnesses. Behind them, the stages, each its own private module: `parse`
//! (text → openapiv3, with `normalize` for OpenAPI 3.1) → `lower` (validate, and build the
//! sorted IR of `ir`) → `emit` (IR → tokens, per construct) → `format` (prettyplease and the
//! [`preamble`]) → `templates` (Cargo.toml and README.md). Nothing here reads or writes files:
//! the caller passes the spec text in and gets a sorted map of files back (ARCHITECTURE.md).
//!
//! ```
//! let spec = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
//! let generated = plexy_codegen::generate(spec, &plexy_codegen::Settings::new("pets", "pets.yaml")).unwrap();
//! assert!(generated.files.contains_key("src/lib.rs"));
//! ```

mod diagnostics;
mod emit;
mod format;
pub mod inspect;
mod ir;
mod locate;
mod lower;
mod naming;
mod normalize;
mod parse;
mod templates;

use diagnostics::ErrorStore;
pub use diagnostics::{Diagnostic, Diagnostics};
pub use format::preamble;
use std::collections::BTreeMap;

/// The runtime: spec-independent Rust source copied verbatim into every generated crate.
const RUNTIME: &[(&str, &str)] = &[
    ("src/call.rs", include_str!("../runtime/call.rs")),
    ("src/client.rs", include_str!("../runtime/client.rs")),
    ("src/error.rs", include_str!("../runtime/error.rs")),
    ("src/history.rs", include_str!("../runtime/history.rs")),
    ("src/retry.rs", include_str!("../runtime/retry.rs")),
    ("src/values.rs", include_str!("../runtime/values.rs")),
];

/// Runtime copied only into crates whose spec declares webhooks (`x-webhooks`).
const WEBHOOK_RUNTIME: (&str, &str) = ("src/webhook.rs", include_str!("../runtime/webhook.rs"));

/// What to generate and how to label it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The generated crate's package name (`plexy`).
    pub crate_name: String,
    /// The generated crate's version.
    pub crate_version: String,
    /// The spec's path as it should appear in messages and preambles (`spec/plexy.yaml`).
    pub spec_path: String,
    /// The command that regenerates the files, named in every preamble.
    pub command: String,
    /// Whether the crate gets its own `[workspace]` table (true outside this repository).
    pub standalone: bool,
    /// Hand-written files to place in the crate as they are (examples), each under a preamble
    /// that names where it is copied from.
    pub extra_files: Vec<ExtraFile>,
}

/// A hand-written file copied into the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraFile {
    /// Where it goes in the crate (`examples/checkout.rs`).
    pub path: String,
    /// Where it comes from, for the preamble (`spec/examples/checkout.rs`).
    pub source: String,
    /// Its text.
    pub text: String,
}

impl Settings {
    /// Settings for a standalone crate named `crate_name` from the spec at `spec_path`.
    pub fn new(crate_name: impl Into<String>, spec_path: impl Into<String>) -> Self {
        Settings {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".into(),
            spec_path: spec_path.into(),
            command: "cargo xtask codegen".into(),
            standalone: true,
            extra_files: Vec::new(),
        }
    }
}

/// The generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Relative path → file text, sorted by path.
    pub files: BTreeMap<String, String>,
    /// How many types and operations the crate has, and what was left out.
    pub summary: Summary,
}

/// Counts for the one-line report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Number of types in `models`.
    pub types: usize,
    /// Number of client methods.
    pub operations: usize,
    /// Operations left out, with the reason.
    pub warnings: Vec<String>,
}

/// Generates the client crate for `spec` (YAML or JSON text).
///
/// On failure, every problem found is returned with its JSON pointer and, where the text allows,
/// its line and column.
pub fn generate(spec: &str, settings: &Settings) -> Result<Generated, Diagnostics> {
    let fail = |items: Vec<Diagnostic>| Diagnostics { file: settings.spec_path.clone(), items: located(spec, items) };
    let parsed = parse::parse(spec).map_err(fail)?;
    let mut errors = ErrorStore::default();
    let lowering = lower::lower(&parsed.doc, &parsed.tree, &mut errors);
    if !errors.is_empty() {
        return Err(fail(errors.into_sorted()));
    }
    let api = &lowering.api;
    let rust_preamble = format::preamble("//", &settings.command, &settings.spec_path);
    let mut files = BTreeMap::new();
    let internal = |message: String| fail(vec![Diagnostic::new("#", format!("internal generator error: {message}"))]);
    for (path, tokens) in emit::emit(api, &settings.crate_name) {
        let text = format::format_tokens(&tokens).map_err(internal)?;
        files.insert(path, format!("{rust_preamble}\n{text}"));
    }
    for (path, source) in RUNTIME {
        files.insert((*path).to_owned(), format!("{rust_preamble}\n{source}"));
    }
    if api.webhooks.is_some() {
        let (path, source) = WEBHOOK_RUNTIME;
        files.insert(path.to_owned(), format!("{rust_preamble}\n{source}"));
    }
    for extra in &settings.extra_files {
        let preamble = format::preamble("//", &settings.command, &extra.source);
        files.insert(extra.path.clone(), format!("{preamble}\n{}", extra.text));
    }
    let toml_preamble = format::preamble("#", &settings.command, &settings.spec_path);
    let cargo =
        templates::cargo_toml(api, &toml_preamble, &settings.crate_name, &settings.crate_version, settings.standalone);
    files.insert("Cargo.toml".to_owned(), cargo.map_err(internal)?);
    let md_preamble = format!("<!-- {} -->", format::preamble("", &settings.command, &settings.spec_path).trim());
    files.insert(
        "README.md".to_owned(),
        templates::readme(api, &md_preamble, &settings.crate_name, emit::readme_example(api, &settings.crate_name))
            .map_err(internal)?,
    );
    let summary = Summary { types: api.types.len(), operations: api.operations.len(), warnings: lowering.warnings };
    Ok(Generated { files, summary })
}

/// Lists every example of `spec` with the generated type it must decode into, and every union
/// of the generated crate with the member schema behind each variant (see [`inspect`]).
///
/// Fails like [`generate`] on a document the generator cannot lower.
///
/// ```
/// let spec = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}, example: {name: Rex}}\n";
/// let set = plexy_codegen::examples(spec, &plexy_codegen::Settings::new("pets", "pets.yaml")).unwrap();
/// assert_eq!(set.examples[0].pointer, "#/components/schemas/Pet/example");
/// assert_eq!(set.examples[0].ty.rust_path(), "models::Pet");
/// ```
pub fn examples(spec: &str, settings: &Settings) -> Result<inspect::ExampleSet, Diagnostics> {
    let fail = |items: Vec<Diagnostic>| Diagnostics { file: settings.spec_path.clone(), items: located(spec, items) };
    let parsed = parse::parse(spec).map_err(fail)?;
    let mut errors = ErrorStore::default();
    let lowering = lower::lower(&parsed.doc, &parsed.tree, &mut errors);
    if !errors.is_empty() {
        return Err(fail(errors.into_sorted()));
    }
    Ok(inspect::export(&lowering.api, &lowering.schema_types, parsed.tree))
}

/// Fills in line and column for each problem whose pointer the text lets us find.
fn located(spec: &str, mut items: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let locator = locate::Locator::new(spec);
    for d in &mut items {
        if d.location.is_none() {
            d.location = locator.locate(&d.pointer);
        }
    }
    // In the order of the text, like a compiler's messages; unlocated ones last, by pointer.
    items.sort_by(|a, b| {
        (a.location.is_none(), a.location, &a.pointer, &a.message).cmp(&(
            b.location.is_none(),
            b.location,
            &b.pointer,
            &b.message,
        ))
    });
    items
}
