//! Responses (<https://spec.openapis.org/oas/v3.0.3#responses-object>): one
//! variant per declared status (`200`, `4XX`, `default`), each with its own
//! body type (any media types) and typed headers. Successes go into the
//! operation's success enum, errors (`4XX`, `5XX`, `default`) into its error
//! enum.

use super::bodies::{media_bodies, BodyKind, MediaBody};
use super::Names;
use crate::names;
use crate::source::Spec;
use crate::types::TypeRegistry;
use crate::Refusal;
use openapi_document::{child, str_of};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Serialize)]
pub struct ResponseHeader {
    pub name: String,
    pub field: String,
    pub required: bool,
    pub description: String,
}

/// What a response's body is, as the handler gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Payload {
    /// No content.
    Empty,
    /// The shared error shape (`code`, `message`, `requestId`, `fieldErrors`):
    /// the handler gives a `Problem` and the adapter adds the request id.
    Problem,
    /// One media type: its body.
    One(MediaPayload),
    /// Several media types: the handler picks one through this generated enum.
    Many {
        enum_name: String,
        media: Vec<MediaPayload>,
    },
}

/// A response body of one media type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaPayload {
    /// The `Content-Type` written (a range such as `text/*` is written as is
    /// only when the spec gives nothing more specific).
    pub content_type: String,
    pub variant: String,
    pub kind: BodyKind,
    pub rust_type: String,
}

impl From<MediaBody> for MediaPayload {
    fn from(m: MediaBody) -> Self {
        let content_type = concrete_content_type(&m.media_type, &m.kind);
        Self {
            content_type,
            variant: m.variant,
            kind: m.kind,
            rust_type: m.rust_type,
        }
    }
}

/// A `Content-Type` to send for a declared media range.
fn concrete_content_type(media_type: &str, kind: &BodyKind) -> String {
    match (media_type, kind) {
        ("*/*" | "application/*", BodyKind::Json) => "application/json".to_owned(),
        ("*/*" | "application/*", _) => "application/octet-stream".to_owned(),
        ("text/*", _) => "text/plain; charset=utf-8".to_owned(),
        (m, _) if m.ends_with("/*") => format!("{}octet-stream", &m[..m.len() - 1]),
        (m, _) => m.to_owned(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// As the spec writes it: `200`, `4XX`, `default`.
    pub status: String,
    /// Numeric status for exact codes; ranges (`4XX`) and `default` carry the
    /// status in the variant.
    pub code: Option<u16>,
    pub variant: String,
    pub description: String,
    pub payload: Payload,
    pub headers: Vec<ResponseHeader>,
}

impl Response {
    /// Errors are `4XX`, `5XX` and `default`: they go into the operation's
    /// error enum; every other status is a success.
    pub fn is_error(&self) -> bool {
        self.status == "default" || self.status.starts_with(['4', '5'])
    }
}

/// The members of the shared error shape, which the adapter's own errors and
/// [`Payload::Problem`] bodies fill.
pub const PROBLEM_MEMBERS: [&str; 4] = ["code", "message", "requestId", "fieldErrors"];

/// Whether a body schema is the shared error shape: an object declaring every
/// one of [`PROBLEM_MEMBERS`], `code` and `message` as strings.
pub fn is_problem_shaped(spec: &Spec, schema: &Value) -> bool {
    let Some(props) = spec
        .deref(schema)
        .get("properties")
        .and_then(Value::as_object)
    else {
        return false;
    };
    let is_string = |name: &str| {
        props
            .get(name)
            .map(|p| spec.deref(p))
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str)
            == Some("string")
    };
    PROBLEM_MEMBERS.iter().all(|m| props.contains_key(*m))
        && is_string("code")
        && is_string("message")
}

/// The responses of an operation.
pub(super) fn responses(
    spec: &Spec,
    raw: &openapi_document::Operation<'_>,
    pascal: &str,
    types: &mut TypeRegistry,
    components: &Map<String, Value>,
) -> Result<Vec<Response>, Refusal> {
    let empty = Map::new();
    let declared = raw
        .op
        .get("responses")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut out = Vec::new();
    for (status, r) in declared {
        let r = spec.deref(r);
        let at = child(&child(&raw.pointer(), "responses"), status);
        let variant = names::status_variant(status);
        let content = r
            .get("content")
            .and_then(Value::as_object)
            .filter(|c| !c.is_empty());
        let payload = match content {
            None => Payload::Empty,
            Some(content) => {
                let only_json_schema = match content.iter().collect::<Vec<_>>().as_slice() {
                    [(m, media)] if BodyKind::of(m) == BodyKind::Json => media.get("schema"),
                    _ => None,
                };
                let is_error = status == "default" || status.starts_with(['4', '5']);
                if is_error && only_json_schema.is_some_and(|s| is_problem_shaped(spec, s)) {
                    Payload::Problem
                } else {
                    let hint = format!("{pascal}{variant}");
                    let mut media: Vec<MediaPayload> =
                        media_bodies(spec, content, &at, &hint, false, types, components)?
                            .into_iter()
                            .map(MediaPayload::from)
                            .collect();
                    if media.len() == 1 {
                        Payload::One(media.remove(0))
                    } else {
                        Payload::Many {
                            enum_name: format!("{pascal}{variant}Body"),
                            media,
                        }
                    }
                }
            }
        };
        // A variant's own fields come first; headers may not take their names.
        let mut fields = Names::reserving(&["status", "body", "problem"]);
        let headers = r
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
            .map(|(n, h)| {
                let h = spec.deref(h);
                ResponseHeader {
                    name: n.clone(),
                    field: fields.claim(&names::header_field(n), "header"),
                    required: h.get("required") == Some(&Value::Bool(true)),
                    description: str_of(h, "description").to_owned(),
                }
            })
            .collect();
        out.push(Response {
            code: status.parse().ok(),
            variant,
            description: str_of(r, "description").to_owned(),
            payload,
            headers,
            status: status.clone(),
        });
    }
    Ok(out)
}
