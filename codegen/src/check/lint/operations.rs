//! Operations: names, summaries, and members API Gateway ignores.

use crate::diagnostics::Diagnostic;
use crate::names;
use crate::source::Spec;
use openapi_document::{child, Operation};

pub(super) fn lint(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let at = op.pointer();
    if let Some(id) = op.operation_id() {
        if names::lower_camel(id) != id {
            out.push(Diagnostic::lint(
                f,
                child(&at, "operationId"),
                format!("operationId `{id}` is not lowerCamelCase"),
                format!("rename it to `{}`", names::lower_camel(id)),
            ));
        }
    }
    if op.op.get("summary").is_none() {
        out.push(Diagnostic::lint(
            f,
            &at,
            "the operation has no `summary`; the API reference lists operations by it",
            "add a one-line `summary`",
        ));
    }
    for key in ["callbacks", "links"] {
        if op.op.get(key).is_some() {
            out.push(Diagnostic::lint(
                f,
                child(&at, key),
                format!("API Gateway REST import ignores `{key}`"),
                format!("remove `{key}`, or document the behaviour in `description`"),
            ));
        }
    }
}
