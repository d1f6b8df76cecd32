//! Benchmark row for `codegen diff`: the wall time of the `codegen` binary
//! comparing the largest document of a corpus with a mutated copy of itself
//! (the mutations of the corpus test: an operation removed, a status and a
//! required header added, a schema renamed, an enum value, a maxLength).
//!
//! ```sh
//! cargo build --release -p codegen
//! cargo run --release -q -p openapi-diff --example diff_bench -- \
//!     --codegen target/release/codegen --corpus ../shared/corpus --runs 10 --header
//! ```
//!
//! Prints a Markdown table row `| document | size | p50 ms | p90 ms | max ms | outcome |`
//! (with `--header`, the header lines first). Exits 1 when the median is
//! over `--budget-ms` (default 1000), 2 when it cannot run.

#[path = "../tests/support/corpus.rs"]
mod corpus;
#[path = "../tests/support/mutate.rs"]
mod mutate;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

struct Args {
    codegen: PathBuf,
    corpus: PathBuf,
    runs: usize,
    budget_ms: f64,
    header: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        codegen: PathBuf::from("target/release/codegen"),
        corpus: PathBuf::from("../shared/corpus"),
        runs: 10,
        budget_ms: 1000.0,
        header: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--codegen" => args.codegen = PathBuf::from(value()?),
            "--corpus" => args.corpus = PathBuf::from(value()?),
            "--runs" => args.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--budget-ms" => {
                args.budget_ms = value()?.parse().map_err(|e| format!("--budget-ms: {e}"))?
            }
            "--header" => args.header = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn run(args: &Args) -> Result<bool, String> {
    let doc = corpus::largest(&args.corpus)
        .ok_or_else(|| format!("no document under {}", args.corpus.display()))?;
    let text =
        std::fs::read_to_string(&doc).map_err(|e| format!("cannot read {}: {e}", doc.display()))?;
    let old = openapi_diff::Document::parse(&doc.display().to_string(), &text)
        .map_err(|e| e.to_string())?;
    let mut mutated = old.root.clone();
    let mutations = mutate::mutate(&mut mutated);
    let dir = std::env::temp_dir().join(format!("diff-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let new_path = dir.join("mutated.json");
    let json = serde_json::to_string_pretty(&mutated).map_err(|e| e.to_string())?;
    std::fs::write(&new_path, json).map_err(|e| e.to_string())?;

    let mut times = Vec::with_capacity(args.runs);
    let mut outcome = String::new();
    for _ in 0..args.runs.max(1) {
        let started = Instant::now();
        let out = Command::new(&args.codegen)
            .arg("diff")
            .arg(&doc)
            .arg(&new_path)
            .args(["--format", "json"])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", args.codegen.display()))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let findings = report["findings"].as_array().map_or(0, Vec::len);
        outcome = format!(
            "exit {}, {findings} findings from {} mutations",
            out.status.code().unwrap_or(-1),
            mutations.len()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let (p50, p90, max) = (at(0.5), at(0.9), at(1.0));
    let within = p50 < args.budget_ms;
    if !within {
        outcome.push_str(&format!("; over the {:.0} ms budget", args.budget_ms));
    }
    if args.header {
        println!("| `codegen diff` | size | p50 ms | p90 ms | max ms | outcome |");
        println!("|---|---|---|---|---|---|");
    }
    println!(
        "| {} vs a mutated copy | {} B | {p50:.1} | {p90:.1} | {max:.1} | {outcome} |",
        doc.display(),
        text.len()
    );
    Ok(within)
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| run(&args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("diff_bench: {e}");
            ExitCode::from(2)
        }
    }
}
