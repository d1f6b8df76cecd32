//! One cold start, timed from outside the process: exec the bootstrap with
//! Lambda's environment against a fresh [`FakeRuntime`], then
//! - init: exec → first `GET /invocation/next` (Lambda's Init phase),
//! - cold: exec → the first response (what a caller waits for beyond the network),
//! - warm: event handed out → its response, for every later invocation.
//!
//! Credentials are in env vars (as Lambda sets them from the execution role), so
//! init needs no network; every AWS endpoint points at the loopback fake.

use crate::events::{rest_event, Operation};
use crate::fake_runtime::{FakeRuntime, Seen};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::process::Command;

/// One measured start.
#[derive(Debug, Clone)]
pub struct Sample {
    pub init: Duration,
    pub cold: Duration,
    /// Event handed out → response, first invocation.
    pub first_invoke: Duration,
    /// Event handed out → response, later invocations.
    pub warm: Vec<Duration>,
    /// CPU time of the function (all threads) at the first poll: init's CPU cost.
    pub init_cpu: Option<Duration>,
    /// CPU time of the function at its first response.
    pub cold_cpu: Option<Duration>,
}

/// Where and how to start a bootstrap.
#[derive(Debug, Clone)]
pub struct Target {
    pub binary: PathBuf,
    pub op: Operation,
    /// The fake AWS endpoint (`http://127.0.0.1:PORT`).
    pub aws_endpoint: String,
    /// An empty directory used as `HOME` (no `~/.aws` profile is read).
    pub home: PathBuf,
    /// Extra variables (e.g. `ACCOUNTS_WARM_UP=1`), after Lambda's.
    pub extra_env: Vec<(String, String)>,
}

/// Lambda's environment for a `provided.al2023` function
/// (<https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime>),
/// plus our function's own variables and endpoint overrides.
fn lambda_env(target: &Target, runtime_api: &str) -> Vec<(String, String)> {
    let e = &target.aws_endpoint;
    [
        ("AWS_LAMBDA_RUNTIME_API", runtime_api),
        ("AWS_LAMBDA_FUNCTION_NAME", target.op.function),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
        ("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench"),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            "2026/11/26/[$LATEST]0123456789abcdef",
        ),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
        ("_HANDLER", "bootstrap"),
        ("LAMBDA_TASK_ROOT", "/var/task"),
        ("LAMBDA_RUNTIME_DIR", "/var/runtime"),
        ("TZ", ":UTC"),
        ("LANG", "en_US.UTF-8"),
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "ASIABENCHBENCHBENCH0"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "benchbenchbenchbenchbenchbenchbenchbench",
        ),
        ("AWS_SESSION_TOKEN", "bench-session-token"),
        ("AWS_ENDPOINT_URL_DYNAMODB", e),
        ("AWS_ENDPOINT_URL_SECRETS_MANAGER", e),
        ("AWS_ENDPOINT_URL", e),
        ("TABLE_NAME", "accounts"),
        ("CURSOR_SECRET_ID", "bench/cursor-key"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .chain([(
        "HOME".to_owned(),
        target.home.to_string_lossy().into_owned(),
    )])
    .chain(target.extra_env.iter().cloned())
    .collect()
}

/// Checks that `body` (a proxy response) has status `expect`.
fn check_status(op: &Operation, body: &[u8]) -> Result<()> {
    let value: serde_json::Value = serde_json::from_slice(body).with_context(|| {
        format!(
            "{}: response is not JSON: {}",
            op.function,
            String::from_utf8_lossy(body)
        )
    })?;
    let status = value.get("statusCode").and_then(|s| s.as_u64());
    if status != Some(u64::from(op.expect_status)) {
        bail!(
            "{}: expected status {}, got {}",
            op.function,
            op.expect_status,
            String::from_utf8_lossy(body)
        );
    }
    Ok(())
}

