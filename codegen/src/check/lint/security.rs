//! Security: schemes API Gateway's Cognito authorizer can take, and security
//! set per operation (API Gateway ignores the root-level one).

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::{child, pointer, str_of, Operation};
use serde_json::Value;

pub(super) fn lint_schemes(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let schemes = spec
        .raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for (name, scheme) in schemes.into_iter().flatten() {
        let scheme = spec.deref(scheme);
        let cognito_shaped = str_of(scheme, "type") == "apiKey"
            && str_of(scheme, "in") == "header"
            && str_of(scheme, "name").eq_ignore_ascii_case("authorization");
        if !cognito_shaped {
            out.push(Diagnostic::lint(
                &spec.file,
                pointer(["components", "securitySchemes", name.as_str()]),
                format!("security scheme `{name}` is not an apiKey on the Authorization header, the only form API Gateway's Cognito user pool authorizer takes"),
                "declare `type: apiKey, in: header, name: Authorization` (codegen adds x-amazon-apigateway-authtype: cognito_user_pools)",
            ));
        }
    }
}

pub(super) fn lint_operation(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let at = op.pointer();
    let Some(security) = op.op.get("security") else {
        out.push(Diagnostic::lint(
            &spec.file,
            &at,
            "the operation has no `security`; API Gateway ignores root-level security, so it would be public",
            "add `security: [{cognito: []}]`, or `security: []` to make it public on purpose",
        ));
        return;
    };
    let authed = security.as_array().is_some_and(|a| !a.is_empty());
    let declares_401 = op
        .op
        .get("responses")
        .and_then(Value::as_object)
        .is_some_and(|r| r.contains_key("401"));
    if authed && !declares_401 {
        out.push(Diagnostic::lint(
            &spec.file,
            child(&at, "responses"),
            "the operation needs a token but declares no 401",
            "add `'401': {$ref: '#/components/responses/Unauthorized'}`",
        ));
    }
}
