//! The server crate: per operation a typed request, a success enum and an
//! error enum with one variant per declared status, a trait returning
//! `Result<Success, Error>`, validation and a lambda_http adapter; plus the
//! route table and the all-operations trait. Rendered from a
//! handlebars template, then parsed and formatted (prettyplease).

use crate::model::{Api, Location, Operation, Parameter, Payload, Response};
use crate::names;
use handlebars::Handlebars;
use serde_json::{json, Value};

const TEMPLATE: &str = include_str!("../../templates/server.rs.hbs");

/// Renders the server crate's module (`generated.rs`; `lib.rs` is [`super::crate_files`]).
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
        "any_input": api.operations.iter().any(|o| !o.parameters.is_empty() || o.body.is_some()),
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
    let (errors, successes): (Vec<&Response>, Vec<&Response>) =
        op.responses.iter().partition(|r| r.is_error());
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
        "successes": successes.iter().map(|r| response(r)).collect::<Vec<_>>(),
        "errors": errors.iter().map(|r| response(r)).collect::<Vec<_>>(),
        "from_body": from_body(&successes),
        "from_error": from_error(op, &errors),
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

/// One response variant: its declaration and its match arms, decided together.
/// Success variants render with `json_response`; error variants holding a
/// `Problem` render through it, so that the adapter adds the request id.
fn response(r: &Response) -> Value {
    let v = &r.variant;
    let range = r.code.is_none();
    let structured = range || !r.headers.is_empty();
    let payload_field = match &r.payload {
        Payload::Empty => None,
        Payload::Problem => Some(("problem", "Problem".to_owned())),
        Payload::Typed(t) => Some(("body", t.clone())),
    };
    let mut fields = Vec::new();
    let mut names = Vec::new();
    if range {
        fields.push("status: u16".to_owned());
        names.push("status".to_owned());
    }
    if let Some((name, ty)) = &payload_field {
        fields.push(format!("{name}: {ty}"));
        names.push((*name).to_owned());
    }
    for h in &r.headers {
        let ty = if h.required {
            "String"
        } else {
            "Option<String>"
        };
        fields.push(format!("{}: {ty}", h.field));
        names.push(h.field.clone());
    }
    let (declaration, pattern) = if structured {
        (
            format!("{v} {{ {} }}", fields.join(", ")),
            format!("Self::{v} {{ {} }}", names.join(", ")),
        )
    } else if let Some((name, ty)) = &payload_field {
        (format!("{v}({ty})"), format!("Self::{v}({name})"))
    } else {
        (v.clone(), format!("Self::{v}"))
    };
    let status_pattern = if range {
        format!("Self::{v} {{ status, .. }}")
    } else if structured {
        format!("Self::{v} {{ .. }}")
    } else if payload_field.is_some() {
        format!("Self::{v}(_)")
    } else {
        format!("Self::{v}")
    };
    let status = r
        .code
        .map_or_else(|| "status".to_owned(), |c| c.to_string());
    let headers = format!(
        "&[{}]",
        r.headers
            .iter()
            .map(|h| {
                let value = if h.required {
                    format!("Some({})", h.field)
                } else {
                    h.field.clone()
                };
                format!("({}, {value})", lit(&h.name))
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let response_arm = match &r.payload {
        Payload::Problem => {
            format!("{pattern} => problem_response(problem, {status}, meta, {headers})")
        }
        Payload::Typed(_) => {
            format!("{pattern} => json_response({status}, Some(&body), {headers})")
        }
        Payload::Empty => format!("{pattern} => json_response::<()>({status}, None, {headers})"),
    };
    json!({
        "status": r.status,
        "description": one_line(&r.description),
        "declaration": declaration,
        "status_arm": format!("{status_pattern} => {}", if range { "*status".to_owned() } else { status }),
        "response_arm": response_arm,
    })
}

/// A success enum with exactly one variant holding a bare body converts from
/// that body, so a handler can write `Ok(page.into())`.
fn from_body(successes: &[&Response]) -> Value {
    match successes {
        [only] if only.code.is_some() && only.headers.is_empty() => match &only.payload {
            Payload::Typed(t) => json!({"rust_type": t, "variant": only.variant}),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

/// `impl<E: Into<ApiError>> From<E> for <Op>Error`: the arms that pick the
/// declared variant for an error's status. Only variants a bare `Problem` can
/// build take part (a `Problem` or no body, no required header). A status the
/// operation does not declare goes to its `default` (keeping the status), else
/// to its declared server error (500, 503, `5XX`, any 5xx), and is logged.
/// `Null` when the operation declares no such server error: then `?` on a
/// foreign error does not compile, and the handler picks a declared variant
/// itself (a failure must not pass for the client's fault).
fn from_error(op: &Operation, errors: &[&Response]) -> Value {
    let mappable: Vec<&Response> = errors
        .iter()
        .copied()
        .filter(|r| !matches!(r.payload, Payload::Typed(_)))
        .filter(|r| r.headers.iter().all(|h| !h.required))
        .collect();
    let default = mappable.iter().find(|r| r.status == "default");
    let server_error = ["500", "503", "5XX"]
        .iter()
        .find_map(|s| mappable.iter().find(|r| r.status == *s))
        .or_else(|| mappable.iter().find(|r| r.status.starts_with('5')));
    if default.is_none() && server_error.is_none() {
        return Value::Null;
    }
    let build = |r: &Response, status: &str| -> String {
        let v = &r.variant;
        let mut fields = Vec::new();
        if r.code.is_none() {
            fields.push(if status == "status" {
                "status".to_owned()
            } else {
                format!("status: {status}")
            });
        }
        if r.payload == Payload::Problem {
            fields.push("problem".to_owned());
        }
        fields.extend(r.headers.iter().map(|h| format!("{}: None", h.field)));
        let structured = r.code.is_none() || !r.headers.is_empty();
        if structured {
            format!("Self::{v} {{ {} }}", fields.join(", "))
        } else if r.payload == Payload::Problem {
            format!("Self::{v}(problem)")
        } else {
            format!("Self::{v}")
        }
    };
    let mut arms = Vec::new();
    for r in mappable.iter().filter(|r| r.code.is_some()) {
        arms.push(format!("{} => {}", r.status, build(r, "status")));
    }
    for r in mappable
        .iter()
        .filter(|r| r.code.is_none() && r.status != "default")
    {
        let class = &r.status[..1];
        arms.push(format!("{class}00..={class}99 => {}", build(r, "status")));
    }
    let fallback_arm = match (default, server_error) {
        (Some(default), _) => format!("_ => {}", build(default, "status")),
        (None, Some(chosen)) => {
            let answered = chosen.code.unwrap_or(500);
            format!(
                "_ => {{ codegen_runtime::undeclared_status({}, status, {answered}); {} }}",
                lit(&op.operation_id),
                build(chosen, &answered.to_string())
            )
        }
        (None, None) => return Value::Null,
    };
    arms.push(fallback_arm);
    json!({ "arms": arms })
}
