//! Lints: API Gateway import rules and the team's conventions, one module per
//! OpenAPI concept. None blocks generation.

mod access;
mod document;
mod limits;
mod operations;
mod parameters;
mod responses;
mod schemas;
mod security;

pub use limits::gateway_limits;

use crate::diagnostics::Diagnostic;
use crate::source::Spec;

/// Every lint of the spec.
pub fn lints(spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    document::lint(spec, &mut out);
    security::lint_schemes(spec, &mut out);
    schemas::lint(spec, &mut out);
    for op in openapi_document::operations(&spec.raw) {
        operations::lint(spec, &op, &mut out);
        parameters::lint(spec, &op, &mut out);
        security::lint_operation(spec, &op, &mut out);
        responses::lint(spec, &op, &mut out);
        access::lint(spec, &op, &mut out);
    }
    out
}
