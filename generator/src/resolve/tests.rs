//! Resolving: every kind of reference ends as `#/components/<kind>/<name>`, and moves are traced back.

use super::*;
use serde_json::json;

fn resolved(mut doc: Value, files: &[(&str, &str)]) -> (Value, Origins) {
    let documents = files.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let (origins, problems) = resolve(&mut doc, &documents, "spec.yaml");
    assert!(problems.is_empty(), "{problems:?}");
    (doc, origins)
}

fn problems(mut doc: Value) -> Vec<(String, String)> {
    resolve(&mut doc, &BTreeMap::new(), "spec.yaml").1.into_iter().map(|d| (d.pointer, d.message)).collect()
}

#[test]
fn a_schema_part_becomes_a_component_and_its_place_refers_to_it() {
    let (doc, origins) = resolved(
        json!({"components": {"schemas": {
            "Tag": {"allOf": [{"type": "object", "properties": {"name": {"type": "string"}}}]},
            "Pet": {"properties": {"tag": {"$ref": "#/components/schemas/Tag/allOf/0"}}}
        }}}),
        &[],
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Tag allOf 0"]["properties"]["name"]["type"], "string");
    assert_eq!(schemas["Tag"]["allOf"][0]["$ref"], "#/components/schemas/Tag allOf 0");
    assert_eq!(schemas["Pet"]["properties"]["tag"]["$ref"], "#/components/schemas/Tag allOf 0");
    assert_eq!(
        origins.original("#/components/schemas/Tag allOf 0/properties/name"),
        (None, "#/components/schemas/Tag/allOf/0/properties/name".to_owned())
    );
}

#[test]
fn a_response_of_another_path_and_a_chain_of_parameters_are_followed() {
    let (doc, _) = resolved(
        json!({
            "paths": {
                "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
                "/b": {"get": {
                    "parameters": [{"$ref": "#/components/parameters/Alias"}],
                    "responses": {"200": {"$ref": "#/paths/~1a/get/responses/200"}}
                }}
            },
            "components": {"parameters": {
                "Alias": {"$ref": "#/components/parameters/Limit"},
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            }}
        }),
        &[],
    );
    assert_eq!(doc["paths"]["/b"]["get"]["responses"]["200"]["$ref"], "#/components/responses/a get 200");
    assert_eq!(doc["paths"]["/a"]["get"]["responses"]["200"]["$ref"], "#/components/responses/a get 200");
    assert_eq!(doc["components"]["responses"]["a get 200"]["description"], "ok");
    assert_eq!(doc["paths"]["/b"]["get"]["parameters"][0]["$ref"], "#/components/parameters/Limit");
}

#[test]
fn a_reference_through_a_reference_and_into_defs_is_hoisted() {
    let (doc, _) = resolved(
        json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "object", "$defs": {"Id": {"type": "string"}}, "properties": {"c": {"type": "integer"}}},
            "D": {"properties": {
                "c": {"$ref": "#/components/schemas/A/properties/c"},
                "id": {"$ref": "#/components/schemas/B/$defs/Id"}
            }}
        }}}),
        &[],
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["D"]["properties"]["c"]["$ref"], "#/components/schemas/B c");
    assert_eq!(schemas["B c"]["type"], "integer");
    assert_eq!(schemas["D"]["properties"]["id"]["$ref"], "#/components/schemas/B Id");
    assert_eq!(schemas["A"]["$ref"], "#/components/schemas/B");
}

