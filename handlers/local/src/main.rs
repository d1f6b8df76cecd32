//! `accounts-local`: the whole accounts API on this machine, in one command.
//!
//! Every request goes through the API Gateway emulator (routes, Cognito
//! authorizer, request validators and gateway responses from the generated
//! document), then through the same generated lambda_http adapters the Lambdas
//! run, into the handlers, over an embedded store (default) or DynamoDB.

use account_store::{AccountStore, DynamoStore, EmbeddedStore};
use accounts_local::{
    bind, ApiDocument, AuthorizerConfig, CognitoAuthorizer, DevAuth, DevUser, GeneratedBackend,
    JwksSource, LocalApi, ServerConfig, SpecPages, TemplateValues,
};
use accounts_service::{AccountsService, StaticCursorKey};
use anyhow::{Context, Result};
use clap::Parser;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::RsaPrivateKey;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every request allocates a few hundred small objects (the proxy event as JSON, headers,
/// the Lambda request and response); glibc's malloc made that a fifth of the server's time
/// under load, mimalloc's thread-local free lists do not (handlers/bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The generated API Gateway document and the spec, built into the binary so
/// the local server always serves the contract it was compiled with.
const API_DOCUMENT: &str = include_str!("../../../generated/apigateway.json");
const SPEC: &str = include_str!("../../../spec/accounts.yaml");

#[derive(Parser, Debug)]
#[command(
    name = "accounts-local",
    about = "Serve the accounts API locally with API Gateway's semantics"
)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Where the embedded store and the dev signing key live.
    #[arg(long, default_value = ".data/local")]
    data_dir: PathBuf,
    /// Keep everything in memory (nothing survives a restart).
    #[arg(long)]
    in_memory: bool,
    /// Use a DynamoDB-compatible endpoint (e.g. moto) instead of the embedded store.
    #[arg(long)]
    dynamodb_endpoint: Option<String>,
    /// DynamoDB table name (created if missing).
    #[arg(long, default_value = "accounts")]
    table: String,
    /// Region reported by /health and used for DynamoDB.
    #[arg(long, default_value = "local")]
    region: String,
    /// Verify tokens from this issuer (real Cognito or moto) instead of dev tokens.
    #[arg(long, requires = "jwks_url")]
    issuer: Option<String>,
    /// JWKS URL of that issuer (moto: http://127.0.0.1:PORT/<pool id>/.well-known/jwks.json).
    #[arg(long, requires = "issuer")]
    jwks_url: Option<String>,
    /// App client id the tokens must be issued for (`aud`); any if omitted.
    #[arg(long)]
    audience: Option<String>,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("accounts-local: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One readable line (with its causes), never a backtrace.
            eprintln!("accounts-local: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<()> {
    let started = std::time::Instant::now();
    init_logs();

    let listener = bind(SocketAddr::from(([127, 0, 0, 1], args.port))).await?;
    let port = listener.local_addr()?.port();
    let base = format!("http://127.0.0.1:{port}");

    let (store, store_label): (Arc<dyn AccountStore>, String) = match &args.dynamodb_endpoint {
        Some(endpoint) => (
            dynamodb_store(endpoint, &args).await?,
            format!("DynamoDB at {endpoint}, table {}", args.table),
        ),
        None if args.in_memory => (
            Arc::new(EmbeddedStore::in_memory()?),
            "embedded, in memory".to_owned(),
        ),
        None => {
            std::fs::create_dir_all(&args.data_dir)
                .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
            (
                Arc::new(EmbeddedStore::open(&args.data_dir)?),
                format!("embedded, in {}", args.data_dir.display()),
            )
        }
    };
    let cursor_key = if args.in_memory {
        rand_key()
    } else {
        persisted_cursor_key(&args.data_dir)?
    };
    let service = AccountsService::new(
        store,
        Arc::new(StaticCursorKey(cursor_key)),
        args.region.clone(),
    );

    let document = ApiDocument::from_template(API_DOCUMENT, &TemplateValues::default())?;
    let api = LocalApi::new(
        document,
        Arc::new(GeneratedBackend(service)),
        ServerConfig::default(),
    )?
    .with_pages(SpecPages::from_spec(SPEC)?);

    let mut tokens = None;
    let api = match (&args.issuer, &args.jwks_url) {
        (Some(issuer), Some(jwks)) => {
            api.with_authorizer(CognitoAuthorizer::new(AuthorizerConfig {
                issuer: issuer.clone(),
                audience: args.audience.clone(),
                jwks: JwksSource::Url(jwks.clone()),
            }))
        }
        _ => {
            let key = if args.in_memory {
                generate_key()?
            } else {
                persisted_signing_key(&args.data_dir)?
            };
            let dev = Arc::new(DevAuth::from_key(
                &key,
                DevAuth::local_issuer(port),
                "local-client",
            )?);
            let user = dev.mint_id_token(&DevUser::new("local-user"))?;
            let admin = dev.mint_id_token(&DevUser::new("local-admin").with_group("admin"))?;
            tokens = Some((user, admin));
            api.with_dev_auth(dev)?
        }
    };

    println!(
        "accounts-local: serving {base} (started in {} ms)",
        started.elapsed().as_millis()
    );
    println!("  store:    {store_label}");
    println!("  docs:     {base}/docs   spec: {base}/openapi.json");
    match &tokens {
        Some((user, admin)) => {
            println!("  user token (sub local-user):");
            println!("    export TOKEN={user}");
            println!("  admin token (sub local-admin, group admin):");
            println!("    export ADMIN_TOKEN={admin}");
            println!("  more tokens: curl '{base}/local/token?sub=alice&groups=admin'");
            println!("  try:      curl -H \"Authorization: $TOKEN\" {base}/accounts/me");
        }
        None => println!(
            "  auth:     tokens of {} (JWKS {})",
            args.issuer.as_deref().unwrap_or(""),
            args.jwks_url.as_deref().unwrap_or("")
        ),
    }
    println!("  Ctrl-C stops it.");

    Arc::new(api)
        .serve(listener, async {
            let _ = tokio::signal::ctrl_c().await;
            println!("accounts-local: shutting down");
        })
        .await?;
    Ok(())
}

fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .compact()
        .try_init();
}

