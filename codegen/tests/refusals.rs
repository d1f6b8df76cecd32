//! What `codegen` refuses and what it only lints, seen through the built binary
//! the way an API designer sees it.
//!
//! Every refused spec must end with exit code 2, nothing written, and a line
//! `<file as given>: #<JSON pointer>: <problem>: <fix>` that leads the designer to
//! the construct (RFC 6901 pointers; rules from the OpenAPI 3.0.3 specification,
//! <https://spec.openapis.org/oas/v3.0.3>, and API Gateway's REST import notes,
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html>).
//! A panic is never an acceptable answer, whatever the input.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::{codegen, crate_dir, find_diagnostic, is_empty_dir, repo_root, temp_dir, Run};

/// Fixture directory, relative to the crate directory (the binary runs there, so
/// diagnostics must name the spec exactly as this relative path).
const INVALID: &str = "tests/fixtures/invalid";
/// Constructs once refused that codegen now generates (each a fixture of its own).
const SUPPORTED: &str = "tests/fixtures/supported";
const LINT: &str = "tests/fixtures/invalid/lint";

/// One refused fixture: the pointer the diagnostic must carry and a fragment of
/// its problem or fix.
struct Refused {
    file: &'static str,
    pointer: &'static str,
    fragment: &'static str,
}

const fn refused(file: &'static str, pointer: &'static str, fragment: &'static str) -> Refused {
    Refused {
        file,
        pointer,
        fragment,
    }
}

/// Every file in `tests/fixtures/invalid/` (the lint directory aside), one problem each.
const REFUSED: &[Refused] = &[
    // Not a document at all.
    refused("bad-yaml-syntax.yaml", "", "not valid YAML"),
    refused("duplicate-keys.yaml", "", "duplicate"),
    refused("tab-indented.yaml", "", "not valid YAML"),
    refused("empty.yaml", "", "not an object"),
    refused("json-array-root.json", "", "not an object"),
    refused(
        "non-string-mapping-key.yaml",
        "/paths/~1pets/get/responses",
        "not a string",
    ),
    // Not OpenAPI 3.0.
    refused("missing-openapi.yaml", "/openapi", "missing"),
    refused("openapi-version-not-a-string.yaml", "/openapi", "3.0.3"),
    refused("swagger-2-0.yaml", "/swagger", "2.0 is not supported"),
    refused("missing-info.yaml", "/info", "add the required `info`"),
    refused(
        "server-url-not-a-string.yaml",
        "/servers/1/url",
        "expected a string",
    ),
    refused(
        "info-without-version.yaml",
        "/info/version",
        "add the required `version`",
    ),
    refused("no-paths.yaml", "/paths", "no paths"),
    refused(
        "path-without-slash.yaml",
        "/paths/pets",
        "does not start with `/`",
    ),
    // Schemas.
    refused(
        "unknown-schema-type.yaml",
        "/components/schemas/Pet/properties/name/type",
        "`type: strnig` is not an OpenAPI 3.0 type",
    ),
    refused(
        "inline-schema-type-null.yaml",
        "/paths/~1pets/get/responses/200/content/application~1json/schema/items/type",
        "`nullable: true`",
    ),
    // References.
    refused(
        "missing-ref-target.yaml",
        "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
        "points at nothing",
    ),
    refused(
        "external-ref.yaml",
        "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
        "cannot be read",
    ),
    // Operation ids name traits, Lambdas and client methods.
    // Parameters.
    refused(
        "path-param-not-in-path.yaml",
        "/paths/~1pets/get/parameters/0",
        "does not appear in the path",
    ),
    refused(
        "path-template-param-undeclared.yaml",
        "/paths/~1pets~1{petId}/get",
        "`{petId}`",
    ),
    refused(
        "invalid-parameter-style-under-dotted-path.yaml",
        "/paths/~1v1.0~1pets/get/parameters/0",
        "commaSeparated",
    ),
    // Request bodies.
    // Responses.
    refused(
        "invalid-status-code.yaml",
        "/paths/~1pets/get/responses/2000",
        "2000",
    ),
    refused(
        "response-description-not-a-string.yaml",
        "/paths/~1pets/get/responses/200/description",
        "expected a string",
    ),
];

