//! The accounts store behind `accounts-local`: embedded on disk (default), embedded in memory,
//! or a DynamoDB-compatible endpoint; and the keys kept beside its data.
//!
//! The data directory is created owner-only (`0700`), and the keys in it are owner-only files
//! (`0600`, see `apigateway_rest_emulator::secret_file`): the dev signing key and the cursor
//! keys. `cursor.key` signs cursors; `cursor.key.previous`, when present, still checks the
//! cursors signed before a rotation. Rotate with `mv cursor.key cursor.key.previous` and a
//! restart (a new `cursor.key` is made).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use account_store::{AccountStore, DynamoStore, EmbeddedStore};
use accounts_service::CursorKeys;
use anyhow::{Context, Result};
use apigateway_rest_emulator::local_data::create_private_dir;
use apigateway_rest_emulator::{secret_file, SigningKey};

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
                create_private_dir(&self.data_dir)?;
                let store = EmbeddedStore::open(&self.data_dir).with_context(|| {
                    format!(
                        "cannot open the store in --data-dir {} (if another accounts-local uses it, stop that one or pass another --data-dir)",
                        self.data_dir.display()
                    )
                })?;
                (
                    Arc::new(store),
                    format!("embedded, in {}", self.data_dir.display()),
                )
            }
        };
        Ok(OpenStore { store, label })
    }

    /// The cursor HMAC keys: kept beside the data so cursors survive a restart (with the
    /// previous key, if a rotation left one), or fresh with `--in-memory`.
    pub fn cursor_keys(&self) -> Result<CursorKeys> {
        if self.in_memory {
            return Ok(CursorKeys {
                current: random_key(),
                previous: None,
            });
        }
        create_private_dir(&self.data_dir)?;
        let previous = secret_file::read(&self.data_dir.join("cursor.key.previous"))?
            .filter(|key| key.len() >= MIN_KEY_BYTES);
        Ok(CursorKeys {
            current: persisted_cursor_key(&self.data_dir)?,
            previous,
        })
    }

    /// Whether the store holds data others use too (a DynamoDB endpoint).
    pub fn is_shared(&self) -> bool {
        self.dynamodb_endpoint.is_some()
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

/// HMAC-SHA256 wants at least 256 bits.
const MIN_KEY_BYTES: usize = 32;

fn persisted_cursor_key(dir: &Path) -> Result<Vec<u8>> {
    let path = dir.join("cursor.key");
    let existing = secret_file::read(&path)?;
    if let Some(key) = existing.clone().filter(|k| k.len() >= MIN_KEY_BYTES) {
        return Ok(key);
    }
    let key = random_key();
    if secret_file::create(&path, &key, existing.is_some())? {
        return Ok(key);
    }
    // Another accounts-local starting on the same directory wrote one first.
    Ok(secret_file::read(&path)?
        .filter(|k| k.len() >= MIN_KEY_BYTES)
        .unwrap_or(key))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// Operations: the data directory and the keys in it are the owner's only, and a rotated
    /// key keeps checking the cursors signed before.
    #[test]
    fn keys_beside_the_data_are_private_and_rotate() {
        let root = tempfile::tempdir().unwrap();
        let args = StoreArgs {
            data_dir: root.path().join("data"),
            in_memory: false,
            dynamodb_endpoint: None,
            table: "accounts".into(),
            region: "local".into(),
        };
        let first = args.cursor_keys().unwrap();
        assert_eq!(first.previous, None);
        assert_eq!(mode(&args.data_dir), 0o700);
        assert_eq!(mode(&args.data_dir.join("cursor.key")), 0o600);
        assert_eq!(
            args.cursor_keys().unwrap(),
            first,
            "read back, not replaced"
        );
        std::fs::rename(
            args.data_dir.join("cursor.key"),
            args.data_dir.join("cursor.key.previous"),
        )
        .unwrap();
        let rotated = args.cursor_keys().unwrap();
        assert_ne!(rotated.current, first.current);
        assert_eq!(rotated.previous.as_deref(), Some(first.current.as_slice()));
        assert!(!args.is_shared());
    }
}
