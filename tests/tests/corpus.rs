//! The corpus gate (xtask/src/corpus.rs): every public spec in shared/specs generates, or is
//! named as expected to fail with a located error, and the crates of a fixed, named subset pass
//! `cargo check`, `cargo doc` and `cargo test --doc` with warnings denied. Slow, so it is ignored
//! by a plain `cargo test` and run by `cargo xtask test`; `cargo xtask corpus` checks every crate.

#[test]
#[ignore = "slow: builds generated crates; cargo xtask test runs it"]
fn every_public_spec_generates_and_the_named_subset_compiles_cleanly() {
    let root = xtask::codegen::workspace_root();
    match xtask::corpus::run(&root, xtask::corpus::Scope::Ci) {
        Ok(summary) => println!("{summary}"),
        Err(report) => panic!("{report}"),
    }
}
