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

mod changes;
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
mod prune;
mod resolve;
mod templates;

pub use changes::{Change, OldSpec, Report, Semver, changes, changes_from};
use diagnostics::ErrorStore;
pub use diagnostics::{Diagnostic, Diagnostics};
pub use format::preamble;

/// The other files that a document refers to (`$ref: common.yaml#/…`), by path relative to
/// the spec's folder. Ask with the spec's text and `None`, read each file named, pass it in
/// [`Settings::documents`] under that name, and ask again with its text and name for the files
/// it refers to in turn.
pub fn external_files(text: &str, file: Option<&str>) -> std::collections::BTreeSet<String> {
    resolve::external_files(text, file)
}
use std::collections::BTreeMap;

/// The runtime: spec-independent Rust source copied verbatim into every generated crate.
const RUNTIME: &[(&str, &str)] = &[
    ("src/body.rs", include_str!("../runtime/body.rs")),
    ("src/call.rs", include_str!("../runtime/call.rs")),
    ("src/client.rs", include_str!("../runtime/client.rs")),
    ("src/credentials.rs", include_str!("../runtime/credentials.rs")),
    ("src/download.rs", include_str!("../runtime/download.rs")),
    ("src/error.rs", include_str!("../runtime/error.rs")),
    ("src/history.rs", include_str!("../runtime/history.rs")),
    ("src/retry.rs", include_str!("../runtime/retry.rs")),
    ("src/telemetry.rs", include_str!("../runtime/telemetry.rs")),
    ("src/values.rs", include_str!("../runtime/values.rs")),
];

/// Runtime for raw request bodies, copied only into crates that send them.
const BINARY_RUNTIME: (&str, &str) = ("src/binary.rs", include_str!("../runtime/binary.rs"));
/// Runtime for parameter styles and cookies, copied only into crates that use them.
const ENCODE_RUNTIME: (&str, &str) = ("src/encode.rs", include_str!("../runtime/encode.rs"));
/// Runtime for form bodies, copied only into crates that send them.
const FORM_RUNTIME: (&str, &str) = ("src/form.rs", include_str!("../runtime/form.rs"));
/// Runtime for multipart bodies, copied only into crates that send them.
const MULTIPART_RUNTIME: (&str, &str) = ("src/multipart.rs", include_str!("../runtime/multipart.rs"));

/// Runtime copied only into crates whose spec declares webhooks (`x-plexy-webhooks`).
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
    /// Whether `cargo test` runs the crate's doc examples. The runtime's examples call the
    /// Plexy API's operations, so only a crate of that API, or one for users, keeps them on.
    pub doctests: bool,
    /// Hand-written files to place in the crate as they are (examples), each under a preamble
    /// that names where it is copied from.
    pub extra_files: Vec<ExtraFile>,
    /// The other files the spec refers to (`$ref: common.yaml#/…`), by path relative to the
    /// spec's folder, as [`external_files`] names them. The caller reads them; the generator
    /// reads nothing.
    pub documents: BTreeMap<String, String>,
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
            doctests: true,
            extra_files: Vec::new(),
            documents: BTreeMap::new(),
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
    let fail = |items: Vec<Diagnostic>| Diagnostics {
        file: settings.spec_path.clone(),
        items: located(spec, &settings.documents, items),
    };
    let (lowering, _) = lower_spec(spec, &settings.spec_path, &settings.documents, Tree::Drop)?;
    emit_crate(&lowering, settings)
        .map_err(|message| fail(vec![Diagnostic::new("#", format!("internal generator error: {message}"))]))
}

/// Parses and lowers `spec` (with the other files it refers to, `documents`): the IR with its
/// warnings, and, if `tree` says to keep it, the document as a JSON tree (in OpenAPI 3.0 form;
/// `null` otherwise). Problems are located in `spec` and reported against `file`.
fn lower_spec(
    spec: &str,
    file: &str,
    documents: &BTreeMap<String, String>,
    tree: Tree,
) -> Result<(lower::Lowering, serde_json::Value), Diagnostics> {
    let fail = |items: Vec<Diagnostic>| Diagnostics { file: file.to_owned(), items: located(spec, documents, items) };
    let root_name = file.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut parsed = parse::parse(spec, documents, root_name).map_err(fail)?;
    if tree == Tree::Drop {
        prune::for_lowering(&mut parsed.tree);
    }
    let mut errors = ErrorStore::default();
    let lowering = lower::lower(&parsed.doc, &parsed.tree, &mut errors);
    if !errors.is_empty() || !parsed.unresolved.is_empty() {
        let mut problems = parsed.unresolved.clone();
        problems.extend(parsed.origins.relocate(errors.into_sorted()));
        return Err(fail(problems));
    }
    Ok((lowering, if tree == Tree::Keep { parsed.tree } else { serde_json::Value::Null }))
}

