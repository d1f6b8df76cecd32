//! Refusals: each module checks one OpenAPI concept and pushes an error per
//! construct that cannot be generated correctly.

mod parameters;
mod paths;
mod responses;
mod schemas;

use crate::diagnostics::Diagnostic;
use crate::source::Spec;

/// Every refusal of the spec, in document order per concept.
pub fn errors(spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    paths::check(spec, &mut out);
    schemas::check(spec, &mut out);
    for op in openapi_document::operations(&spec.raw) {
        parameters::check(spec, &op, &mut out);
        responses::check(spec, &op, &mut out);
    }
    out
}
