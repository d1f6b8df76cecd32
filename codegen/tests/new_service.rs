//! `codegen new` as a new user runs it (issue 12): on two documents of `shared/corpus/`,
//! outside this repository, it makes a workspace that builds; its local server answers a
//! stubbed operation with 501, a request that violates the spec with the spec's 400 and a
//! secured operation without a token with 401; an operation implemented in its stub file
//! answers its typed 200 through the service's generated client. Then `codegen generate`
//! in the workspace after the spec gains an operation rewrites only generated files (the
//! implemented handler stays), gives the operation its Lambda main and manifest entry, and
//! the handlers crate stops compiling until it is implemented; `codegen check` passes there;
//! and `deploy/deploy.sh validate` (`terraform validate` of the roots it deploys with, and
//! every setting of its env file a variable) passes.
//!
//! The workspaces build in this repository's target directory (`$CARGO_TARGET_DIR`, else
//! `target/`): cargo releases its lock before it runs tests, and every dependency the outer
//! build compiled with the same features is reused, which keeps a cold CI run short.
//! Terraform (1.11, with the machine image's offline provider mirror, as
//! `terraform/tests/run.sh` finds it) is required under `CI=true`; elsewhere its absence
//! skips only that step, saying so.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{codegen, files_under, repo_root, shared_dir, temp_dir};

