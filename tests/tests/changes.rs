//! The review report (`plexy_codegen::changes`) on one-change edits of spec/plexy.yaml: each
//! edit's verdict and semver level against expectations written here from Rust's semver rules
//! (Cargo's SemVer reference) and what the generated code does. The slow test checks the same
//! edits against cargo-semver-checks: whenever it sees a break, so must the report.

use plexy_codegen::{Report, Settings, changes, generate};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One edit of the spec and what the report must say about it.
struct Edit {
    name: &'static str,
    apply: fn(&mut Value),
    breaking: bool,
    semver: &'static str,
    /// A Rust item that must be named by one of the changes (`None`: no item, such as prose
    /// the crate does not show).
    item: Option<&'static str>,
    /// The kind that change must have (`None`: any).
    kind: Option<&'static str>,
}

fn at<'a>(tree: &'a mut Value, pointer: &str) -> &'a mut Value {
    tree.pointer_mut(pointer).unwrap_or_else(|| panic!("the spec has no {pointer}"))
}

fn object(value: &mut Value) -> &mut serde_json::Map<String, Value> {
    value.as_object_mut().expect("an object")
}

fn array(value: &mut Value) -> &mut Vec<Value> {
    value.as_array_mut().expect("an array")
}

const REQUEST: &str = "/components/schemas/PaymentRequest";
const SESSION_RESULT: &str = "/paths/~1sessions~1{sessionId}/get";

