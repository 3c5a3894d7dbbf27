//! Hostile input that does not fit an error snapshot (tests/fixtures/errors): huge, deeply
//! nested, self-referring and random documents. Each must come back as `Ok` or `Err` on a thread
//! with the default 2 MiB stack, within a generous bound, never as a panic or a stack overflow.
//! And a failing `cargo xtask codegen --spec … --out …` must leave its output directory alone.

use plexy_codegen::Diagnostics;
use plexy_codegen::{Generated, Settings, generate};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

/// Far beyond what any input here needs (the slowest, 5,000 schemas, takes seconds): only a hang fails.
const LIMIT: Duration = Duration::from_secs(60);

/// Runs the generator on `text` on its own thread with the default stack, failing the test if it
/// panics or has not finished within [`LIMIT`].
fn generate_bounded(name: &str, text: String) -> Result<Generated, Diagnostics> {
    let (sender, receiver) = mpsc::channel();
    let spec_path = format!("{name}.yaml");
    let worker = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let result = generate(&text, &Settings::new("hostile", spec_path));
            let _ = sender.send(result);
        })
        .expect("spawns a thread");
    match receiver.recv_timeout(LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: the generator did not finish within {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => panic!("{name}: the generator panicked: {}", panic_message(&*panic)),
            Ok(()) => unreachable!("{name}: the worker ended without a result"),
        },
    }
}

/// The text of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(not a string)".to_owned())
}

/// Asserts that `text` is rejected, and that the report names the file, a pointer and `expected`.
#[track_caller]
fn assert_rejected(name: &str, text: String, expected: &str) -> Diagnostics {
    let diagnostics = match generate_bounded(name, text) {
        Ok(_) => panic!("{name}: expected an error, but the spec generated"),
        Err(d) => d,
    };
    let report = diagnostics.to_string();
    assert!(report.starts_with(&format!("{name}.yaml: ")), "{report}");
    assert!(report.contains(&format!("error: {name}.yaml")) && report.contains(": #"), "{report}");
    assert!(report.contains(expected), "{name}: the report does not say {expected:?}:\n{report}");
    diagnostics
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: Hostile\n  version: '1'\npaths: {}\n";

#[test]
fn a_hundred_thousand_nested_flow_sequences_and_mappings_are_rejected() {
    let depth = 100_000;
    let sequence = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_rejected("sequence", sequence.clone(), "nests more than 128 levels deep");
    assert_rejected("sequence_value", format!("{HEAD}x-deep: {sequence}\n"), "nests more than 128 levels deep");
    let mapping = format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth));
    assert_rejected("mapping", mapping, "nests more than 128 levels deep");
    let json = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    assert_rejected("json", json, "not valid JSON: the document nests more than 128 levels deep");
    let unclosed = format!("{HEAD}x-deep: {}\n", "[{a: ".repeat(depth));
    generate_bounded("unclosed", unclosed).expect_err("unclosed nesting is an error");
}

#[test]
fn a_ten_megabyte_string_generates_or_fails_cleanly() {
    let huge = "x".repeat(10 << 20);
    let spec = format!(
        "openapi: 3.0.3\ninfo:\n  title: Huge\n  version: '1'\n  description: \"{huge}\"\npaths: {{}}\n\
         components:\n  schemas:\n    Big:\n      type: string\n      description: {huge}\n      example: '{huge}'\n"
    );
    let generated = generate_bounded("huge_string", spec).expect("a long description is fine");
    assert!(generated.files["src/models.rs"].contains(&huge[..1000]));
    let unterminated = format!("{HEAD}x-huge: \"{huge}\n");
    assert_rejected("huge_unterminated", unterminated, "not valid YAML");
    // YAML allows implicit keys of up to 1024 characters; an explicit (`? `) key may be longer.
    assert_rejected("huge_key", format!("{HEAD}x-{huge}: 1\n"), "could not find expected ':'");
    generate_bounded("huge_explicit_key", format!("{HEAD}? x-{huge}\n: 1\n")).expect("an extension is ignored");
}

/// 5,000 schemas, each referring to the next.
fn chain(count: usize, link: impl Fn(usize) -> String) -> String {
    let mut spec = format!("{HEAD}components:\n  schemas:\n");
    for i in 0..count {
        writeln!(spec, "    S{i}:\n{}", link(i)).unwrap();
    }
    spec
}

