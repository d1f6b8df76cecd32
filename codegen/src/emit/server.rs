//! The server crate: per operation a typed request, a success enum and an
//! error enum with one variant per declared status, a trait returning
//! `Result<Success, Error>`, validation and a lambda_http adapter; plus the
//! route table and the all-operations trait. Rendered from a handlebars
//! template whose operation-specific pieces (variants, match arms, body
//! readers) are written here, then parsed and formatted (prettyplease).

use super::validators::{self, Checks};
use crate::model::{
    Api, Body, BodyKind, Location, MediaBody, MediaPayload, Operation, Parameter, Payload,
    Response, Shape,
};
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
    let (compiled, checks) = validators::of_api(api)?;
    let context = json!({
        "title": one_line(&api.title),
        "version": one_line(&api.version),
        "version_lit": lit(&api.version),
        "types_crate": api.types.crate_ident(),
        "api_trait": format!("{}Api", names::pascal(&api.service)),
        "operations": api.operations.iter().map(|op| operation(op, &checks)).collect::<Vec<_>>(),
    });
    let mut source = hbs.render("server", &context).map_err(|e| e.to_string())?;
    if !compiled.is_empty() {
        source.push_str(&compiled.module(validators::MODULE));
    }
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

fn operation(op: &Operation, checks: &Checks) -> Value {
    let (errors, mut successes): (Vec<&Response>, Vec<&Response>) =
        op.responses.iter().partition(|r| r.is_error());
    // `default` is any status: with no success declared, it is also how the
    // handler answers success.
    if successes.is_empty() {
        successes.extend(op.responses.iter().filter(|r| r.status == "default"));
    }
    let mut enums: Vec<String> = Vec::new();
    if let Some(body) = &op.body {
        if let Some(name) = &body.enum_name {
            enums.push(body_enum(name, &body.media));
        }
    }
    for r in &op.responses {
        if let Payload::Many { enum_name, media } = &r.payload {
            enums.push(payload_enum(enum_name, media));
        }
    }
    let split = if op.split_segments.is_empty() {
        String::new()
    } else {
        format!(
            ".split_segments(&[{}], &mut __errors)",
            op.split_segments
                .iter()
                .map(|s| format!("({}, {})", lit(&s.route_param), lit(&s.template)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    json!({
        "operation_id": op.operation_id,
        "pascal": op.pascal,
        "snake": op.snake,
        "method": op.method,
        "path": op.path,
        "path_lit": lit(&op.path),
        "route_lit": lit(&op.route),
        "summary": one_line(&op.summary),
        "auth": op.auth,
        "enforced": op.parameters.iter().any(|p| p.handler_enforced),
        "split": split,
        "enums": enums,
        "params": op.parameters.iter().map(|p| parameter(p, checks)).collect::<Vec<_>>(),
        "body": op.body.as_ref().map(|b| body(op, b)),
        "body_statics": op.body.as_ref().map(|b| body_statics(b, checks)).unwrap_or_default(),
        "successes": successes.iter().map(|r| response(r)).collect::<Vec<_>>(),
        "errors": errors.iter().map(|r| response(r)).collect::<Vec<_>>(),
        "from_body": from_body(&successes),
        "from_error": from_error(op, &errors),
    })
}

fn parameter(p: &Parameter, checks: &Checks) -> Value {
    let always_present = p.required || p.default.is_some();
    json!({
        "name": p.name,
        "name_lit": lit(&p.name),
        "key_lit": lit(&p.key),
        "field": p.field,
        "local": format!("__{}", p.field.trim_start_matches("r#")),
        "const_name": p.field.trim_end_matches('_').to_ascii_uppercase(),
        "location": location_word(p.location),
        "location_variant": match p.location {
            Location::Path => "Path",
            Location::Query => "Query",
            Location::Header => "Header",
            Location::Cookie => "Cookie",
        },
        "style_variant": style_variant(&p.style),
        "explode": p.explode,
        "shape": shape(&p.shape),
        "rust_type": p.rust_type,
        "field_type": if always_present { p.rust_type.clone() } else { format!("Option<{}>", p.rust_type) },
        "always_present": always_present,
        "required": p.required,
        "handler_enforced": p.handler_enforced,
        "default_lit": p.default.as_ref().map(|d| format!("Some({})", lit(d))).unwrap_or_else(|| "None".into()),
        "schema_lit": checks.path(&p.schema),
        "description": one_line(&p.description),
    })
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn style_variant(style: &str) -> &'static str {
    match style {
        "label" => "Label",
        "matrix" => "Matrix",
        "form" => "Form",
        "spaceDelimited" => "SpaceDelimited",
        "pipeDelimited" => "PipeDelimited",
        "deepObject" => "DeepObject",
        _ => "Simple",
    }
}

/// A `codegen_runtime::Shape` constant.
fn shape(shape: &Shape) -> String {
    let types = |t: &[String]| {
        format!(
            "&[{}]",
            t.iter().map(|t| lit(t)).collect::<Vec<_>>().join(", ")
        )
    };
    match shape {
        Shape::Scalar(t) => format!("Shape::Scalar({})", types(t)),
        Shape::Array(t) => format!("Shape::Array({})", types(t)),
        Shape::Json => "Shape::Json".to_owned(),
        Shape::Object {
            properties,
            additional,
        } => format!(
            "Shape::Object {{ properties: &[{}], additional: {} }}",
            properties
                .iter()
                .map(|(name, t)| format!("({}, {})", lit(name), types(t)))
                .collect::<Vec<_>>()
                .join(", "),
            types(additional)
        ),
    }
}

/// The enum of a request body with several media types.
fn body_enum(name: &str, media: &[MediaBody]) -> String {
    let variants: Vec<String> = media
        .iter()
        .map(|m| {
            format!(
                "    /// `{}`\n    {}({}),",
                m.media_type, m.variant, m.rust_type
            )
        })
        .collect();
    format!(
        "/// The body, by the media type it was sent as.\n#[derive(Debug, Clone)]\npub enum {name} {{\n{}\n}}",
        variants.join("\n")
    )
}

/// The enum of a response body with several media types.
fn payload_enum(name: &str, media: &[MediaPayload]) -> String {
    let variants: Vec<String> = media
        .iter()
        .map(|m| {
            format!(
                "    /// `{}`\n    {}({}),",
                m.content_type, m.variant, m.rust_type
            )
        })
        .collect();
    format!(
        "/// The body, in the media type the handler chooses.\n#[derive(Debug, Clone)]\npub enum {name} {{\n{}\n}}",
        variants.join("\n")
    )
}

/// The schema and shape statics of the body's media types.
fn body_statics(body: &Body, checks: &Checks) -> Vec<String> {
    let mut out = Vec::new();
    for (i, m) in body.media.iter().enumerate() {
        if let Some(schema) = &m.schema {
            out.push(format!(
                "pub static BODY_{i}: Schema = Schema::new({});",
                checks.path(schema)
            ));
        }
        if let Some(s) = &m.shape {
            out.push(format!("pub const BODY_{i}_SHAPE: Shape = {};", shape(s)));
        }
    }
    out
}

/// The statement that reads the body into `__body` (an `Option`), and the
/// typed request's field type.
fn body(op: &Operation, body: &Body) -> Value {
    let declared: Vec<String> = body.media.iter().map(|m| lit(&m.media_type)).collect();
    let declared_list = body
        .media
        .iter()
        .map(|m| m.media_type.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let arms: Vec<String> = body
        .media
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let read = read_media(&op.snake, i, m);
            match &body.enum_name {
                Some(name) => format!("Some({i}) => {read}.map({name}::{}),", m.variant),
                None => format!("Some({i}) => {read},"),
            }
        })
        .collect();
    let declares_415 = op.responses.iter().any(|r| r.status == "415");
    let other = if declares_415 {
        format!(
            "_ => return Err(unsupported_media_type(&__meta, &__content_type, {})),",
            lit(&declared_list)
        )
    } else {
        format!(
            "_ => {{ __errors.push(\"header.Content-Type\", \"mediaType\", format!(\"the body must be sent as {}, not {{}}\", if __content_type.is_empty() {{ \"(none)\" }} else {{ __content_type.as_str() }})); None }}",
            declared_list.replace('{', "{{").replace('}', "}}")
        )
    };
    let parse = format!(
        "let __body = if !read_body::is_present(__request) {{ {missing} None }} else {{ let __content_type = read_body::content_type(__request); match read_body::select(&__content_type, &[{declared}]) {{ {arms} {other} }} }};",
        missing = if body.required {
            "__errors.push(\"/\", \"required\", \"a request body is required\");"
        } else {
            ""
        },
        declared = declared.join(", "),
        arms = arms.join(" "),
    );
    let rust_type = body.rust_type();
    json!({
        "required": body.required,
        "media_list": declared_list,
        "field_type": if body.required { rust_type.clone() } else { format!("Option<{rust_type}>") },
        "parse": parse,
    })
}

/// The expression that reads the body as media type `m` (an `Option`).
fn read_media(snake: &str, i: usize, m: &MediaBody) -> String {
    let schema = match &m.schema {
        Some(_) => format!("Some(&{snake}_input::BODY_{i})"),
        None => "None".to_owned(),
    };
    let shape = match &m.shape {
        Some(_) => format!("{snake}_input::BODY_{i}_SHAPE"),
        None => "Shape::Object { properties: &[], additional: &[] }".to_owned(),
    };
    match m.kind {
        BodyKind::Json => format!(
            "read_body::json::<{}>(__request, {schema}, &mut __errors)",
            m.rust_type
        ),
        BodyKind::Form => format!(
            "read_body::form::<{}>(__request, {shape}, {schema}, &mut __errors)",
            m.rust_type
        ),
        BodyKind::Multipart => {
            format!("read_body::multipart(__request, {shape}, {schema}, &mut __errors).await")
        }
        BodyKind::Text => "read_body::text(__request, &mut __errors)".to_owned(),
        BodyKind::Bytes => "Some(read_body::binary(__request))".to_owned(),
    }
}

/// The expression that writes payload `body` of media `m`.
fn write_media(m: &MediaPayload, status: &str, body: &str, headers: &str) -> String {
    let ct = lit(&m.content_type);
    match m.kind {
        BodyKind::Json => format!("json_response_as({status}, {ct}, Some(&{body}), {headers})"),
        BodyKind::Text | BodyKind::Form => {
            format!("text_response({status}, {ct}, {body}, {headers})")
        }
        BodyKind::Bytes | BodyKind::Multipart => {
            format!("bytes_response({status}, {ct}, {body}, {headers})")
        }
    }
}

/// One response variant: its declaration and its match arms, decided together.
/// Error variants holding a `Problem` render through `problem_response`, so
/// that the adapter adds the request id.
fn response(r: &Response) -> Value {
    let v = &r.variant;
    let range = r.code.is_none();
    let structured = range || !r.headers.is_empty();
    let payload_field = match &r.payload {
        Payload::Empty => None,
        Payload::Problem => Some(("problem", "Problem".to_owned())),
        Payload::One(m) => Some(("body", m.rust_type.clone())),
        Payload::Many { enum_name, .. } => Some(("body", enum_name.clone())),
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
    let write = match &r.payload {
        Payload::Problem => format!("problem_response(problem, {status}, meta, {headers})"),
        Payload::Empty => format!("json_response::<()>({status}, None, {headers})"),
        Payload::One(m) => write_media(m, &status, "body", &headers),
        Payload::Many { enum_name, media } => format!(
            "match body {{ {} }}",
            media
                .iter()
                .map(|m| format!(
                    "{enum_name}::{}(body) => {}",
                    m.variant,
                    write_media(m, &status, "body", &headers)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    json!({
        "status": r.status,
        "description": one_line(&r.description),
        "declaration": declaration,
        "status_arm": format!("{status_pattern} => {}", if range { "*status".to_owned() } else { status }),
        "response_arm": format!("{pattern} => {write}"),
    })
}

/// A success enum with exactly one variant holding a bare body converts from
/// that body, so a handler can write `Ok(page.into())`.
fn from_body(successes: &[&Response]) -> Value {
    match successes {
        [only] if only.code.is_some() && only.headers.is_empty() => match &only.payload {
            Payload::One(m) => json!({"rust_type": m.rust_type, "variant": only.variant}),
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
        .filter(|r| matches!(r.payload, Payload::Problem | Payload::Empty))
        .filter(|r| r.headers.iter().all(|h| !h.required))
        .collect();
    let default = mappable.iter().find(|r| r.status == "default");
    let server_error = ["500", "503", "5XX"]
        .iter()
        .find_map(|s| mappable.iter().find(|r| r.status == *s))
        .or_else(|| mappable.iter().find(|r| r.status.starts_with('5')));
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
    arms.push(fallback_arm);
    json!({ "arms": arms })
}
