//! The socket side: binding with a message a developer can act on, accepting and serving
//! HTTP/1 connections within bounds, graceful shutdown, and reading a body within API
//! Gateway's payload limit.
//!
//! Bounds, so that slow or many clients cannot hold the server (all in [`ServerConfig`]):
//! - at most `max_connections` connections are served at once; further ones wait in the
//!   listen backlog until one closes;
//! - a request head (request line and headers) must arrive within `header_read_timeout`,
//!   counted from the moment the server waits for it, so an idle keep-alive connection is
//!   closed after the same time; a head over `max_header_bytes` is refused with 431;
//! - a body must arrive within `body_read_timeout` once the server starts reading it (after
//!   routing and authorization), else 408;
//! - hyper's own answers to unparseable requests get the document's error shape
//!   ([`super::protocol_errors`]).

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::Bytes;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::pipeline::{Rejection, RequestLine, RequestState};
use super::protocol_errors::{PendingAnswers, ShapedProtocolErrors};
use super::{LocalApi, ServerConfig};
use crate::gateway_response::ResponseType;

/// How long requests in flight may run on after shutdown was asked for.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the server could not listen.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    /// Another process holds the port.
    #[error("port {port} is already in use; pass --port")]
    InUse {
        /// The port.
        port: u16,
    },
    /// Any other failure (permissions, bad address).
    #[error("cannot listen on {addr}")]
    Other {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Binds the listener, turning "address in use" into the message a developer can act on.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, BindError> {
    TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            BindError::InUse { port: addr.port() }
        } else {
            BindError::Other { addr, source }
        }
    })
}

impl LocalApi {
    /// Accepts connections on `listener` until `shutdown` completes, then lets requests in
    /// flight finish (for up to 10 s). Accept errors are logged and the loop goes on. At most
    /// [`ServerConfig::max_connections`] connections are served at once.
    pub async fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let slots = Arc::new(Semaphore::new(self.config.max_connections.max(1)));
        tokio::pin!(shutdown);
        loop {
            // A free slot first: at the cap, new connections wait in the listen backlog.
            let slot = tokio::select! {
                slot = Arc::clone(&slots).acquire_owned() => match slot {
                    Ok(slot) => slot,
                    Err(_) => break,
                },
                () = &mut shutdown => break,
            };
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, remote)) => {
                        let connection = graceful.watch(self.connection(stream, remote));
                        tokio::spawn(async move {
                            if let Err(e) = connection.await {
                                tracing::debug!(error = %e, "connection closed with an error");
                            }
                            drop(slot);
                        });
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
                () = &mut shutdown => break,
            }
        }
        drop(listener);
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(DRAIN_TIMEOUT) => {
                tracing::warn!("requests still running after 10 s; stopping anyway");
            }
        }
        Ok(())
    }

    /// Serves one HTTP/1 connection over any byte stream until it closes, with the same
    /// timeouts and limits as [`LocalApi::serve`] (tests and the fuzzer drive it in memory).
    pub async fn serve_connection<I>(
        self: Arc<Self>,
        io: I,
        remote: SocketAddr,
    ) -> Result<(), hyper::Error>
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        self.connection(io, remote).await
    }

    /// One HTTP/1 connection, every request on it handled by [`LocalApi::handle`].
    fn connection<I>(
        self: &Arc<Self>,
        io: I,
        remote: SocketAddr,
    ) -> impl hyper_util::server::graceful::GracefulConnection<Error = hyper::Error> + Send + 'static
    where
        I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let pending = Arc::new(PendingAnswers::default());
        let replacement = {
            let api = Arc::clone(self);
            Box::new(move |status| api.protocol_error_answer(status, remote))
        };
        let io = ShapedProtocolErrors::new(io, Arc::clone(&pending), replacement);
        let api = Arc::clone(self);
        let service = hyper::service::service_fn(move |request: http::Request<_>| {
            pending.push(request.method());
            let api = Arc::clone(&api);
            async move { Ok::<_, Infallible>(api.handle(request, remote).await) }
        });
        let config: &ServerConfig = &self.config;
        hyper::server::conn::http1::Builder::new()
            // A client may shut down its sending side once its request is out and still
            // wait for the answer; hyper would otherwise drop the request on that EOF.
            .half_close(true)
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(config.header_read_timeout)
            .max_header_size(config.max_header_bytes)
            .serve_connection(hyper_util::rt::TokioIo::new(io), service)
    }

    /// The bytes of the shaped answer that replaces hyper's own answer of `status` to a
    /// request it could not parse (see [`super::protocol_errors`]); logged like any request.
    fn protocol_error_answer(&self, status: StatusCode, remote: SocketAddr) -> Vec<u8> {
        let state = RequestState::new(remote);
        let message = match status {
            StatusCode::URI_TOO_LONG => "Request-URI Too Long",
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "Request Header Fields Too Large",
            _ => "Bad Request",
        };
        let headers = HeaderMap::new();
        let line = RequestLine {
            method: "-",
            path: "",
            headers: &headers,
        };
        let mut response = self.reject(Rejection::Local { status, message }, &state, &line);
        state.stamp(response.headers_mut());
        tracing::info!(
            status = status.as_u16(),
            request_id = %state.request_id,
            "request hyper could not parse"
        );
        let (parts, body) = response.into_parts();
        let body = body.into_inner().unwrap_or_default();
        let mut out = format!(
            "HTTP/1.1 {} {}\r\n",
            parts.status.as_u16(),
            parts.status.canonical_reason().unwrap_or("Error")
        )
        .into_bytes();
        let mut headers = parts.headers;
        headers.insert(http::header::CONNECTION, HeaderValue::from_static("close"));
        headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        for (name, value) in &headers {
            out.extend_from_slice(name.as_str().as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&body);
        out
    }
}

