//! A ready `curl` command per operation: the path with example values, the required query
//! parameters and headers, the credential its security scheme asks for, and an example body.
//!
//! The command calls `${API_URL:-http://127.0.0.1:3000}` (the local server's default port;
//! set `API_URL` to a deployed stage) and reads credentials from the shell: `$TOKEN` for a
//! bearer or Cognito token (what `<service>-local` prints as `export TOKEN=...`), `$API_KEY`
//! for an API key, `$USERNAME`/`$PASSWORD` for HTTP basic. The URL is double-quoted (so
//! those expand) and holds nothing else a shell reads: values are percent-encoded. The body is
//! single-quoted.

use openapi_document::{deref, parameters, pointer, str_of, Operation};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use crate::example::{self, Direction};

/// Where the commands send requests unless `API_URL` says otherwise.
pub const DEFAULT_BASE: &str = "http://127.0.0.1:3000";

/// RFC 3986 `unreserved` characters stay as they are in a path segment; everything else,
/// `/` included, is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The command for `op`, one option per line.
pub(crate) fn command(spec: &Value, op: &Operation<'_>) -> String {
    let mut path = op.path.to_owned();
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut options: Vec<String> = Vec::new();
    let method = op.method.to_ascii_uppercase();
    if method != "GET" {
        options.push(format!("-X {method}"));
    }
    for parameter in parameters(spec, op) {
        let required = parameter.required();
        let explicit =
            parameter.value.get("example").is_some() || parameter.value.get("examples").is_some();
        if !required && !explicit {
            continue;
        }
        let value =
            example::of_media(spec, parameter.value, Direction::Request).unwrap_or(Value::Null);
        match parameter.location() {
            "path" => {
                let text = scalar_text(&value);
                let encoded = utf8_percent_encode(&text, SEGMENT).to_string();
                path = path.replace(&format!("{{{}}}", parameter.name()), &encoded);
            }
            "query" => match &value {
                Value::Array(items) => {
                    for item in items {
                        query.append_pair(parameter.name(), &scalar_text(item));
                    }
                }
                other => {
                    query.append_pair(parameter.name(), &scalar_text(other));
                }
            },
            "header" => options.push(format!(
                "-H {}",
                single_quoted(&format!("{}: {}", parameter.name(), scalar_text(&value)))
            )),
            "cookie" => options.push(format!(
                "-b {}",
                single_quoted(&format!("{}={}", parameter.name(), scalar_text(&value)))
            )),
            _ => {}
        }
    }
    let mut query = query.finish();
    match credential(spec, op) {
        Credential::None => {}
        Credential::Header(name, variable) => {
            options.push(format!("-H \"{name}: ${variable}\""));
        }
        Credential::Query(name) => {
            let pair = format!(
                "{}=$API_KEY",
                form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
            );
            query = if query.is_empty() {
                pair
            } else {
                format!("{query}&{pair}")
            };
        }
        Credential::Cookie(name) => options.push(format!("-b \"{name}=$API_KEY\"")),
        Credential::Basic => options.push("-u \"$USERNAME:$PASSWORD\"".to_owned()),
    }
    options.extend(body_options(spec, op));
    let url = if query.is_empty() {
        format!("\"${{API_URL:-{DEFAULT_BASE}}}{path}\"")
    } else {
        format!("\"${{API_URL:-{DEFAULT_BASE}}}{path}?{query}\"")
    };
    let mut lines = vec![format!("curl -sS -i {url}")];
    lines.extend(options);
    lines.join(" \\\n  ")
}

