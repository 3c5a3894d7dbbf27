//! The generator on public specs written by others (shared/specs beside this repository):
//! each must generate the same bytes twice and produce a crate that compiles with no warnings
//! and passes clippy. Slow (it builds three crates, one of them with thousands of types), so it
//! is ignored by a plain `cargo test` and run by `cargo xtask test` (and so by CI).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the public specs are: `shared/specs` beside the repository.
fn specs_dir() -> PathBuf {
    xtask::codegen::workspace_root().join("../shared/specs")
}

/// Generates the crate for `spec` under target/real-specs, pinned to the workspace's lockfile,
/// and runs clippy on it with warnings denied.
fn generate_and_lint(spec: &Path) {
    let root = xtask::codegen::workspace_root();
    let name = spec.file_stem().unwrap().to_str().unwrap().to_owned();
    let text = std::fs::read_to_string(spec).unwrap();
    let settings = plexy_codegen::Settings::new(name.clone(), spec.display().to_string());
    let first = plexy_codegen::generate(&text, &settings).unwrap_or_else(|d| panic!("{d}"));
    let second = plexy_codegen::generate(&text, &settings).unwrap();
    assert_eq!(first, second, "{name}: two runs differ");
    for warning in &first.summary.warnings {
        println!("{name}: {warning}");
    }

    let out = root.join("target/real-specs").join(&name);
    let plan = xtask::sync::plan(&out, &first.files).unwrap();
    xtask::sync::apply(&plan).unwrap();
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join("target/real-specs-target"))
        // Nobody debugs these builds; without debug info they take a fraction of the disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .args(["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{name}: the generated crate does not pass clippy -D warnings:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "slow: builds three generated crates; cargo xtask test runs it"]
fn public_specs_generate_crates_that_compile_cleanly() {
    let dir = specs_dir();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!("{}: {e} (the public specs live in shared/specs beside the repository)", dir.display())
        })
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 3, "expected the public specs in {}, found {specs:?}", dir.display());
    // And the constructs fixture: what real specs use, in one small crate.
    specs.push(xtask::codegen::workspace_root().join("tests/fixtures/crates/constructs.yaml"));
    for spec in &specs {
        generate_and_lint(spec);
    }
}
