//! `accounts-local`: the whole accounts API on this machine, in one command.
//!
//! Every request goes through the API Gateway emulator (routes, Cognito
//! authorizer, request validators and gateway responses from the generated
//! document), then through the same generated lambda_http adapters the Lambdas
//! run, into the handlers, over an embedded store (default) or DynamoDB. The
//! emulator's flags and start-up are `apigateway_rest_emulator::cli`'s; this
//! binary brings the store.

mod store;

use std::sync::Arc;

use accounts_local::GeneratedBackend;
use accounts_service::AccountsService;
use anyhow::Result;
use apigateway_rest_emulator::cli::{self, EmulatorArgs, Service, Startup};
use clap::Parser;

/// Every request allocates a few hundred small objects (the proxy event as JSON, headers,
/// the Lambda request and response); glibc's malloc made that a fifth of the server's time
/// under load, mimalloc's thread-local free lists do not (handlers/bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The generated API Gateway document and the spec, built into the binary so
/// the local server always serves the contract it was compiled with.
const API_DOCUMENT: &str = include_str!("../../../generated/apigateway.json");
const SPEC: &str = include_str!("../../../spec/accounts.yaml");
/// The generated API reference, served at `/docs` as the deployed stack serves it.
const REFERENCE: &str = include_str!("../../../generated/reference.html");

const NAME: &str = "accounts-local";

#[derive(Parser, Debug)]
#[command(
    name = "accounts-local",
    about = "Serve the accounts API locally with API Gateway's semantics"
)]
struct Args {
    #[command(flatten)]
    emulator: EmulatorArgs,
    #[command(flatten)]
    store: store::StoreArgs,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    cli::run(NAME, serve(args))
}

async fn serve(args: Args) -> Result<()> {
    let startup = Startup::bind(&args.emulator).await?;
    let open = args.store.open().await?;
    let cursor_keys = args.store.cursor_keys()?;
    let service =
        AccountsService::new(open.store, Arc::new(cursor_keys), args.store.region.clone());
    startup
        .serve(
            &args.emulator,
            Service {
                name: NAME,
                document_template: API_DOCUMENT,
                spec: SPEC,
                reference_html: Some(REFERENCE),
                backend: Arc::new(GeneratedBackend(service)),
                store: open.label,
                signing_key: args.store.signing_key(),
                shared_store: args.store.is_shared(),
                try_path: "/accounts/me",
            },
        )
        .await?;
    Ok(())
}
