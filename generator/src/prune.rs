//! Between parsing and lowering: the plain tree cut down to what lowering reads from it, so
//! that `generate` does not hold the whole document twice (as a tree and as openapiv3 types)
//! while it lowers. Peak memory is highest then.

use serde_json::Value;

/// Root keys kept whole: webhooks are read from the tree, not from openapiv3's document.
const KEPT_WHOLE: [&str; 2] = ["webhooks", "x-webhooks"];

/// Cuts `tree` down, in place, to what lowering reads from it besides openapiv3's document:
/// the webhook sections whole; the `description` beside a `$ref` (openapiv3 drops it); and every
/// `explode` (openapiv3 reads a missing one as `false`, so whether it was written is read from
/// the tree). Everything else goes. Every kept value stays at its JSON pointer: an array keeps
/// its length, with `null` where an element had nothing to keep.
pub fn for_lowering(tree: &mut Value) {
    if let Value::Object(root) = tree {
        root.retain(|key, value| KEPT_WHOLE.contains(&key.as_str()) || keep(value));
    }
}

/// Prunes `value` and says whether anything is left of it.
fn keep(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => {
            let (is_reference, before) = (map.contains_key("$ref"), map.len());
            map.retain(|key, child| match key.as_str() {
                "explode" => true,
                "$ref" | "description" if is_reference => true,
                _ => keep(child),
            });
            if map.len() < before {
                // A map keeps its room after `retain`; rebuilt, it takes only what is left.
                *map = std::mem::take(map).into_iter().collect();
            }
            !map.is_empty()
        }
        Value::Array(items) => {
            let mut any = false;
            for item in items.iter_mut() {
                if keep(item) {
                    any = true;
                } else {
                    *item = Value::Null;
                }
            }
            any
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn keeps_reference_descriptions_explode_and_webhooks_at_their_pointers() {
        let mut tree = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "description": "About.", "version": "1"},
            "paths": {"/a": {"post": {
                "description": "Posts.",
                "requestBody": {"content": {"application/x-www-form-urlencoded": {
                    "schema": {"type": "object"},
                    "encoding": {"tags": {"style": "form", "explode": false}, "b": {"contentType": "text/plain"}}
                }}}
            }}},
            "components": {"schemas": {"A": {
                "description": "An A.",
                "properties": {
                    "b": {"$ref": "#/components/schemas/B", "description": "The B."},
                    "c": {"type": "string", "description": "A C."}
                },
                "allOf": [{"type": "object"}, {"$ref": "#/components/schemas/B", "description": "Second."}]
            }}},
            "x-webhooks": {"hook": {"post": {"description": "Kept whole."}}}
        });
        super::for_lowering(&mut tree);
        assert_eq!(
            tree,
            json!({
                "paths": {"/a": {"post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {
                    "encoding": {"tags": {"explode": false}}
                }}}}}},
                "components": {"schemas": {"A": {
                    "properties": {"b": {"$ref": "#/components/schemas/B", "description": "The B."}},
                    "allOf": [null, {"$ref": "#/components/schemas/B", "description": "Second."}]
                }}},
                "x-webhooks": {"hook": {"post": {"description": "Kept whole."}}}
            })
        );
        assert_eq!(tree.pointer("/components/schemas/A/allOf/1/description"), Some(&json!("Second.")));
    }

    /// Lowering reads the same from the cut-down tree as from the whole one: the IR is equal.
    #[test]
    fn lowering_the_pruned_tree_gives_the_same_api() {
        let spec = r##"
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {tags: {type: array, items: {type: string}}}}
            encoding: {tags: {style: form, explode: false}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner', description: The one who feeds it.}
        friends: {type: array, items: {$ref: '#/components/schemas/Owner', description: A friend.}}
    Owner: {type: object, properties: {name: {type: string}}}
webhooks:
  petAdopted:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses: {'200': {description: ok}}
"##;
        let documents = Default::default();
        for spec in [spec, include_str!("../../spec/plexy.yaml")] {
            let whole = crate::lower_spec(spec, "t.yaml", &documents, crate::Tree::Keep).unwrap().0;
            let pruned = crate::lower_spec(spec, "t.yaml", &documents, crate::Tree::Drop).unwrap().0;
            assert_eq!(whole.api, pruned.api);
            assert_eq!(whole.warnings, pruned.warnings);
        }
    }
}
