//! Meaningful mutations of a small spec, from a fixed seed: parameters and schemas named like
//! what the generator writes (`timeout`, `send`, `body`, `call`, `Client`, `Result`), prose with
//! carriage returns, control and bidirectional characters, references into schema parts, other
//! components and other paths, recursion, and dangling references. Every mutant the generator
//! accepts must compile warning-free (`cargo check`, `cargo doc`, `cargo test --doc`, in one
//! scratch workspace); every one it rejects must have every problem located by line and column.
//! Slow, so ignored by a plain `cargo test` and run by `cargo xtask test`.

use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The seed of the mutant sequence: the same mutants on every run.
const SEED: u64 = 0x5EED_0010;
/// How many mutants are made.
const MUTANTS: usize = 24;

/// Names the generator itself writes somewhere.
const NAMES: &[&str] = &[
    "timeout",
    "send",
    "header",
    "max_retries",
    "idempotent",
    "body",
    "call",
    "self",
    "type",
    "Client",
    "Result",
    "Option",
    "Error",
    "new",
    "query_param",
    "send_with_response",
    "into_future",
    "r#type",
    "",
    "a b",
    "3d",
    "Self",
];
/// Text that must never break a doc comment or a string.
const PROSE: &[&str] = &[
    "line one\rline two",
    "evil \u{202E}txet\u{202C} here",
    "bell \u{7} and nul \u{0}",
    "    indented, like code",
    "```\nfn main() { panic!() }\n```",
    "see https://example.com/a_b and <b>bold</b> and [link] and [`Missing`]",
    "",
    "   ",
    "tab\tseparated\u{2066}isolate\u{2069}",
];

/// A small deterministic generator (xorshift64*), so the test needs no randomness crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// The spec every mutant starts from.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Mutant", "version": "1"},
        "paths": {
            "/items/{id}": {
                "get": {
                    "operationId": "getItem",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}
                },
                "post": {
                    "operationId": "updateItem",
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                    "responses": {"200": {"description": "ok"}}
                }
            }
        },
        "components": {"schemas": {
            "Item": {"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "owner": {"allOf": [{"type": "object", "properties": {"id": {"type": "integer"}}}]}
            }}
        }}
    })
}

