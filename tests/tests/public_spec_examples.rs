//! Every example of every public spec (shared/specs beside the repository, corpus/ included)
//! through the crate generated from it: decoded into its type, encoded back to the same JSON,
//! and each union value inside it in a variant whose member schema accepts it, as a JSON Schema
//! validator judges (tests/tests/examples_support).
//!
//! All crates are generated into one scratch cargo workspace under target/spec-examples, each
//! with a small check program (`plexy_tests::examples` plus a decoder generated from the
//! example types), so the dependencies compile once and the crates build in one cargo run.
//!
//! What does not pass yet is listed, with reasons, in tests/fixtures/spec-examples.yaml: specs
//! that do not generate or compile, examples that do not fit their own schema, and examples the
//! generated types get wrong. The test fails when reality and the lists differ either way, so a
//! fix shows up as an entry to delete. Slow (it builds every crate), so it is ignored by a plain
//! `cargo test` and run by `cargo xtask test`.

mod examples_support;

use examples_support::json_schema::SchemaCheck;
use examples_support::{Tally, decoder_source, judge, list_drift, plan_of};
use plexy_tests::examples::Outcome;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The lists of what is known not to pass (tests/fixtures/spec-examples.yaml).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Known {
    /// Spec (relative to shared/specs) → why it does not generate or compile yet.
    #[serde(default)]
    specs_failing: BTreeMap<String, String>,
    /// Spec → example pointer → why the example does not fit its own schema.
    #[serde(default)]
    bad_examples: BTreeMap<String, BTreeMap<String, String>>,
    /// Spec → example pointer → what the generated types get wrong with it.
    #[serde(default)]
    failing_examples: BTreeMap<String, BTreeMap<String, String>>,
}

/// One spec of the corpus.
struct Spec {
    /// Path relative to shared/specs (`corpus/readme/3.0/polymorphism.yaml`).
    name: String,
    path: PathBuf,
    /// The generated crate's package name.
    crate_name: String,
}

/// A spec whose crate was generated, waiting for its build.
struct Generated {
    spec: Spec,
    set: plexy_codegen::inspect::ExampleSet,
    text: String,
}

