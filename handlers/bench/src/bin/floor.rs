//! The floor: a bare lambda_http echo with exactly the runtime setup of the
//! accounts Lambdas (current-thread tokio, the JSON log subscriber, the same
//! `codegen_runtime::logging::run` loop), but no SDK client, no store and no
//! validation. Cold start and warm latency ratios are taken against it.

use codegen_runtime::lambda_http::{Body, Error, Request, Response};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    codegen_runtime::logging::run("echo", |request: Request| async move {
        let body = serde_json::json!({ "path": request.uri().path() }).to_string();
        let mut response = Response::new(Body::Text(body));
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        response
    })
    .await
}
