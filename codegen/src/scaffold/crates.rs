//! The written-once crates and files of a new workspace: the handlers crate (one stub per
//! operation), the Lambda crate's set-up, the local server (`main`, `lib`, a test), the
//! client crate's `lib.rs`, the README, `test.sh` and `.gitignore`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::templates::render;
use super::NewError;
use crate::emit::crate_manifests::relative;
use crate::model::{Api, Operation, Payload, Response, SECRET_ENV, TABLE_ENV};
use crate::names;
use crate::output::{Layout, OutputFile};

/// The test command, relative to the workspace.
pub(super) const TEST_SCRIPT: &str = "test.sh";

/// Every name the written-once files use, decided once.
#[derive(Debug, Clone)]
pub(super) struct Names {
    pub service: String,
    pub title: String,
    /// The spec inside the workspace (`spec/<service>.yaml`).
    pub spec_path: String,
    pub layout: Layout,
    pub service_crate: String,
    pub local_crate: String,
    /// The struct that implements every operation trait.
    pub service_struct: String,
    /// The path the printed `curl` example calls, and whether it needs a token.
    pub try_path: String,
    pub try_auth: bool,
    /// The operation Route53's health checks call (`GET /health`, else the first public
    /// `GET` that needs no parameter), if the spec has one: the regional Terraform module
    /// requires one.
    pub health_path: Option<String>,
    /// This repository, absolute and as a path from the workspace.
    pub repo: PathBuf,
    pub repo_rel: String,
}

impl Names {
    pub fn new(api: &Api, layout: &Layout, spec_path: &str, dir: &Path, repo: &Path) -> Self {
        let pascal = names::pascal(&api.service);
        // The struct must not take the name of an operation trait.
        let taken = |name: &str| api.operations.iter().any(|op| op.pascal == name);
        let service_struct = [format!("{pascal}Service"), format!("{pascal}Handlers")]
            .into_iter()
            .find(|name| !taken(name))
            .unwrap_or_else(|| format!("{pascal}Implementation"));
        let tried = api
            .operations
            .iter()
            .find(|op| op.method == "GET" && !op.path.contains('{'))
            .or_else(|| api.operations.first());
        Self {
            service: api.service.clone(),
            title: api.title.clone(),
            spec_path: spec_path.to_owned(),
            layout: layout.clone(),
            service_crate: format!("{}-service", api.service),
            local_crate: format!("{}-local", api.service),
            service_struct,
            try_path: tried.map_or_else(|| "/".to_owned(), |op| op.path.clone()),
            try_auth: tried.is_some_and(|op| op.auth),
            health_path: health_operation(api).map(|op| op.path.clone()),
            repo: repo.to_owned(),
            repo_rel: relative(dir, repo),
        }
    }

    /// The template values every file shares.
    pub fn context(&self) -> Value {
        let layout = &self.layout;
        let codegen = format!(
            "cargo run --manifest-path {}/Cargo.toml -p codegen --",
            self.repo_rel
        );
        let token = if self.try_auth {
            "-H \"Authorization: $TOKEN\" "
        } else {
            ""
        };
        json!({
            "service": self.service,
            "title": one_line(&self.title),
            "title_toml": toml_text(&self.title),
            "spec_path": self.spec_path,
            "spec_file": self.spec_path.trim_start_matches("spec/"),
            "types_crate": layout.types_crate,
            "types_ident": names::crate_ident(&layout.types_crate),
            "server_crate": layout.server_crate,
            "server_ident": names::crate_ident(&layout.server_crate),
            "client_crate": layout.client_crate,
            "client_ident": names::crate_ident(&layout.client_crate),
            "lambdas_crate": layout.lambdas_crate,
            "service_crate": self.service_crate,
            "service_ident": names::crate_ident(&self.service_crate),
            "local_crate": self.local_crate,
            "local_ident": names::crate_ident(&self.local_crate),
            "service_struct": self.service_struct,
            "api_trait": crate::emit::local_backend::api_trait(&self.service),
            "table_env": TABLE_ENV,
            "secret_env": SECRET_ENV,
            "try_path": self.try_path,
            "health_path": self.health_path,
            "try_curl": format!("curl -i {token}http://127.0.0.1:3000{}", self.try_path),
            "codegen": codegen,
            "repo": self.repo.display().to_string(),
            "repo_rel": self.repo_rel,
            "repo_rel_from_deploy": format!("../{}", self.repo_rel),
            "repo_terraform": self.repo.join("terraform").display().to_string(),
        })
    }
}

