//! What every `<service>-local` binary shares: the emulator's flags, the start-up (port,
//! dev auth, docs, the printed URL and tokens) and serving until Ctrl-C. A service's binary
//! adds only its store:
//!
//! ```no_run
//! use std::sync::Arc;
//! use apigateway_rest_emulator::cli::{self, EmulatorArgs, Service, Startup};
//! use apigateway_rest_emulator::{Backend, SigningKey};
//!
//! #[derive(clap::Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     emulator: EmulatorArgs,
//!     /// Keep everything in memory.
//!     #[arg(long)]
//!     in_memory: bool,
//! }
//!
//! # struct Handlers;
//! # impl Backend for Handlers {
//! #     fn invoke(&self, _: &str, _: lambda_http::Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = lambda_http::Response<lambda_http::Body>> + Send + '_>> {
//! #         Box::pin(async { lambda_http::Response::new(lambda_http::Body::Empty) })
//! #     }
//! # }
//! fn main() -> std::process::ExitCode {
//!     let args = <Args as clap::Parser>::parse();
//!     cli::run("pets-local", async move {
//!         let startup = Startup::bind(&args.emulator).await?; // "port 3000 is already in use; pass --port"
//!         // ... open the store here, after the port is ours ...
//!         startup
//!             .serve(&args.emulator, Service {
//!                 name: "pets-local",
//!                 document_template: "{\"openapi\":\"3.0.3\",\"paths\":{}}",
//!                 spec: "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}",
//!                 backend: Arc::new(Handlers),
//!                 store: "in memory".to_owned(),
//!                 signing_key: SigningKey::Ephemeral,
//!                 try_path: "/pets",
//!             })
//!             .await
//!     })
//! }
//! ```

use std::fmt::Display;
use std::future::Future;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::TcpListener;

use crate::authorizer::{AuthorizerConfig, CognitoAuthorizer, JwksSource};
use crate::backend::Backend;
use crate::devauth::{DevAuth, DevAuthError, DevUser, SigningKey, SigningKeyError};
use crate::docs::{DocsError, SpecPages};
use crate::document::{ApiDocument, DocumentError};
use crate::server::{bind, BindError, LocalApi, ServerConfig};
use crate::template::TemplateValues;

/// The app client id (`aud`) of the printed dev tokens.
pub const DEV_CLIENT_ID: &str = "local-client";

/// The emulator's own flags; a service's binary flattens them beside its store flags.
#[derive(clap::Args, Debug, Clone, PartialEq, Eq)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Verify tokens from this issuer (real Cognito or moto) instead of dev tokens.
    #[arg(long, requires = "jwks_url")]
    pub issuer: Option<String>,
    /// JWKS URL of that issuer (moto: http://127.0.0.1:PORT/<pool id>/.well-known/jwks.json).
    #[arg(long, requires = "issuer")]
    pub jwks_url: Option<String>,
    /// App client id the tokens must be issued for (`aud`); any if omitted.
    #[arg(long)]
    pub audience: Option<String>,
}

/// What the service brings to the start-up.
pub struct Service<'a> {
    /// The binary's name, in front of its printed lines (`accounts-local`).
    pub name: &'a str,
    /// The generated API Gateway document (the Terraform template).
    pub document_template: &'a str,
    /// The hand-written spec (JSON or YAML), for `/docs` and `/openapi.json`.
    pub spec: &'a str,
    /// The service's handlers.
    pub backend: Arc<dyn Backend>,
    /// What the store is, as printed (`embedded, in .data/local`).
    pub store: String,
    /// Where the dev signing key lives (beside the store's data, or nowhere).
    pub signing_key: SigningKey,
    /// The path the printed `curl` example calls with `$TOKEN`.
    pub try_path: &'a str,
}

