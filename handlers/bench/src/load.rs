//! HTTP load with `wrk` (Debian package `wrk`): requests per second and the
//! latency distribution of one URL, parsed from `wrk --latency`.

use anyhow::{bail, Context, Result};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// What `wrk` measured.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
}

/// Runs `wrk` against `url` with optional `Authorization`.
pub async fn wrk(
    url: &str,
    authorization: Option<&str>,
    threads: u32,
    connections: u32,
    duration: Duration,
) -> Result<Load> {
    let mut command = Command::new("wrk");
    command
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--latency");
    if let Some(token) = authorization {
        command.arg("-H").arg(format!("Authorization: {token}"));
    }
    let out = command
        .arg(url)
        .output()
        .await
        .context("cannot run wrk (apt-get install -y wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "wrk failed: {}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    parse_wrk(&text)
}

/// A wrk latency like `1.23ms`, `456.00us`, `1.02s` in milliseconds.
fn parse_latency(s: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = s.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

/// Parses `wrk --latency` output; refuses a run with errors or non-2xx answers.
pub fn parse_wrk(text: &str) -> Result<Load> {
    let mut rps = None;
    let mut p50 = None;
    let mut p99 = None;
    let mut requests = None;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", n] => rps = n.parse::<f64>().ok(),
            ["50%", v] => p50 = parse_latency(v),
            ["99%", v] => p99 = parse_latency(v),
            [n, "requests", "in", ..] => requests = n.parse::<u64>().ok(),
            ["Non-2xx", ..] | ["Socket", "errors:", ..] => {
                bail!("wrk saw failures: {line}\n{text}")
            }
            _ => {}
        }
    }
    match (rps, p50, p99, requests) {
        (Some(rps), Some(p50_ms), Some(p99_ms), Some(requests)) if requests > 0 => Ok(Load {
            rps,
            p50_ms,
            p99_ms,
            requests,
        }),
        _ => bail!("cannot parse wrk output:\n{text}"),
    }
}

/// A server started for a load run, with what it printed until it was ready.
pub struct Server {
    pub child: Child,
    pub banner: Vec<String>,
}

impl Server {
    /// Kills the server and waits until it has exited, so that whatever it held (a
    /// port, the data directory's lock) is free before the next server starts.
    pub async fn stop(mut self) -> Result<()> {
        self.child.kill().await.context("cannot stop the server")?;
        Ok(())
    }
}

/// Starts `command` and reads stdout lines until one contains `ready` (a
/// substring), within `timeout`.
pub async fn start_server(mut command: Command, ready: &str, timeout: Duration) -> Result<Server> {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let mut child = command.spawn().context("cannot start server")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = Vec::new();
    let found = tokio::time::timeout(timeout, async {
        while let Some(line) = lines.next_line().await? {
            let done = line.contains(ready);
            banner.push(line);
            if done {
                return Ok::<bool, std::io::Error>(true);
            }
        }
        Ok(false)
    })
    .await;
    match found {
        Ok(Ok(true)) => {
            // Keep draining stdout so the server never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            Ok(Server { child, banner })
        }
        _ => bail!("server never printed {ready:?}: {banner:?}"),
    }
}

/// The first `http://...` word in `lines`.
pub fn find_url(lines: &[String]) -> Option<String> {
    lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .find_map(|w| {
            w.starts_with("http://")
                .then(|| w.trim_end_matches([',', ')']).to_owned())
        })
}

/// The value after `export NAME=` in `lines`.
pub fn find_export(lines: &[String], name: &str) -> Option<String> {
    let prefix = format!("export {name}=");
    lines
        .iter()
        .find_map(|l| l.trim().strip_prefix(&prefix).map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Running 1s test @ http://127.0.0.1:1/\n  1 threads and 4 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency    80.00us   20.00us   1.00ms   90.00%\n  Latency Distribution\n     50%   75.00us\n     75%   90.00us\n     90%  110.00us\n     99%    1.20ms\n  40000 requests in 1.00s, 5.00MB read\nRequests/sec:  40000.00\nTransfer/sec:      5.00MB\n";

    #[test]
    fn parses_wrk() {
        let l = parse_wrk(SAMPLE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.requests, 40000);
        assert!((l.p50_ms - 0.075).abs() < 1e-9 && (l.p99_ms - 1.2).abs() < 1e-9);
        let bad = SAMPLE.replace(
            "Requests/sec",
            "  Non-2xx or 3xx responses: 3\nRequests/sec",
        );
        assert!(parse_wrk(&bad).is_err());
    }

    #[test]
    fn finds_banner_values() {
        let lines = vec![
            "accounts-local: serving http://127.0.0.1:4000 (started in 3 ms)".to_owned(),
            "    export TOKEN=abc.def".to_owned(),
        ];
        assert_eq!(find_url(&lines).as_deref(), Some("http://127.0.0.1:4000"));
        assert_eq!(find_export(&lines, "TOKEN").as_deref(), Some("abc.def"));
    }
}
