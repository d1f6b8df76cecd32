//! The API Gateway REST import document: the spec made importable and annotated
//! with `x-amazon-apigateway-*` extensions. It is a Terraform `templatefile`
//! template: `${lambda_invoke_arns.<key>}` and `${cognito_user_pool_arn}` are
//! filled per region; every other `${` of the spec is escaped as `$${`.
//!
//! Rules followed:
//! - import: <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis>
//!   (draft-4 models, no `$ref` to root-level responses, security per operation);
//! - proxy integration: <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html>;
//! - validators: <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html>;
//! - Cognito authorizer: <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html>;
//! - gateway responses: <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html>.

use crate::model::{Api, Location};
use crate::schema_json::to_apigateway_model;
use crate::source::Spec;
use openapi_document::{parameters, resolve, METHODS};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The body of every gateway response: our Error shape, with API Gateway's own
/// message (`$context.error.messageString` is already a quoted JSON string).
pub const GATEWAY_RESPONSE_TEMPLATE: &str = r#"{"code":"$context.error.responseType","message":$context.error.messageString,"requestId":"$context.requestId","fieldErrors":[]}"#;

/// Gateway responses we override: the defaults (so every 4XX/5XX gets our shape
/// and CORS), plus the ones clients branch on, with API Gateway's own statuses.
const GATEWAY_RESPONSES: &[(&str, &str)] = &[
    ("DEFAULT_4XX", ""),
    ("DEFAULT_5XX", ""),
    ("UNAUTHORIZED", "401"),
    ("ACCESS_DENIED", "403"),
    ("MISSING_AUTHENTICATION_TOKEN", "403"),
    ("BAD_REQUEST_BODY", "400"),
    ("BAD_REQUEST_PARAMETERS", "400"),
    ("REQUEST_TOO_LARGE", "413"),
    ("THROTTLED", "429"),
    ("INTEGRATION_FAILURE", "504"),
    ("INTEGRATION_TIMEOUT", "504"),
];

/// Renders the document (pretty JSON, trailing newline).
pub fn emit(spec: &Spec, api: &Api) -> String {
    let mut doc = spec.raw.clone();
    escape_templates(&mut doc);
    let source = doc.clone();
    // Each operation's parameters, path-level ones merged in (API Gateway
    // validates per method), written out in full.
    let merged: BTreeMap<(String, String), Vec<Value>> = openapi_document::operations(&source)
        .iter()
        .map(|op| {
            let params = parameters(&source, op)
                .into_iter()
                .map(|p| {
                    let mut value = p.value.clone();
                    inline_refs(&mut value, &source, 0);
                    value
                })
                .collect();
            ((op.path.to_owned(), op.method.to_owned()), params)
        })
        .collect();
    inline_refs(&mut doc, &source, 0);
    let Value::Object(root) = &mut doc else {
        return String::new();
    };

    root.remove("security");
    root.remove("servers");
    root.remove("webhooks");
    if let Some(Value::Object(components)) = root.get_mut("components") {
        components.retain(|k, _| k == "schemas" || k == "securitySchemes");
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for schema in schemas.values_mut() {
                *schema = to_apigateway_model(schema);
            }
        }
        if let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") {
            for scheme in schemes.values_mut() {
                annotate_cognito(scheme);
            }
        }
    }

    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            item.retain(|k, _| {
                METHODS.contains(&k.as_str()) || k == "summary" || k == "description"
            });
            for (method, op) in item.iter_mut() {
                let Value::Object(op) = op else { continue };
                let Some(model) = api
                    .operations
                    .iter()
                    .find(|o| o.path == *path && o.method.eq_ignore_ascii_case(method))
                else {
                    continue;
                };
                let params = merged
                    .get(&(path.clone(), method.clone()))
                    .cloned()
                    .unwrap_or_default();
                annotate_operation(op, params, model);
            }
        }
    }
    root.insert(
        "x-amazon-apigateway-request-validators".into(),
        json!({
            "all": {"validateRequestBody": true, "validateRequestParameters": true},
            "params-only": {"validateRequestBody": false, "validateRequestParameters": true},
        }),
    );
    root.insert(
        "x-amazon-apigateway-gateway-responses".into(),
        gateway_responses(),
    );
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn gateway_responses() -> Value {
    let mut out = Map::new();
    for (kind, status) in GATEWAY_RESPONSES {
        let mut response = json!({
            "responseParameters": {
                "gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
                "gatewayresponse.header.Access-Control-Allow-Headers": "'Authorization,Content-Type,If-Match,Idempotency-Key'",
            },
            "responseTemplates": {"application/json": GATEWAY_RESPONSE_TEMPLATE},
        });
        if !status.is_empty() {
            response["statusCode"] = Value::String((*status).to_owned());
        }
        out.insert((*kind).to_owned(), response);
    }
    Value::Object(out)
}

