//! API evolution through the `codegen` binary: `codegen diff` on every
//! fixture pair of `codegen/diff/tests/fixtures/` (exit code and findings),
//! its inputs (`git:REV:path`, refusals) and formats; and the release gate
//! in a copy of the repository: CI (`codegen check`) fails on a branch that
//! tightens a request field without a major version and passes once the
//! version is raised and the release recorded, while the client's Cargo
//! version and CHANGELOG follow and are drift-checked.

mod support;

#[path = "../diff/tests/support/fixtures.rs"]
mod fixtures;

use std::path::{Path, PathBuf};
use support::{codegen, repo_root, temp_dir, Run};

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn codegen_diff_gives_every_fixture_pair_its_expected_findings_and_exit_code() {
    let tmp = temp_dir();
    let all = fixtures::all(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(all.len() >= 60);
    let mut failures = Vec::new();
    for (i, fixture) in all.iter().enumerate() {
        let old = tmp.path().join(format!("{i}-old.json"));
        let new = tmp.path().join(format!("{i}-new.json"));
        write(&old, &serde_json::to_string_pretty(&fixture.old).unwrap());
        write(&new, &serde_json::to_string_pretty(&fixture.new).unwrap());
        let run = codegen(
            tmp.path(),
            [
                "diff".as_ref(),
                old.as_os_str(),
                new.as_os_str(),
                "--format".as_ref(),
                "json".as_ref(),
            ],
        );
        let breaking = fixture
            .expectation
            .findings
            .iter()
            .any(|f| matches!(f.severity.as_str(), "wire-breaking" | "rust-api-breaking"));
        let expected_code = if breaking { 1 } else { 0 };
        if run.code != Some(expected_code) {
            failures.push(format!(
                "{}: expected exit {expected_code}\n{}",
                fixture.name,
                run.output()
            ));
            continue;
        }
        let report: serde_json::Value = match serde_json::from_str(&run.stdout) {
            Ok(report) => report,
            Err(e) => {
                failures.push(format!(
                    "{}: the JSON report does not parse ({e})\n{}",
                    fixture.name,
                    run.output()
                ));
                continue;
            }
        };
        let mut got: Vec<fixtures::Expected> = report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| fixtures::Expected {
                rule: f["rule"].as_str().unwrap_or_default().to_owned(),
                severity: f["severity"].as_str().unwrap_or_default().to_owned(),
                side: f["side"].as_str().map(str::to_owned),
                old: f["old"].as_str().unwrap_or_default().to_owned(),
                new: f["new"].as_str().unwrap_or_default().to_owned(),
            })
            .collect();
        got.sort();
        let mut want = fixture.expectation.findings.clone();
        want.sort();
        if got != want {
            failures.push(format!(
                "{}:\nexpected:\n{}got:\n{}",
                fixture.name,
                fixtures::show(&want),
                fixtures::show(&got)
            ));
        }
        if report["breaking"] != serde_json::Value::Bool(breaking) {
            failures.push(format!(
                "{}: `breaking` is {}",
                fixture.name, report["breaking"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} pair(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn codegen_diff_reads_git_revisions_refuses_bad_input_and_renders_every_format() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let spec = read(&repo_root().join("spec/accounts.yaml"));
    write(&dir.join("spec/accounts.yaml"), &spec);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "spec/accounts.yaml"]);
    git(dir, &["commit", "-q", "-m", "v1"]);
    let tightened = spec.replacen("maxLength: 100\n", "maxLength: 50\n", 1);
    assert_ne!(
        tightened, spec,
        "the accounts spec has a `maxLength: 100` to tighten"
    );
    write(&dir.join("spec/accounts.yaml"), &tightened);

    let run = codegen(
        dir,
        ["diff", "git:HEAD:spec/accounts.yaml", "spec/accounts.yaml"],
    );
    assert_eq!(run.code, Some(1), "{}", run.output());
    assert!(run.stdout.starts_with("API changes from git:HEAD:spec/accounts.yaml to spec/accounts.yaml: 1 wire-breaking, 1 compatible"), "{}", run.output());
    assert!(
        run.stdout
            .contains("length-bound-tightened (request; createAccount, updateAccount)"),
        "{}",
        run.output()
    );

    let run = codegen(
        dir,
        [
            "diff",
            "git:HEAD:spec/accounts.yaml",
            "git:HEAD:spec/accounts.yaml",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(run.stdout.contains(": no changes"), "{}", run.output());

    let run = codegen(
        dir,
        [
            "diff",
            "git:HEAD:spec/accounts.yaml",
            "spec/accounts.yaml",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.output());
    assert!(run.stdout.contains("### Breaking on the wire\n\n- `length-bound-tightened` (request; createAccount, updateAccount)"), "{}", run.output());

    // Refused inputs: exit 2, naming the file and the pointer.
    let run = codegen(
        dir,
        [
            "diff",
            "git:nosuchrev:spec/accounts.yaml",
            "spec/accounts.yaml",
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.output());
    assert!(
        run.stderr
            .contains("git:nosuchrev:spec/accounts.yaml: #: cannot read it"),
        "{}",
        run.output()
    );
    let broken = tightened.replacen(
        "$ref: '#/components/schemas/Health'",
        "$ref: '#/components/schemas/Healthy'",
        1,
    );
    write(&dir.join("broken.yaml"), &broken);
    let run = codegen(dir, ["diff", "spec/accounts.yaml", "broken.yaml"]);
    assert_eq!(run.code, Some(2), "{}", run.output());
    assert!(
        run.stderr.contains("broken.yaml: #/paths/~1health/get/responses/200/content/application~1json/schema/$ref: `#/components/schemas/Healthy` does not resolve"),
        "{}",
        run.output()
    );
    write(
        &dir.join("swagger.json"),
        r#"{"swagger": "2.0", "paths": {}}"#,
    );
    let run = codegen(dir, ["diff", "swagger.json", "spec/accounts.yaml"]);
    assert_eq!(run.code, Some(2), "{}", run.output());
    assert!(
        run.stderr
            .contains("swagger.json: #/swagger: Swagger 2.0 is not compared"),
        "{}",
        run.output()
    );
    assert!(!run.panicked());
}

/// A copy of the repository's contract as released: the spec is the
/// released 1.0.0 (whatever the working copy's spec is doing), with its
/// released contracts and everything generated from it.
fn contract_copy() -> tempfile::TempDir {
    let tmp = temp_dir();
    let root = repo_root();
    write(
        &tmp.path().join("spec/accounts.yaml"),
        &read(&root.join("spec/released/accounts/1.0.0.yaml")),
    );
    let released = root.join("spec/released/accounts");
    for entry in std::fs::read_dir(&released)
        .unwrap_or_else(|e| panic!("{}: {e}", released.display()))
        .flatten()
    {
        let name = entry.file_name();
        write(
            &tmp.path().join("spec/released/accounts").join(&name),
            &read(&entry.path()),
        );
    }
    let run = codegen(tmp.path(), ["generate"]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    tmp
}

fn edit_spec(dir: &Path, from: &str, to: &str) {
    let path = dir.join("spec/accounts.yaml");
    let text = read(&path);
    assert!(text.contains(from), "the spec has no {from:?}");
    write(&path, &text.replacen(from, to, 1));
}

fn generate_and_check(dir: &Path) -> Run {
    let run = codegen(dir, ["generate"]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    codegen(dir, ["check"])
}

#[test]
fn ci_refuses_a_tightened_request_field_without_a_major_version_and_passes_once_released() {
    let tmp = contract_copy();
    let dir = tmp.path();
    let run = codegen(dir, ["check"]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(
        run.stdout
            .contains("the spec is the released contract 1.0.0"),
        "{}",
        run.output()
    );

    // The branch: a request field tightens (DisplayName is written by
    // createAccount and updateAccount), the generated files are regenerated.
    edit_spec(dir, "maxLength: 100\n", "maxLength: 50\n");
    let run = generate_and_check(dir);
    assert_eq!(run.code, Some(1), "{}", run.output());
    assert!(
        run.stderr.contains("spec/accounts.yaml: #/info/version: the spec differs from the released 1.0.0 and it breaks clients"),
        "{}",
        run.output()
    );
    assert!(
        run.stderr.contains("raise it to 2.0.0 or more"),
        "{}",
        run.output()
    );
    assert!(
        run.stderr
            .contains("length-bound-tightened (request; createAccount, updateAccount)"),
        "{}",
        run.output()
    );
    assert!(
        run.stderr
            .contains("new: #/components/schemas/DisplayName/maxLength"),
        "{}",
        run.output()
    );

    // A minor version is not enough for a breaking change.
    edit_spec(dir, "  version: 1.0.0\n", "  version: 1.1.0\n");
    let run = generate_and_check(dir);
    assert_eq!(run.code, Some(1), "{}", run.output());
    assert!(
        run.stderr
            .contains("`info.version` 1.1.0 rose by only a minor version"),
        "{}",
        run.output()
    );

    // A major version passes, before and after the release is recorded.
    edit_spec(dir, "  version: 1.1.0\n", "  version: 2.0.0\n");
    let run = generate_and_check(dir);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(
        run.stdout
            .contains("2.0.0 follows the released 1.0.0 (1 wire-breaking, 1 compatible)"),
        "{}",
        run.output()
    );
    let changelog = dir.join("clients/accounts-client/CHANGELOG.md");
    assert!(
        read(&changelog)
            .contains("## Unreleased: 2.0.0\n\nSince 1.0.0:\n\n### Breaking on the wire"),
        "{}",
        read(&changelog)
    );

    let run = codegen(dir, ["release"]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(
        run.stdout
            .contains("recorded spec/released/accounts/2.0.0.yaml"),
        "{}",
        run.output()
    );
    assert_eq!(
        read(&dir.join("spec/released/accounts/2.0.0.yaml")),
        read(&dir.join("spec/accounts.yaml"))
    );
    let run = codegen(dir, ["check"]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(
        run.stdout
            .contains("the spec is the released contract 2.0.0"),
        "{}",
        run.output()
    );

    // The client's version and changelog followed.
    let manifest = read(&dir.join("clients/accounts-client/Cargo.toml"));
    assert!(
        manifest.starts_with("# @generated by codegen"),
        "{manifest}"
    );
    assert!(manifest.contains("\nversion = \"2.0.0\"\n"), "{manifest}");
    let changelog = read(&changelog);
    assert!(!changelog.contains("Unreleased"), "{changelog}");
    let v2 = changelog.find("## 2.0.0").expect("a 2.0.0 entry");
    let v1 = changelog.find("## 1.0.0").expect("a 1.0.0 entry");
    assert!(v2 < v1, "newest first:\n{changelog}");
    assert!(
        changelog[v2..v1].contains("- `length-bound-tightened` (request; createAccount, updateAccount): `maxLength` 100 → 50"),
        "{changelog}"
    );

    // Releasing again records nothing; a later prose edit needs a version.
    let run = codegen(dir, ["release"]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(
        run.stdout.contains("2.0.0 is already recorded"),
        "{}",
        run.output()
    );
    edit_spec(
        dir,
        "summary: Service health",
        "summary: Health of this region",
    );
    let run = generate_and_check(dir);
    assert_eq!(run.code, Some(1), "{}", run.output());
    assert!(
        run.stderr.contains(
            "the document changed, which needs a patch version; `info.version` 2.0.0 is unchanged"
        ),
        "{}",
        run.output()
    );
    let run = codegen(dir, ["release"]);
    assert_eq!(run.code, Some(1), "release refuses too\n{}", run.output());
    assert!(!dir.join("spec/released/accounts/2.0.1.yaml").exists());
}

#[test]
fn the_client_manifest_and_changelog_are_drift_checked() {
    let tmp = contract_copy();
    let dir = tmp.path();
    let manifest = dir.join("clients/accounts-client/Cargo.toml");
    let edited = read(&manifest).replacen("version = \"1.0.0\"", "version = \"1.0.1\"", 1);
    write(&manifest, &edited);
    let changelog = dir.join("clients/accounts-client/CHANGELOG.md");
    write(
        &changelog,
        &format!("{}\nA hand-written note.\n", read(&changelog)),
    );
    let run = codegen(dir, ["check"]);
    assert_eq!(run.code, Some(1), "{}", run.output());
    for file in [
        "clients/accounts-client/Cargo.toml",
        "clients/accounts-client/CHANGELOG.md",
    ] {
        assert!(
            run.stderr
                .contains(&format!("{file}: stale or edited by hand")),
            "{file}\n{}",
            run.output()
        );
    }
    // The repository's own client manifest is the generated one (at the
    // repository's spec version), with the dependencies the hand-written
    // manifest had.
    let committed = read(&repo_root().join("clients/accounts-client/Cargo.toml"));
    let version_line = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("version = "))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let generated = read(&PathBuf::from(&manifest));
    let generated = generated.replacen(&version_line(&generated), &version_line(&committed), 1);
    assert_eq!(committed, generated);
    for dependency in [
        "accounts-types = { path = \"../../generated/types\" }",
        "progenitor-client.workspace = true",
        "reqwest.workspace = true",
        "futures-core = \"0.3\"",
        "bytes = \"1\"",
        "regress.workspace = true",
    ] {
        assert!(committed.contains(dependency), "{dependency}");
    }
}
