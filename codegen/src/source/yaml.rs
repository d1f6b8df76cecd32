//! YAML 1.2 (a superset of JSON) to a JSON tree, keys in source order.

use crate::diagnostics::Diagnostic;
use openapi_document::child;
use serde_json::Value;

/// Converts a parsed YAML document; `at` is the pointer of `value`.
pub(super) fn yaml_to_json(
    file: &str,
    value: &serde_yaml::Value,
    at: &str,
) -> Result<Value, Vec<Diagnostic>> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(file, v, &child(at, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                // YAML lets `200:` be an integer key; OpenAPI means the string "200".
                let key = match k {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    _ => {
                        return Err(vec![Diagnostic::error(
                            file,
                            at,
                            "a mapping key is not a string",
                            "use plain string keys",
                        )]);
                    }
                };
                let at_key = child(at, &key);
                out.insert(key, yaml_to_json(file, v, &at_key)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(file, &tagged.value, at)?,
    })
}
