//! Loads an API Gateway import document (OpenAPI 3.0 with `x-amazon-apigateway-*`
//! extensions) into the model the emulator runs on. [`ApiDocument::from_template`] takes the
//! Terraform template codegen writes (see [`crate::template`]), so the emulator reads the very
//! bytes API Gateway imports, and extracts what API Gateway acts on:
//! [routes](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html),
//! [Cognito security](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html),
//! [request validators](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html)
//! and [gateway responses](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html).

use std::collections::BTreeMap;

use openapi_document::{deref, parameters, pointer, Operation};
use serde_json::{Map, Value};

use crate::template::{render_template, TemplateValues};

/// Why a document could not be loaded. Every variant names the place in the document, because
/// the document is generated and a failure here means codegen and emulator disagree.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// A `${...}` placeholder that Terraform's `templatefile` would also refuse.
    #[error("unknown template placeholder `${{{0}}}` (Terraform templatefile would fail too)")]
    UnknownPlaceholder(String),
    /// A `${` without its closing `}`.
    #[error("unterminated template placeholder at byte {0}")]
    UnterminatedPlaceholder(usize),
    /// The rendered text is not JSON.
    #[error("the API Gateway document is not valid JSON")]
    Json(#[from] serde_json::Error),
    /// The JSON does not have the shape of an OpenAPI 3 import document.
    #[error("invalid API Gateway document at {at}: {reason}")]
    Shape {
        /// JSON-pointer-like location.
        at: String,
        /// What is wrong.
        reason: String,
    },
    /// A body model that the draft-4 validator cannot compile.
    #[error(
        "request model for {operation_id} ({content_type}) is not a valid draft-4 schema: {reason}"
    )]
    Model {
        /// The operation.
        operation_id: String,
        /// The media type the model is for.
        content_type: String,
        /// The compiler's message.
        reason: String,
    },
}

/// Which checks a method's request validator turns on
/// ([`x-amazon-apigateway-request-validators`](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validators.html)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValidatorKind {
    /// `validateRequestBody`.
    pub body: bool,
    /// `validateRequestParameters`.
    pub parameters: bool,
}

/// How a method is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// No authorizer (`security: []` or no `security` at all: API Gateway ignores root-level
    /// `security`).
    None,
    /// A Cognito user pool authorizer (`x-amazon-apigateway-authtype: cognito_user_pools`).
    Cognito {
        /// The securityScheme's name.
        scheme: String,
        /// The header the token comes from (the scheme's `name`, `Authorization`).
        header: String,
        /// The method's authorization scopes (the requirement's list): with any, API Gateway
        /// takes access tokens carrying one of them instead of ID tokens
        /// ([docs](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html)).
        scopes: Vec<String>,
    },
    /// A Lambda `REQUEST` authorizer (`x-amazon-apigateway-authtype: custom`), decided locally by
    /// the [`crate::custom_authorizer::CustomAuthorizer`] hook.
    Custom {
        /// The securityScheme's name.
        scheme: String,
        /// Where the credential is read (`identitySource`).
        identity_sources: Vec<crate::custom_authorizer::IdentitySource>,
    },
}

/// Where a required parameter lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A `{name}` path segment.
    Path,
    /// A query string parameter.
    Query,
    /// A request header (matched case-insensitively).
    Header,
}

/// A parameter API Gateway's validator requires (`required: true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredParam {
    /// Its name as written in the document.
    pub name: String,
    /// Where it is looked for.
    pub location: ParamLocation,
}

/// A request body model for one media type.
#[derive(Debug, Clone)]
pub struct BodyModel {
    /// The media type key of `requestBody.content`.
    pub content_type: String,
    /// The draft-4 schema as in the document (may be a `$ref`).
    pub schema: Value,
}

/// One method on one resource.
#[derive(Debug, Clone)]
pub struct Route {
    /// Upper-case HTTP method, or `ANY` for `x-amazon-apigateway-any-method`.
    pub method: String,
    /// The resource path template, e.g. `/accounts/{accountId}`.
    pub path: String,
    /// The operation's `operationId` (what the backend dispatches on).
    pub operation_id: String,
    /// The authorizer.
    pub auth: Auth,
    /// The request validator in force.
    pub validator: ValidatorKind,
    /// Required parameters, in document order (path-item parameters first).
    pub required_params: Vec<RequiredParam>,
    /// Request body models per media type, in document order.
    pub body_models: Vec<BodyModel>,
    /// The integration's function ARN, when the integration URI is a Lambda invoke ARN.
    pub function_arn: Option<String>,
    /// The integration's `timeoutInMillis` (API Gateway's default is 29 s).
    pub timeout: Option<std::time::Duration>,
}

