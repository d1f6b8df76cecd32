//! Parameters: every `{name}` of a path template must be a declared path
//! parameter, and every path parameter must appear in the template (a router
//! cannot fill it otherwise).

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::paths::template_params;
use openapi_document::{parameters, Operation};
use std::collections::BTreeSet;

pub(super) fn check(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let params = parameters(&spec.raw, op);
    for p in &params {
        let is_parameter = p.value.is_object()
            && p.value
                .get("name")
                .is_some_and(serde_json::Value::is_string)
            && matches!(p.location(), "path" | "query" | "header" | "cookie");
        if !is_parameter {
            out.push(Diagnostic::error(
                f,
                &p.pointer,
                "this is not a Parameter Object (it needs a `name` and `in: path|query|header|cookie`; a `$ref` must lead to one)",
                "write the parameter, or point the `$ref` at `#/components/parameters/<Name>`",
            ));
        }
    }
    let declared: BTreeSet<&str> = params
        .iter()
        .filter(|p| p.location() == "path")
        .map(|p| p.name())
        .collect();
    let templated = all_template_params(op.path);
    for name in &templated {
        if !declared.contains(name.as_str()) {
            out.push(Diagnostic::error(
                f,
                op.pointer(),
                format!("path parameter `{{{name}}}` of `{}` is not declared", op.path),
                format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to the parameters"),
            ));
        }
    }
    for p in params.iter().filter(|p| p.location() == "path") {
        if !templated.iter().any(|t| t == p.name()) {
            out.push(Diagnostic::error(
                f,
                &p.pointer,
                format!(
                    "path parameter `{}` does not appear in the path `{}`",
                    p.name(),
                    op.path
                ),
                format!("add `{{{}}}` to the path or change `in`", p.name()),
            ));
        }
    }
}

/// Every `{name}` of a template, whole segments and mixed ones alike.
fn all_template_params(path: &str) -> Vec<String> {
    let mut out: Vec<String> = template_params(path)
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    for segment in openapi_document::paths::mixed_segments(path) {
        for piece in segment.split('{').skip(1) {
            if let Some(name) = piece.split('}').next() {
                out.push(name.to_owned());
            }
        }
    }
    out
}
