//! The report on small specs, for shapes the Plexy spec does not have (its edits are tested in
//! tests/tests/changes.rs): untagged unions, aliases, servers, credentials.

use super::*;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

fn report(old: &str, new: &str) -> Report {
    let settings = Settings::new("t", "t.yaml");
    changes(&format!("{HEAD}{old}"), &format!("{HEAD}{new}"), &settings).expect("both specs generate")
}

fn schemas(body: &str) -> String {
    format!("paths: {{}}\ncomponents:\n  schemas:\n{body}")
}

/// Two object members a value can fit equally well: `{}` fits both, with one property left out
/// of each, so the spec's order decides.
const LOOSE_PAIR: &str =
    "    A: {type: object, properties: {a: {type: string}}}\n    B: {type: object, properties: {b: {type: string}}}\n";

#[test]
fn untagged_members_that_can_tie_tried_in_another_order_are_a_silent_break() {
    let old = schemas(&format!(
        "    Id:\n      anyOf: [{{$ref: '#/components/schemas/A'}}, {{$ref: '#/components/schemas/B'}}]\n{LOOSE_PAIR}"
    ));
    let new = old.replace(
        "[{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]",
        "[{$ref: '#/components/schemas/B'}, {$ref: '#/components/schemas/A'}]",
    );
    assert_ne!(old, new);
    let r = report(&old, &new);
    assert_eq!((r.breaking, r.semver), (true, Semver::Major), "{}", r.to_text());
    assert_eq!(r.changes.len(), 1, "{}", r.to_text());
    let c = &r.changes[0];
    assert_eq!((c.kind.as_str(), c.rust.as_deref()), ("untagged-order-changed", Some("t::models::Id")));
    assert!(c.summary.contains("`B` now wins a tie with `A`"), "{}", c.summary);
}

#[test]
fn untagged_members_no_value_fits_together_may_move() {
    // A string never fits `integer`: decoding picks by kind, and the order decides nothing.
    let old = schemas("    Id:\n      anyOf: [{type: string}, {type: integer}]\n");
    let new = schemas("    Id:\n      anyOf: [{type: integer}, {type: string}]\n");
    let r = report(&old, &new);
    assert_eq!(r.semver, Semver::None, "{}", r.to_text());
    assert!(r.changes.is_empty(), "{}", r.to_text());
}

#[test]
fn the_order_of_a_tagged_unions_variants_decides_nothing() {
    let member = |name: &str, tag: &str| {
        format!(
            "    {name}:\n      type: object\n      required: [kind]\n      properties:\n        kind: {{type: string, enum: [{tag}]}}\n"
        )
    };
    let union = |mapping: &str| {
        format!(
            "    Pet:\n      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]\n      discriminator:\n        propertyName: kind\n        mapping:\n{mapping}{}{}",
            member("Cat", "cat"),
            member("Dog", "dog")
        )
    };
    let cat = "          cat: '#/components/schemas/Cat'\n";
    let dog = "          dog: '#/components/schemas/Dog'\n";
    let r = report(&schemas(&union(&format!("{cat}{dog}"))), &schemas(&union(&format!("{dog}{cat}"))));
    assert_eq!((r.breaking, r.semver), (false, Semver::None), "{}", r.to_text());
    assert!(r.changes.is_empty(), "{}", r.to_text());
}

#[test]
fn reordered_enum_values_change_the_derived_ord() {
    let old = schemas("    Size: {type: string, enum: [small, medium, large]}\n");
    let r = report(&old, &old.replace("[small, medium, large]", "[large, medium, small]"));
    assert_eq!((r.breaking, r.semver), (true, Semver::Major), "{}", r.to_text());
    assert_eq!(r.changes.len(), 1, "{}", r.to_text());
    let c = &r.changes[0];
    assert_eq!((c.kind.as_str(), c.rust.as_deref()), ("enum-order-changed", Some("t::models::Size")));
    assert!(c.summary.contains("`Ord`") && c.summary.contains("`Large` now sorts before `Medium`"), "{}", c.summary);
    // An added value leaves the order of the others alone: it is an addition, not a reordering.
    let r = report(&old, &old.replace("[small, medium, large]", "[small, tiny, medium, large]"));
    assert_eq!(r.semver, Semver::Minor, "{}", r.to_text());
    assert!(r.changes.iter().all(|c| c.kind == "enum-value-added"), "{}", r.to_text());
}

