//! `codegen` on documents nobody here tuned (the OpenAPI Initiative's own 3.0
//! examples, `shared/corpus/oai-examples/`): each one either generates code that
//! compiles, or is refused naming file and JSON pointer. Never a panic.
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
    /// Generates; the service name given with `--service` names its crates.
    Generates {
        service: &'static str,
        schemas: &'static [&'static str],
    },
    /// Refused with exit 2 and this pointer (and a fragment of the message).
    Refused {
        pointer: &'static str,
        fragment: &'static str,
    },
}

/// Every document in `oai-examples/`, classified.
const CORPUS: &[(&str, Expect)] = &[
    (
        "api-with-examples.yaml",
        Expect::Refused { pointer: "/paths/~1/get/responses/200/content/application~1json", fragment: "no `schema`" },
    ),
    ("callback-example.yaml", Expect::Refused { pointer: "/paths/~1streams/post", fragment: "no operationId" }),
    ("link-example.yaml", Expect::Generates { service: "oai-link-example", schemas: &["Pullrequest", "Repository", "User"] }),
    ("petstore-expanded.yaml", Expect::Generates { service: "oai-petstore-expanded", schemas: &["Error", "NewPet", "Pet"] }),
    ("petstore.yaml", Expect::Generates { service: "oai-petstore", schemas: &["Error", "Pet", "Pets"] }),
    (
        "uspto.yaml",
        Expect::Refused {
            pointer: "/paths/~1{dataset}~1{version}~1records/post/requestBody/content/application~1x-www-form-urlencoded",
            fragment: "not JSON",
        },
    ),
];

fn corpus_dir() -> PathBuf {
    shared_dir().join("corpus").join("oai-examples")
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

#[test]
fn the_table_classifies_every_corpus_document() {
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", corpus_dir().display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = CORPUS.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(
        listed,
        on_disk,
        "CORPUS must classify every document in {}",
        corpus_dir().display()
    );
}

