//! Request bodies: one JSON media type with a schema.

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::{child, media, Operation};
use serde_json::Value;

pub(super) fn check(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let Some(body) = op.op.get("requestBody") else {
        return;
    };
    let at = child(&op.pointer(), "requestBody");
    let content = spec.deref(body).get("content").and_then(Value::as_object);
    let Some(content) = content.filter(|c| !c.is_empty()) else {
        out.push(Diagnostic::error(
            f,
            &at,
            "the request body has no `content`",
            "add `content: {application/json: {schema: ...}}`",
        ));
        return;
    };
    if content.len() > 1 {
        out.push(Diagnostic::error(
            f,
            child(&at, "content"),
            format!("the request body offers {} media types ({}); one typed body per operation is supported", content.len(), content.keys().cloned().collect::<Vec<_>>().join(", ")),
            "keep only the JSON media type",
        ));
    }
    for (media_type, m) in content {
        let mat = child(&child(&at, "content"), media_type);
        if !media::is_json(media_type) {
            out.push(Diagnostic::error(
                f,
                &mat,
                format!("request media type `{media_type}` is not JSON; handlers and API Gateway models here are JSON-only"),
                "use `application/json` (or a `+json` type such as `application/merge-patch+json`)",
            ));
        } else if m.get("schema").is_none() {
            out.push(Diagnostic::error(
                f,
                &mat,
                "the request media type has no `schema`",
                "add a `schema` (a `$ref` to #/components/schemas/...)",
            ));
        }
    }
}
