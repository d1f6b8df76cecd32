//! API Gateway's own error answers
//! ([gateway responses](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html)),
//! rendered from the document's `x-amazon-apigateway-gateway-responses` the way API Gateway
//! does it:
//!
//! - a response type the document customises is used as is; a type it does not customise falls
//!   back to the document's `DEFAULT_4XX` or `DEFAULT_5XX` (by the type's default status), and
//!   then to API Gateway's built-in `{"message":$context.error.messageString}`;
//! - the status is the customisation's `statusCode`, else the type's default status;
//! - `gatewayresponse.header.*` parameters become headers (`'literal'` values, or
//!   `method.request.header.X` copied from the request);
//! - the template's `$context` variables are substituted
//!   ([reference](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference)):
//!   `$context.error.messageString` is the message JSON-quoted, `$context.error.message` is raw.
//!   Unknown references are left as written, as Velocity does.

use std::collections::BTreeMap;

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::Value;

use crate::document::GatewayResponseDef;

/// The gateway response types the emulator raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// Unknown resource or method: 403 `Missing Authentication Token`.
    MissingAuthenticationToken,
    /// Missing or invalid Cognito token: 401 `Unauthorized`.
    Unauthorized,
    /// A custom authorizer's `Deny` policy: 403.
    AccessDenied,
    /// The JWKS could not be had: 500.
    AuthorizerConfigurationError,
    /// A required parameter is missing or blank: 400.
    BadRequestParameters,
    /// The body does not match its model: 400 `Invalid request body`.
    BadRequestBody,
    /// Payload over 10 MB: 413 `Request Too Long`.
    RequestTooLarge,
    /// The integration did not answer within 29 s: 504 `Endpoint request timed out`.
    IntegrationTimeout,
    /// The Lambda function failed or answered a malformed proxy response: 502
    /// `Internal server error`, rendered with the `DEFAULT_5XX` customisation.
    LambdaFailure,
    /// A client error API Gateway has no type of its own for (a malformed request, a body
    /// sent too slowly, a local page refusing a caller): the `DEFAULT_4XX` customisation,
    /// with the status the caller sets on the rendered answer.
    Default4xx,
    /// A server error without a type of its own: the `DEFAULT_5XX` customisation.
    Default5xx,
}

impl ResponseType {
    /// The type's name in `x-amazon-apigateway-gateway-responses` and
    /// `$context.error.responseType`.
    pub fn name(self) -> &'static str {
        match self {
            Self::MissingAuthenticationToken => "MISSING_AUTHENTICATION_TOKEN",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::AccessDenied => "ACCESS_DENIED",
            Self::AuthorizerConfigurationError => "AUTHORIZER_CONFIGURATION_ERROR",
            Self::BadRequestParameters => "BAD_REQUEST_PARAMETERS",
            Self::BadRequestBody => "BAD_REQUEST_BODY",
            Self::RequestTooLarge => "REQUEST_TOO_LARGE",
            Self::IntegrationTimeout => "INTEGRATION_TIMEOUT",
            // Not a customisable type of its own: only DEFAULT_5XX applies.
            Self::LambdaFailure | Self::Default5xx => "DEFAULT_5XX",
            Self::Default4xx => "DEFAULT_4XX",
        }
    }

    /// The status API Gateway uses when the document sets none.
    pub fn default_status(self) -> u16 {
        match self {
            Self::MissingAuthenticationToken => 403,
            Self::Unauthorized => 401,
            Self::AccessDenied => 403,
            Self::AuthorizerConfigurationError => 500,
            Self::BadRequestParameters | Self::BadRequestBody => 400,
            Self::RequestTooLarge => 413,
            Self::IntegrationTimeout => 504,
            Self::LambdaFailure => 502,
            Self::Default4xx => 400,
            Self::Default5xx => 500,
        }
    }

    /// The message API Gateway sends for this type (`$context.error.message`); a failed
    /// parameter check names the parameters instead (see [`crate::validator`]).
    pub fn message(self) -> &'static str {
        match self {
            Self::MissingAuthenticationToken => "Missing Authentication Token",
            Self::Unauthorized => "Unauthorized",
            Self::AccessDenied => {
                "User is not authorized to access this resource with an explicit deny"
            }
            Self::AuthorizerConfigurationError => "Authorizer configuration error",
            Self::BadRequestParameters => "Missing required request parameters",
            Self::BadRequestBody => "Invalid request body",
            Self::RequestTooLarge => "Request Too Long",
            Self::IntegrationTimeout => "Endpoint request timed out",
            Self::LambdaFailure | Self::Default5xx => "Internal server error",
            Self::Default4xx => "Bad Request",
        }
    }

    /// The `x-amzn-ErrorType` header API Gateway sends with the response.
    pub fn error_type(self) -> &'static str {
        match self {
            Self::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            Self::Unauthorized => "UnauthorizedException",
            Self::AccessDenied => "AccessDeniedException",
            Self::AuthorizerConfigurationError | Self::LambdaFailure | Self::Default5xx => {
                "InternalServerErrorException"
            }
            Self::BadRequestParameters | Self::BadRequestBody | Self::Default4xx => {
                "BadRequestException"
            }
            Self::RequestTooLarge => "RequestTooLargeException",
            Self::IntegrationTimeout => "InternalServerErrorException",
        }
    }
}

