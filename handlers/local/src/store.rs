//! The accounts store behind `accounts-local`: embedded on disk (default), embedded in memory,
//! or a DynamoDB-compatible endpoint; and the keys kept beside its data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use account_store::{AccountStore, DynamoStore, EmbeddedStore};
use anyhow::{Context, Result};
use apigateway_rest_emulator::SigningKey;

/// The store flags.
#[derive(clap::Args, Debug)]
pub struct StoreArgs {
    /// Where the embedded store and the dev signing key live.
    #[arg(long, default_value = ".data/local")]
    pub data_dir: PathBuf,
    /// Keep everything in memory (nothing survives a restart).
    #[arg(long)]
    pub in_memory: bool,
    /// Use a DynamoDB-compatible endpoint (e.g. moto) instead of the embedded store.
    #[arg(long)]
    pub dynamodb_endpoint: Option<String>,
    /// DynamoDB table name (created if missing).
    #[arg(long, default_value = "accounts")]
    pub table: String,
    /// Region reported by /health and used for DynamoDB.
    #[arg(long, default_value = "local")]
    pub region: String,
}

/// An open store and how the start-up lines name it.
pub struct OpenStore {
    pub store: Arc<dyn AccountStore>,
    pub label: String,
}

impl StoreArgs {
    /// Opens (and for DynamoDB, creates if missing) the store the flags name.
    pub async fn open(&self) -> Result<OpenStore> {
        let (store, label): (Arc<dyn AccountStore>, String) = match &self.dynamodb_endpoint {
            Some(endpoint) => (
                self.dynamodb_store(endpoint).await?,
                format!("DynamoDB at {endpoint}, table {}", self.table),
            ),
            None if self.in_memory => (
                Arc::new(EmbeddedStore::in_memory()?),
                "embedded, in memory".to_owned(),
            ),
            None => {
                std::fs::create_dir_all(&self.data_dir)
                    .with_context(|| format!("cannot create {}", self.data_dir.display()))?;
                (
                    Arc::new(EmbeddedStore::open(&self.data_dir)?),
                    format!("embedded, in {}", self.data_dir.display()),
                )
            }
        };
        Ok(OpenStore { store, label })
    }

    /// The cursor HMAC key: kept beside the data so cursors survive a restart, or fresh
    /// with `--in-memory`.
    pub fn cursor_key(&self) -> Result<Vec<u8>> {
        if self.in_memory {
            Ok(random_key())
        } else {
            persisted_cursor_key(&self.data_dir)
        }
    }

    /// Where the dev token signing key lives: beside the data, so printed tokens stay valid
    /// across restarts, or nowhere with `--in-memory`.
    pub fn signing_key(&self) -> SigningKey {
        if self.in_memory {
            SigningKey::Ephemeral
        } else {
            SigningKey::Persisted(self.data_dir.clone())
        }
    }

    async fn dynamodb_store(&self, endpoint: &str) -> Result<Arc<dyn AccountStore>> {
        let region = if self.region == "local" {
            "us-east-1".to_owned()
        } else {
            self.region.clone()
        };
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region))
            .endpoint_url(endpoint)
            .http_client(accounts_aws_http::https_client()?)
            .load()
            .await;
        let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), self.table.clone());
        store.create_table().await.with_context(|| {
            format!("cannot reach or create table {} at {endpoint}", self.table)
        })?;
        Ok(Arc::new(store))
    }
}

fn random_key() -> Vec<u8> {
    use rand::RngCore;
    let mut key = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    key
}

fn persisted_cursor_key(dir: &Path) -> Result<Vec<u8>> {
    let path = dir.join("cursor.key");
    if let Ok(key) = std::fs::read(&path) {
        if key.len() >= 32 {
            return Ok(key);
        }
    }
    let key = random_key();
    std::fs::write(&path, &key).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}
