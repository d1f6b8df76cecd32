//! Schema Objects (<https://spec.openapis.org/oas/v3.0.3#schema-object>): where
//! they are in a document and which of their members are schemas again.

use crate::pointer::Pointer;
use crate::walk::{walk, Node, Visit};
use serde_json::Value;

/// Members whose value is one schema.
pub const SCHEMA_MEMBERS: &[&str] = &["items", "not", "additionalProperties"];
/// Members whose value is a list of schemas.
pub const SCHEMA_LIST_MEMBERS: &[&str] = &["allOf", "oneOf", "anyOf"];
/// Members whose value maps names to schemas.
pub const SCHEMA_MAP_MEMBERS: &[&str] = &["properties"];

/// The direct subschemas of `schema`, each with the segments leading to it
/// (`["items"]`, `["allOf", "0"]`, `["properties", "name"]`). A `$ref` is not
/// followed; `additionalProperties: true` is not a schema object.
pub fn subschemas(schema: &Value) -> Vec<(Vec<String>, &Value)> {
    let mut out = Vec::new();
    let Some(map) = schema.as_object() else {
        return out;
    };
    for (key, value) in map {
        let key_str = key.as_str();
        if SCHEMA_MEMBERS.contains(&key_str) && value.is_object() {
            out.push((vec![key.clone()], value));
        } else if SCHEMA_LIST_MEMBERS.contains(&key_str) {
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                out.push((vec![key.clone(), i.to_string()], item));
            }
        } else if SCHEMA_MAP_MEMBERS.contains(&key_str) {
            for (name, item) in value.as_object().into_iter().flatten() {
                out.push((vec![key.clone(), name.clone()], item));
            }
        }
    }
    out
}

/// Calls `visit` for every Schema Object written in the document, parents
/// before their subschemas: the component schemas and every `schema` member
/// (of parameters, media types, headers), not inside example data. A `$ref`
/// is visited where it is written, not followed.
pub fn for_each_schema(root: &Value, visit: &mut dyn FnMut(&Pointer, &Value)) {
    walk(root, &mut Pointer::root(), &mut |at, key, node| {
        let Node::Structure(value) = node else {
            return Visit::Descend;
        };
        if is_schema_root(at, key) {
            let mut at = at.clone();
            schema_tree(value, &mut at, visit);
            return Visit::Skip;
        }
        Visit::Descend
    });
}

/// The pointers of the outermost Schema Objects only (component schemas and
/// `schema` members), in document order: a change to each reaches all.
pub fn schema_roots(root: &Value) -> Vec<Pointer> {
    let mut out = Vec::new();
    walk(root, &mut Pointer::root(), &mut |at, key, node| {
        if matches!(node, Node::Structure(_)) && is_schema_root(at, key) {
            out.push(at.clone());
            return Visit::Skip;
        }
        Visit::Descend
    });
    out
}

fn is_schema_root(at: &Pointer, key: &str) -> bool {
    if key == "schema" {
        return true;
    }
    let segments: Vec<_> = at.segments().collect();
    segments.len() == 3 && segments[0] == "components" && segments[1] == "schemas"
}

fn schema_tree(schema: &Value, at: &mut Pointer, visit: &mut dyn FnMut(&Pointer, &Value)) {
    visit(at, schema);
    for (segments, child) in subschemas(schema) {
        for s in &segments {
            at.push(s);
        }
        schema_tree(child, at, visit);
        for _ in &segments {
            at.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_schema_is_visited_once_and_example_data_is_not() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                    "example": {"schema": {"type": "not a schema"}}
                }}}}
            }}},
            "components": {"schemas": {"A": {
                "properties": {"type": {"type": "string"}, "schema": {"allOf": [{"type": "object"}]}},
                "additionalProperties": true,
                "discriminator": {"propertyName": "type", "mapping": {"type": "#/x"}}
            }}}
        });
        let mut seen = Vec::new();
        for_each_schema(&doc, &mut |at, _| seen.push(at.to_string()));
        assert_eq!(
            seen,
            [
                "/paths/~1a/get/parameters/0/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema/items",
                "/components/schemas/A",
                "/components/schemas/A/properties/type",
                "/components/schemas/A/properties/schema",
                "/components/schemas/A/properties/schema/allOf/0",
            ]
        );
    }
}
