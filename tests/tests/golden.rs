//! The golden gate: the committed generated crate and fixture expectations are exactly what the
//! generator makes from the committed specs. Uses the same routine as `cargo xtask codegen
//! --check`, and never writes to the tree.

#[test]
fn committed_generated_files_match_the_generator() {
    if let Err(report) = xtask::check(&xtask::codegen::workspace_root()) {
        panic!("{report}");
    }
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let root = xtask::codegen::workspace_root();
    let spec = std::fs::read_to_string(root.join(xtask::codegen::SPEC)).unwrap();
    let settings = xtask::codegen::plexy_settings(&root).unwrap();
    let first = plexy_codegen::generate(&spec, &settings).unwrap();
    let second = plexy_codegen::generate(&spec, &settings).unwrap();
    assert_eq!(first, second);
}