/// Generates every corpus document (run in the corpus directory, so files are
/// named as given) and checks the classification; returns the generated ones as
/// `(service, output root)`.
fn generate_corpus(tmp: &Path) -> Vec<(&'static str, PathBuf)> {
    let mut failures = Vec::new();
    let mut generated = Vec::new();
    for (doc, expect) in CORPUS {
        let name = doc.trim_end_matches(".yaml");
        let out = tmp.join(name);
        let service = match expect {
            Expect::Generates { service, .. } => service,
            Expect::Refused { .. } => name,
        };
        let run = codegen(
            &corpus_dir(),
            [
                Path::new("generate"),
                Path::new("--spec"),
                Path::new(doc),
                Path::new("--out"),
                &out,
                Path::new("--service"),
                Path::new(service),
            ],
        );
        if run.panicked() {
            failures.push(format!("{doc}: panicked\n{}", run.output()));
            continue;
        }
        match expect {
            Expect::Generates { service, schemas } => {
                if run.code != Some(0) {
                    failures.push(format!("{doc}: expected to generate\n{}", run.output()));
                    continue;
                }
                let client = out.join(format!("clients/{service}-client/src/generated.rs"));
                // Every output of the layout, and nothing else.
                let files = files_under(&out);
                let expected_prefixes = [
                    format!("clients/{service}-client/src/generated.rs"),
                    format!("clients/{service}-client/Cargo.toml"),
                    format!("clients/{service}-client/CHANGELOG.md"),
                    "handlers/lambdas/src/bin/".to_owned(),
                    "generated/apigateway.json".to_owned(),
                    "generated/operations.json".to_owned(),
                    "generated/server/src/".to_owned(),
                    "generated/types/src/".to_owned(),
                ];
                let stray: Vec<_> = files
                    .iter()
                    .filter(|f| {
                        !expected_prefixes
                            .iter()
                            .any(|p| f.to_string_lossy().starts_with(p.as_str()))
                    })
                    .collect();
                let absent: Vec<_> = expected_prefixes
                    .iter()
                    .filter(|p| {
                        !files
                            .iter()
                            .any(|f| f.to_string_lossy().starts_with(p.as_str()))
                    })
                    .collect();
                let crate_roots = ["generated/types/src/lib.rs", "generated/server/src/lib.rs"];
                if !stray.is_empty()
                    || !absent.is_empty()
                    || !crate_roots.iter().all(|r| out.join(r).is_file())
                {
                    failures.push(format!("{doc}: generated {files:?}; unexpected {stray:?}, missing {absent:?} (and both crate roots)"));
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
                generated.push((*service, out));
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

/// A repository crate's `[dependencies]`, with its path dependencies rewritten by
/// `rewrite(name) -> replacement line`; every path dependency must be rewritten.
fn dependencies_like(manifest: &Path, rewrite: &dyn Fn(&str) -> Option<String>) -> String {
    toml_section(&read(manifest), "[dependencies]")
        .lines()
        .map(|line| {
            let name = line.split(['=', '.']).next().unwrap_or_default().trim();
            match rewrite(name) {
                Some(replacement) => format!("{replacement}\n"),
                None => {
                    assert!(
                        !line.contains("path ="),
                        "{}: no rewrite for path dependency `{line}`",
                        manifest.display()
                    );
                    format!("{line}\n")
                }
            }
        })
        .collect()
}

fn package(name: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n")
}

/// Copies every generated file of a crate's `src/` (its `lib.rs` and modules).
fn copy_dir(from: &Path, to: &Path) {
    for file in files_under(from) {
        write(&to.join(&file), &read(&from.join(&file)));
    }
}

/// The client crate's hand-written part, as every client crate needs it
/// (compare `clients/accounts-client/src/lib.rs`): the inner state type at
/// `crate::Auth` and the hooks progenitor's `HooksMode::Expected` calls.
const CLIENT_LIB: &str = r#"//! Hand-written part of a generated client crate.
mod generated;

pub use generated::*;

/// Per-client state the hooks read.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    pub token: Option<String>,
}

impl progenitor_client::ClientHooks<Auth> for Client {
    async fn pre<E>(&self, request: &mut reqwest::Request, info: &progenitor_client::OperationInfo) -> Result<(), progenitor_client::Error<E>> {
        if let Some(token) = &self.inner.token {
            if let Ok(value) = reqwest::header::HeaderValue::from_str(token) {
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, value);
            }
        }
        if let Some((_, media)) = REQUEST_MEDIA_TYPES.iter().find(|(op, _)| *op == info.operation_id) {
            request.headers_mut().insert(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static(media));
        }
        Ok(())
    }
}
"#;

/// Writes one Cargo workspace with a types, server and client crate per
/// generated document, pinned to the repository's dependency versions.
fn write_workspace(ws: &Path, generated: &[(&str, PathBuf)]) {
    let repo = repo_root();
    let root_manifest = read(&repo.join("Cargo.toml"));
    let runtime = crate_dir().join("runtime");
    let mut members = Vec::new();
    for (service, out) in generated {
        let types = format!("{service}-types");
        let server = format!("{service}-server");
        let client = format!("{service}-client");

        let types_deps = dependencies_like(&repo.join("generated/types/Cargo.toml"), &|_| None);
        write(
            &ws.join(&types).join("Cargo.toml"),
            &format!("{}[dependencies]\n{types_deps}", package(&types)),
        );
        copy_dir(
            &out.join("generated/types/src"),
            &ws.join(&types).join("src"),
        );

        let server_deps =
            dependencies_like(
                &repo.join("generated/server/Cargo.toml"),
                &|name| match name {
                    "accounts-types" => Some(format!("{types} = {{ path = \"../{types}\" }}")),
                    "codegen-runtime" => Some(format!(
                        "codegen-runtime = {{ path = {:?} }}",
                        runtime.display().to_string()
                    )),
                    _ => None,
                },
            );
        write(
            &ws.join(&server).join("Cargo.toml"),
            &format!("{}[dependencies]\n{server_deps}", package(&server)),
        );
        copy_dir(
            &out.join("generated/server/src"),
            &ws.join(&server).join("src"),
        );

        let client_deps =
            dependencies_like(&repo.join("clients/accounts-client/Cargo.toml"), &|name| {
                (name == "accounts-types").then(|| format!("{types} = {{ path = \"../{types}\" }}"))
            });
        write(
            &ws.join(&client).join("Cargo.toml"),
            &format!("{}[dependencies]\n{client_deps}", package(&client)),
        );
        write(
            &ws.join(&client).join("src/generated.rs"),
            &read(&out.join(format!("clients/{client}/src/generated.rs"))),
        );
        write(&ws.join(&client).join("src/lib.rs"), CLIENT_LIB);

        members.extend([types, server, client]);
    }
    let members = members
        .iter()
        .map(|m| format!("  {m:?},\n"))
        .collect::<String>();
    let workspace_dependencies = toml_section(&root_manifest, "[workspace.dependencies]");
    write(
        &ws.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"2\"\nmembers = [\n{members}]\n\n[workspace.dependencies]\n{workspace_dependencies}\n[profile.dev.package.\"*\"]\ndebug = false\n"),
    );
    // The repository's exact versions: cargo keeps every locked package it still
    // needs and only adds the new path crates (which --offline allows).
    std::fs::copy(repo.join("Cargo.lock"), ws.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("cannot copy Cargo.lock: {e}"));
}

#[test]
fn corpus_documents_generate_code_that_compiles_or_are_refused_with_a_pointer() {
    let tmp = temp_dir();
    let generated = generate_corpus(tmp.path());
    assert_eq!(
        generated.len(),
        3,
        "petstore, petstore-expanded and link-example generate"
    );

    let ws = tmp.path().join("workspace");
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
    assert!(
        out.status.success(),
        "the generated code does not compile (workspace kept at {}):\n{}",
        tmp.keep().join("workspace").display(),
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
    let needle = "      required: [email, displayName]\n      properties:\n";
    assert!(
        text.contains(needle),
        "NewAccount's `required` line moved; update this test"
    );
    let changed = text.replacen(
        needle,
        "      required: [email, displayName, nickname]\n      properties:\n        nickname:\n          type: string\n          maxLength: 40\n",
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
