//! Request bodies (<https://spec.openapis.org/oas/v3.0.3#request-body-object>)
//! and the media types of response bodies: one typed body per media type,
//! chosen by `Content-Type` (415 for a media type the operation does not
//! declare).
//!
//! | media type | kind | the handler gets |
//! |---|---|---|
//! | `application/json`, `*/*+json`, `text/json` | [`BodyKind::Json`] | the schema's type (validated) |
//! | `application/x-www-form-urlencoded` | [`BodyKind::Form`] | the schema's type (fields read by their schema types, validated) |
//! | `multipart/*` | [`BodyKind::Multipart`] | `codegen_runtime::Multipart`: every part's bytes (text parts validated by the schema) |
//! | `text/*` | [`BodyKind::Text`] | `String` |
//! | anything else (`application/octet-stream`, XML, images, `*/*`) | [`BodyKind::Bytes`] | `Vec<u8>` (API Gateway passes them base64-encoded: `binaryMediaTypes`) |

use super::Names;
use crate::names;
use crate::schema_json::standalone_json_schema;
use crate::source::Spec;
use crate::types::TypeRegistry;
use crate::Refusal;
use openapi_document::{child, media};
use serde::Serialize;
use serde_json::{Map, Value};

/// How a body of one media type is read or written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum BodyKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

impl BodyKind {
    pub fn of(media_type: &str) -> Self {
        let essence = media::essence(media_type);
        if media::is_json(&essence) || essence == "text/json" {
            Self::Json
        } else if essence == "application/x-www-form-urlencoded" {
            Self::Form
        } else if essence.starts_with("multipart/") {
            Self::Multipart
        } else if essence.starts_with("text/") {
            Self::Text
        } else {
            Self::Bytes
        }
    }

    /// Whether API Gateway must treat the media type as binary
    /// (`binaryMediaTypes`), so that the bytes reach the function intact.
    pub fn is_binary(&self) -> bool {
        matches!(self, Self::Bytes | Self::Multipart)
    }
}

/// One media type of a body.
#[derive(Debug, Clone, Serialize)]
pub struct MediaBody {
    /// As the spec writes it (it may be a range: `text/*`, `*/*`).
    pub media_type: String,
    /// The variant of the body enum when there are several.
    pub variant: String,
    pub kind: BodyKind,
    /// The Rust type the handler gets or gives.
    pub rust_type: String,
    /// For JSON, form and multipart bodies: the self-contained JSON Schema.
    pub schema: Option<String>,
    /// For form and multipart bodies: how each field's text is read.
    pub shape: Option<super::Shape>,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub required: bool,
    pub media: Vec<MediaBody>,
    /// The generated enum over the media types, when there are several.
    pub enum_name: Option<String>,
}

impl Body {
    /// The Rust type of the typed request's `body` field (without `Option`).
    pub fn rust_type(&self) -> String {
        match (&self.enum_name, self.media.as_slice()) {
            (Some(name), _) => name.clone(),
            (None, [one]) => one.rust_type.clone(),
            _ => "()".to_owned(),
        }
    }
}

/// The media types of a `content` map, typed. `hint` names generated types;
/// `request` is false for responses, where forms and multipart are written as
/// text and bytes.
pub(super) fn media_bodies(
    spec: &Spec,
    content: &Map<String, Value>,
    at: &str,
    hint: &str,
    request: bool,
    types: &mut TypeRegistry,
    components: &Map<String, Value>,
) -> Result<Vec<MediaBody>, Refusal> {
    let mut variants = Names::default();
    let mut out = Vec::new();
    for (media_type, m) in content {
        let mut kind = BodyKind::of(media_type);
        if !request && matches!(kind, BodyKind::Form) {
            kind = BodyKind::Text;
        }
        if !request && matches!(kind, BodyKind::Multipart) {
            kind = BodyKind::Bytes;
        }
        let schema = m.get("schema");
        let mat = child(&child(at, "content"), media_type);
        let variant = variants.claim(&names::pascal(&media_variant(media_type)), "Media");
        let type_hint = if content.len() > 1 {
            format!("{hint}{variant}")
        } else {
            hint.to_owned()
        };
        let (rust_type, schema_text) = match (&kind, schema) {
            (BodyKind::Json | BodyKind::Form, Some(schema)) => (
                types.type_of(spec, schema, Some(type_hint), &child(&mat, "schema"))?,
                Some(standalone_json_schema(schema, components).to_string()),
            ),
            (BodyKind::Json, None) => ("::serde_json::Value".to_owned(), None),
            (BodyKind::Form, None) => (
                "::std::collections::BTreeMap<String, String>".to_owned(),
                None,
            ),
            (BodyKind::Multipart, schema) => (
                "codegen_runtime::Multipart".to_owned(),
                schema.map(|s| standalone_json_schema(s, components).to_string()),
            ),
            (BodyKind::Text, _) => ("String".to_owned(), None),
            (BodyKind::Bytes, _) => ("Vec<u8>".to_owned(), None),
        };
        let shape = match (&kind, schema) {
            (BodyKind::Form | BodyKind::Multipart, Some(schema)) => {
                Some(super::parameters::shape_of(spec, spec.deref(schema)))
            }
            _ => None,
        };
        out.push(MediaBody {
            media_type: media_type.clone(),
            variant,
            kind,
            rust_type,
            schema: schema_text,
            shape,
        });
    }
    Ok(out)
}

/// `application/vnd.api+json` → `vnd api json`; `*/*` → `any`.
fn media_variant(media_type: &str) -> String {
    let essence = media::essence(media_type);
    let words = essence
        .replace("*/*", "any")
        .replace("/*", " any")
        .replace(['/', '+', '.', '-'], " ");
    // Variants must not start with a digit.
    if words.starts_with(|c: char| c.is_ascii_digit()) {
        format!("media {words}")
    } else {
        words
    }
}

/// The request body of an operation.
pub(super) fn request_body(
    spec: &Spec,
    raw: &openapi_document::Operation<'_>,
    pascal: &str,
    types: &mut TypeRegistry,
    components: &Map<String, Value>,
) -> Result<Option<Body>, Refusal> {
    let Some(body) = raw.op.get("requestBody") else {
        return Ok(None);
    };
    let at = child(&raw.pointer(), "requestBody");
    let body = spec.deref(body);
    let empty = Map::new();
    let content = body
        .get("content")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    if content.is_empty() {
        return Ok(None);
    }
    let media = media_bodies(
        spec,
        content,
        &at,
        &format!("{pascal}Body"),
        true,
        types,
        components,
    )?;
    Ok(Some(Body {
        required: body.get("required") == Some(&Value::Bool(true)),
        enum_name: (media.len() > 1).then(|| format!("{pascal}Body")),
        media,
    }))
}
