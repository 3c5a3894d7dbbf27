//! xtask is a workspace of its own, with its own Cargo.lock (xtask/Cargo.toml says why). The
//! tests build xtask and the generator from the root Cargo.lock, and `cargo xtask` from xtask's:
//! the two must pin the same versions, or the commands would run other code than the tests test.

use std::collections::BTreeSet;

/// The `(name, version)` of every package a Cargo.lock pins.
fn pinned(path: &std::path::Path) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value = |line: &str, key: &str| {
        line.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(" = \""))
            .and_then(|v| v.strip_suffix('"'))
            .map(str::to_owned)
    };
    let mut packages = BTreeSet::new();
    let mut name = None;
    for line in text.lines() {
        if line == "[[package]]" {
            name = None;
        } else if let Some(n) = value(line, "name") {
            name = Some(n);
        } else if let (Some(n), Some(version)) = (&name, value(line, "version")) {
            packages.insert((n.clone(), version));
        }
    }
    packages
}

#[test]
fn xtask_pins_the_versions_the_repository_pins() {
    let root = xtask::codegen::workspace_root();
    let repository = pinned(&root.join("Cargo.lock"));
    let xtask = pinned(&root.join("xtask/Cargo.lock"));
    assert!(xtask.iter().any(|(name, _)| name == "plexy-codegen"), "xtask/Cargo.lock does not pin the generator");
    let differing: Vec<_> = xtask.difference(&repository).collect();
    assert!(
        differing.is_empty(),
        "xtask/Cargo.lock pins versions the root Cargo.lock does not: {differing:?}. Copy the root \
         Cargo.lock to xtask/Cargo.lock and run `cargo xtask` once: cargo keeps only what xtask uses."
    );
}
