//! What every accounts Lambda shares: the service built once per container
//! from its environment (the seed's "pure Lambda per route": no framework,
//! the DynamoDB client created during init and reused by every invocation;
//! `listAccounts`' Secrets Manager client on its first use).
//!
//! Environment (set by `terraform/`):
//! - `TABLE_NAME`: the DynamoDB global table's name;
//! - `CURSOR_SECRET_ID`: only for `listAccounts`, the Secrets Manager secret
//!   holding the cursor HMAC key (see [`SecretsManagerCursorKey`] for the
//!   versions it reads and how a rotation reaches running containers).
//!
//! Set by Lambda (required, see [`LambdaAws`]): `AWS_REGION` (also reported by
//! `GET /health`), the role's credentials and `AWS_LAMBDA_RUNTIME_API`.
//! Optional: `AWS_CA_BUNDLE` (see `accounts_aws_http`).

use account_store::DynamoStore;
use accounts_service::{AccountsService, CursorKey, CursorKeyError, CursorKeys, StaticCursorKey};
use async_trait::async_trait;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, OnceCell};

/// The variables every function's set-up reads ([`service`]); the generated
/// manifest's `environment` must list them, and Terraform sets what it lists
/// (a test checks the manifest against these).
pub const SERVICE_ENVIRONMENT: &[&str] = &[TABLE_NAME];
/// The variables [`service_with_secret`] reads in addition.
pub const SECRET_ENVIRONMENT: &[&str] = &[CURSOR_SECRET_ID];
const TABLE_NAME: &str = "TABLE_NAME";
const CURSOR_SECRET_ID: &str = "CURSOR_SECRET_ID";

