//! hyper answers a request it cannot parse by itself, before any service sees it: 400 for a
//! malformed request line or header, 414 for a URI over its limit, 431 for a head over the
//! header limit, each with an empty body. Every other error of the emulator has the document's
//! error shape, so this adapter, between hyper and the socket, replaces exactly those answers
//! with the gateway response of their status (`DEFAULT_4XX`, see [`super::LocalApi::reject`]).
//!
//! How it tells them apart: the service records each request it is handed, in order, with
//! whether its answer carries a body (not for `HEAD`). The adapter follows the response stream
//! (heads with `httparse`, bodies by `Content-Length`, which every answer of the emulator has:
//! its bodies are whole buffers), and a final response head that arrives when no request is
//! waiting for one can only be hyper's own. hyper closes the connection after it, so whatever
//! follows is dropped. Interim `1xx` heads (`100 Continue`) pass as they are.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};

use http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A response head larger than this is not one of ours or hyper's; the adapter stops
/// interpreting the stream and passes it through.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Buffered output beyond this is written out before more is accepted (back-pressure).
const HIGH_WATER_BYTES: usize = 64 * 1024;

/// The requests the service was handed on one connection whose answers are not written yet:
/// for each, whether the answer carries its body (`false` for `HEAD`).
#[derive(Debug, Default)]
pub(super) struct PendingAnswers(Mutex<VecDeque<bool>>);

impl PendingAnswers {
    /// The service was handed a request of `method`.
    pub(super) fn push(&self, method: &http::Method) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(method != http::Method::HEAD);
    }

    fn pop(&self) -> Option<bool> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
    }
}

/// Renders the shaped answer that replaces hyper's own answer of this status.
pub(super) type Replacement = Box<dyn Fn(StatusCode) -> Vec<u8> + Send + Sync>;

/// Where the adapter is in the response stream.
#[derive(Debug)]
enum Outgoing {
    /// Collecting a response head.
    Head(Vec<u8>),
    /// Passing this many more body bytes.
    Body(u64),
    /// Passing everything (a stream it does not interpret).
    Raw,
    /// hyper's own answer was replaced; the connection is closing.
    Discard,
}

/// The socket as hyper sees it: reads pass through; writes are followed and hyper's own error
/// answers replaced (see the module docs).
pub(super) struct ShapedProtocolErrors<I> {
    inner: I,
    pending: Arc<PendingAnswers>,
    replacement: Replacement,
    outgoing: Outgoing,
    /// Bytes accepted from hyper, not yet written to `inner`.
    buffer: Vec<u8>,
    written: usize,
}

impl<I> ShapedProtocolErrors<I> {
    pub(super) fn new(inner: I, pending: Arc<PendingAnswers>, replacement: Replacement) -> Self {
        Self {
            inner,
            pending,
            replacement,
            outgoing: Outgoing::Head(Vec::new()),
            buffer: Vec::new(),
            written: 0,
        }
    }

