//! One Lambda `main` per function of the manifest, in the service's Lambda
//! crate: a current-thread runtime, the service built once per container by
//! the crate's hand-written set-up, then the operation's generated `run_*`
//! loop. The set-up is chosen by what the function may touch (`x-aws-access`):
//! `service_with_secret()` builds the Secrets Manager client, `service()` does
//! not, so functions without the secret do not link it.

use crate::model::{Api, Operation};
use crate::names;
use crate::output::{Layout, OutputFile};

/// The `src/bin/<function>.rs` files.
pub fn emit(api: &Api, layout: &Layout, spec_file: &str) -> Vec<OutputFile> {
    api.operations
        .iter()
        .map(|op| OutputFile {
            path: layout.lambda_bins_dir.join(format!("{}.rs", op.function)),
            contents: main(api, layout, op, spec_file),
        })
        .collect()
}

fn main(api: &Api, layout: &Layout, op: &Operation, spec_file: &str) -> String {
    let server = names::crate_ident(&format!("{}-server", api.service));
    let lambdas = names::crate_ident(&layout.lambdas_crate);
    let set_up = if op.access.secret {
        "service_with_secret"
    } else {
        "service"
    };
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
