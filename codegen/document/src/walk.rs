//! A depth-first walk over a document that tracks each node's pointer.
//!
//! Members that hold instance data rather than document structure are
//! reported as [`Node::Data`] and not descended into: `example`, `default`,
//! `enum`, `const`, an `examples` array (JSON Schema's) and the `value` of an
//! Example Object. A `$ref` key inside them is part of the data. An `examples`
//! map is structure: its entries are Example Objects or Reference Objects.

use crate::pointer::Pointer;
use serde_json::Value;

/// The members whose values are data, not OpenAPI objects.
pub const DATA_MEMBERS: &[&str] = &["example", "default", "enum", "const"];

/// What the walk found at a pointer.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    /// A JSON object or array of the document (descended into unless the
    /// visitor says [`Visit::Skip`]).
    Structure(&'a Value),
    /// The value of a data member (never descended into).
    Data(&'a Value),
    /// A `$ref` string (the pointer names the `$ref` member itself).
    Reference(&'a str),
}

/// The visitor's answer for a structural node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    Descend,
    Skip,
}

/// Calls `visit` for every node under `value` (which sits at `at`), parents
/// before children, members in document order. `key` is the member name or
/// index the node sits under (`""` for `value` itself).
pub fn walk<'a>(
    value: &'a Value,
    at: &mut Pointer,
    visit: &mut dyn FnMut(&Pointer, &str, Node<'a>) -> Visit,
) {
    walk_under(value, "", at, visit);
}

fn walk_under<'a>(
    value: &'a Value,
    key: &str,
    at: &mut Pointer,
    visit: &mut dyn FnMut(&Pointer, &str, Node<'a>) -> Visit,
) {
    if !matches!(value, Value::Object(_) | Value::Array(_)) {
        return;
    }
    if visit(at, key, Node::Structure(value)) == Visit::Skip {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                at.push(k);
                if k == "$ref" {
                    if let Value::String(target) = v {
                        visit(at, k, Node::Reference(target));
                    }
                } else if is_data(k, v, at) {
                    visit(at, k, Node::Data(v));
                } else {
                    walk_under(v, k, at, visit);
                }
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let k = i.to_string();
                at.push(&k);
                walk_under(v, &k, at, visit);
                at.pop();
            }
        }
        _ => {}
    }
}

fn is_data(key: &str, value: &Value, at: &Pointer) -> bool {
    if is_schema_map_key(at) {
        return false;
    }
    match key {
        "examples" => value.is_array(),
        "value" => {
            let segments: Vec<_> = at.segments().collect();
            segments.len() >= 3 && segments[segments.len() - 3] == "examples"
        }
        _ => DATA_MEMBERS.contains(&key),
    }
}

/// A member named like a data keyword that is really a name: a property,
/// schema, response or other map entry called `example` or `default`
/// (`properties/default`, `components/schemas/examples`, `responses/default`).
fn is_schema_map_key(at: &Pointer) -> bool {
    let segments: Vec<_> = at.segments().collect();
    let parent = segments.len().checked_sub(2).map(|i| segments[i].as_ref());
    matches!(
        parent,
        Some(
            "properties"
                | "schemas"
                | "responses"
                | "parameters"
                | "headers"
                | "securitySchemes"
                | "requestBodies"
                | "links"
                | "callbacks"
                | "patternProperties"
                | "definitions"
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_in_examples_are_data_and_names_like_keywords_are_structure() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {
                "default": {"$ref": "#/components/responses/E"},
                "200": {"content": {"application/json": {
                    "schema": {"properties": {"default": {"$ref": "#/components/schemas/D"}}},
                    "example": {"$ref": "not a reference"},
                    "examples": {"one": {"$ref": "#/components/examples/One"}, "two": {"value": {"$ref": "data"}}}
                }}}
            }}}}
        });
        let mut refs = Vec::new();
        let mut data = Vec::new();
        walk(&doc, &mut Pointer::root(), &mut |at, _, node| {
            match node {
                Node::Reference(target) => refs.push((at.to_string(), target.to_owned())),
                Node::Data(_) => data.push(at.to_string()),
                Node::Structure(_) => {}
            }
            Visit::Descend
        });
        assert_eq!(
            refs,
            [
                (
                    "/paths/~1a/get/responses/default/$ref".to_owned(),
                    "#/components/responses/E".to_owned()
                ),
                (
                    "/paths/~1a/get/responses/200/content/application~1json/schema/properties/default/$ref".to_owned(),
                    "#/components/schemas/D".to_owned()
                ),
                (
                    "/paths/~1a/get/responses/200/content/application~1json/examples/one/$ref".to_owned(),
                    "#/components/examples/One".to_owned()
                ),
            ]
        );
        assert_eq!(
            data,
            [
                "/paths/~1a/get/responses/200/content/application~1json/example",
                "/paths/~1a/get/responses/200/content/application~1json/examples/two/value"
            ]
        );
    }
}
