//! Stage 1, parse: read the spec file, refuse what is not well-formed OpenAPI 3.0,
//! and keep both the raw JSON tree (for pointers and for emitters that copy the
//! document) and the typed `openapiv3` model.

use crate::diagnostics::{pointer, Diagnostic};
use openapiv3::OpenAPI;
use serde_json::Value;
use std::path::Path;

/// API Gateway's REST import limit on the document size.
/// <https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html>
pub const MAX_DOCUMENT_BYTES: usize = 6 * 1024 * 1024;

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name used in every diagnostic.
    pub file: String,
    /// The document as JSON, keys in source order.
    pub raw: Value,
    /// The typed model.
    pub openapi: OpenAPI,
}

impl Spec {
    /// Resolves a local `$ref` (`#/a/b`) in the raw document.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        reference.strip_prefix('#').and_then(|p| self.raw.pointer(p))
    }
}

/// Reads and parses a spec file. Every refusal names the file and a pointer.
pub fn load(path: &Path) -> Result<Spec, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(&file, "", format!("cannot read the file ({e})"), "check the path and that the file is UTF-8 text")]
    })?;
    parse(&file, &text)
}

/// Parses spec text (YAML or JSON) named `file`.
pub fn parse(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(vec![Diagnostic::error(
            file,
            "",
            format!("the document is {} bytes; API Gateway imports at most 6 MB", text.len()),
            "split the API or move large examples out of the spec",
        )]);
    }
    // serde_yaml::Value refuses duplicate keys, which serde_json::Value would
    // silently collapse to the last one.
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e.location().map(|l| format!(" at line {}, column {}", l.line(), l.column())).unwrap_or_default();
        let fix = if e.to_string().contains("duplicate") {
            "remove or rename the repeated key"
        } else {
            "fix the YAML/JSON syntax"
        };
        vec![Diagnostic::error(file, "", format!("not valid YAML{at}: {e}"), fix)]
    })?;
    let raw = yaml_to_json(file, &yaml, "")?;
    check_version(file, &raw)?;
    let openapi: OpenAPI = serde_path_to_error::deserialize(raw.clone()).map_err(|e| {
        let path = e.path().to_string();
        let segments: Vec<String> = if path == "." {
            Vec::new()
        } else {
            split_serde_path(&path)
        };
        vec![Diagnostic::error(
            file,
            pointer(&segments),
            format!("not valid OpenAPI 3.0: {}", e.inner()),
            "correct this object against the OpenAPI 3.0.3 specification (https://spec.openapis.org/oas/v3.0.3)",
        )]
    })?;
    let spec = Spec { file: file.to_owned(), raw, openapi };
    let broken = unresolved_refs(&spec);
    if broken.is_empty() {
        Ok(spec)
    } else {
        Err(broken)
    }
}

/// serde_path_to_error paths look like `paths./a.get.responses.200`; map keys that
/// contain dots come through unquoted, so rebuild segments against the document.
fn split_serde_path(path: &str) -> Vec<String> {
    path.split('.').filter(|s| !s.is_empty() && *s != "?").map(|s| s.trim_matches(['[', ']']).to_owned()).collect()
}

fn yaml_to_json(file: &str, value: &serde_yaml::Value, at: &str) -> Result<Value, Vec<Diagnostic>> {
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
                n.as_f64().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => Value::Array(
            items.iter().enumerate().map(|(i, v)| yaml_to_json(file, v, &format!("{at}/{i}"))).collect::<Result<_, _>>()?,
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
                        return Err(vec![Diagnostic::error(file, at, "a mapping key is not a string", "use plain string keys")]);
                    }
                };
                let child = format!("{at}{}", pointer([&key]));
                out.insert(key, yaml_to_json(file, v, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(file, &tagged.value, at)?,
    })
}

fn check_version(file: &str, raw: &Value) -> Result<(), Vec<Diagnostic>> {
    let Some(obj) = raw.as_object() else {
        return Err(vec![Diagnostic::error(file, "", "the document is not an object", "start from an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)")]);
    };
    if obj.contains_key("swagger") {
        return Err(vec![Diagnostic::error(
            file,
            "/swagger",
            "Swagger/OpenAPI 2.0 is not supported",
            "convert the document to OpenAPI 3.0.3 (for example with swagger2openapi) and set `openapi: 3.0.3`",
        )]);
    }
    match obj.get("openapi") {
        None => Err(vec![Diagnostic::error(file, "/openapi", "the `openapi` version field is missing", "add `openapi: 3.0.3` at the top")]),
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(()),
        Some(Value::String(v)) if v.starts_with("3.1") => Err(vec![Diagnostic::error(
            file,
            "/openapi",
            format!("OpenAPI {v} is not supported: API Gateway REST imports only OpenAPI 2.0 and 3.0"),
            "write the document as OpenAPI 3.0.3 (`nullable: true` instead of type arrays, no `webhooks`)",
        )]),
        Some(other) => Err(vec![Diagnostic::error(
            file,
            "/openapi",
            format!("unsupported OpenAPI version {other}"),
            "set `openapi: 3.0.3` (a quoted string)",
        )]),
    }
}

/// Every `$ref` must be local (`#/...`) and point at something that exists.
fn unresolved_refs(spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk_refs(&spec.raw, "", &mut |at, reference| {
        if !reference.starts_with("#/") {
            out.push(Diagnostic::error(
                &spec.file,
                at,
                format!("`$ref: {reference}` is not a local reference"),
                "inline the referenced definition into this document under #/components",
            ));
        } else if spec.resolve(reference).is_none() {
            out.push(Diagnostic::error(
                &spec.file,
                at,
                format!("`$ref: {reference}` points at nothing"),
                "define the target under #/components or correct the reference",
            ));
        }
    });
    out
}

/// Calls `f(pointer_of_ref, target)` for each `$ref` in the tree.
pub fn walk_refs(value: &Value, at: &str, f: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}{}", pointer([k]));
                if k == "$ref" {
                    if let Value::String(target) = v {
                        f(&child, target);
                    }
                } else {
                    walk_refs(v, &child, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_refs(v, &format!("{at}/{i}"), f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        match parse("t.yaml", text) {
            Ok(_) => panic!("expected a refusal"),
            Err(mut d) => d.remove(0),
        }
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let d = err("openapi: 3.0.3\nopenapi: 3.0.3\n");
        assert!(d.problem.contains("duplicate"), "{d}");
    }

    #[test]
    fn version_31_is_refused_at_the_version_field() {
        let d = err("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(d.pointer, "/openapi");
    }

    #[test]
    fn integer_response_keys_become_strings() {
        let s = parse("t.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n").unwrap();
        assert!(s.raw.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn dangling_refs_are_refused_with_their_pointer() {
        let d = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n");
        assert_eq!(d.pointer, "/components/schemas/A/$ref");
    }
}
