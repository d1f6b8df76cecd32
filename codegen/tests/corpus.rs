//! `codegen` on documents nobody here tuned (`shared/corpus/`: the OpenAPI
//! Initiative's examples and a sample of real services' documents): each one
//! either generates code that compiles (types, server and client crates,
//! `cargo check`), or is refused naming file, pointer and construct. Never a
//! panic. The outcomes are the table in `codegen/README.md` ("Supported
//! OpenAPI"), which a test keeps true.
//!
//! Also: `generate` is deterministic, and `check` catches hand edits and spec
//! changes (the contract chain of the design brief: a stale `generated/` must fail CI).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{
    codegen, crate_dir, files_under, find_diagnostic, is_empty_dir, repo_root, shared_dir, temp_dir,
};

/// What codegen does with a corpus document today.
enum Expect {
    /// Generates; these component schemas must come from the shared types
    /// crate, not from copies in the client.
    Generates { schemas: &'static [&'static str] },
    /// Refused with exit 2 and this pointer (and a fragment of the message).
    Refused {
        pointer: &'static str,
        fragment: &'static str,
    },
}

/// Every document of `shared/corpus/` (by its path there), classified.
const CORPUS: &[(&str, Expect)] = &[
    (
        "oai-examples/api-with-examples.yaml",
        Expect::Generates { schemas: &[] },
    ),
    (
        "oai-examples/callback-example.yaml",
        Expect::Generates { schemas: &[] },
    ),
    (
        "oai-examples/link-example.yaml",
        Expect::Generates {
            schemas: &["Pullrequest", "Repository", "User"],
        },
    ),
    (
        "oai-examples/petstore-expanded.yaml",
        Expect::Generates {
            schemas: &["Error", "NewPet", "Pet"],
        },
    ),
    (
        "oai-examples/petstore.yaml",
        Expect::Generates {
            schemas: &["Error", "Pet", "Pets"],
        },
    ),
    (
        "oai-examples/uspto.yaml",
        Expect::Generates {
            schemas: &["DataSetList"],
        },
    ),
    (
        "real-world/aws-restaurants-api.yaml",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/oai31-non-oauth-scopes.yaml",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/oai31-webhook-example.yaml",
        Expect::Refused {
            pointer: "/paths",
            fragment: "no paths",
        },
    ),
    (
        "real-world/progenitor-buildomat.json",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/progenitor-cli-gen.json",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/progenitor-keeper.json",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/progenitor-nexus.json",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/progenitor-param-collision.json",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/progenitor-param-overrides.json",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/progenitor-propolis-server.json",
        Expect::Generates { schemas: &[] },
    ),
    (
        "real-world/swagger-petstore-3.0.yaml",
        Expect::Generates {
            schemas: &["Pet", "Order", "User"],
        },
    ),
];

fn corpus_dir() -> PathBuf {
    shared_dir().join("corpus")
}

