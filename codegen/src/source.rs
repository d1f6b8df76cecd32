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
        reference
            .strip_prefix('#')
            .and_then(|p| self.raw.pointer(p))
    }
}

/// Reads and parses a spec file. Every refusal names the file and a pointer.
pub fn load(path: &Path) -> Result<Spec, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            &file,
            "",
            format!("cannot read the file ({e})"),
            "check the path and that the file is UTF-8 text",
        )]
    })?;
    parse(&file, &text)
}

/// Parses spec text (YAML or JSON) named `file`.
pub fn parse(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(vec![Diagnostic::error(
            file,
            "",
            format!(
                "the document is {} bytes; API Gateway imports at most 6 MB",
                text.len()
            ),
            "split the API or move large examples out of the spec",
        )]);
    }
    // serde_yaml::Value refuses duplicate keys, which serde_json::Value would
    // silently collapse to the last one.
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        let fix = if e.to_string().contains("duplicate") {
            "remove or rename the repeated key"
        } else {
            "fix the YAML/JSON syntax"
        };
        vec![Diagnostic::error(
            file,
            "",
            format!("not valid YAML{at}: {e}"),
            fix,
        )]
    })?;
    let raw = yaml_to_json(file, &yaml, "")?;
    check_version(file, &raw)?;
    let openapi: OpenAPI = serde_path_to_error::deserialize(raw.clone()).map_err(|e| {
        let (segments, message) = locate(&raw, segments(e.path()), e.inner().to_string());
        vec![not_openapi(file, segments, message)]
    })?;
    let spec = Spec {
        file: file.to_owned(),
        raw,
        openapi,
    };
    let broken = unresolved_refs(&spec);
    if broken.is_empty() {
        Ok(spec)
    } else {
        Err(broken)
    }
}

/// The segments of a serde_path_to_error path. Its `Display` form
/// (`paths./v1.0/pets.get`, `servers[0].url`) cannot be split back into keys
/// when keys contain dots or brackets, so read the structured segments.
fn segments(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

/// The refusal for a document that does not deserialize as OpenAPI 3.0.
fn not_openapi(file: &str, mut segments: Vec<String>, message: String) -> Diagnostic {
    const SPEC: &str = "https://spec.openapis.org/oas/v3.0.3";
    // serde reports a missing member at its parent object; point at the member
    // itself (RFC 6901 allows pointers to absent members), as for `/openapi`.
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned);
    match missing {
        Some(field) => {
            segments.push(field.clone());
            Diagnostic::error(
                file,
                pointer(&segments),
                format!("not valid OpenAPI 3.0: {message}"),
                format!("add the required `{field}` member ({SPEC})"),
            )
        }
        None => Diagnostic::error(
            file,
            pointer(&segments),
            format!("not valid OpenAPI 3.0: {message}"),
            format!("correct this object against the OpenAPI 3.0.3 specification ({SPEC})"),
        ),
    }
}

/// The OpenAPI objects whose errors serde cannot place: they sit behind
/// `ReferenceOr` (an untagged enum) or a hand-written map deserializer, where
/// serde_path_to_error loses the path and the message becomes "did not match
/// any variant". Deserializing each child on its own finds the real place.
#[derive(Clone, Copy)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Header,
    Schema,
    SecurityScheme,
}

impl Kind {
    /// The path and message of the first error when `value` is read as this kind.
    fn first_error(self, value: &Value) -> Option<(Vec<String>, String)> {
        fn try_as<T: serde::de::DeserializeOwned>(value: &Value) -> Option<(Vec<String>, String)> {
            serde_path_to_error::deserialize::<_, T>(value.clone())
                .err()
                .map(|e| (segments(e.path()), e.inner().to_string()))
        }
        match self {
            Self::PathItem => try_as::<openapiv3::PathItem>(value),
            Self::Operation => try_as::<openapiv3::Operation>(value),
            Self::Parameter => try_as::<openapiv3::Parameter>(value),
            Self::RequestBody => try_as::<openapiv3::RequestBody>(value),
            Self::Response => try_as::<openapiv3::Response>(value),
            Self::MediaType => try_as::<openapiv3::MediaType>(value),
            Self::Header => try_as::<openapiv3::Header>(value),
            Self::Schema => try_as::<openapiv3::Schema>(value),
            Self::SecurityScheme => try_as::<openapiv3::SecurityScheme>(value),
        }
    }
}

