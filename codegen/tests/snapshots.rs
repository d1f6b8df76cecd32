//! Snapshot tests of generated output: the small `notes` fixture (every
//! construct codegen maps: path-level and array query parameters, defaults, a
//! handler-enforced header, a merge-patch body with a nullable enum, typed
//! response headers, a `5XX` range and a `default` response, template escaping)
//! is snapshotted file by file; the accounts spec must generate exactly what is
//! committed under `generated/` and `clients/`.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn notes_fixture_outputs_match_their_snapshots() {
    let spec = repo().join("codegen/tests/fixtures/valid/notes.yaml");
    let generated = codegen::generate(&spec, "codegen/tests/fixtures/valid/notes.yaml", None)
        .expect("the fixture generates");
    let names: Vec<String> = generated
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    insta::assert_debug_snapshot!("notes_files", names);
    for file in &generated.files {
        let name = format!(
            "notes__{}",
            file.path.display().to_string().replace(['/', '.'], "_")
        );
        insta::assert_snapshot!(name, &file.contents);
    }
}

#[test]
fn accounts_outputs_are_the_committed_files() {
    let root = repo();
    let options = codegen::Options {
        out: root.clone(),
        ..codegen::Options::default()
    };
    let generated = codegen::generate_with(
        &root.join("spec/accounts.yaml"),
        "spec/accounts.yaml",
        &options,
    )
    .expect("the accounts spec generates");
    let stale = codegen::output::check(&root, &generated.files, &generated.owned_dirs);
    assert!(
        stale.is_empty(),
        "run `cargo run -p codegen -- generate`: stale {stale:?}"
    );
}

#[test]
fn notes_fixture_maps_constructs_as_documented() {
    let spec = repo().join("codegen/tests/fixtures/valid/notes.yaml");
    let generated = codegen::generate(&spec, "notes.yaml", None).expect("the fixture generates");
    let file = |suffix: &str| {
        &generated
            .files
            .iter()
            .find(|f| f.path.ends_with(suffix))
            .expect(suffix)
            .contents
    };
    let document: serde_json::Value = serde_json::from_str(file("apigateway.json")).expect("json");
    let patch = &document["paths"]["/notes/{noteId}"]["patch"];
    assert_eq!(
        patch["x-amazon-apigateway-integration"]["uri"],
        "${lambda_invoke_arns.patchNote}"
    );
    assert_eq!(patch["x-amazon-apigateway-request-validator"], "all");
    let if_match = patch["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "If-Match")
        .unwrap();
    assert_eq!(
        if_match["required"], false,
        "a header enforced by the handler (428) is optional at the gateway"
    );
    assert!(
        patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "noteId"),
        "path-level parameters are copied in"
    );
    let note = &document["components"]["schemas"]["Note"]["properties"];
    assert_eq!(note["text"].get("example"), None);
    assert_eq!(
        note["score"],
        serde_json::json!({"type": "integer", "minimum": 0})
    );
    assert_eq!(
        document["paths"]["/notes/{noteId}"]["delete"]["security"],
        serde_json::json!([])
    );
    assert!(document
        .get("x-amazon-apigateway-gateway-responses")
        .is_some());
    assert!(
        !file("apigateway.json").contains("hello ${name}"),
        "a user's template syntax is escaped for templatefile"
    );
    let types = file("types/src/generated.rs");
    assert!(
        types.contains("::std::option::Option<::std::option::Option<NotePatchColor>>"),
        "nullable + optional → double option"
    );
    let server = file("server/src/generated.rs");
    assert!(server.contains("Default { status: u16, problem: Problem }"));
    assert!(server.contains("Status5xx { status: u16, problem: Problem }"));
    assert!(server.contains("etag: String, x_note_warning: Option<String>"));
    assert!(
        server.contains("pub limit: i64") || server.contains("pub limit: ::std::num::NonZero"),
        "a defaulted parameter is not optional"
    );
}
