//! The server crate: per operation a typed request, a response enum with one
//! variant per declared status, a trait, validation and a lambda_http adapter;
//! plus the route table and the all-operations trait. Rendered from a
//! handlebars template, then parsed and formatted (prettyplease).

use crate::model::{Api, Location, Operation, Parameter, Response};
use crate::names;
use handlebars::Handlebars;
use serde_json::{json, Value};

const TEMPLATE: &str = include_str!("../../templates/server.rs.hbs");

/// Renders the server crate (`lib.rs`).
pub fn emit(api: &Api, spec_file: &str) -> Result<String, String> {
    let mut hbs = Handlebars::new();
    hbs.set_strict_mode(true);
    hbs.register_escape_fn(handlebars::no_escape);
    hbs.register_template_string("server", TEMPLATE)
        .map_err(|e| e.to_string())?;
    let context = json!({
        "title": one_line(&api.title),
        "version": one_line(&api.version),
        "version_lit": lit(&api.version),
        "types_crate": api.types.crate_ident(),
        "api_trait": format!("{}Api", names::pascal(&api.service)),
        "operations": api.operations.iter().map(operation).collect::<Vec<_>>(),
    });
    let source = hbs.render("server", &context).map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse_file(&source)
        .map_err(|e| format!("generated server code does not parse: {e}"))?;
    Ok(super::rust_file(&super::rust_header(spec_file), &file))
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// Text safe inside a `///` line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn operation(op: &Operation) -> Value {
    json!({
        "operation_id": op.operation_id,
        "pascal": op.pascal,
        "snake": op.snake,
        "method": op.method,
        "path": op.path,
        "path_lit": lit(&op.path),
        "summary": one_line(&op.summary),
        "auth": op.auth,
        "enforced": op.parameters.iter().any(|p| p.handler_enforced),
        "has_input": !op.parameters.is_empty() || op.body.is_some(),
        "params": op.parameters.iter().map(parameter).collect::<Vec<_>>(),
        "body": op.body.as_ref().map(|b| json!({
            "media_type": b.media_type,
            "media_lit": lit(&b.media_type),
            "required": b.required,
            "rust_type": b.rust_type,
            "field_type": if b.required { b.rust_type.clone() } else { format!("Option<{}>", b.rust_type) },
            "schema_lit": lit(&b.schema),
        })),
        "responses": op.responses.iter().map(response).collect::<Vec<_>>(),
    })
}

fn parameter(p: &Parameter) -> Value {
    let always_present = p.required || p.default.is_some();
    json!({
        "name": p.name,
        "name_lit": lit(&p.name),
        "field": p.field,
        "const_name": p.field.trim_end_matches('_').to_ascii_uppercase(),
        "location": match p.location { Location::Path => "path", Location::Query => "query", Location::Header => "header" },
        "location_variant": match p.location { Location::Path => "Path", Location::Query => "Query", Location::Header => "Header" },
        "rust_type": p.rust_type,
        "field_type": if always_present { p.rust_type.clone() } else { format!("Option<{}>", p.rust_type) },
        "always_present": always_present,
        "required": p.required,
        "handler_enforced": p.handler_enforced,
        "default_lit": p.default.as_ref().map(|d| format!("Some({})", lit(d))).unwrap_or_else(|| "None".into()),
        "json_type": p.json_type,
        "item_json_type": p.item_json_type,
        "schema_lit": lit(&p.schema),
        "description": one_line(&p.description),
    })
}

/// The variant declaration and its two match arms, decided together.
fn response(r: &Response) -> Value {
    let v = &r.variant;
    let range = r.code.is_none();
    let structured = range || !r.headers.is_empty();
    let status = r
        .code
        .map(|c| c.to_string())
        .unwrap_or_else(|| "status".into());
    let header_fields: Vec<String> = r
        .headers
        .iter()
        .map(|h| {
            format!(
                "{}: {}",
                h.field,
                if h.required {
                    "String"
                } else {
                    "Option<String>"
                }
            )
        })
        .collect();
    let header_values: Vec<String> = r
        .headers
        .iter()
        .map(|h| {
            format!(
                "({}, {})",
                lit(&h.name),
                if h.required {
                    format!("Some({})", h.field)
                } else {
                    h.field.clone()
                }
            )
        })
        .collect();
    let headers = format!("&[{}]", header_values.join(", "));
    let (declaration, pattern, body_expr) = if structured {
        let mut fields = Vec::new();
        let mut names = Vec::new();
        if range {
            fields.push("status: u16".to_owned());
            names.push("status".to_owned());
        }
        if let Some(t) = &r.body_type {
            fields.push(format!("body: {t}"));
            names.push("body".to_owned());
        }
        fields.extend(header_fields);
        names.extend(r.headers.iter().map(|h| h.field.clone()));
        (
            format!("{v} {{ {} }}", fields.join(", ")),
            format!("Self::{v} {{ {} }}", names.join(", ")),
            r.body_type.as_ref().map(|_| "body"),
        )
    } else if let Some(t) = &r.body_type {
        (
            format!("{v}({t})"),
            format!("Self::{v}(body)"),
            Some("body"),
        )
    } else {
        (v.clone(), format!("Self::{v}"), None)
    };
    let status_pattern = if structured {
        if range {
            format!("Self::{v} {{ status, .. }}")
        } else {
            format!("Self::{v} {{ .. }}")
        }
    } else if r.body_type.is_some() {
        format!("Self::{v}(_)")
    } else {
        format!("Self::{v}")
    };
    let status_value = if range {
        "*status".to_owned()
    } else {
        status.clone()
    };
    let response_arm = match body_expr {
        Some(b) => format!("{pattern} => json_response({status}, Some(&{b}), {headers})"),
        None => format!("{pattern} => json_response::<()>({status}, None, {headers})"),
    };
    json!({
        "status": r.status,
        "description": one_line(&r.description),
        "declaration": declaration,
        "status_arm": format!("{status_pattern} => {status_value}"),
        "response_arm": response_arm,
    })
}
