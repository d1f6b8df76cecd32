//! The manifest Terraform deploys and the binaries built here must agree: one
//! binary per operation, named by the manifest's `function`, and no other.

use std::collections::BTreeSet;
use std::path::Path;

/// `generated/operations.json`, the manifest Terraform deploys.
fn manifest(root: &Path) -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(root.join("../../generated/operations.json")).unwrap(),
    )
    .unwrap()
}

#[test]
fn every_manifest_operation_has_exactly_one_binary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = manifest(root);
    let functions: BTreeSet<String> = manifest["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["function"].as_str().unwrap().to_owned())
        .collect();
    let binaries: BTreeSet<String> = std::fs::read_dir(root.join("src/bin"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        functions, binaries,
        "src/bin must hold one <function>.rs per manifest operation"
    );
    for f in &functions {
        let source = std::fs::read_to_string(root.join("src/bin").join(format!("{f}.rs"))).unwrap();
        let run = format!("run_{}", f.replace('-', "_"));
        assert!(
            source.contains(&run),
            "{f}.rs must call accounts_server::{run}"
        );
    }
}

/// Only the functions Terraform lets read the cursor secret (`readsSecret`) build the
/// Secrets Manager client; the others use `service()` and do not link it.
#[test]
fn only_the_secret_readers_build_the_listing_service() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = manifest(root);
    for op in manifest["operations"].as_array().unwrap() {
        let f = op["function"].as_str().unwrap();
        let reads_secret = op["readsSecret"].as_bool().unwrap();
        let source = std::fs::read_to_string(root.join("src/bin").join(format!("{f}.rs"))).unwrap();
        let expected = if reads_secret {
            "accounts_lambdas::listing_service()"
        } else {
            "accounts_lambdas::service()"
        };
        assert!(source.contains(expected), "{f}.rs must call {expected}");
    }
}
