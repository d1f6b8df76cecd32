//! The Lambda proxy integration
//! ([`aws_proxy`](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html)):
//! the event with API Gateway's forwarding headers, the invocation under the integration
//! timeout, and the function's answer as API Gateway passes it on.

use std::sync::Arc;

use http::{HeaderMap, HeaderName, HeaderValue};
use http_body_util::Full;
use hyper::body::Bytes;

use super::pipeline::{Authorized, Rejection, RequestState};
use super::{HttpResponse, LocalApi};
use crate::document::Route;
use crate::event::{self, EventInput, InvocationContext};
use crate::gateway_response::ResponseType;

impl LocalApi {
    /// Invokes the route's backend with the proxy event and answers with its response; a
    /// failed or malformed invocation is 502, a slow one 504.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn integrate(
        &self,
        route: &Route,
        parts: &http::request::Parts,
        path_params: &[(String, String)],
        query: &[(String, String)],
        body: &[u8],
        authorized: &Authorized,
        state: &RequestState,
    ) -> Result<HttpResponse, Rejection> {
        let mut headers = parts.headers.clone();
        add_forwarding_headers(&mut headers, state);
        let domain_name = parts
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("127.0.0.1")
            .to_owned();
        let source_ip = state.remote.ip().to_string();
        let header = |name: http::header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        };
        let binary_body = self.document.is_binary(header(http::header::CONTENT_TYPE));
        // API Gateway decodes a base64 answer for a client whose `Accept`
        // names a binary media type of the API.
        let decode_binary = header(http::header::ACCEPT)
            .split(',')
            .any(|accepted| self.document.is_binary(accepted));
        let event = event::build_event(&EventInput {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            resource: &route.path,
            path_params,
            query,
            headers: &headers,
            body,
            binary_body,
            claims: match authorized {
                Authorized::Claims(claims) => Some(claims),
                _ => None,
            },
            custom_authorizer: match authorized {
                Authorized::Custom(output) => Some(output),
                _ => None,
            },
            source_ip: &source_ip,
            request_id: &state.request_id,
            extended_request_id: &state.extended_request_id,
            stage: &self.config.stage,
            account_id: &self.config.account_id,
            api_id: &self.config.api_id,
            domain_name: &domain_name,
            time: state.time,
        });
        // The integration's own timeout, capped by the configured one (tests shorten it).
        let timeout = route.timeout.map_or(self.config.integration_timeout, |t| {
            t.min(self.config.integration_timeout)
        });
        let invocation = InvocationContext {
            aws_request_id: uuid::Uuid::new_v4().to_string(),
            function_arn: route.function_arn.clone().unwrap_or_default(),
            deadline_ms: u64::try_from(
                (state.time + chrono::Duration::from_std(timeout).unwrap_or_default())
                    .timestamp_millis(),
            )
            .unwrap_or_default(),
            trace_id: state.trace_id.clone(),
        };
        let lambda_request = event::to_lambda_request(&event, &invocation).map_err(|e| {
            tracing::error!(error = %e, "lambda_http refused the event");
            Rejection::gateway(ResponseType::LambdaFailure)
        })?;
        let backend = Arc::clone(&self.backend);
        let operation_id = route.operation_id.clone();
        let task = tokio::spawn(async move { backend.invoke(&operation_id, lambda_request).await });
        let abort = task.abort_handle();
        let response = match tokio::time::timeout(timeout, task).await {
            Ok(Ok(response)) => response,
            Ok(Err(join_error)) => {
                tracing::error!(operation_id = %route.operation_id, error = %join_error, "the function failed");
                return Err(Rejection::gateway(ResponseType::LambdaFailure));
            }
            Err(_) => {
                abort.abort();
                tracing::error!(operation_id = %route.operation_id, "the function timed out");
                return Err(Rejection::gateway(ResponseType::IntegrationTimeout));
            }
        };
        proxy_answer(response, decode_binary)
    }
}

/// The client's answer made of the function's: API Gateway's header rules applied, and
/// `application/json` when the function names no type.
fn proxy_answer(
    response: lambda_http::Response<lambda_http::Body>,
    decode_binary: bool,
) -> Result<HttpResponse, Rejection> {
    let proxy = event::from_lambda_response(response, decode_binary);
    let mut builder = http::Response::builder().status(proxy.status);
    if let Some(h) = builder.headers_mut() {
        for (name, value) in &proxy.headers {
            match remap_response_header(name) {
                HeaderFate::Keep => {
                    h.append(name, value.clone());
                }
                HeaderFate::Remap(remapped) => {
                    h.append(remapped, value.clone());
                }
                HeaderFate::Drop => {}
            }
        }
        if !h.contains_key(http::header::CONTENT_TYPE) {
            h.insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
    }
    builder
        .body(Full::new(Bytes::from(proxy.body)))
        .map_err(|e| {
            tracing::error!(error = %e, "malformed Lambda proxy response");
            Rejection::gateway(ResponseType::LambdaFailure)
        })
}

enum HeaderFate {
    Keep,
    Remap(HeaderName),
    Drop,
}

/// API Gateway owns some response headers: `Content-Length` is recomputed, and a function's
/// `Connection`, `Date`, `Server`, `Transfer-Encoding` ... reach the client renamed to
/// `x-amzn-Remapped-<name>`
/// ([important notes](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis)).
/// Locally this also keeps a handler from breaking HTTP/1 framing.
fn remap_response_header(name: &HeaderName) -> HeaderFate {
    const REMAPPED: [&str; 9] = [
        "authorization",
        "connection",
        "date",
        "server",
        "transfer-encoding",
        "upgrade",
        "te",
        "trailer",
        "www-authenticate",
    ];
    if name == http::header::CONTENT_LENGTH {
        return HeaderFate::Drop;
    }
    if REMAPPED.contains(&name.as_str()) {
        return match HeaderName::from_bytes(format!("x-amzn-remapped-{}", name.as_str()).as_bytes())
        {
            Ok(remapped) => HeaderFate::Remap(remapped),
            Err(_) => HeaderFate::Drop,
        };
    }
    HeaderFate::Keep
}

/// `X-Forwarded-*` and `X-Amzn-Trace-Id`, which API Gateway adds to the request headers.
fn add_forwarding_headers(headers: &mut HeaderMap, state: &RequestState) {
    let ip = state.remote.ip().to_string();
    let forwarded_for = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}, {ip}"),
        None => ip,
    };
    // The port the client connected to, as the Host header names it (80 when it names none).
    let port = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.rsplit_once(':'))
        .map(|(_, p)| p.to_owned())
        .unwrap_or_else(|| "80".to_owned());
    let pairs = [
        ("x-forwarded-for", forwarded_for),
        ("x-forwarded-port", port),
        ("x-forwarded-proto", "http".to_owned()),
        ("x-amzn-trace-id", state.trace_id.clone()),
    ];
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    }
}
