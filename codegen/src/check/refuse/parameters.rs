//! Parameters: declared for every path template segment, whole segments only,
//! a primitive schema the adapter can parse, and distinct Rust names.

use crate::diagnostics::Diagnostic;
use crate::names;
use crate::source::Spec;
use openapi_document::paths::{mixed_segments, template_params};
use openapi_document::{child, parameters, pointer, str_of, Operation};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(spec: &Spec, op: &Operation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let params = parameters(&spec.raw, op);
    let declared: BTreeSet<&str> = params
        .iter()
        .filter(|p| p.location() == "path")
        .map(|p| p.name())
        .collect();
    for segment in mixed_segments(op.path) {
        out.push(Diagnostic::error(
            f,
            pointer(["paths", op.path]),
            format!("path segment `{segment}` mixes a parameter with text; API Gateway path parameters must be whole segments"),
            "make the parameter a whole segment, e.g. `/files/{fileName}`",
        ));
    }
    let templated = template_params(op.path);
    for name in &templated {
        if !declared.contains(name) {
            out.push(Diagnostic::error(
                f,
                op.pointer(),
                format!("path parameter `{{{name}}}` of `{}` is not declared", op.path),
                format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to the parameters"),
            ));
        }
    }
    let mut fields: BTreeMap<String, &str> = BTreeMap::new();
    for p in &params {
        let (at, name, location) = (p.pointer.as_str(), p.name(), p.location());
        if location == "path" && !templated.contains(&name) {
            out.push(Diagnostic::error(
                f,
                at,
                format!(
                    "path parameter `{name}` does not appear in the path `{}`",
                    op.path
                ),
                format!("add `{{{name}}}` to the path or change `in`"),
            ));
        }
        if location == "path" && !p.required() {
            out.push(Diagnostic::error(
                f,
                at,
                format!("path parameter `{name}` is not `required: true`"),
                "path parameters are always required: add `required: true`",
            ));
        }
        if location == "cookie" {
            out.push(Diagnostic::error(
                f,
                at,
                format!(
                    "cookie parameter `{name}`: API Gateway REST import ignores cookie parameters"
                ),
                "pass it as a header or query parameter",
            ));
        }
        match p.value.get("schema") {
            Some(schema) if p.value.get("content").is_none() => {
                check_schema(spec, schema, name, location, at, out);
            }
            _ => out.push(Diagnostic::error(
                f,
                at,
                format!("parameter `{name}` has no `schema` (or uses `content`)"),
                "describe it with a `schema` of a primitive type",
            )),
        }
        let field = names::snake(name);
        if let Some(other) = fields.insert(field.clone(), at) {
            out.push(Diagnostic::error(
                f,
                at,
                format!("parameter `{name}` has the same Rust name `{field}` as the parameter at #{other}"),
                "rename one of the parameters",
            ));
        }
    }
}

/// Only primitives (and query arrays of them) can be parsed from a URL or header.
fn check_schema(
    spec: &Spec,
    schema: &Value,
    name: &str,
    location: &str,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let schema = spec.deref(schema);
    let ty = str_of(schema, "type");
    let item_ty = schema
        .get("items")
        .map(|i| str_of(spec.deref(i), "type"))
        .unwrap_or_default();
    let primitive = |t: &str| matches!(t, "string" | "integer" | "number" | "boolean");
    if primitive(ty) || (ty == "array" && location == "query" && primitive(item_ty)) {
        return;
    }
    out.push(Diagnostic::error(
        &spec.file,
        child(at, "schema"),
        format!(
            "parameter `{name}` has {}; only strings, numbers, integers, booleans (and arrays of them in the query) can be parsed from a URL or header",
            if ty.is_empty() { "a schema without `type`".to_owned() } else { format!("a schema of type `{ty}`") }
        ),
        "give the parameter a primitive `type`, or move structured data into the request body",
    ));
}
