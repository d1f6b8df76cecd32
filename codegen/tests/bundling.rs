//! Multi-file documents: relative `$ref`s to other files are bundled into one
//! document (as `redocly bundle` does), and a problem in another file is
//! reported in that file, at its pointer there.

mod support;

use std::path::Path;
use support::*;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/multifile/{name}")
}

#[test]
fn a_problem_in_a_referenced_file_is_reported_in_that_file() {
    let out = temp_dir();
    let spec = fixture("main.yaml");
    let run = codegen(
        &crate_dir(),
        [
            Path::new("generate"),
            Path::new("--spec"),
            Path::new(&spec),
            Path::new("--out"),
            out.path(),
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.output());
    let diagnostic = find_diagnostic(
        &run.stderr,
        "tests/fixtures/multifile/common.yaml",
        "/components/schemas/Problem/properties/message/type",
        "strnig",
    );
    assert!(diagnostic.is_some(), "{}", run.output());
}

#[test]
fn every_referenced_file_is_bundled_and_generates() {
    let dir = temp_dir();
    // The same files with the mistake corrected.
    for file in [
        "main.yaml",
        "paths/pets.yaml",
        "schemas/pet.yaml",
        "schemas/owner.yaml",
        "common.yaml",
    ] {
        let text = std::fs::read_to_string(crate_dir().join(fixture(file))).unwrap();
        let target = dir.path().join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text.replace("strnig", "string")).unwrap();
    }
    let out = dir.path().join("out");
    let run = codegen(
        dir.path(),
        [
            Path::new("generate"),
            Path::new("--spec"),
            Path::new("main.yaml"),
            Path::new("--out"),
            &out,
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.output());
    let document: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("generated/apigateway.json")).unwrap(),
    )
    .unwrap();
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for name in ["pet", "Owner", "Problem"] {
        assert!(
            schemas.contains_key(name),
            "{name} not bundled: {:?}",
            schemas.keys()
        );
    }
    assert!(
        document["paths"]["/pets"]["get"].is_object(),
        "the path item file is inlined"
    );
    let types = std::fs::read_to_string(out.join("generated/types/src/generated.rs")).unwrap();
    assert!(
        types.contains("pub struct Pet"),
        "a type for schemas/pet.yaml"
    );
}