/// The typed children of the object at `at` (its segments), by where it sits.
fn typed_children(at: &[String]) -> Vec<(Vec<&'static str>, Kind)> {
    let s: Vec<&str> = at.iter().map(String::as_str).collect();
    let methods = crate::check::METHODS
        .iter()
        .map(|m| (vec![*m], Kind::Operation));
    match s.as_slice() {
        ["paths"] => vec![(vec!["*"], Kind::PathItem)],
        ["paths", _] => methods
            .chain([(vec!["parameters", "*"], Kind::Parameter)])
            .collect(),
        ["paths", _, "parameters"] | ["paths", _, _, "parameters"] => {
            vec![(vec!["*"], Kind::Parameter)]
        }
        ["paths", _, _] => vec![
            (vec!["parameters", "*"], Kind::Parameter),
            (vec!["requestBody"], Kind::RequestBody),
            (vec!["responses", "*"], Kind::Response),
        ],
        ["paths", _, _, "responses"] => vec![(vec!["*"], Kind::Response)],
        ["paths", _, _, "responses", _] | ["components", "responses", _] => {
            vec![
                (vec!["content", "*"], Kind::MediaType),
                (vec!["headers", "*"], Kind::Header),
            ]
        }
        ["paths", _, _, "requestBody"] | ["components", "requestBodies", _] => {
            vec![(vec!["content", "*"], Kind::MediaType)]
        }
        [.., "content", _] => vec![(vec!["schema"], Kind::Schema)],
        ["components"] => vec![
            (vec!["schemas", "*"], Kind::Schema),
            (vec!["responses", "*"], Kind::Response),
            (vec!["parameters", "*"], Kind::Parameter),
            (vec!["requestBodies", "*"], Kind::RequestBody),
            (vec!["headers", "*"], Kind::Header),
            (vec!["securitySchemes", "*"], Kind::SecurityScheme),
        ],
        ["components", "schemas"] => vec![(vec!["*"], Kind::Schema)],
        ["components", "responses"] => vec![(vec!["*"], Kind::Response)],
        ["components", "parameters"] => vec![(vec!["*"], Kind::Parameter)],
        ["components", "requestBodies"] => vec![(vec!["*"], Kind::RequestBody)],
        ["components", "headers"] => vec![(vec!["*"], Kind::Header)],
        ["components", "securitySchemes"] => vec![(vec!["*"], Kind::SecurityScheme)],
        _ => Vec::new(),
    }
}

/// Every value matching `pattern` (`*`: any member or item) below `value`,
/// with its segments; `$ref` objects and `x-` extensions are skipped.
fn matching<'a>(
    value: &'a Value,
    pattern: &[&str],
    at: Vec<String>,
    out: &mut Vec<(Vec<String>, &'a Value)>,
) {
    let Some((first, rest)) = pattern.split_first() else {
        if value.get("$ref").is_none() {
            out.push((at, value));
        }
        return;
    };
    let children: Vec<(String, &Value)> = match (value, *first) {
        (Value::Object(map), "*") => map
            .iter()
            .filter(|(k, _)| !k.starts_with("x-"))
            .map(|(k, v)| (k.clone(), v))
            .collect(),
        (Value::Array(items), "*") => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        (Value::Object(map), key) => map
            .get(key)
            .map(|v| vec![(key.to_owned(), v)])
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let mut next = at.clone();
        next.push(key);
        matching(child, rest, next, out);
    }
}

/// Narrows an error serde placed at `at` (somewhere under `/paths` or
/// `/components`) down to the object that causes it: descend from that
/// top-level member, in document order (the order serde reads in), into the
/// first typed child that fails on its own.
fn locate(raw: &Value, at: Vec<String>, message: String) -> (Vec<String>, String) {
    let Some(top) = at.first().filter(|s| *s == "paths" || *s == "components") else {
        return (at, message);
    };
    let mut here = vec![top.clone()];
    let mut found = None;
    // Each step goes at least one level deeper, so this ends.
    while let Some((deeper, inner_message)) = first_failing_child(raw, &here) {
        here = deeper;
        found = Some(inner_message);
    }
    match found {
        Some(message) => (here, message),
        None => (at, message),
    }
}

/// The first typed child of the object at `here` that fails on its own, as the
/// full path of its error and the message.
fn first_failing_child(raw: &Value, here: &[String]) -> Option<(Vec<String>, String)> {
    let node = raw.pointer(&pointer(here))?;
    for (pattern, kind) in typed_children(here) {
        let mut candidates = Vec::new();
        matching(node, &pattern, here.to_vec(), &mut candidates);
        for (child_at, child) in candidates {
            if let Some((inner, message)) = kind.first_error(child) {
                return Some((child_at.into_iter().chain(inner).collect(), message));
            }
        }
    }
    None
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
                .map(|(i, v)| yaml_to_json(file, v, &format!("{at}/{i}")))
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
        return Err(vec![Diagnostic::error(
            file,
            "",
            "the document is not an object",
            "start from an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)",
        )]);
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
    fn structural_errors_point_inside_path_items_even_under_dotted_keys() {
        let d = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1.0/a:\n    get:\n      responses:\n        '200': {description: 5}\n");
        assert_eq!(
            d.pointer, "/paths/~1v1.0~1a/get/responses/200/description",
            "{d}"
        );
    }

    #[test]
    fn array_indices_become_pointer_segments() {
        let d =
            err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 5}]\npaths: {}\n");
        assert_eq!(d.pointer, "/servers/0/url", "{d}");
    }

    #[test]
    fn a_missing_member_is_pointed_at_itself() {
        let d = err("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n");
        assert_eq!(d.pointer, "/info/version", "{d}");
        assert!(d.fix.contains("add the required `version`"), "{d}");
    }

    #[test]
    fn errors_in_components_are_placed_at_the_component() {
        let d = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  responses:\n    Bad: {description: [1]}\n");
        assert_eq!(d.pointer, "/components/responses/Bad/description", "{d}");
    }

    #[test]
    fn dangling_refs_are_refused_with_their_pointer() {
        let d = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n");
        assert_eq!(d.pointer, "/components/schemas/A/$ref");
    }
}
