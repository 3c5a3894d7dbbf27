//! The corpus gate: every public spec in `shared/specs` (beside the repository, `corpus/`
//! included) generates, and the crates of a fixed, named subset (or of all of them) build and
//! pass `cargo doc` and `cargo test --doc` with warnings denied. The crates are built
//! as members of one scratch workspace under `target/corpus`, so dependencies compile once.

use crate::codegen::{documents, read};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Specs, by path relative to `shared/specs`, that do not generate yet, with the reason. The
/// gate fails when one of them starts to generate, so that the list only ever shrinks.
pub const EXPECTED_GENERATION_FAILURES: &[(&str, &str)] = &[];

/// Specs that generate but whose crate does not pass the checks yet, with the reason. Like
/// [`EXPECTED_GENERATION_FAILURES`], an entry that starts to pass fails the full run.
pub const EXPECTED_CHECK_FAILURES: &[(&str, &str)] = &[];

/// The crates CI compiles, a few minutes' worth: small specs that between them use references
/// of every kind, 3.1, webhooks, cookies, several security schemes and hostile names, and doc
/// examples of every kind of argument (date-time parameters, a union of primitives, a text
/// body).
pub const CI_SUBSET: &[&str] = &[
    "corpus/readme/3.0/circular-paths.yaml",
    "corpus/readme/3.0/parameters-cookies.yaml",
    "corpus/readme/3.0/parameters-common.yaml",
    "corpus/readme/3.0/polymorphism.yaml",
    "corpus/readme/3.0/request-examples.yaml",
    "corpus/readme/3.0/schema-circular.yaml",
    "corpus/readme/3.0/schema-validation.yaml",
    "corpus/readme/3.1/security.yaml",
    "corpus/readme/3.1/webhooks.yaml",
    "corpus/xero/xero-identity.yaml",
    "corpus/xero/xero-webhooks.yaml",
    "petstore-expanded.yaml",
];

/// Whole-crate fixture specs of the repository, checked with the corpus in every scope.
pub const FIXTURE_CRATES: &str = "tests/fixtures/crates";

/// Which crates to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// [`CI_SUBSET`].
    Ci,
    /// Every spec that generates.
    All,
}

/// Where the public specs are: `shared/specs` beside the repository.
pub fn specs_dir(root: &Path) -> PathBuf {
    root.join("../shared/specs")
}

