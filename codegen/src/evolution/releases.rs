//! The released contracts and the version policy.
//!
//! A release is a verbatim copy of the spec, named by its `info.version`:
//! `<spec dir>/released/<service>/<version>.yaml` (`.json` for a JSON spec).
//! The last release is the one with the highest version. Against it, the
//! current spec's version must rise by at least what its changes require:
//!
//! | changes since the last release | required |
//! |---|---|
//! | any wire-breaking or rust-api-breaking finding | major |
//! | compatible findings | minor |
//! | informational findings, or prose only | patch |
//! | none (same document, `x-` extensions aside) | none: the same version |
//!
//! "Major" is Cargo's (<https://doc.rust-lang.org/cargo/reference/semver.html>):
//! the leftmost non-zero component, so `0.3.1` → `0.4.0` is major, and within
//! `0.x` any compatible bump counts as minor. A version lower than the last
//! release is refused.

use openapi_diff::{diff, Document, LoadError, Report, Severity};
use semver::{BuildMetadata, Version};
use std::path::{Path, PathBuf};

/// The directory holding the released contracts of `service`.
pub fn directory(spec_path: &Path, service: &str) -> PathBuf {
    spec_path
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join("released")
        .join(service)
}

/// One recorded release.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: Version,
    pub path: PathBuf,
}

impl Release {
    /// The released contract, read as `generate` reads the spec (bundled,
    /// 3.1 converted, normalized), so that the gate compares like with like.
    pub fn read(&self) -> Result<Document, ReleaseError> {
        match crate::source::load(&self.path) {
            Ok(spec) => Ok(Document::from_value(&spec.file, spec.raw)?),
            // A release the reader refuses is compared as written; the diff
            // engine reports what it cannot read.
            Err(_) => Ok(Document::read(&self.path)?),
        }
    }
}

/// What is wrong with the recorded releases.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("{}: #: cannot list the released contracts ({reason}): check the directory", dir.display())]
    List { dir: PathBuf, reason: String },
    #[error("{}: #: not a release: name released contracts `<version>.yaml` or `<version>.json`, as `codegen release` does", file.display())]
    Name { file: PathBuf },
    #[error("{}: #/info/version: records version `{found}` but is named `{named}`: a released contract is never edited; restore it from version control", file.display())]
    Mismatch {
        file: PathBuf,
        found: String,
        named: Version,
    },
    #[error(transparent)]
    Load(#[from] LoadError),
}

impl ReleaseError {
    /// The file and pointer the message names.
    pub fn place(&self) -> (String, String) {
        match self {
            Self::List { dir, .. } => (dir.display().to_string(), String::new()),
            Self::Name { file } => (file.display().to_string(), String::new()),
            Self::Mismatch { file, .. } => (file.display().to_string(), "/info/version".into()),
            Self::Load(e) => (e.file().to_owned(), e.pointer().to_owned()),
        }
    }
}

/// The releases in `dir`, lowest version first (none when it does not exist).
pub fn list(dir: &Path) -> Result<Vec<Release>, ReleaseError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(ReleaseError::List {
                dir: dir.to_owned(),
                reason: e.to_string(),
            })
        }
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| ReleaseError::List {
                dir: dir.to_owned(),
                reason: e.to_string(),
            })?
            .path();
        let version = match (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|e| e.to_str()),
        ) {
            (Some(stem), Some("yaml" | "yml" | "json")) => Version::parse(stem).ok(),
            _ => None,
        };
        match version {
            Some(version) => out.push(Release { version, path }),
            None => return Err(ReleaseError::Name { file: path }),
        }
    }
    out.sort_by(|a, b| {
        a.version
            .cmp_precedence(&b.version)
            .then_with(|| a.version.cmp(&b.version))
    });
    Ok(out)
}

