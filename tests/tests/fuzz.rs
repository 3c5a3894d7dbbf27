//! Mutation fuzzing of the generator: real specs (spec/plexy.yaml and the construct fixtures,
//! read at test time, each also converted to JSON) with lines deleted, duplicated, swapped or
//! re-indented, YAML-significant bytes inserted or replaced, or the text cut short. The generator
//! must never panic, and whatever it accepts it must generate the same way twice.
//!
//! Bounded for CI: a few hundred cases, short shrinking, and no regression files written to the
//! tree. A failure names the seed spec and the mutations, which reproduce it exactly (turn them
//! into a regular #[test] in this file).

use plexy_codegen::{Settings, generate};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::OnceLock;

/// Bytes that mean something to YAML (and a few that break its layout).
const BYTES: &[u8] = b":-[]{}'\"#&*!|>% \t\n";

/// One edit of a spec's text. Positions are taken modulo the number of lines or bytes, so that
/// they shrink towards the start of the text.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    InsertByte(usize, u8),
    ReplaceByte(usize, u8),
    Truncate(usize),
    /// Adds (positive) or removes (negative) that many leading spaces of a line.
    Indent(usize, i8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Edits that keep more specs readable come more often, so that more cases reach lowering
    // and emitting rather than stopping at a YAML syntax error.
    prop_oneof![
        3 => any::<usize>().prop_map(Mutation::DeleteLine),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => (any::<usize>(), select(BYTES)).prop_map(|(i, b)| Mutation::InsertByte(i, b)),
        2 => (any::<usize>(), select(BYTES)).prop_map(|(i, b)| Mutation::ReplaceByte(i, b)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        2 => (any::<usize>(), -4i8..=4).prop_map(|(i, d)| Mutation::Indent(i, d)),
    ]
}

/// The seed specs, each as written and as JSON: (path relative to the workspace root, with
/// `.json` for the converted one, and text).
fn seeds() -> &'static [(String, String)] {
    static SEEDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = xtask::codegen::workspace_root();
        let mut paths = vec![xtask::codegen::SPEC.to_owned()];
        let fixtures = root.join(xtask::codegen::FIXTURE_SPECS);
        let mut names: Vec<String> = std::fs::read_dir(&fixtures)
            .expect("the fixture specs are readable")
            .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        names.sort();
        paths.extend(names.into_iter().map(|n| format!("{}/{n}", xtask::codegen::FIXTURE_SPECS)));
        let mut seeds = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(root.join(Path::new(&path))).expect("a seed spec is readable");
            // The same document as JSON, which is read (and located) by other code.
            let tree: serde_yaml::Value = serde_yaml::from_str(&text).expect("a seed spec is YAML");
            let json = serde_json::to_string_pretty(&tree).expect("a seed spec converts to JSON");
            seeds.push((path.replace(".yaml", ".json"), json));
            seeds.push((path, text));
        }
        seeds
    })
}

/// The text after the mutations, in order. Byte edits may split a UTF-8 sequence; the result is
/// read lossily, as a caller reading arbitrary bytes would.
fn apply(seed: &str, mutations: &[Mutation]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for m in mutations {
        match m {
            Mutation::InsertByte(i, b) => bytes.insert(i % (bytes.len() + 1), *b),
            Mutation::ReplaceByte(i, b) if !bytes.is_empty() => {
                let at = i % bytes.len();
                bytes[at] = *b;
            }
            Mutation::ReplaceByte(..) => {}
            Mutation::Truncate(i) => bytes.truncate(i % (bytes.len() + 1)),
            line_edit => {
                let mut lines: Vec<Vec<u8>> = bytes.split_inclusive(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
                if lines.is_empty() {
                    continue;
                }
                let n = lines.len();
                match line_edit {
                    Mutation::DeleteLine(i) => {
                        lines.remove(i % n);
                    }
                    Mutation::DuplicateLine(i) => {
                        let at = i % n;
                        lines.insert(at, lines[at].clone());
                    }
                    Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
                    Mutation::Indent(i, delta) => {
                        let line = &mut lines[i % n];
                        if *delta >= 0 {
                            line.splice(0..0, std::iter::repeat_n(b' ', delta.unsigned_abs().into()));
                        } else {
                            let spaces = line.iter().take_while(|b| **b == b' ').count();
                            line.drain(..spaces.min(delta.unsigned_abs().into()));
                        }
                    }
                    _ => unreachable!("byte edits are handled above"),
                }
                bytes = lines.concat();
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Generates, turning a panic into a failure that says what input caused it.
fn generate_or_fail(
    text: &str,
    settings: &Settings,
    what: &str,
) -> Result<Result<plexy_codegen::Generated, plexy_codegen::Diagnostics>, TestCaseError> {
    catch_unwind(AssertUnwindSafe(|| generate(text, settings))).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let shown = if text.len() <= 4000 { text } else { "(too long to show; the seed and mutations reproduce it)" };
        TestCaseError::fail(format!("the generator panicked on {what}: {message}\n--- input ---\n{shown}\n---"))
    })
}

/// 256 cases take well under a second; `PROPTEST_CASES=20000` runs a longer campaign locally.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() { default.cases } else { 256 },
        max_shrink_iters: 64,
        // Shrinking re-runs the generator; stop it long before it could slow CI down.
        max_shrink_time: 20_000,
        // A plain `cargo test` never writes to the tree (no proptest-regressions/ files).
        failure_persistence: None,
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_specs_never_panic_and_generate_deterministically(
        (seed, mutations) in (0..seeds().len(), vec(mutation(), 1..=3))
    ) {
        let (path, text) = &seeds()[seed];
        let spec = apply(text, &mutations);
        let settings = Settings::new("fuzzed", path.clone());
        let what = format!("{path} after {mutations:?}");
        if let Ok(first) = generate_or_fail(&spec, &settings, &what)? {
            let second = generate_or_fail(&spec, &settings, &what)?;
            prop_assert!(second.as_ref() == Ok(&first), "generating {} twice gave different output", what);
        }
    }
}

#[test]
fn mutations_do_what_they_say() {
    let text = "a: 1\n  b: 2\nc: 3\n";
    assert_eq!(apply(text, &[Mutation::DeleteLine(0)]), "  b: 2\nc: 3\n");
    assert_eq!(apply(text, &[Mutation::DuplicateLine(2)]), "a: 1\n  b: 2\nc: 3\nc: 3\n");
    assert_eq!(apply(text, &[Mutation::SwapLines(0, 2)]), "c: 3\n  b: 2\na: 1\n");
    assert_eq!(apply(text, &[Mutation::InsertByte(1, b'[')]), "a[: 1\n  b: 2\nc: 3\n");
    assert_eq!(apply(text, &[Mutation::ReplaceByte(0, b'&')]), "&: 1\n  b: 2\nc: 3\n");
    assert_eq!(apply(text, &[Mutation::Truncate(3)]), "a: ");
    assert_eq!(apply(text, &[Mutation::Indent(1, -4)]), "a: 1\nb: 2\nc: 3\n");
    assert_eq!(apply(text, &[Mutation::Indent(0, 2)]), "  a: 1\n  b: 2\nc: 3\n");
    assert_eq!(apply("é", &[Mutation::Truncate(1)]), "\u{fffd}");
    assert_eq!(apply("", &[Mutation::DeleteLine(0), Mutation::ReplaceByte(0, b'x')]), "");
}