/// What the template may refer to.
#[derive(Debug, Clone, Default)]
pub struct ErrorContext {
    /// `$context.error.message`.
    pub message: String,
    /// `$context.error.validationErrorString`.
    pub validation_error: Option<String>,
    /// `$context.requestId`.
    pub request_id: String,
    /// `$context.extendedRequestId`.
    pub extended_request_id: String,
    /// `$context.httpMethod`.
    pub http_method: String,
    /// `$context.path` (with the stage).
    pub path: String,
    /// `$context.resourcePath`, when a resource matched.
    pub resource_path: String,
    /// `$context.stage`.
    pub stage: String,
    /// `$context.domainName`.
    pub domain_name: String,
    /// `$context.apiId`.
    pub api_id: String,
    /// `$context.accountId`.
    pub account_id: String,
}

/// A rendered gateway response.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// HTTP status.
    pub status: StatusCode,
    /// Headers (Content-Type, the customisation's headers, `x-amzn-ErrorType`).
    pub headers: HeaderMap,
    /// The body.
    pub body: String,
}

/// The built-in template of every gateway response type.
const BUILTIN_TEMPLATE: &str = r#"{"message":$context.error.messageString}"#;

/// Renders the gateway response of `kind` from the document's customisations.
pub fn render(
    customisations: &BTreeMap<String, GatewayResponseDef>,
    kind: ResponseType,
    ctx: &ErrorContext,
    request_headers: &HeaderMap,
) -> Rendered {
    let family = if kind.default_status() >= 500 {
        "DEFAULT_5XX"
    } else {
        "DEFAULT_4XX"
    };
    let def = customisations
        .get(kind.name())
        .or_else(|| customisations.get(family));
    let status = def
        .and_then(|d| d.status_code)
        .unwrap_or(kind.default_status());
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (content_type, template) = def
        .and_then(|d| {
            d.response_templates
                .get("application/json")
                .map(|t| ("application/json", t.as_str()))
                .or_else(|| {
                    d.response_templates
                        .iter()
                        .next()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                })
        })
        .unwrap_or(("application/json", BUILTIN_TEMPLATE));
    let body = substitute(template, kind, ctx);
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(http::header::CONTENT_TYPE, v);
    }
    if let Some(def) = def {
        for (param, value) in &def.response_parameters {
            let Some(name) = param.strip_prefix("gatewayresponse.header.") else {
                continue;
            };
            let Some(value) = parameter_value(value, request_headers, ctx) else {
                continue;
            };
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                headers.insert(name, value);
            }
        }
    }
    headers.insert(
        HeaderName::from_static("x-amzn-errortype"),
        HeaderValue::from_static(kind.error_type()),
    );
    Rendered {
        status,
        headers,
        body,
    }
}

/// A `responseParameters` value: `'literal'`, `method.request.header.X`, or a
/// `context.*` variable.
fn parameter_value(value: &str, request_headers: &HeaderMap, ctx: &ErrorContext) -> Option<String> {
    let value = value.trim();
    if let Some(literal) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return Some(literal.to_owned());
    }
    if let Some(name) = value.strip_prefix("method.request.header.") {
        return request_headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
    }
    if let Some(var) = value.strip_prefix("context.") {
        return context_variable(var, ResponseType::LambdaFailure, ctx, false);
    }
    None
}