/// The version an `info.version` stands for. Not every document writes
/// semantic versions (`1.0`, `v2`, `2024-01-15`), and the client crate's
/// version must be one: leading numbers fill major, minor and patch, and
/// whatever follows is kept as build metadata.
pub fn contract_version(text: &str) -> Version {
    let text = text.trim();
    if let Ok(version) = Version::parse(text.trim_start_matches(['v', 'V'])) {
        return version;
    }
    let rest = text.trim_start_matches(['v', 'V']);
    let mut numbers = Vec::new();
    let mut tail = rest;
    while numbers.len() < 3 {
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            break;
        }
        numbers.push(tail[..digits].parse::<u64>().unwrap_or(u64::MAX));
        tail = &tail[digits..];
        match tail.strip_prefix('.') {
            Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => tail = after,
            _ => break,
        }
    }
    let metadata_source = if numbers.is_empty() { text } else { tail };
    let metadata: String = metadata_source
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('.')
        .filter(|part| !part.trim_matches('-').is_empty())
        .map(|part| part.trim_matches('-'))
        .collect::<Vec<_>>()
        .join(".");
    let number = |i: usize| numbers.get(i).copied().unwrap_or(0);
    let mut version = Version::new(number(0), number(1), number(2));
    version.build = BuildMetadata::new(&metadata).unwrap_or(BuildMetadata::EMPTY);
    version
}

/// The version of a document (`0.0.0` when it has none).
pub fn version_of(doc: &Document) -> Version {
    contract_version(doc.version().unwrap_or_default())
}

/// How much a version rose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// The same version.
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "no version change",
            Self::Patch => "a patch version",
            Self::Minor => "a minor version",
            Self::Major => "a major version",
        }
    }
}

/// The rise from `from` to `to` as Cargo reads it; `None` when `to` is lower.
pub fn bump(from: &Version, to: &Version) -> Option<Bump> {
    match to.cmp_precedence(from) {
        std::cmp::Ordering::Less => return None,
        std::cmp::Ordering::Equal => return Some(Bump::None),
        std::cmp::Ordering::Greater => {}
    }
    // The leftmost non-zero component is what `^from` pins.
    let pinned = |v: &Version| match (v.major, v.minor) {
        (0, 0) => (0, 0, v.patch),
        (0, minor) => (0, minor, 0),
        (major, _) => (major, 0, 0),
    };
    Some(if pinned(from) != pinned(to) {
        Bump::Major
    } else if from.major > 0 && from.minor == to.minor {
        Bump::Patch
    } else {
        Bump::Minor
    })
}

/// What the changes in `report` require (`differs`: the documents are not
/// equal, even if only in prose).
pub fn required(report: &Report, differs: bool) -> Bump {
    if report.is_breaking() {
        Bump::Major
    } else if report.count(Severity::Compatible) > 0 {
        Bump::Minor
    } else if differs {
        Bump::Patch
    } else {
        Bump::None
    }
}

/// The current spec against the recorded releases.
#[derive(Debug)]
pub enum Verdict {
    /// Nothing is released yet: nothing to compare with.
    FirstRelease { version: Version },
    /// The spec is the last release, unchanged.
    Released { version: Version },
    /// The spec moved on from the last release and its version rose enough.
    Ahead {
        last: Version,
        version: Version,
        report: Report,
    },
    /// The version does not follow the changes.
    Refused {
        last: Version,
        /// The last release's file.
        released: PathBuf,
        version: Version,
        report: Report,
        reason: String,
    },
}

impl Verdict {
    pub fn is_refused(&self) -> bool {
        matches!(self, Self::Refused { .. })
    }
}

/// Judges `current` against the releases in `dir`.
pub fn judge(current: &Document, dir: &Path) -> Result<Verdict, ReleaseError> {
    let releases = list(dir)?;
    let version = version_of(current);
    let Some(last) = releases.last() else {
        return Ok(Verdict::FirstRelease { version });
    };
    let released = last.read()?;
    let recorded = version_of(&released);
    if recorded.cmp_precedence(&last.version).is_ne() {
        return Err(ReleaseError::Mismatch {
            file: last.path.clone(),
            found: released.version().unwrap_or_default().to_owned(),
            named: last.version.clone(),
        });
    }
    let report = diff(&released, current);
    let differs = !same_document(&released, current);
    let needed = required(&report, differs);
    let last_version = last.version.clone();
    let refuse = |reason: String, report: Report| Verdict::Refused {
        last: last_version.clone(),
        released: last.path.clone(),
        version: version.clone(),
        report,
        reason,
    };
    Ok(match bump(&last.version, &version) {
        None => refuse(
            format!(
                "`info.version` {version} is lower than the last release, {}",
                last.version
            ),
            report,
        ),
        Some(Bump::None) if needed == Bump::None => Verdict::Released { version },
        Some(actual) if actual >= needed => Verdict::Ahead {
            last: last.version.clone(),
            version,
            report,
        },
        Some(actual) => {
            let why = match needed {
                Bump::Major => "it breaks clients (on the wire or in the generated Rust API)",
                Bump::Minor => "it adds to the contract",
                _ => "the document changed",
            };
            let rise = match actual {
                Bump::None => "is unchanged".to_owned(),
                other => format!("rose by only {}", other.name()),
            };
            refuse(
                format!(
                    "the spec differs from the released {} and {why}, which needs {}; `info.version` {version} {rise}",
                    last.version,
                    needed.name(),
                ),
                report,
            )
        }
    })
}

