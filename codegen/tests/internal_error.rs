//! A library panic is an internal error: exit 3, a message naming the schema
//! and asking for a bug report, never an abort and never a complaint about the
//! user's spec. Checked on the debug binary and on a release-profile binary
//! (the profile the benchmark and users install with: it must unwind, not
//! abort). Every typify panic known is relaxed away, so the panic is injected
//! (`CODEGEN_INJECT_TYPIFY_PANIC`): it unwinds from inside typify's call as a
//! real one does.

mod support;

use std::path::Path;
use std::process::Command;
use support::*;

const SPEC: &str = "typify-panic.yaml";
/// The variable `codegen::types::INJECT_TYPIFY_PANIC` names.
const INJECT: &str = "CODEGEN_INJECT_TYPIFY_PANIC";
/// The component typify is made to panic on.
const SCHEMA: &str = "Panics";

fn fixture_dir() -> std::path::PathBuf {
    crate_dir().join("tests/fixtures/internal")
}

/// Asserts the internal-error answer of a run on [`SPEC`] that wrote into `out`.
fn assert_internal_error(run: &Run, out: &Path) {
    assert_eq!(run.code, Some(3), "{}", run.output());
    assert!(
        !run.panicked(),
        "a panic reached the user:\n{}",
        run.output()
    );
    assert!(
        run.stderr.contains(&format!(
            "internal error while generating the Rust type of this schema ({SPEC}: #/components/schemas/{SCHEMA}): typify panicked"
        )),
        "{}",
        run.output()
    );
    assert!(run.stderr.contains("bug in codegen"), "{}", run.output());
    assert!(
        is_empty_dir(out),
        "files were written: {:?}",
        files_under(out)
    );
}

#[test]
fn a_typify_panic_is_an_internal_error() {
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    let run = codegen_with_env(
        &fixture_dir(),
        [
            Path::new("generate"),
            Path::new("--spec"),
            Path::new(SPEC),
            Path::new("--out"),
            &out,
        ],
        &[(INJECT, SCHEMA)],
    );
    assert_internal_error(&run, &out);
}

#[test]
fn the_release_profile_reports_it_too_instead_of_aborting() {
    // The release profile as Cargo.toml defines it, except what only makes it
    // slow to build (LTO, one codegen unit, size optimisation): the panic
    // strategy under test is left as the profile sets it.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target = repo_root().join("target").join("release-panic-check");
    let build = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "--offline",
            "--quiet",
            "-p",
            "codegen",
            "--bin",
            "codegen",
        ])
        .current_dir(repo_root())
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    assert!(
        build.status.success(),
        "release build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let tmp = temp_dir();
    let out = tmp.path().join("out");
    let exe = target.join("release").join("codegen");
    let output = Command::new(&exe)
        .args(["generate", "--spec", SPEC, "--out"])
        .arg(&out)
        .current_dir(fixture_dir())
        .env(INJECT, SCHEMA)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let run = Run {
        command: format!("{} generate --spec {SPEC}", exe.display()),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_internal_error(&run, &out);
}
