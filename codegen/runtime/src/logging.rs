//! The Lambda loop: JSON logs (one line per request, with the request id, the
//! X-Ray trace id, operation, status and latency) around a handler.

use crate::request::Meta;
use lambda_http::{service_fn, Body, Request, Response};
use std::convert::Infallible;
use std::future::Future;
use std::time::Instant;

/// The JSON log format: one object per line, no spans, no timestamps (CloudWatch
/// stamps each line), so a request's line is small and easy to query.
fn subscriber<W>(
    filter: tracing_subscriber::EnvFilter,
    writer: W,
) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .without_time()
        .with_writer(writer)
        .finish()
}

/// Installs the JSON log subscriber (`RUST_LOG` filters, default `info`).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing::subscriber::set_global_default(subscriber(filter, std::io::stdout));
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
        // A stub `codegen new` wrote answers 501 through `answering_early`.
        let response = crate::not_implemented::answering_early(handle(request));
        async move {
            let response = response.await;
            log_request(&meta, response.status().as_u16(), started);
            Ok::<_, Infallible>(response)
        }
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn one_json_line_per_request_with_ids_operation_status_and_latency() {
        let buffer = Buffer::default();
        let meta = Meta {
            operation_id: "getAccount",
            request_id: "req-1".into(),
            trace_id: Some("Root=1-abc".into()),
        };
        tracing::subscriber::with_default(
            subscriber(tracing_subscriber::EnvFilter::new("info"), buffer.clone()),
            || {
                log_request(&meta, 404, Instant::now());
            },
        );
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        let line: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        let fields = &line["fields"];
        assert_eq!(fields["request_id"], "req-1");
        assert_eq!(fields["trace_id"], "Root=1-abc");
        assert_eq!(fields["operation"], "getAccount");
        assert_eq!(fields["status"], 404);
        assert!(fields["latency_ms"].as_f64().is_some());
        assert_eq!(line["level"], "INFO");
    }
}
