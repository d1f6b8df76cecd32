//! Document-level: members API Gateway ignores, and extensions only codegen
//! may write.

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::{walk, Node, Pointer, Visit};
use serde_json::Value;

pub(super) fn lint(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    if spec.raw.get("security").is_some() {
        out.push(Diagnostic::lint(
            f,
            "/security",
            "API Gateway ignores root-level `security`",
            "remove it and set `security` on every operation (`security: []` for public ones)",
        ));
    }
    if spec.raw.get("webhooks").is_some() {
        out.push(Diagnostic::lint(
            f,
            "/webhooks",
            "`webhooks` are OpenAPI 3.1 and ignored",
            "remove them",
        ));
    }
    walk(&spec.raw, &mut Pointer::root(), &mut |at, _, node| {
        let Node::Structure(Value::Object(members)) = node else {
            return Visit::Descend;
        };
        for key in members
            .keys()
            .filter(|k| k.starts_with("x-amazon-apigateway"))
        {
            out.push(Diagnostic::lint(
                f,
                at.child(key).as_str(),
                format!(
                    "`{key}` is written by hand; codegen generates every API Gateway extension"
                ),
                "remove it from the spec (the generated document carries it)",
            ));
        }
        Visit::Descend
    });
}