/// One mutation of the spec.
fn mutate(spec: &mut Value, rng: &mut Rng) -> String {
    let op = if rng.next().is_multiple_of(2) { "get" } else { "post" };
    let operation = &mut spec["paths"]["/items/{id}"][op];
    match rng.next() % 9 {
        0 => {
            let name = *rng.pick(NAMES);
            let location = *rng.pick(&["query", "header", "cookie"]);
            let required = rng.next().is_multiple_of(2);
            let schema = if rng.next().is_multiple_of(3) {
                json!({"type": "array", "items": {"type": "integer"}})
            } else {
                json!({"type": "string"})
            };
            push(
                &mut operation["parameters"],
                json!({"name": name, "in": location, "required": required, "schema": schema}),
            );
            format!("{location} parameter `{name}` (required: {required}) on {op}")
        }
        1 => {
            let name = *rng.pick(NAMES);
            spec["components"]["schemas"][name] = json!({"type": "object", "properties": {"v": {"type": "string"}}});
            spec["components"]["schemas"]["Item"]["properties"][name] =
                json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
            format!("schema and property `{name}`")
        }
        2 => {
            let text = *rng.pick(PROSE);
            let place = *rng.pick(&["item", "field", "operation", "enum", "summary"]);
            match place {
                "item" => spec["components"]["schemas"]["Item"]["description"] = json!(text),
                "field" => spec["components"]["schemas"]["Item"]["properties"]["name"]["description"] = json!(text),
                "operation" => operation["description"] = json!(text),
                "summary" => operation["summary"] = json!(text),
                _ => spec["components"]["schemas"]["Item"]["properties"]["kind"]["enum"] = json!(["a", text]),
            }
            format!("{place} prose {text:?}")
        }
        3 => {
            let id = *rng.pick(&["get\ritem", "caf\u{e9}", "\u{202E}rev", "a b c", "123"]);
            operation["operationId"] = json!(id);
            format!("operationId {id:?}")
        }
        4 => {
            let target = *rng.pick(&[
                "#/components/schemas/Item/properties/owner",
                "#/components/schemas/Item/properties/owner/allOf/0",
                "#/components/schemas/Item/properties/tags/items",
                "#/paths/~1items~1{id}/get/responses/200/content/application~1json/schema",
                "#/components/schemas/Item/properties/missing",
            ]);
            spec["components"]["schemas"]["Item"]["properties"]["linked"] = json!({"$ref": target});
            format!("a property referring to {target}")
        }
        5 => {
            spec["components"]["schemas"]["Item"]["properties"]["children"] =
                json!({"type": "array", "items": {"$ref": "#/components/schemas/Item"}});
            spec["components"]["schemas"]["Item"]["properties"]["parent"] =
                json!({"$ref": "#/components/schemas/Item"});
            "recursion through a list and a property".to_owned()
        }
        6 => {
            spec["paths"]["/copy"] = json!({"get": {"operationId": "copyItem", "responses": {
                "200": {"$ref": "#/paths/~1items~1{id}/get/responses/200"}
            }}});
            "a response reused from another path".to_owned()
        }
        7 => {
            let name = *rng.pick(NAMES);
            spec["components"]["parameters"] =
                json!({"P": {"name": name, "in": "query", "schema": {"type": "integer"}}});
            push(&mut spec["paths"]["/items/{id}"][op]["parameters"], json!({"$ref": "#/components/parameters/P"}));
            format!("a component parameter `{name}` on {op}")
        }
        _ => {
            spec["components"]["schemas"]["Item"]["properties"]["kind"]["enum"] =
                json!(["line\rbreak", "x\u{202E}", "ok"]);
            "enum values with control characters".to_owned()
        }
    }
}

fn push(list: &mut Value, item: Value) {
    match list {
        Value::Array(items) => items.push(item),
        other => *other = json!([item]),
    }
}

#[test]
#[ignore = "slow: builds the accepted mutants; cargo xtask test runs it"]
fn accepted_mutants_compile_and_rejected_ones_are_located() {
    let root = xtask::codegen::workspace_root();
    let mut rng = Rng(SEED);
    let mut crates = Vec::new();
    let mut described = BTreeMap::new();
    let mut rejected = 0;
    for n in 0..MUTANTS {
        let mut spec = base();
        let mutations: Vec<String> = (0..1 + rng.next() % 3).map(|_| mutate(&mut spec, &mut rng)).collect();
        let text = serde_json::to_string_pretty(&spec).expect("a spec serialises");
        let name = format!("mutant-{n:02}");
        let settings =
            plexy_codegen::Settings { standalone: false, ..plexy_codegen::Settings::new(&name, "mutant.json") };
        match plexy_codegen::generate(&text, &settings) {
            Ok(generated) => {
                described.insert(name.clone(), mutations);
                crates.push((format!("{name}.json"), name, generated.files));
            }
            Err(diagnostics) => {
                rejected += 1;
                assert!(
                    diagnostics.items.iter().all(|d| d.location.is_some()),
                    "mutant {n} ({mutations:?}): a problem without line and column:\n{diagnostics}"
                );
            }
        }
    }
    assert!(crates.len() >= MUTANTS / 2, "most mutants are valid specs, but only {} generated", crates.len());
    let failed = xtask::corpus::check_crates(&root, "mutants", &crates).unwrap_or_else(|e| panic!("{e}"));
    let report: Vec<String> =
        failed.iter().map(|(name, output)| format!("{name} ({:?}):\n{output}", described[name])).collect();
    assert!(report.is_empty(), "accepted mutants that do not compile cleanly:\n{}", report.join("\n\n"));
    println!("{} mutants: {} accepted and compiled, {rejected} rejected with located errors", MUTANTS, crates.len());
}
