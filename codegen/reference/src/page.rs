//! The page: header, navigation, the document's introduction, every operation and every
//! component schema, with its stylesheet inline.

use std::fmt::Write as _;

use openapi_document::operations;
use serde_json::Value;

use crate::html::esc;
use crate::{curl, markdown, operation, schema};

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
pre code{background:none;padding:0}
table{border-collapse:collapse;width:100%;margin:.3rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
td p{margin:.2rem 0}
.auth{font-size:.85rem;color:#57606a}.req{color:#cf222e;font-weight:600}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.6rem;overflow:auto}
.example{margin:.5rem 0}.example-title{font-size:.85rem;color:#57606a;margin-bottom:.2rem}pre.curl{background:#24292f;color:#f6f8fa}
";

/// The whole page for `spec` (an OpenAPI 3.0 document as JSON).
pub fn render(spec: &Value) -> String {
    let title = spec
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API");
    let version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let operations = operations(spec);
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
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
            "<li><a href=\"#op-{id}\">{badge}{p}</a></li>",
            id = esc(&operation::anchor(op)),
            badge = operation::badge(op),
            p = esc(op.path)
        );
    }
    html.push_str("</ul><strong>Schemas</strong><ul>");
    for name in schemas.into_iter().flat_map(|s| s.keys()) {
        let _ = write!(
            html,
            "<li><a href=\"#schema-{n}\">{n}</a></li>",
            n = esc(name)
        );
    }
    html.push_str("</ul></nav><div class=\"content\">");
    if let Some(desc) = spec.pointer("/info/description").and_then(Value::as_str) {
        let _ = write!(
            html,
            "<section class=\"intro\">{}</section>",
            markdown::block(desc)
        );
    }
    let _ = write!(
        html,
        "<p class=\"auth\">The <code>curl</code> commands call <code>$API_URL</code> (default <code>{base}</code>, the local server) and send <code>$TOKEN</code> where an operation needs a token (the local server prints one).</p>",
        base = curl::DEFAULT_BASE
    );
    html.push_str("<h2>Operations</h2>");
    for op in &operations {
        operation::section(&mut html, spec, op);
    }
    html.push_str("<h2>Schemas</h2>");
    for (name, shape) in schemas.into_iter().flatten() {
        let _ = write!(
            html,
            "<section class=\"schema\" id=\"schema-{n}\"><h3>{n}</h3><p>{ty}</p>{body}</section>",
            n = esc(name),
            ty = schema::type_text(spec, shape),
            body = schema::body(spec, shape)
        );
    }
    html.push_str("</div></main></body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Pets <API>", "version": "2", "description": "Read **pets**.\n\n- cats\n- dogs"},
            "components": {
                "securitySchemes": {"pool": {"type": "apiKey", "in": "header", "name": "X-Token"}},
                "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "shared"}},
                "schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}
            },
            "paths": {"/pets/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "patch": {
                    "operationId": "updatePet", "summary": "Change a pet's name",
                    "security": [{"pool": []}],
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "The pet's `id`."}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                    "responses": {"200": {"description": "The *changed* pet.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}
                },
                "get": {"responses": {"200": {"description": "ok"}}, "security": []}
            }}
        })
    }

    #[test]
    fn every_operation_and_schema_has_its_section() {
        let page = render(&spec());
        assert!(page.contains("<title>Pets &lt;API&gt;</title>"));
        assert!(page.contains("<section class=\"intro\"><p>Read <strong>pets</strong>.</p>\n<ul>\n<li>cats</li>\n<li>dogs</li>\n</ul>\n</section>"), "{page}");
        let patch = &page[page.find("id=\"op-updatePet\"").unwrap()..];
        let patch = &patch[..patch.find("</section>").unwrap()];
        assert!(patch.contains("<span class=\"method patch\">PATCH</span><code>/pets/{id}</code>"));
        assert!(patch.contains("<h4>Change a pet&#39;s name</h4>"));
        assert!(patch.contains("Auth: <code>pool</code> (header <code>X-Token</code>)"));
        // The operation's `id` replaces the path-level one: one row, its own description.
        assert_eq!(patch.matches("<td><code>id</code></td>").count(), 1);
        assert!(patch.contains("The pet's <code>id</code>."), "{patch}");
        assert!(patch.contains("Request body <span class=\"req\">required</span>"));
        assert!(patch.contains("<td>The <em>changed</em> pet.</td>"));
        // A ready command and an example of each body, built from the schema.
        assert!(patch.contains("<h4>Try it</h4><pre class=\"curl\"><code>curl -sS -i &quot;${API_URL:-http://127.0.0.1:3000}/pets/string&quot; \\\n  -X PATCH \\\n  -H &quot;X-Token: $API_KEY&quot;"), "{patch}");
        let example = "<pre><code>{\n  &quot;name&quot;: &quot;string&quot;\n}</code></pre>";
        assert!(
            patch.contains(&format!(
                "<div class=\"example-title\">Example</div>{example}"
            )),
            "{patch}"
        );
        assert!(
            patch.contains(&format!(
                "Response <code>200</code> · <code>application/json</code></div>{example}"
            )),
            "{patch}"
        );
        // An operation without an id gets one from method and path.
        assert!(page.contains("id=\"op-get_pets__id_\""));
        assert!(page.contains("No authentication"));
        assert!(page.contains(
            "<section class=\"schema\" id=\"schema-Pet\"><h3>Pet</h3><p>object</p><table>"
        ));
        assert!(!page.contains("<script") && !page.contains("src=\"http"));
    }
}
