//! Building proxy responses: JSON bodies, typed headers, and the shared error shape.

use crate::problems::{FieldError, Problems};
use crate::request::Meta;
use lambda_http::{Body, Response};
use serde::Serialize;

/// Response headers as `(name, value)`; `None` values are left out.
pub type ResponseHeaders<'a> = &'a [(&'static str, Option<String>)];

/// A JSON response (or an empty one when `body` is `None`).
pub fn json_response<T: Serialize>(
    status: u16,
    body: Option<&T>,
    headers: ResponseHeaders<'_>,
) -> Response<Body> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        if let Some(v) = value {
            builder = builder.header(*name, v.as_str());
        }
    }
    let body = match body.map(serde_json::to_string) {
        None => Body::Empty,
        Some(Ok(text)) => {
            builder = builder.header("content-type", "application/json");
            Body::Text(text)
        }
        Some(Err(e)) => {
            tracing::error!(error = %e, "response body did not serialise");
            return plain_error(500, "INTERNAL", "The response could not be encoded.");
        }
    };
    builder
        .body(body)
        .unwrap_or_else(|_| plain_error(500, "INTERNAL", "The response could not be built."))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    request_id: &'a str,
    field_errors: &'a [FieldError],
}

/// An error in the spec's `Error` shape (`code`, `message`, `requestId`, `fieldErrors`).
pub fn error_response(
    status: u16,
    code: &str,
    message: &str,
    meta: &Meta,
    problems: &Problems,
) -> Response<Body> {
    let body = ErrorBody {
        code,
        message,
        request_id: &meta.request_id,
        field_errors: problems.as_slice(),
    };
    json_response(status, Some(&body), &[])
}

fn plain_error(status: u16, code: &str, message: &str) -> Response<Body> {
    let text =
        format!(r#"{{"code":"{code}","message":"{message}","requestId":"","fieldErrors":[]}}"#);
    let mut response = Response::new(Body::Text(text));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response
}