/// 400 for a `Host` that is no URL host (`1e7.0.0.1`), or for several `Host` lines: the
/// event's `headers.Host` is the last one, and the Lambda runtime's request conversion
/// (lambda_http) parses `https://<Host><path>` as a URL and panics on one it cannot parse.
/// API Gateway only serves requests to its own domain names, so such a request never
/// reaches a function; RFC 9112 §3.2 makes both a 400
/// (<https://www.rfc-editor.org/rfc/rfc9112#section-3.2>). The host is checked alone (an
/// empty one is refused) and in the URL the runtime builds with the request's own path.
pub(super) fn check_host(headers: &HeaderMap, path: &str) -> Result<(), Rejection> {
    let mut hosts = headers.get_all(http::header::HOST).iter();
    let Some(host) = hosts.next() else {
        return Ok(());
    };
    if hosts.next().is_some() {
        return Err(Rejection::Local {
            status: StatusCode::BAD_REQUEST,
            message: "the request has more than one Host header",
        });
    }
    // The runtime parses the URL, then makes an `http::Uri` of its text: both must take it.
    let parses = |url: String| {
        url::Url::parse(&url)
            .is_ok_and(|u| u.host().is_some() && u.as_str().parse::<http::Uri>().is_ok())
    };
    let valid = host.to_str().ok().is_some_and(|h| {
        h.parse::<http::uri::Authority>().is_ok()
            && parses(format!("https://{h}/"))
            && parses(format!("https://{h}{path}"))
    });
    if valid {
        Ok(())
    } else {
        Err(Rejection::Local {
            status: StatusCode::BAD_REQUEST,
            message: "the Host header is not a valid host name",
        })
    }
}

/// API Gateway's 413 `Request Too Long` for a `Content-Length` over `limit`, decided from the
/// header alone, before routing (the body is not read).
pub(super) fn check_declared_length(headers: &HeaderMap, limit: usize) -> Result<(), Rejection> {
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Rejection::gateway(ResponseType::RequestTooLarge));
    }
    Ok(())
}

/// The whole body: 413 `Request Too Long` once it exceeds `limit` (API Gateway's 10 MB
/// payload quota), 408 when it has not arrived within `timeout`, 400 when it cannot be read
/// (a malformed chunked encoding, a connection closed mid-body).
pub(super) async fn read_body<B>(
    body: B,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, Rejection>
where
    B: hyper::body::Body<Data = Bytes> + Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let read = Limited::new(body, limit).collect();
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(Rejection::gateway(ResponseType::RequestTooLarge))
        }
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "could not read the request body");
            Err(Rejection::Local {
                status: StatusCode::BAD_REQUEST,
                message: "The request body could not be read.",
            })
        }
        Err(_) => {
            tracing::info!(
                timeout_ms = timeout.as_millis(),
                "the request body arrived too slowly"
            );
            Err(Rejection::Local {
                status: StatusCode::REQUEST_TIMEOUT,
                message: "The request body did not arrive in time.",
            })
        }
    }
}
