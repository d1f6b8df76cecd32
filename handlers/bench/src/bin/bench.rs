//! `bench`: runs every benchmark of the accounts service in one go and prints
//! Markdown tables with ratios against floors measured in the same run:
//! 1. Lambda cold start and warm invocations of every handler against the
//!    `floor` echo, through a fake Runtime API, with DynamoDB on a loopback fake;
//! 2. `codegen generate` wall time on the accounts spec and the largest corpus document;
//! 3. `accounts-local` under `wrk` (`GET /accounts/me` with a token) against `bare-hyper`.
//!
//! Run it through `bash .ci/bench.sh`, which builds the binaries first.

use accounts_bench::cold::{self, deflated_zip_size, file_size, Target};
use accounts_bench::events::{floor_operation, operations, Operation};
use accounts_bench::fake_dynamodb::{FakeDynamoDb, OWNER_SUB};
use accounts_bench::load::{self, find_export, find_url, start_server, Load};
use accounts_bench::stats::{ms, summarize, summarize_ms, Summary};
use anyhow::{bail, Context, Result};
use clap::Parser;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::process::Command;

#[derive(Parser, Debug)]
#[command(
    name = "bench",
    about = "Cold start, codegen and load benchmarks of the accounts service"
)]
struct Args {
    /// Directory holding the native binaries (the Lambdas, floor, bare-hyper, accounts-local, codegen).
    #[arg(long)]
    bin_dir: PathBuf,
    /// Directory of the Lambdas and the floor when they are built with their own profile
    /// (`lambda-release`); default: `--bin-dir`.
    #[arg(long)]
    function_dir: Option<PathBuf>,
    /// Cold starts per binary.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// Warm invocations after each cold one.
    #[arg(long, default_value_t = 20)]
    warm: usize,
    /// Seconds of load per server.
    #[arg(long, default_value_t = 10)]
    load_seconds: u64,
    /// wrk connections.
    #[arg(long, default_value_t = 32)]
    connections: u32,
    /// Timed runs of `codegen generate` per document.
    #[arg(long, default_value_t = 10)]
    codegen_runs: usize,
    /// `cargo lambda` output directory (`<function>/bootstrap.zip`), for arm64 zip sizes.
    #[arg(long)]
    lambda_dir: Option<PathBuf>,
    /// The accounts spec.
    #[arg(long, default_value = "spec/accounts.yaml")]
    spec: PathBuf,
    /// The corpus directory; its largest document is generated too.
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Only these functions (default: all seven).
    #[arg(long, value_delimiter = ',')]
    functions: Vec<String>,
    /// A label for the build (printed with the tables).
    #[arg(long, default_value = "release")]
    profile: String,
    /// Extra environment of the Lambda functions (not the floor), `NAME=VALUE`, repeatable.
    #[arg(long = "env", value_parser = parse_env)]
    extra_env: Vec<(String, String)>,
    /// Skip the load and codegen parts (cold starts only).
    #[arg(long)]
    cold_only: bool,
    /// Exit non-zero when a target is missed (the harness itself always fails on errors).
    #[arg(long)]
    enforce_targets: bool,
}

fn parse_env(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected NAME=VALUE, got {s}"))
}

/// The cold-start figures of one binary.
struct ColdRow {
    function: String,
    init: Summary,
    cold: Summary,
    first: Summary,
    warm: Summary,
    init_cpu: Summary,
    cold_cpu: Summary,
    /// Store calls per invocation (from the fake's counter).
    store_calls: f64,
    binary: u64,
    zip_native: u64,
    zip_arm64: Option<u64>,
}

/// The samples of one binary, gathered over interleaved runs.
#[derive(Default)]
struct Samples {
    init: Vec<Duration>,
    cold: Vec<Duration>,
    first: Vec<Duration>,
    warm: Vec<Duration>,
    init_cpu: Vec<Duration>,
    cold_cpu: Vec<Duration>,
    store_calls: u64,
}

fn target(args: &Args, op: &Operation, fake: &FakeDynamoDb, home: &Path) -> Target {
    Target {
        binary: args
            .function_dir
            .as_ref()
            .unwrap_or(&args.bin_dir)
            .join(op.function),
        op: op.clone(),
        aws_endpoint: fake.url(),
        home: home.to_owned(),
        extra_env: if op.function == "floor" {
            Vec::new()
        } else {
            args.extra_env.clone()
        },
    }
}