#[test]
fn five_thousand_schemas_in_a_chain_generate() {
    let count = 5_000;
    let objects = chain(count, |i| {
        let next = (i + 1) % count;
        format!("      type: object\n      properties:\n        next:\n          $ref: '#/components/schemas/S{next}'")
    });
    let generated = generate_bounded("object_chain", objects).expect("a cycle through objects is fine");
    assert_eq!(generated.summary.types, count);
    let aliases = chain(count, |i| match i + 1 {
        n if n < count => format!("      $ref: '#/components/schemas/S{n}'"),
        _ => "      type: string".to_owned(),
    });
    let generated = generate_bounded("alias_chain", aliases).expect("a long chain of aliases ends in a string");
    assert_eq!(generated.summary.types, count);
}

#[test]
fn five_thousand_aliases_in_a_cycle_are_all_reported() {
    let count = 5_000;
    let cycle = chain(count, |i| format!("      $ref: '#/components/schemas/S{}'", (i + 1) % count));
    let diagnostics = assert_rejected("alias_cycle", cycle, "refers to itself through `$ref`s");
    assert_eq!(diagnostics.items.len(), count);
    assert!(diagnostics.items.iter().all(|d| d.location.is_some()), "every schema is found in the text");
}

#[test]
fn schemas_that_refer_to_themselves_through_all_of_do_not_loop() {
    let direct = "components:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/A'\n";
    let _ = generate_bounded("all_of_self", format!("{HEAD}{direct}"));
    let mutual = "components:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        \
                  - type: object\n          properties:\n            a: {type: string}\n    B:\n      allOf:\n        \
                  - $ref: '#/components/schemas/A'\n";
    let _ = generate_bounded("all_of_mutual", format!("{HEAD}{mutual}"));
    let inside = "components:\n  schemas:\n    A:\n      type: object\n      properties:\n        child:\n          \
                  allOf:\n            - $ref: '#/components/schemas/A'\n      allOf:\n        \
                  - $ref: '#/components/schemas/A'\n";
    let _ = generate_bounded("all_of_inside", format!("{HEAD}{inside}"));
}

#[test]
fn yaml_aliases_that_multiply_the_document_are_stopped() {
    let mut spec = format!("{HEAD}x-laughs:\n  a: &a [{}]\n", vec!["lol"; 1000].join(", "));
    for (name, previous) in
        ["b", "c", "d", "e", "f", "g", "h", "i"].into_iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        writeln!(spec, "  {name}: &{name} [{}]", vec![format!("*{previous}"); 10].join(", ")).unwrap();
    }
    assert_rejected("laughs", spec, "once its YAML aliases are expanded");
    assert_rejected("self_alias", "a: &a [*a]\n".to_owned(), "not valid YAML");
}

