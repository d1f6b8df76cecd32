//! Responses: valid status keys, one JSON media type with a schema each, one
//! success body type and one error body type per operation (what a typed
//! client can return).

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::{child, media, Operation};
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) fn check(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let at = child(&op.pointer(), "responses");
    let Some(responses) = op
        .op
        .get("responses")
        .and_then(Value::as_object)
        .filter(|r| !r.is_empty())
    else {
        out.push(Diagnostic::error(
            f,
            &at,
            "the operation has no responses",
            "declare at least its success response",
        ));
        return;
    };
    let mut success_types = BTreeSet::new();
    let mut error_types = BTreeSet::new();
    for (status, response) in responses {
        let rat = child(&at, status);
        if !is_status_key(status) {
            out.push(Diagnostic::error(
                f,
                &rat,
                format!("`{status}` is not an HTTP status code"),
                "use a status like `200` or a range like `4XX`",
            ));
            continue;
        }
        let Some(content) = spec
            .deref(response)
            .get("content")
            .and_then(Value::as_object)
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        if content.len() > 1 || !content.keys().all(|m| media::is_json(m)) {
            out.push(Diagnostic::error(
                f,
                child(&rat, "content"),
                format!(
                    "the response offers {}; one JSON media type per response is supported",
                    content.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
                "keep only `application/json`",
            ));
            continue;
        }
        for (media_type, m) in content {
            let Some(schema) = m.get("schema") else {
                out.push(Diagnostic::error(
                    f,
                    child(&child(&rat, "content"), media_type),
                    if m.get("example").is_some() || m.get("examples").is_some() {
                        "the response media type has examples but no `schema`"
                    } else {
                        "the response media type has no `schema`"
                    },
                    "add a `schema` describing the body",
                ));
                continue;
            };
            let key = serde_json::to_string(schema).unwrap_or_default();
            if status.starts_with('2') {
                success_types.insert(key);
            } else if status.starts_with(['4', '5']) || status == "default" {
                error_types.insert(key);
            }
        }
    }
    if success_types.len() > 1 {
        out.push(Diagnostic::error(
            f,
            &at,
            "the success responses have different body schemas; a typed client can return one success type per operation",
            "use one schema for every 2XX body",
        ));
    }
    if error_types.len() > 1 {
        out.push(Diagnostic::error(
            f,
            &at,
            "the error responses have different body schemas; a typed client can return one error type per operation",
            "use one error schema for every 4XX/5XX body",
        ));
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