/// One corpus document and what the test does with it.
struct Case {
    /// Under `shared/corpus/`.
    document: &'static str,
    service: &'static str,
    /// Changes to the copy of the document (`None`: used as it is).
    edit: Option<fn(&mut Value)>,
    /// An operation left as its stub: `GET <path>`.
    stubbed: &'static str,
    /// A request that breaks the spec: method, path, JSON body.
    invalid: (&'static str, &'static str, Option<&'static str>),
    /// A secured operation: `GET <path>`.
    secured: &'static str,
    /// Whether to build the Lambda binaries too (one case is enough: their mains are
    /// emitted alike for every service, and each debug binary takes seconds to link).
    lambdas: bool,
    /// The stub file to implement and its new text.
    implemented: (&'static str, &'static str),
    /// A test file for the workspace that calls the implemented operation through the
    /// generated client (`API_URL` and `TOKEN` come from the environment).
    typed_call: &'static str,
}

const PETSTORE: Case = Case {
    document: "oai-examples/petstore.yaml",
    service: "petstore",
    edit: Some(secure_show_pet_by_id),
    stubbed: "/pets",
    invalid: ("POST", "/pets", Some(r#"{"id": "seven"}"#)),
    secured: "/pets/42",
    lambdas: true,
    implemented: (
        "handlers/service/src/operations/show_pet_by_id.rs",
        r#"//! `showPetById`: GET `/pets/{petId}`.

use crate::PetstoreService;
use petstore_server::*;

impl ShowPetById for PetstoreService {
    async fn show_pet_by_id(
        &self,
        request: ShowPetByIdRequest,
    ) -> Result<ShowPetByIdResponse, ShowPetByIdError> {
        Ok(ShowPetByIdResponse::Ok(types::Pet {
            id: 7,
            name: format!("pet {} of {}", request.pet_id, request.caller.sub),
            tag: None,
        }))
    }
}
"#,
    ),
    typed_call: r#"#[tokio::test]
async fn the_implemented_operation_answers_its_typed_200() {
    let url = std::env::var("API_URL").unwrap();
    let token = std::env::var("TOKEN").unwrap();
    let client = petstore_client::Client::new_with_token(&url, &token);
    let pet = client.show_pet_by_id("42").await.unwrap().into_inner();
    assert_eq!(pet.id, 7);
    assert_eq!(pet.name, "pet 42 of local-user");
}
"#,
};

const SWAGGER_PETSTORE: Case = Case {
    document: "real-world/swagger-petstore-3.0.yaml",
    service: "swagger-petstore",
    edit: Some(without_api_key),
    stubbed: "/user/alice",
    invalid: ("GET", "/store/order/not-a-number", None),
    secured: "/pet/findByStatus?status=available",
    lambdas: false,
    implemented: (
        "handlers/service/src/operations/get_order_by_id.rs",
        r#"//! `getOrderById`: GET `/store/order/{orderId}`.

use crate::SwaggerPetstoreService;
use swagger_petstore_server::*;

impl GetOrderById for SwaggerPetstoreService {
    async fn get_order_by_id(
        &self,
        request: GetOrderByIdRequest,
    ) -> Result<GetOrderByIdResponse, GetOrderByIdError> {
        let order = types::Order {
            complete: Some(false),
            id: Some(request.order_id),
            pet_id: Some(7),
            quantity: Some(2),
            ship_date: None,
            status: Some(types::OrderStatus::Placed),
        };
        Ok(GetOrderByIdResponse::Ok(GetOrderByIdOkBody::ApplicationJson(order)))
    }
}
"#,
    ),
    typed_call: r#"#[tokio::test]
async fn the_implemented_operation_answers_its_typed_200() {
    let url = std::env::var("API_URL").unwrap();
    let token = std::env::var("TOKEN").unwrap();
    let client = swagger_petstore_client::Client::new_with_token(&url, &token);
    let order = client.get_order_by_id(42).await.unwrap().into_inner();
    assert_eq!(order.id, Some(42));
    assert_eq!(order.status, Some(swagger_petstore_client::types::OrderStatus::Placed));
}
"#,
};

/// petstore.yaml has no security: its copy guards `showPetById` with a bearer token
/// (API Gateway's Cognito authorizer).
fn secure_show_pet_by_id(spec: &mut Value) {
    spec["components"]["securitySchemes"] = json!({"bearer": {"type": "http", "scheme": "bearer"}});
    spec["paths"]["/pets/{petId}"]["get"]["security"] = json!([{"bearer": []}]);
}

/// The `api_key` scheme becomes a Lambda request authorizer (`${authorizer_invoke_arn}`),
/// which the local emulator does not run yet (it refuses such a document at start-up): the
/// copy keeps only `petstore_auth` (a Cognito user pool authorizer).
fn without_api_key(spec: &mut Value) {
    if let Some(schemes) = spec["components"]["securitySchemes"].as_object_mut() {
        schemes.remove("api_key");
    }
    let Some(paths) = spec["paths"].as_object_mut() else {
        return;
    };
    for operation in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in operation.values_mut() {
            if let Some(security) = op.get_mut("security").and_then(Value::as_array_mut) {
                security.retain(|requirement| requirement.get("api_key").is_none());
            }
        }
    }
}

/// Where the new workspaces build: this repository's own target directory.
fn target_dir() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"));
    std::path::absolute(base).unwrap()
}

/// Scratch files of the test (Terraform's plugin cache and CLI configuration).
fn scratch_dir() -> PathBuf {
    target_dir().join("new-service")
}

/// Runs cargo in `workspace` with `env`, offline (the copied `Cargo.lock` has every
/// version).
fn cargo(workspace: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(&cargo)
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .envs(env.iter().copied())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"))
}

fn cargo_ok(workspace: &Path, args: &[&str], env: &[(&str, &str)]) {
    let out = cargo(workspace, args, env);
    assert!(
        out.status.success(),
        "cargo {} in {} failed:\n{}{}",
        args.join(" "),
        workspace.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `<service>-local`, stopped when dropped.
struct LocalServer {
    child: Child,
    url: String,
    token: String,
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `<service>-local --port 0 --in-memory` and reads its URL and user token from the
/// lines it prints.
fn start(service: &str) -> LocalServer {
    let binary = target_dir().join("debug").join(format!("{service}-local"));
    let mut child = Command::new(&binary)
        .args(["--port", "0", "--in-memory"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let stdout = child.stdout.take().unwrap();
    let (lines, seen) = mpsc::channel();
    std::thread::spawn(move || {
        // Read to the end (the server logs a line per request), long after the start-up
        // lines were taken.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let (mut url, mut token) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(60);
    while url.is_none() || token.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = seen
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("{service}-local printed no URL and token within 60 s"));
        if let Some(rest) = line.split_once(": serving ").map(|(_, rest)| rest) {
            url = rest.split_whitespace().next().map(str::to_owned);
        }
        if let Some(rest) = line.trim().strip_prefix("export TOKEN=") {
            token = Some(rest.to_owned());
        }
    }
    LocalServer {
        child,
        url: url.unwrap(),
        token: token.unwrap(),
    }
}

/// One request: status and body.
fn request(method: &str, url: &str, token: Option<&str>, body: Option<&str>) -> (u16, Value) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut request = client.request(method.parse().unwrap(), url);
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_owned());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    })
}

/// The document's copy outside this repository, edited as the case says.
fn spec_copy(case: &Case, dir: &Path) -> PathBuf {
    let original = shared_dir().join("corpus").join(case.document);
    let text = std::fs::read_to_string(&original).unwrap();
    let copy = dir.join(original.file_name().unwrap());
    match case.edit {
        None => std::fs::write(&copy, text).unwrap(),
        Some(edit) => {
            let mut spec: Value = serde_yaml::from_str(&text).unwrap();
            edit(&mut spec);
            std::fs::write(&copy, serde_yaml::to_string(&spec).unwrap()).unwrap();
        }
    }
    copy
}

/// `codegen new`, build, serve, the three answers, then an implemented operation's typed 200.
/// Returns the workspace.
fn new_service_serves(case: &Case, scratch: &Path) -> PathBuf {
    let spec = spec_copy(case, scratch);
    let workspace = scratch.join(case.service);
    let started = Instant::now();
    let run = codegen(
        scratch,
        [
            "new".as_ref(),
            workspace.as_os_str(),
            "--spec".as_ref(),
            spec.as_os_str(),
            "--service".as_ref(),
            case.service.as_ref(),
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.output());
    assert!(!run.stderr.contains("not formatted"), "{}", run.output());
    let local = format!("{}-local", case.service);
    let lambdas = format!("{}-lambdas", case.service);
    // One build for both (a `cargo check` would compile every dependency a second time).
    let mut build = vec!["build", "-p", &local];
    if case.lambdas {
        build.extend(["-p", &lambdas]);
    }
    cargo_ok(&workspace, &build, &[]);
    let server = start(case.service);

    let (status, body) = request(
        "GET",
        &format!("{}{}", server.url, case.stubbed),
        None,
        None,
    );
    eprintln!(
        "{}: from `codegen new` to the first served request: {:.1?}",
        case.service,
        started.elapsed()
    );
    assert_eq!(status, 501, "{body}");
    assert_eq!(body["code"], "NOT_IMPLEMENTED", "{body}");
    assert!(
        body["requestId"].as_str().is_some_and(|id| !id.is_empty()),
        "{body}"
    );

    let (method, path, payload) = case.invalid;
    let (status, body) = request(method, &format!("{}{path}", server.url), None, payload);
    assert_eq!(status, 400, "{method} {path}: {body}");

    let (status, body) = request(
        "GET",
        &format!("{}{}", server.url, case.secured),
        None,
        None,
    );
    assert_eq!(status, 401, "{body}");
    // API Gateway's own message, in the spec's error shape (the generated gateway responses).
    assert_eq!(body["message"], "Unauthorized", "{body}");
    drop(server);

    let (stub, implementation) = case.implemented;
    std::fs::write(workspace.join(stub), implementation).unwrap();
    let typed_test = workspace.join("handlers/local/tests/typed_call.rs");
    std::fs::write(&typed_test, case.typed_call).unwrap();
    cargo_ok(&workspace, &["test", "-p", &local, "--no-run"], &[]);
    let server = start(case.service);
    let env = [
        ("API_URL", server.url.as_str()),
        ("TOKEN", server.token.as_str()),
    ];
    // The typed call, and the workspace's own test (the generated reference at `/docs`).
    cargo_ok(&workspace, &["test", "-p", &local], &env);
    workspace
}

/// The petstore's spec gains `deletePet`; `codegen generate` in the workspace: the
/// implemented handler and every other stub are untouched, the new operation has its
/// Lambda main and its manifest entry (so Terraform deploys its function), the handlers
/// crate stops compiling until `DeletePet` is implemented, and `codegen check` passes.
fn a_new_operation_reaches_everything_but_the_handlers(workspace: &Path) {
    let spec_path = workspace.join("spec/petstore.yaml");
    let mut spec: Value = serde_yaml::from_str(&read(&spec_path)).unwrap();
    spec["paths"]["/pets/{petId}"]["delete"] = json!({
        "summary": "Delete a pet",
        "operationId": "deletePet",
        "parameters": [{"name": "petId", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
            "204": {"description": "Deleted"},
            "default": {
                "description": "unexpected error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            }
        }
    });
    std::fs::write(&spec_path, serde_yaml::to_string(&spec).unwrap()).unwrap();
    let handlers = workspace.join("handlers/service");
    let before: Vec<(PathBuf, String)> = files_under(&handlers)
        .into_iter()
        .map(|path| (path.clone(), read(&handlers.join(path))))
        .collect();

    let args = ["--spec", "spec/petstore.yaml", "--service", "petstore"];
    let run = codegen(workspace, ["generate"].iter().chain(&args));
    assert_eq!(run.code, Some(0), "{}", run.output());
    for (path, text) in &before {
        assert_eq!(
            &read(&handlers.join(path)),
            text,
            "{} was rewritten",
            path.display()
        );
    }
    assert_eq!(
        files_under(&handlers).len(),
        before.len(),
        "{}",
        run.output()
    );
    assert!(
        workspace
            .join("handlers/lambdas/src/bin/delete-pet.rs")
            .is_file(),
        "{}",
        run.output()
    );
    let manifest: Value =
        serde_json::from_str(&read(&workspace.join("generated/operations.json"))).unwrap();
    assert!(
        manifest["operations"]
            .as_array()
            .is_some_and(|ops| ops.iter().any(|op| op["operationId"] == "deletePet")),
        "{manifest}"
    );
    let build = cargo(workspace, &["build", "-p", "petstore-service"], &[]);
    let errors = String::from_utf8_lossy(&build.stderr);
    assert!(
        !build.status.success(),
        "the handlers crate built without deletePet"
    );
    assert!(errors.contains("DeletePet"), "{errors}");

    let check = codegen(workspace, ["check"].iter().chain(&args));
    assert_eq!(check.code, Some(0), "{}", check.output());
}

/// `deploy/deploy.sh validate` in the workspace: `terraform validate` of every root it
/// deploys the service with, and every setting of its env file a variable of some root.
fn deployment_validates(workspace: &Path) {
    let Some(config) = terraform_cli_config() else {
        return;
    };
    let out = Command::new(workspace.join("deploy/deploy.sh"))
        .arg("validate")
        .current_dir(workspace)
        .env("TF_CLI_CONFIG_FILE", &config)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_CLI_ARGS", "-no-color")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "deploy/deploy.sh validate in {} failed:\n{}{}",
        workspace.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A Terraform CLI configuration that installs providers only from the machine image's
/// offline mirror (as `terraform/tests/run.sh` writes it), with a plugin cache beside the
/// shared target directory; `None` (said on stderr) when Terraform is not installed,
/// outside CI.
fn terraform_cli_config() -> Option<PathBuf> {
    let installed = Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|out| out.status.success());
    let mirror = installed.then(provider_mirror).flatten();
    let Some(mirror) = mirror else {
        let missing = if installed {
            "no registry.terraform.io provider mirror (find / -maxdepth 4)"
        } else {
            "terraform is not on PATH"
        };
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{missing} (required under CI=true)"
        );
        eprintln!("SKIPPED deploy/deploy.sh validate: {missing}");
        return None;
    };
    let cache = scratch_dir().join("terraform-plugin-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let config = scratch_dir().join("terraform.rc");
    std::fs::write(
        &config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = {mirror:?}\n    include = [\"registry.terraform.io/hashicorp/*\"]\n  }}\n}}\nplugin_cache_dir = {cache:?}\n",
            mirror = mirror.display().to_string(),
            cache = cache.display().to_string(),
        ),
    )
    .unwrap();
    Some(config)
}

/// The directory holding `registry.terraform.io/hashicorp/aws`, within four levels of `/`
/// and not a scratch copy under `/tmp`.
fn provider_mirror() -> Option<PathBuf> {
    let out = Command::new("find")
        .args([
            "/",
            "-maxdepth",
            "4",
            "-type",
            "d",
            "-name",
            "registry.terraform.io",
        ])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(PathBuf::from)
        .filter(|dir| {
            !["/tmp", "/proc", "/sys"]
                .iter()
                .any(|skip| dir.starts_with(skip))
        })
        .find(|dir| dir.join("hashicorp/aws").is_dir())
        .and_then(|dir| dir.parent().map(Path::to_path_buf))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn a_new_service_builds_serves_its_stubs_and_an_implemented_operation() {
    let scratch = temp_dir();
    let petstore = new_service_serves(&PETSTORE, scratch.path());
    let swagger_petstore = new_service_serves(&SWAGGER_PETSTORE, scratch.path());
    a_new_operation_reaches_everything_but_the_handlers(&petstore);
    for workspace in [&petstore, &swagger_petstore] {
        deployment_validates(workspace);
    }
}