#[test]
fn strange_names_and_empty_collections_do_not_panic() {
    let names = r#"openapi: 3.0.3
info: {title: "", version: ""}
paths:
  "":
    get: {operationId: "", responses: {"200": {description: ok}}}
  /a/{}:
    get:
      operationId: "🙂"
      parameters: [{name: "", in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /b/{id}/{id}:
    get:
      operationId: "-"
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: "-", in: query, schema: {type: string}}
        - {name: "_", in: query, schema: {type: string}}
        - {name: self, in: header, schema: {type: string}}
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/_'}}}}}
components:
  schemas:
    "":
      type: object
      properties: {"": {type: string}, "_": {type: string}, "-": {type: string}, "🙂": {type: string}, "123": {}}
    "_": {type: string, enum: ["", "_", "-", "🙂", null, 1, true]}
    "🙂": {type: object}
    "123": {type: string}
    Self: {type: object, properties: {self: {$ref: '#/components/schemas/Self'}}}
"#;
    let _ = generate_bounded("strange_names", names.to_owned());
    let empty = r#"openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: ""}, {url: "{x}://h"}]
security: [{nope: []}]
paths:
  /a:
    get: {operationId: a, responses: {}}
    post: {operationId: A, responses: {default: {description: x}, "2XX": {description: y}}}
components:
  schemas:
    E1: {type: string, enum: []}
    E2: {type: string, enum: [a, A, a_, "a-", "A "]}
    E3: {type: object, properties: {k: {type: string, enum: [x]}}, required: [k, missing, k]}
    U: {oneOf: [{$ref: '#/components/schemas/E3'}, {$ref: '#/components/schemas/E3'}], discriminator: {propertyName: k}}
    U2: {oneOf: [], discriminator: {propertyName: k}}
    U3: {anyOf: []}
    A: {allOf: []}
    F: {type: string, format: date-time, default: 5, example: {a: [1]}}
    I: {type: integer, format: int128, minimum: 1e300, maximum: -1}
"#;
    let _ = generate_bounded("empty_collections", empty.to_owned());
}

/// A small deterministic generator (xorshift), so that a failure is reproducible from the seed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut random = Random(0x5eed_1234_abcd_ef01);
    let alphabet: &[u8] = b"ab:-[]{}'\"#&*!|>%@`? \t\n\r\0\\,.0123456789";
    for case in 0..300 {
        let length = random.below(400);
        let bytes: Vec<u8> = (0..length)
            .map(|_| match random.below(3) {
                0 => random.next() as u8,
                _ => alphabet[random.below(alphabet.len())],
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = generate_bounded(&format!("random_{case}"), text.clone());
        let _ = generate_bounded(&format!("random_after_head_{case}"), format!("{HEAD}{text}"));
    }
    for text in [
        "\0",
        "\0\0\0",
        "openapi: 3.0.3\0\n",
        "openapi: \"3.0.3\u{0}\"\n",
        "\u{feff}openapi: 3.0.3\n",
        "\u{fffd}\u{fffd}",
    ] {
        let _ = generate_bounded("special", text.to_owned());
    }
    let nul_in_value =
        format!("{HEAD}components:\n  schemas:\n    A:\n      type: string\n      description: \"a\\0b\"\n");
    let _ = generate_bounded("nul_in_value", nul_in_value);
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), Vec::new());
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A fresh, empty directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plexy-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `cargo xtask codegen --spec SPEC --out OUT` (xtask is a workspace of its own, named by its
/// manifest) and returns its exit status and stderr.
fn xtask_codegen(spec: &Path, out: &Path) -> (std::process::ExitStatus, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(xtask::codegen::workspace_root())
        .args(["run", "-q", "--manifest-path", "xtask/Cargo.toml", "--", "codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("runs cargo");
    (output.status, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_failing_standalone_codegen_writes_nothing() {
    let dir = temp_dir("standalone");
    let spec = dir.join("bad.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo:\n  title: Bad\n  version: '1'\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: strnig\n").unwrap();

    let fresh = dir.join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("marker.txt"), "hand-written\n").unwrap();
    let before = snapshot(&fresh);
    let (status, stderr) = xtask_codegen(&spec, &fresh);
    assert!(!status.success(), "a bad spec must fail: {stderr}");
    assert!(
        stderr.contains(&format!("{}:9:7: #/components/schemas/A/type: unknown type `strnig`", spec.display())),
        "{stderr}"
    );
    assert_eq!(snapshot(&fresh), before, "the output directory changed");

    let old = dir.join("old");
    std::fs::create_dir_all(old.join("src")).unwrap();
    let preamble = "// @generated by `cargo xtask codegen` from old.yaml. Do not edit by hand.\n";
    std::fs::write(old.join("src/lib.rs"), format!("{preamble}pub struct Old;\n")).unwrap();
    std::fs::write(old.join("src/orphan.rs"), format!("{preamble}pub struct Orphan;\n")).unwrap();
    std::fs::write(old.join("Cargo.toml"), "# @generated by `cargo xtask codegen` from old.yaml.\n[package]\n")
        .unwrap();
    let before = snapshot(&old);
    let (status, stderr) = xtask_codegen(&spec, &old);
    assert!(!status.success(), "a bad spec must fail: {stderr}");
    assert!(stderr.contains(&spec.display().to_string()) && stderr.contains("#/components/schemas/A/type"), "{stderr}");
    assert_eq!(snapshot(&old), before, "a failing run changed or deleted old generated files");

    let missing = dir.join("missing.yaml");
    let (status, stderr) = xtask_codegen(&missing, &old);
    assert!(!status.success() && stderr.contains("missing.yaml"), "{stderr}");
    assert_eq!(snapshot(&old), before);
    std::fs::remove_dir_all(&dir).unwrap();
}
