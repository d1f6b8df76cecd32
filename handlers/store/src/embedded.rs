//! [`EmbeddedStore`]: the account store in a redb database (a file, or memory).
//!
//! It mirrors the DynamoDB design table by table: `accounts` (id → record),
//! `owners` (sub → id, the owner pointer), `idempotency` ((sub, key) → fingerprint,
//! snapshot, `expiresAt`) and `by_email` ((emailLower, id) → (), the GSI). Every
//! operation runs in one redb transaction; redb allows one write transaction at a
//! time, so writes are serialisable and the read-check-write sequences below need no
//! further locking (<https://docs.rs/redb/latest/redb/struct.Database.html#method.begin_write>).
//! redb is synchronous: writes (which commit and fsync) and scans run on tokio's
//! blocking pool; point reads run in place, as a read transaction never waits for the
//! writer (MVCC) and reads a few pages, which costs less than the hand-off to another thread.

use std::fmt;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use redb::backends::InMemoryBackend;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::token::{self, Position, TokenKind};
use crate::{
    check_immutable, check_limit, decide_replay, email_key, expires_at, is_expired, new_record,
    AccountRecord, AccountStore, CreateOutcome, IdempotencyClaim, NewAccount, Page, PageToken,
    StoreError, DEFAULT_IDEMPOTENCY_TTL,
};

/// id (as u128) → JSON [`AccountRecord`].
const ACCOUNTS: TableDefinition<u128, &[u8]> = TableDefinition::new("accounts");
/// owner sub → account id: one account per sub.
const OWNERS: TableDefinition<&str, u128> = TableDefinition::new("owners");
/// (owner sub, key) → JSON [`IdempotencyRecord`].
const IDEMPOTENCY: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("idempotency");
/// (emailLower, id): the `by-email` index, ordered as listings are.
const BY_EMAIL: TableDefinition<(&str, u128), ()> = TableDefinition::new("by_email");

/// The file inside the data directory.
const FILE_NAME: &str = "accounts.redb";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdempotencyRecord {
    fingerprint: String,
    snapshot: AccountRecord,
    expires_at: i64,
}

fn db_error(e: impl Into<redb::Error>) -> StoreError {
    let e: redb::Error = e.into();
    tracing::warn!(error = %e, "embedded store failed");
    StoreError::unavailable(e)
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Reads one account inside a transaction (read or write); a record that does not decode is
/// [`StoreError::Corrupt`], naming it.
fn read_account(
    table: &impl ReadableTable<u128, &'static [u8]>,
    id: Uuid,
) -> Result<Option<AccountRecord>, StoreError> {
    match table.get(id.as_u128()).map_err(db_error)? {
        Some(guard) => serde_json::from_slice(guard.value())
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("account {id}: {e}"))),
        None => Ok(None),
    }
}

/// Another process has the database file open.
#[derive(Debug, thiserror::Error)]
#[error("{} is open in another process (another server on the same data directory?)", path.display())]
pub struct InUse {
    path: PathBuf,
}

/// The account store in an embedded redb database.
///
/// Cheap to clone (clones share the database). [`EmbeddedStore::close`] releases the
/// file; every later call answers [`StoreError::Unavailable`].
#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<RwLock<Option<Arc<Database>>>>,
    path: Option<PathBuf>,
    idempotency_ttl: Duration,
}

impl fmt::Debug for EmbeddedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmbeddedStore")
            .field("path", &self.path)
            .field("idempotency_ttl", &self.idempotency_ttl)
            .finish_non_exhaustive()
    }
}

