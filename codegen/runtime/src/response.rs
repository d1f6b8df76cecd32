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
    json_response_as(status, "application/json", body, headers)
}

/// A text response of `content_type`.
pub fn text_response(
    status: u16,
    content_type: &str,
    body: String,
    headers: ResponseHeaders<'_>,
) -> Response<Body> {
    build(status, Some(content_type), Body::Text(body), headers)
}

/// A binary response of `content_type`: lambda_http sends it base64-encoded
/// and API Gateway decodes it for clients that accept the type
/// (`binaryMediaTypes`).
pub fn bytes_response(
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    headers: ResponseHeaders<'_>,
) -> Response<Body> {
    build(status, Some(content_type), Body::Binary(body), headers)
}

fn build(
    status: u16,
    content_type: Option<&str>,
    body: Body,
    headers: ResponseHeaders<'_>,
) -> Response<Body> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        if let Some(v) = value {
            builder = builder.header(*name, v.as_str());
        }
    }
    if let Some(ct) = content_type {
        builder = builder.header("content-type", ct);
    }
    builder
        .body(body)
        .unwrap_or_else(|_| internal_error("The response could not be built."))
}

/// A JSON response of a JSON media type (`application/json`,
/// `application/problem+json`, ...); empty when `body` is `None`.
pub fn json_response_as<T: Serialize>(
    status: u16,
    content_type: &str,
    body: Option<&T>,
    headers: ResponseHeaders<'_>,
) -> Response<Body> {
    match body.map(serde_json::to_string) {
        None => build(status, None, Body::Empty, headers),
        Some(Ok(text)) => build(status, Some(content_type), Body::Text(text), headers),
        Some(Err(e)) => {
            tracing::error!(error = %e, "response body did not serialise");
            internal_error("The response could not be encoded.")
        }
    }
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

/// The answer of a function to a request for none of its operations: API
/// Gateway routes only its own resources to it, so this is a deployment
/// mismatch, answered as API Gateway answers an unknown route.
pub fn unrouted(request: &lambda_http::Request) -> Response<Body> {
    tracing::error!(
        path = request.uri().path(),
        method = %request.method(),
        "a request reached a function that serves no operation for it"
    );
    let mut response = Response::new(Body::Text(
        r#"{"code":"MISSING_AUTHENTICATION_TOKEN","message":"Missing Authentication Token","requestId":"","fieldErrors":[]}"#.to_owned(),
    ));
    *response.status_mut() = http::StatusCode::FORBIDDEN;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}
