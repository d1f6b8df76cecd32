//! Conversions of OpenAPI 3.0 Schema Objects into the JSON Schema dialects the
//! outputs need:
//! - [`to_json_schema`]: JSON Schema as schemars/typify and the jsonschema
//!   validator read it (draft 7 keywords; OpenAPI's `nullable` becomes a `null`
//!   type; `#/components/schemas/X` becomes `#/definitions/X`);
//! - [`to_apigateway_model`]: the draft-4 subset API Gateway's REST import accepts
//!   (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis>).

use openapi_document::{walk, Node, Pointer, Visit};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Keywords that only document, never constrain, and that typify or the
/// validator would otherwise trip over.
const DOC_ONLY: &[&str] = &[
    "example",
    "examples",
    "discriminator",
    "xml",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Keywords whose value is a schema.
const SCHEMA_VALUED: &[&str] = &["items", "not", "additionalProperties"];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf"];

/// OpenAPI schema → JSON Schema with definitions under `#/definitions`.
pub fn to_json_schema(schema: &Value) -> Value {
    convert(
        schema,
        &|here, key, value, out| match key {
            "nullable" | "x-nullable" => {}
            "exclusiveMinimum" | "exclusiveMaximum" => {
                // OpenAPI 3.0 (draft 4) has boolean exclusivity modifying
                // minimum/maximum; later drafts carry the bound itself.
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                if value == &Value::Bool(true) {
                    if let Some(b) = here.get(bound) {
                        out.insert(key.to_owned(), b.clone());
                        out.remove(bound);
                    }
                }
            }
            "minimum" | "maximum" => {
                let modifier = if key == "minimum" {
                    "exclusiveMinimum"
                } else {
                    "exclusiveMaximum"
                };
                if here.get(modifier) != Some(&Value::Bool(true)) {
                    out.insert(key.to_owned(), value.clone());
                }
            }
            k if DOC_ONLY.contains(&k) || k.starts_with("x-") => {}
            k => {
                out.insert(k.to_owned(), value.clone());
            }
        },
        Dialect::JsonSchema,
    )
}

/// OpenAPI schema → API Gateway model (JSON Schema draft 4 without the keywords
/// API Gateway rejects or ignores: `example`, `discriminator`, `readOnly`,
/// `default`, `exclusiveMinimum`/`exclusiveMaximum`, int32/int64/float/double formats).
pub fn to_apigateway_model(schema: &Value) -> Value {
    convert(
        schema,
        &|_, key, value, out| match key {
            "nullable" | "x-nullable" | "default" | "exclusiveMinimum" | "exclusiveMaximum" => {}
            "format" if matches!(value.as_str(), Some("int32" | "int64" | "float" | "double")) => {}
            k if DOC_ONLY.contains(&k) || k.starts_with("x-") => {}
            k => {
                out.insert(k.to_owned(), value.clone());
            }
        },
        Dialect::ApiGateway,
    )
}

/// Which JSON Schema a conversion writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// Draft 7+ keywords, refs under `#/definitions`, `null` as a type.
    JsonSchema,
    /// API Gateway's draft-4 models inside an OpenAPI 3.0 document, where
    /// `type` must be a single string.
    ApiGateway,
}

/// How one keyword of a schema object is written: the object it belongs to,
/// the keyword, its value, and the object being built.
type KeywordRule<'a> = dyn Fn(&Map<String, Value>, &str, &Value, &mut Map<String, Value>) + 'a;

fn convert(schema: &Value, rule: &KeywordRule<'_>, dialect: Dialect) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "$ref" => {
                let target = value.as_str().unwrap_or_default();
                let target = if dialect == Dialect::JsonSchema {
                    target.replacen("#/components/schemas/", "#/definitions/", 1)
                } else {
                    target.to_owned()
                };
                out.insert(key.clone(), Value::String(target));
            }
            "properties" => {
                let props = value
                    .as_object()
                    .map(|p| {
                        p.iter()
                            .map(|(k, v)| (k.clone(), convert_with(v, rule, dialect)))
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Object(props));
            }
            k if SCHEMA_VALUED.contains(&k) && value.is_object() => {
                out.insert(key.clone(), convert_with(value, rule, dialect));
            }
            k if SCHEMA_LISTS.contains(&k) => {
                let list = value
                    .as_array()
                    .map(|l| l.iter().map(|v| convert_with(v, rule, dialect)).collect())
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Array(list));
            }
            _ => rule(map, key, value, &mut out),
        }
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        match dialect {
            Dialect::JsonSchema => make_nullable(&mut out),
            Dialect::ApiGateway => make_nullable_untyped(&mut out),
        }
    }
    Value::Object(out)
}