/// A construct codegen once refused and now generates, with the lint that
/// says what it did with it (`None`: generated as written).
struct Supported {
    file: &'static str,
    lint: Option<(&'static str, &'static str)>,
}

const fn supported(file: &'static str, lint: Option<(&'static str, &'static str)>) -> Supported {
    Supported { file, lint }
}

/// Every file in `tests/fixtures/supported/`.
const SUPPORTED_FIXTURES: &[Supported] = &[
    supported(
        "cookie-parameter.yaml",
        Some(("/paths/~1pets/get/parameters/0", "cookie")),
    ),
    supported(
        "duplicate-operation-ids.yaml",
        Some(("/paths/~1animals/get/operationId", "repeats another's")),
    ),
    supported("error-responses-differ.yaml", None),
    supported("form-request-body.yaml", None),
    supported(
        "missing-operation-id.yaml",
        Some(("/paths/~1pets/get", "no operationId")),
    ),
    supported("object-query-parameter.yaml", None),
    supported("openapi-3-1.yaml", Some(("/openapi", "converted to 3.0.3"))),
    supported(
        "operation-id-not-an-identifier.yaml",
        Some((
            "/paths/~1pets/get/operationId",
            "cannot start a Rust identifier",
        )),
    ),
    supported(
        "operation-ids-equal-in-snake-case.yaml",
        Some((
            "/paths/~1pets~1{petId}/put/operationId",
            "names the same Rust items",
        )),
    ),
    supported(
        "operation-without-responses.yaml",
        Some(("/paths/~1pets/get/responses", "declares no responses")),
    ),
    supported("parameter-names-collide.yaml", None),
    supported("parameter-with-content.yaml", None),
    supported(
        "partial-segment-path-param.yaml",
        Some(("/paths/~1files~1{name}.json", "whole segment")),
    ),
    supported("path-item-ref.yaml", None),
    supported(
        "path-param-not-required.yaml",
        Some(("/paths/~1pets~1{petId}/get/parameters/0", "required")),
    ),
    supported("request-body-without-content.yaml", None),
    supported("response-without-schema.yaml", None),
    supported(
        "schema-names-collide.yaml",
        Some(("/components/schemas/PetRecord", "renamed")),
    ),
    supported("two-request-media-types.yaml", None),
    supported("two-success-schemas.yaml", None),
    supported("xml-request-body.yaml", None),
];

#[test]
fn once_refused_constructs_generate_and_say_what_was_done() {
    assert_eq!(
        SUPPORTED_FIXTURES
            .iter()
            .map(|s| s.file.to_owned())
            .collect::<Vec<_>>(),
        fixture_names(SUPPORTED),
        "SUPPORTED_FIXTURES must list every file in {SUPPORTED}, sorted"
    );
    let mut failures = Vec::new();
    for case in SUPPORTED_FIXTURES {
        let spec = format!("{SUPPORTED}/{}", case.file);
        let out = temp_dir();
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
        if run.code != Some(0) || run.panicked() {
            failures.push(format!(
                "{spec}: expected to generate\n{}",
                indent(&run.output())
            ));
            continue;
        }
        if let Some((pointer, fragment)) = case.lint {
            let lint = codegen(&crate_dir(), [Path::new("lint"), Path::new(&spec)]);
            if find_diagnostic(&lint.stdout, &spec, pointer, fragment).is_none() {
                failures.push(format!(
                    "{spec}: no lint `{spec}: #{pointer}: ...` mentioning {fragment:?}\n{}",
                    indent(&lint.output())
                ));
            }
        }
    }
    fail_if_any(failures);
}

/// A spec that generates but that `lint` must flag: pointer and message fragment.
struct Linted {
    file: &'static str,
    pointer: &'static str,
    fragment: &'static str,
}

const fn linted(file: &'static str, pointer: &'static str, fragment: &'static str) -> Linted {
    Linted {
        file,
        pointer,
        fragment,
    }
}