/// Cold-starts every target once per round, `args.runs` rounds: the binaries
/// take turns, so a busy spell of the machine hits all of them alike.
async fn measure_cold(
    args: &Args,
    targets: &[Target],
    fake: &FakeDynamoDb,
) -> Result<Vec<ColdRow>> {
    let mut samples: Vec<Samples> = targets.iter().map(|_| Samples::default()).collect();
    for round in 0..args.runs {
        eprintln!("bench: cold-start round {} of {}", round + 1, args.runs);
        for (t, acc) in targets.iter().zip(samples.iter_mut()) {
            let before = fake.counters().requests.load(Ordering::Relaxed);
            let s = cold::run_once(t, args.warm, Duration::from_secs(20)).await?;
            acc.store_calls += fake.counters().requests.load(Ordering::Relaxed) - before;
            acc.init.push(s.init);
            acc.cold.push(s.cold);
            acc.first.push(s.first_invoke);
            acc.warm.extend(s.warm);
            acc.init_cpu.extend(s.init_cpu);
            acc.cold_cpu.extend(s.cold_cpu);
        }
    }
    let invocations = (args.runs * (args.warm + 1)) as f64;
    let mut rows = Vec::with_capacity(targets.len());
    for (t, acc) in targets.iter().zip(samples) {
        let function = t.op.function;
        // The floor is not built for arm64 (only the functions' zips have a target).
        let zip_arm64 = match &args.lambda_dir {
            Some(d) if function != "floor" => {
                Some(file_size(&d.join(function).join("bootstrap.zip"))?)
            }
            _ => None,
        };
        rows.push(ColdRow {
            function: function.to_owned(),
            init: summarize(&acc.init),
            cold: summarize(&acc.cold),
            first: summarize(&acc.first),
            warm: summarize(&acc.warm),
            init_cpu: summarize(&acc.init_cpu),
            cold_cpu: summarize(&acc.cold_cpu),
            store_calls: acc.store_calls as f64 / invocations,
            binary: file_size(&t.binary)?,
            zip_native: deflated_zip_size(&t.binary)?,
            zip_arm64,
        });
    }
    Ok(rows)
}

/// The client-side cost of one store call: an SDK `GetItem` against the fake,
/// in this process, after a warm-up (connection pooled, as in a warm Lambda).
async fn store_call_cost(fake: &FakeDynamoDb, n: usize) -> Result<(Summary, f64, f64)> {
    let build_started = Instant::now();
    let creds = aws_sdk_dynamodb::config::Credentials::new(
        "ASIABENCHBENCHBENCH0",
        "benchbenchbenchbenchbenchbenchbenchbench",
        Some("bench-session-token".into()),
        None,
        "bench",
    );
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .credentials_provider(creds)
        .endpoint_url(fake.url())
        .http_client(accounts_aws_http::https_client()?)
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    let build_ms = ms(build_started.elapsed());
    let mut first_ms = 0.0;
    let key = aws_sdk_dynamodb::types::AttributeValue::S(format!("OWNER#{OWNER_SUB}"));
    let mut times = Vec::with_capacity(n);
    for i in 0..n + 5 {
        let started = Instant::now();
        let out = client
            .get_item()
            .table_name("accounts")
            .key("pk", key.clone())
            .consistent_read(true)
            .send()
            .await
            .context("GetItem against the fake")?;
        if out.item.is_none() {
            bail!("the fake returned no item");
        }
        if i == 0 {
            first_ms = ms(started.elapsed());
        }
        if i >= 5 {
            times.push(started.elapsed());
        }
    }
    Ok((summarize(&times), build_ms, first_ms))
}

/// Wall time of `codegen generate --spec <doc> --out <tmp>`; `Err` only when it cannot run.
async fn time_codegen(
    codegen: &Path,
    spec: &Path,
    runs: usize,
    out: &Path,
) -> Result<(Summary, String)> {
    let mut times = Vec::with_capacity(runs);
    let mut outcome = String::from("ok");
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(out);
        std::fs::create_dir_all(out)?;
        let started = Instant::now();
        let result = Command::new(codegen)
            .arg("generate")
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output()
            .await
            .with_context(|| format!("cannot run {}", codegen.display()))?;
        times.push(started.elapsed());
        if !result.status.success() {
            let stderr = String::from_utf8_lossy(&result.stderr);
            let first = stderr
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(90)
                .collect::<String>();
            outcome = format!(
                "refused (exit {}): {first}",
                result.status.code().unwrap_or(-1)
            );
        }
    }
    Ok((summarize(&times), outcome))
}