/// Why the local server did not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The port.
    #[error(transparent)]
    Bind(#[from] BindError),
    /// The listener or the server loop.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The API Gateway document.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The spec pages.
    #[error(transparent)]
    Docs(#[from] DocsError),
    /// The dev signing key.
    #[error(transparent)]
    SigningKey(#[from] SigningKeyError),
    /// Dev auth.
    #[error(transparent)]
    DevAuth(#[from] DevAuthError),
}

/// A listening port, bound before the service opens its store (so a busy port is reported
/// first), and the time start-up began.
#[derive(Debug)]
pub struct Startup {
    listener: TcpListener,
    port: u16,
    started: Instant,
}

impl Startup {
    /// Starts the clock and the logs (`RUST_LOG`, default `info`), and listens on
    /// `127.0.0.1:<--port>`.
    pub async fn bind(args: &EmulatorArgs) -> Result<Self, StartError> {
        let started = Instant::now();
        init_logs();
        let listener = bind(SocketAddr::from(([127, 0, 0, 1], args.port))).await?;
        let port = listener.local_addr()?.port();
        Ok(Self {
            listener,
            port,
            started,
        })
    }

    /// The port listened on (the one picked for `--port 0`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Loads the document and the docs, sets up the authorizer (dev tokens unless `--issuer`
    /// names a real one), prints where everything is, and serves until Ctrl-C.
    pub async fn serve(self, args: &EmulatorArgs, service: Service<'_>) -> Result<(), StartError> {
        let Service {
            name,
            document_template,
            spec,
            backend,
            store,
            signing_key,
            try_path,
        } = service;
        let base = format!("http://127.0.0.1:{}", self.port);
        let document = ApiDocument::from_template(document_template, &TemplateValues::default())?;
        let api = LocalApi::new(document, backend, ServerConfig::default())?
            .with_pages(SpecPages::from_spec(spec)?);
        let (api, tokens) = match (&args.issuer, &args.jwks_url) {
            (Some(issuer), Some(jwks)) => {
                let authorizer = CognitoAuthorizer::new(AuthorizerConfig {
                    issuer: issuer.clone(),
                    audience: args.audience.clone(),
                    jwks: JwksSource::Url(jwks.clone()),
                });
                (api.with_authorizer(authorizer), None)
            }
            _ => {
                let dev = Arc::new(DevAuth::from_key(
                    &signing_key.load()?,
                    DevAuth::local_issuer(self.port),
                    DEV_CLIENT_ID,
                )?);
                let user = dev.mint_id_token(&DevUser::new("local-user"))?;
                let admin = dev.mint_id_token(&DevUser::new("local-admin").with_group("admin"))?;
                (api.with_dev_auth(dev)?, Some((user, admin)))
            }
        };

        println!(
            "{name}: serving {base} (started in {} ms)",
            self.started.elapsed().as_millis()
        );
        println!("  store:    {store}");
        println!("  docs:     {base}/docs   spec: {base}/openapi.json");
        match &tokens {
            Some((user, admin)) => {
                println!("  user token (sub local-user):");
                println!("    export TOKEN={user}");
                println!("  admin token (sub local-admin, group admin):");
                println!("    export ADMIN_TOKEN={admin}");
                println!("  more tokens: curl '{base}/local/token?sub=alice&groups=admin'");
                println!("  try:      curl -H \"Authorization: $TOKEN\" {base}{try_path}");
            }
            None => println!(
                "  auth:     tokens of {} (JWKS {})",
                args.issuer.as_deref().unwrap_or(""),
                args.jwks_url.as_deref().unwrap_or("")
            ),
        }
        println!("  Ctrl-C stops it.");

        Arc::new(api)
            .serve(self.listener, async {
                let _ = tokio::signal::ctrl_c().await;
                println!("{name}: shutting down");
            })
            .await?;
        Ok(())
    }
}

/// Runs a local server's `main` on a multi-threaded runtime: an error is one readable line
/// (`<name>: <error>: <cause>`, never a backtrace) and a failure exit code.
pub fn run<E: Display>(name: &str, main: impl Future<Output = Result<(), E>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{name}: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(main) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Compact logs on stdout, filtered by `RUST_LOG` (default `info`).
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .compact()
        .try_init();
}
