//! The `codegen` command: `generate`, `check`, `lint`, `new` (a new service's workspace,
//! see `codegen::scaffold`), and for API evolution `diff` and `release` (see
//! `codegen::evolution`).
//!
//! Exit codes: 0 success; 1 `check` found stale files or `lint` found problems;
//! 2 the spec is refused (every message: `file: #/pointer: problem: fix`);
//! 3 an internal error (a bug in codegen or a library it calls, including a
//! panic): the message says what was being generated and asks for a report.

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
    /// Write nothing; fail naming each stale or hand-edited generated file,
    /// and when the spec differs from its last release without the version
    /// rise its changes need (naming the changes).
    Check(Target),
    /// Compare two versions of a contract and classify every change. Exit 0:
    /// all compatible; 1: something breaks (on the wire or in the generated
    /// Rust API); 2: an input is refused.
    Diff {
        /// The old document: a file, or `git:REV:path`.
        old: String,
        /// The new document: a file, or `git:REV:path`.
        new: String,
        #[arg(long, value_enum, default_value = "human")]
        format: codegen::evolution::Format,
    },
    /// Record the spec as the released contract of its `info.version`
    /// (`<spec dir>/released/<service>/<version>.yaml`) and regenerate the
    /// client's Cargo.toml and CHANGELOG.md.
    Release(Target),
    /// Make a new service's Cargo workspace from a spec: the generated crates, one handler
    /// stub per operation (answering 501 until written), its Lambda binaries, a local server
    /// (`<service>-local`), deployment settings, a README and `test.sh`.
    New {
        /// The workspace to create (absent or empty).
        dir: PathBuf,
        /// The spec; copied into the workspace as `spec/<service>.<yaml|json>`.
        #[arg(long)]
        spec: PathBuf,
        /// Service name (names crates and cloud resources); default: `info.x-service-name`,
        /// else the title.
        #[arg(long)]
        service: Option<String>,
    },
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
    /// Do not write the handler wiring: the Lambda mains (`handlers/lambdas/src/bin/*.rs`)
    /// and the local server's backend (`handlers/local/src/backend.rs`).
    #[arg(long)]
    no_lambdas: bool,
    /// How operations without `x-aws-function` are grouped into Lambda
    /// functions: one each (default), or one per first tag.
    #[arg(long, value_enum, default_value = "per-operation")]
    functions: Functions,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Functions {
    PerOperation,
    PerTag,
}

impl Target {
    fn options(&self) -> codegen::Options {
        codegen::Options {
            service: self.service.clone(),
            out: self.out.clone(),
            lambdas: !self.no_lambdas,
            grouping: match self.functions {
                Functions::PerOperation => codegen::model::Grouping::PerOperation,
                Functions::PerTag => codegen::model::Grouping::PerTag,
            },
        }
    }
}

/// The exit code of an internal error.
const INTERNAL: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A panic anywhere is a bug: say so (with where it happened, which the
    // hook records instead of printing) rather than let a backtrace reach the user.
    let location = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let record = std::sync::Arc::clone(&location);
    std::panic::set_hook(Box::new(move |info| {
        if let (Some(at), Ok(mut slot)) = (info.location(), record.lock()) {
            *slot = at.to_string();
        }
    }));
    match std::panic::catch_unwind(|| run(cli.command)) {
        Ok(code) => code,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            let at = location.lock().map(|l| l.clone()).unwrap_or_default();
            eprintln!("codegen: internal error: {message} (at {at})");
            eprintln!("codegen: {}", codegen::diagnostics::BUG_REPORT);
            ExitCode::from(INTERNAL)
        }
    }
}

fn run(command: Command) -> ExitCode {
    match command {
        Command::Generate(t) => generate(&t),
        Command::Check(t) => {
            codegen::evolution::check_then_gate(check(&t), &t.spec, t.service.as_deref())
        }
        Command::Diff { old, new, format } => codegen::evolution::run_diff(&old, &new, format),
        Command::Release(t) => {
            codegen::evolution::run_release(&t.spec, &t.options(), &label(&t.spec))
        }
        Command::Lint { spec } => lint(&spec),
        Command::New { dir, spec, service } => new_service(&dir, &spec, service.as_deref()),
    }
}

fn new_service(dir: &std::path::Path, spec: &std::path::Path, service: Option<&str>) -> ExitCode {
    let request = codegen::scaffold::NewService { dir, spec, service };
    let created = match codegen::scaffold::new_service(&request) {
        Ok(created) => created,
        Err(codegen::scaffold::NewError::Refused(r)) => return refused(&r),
        Err(e) => {
            eprintln!("codegen new: {}", error_chain(&e));
            eprintln!("codegen new: nothing was left in {}", dir.display());
            return ExitCode::from(1);
        }
    };
    println!(
        "codegen new: the {} service in {} ({} files)",
        created.service,
        dir.display(),
        created.files.len()
    );
    if let Some(why) = &created.unformatted {
        eprintln!("codegen new: the handler stubs are not formatted: {why}");
    }
    println!("  cd {}", dir.display());
    println!(
        "  cargo run -p {}    # serve it on http://127.0.0.1:3000",
        created.local_crate
    );
    println!("  ./test.sh    # codegen check, fmt, clippy, build and tests");
    println!(
        "  codegen generate --spec {} --service {}    # after changing the spec",
        created.spec.display(),
        created.service
    );
    ExitCode::SUCCESS
}

/// `error: cause: cause ...`.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    line
}

fn refused(r: &codegen::Refusal) -> ExitCode {
    if let codegen::Refusal::Internal(e) = r {
        eprintln!("codegen: {e}");
        eprintln!(
            "codegen: {}; nothing was written",
            codegen::diagnostics::BUG_REPORT
        );
        return ExitCode::from(INTERNAL);
    }
    for d in r.diagnostics() {
        eprintln!("{d}");
    }
    eprintln!("codegen: {r}; nothing was written");
    ExitCode::from(2)
}

fn generate(t: &Target) -> ExitCode {
    let generated = match codegen::generate_with(&t.spec, &label(&t.spec), &t.options()) {
        Ok(g) => g,
        Err(r) => return refused(&r),
    };
    match output::write(&t.out, &generated.files, &generated.owned_dirs) {
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
    let generated = match codegen::generate_with(&t.spec, &label(&t.spec), &t.options()) {
        Ok(g) => g,
        Err(r) => return refused(&r),
    };
    let stale = output::check(&t.out, &generated.files, &generated.owned_dirs);
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
            Staleness::Orphaned => eprintln!(
                "{}: generated for an operation the spec no longer has (generate deletes it)",
                path.display()
            ),
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
    let problems = match codegen::lint(spec) {
        Ok(problems) => problems,
        Err(e) => return refused(&codegen::Refusal::Internal(e)),
    };
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
