//! The new workspace's `Cargo.toml` and `Cargo.lock`, from this repository's: the same
//! `[workspace.package]` defaults, `[workspace.dependencies]` versions and profiles (the
//! `lambda-release` profile of the Lambda zips included), and its lock file, so the new
//! workspace builds the versions this repository is tested with, offline. Path dependencies
//! are rewritten to point into this repository, and its crates a service uses are added.

use std::path::Path;

use super::crates::Names;
use super::NewError;
use crate::emit::crate_manifests::relative;
use crate::output::OutputFile;

/// This repository's crates a new service depends on by name (the generated crates name
/// `codegen-runtime` by path already), as `(name, directory in this repository)`.
const PROJECT_CRATES: &[(&str, &str)] = &[
    ("codegen-runtime", "codegen/runtime"),
    ("apigateway-rest-emulator", "handlers/apigateway-emulator"),
];

/// `Cargo.toml` and `Cargo.lock`.
pub(super) fn files(dir: &Path, repo: &Path, names: &Names) -> Result<Vec<OutputFile>, NewError> {
    let read = |name: &str| {
        let path = repo.join(name);
        std::fs::read_to_string(&path).map_err(|source| NewError::Read { path, source })
    };
    let manifest = read("Cargo.toml")?;
    let lock = read("Cargo.lock")?;
    Ok(vec![
        OutputFile {
            path: "Cargo.toml".into(),
            contents: workspace_manifest(&manifest, dir, repo, names),
        },
        OutputFile {
            path: "Cargo.lock".into(),
            contents: lock,
        },
    ])
}

/// One `[table]` of a TOML file with the comment lines just above its header.
struct Section<'a> {
    header: &'a str,
    lines: Vec<&'a str>,
}

/// The file's tables, each with its leading comments (text before the first table is
/// dropped).
fn sections(toml: &str) -> Vec<Section<'_>> {
    let mut out: Vec<Section<'_>> = Vec::new();
    let mut current = Section {
        header: "",
        lines: Vec::new(),
    };
    for line in toml.lines() {
        let trimmed = line.trim();
        let is_header =
            trimmed.starts_with('[') && trimmed.ends_with(']') && !trimmed.contains('=');
        if !is_header {
            current.lines.push(line);
            continue;
        }
        let mut leading = Vec::new();
        while current
            .lines
            .last()
            .is_some_and(|l| l.trim_start().starts_with('#'))
        {
            leading.extend(current.lines.pop());
        }
        leading.reverse();
        out.push(current);
        leading.push(line);
        current = Section {
            header: trimmed,
            lines: leading,
        };
    }
    out.push(current);
    out.retain(|s| !s.header.is_empty());
    out
}

fn workspace_manifest(repo_manifest: &str, dir: &Path, repo: &Path, names: &Names) -> String {
    let layout = &names.layout;
    let parent = |p: &Path| {
        p.parent()
            .unwrap_or(Path::new(""))
            .to_string_lossy()
            .replace('\\', "/")
    };
    let members = [
        parent(&layout.types_dir),
        parent(&layout.server_dir),
        parent(&layout.client_manifest),
        "handlers/service".to_owned(),
        "handlers/lambdas".to_owned(),
        "handlers/local".to_owned(),
    ];
    let mut out = format!(
        "# The {service} workspace, written once by `codegen new`: yours to edit. The package\n\
         # defaults, dependency versions and profiles below were copied from codegen's\n\
         # repository ({repo}), whose Cargo.lock this workspace started from.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n",
        service = names.service,
        repo = repo.display(),
        members = members
            .iter()
            .map(|m| format!("  \"{m}\",\n"))
            .collect::<String>(),
    );
    for section in sections(repo_manifest) {
        let kept = section.header == "[workspace.package]"
            || section.header == "[workspace.dependencies]"
            || section.header.starts_with("[profile.");
        if !kept {
            continue;
        }
        out.push('\n');
        let mut text = section.lines.join("\n");
        if section.header == "[workspace.dependencies]" {
            let lines: Vec<String> = section
                .lines
                .iter()
                .map(|line| repointed(line, dir, repo))
                .collect();
            text = format!(
                "{}\n{}",
                lines.join("\n").trim_end(),
                project_crates(dir, repo)
            );
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// A dependency line with its `path = "<dir>"` (relative to this repository) made a path
/// from the workspace.
fn repointed(line: &str, dir: &Path, repo: &Path) -> String {
    const KEY: &str = "path = \"";
    let Some(start) = line.find(KEY).map(|i| i + KEY.len()) else {
        return line.to_owned();
    };
    let Some(length) = line[start..].find('"') else {
        return line.to_owned();
    };
    let target = relative(dir, &repo.join(&line[start..start + length]));
    format!("{}{target}{}", &line[..start], &line[start + length..])
}

/// The `[workspace.dependencies]` lines of this repository's crates.
fn project_crates(dir: &Path, repo: &Path) -> String {
    let mut text = String::from(
        "# codegen's crates, by path into its repository. To use published versions instead,\n\
         # replace each `path = \"...\"` by `version = \"...\"`.\n",
    );
    for (name, crate_dir) in PROJECT_CRATES {
        text.push_str(&format!(
            "{name} = {{ path = \"{}\" }}\n",
            relative(dir, &repo.join(crate_dir))
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_keep_the_comments_above_them() {
        let toml = "[workspace]\nmembers = [\n  \"a\",\n]\n\n# why\n[profile.release]\nopt-level = \"s\"\n# trailing\n";
        let found = sections(toml);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].header, "[workspace]");
        assert_eq!(
            found[1].lines,
            [
                "# why",
                "[profile.release]",
                "opt-level = \"s\"",
                "# trailing"
            ]
        );
    }

    #[test]
    fn path_dependencies_point_back_into_the_repository() {
        let line = "api-problem = { path = \"codegen/problem\" }";
        assert_eq!(
            repointed(line, Path::new("/w/pets"), Path::new("/w/main")),
            "api-problem = { path = \"../main/codegen/problem\" }"
        );
        assert_eq!(
            repointed("serde = \"1\"", Path::new("/a"), Path::new("/b")),
            "serde = \"1\""
        );
    }
}