/// `real-world/progenitor-nexus.json` → `real-world-progenitor-nexus`: the
/// service name (it names the crates) and the output directory.
fn service_of(doc: &str) -> String {
    let stem = doc
        .rsplit_once('.')
        .map_or(doc, |(stem, _)| stem)
        .replace('/', "-");
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Every OpenAPI document under `shared/corpus/`, as `dir/file`.
fn documents_on_disk() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["oai-examples", "real-world"] {
        let path = corpus_dir().join(dir);
        for entry in std::fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", path.display()))
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") {
                out.push(format!("{dir}/{name}"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_table_classifies_every_corpus_document() {
    let listed: Vec<String> = CORPUS.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(
        listed,
        documents_on_disk(),
        "CORPUS must classify every document in {}",
        corpus_dir().display()
    );
    // The README's table says the same of each.
    let readme = read(&crate_dir().join("README.md"));
    for (doc, expect) in CORPUS {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{doc}` |")))
            .unwrap_or_else(|| panic!("codegen/README.md has no row for `{doc}`"));
        let says_generates = row.contains("| generates |");
        let generates = matches!(expect, Expect::Generates { .. });
        assert_eq!(
            says_generates, generates,
            "codegen/README.md's row for `{doc}`: {row}"
        );
    }
}

/// Generates every corpus document (run in the corpus directory, so files are
/// named as given) and checks the classification; returns the generated ones as
/// `(service, output root)`.
fn generate_corpus(tmp: &Path) -> Vec<(String, PathBuf)> {
    let mut failures = Vec::new();
    let mut generated = Vec::new();
    for (doc, expect) in CORPUS {
        let service = service_of(doc);
        let out = tmp.join(&service);
        let run = codegen(
            &corpus_dir(),
            [
                Path::new("generate"),
                Path::new("--spec"),
                Path::new(doc),
                Path::new("--out"),
                &out,
                Path::new("--service"),
                Path::new(&service),
                Path::new("--no-lambdas"),
            ],
        );
        if run.panicked() {
            failures.push(format!("{doc}: panicked\n{}", run.output()));
            continue;
        }
        match expect {
            Expect::Generates { schemas } => {
                if run.code != Some(0) {
                    failures.push(format!("{doc}: expected to generate\n{}", run.output()));
                    continue;
                }
                let client = out.join(format!("clients/{service}-client/src/generated.rs"));
                // Every output of the layout, and nothing else.
                let files = files_under(&out);
                let expected_prefixes = [
                    format!("clients/{service}-client/"),
                    "generated/apigateway.json".to_owned(),
                    "generated/operations.json".to_owned(),
                    "generated/reference.html".to_owned(),
                    "generated/server/".to_owned(),
                    "generated/types/".to_owned(),
                ];
                let stray: Vec<_> = files
                    .iter()
                    .filter(|f| {
                        !expected_prefixes
                            .iter()
                            .any(|p| f.to_string_lossy().starts_with(p.as_str()))
                    })
                    .collect();
                let crate_roots = [
                    "generated/types/src/lib.rs",
                    "generated/types/Cargo.toml",
                    "generated/server/src/lib.rs",
                    "generated/server/Cargo.toml",
                ];
                if !stray.is_empty() || !crate_roots.iter().all(|r| out.join(r).is_file()) {
                    failures.push(format!("{doc}: generated {files:?}; unexpected {stray:?} (or a crate root is missing)"));
                    continue;
                }
                // The client reuses the shared types (progenitor's type
                // replacement) instead of defining a second copy of each schema.
                let client_text = read(&client);
                for schema in *schemas {
                    if client_text.contains(&format!("pub struct {schema} "))
                        || client_text.contains(&format!("pub struct {schema}("))
                    {
                        failures.push(format!("{doc}: the client defines its own `{schema}` instead of reusing the types crate's"));
                    }
                }
                generated.push((service, out));
            }
            Expect::Refused { pointer, fragment } => {
                if run.code != Some(2)
                    || find_diagnostic(&run.stderr, doc, pointer, fragment).is_none()
                {
                    failures.push(format!("{doc}: expected exit 2 and `{doc}: #{pointer}: ...` mentioning {fragment:?}\n{}", run.output()));
                }
                if out.exists() && !is_empty_dir(&out) {
                    failures.push(format!(
                        "{doc}: refused, yet files were written: {:?}",
                        files_under(&out)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    generated
}

/// The `[section]` of a TOML file as text, up to the next table header.
fn toml_section(text: &str, header: &str) -> String {
    let mut lines = text.lines().skip_while(|l| l.trim() != header);
    assert!(lines.next().is_some(), "no {header} in the TOML text");
    lines
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Makes `ws`, where each generated document's crates were written as they
/// are (their `Cargo.toml`s too, which refer to the runtime by a path from
/// there), one Cargo workspace pinned to the repository's versions.
fn write_workspace(ws: &Path, generated: &[(String, PathBuf)]) {
    let repo = repo_root();
    let root_manifest = read(&repo.join("Cargo.toml"));
    let mut members = Vec::new();
    for (service, dir) in generated {
        // The client crate's hand-written `lib.rs` (see `clients/accounts-client`).
        write(
            &dir.join(format!("clients/{service}-client/src/lib.rs")),
            "mod generated;\npub use generated::*;\n",
        );
        members.extend([
            format!("{service}/generated/types"),
            format!("{service}/generated/server"),
            format!("{service}/clients/{service}-client"),
        ]);
    }
    let members = members
        .iter()
        .map(|m| format!("  {m:?},\n"))
        .collect::<String>();
    let package = toml_section(&root_manifest, "[workspace.package]");
    let dependencies = toml_section(&root_manifest, "[workspace.dependencies]");
    write(
        &ws.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n\n[workspace.package]\n{package}\n[workspace.dependencies]\n{dependencies}\n[profile.dev.package.\"*\"]\ndebug = false\n"),
    );
    // The repository's exact versions: cargo keeps every locked package it still
    // needs and only adds the new path crates (which --offline allows).
    std::fs::copy(repo.join("Cargo.lock"), ws.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("cannot copy Cargo.lock: {e}"));
}

#[test]
fn corpus_documents_generate_code_that_compiles_or_are_refused_with_a_pointer() {
    let tmp = temp_dir();
    let ws = tmp.path().join("workspace");
    let generated = generate_corpus(&ws);
    write_workspace(&ws, &generated);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let started = std::time::Instant::now();
    let out = Command::new(&cargo)
        .args(["check", "--offline", "--workspace", "--quiet"])
        .current_dir(&ws)
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target").join("corpus-check"),
        )
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    eprintln!(
        "cargo check of the generated corpus crates: {:.1?}",
        started.elapsed()
    );
    if !out.status.success() {
        let _ = tmp.keep();
    }
    assert!(
        out.status.success(),
        "the generated code does not compile (workspace kept at {}):\n{}",
        ws.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---- determinism and `check` ---------------------------------------------------

/// Copies `spec/accounts.yaml` to `<dir>/spec/accounts.yaml`, so that generated
/// headers name the spec the same way in every run.
fn copy_accounts_spec(dir: &Path) -> PathBuf {
    let spec = dir.join("spec/accounts.yaml");
    write(&spec, &read(&repo_root().join("spec/accounts.yaml")));
    spec
}

#[test]
fn generate_is_deterministic() {
    let tmp = temp_dir();
    copy_accounts_spec(tmp.path());
    let mut trees = Vec::new();
    for out in ["first", "second"] {
        let run = codegen(
            tmp.path(),
            ["generate", "--spec", "spec/accounts.yaml", "--out", out],
        );
        assert_eq!(run.code, Some(0), "{}", run.output());
        let root = tmp.path().join(out);
        let files = files_under(&root);
        assert!(files.len() >= 5, "{files:?}");
        trees.push(
            files
                .into_iter()
                .map(|f| (read(&root.join(&f)), f))
                .collect::<Vec<_>>(),
        );
    }
    for ((a, path), (b, _)) in trees[0].iter().zip(&trees[1]) {
        assert!(
            a == b,
            "{} differs between two runs on the same spec",
            path.display()
        );
    }
    assert_eq!(
        trees[0].iter().map(|t| &t.1).collect::<Vec<_>>(),
        trees[1].iter().map(|t| &t.1).collect::<Vec<_>>()
    );
}

#[test]
fn check_passes_after_generate_and_names_hand_edited_and_stale_files() {
    let tmp = temp_dir();
    let spec = copy_accounts_spec(tmp.path());
    let dir = tmp.path();
    let args = |cmd: &'static str| [cmd, "--spec", "spec/accounts.yaml", "--out", "out"];

    let run = codegen(dir, args("generate"));
    assert_eq!(run.code, Some(0), "{}", run.output());
    let run = codegen(dir, args("check"));
    assert_eq!(
        run.code,
        Some(0),
        "check right after generate:\n{}",
        run.output()
    );

    // A hand edit of one generated file: named, and nothing else is.
    let edited = dir.join("out/generated/operations.json");
    let original = read(&edited);
    write(
        &edited,
        &original.replacen("\"getHealth\"", "\"getHealthz\"", 1),
    );
    let run = codegen(dir, args("check"));
    assert_eq!(run.code, Some(1), "{}", run.output());
    let named: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": missing") || l.contains(": stale"))
        .collect();
    assert_eq!(
        named.len(),
        1,
        "only the edited file is stale:\n{}",
        run.output()
    );
    assert!(
        named[0].starts_with("generated/operations.json: stale or edited by hand"),
        "{}",
        run.output()
    );
    write(&edited, &original);
    let run = codegen(dir, args("check"));
    assert_eq!(
        run.code,
        Some(0),
        "check after undoing the edit:\n{}",
        run.output()
    );

    // A new required field in a schema of the spec: every output that carries
    // the schema is stale (types, the server's body validation, the API Gateway
    // model); the operation manifest is not.
    let text = read(&spec);
    let needle = "      required: [displayName]\n      properties:\n";
    assert!(
        text.contains(needle),
        "NewAccount's `required` line moved; update this test"
    );
    let changed = text.replacen(
        needle,
        "      required: [displayName, nickname]\n      properties:\n        nickname:\n          type: string\n          maxLength: 40\n",
        1,
    );
    write(&spec, &changed);
    let run = codegen(dir, args("check"));
    assert_eq!(run.code, Some(1), "{}", run.output());
    for stale in [
        "generated/types/src/",
        "generated/server/src/",
        "generated/apigateway.json",
    ] {
        let named = run
            .stderr
            .lines()
            .any(|l| l.starts_with(stale) && l.contains(": stale or edited by hand"));
        assert!(named, "check must name {stale}...:\n{}", run.output());
    }
    assert!(
        !run.stderr.contains("generated/operations.json"),
        "the manifest does not depend on schemas:\n{}",
        run.output()
    );
    assert!(
        run.stderr
            .contains("run `cargo run -p codegen -- generate`"),
        "{}",
        run.output()
    );
}
