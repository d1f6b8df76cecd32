//! The account store: one trait, a DynamoDB implementation and an embedded one.
//!
//! The service layer talks to [`AccountStore`] only, as `Arc<dyn AccountStore>`, so the
//! local server can choose at run time between [`DynamoStore`] (the cloud, or moto) and
//! [`EmbeddedStore`] (a redb file, or memory for tests). Both give the same answers and
//! the same [`StoreError`]s; one conformance suite (`tests/`) runs against both.
//!
//! The table design (single table, owner pointer, idempotency records, the `by-email`
//! GSI) and the consistency choices are documented in this crate's `README.md`.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod api_errors;
mod dynamo;
mod embedded;
mod token;

pub use api_errors::{log_cause, UNAVAILABLE_MESSAGE};
pub use dynamo::{DynamoStore, EMAIL_INDEX};
pub use embedded::{EmbeddedStore, InUse};

/// How long an idempotency key is remembered unless configured otherwise: 24 hours, as
/// the `createAccount` operation of `spec/accounts.yaml` promises.
pub const DEFAULT_IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The key `health` reads: a point read of an item nobody writes.
pub const HEALTH_KEY: &str = "HEALTH";

/// How long `health` may take. Route53 counts an HTTP(S) check as failed when
/// the endpoint does not answer within 2 seconds of the connection
/// (<https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html>),
/// so a slow replica must fail the check rather than time it out.
pub const HEALTH_TIMEOUT: Duration = Duration::from_millis(1500);

/// The largest page [`AccountStore::list`] returns (the spec's `limit` maximum).
pub const MAX_PAGE_SIZE: u32 = 100;

/// Boxed error source of [`StoreError::Unavailable`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// One stored account, independent of the HTTP types.
///
/// Serialised in camelCase so that the DynamoDB attributes read like the API's JSON
/// (`ownerSub`, `displayName`, ...); absent optional fields are absent attributes, not
/// `NULL`, so that clearing a field removes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountRecord {
    /// The account id (a v4 UUID chosen by the store).
    pub id: Uuid,
    /// The Cognito `sub` of the owner; one account per `sub`; never changes.
    pub owner_sub: String,
    /// The email as given (the store indexes it lower-cased as `emailLower`).
    pub email: String,
    /// The display name.
    pub display_name: String,
    /// Optional E.164 phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Optional BCP 47 locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Starts at 1 and is bumped by every [`AccountStore::replace`]; the `ETag`.
    pub version: u64,
    /// When the account was created; never changes.
    pub created_at: DateTime<Utc>,
    /// When the account was last written.
    pub updated_at: DateTime<Utc>,
}

/// The input of [`AccountStore::create`]: what the caller chooses; the store adds the
/// id, the version and the timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The Cognito `sub` of the caller, who becomes the owner.
    pub owner_sub: String,
    /// The email.
    pub email: String,
    /// The display name.
    pub display_name: String,
    /// Optional E.164 phone number.
    pub phone: Option<String>,
    /// Optional BCP 47 locale.
    pub locale: Option<String>,
}

/// An `Idempotency-Key` and the fingerprint of the request that carried it.
///
/// The store scopes keys per owner `sub` (two users may pick the same key). The
/// fingerprint is opaque to the store (the service hashes the request body): the same
/// key with another fingerprint is an [`StoreError::IdempotencyConflict`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyClaim {
    /// The client's `Idempotency-Key`.
    pub key: String,
    /// A digest of the request the key was first used with.
    pub fingerprint: String,
}

/// The result of a successful [`AccountStore::create`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    /// The account was created by this call.
    Created(AccountRecord),
    /// A retry of an earlier call with the same idempotency key and fingerprint: the
    /// record as it was created then (even if it changed or was deleted since).
    Replayed(AccountRecord),
}

impl CreateOutcome {
    /// The record, created or replayed.
    pub fn record(&self) -> &AccountRecord {
        match self {
            CreateOutcome::Created(r) | CreateOutcome::Replayed(r) => r,
        }
    }

    /// The record, created or replayed, by value.
    pub fn into_record(self) -> AccountRecord {
        match self {
            CreateOutcome::Created(r) | CreateOutcome::Replayed(r) => r,
        }
    }

