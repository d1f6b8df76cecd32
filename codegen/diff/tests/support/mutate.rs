//! Hand-picked evolutions applied to any OpenAPI document: each one edits
//! the first place it applies to and says which rule must then report it.
//! Shared by the corpus test and the benchmark (`examples/diff_bench.rs`).

#![allow(dead_code)] // each user takes what it needs

use serde_json::{json, Value};

/// One applied edit and the rule id the comparison must report for it.
#[derive(Debug, Clone)]
pub struct Mutation {
    pub what: String,
    pub rule: &'static str,
}

/// The HTTP methods of a Path Item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// `(path, method)` of every operation, in document order.
fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if let Some(item) = item.as_object() {
                for method in item.keys().filter(|m| METHODS.contains(&m.as_str())) {
                    out.push((path.clone(), method.clone()));
                }
            }
        }
    }
    out
}

/// Applies every mutation that finds a place, returning what was done.
pub fn mutate(doc: &mut Value) -> Vec<Mutation> {
    let mut done = Vec::new();
    let ops = operations(doc);
    // 1. The last operation disappears.
    if let Some((path, method)) = ops.last() {
        if ops.len() > 1 {
            if let Some(item) = doc
                .pointer_mut(&format!("/paths/{}", escape(path)))
                .and_then(Value::as_object_mut)
            {
                item.remove(method);
                done.push(Mutation {
                    what: format!("removed {method} {path}"),
                    rule: "operation-removed",
                });
            }
        }
    }
    // 2. The first operation answers one more status.
    if let Some((path, method)) = ops.first() {
        let at = format!("/paths/{}/{method}/responses", escape(path));
        if let Some(responses) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
            if !responses.contains_key("599") {
                responses.insert(
                    "599".into(),
                    json!({"description": "added by the mutation"}),
                );
                done.push(Mutation {
                    what: format!("added status 599 to {method} {path}"),
                    rule: "response-status-added",
                });
            }
        }
    }
    // 3. The first operation needs one more header.
    if let Some((path, method)) = ops.first() {
        let at = format!("/paths/{}/{method}", escape(path));
        if let Some(op) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
            let params = op.entry("parameters").or_insert_with(|| json!([]));
            if let Some(params) = params.as_array_mut() {
                params.push(json!({"name": "X-Mutation", "in": "header", "required": true, "schema": {"type": "string"}}));
                done.push(Mutation {
                    what: format!("required header added to {method} {path}"),
                    rule: "parameter-added-required",
                });
            }
        }
    }
    let mut touched = Vec::new();
    // 5. The first string enum of a component gains a value.
    if let Some(at) = first_under(doc, "/components/schemas", &|v| {
        v.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().all(Value::is_string))
    }) {
        if let Some(values) = doc
            .pointer_mut(&format!("{at}/enum"))
            .and_then(Value::as_array_mut)
        {
            values.push(json!("added-by-mutation"));
            touched.push(format!("{at}/"));
            done.push(Mutation {
                what: format!("enum value added at {at}"),
                rule: "enum-value-added",
            });
        }
    }
    // 6. The first string-typed schema of a component gets a `maxLength`.
    if let Some(at) = first_under(doc, "/components/schemas", &|v| {
        v.get("type") == Some(&json!("string"))
            && v.get("maxLength").is_none()
            && v.get("enum").is_none()
            && v.get("format").is_none()
    }) {
        if let Some(schema) = doc.pointer_mut(&at).and_then(Value::as_object_mut) {
            schema.insert("maxLength".into(), json!(3));
            touched.push(format!("{at}/"));
            done.push(Mutation {
                what: format!("maxLength added at {at}"),
                rule: "length-bound-tightened",
            });
        }
    }
    // 7. A component schema is renamed (its references follow).
    // One that 5. and 6. left alone, so that its content is the same.
    let renamed = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .and_then(|s| {
            s.keys()
                .find(|k| {
                    !touched
                        .iter()
                        .any(|t| t.starts_with(&format!("/components/schemas/{}/", escape(k))))
                })
                .cloned()
        });
    if let Some(name) = renamed {
        let new_name = format!("{name}Renamed");
        if let Some(schemas) = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            if !schemas.contains_key(&new_name) {
                if let Some(schema) = schemas.remove(&name) {
                    schemas.insert(new_name.clone(), schema);
                    let from = format!("#/components/schemas/{}", escape(&name));
                    let to = format!("#/components/schemas/{}", escape(&new_name));
                    rewrite_refs(doc, &from, &to);
                    done.push(Mutation {
                        what: format!("renamed schema {name} to {new_name}"),
                        rule: "schema-renamed",
                    });
                }
            }
        }
    }
    // 8. A new operation, and a changed webhook (OpenAPI 3.1).
    if let Some(paths) = doc
        .as_object_mut()
        .map(|d| d.entry("paths").or_insert_with(|| json!({})))
    {
        if let Some(paths) = paths.as_object_mut() {
            paths.insert(
                "/added-by-mutation".into(),
                json!({"get": {"operationId": "addedByMutation", "responses": {"204": {"description": "nothing"}}}}),
            );
            done.push(Mutation {
                what: "added GET /added-by-mutation".into(),
                rule: "operation-added",
            });
        }
    }
    let webhook = doc
        .get("webhooks")
        .and_then(Value::as_object)
        .and_then(|w| w.keys().next().cloned());
    if let Some(name) = webhook {
        if let Some(item) = doc
            .pointer_mut(&format!("/webhooks/{}", escape(&name)))
            .and_then(Value::as_object_mut)
        {
            item.insert(
                "put".into(),
                json!({"responses": {"200": {"description": "ok"}}}),
            );
            done.push(Mutation {
                what: format!("webhook {name} gained PUT"),
                rule: "callback-added",
            });
        }
    }
    // 9. Prose changes everywhere, which must not count.
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        info.insert("description".into(), json!("rewritten by the mutation"));
    }
    done
}

/// The pointer of the first object under `from` (depth first, document
/// order) that `pick` accepts.
fn first_under(doc: &Value, from: &str, pick: &dyn Fn(&Value) -> bool) -> Option<String> {
    fn find(value: &Value, at: String, pick: &dyn Fn(&Value) -> bool) -> Option<String> {
        match value {
            Value::Object(map) => {
                if pick(value) {
                    return Some(at);
                }
                map.iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "example" | "examples" | "default" | "enum")
                    })
                    .find_map(|(k, v)| find(v, format!("{at}/{}", escape(k)), pick))
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| find(v, format!("{at}/{i}"), pick)),
            _ => None,
        }
    }
    find(doc.pointer(from)?, from.to_owned(), pick)
}

fn rewrite_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if k == "$ref" && s == from => *s = to.to_owned(),
                    _ => rewrite_refs(v, from, to),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, from, to)),
        _ => {}
    }
}

/// The document with every object's keys in reverse order.
pub fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}
