//! The Lambda loop: JSON logs (one line per request, with the request id, the
//! X-Ray trace id, operation, status and latency) around a handler.

use crate::request::Meta;
use lambda_http::{service_fn, Body, Request, Response};
use std::convert::Infallible;
use std::future::Future;
use std::time::Instant;

/// Installs the JSON log subscriber (`RUST_LOG` filters, default `info`).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .without_time()
        .try_init();
}

/// Logs one finished request.
pub fn log_request(meta: &Meta, status: u16, started: Instant) {
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        request_id = %meta.request_id,
        trace_id = meta.trace_id.as_deref().unwrap_or(""),
        operation = meta.operation_id,
        status,
        latency_ms,
        "request"
    );
}

/// Runs `handle` as a lambda_http function: the Lambda Runtime API loop.
pub async fn run<F, Fut>(operation_id: &'static str, handle: F) -> Result<(), lambda_http::Error>
where
    F: Fn(Request) -> Fut,
    Fut: Future<Output = Response<Body>> + Send,
{
    init();
    lambda_http::run(service_fn(move |request: Request| {
        let started = Instant::now();
        let meta = Meta::from_request(operation_id, &request);
        let response = handle(request);
        async move {
            let response = response.await;
            log_request(&meta, response.status().as_u16(), started);
            Ok::<_, Infallible>(response)
        }
    }))
    .await
}
