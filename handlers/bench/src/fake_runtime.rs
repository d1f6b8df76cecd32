//! A fake Lambda Runtime API on loopback
//! (<https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>): it hands
//! out queued events on `GET /2018-06-01/runtime/invocation/next` with the
//! headers lambda_runtime requires, and reports every poll, hand-out, response
//! and error with the instant it saw it. When the queue is empty a poll is held
//! (as Lambda freezes the sandbox) until the runtime is dropped.

use crate::serve::{respond, serve};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::Request;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

const PREFIX: &str = "/2018-06-01/runtime/";

/// What the runtime saw, in order.
#[derive(Debug)]
pub enum Seen {
    /// A poll of `/invocation/next` arrived.
    Next(Instant),
    /// Event `id` was handed out; `cpu_ns`: the function's CPU time just before.
    Sent {
        id: String,
        at: Instant,
        cpu_ns: Option<u64>,
    },
    /// The response of `id` arrived; `cpu_ns`: the function's CPU time then.
    Response {
        id: String,
        at: Instant,
        body: Vec<u8>,
        cpu_ns: Option<u64>,
    },
    /// The function reported an invocation error.
    Error { id: String, body: Vec<u8> },
    /// The function reported an init error.
    InitError { body: Vec<u8> },
    /// A request the Runtime API does not have.
    Unknown { method: String, path: String },
}

/// Called with an event's index (0: the cold invocation) as it is handed out, while the
/// function is blocked on its poll: whatever it observes is settled for the invocations before.
pub type OnHandOut = Box<dyn Fn(usize) + Send + Sync>;

struct State {
    pid: Arc<AtomicU32>,
    queue: Mutex<VecDeque<(String, Vec<u8>)>>,
    handed_out: AtomicU32,
    on_hand_out: Option<OnHandOut>,
    seen: mpsc::UnboundedSender<Seen>,
    closed: watch::Receiver<bool>,
}

/// A running fake Runtime API; dropping it releases held polls and stops it.
pub struct FakeRuntime {
    addr: SocketAddr,
    close: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl FakeRuntime {
    /// Starts on a free loopback port with `events` (id, JSON body) queued;
    /// returns the runtime and the stream of what it sees.
    /// `pid`: the function's process id once started (0 before), whose CPU
    /// time is sampled at each hand-out and response.
    pub async fn start(
        events: Vec<(String, Vec<u8>)>,
        pid: Arc<AtomicU32>,
        on_hand_out: Option<OnHandOut>,
    ) -> std::io::Result<(Self, mpsc::UnboundedReceiver<Seen>)> {
        let listener = crate::serve::loopback().await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = mpsc::unbounded_channel();
        let (close, closed) = watch::channel(false);
        let state = Arc::new(State {
            pid,
            queue: Mutex::new(events.into()),
            handed_out: AtomicU32::new(0),
            on_hand_out,
            seen: tx,
            closed,
        });
        let task = tokio::spawn(serve(listener, move |request| {
            let state = state.clone();
            async move { handle(&state, request).await }
        }));
        Ok((Self { addr, close, task }, rx))
    }

    /// The value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn api(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for FakeRuntime {
    fn drop(&mut self) {
        let _ = self.close.send(true);
        self.task.abort();
    }
}

/// CPU time (user + system, all threads) of process `pid` in nanoseconds, from
/// `/proc/<pid>/task/*/schedstat` (first field: time on CPU, ns). Unlike wall
/// time it does not count waiting for a core, so it stays meaningful on a
/// loaded machine. `None` where /proc is unavailable.
pub fn cpu_ns(pid: u32) -> Option<u64> {
    if pid == 0 {
        return None;
    }
    let mut total = 0u64;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let path = task.ok()?.path().join("schedstat");
        let text = std::fs::read_to_string(path).ok()?;
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

async fn handle(
    state: &State,
    request: Request<Incoming>,
) -> hyper::Response<http_body_util::Full<hyper::body::Bytes>> {
    let at = Instant::now();
    let method = request.method().clone();
    let cpu_at_arrival = if method == http::Method::POST {
        cpu_ns(state.pid.load(Ordering::Relaxed))
    } else {
        None
    };
    let path = request.uri().path().to_owned();
    let Some(rest) = path.strip_prefix(PREFIX) else {
        let _ = state.seen.send(Seen::Unknown {
            method: method.to_string(),
            path,
        });
        return respond(404, "application/json", "{}");
    };
    let rest = rest.to_owned();
    let body = match request.into_body().collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    match (method.as_str(), rest.as_str()) {
        ("GET", "invocation/next") => {
            let _ = state.seen.send(Seen::Next(at));
            let next = state.queue.lock().ok().and_then(|mut q| q.pop_front());
            match next {
                Some((id, event)) => {
                    // The function is blocked on this poll: its CPU time is settled.
                    let cpu = cpu_ns(state.pid.load(Ordering::Relaxed));
                    let index = state.handed_out.fetch_add(1, Ordering::Relaxed) as usize;
                    if let Some(hook) = &state.on_hand_out {
                        hook(index);
                    }
                    let deadline = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map(|d| d.as_millis() + 30_000)
                        .unwrap_or_default();
                    let mut response = respond(200, "application/json", event);
                    let headers = response.headers_mut();
                    for (name, value) in [
                        ("lambda-runtime-aws-request-id", id.clone()),
                        ("lambda-runtime-deadline-ms", deadline.to_string()),
                        (
                            "lambda-runtime-invoked-function-arn",
                            "arn:aws:lambda:us-east-1:123456789012:function:bench".to_owned(),
                        ),
                        (
                            "lambda-runtime-trace-id",
                            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0"
                                .to_owned(),
                        ),
                    ] {
                        if let Ok(value) = http::HeaderValue::from_str(&value) {
                            headers.insert(name, value);
                        }
                    }
                    let _ = state.seen.send(Seen::Sent {
                        id,
                        at: Instant::now(),
                        cpu_ns: cpu,
                    });
                    response
                }
                None => {
                    // Hold the poll like a frozen sandbox until the run ends.
                    let mut closed = state.closed.clone();
                    let _ = closed.wait_for(|c| *c).await;
                    respond(410, "application/json", "{}")
                }
            }
        }
        ("POST", "init/error") => {
            let _ = state.seen.send(Seen::InitError { body });
            respond(202, "application/json", r#"{"status":"OK"}"#)
        }
        ("POST", rest) if rest.starts_with("invocation/") => {
            let inner = &rest["invocation/".len()..];
            if let Some(id) = inner.strip_suffix("/response") {
                let _ = state.seen.send(Seen::Response {
                    id: id.to_owned(),
                    at,
                    body,
                    cpu_ns: cpu_at_arrival,
                });
            } else if let Some(id) = inner.strip_suffix("/error") {
                let _ = state.seen.send(Seen::Error {
                    id: id.to_owned(),
                    body,
                });
            } else {
                let _ = state.seen.send(Seen::Unknown {
                    method: method.to_string(),
                    path,
                });
            }
            respond(202, "application/json", r#"{"status":"OK"}"#)
        }
        _ => {
            let _ = state.seen.send(Seen::Unknown {
                method: method.to_string(),
                path,
            });
            respond(404, "application/json", "{}")
        }
    }
}
