//! Schemas: `type` values OpenAPI 3.0 defines.

use crate::diagnostics::Diagnostic;
use crate::source::Spec;
use openapi_document::schemas::for_each_schema;
use serde_json::Value;

/// The `type` values of the OpenAPI 3.0 Schema Object
/// (<https://spec.openapis.org/oas/v3.0.3#data-types>). openapiv3 reads any
/// other string as an untyped schema, which typify then rejects with a message
/// that names neither the keyword nor its place.
const SCHEMA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

pub(super) fn check(spec: &Spec, out: &mut Vec<Diagnostic>) {
    check_types(spec, out);
}

/// Every `type` string of every schema (components and inline, not inside
/// example data) is one of [`SCHEMA_TYPES`].
fn check_types(spec: &Spec, out: &mut Vec<Diagnostic>) {
    for_each_schema(&spec.raw, &mut |at, schema| {
        if let Some(ty) = schema.get("type").and_then(Value::as_str) {
            if !SCHEMA_TYPES.contains(&ty) {
                out.push(Diagnostic::error(
                    &spec.file,
                    at.child("type").as_str(),
                    format!("`type: {ty}` is not an OpenAPI 3.0 type"),
                    format!(
                        "use one of {} (`nullable: true` for null)",
                        SCHEMA_TYPES.join(", ")
                    ),
                ));
            }
        }
    });
}
