//! The operation manifest: what Terraform iterates to create one Lambda, role,
//! permission, log group and alarm per operation.

use crate::model::Api;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Manifest<'a> {
    service: &'a str,
    api_version: &'a str,
    operations: Vec<Entry<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    key: &'a str,
    operation_id: &'a str,
    method: &'a str,
    path: &'a str,
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
                function: &o.function,
                auth: o.auth,
                dynamodb_actions: &o.access.dynamodb,
                reads_secret: o.access.secret,
                environment: o.access.environment(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    text
}