/// The largest `.yaml`/`.yml`/`.json` file under `dir`.
fn largest_document(dir: &Path) -> Result<PathBuf> {
    let mut best: Option<(u64, PathBuf)> = None;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("cannot list {}", d.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                let size = std::fs::metadata(&path)?.len();
                if best.as_ref().is_none_or(|(s, _)| size > *s) {
                    best = Some((size, path));
                }
            }
        }
    }
    best.map(|(_, p)| p)
        .context("no OpenAPI document in the corpus")
}

/// The client of the functional checks around the load and start-up runs: no proxy (the
/// servers are on loopback), and no idle connection kept, so every request opens its own as
/// the hand-made requests these checks started with did.
fn check_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")
}

/// One request with `token` (when not empty) and a JSON `body`; returns the status code.
async fn http_status(
    client: &reqwest::Client,
    url: &str,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &str,
) -> Result<u16> {
    let mut request = client
        .request(method, format!("{}{path}", url.trim_end_matches('/')))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_owned());
    if !token.is_empty() {
        request = request.header(reqwest::header::AUTHORIZATION, token);
    }
    let response = request
        .send()
        .await
        .with_context(|| format!("no answer from {url}{path}"))?;
    Ok(response.status().as_u16())
}

async fn measure_load(args: &Args) -> Result<(Load, Load)> {
    let duration = Duration::from_secs(args.load_seconds);
    let threads = 2;
    let bare = start_server(
        Command::new(args.bin_dir.join("bare-hyper")),
        "serving",
        Duration::from_secs(10),
    )
    .await?;
    let bare_url = find_url(&bare.banner).context("bare-hyper printed no URL")?;
    let bare_load = load::wrk(
        &format!("{bare_url}/accounts/me"),
        Some("x"),
        threads,
        args.connections,
        duration,
    )
    .await?;
    drop(bare);

    let mut local_cmd = Command::new(args.bin_dir.join("accounts-local"));
    local_cmd.args(["--in-memory", "--port", "0"]);
    let local = start_server(local_cmd, "export TOKEN=", Duration::from_secs(60)).await?;
    let url = find_url(&local.banner).context("accounts-local printed no URL")?;
    let token = find_export(&local.banner, "TOKEN").context("accounts-local printed no TOKEN")?;
    let client = check_client()?;
    let created = http_status(
        &client,
        &url,
        reqwest::Method::POST,
        "/accounts",
        &token,
        r#"{"email":"load@example.com","displayName":"Load User"}"#,
    )
    .await?;
    if created != 201 {
        bail!("POST /accounts answered {created}");
    }
    let me = http_status(
        &client,
        &url,
        reqwest::Method::GET,
        "/accounts/me",
        &token,
        "",
    )
    .await?;
    if me != 200 {
        bail!("GET /accounts/me answered {me}");
    }
    let local_load = load::wrk(
        &format!("{url}/accounts/me"),
        Some(&token),
        threads,
        args.connections,
        duration,
    )
    .await?;
    drop(local);
    Ok((bare_load, local_load))
}

fn mb(bytes: u64) -> String {
    format!("{:.2} MB", bytes as f64 / 1_000_000.0)
}

