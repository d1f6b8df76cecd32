//! What every response and log line needs to know about a request.

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};

/// What every response and log line needs to know about the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub operation_id: &'static str,
    /// API Gateway's `requestContext.requestId`, quoted in error bodies.
    pub request_id: String,
    /// The X-Ray trace id (`X-Amzn-Trace-Id`), when tracing is on.
    pub trace_id: Option<String>,
}

impl Meta {
    pub fn from_request(operation_id: &'static str, request: &Request) -> Self {
        let request_id = match request.request_context_ref() {
            Some(RequestContext::ApiGatewayV1(ctx)) => ctx.request_id.clone(),
            _ => None,
        }
        .or_else(|| request.lambda_context_ref().map(|c| c.request_id.clone()))
        .unwrap_or_default();
        let trace_id = request
            .headers()
            .get("x-amzn-trace-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| std::env::var("_X_AMZN_TRACE_ID").ok());
        Self {
            operation_id,
            request_id,
            trace_id,
        }
    }
}