#[test]
#[ignore = "slow: builds a crate per public spec; cargo xtask test runs it"]
fn every_example_of_every_public_spec_decodes_into_the_member_it_is() {
    let root = xtask::codegen::workspace_root();
    let specs_dir = root.join("../shared/specs");
    let specs = list_specs(&specs_dir);
    assert!(specs.len() >= 3, "expected the public specs in {}, found {}", specs_dir.display(), specs.len());
    let known_path = root.join("tests/fixtures/spec-examples.yaml");
    let known: Known = serde_yaml::from_str(&std::fs::read_to_string(&known_path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", known_path.display()));

    let scratch = root.join("target/spec-examples");
    let mut spec_failures: BTreeMap<String, String> = BTreeMap::new();
    let mut generated = Vec::new();
    for spec in specs {
        let text = std::fs::read_to_string(&spec.path).unwrap();
        match generate_into(&scratch, &spec, &text) {
            Ok(set) => generated.push(Generated { spec, set, text }),
            Err(e) => {
                spec_failures.insert(spec.name.clone(), e);
            }
        }
    }
    write_workspace(&root, &scratch, &generated);
    let built = build(&scratch);

    let mut drift = Vec::new();
    let mut report = Vec::new();
    for g in &generated {
        let program = match built.get(&check_name(&g.spec.crate_name)) {
            Some(Ok(program)) => program,
            Some(Err(e)) => {
                spec_failures.insert(g.spec.name.clone(), e.clone());
                continue;
            }
            None => {
                let why = built.get(&g.spec.crate_name).and_then(|r| r.as_ref().err()).cloned();
                spec_failures.insert(g.spec.name.clone(), why.unwrap_or_else(|| "was not built".into()));
                continue;
            }
        };
        let outcomes = run_program(program, &scratch.join("checks").join(&g.spec.crate_name).join("plan.json"));
        let mut check =
            SchemaCheck::new(&g.set.document, openapi_30(&g.text)).unwrap_or_else(|e| panic!("{}: {e}", g.spec.name));
        let verdicts = judge(&g.set, &outcomes, &mut check);
        let tally = Tally::of(&verdicts);
        report.push(format!("{}: {}", g.spec.name, tally.line()));

        let bad: BTreeMap<String, String> =
            verdicts.iter().filter_map(|v| v.fits.as_ref().err().map(|e| (v.pointer.clone(), e.clone()))).collect();
        let failing: BTreeMap<String, String> = verdicts
            .iter()
            .filter(|v| v.fits.is_ok())
            .filter_map(|v| v.problem.as_ref().map(|p| (v.pointer.clone(), p.clone())))
            .collect();
        let empty = BTreeMap::new();
        let label = |what: &str| format!("{} ({what})", g.spec.name);
        drift.extend(list_drift(&bad, known.bad_examples.get(&g.spec.name).unwrap_or(&empty), &label("bad_examples")));
        drift.extend(list_drift(
            &failing,
            known.failing_examples.get(&g.spec.name).unwrap_or(&empty),
            &label("failing_examples"),
        ));
    }
    for (name, why) in &spec_failures {
        report.push(format!("{name}: {}", first_line(why)));
    }
    let first_lines: BTreeMap<String, String> =
        spec_failures.iter().map(|(k, v)| (k.clone(), first_line(v).to_owned())).collect();
    drift.extend(list_drift(&first_lines, &known.specs_failing, "specs_failing"));
    for (spec, _) in known.bad_examples.iter().chain(&known.failing_examples) {
        if !generated.iter().any(|g| &g.spec.name == spec) || spec_failures.contains_key(spec) {
            drift.push(format!("examples listed for {spec}, which has no checked crate: remove them"));
        }
    }
    report.sort();
    println!("{}", report.join("\n"));
    assert!(
        drift.is_empty(),
        "tests/fixtures/spec-examples.yaml is out of date:\n{}\n\n(per spec:\n{})",
        drift.join("\n"),
        report.join("\n")
    );
}

/// Every YAML and JSON document under `dir`, sorted by relative path.
fn list_specs(dir: &Path) -> Vec<Spec> {
    let mut paths = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        let entries = std::fs::read_dir(&at).unwrap_or_else(|e| {
            panic!("{}: {e} (the public specs live in shared/specs beside the repository)", at.display())
        });
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                paths.push(path);
            }
        }
    }
    let mut specs: Vec<Spec> = paths
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(dir).unwrap().to_str().unwrap().replace('\\', "/");
            Spec { crate_name: crate_name(&name), name, path }
        })
        .collect();
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    specs
}