fn context_variable(
    name: &str,
    kind: ResponseType,
    ctx: &ErrorContext,
    quote_message: bool,
) -> Option<String> {
    let v = match name {
        "error.messageString" if quote_message => Value::String(ctx.message.clone()).to_string(),
        "error.messageString" | "error.message" => ctx.message.clone(),
        "error.responseType" => kind.name().to_owned(),
        "error.validationErrorString" => ctx.validation_error.clone().unwrap_or_default(),
        "requestId" => ctx.request_id.clone(),
        "extendedRequestId" => ctx.extended_request_id.clone(),
        "httpMethod" => ctx.http_method.clone(),
        "path" => ctx.path.clone(),
        "resourcePath" => ctx.resource_path.clone(),
        "stage" => ctx.stage.clone(),
        "domainName" => ctx.domain_name.clone(),
        "apiId" => ctx.api_id.clone(),
        "accountId" => ctx.account_id.clone(),
        _ => return None,
    };
    Some(v)
}

/// Substitutes `$context.x.y`, `${context.x.y}`, `$!context.x.y` and `$!{context.x.y}`.
fn substitute(template: &str, kind: ResponseType, ctx: &ErrorContext) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let after_dollar = &tail[1..];
        let (quiet, after_bang) = match after_dollar.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, after_dollar),
        };
        let (braced, body) = match after_bang.strip_prefix('{') {
            Some(r) => (true, r),
            None => (false, after_bang),
        };
        let Some(var) = body.strip_prefix("context.") else {
            out.push('$');
            rest = after_dollar;
            continue;
        };
        let len = var
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(var.len());
        let mut name = &var[..len];
        // A trailing dot belongs to the text, not the reference (`$context.requestId.`).
        while let Some(n) = name.strip_suffix('.') {
            name = n;
        }
        let mut consumed = name.len();
        if braced {
            if var[len..].starts_with('}') && len == name.len() {
                consumed += 1;
            } else {
                out.push('$');
                rest = after_dollar;
                continue;
            }
        }
        let prefix_len = 1 + usize::from(quiet) + usize::from(braced) + "context.".len();
        match context_variable(name, kind, ctx, true) {
            Some(value) => out.push_str(&value),
            None if quiet => {}
            None => out.push_str(&tail[..prefix_len + consumed]),
        }
        rest = &tail[prefix_len + consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(message: &str) -> ErrorContext {
        ErrorContext {
            message: message.to_owned(),
            request_id: "req-1".to_owned(),
            ..ErrorContext::default()
        }
    }

    #[test]
    fn builtin_template_quotes_the_message() {
        let r = render(
            &BTreeMap::new(),
            ResponseType::BadRequestParameters,
            &ctx(r#"Missing required request parameters: [a "b"]"#),
            &HeaderMap::new(),
        );
        assert_eq!(r.status, 400);
        assert_eq!(
            r.body,
            r#"{"message":"Missing required request parameters: [a \"b\"]"}"#
        );
        assert_eq!(r.headers["content-type"], "application/json");
        assert_eq!(r.headers["x-amzn-errortype"], "BadRequestException");
    }

    #[test]
    fn falls_back_to_default_4xx_and_keeps_the_types_status() {
        let mut custom = BTreeMap::new();
        custom.insert(
            "DEFAULT_4XX".to_owned(),
            GatewayResponseDef {
                status_code: None,
                response_parameters: [(
                    "gatewayresponse.header.Access-Control-Allow-Origin".to_owned(),
                    "'*'".to_owned(),
                )]
                .into_iter()
                .collect(),
                response_templates: [(
                    "application/json".to_owned(),
                    r#"{"code":"$context.error.responseType","message":$context.error.messageString,"requestId":"${context.requestId}","raw":"$context.error.message","x":"$context.nope","q":"$!context.nope","price":"$5"}"#.to_owned(),
                )]
                .into_iter()
                .collect(),
            },
        );
        let r = render(
            &custom,
            ResponseType::Unauthorized,
            &ctx("Unauthorized"),
            &HeaderMap::new(),
        );
        assert_eq!(r.status, 401);
        assert_eq!(r.headers["access-control-allow-origin"], "*");
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code":"UNAUTHORIZED","message":"Unauthorized","requestId":"req-1","raw":"Unauthorized","x":"$context.nope","q":"","price":"$5"})
        );
        // A 5XX type does not take the 4XX customisation.
        let r = render(
            &custom,
            ResponseType::LambdaFailure,
            &ctx("Internal server error"),
            &HeaderMap::new(),
        );
        assert_eq!(r.status, 502);
        assert_eq!(r.body, r#"{"message":"Internal server error"}"#);
        assert!(r.headers.get("access-control-allow-origin").is_none());
    }
}
