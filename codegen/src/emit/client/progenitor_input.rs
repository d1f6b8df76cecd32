//! The copy of the document progenitor reads: what progenitor 0.15 cannot
//! take is rewritten into what it can, so that it never panics and the
//! client still compiles and calls every operation.
//!
//! - A request body keeps one media type (JSON first, then a form, bytes,
//!   text), given as one progenitor takes (`application/json`,
//!   `application/x-www-form-urlencoded`, `application/octet-stream`,
//!   `text/plain`); the real one is recorded for the client's hooks to send.
//!   (progenitor `todo!`s on several, and refuses `+json` types.)
//! - A response keeps one media type, JSON first.
//! - A media type without a schema gets one: any JSON value, or bytes.
//! - `default` beside typed successes becomes `4XX` and `5XX`, and each side
//!   (successes, errors) keeps one body type (progenitor asserts on more,
//!   issue 950): the other statuses reach the caller as
//!   `Error::UnexpectedResponse`.
//! - `OPTIONS` and `TRACE` operations are left out (reqwest has no builder
//!   for them, which progenitor's code calls); send them through
//!   `Client::client()`.
//! - `101` beside another success status is dropped (progenitor asserts on
//!   the mix; API Gateway REST cannot switch protocols).
//! - dropshot's `x-dropshot-websocket` is dropped: API Gateway REST serves no
//!   WebSockets, and progenitor's upgrade code needs crates the client lacks.
//! - Parameters progenitor cannot serialize: a `content` parameter, or a path
//!   parameter in `label` or `matrix` style, becomes a string the caller
//!   writes as it is sent (the JSON text, `.1.2`); a query parameter in
//!   `deepObject`, `spaceDelimited` or `pipeDelimited` style, and a cookie,
//!   is left out of the method (send it through `Client::client()`, the
//!   underlying reqwest client).

use openapi_document::{media, METHODS};
use serde_json::{json, Map, Value};

/// Rewrites `raw` for progenitor; returns `(snake operation id, media type)`
/// for each request body whose real media type the hooks must set.
pub(super) fn prepare(raw: &mut Value) -> Vec<(String, String)> {
    let mut media_types = Vec::new();
    crate::source::strip_callbacks(raw);
    let source = raw.clone();
    let merged = merged_parameters(&source);
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return media_types;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        item.remove("parameters");
        // reqwest's client has no `options`/`trace` request builders, which
        // progenitor calls: such operations are left out of the client.
        item.retain(|method, _| !matches!(method.as_str(), "options" | "trace"));
        for (method, op) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            op.remove("x-dropshot-websocket");
            let params = merged
                .get(&(path.clone(), method.clone()))
                .cloned()
                .unwrap_or_default();
            let mut names = std::collections::BTreeSet::new();
            let params: Vec<Value> = params
                .into_iter()
                .filter_map(|p| for_progenitor(&source, p))
                // progenitor names arguments by the snake case of the name:
                // of two that collide (`x-id`, `x_id`) the second is left out.
                .filter(|p| {
                    names.insert(crate::names::snake(
                        p.get("name").and_then(Value::as_str).unwrap_or_default(),
                    ))
                })
                .collect();
            op.insert("parameters".into(), Value::Array(params));
            let id = crate::names::snake(
                op.get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            );
            if let Some(body) = op.get_mut("requestBody") {
                inline(&source, body);
                if let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) {
                    if let Some(real) = one_request_media_type(content) {
                        media_types.push((id.clone(), real));
                    }
                }
            }
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                for response in responses.values_mut() {
                    inline(&source, response);
                    if let Some(content) =
                        response.get_mut("content").and_then(Value::as_object_mut)
                    {
                        one_response_media_type(content);
                    }
                }
                if let Some(default) = responses.remove("default") {
                    for range in ["4XX", "5XX"] {
                        responses.entry(range).or_insert_with(|| default.clone());
                    }
                }
                // `101 Switching Protocols` beside another success: progenitor
                // types it as an upgrade and asserts on the mix; API Gateway REST
                // cannot switch protocols anyway, so the other success stays.
                if responses.keys().any(|s| s != "101" && is_success(s)) {
                    responses.remove("101");
                }
            }
        }
    }
    keep_one_body_type_per_side(raw);
    relax_schemas(raw);
    media_types
}