/// Every file in `tests/fixtures/invalid/lint/` but `base-clean.yaml`, which each
/// of them changes in one place.
const LINTED: &[Linted] = &[
    linted("root-security.yaml", "/security", "root-level `security`"),
    linted(
        "operation-without-security.yaml",
        "/paths/~1pets~1{petId}/get",
        "no `security`",
    ),
    linted(
        "schema-name-not-alphanumeric.yaml",
        "/components/schemas/Pet_Record",
        "not alphanumeric",
    ),
    linted(
        "one-of.yaml",
        "/components/schemas/Pet/properties/tag/oneOf",
        "oneOf",
    ),
    linted(
        "hand-written-integration.yaml",
        "/paths/~1pets~1{petId}/get/x-amazon-apigateway-integration",
        "written by hand",
    ),
    linted(
        "operation-id-not-lower-camel.yaml",
        "/paths/~1pets~1{petId}/get/operationId",
        "lowerCamelCase",
    ),
    linted(
        "missing-401.yaml",
        "/paths/~1pets~1{petId}/get/responses",
        "no 401",
    ),
    linted(
        "missing-400.yaml",
        "/paths/~1pets~1{petId}/get/responses",
        "no 400",
    ),
    linted(
        "error-response-not-error-schema.yaml",
        "/paths/~1pets~1{petId}/get/responses/400",
        "`Error` schema",
    ),
    linted(
        "missing-x-aws-access.yaml",
        "/paths/~1pets~1{petId}/get",
        "x-aws-access",
    ),
];

/// Fixture files (not directories) directly in `dir`, sorted.
fn fixture_names(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(crate_dir().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs `generate` on a spec into a fresh temp dir and checks everything a
/// refusal promises; returns the problems found (empty when it behaved).
fn expect_refused(spec: &str, pointer: &str, fragment: &str) -> Vec<String> {
    let out = temp_dir();
    let run = codegen(
        &crate_dir(),
        [
            Path::new("generate"),
            Path::new("--spec"),
            Path::new(spec),
            Path::new("--out"),
            out.path(),
        ],
    );
    let mut problems = Vec::new();
    if run.panicked() {
        problems.push("a panic reached the user".to_owned());
    }
    if run.code != Some(2) {
        problems.push(format!("exit code {:?}, expected 2", run.code));
    }
    if !is_empty_dir(out.path()) {
        problems.push(format!(
            "files were written: {:?}",
            support::files_under(out.path())
        ));
    }
    if find_diagnostic(&run.stderr, spec, pointer, fragment).is_none() {
        problems.push(format!(
            "no stderr line `{spec}: #{pointer}: <problem>: <fix>` mentioning {fragment:?}"
        ));
    }
    if problems.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "{spec}:\n  - {}\n{}",
            problems.join("\n  - "),
            indent(&run.output())
        )]
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn fail_if_any(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_tables_cover_every_fixture_exactly_once() {
    let mut listed: Vec<String> = REFUSED.iter().map(|r| r.file.to_owned()).collect();
    listed.sort();
    assert_eq!(
        listed,
        fixture_names(INVALID),
        "REFUSED must list every file in {INVALID} once"
    );
    let mut linted: Vec<String> = LINTED
        .iter()
        .map(|l| l.file.to_owned())
        .chain(["base-clean.yaml".to_owned()])
        .collect();
    linted.sort();
    assert_eq!(
        linted,
        fixture_names(LINT),
        "LINTED must list every file in {LINT} once (plus base-clean.yaml)"
    );
    assert!(REFUSED.len() >= 20, "at least 20 refused fixtures");
}

#[test]
fn every_malformed_spec_is_refused_with_file_pointer_and_fix() {
    let failures = REFUSED
        .iter()
        .flat_map(|r| expect_refused(&format!("{INVALID}/{}", r.file), r.pointer, r.fragment))
        .collect();
    fail_if_any(failures);
}

#[test]
fn lint_refuses_what_generate_refuses() {
    let mut failures = Vec::new();
    for r in REFUSED {
        let spec = format!("{INVALID}/{}", r.file);
        let run = codegen(&crate_dir(), ["lint", spec.as_str()]);
        let text = format!("{}{}", run.stdout, run.stderr);
        if run.panicked()
            || run.code != Some(2)
            || find_diagnostic(&text, &spec, r.pointer, r.fragment).is_none()
        {
            failures.push(format!(
                "{spec}: expected exit 2 and `#{}` mentioning {:?}\n{}",
                r.pointer,
                r.fragment,
                indent(&run.output())
            ));
        }
    }
    fail_if_any(failures);
}

#[test]
fn a_document_over_api_gateways_6_mb_limit_is_read_and_its_import_document_fits() {
    let dir = temp_dir();
    // A valid spec padded with a 7 MB description: the import document drops
    // descriptions to fit API Gateway's 6 MB limit.
    let padding = "x".repeat(7 * 1024 * 1024);
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: Big, version: 1.0.0, description: {padding}}}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200': {{description: ok}}\n"
    );
    let spec = dir.path().join("big.yaml");
    std::fs::write(&spec, &text).unwrap_or_else(|e| panic!("cannot write {}: {e}", spec.display()));
    let out = dir.path().join("out");
    let run = codegen(
        dir.path(),
        [
            Path::new("generate"),
            Path::new("--spec"),
            &spec,
            Path::new("--out"),
            &out,
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.output());
    let document = std::fs::metadata(out.join("generated/apigateway.json"))
        .map(|m| m.len())
        .unwrap_or(u64::MAX);
    assert!(
        document < 6 * 1024 * 1024,
        "the import document is {document} bytes"
    );
    let lint = codegen(dir.path(), [Path::new("lint"), &spec]);
    assert!(
        lint.stdout.contains("descriptions were left out"),
        "{}",
        lint.output()
    );
    // Too large even without descriptions: a lint says the import will fail.
    let examples: String = (0..700_000)
        .map(|i| format!("        - v{i:07}\n"))
        .collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: Big, version: 1.0.0}}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200': {{description: ok}}\ncomponents:\n  schemas:\n    Huge:\n      type: string\n      enum:\n{examples}"
    );
    std::fs::write(&spec, &text).unwrap_or_else(|e| panic!("cannot write {}: {e}", spec.display()));
    let lint = codegen(dir.path(), [Path::new("lint"), &spec]);
    assert!(
        find_diagnostic(&lint.stdout, &spec.to_string_lossy(), "", "6 MB").is_some(),
        "{}",
        lint.output()
    );
}

