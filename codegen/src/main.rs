//! The `codegen` command: `generate`, `check`, `lint`.
//!
//! Exit codes: 0 success; 1 `check` found stale files or `lint` found problems;
//! 2 the spec is refused (every message: `file: #/pointer: problem: fix`).

use clap::{Parser, Subcommand};
use codegen::output::{self, Staleness};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "codegen",
    about = "Generate types, server, client and API Gateway document from an OpenAPI 3.0 spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write every generated file (unchanged files are left alone).
    Generate(Target),
    /// Write nothing; fail naming each stale or hand-edited generated file.
    Check(Target),
    /// Report API Gateway import problems and convention breaks.
    Lint {
        /// The spec to lint.
        #[arg(default_value = "spec/accounts.yaml")]
        spec: PathBuf,
    },
}

#[derive(clap::Args)]
struct Target {
    /// The spec.
    #[arg(long, default_value = "spec/accounts.yaml")]
    spec: PathBuf,
    /// The repository root the outputs are written under.
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Service name (names the crates); default: `info.x-service-name`, else the title.
    #[arg(long)]
    service: Option<String>,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Generate(t) => generate(&t),
        Command::Check(t) => check(&t),
        Command::Lint { spec } => lint(&spec),
    }
}

fn refused(r: &codegen::Refusal) -> ExitCode {
    for d in r.diagnostics() {
        eprintln!("{d}");
    }
    eprintln!("codegen: {r}; nothing was written");
    ExitCode::from(2)
}

fn generate(t: &Target) -> ExitCode {
    let generated = match codegen::generate(&t.spec, &label(&t.spec), t.service.as_deref()) {
        Ok(g) => g,
        Err(r) => return refused(&r),
    };
    match output::write(&t.out, &generated.files) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", path.display());
            }
            println!(
                "codegen: {} file(s) generated, {} changed",
                generated.files.len(),
                written.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("codegen: cannot write under {}: {e}", t.out.display());
            ExitCode::from(1)
        }
    }
}

fn check(t: &Target) -> ExitCode {
    let generated = match codegen::generate(&t.spec, &label(&t.spec), t.service.as_deref()) {
        Ok(g) => g,
        Err(r) => return refused(&r),
    };
    let stale = output::check(&t.out, &generated.files);
    if stale.is_empty() {
        println!(
            "codegen check: {} generated file(s) up to date",
            generated.files.len()
        );
        return ExitCode::SUCCESS;
    }
    for (path, why) in &stale {
        match why {
            Staleness::Missing => eprintln!("{}: missing", path.display()),
            Staleness::Differs { first_line, added, removed } => eprintln!(
                "{}: stale or edited by hand (+{added} -{removed} lines, first difference at line {first_line})",
                path.display()
            ),
        }
    }
    eprintln!("codegen check: {} file(s) differ from the spec; run `cargo run -p codegen -- generate` and commit", stale.len());
    ExitCode::from(1)
}

fn lint(spec: &std::path::Path) -> ExitCode {
    let problems = codegen::lint(spec);
    for d in &problems {
        println!("{d}");
    }
    if problems.is_empty() {
        println!("codegen lint: {}: no problems", spec.display());
        ExitCode::SUCCESS
    } else if codegen::has_errors(&problems) {
        eprintln!(
            "codegen lint: {} problem(s); the spec is refused",
            problems.len()
        );
        ExitCode::from(2)
    } else {
        eprintln!("codegen lint: {} problem(s)", problems.len());
        ExitCode::from(1)
    }
}

/// How generated headers name the spec: the path as given, with `/` separators.
fn label(spec: &std::path::Path) -> String {
    spec.to_string_lossy().replace('\\', "/")
}