fn annotate_cognito(scheme: &mut Value) {
    let is_cognito = scheme.get("type").and_then(Value::as_str) == Some("apiKey")
        && scheme.get("in").and_then(Value::as_str) == Some("header")
        && scheme
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case("authorization"));
    if let (true, Value::Object(s)) = (is_cognito, scheme) {
        s.insert(
            "x-amazon-apigateway-authtype".into(),
            json!("cognito_user_pools"),
        );
        s.insert(
            "x-amazon-apigateway-authorizer".into(),
            json!({"type": "cognito_user_pools", "providerARNs": ["${cognito_user_pool_arn}"]}),
        );
    }
}

fn annotate_operation(
    op: &mut Map<String, Value>,
    mut params: Vec<Value>,
    model: &crate::model::Operation,
) {
    for p in &mut params {
        let Value::Object(p) = p else { continue };
        p.remove("example");
        p.remove("examples");
        let name = p
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        // A required header the handler answers 428 for must not be rejected
        // with the gateway's 400 first.
        if model
            .parameters
            .iter()
            .any(|m| m.name == name && m.location == Location::Header && m.handler_enforced)
        {
            p.insert("required".into(), Value::Bool(false));
        }
        if let Some(schema) = p.get_mut("schema") {
            *schema = to_apigateway_model(schema);
        }
    }
    if params.is_empty() {
        op.remove("parameters");
    } else {
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some(Value::Object(body)) = op.get_mut("requestBody") {
        strip_media_examples(body);
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for r in responses.values_mut() {
            if let Value::Object(r) = r {
                strip_media_examples(r);
                r.remove("links");
                if let Some(Value::Object(headers)) = r.get_mut("headers") {
                    for h in headers.values_mut() {
                        if let Value::Object(h) = h {
                            h.remove("example");
                            h.remove("examples");
                            if let Some(s) = h.get_mut("schema") {
                                *s = to_apigateway_model(s);
                            }
                        }
                    }
                }
            }
        }
    }
    op.retain(|k, _| !k.starts_with("x-") && k != "callbacks");
    op.insert(
        "security".into(),
        op.get("security").cloned().unwrap_or_else(|| json!([])),
    );
    op.insert(
        "x-amazon-apigateway-request-validator".into(),
        json!(if model.body.is_some() {
            "all"
        } else {
            "params-only"
        }),
    );
    op.insert(
        "x-amazon-apigateway-integration".into(),
        json!({
            "type": "aws_proxy",
            "httpMethod": "POST",
            "uri": format!("${{lambda_invoke_arns.{}}}", model.key),
            "passthroughBehavior": "when_no_match",
            "timeoutInMillis": 29000,
        }),
    );
}

fn strip_media_examples(holder: &mut Map<String, Value>) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        for media in content.values_mut() {
            if let Value::Object(media) = media {
                media.remove("example");
                media.remove("examples");
                if let Some(s) = media.get_mut("schema") {
                    *s = to_apigateway_model(s);
                }
            }
        }
    }
}

/// Terraform's templatefile reads `${` and `%{` as template syntax.
fn escape_templates(value: &mut Value) {
    match value {
        Value::String(s) if s.contains("${") || s.contains("%{") => {
            *s = s.replace("${", "$${").replace("%{", "%%{");
        }
        Value::Array(items) => items.iter_mut().for_each(escape_templates),
        Value::Object(map) => map.values_mut().for_each(escape_templates),
        _ => {}
    }
}

/// Replaces every `$ref` that is not a component schema with its target (API
/// Gateway does not follow refs to root-level responses, parameters, ...).
fn inline_refs(value: &mut Value, source: &Value, depth: usize) {
    if depth > 64 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                if !target.starts_with("#/components/schemas/") {
                    if let Some(resolved) = resolve(source, target) {
                        *value = resolved.clone();
                        inline_refs(value, source, depth + 1);
                        return;
                    }
                }
            }
            map.values_mut()
                .for_each(|v| inline_refs(v, source, depth + 1));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| inline_refs(v, source, depth + 1)),
        _ => {}
    }
}
