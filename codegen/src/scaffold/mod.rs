//! `codegen new DIR --spec FILE [--service NAME]`: a complete Cargo workspace for one
//! service, laid out as this repository lays out accounts, that builds, serves locally
//! (`<service>-local`) and deploys (`deploy/deploy.sh`) before its author writes a line.
//!
//! Two kinds of files, never mixed:
//! - **generated**: exactly what `codegen generate` writes ([`crate::generate_with`]), which
//!   rewrites them on every run and `codegen check` compares;
//! - **written once** here ([`crates`], [`workspace`], [`deploy`]): the workspace manifest
//!   and lock file, one handler stub per operation (answering `501 Not Implemented`, see
//!   `codegen_runtime::not_implemented`), the Lambda crate's set-up, the local server's
//!   `main`, a test, the README, `test.sh` and the deployment settings. They are the
//!   author's: nothing in codegen writes them again.
//!
//! Versions, profiles and the lock file come from this repository (the one codegen was
//! built in), and its crates are path dependencies into it.

mod crates;
mod deploy;
mod templates;
mod workspace;

use std::path::{Path, PathBuf};

use crate::output::{self, OutputFile};
use crate::{names, Options, Refusal};

/// What `codegen new` was asked for.
#[derive(Debug, Clone)]
pub struct NewService<'a> {
    /// The workspace to create (absent or empty).
    pub dir: &'a Path,
    /// The spec, copied into the workspace as `spec/<service>.<yaml|json>`.
    pub spec: &'a Path,
    /// The service name (names crates and cloud resources); default: the spec's.
    pub service: Option<&'a str>,
}

/// What was made.
#[derive(Debug)]
pub struct Created {
    pub service: String,
    /// The spec inside the workspace (`spec/<service>.yaml`).
    pub spec: PathBuf,
    /// Every file written, relative to the workspace.
    pub files: Vec<PathBuf>,
    /// The local server's crate, for the printed next steps.
    pub local_crate: String,
    /// Why the written-once Rust files were not formatted, if they were not.
    pub unformatted: Option<String>,
}

/// Why no workspace was made (nothing is left behind).
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{} is not empty: `codegen new` makes a new workspace (in an existing one, run `codegen generate`)", .0.display())]
    NotEmpty(PathBuf),
    #[error("cannot read {}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write under {}", .dir.display())]
    Write {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("the written-once files cannot be rendered: {0}")]
    Template(String),
    /// The spec is refused, or codegen failed on it.
    #[error(transparent)]
    Refused(#[from] Refusal),
}

/// The repository codegen was built in: where versions, profiles, the lock file and the
/// path dependencies come from.
pub fn repository() -> PathBuf {
    let codegen = Path::new(env!("CARGO_MANIFEST_DIR"));
    codegen.parent().unwrap_or(codegen).to_path_buf()
}

/// Makes the workspace. On any failure the directory is left as it was found.
pub fn new_service(request: &NewService<'_>) -> Result<Created, NewError> {
    let dir = std::path::absolute(request.dir).map_err(|source| NewError::Read {
        path: request.dir.to_owned(),
        source,
    })?;
    let existed = dir.exists();
    if existed && !is_empty_dir(&dir) {
        return Err(NewError::NotEmpty(dir));
    }
    // Refused before anything is written.
    let (spec, _lints) = crate::load_checked(request.spec)?;
    let service = request
        .service
        .map(names::kebab)
        .unwrap_or_else(|| crate::service_name(&spec));
    let extension = match request.spec.extension().and_then(|e| e.to_str()) {
        Some("json") => "json",
        _ => "yaml",
    };
    let spec_in_workspace = PathBuf::from(format!("spec/{service}.{extension}"));
    let text = std::fs::read(request.spec).map_err(|source| NewError::Read {
        path: request.spec.to_owned(),
        source,
    })?;
    let made = write_spec(&dir, &spec_in_workspace, &text)
        .and_then(|()| scaffold(&dir, &service, &spec_in_workspace));
    if made.is_err() {
        remove_contents(&dir, existed);
    }
    made
}

fn write_spec(dir: &Path, spec: &Path, text: &[u8]) -> Result<(), NewError> {
    let target = dir.join(spec);
    let written = target
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&target, text));
    written.map_err(|source| NewError::Write {
        dir: dir.to_owned(),
        source,
    })
}

fn scaffold(dir: &Path, service: &str, spec: &Path) -> Result<Created, NewError> {
    let label = spec.to_string_lossy().replace('\\', "/");
    let options = Options {
        service: Some(service.to_owned()),
        out: dir.to_owned(),
        lambdas: true,
        ..Options::default()
    };
    let spec_path = dir.join(spec);
    let generated = crate::generate_with(&spec_path, &label, &options)?;
    let (checked, _) = crate::load_checked(&spec_path)?;
    let mut api =
        crate::model::build_grouped(&checked, &generated.layout.types_crate, options.grouping)?;
    api.service = service.to_owned();

    let repo = repository();
    let names = crates::Names::new(&api, &generated.layout, &label, dir, &repo);
    let mut once: Vec<OutputFile> = Vec::new();
    once.extend(crates::files(&api, &names)?);
    once.extend(workspace::files(dir, &repo, &names)?);
    once.extend(deploy::files(&repo, &names)?);

    let write = |files: &[OutputFile], owned: &[PathBuf]| {
        output::write(dir, files, owned).map_err(|source| NewError::Write {
            dir: dir.to_owned(),
            source,
        })
    };
    let mut files = vec![spec.to_owned()];
    files.extend(write(&generated.files, &generated.owned_dirs)?);
    files.extend(write(&once, &[])?);
    for script in [crates::TEST_SCRIPT, deploy::SCRIPT] {
        make_executable(&dir.join(script)).map_err(|source| NewError::Write {
            dir: dir.to_owned(),
            source,
        })?;
    }
    let rust: Vec<PathBuf> = once
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
        .map(|f| dir.join(&f.path))
        .collect();
    files.sort();
    Ok(Created {
        service: service.to_owned(),
        spec: spec.to_owned(),
        files,
        local_crate: names.local_crate.clone(),
        unformatted: rustfmt(&rust).err(),
    })
}

/// Formats the written-once Rust files as `cargo fmt` would (the stubs' signatures depend
/// on the operations' names), so the new workspace's `cargo fmt --check` passes.
fn rustfmt(files: &[PathBuf]) -> Result<(), String> {
    let run = std::process::Command::new("rustfmt")
        .args(["--edition", "2021"])
        .args(files)
        .output()
        .map_err(|e| format!("rustfmt did not run ({e}); run `cargo fmt` in the workspace"))?;
    if run.status.success() {
        Ok(())
    } else {
        Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&run.stderr).trim()
        ))
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Undoes a failed `new`: the directory goes if this run made it, else its contents (it
/// was empty).
fn remove_contents(dir: &Path, existed: bool) {
    if !existed {
        let _ = std::fs::remove_dir_all(dir);
        return;
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
    }
}