/// Starts `target` once and runs `1 + warm` invocations; `timeout` bounds the run.
/// `on_hand_out`: see [`crate::fake_runtime::OnHandOut`].
pub async fn run_once(
    target: &Target,
    warm: usize,
    timeout: Duration,
    on_hand_out: Option<crate::fake_runtime::OnHandOut>,
) -> Result<Sample> {
    let events = (0..=warm)
        .map(|i| {
            let id = format!("bench-{i:04}");
            let body = rest_event(&target.op, &id).to_string().into_bytes();
            (id, body)
        })
        .collect();
    let pid = Arc::new(AtomicU32::new(0));
    let (runtime, mut seen) = FakeRuntime::start(events, pid.clone(), on_hand_out).await?;
    let env = lambda_env(target, &runtime.api());
    let mut command = Command::new(&target.binary);
    command
        .env_clear()
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let exec = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {}", target.binary.display()))?;
    pid.store(child.id().unwrap_or(0), Ordering::Relaxed);
    let mut init_cpu = None;
    let mut cold_cpu = None;

    let mut first_next = None;
    let mut sent: HashMap<String, Instant> = HashMap::new();
    let mut done: Vec<(String, Instant)> = Vec::new();
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let outcome: Result<()> = loop {
        tokio::select! {
            s = seen.recv() => match s {
                Some(Seen::Next(at)) => { first_next.get_or_insert(at); }
                Some(Seen::Sent { id, at, cpu_ns }) => {
                    if sent.is_empty() { init_cpu = cpu_ns.map(Duration::from_nanos); }
                    sent.insert(id, at);
                }
                Some(Seen::Response { id, at, body, cpu_ns }) => {
                    if done.is_empty() { cold_cpu = cpu_ns.map(Duration::from_nanos); }
                    if let Err(e) = check_status(&target.op, &body) { break Err(e); }
                    done.push((id, at));
                    if done.len() == warm + 1 { break Ok(()); }
                }
                Some(Seen::Error { id, body }) => break Err(anyhow::anyhow!(
                    "{}: invocation {id} failed: {}", target.op.function, String::from_utf8_lossy(&body))),
                Some(Seen::InitError { body }) => break Err(anyhow::anyhow!(
                    "{}: init failed: {}", target.op.function, String::from_utf8_lossy(&body))),
                Some(Seen::Unknown { method, path }) => break Err(anyhow::anyhow!(
                    "{}: unexpected Runtime API call {method} {path}", target.op.function)),
                None => break Err(anyhow::anyhow!("fake runtime stopped")),
            },
            status = child.wait() => break Err(anyhow::anyhow!(
                "{} exited early ({})", target.op.function,
                status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string()))),
            _ = &mut deadline => break Err(anyhow::anyhow!(
                "{}: no answer within {timeout:?} ({} of {} responses)", target.op.function, done.len(), warm + 1)),
        }
    };
    let _ = child.start_kill();
    let _ = child.wait().await;
    drop(runtime);
    if let Err(e) = outcome {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr).await;
        }
        return Err(e.context(format!("stderr of {}: {stderr}", target.binary.display())));
    }

    let first_next = first_next.context("no /invocation/next seen")?;
    let mut durations = Vec::with_capacity(done.len());
    for (id, at) in &done {
        let start = sent
            .get(id)
            .with_context(|| format!("response for {id} that was never sent"))?;
        durations.push(at.saturating_duration_since(*start));
    }
    let cold_at = done.first().map(|(_, at)| *at).context("no response")?;
    Ok(Sample {
        init: first_next.saturating_duration_since(exec),
        cold: cold_at.saturating_duration_since(exec),
        first_invoke: durations[0],
        warm: durations[1..].to_vec(),
        init_cpu,
        cold_cpu,
    })
}

/// The file's size in bytes.
pub fn file_size(path: &Path) -> Result<u64> {
    Ok(std::fs::metadata(path)
        .with_context(|| format!("cannot stat {}", path.display()))?
        .len())
}

/// The size of `path` deflated at the default level (6, as zip tools and
/// cargo-lambda use), plus a zip's headers for one entry named `bootstrap`:
/// what a Lambda zip of this binary would weigh.
pub fn deflated_zip_size(path: &Path) -> Result<u64> {
    use std::io::Write;
    let data = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&data)?;
    let compressed = encoder.finish()?;
    // Local header (30 + name) + central directory entry (46 + name) + end record (22).
    Ok(compressed.len() as u64 + 30 + 46 + 22 + 2 * "bootstrap".len() as u64)
}
