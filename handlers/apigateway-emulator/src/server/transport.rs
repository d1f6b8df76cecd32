//! The socket side: binding with a message a developer can act on, accepting and serving
//! HTTP/1 connections, graceful shutdown, and reading a body within API Gateway's payload
//! limit.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderMap;
use http_body_util::{BodyExt, Limited};
use hyper::body::Bytes;
use tokio::net::TcpListener;

use super::pipeline::Rejection;
use super::LocalApi;
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
    #[error("cannot listen on {addr}: {source}")]
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
    /// flight finish (for up to 10 s). Accept errors are logged and the loop goes on.
    pub async fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, remote)) => {
                        let connection = graceful.watch(self.connection(stream, remote));
                        tokio::spawn(async move {
                            if let Err(e) = connection.await {
                                tracing::debug!(error = %e, "connection closed with an error");
                            }
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

    /// One HTTP/1 connection, every request on it handled by [`LocalApi::handle`].
    fn connection(
        self: &Arc<Self>,
        stream: tokio::net::TcpStream,
        remote: SocketAddr,
    ) -> impl hyper_util::server::graceful::GracefulConnection<Error = hyper::Error> + Send + 'static
    {
        let api = Arc::clone(self);
        let service = hyper::service::service_fn(move |request| {
            let api = Arc::clone(&api);
            async move { Ok::<_, Infallible>(api.handle(request, remote).await) }
        });
        hyper::server::conn::http1::Builder::new()
            .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
    }
}

/// The whole body, refused with 413 `Request Too Long` when its `Content-Length` or its
/// actual size exceeds `limit` (API Gateway's 10 MB payload quota).
pub(super) async fn read_body<B>(
    headers: &HeaderMap,
    body: B,
    limit: usize,
) -> Result<Bytes, Rejection>
where
    B: hyper::body::Body<Data = Bytes> + Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Rejection::gateway(ResponseType::RequestTooLarge));
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(Rejection::gateway(ResponseType::RequestTooLarge))
        }
        Err(e) => {
            tracing::debug!(error = %e, "could not read the request body");
            Err(Rejection::Local {
                status: http::StatusCode::BAD_REQUEST,
                message: "could not read the request body",
            })
        }
    }
}
