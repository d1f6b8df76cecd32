//! The local API reference: `GET /openapi.json` and `GET /docs`.
//!
//! The page is rendered here, server-side, from the OpenAPI document
//! ([OpenAPI 3.0.3](https://spec.openapis.org/oas/v3.0.3)), so it works offline and needs no
//! CDN or JavaScript. Every operation is a `<section id="op-<operationId>">` and every component
//! schema a `<section id="schema-<Name>">`, so that browser tests can find them.

use std::fmt::Write as _;

use serde_json::Value;

/// Why the spec could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// Neither JSON nor YAML.
    #[error("the OpenAPI document is neither JSON nor YAML: {0}")]
    Parse(String),
    /// JSON serialisation failed.
    #[error("cannot serialise the OpenAPI document: {0}")]
    Json(#[from] serde_json::Error),
}

/// The two pages, rendered once at start.
#[derive(Debug, Clone)]
pub struct SpecPages {
    /// The spec as pretty JSON.
    pub json: String,
    /// The HTML reference.
    pub html: String,
}

impl SpecPages {
    /// Renders both pages from the spec text (JSON, or YAML such as `spec/accounts.yaml`).
    pub fn from_spec(spec: &str) -> Result<Self, DocsError> {
        let value: Value = match serde_json::from_str(spec) {
            Ok(v) => v,
            Err(_) => serde_yaml::from_str(spec).map_err(|e| DocsError::Parse(e.to_string()))?,
        };
        Ok(Self {
            json: serde_json::to_string_pretty(&value)?,
            html: render_html(&value),
        })
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const CSS: &str = "
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa;line-height:1.5}
header{background:#24292f;color:#fff;padding:1.5rem 2rem}header h1{margin:0 0 .3rem}header .version{opacity:.8}
main{display:flex;gap:2rem;padding:1.5rem 2rem;align-items:flex-start}
nav{position:sticky;top:1rem;min-width:16rem;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem}
nav ul{list-style:none;padding:0;margin:0}nav li{margin:.25rem 0}nav a{text-decoration:none;color:#0969da}
.content{flex:1;min-width:0}
section.op,section.schema{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem 1.5rem;margin-bottom:1.5rem}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem}h3{margin:.2rem 0}h4{margin:1rem 0 .4rem}
.method{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-weight:700;font-size:.85rem;padding:.1rem .4rem;margin-right:.5rem}
.get{background:#1f883d}.post{background:#0969da}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}.options,.head,.trace{background:#57606a}
code{background:#eff1f3;border-radius:4px;padding:.05rem .3rem;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.3rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
.auth{font-size:.85rem;color:#57606a}.req{color:#cf222e;font-weight:600}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.6rem;overflow:auto}
";

fn render_html(spec: &Value) -> String {
    let title = spec
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let operations = collect_operations(spec);
    let mut html = String::with_capacity(64 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{t}</title><style>{CSS}</style></head><body><header><h1>{t}</h1><div class=\"version\">Version {v} · <a style=\"color:#fff\" href=\"/openapi.json\">openapi.json</a></div></header><main><nav><strong>Operations</strong><ul>",
        t = esc(title),
        v = esc(version)
    );
    for op in &operations {
        let _ = write!(
            html,
            "<li><a href=\"#op-{id}\"><span class=\"method {m}\">{mu}</span>{p}</a></li>",
            id = esc(&op.id),
            m = op.method,
            mu = op.method.to_ascii_uppercase(),
            p = esc(&op.path)
        );
    }
    html.push_str("</ul><strong>Schemas</strong><ul>");
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    if let Some(schemas) = schemas {
        for name in schemas.keys() {
            let _ = write!(
                html,
                "<li><a href=\"#schema-{n}\">{n}</a></li>",
                n = esc(name)
            );
        }
    }
    html.push_str("</ul></nav><div class=\"content\">");
    if let Some(desc) = spec.pointer("/info/description").and_then(Value::as_str) {
        let _ = write!(
            html,
            "<section class=\"intro\">{}</section>",
            markdown(desc)
        );
    }
    html.push_str("<h2>Operations</h2>");
    for op in &operations {
        render_operation(&mut html, spec, op);
    }
    html.push_str("<h2>Schemas</h2>");
    if let Some(schemas) = schemas {
        for (name, schema) in schemas {
            let _ = write!(
                html,
                "<section class=\"schema\" id=\"schema-{n}\"><h3>{n}</h3>{body}</section>",
                n = esc(name),
                body = render_schema(spec, schema)
            );
        }
    }
    html.push_str("</div></main></body></html>");
    html
}

struct Operation<'a> {
    id: String,
    method: &'static str,
    path: String,
    op: &'a Value,
    path_item: &'a Value,
}

fn collect_operations(spec: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{method}{}", path.replace(['/', '{', '}'], "_")));
                out.push(Operation {
                    id,
                    method,
                    path: path.clone(),
                    op,
                    path_item: item,
                });
            }
        }
    }
    out
}

fn render_operation(html: &mut String, spec: &Value, op: &Operation<'_>) {
    let _ = write!(
        html,
        "<section class=\"op\" id=\"op-{id}\"><h3><span class=\"method {m}\">{mu}</span><code>{p}</code></h3>",
        id = esc(&op.id),
        m = op.method,
        mu = op.method.to_ascii_uppercase(),
        p = esc(&op.path)
    );
    if let Some(summary) = op.op.get("summary").and_then(Value::as_str) {
        let _ = write!(html, "<h4>{}</h4>", esc(summary));
    }
    let _ = write!(
        html,
        "<div class=\"auth\">operationId <code>{}</code> · {}</div>",
        esc(&op.id),
        auth_text(spec, op.op)
    );
    if let Some(desc) = op.op.get("description").and_then(Value::as_str) {
        html.push_str(&markdown(desc));
    }
    // Parameters: path-item ones first, overridden by the operation's own.
    let mut params: Vec<&Value> = Vec::new();
    let own: Vec<&Value> = op
        .op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|p| resolve(spec, p)).collect())
        .unwrap_or_default();
    if let Some(shared) = op.path_item.get("parameters").and_then(Value::as_array) {
        for p in shared {
            let p = resolve(spec, p);
            let same = |o: &&Value| o.get("name") == p.get("name") && o.get("in") == p.get("in");
            if !own.iter().any(same) {
                params.push(p);
            }
        }
    }
    params.extend(own);
    if !params.is_empty() {
        html.push_str("<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr>");
        for p in params {
            let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
            let _ = write!(
                html,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(p.get("name").and_then(Value::as_str).unwrap_or_default()),
                esc(p.get("in").and_then(Value::as_str).unwrap_or_default()),
                if required {
                    "<span class=\"req\">required</span>"
                } else {
                    "optional"
                },
                p.get("schema")
                    .map(|s| type_text(spec, s))
                    .unwrap_or_default(),
                markdown_inline(
                    p.get("description")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                )
            );
        }
        html.push_str("</table>");
    }
    if let Some(body) = op.op.get("requestBody").map(|b| resolve(spec, b)) {
        let required = body
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let _ = write!(
            html,
            "<h4>Request body{}</h4>",
            if required {
                " <span class=\"req\">required</span>"
            } else {
                ""
            }
        );
        if let Some(content) = body.get("content").and_then(Value::as_object) {
            for (ct, media) in content {
                let _ = write!(html, "<p>Content-Type <code>{}</code></p>", esc(ct));
                if let Some(schema) = media.get("schema") {
                    html.push_str(&render_schema(spec, schema));
                }
            }
        }
    }
    if let Some(responses) = op.op.get("responses").and_then(Value::as_object) {
        html.push_str(
            "<h4>Responses</h4><table><tr><th>Status</th><th>Description</th><th>Body</th></tr>",
        );
        for (status, response) in responses {
            let response = resolve(spec, response);
            let bodies: Vec<String> = response
                .get("content")
                .and_then(Value::as_object)
                .map(|c| {
                    c.iter()
                        .map(|(ct, m)| {
                            format!(
                                "<code>{}</code> {}",
                                esc(ct),
                                m.get("schema")
                                    .map(|s| type_text(spec, s))
                                    .unwrap_or_default()
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let _ = write!(
                html,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(status),
                markdown_inline(
                    response
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                ),
                bodies.join("<br>")
            );
        }
        html.push_str("</table>");
    }
    html.push_str("</section>");
}

fn auth_text(spec: &Value, op: &Value) -> String {
    match op.get("security").and_then(Value::as_array) {
        Some(reqs) if !reqs.is_empty() => {
            let names: Vec<String> = reqs
                .iter()
                .filter_map(Value::as_object)
                .flat_map(|r| r.keys().cloned())
                .collect();
            let detail: Vec<String> = names
                .iter()
                .map(|n| {
                    let header = spec
                        .pointer(&format!("/components/securitySchemes/{n}/name"))
                        .and_then(Value::as_str)
                        .unwrap_or("Authorization");
                    format!(
                        "<code>{}</code> (header <code>{}</code>)",
                        esc(n),
                        esc(header)
                    )
                })
                .collect();
            format!("Auth: {}", detail.join(", "))
        }
        Some(_) => "No authentication".to_owned(),
        None => match spec.get("security").and_then(Value::as_array) {
            Some(reqs) if !reqs.is_empty() => "Auth: API default".to_owned(),
            _ => "No authentication".to_owned(),
        },
    }
}

/// Follows a local `$ref` once (parameters, responses, request bodies, headers).
fn resolve<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| spec.pointer(p))
        .unwrap_or(v)
}

fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// A one-line type description with links to component schemas.
fn type_text(spec: &Value, schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return format!("<a href=\"#schema-{n}\">{n}</a>", n = esc(name));
    }
    let schema = resolve(spec, schema);
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => String::new(),
    };
    let mut text = if ty == "array" {
        let items = schema
            .get("items")
            .map(|i| type_text(spec, i))
            .unwrap_or_default();
        format!("array of {items}")
    } else if ty.is_empty() {
        "any".to_owned()
    } else {
        esc(&ty)
    };
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        text.push_str(" | null");
    }
    let constraints = constraints(schema);
    if !constraints.is_empty() {
        let _ = write!(text, " <span class=\"auth\">({constraints})</span>");
    }
    text
}

