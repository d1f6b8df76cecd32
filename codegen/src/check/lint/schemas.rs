//! Schemas: API Gateway model names, `oneOf` in models, and the shared `Error`
//! schema every error response and the adapter's own errors use.

use crate::diagnostics::Diagnostic;
use crate::model::PROBLEM_MEMBERS;
use crate::names;
use crate::source::Spec;
use openapi_document::pointer;
use openapi_document::schemas::for_each_schema;
use serde_json::Value;

pub(super) fn lint(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let schemas = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for name in schemas.into_iter().flatten().map(|(name, _)| name) {
        if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push(Diagnostic::lint(
                f,
                pointer(["components", "schemas", name.as_str()]),
                format!(
                    "schema name `{name}` is not alphanumeric; API Gateway model names must be"
                ),
                format!("rename it to `{}`", names::pascal(name)),
            ));
        }
    }
    for_each_schema(&spec.raw, &mut |at, schema| {
        let is_component = at.as_str().starts_with("/components/schemas/");
        if is_component && schema.get("oneOf").is_some() {
            out.push(Diagnostic::lint(
                f,
                at.child("oneOf").as_str(),
                "API Gateway models do not support `oneOf` reliably",
                "use `anyOf`, or one object with optional properties",
            ));
        }
    });
    match schemas.and_then(|s| s.get("Error")) {
        None => out.push(Diagnostic::lint(
            f,
            "/components/schemas",
            "there is no `Error` schema; every error response must share one shape",
            "add `Error` with required `code`, `message`, `requestId` and `fieldErrors`",
        )),
        Some(error) => {
            let props = error.get("properties").and_then(Value::as_object);
            for field in PROBLEM_MEMBERS {
                if props.is_none_or(|p| !p.contains_key(field)) {
                    out.push(Diagnostic::lint(
                        f,
                        "/components/schemas/Error",
                        format!("the Error schema lacks `{field}`, which generated validation errors and gateway responses fill"),
                        format!("add the `{field}` property"),
                    ));
                }
            }
        }
    }
}
