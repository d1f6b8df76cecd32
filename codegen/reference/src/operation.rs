//! One operation's section: method and path, summary, authentication, description, a ready
//! `curl` command, parameters (path-level ones merged as OpenAPI says), request body and
//! responses, each body with an example.

use std::fmt::Write as _;

use openapi_document::{deref, parameters, pointer, str_of, Operation};
use serde_json::Value;

use crate::example::{self, Direction};
use crate::html::esc;
use crate::{curl, markdown, schema};

/// The anchor of an operation: its `operationId`, or one made of method and path.
pub(crate) fn anchor(op: &Operation<'_>) -> String {
    match op.operation_id() {
        Some(id) => id.to_owned(),
        None => format!("{}{}", op.method, op.path.replace(['/', '{', '}'], "_")),
    }
}

/// The method badge and the path, as in the navigation and the section's title.
pub(crate) fn badge(op: &Operation<'_>) -> String {
    format!(
        "<span class=\"method {m}\">{mu}</span>",
        m = esc(op.method),
        mu = esc(&op.method.to_ascii_uppercase())
    )
}

pub(crate) fn section(html: &mut String, spec: &Value, op: &Operation<'_>) {
    let id = anchor(op);
    let _ = write!(
        html,
        "<section class=\"op\" id=\"op-{id}\"><h3>{badge}<code>{p}</code></h3>",
        id = esc(&id),
        badge = badge(op),
        p = esc(op.path)
    );
    if let Some(summary) = op.op.get("summary").and_then(Value::as_str) {
        let _ = write!(html, "<h4>{}</h4>", esc(summary));
    }
    let _ = write!(
        html,
        "<div class=\"auth\">operationId <code>{}</code> · {}</div>",
        esc(&id),
        auth_text(spec, op)
    );
    if let Some(desc) = op.op.get("description").and_then(Value::as_str) {
        html.push_str(&markdown::block(desc));
    }
    let _ = write!(
        html,
        "<h4>Try it</h4><pre class=\"curl\"><code>{}</code></pre>",
        esc(&curl::command(spec, op))
    );
    parameter_table(html, spec, op);
    request_body(html, spec, op);
    response_table(html, spec, op);
    html.push_str("</section>");
}

/// An example block: `title` (HTML) over the value, pretty JSON for a JSON media type and
/// the text itself for a string of another (binary media types get none).
fn example_block(html: &mut String, title: &str, media_type: &str, value: &Value) {
    let text = match value {
        Value::String(s) if !openapi_document::media::is_json(media_type) => s.clone(),
        _ if openapi_document::media::is_json(media_type) => {
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        }
        _ => return,
    };
    let _ = write!(
        html,
        "<div class=\"example\"><div class=\"example-title\">{title}</div><pre><code>{}</code></pre></div>",
        esc(&text)
    );
}

fn parameter_table(html: &mut String, spec: &Value, op: &Operation<'_>) {
    let params = parameters(spec, op);
    if params.is_empty() {
        return;
    }
    html.push_str("<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th><th>Description</th></tr>");
    for p in params {
        let _ = write!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(p.name()),
            esc(p.location()),
            schema::required_text(p.required()),
            p.value
                .get("schema")
                .map(|s| schema::type_text(spec, s))
                .unwrap_or_default(),
            markdown::inline(str_of(p.value, "description"))
        );
    }
    html.push_str("</table>");
}

fn request_body(html: &mut String, spec: &Value, op: &Operation<'_>) {
    let Some(body) = op.op.get("requestBody").map(|b| deref(spec, b)) else {
        return;
    };
    let required = body.get("required").and_then(Value::as_bool) == Some(true);
    let _ = write!(
        html,
        "<h4>Request body{}</h4>",
        if required {
            " <span class=\"req\">required</span>"
        } else {
            ""
        }
    );
    for (content_type, media) in body
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let _ = write!(
            html,
            "<p>Content-Type <code>{}</code></p>",
            esc(content_type)
        );
        if let Some(s) = media.get("schema") {
            html.push_str(&schema::block(spec, s));
        }
        if let Some(value) = example::of_media(spec, media, Direction::Request) {
            example_block(html, "Example", content_type, &value);
        }
    }
}

fn response_table(html: &mut String, spec: &Value, op: &Operation<'_>) {
    let Some(responses) = op.op.get("responses").and_then(Value::as_object) else {
        return;
    };
    html.push_str(
        "<h4>Responses</h4><table><tr><th>Status</th><th>Description</th><th>Body</th></tr>",
    );
    let mut examples = String::new();
    for (status, response) in responses {
        let response = deref(spec, response);
        let bodies: Vec<String> = response
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(content_type, media)| {
                if let Some(value) = example::of_media(spec, media, Direction::Response) {
                    let title = format!(
                        "Response <code>{}</code> · <code>{}</code>",
                        esc(status),
                        esc(content_type)
                    );
                    example_block(&mut examples, &title, content_type, &value);
                }
                format!(
                    "<code>{}</code> {}",
                    esc(content_type),
                    media
                        .get("schema")
                        .map(|s| schema::type_text(spec, s))
                        .unwrap_or_default()
                )
            })
            .collect();
        let _ = write!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(status),
            markdown::inline(str_of(response, "description")),
            bodies.join("<br>")
        );
    }
    html.push_str("</table>");
    html.push_str(&examples);
}

/// Who may call it: the operation's `security`, else the document's.
fn auth_text(spec: &Value, op: &Operation<'_>) -> String {
    match scheme_names(op.op.get("security")) {
        Some(names) if !names.is_empty() => {
            let detail: Vec<String> = names
                .iter()
                .map(|name| {
                    let header = spec
                        .pointer(&pointer(["components", "securitySchemes", name, "name"]))
                        .and_then(Value::as_str)
                        .unwrap_or("Authorization");
                    format!(
                        "<code>{}</code> (header <code>{}</code>)",
                        esc(name),
                        esc(header)
                    )
                })
                .collect();
            format!("Auth: {}", detail.join(", "))
        }
        Some(_) => "No authentication".to_owned(),
        None => match scheme_names(spec.get("security")) {
            Some(names) if !names.is_empty() => "Auth: API default".to_owned(),
            _ => "No authentication".to_owned(),
        },
    }
}

/// The scheme names of a `security` list (`None` when there is no list).
fn scheme_names(security: Option<&Value>) -> Option<Vec<&str>> {
    security.and_then(Value::as_array).map(|requirements| {
        requirements
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|r| r.keys().map(String::as_str))
            .collect()
    })
}