/// One entry of `x-amazon-apigateway-gateway-responses`.
#[derive(Debug, Clone, Default)]
pub struct GatewayResponseDef {
    /// `statusCode`, when the document overrides the type's default status.
    pub status_code: Option<u16>,
    /// `responseParameters`, e.g. `gatewayresponse.header.Access-Control-Allow-Origin` → `'*'`.
    pub response_parameters: BTreeMap<String, String>,
    /// `responseTemplates` by media type.
    pub response_templates: BTreeMap<String, String>,
}

/// The loaded document.
#[derive(Debug, Clone)]
pub struct ApiDocument {
    /// Every method of every resource.
    pub routes: Vec<Route>,
    /// Gateway responses by response type (`UNAUTHORIZED`, `DEFAULT_4XX`, ...).
    pub gateway_responses: BTreeMap<String, GatewayResponseDef>,
    /// `x-amazon-apigateway-binary-media-types`: the media types (ranges
    /// allowed) whose bodies pass through as bytes.
    pub binary_media_types: Vec<String>,
    /// The rendered document.
    pub raw: Value,
}

/// API Gateway's key for a method that answers every HTTP method
/// ([`x-amazon-apigateway-any-method`](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-any-method.html)).
const ANY_METHOD: &str = "x-amazon-apigateway-any-method";

impl ApiDocument {
    /// Renders the `templatefile` template with `values` and loads it.
    pub fn from_template(template: &str, values: &TemplateValues) -> Result<Self, DocumentError> {
        let rendered = render_template(template, values)?;
        Self::from_json(&rendered)
    }

    /// Loads an already rendered document.
    pub fn from_json(json: &str) -> Result<Self, DocumentError> {
        let raw: Value = serde_json::from_str(json)?;
        Self::from_value(raw)
    }

    /// Loads an already parsed, rendered document.
    pub fn from_value(raw: Value) -> Result<Self, DocumentError> {
        let validators = validator_table(&raw);
        let default_validator = raw
            .get("x-amazon-apigateway-request-validator")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let paths = raw
            .get("paths")
            .and_then(Value::as_object)
            .ok_or_else(|| shape("/paths", "missing or not an object"))?;
        let mut routes = Vec::new();
        for (path, item) in paths {
            let item = item
                .as_object()
                .ok_or_else(|| shape(&format!("/paths/{path}"), "not an object"))?;
            for (key, op) in item {
                let method = if key == ANY_METHOD {
                    "ANY".to_owned()
                } else if openapi_document::METHODS.contains(&key.as_str()) {
                    key.to_ascii_uppercase()
                } else {
                    continue;
                };
                let at = format!("/paths/{path}/{key}");
                let op = op.as_object().ok_or_else(|| shape(&at, "not an object"))?;
                let operation_id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let auth = operation_auth(&raw, op);
                let validator_name = op
                    .get("x-amazon-apigateway-request-validator")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .or_else(|| default_validator.clone());
                let validator = match validator_name {
                    Some(name) => *validators.get(&name).ok_or_else(|| {
                        shape(&at, &format!("unknown request validator `{name}`"))
                    })?,
                    None => ValidatorKind::default(),
                };
                let required_params = required_params(
                    &raw,
                    &Operation {
                        path,
                        method: key,
                        op,
                        path_item: item,
                    },
                );
                let body_models = body_models(&raw, op);
                let integration = op.get("x-amazon-apigateway-integration");
                let function_arn = integration
                    .and_then(|i| i.get("uri"))
                    .and_then(Value::as_str)
                    .and_then(function_arn_from_uri);
                let timeout = integration
                    .and_then(|i| i.get("timeoutInMillis"))
                    .and_then(Value::as_u64)
                    .map(std::time::Duration::from_millis);
                routes.push(Route {
                    method,
                    path: path.clone(),
                    operation_id,
                    auth,
                    validator,
                    required_params,
                    body_models,
                    function_arn,
                    timeout,
                });
            }
        }
        let gateway_responses = gateway_responses(&raw);
        let binary_media_types = raw
            .get("x-amazon-apigateway-binary-media-types")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect();
        Ok(Self {
            routes,
            gateway_responses,
            binary_media_types,
            raw,
        })
    }

    /// Whether a body of `media_type` is binary for this API: it matches one of
    /// [`ApiDocument::binary_media_types`] (`image/png` matches `image/*`
    /// and `*/*`).
    pub fn is_binary(&self, media_type: &str) -> bool {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let major = essence.split('/').next().unwrap_or_default();
        self.binary_media_types.iter().any(|b| {
            *b == essence || *b == "*/*" || b.strip_suffix("/*").is_some_and(|m| m == major)
        })
    }