fn triple(s: &Summary) -> String {
    format!("{:.2} / {:.2} / {:.2}", s.p50, s.p90, s.p99)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let home = std::env::temp_dir().join(format!("accounts-bench-{}", std::process::id()));
    std::fs::create_dir_all(home.join("home"))?;
    let mut misses: Vec<String> = Vec::new();

    // 1. Cold starts.
    let fake = FakeDynamoDb::start().await?;
    let home_dir = home.join("home");
    let ops: Vec<Operation> = std::iter::once(floor_operation())
        .chain(operations().into_iter().filter(|op| {
            args.functions.is_empty() || args.functions.iter().any(|f| f == op.function)
        }))
        .collect();
    let targets: Vec<Target> = ops
        .iter()
        .map(|op| target(&args, op, &fake, &home_dir))
        .collect();
    let mut rows = measure_cold(&args, &targets, &fake).await?;
    let floor = rows.remove(0);
    let (store, client_build_ms, first_call_ms) =
        store_call_cost(&fake, (args.runs * args.warm).max(20)).await?;

    println!("## Lambda cold start ({}, native {}, {} runs × (1 cold + {} warm) invocations per binary)\n",
        args.profile, std::env::consts::ARCH, args.runs, args.warm);
    println!("Times in ms: wall as p50 / p90 / p99, CPU (user+system, all threads, from /proc) as p50; ×floor = p50 ratio against the `floor` echo in this run, on CPU time (wall in brackets). \
              warm overhead = warm p50 − store calls × one store call p50 ({:.3} ms, SDK GetItem on loopback).\n", store.p50);
    println!("| function | init wall | init CPU | ×floor CPU (wall) | cold request wall | cold CPU | ×floor CPU (wall) | first invoke | warm | store calls | warm overhead, ×floor echo | binary | zip x86_64 (deflate) | zip arm64 |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let floor_warm = floor.warm.p50;
    for row in std::iter::once(&floor).chain(rows.iter()) {
        let overhead = row.warm.p50 - row.store_calls.round() * store.p50;
        let init_wall = row.init.p50 / floor.init.p50;
        let cold_wall = row.cold.p50 / floor.cold.p50;
        // Judged on CPU time where /proc has it: wall time on a shared
        // machine mostly measures the wait for a core.
        let init_cpu = row.init_cpu.p50 / floor.init_cpu.p50;
        let cold_cpu = row.cold_cpu.p50 / floor.cold_cpu.p50;
        let init_ratio = if init_cpu.is_finite() {
            init_cpu
        } else {
            init_wall
        };
        let cold_ratio = if cold_cpu.is_finite() {
            cold_cpu
        } else {
            cold_wall
        };
        let warm_ratio = overhead / floor_warm;
        println!(
            "| {} | {} | {:.2} | {:.2} ({:.2}) | {} | {:.2} | {:.2} ({:.2}) | {} | {} | {:.1} | {:.3} ms = {:.2} | {} | {} | {} |",
            row.function,
            triple(&row.init),
            row.init_cpu.p50,
            init_cpu,
            init_wall,
            triple(&row.cold),
            row.cold_cpu.p50,
            cold_cpu,
            cold_wall,
            triple(&row.first),
            triple(&row.warm),
            row.store_calls,
            overhead,
            warm_ratio,
            mb(row.binary),
            mb(row.zip_native),
            row.zip_arm64.map(mb).unwrap_or_else(|| "-".into()),
        );
        if row.function == "floor" {
            continue;
        }
        if init_ratio > 1.5 {
            misses.push(format!(
                "{}: init {:.2}× floor (> 1.5×)",
                row.function, init_ratio
            ));
        }
        if cold_ratio > 3.0 {
            misses.push(format!(
                "{}: cold request {:.2}× floor (> 3×)",
                row.function, cold_ratio
            ));
        }
        if warm_ratio > 1.2 {
            misses.push(format!(
                "{}: warm overhead {:.2}× floor echo (> 1.2×)",
                row.function, warm_ratio
            ));
        }
        let zip = row.zip_arm64.unwrap_or(row.zip_native);
        if zip > 2_500_000 {
            misses.push(format!("{}: zip {} (> 2.5 MB)", row.function, mb(zip)));
        }
    }
    println!();
    println!(
        "In this process (wall): building a DynamoDB client from explicit config {client_build_ms:.3} ms; \
         its first GetItem {first_call_ms:.3} ms (HTTP client, TLS roots, endpoint resolver and \
         credentials cache built lazily); a warm GetItem p50 {:.3} ms, p99 {:.3} ms.\n",
        store.p50, store.p99
    );

    if !args.extra_env.is_empty() {
        println!("Function environment: {:?}\n", args.extra_env);
    }
    if args.cold_only {
        let _ = std::fs::remove_dir_all(&home);
        return finish(&args, &misses, started);
    }

    // 2. Codegen.
    let codegen = args.bin_dir.join("codegen");
    let out = home.join("codegen-out");
    let mut docs = vec![args.spec.clone()];
    if let Some(corpus) = &args.corpus {
        docs.push(largest_document(corpus)?);
    }
    println!(
        "## codegen generate ({}, {} runs each, wall time of the process)\n",
        args.profile, args.codegen_runs
    );
    println!("| document | size | p50 ms | p90 ms | p99 ms | outcome |");
    println!("|---|---|---|---|---|---|");
    for (i, doc) in docs.iter().enumerate() {
        let (s, outcome) = time_codegen(&codegen, doc, args.codegen_runs.max(1), &out).await?;
        println!(
            "| {} | {} B | {:.1} | {:.1} | {:.1} | {} |",
            doc.display(),
            file_size(doc)?,
            s.p50,
            s.p90,
            s.p99,
            outcome
        );
        if i == 0 {
            if outcome != "ok" {
                bail!("codegen generate failed on the accounts spec: {outcome}");
            }
            if s.p50 >= 1000.0 {
                misses.push(format!(
                    "codegen generate on the accounts spec: {:.0} ms (≥ 1 s)",
                    s.p50
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    println!();

    // 3. Local server load.
    let (bare, local) = measure_load(&args).await?;
    println!(
        "## Local server load (wrk, 2 threads, {} connections, {} s each, same machine as the servers)\n",
        args.connections, args.load_seconds
    );
    println!("| server | requests/s | p50 ms | p99 ms | ×bare rps |");
    println!("|---|---|---|---|---|");
    for (name, l) in [
        ("bare-hyper (fixed body)", &bare),
        ("accounts-local GET /accounts/me", &local),
    ] {
        println!(
            "| {name} | {:.0} | {:.3} | {:.3} | {:.2} |",
            l.rps,
            l.p50_ms,
            l.p99_ms,
            l.rps / bare.rps
        );
    }
    if local.rps / bare.rps < 0.5 {
        misses.push(format!(
            "accounts-local: {:.2}× bare hyper rps (< 0.5×)",
            local.rps / bare.rps
        ));
    }
    println!();

    // 4. Local server start-up: exec → first answered request, embedded store.
    let startup = measure_startup(&args, &home).await?;
    println!(
        "## Local server start-up ({}, {} runs: exec of `accounts-local --data-dir DIR --port 0` → first 200 of GET /health)\n",
        args.profile, startup.n
    );
    println!("| store | p50 ms | p90 ms | p99 ms | target |");
    println!("|---|---|---|---|---|");
    println!(
        "| embedded (redb file, dev signing key kept in the data dir) | {:.1} | {:.1} | {:.1} | < 1000 ms |",
        startup.p50, startup.p90, startup.p99
    );
    if startup.p99 >= 1000.0 {
        misses.push(format!(
            "accounts-local start-up to first request: p99 {:.0} ms (≥ 1 s)",
            startup.p99
        ));
    }
    println!();

    let _ = std::fs::remove_dir_all(&home);
    finish(&args, &misses, started)
}

/// Starts `accounts-local` on an existing data directory (as the README's run
/// command does after its first start) `runs` times and times exec → the first
/// 200 of `GET /health`. The first start, which creates the store and the dev
/// signing key, is not counted.
async fn measure_startup(args: &Args, home: &std::path::Path) -> Result<Summary> {
    let data = home.join("local-data");
    let command = |data: &std::path::Path| {
        let mut c = Command::new(args.bin_dir.join("accounts-local"));
        c.arg("--data-dir").arg(data).args(["--port", "0"]);
        c
    };
    drop(start_server(command(&data), "export TOKEN=", Duration::from_secs(60)).await?);
    let client = check_client()?;
    let mut samples = Vec::new();
    for _ in 0..args.runs.clamp(1, 30) {
        let t0 = Instant::now();
        let server = start_server(command(&data), "serving", Duration::from_secs(30)).await?;
        let url = find_url(&server.banner).context("accounts-local printed no URL")?;
        let status = http_status(&client, &url, reqwest::Method::GET, "/health", "", "").await?;
        let elapsed = t0.elapsed();
        if status != 200 {
            bail!("GET /health answered {status}");
        }
        samples.push(elapsed);
        drop(server);
    }
    Ok(summarize(&samples))
}

/// Prints the targets missed; fails only with `--enforce-targets`.
fn finish(args: &Args, misses: &[String], started: Instant) -> Result<()> {
    println!(
        "Targets: {}",
        if misses.is_empty() {
            "all met".to_owned()
        } else {
            format!("{} missed", misses.len())
        }
    );
    for m in misses {
        println!("- MISSED {m}");
    }
    let total = summarize_ms(&[ms(started.elapsed())]);
    eprintln!("bench: done in {:.1} s", total.p50 / 1000.0);
    if args.enforce_targets && !misses.is_empty() {
        bail!("{} target(s) missed", misses.len());
    }
    Ok(())
}
