//! Placing a deserialization error at the object that causes it. serde reports
//! errors inside `ReferenceOr` (an untagged enum) and hand-written map
//! deserializers at their container, with "did not match any variant"; reading
//! each typed child on its own finds the real place and message.

use crate::diagnostics::Diagnostic;
use openapi_document::{pointer, METHODS};
use serde_json::Value;

/// The segments of a serde_path_to_error path. Its `Display` form
/// (`paths./v1.0/pets.get`, `servers[0].url`) cannot be split back into keys
/// when keys contain dots or brackets, so read the structured segments.
pub(super) fn segments(path: &serde_path_to_error::Path) -> Vec<String> {
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
pub(super) fn not_openapi(file: &str, mut segments: Vec<String>, message: String) -> Diagnostic {
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
    let methods = METHODS.iter().map(|m| (vec![*m], Kind::Operation));
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
pub(super) fn locate(raw: &Value, at: Vec<String>, message: String) -> (Vec<String>, String) {
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