/// progenitor builds types for inline schemas with its own typify: they get
/// the relaxations the shared types get (`crate::typify_input`).
fn relax_schemas(raw: &mut Value) {
    // Relaxing a schema relaxes its subschemas: the outermost are enough.
    for at in openapi_document::schemas::schema_roots(raw) {
        if let Some(schema) = raw.pointer_mut(at.as_str()) {
            *schema = crate::typify_input::relax(schema);
        }
    }
}

/// Every operation's parameters, path-level ones merged in, `$ref`s followed.
fn merged_parameters(source: &Value) -> std::collections::BTreeMap<(String, String), Vec<Value>> {
    openapi_document::operations(source)
        .iter()
        .map(|op| {
            let params = openapi_document::parameters(source, op)
                .into_iter()
                .map(|p| p.value.clone())
                .collect();
            ((op.path.to_owned(), op.method.to_owned()), params)
        })
        .collect()
}

/// A parameter as progenitor can serialize it, or `None` to leave it out.
/// Path and header values are written with `to_string`, so a structured one
/// (an array, an object) becomes a string the caller writes as sent.
fn for_progenitor(root: &Value, mut p: Value) -> Option<Value> {
    let location = p
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let style = p
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let structured = p.get("schema").is_some_and(|schema| {
        let schema = openapi_document::deref(root, schema);
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        matches!(ty, "array" | "object")
            || ["oneOf", "anyOf", "allOf", "properties"]
                .iter()
                .any(|k| schema.get(*k).is_some())
    });
    let map = p.as_object_mut()?;
    if location == "path" {
        // OpenAPI requires it, progenitor asserts it, and the server treats
        // every path parameter as required anyway.
        map.insert("required".into(), Value::Bool(true));
    }
    if structured && matches!(location.as_str(), "path" | "header") {
        map.insert("schema".into(), json!({"type": "string"}));
    }
    match (location.as_str(), style.as_str()) {
        ("cookie", _) | ("query", "deepObject" | "spaceDelimited" | "pipeDelimited") => {
            return None;
        }
        ("path", "label" | "matrix") => {
            map.remove("style");
            map.remove("explode");
            map.insert("schema".into(), json!({"type": "string"}));
        }
        _ => {}
    }
    if map.remove("content").is_some() {
        map.insert("schema".into(), json!({"type": "string"}));
    }
    Some(p)
}

/// A Reference Object replaced by its target, so that it can be rewritten
/// for this operation alone.
fn inline(root: &Value, value: &mut Value) {
    if value.get("$ref").is_some() {
        *value = openapi_document::deref(root, value).clone();
    }
}

/// The media types progenitor sends, by preference, and what each stands for.
fn progenitor_form(media_type: &str) -> (u8, &'static str) {
    match crate::model::BodyKind::of(media_type) {
        crate::model::BodyKind::Json => (0, "application/json"),
        crate::model::BodyKind::Form => (1, "application/x-www-form-urlencoded"),
        crate::model::BodyKind::Bytes | crate::model::BodyKind::Multipart => {
            (2, "application/octet-stream")
        }
        crate::model::BodyKind::Text => (3, "text/plain"),
    }
}

