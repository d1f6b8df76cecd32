//! Where outputs go, and the two ways to deliver them: write (`generate`) or
//! compare with what is committed (`check`).

use similar::{ChangeTag, TextDiff};
use std::path::{Path, PathBuf};

/// One generated file, its path relative to the output root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Paths and crate names of every output for one service.
#[derive(Debug, Clone)]
pub struct Layout {
    pub types_crate: String,
    pub server_crate: String,
    pub client_crate: String,
    /// Each generated Rust crate is a `lib.rs` that declares `mod generated`
    /// (skipped by rustfmt, since prettyplease formats it) and the module itself.
    pub types_dir: PathBuf,
    pub server_dir: PathBuf,
    /// The client module; the client crate's `lib.rs` is hand-written (its hooks).
    pub client_rs: PathBuf,
    pub apigateway_json: PathBuf,
    pub manifest_json: PathBuf,
}

impl Layout {
    /// The repository layout of the brief: `generated/` and `clients/<service>-client/`.
    pub fn for_service(service: &str) -> Self {
        Self {
            types_crate: format!("{service}-types"),
            server_crate: format!("{service}-server"),
            client_crate: format!("{service}-client"),
            types_dir: "generated/types/src".into(),
            server_dir: "generated/server/src".into(),
            client_rs: format!("clients/{service}-client/src/generated.rs").into(),
            apigateway_json: "generated/apigateway.json".into(),
            manifest_json: "generated/operations.json".into(),
        }
    }
}

/// Why a committed file is not what `generate` would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    Missing,
    Differs {
        first_line: usize,
        added: usize,
        removed: usize,
    },
}

/// Writes files under `root`, creating directories; unchanged files are not touched.
pub fn write(root: &Path, files: &[OutputFile]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for f in files {
        let target = root.join(&f.path);
        if std::fs::read_to_string(&target).ok().as_deref() == Some(f.contents.as_str()) {
            continue;
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&target, &f.contents)?;
        written.push(f.path.clone());
    }
    Ok(written)
}

/// Compares files under `root` with what would be generated.
pub fn check(root: &Path, files: &[OutputFile]) -> Vec<(PathBuf, Staleness)> {
    let mut stale = Vec::new();
    for f in files {
        match std::fs::read_to_string(root.join(&f.path)) {
            Err(_) => stale.push((f.path.clone(), Staleness::Missing)),
            Ok(on_disk) if on_disk == f.contents => {}
            Ok(on_disk) => stale.push((f.path.clone(), diff_summary(&on_disk, &f.contents))),
        }
    }
    stale
}

fn diff_summary(old: &str, new: &str) -> Staleness {
    let diff = TextDiff::from_lines(old, new);
    let (mut added, mut removed, mut first_line) = (0, 0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => continue,
        }
        if first_line == 0 {
            first_line = change.old_index().or(change.new_index()).unwrap_or(0) + 1;
        }
    }
    Staleness::Differs {
        first_line,
        added,
        removed,
    }
}