/// Whether the caller of [`lower_spec`] needs the document's plain tree afterwards.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tree {
    /// Returned whole (reports and example checks read it).
    Keep,
    /// Cut down before lowering to what lowering reads ([`prune`]), and not returned.
    Drop,
}

/// The crate's files from a lowered API; an error here is the generator's fault, not the spec's.
fn emit_crate(lowering: &lower::Lowering, settings: &Settings) -> Result<Generated, String> {
    let api = &lowering.api;
    let rust_preamble = format::preamble("//", &settings.command, &settings.spec_path);
    let mut files = format::format_files(emit::emit(api, &settings.crate_name))?;
    for text in files.values_mut() {
        text.insert_str(0, &format!("{rust_preamble}\n"));
    }
    let needs = api.runtime_needs();
    let optional = [
        (needs.binary, BINARY_RUNTIME),
        (needs.encode, ENCODE_RUNTIME),
        (needs.form, FORM_RUNTIME),
        (needs.multipart, MULTIPART_RUNTIME),
        (api.webhooks.is_some(), WEBHOOK_RUNTIME),
    ];
    let runtime = RUNTIME.iter().chain(optional.iter().filter(|(needed, _)| *needed).map(|(_, file)| file));
    for (path, source) in runtime {
        files.insert((*path).to_owned(), format!("{rust_preamble}\n{}", for_crate(source, &settings.crate_name)));
    }
    for extra in &settings.extra_files {
        let preamble = format::preamble("//", &settings.command, &extra.source);
        files.insert(extra.path.clone(), format!("{preamble}\n{}", extra.text));
    }
    let toml_preamble = format::preamble("#", &settings.command, &settings.spec_path);
    let cargo = templates::cargo_toml(api, &toml_preamble, settings);
    files.insert("Cargo.toml".to_owned(), cargo?);
    let md_preamble = format!("<!-- {} -->", format::preamble("", &settings.command, &settings.spec_path).trim());
    files.insert(
        "README.md".to_owned(),
        templates::readme(api, &md_preamble, &settings.crate_name, emit::readme_example(api, &settings.crate_name))?,
    );
    let summary =
        Summary { types: api.types.len(), operations: api.operations.len(), warnings: lowering.warnings.clone() };
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
    let (lowering, tree) = lower_spec(spec, &settings.spec_path, &settings.documents, Tree::Keep)?;
    Ok(inspect::export(&lowering.api, &lowering.schema_types, tree))
}

/// The runtime's source for the crate `crate_name`: its doc examples are written for the crate
/// `plexy` and name it, so they name this crate instead (they are compiled as this crate's
/// doctests). Code is left as it is.
fn for_crate(source: &str, crate_name: &str) -> String {
    let krate = format!("{}::", crate_name.replace('-', "_"));
    let mut out = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("///") || trimmed.starts_with("//!") {
            out.push_str(&line.replace("plexy::", &krate));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Where a problem with the whole document is shown: its first line that is not blank or a
/// comment (the first line of an empty document).
fn first_content(text: &str) -> Option<(usize, usize)> {
    let found = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    Some(found.map_or((1, 1), |(i, line)| (i + 1, line.len() - line.trim_start().len() + 1)))
}

/// Fills in line and column for each problem whose pointer the text lets us find.
fn located(spec: &str, documents: &BTreeMap<String, String>, mut items: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let locator = locate::Locator::new(spec);
    let mut others = BTreeMap::new();
    for d in &mut items {
        if d.location.is_some() {
            continue;
        }
        d.location = match &d.file {
            None if d.pointer == "#" => first_content(spec),
            None => locator.locate(&d.pointer),
            Some(file) => documents.get(file).and_then(|text| {
                others.entry(file.clone()).or_insert_with(|| locate::Locator::new(text)).locate(&d.pointer)
            }),
        };
    }
    // In the order of the text, like a compiler's messages; unlocated ones last, by pointer.
    items.sort_by(|a, b| {
        (&a.file, a.location.is_none(), a.location, &a.pointer, &a.message).cmp(&(
            &b.file,
            b.location.is_none(),
            b.location,
            &b.pointer,
            &b.message,
        ))
    });
    items
}

#[cfg(test)]
mod tests {
    #[test]
    fn runtime_doc_examples_name_the_crate_at_hand() {
        let source = "/// let c = plexy::Client::new(\"k\")?;\n//! plexy::Error\nuse plexy::x; // plexy::\n";
        assert_eq!(
            super::for_crate(source, "pet-store"),
            "/// let c = pet_store::Client::new(\"k\")?;\n//! pet_store::Error\nuse plexy::x; // plexy::\n"
        );
    }
}
