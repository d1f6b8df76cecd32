//! Parameters API Gateway treats otherwise than the spec says: codegen
//! generates them, and says what API Gateway will and will not do.

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::paths::mixed_segments;
use openapi_document::{parameters, pointer, Operation};

pub(super) fn lint(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    for segment in mixed_segments(op.path) {
        out.push(Diagnostic::lint(
            f,
            pointer(["paths", op.path]),
            format!("path segment `{segment}` mixes parameters with text; API Gateway matches whole segments, so it is routed as one parameter and the adapter splits it"),
            "make each parameter a whole segment (`/files/{name}/{ext}`) to let API Gateway route on it",
        ));
    }
    for p in parameters(&spec.raw, op) {
        match p.location() {
            "cookie" => out.push(Diagnostic::lint(
                f,
                &p.pointer,
                format!("cookie parameter `{}`: API Gateway REST import ignores cookie parameters, so only the adapter validates it", p.name()),
                "pass it as a header or query parameter to have API Gateway check its presence",
            )),
            "path" if !p.required() => out.push(Diagnostic::lint(
                f,
                &p.pointer,
                format!("path parameter `{}` is not `required: true`; path parameters always are, and it is treated as required", p.name()),
                "add `required: true`",
            )),
            _ => {}
        }
    }
}
