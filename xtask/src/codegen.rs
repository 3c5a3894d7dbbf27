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

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
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
    let mut fixtures = BTreeMap::new();
    let mut problems = String::new();
    for (name, path) in files_with_extension(&root.join(FIXTURE_SPECS), "yaml")? {
        let relative = format!("{FIXTURE_SPECS}/{name}.yaml");
        let text = read(&path)?;
        match generate(&text, &Settings::new(name.clone(), relative)) {
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

/// Reads a text file, naming it in the error.
pub fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