#[test]
fn reordered_values_of_an_enum_without_an_order_are_nothing() {
    // Integer values become a value enum, which derives no `PartialOrd`.
    let old = schemas("    Level: {type: integer, enum: [1, 2, 3]}\n");
    let r = report(&old, &old.replace("[1, 2, 3]", "[3, 1, 2]"));
    assert_eq!(r.semver, Semver::None, "{}", r.to_text());
    assert!(r.changes.is_empty(), "{}", r.to_text());
}

#[test]
fn an_untagged_variant_appended_is_minor_with_a_note() {
    let old = schemas("    Id:\n      anyOf: [{type: string}, {type: integer}]\n");
    let new = schemas("    Id:\n      anyOf: [{type: string}, {type: integer}, {type: boolean}]\n");
    let r = report(&old, &new);
    assert_eq!((r.breaking, r.semver), (false, Semver::Minor), "{}", r.to_text());
    assert!(r.changes[0].note.as_deref().is_some_and(|n| n.contains("Other")));
}

#[test]
fn an_alias_to_another_type_breaks() {
    let old = schemas(
        "    Money:\n      type: object\n      properties:\n        c: {$ref: '#/components/schemas/Code'}\n    Code: {type: string}\n",
    );
    let new = old.replace("Code: {type: string}", "Code: {type: integer}");
    let r = report(&old, &new);
    assert!(r.breaking, "{}", r.to_text());
    assert!(r.changes.iter().any(|c| c.rust.as_deref() == Some("t::models::Code")), "{}", r.to_text());
}

#[test]
fn adding_a_first_server_or_moving_one_breaks() {
    // No server is OpenAPI's `/`, relative to the document: clients built with `document_url`
    // move when an absolute server is added, so that breaks too.
    let none = "paths: {}\n";
    let one = "servers: [{url: 'https://a.example'}]\npaths: {}\n";
    let other = "servers: [{url: 'https://b.example'}]\npaths: {}\n";
    assert!(report(none, one).breaking);
    let moved = report(one, other);
    assert!(moved.breaking && moved.changes[0].note.as_deref().is_some_and(|n| n.contains("https://b.example")));
    assert!(report(other, none).breaking);
}

#[test]
fn another_credential_breaks() {
    let key = "paths: {}\ncomponents:\n  securitySchemes:\n    k: {type: apiKey, in: header, name: X-Key}\n";
    let bearer = "paths: {}\ncomponents:\n  securitySchemes:\n    k: {type: http, scheme: bearer}\n";
    let r = report(key, bearer);
    assert_eq!((r.breaking, r.changes[0].kind.as_str()), (true, "credential-changed"), "{}", r.to_text());
    assert_eq!(report(key, &key.replace("X-Key", "x-key")).semver, Semver::None);
}

#[test]
fn only_prose_the_crate_does_not_show_is_none() {
    let old =
        "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {description: Done.}\n";
    let r = report(old, &old.replace("Done.", "Nothing to say."));
    assert_eq!(r.semver, Semver::None, "{}", r.to_text());
    let r = report(old, &old.replace("operationId: getA", "operationId: getA\n      summary: Gets A."));
    assert_eq!((r.semver, r.changes[0].kind.as_str()), (Semver::Patch, "docs"), "{}", r.to_text());
    assert_eq!(r.changes[0].rust.as_deref(), Some("t::Client::get_a"));
}

