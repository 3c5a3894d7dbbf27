//! What `cargo xtask codegen` produces: the `plexy` crate from spec/plexy.yaml, the expected
//! models of each fixture spec under tests/fixtures, and the expected error report of each
//! hostile spec under tests/fixtures/errors.

use plexy_codegen::{ExtraFile, Generated, Settings, generate};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/plexy.yaml";
/// The generated crate's directory, relative to the workspace root.
pub const OUT: &str = "generated";
/// The spec of the crate the wire tests drive: every body kind and parameter style.
pub const WIRE_SPEC: &str = "tests/wire/spec.yaml";
/// Where that crate is generated (beside its spec).
pub const WIRE_OUT: &str = "tests/wire";

/// Fixture specs, one per construct, relative to the workspace root.
pub const FIXTURE_SPECS: &str = "tests/fixtures/specs";
/// Where each fixture's expected `models.rs` lives.
pub const FIXTURE_EXPECTED: &str = "tests/fixtures/expected";
/// Specs that must fail, one per problem (YAML, or JSON where the case is about JSON).
pub const ERROR_SPECS: &str = "tests/fixtures/errors";
/// Where each failing spec's expected report (`<name>.txt`) lives.
pub const ERROR_EXPECTED: &str = "tests/fixtures/errors/expected";

/// One directory and the files the generator wants in it.
#[derive(Debug)]
pub struct Target {
    /// The directory.
    pub dir: PathBuf,
    /// Relative path → text.
    pub files: BTreeMap<String, String>,
    /// What the one-line summary reports.
    pub summary: plexy_codegen::Summary,
    /// A name for messages.
    pub label: String,
}

/// The workspace root, found when the command runs: the nearest folder holding a workspace
/// `Cargo.toml` and `xtask/`, above the package cargo runs (`CARGO_MANIFEST_DIR`, which
/// `cargo run` and `cargo test` set) or else above the current folder. Never the path this binary
/// was compiled in: with a target folder shared between two checkouts, a binary built in one may
/// be run from the other, and must work on the checkout it is run in.
pub fn workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).or_else(|| std::env::current_dir().ok());
    start
        .and_then(|dir| dir.ancestors().find(|d| is_workspace_root(d)).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Whether `dir` is this repository's root: a workspace manifest beside the xtask crate.
fn is_workspace_root(dir: &Path) -> bool {
    dir.join("xtask/Cargo.toml").is_file()
        && fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.lines().any(|l| l.trim() == "[workspace]"))
}

/// The most files a spec may pull in through `$ref`s to other files.
const MAX_DOCUMENTS: usize = 1000;

/// The other files the spec at `spec` (with text `text`) refers to, and those they refer to in
/// turn, by path relative to the spec's folder, as `Settings::documents` wants them. A file that
/// cannot be read is left out; the generator then reports the `$ref` that names it.
pub fn documents(spec: &Path, text: &str) -> BTreeMap<String, String> {
    let folder = spec.parent().unwrap_or(Path::new(""));
    let mut documents = BTreeMap::new();
    let mut pending: Vec<String> = plexy_codegen::external_files(text, None).into_iter().collect();
    while let Some(name) = pending.pop() {
        if documents.contains_key(&name) || documents.len() >= MAX_DOCUMENTS {
            continue;
        }
        let Ok(other) = read(&folder.join(&name)) else { continue };
        pending.extend(plexy_codegen::external_files(&other, Some(&name)));
        documents.insert(name, other);
    }
    documents
}

/// The crate name `codegen --spec` gives a spec without `--crate-name`, from its file name:
/// `petstore-expanded.yaml` → `petstore-expanded`.
pub fn default_crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) { name } else { format!("api-{name}") }
}

/// The settings `codegen --spec` generates a standalone crate named `crate_name` with, from the
/// spec at `spec` (text `text`) and the files beside it that it refers to.
pub fn standalone_settings(spec: &Path, text: &str, crate_name: &str) -> Settings {
    Settings { documents: documents(spec, text), ..Settings::new(crate_name, spec.display().to_string()) }
}

/// Hand-written examples of the `plexy` crate, copied into generated/examples.
pub const EXAMPLES: &str = "spec/examples";

/// The settings the committed `plexy` crate is generated with, including its examples.
pub fn plexy_settings(root: &Path) -> Result<Settings, String> {
    let mut extra_files = Vec::new();
    for (name, path) in files_with_extension(&root.join(EXAMPLES), "rs")? {
        extra_files.push(ExtraFile {
            path: format!("examples/{name}.rs"),
            source: format!("{EXAMPLES}/{name}.rs"),
            text: read(&path)?,
        });
    }
    let crate_version = crate_version(root)?;
    Ok(Settings { standalone: false, extra_files, crate_version, ..Settings::new("plexy", SPEC) })
}