    /// `components.schemas`, the models body `$ref`s point into.
    pub fn schemas(&self) -> Value {
        self.raw
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()))
    }
}

fn shape(at: &str, reason: &str) -> DocumentError {
    DocumentError::Shape {
        at: at.to_owned(),
        reason: reason.to_owned(),
    }
}

fn validator_table(raw: &Value) -> BTreeMap<String, ValidatorKind> {
    let mut table = BTreeMap::new();
    if let Some(map) = raw
        .get("x-amazon-apigateway-request-validators")
        .and_then(Value::as_object)
    {
        for (name, v) in map {
            table.insert(
                name.clone(),
                ValidatorKind {
                    body: v
                        .get("validateRequestBody")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    parameters: v
                        .get("validateRequestParameters")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                },
            );
        }
    }
    table
}

/// API Gateway reads `security` per operation only; the first requirement naming a Cognito or
/// a custom (`REQUEST`) scheme turns that authorizer on.
fn operation_auth(raw: &Value, op: &Map<String, Value>) -> Auth {
    let Some(requirements) = op.get("security").and_then(Value::as_array) else {
        return Auth::None;
    };
    for requirement in requirements {
        let Some(requirement) = requirement.as_object() else {
            continue;
        };
        for (scheme, scopes) in requirement {
            let Some(def) = raw.pointer(&pointer(["components", "securitySchemes", scheme])) else {
                continue;
            };
            let authtype = def
                .get("x-amazon-apigateway-authtype")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let authorizer_type = def
                .pointer("/x-amazon-apigateway-authorizer/type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if authtype.eq_ignore_ascii_case("cognito_user_pools")
                || authorizer_type.eq_ignore_ascii_case("cognito_user_pools")
            {
                let header = def
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("Authorization")
                    .to_owned();
                return Auth::Cognito {
                    scheme: scheme.clone(),
                    header,
                    scopes: scopes
                        .as_array()
                        .map(|l| {
                            l.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                };
            }
            if authtype.eq_ignore_ascii_case("custom")
                && authorizer_type.eq_ignore_ascii_case("request")
            {
                let sources = def
                    .pointer("/x-amazon-apigateway-authorizer/identitySource")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                return Auth::Custom {
                    scheme: scheme.clone(),
                    identity_sources: crate::custom_authorizer::IdentitySource::parse_list(sources),
                };
            }
        }
    }
    Auth::None
}

/// The parameters API Gateway's validator requires, path-level ones first with the
/// operation's overriding those of the same name and place (OpenAPI's rule, applied by
/// [`openapi_document::parameters`]).
fn required_params(raw: &Value, op: &Operation<'_>) -> Vec<RequiredParam> {
    parameters(raw, op)
        .into_iter()
        .filter(|p| p.required())
        .filter_map(|p| {
            let location = match p.location() {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                _ => return None,
            };
            Some(RequiredParam {
                name: p.name().to_owned(),
                location,
            })
        })
        .collect()
}

fn body_models(raw: &Value, op: &Map<String, Value>) -> Vec<BodyModel> {
    let Some(body) = op.get("requestBody") else {
        return Vec::new();
    };
    let body = deref(raw, body);
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return Vec::new();
    };
    content
        .iter()
        .filter_map(|(ct, media)| {
            media.get("schema").map(|schema| BodyModel {
                content_type: ct.clone(),
                schema: schema.clone(),
            })
        })
        .collect()
}

/// `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`.
fn function_arn_from_uri(uri: &str) -> Option<String> {
    let start = uri.find("/functions/")? + "/functions/".len();
    let rest = &uri[start..];
    let end = rest.find("/invocations").unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

fn gateway_responses(raw: &Value) -> BTreeMap<String, GatewayResponseDef> {
    let mut out = BTreeMap::new();
    let Some(map) = raw
        .get("x-amazon-apigateway-gateway-responses")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (kind, def) in map {
        let status_code = match def.get("statusCode") {
            Some(Value::String(s)) => s.parse().ok(),
            Some(Value::Number(n)) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
            _ => None,
        };
        let strings = |field: &str| -> BTreeMap<String, String> {
            def.get(field)
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                        .collect()
                })
                .unwrap_or_default()
        };
        out.insert(
            kind.clone(),
            GatewayResponseDef {
                status_code,
                response_parameters: strings("responseParameters"),
                response_templates: strings("responseTemplates"),
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_function_arn() {
        let values = TemplateValues::default();
        assert_eq!(
            function_arn_from_uri(&values.invoke_arn("getHealth")),
            Some(values.function_arn("getHealth"))
        );
    }
}