fn convert_with(schema: &Value, rule: &KeywordRule<'_>, dialect: Dialect) -> Value {
    convert(schema, rule, dialect)
}

/// `nullable: true` → `null` joins the allowed types (and the enum, if any).
fn make_nullable(out: &mut Map<String, Value>) {
    match out.get("type").cloned() {
        Some(Value::String(t)) => {
            out.insert(
                "type".into(),
                Value::Array(vec![Value::String(t), Value::String("null".into())]),
            );
            if let Some(Value::Array(values)) = out.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
        }
        Some(_) => {}
        None => {
            let inner = Value::Object(std::mem::take(out));
            out.insert(
                "anyOf".into(),
                Value::Array(vec![inner, serde_json::json!({ "type": "null" })]),
            );
        }
    }
}

/// `nullable: true` for API Gateway: OpenAPI 3.0 forbids a type list and the
/// draft-4 model ignores `nullable`, so the gateway checks the remaining
/// constraints (which apply to their own type only) and lets `null` through;
/// the generated adapter still checks the type fully.
fn make_nullable_untyped(out: &mut Map<String, Value>) {
    if out.remove("type").is_some() {
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
    }
}

/// Whether the OpenAPI schema admits `null`.
pub fn is_nullable(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
}

/// Names of the component schemas `schema` needs, transitively.
pub fn referenced_components(schema: &Value, components: &Map<String, Value>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![schema.clone()];
    while let Some(next) = todo.pop() {
        walk(&next, &mut Pointer::root(), &mut |_, _, node| {
            if let Node::Reference(target) = node {
                if let Some(name) = target.strip_prefix("#/components/schemas/") {
                    if seen.insert(name.to_owned()) {
                        if let Some(s) = components.get(name) {
                            todo.push(s.clone());
                        }
                    }
                }
            }
            Visit::Descend
        });
    }
    seen
}

/// A self-contained JSON Schema for validating `schema` (its referenced
/// components embedded under `definitions`).
pub fn standalone_json_schema(schema: &Value, components: &Map<String, Value>) -> Value {
    let mut root = match to_json_schema(schema) {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("allOf".into(), Value::Array(vec![other]));
            m
        }
    };
    let names = referenced_components(schema, components);
    if !names.is_empty() {
        let defs = names
            .iter()
            .filter_map(|n| components.get(n).map(|s| (n.clone(), to_json_schema(s))))
            .collect::<Map<_, _>>();
        root.insert("definitions".into(), Value::Object(defs));
    }
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_becomes_a_null_type_and_refs_move_to_definitions() {
        let s = json!({"type": "object", "properties": {
            "a": {"type": "string", "nullable": true, "example": "x"},
            "b": {"$ref": "#/components/schemas/B"}}});
        assert_eq!(
            to_json_schema(&s),
            json!({"type": "object", "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"$ref": "#/definitions/B"}}})
        );
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let s = json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(
            to_json_schema(&s),
            json!({"type": "integer", "exclusiveMinimum": 0})
        );
    }

    #[test]
    fn apigateway_models_drop_unsupported_keywords() {
        let s = json!({"type": "integer", "format": "int64", "default": 3, "readOnly": true, "minimum": 1});
        let nullable = json!({"type": "string", "nullable": true, "pattern": "^a$", "enum": ["a"]});
        assert_eq!(
            to_apigateway_model(&nullable),
            json!({"pattern": "^a$", "enum": ["a", null]}),
            "no type list in OpenAPI 3.0"
        );
        assert_eq!(
            to_apigateway_model(&s),
            json!({"type": "integer", "minimum": 1})
        );
    }
}
