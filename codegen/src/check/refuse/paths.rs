//! `paths`: there must be some, each a template starting with `/`.

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::pointer;
use serde_json::Value;

pub(super) fn check(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let paths = spec.raw.get("paths").and_then(Value::as_object);
    if paths.is_none_or(|p| p.is_empty()) {
        out.push(Diagnostic::error(
            f,
            "/paths",
            "the document has no paths",
            "add at least one operation under `paths`",
        ));
    }
    for path in paths.into_iter().flatten().map(|(path, _)| path) {
        let at = pointer(["paths", path.as_str()]);
        if !path.starts_with('/') {
            out.push(Diagnostic::error(
                f,
                &at,
                "the path does not start with `/`",
                "write paths as `/segment/{param}`",
            ));
        }
    }
}