/// Every spec under `dir`, by path relative to it (`/`-separated), sorted.
pub fn find_specs(dir: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|e| {
            format!("{}: {e} (the public specs live in shared/specs beside the repository)", folder.display())
        })?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", folder.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                && let Ok(relative) = path.strip_prefix(dir)
            {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A crate name for the spec at `relative`: `corpus/xero/xero-identity.yaml` → `corpus-xero-xero-identity`.
pub fn crate_name(relative: &str) -> String {
    let stem = relative.rsplit_once('.').map_or(relative, |(stem, _)| stem);
    let name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    format!("spec-{}", name.trim_matches('-'))
}

/// Generates every spec and checks the crates of `scope`; `Err` names every spec that did not
/// do what the lists above expect, with the output that says why.
pub fn run(root: &Path, scope: Scope) -> Result<String, String> {
    let dir = specs_dir(root);
    let specs = find_specs(&dir)?;
    // The repository's own whole-crate fixtures are checked in every scope.
    let fixtures: Vec<String> =
        find_specs(&root.join(FIXTURE_CRATES))?.into_iter().map(|name| format!("{FIXTURE_CRATES}/{name}")).collect();
    let path_of = |relative: &str| match relative.strip_prefix(FIXTURE_CRATES) {
        Some(_) => root.join(relative),
        None => dir.join(relative),
    };
    let expected_failures: BTreeMap<&str, &str> = EXPECTED_GENERATION_FAILURES.iter().copied().collect();
    let mut problems = Vec::new();
    let mut crates = BTreeMap::new();
    for relative in specs.iter().chain(&fixtures) {
        let path = path_of(relative);
        let text = read(&path)?;
        let name = crate_name(relative);
        let settings = plexy_codegen::Settings {
            standalone: false,
            documents: documents(&path, &text),
            ..plexy_codegen::Settings::new(name.clone(), relative.clone())
        };
        match (plexy_codegen::generate(&text, &settings), expected_failures.get(relative.as_str())) {
            (Ok(generated), None) => {
                crates.insert(relative.clone(), (name, generated.files));
            }
            (Ok(_), Some(_)) => problems.push(format!(
                "{relative} generates now: remove it from EXPECTED_GENERATION_FAILURES in xtask/src/corpus.rs"
            )),
            (Err(diagnostics), None) => problems.push(format!("{relative} does not generate:\n{diagnostics}")),
            (Err(diagnostics), Some(_)) => {
                if let Some(unlocated) = diagnostics.items.iter().find(|d| d.location.is_none()) {
                    problems.push(format!("{relative}: an error has no line and column: {}", unlocated.message));
                }
            }
        }
    }
    for subset in CI_SUBSET {
        if !specs.iter().any(|s| s == subset) {
            problems.push(format!("{subset} is in CI_SUBSET but not in {}", dir.display()));
        }
    }
    let chosen: Vec<(String, String, BTreeMap<String, String>)> = crates
        .into_iter()
        .filter(|(relative, _)| {
            scope == Scope::All || CI_SUBSET.contains(&relative.as_str()) || fixtures.contains(relative)
        })
        .filter(|(relative, _)| !EXPECTED_CHECK_FAILURES.iter().any(|(s, _)| s == relative) || scope == Scope::All)
        .map(|(relative, (name, files))| (relative, name, files))
        .collect();
    let failed = check_crates(root, "corpus", &chosen)?;
    let expected_check: BTreeMap<&str, &str> = EXPECTED_CHECK_FAILURES.iter().copied().collect();
    for (relative, name, _) in &chosen {
        match (failed.get(name), expected_check.contains_key(relative.as_str())) {
            (Some(output), false) => problems.push(format!("{relative}: its crate `{name}` fails:\n{output}")),
            (None, true) => problems
                .push(format!("{relative} passes now: remove it from EXPECTED_CHECK_FAILURES in xtask/src/corpus.rs")),
            _ => {}
        }
    }
    let summary = format!(
        "corpus: {} specs, {} generate ({} expected not to), {} crates checked",
        specs.len(),
        specs.len() - EXPECTED_GENERATION_FAILURES.len(),
        EXPECTED_GENERATION_FAILURES.len(),
        chosen.len()
    );
    if problems.is_empty() { Ok(summary) } else { Err(format!("{summary}\n\n{}", problems.join("\n\n"))) }
}

/// Writes the crates (each: spec, crate name, files) as members of one workspace under
/// `target/<folder>` and runs the checks with warnings denied; returns the output of each crate
/// that failed, by crate name. All such workspaces share one target folder.
pub fn check_crates(
    root: &Path,
    folder: &str,
    crates: &[(String, String, BTreeMap<String, String>)],
) -> Result<BTreeMap<String, String>, String> {
    let workspace = root.join("target").join(folder);
    // A fresh tree each run: crates of specs that are gone must not linger as members.
    if workspace.exists() {
        std::fs::remove_dir_all(&workspace).map_err(|e| format!("{}: {e}", workspace.display()))?;
    }
    let mut members = Vec::new();
    for (_, name, files) in crates {
        for (path, text) in files {
            let target = workspace.join(name).join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        members.push(format!("{name:?}"));
    }
    // The repository's profiles too, so that the dependencies already built for the repository
    // (same lockfile, same target folder, same settings) are reused rather than built again.
    let own = read(&root.join("Cargo.toml"))?;
    let profiles = own.find("\n[profile").map_or("", |i| &own[i..]);
    let manifest = format!(
        "# A scratch workspace of generated crates (xtask/src/corpus.rs); rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n{profiles}",
        members.join(", ")
    );
    std::fs::write(workspace.join("Cargo.toml"), manifest).map_err(|e| format!("{e}"))?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut failed: BTreeMap<String, String> = BTreeMap::new();
    if crates.is_empty() {
        return Ok(failed);
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // `test --doc` builds each library (so it stands for `cargo check`: a generated crate has no
    // other targets) and runs its doctests; `doc` then checks the documentation itself.
    let steps: [&[&str]; 2] =
        [&["test", "--workspace", "--doc", "--no-fail-fast"], &["doc", "--workspace", "--no-deps", "--keep-going"]];
    for args in steps {
        // Warnings of the generated crates are found in cargo's output rather than denied with
        // RUSTFLAGS, which would change every dependency's fingerprint and rebuild them all.
        let output = Command::new(&cargo)
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env_remove("RUSTFLAGS")
            .env("RUSTDOCFLAGS", "-D warnings")
            .args(args)
            .args(["--message-format", "short"])
            .output()
            .map_err(|e| format!("could not run cargo {}: {e}", args[0]))?;
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        let mut blamed = false;
        for (_, name, _) in crates {
            let markers = [
                format!("could not compile `{name}`"),
                format!("could not document `{name}`"),
                format!("-p {name} --doc"),
            ];
            let warned = text.lines().any(|l| l.starts_with(&format!("{name}/")) && l.contains(": warning"));
            if (warned || markers.iter().any(|m| text.contains(m.as_str()))) && !failed.contains_key(name) {
                failed.insert(name.clone(), format!("cargo {}:\n{}", args[0], excerpt_for(&text, name)));
                blamed = true;
            }
        }
        if !output.status.success() && !blamed {
            return Err(format!("cargo {} failed in {}:\n{text}", args.join(" "), workspace.display()));
        }
    }
    Ok(failed)
}

/// The lines of cargo's output about crate `name` (its errors name its files), at most 60.
fn excerpt_for(text: &str, name: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains(&format!("{name}/")) || line.contains(&format!("`{name}`")) {
            let start = i.saturating_sub(1);
            out.extend(lines[start..(i + 3).min(lines.len())].iter().copied());
        }
        if out.len() > 60 {
            break;
        }
    }
    out.join("\n")
}
