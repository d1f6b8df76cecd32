//! Rendering a handler's [`Problem`] as a proxy response, and reporting an
//! error status its operation does not declare.

use crate::request::Meta;
use crate::response::{json_response, ResponseHeaders};
use api_problem::{FieldError, Problem};
use lambda_http::{Body, Response};
use serde::Serialize;

/// The proxy response of `problem`: the spec's shared error shape (`code`,
/// `message`, `requestId`, `fieldErrors`) with this request's id. A 5xx is also
/// logged with the request and trace ids, since it means the service failed.
pub fn problem_response(
    problem: Problem,
    status: u16,
    meta: &Meta,
    headers: ResponseHeaders<'_>,
) -> Response<Body> {
    if status >= 500 {
        tracing::error!(
            request_id = %meta.request_id,
            trace_id = meta.trace_id.as_deref().unwrap_or(""),
            operation = meta.operation_id,
            status,
            code = %problem.code,
            message = %problem.message,
            "request failed"
        );
    }
    let body = ErrorBody {
        code: &problem.code,
        message: &problem.message,
        request_id: &meta.request_id,
        field_errors: &problem.field_errors,
    };
    json_response(status, Some(&body), headers)
}

/// The wire form of a [`Problem`].
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    request_id: &'a str,
    field_errors: &'a [FieldError],
}

/// Reports a handler error whose status its operation does not declare. The
/// generated conversion answers with the operation's fallback error status
/// instead (its `default`, else its first declared server error), so clients
/// only ever see declared statuses; this log line tells the handler's author.
pub fn undeclared_status(operation_id: &str, status: u16, answered: u16) {
    tracing::error!(
        operation = operation_id,
        status,
        answered,
        "the handler answered a status this operation does not declare"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_adapter_adds_the_request_id_to_the_shared_shape() {
        let meta = Meta {
            operation_id: "getAccount",
            request_id: "req-7".into(),
            trace_id: None,
        };
        let problem = Problem::new("NOT_FOUND", "No such account.").with_field_error(
            "path.accountId",
            "exists",
            "no account has this id",
        );
        let response = problem_response(problem, 404, &meta, &[("ETag", None)]);
        assert_eq!(response.status(), 404);
        let Body::Text(text) = response.body() else {
            panic!("a JSON text body")
        };
        let body: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "code": "NOT_FOUND",
                "message": "No such account.",
                "requestId": "req-7",
                "fieldErrors": [{"field": "path.accountId", "code": "exists", "message": "no account has this id"}]
            })
        );
        assert!(response.headers().get("etag").is_none());
    }
}