/// A parameter's value as text (`simple` and `form` style of a scalar).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// `text` in single quotes for a POSIX shell (a `'` inside becomes `'\''`).
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// What the first scheme of the operation's security (else the document's) asks for.
enum Credential {
    None,
    /// A header and the shell variable holding its value.
    Header(String, &'static str),
    Query(String),
    Cookie(String),
    Basic,
}

fn credential(spec: &Value, op: &Operation<'_>) -> Credential {
    let requirements = op
        .op
        .get("security")
        .or_else(|| spec.get("security"))
        .and_then(Value::as_array);
    let Some(requirements) = requirements else {
        return Credential::None;
    };
    if requirements
        .iter()
        .any(|r| r.as_object().is_some_and(serde_json::Map::is_empty))
    {
        return Credential::None;
    }
    let Some(name) = requirements
        .iter()
        .filter_map(Value::as_object)
        .find_map(|r| r.keys().next())
    else {
        return Credential::None;
    };
    let scheme = spec
        .pointer(&pointer(["components", "securitySchemes", name.as_str()]))
        .map(|s| deref(spec, s))
        .unwrap_or(&Value::Null);
    match str_of(scheme, "type") {
        "apiKey" => {
            let key = str_of(scheme, "name").to_owned();
            match str_of(scheme, "in") {
                "query" => Credential::Query(key),
                "cookie" => Credential::Cookie(key),
                _ if key.eq_ignore_ascii_case("authorization") => Credential::Header(key, "TOKEN"),
                _ => Credential::Header(key, "API_KEY"),
            }
        }
        "http" if str_of(scheme, "scheme").eq_ignore_ascii_case("basic") => Credential::Basic,
        _ => Credential::Header("Authorization".to_owned(), "TOKEN"),
    }
}

/// The body options: the first JSON media type of the request body (else its first), with
/// its example.
fn body_options(spec: &Value, op: &Operation<'_>) -> Vec<String> {
    let Some(content) = op
        .op
        .get("requestBody")
        .map(|b| deref(spec, b))
        .and_then(|b| b.get("content"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let chosen = content
        .iter()
        .find(|(media, _)| openapi_document::media::is_json(media))
        .or_else(|| content.iter().next());
    let Some((media_type, media)) = chosen else {
        return Vec::new();
    };
    let value = example::of_media(spec, media, Direction::Request).unwrap_or(Value::Null);
    let essence = openapi_document::media::essence(media_type);
    let content_type = format!(
        "-H {}",
        single_quoted(&format!("Content-Type: {media_type}"))
    );
    if openapi_document::media::is_json(media_type) {
        return vec![
            content_type,
            format!("--data {}", single_quoted(&value.to_string())),
        ];
    }
    match essence.as_str() {
        "application/x-www-form-urlencoded" => {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (name, field) in value.as_object().into_iter().flatten() {
                form.append_pair(name, &scalar_text(field));
            }
            vec![
                content_type,
                format!("--data {}", single_quoted(&form.finish())),
            ]
        }
        "multipart/form-data" => value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, field)| {
                format!(
                    "-F {}",
                    single_quoted(&format!("{name}={}", scalar_text(field)))
                )
            })
            .collect(),
        media if media.starts_with("text/") => {
            vec![
                content_type,
                format!("--data {}", single_quoted(&scalar_text(&value))),
            ]
        }
        _ => vec![content_type, "--data-binary @body.bin".to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "security": [{"pool": []}],
            "components": {"securitySchemes": {
                "pool": {"type": "apiKey", "in": "header", "name": "Authorization"},
                "key": {"type": "apiKey", "in": "query", "name": "api key"}
            }},
            "paths": {
                "/pets/{petId}": {
                    "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}, "example": "a b/c"}],
                    "patch": {
                        "operationId": "updatePet",
                        "parameters": [
                            {"name": "If-Match", "in": "header", "required": true, "schema": {"type": "string"}, "example": "\"v1\""},
                            {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "example": ["x", "y&z"]},
                            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                        ],
                        "requestBody": {"content": {
                            "text/plain": {"schema": {"type": "string"}},
                            "application/merge-patch+json": {"schema": {"type": "object", "properties": {"name": {"type": "string", "example": "O'Malley"}}}}
                        }}
                    },
                    "get": {"operationId": "getPet", "security": [{"key": []}]},
                    "delete": {"operationId": "deletePet", "security": [{}]}
                }
            }
        })
    }

    fn command_of(id: &str) -> String {
        let spec = spec();
        let ops = openapi_document::operations(&spec);
        let op = ops.iter().find(|o| o.operation_id() == Some(id)).unwrap();
        command(&spec, op)
    }

    #[test]
    fn a_ready_command_with_examples_credential_and_body() {
        assert_eq!(
            command_of("updatePet"),
            "curl -sS -i \"${API_URL:-http://127.0.0.1:3000}/pets/a%20b%2Fc?tags=x&tags=y%26z\" \\\n  \
             -X PATCH \\\n  \
             -H 'If-Match: \"v1\"' \\\n  \
             -H \"Authorization: $TOKEN\" \\\n  \
             -H 'Content-Type: application/merge-patch+json' \\\n  \
             --data '{\"name\":\"O'\\''Malley\"}'"
        );
    }

    #[test]
    fn credentials_follow_the_operation_s_security() {
        assert_eq!(
            command_of("getPet"),
            "curl -sS -i \"${API_URL:-http://127.0.0.1:3000}/pets/a%20b%2Fc?api+key=$API_KEY\""
        );
        assert_eq!(
            command_of("deletePet"),
            "curl -sS -i \"${API_URL:-http://127.0.0.1:3000}/pets/a%20b%2Fc\" \\\n  -X DELETE"
        );
    }
}