    /// Takes `bytes` from hyper into the output buffer, interpreted.
    fn accept(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            match &mut self.outgoing {
                Outgoing::Raw => {
                    self.buffer.extend_from_slice(bytes);
                    return;
                }
                Outgoing::Discard => return,
                Outgoing::Body(remaining) => {
                    let take = usize::try_from(*remaining)
                        .unwrap_or(usize::MAX)
                        .min(bytes.len());
                    self.buffer.extend_from_slice(&bytes[..take]);
                    *remaining -= take as u64;
                    if *remaining == 0 {
                        self.outgoing = Outgoing::Head(Vec::new());
                    }
                    bytes = &bytes[take..];
                }
                Outgoing::Head(head) => {
                    // The terminator may straddle two writes: search from just before the
                    // new bytes.
                    let from = head.len().saturating_sub(3);
                    head.extend_from_slice(bytes);
                    let Some(end) = find_head_end(&head[from..]).map(|i| from + i) else {
                        if head.len() > MAX_HEAD_BYTES {
                            let head = std::mem::take(head);
                            self.buffer.extend_from_slice(&head);
                            self.outgoing = Outgoing::Raw;
                        }
                        return;
                    };
                    let mut head = std::mem::take(head);
                    let rest = head.split_off(end);
                    self.on_head(head);
                    if rest.is_empty() {
                        return;
                    }
                    // What followed the head in this write: process it in the new state.
                    self.accept(&rest);
                    return;
                }
            }
        }
    }

    /// A complete response head.
    fn on_head(&mut self, head: Vec<u8>) {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        let Ok(httparse::Status::Complete(_)) = response.parse(&head) else {
            self.buffer.extend_from_slice(&head);
            self.outgoing = Outgoing::Raw;
            return;
        };
        let status = response.code.unwrap_or_default();
        if (100..200).contains(&status) {
            self.buffer.extend_from_slice(&head);
            self.outgoing = Outgoing::Head(Vec::new());
            return;
        }
        let Some(with_body) = self.pending.pop() else {
            // No request is waiting for an answer: hyper answers one it could not parse.
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            let replaced = (self.replacement)(status);
            self.buffer.extend_from_slice(&replaced);
            self.outgoing = Outgoing::Discard;
            return;
        };
        let length = response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-length"))
            .and_then(|h| std::str::from_utf8(h.value).ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        self.buffer.extend_from_slice(&head);
        let bodyless = !with_body || status == 204 || status == 304;
        self.outgoing = match (bodyless, length) {
            (true, _) | (false, Some(0)) => Outgoing::Head(Vec::new()),
            (false, Some(n)) => Outgoing::Body(n),
            (false, None) => Outgoing::Raw,
        };
    }
}

fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

impl<I: AsyncWrite + Unpin> ShapedProtocolErrors<I> {
    /// Writes the buffer out; `Pending` until all of it is written.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.buffer.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.buffer[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.buffer.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for ShapedProtocolErrors<I> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for ShapedProtocolErrors<I> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.buffer.len() - this.written > HIGH_WATER_BYTES {
            ready!(this.poll_drain(cx))?;
        }
        this.accept(bytes);
        // Write what can be written now; the rest goes with the next write or flush.
        if let Poll::Ready(Err(e)) = this.poll_drain(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    fn adapter(pending: Arc<PendingAnswers>) -> ShapedProtocolErrors<Vec<u8>> {
        ShapedProtocolErrors::new(
            Vec::new(),
            pending,
            Box::new(|status| format!("SHAPED {}", status.as_u16()).into_bytes()),
        )
    }

    #[tokio::test]
    async fn answers_to_served_requests_pass_and_hyper_s_own_is_replaced() {
        let pending = Arc::new(PendingAnswers::default());
        pending.push(&http::Method::GET);
        pending.push(&http::Method::HEAD);
        let mut out = adapter(Arc::clone(&pending));
        let first = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
        // Split across writes, the terminator straddling two of them.
        out.write_all(&first[..20]).await.unwrap();
        out.write_all(&first[20..36]).await.unwrap();
        out.write_all(&first[36..]).await.unwrap();
        // The answer to HEAD names a length but carries no body.
        let second = b"HTTP/1.1 403 Forbidden\r\ncontent-length: 99\r\n\r\n";
        let own = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
        let mut both = second.to_vec();
        both.extend_from_slice(own);
        out.write_all(&both).await.unwrap();
        out.flush().await.unwrap();
        let mut expected = first.to_vec();
        expected.extend_from_slice(second);
        expected.extend_from_slice(b"SHAPED 431");
        assert_eq!(
            String::from_utf8_lossy(&out.inner),
            String::from_utf8_lossy(&expected)
        );
    }

    #[tokio::test]
    async fn interim_answers_and_bodyless_statuses_keep_the_framing() {
        let pending = Arc::new(PendingAnswers::default());
        pending.push(&http::Method::POST);
        pending.push(&http::Method::DELETE);
        let mut out = adapter(Arc::clone(&pending));
        let stream: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n";
        out.write_all(stream).await.unwrap();
        out.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        out.flush().await.unwrap();
        let mut expected = stream.to_vec();
        expected.extend_from_slice(b"SHAPED 400");
        assert_eq!(out.inner, expected);
    }
}
