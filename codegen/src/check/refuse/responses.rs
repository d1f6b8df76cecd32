//! Responses and request bodies: status keys OpenAPI defines, and objects
//! (or `$ref`s that lead to objects) of the right kind.

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::{child, Operation};
use serde_json::Value;

pub(super) fn check(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let at = child(&op.pointer(), "responses");
    let responses = op.op.get("responses").and_then(Value::as_object);
    for (status, response) in responses.into_iter().flatten() {
        if !is_status_key(status) {
            out.push(Diagnostic::error(
                &spec.file,
                child(&at, status),
                format!("`{status}` is not an HTTP status code"),
                "use a status like `200` or a range like `4XX`",
            ));
        }
        let resolved = spec.deref(response);
        if !resolved.get("description").is_some_and(Value::is_string) {
            out.push(Diagnostic::error(
                &spec.file,
                child(&at, status),
                "this is not a Response Object (it needs a `description`; a `$ref` must lead to one)",
                "write the response, or point the `$ref` at `#/components/responses/<Name>`",
            ));
        }
    }
    if let Some(body) = op.op.get("requestBody") {
        if !spec
            .deref(body)
            .get("content")
            .is_some_and(Value::is_object)
        {
            out.push(Diagnostic::error(
                &spec.file,
                child(&op.pointer(), "requestBody"),
                "this is not a Request Body Object (it needs `content`; a `$ref` must lead to one)",
                "write the body, or point the `$ref` at `#/components/requestBodies/<Name>`",
            ));
        }
    }
}

/// `default`, a code from 100 to 599, or a range `1XX`–`5XX`
/// (<https://spec.openapis.org/oas/v3.0.3#patterned-fields-0>).
fn is_status_key(status: &str) -> bool {
    if status == "default" {
        return true;
    }
    let bytes = status.as_bytes();
    bytes.len() == 3
        && matches!(bytes[0], b'1'..=b'5')
        && (bytes[1..].iter().all(u8::is_ascii_digit) || &bytes[1..] == b"XX")
}