/// The `plexy` crate's version: `[workspace.metadata.plexy] version` in the root Cargo.toml.
pub fn crate_version(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let doc: toml_edit::DocumentMut = read(&path)?.parse().map_err(|e| format!("{}: {e}", path.display()))?;
    let version = doc
        .get("workspace")
        .and_then(|w| w.get("metadata"))
        .and_then(|m| m.get("plexy"))
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .ok_or_else(|| format!("{}: no [workspace.metadata.plexy] version for the generated crate", path.display()))?;
    semver::Version::parse(version).map_err(|e| format!("{}: plexy version `{version}`: {e}", path.display()))?;
    Ok(version.to_owned())
}

/// Everything `cargo xtask codegen` keeps in sync, computed in memory; nothing is written.
/// Any spec that fails stops the whole run, with its located errors.
pub fn targets(root: &Path) -> Result<Vec<Target>, String> {
    let spec = read(&root.join(SPEC))?;
    let plexy = generate(&spec, &plexy_settings(root)?).map_err(|d| d.to_string())?;
    let mut targets =
        vec![Target { dir: root.join(OUT), summary: plexy.summary, files: plexy.files, label: "plexy".into() }];
    let wire_settings = Settings { standalone: false, doctests: false, ..Settings::new("wire-client", WIRE_SPEC) };
    let wire = generate(&read(&root.join(WIRE_SPEC))?, &wire_settings).map_err(|d| d.to_string())?;
    targets.push(Target {
        dir: root.join(WIRE_OUT),
        summary: wire.summary,
        files: wire.files,
        label: "wire-client".into(),
    });
    let mut fixtures = BTreeMap::new();
    let mut problems = String::new();
    for (name, path) in files_with_extension(&root.join(FIXTURE_SPECS), "yaml")? {
        let relative = format!("{FIXTURE_SPECS}/{name}.yaml");
        let text = read(&path)?;
        let settings = Settings { documents: documents(&path, &text), ..Settings::new(name.clone(), relative) };
        match generate(&text, &settings) {
            Ok(Generated { files, .. }) => {
                if let Some(models) = files.get("src/models.rs") {
                    fixtures.insert(format!("{name}.rs"), models.clone());
                }
            }
            Err(d) => problems.push_str(&d.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let count = fixtures.len();
    targets.push(Target {
        dir: root.join(FIXTURE_EXPECTED),
        files: fixtures,
        summary: plexy_codegen::Summary { types: 0, operations: 0, warnings: Vec::new() },
        label: format!("{count} fixtures"),
    });
    targets.push(error_reports(root)?);
    Ok(targets)
}

/// The report each spec under tests/fixtures/errors gets, under a preamble naming the spec. A spec
/// there that generates is a failure of the whole run: it no longer tests an error.
fn error_reports(root: &Path) -> Result<Target, String> {
    let dir = root.join(ERROR_SPECS);
    let mut specs = files_with_extension(&dir, "yaml")?;
    for (name, path) in files_with_extension(&dir, "json")? {
        if let Some(other) = specs.insert(name.clone(), path) {
            return Err(format!(
                "{}: two error specs are named `{name}`; their reports would collide",
                other.display()
            ));
        }
    }
    let mut reports = BTreeMap::new();
    let mut unexpected = Vec::new();
    for (name, path) in specs {
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or_default();
        let relative = format!("{ERROR_SPECS}/{file}");
        let settings = Settings::new(name.clone(), relative.clone());
        match generate(&read(&path)?, &settings) {
            Ok(_) => unexpected.push(relative),
            Err(diagnostics) => {
                let preamble = plexy_codegen::preamble("#", &settings.command, &relative);
                reports.insert(format!("{name}.txt"), format!("{preamble}{diagnostics}"));
            }
        }
    }
    if !unexpected.is_empty() {
        return Err(format!(
            "{}: expected to fail, but generated without errors; fix the spec so that it tests its error, or move it",
            unexpected.join(", ")
        ));
    }
    let count = reports.len();
    Ok(Target {
        dir: root.join(ERROR_EXPECTED),
        files: reports,
        summary: plexy_codegen::Summary { types: 0, operations: 0, warnings: Vec::new() },
        label: format!("{count} error reports"),
    })
}

/// The files of `dir` with the given extension, by stem, sorted (none when `dir` is missing).
fn files_with_extension(dir: &Path, extension: &str) -> Result<BTreeMap<String, PathBuf>, String> {
    let Ok(entries) = fs::read_dir(dir) else { return Ok(BTreeMap::new()) };
    let mut out = BTreeMap::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == extension)
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            out.insert(stem.to_owned(), path.clone());
        }
    }
    Ok(out)
}

/// Reads a text file, naming it in the error; text that is not UTF-8 is reported at the line
/// and column of the first bad byte.
pub fn read(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let byte = e.as_bytes()[good.len()];
        format!("{}:{line}:{column}: not valid UTF-8: the byte 0x{byte:02X} starts no character", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_located() {
        let path = std::env::temp_dir().join(format!("xtask-utf8-{}.yaml", std::process::id()));
        fs::write(&path, b"openapi: 3.0.3\ninfo: {title: \"caf\xC3\xA9 \xFF\"}\n").unwrap();
        let message = read(&path).unwrap_err();
        fs::remove_file(&path).unwrap();
        assert!(message.ends_with(":2:21: not valid UTF-8: the byte 0xFF starts no character"), "{message}");
    }
}