async fn dynamodb_store(endpoint: &str, args: &Args) -> Result<Arc<dyn AccountStore>> {
    let region = if args.region == "local" {
        "us-east-1".to_owned()
    } else {
        args.region.clone()
    };
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region))
        .endpoint_url(endpoint)
        .http_client(accounts_aws_http::https_client()?)
        .load()
        .await;
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), args.table.clone());
    store
        .create_table()
        .await
        .with_context(|| format!("cannot reach or create table {} at {endpoint}", args.table))?;
    Ok(Arc::new(store))
}

fn rand_key() -> Vec<u8> {
    use rand::RngCore;
    let mut key = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    key
}

/// The cursor HMAC key, kept beside the data so cursors survive a restart.
fn persisted_cursor_key(dir: &Path) -> Result<Vec<u8>> {
    let path = dir.join("cursor.key");
    if let Ok(key) = std::fs::read(&path) {
        if key.len() >= 32 {
            return Ok(key);
        }
    }
    let key = rand_key();
    std::fs::write(&path, &key).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}

fn generate_key() -> Result<RsaPrivateKey> {
    RsaPrivateKey::new(&mut rand::thread_rng(), 2048).context("cannot generate the dev signing key")
}

/// The dev token signing key, kept so printed tokens stay valid across restarts.
fn persisted_signing_key(dir: &Path) -> Result<RsaPrivateKey> {
    let path = dir.join("dev-signing-key.pem");
    if let Ok(pem) = std::fs::read_to_string(&path) {
        if let Ok(key) = RsaPrivateKey::from_pkcs8_pem(&pem) {
            return Ok(key);
        }
    }
    let key = generate_key()?;
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .context("cannot encode the dev signing key")?;
    std::fs::write(&path, pem.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}