/// Whether two documents are the same, `x-` extensions aside (see
/// [`without_extensions`]).
pub fn same_document(a: &Document, b: &Document) -> bool {
    without_extensions(&a.root) == without_extensions(&b.root)
}

/// `value` without `x-` extension members: they configure this
/// repository's deployment (`x-aws-access`, ...), not what consumers get,
/// so changing one alone needs no new version. Prose does: the generated
/// client carries the descriptions as its documentation.
fn without_extensions(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !k.starts_with("x-"))
            .map(|(k, v)| (k.clone(), without_extensions(v)))
            .collect(),
        serde_json::Value::Array(items) => items.iter().map(without_extensions).collect(),
        other => other.clone(),
    }
}

/// The smallest version after `last` that `needed` allows, for messages.
pub fn suggestion(last: &Version, needed: Bump) -> Version {
    match (needed, last.major, last.minor) {
        (Bump::Major, 0, 0) => Version::new(0, 0, last.patch + 1),
        (Bump::Major, 0, minor) => Version::new(0, minor + 1, 0),
        (Bump::Major, major, _) => Version::new(major + 1, 0, 0),
        (Bump::Minor, 0, _) => Version::new(0, last.minor, last.patch + 1),
        (Bump::Minor, major, minor) => Version::new(major, minor + 1, 0),
        _ => Version::new(last.major, last.minor, last.patch + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn loose_versions_become_semantic_ones() {
        assert_eq!(contract_version("1.0"), v("1.0.0"));
        assert_eq!(contract_version("v2"), v("2.0.0"));
        assert_eq!(contract_version("9000"), v("9000.0.0"));
        assert_eq!(contract_version("1.0.27-SNAPSHOT"), v("1.0.27-SNAPSHOT"));
        assert_eq!(contract_version("2024-01-15"), v("2024.0.0+01-15"));
        assert_eq!(contract_version("beta"), v("0.0.0+beta"));
    }

    #[test]
    fn bumps_are_read_as_cargo_reads_them() {
        assert_eq!(bump(&v("1.2.3"), &v("2.0.0")), Some(Bump::Major));
        assert_eq!(bump(&v("1.2.3"), &v("1.3.0")), Some(Bump::Minor));
        assert_eq!(bump(&v("1.2.3"), &v("1.2.4")), Some(Bump::Patch));
        assert_eq!(bump(&v("1.2.3"), &v("1.2.3")), Some(Bump::None));
        assert_eq!(bump(&v("1.2.3"), &v("1.2.2")), None);
        assert_eq!(bump(&v("0.3.1"), &v("0.4.0")), Some(Bump::Major));
        assert_eq!(bump(&v("0.3.1"), &v("0.3.2")), Some(Bump::Minor));
        assert_eq!(bump(&v("0.0.3"), &v("0.0.4")), Some(Bump::Major));
        assert_eq!(bump(&v("1.0.0"), &v("2.0.0-rc.1")), Some(Bump::Major));
        assert_eq!(suggestion(&v("1.2.3"), Bump::Major), v("2.0.0"));
        assert_eq!(suggestion(&v("0.3.1"), Bump::Major), v("0.4.0"));
        assert_eq!(suggestion(&v("1.2.3"), Bump::Minor), v("1.3.0"));
    }
}
