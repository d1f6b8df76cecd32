//! The operation manifest: what Terraform iterates to create one Lambda, role,
//! log group and alarms per function (`functions`) and one route, permission
//! and integration per operation (`operations`).

use crate::model::Api;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<'a> {
    service: &'a str,
    api_version: &'a str,
    operations: Vec<Entry<'a>>,
    /// One Lambda each: its role, log group and alarms; several operations
    /// may share one (`x-aws-function`, `--functions per-tag`).
    functions: Vec<FunctionEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FunctionEntry {
    name: String,
    operations: Vec<String>,
    dynamodb_actions: Vec<String>,
    reads_secret: bool,
    environment: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    key: &'a str,
    operation_id: &'a str,
    method: &'a str,
    path: &'a str,
    /// The API Gateway resource path (see `model::Operation::route`).
    route: &'a str,
    function: &'a str,
    auth: bool,
    dynamodb_actions: &'a [String],
    reads_secret: bool,
    /// The variables the function reads; Terraform sets exactly these.
    environment: Vec<&'static str>,
}

/// Renders the manifest (pretty JSON, trailing newline).
pub fn emit(api: &Api) -> String {
    let manifest = Manifest {
        service: &api.service,
        api_version: &api.version,
        operations: api
            .operations
            .iter()
            .map(|o| Entry {
                key: &o.key,
                operation_id: &o.operation_id,
                method: &o.method,
                path: &o.path,
                route: &o.route,
                function: &o.function,
                auth: o.auth,
                dynamodb_actions: &o.access.dynamodb,
                reads_secret: o.access.secret,
                environment: o.access.environment(),
            })
            .collect(),
        functions: api
            .functions()
            .into_iter()
            .map(|f| FunctionEntry {
                environment: f.access.environment(),
                name: f.name,
                operations: f.operations,
                dynamodb_actions: f.access.dynamodb,
                reads_secret: f.access.secret,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    text
}
