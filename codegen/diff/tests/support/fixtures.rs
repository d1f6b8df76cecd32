//! The fixture pairs under `tests/fixtures/`: each a directory with the
//! old and new document and `expected.yaml` (what it shows, whether it is a
//! compatible change that looks alarming, and every finding expected).
//!
//! Two layouts: `<family>/<name>/{old.yaml,new.yaml,expected.yaml}`, and
//! `accounts/<name>/{patch.yaml,expected.yaml}`, an RFC 6902 patch applied
//! to the released accounts contract `spec/released/accounts/1.0.0.yaml`
//! (a hand-made evolution of the real spec). Also used by codegen's tests
//! (`#[path]`), which run the same pairs through `codegen diff`.

#![allow(dead_code)] // each user takes what it needs

use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One expected finding, as `expected.yaml` writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct Expected {
    pub rule: String,
    pub severity: String,
    #[serde(default)]
    pub side: Option<String>,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// What the pair shows.
    pub about: String,
    /// A compatible change that looks as if it broke something.
    #[serde(default)]
    pub alarming: bool,
    pub findings: Vec<Expected>,
}

/// One pair.
#[derive(Debug)]
pub struct Fixture {
    /// `family/name`.
    pub name: String,
    pub dir: PathBuf,
    pub old: Value,
    pub new: Value,
    pub expectation: Expectation,
}

/// `codegen/diff`, from whichever crate's tests include this file.
fn crate_dir(manifest_dir: &Path) -> PathBuf {
    let here = manifest_dir.join("diff");
    if here.join("tests/fixtures").is_dir() {
        here
    } else {
        manifest_dir.to_path_buf()
    }
}

/// The workspace root, from the including crate's manifest directory.
pub fn workspace_root(manifest_dir: &Path) -> PathBuf {
    let diff = crate_dir(manifest_dir);
    diff.join("../..")
}

fn read_yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every fixture, sorted by name. `manifest_dir` is the including crate's
/// `CARGO_MANIFEST_DIR` (`codegen` or `codegen/diff`).
pub fn all(manifest_dir: &Path) -> Vec<Fixture> {
    let root = crate_dir(manifest_dir).join("tests/fixtures");
    let accounts_base = workspace_root(manifest_dir).join("spec/released/accounts/1.0.0.yaml");
    let mut out = Vec::new();
    let mut families: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    families.sort();
    for family in families {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(&family)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", family.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = format!(
                "{}/{}",
                family.file_name().unwrap_or_default().to_string_lossy(),
                dir.file_name().unwrap_or_default().to_string_lossy()
            );
            let (old, new) = if dir.join("patch.yaml").is_file() {
                let old = read_yaml(&accounts_base);
                let patch: json_patch::Patch = serde_json::from_value(read_yaml(
                    &dir.join("patch.yaml"),
                ))
                .unwrap_or_else(|e| panic!("{name}: patch.yaml is not an RFC 6902 patch: {e}"));
                let mut new = old.clone();
                json_patch::patch(&mut new, &patch)
                    .unwrap_or_else(|e| panic!("{name}: the patch does not apply: {e}"));
                (old, new)
            } else {
                (
                    read_yaml(&dir.join("old.yaml")),
                    read_yaml(&dir.join("new.yaml")),
                )
            };
            let expected = dir.join("expected.yaml");
            let text = std::fs::read_to_string(&expected)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", expected.display()));
            let expectation: Expectation = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{name}: expected.yaml: {e}"));
            out.push(Fixture {
                name,
                dir,
                old,
                new,
                expectation,
            });
        }
    }
    out
}

/// The findings of a report in the form `expected.yaml` writes them, sorted.
pub fn actual(report: &openapi_diff::Report) -> Vec<Expected> {
    let mut out: Vec<Expected> = report
        .findings
        .iter()
        .map(|f| Expected {
            rule: f.rule.id().to_owned(),
            severity: f.severity.id().to_owned(),
            side: f.side.map(|s| s.id().to_owned()),
            old: f.old.clone(),
            new: f.new.clone(),
        })
        .collect();
    out.sort();
    out
}

/// Findings as YAML lines, for failure messages that can be pasted.
pub fn show(findings: &[Expected]) -> String {
    findings
        .iter()
        .map(|f| {
            let side = f
                .side
                .as_deref()
                .map_or(String::new(), |s| format!(", side: {s}"));
            format!(
                "- {{rule: {}, severity: {}{side}, old: '{}', new: '{}'}}\n",
                f.rule, f.severity, f.old, f.new
            )
        })
        .collect()
}
