//! One Lambda `main` per function of the manifest, in the service's Lambda
//! crate: a current-thread runtime, the service built once per container by
//! the crate's hand-written set-up, then the operation's generated `run_*`
//! loop (a function of several operations picks each request's by its API
//! Gateway resource and method). The set-up is chosen by what the function may touch (`x-aws-access`):
//! `service_with_secret()` builds the Secrets Manager client, `service()` does
//! not, so functions without the secret do not link it.

use crate::model::{Api, Operation};
use crate::names;
use crate::output::{Layout, OutputFile};

/// The `src/bin/<function>.rs` files.
pub fn emit(api: &Api, layout: &Layout, spec_file: &str) -> Vec<OutputFile> {
    api.functions()
        .iter()
        .map(|f| {
            let ops: Vec<&Operation> = f
                .operations
                .iter()
                .filter_map(|id| api.operations.iter().find(|o| &o.operation_id == id))
                .collect();
            let contents = match ops.as_slice() {
                [op] => main(api, layout, op, spec_file),
                _ => grouped_main(api, layout, f, &ops, spec_file),
            };
            OutputFile {
                path: layout.lambda_bins_dir.join(format!("{}.rs", f.name)),
                contents,
            }
        })
        .collect()
}

fn set_up(secret: bool) -> &'static str {
    if secret {
        "service_with_secret"
    } else {
        "service"
    }
}

/// The main of a function serving several operations.
fn grouped_main(
    api: &Api,
    layout: &Layout,
    f: &crate::model::Function,
    ops: &[&Operation],
    spec_file: &str,
) -> String {
    let server = names::crate_ident(&format!("{}-server", api.service));
    let lambdas = names::crate_ident(&layout.lambdas_crate);
    let arms: String = ops
        .iter()
        .map(|op| {
            // As rustfmt writes an arm too long for one line.
            let call = format!("{server}::handle_{}(service, request).await", op.snake);
            let arm = format!("            Some({:?}) => {call},", op.operation_id);
            if arm.len() <= 100 {
                format!("{arm}\n")
            } else {
                format!(
                    "            Some({:?}) => {{\n                {call}\n            }}\n",
                    op.operation_id
                )
            }
        })
        .collect();
    format!(
        "{header}
//! The `{name}` Lambda: {list}.

#[tokio::main(flavor = \"current_thread\")]
async fn main() -> Result<(), {server}::codegen_runtime::lambda_http::Error> {{
    let service = {lambdas}::{set_up}().await?;
    let service = &service;
    {server}::codegen_runtime::logging::run({name:?}, move |request| async move {{
        match {server}::operation_of(&request) {{
{arms}            _ => {server}::codegen_runtime::unrouted(&request),
        }}
    }})
    .await
}}
",
        header = super::rust_header(spec_file),
        name = f.name,
        list = ops
            .iter()
            .map(|o| format!("`{}`", o.operation_id))
            .collect::<Vec<_>>()
            .join(", "),
        set_up = set_up(f.access.secret),
    )
}

fn main(api: &Api, layout: &Layout, op: &Operation, spec_file: &str) -> String {
    let server = names::crate_ident(&format!("{}-server", api.service));
    let lambdas = names::crate_ident(&layout.lambdas_crate);
    let set_up = set_up(op.access.secret);
    format!(
        "{header}
//! The `{id}` Lambda: {method} `{path}`.

#[tokio::main(flavor = \"current_thread\")]
async fn main() -> Result<(), {server}::codegen_runtime::lambda_http::Error> {{
    let service = {lambdas}::{set_up}().await?;
    {server}::run_{snake}(service).await
}}
",
        header = super::rust_header(spec_file),
        id = op.operation_id,
        method = op.method,
        path = op.path,
        snake = op.snake,
    )
}