#[test]
fn a_renamed_path_parameter_renames_an_argument_only() {
    let old = "paths:\n  /pets/{petId}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: petId, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: Done.}\n";
    let r = report(old, &old.replace("petId", "id"));
    assert_eq!((r.breaking, r.semver), (false, Semver::Patch), "{}", r.to_text());
    assert_eq!(r.changes.len(), 1, "{}", r.to_text());
    let c = &r.changes[0];
    assert_eq!((c.kind.as_str(), c.rust.as_deref()), ("argument-renamed", Some("t::Client::get_pet")));
    assert!(c.summary.contains("`pet_id` → `id`"), "{}", c.summary);
    // Renamed on the wire only (`{pet_id}` is the same Rust argument): nothing reaches users.
    let r = report(old, &old.replace("petId", "pet_id"));
    assert_eq!(r.semver, Semver::None, "{}", r.to_text());
}

#[test]
fn a_path_items_own_prose_is_not_about_the_error_body() {
    // `ApiErrorBody` is gathered from all of `#/paths`; a change to one path item is not about it.
    let old = "paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '204': {description: Done.}\n        '400':\n          description: Bad.\n          content:\n            application/json:\n              schema: {type: object, properties: {code: {type: string}}}\n";
    let r = report(old, &old.replace("  /a:\n", "  /a:\n    summary: The A.\n"));
    assert!(r.changes.iter().all(|c| c.rust.as_deref() != Some("t::ApiErrorBody")), "{}", r.to_text());
    let r = report(
        old,
        &format!(
            "{old}  /b:\n    get:\n      operationId: getB\n      responses:\n        '204': {{description: Done.}}\n"
        ),
    );
    assert!(r.changes.iter().any(|c| c.rust.as_deref() == Some("t::Client::get_b")), "{}", r.to_text());
    assert!(r.changes.iter().all(|c| c.rust.as_deref() != Some("t::ApiErrorBody")), "{}", r.to_text());
}

fn one(reason: Option<&str>, note: Option<&str>, breaking: bool) -> Report {
    let semver = if breaking { Semver::Major } else { Semver::Minor };
    let change = Change {
        pointer: "#/components/schemas/Kind/enum".to_owned(),
        rust: Some("t::models::Kind::Bird".to_owned()),
        kind: "enum-value-added".to_owned(),
        breaking,
        semver,
        summary: "adds the value `bird` as `t::models::Kind::Bird`".to_owned(),
        reason: reason.map(str::to_owned),
        note: note.map(str::to_owned),
    };
    Report { breaking, semver, changes: vec![change] }
}

#[test]
fn a_behaviour_note_in_markdown_says_which_change_it_is_about() {
    let r = one(None, Some("`bird` was decoded as `Kind::Unknown` before"), false);
    let markdown = r.to_markdown();
    let notes = &markdown[markdown.find("#### Behaviour notes").expect("a notes section")..];
    assert!(notes.contains("adds the value `bird` as `t::models::Kind::Bird`"), "{markdown}");
    assert!(notes.contains("`bird` was decoded as `Kind::Unknown` before"), "{markdown}");
}

#[test]
fn a_note_that_repeats_the_reason_is_printed_once() {
    let same = "calls are no longer retried";
    let r = one(Some(same), Some(same), true);
    assert_eq!(r.to_text().matches(same).count(), 1, "{}", r.to_text());
    assert_eq!(r.to_markdown().matches(same).count(), 1, "{}", r.to_markdown());
    let r = one(Some("it stops compiling"), Some("and decodes differently"), true);
    assert!(r.to_text().contains("why:  it stops compiling") && r.to_text().contains("note: and decodes differently"));
    assert!(r.to_markdown().contains("it stops compiling and decodes differently"), "{}", r.to_markdown());
}

#[test]
fn each_spec_is_blamed_under_its_own_path() {
    let good = format!("{HEAD}paths: {{}}\n");
    let bad = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/Missing'}}\n");
    let none = BTreeMap::new();
    let settings = Settings::new("t", "new.yaml");
    let old = |text| OldSpec { text, path: "old.yaml", documents: &none };
    assert_eq!(changes_from(old(&bad), &good, &settings).unwrap_err().file, "old.yaml");
    assert_eq!(changes_from(old(&good), &bad, &settings).unwrap_err().file, "new.yaml");
    // The same file at another revision keeps its path, marked as the old one.
    assert_eq!(changes(&bad, &good, &settings).unwrap_err().file, "new.yaml (old)");
}