/// Why a container cannot start.
#[derive(thiserror::Error)]
pub enum InitError {
    #[error("environment variable {0} is not set (these binaries run under a Lambda Runtime API; `accounts-local` serves the API anywhere else)")]
    MissingEnv(&'static str),
    #[error(transparent)]
    Trust(#[from] accounts_aws_http::TrustError),
}

/// The message itself: `main` returns this error, and Rust prints a returned
/// error with `Debug` (`Error: ...` on stderr, which Lambda logs as the init failure).
impl std::fmt::Debug for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

fn env(name: &'static str) -> Result<String, InitError> {
    std::env::var(name).map_err(|_| InitError::MissingEnv(name))
}

/// What a Lambda's environment says about AWS: Lambda always sets `AWS_REGION`
/// and the execution role's credentials as `AWS_ACCESS_KEY_ID`/
/// `AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, which are the first links of the
/// SDK's default region and credentials chains
/// (<https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime>,
/// <https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html>).
/// So inside Lambda those chains always resolve to these values, and the clients
/// are built straight from them: no profile files, no chain set-up during init,
/// and none of the chains' code (STS, SSO, IMDS, ECS providers) in the zip. These
/// binaries run only under a Lambda Runtime API (AWS, or the benchmark's fake);
/// `accounts-local` serves the API anywhere else.
#[derive(Debug, Clone)]
pub struct LambdaAws {
    pub region: String,
}

impl LambdaAws {
    /// Reads the environment; names the first variable Lambda would have set that is missing.
    pub fn from_env() -> Result<Self, InitError> {
        let set = |name: &'static str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or(InitError::MissingEnv(name))
        };
        set("AWS_LAMBDA_RUNTIME_API")?;
        set("AWS_ACCESS_KEY_ID")?;
        set("AWS_SECRET_ACCESS_KEY")?;
        Ok(Self {
            region: set("AWS_REGION")?,
        })
    }

    /// The endpoint override of a service, as the SDK's default chain reads it
    /// from the environment: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`,
    /// neither when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
    /// (<https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html>).
    /// Lambda sets none of these; the benchmark and local runs do.
    fn endpoint_url(service_env: &str) -> Option<String> {
        let ignore = std::env::var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            .map(|v| v.eq_ignore_ascii_case("true"))
            .unwrap_or(false);
        if ignore {
            return None;
        }
        [
            format!("AWS_ENDPOINT_URL_{service_env}"),
            "AWS_ENDPOINT_URL".to_owned(),
        ]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// A DynamoDB client with the same credentials, region, endpoint, retry and
    /// timeout defaults as one built from the SDK's default chains in Lambda.
    pub fn dynamodb(&self, http: SharedHttpClient) -> aws_sdk_dynamodb::Client {
        use aws_sdk_dynamodb::config::{BehaviorVersion, Region};
        let mut builder = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .http_client(http)
            .region(Region::new(self.region.clone()))
            .credentials_provider(
                aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
            );
        if let Some(url) = Self::endpoint_url("DYNAMODB") {
            builder = builder.endpoint_url(url);
        }
        aws_sdk_dynamodb::Client::from_conf(builder.build())
    }

    /// A Secrets Manager client, likewise.
    pub fn secrets_manager(&self, http: SharedHttpClient) -> aws_sdk_secretsmanager::Client {
        use aws_sdk_secretsmanager::config::{BehaviorVersion, Region};
        let mut builder = aws_sdk_secretsmanager::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .http_client(http)
            .region(Region::new(self.region.clone()))
            .credentials_provider(
                aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
            );
        if let Some(url) = Self::endpoint_url("SECRETS_MANAGER") {
            builder = builder.endpoint_url(url);
        }
        aws_sdk_secretsmanager::Client::from_conf(builder.build())
    }
}

/// The service over the DynamoDB table, for the operations that never list (and
/// have no permission on the cursor secret): its cursor key is never used.
pub async fn service() -> Result<AccountsService, InitError> {
    build_service(|_, _| Ok(Arc::new(StaticCursorKey(Vec::new())))).await
}

/// The service of `listAccounts`: the cursor key comes from Secrets Manager
/// (`CURSOR_SECRET_ID`), read on first use. A separate entry point so that the
/// other functions do not link the Secrets Manager client at all.
pub async fn service_with_secret() -> Result<AccountsService, InitError> {
    build_service(|aws, http| {
        Ok(Arc::new(SecretsManagerCursorKey::new(
            aws.clone(),
            http,
            env(CURSOR_SECRET_ID)?,
        )))
    })
    .await
}

async fn build_service(
    cursor_key: impl FnOnce(&LambdaAws, SharedHttpClient) -> Result<Arc<dyn CursorKey>, InitError>,
) -> Result<AccountsService, InitError> {
    let table = env(TABLE_NAME)?;
    let aws = LambdaAws::from_env()?;
    // One HTTPS client (one connection pool, one TLS configuration) for all SDK clients.
    let http = accounts_aws_http::https_client()?;
    let dynamodb = aws.dynamodb(http.clone());
    if std::env::var("ACCOUNTS_WARM_UP").is_ok_and(|v| v == "1") {
        warm_up(&dynamodb, &table).await;
    }
    let cursor_key = cursor_key(&aws, http)?;
    let store = DynamoStore::new(dynamodb, table);
    Ok(AccountsService::new(
        Arc::new(store),
        cursor_key,
        aws.region,
    ))
}

/// Opt-in (`ACCOUNTS_WARM_UP=1`): one `GetItem` of a key no item has
/// (`pk = "WARMUP"`) during init, so the first request finds the HTTP client
/// built, the connection (and on AWS the TLS session) pooled and the
/// credentials cached. The result is ignored: a function without
/// `dynamodb:GetItem` (getHealth, listAccounts) gets AccessDenied, which still
/// leaves the connection warm. It moves cost from the first request into init
/// (the same total for an on-demand cold start, see handlers/bench/README.md);
/// it pays off where init happens ahead of traffic (provisioned concurrency).
pub async fn warm_up(client: &aws_sdk_dynamodb::Client, table: &str) {
    let _ = client
        .get_item()
        .table_name(table)
        .key(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S("WARMUP".to_owned()),
        )
        .send()
        .await;
}

/// The cursor keys from Secrets Manager: the secret's `AWSCURRENT` version signs
/// and checks cursors, its `AWSPREVIOUS` version (when there is one) checks the
/// cursors issued before the last rotation
/// (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html#term_version>).
/// Rotating is putting a new secret value: Secrets Manager moves `AWSCURRENT`
/// to it and `AWSPREVIOUS` to the value before, so open listings keep working.
///
/// Read on first use and again when older than [`KEYS_MAX_AGE`], so a rotation
/// reaches running containers within minutes; a cursor the keys refuse makes it
/// read them again at most once per [`REFRESH_INTERVAL`] (another container may
/// already sign with the new key). If a later read fails, the keys read before
/// stay in use (logged). The client too is built on first use: only a request
/// with a cursor to sign or check needs it, and building it during init cost
/// `listAccounts` ~0.2 ms of CPU there (handlers/bench/README.md).
pub struct SecretsManagerCursorKey {
    aws: LambdaAws,
    http: SharedHttpClient,
    secret_id: String,
    client: OnceCell<aws_sdk_secretsmanager::Client>,
    cached: Mutex<Option<(CursorKeys, Instant)>>,
    max_age: Duration,
    refresh_interval: Duration,
}

/// Keys shorter than this are refused: HMAC-SHA256 wants at least 256 bits.
pub const MIN_KEY_BYTES: usize = 32;

/// How long read keys are used before they are read again.
pub const KEYS_MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// The least time between two reads caused by a refused cursor.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(60);

impl SecretsManagerCursorKey {
    pub fn new(aws: LambdaAws, http: SharedHttpClient, secret_id: String) -> Self {
        Self {
            aws,
            http,
            secret_id,
            client: OnceCell::new(),
            cached: Mutex::new(None),
            max_age: KEYS_MAX_AGE,
            refresh_interval: REFRESH_INTERVAL,
        }
    }

    /// Other ages than [`KEYS_MAX_AGE`] and [`REFRESH_INTERVAL`] (tests).
    pub fn with_ages(mut self, max_age: Duration, refresh_interval: Duration) -> Self {
        self.max_age = max_age;
        self.refresh_interval = refresh_interval;
        self
    }

    /// The cached keys if younger than `max_age`, else freshly read (the cached
    /// ones, if any, when the read fails).
    async fn keys_younger_than(&self, max_age: Duration) -> Result<CursorKeys, CursorKeyError> {
        let mut cached = self.cached.lock().await;
        if let Some((keys, at)) = cached.as_ref() {
            if at.elapsed() < max_age {
                return Ok(keys.clone());
            }
        }
        match self.read().await {
            Ok(keys) => {
                *cached = Some((keys.clone(), Instant::now()));
                Ok(keys)
            }
            Err(e) => match cached.as_ref() {
                Some((keys, _)) => {
                    tracing::warn!(error = %e, "cannot read the cursor keys again; using the ones read before");
                    Ok(keys.clone())
                }
                None => Err(e),
            },
        }
    }

    async fn read(&self) -> Result<CursorKeys, CursorKeyError> {
        let current = self.version("AWSCURRENT").await?.ok_or_else(|| {
            CursorKeyError(format!(
                "secret {} has no AWSCURRENT version",
                self.secret_id
            ))
        })?;
        if current.len() < MIN_KEY_BYTES {
            return Err(CursorKeyError(format!(
                "secret {} holds {} bytes; at least {MIN_KEY_BYTES} are needed",
                self.secret_id,
                current.len()
            )));
        }
        let previous = self.version("AWSPREVIOUS").await?.filter(|previous| {
            let long_enough = previous.len() >= MIN_KEY_BYTES;
            if !long_enough {
                tracing::warn!(secret = %self.secret_id, "the AWSPREVIOUS cursor key is too short; ignored");
            }
            long_enough
        });
        Ok(CursorKeys { current, previous })
    }

    /// The secret's value at `stage`; `None` when no version has that label.
    async fn version(&self, stage: &str) -> Result<Option<Vec<u8>>, CursorKeyError> {
        let client = self
            .client
            .get_or_init(|| async { self.aws.secrets_manager(self.http.clone()) })
            .await;
        let out = match client
            .get_secret_value()
            .secret_id(&self.secret_id)
            .version_stage(stage)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_resource_not_found_exception()) =>
            {
                return Ok(None)
            }
            Err(e) => {
                return Err(CursorKeyError(format!(
                    "GetSecretValue {} ({stage}): {}",
                    self.secret_id,
                    aws_sdk_secretsmanager::error::DisplayErrorContext(&e)
                )))
            }
        };
        Ok(Some(
            out.secret_string()
                .map(|s| s.as_bytes().to_vec())
                .or_else(|| out.secret_binary().map(|b| b.as_ref().to_vec()))
                .unwrap_or_default(),
        ))
    }
}

#[async_trait]
impl CursorKey for SecretsManagerCursorKey {
    async fn keys(&self) -> Result<CursorKeys, CursorKeyError> {
        self.keys_younger_than(self.max_age).await
    }

    async fn refreshed_keys(&self) -> Result<CursorKeys, CursorKeyError> {
        self.keys_younger_than(self.refresh_interval).await
    }
}