#[test]
fn the_lint_fixtures_generate_and_their_base_lints_clean() {
    // Control: each lint fixture differs from this base in one place, so a lint
    // found in a fixture is caused by that change.
    let base = format!("{LINT}/base-clean.yaml");
    let run = codegen(&crate_dir(), ["lint", base.as_str()]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert_eq!(
        run.stdout.trim(),
        format!("codegen lint: {base}: no problems"),
        "{}",
        run.output()
    );

    let mut failures = Vec::new();
    for l in LINTED.iter().map(|l| l.file).chain(["base-clean.yaml"]) {
        let spec = format!("{LINT}/{l}");
        let out = temp_dir();
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
        if run.code != Some(0) || run.panicked() {
            failures.push(format!(
                "{spec}: lints only, so generate must succeed\n{}",
                indent(&run.output())
            ));
        }
    }
    fail_if_any(failures);
}

#[test]
fn lint_flags_api_gateway_and_convention_breaks_with_their_pointer() {
    let mut failures = Vec::new();
    for l in LINTED {
        let spec = format!("{LINT}/{}", l.file);
        let run = codegen(&crate_dir(), ["lint", spec.as_str()]);
        if run.panicked()
            || run.code != Some(1)
            || find_diagnostic(&run.stdout, &spec, l.pointer, l.fragment).is_none()
        {
            failures.push(format!(
                "{spec}: expected exit 1 and `#{}` mentioning {:?}\n{}",
                l.pointer,
                l.fragment,
                indent(&run.output())
            ));
        }
    }
    fail_if_any(failures);
}

#[test]
fn the_accounts_spec_lints_clean() {
    let run = codegen(&repo_root(), ["lint", "spec/accounts.yaml"]);
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert_eq!(
        run.stdout.trim(),
        "codegen lint: spec/accounts.yaml: no problems",
        "{}",
        run.output()
    );
    assert_eq!(run.stderr.trim(), "", "{}", run.output());
}

// ---- no-panic sweep ------------------------------------------------------------

/// A small deterministic generator (64-bit LCG, Knuth's constants): "random" but
/// the same variants on every run and machine, so a failure reproduces.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// JSON pointers of every object member in the document, in document order.
fn member_pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                member_pointers(v, &child, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                member_pointers(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn parent_and_key(pointer: &str) -> (&str, String) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, key.replace("~1", "/").replace("~0", "~"))
}

fn remove_member(doc: &mut Value, pointer: &str) {
    let (parent, key) = parent_and_key(pointer);
    if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
        map.shift_remove(&key);
    }
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = value;
    }
}

