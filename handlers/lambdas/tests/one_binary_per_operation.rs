//! The manifest Terraform deploys and the executables built here agree, checked
//! on the built artifacts (not on source text): one executable per manifest
//! function, only the functions the manifest lets read the secret link the
//! Secrets Manager client, and every variable a function's set-up reads is one
//! the manifest tells Terraform to set.

use object::{Object, ObjectSymbol};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `generated/operations.json`, the manifest Terraform deploys.
fn manifest() -> Vec<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../generated/operations.json");
    let text = std::fs::read_to_string(&path).expect("generated/operations.json");
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("the manifest is JSON");
    manifest["operations"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Where cargo put this package's executables: the test runs from
/// `target/<profile>/deps/`, and cargo builds every binary target of the
/// package before its integration tests.
fn executables_dir() -> PathBuf {
    let test = std::env::current_exe().expect("the test's own path");
    test.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>")
        .to_path_buf()
}

fn function(op: &serde_json::Value) -> String {
    op["function"].as_str().expect("function").to_owned()
}

#[test]
fn every_manifest_function_has_an_executable() {
    let dir = executables_dir();
    let functions: BTreeSet<String> = manifest().iter().map(function).collect();
    assert!(!functions.is_empty());
    for f in &functions {
        let exe = dir.join(f);
        assert!(exe.is_file(), "{} was not built", exe.display());
    }
}

/// The symbols of `exe` that belong to the Secrets Manager SDK crate.
fn secrets_manager_symbols(exe: &Path) -> usize {
    let bytes = std::fs::read(exe).unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
    let file = object::File::parse(&*bytes).expect("an executable the object crate reads");
    file.symbols()
        .filter(|s| s.is_definition())
        .filter_map(|s| s.name().ok())
        .filter(|name| name.contains("aws_sdk_secretsmanager"))
        .count()
}

#[test]
fn only_the_secret_readers_link_the_secrets_manager_client() {
    let dir = executables_dir();
    for op in manifest() {
        let f = function(&op);
        let reads_secret = op["readsSecret"].as_bool().expect("readsSecret");
        let linked = secrets_manager_symbols(&dir.join(&f)) > 0;
        assert_eq!(
            linked, reads_secret,
            "{f}: links the Secrets Manager client = {linked}, readsSecret = {reads_secret}"
        );
    }
}

#[test]
fn the_manifest_sets_every_variable_a_function_reads() {
    for op in manifest() {
        let set: BTreeSet<&str> = op["environment"]
            .as_array()
            .expect("environment")
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect();
        let mut read = accounts_lambdas::SERVICE_ENVIRONMENT.to_vec();
        if op["readsSecret"].as_bool() == Some(true) {
            read.extend(accounts_lambdas::SECRET_ENVIRONMENT);
        }
        for name in read {
            assert!(
                set.contains(name),
                "{}: {name} is not in the manifest's environment",
                function(&op)
            );
        }
    }
}