#[test]
fn other_files_are_read_from_the_given_documents_with_their_own_references() {
    let common = "components:\n  schemas:\n    Money:\n      type: object\n      properties:\n        currency: {$ref: '#/components/schemas/Currency'}\n        unit: {$ref: 'units/unit.yaml'}\n    Currency: {type: string}\n";
    let unit = "type: string\nenum: [minor]\n";
    let pets = "get:\n  responses:\n    '200': {description: ok}\n";
    let (doc, origins) = resolved(
        json!({
            "paths": {"/pets": {"$ref": "paths/pets.yaml"}},
            "components": {"schemas": {
                "Money": {"description": "a local schema of the same name"},
                "Price": {"properties": {"amount": {"$ref": "common.yaml#/components/schemas/Money"}}}
            }}
        }),
        &[("common.yaml", common), ("units/unit.yaml", unit), ("paths/pets.yaml", pets)],
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Price"]["properties"]["amount"]["$ref"], "#/components/schemas/Money 2");
    assert_eq!(schemas["Money 2"]["properties"]["currency"]["$ref"], "#/components/schemas/Currency");
    assert_eq!(schemas["Money 2"]["properties"]["unit"]["$ref"], "#/components/schemas/unit");
    assert_eq!(schemas["unit"]["enum"][0], "minor");
    assert_eq!(doc["paths"]["/pets"]["get"]["responses"]["200"]["description"], "ok");
    assert_eq!(
        origins.original("#/components/schemas/Money 2/properties/currency"),
        (Some("common.yaml".to_owned()), "#/components/schemas/Money/properties/currency".to_owned())
    );
}

#[test]
fn cycles_dangling_targets_missing_files_and_urls_are_located() {
    let found = problems(json!({"components": {"schemas": {
        "A": {"properties": {
            "loop": {"$ref": "#/components/schemas/A/properties/loop"},
            "gone": {"$ref": "#/components/schemas/A/properties/nothing"},
            "file": {"$ref": "missing.yaml#/x"},
            "web": {"$ref": "https://example.com/s.json"}
        }}
    }}}));
    let at = |p: &str| format!("#/components/schemas/A/properties/{p}/$ref");
    assert_eq!(
        found,
        [
            (at("loop"), "$ref `#/components/schemas/A/properties/loop` is part of a cycle of references that never reaches a value".to_owned()),
            (at("gone"), "$ref `#/components/schemas/A/properties/nothing` points to nothing: there is no `#/components/schemas/A/properties/nothing`".to_owned()),
            (at("file"), "the file `missing.yaml` that this $ref names was not found beside the spec".to_owned()),
            (at("web"), "$ref `https://example.com/s.json` cannot be followed: only JSON pointers into this document or into files beside it are".to_owned()),
        ]
    );
}

#[test]
fn recursive_schemas_through_parts_resolve() {
    let (doc, _) = resolved(
        json!({"components": {"schemas": {
            "Node": {"properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node/properties/child"}},
                "child": {"type": "object", "properties": {"parent": {"$ref": "#/components/schemas/Node"}}}
            }}
        }}}),
        &[],
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Node child"]["properties"]["parent"]["$ref"], "#/components/schemas/Node");
    assert_eq!(schemas["Node"]["properties"]["children"]["items"]["$ref"], "#/components/schemas/Node child");
}

#[test]
fn names_the_external_files_relative_to_the_spec() {
    let text = "paths:\n  /a: {$ref: 'paths/a.yaml'}\ncomponents:\n  schemas:\n    X: {$ref: 'common.yaml#/X'}\n    Y: {$ref: '#/components/schemas/X'}\n";
    assert_eq!(external_files(text, None).into_iter().collect::<Vec<_>>(), ["common.yaml", "paths/a.yaml"]);
    assert_eq!(
        external_files("a: {$ref: '../common.yaml#/b'}\nc: {$ref: '#/d'}\n", Some("paths/a.yaml"))
            .into_iter()
            .collect::<Vec<_>>(),
        ["common.yaml"]
    );
}

#[test]
fn a_quick_look_settles_only_documents_whose_refs_all_stay_inside() {
    use super::only_local_refs;
    assert!(only_local_refs("a: {$ref: '#/b'}\nc:\n  $ref:  \"#/d\"\n"));
    assert!(only_local_refs(r##"{"a": {"$ref" : "#/b"}}"##));
    assert!(only_local_refs("openapi: 3.0.3\n"));
    // Anything else is read in full, and the reading finds the other files, if any.
    for text in [
        "a: {$ref: 'common.yaml#/b'}\n",
        "a:\n  $ref: >-\n    #/b\n",
        "description: use $ref to point elsewhere\n",
        "a: {\"\\u0024ref\": \"common.yaml\"}\n",
    ] {
        assert!(!only_local_refs(text), "{text}");
    }
    assert_eq!(
        external_files("a:\n  \"\\x24ref\": common.yaml#/b\n", None).into_iter().collect::<Vec<_>>(),
        ["common.yaml"]
    );
}
