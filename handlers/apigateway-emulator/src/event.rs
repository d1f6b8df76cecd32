//! The Lambda proxy integration: the event API Gateway sends and how its answer is read back
//! ([input format](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format),
//! [output format](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format)).
//!
//! The event is built as JSON, exactly the bytes a Lambda would receive, and then turned into a
//! [`lambda_http::Request`] through [`lambda_http::request::from_str`], the same deserialiser
//! the Lambda runtime uses, plus the Lambda [`lambda_http::Context`] and `x-amzn-trace-id`
//! header that `lambda_http`'s adapter adds. So a handler sees here what it sees in AWS, including
//! the stage prefix `lambda_http` puts in the request URI.
//!
//! The handler's response is read as `lambda_http` serialises it for API Gateway (text bodies
//! as is, binary ones base64 with `isBase64Encoded`; headers as `multiValueHeaders`). A base64
//! body is decoded to bytes when the request's `Accept` names a binary media type of the API
//! (`x-amazon-apigateway-binary-media-types`), else sent as that text, as API Gateway does
//! ([payload encodings](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html)).

use base64::Engine;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use lambda_http::RequestExt;
use serde_json::{json, Map, Value};

use crate::authorizer::Claims;

/// What API Gateway knows about one request when it invokes the integration.
#[derive(Debug, Clone)]
pub struct EventInput<'a> {
    /// HTTP method as received.
    pub method: &'a str,
    /// The request path as received, without the query string.
    pub path: &'a str,
    /// The matched resource's template (`/accounts/{accountId}`).
    pub resource: &'a str,
    /// Decoded path parameters.
    pub path_params: &'a [(String, String)],
    /// Decoded query parameters, all values in order.
    pub query: &'a [(String, String)],
    /// Request headers (as the client sent them, plus API Gateway's own).
    pub headers: &'a HeaderMap,
    /// The body.
    pub body: &'a [u8],
    /// Whether the body's media type is one of the API's binary media types:
    /// it then reaches the function base64-encoded (`isBase64Encoded`), else
    /// as text.
    pub binary_body: bool,
    /// Claims of a Cognito-authorized request.
    pub claims: Option<&'a Claims>,
    /// What a custom (`REQUEST`) authorizer allowed with: `principalId` and its `context`
    /// entries, which become `requestContext.authorizer` as they are.
    pub custom_authorizer: Option<&'a Map<String, Value>>,
    /// The client's address.
    pub source_ip: &'a str,
    /// `requestContext.requestId`.
    pub request_id: &'a str,
    /// `requestContext.extendedRequestId`.
    pub extended_request_id: &'a str,
    /// Stage name.
    pub stage: &'a str,
    /// `requestContext.accountId`.
    pub account_id: &'a str,
    /// `requestContext.apiId`.
    pub api_id: &'a str,
    /// `requestContext.domainName` (the Host header locally).
    pub domain_name: &'a str,
    /// Request time.
    pub time: chrono::DateTime<chrono::Utc>,
}

/// Builds the REST API proxy event (payload format 1.0).
pub fn build_event(input: &EventInput<'_>) -> Value {
    let mut headers = Map::new();
    let mut multi_headers: Map<String, Value> = Map::new();
    for name in input.headers.keys() {
        let values: Vec<String> = input
            .headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        if let Some(last) = values.last() {
            headers.insert(name.as_str().to_owned(), Value::String(last.clone()));
        }
        multi_headers.insert(name.as_str().to_owned(), json!(values));
    }
    let (query, multi_query) = if input.query.is_empty() {
        (Value::Null, Value::Null)
    } else {
        let mut single = Map::new();
        let mut multi: Map<String, Value> = Map::new();
        for (k, v) in input.query {
            single.insert(k.clone(), Value::String(v.clone()));
            match multi.get_mut(k).and_then(Value::as_array_mut) {
                Some(list) => list.push(Value::String(v.clone())),
                None => {
                    multi.insert(k.clone(), json!([v]));
                }
            }
        }
        (Value::Object(single), Value::Object(multi))
    };
    let path_params = if input.path_params.is_empty() {
        Value::Null
    } else {
        Value::Object(
            input
                .path_params
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    };
    let body = if input.body.is_empty() {
        Value::Null
    } else if input.binary_body {
        Value::String(base64::engine::general_purpose::STANDARD.encode(input.body))
    } else {
        Value::String(String::from_utf8_lossy(input.body).into_owned())
    };
    let user_agent = input
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| Value::String(s.to_owned()))
        .unwrap_or(Value::Null);
    let mut request_context = json!({
        "resourceId": resource_id(input.resource),
        "resourcePath": input.resource,
        "httpMethod": input.method,
        "extendedRequestId": input.extended_request_id,
        "requestTime": input.time.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
        "path": format!("/{}{}", input.stage, input.path),
        "accountId": input.account_id,
        "protocol": "HTTP/1.1",
        "stage": input.stage,
        "domainPrefix": input.domain_name.split('.').next().unwrap_or_default(),
        "requestTimeEpoch": input.time.timestamp_millis(),
        "requestId": input.request_id,
        "identity": {
            "cognitoIdentityPoolId": null,
            "accountId": null,
            "cognitoIdentityId": null,
            "caller": null,
            "sourceIp": input.source_ip,
            "principalOrgId": null,
            "accessKey": null,
            "cognitoAuthenticationType": null,
            "cognitoAuthenticationProvider": null,
            "userArn": null,
            "userAgent": user_agent,
            "user": null
        },
        "domainName": input.domain_name,
        "apiId": input.api_id
    });
    if let (Some(claims), Some(ctx)) = (input.claims, request_context.as_object_mut()) {
        ctx.insert("authorizer".to_owned(), json!({ "claims": claims }));
    }
    if let (Some(output), Some(ctx)) = (input.custom_authorizer, request_context.as_object_mut()) {
        ctx.insert("authorizer".to_owned(), Value::Object(output.clone()));
    }
    json!({
        "resource": input.resource,
        "path": input.path,
        "httpMethod": input.method,
        "headers": if headers.is_empty() { Value::Null } else { Value::Object(headers) },
        "multiValueHeaders": if multi_headers.is_empty() { Value::Null } else { Value::Object(multi_headers) },
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_params,
        "stageVariables": null,
        "requestContext": request_context,
        "body": body,
        "isBase64Encoded": input.binary_body && !input.body.is_empty()
    })
}