/// A package name from a spec's relative path: `corpus/readme/3.0/petstore.yaml` →
/// `speccorpus-readme-3-0-petstore`.
fn crate_name(relative: &str) -> String {
    let stem = relative.rsplit_once('.').map_or(relative, |(stem, _)| stem);
    let mut name = String::from("spec");
    for c in stem.chars() {
        let c = if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' };
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    name.trim_end_matches('-').to_owned()
}

/// The check program's package name for a crate.
fn check_name(crate_name: &str) -> String {
    format!("check-{crate_name}")
}

/// Generates the crate of `spec` and its check program into the scratch workspace.
fn generate_into(scratch: &Path, spec: &Spec, text: &str) -> Result<plexy_codegen::inspect::ExampleSet, String> {
    let mut settings = plexy_codegen::Settings::new(spec.crate_name.clone(), spec.name.clone());
    settings.standalone = false;
    let generated = plexy_codegen::generate(text, &settings).map_err(|d| not_generated(&d))?;
    let set = plexy_codegen::examples(text, &settings).map_err(|d| not_generated(&d))?;
    sync(&scratch.join("crates").join(&spec.crate_name), generated.files);

    let crate_ident = spec.crate_name.replace('-', "_");
    let cargo = format!(
        "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n\
         {} = {{ path = \"../../crates/{}\" }}\nplexy-tests = {{ path = \"../../../../tests\" }}\n\
         serde_json = \"1\"\nchrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n",
        check_name(&spec.crate_name),
        spec.crate_name,
        spec.crate_name,
    );
    let plan = serde_json::to_string(&plan_of(&set)).unwrap();
    let files = BTreeMap::from([
        ("Cargo.toml".to_owned(), cargo),
        ("src/main.rs".to_owned(), decoder_source(&crate_ident, &set)),
        ("plan.json".to_owned(), plan),
    ]);
    sync(&scratch.join("checks").join(&spec.crate_name), files);
    Ok(set)
}

/// Why a spec does not generate, in one line: the first problem and how many there are.
fn not_generated(d: &plexy_codegen::Diagnostics) -> String {
    match d.items.first() {
        Some(first) => format!(
            "does not generate ({} problem{}): {}: {}",
            d.items.len(),
            if d.items.len() == 1 { "" } else { "s" },
            first.pointer,
            first.message
        ),
        None => "does not generate".into(),
    }
}

/// Writes `files` under `dir`, leaving unchanged files untouched so cargo rebuilds only what
/// changed.
fn sync(dir: &Path, files: BTreeMap<String, String>) {
    for (path, text) in files {
        let path = dir.join(path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
}

/// The scratch workspace: every generated crate and check program, pinned to the repository's
/// lockfile, built without debug info (nothing here is debugged; it halves the build).
fn write_workspace(root: &Path, scratch: &Path, generated: &[Generated]) {
    let mut members = Vec::new();
    for g in generated {
        members.push(format!("  \"crates/{}\",", g.spec.crate_name));
        members.push(format!("  \"checks/{}\",", g.spec.crate_name));
    }
    let manifest = format!(
        "# Scratch workspace of the public-spec example test; rewritten on every run.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n\n[profile.dev]\ndebug = false\n",
        members.join("\n")
    );
    sync(scratch, BTreeMap::from([("Cargo.toml".to_owned(), manifest)]));
    if !scratch.join("Cargo.lock").exists() {
        std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    }
}

/// Builds every package of the scratch workspace, going on past failures. Returns, per package
/// name, the check program's path or the first compiler error.
fn build(scratch: &Path) -> BTreeMap<String, Result<PathBuf, String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .args(["build", "--workspace", "--bins", "--keep-going", "--quiet", "--message-format=json"])
        .output()
        .unwrap();
    let mut built: BTreeMap<String, Result<PathBuf, String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        let Some(package) = message["package_id"].as_str().and_then(package_name) else { continue };
        match message["reason"].as_str() {
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or("an error");
                built.entry(package).or_insert(Err(format!("does not compile: {rendered}")));
            }
            Some("compiler-artifact") => {
                if let Some(exe) = message["executable"].as_str() {
                    built.entry(package).or_insert(Ok(PathBuf::from(exe)));
                }
            }
            _ => {}
        }
    }
    if !output.status.success() && built.values().all(Result::is_ok) {
        panic!("cargo build of the scratch workspace failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    built
}

/// The package name in a cargo package id: `path+file:///…/checks/x#check-x@0.1.0`, or
/// `path+file:///…/crates/x#0.1.0` when the folder is named like the package.
fn package_name(id: &str) -> Option<String> {
    let (url, fragment) = id.rsplit_once('#')?;
    Some(match fragment.split_once('@') {
        Some((name, _)) => name.to_owned(),
        None => url.rsplit('/').next()?.to_owned(),
    })
}

/// Runs a check program on its plan.
fn run_program(program: &Path, plan: &Path) -> Vec<Outcome> {
    let output = Command::new(program).arg(plan).output().unwrap();
    assert!(output.status.success(), "{} failed:\n{}", program.display(), String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Whether the document is OpenAPI 3.0 (rather than 3.1), from its `openapi` field.
fn openapi_30(text: &str) -> bool {
    let tree: Value = serde_yaml::from_str(text).unwrap_or_default();
    tree["openapi"].as_str().is_some_and(|v| v.starts_with("3.0"))
}

/// The first line of a message.
fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or(text).trim()
}
