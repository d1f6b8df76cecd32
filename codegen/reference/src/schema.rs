//! Schemas: a one-line type with links to named models, and a block with the description
//! and a property table.

use std::fmt::Write as _;

use openapi_document::deref;
use serde_json::Value;

use crate::html::esc;
use crate::markdown;

/// The constraints shown beside a type, in this order.
const CONSTRAINTS: [&str; 10] = [
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
];

/// The component name of a `#/components/schemas/<Name>` reference.
fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// A one-line type description; named models are links to their section.
pub(crate) fn type_text(spec: &Value, schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return format!("<a href=\"#schema-{n}\">{n}</a>", n = esc(name));
    }
    let schema = deref(spec, schema);
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
    for key in CONSTRAINTS {
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

/// A schema block: its type line, then (for a named model too, so a request body shows its
/// shape where it is used) its description and property table.
pub(crate) fn block(spec: &Value, schema: &Value) -> String {
    let mut html = format!("<p>{}</p>", type_text(spec, schema));
    let shape = deref(spec, schema);
    if ref_name(shape).is_none() {
        html.push_str(&body(spec, shape));
    }
    html
}

/// Description and property table of a schema that is not a `$ref`.
pub(crate) fn body(spec: &Value, schema: &Value) -> String {
    let mut html = String::new();
    if let Some(desc) = schema.get("description").and_then(Value::as_str) {
        html.push_str(&markdown::block(desc));
    }
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return html;
    };
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
            .or_else(|| deref(spec, prop).get("description"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let _ = write!(
            html,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(name),
            required_text(required.contains(&name.as_str())),
            type_text(spec, prop),
            markdown::inline(desc)
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
    html
}

/// The "Required" cell of a parameter or property.
pub(crate) fn required_text(required: bool) -> &'static str {
    if required {
        "<span class=\"req\">required</span>"
    } else {
        "optional"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn named_models_link_and_show_their_shape() {
        let spec = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name"], "additionalProperties": false,
                    "properties": {"name": {"type": "string", "maxLength": 40, "description": "The *name*."},
                                   "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}},
            "Tag": {"type": "string", "enum": ["a", "b"], "nullable": true}
        }}});
        let html = block(&spec, &json!({"$ref": "#/components/schemas/Pet"}));
        assert!(
            html.starts_with("<p><a href=\"#schema-Pet\">Pet</a></p><table>"),
            "{html}"
        );
        assert!(html.contains("<td><code>name</code></td><td><span class=\"req\">required</span></td><td>string <span class=\"auth\">(maxLength: <code>40</code>)</span></td><td>The <em>name</em>.</td>"), "{html}");
        assert!(
            html.contains("array of <a href=\"#schema-Tag\">Tag</a>"),
            "{html}"
        );
        assert!(
            html.ends_with("<p class=\"auth\">No other properties.</p>"),
            "{html}"
        );
        assert_eq!(
            type_text(&spec, &spec["components"]["schemas"]["Tag"]),
            "string | null <span class=\"auth\">(enum: <code>&quot;a&quot;, &quot;b&quot;</code>)</span>"
        );
    }
}
