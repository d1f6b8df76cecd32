//! The evolution subcommands, each returning the process's exit code.
//!
//! - `codegen diff OLD NEW [--format human|json|markdown]`: OLD and NEW are
//!   files or `git:REV:path` (read with `git show REV:path`, so the path is
//!   relative to the repository root, or to the current directory when it
//!   starts with `./`). Exit 0: every change is compatible; 1: something
//!   breaks, on the wire or in the generated Rust API; 2: an input is
//!   refused (the message names the file and the pointer).
//! - `codegen release`: records the spec as the released contract of its
//!   `info.version` (refused, exit 1, when the version does not follow the
//!   changes) and regenerates the client's manifest and changelog.
//! - the gate `codegen check` runs: exit 1 when the spec differs from the
//!   last release without the version rise its changes need, naming them.

use super::releases::{self, ReleaseError, Verdict};
use crate::output;
use openapi_diff::{diff, render, Document, LoadError};
use std::path::Path;
use std::process::{Command, ExitCode};

/// How `codegen diff` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Grouped by severity, most severe first.
    Human,
    /// One JSON object: counts, verdict and every finding.
    Json,
    /// A Markdown changelog section.
    Markdown,
}

const REFUSED: u8 = 2;
const INTERNAL: u8 = 3;

/// Reads a document given as a path or as `git:REV:path`.
pub fn read_source(source: &str) -> Result<Document, LoadError> {
    let Some(spec) = source.strip_prefix("git:") else {
        return Document::read(Path::new(source));
    };
    let Some((rev, path)) = spec.split_once(':') else {
        return Err(LoadError::unreadable(
            source,
            "write a git source as `git:REV:path`",
        ));
    };
    let output = Command::new("git")
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .output()
        .map_err(|e| LoadError::unreadable(source, format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(LoadError::unreadable(
            source,
            stderr.lines().next().unwrap_or("git show failed").trim(),
        ));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| LoadError::unreadable(source, "the file is not UTF-8 text"))?;
    Document::parse(source, &text)
}

/// `codegen diff`.
pub fn run_diff(old: &str, new: &str, format: Format) -> ExitCode {
    let (old, new) = match (read_source(old), read_source(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for e in [old.err(), new.err()].into_iter().flatten() {
                eprintln!("{e}");
            }
            eprintln!("codegen diff: input refused; nothing was compared");
            return ExitCode::from(REFUSED);
        }
    };
    let report = diff(&old, &new);
    match format {
        Format::Human => print!("{}", render::human(&report, &old.name, &new.name)),
        Format::Json => print!("{}", render::json(&report, &old.name, &new.name)),
        Format::Markdown => print!(
            "## API changes from `{}` to `{}`\n\n{}",
            old.name,
            new.name,
            render::markdown(&report, 3)
        ),
    }
    if report.is_breaking() {
        eprintln!(
            "codegen diff: breaking changes: {}",
            render::summary(&report)
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Loads the spec as `generate` does and resolves the service name.
fn load(spec_path: &Path, service: Option<&str>) -> Result<(Document, String), ExitCode> {
    let spec = match crate::load_checked(spec_path) {
        Ok((spec, _)) => spec,
        Err(refusal) => return Err(refused(&refusal)),
    };
    let service = service
        .map(crate::names::kebab)
        .unwrap_or_else(|| crate::service_name(&spec));
    match Document::from_value(&spec.file, spec.raw) {
        Ok(doc) => Ok((doc, service)),
        Err(e) => {
            eprintln!("{e}");
            Err(ExitCode::from(REFUSED))
        }
    }
}

fn refused(refusal: &crate::Refusal) -> ExitCode {
    match refusal {
        crate::Refusal::Spec(diagnostics) => {
            for d in diagnostics {
                eprintln!("{d}");
            }
            ExitCode::from(REFUSED)
        }
        other => {
            eprintln!("codegen: {other}");
            ExitCode::from(INTERNAL)
        }
    }
}

fn release_error(e: &ReleaseError) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(REFUSED)
}

/// The judgement of the spec at `spec_path` against its releases.
fn judge(
    spec_path: &Path,
    service: Option<&str>,
) -> Result<(Document, std::path::PathBuf, Verdict), ExitCode> {
    let (doc, service) = load(spec_path, service)?;
    let dir = releases::directory(spec_path, &service);
    let verdict = releases::judge(&doc, &dir).map_err(|e| release_error(&e))?;
    Ok((doc, dir, verdict))
}

/// Prints a refused verdict: the reason, what to do, and every finding.
fn print_refusal(spec: &Document, verdict: &Verdict) {
    let Verdict::Refused {
        last,
        released,
        report,
        reason,
        ..
    } = verdict
    else {
        return;
    };
    let needed = releases::required(report, true);
    eprintln!(
        "{}: #/info/version: {reason}: raise it to {} or more and record it with `cargo run -p codegen -- release`",
        spec.name,
        releases::suggestion(last, needed)
    );
    eprint!(
        "{}",
        render::human(report, &released.display().to_string(), &spec.name)
    );
}

/// The gate `codegen check` runs after its drift check.
pub fn run_gate(spec_path: &Path, service: Option<&str>) -> ExitCode {
    let (doc, dir, verdict) = match judge(spec_path, service) {
        Ok(judged) => judged,
        Err(code) => return code,
    };
    match verdict {
        Verdict::FirstRelease { version } => {
            println!(
                "codegen check: no released contract in {} yet; `codegen release` records {version} as the first",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Verdict::Released { version } => {
            println!("codegen check: the spec is the released contract {version}");
            ExitCode::SUCCESS
        }
        Verdict::Ahead {
            last,
            version,
            report,
        } => {
            println!(
                "codegen check: {version} follows the released {last} ({}); record it with `codegen release` when it ships",
                render::summary(&report)
            );
            ExitCode::SUCCESS
        }
        refused @ Verdict::Refused { .. } => {
            print_refusal(&doc, &refused);
            eprintln!("codegen check: the spec's version does not follow its changes");
            ExitCode::from(1)
        }
    }
}

/// `codegen check`: the drift check's code, then the gate's (the gate runs
/// unless the spec was refused, so that one run names every problem).
pub fn check_then_gate(drift: ExitCode, spec_path: &Path, service: Option<&str>) -> ExitCode {
    if drift == ExitCode::from(REFUSED) || drift == ExitCode::from(INTERNAL) {
        return drift;
    }
    let gate = run_gate(spec_path, service);
    if drift == ExitCode::SUCCESS {
        gate
    } else {
        drift
    }
}

/// `codegen release`.
pub fn run_release(spec_path: &Path, options: &crate::Options, spec_label: &str) -> ExitCode {
    let (out, service) = (options.out.as_path(), options.service.as_deref());
    let (doc, dir, verdict) = match judge(spec_path, service) {
        Ok(judged) => judged,
        Err(code) => return code,
    };
    let version = match verdict {
        refused @ Verdict::Refused { .. } => {
            print_refusal(&doc, &refused);
            eprintln!("codegen release: nothing was recorded");
            return ExitCode::from(1);
        }
        Verdict::Released { version } => {
            println!(
                "codegen release: {version} is already recorded in {}",
                dir.display()
            );
            None
        }
        Verdict::FirstRelease { version } | Verdict::Ahead { version, .. } => Some(version),
    };
    if let Some(version) = version {
        let extension = match spec_path.extension().and_then(|e| e.to_str()) {
            Some("json") => "json",
            _ => "yaml",
        };
        let target = dir.join(format!("{version}.{extension}"));
        let recorded =
            std::fs::create_dir_all(&dir).and_then(|()| std::fs::copy(spec_path, &target));
        if let Err(e) = recorded {
            eprintln!("codegen release: cannot write {}: {e}", target.display());
            return ExitCode::from(1);
        }
        println!("recorded {}", target.display());
    }
    let generated = match crate::generate_with(spec_path, spec_label, options) {
        Ok(generated) => generated,
        Err(refusal) => return refused(&refusal),
    };
    match output::write(out, &generated.files, &generated.owned_dirs) {
        Ok(written) => {
            for path in &written {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("codegen release: cannot write under {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}
