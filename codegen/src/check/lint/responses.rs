//! Responses: a 400 for operations that take input, and the shared `Error`
//! schema on every error response.

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::{child, parameters, Operation};
use serde_json::Value;

pub(super) fn lint(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let at = child(&op.pointer(), "responses");
    let responses = op.op.get("responses").and_then(Value::as_object);
    let has_input = !parameters(&spec.raw, op).is_empty() || op.op.get("requestBody").is_some();
    if has_input && responses.is_none_or(|r| !r.contains_key("400")) {
        out.push(Diagnostic::lint(
            f,
            &at,
            "the operation takes input but declares no 400 for invalid input",
            "add `'400': {$ref: '#/components/responses/BadRequest'}`",
        ));
    }
    for (status, response) in responses.into_iter().flatten() {
        if !status.starts_with(['4', '5']) {
            continue;
        }
        let schema = spec
            .deref(response)
            .pointer("/content/application~1json/schema");
        if schema.and_then(|s| s.get("$ref")).and_then(Value::as_str)
            != Some("#/components/schemas/Error")
        {
            out.push(Diagnostic::lint(
                f,
                child(&at, status),
                format!("error response {status} does not use the shared `Error` schema"),
                "give it `content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}`",
            ));
        }
    }
}
