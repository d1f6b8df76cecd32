//! Building proxy responses: JSON bodies and typed headers.

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
            return internal_error("The response could not be encoded.");
        }
    };
    builder
        .body(body)
        .unwrap_or_else(|_| internal_error("The response could not be built."))
}

/// The last resort when a response cannot be built: a 500 in the shared error
/// shape, written without serde (which is what failed).
fn internal_error(message: &'static str) -> Response<Body> {
    let text =
        format!(r#"{{"code":"INTERNAL","message":"{message}","requestId":"","fieldErrors":[]}}"#);
    let mut response = Response::new(Body::Text(text));
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}
