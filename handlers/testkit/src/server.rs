//! The `accounts-local` stack in process, wired exactly as `handlers/local/src/main.rs` wires
//! it (same document, same adapters, same dev auth), on 127.0.0.1 and a free port.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use account_store::{AccountStore, EmbeddedStore, StoreError};
use accounts_service::{AccountsService, CursorKeys};
use apigateway_rest_emulator::devauth::DevAuthError;
use apigateway_rest_emulator::docs::DocsError;
use apigateway_rest_emulator::document::DocumentError;
use apigateway_rest_emulator::{
    bind, ApiDocument, BindError, DevAuth, DevUser, LocalApi, ServerConfig, SpecPages,
    TemplateValues,
};
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use tokio::sync::oneshot;

/// The document and spec the binary serves, compiled in the same way.
const API_DOCUMENT: &str = include_str!("../../../generated/apigateway.json");
const SPEC: &str = include_str!("../../../spec/accounts.yaml");

/// The app client id (`aud`) the test servers trust.
pub const CLIENT_ID: &str = "testkit-client";

/// Why a test server could not start.
#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    /// No free port, or the listener failed.
    #[error(transparent)]
    Bind(#[from] BindError),
    /// The generated API Gateway document did not load.
    #[error("the API document does not load")]
    Document(#[from] DocumentError),
    /// The spec pages did not build.
    #[error("the spec pages do not build")]
    Docs(#[from] DocsError),
    /// Dev auth failed.
    #[error(transparent)]
    DevAuth(#[from] DevAuthError),
    /// The store could not be opened.
    #[error("the store does not open")]
    Store(#[from] StoreError),
    /// Anything else of the socket.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// RSA-2048 generation takes a moment even optimised: one key per test binary.
fn generated_key(cell: &'static OnceLock<RsaPrivateKey>) -> &'static RsaPrivateKey {
    cell.get_or_init(|| {
        RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .unwrap_or_else(|e| panic!("cannot generate a test RSA key: {e}"))
    })
}

/// The key every test server of this binary trusts (its public half is the JWKS).
pub fn signing_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    generated_key(&KEY)
}

/// A key nobody trusts, for forged signatures.
fn forger_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    generated_key(&KEY)
}

/// The handlers behind the emulator (the same backend the binary uses).
pub type Handlers = accounts_local::GeneratedBackend<AccountsService>;

/// A running in-process server; it stops when dropped (or when the test's runtime ends).
pub struct TestServer {
    base: String,
    dev: Arc<DevAuth>,
    forger: DevAuth,
    shutdown: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for TestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestServer")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl TestServer {
    /// A server over a fresh in-memory embedded store (what `accounts-local --in-memory` runs).
    pub async fn start() -> Result<Self, TestkitError> {
        Self::start_with_store(Arc::new(EmbeddedStore::in_memory()?)).await
    }

    /// A server over `store` (a `DynamoStore` on moto, a [`crate::SwitchableStore`], ...).
    /// Must be called inside a tokio runtime; the server runs on it.
    pub async fn start_with_store(store: Arc<dyn AccountStore>) -> Result<Self, TestkitError> {
        let current: Vec<u8> = {
            use rand::RngCore;
            let mut key = vec![0u8; 32];
            rand::thread_rng().fill_bytes(&mut key);
            key
        };
        Self::start_with(
            store,
            CursorKeys {
                current,
                previous: None,
            },
        )
        .await
    }

    /// A server over `store` signing cursors with `cursor_keys` (rotation tests).
    pub async fn start_with(
        store: Arc<dyn AccountStore>,
        cursor_keys: CursorKeys,
    ) -> Result<Self, TestkitError> {
        let listener = bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let port = listener.local_addr()?.port();
        let service = AccountsService::new(store, Arc::new(cursor_keys), "local");
        let document = ApiDocument::from_template(API_DOCUMENT, &TemplateValues::default())?;
        let dev = Arc::new(DevAuth::from_key(
            signing_key(),
            DevAuth::local_issuer(port),
            CLIENT_ID,
        )?);
        // Same issuer and client id, another key: only the signature is wrong.
        let forger = DevAuth::from_key(forger_key(), DevAuth::local_issuer(port), CLIENT_ID)?;
        let api = LocalApi::new(
            document,
            Arc::new(accounts_local::GeneratedBackend(service)),
            ServerConfig::default(),
        )?
        .with_pages(SpecPages::from_spec(SPEC)?)
        .with_dev_auth(Arc::clone(&dev))?;
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let stopped = async {
                let _ = rx.await;
            };
            if let Err(e) = Arc::new(api).serve(listener, stopped).await {
                eprintln!("test server stopped with an error: {e}");
            }
        });
        Ok(Self {
            base: format!("http://127.0.0.1:{port}"),
            dev,
            forger,
            shutdown: Some(tx),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The dev issuer the server trusts.
    pub fn dev_auth(&self) -> &DevAuth {
        &self.dev
    }

    /// A typed client sending `user`'s ID token.
    pub fn client(&self, user: &DevUser) -> accounts_client::Client {
        accounts_client::Client::new_with_token(&self.base, &self.token(user))
    }

    /// A typed client sending `token` as it is.
    pub fn client_with_token(&self, token: &str) -> accounts_client::Client {
        accounts_client::Client::new_with_token(&self.base, token)
    }

    /// A typed client sending no token.
    pub fn anonymous(&self) -> accounts_client::Client {
        accounts_client::Client::anonymous(&self.base)
    }

    /// A valid Cognito-shaped ID token for `user`.
    pub fn token(&self, user: &DevUser) -> String {
        self.sign(&self.dev.id_token_claims(user))
    }

    /// A valid ID token of a user in no group.
    pub fn user_token(&self, sub: &str) -> String {
        self.token(&DevUser::new(sub))
    }

    /// A valid ID token of a member of the `admin` group.
    pub fn admin_token(&self, sub: &str) -> String {
        self.token(&DevUser::new(sub).with_group("admin"))
    }

    /// `user`'s ID token claims with `changes` applied (a `null` removes a claim), signed
    /// with the trusted key.
    pub fn token_with(&self, user: &DevUser, changes: Value) -> String {
        let mut claims = self.dev.id_token_claims(user);
        if let Value::Object(changes) = changes {
            for (k, v) in changes {
                if v.is_null() {
                    claims.remove(&k);
                } else {
                    claims.insert(k, v);
                }
            }
        }
        self.sign(&claims)
    }

    /// Expired an hour ago (issued two hours ago).
    pub fn expired_token(&self, user: &DevUser) -> String {
        let past = chrono::Utc::now().timestamp() - 3600;
        self.token_with(
            user,
            json!({"iat": past - 3600, "auth_time": past - 3600, "exp": past}),
        )
    }

    /// Issued by another user pool.
    pub fn wrong_issuer_token(&self, user: &DevUser) -> String {
        self.token_with(
            user,
            json!({"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}),
        )
    }

    /// Issued for another app client.
    pub fn wrong_audience_token(&self, user: &DevUser) -> String {
        self.token_with(user, json!({"aud": "another-client"}))
    }

    /// A Cognito access token (`token_use: access`, `client_id` instead of `aud`), which API
    /// Gateway's authorizer refuses on a method without OAuth scopes.
    pub fn access_token(&self, user: &DevUser) -> String {
        self.token_with(
            user,
            json!({
                "token_use": "access",
                "aud": null,
                "client_id": CLIENT_ID,
                "scope": "aws.cognito.signin.user.admin",
            }),
        )
    }

    /// Good claims signed with an untrusted key, under the trusted key's `kid`: only the
    /// signature is wrong.
    pub fn forged_token(&self, user: &DevUser) -> String {
        let claims = self.dev.id_token_claims(user);
        let genuine = self.sign(&claims);
        let forged = self
            .forger
            .sign(&claims)
            .unwrap_or_else(|e| panic!("cannot sign a forged token: {e}"));
        let header = genuine.split('.').next().unwrap_or_default();
        let rest = forged.split_once('.').map(|(_, r)| r).unwrap_or_default();
        format!("{header}.{rest}")
    }

    /// Good claims signed with an untrusted key under its own (unknown) `kid`.
    pub fn unknown_key_token(&self, user: &DevUser) -> String {
        self.forger
            .sign(&self.dev.id_token_claims(user))
            .unwrap_or_else(|e| panic!("cannot sign a token: {e}"))
    }

    fn sign(&self, claims: &serde_json::Map<String, Value>) -> String {
        self.dev
            .sign(claims)
            .unwrap_or_else(|e| panic!("cannot sign a test token: {e}"))
    }
}