    /// Whether this call replayed an earlier one.
    pub fn is_replay(&self) -> bool {
        matches!(self, CreateOutcome::Replayed(_))
    }
}

/// An opaque position in a listing, produced by the store that listed.
///
/// The service signs it (HMAC) before it leaves the process; the store still checks
/// its shape and answers [`StoreError::InvalidPageToken`] for anything it did not
/// produce, so a forged or foreign token never crashes it or restarts the scan.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PageToken(Vec<u8>);

impl PageToken {
    /// Wraps bytes received from a client (after the service checked the signature).
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        PageToken(bytes.into())
    }

    /// The token's bytes, to sign and encode.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The token's bytes, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for PageToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PageToken({})", String::from_utf8_lossy(&self.0))
    }
}

/// One page of [`AccountStore::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Up to `limit` accounts.
    pub items: Vec<AccountRecord>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<PageToken>,
}

/// What can go wrong, typed so that each case maps to its HTTP status (`api_errors`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The owner already has an account (one per `sub`): 409.
    #[error("the owner already has an account")]
    AlreadyExists,
    /// The idempotency key was used before with another fingerprint: 422.
    #[error("the idempotency key was used with a different request")]
    IdempotencyConflict,
    /// No such account: 404.
    #[error("no such account")]
    NotFound,
    /// The expected version is stale: 412; `current` is the stored version.
    #[error("version conflict: the current version is {current}")]
    VersionConflict {
        /// The version that is stored now.
        current: u64,
    },
    /// The page token was not produced by this store for this filter: 400.
    #[error("invalid page token")]
    InvalidPageToken,
    /// The caller broke the store's contract (a limit out of range, a change of an
    /// immutable field): a bug in the caller, so 500.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A stored item could not be decoded.
    #[error("corrupt stored item: {0}")]
    Corrupt(String),
    /// The backend could not be reached or failed: 503. The message says only that; the
    /// cause is the error's `source()` (printed once by whoever walks the chain).
    #[error("the account store is unavailable")]
    Unavailable(#[source] BoxError),
}

impl StoreError {
    pub(crate) fn unavailable(e: impl Into<BoxError>) -> Self {
        StoreError::Unavailable(e.into())
    }
}

/// The account store.
///
/// Object safe (through `async_trait`) so that the server holds an
/// `Arc<dyn AccountStore>` chosen at start-up. Every read is strongly consistent except
/// [`list`](AccountStore::list), which DynamoDB serves from a GSI (eventually consistent
/// by design: GSIs do not support consistent reads).
#[async_trait]
pub trait AccountStore: Send + Sync + fmt::Debug {
    /// Whether the backing table serves reads (`GET /health`, used by Route53).
    async fn health(&self) -> Result<(), StoreError>;

    /// Creates the owner's account, or replays an earlier creation with the same
    /// idempotency claim.
    ///
    /// Errors: [`StoreError::AlreadyExists`] when the owner has an account;
    /// [`StoreError::IdempotencyConflict`] when the claim's key was used (and has not
    /// expired) with another fingerprint.
    async fn create(
        &self,
        new: NewAccount,
        claim: Option<IdempotencyClaim>,
    ) -> Result<CreateOutcome, StoreError>;

    /// The account with this id, or [`StoreError::NotFound`].
    async fn get(&self, id: Uuid) -> Result<AccountRecord, StoreError>;

    /// The account owned by this `sub`, or [`StoreError::NotFound`] (the hot path).
    async fn get_by_owner(&self, owner_sub: &str) -> Result<AccountRecord, StoreError>;

    /// Writes `record` (all mutable fields: email, display name, phone, locale) if the
    /// stored version is `expected_version`; returns the stored record with
    /// `version = expected_version + 1` and a fresh `updated_at`.
    ///
    /// `id` selects the account; `owner_sub` and `created_at` must be the stored ones
    /// ([`StoreError::InvalidArgument`] otherwise); `version` and `updated_at` of the
    /// input are ignored. Errors: [`StoreError::NotFound`],
    /// [`StoreError::VersionConflict`].
    async fn replace(
        &self,
        record: AccountRecord,
        expected_version: u64,
    ) -> Result<AccountRecord, StoreError>;

