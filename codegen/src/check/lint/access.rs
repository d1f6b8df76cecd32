//! `x-aws-access`: the AWS actions an operation's Lambda may use, from which
//! Terraform builds its IAM role (least privilege per function).

use crate::check::DYNAMODB_ACTIONS;
use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::{child, Operation};
use serde_json::Value;

pub(super) fn lint(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let at = op.pointer();
    let Some(access) = op.op.get("x-aws-access") else {
        out.push(Diagnostic::lint(
            f,
            &at,
            "the operation has no `x-aws-access`; its Lambda's IAM role is built from it",
            "add `x-aws-access: {dynamodb: [GetItem], secret: false}` listing exactly what the handler calls",
        ));
        return;
    };
    let aat = child(&at, "x-aws-access");
    let actions = access.get("dynamodb").and_then(Value::as_array);
    for (i, action) in actions.into_iter().flatten().enumerate() {
        let name = action.as_str().unwrap_or_default();
        if !DYNAMODB_ACTIONS.contains(&name) {
            out.push(Diagnostic::lint(
                f,
                child(&child(&aat, "dynamodb"), &i.to_string()),
                format!("`{name}` is not a DynamoDB action codegen knows"),
                format!("use one of {}", DYNAMODB_ACTIONS.join(", ")),
            ));
        }
    }
    if access.get("secret").is_some_and(|s| !s.is_boolean()) {
        out.push(Diagnostic::lint(
            f,
            child(&aat, "secret"),
            "`secret` must be true or false",
            "write `secret: true` or `secret: false`",
        ));
    }
}