fn constraints(schema: &Value) -> String {
    let mut out = Vec::new();
    for key in [
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "minProperties",
        "default",
    ] {
        if let Some(v) = schema.get(key) {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push(format!("{key}: <code>{}</code>", esc(&v)));
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(|v| esc(&v.to_string())).collect();
        out.push(format!("enum: <code>{}</code>", values.join(", ")));
    }
    out.join(", ")
}

/// A schema block: its type line, description, and a property table for objects.
fn render_schema(spec: &Value, schema: &Value) -> String {
    let mut html = String::new();
    if ref_name(schema).is_some() {
        // A named model: link to it and show its shape here too.
        let _ = write!(html, "<p>{}</p>", type_text(spec, schema));
        let resolved = resolve(spec, schema);
        if ref_name(resolved).is_none() {
            html.push_str(&render_schema_body(spec, resolved));
        }
        return html;
    }
    let _ = write!(html, "<p>{}</p>", type_text(spec, schema));
    html.push_str(&render_schema_body(spec, schema));
    html
}

/// Description and property table of a schema that is not a `$ref`.
fn render_schema_body(spec: &Value, schema: &Value) -> String {
    let mut html = String::new();
    if let Some(desc) = schema.get("description").and_then(Value::as_str) {
        html.push_str(&markdown(desc));
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        html.push_str(
            "<table><tr><th>Property</th><th>Required</th><th>Schema</th><th>Description</th></tr>",
        );
        for (name, prop) in props {
            let desc = prop
                .get("description")
                .and_then(Value::as_str)
                .or_else(|| {
                    ref_name(prop)
                        .and_then(|_| resolve(spec, prop).get("description"))
                        .and_then(Value::as_str)
                })
                .unwrap_or_default();
            let _ = write!(
                html,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(name),
                if required.contains(&name.as_str()) {
                    "<span class=\"req\">required</span>"
                } else {
                    "optional"
                },
                type_text(spec, prop),
                markdown_inline(desc)
            );
        }
        html.push_str("</table>");
        match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => html.push_str("<p class=\"auth\">No other properties.</p>"),
            Some(other @ Value::Object(_)) => {
                let _ = write!(
                    html,
                    "<p class=\"auth\">Other properties: {}</p>",
                    type_text(spec, other)
                );
            }
            _ => {}
        }
    }
    html
}

/// Escapes text for HTML.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The few Markdown constructs the spec uses: paragraphs, `code` and **bold**.
fn markdown(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", markdown_inline(p)))
        .collect()
}

fn markdown_inline(text: &str) -> String {
    let escaped = esc(text);
    let mut out = String::with_capacity(escaped.len());
    let mut in_code = false;
    for (i, part) in escaped.split('`').enumerate() {
        if i > 0 {
            out.push_str(if in_code { "</code>" } else { "<code>" });
            in_code = !in_code;
        }
        if in_code {
            out.push_str(part);
        } else {
            let mut bold = false;
            for (j, chunk) in part.split("**").enumerate() {
                if j > 0 {
                    out.push_str(if bold { "</strong>" } else { "<strong>" });
                    bold = !bold;
                }
                out.push_str(chunk);
            }
            if bold {
                out.push_str("</strong>");
            }
        }
    }
    if in_code {
        out.push_str("</code>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_escaping() {
        assert_eq!(
            markdown_inline("a `<b>` **c**"),
            "a <code>&lt;b&gt;</code> <strong>c</strong>"
        );
        assert_eq!(markdown("x\n\ny"), "<p>x</p><p>y</p>");
    }
}