impl EmbeddedStore {
    /// Opens (or creates) the database `accounts.redb` in `data_dir`, creating the
    /// directory if needed. The data survives a restart. Fails with
    /// [`StoreError::Unavailable`] if another process has it open.
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Self, StoreError> {
        let dir = data_dir.as_ref();
        std::fs::create_dir_all(dir).map_err(StoreError::unavailable)?;
        let path = dir.join(FILE_NAME);
        let db = Database::create(&path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => {
                StoreError::unavailable(InUse { path: path.clone() })
            }
            other => db_error(other),
        })?;
        Self::from_database(db, Some(path))
    }

    /// A store in memory only, for tests.
    pub fn in_memory() -> Result<Self, StoreError> {
        let db = Database::builder()
            .create_with_backend(InMemoryBackend::new())
            .map_err(db_error)?;
        Self::from_database(db, None)
    }

    fn from_database(db: Database, path: Option<PathBuf>) -> Result<Self, StoreError> {
        // Create every table up front so that read transactions never meet a missing
        // table.
        let txn = db.begin_write().map_err(db_error)?;
        txn.open_table(ACCOUNTS).map_err(db_error)?;
        txn.open_table(OWNERS).map_err(db_error)?;
        txn.open_table(IDEMPOTENCY).map_err(db_error)?;
        txn.open_table(BY_EMAIL).map_err(db_error)?;
        txn.commit().map_err(db_error)?;
        Ok(EmbeddedStore {
            db: Arc::new(RwLock::new(Some(Arc::new(db)))),
            path,
            idempotency_ttl: DEFAULT_IDEMPOTENCY_TTL,
        })
    }

    /// Changes how long idempotency keys are remembered (tests use seconds).
    pub fn with_idempotency_ttl(mut self, ttl: Duration) -> Self {
        self.idempotency_ttl = ttl;
        self
    }

    /// The database file, if not in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Closes the database for all clones: the file is released once the calls in
    /// flight finish; later calls fail with [`StoreError::Unavailable`].
    pub fn close(&self) {
        if let Ok(mut guard) = self.db.write() {
            guard.take();
        }
    }

    /// The open database, or why there is none.
    fn database(&self) -> Result<Arc<Database>, StoreError> {
        self.db
            .read()
            .map_err(|_| StoreError::unavailable("embedded store lock poisoned"))?
            .clone()
            .ok_or_else(|| StoreError::unavailable("embedded store is closed"))
    }

    /// Runs `f` with the database on the blocking pool.
    async fn with_db<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.database()?;
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(StoreError::unavailable)?
    }

    /// Runs the point read `f` in place (see the module docs).
    fn read_db<T>(
        &self,
        f: impl FnOnce(&Database) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        f(self.database()?.as_ref())
    }
}

#[async_trait]
impl AccountStore for EmbeddedStore {
    /// A read transaction on the accounts table: fails once closed or broken.
    async fn health(&self) -> Result<(), StoreError> {
        self.read_db(|db| {
            let txn = db.begin_read().map_err(db_error)?;
            txn.open_table(ACCOUNTS).map_err(db_error)?;
            Ok(())
        })
    }

    async fn create(
        &self,
        new: NewAccount,
        claim: Option<IdempotencyClaim>,
    ) -> Result<CreateOutcome, StoreError> {
        let ttl = self.idempotency_ttl;
        self.with_db(move |db| {
            let now = Utc::now();
            let txn = db.begin_write().map_err(db_error)?;
            let outcome = {
                let mut idempotency = txn.open_table(IDEMPOTENCY).map_err(db_error)?;
                if let Some(claim) = &claim {
                    let key = (new.owner_sub.as_str(), claim.key.as_str());
                    if let Some(guard) = idempotency.get(key).map_err(db_error)? {
                        let rec: IdempotencyRecord = decode(guard.value())?;
                        if !is_expired(rec.expires_at, now) {
                            return decide_replay(&rec.fingerprint, rec.snapshot, claim);
                        }
                    }
                }
                let mut owners = txn.open_table(OWNERS).map_err(db_error)?;
                if owners
                    .get(new.owner_sub.as_str())
                    .map_err(db_error)?
                    .is_some()
                {
                    return Err(StoreError::AlreadyExists);
                }
                let record = new_record(new, now);
                let mut accounts = txn.open_table(ACCOUNTS).map_err(db_error)?;
                let mut by_email = txn.open_table(BY_EMAIL).map_err(db_error)?;
                let id = record.id.as_u128();
                accounts
                    .insert(id, encode(&record)?.as_slice())
                    .map_err(db_error)?;
                owners
                    .insert(record.owner_sub.as_str(), id)
                    .map_err(db_error)?;
                by_email
                    .insert((email_key(&record.email).as_str(), id), ())
                    .map_err(db_error)?;
                if let Some(claim) = &claim {
                    let rec = IdempotencyRecord {
                        fingerprint: claim.fingerprint.clone(),
                        snapshot: record.clone(),
                        expires_at: expires_at(now, ttl),
                    };
                    idempotency
                        .insert(
                            (record.owner_sub.as_str(), claim.key.as_str()),
                            encode(&rec)?.as_slice(),
                        )
                        .map_err(db_error)?;
                }
                CreateOutcome::Created(record)
            };
            txn.commit().map_err(db_error)?;
            Ok(outcome)
        })
        .await
    }