/// Keeps the preferred media type under progenitor's name for it; returns
/// the real one when they differ (the hooks send it).
fn one_request_media_type(content: &mut Map<String, Value>) -> Option<String> {
    let (real, mut chosen) = content
        .iter()
        .min_by_key(|(m, _)| progenitor_form(m).0)
        .map(|(m, v)| (m.clone(), v.clone()))?;
    let (_, as_sent) = progenitor_form(&real);
    if chosen.get("schema").is_none() {
        chosen["schema"] = default_schema(as_sent);
    }
    // progenitor takes bytes as a binary string and text as a plain one.
    if as_sent == "application/octet-stream" {
        chosen["schema"] = json!({"type": "string", "format": "binary"});
    } else if as_sent == "text/plain" {
        chosen["schema"] = json!({"type": "string"});
    }
    content.clear();
    content.insert(as_sent.to_owned(), chosen);
    let concrete = !real.contains('*') && !media::essence(&real).starts_with("multipart/");
    (concrete && media::essence(&real) != as_sent).then_some(real)
}

/// Keeps one media type, JSON first; a JSON one (`+json` too) is given as
/// `application/json`, the only type progenitor types (it reads every other
/// body as bytes).
fn one_response_media_type(content: &mut Map<String, Value>) {
    let Some((chosen_type, mut chosen)) = content
        .iter()
        .min_by_key(|(m, _)| u8::from(!media::is_json(m)))
        .map(|(m, v)| (m.clone(), v.clone()))
    else {
        return;
    };
    let as_read = if media::is_json(&chosen_type) {
        "application/json".to_owned()
    } else {
        chosen_type
    };
    if chosen.get("schema").is_none() {
        chosen["schema"] = default_schema(&as_read);
    }
    content.clear();
    content.insert(as_read, chosen);
}

fn default_schema(media_type: &str) -> Value {
    if media_type == "application/json" {
        json!({})
    } else {
        json!({"type": "string", "format": "binary"})
    }
}

/// progenitor returns one success type and one error type per operation and
/// asserts on more (progenitor issue 950). Where the statuses of one side
/// differ (a body on some, none or another schema on others), the client keeps
/// the statuses with the most common body (a body before none; the first
/// written on a tie) and leaves the rest undeclared: it still returns them,
/// as `Error::UnexpectedResponse` with their status and bytes.
fn keep_one_body_type_per_side(raw: &mut Value) {
    let source = raw.clone();
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for side_of in [is_success as fn(&str) -> bool, is_error] {
                let side: Vec<(String, String)> = responses
                    .iter()
                    .filter(|(status, _)| side_of(status))
                    .map(|(status, r)| (status.clone(), body_key(&source, r)))
                    .collect();
                let mut counts: Vec<(&str, usize)> = Vec::new();
                for (_, key) in &side {
                    match counts.iter_mut().find(|(k, _)| k == key) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((key, 1)),
                    }
                }
                if counts.len() < 2 {
                    continue;
                }
                // Most common first; a body before none; otherwise as written.
                let keep = counts
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, (key, n))| (*n, !key.is_empty(), usize::MAX - i))
                    .map(|(_, (key, _))| (*key).to_owned())
                    .unwrap_or_default();
                for (status, key) in &side {
                    if *key != keep {
                        responses.remove(status);
                    }
                }
            }
        }
    }
}

/// progenitor's success side: 101, 2xx, `2XX` (`default` was rewritten).
fn is_success(status: &str) -> bool {
    status == "101" || status.starts_with('2')
}

/// progenitor's error side: 4xx, 5xx, `4XX`, `5XX`.
fn is_error(status: &str) -> bool {
    status.starts_with(['4', '5'])
}

/// What progenitor types a response's body as: the schema of an
/// `application/json` body, bytes for any other body, `""` for none.
fn body_key(root: &Value, response: &Value) -> String {
    let content = openapi_document::deref(root, response)
        .get("content")
        .and_then(Value::as_object);
    match content.and_then(|c| c.iter().next()) {
        None => String::new(),
        Some((media_type, m)) if media::essence(media_type) == "application/json" => {
            format!(
                "json:{}",
                m.get("schema").map(Value::to_string).unwrap_or_default()
            )
        }
        Some(_) => "bytes".to_owned(),
    }
}
