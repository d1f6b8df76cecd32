//! Local references (`$ref: '#/components/...'`,
//! <https://spec.openapis.org/oas/v3.0.3#reference-object>). Only the
//! fragment form is resolved here; multi-file documents are bundled into one
//! before anything reads them.

use serde_json::Value;

/// How many `$ref`s in a row [`deref`] follows before giving up: a chain
/// longer than this is a cycle in any document seen in practice.
pub const MAX_CHAIN: usize = 32;

/// The value a local reference (`#/a/b`) names in `root`.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() {
        return Some(root);
    }
    // `#/a%20b` is the URI form of the pointer `/a b` (RFC 6901 section 6).
    if fragment.contains('%') {
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        return root.pointer(&decoded);
    }
    root.pointer(fragment)
}

/// `value`, or what its `$ref` chain leads to (the last object that is not a
/// reference; `value` itself when a link is broken or the chain cycles).
pub fn deref<'a>(root: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..MAX_CHAIN {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return current;
        };
        match resolve(root, reference) {
            Some(next) => current = next,
            None => return current,
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chains_are_followed_and_cycles_stop() {
        let doc = json!({
            "components": {"parameters": {
                "A": {"$ref": "#/components/parameters/B"},
                "B": {"name": "b", "in": "query"},
                "C": {"$ref": "#/components/parameters/D"},
                "D": {"$ref": "#/components/parameters/C"},
            }}
        });
        let a = json!({"$ref": "#/components/parameters/A"});
        assert_eq!(deref(&doc, &a)["name"], "b");
        let c = json!({"$ref": "#/components/parameters/C"});
        assert_eq!(deref(&doc, &c), &c, "a cycle gives the value back");
        let broken = json!({"$ref": "#/nowhere"});
        assert_eq!(deref(&doc, &broken), &broken);
    }

    #[test]
    fn uri_fragments_are_percent_decoded() {
        let doc = json!({"components": {"schemas": {"a b": {"type": "string"}}}});
        assert!(resolve(&doc, "#/components/schemas/a%20b").is_some());
        assert!(resolve(&doc, "other.yaml#/x").is_none());
    }
}