    async fn get(&self, id: Uuid) -> Result<AccountRecord, StoreError> {
        self.read_db(move |db| {
            let txn = db.begin_read().map_err(db_error)?;
            let accounts = txn.open_table(ACCOUNTS).map_err(db_error)?;
            read_account(&accounts, id)?.ok_or(StoreError::NotFound)
        })
    }

    async fn get_by_owner(&self, owner_sub: &str) -> Result<AccountRecord, StoreError> {
        self.read_db(move |db| {
            let txn = db.begin_read().map_err(db_error)?;
            let owners = txn.open_table(OWNERS).map_err(db_error)?;
            let id = owners
                .get(owner_sub)
                .map_err(db_error)?
                .ok_or(StoreError::NotFound)?
                .value();
            let accounts = txn.open_table(ACCOUNTS).map_err(db_error)?;
            read_account(&accounts, Uuid::from_u128(id))?.ok_or(StoreError::NotFound)
        })
    }

    async fn replace(
        &self,
        record: AccountRecord,
        expected_version: u64,
    ) -> Result<AccountRecord, StoreError> {
        self.with_db(move |db| {
            let txn = db.begin_write().map_err(db_error)?;
            let stored = {
                let mut accounts = txn.open_table(ACCOUNTS).map_err(db_error)?;
                let current = read_account(&accounts, record.id)?.ok_or(StoreError::NotFound)?;
                if current.version != expected_version {
                    return Err(StoreError::VersionConflict {
                        current: current.version,
                    });
                }
                check_immutable(&current, &record)?;
                let new_version = expected_version
                    .checked_add(1)
                    .ok_or_else(|| StoreError::InvalidArgument("version overflow".into()))?;
                let stored = AccountRecord {
                    version: new_version,
                    updated_at: Utc::now(),
                    ..record
                };
                let id = stored.id.as_u128();
                accounts
                    .insert(id, encode(&stored)?.as_slice())
                    .map_err(db_error)?;
                let mut by_email = txn.open_table(BY_EMAIL).map_err(db_error)?;
                by_email
                    .remove((email_key(&current.email).as_str(), id))
                    .map_err(db_error)?;
                by_email
                    .insert((email_key(&stored.email).as_str(), id), ())
                    .map_err(db_error)?;
                stored
            };
            txn.commit().map_err(db_error)?;
            Ok(stored)
        })
        .await
    }

    async fn delete(&self, id: Uuid) -> Result<(), StoreError> {
        self.with_db(move |db| {
            let txn = db.begin_write().map_err(db_error)?;
            {
                let mut accounts = txn.open_table(ACCOUNTS).map_err(db_error)?;
                let current = read_account(&accounts, id)?.ok_or(StoreError::NotFound)?;
                accounts.remove(id.as_u128()).map_err(db_error)?;
                let mut owners = txn.open_table(OWNERS).map_err(db_error)?;
                let points_here = owners
                    .get(current.owner_sub.as_str())
                    .map_err(db_error)?
                    .is_some_and(|g| g.value() == id.as_u128());
                if points_here {
                    owners
                        .remove(current.owner_sub.as_str())
                        .map_err(db_error)?;
                }
                let mut by_email = txn.open_table(BY_EMAIL).map_err(db_error)?;
                by_email
                    .remove((email_key(&current.email).as_str(), id.as_u128()))
                    .map_err(db_error)?;
            }
            txn.commit().map_err(db_error)?;
            Ok(())
        })
        .await
    }

