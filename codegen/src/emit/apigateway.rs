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

use crate::model::{security, Api, Location, Payload};
use crate::schema_json::to_apigateway_model;
use crate::source::Spec;
use openapi_document::{parameters, resolve};
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

/// API Gateway's REST import limit on the document
/// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html>).
pub const MAX_IMPORT_BYTES: usize = 6 * 1024 * 1024;

/// The rendered document and what it took to fit the import limit.
pub struct Rendered {
    pub text: String,
    /// `description`s (and summaries) were left out to fit.
    pub without_descriptions: bool,
}

/// Renders the document (pretty JSON, trailing newline). Over API Gateway's
/// 6 MB limit it is written compact, then without `description`s and
/// `summary`s (prose only: routes, models and validators are whole); a
/// document still over the limit is written anyway and `codegen lint` says so.
pub fn emit(spec: &Spec, api: &Api) -> String {
    render(spec, api).text
}

/// [`emit`], saying whether descriptions had to go.
pub fn render(spec: &Spec, api: &Api) -> Rendered {
    let mut doc = document(spec, api);
    let pretty = |doc: &Value| {
        let mut text = serde_json::to_string_pretty(doc).unwrap_or_default();
        text.push('\n');
        text
    };
    let text = pretty(&doc);
    if text.len() <= MAX_IMPORT_BYTES {
        return Rendered {
            text,
            without_descriptions: false,
        };
    }
    let mut compact = serde_json::to_string(&doc).unwrap_or_default();
    compact.push('\n');
    if compact.len() <= MAX_IMPORT_BYTES {
        return Rendered {
            text: compact,
            without_descriptions: false,
        };
    }
    drop_prose(&mut doc);
    let mut text = serde_json::to_string(&doc).unwrap_or_default();
    text.push('\n');
    Rendered {
        text,
        without_descriptions: true,
    }
}

/// Removes every `description` and `summary` member that is prose (not a
/// property or parameter of that name).
fn drop_prose(doc: &mut Value) {
    let mut places = Vec::new();
    openapi_document::walk(
        doc,
        &mut openapi_document::Pointer::root(),
        &mut |at, key, node| {
            if let openapi_document::Node::Structure(Value::Object(map)) = node {
                if key != "properties" {
                    for k in ["description", "summary"] {
                        if map.get(k).is_some_and(Value::is_string) {
                            places.push((at.to_string(), k));
                        }
                    }
                }
            }
            openapi_document::Visit::Descend
        },
    );
    for (at, key) in places {
        if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
            map.remove(key);
        }
    }
}

fn document(spec: &Spec, api: &Api) -> Value {
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
        return doc;
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
                *scheme = gateway_scheme(scheme);
            }
        }
    }

    // The resources API Gateway routes (see `Operation::route`), each
    // operation annotated under its route.
    let written = root.remove("paths").unwrap_or_default();
    let mut paths = Map::new();
    for model in &api.operations {
        let Some(Value::Object(mut op)) = written
            .get(&model.path)
            .and_then(|item| item.get(model.method.to_ascii_lowercase()))
            .cloned()
        else {
            continue;
        };
        let params = merged
            .get(&(model.path.clone(), model.method.to_ascii_lowercase()))
            .cloned()
            .unwrap_or_default();
        annotate_operation(&mut op, params, model);
        let item = paths
            .entry(model.route.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            for key in ["summary", "description"] {
                if let Some(text) = written.get(&model.path).and_then(|i| i.get(key)) {
                    item.entry(key).or_insert_with(|| text.clone());
                }
            }
            item.insert(model.method.to_ascii_lowercase(), Value::Object(op));
        }
    }
    root.insert("paths".into(), Value::Object(paths));
    let binary = binary_media_types(api);
    if !binary.is_empty() {
        root.insert(
            "x-amazon-apigateway-binary-media-types".into(),
            json!(binary),
        );
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
    alphanumeric_models(&mut doc);
    doc
}

/// API Gateway model names are alphanumeric
/// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis>):
/// other component schema names are rewritten (PascalCase, unique) with every
/// reference to them. The spec keeps its names; this is the import's business.
fn alphanumeric_models(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    let mut taken: std::collections::BTreeSet<String> = schemas
        .keys()
        .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
        .cloned()
        .collect();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for name in schemas.keys() {
        if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() {
            continue;
        }
        let base = crate::names::pascal(name);
        let new = std::iter::once(base.clone())
            .chain((2..).map(|i| format!("{base}{i}")))
            .find(|n| !taken.contains(n))
            .unwrap_or(base);
        taken.insert(new.clone());
        renames.insert(name.clone(), new);
    }
    if renames.is_empty() {
        return;
    }
    let old = std::mem::take(schemas);
    for (name, schema) in old {
        let name = renames.get(&name).cloned().unwrap_or(name);
        schemas.insert(name, schema);
    }
    let mut edits = Vec::new();
    openapi_document::walk(
        doc,
        &mut openapi_document::Pointer::root(),
        &mut |at, _, node| {
            if let openapi_document::Node::Reference(target) = node {
                let pointer = openapi_document::Pointer::parse(target.trim_start_matches('#'));
                let segments: Vec<String> = pointer.segments().map(|s| s.into_owned()).collect();
                if let [components, schemas, name] = segments.as_slice() {
                    let new = (components == "components" && schemas == "schemas")
                        .then(|| renames.get(name))
                        .flatten();
                    if let Some(new) = new {
                        edits.push((at.to_string(), format!("#/components/schemas/{new}")));
                    }
                }
            }
            openapi_document::Visit::Descend
        },
    );
    for (at, target) in edits {
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = Value::String(target);
        }
    }
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

