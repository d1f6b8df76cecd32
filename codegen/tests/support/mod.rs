//! Shared helpers of the `codegen` integration tests: run the built binary the
//! way a user does and read its answer (exit code, `file: #/pointer: problem: fix`
//! lines), and find the repository's files.

#![allow(dead_code)] // each test crate uses its own subset

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary answered.
#[derive(Debug)]
pub struct Run {
    /// The command line, for failure messages.
    pub command: String,
    /// `None` when the process was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together, for failure messages and panic searches.
    pub fn output(&self) -> String {
        format!(
            "$ {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }

    /// Whether a Rust panic escaped to the user (the message, or the 101 exit code
    /// a panicking `main` ends with).
    pub fn panicked(&self) -> bool {
        self.code == Some(101)
            || self.stdout.contains("panicked at")
            || self.stderr.contains("panicked at")
            || self.stderr.contains("RUST_BACKTRACE")
    }
}

/// The `codegen` crate's directory.
pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repository root (the workspace that holds `codegen/`).
pub fn repo_root() -> PathBuf {
    crate_dir()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(crate_dir)
}

/// `shared/` sits beside the repository (`<repo>/../shared`), here and in CI.
pub fn shared_dir() -> PathBuf {
    repo_root().join("..").join("shared")
}

/// Runs the built `codegen` binary with `args`, in `cwd`.
pub fn codegen<I, S>(cwd: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    codegen_with_env(cwd, args, &[])
}

/// [`codegen`] with extra environment variables.
pub fn codegen_with_env<I, S>(cwd: &Path, args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let command = format!(
        "(cd {} && codegen {})",
        cwd.display(),
        args.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(&args)
        .current_dir(cwd)
        // A panic must show up as text in the sweep, not be hidden or expanded.
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command}: {e}"));
    Run {
        command,
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The diagnostic line `<file>: #<pointer>: <problem>: <fix>` in `text` whose
/// file and pointer are exactly these and whose problem or fix contains
/// `fragment`; `None` if there is none.
pub fn find_diagnostic<'a>(
    text: &'a str,
    file: &str,
    pointer: &str,
    fragment: &str,
) -> Option<&'a str> {
    let prefix = format!("{file}: #{pointer}: ");
    text.lines().find(|line| {
        line.strip_prefix(&prefix).is_some_and(|rest| {
            // `problem: fix`, both non-empty (the problem may itself contain `: `).
            let split = rest
                .rfind(": ")
                .is_some_and(|i| i > 0 && i + 2 < rest.len());
            split && rest.contains(fragment)
        })
    })
}

/// Every file under `root`, as sorted relative paths.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Whether `dir` holds anything at all (files or directories).
pub fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true)
}

/// A fresh temporary directory (removed when dropped).
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("codegen-test-")
        .tempdir()
        .unwrap_or_else(|e| panic!("cannot create a temp dir: {e}"))
}