    /// Walks the `by_email` index in (emailLower, id) order from just after the
    /// token's position, reading one extra entry to know whether more exist.
    async fn list(
        &self,
        email: Option<&str>,
        limit: u32,
        after: Option<PageToken>,
    ) -> Result<Page, StoreError> {
        let limit = check_limit(limit)?;
        let filter = email.map(email_key);
        let start = match &after {
            Some(t) => Some(token::decode(TokenKind::Embedded, filter.as_deref(), t)?),
            None => None,
        };
        self.with_db(move |db| {
            let txn = db.begin_read().map_err(db_error)?;
            let by_email = txn.open_table(BY_EMAIL).map_err(db_error)?;
            let accounts = txn.open_table(ACCOUNTS).map_err(db_error)?;
            let lower = match (&start, &filter) {
                (Some(p), _) => Bound::Excluded((p.email_lower.as_str(), p.id.as_u128())),
                (None, Some(f)) => Bound::Included((f.as_str(), 0u128)),
                (None, None) => Bound::Unbounded,
            };
            let range = by_email
                .range::<(&str, u128)>((lower, Bound::Unbounded))
                .map_err(db_error)?;
            let mut positions = Vec::with_capacity(limit + 1);
            for entry in range {
                let (key, _) = entry.map_err(db_error)?;
                let (email_lower, id) = key.value();
                if filter.as_deref().is_some_and(|f| f != email_lower) {
                    break;
                }
                positions.push(Position {
                    email_lower: email_lower.to_owned(),
                    id: Uuid::from_u128(id),
                });
                if positions.len() > limit {
                    break;
                }
            }
            let more = positions.len() > limit;
            positions.truncate(limit);
            let mut items = Vec::with_capacity(positions.len());
            for p in &positions {
                // The index and the table change in the same transaction, so the
                // record is there; skip rather than fail if it is not. One record that
                // does not decode is logged and left out: it must not fail the page.
                match read_account(&accounts, p.id) {
                    Ok(Some(rec)) => items.push(rec),
                    Ok(None) => {}
                    Err(StoreError::Corrupt(reason)) => {
                        tracing::error!(%reason, "listing skipped a stored account that does not decode");
                    }
                    Err(e) => return Err(e),
                }
            }
            let next = if more {
                positions
                    .last()
                    .map(|p| token::encode(TokenKind::Embedded, filter.as_deref(), p))
            } else {
                None
            };
            Ok(Page { items, next })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records that no longer fit: one record that does not decode is left out of a listing
    /// (and named as corrupt on a point read) instead of failing every page holding it.
    #[tokio::test]
    async fn a_listing_skips_a_record_that_does_not_decode() {
        let store = EmbeddedStore::in_memory().unwrap();
        for sub in ["sub-1", "sub-2", "sub-3"] {
            let new = NewAccount {
                owner_sub: sub.into(),
                email: format!("{sub}@example.com"),
                display_name: "A".into(),
                phone: None,
                locale: None,
            };
            store.create(new, None).await.unwrap();
        }
        let bad = store.get_by_owner("sub-2").await.unwrap().id;
        {
            let db = store.database().unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(ACCOUNTS)
                .unwrap()
                .insert(bad.as_u128(), &b"{\"id\": 7}"[..])
                .unwrap();
            txn.commit().unwrap();
        }
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = store.list(None, 1, after).await.unwrap();
            seen.extend(page.items.into_iter().map(|r| r.owner_sub));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["sub-1", "sub-3"]);
        let point = store.get(bad).await;
        assert!(
            matches!(&point, Err(StoreError::Corrupt(reason)) if reason.contains(&bad.to_string())),
            "{point:?}"
        );
    }
}
