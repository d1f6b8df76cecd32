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
//!                 reference_html: None,
//!                 backend: Arc::new(Handlers),
//!                 store: "in memory".to_owned(),
//!                 signing_key: SigningKey::Ephemeral,
//!                 shared_store: false,
//!                 try_path: "/pets",
//!             })
//!             .await
//!     })
//! }
//! ```

use std::future::Future;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use tokio::net::TcpListener;
use tracing_subscriber::field::MakeExt;

use crate::authorizer::{AuthorizerConfig, CognitoAuthorizer, JwksSource, KeyRefresh};
use crate::backend::Backend;
use crate::custom_authorizer::DevKeys;
use crate::devauth::{DevAuth, DevAuthError, DevUser, SigningKey, SigningKeyError};
use crate::docs::{DocsError, SpecPages};
use crate::document::{ApiDocument, DocumentError};
use crate::server::{bind, BindError, LocalApi, ServerConfig};
use crate::template::TemplateValues;

pub use crate::local_data::DataArgs;

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
    /// App client id the tokens must be issued for (`aud`; a token without one is then
    /// refused); any if omitted.
    #[arg(long)]
    pub audience: Option<String>,
    /// Serve `GET /local/token` (dev tokens for any user) even over a shared store such as
    /// a DynamoDB endpoint, where it is off by default.
    #[arg(long)]
    pub dev_token_endpoint: bool,
    /// A credential the local stand-in of the service's custom (Lambda `REQUEST`) authorizer
    /// accepts, for API keys and other schemes Cognito cannot check (repeatable); one is
    /// generated and printed when the API has such routes and none is given.
    #[arg(long = "api-key")]
    pub api_keys: Vec<String>,
}

/// What the service brings to the start-up.
pub struct Service<'a> {
    /// The binary's name, in front of its printed lines (`accounts-local`).
    pub name: &'a str,
    /// The generated API Gateway document (the Terraform template).
    pub document_template: &'a str,
    /// The hand-written spec (JSON or YAML), for `/openapi.json` (and `/docs` without
    /// `reference_html`).
    pub spec: &'a str,
    /// The generated API reference (`generated/reference.html`), served at `/docs`; `None`
    /// renders one from `spec` at start.
    pub reference_html: Option<&'a str>,
    /// The service's handlers.
    pub backend: Arc<dyn Backend>,
    /// What the store is, as printed (`embedded, in .data/local`).
    pub store: String,
    /// Where the dev signing key lives (beside the store's data, or nowhere).
    pub signing_key: SigningKey,
    /// Whether the store holds data others use too (a DynamoDB endpoint): then
    /// `GET /local/token` is off unless `--dev-token-endpoint` asks for it.
    pub shared_store: bool,
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
            reference_html,
            backend,
            store,
            signing_key,
            shared_store,
            try_path,
        } = service;
        let token_endpoint = !shared_store || args.dev_token_endpoint;
        let base = format!("http://127.0.0.1:{}", self.port);
        let document = ApiDocument::from_template(document_template, &TemplateValues::default())?;
        let api = LocalApi::new(document, backend, ServerConfig::default())?.with_pages(
            match reference_html {
                Some(html) => SpecPages::with_reference(spec, html)?,
                None => SpecPages::from_spec(spec)?,
            },
        );
        let (api, tokens) = match (&args.issuer, &args.jwks_url) {
            (Some(issuer), Some(jwks)) => {
                let authorizer = CognitoAuthorizer::new(AuthorizerConfig {
                    issuer: issuer.clone(),
                    audience: args.audience.clone(),
                    jwks: JwksSource::Url(jwks.clone()),
                    refresh: KeyRefresh::default(),
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
                let api = api.with_dev_auth(dev)?.with_token_endpoint(token_endpoint);
                (api, Some((user, admin)))
            }
        };

        let (api, api_keys) = if api.has_custom_routes() {
            let keys = if args.api_keys.is_empty() {
                vec![format!("dev-{}", uuid::Uuid::new_v4().simple())]
            } else {
                args.api_keys.clone()
            };
            let hook = Arc::new(DevKeys::new(keys.clone()));
            (api.with_custom_authorizer(hook), keys)
        } else {
            (api, Vec::new())
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
                if token_endpoint {
                    println!("  more tokens: curl '{base}/local/token?sub=alice&groups=admin'");
                } else {
                    println!("  more tokens: off over a shared store (pass --dev-token-endpoint)");
                }
                println!("  try:      curl -H \"Authorization: $TOKEN\" {base}{try_path}");
            }
            None => println!(
                "  auth:     tokens of {} (JWKS {})",
                args.issuer.as_deref().unwrap_or(""),
                args.jwks_url.as_deref().unwrap_or("")
            ),
        }
        if let Some(key) = api_keys.first() {
            println!("  credential for the custom authorizer's routes (API key header, query or cookie):");
            println!("    export API_KEY={key}");
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
/// (`<name>: <error>: <cause>: ...`, each cause once, never a backtrace) and a failure exit
/// code. Errors say only their own part and leave causes to `source()`.
pub fn run<E>(name: &str, main: impl Future<Output = Result<(), E>>) -> ExitCode
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
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
            eprintln!("{name}: {}", chain(e.into().as_ref()));
            ExitCode::FAILURE
        }
    }
}

/// `error: cause: cause ...`, each once.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // An error that does print its cause (a library's) is not repeated.
        if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}

/// Compact logs on stdout, filtered by `RUST_LOG` (default `info`).
fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing::subscriber::set_global_default(log_subscriber(filter, std::io::stdout));
}

/// The local server's text log: compact lines in which every field value is escaped
/// ([`escape_log_text`]), because many carry what a client sent (a token's `kid` in an
/// authorizer's reason, a header) and a raw newline there would forge a log line.
pub fn log_subscriber<W>(
    filter: tracing_subscriber::EnvFilter,
    writer: W,
) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let fields = tracing_subscriber::fmt::format::debug_fn(|out, field, value| {
        let text = escape_log_text(&format!("{value:?}"));
        if field.name() == "message" {
            write!(out, "{text}")
        } else {
            write!(out, "{}={text}", field.name())
        }
    })
    .delimited(" ");
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(false)
        .compact()
        .fmt_fields(fields)
        .with_writer(writer)
        .finish()
}

/// `text` with control characters (newlines, ANSI escapes), bidirectional controls and
/// invisible format characters written as `\u{..}` escapes, so that a log line shows what was
/// sent and stays one line.
pub fn escape_log_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let invisible = matches!(
            c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        );
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || invisible => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_printed_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer")]
        struct Outer(#[source] std::io::Error);
        let e = Outer(std::io::Error::other("inner"));
        assert_eq!(chain(&e), "outer: inner");
        #[derive(Debug, thiserror::Error)]
        #[error("outer: {0}")]
        struct Repeats(#[source] std::io::Error);
        let e = Repeats(std::io::Error::other("inner"));
        assert_eq!(chain(&e), "outer: inner");
    }
}
