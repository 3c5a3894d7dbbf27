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

#[test]
fn untagged_variants_tried_in_another_order_are_a_silent_break() {
    let old = schemas("    Id:\n      anyOf: [{type: string}, {type: integer}]\n");
    let new = schemas("    Id:\n      anyOf: [{type: integer}, {type: string}]\n");
    let r = report(&old, &new);
    assert!(r.breaking, "{}", r.to_text());
    assert!(r.changes.iter().all(|c| c.kind == "untagged-variant-changed"), "{}", r.to_text());
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