/// What the health checks can call: `GET /health`, else the first unauthenticated `GET`
/// without path parameters or required parameters (the checks send none).
fn health_operation(api: &Api) -> Option<&Operation> {
    let callable: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|op| {
            op.method == "GET"
                && !op.auth
                && !op.path.contains('{')
                && op.parameters.iter().all(|p| !p.required)
        })
        .collect();
    let health = callable.iter().find(|op| op.path == "/health");
    health.or(callable.first()).copied()
}

/// The handlers, Lambda, local and client files, the README, `test.sh` and `.gitignore`.
pub(super) fn files(api: &Api, names: &Names) -> Result<Vec<OutputFile>, NewError> {
    let context = names.context();
    let client_dir = names
        .layout
        .client_manifest
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let mut out = Vec::new();
    let mut file = |path: PathBuf, template: &str, context: &Value| -> Result<(), NewError> {
        out.push(OutputFile {
            path,
            contents: render(template, context)?,
        });
        Ok(())
    };
    file(client_dir.join("src/lib.rs"), "client_lib.rs", &context)?;
    file(
        "handlers/service/Cargo.toml".into(),
        "service_Cargo.toml",
        &context,
    )?;
    file(
        "handlers/service/src/lib.rs".into(),
        "service_lib.rs",
        &context,
    )?;
    let modules: Vec<Value> = api
        .operations
        .iter()
        .map(|op| json!({ "module": op.snake }))
        .collect();
    file(
        "handlers/service/src/operations.rs".into(),
        "operations.rs",
        &merged(&context, json!({ "operations": modules })),
    )?;
    for op in &api.operations {
        file(
            format!("handlers/service/src/operations/{}.rs", op.snake).into(),
            "operation.rs",
            &merged(&context, stub(op)),
        )?;
    }
    file(
        "handlers/lambdas/Cargo.toml".into(),
        "lambdas_Cargo.toml",
        &context,
    )?;
    file(
        "handlers/lambdas/src/lib.rs".into(),
        "lambdas_lib.rs",
        &context,
    )?;
    file(
        "handlers/local/Cargo.toml".into(),
        "local_Cargo.toml",
        &context,
    )?;
    file("handlers/local/src/lib.rs".into(), "local_lib.rs", &context)?;
    file(
        "handlers/local/src/main.rs".into(),
        "local_main.rs",
        &context,
    )?;
    file(
        "handlers/local/tests/local_api.rs".into(),
        "local_test.rs",
        &context,
    )?;
    file("README.md".into(), "README.md", &context)?;
    file(TEST_SCRIPT.into(), "test.sh", &context)?;
    file(".gitignore".into(), "gitignore", &context)?;
    Ok(out)
}

/// `base` with `extra`'s members added.
fn merged(base: &Value, extra: Value) -> Value {
    let mut out = base.clone();
    if let (Value::Object(out), Value::Object(extra)) = (&mut out, extra) {
        out.extend(extra);
    }
    out
}

/// One stub's values: the operation and, for its doc comment, each declared answer.
fn stub(op: &Operation) -> Value {
    let (errors, mut successes): (Vec<&Response>, Vec<&Response>) =
        op.responses.iter().partition(|r| r.is_error());
    // As the server does: with no success declared, `default` is also the success.
    if successes.is_empty() {
        successes.extend(op.responses.iter().filter(|r| r.status == "default"));
    }
    let answer = |r: &&Response| {
        json!({
            "variant": r.variant,
            "fields": fields_hint(r),
            "status": r.status,
            "description": one_line(&r.description),
        })
    };
    json!({
        "operation_id": op.operation_id,
        "method": op.method,
        "path": op.path,
        "summary": one_line(&op.summary).trim_end_matches('.'),
        "pascal": op.pascal,
        "snake": op.snake,
        "successes": successes.iter().map(answer).collect::<Vec<_>>(),
        "errors": errors.iter().map(answer).collect::<Vec<_>>(),
    })
}

/// How a variant is built, as the generated server declares it: `{ status, body, .. }`,
/// `(body)` or nothing.
fn fields_hint(r: &Response) -> String {
    let payload = match r.payload {
        Payload::Empty => None,
        Payload::Problem => Some("problem"),
        Payload::One(_) | Payload::Many { .. } => Some("body"),
    };
    let range = r.code.is_none();
    if range || !r.headers.is_empty() {
        let mut fields: Vec<&str> = Vec::new();
        if range {
            fields.push("status");
        }
        fields.extend(payload);
        fields.extend(r.headers.iter().map(|h| h.field.as_str()));
        format!(" {{ {} }}", fields.join(", "))
    } else {
        payload.map_or_else(String::new, |p| format!("({p})"))
    }
}

/// Text on one line (for `//!` and `///` lines).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text safe in a TOML basic string.
fn toml_text(s: &str) -> String {
    one_line(s).replace('\\', "\\\\").replace('"', "\\\"")
}