/// A security scheme as API Gateway takes it: an `apiKey` naming the
/// credential the authorizer reads, annotated with the authorizer
/// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html>):
/// Cognito's for schemes it can check, else a Lambda `REQUEST` authorizer
/// (`${authorizer_invoke_arn}`, the service's authorizer function).
fn gateway_scheme(scheme: &Value) -> Value {
    let mut out = gateway_authorizer(scheme);
    if let (Some(description), Value::Object(map)) = (scheme.get("description"), &mut out) {
        map.insert("description".into(), description.clone());
    }
    out
}

fn gateway_authorizer(scheme: &Value) -> Value {
    if security::is_cognito_scheme(scheme) {
        return json!({
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": ["${cognito_user_pool_arn}"],
            },
        });
    }
    let credential = security::credential_of(scheme);
    json!({
        "type": "apiKey",
        "name": if credential.location == "header" { credential.name.clone() } else { "Authorization".to_owned() },
        "in": "header",
        "x-amazon-apigateway-authtype": "custom",
        "x-amazon-apigateway-authorizer": {
            "type": "request",
            "identitySource": credential.identity_source(),
            "authorizerUri": "${authorizer_invoke_arn}",
            "authorizerResultTtlInSeconds": 300,
        },
    })
}

/// `binaryMediaTypes` when some body is bytes: `*/*`
/// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html>).
/// Listing the types themselves would decode a binary answer only for a
/// client whose `Accept` names one of them; with `*/*` every base64 answer
/// is decoded and every request body reaches the function base64-encoded,
/// which the generated adapters read alike (lambda_http decodes it).
fn binary_media_types(api: &Api) -> Vec<String> {
    if binary_bodies(api).is_empty() {
        Vec::new()
    } else {
        vec!["*/*".to_owned()]
    }
}

/// The media types of bodies that are bytes.
fn binary_bodies(api: &Api) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |m: &str| {
        if !out.iter().any(|o| o == m) {
            out.push(m.to_owned());
        }
    };
    for op in &api.operations {
        for m in op.body.iter().flat_map(|b| &b.media) {
            if m.kind.is_binary() {
                add(&m.media_type);
            }
        }
        for r in &op.responses {
            let media = match &r.payload {
                Payload::One(m) => std::slice::from_ref(m),
                Payload::Many { media, .. } => media.as_slice(),
                _ => &[],
            };
            for m in media.iter().filter(|m| m.kind.is_binary()) {
                add(&m.content_type);
            }
        }
    }
    out
}

/// The parameters as API Gateway should see them: path parameters under
/// their route names (a split segment is one string parameter), no cookies
/// (API Gateway ignores them), and `required` only where API Gateway's
/// presence check agrees with the adapter's.
fn gateway_parameters(params: Vec<Value>, model: &crate::model::Operation) -> Vec<Value> {
    let mut out = Vec::new();
    for split in &model.split_segments {
        out.push(json!({
            "name": split.route_param,
            "in": "path",
            "required": true,
            "schema": {"type": "string"},
        }));
    }
    for mut p in params {
        let Value::Object(map) = &mut p else { continue };
        let text = |key: &str| {
            map.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let (name, location) = (text("name"), text("in"));
        let Some(param) = model
            .parameters
            .iter()
            .find(|m| m.name == name && location_name(m.location) == location)
        else {
            continue;
        };
        let in_split = model
            .split_segments
            .iter()
            .any(|s| s.template.contains(&format!("{{{name}}}")));
        if param.location == Location::Cookie || (param.location == Location::Path && in_split) {
            continue;
        }
        map.remove("example");
        map.remove("examples");
        map.insert("name".into(), Value::String(param.key.clone()));
        if !param.gateway_checks_presence() {
            map.insert("required".into(), Value::Bool(false));
        }
        // `content` parameters: API Gateway checks presence only.
        if map.remove("content").is_some() {
            map.insert("schema".into(), json!({"type": "string"}));
        }
        if let Some(schema) = map.get_mut("schema") {
            *schema = to_apigateway_model(schema);
        }
        out.push(p);
    }
    out
}

fn location_name(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

fn annotate_operation(
    op: &mut Map<String, Value>,
    params: Vec<Value>,
    model: &crate::model::Operation,
) {
    let params = gateway_parameters(params, model);
    if params.is_empty() {
        op.remove("parameters");
    } else {
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some(Value::Object(body)) = op.get_mut("requestBody") {
        strip_media_examples(body);
        // API Gateway validates a body against the model of its media type
        // as JSON: only JSON media types may keep one; the adapter checks the rest.
        if let Some(Value::Object(content)) = body.get_mut("content") {
            for (media_type, media) in content.iter_mut() {
                if crate::model::BodyKind::of(media_type) != crate::model::BodyKind::Json {
                    if let Value::Object(media) = media {
                        media.remove("schema");
                    }
                }
            }
        }
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
    // One authorizer per method (see `model::security`): the one the model
    // chose, with its scopes for Cognito.
    let security = match &model.authorizer {
        security::Authorizer::None => json!([]),
        security::Authorizer::Cognito { scheme, scopes } => json!([{ scheme: scopes }]),
        security::Authorizer::Custom { scheme, .. } => json!([{ scheme: [] }]),
    };
    op.insert("security".into(), security);
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