/// A dozen-plus broken variants of the accounts spec, each `(name, document)`.
fn accounts_variants() -> Vec<(String, Value)> {
    variants_of("spec/accounts.yaml", ACCOUNTS_STRUCTURAL)
}

/// Broken variants of the constructs fixture, which exercises every emitter
/// path of real-world documents (bodies of every kind, parameter styles,
/// split segments, media types, schemas of every kind).
fn constructs_variants() -> Vec<(String, Value)> {
    variants_of("codegen/roundtrip/constructs.yaml", CONSTRUCTS_STRUCTURAL)
}

const ACCOUNTS_STRUCTURAL: &[(&str, &str)] = &[
    ("/paths", r#""everywhere""#),
    ("/paths/~1accounts/post/responses", r#"["201"]"#),
    ("/paths/~1accounts/post/requestBody/content", "null"),
    ("/components/schemas/Account/required", r#""id""#),
    ("/components/schemas/Account/properties", "[]"),
    (
        "/components/schemas/AccountPage/properties/items/items",
        "true",
    ),
    (
        "/components/schemas/AccountPatch/properties/phone/nullable",
        r#""yes""#,
    ),
    ("/components/parameters/AccountId/in", r#""body""#),
    (
        "/components/parameters/IfMatch/schema",
        r#"{"type": "array"}"#,
    ),
    ("/components", "null"),
    ("/info/version", "1.5"),
    (
        "/paths/~1accounts/get/parameters/0/schema/minimum",
        r#""one""#,
    ),
    (
        "/components/schemas/Error/properties/fieldErrors/items",
        r##"{"$ref": "#/components/schemas/Error"}"##,
    ),
];

const CONSTRUCTS_STRUCTURAL: &[(&str, &str)] = &[
    (
        "/paths/~1things~1{thingId}/get/parameters/1/style",
        r#""matrix""#,
    ),
    (
        "/paths/~1things~1{thingId}/get/parameters/1/schema",
        r#"{"type": "object", "additionalProperties": {"type": "array"}}"#,
    ),
    (
        "/paths/~1things~1{thingId}/get/parameters/4/content",
        r#"{"text/csv": {}, "application/json": {}}"#,
    ),
    (
        "/paths/~1files~1{name}.{ext}/get/parameters/1/in",
        r#""query""#,
    ),
    (
        "/paths/~1notes/post/requestBody/content",
        r#"{"multipart/mixed": {}, "*/*": {"schema": {"type": "integer"}}}"#,
    ),
    (
        "/paths/~1report/get/responses",
        r#"{"1XX": {"description": "x"}, "3XX": {"description": "y", "content": {"text/*": {}}}}"#,
    ),
    (
        "/components/schemas/Shape/discriminator/mapping/circle",
        r##""#/components/schemas/Nope""##,
    ),
    (
        "/components/schemas/Tree/properties/children/items",
        r##"{"$ref": "#/components/schemas/Tree/properties/label"}"##,
    ),
    (
        "/components/schemas/Drawing/properties/level/enum",
        r#"[1, "1", 1.0, null, true]"#,
    ),
];

/// Broken variants of the spec at `path` (from the repository root): random
/// members deleted, `type`s changed, references broken, and `structural`
/// `(pointer, JSON value)` replacements.
fn variants_of(path: &str, structural: &[(&str, &str)]) -> Vec<(String, Value)> {
    let path = repo_root().join(path);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    let mut members = Vec::new();
    member_pointers(&doc, "", &mut members);
    let ending = |suffix: &str| {
        members
            .iter()
            .filter(|p| p.ends_with(suffix))
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut rng = Lcg(0x00c0_dec0_de00_0001);
    let mut variants = Vec::new();

    // Delete random members (any depth).
    for i in 0..6 {
        let victim = &members[rng.below(members.len())];
        let mut d = doc.clone();
        remove_member(&mut d, victim);
        variants.push((format!("delete-{i}"), d));
    }
    // Retype random members: every `type` to a number, then other scalars.
    let types = ending("/type");
    for (i, replacement) in [
        Value::from(42),
        Value::from("strnig"),
        Value::Null,
        serde_json::json!({"type": "object"}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = doc.clone();
        set(&mut d, &types[rng.below(types.len())], replacement);
        variants.push((format!("retype-{i}"), d));
    }
    let mut d = doc.clone();
    for p in &types {
        set(&mut d, p, Value::from(7));
    }
    variants.push(("every-type-a-number".into(), d));
    // Break references.
    let refs = ending("/$ref");
    for (i, target) in [
        "#/components/schemas/Nope",
        "#/components",
        "#",
        "other.yaml#/x",
        "",
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = doc.clone();
        set(&mut d, &refs[rng.below(refs.len())], Value::from(target));
        variants.push((format!("ref-{i}"), d));
    }
    // Structural nonsense in well-known places.
    for (i, (pointer, value)) in structural.iter().enumerate() {
        let mut d = doc.clone();
        let value: Value = serde_json::from_str(value)
            .unwrap_or_else(|e| panic!("structural variant {pointer}: {e}"));
        set(&mut d, pointer, value);
        variants.push((format!("structure-{i}"), d));
    }
    variants
}

#[test]
fn no_input_makes_codegen_panic() {
    let dir = temp_dir();
    let mut specs: Vec<PathBuf> = fixture_names(INVALID)
        .iter()
        .map(|n| crate_dir().join(INVALID).join(n))
        .chain(
            fixture_names(LINT)
                .iter()
                .map(|n| crate_dir().join(LINT).join(n)),
        )
        .collect();
    let variants = accounts_variants()
        .into_iter()
        .map(|(name, doc)| (format!("accounts-{name}"), doc))
        .chain(
            constructs_variants()
                .into_iter()
                .map(|(name, doc)| (format!("constructs-{name}"), doc)),
        );
    for (name, doc) in variants {
        let path = dir.path().join(format!("{name}.yaml"));
        let text = serde_yaml::to_string(&doc)
            .unwrap_or_else(|e| panic!("cannot write variant {name}: {e}"));
        std::fs::write(&path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        specs.push(path);
    }
    assert!(
        specs.len() >= 12 + REFUSED.len(),
        "the sweep lost its inputs"
    );

    let mut failures = Vec::new();
    let mut seen_codes = std::collections::BTreeMap::<i32, usize>::new();
    for spec in &specs {
        let out = dir.path().join("out");
        let generate = codegen(
            dir.path(),
            [
                Path::new("generate"),
                Path::new("--spec"),
                spec.as_path(),
                Path::new("--out"),
                out.as_path(),
            ],
        );
        let lint = codegen(dir.path(), [Path::new("lint"), spec.as_path()]);
        // Shown with --nocapture: what each input got, to review the messages.
        let first = generate
            .stderr
            .lines()
            .next()
            .or(generate.stdout.lines().last())
            .unwrap_or_default();
        eprintln!(
            "generate {:?} / lint {:?}: {first}",
            generate.code, lint.code
        );
        for run in [&generate, &lint] {
            if let Some(code) = run.code {
                *seen_codes.entry(code).or_default() += 1;
            }
            if run.panicked() || !matches!(run.code, Some(0..=2)) {
                failures.push(format!(
                    "{}: must exit 0, 1 or 2 without a panic\n{}",
                    spec.display(),
                    indent(&run.output())
                ));
            } else if run.code == Some(2) && !refusal_names_file(run, spec) {
                failures.push(format!(
                    "{}: refused without a `file: #pointer: problem: fix` line\n{}",
                    spec.display(),
                    indent(&run.output())
                ));
            }
        }
        let _ = std::fs::remove_dir_all(&out);
    }
    fail_if_any(failures);
    // The sweep is only worth something if the variants reach both outcomes.
    assert!(
        seen_codes.get(&2).copied().unwrap_or(0) > 0
            && seen_codes.get(&0).copied().unwrap_or(0) > 0,
        "exit codes seen: {seen_codes:?}"
    );
}

/// A refusal names the spec as given, then `#` and a pointer.
fn refusal_names_file(run: &Run, spec: &Path) -> bool {
    let prefix = format!("{}: #", spec.display());
    format!("{}{}", run.stdout, run.stderr)
        .lines()
        .any(|l| l.starts_with(&prefix))
}