fn edits() -> Vec<Edit> {
    vec![
        Edit {
            name: "reformatted: same document, other key order and quoting",
            apply: |t| {
                // Reverse the keys of a map whose order means nothing to the crate.
                let info = object(at(t, "/info"));
                let reversed: serde_json::Map<String, Value> =
                    info.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
                *info = reversed;
            },
            breaking: false,
            semver: "none",
            item: None,
            kind: None,
        },
        Edit {
            name: "optional field added",
            apply: |t| {
                let props = object(at(t, &format!("{REQUEST}/properties")));
                props.insert("giftMessage".into(), json!({"type": "string", "description": "A gift note."}));
            },
            breaking: false,
            semver: "minor",
            item: Some("plexy::models::PaymentRequest::with_gift_message"),
            kind: None,
        },
        Edit {
            name: "required field added",
            apply: |t| {
                object(at(t, &format!("{REQUEST}/properties")))
                    .insert("storeId".into(), json!({"type": "string", "description": "The store."}));
                array(at(t, &format!("{REQUEST}/required"))).push(json!("storeId"));
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentRequest::new"),
            kind: None,
        },
        Edit {
            name: "optional field removed",
            apply: |t| {
                object(at(t, &format!("{REQUEST}/properties"))).shift_remove("telephoneNumber");
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentRequest::telephone_number"),
            kind: None,
        },
        Edit {
            name: "optional field becomes required",
            apply: |t| {
                array(at(t, &format!("{REQUEST}/required"))).push(json!("countryCode"));
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentRequest::country_code"),
            kind: None,
        },
        Edit {
            name: "required field becomes nullable",
            apply: |t| {
                object(at(t, "/components/schemas/Amount/properties/currency")).insert("nullable".into(), json!(true));
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::Amount::currency"),
            kind: None,
        },
        Edit {
            name: "integer format narrowed: int64 to int32",
            apply: |t| *at(t, "/components/schemas/Amount/properties/value/format") = json!("int32"),
            breaking: true,
            semver: "major",
            item: Some("plexy::models::Amount::value"),
            kind: None,
        },
        Edit {
            name: "type changed: integer to number",
            apply: |t| {
                let value = object(at(t, "/components/schemas/Amount/properties/value"));
                value.insert("type".into(), json!("number"));
                value.shift_remove("format");
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::Amount::value"),
            kind: None,
        },
        Edit {
            name: "string format that changes the Rust type: date to date-time",
            apply: |t| *at(t, &format!("{REQUEST}/properties/dateOfBirth/format")) = json!("date-time"),
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentRequest::date_of_birth"),
            kind: None,
        },
        Edit {
            name: "string format that keeps the Rust type: email",
            apply: |t| {
                object(at(t, &format!("{REQUEST}/properties/shopperEmail"))).insert("format".into(), json!("email"));
            },
            breaking: false,
            semver: "patch",
            item: Some("plexy::models::PaymentRequest::shopper_email"),
            kind: None,
        },
        Edit {
            name: "field renamed on the wire, same Rust name",
            apply: |t| {
                let props = object(at(t, "/components/schemas/PaymentResponse/properties"));
                let value = props.shift_remove("pspReference").expect("pspReference");
                props.insert("psp_reference".into(), value);
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentResponse::psp_reference"),
            kind: None,
        },
        Edit {
            name: "required arguments of `new` swapped (same types)",
            apply: |t| {
                // merchantAccount <-> reference, both strings: rebuild the map in the new order.
                let props = object(at(t, &format!("{REQUEST}/properties")));
                let mut entries: Vec<(String, Value)> = std::mem::take(props).into_iter().collect();
                entries.swap(0, 2);
                props.extend(entries);
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentRequest::new"),
            kind: None,
        },
        Edit {
            name: "enum value added",
            apply: |t| array(at(t, "/components/schemas/Channel/enum")).push(json!("Kiosk")),
            breaking: false,
            semver: "minor",
            item: Some("plexy::models::Channel::Kiosk"),
            kind: None,
        },
        Edit {
            name: "enum value removed",
            apply: |t| array(at(t, "/components/schemas/ShopperInteraction/enum")).retain(|v| v != "Moto"),
            breaking: true,
            semver: "major",
            item: Some("plexy::models::ShopperInteraction::Moto"),
            kind: None,
        },
        Edit {
            name: "enum value respelled, same Rust variant (POS to Pos)",
            apply: |t| {
                for v in array(at(t, "/components/schemas/ShopperInteraction/enum")) {
                    if v == "POS" {
                        *v = json!("Pos");
                    }
                }
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::ShopperInteraction::Pos"),
            kind: None,
        },
        Edit {
            name: "union variant added",
            apply: |t| {
                object(at(t, "/components/schemas")).insert(
                    "PayPalDetails".into(),
                    json!({"type": "object", "description": "PayPal.", "required": ["type"],
                           "properties": {"type": {"type": "string"}, "payerId": {"type": "string"}}}),
                );
                array(at(t, "/components/schemas/PaymentMethodDetails/oneOf"))
                    .push(json!({"$ref": "#/components/schemas/PayPalDetails"}));
                object(at(t, "/components/schemas/PaymentMethodDetails/discriminator/mapping"))
                    .insert("paypal".into(), json!("#/components/schemas/PayPalDetails"));
            },
            breaking: false,
            semver: "minor",
            item: Some("plexy::models::PaymentMethodDetails::Paypal"),
            kind: None,
        },
        Edit {
            name: "union variant removed",
            apply: |t| {
                array(at(t, "/components/schemas/PaymentMethodDetails/oneOf"))
                    .retain(|v| v["$ref"] != "#/components/schemas/ApplePayDetails");
                object(at(t, "/components/schemas/PaymentMethodDetails/discriminator/mapping"))
                    .shift_remove("applepay");
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentMethodDetails::Applepay"),
            kind: None,
        },
        Edit {
            name: "operation added",
            apply: |t| {
                let op = at(t, SESSION_RESULT).clone();
                let mut op = op;
                op["operationId"] = json!("getSessionSummary");
                object(at(t, "/paths")).insert("/sessions/{sessionId}/summary".into(), json!({"get": op}));
            },
            breaking: false,
            semver: "minor",
            item: Some("plexy::Client::get_session_summary"),
            kind: None,
        },
        Edit {
            name: "operation removed",
            apply: |t| {
                object(at(t, "/paths")).shift_remove("/sessions/{sessionId}");
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::Client::get_session_result"),
            kind: None,
        },
        Edit {
            name: "operation moved to another path",
            apply: |t| {
                let paths = object(at(t, "/paths"));
                let item = paths.shift_remove("/sessions/{sessionId}").expect("path");
                paths.insert("/checkout/sessions/{sessionId}".into(), item);
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::operations::GetSessionResult"),
            kind: None,
        },
        Edit {
            name: "optional query parameter added",
            apply: |t| {
                array(at(t, &format!("{SESSION_RESULT}/parameters")))
                    .push(json!({"name": "expand", "in": "query", "required": false, "schema": {"type": "boolean"}}));
            },
            breaking: false,
            semver: "minor",
            item: Some("plexy::Call<'_, plexy::operations::GetSessionResult>::expand"),
            kind: None,
        },
        Edit {
            name: "required query parameter added",
            apply: |t| {
                array(at(t, &format!("{SESSION_RESULT}/parameters"))).push(
                    json!({"name": "shopperReference", "in": "query", "required": true, "schema": {"type": "string"}}),
                );
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::Client::get_session_result"),
            kind: None,
        },
        Edit {
            name: "required parameter becomes optional",
            apply: |t| *at(t, &format!("{SESSION_RESULT}/parameters/1/required")) = json!(false),
            breaking: true,
            semver: "major",
            item: Some("plexy::Client::get_session_result"),
            kind: None,
        },
        Edit {
            name: "query parameter renamed on the wire",
            apply: |t| *at(t, &format!("{SESSION_RESULT}/parameters/1/name")) = json!("session_result"),
            breaking: true,
            semver: "major",
            item: Some("plexy::Client::get_session_result"),
            kind: None,
        },
        Edit {
            name: "response type changed",
            apply: |t| {
                *at(t, "/paths/~1sessions/post/responses/201/content/application~1json/schema/$ref") =
                    json!("#/components/schemas/SessionResultResponse");
                object(at(t, "/paths/~1sessions/post/responses/201/content/application~1json")).shift_remove("example");
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::operations::CreateSession"),
            kind: None,
        },
        Edit {
            name: "idempotency key no longer accepted",
            apply: |t| {
                object(at(t, "/paths/~1payments/post")).shift_remove("parameters");
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::Client::create_payment"),
            kind: None,
        },
        Edit {
            name: "answer offered as a PDF too",
            apply: |t| {
                object(at(t, &format!("{SESSION_RESULT}/responses/200/content")))
                    .insert("application/pdf".into(), json!({"schema": {"type": "string", "format": "binary"}}));
            },
            breaking: false,
            semver: "minor",
            item: Some("plexy::Client::get_session_result_as_bytes"),
            kind: None,
        },
        Edit {
            name: "server URL gets a variable, at the same default address",
            apply: |t| {
                let server = object(at(t, "/servers/0"));
                server.insert("url".into(), json!("https://api.plexypay.com/{version}"));
                server.insert("variables".into(), json!({"version": {"default": "v2", "enum": ["v2", "v3"]}}));
            },
            breaking: false,
            semver: "minor",
            item: Some("plexy::Client"),
            kind: Some("server-variable-added"),
        },
        Edit {
            name: "operation deprecated",
            apply: |t| {
                object(at(t, SESSION_RESULT)).insert("deprecated".into(), json!(true));
            },
            breaking: false,
            semver: "patch",
            item: Some("plexy::Client::get_session_result"),
            kind: None,
        },
        Edit {
            name: "documentation changed",
            apply: |t| {
                *at(t, "/components/schemas/Amount/description") = json!("An amount of money in minor units.");
            },
            breaking: false,
            semver: "patch",
            item: Some("plexy::models::Amount"),
            kind: None,
        },
        Edit {
            name: "prose the crate does not show changed",
            apply: |t| *at(t, "/components/responses/NotFound/description") = json!("Nothing there."),
            breaking: false,
            semver: "none",
            item: None,
            kind: None,
        },
        Edit {
            name: "default server changed",
            apply: |t| *at(t, "/servers/0/url") = json!("https://api.plexypay.com/v3"),
            breaking: true,
            semver: "major",
            item: Some("plexy::Client"),
            kind: None,
        },
        Edit {
            name: "another server listed after the default",
            apply: |t| array(at(t, "/servers")).push(json!({"url": "https://test.plexypay.com/v2"})),
            breaking: false,
            semver: "none",
            item: None,
            kind: None,
        },
        Edit {
            name: "constraint tightened",
            apply: |t| *at(t, &format!("{REQUEST}/properties/returnUrl/maxLength")) = json!(1024),
            breaking: false,
            semver: "patch",
            item: Some("plexy::models::PaymentRequest::return_url"),
            kind: None,
        },
        Edit {
            name: "new type for an optional field (string to object)",
            apply: |t| {
                *at(t, &format!("{REQUEST}/properties/shopperIP")) =
                    json!({"type": "object", "properties": {"v4": {"type": "string"}}});
            },
            breaking: true,
            semver: "major",
            item: Some("plexy::models::PaymentRequest::shopper_ip"),
            kind: None,
        },
        Edit {
            name: "discriminator mapping reordered",
            apply: |t| {
                // The tagged union decodes by tag and derives no order: its variants' order is invisible.
                let mapping = object(at(t, "/components/schemas/PaymentMethodDetails/discriminator/mapping"));
                let reversed: serde_json::Map<String, Value> =
                    mapping.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
                *mapping = reversed;
            },
            breaking: false,
            semver: "none",
            item: None,
            kind: None,
        },
        Edit {
            name: "string enum values reordered",
            apply: |t| array(at(t, "/components/schemas/ShopperInteraction/enum")).reverse(),
            // The enum derives `PartialOrd` and `Ord` in declaration order: `a < b`, sorting and
            // `BTreeMap` keys change without a compile error.
            breaking: true,
            semver: "major",
            item: Some("plexy::models::ShopperInteraction"),
            kind: Some("enum-order-changed"),
        },
        Edit {
            name: "path parameter renamed",
            apply: |t| {
                let paths = object(at(t, "/paths"));
                let mut item = paths.shift_remove("/sessions/{sessionId}").expect("path");
                for p in array(at(&mut item, "/get/parameters")) {
                    if p["name"] == "sessionId" {
                        p["name"] = json!("id");
                    }
                }
                paths.insert("/sessions/{id}".into(), item);
            },
            // Arguments are positional: only the argument's name in the docs changes.
            breaking: false,
            semver: "patch",
            item: Some("plexy::Client::get_session_result"),
            kind: Some("argument-renamed"),
        },
        Edit {
            name: "operation needs no credential",
            apply: |t| {
                object(at(t, SESSION_RESULT)).insert("security".into(), json!([]));
            },
            // The same call now sends its request without the API key.
            breaking: true,
            semver: "major",
            item: Some("plexy::Client::get_session_result"),
            kind: Some("operation-credential-changed"),
        },
    ]
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn spec_tree() -> (String, Value) {
    let text = std::fs::read_to_string(root().join("spec/plexy.yaml")).expect("spec/plexy.yaml");
    let tree: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    (text, tree)
}

/// The edited spec, written out again (as YAML: every edit is also a reformatting).
fn edited(tree: &Value, edit: &Edit) -> String {
    let mut tree = tree.clone();
    (edit.apply)(&mut tree);
    serde_yaml::to_string(&tree).expect("YAML")
}

fn settings() -> Settings {
    Settings::new("plexy", "spec/plexy.yaml")
}

fn check(edit: &Edit, report: &Report) -> Vec<String> {
    let mut problems = Vec::new();
    let got = (report.breaking, report.semver.as_str());
    if got != (edit.breaking, edit.semver) {
        problems
            .push(format!("{}: expected breaking={} semver={}, got {got:?}", edit.name, edit.breaking, edit.semver));
    }
    if let Some(item) = edit.item
        && !report.changes.iter().any(|c| c.rust.as_deref() == Some(item) && edit.kind.is_none_or(|k| c.kind == k))
    {
        let kind = edit.kind.map(|k| format!(" as `{k}`")).unwrap_or_default();
        problems.push(format!("{}: no change names `{item}`{kind}", edit.name));
    }
    // Every edit here is a shape the report knows: none may fall to the safety net.
    if let Some(c) = report.changes.iter().find(|c| c.kind == "unclassified") {
        problems.push(format!("{}: unclassified change: {}", edit.name, c.summary));
    }
    if edit.semver == "none" && edit.item.is_none() && report.changes.iter().any(|c| c.semver.as_str() != "none") {
        problems.push(format!("{}: expected only changes without effect", edit.name));
    }
    for c in &report.changes {
        if c.summary.contains('\n') || c.summary.is_empty() || !c.pointer.starts_with('#') {
            problems.push(format!("{}: malformed change {c:?}", edit.name));
        }
        if c.breaking && c.reason.is_none() {
            problems.push(format!("{}: breaking change without a reason: {}", edit.name, c.summary));
        }
    }
    if problems.is_empty() {
        return problems;
    }
    problems.push(report.to_text());
    problems
}

#[test]
fn each_one_change_edit_gets_its_verdict() {
    let (text, tree) = spec_tree();
    let edits = edits();
    assert!(edits.len() >= 20);
    let mut problems = Vec::new();
    for edit in &edits {
        let new = edited(&tree, edit);
        match changes(&text, &new, &settings()) {
            Ok(report) => problems.extend(check(edit, &report)),
            Err(d) => problems.push(format!("{}: the edited spec does not generate:\n{d}", edit.name)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_renamed_path_parameter_is_about_its_operation_only() {
    let (text, tree) = spec_tree();
    let edit = edits().into_iter().find(|e| e.name == "path parameter renamed").expect("the edit");
    let report = changes(&text, &edited(&tree, &edit), &settings()).unwrap();
    for c in &report.changes {
        assert_eq!(c.rust.as_deref(), Some("plexy::Client::get_session_result"), "{}", report.to_text());
    }
}

#[test]
fn an_unchanged_spec_reports_nothing_and_renders_every_format() {
    let (text, tree) = spec_tree();
    let as_json = serde_json::to_string_pretty(&tree).unwrap();
    let report = changes(&text, &as_json, &settings()).unwrap();
    assert!(report.changes.is_empty(), "{}", report.to_text());
    assert_eq!(report.semver.as_str(), "none");

    let new = edited(&tree, &edits()[2]);
    let report = changes(&text, &new, &settings()).unwrap();
    let parsed: Value = serde_json::from_str(&report.to_json()).expect("--format json is one JSON object");
    assert_eq!(parsed["breaking"], json!(true));
    assert_eq!(parsed["semver"], json!("major"));
    for change in parsed["changes"].as_array().unwrap() {
        for key in ["pointer", "rust", "kind", "breaking", "summary"] {
            assert!(change.get(key).is_some(), "{key} missing in {change}");
        }
    }
    let markdown = report.to_markdown();
    let verdict = markdown.find("BREAKING").expect("verdict");
    let table = markdown.find("| Rust item |").expect("breaking changes in a table");
    assert!(verdict < table, "{markdown}");
    assert!(report.to_text().starts_with("BREAKING"));
}

#[test]
fn a_spec_that_does_not_generate_is_reported_with_its_location() {
    let (text, _) = spec_tree();
    let broken = text.replace("$ref: '#/components/schemas/Amount'", "$ref: '#/components/schemas/Amountt'");
    let error = changes(&text, &broken, &settings()).unwrap_err();
    assert!(error.to_string().contains("Amountt"), "{error}");
}

// ---------------------------------------------------------------- against cargo-semver-checks

/// The cargo-semver-checks binary that `cargo xtask test` installs (pinned in xtask).
fn semver_checks() -> PathBuf {
    let bin = root().join("target/tools/bin/cargo-semver-checks");
    assert!(
        bin.exists(),
        "{} is missing: `cargo xtask test` installs the pinned cargo-semver-checks before running this test",
        bin.display()
    );
    bin
}

/// Writes a generated crate into `dir`, replacing what was there.
fn write_crate(dir: &Path, spec: &str) {
    let generated = generate(spec, &settings()).expect("the spec generates");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    for (path, text) in &generated.files {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
}

/// Whether cargo-semver-checks finds a major change from the crate in `old` to the one in `new`.
fn semver_checks_breaks(bin: &Path, old: &Path, new: &Path, target: &Path) -> (bool, String) {
    let output = Command::new(bin)
        .args(["semver-checks", "check-release", "--release-type", "minor", "--baseline-root"])
        .arg(old)
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo-semver-checks runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success() || text.contains("semver requires new major version"),
        "cargo-semver-checks failed to run:\n{text}"
    );
    (!output.status.success(), text)
}

#[test]
#[ignore = "slow: builds two crates per edit and runs cargo-semver-checks (cargo xtask test runs it)"]
fn verdicts_agree_with_cargo_semver_checks() {
    let bin = semver_checks();
    let work = root().join("target/changes-semver");
    let (old_dir, new_dir, target) = (work.join("old"), work.join("new"), work.join("target"));
    let (text, tree) = spec_tree();
    write_crate(&old_dir, &text);
    let started = Instant::now();
    let (mut disagreements, mut missed) = (Vec::new(), Vec::new());
    for edit in edits() {
        let new = edited(&tree, &edit);
        write_crate(&new_dir, &new);
        let report = changes(&text, &new, &settings()).expect("report");
        let (tool_breaks, output) = semver_checks_breaks(&bin, &old_dir, &new_dir, &target);
        if tool_breaks && !report.breaking {
            disagreements
                .push(format!("{}: cargo-semver-checks reports a break the report misses:\n{output}", edit.name));
        }
        if report.breaking && !tool_breaks {
            missed.push(edit.name);
        }
    }
    eprintln!(
        "cargo-semver-checks on {} edits took {:.0?}; breaks it does not see and the report does: {missed:#?}",
        edits().len(),
        started.elapsed()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    // Field types, wire names, enum spellings, argument order, servers and retries are invisible
    // to a rustdoc comparison; the report must catch at least those of these edits.
    for expected in [
        "integer format narrowed: int64 to int32",
        "field renamed on the wire, same Rust name",
        "enum value respelled, same Rust variant (POS to Pos)",
        "required arguments of `new` swapped (same types)",
        "default server changed",
    ] {
        assert!(missed.contains(&expected), "expected cargo-semver-checks to miss `{expected}`: {missed:?}");
    }
}