    /// Deletes the account and its owner pointer together, or [`StoreError::NotFound`].
    async fn delete(&self, id: Uuid) -> Result<(), StoreError>;

    /// One page of accounts: all of them, or those whose email equals `email`
    /// case-insensitively. `limit` must be in `1..=100`; `after` is the `next` of the
    /// previous page of the same listing. `next` is `Some` only when more items exist.
    async fn list(
        &self,
        email: Option<&str>,
        limit: u32,
        after: Option<PageToken>,
    ) -> Result<Page, StoreError>;
}

/// Checks the `limit` of [`AccountStore::list`] the same way in both stores.
pub(crate) fn check_limit(limit: u32) -> Result<usize, StoreError> {
    if (1..=MAX_PAGE_SIZE).contains(&limit) {
        Ok(limit as usize)
    } else {
        Err(StoreError::InvalidArgument(format!(
            "limit must be in 1..={MAX_PAGE_SIZE}, got {limit}"
        )))
    }
}

/// The lower-cased email both stores index, so that lookups are case-insensitive.
pub(crate) fn email_key(email: &str) -> String {
    email.to_lowercase()
}

/// Epoch seconds at which an idempotency record written `now` expires: `now + ttl`
/// rounded up, so that a key lives at least `ttl` (and at most a second more) although
/// `expiresAt` has whole seconds, as DynamoDB TTL requires.
pub(crate) fn expires_at(now: DateTime<Utc>, ttl: Duration) -> i64 {
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    let end_ms = now.timestamp_millis().saturating_add(ttl_ms);
    end_ms.div_euclid(1000) + i64::from(end_ms.rem_euclid(1000) > 0)
}

/// Whether a record with this `expiresAt` is dead at `now`. DynamoDB's TTL deletes
/// expired items only eventually (typically within days) and moto never does, so
/// every read applies the expiry itself:
/// <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html>.
pub(crate) fn is_expired(expires_at: i64, now: DateTime<Utc>) -> bool {
    expires_at <= now.timestamp()
}

/// The record a create of `new` would store (a fresh id, version 1, now), so that a caller can
/// check it before asking the store to write it.
pub fn preview(new: &NewAccount) -> AccountRecord {
    new_record(new.clone(), Utc::now())
}

/// Builds the record a successful create stores.
pub(crate) fn new_record(new: NewAccount, now: DateTime<Utc>) -> AccountRecord {
    AccountRecord {
        id: Uuid::new_v4(),
        owner_sub: new.owner_sub,
        email: new.email,
        display_name: new.display_name,
        phone: new.phone,
        locale: new.locale,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// The answer to a claim whose key is already recorded (and alive).
pub(crate) fn decide_replay(
    stored_fingerprint: &str,
    snapshot: AccountRecord,
    claim: &IdempotencyClaim,
) -> Result<CreateOutcome, StoreError> {
    if stored_fingerprint == claim.fingerprint {
        Ok(CreateOutcome::Replayed(snapshot))
    } else {
        Err(StoreError::IdempotencyConflict)
    }
}

/// Checks that a replacement keeps the immutable fields, with the same wording for
/// both stores.
pub(crate) fn check_immutable(
    stored: &AccountRecord,
    new: &AccountRecord,
) -> Result<(), StoreError> {
    if stored.owner_sub != new.owner_sub || stored.created_at != new.created_at {
        return Err(StoreError::InvalidArgument(
            "owner_sub and created_at cannot change".to_string(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keys_live_at_least_their_ttl() {
        let at = |ms: i64| Utc.timestamp_millis_opt(ms).single().unwrap_or_default();
        let ttl = Duration::from_secs(2);
        assert_eq!(expires_at(at(100_000), ttl), 102);
        assert_eq!(expires_at(at(100_001), ttl), 103);
        assert_eq!(expires_at(at(100_999), ttl), 103);
        assert!(!is_expired(103, at(102_999)));
        assert!(is_expired(103, at(103_000)));
        assert_eq!(
            expires_at(at(0), Duration::from_secs(u64::MAX)),
            i64::MAX / 1000 + 1
        );
    }
}
