//! Schemas: `type` values OpenAPI 3.0 defines, and `$ref`s that lead to schemas.

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
    check_schema_refs(spec, out);
}

/// Every `type` string of every schema (components and inline, not inside
/// example data) is one of [`SCHEMA_TYPES`].
fn check_types(spec: &Spec, out: &mut Vec<Diagnostic>) {
    for_each_schema(&spec.raw, &mut |at, schema| {
        if let Some(ty) = schema.get("type").filter(|t| !t.is_string()) {
            out.push(Diagnostic::error(
                &spec.file,
                at.child("type").as_str(),
                format!("`type: {ty}` is not a type name"),
                format!(
                    "use one of {} (`nullable: true` for null)",
                    SCHEMA_TYPES.join(", ")
                ),
            ));
        }
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

/// A schema `$ref` must name a component schema: codegen hoists every other
/// schema it can resolve into one (`source::normalize`), so what is left
/// (`#`, `#/components`, a parameter) is not a schema.
pub(super) fn check_schema_refs(spec: &Spec, out: &mut Vec<Diagnostic>) {
    for_each_schema(&spec.raw, &mut |at, schema| {
        let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
            return;
        };
        let pointer = openapi_document::Pointer::parse(target.trim_start_matches('#'));
        let segments: Vec<String> = pointer.segments().map(|s| s.into_owned()).collect();
        let is_component = target.starts_with("#/")
            && segments.len() == 3
            && segments[0] == "components"
            && segments[1] == "schemas";
        if !is_component && target.starts_with('#') {
            out.push(Diagnostic::error(
                &spec.file,
                at.child("$ref").as_str(),
                format!("`$ref: {target}` does not lead to a schema"),
                "point it at a schema, e.g. `#/components/schemas/<Name>`",
            ));
        }
    });
}