/// A stable 6-character resource id, shaped like API Gateway's.
fn resource_id(resource: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in resource.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..6)
        .map(|i| {
            let idx = ((h >> (i * 6)) % 36) as usize;
            char::from(alphabet[idx])
        })
        .collect()
}

/// The Lambda invocation details the runtime would attach.
#[derive(Debug, Clone)]
pub struct InvocationContext {
    /// Lambda's own request id (distinct from API Gateway's).
    pub aws_request_id: String,
    /// The function ARN.
    pub function_arn: String,
    /// Deadline, epoch milliseconds.
    pub deadline_ms: u64,
    /// X-Ray trace header (`Root=1-...;Parent=...;Sampled=0`).
    pub trace_id: String,
}

/// Turns the event JSON into the request a `lambda_http` handler receives, as the runtime does.
pub fn to_lambda_request(
    event: &Value,
    invocation: &InvocationContext,
) -> Result<lambda_http::Request, serde_json::Error> {
    let text = serde_json::to_string(event)?;
    let mut request = lambda_http::request::from_str(&text)?;
    let mut context = lambda_http::Context::default();
    context.request_id = invocation.aws_request_id.clone();
    context.invoked_function_arn = invocation.function_arn.clone();
    context.deadline = invocation.deadline_ms;
    context.xray_trace_id = Some(invocation.trace_id.clone());
    if let Ok(v) = HeaderValue::from_str(&invocation.trace_id) {
        request
            .headers_mut()
            .insert(HeaderName::from_static("x-amzn-trace-id"), v);
    }
    Ok(request.with_lambda_context(context))
}

/// The HTTP answer API Gateway makes of a Lambda proxy response.
#[derive(Debug, Clone)]
pub struct ProxyResponse {
    /// Status.
    pub status: StatusCode,
    /// Headers from the function.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Reads a handler's response the way the Lambda runtime serialises it and API Gateway
/// interprets it: a binary body is decoded when `decode_binary` (the client accepts a binary
/// media type of the API), else its base64 text goes out as is.
pub fn from_lambda_response(
    response: lambda_http::Response<lambda_http::Body>,
    decode_binary: bool,
) -> ProxyResponse {
    let (parts, body) = response.into_parts();
    let body = match body {
        lambda_http::Body::Text(text) => text.into_bytes(),
        lambda_http::Body::Binary(bytes) if decode_binary => bytes,
        lambda_http::Body::Binary(bytes) => base64::engine::general_purpose::STANDARD
            .encode(bytes)
            .into_bytes(),
        _ => Vec::new(),
    };
    ProxyResponse {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// An X-Ray trace header for a new request: `Root=1-<epoch hex>-<24 hex>`.
pub fn new_trace_id(now: chrono::DateTime<chrono::Utc>) -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("Root=1-{:08x}-{}", now.timestamp(), &random[..24])
}

/// An extended request id shaped like API Gateway's (`bXYkZGXSoAMF1Rg=`).
pub fn new_extended_request_id() -> String {
    let bytes = uuid::Uuid::new_v4();
    let mut s = base64::engine::general_purpose::STANDARD.encode(&bytes.as_bytes()[..10]);
    s.truncate(15);
    s.push('=');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_are_stable() {
        assert_eq!(resource_id("/health"), resource_id("/health"));
        assert_eq!(resource_id("/health").len(), 6);
        assert_eq!(new_extended_request_id().len(), 16);
        assert!(new_trace_id(chrono::Utc::now()).starts_with("Root=1-"));
    }
}
