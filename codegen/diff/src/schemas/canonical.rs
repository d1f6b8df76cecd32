//! A canonical text of a piece of document: keys sorted, prose and `x-`
//! extensions dropped, so that two pieces that differ only in key order,
//! descriptions or examples have the same fingerprint.

use serde_json::Value;
use std::fmt::Write;

/// Members that only document.
pub(crate) const PROSE: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "xml",
    "$comment",
    "tags",
];

/// Members whose keys are names chosen by the author (a property called
/// `description` is not prose).
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "parameters",
    "responses",
    "headers",
    "securitySchemes",
    "requestBodies",
    "links",
    "callbacks",
    "content",
    "encoding",
    "paths",
    "webhooks",
    "mapping",
];

/// Members whose values are data: kept as they are.
const DATA: &[&str] = &["const", "default"];

/// Members whose values are sets written as arrays: order does not count.
const SETS: &[&str] = &["enum", "required", "type"];

/// The canonical text of `value`.
pub(crate) fn fingerprint(value: &Value) -> String {
    let mut out = String::new();
    write(value, false, &mut out);
    out
}

fn write(value: &Value, names: bool, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map
                .keys()
                .filter(|k| names || !(PROSE.contains(&k.as_str()) || k.starts_with("x-")))
                .collect();
            keys.sort();
            out.push('{');
            for key in keys {
                let _ = write!(out, "{key:?}:");
                if DATA.contains(&key.as_str()) && !names {
                    let _ = write!(out, "{}", map[key]);
                } else if let (false, true, Value::Array(items)) =
                    (names, SETS.contains(&key.as_str()), &map[key])
                {
                    let mut items: Vec<String> = items.iter().map(Value::to_string).collect();
                    items.sort();
                    let _ = write!(out, "[{}]", items.join(","));
                } else {
                    write(&map[key], !names && NAME_MAPS.contains(&key.as_str()), out);
                }
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                write(item, false, out);
                out.push(',');
            }
            out.push(']');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_prose_do_not_count_but_names_and_data_do() {
        let a = json!({"type": "object", "description": "x", "properties": {"description": {"type": "string"}}});
        let b = json!({"properties": {"description": {"type": "string", "example": "y"}}, "type": "object"});
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let c = json!({"type": "object", "properties": {"summary": {"type": "string"}}});
        assert_ne!(fingerprint(&a), fingerprint(&c));
        assert_eq!(
            fingerprint(&json!({"enum": ["a", "b"]})),
            fingerprint(&json!({"enum": ["b", "a"]}))
        );
        assert_ne!(
            fingerprint(&json!({"enum": ["a", "b"]})),
            fingerprint(&json!({"enum": ["a"]}))
        );
    }
}
