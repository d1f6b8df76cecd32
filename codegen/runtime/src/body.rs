//! Request bodies out of an API Gateway REST proxy request: the media type
//! chosen by `Content-Type` among the declared ones, then read as its kind
//! (JSON, form, multipart, text or bytes), validated and typed.
//!
//! Bodies whose media type is in the API's `binaryMediaTypes` reach the
//! function base64-encoded (`isBase64Encoded`) and lambda_http decodes them
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html>):
//! every reader here takes text and binary bodies alike.

use crate::params::{coerce, Shape};
use crate::schema::Schema;
use api_problem::FieldErrors;
use lambda_http::{Body, Request};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The bytes of the body, whatever lambda_http made of them.
pub fn bytes(request: &Request) -> &[u8] {
    match request.body() {
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    }
}

/// Whether a body was sent (a blank one counts as none).
pub fn is_present(request: &Request) -> bool {
    !bytes(request).iter().all(u8::is_ascii_whitespace)
}

/// The request's `Content-Type` without parameters, lower-cased.
pub fn content_type(request: &Request) -> String {
    request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The declared media type (`application/json`, `text/*`, `*/*`) that best
/// matches `content_type`: an exact match, then `type/*`, then `*/*`.
pub fn select(content_type: &str, declared: &[&str]) -> Option<usize> {
    let major = content_type.split('/').next().unwrap_or_default();
    let exact = declared.iter().position(|d| {
        d.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case(content_type)
    });
    exact
        .or_else(|| {
            declared
                .iter()
                .position(|d| d.eq_ignore_ascii_case(&format!("{major}/*")))
        })
        .or_else(|| declared.iter().position(|d| *d == "*/*"))
}

/// A JSON body, validated and typed.
pub fn json<T: DeserializeOwned>(
    request: &Request,
    schema: Option<&Schema>,
    errors: &mut FieldErrors,
) -> Option<T> {
    let value: Value = match serde_json::from_slice(bytes(request)) {
        Ok(v) => v,
        Err(e) => {
            errors.push("/", "json", format!("the body is not valid JSON: {e}"));
            return None;
        }
    };
    typed(value, schema, errors)
}

/// An `application/x-www-form-urlencoded` body: each field read by its
/// property's types (a repeated field, or an array property, is an array),
/// then validated and typed like JSON.
pub fn form<T: DeserializeOwned>(
    request: &Request,
    shape: Shape,
    schema: Option<&Schema>,
    errors: &mut FieldErrors,
) -> Option<T> {
    let mut object = Map::new();
    for (key, value) in form_urlencoded::parse(bytes(request)) {
        let item = coerce(property_types(shape, &key), &value);
        match object.get_mut(key.as_ref()) {
            Some(Value::Array(items)) => items.push(item),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, item]);
            }
            None => {
                object.insert(key.into_owned(), item);
            }
        }
    }
    typed(Value::Object(object), schema, errors)
}

/// A `text/*` body: UTF-8 text.
pub fn text(request: &Request, errors: &mut FieldErrors) -> Option<String> {
    match std::str::from_utf8(bytes(request)) {
        Ok(text) => Some(text.to_owned()),
        Err(e) => {
            errors.push("/", "encoding", format!("the body is not UTF-8 text: {e}"));
            None
        }
    }
}

/// Any other body: its bytes.
pub fn binary(request: &Request) -> Vec<u8> {
    bytes(request).to_vec()
}

/// The types a field of an object body is read as.
fn property_types(shape: Shape, name: &str) -> &'static [&'static str] {
    match shape {
        Shape::Object {
            properties,
            additional,
        } => properties
            .iter()
            .find(|(p, _)| *p == name)
            .map_or(additional, |(_, t)| *t),
        _ => &[],
    }
}

fn typed<T: DeserializeOwned>(
    value: Value,
    schema: Option<&Schema>,
    errors: &mut FieldErrors,
) -> Option<T> {
    if let Some(schema) = schema {
        let before = errors.len();
        schema.validate(&value, "", errors);
        if errors.len() > before {
            return None;
        }
    }
    match serde_json::from_value(value) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push("/", "type", e.to_string());
            None
        }
    }
}

/// One part of a `multipart/*` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A `multipart/form-data` (or other `multipart/*`) body: every part, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    pub parts: Vec<Part>,
}

impl Multipart {
    /// The first part named `name`.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }
}

/// Reads a multipart body. Its parts are validated against `schema` as an
/// object (text parts read by their properties' types, file parts as
/// strings), so that required fields, lengths and patterns hold; every part
/// is kept as bytes.
pub async fn multipart(
    request: &Request,
    shape: Shape,
    schema: Option<&Schema>,
    errors: &mut FieldErrors,
) -> Option<Multipart> {
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = match multer::parse_boundary(content_type) {
        Ok(b) => b,
        Err(e) => {
            errors.push("header.Content-Type", "boundary", e.to_string());
            return None;
        }
    };
    let body = bytes::Bytes::copy_from_slice(bytes(request));
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut reader = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    loop {
        match reader.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let content_type = field.content_type().map(ToString::to_string);
                match field.bytes().await {
                    Ok(bytes) => parts.push(Part {
                        name,
                        file_name,
                        content_type,
                        bytes: bytes.to_vec(),
                    }),
                    Err(e) => {
                        errors.push(format!("/{name}"), "multipart", e.to_string());
                        return None;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                errors.push("/", "multipart", e.to_string());
                return None;
            }
        }
    }
    if let Some(schema) = schema {
        let fields: Map<String, Value> = parts
            .iter()
            .map(|p| {
                let text = std::str::from_utf8(&p.bytes)
                    .ok()
                    .filter(|_| p.file_name.is_none());
                let value = match text {
                    Some(text) => coerce(property_types(shape, &p.name), text),
                    None => Value::String(String::new()),
                };
                (p.name.clone(), value)
            })
            .collect();
        let before = errors.len();
        schema.validate(&Value::Object(fields), "", errors);
        if errors.len() > before {
            return None;
        }
    }
    Some(Multipart { parts })
}
