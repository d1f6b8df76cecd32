//! [`DynamoStore`]: the account store on one DynamoDB table (single-table design).
//!
//! Items (all under the string partition key `pk`, see the crate README):
//! - `ACCOUNT#<uuid>`: the [`AccountRecord`] attributes plus `emailLower`;
//! - `OWNER#<sub>`: `accountId`, the pointer that makes `GET /accounts/me` two `GetItem`s
//!   and enforces one account per `sub` with `attribute_not_exists(pk)`;
//! - `IDEMPOTENCY#<sub>#<key>`: `fingerprint`, `snapshot` (the record as created) and
//!   `expiresAt` (epoch seconds, the table's TTL attribute).
//!
//! Records are mapped with `serde_dynamo`; only key and condition expressions are
//! written by hand. The actions used per operation are exactly the IAM actions of
//! `x-aws-access` in `spec/accounts.yaml` (a `TransactWriteItems` needs the action of
//! each of its parts: `PutItem`, `ConditionCheckItem`, `DeleteItem`, see
//! <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html>).

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, Delete, GlobalSecondaryIndex,
    KeySchemaElement, KeyType, Projection, ProjectionType, Put, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification, TransactWriteItem,
};
use aws_sdk_dynamodb::Client;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::token::{self, Position, TokenKind};
use crate::{
    check_immutable, check_limit, decide_replay, email_key, expires_at, is_expired, new_record,
    AccountRecord, AccountStore, CreateOutcome, IdempotencyClaim, NewAccount, Page, PageToken,
    StoreError, DEFAULT_IDEMPOTENCY_TTL, HEALTH_KEY, HEALTH_TIMEOUT,
};

/// Name of the GSI on `emailLower` (projection ALL). Only account items carry
/// `emailLower`, so the index is sparse: a Scan of it lists exactly the accounts
/// (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html>).
pub const EMAIL_INDEX: &str = "by-email";

/// The table's TTL attribute (epoch seconds, a DynamoDB Number), see
/// <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html>.
const TTL_ATTRIBUTE: &str = "expiresAt";

/// How often a create or delete is retried after a transaction was cancelled for a
/// reason that re-reading does not explain (`TransactionConflict` with a concurrent
/// transaction on the same items, see
/// <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling>).
const MAX_TRANSACTION_ATTEMPTS: u32 = 8;

/// Optimistic locking: the item exists, has the expected version and keeps its
/// owner and creation time.
const REPLACE_CONDITION: &str =
    "attribute_exists(pk) AND #v = :expected AND ownerSub = :owner AND createdAt = :created";

/// The account item: the record plus its key and the index attribute.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountItem {
    pk: String,
    email_lower: String,
    #[serde(flatten)]
    record: AccountRecord,
}

impl AccountItem {
    fn new(record: AccountRecord) -> Self {
        AccountItem {
            pk: account_pk(record.id),
            email_lower: email_key(&record.email),
            record,
        }
    }
}

/// The owner pointer: `OWNER#<sub>` → the account id.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OwnerItem {
    pk: String,
    account_id: Uuid,
}

/// An idempotency record: the request's fingerprint and the record as created.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdempotencyItem {
    pk: String,
    fingerprint: String,
    snapshot: AccountRecord,
    expires_at: i64,
}

fn account_pk(id: Uuid) -> String {
    format!("ACCOUNT#{id}")
}

fn owner_pk(sub: &str) -> String {
    format!("OWNER#{sub}")
}

/// Keys are scoped per owner so that two users' keys never collide.
fn idempotency_pk(sub: &str, key: &str) -> String {
    format!("IDEMPOTENCY#{sub}#{key}")
}

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

type Item = HashMap<String, AttributeValue>;

fn to_item<T: Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_item<T: for<'de> Deserialize<'de>>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn sdk_error<E, R>(e: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    tracing::warn!(
        error = %aws_sdk_dynamodb::error::DisplayErrorContext(&e),
        "DynamoDB call failed"
    );
    StoreError::unavailable(e)
}

fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> StoreError {
    StoreError::unavailable(e)
}

/// A short randomised pause before retrying a cancelled transaction, so that
/// concurrent losers do not collide again in lockstep.
async fn backoff(attempt: u32) {
    let base = 10u64 << attempt.min(5);
    let jitter = (Uuid::new_v4().as_u128() % u128::from(base)) as u64;
    tokio::time::sleep(Duration::from_millis(base + jitter)).await;
}

/// The account store on DynamoDB.
#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
    idempotency_ttl: Duration,
}

impl fmt::Debug for DynamoStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoStore")
            .field("table", &self.table)
            .field("idempotency_ttl", &self.idempotency_ttl)
            .finish_non_exhaustive()
    }
}

impl DynamoStore {
    /// A store on `table` (which must exist; see [`DynamoStore::create_table`]).
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoStore {
            client,
            table: table.into(),
            idempotency_ttl: DEFAULT_IDEMPOTENCY_TTL,
        }
    }

    /// Changes how long idempotency keys are remembered (tests use seconds).
    pub fn with_idempotency_ttl(mut self, ttl: Duration) -> Self {
        self.idempotency_ttl = ttl;
        self
    }

    /// The table name.
    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// Creates the table as the Terraform module does (on-demand billing, `pk` hash
    /// key, the sparse `by-email` GSI with projection ALL), waits until it is ACTIVE and
    /// enables TTL on `expiresAt`. For tests and the local server's DynamoDB mode only:
    /// it needs `CreateTable`, `DescribeTable` and `UpdateTimeToLive`, which the
    /// Lambdas do not have.
    pub async fn create_table(&self) -> Result<(), StoreError> {
        let attr = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(build_error)
        };
        let hash = |name: &str| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(KeyType::Hash)
                .build()
                .map_err(build_error)
        };
        let gsi = GlobalSecondaryIndex::builder()
            .index_name(EMAIL_INDEX)
            .key_schema(hash("emailLower")?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .map_err(build_error)?;
        self.client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attr("pk")?)
            .attribute_definitions(attr("emailLower")?)
            .key_schema(hash("pk")?)
            .global_secondary_indexes(gsi)
            .send()
            .await
            .map_err(sdk_error)?;
        // CreateTable is asynchronous on DynamoDB: wait for ACTIVE before use.
        for _ in 0..120 {
            let out = self
                .client
                .describe_table()
                .table_name(&self.table)
                .send()
                .await
                .map_err(sdk_error)?;
            if out.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name(TTL_ATTRIBUTE)
                    .build()
                    .map_err(build_error)?,
            )
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// Strongly consistent `GetItem` of one item by `pk`. Consistent reads cost twice
    /// as much but see every acknowledged write, which the idempotency and version
    /// checks need (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html>).
    async fn get_item(&self, pk: String) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(out.item)
    }

    async fn get_account(&self, id: Uuid) -> Result<Option<AccountRecord>, StoreError> {
        match self.get_item(account_pk(id)).await? {
            Some(item) => Ok(Some(from_item::<AccountItem>(item)?.record)),
            None => Ok(None),
        }
    }

    /// The live idempotency record of `sub` + `key`, ignoring an expired one that
    /// DynamoDB has not deleted yet.
    async fn get_claim(
        &self,
        sub: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<IdempotencyItem>, StoreError> {
        match self.get_item(idempotency_pk(sub, key)).await? {
            Some(item) => {
                let rec: IdempotencyItem = from_item(item)?;
                Ok((!is_expired(rec.expires_at, now)).then_some(rec))
            }
            None => Ok(None),
        }
    }

    /// The single atomic write of a create: account, owner pointer and (with a claim)
    /// the idempotency record, each guarded by `attribute_not_exists(pk)` (an expired
    /// idempotency record may be overwritten). See
    /// <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html>.
    fn create_transaction(
        &self,
        record: &AccountRecord,
        claim: Option<&IdempotencyClaim>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        let put = |item: Item, condition: &str| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression(condition)
                .build()
                .map_err(build_error)
        };
        let mut items = vec![
            TransactWriteItem::builder()
                .put(put(
                    to_item(&AccountItem::new(record.clone()))?,
                    "attribute_not_exists(pk)",
                )?)
                .build(),
            TransactWriteItem::builder()
                .put(put(
                    to_item(&OwnerItem {
                        pk: owner_pk(&record.owner_sub),
                        account_id: record.id,
                    })?,
                    "attribute_not_exists(pk)",
                )?)
                .build(),
        ];
        if let Some(claim) = claim {
            let item = to_item(&IdempotencyItem {
                pk: idempotency_pk(&record.owner_sub, &claim.key),
                fingerprint: claim.fingerprint.clone(),
                snapshot: record.clone(),
                expires_at: expires_at(now, self.idempotency_ttl),
            })?;
            let put = Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk) OR #exp <= :now")
                .expression_attribute_names("#exp", TTL_ATTRIBUTE)
                .expression_attribute_values(":now", AttributeValue::N(now.timestamp().to_string()))
                .build()
                .map_err(build_error)?;
            items.push(TransactWriteItem::builder().put(put).build());
        }
        Ok(items)
    }

    /// Scan (all accounts) or Query (one email) of the `by-email` GSI from `start`,
    /// asking for at most `want` items. GSIs support only eventually consistent reads
    /// (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reading>).
    async fn read_index(
        &self,
        filter: Option<&str>,
        start: Option<Item>,
        want: usize,
    ) -> Result<(Vec<Item>, Option<Item>), StoreError> {
        let limit = i32::try_from(want).unwrap_or(i32::MAX);
        let (items, last) = match filter {
            None => {
                let out = self
                    .client
                    .scan()
                    .table_name(&self.table)
                    .index_name(EMAIL_INDEX)
                    .limit(limit)
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .map_err(sdk_error)?;
                (out.items, out.last_evaluated_key)
            }
            Some(email) => {
                let out = self
                    .client
                    .query()
                    .table_name(&self.table)
                    .index_name(EMAIL_INDEX)
                    .key_condition_expression("emailLower = :e")
                    .expression_attribute_values(":e", s(email))
                    .limit(limit)
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .map_err(sdk_error)?;
                (out.items, out.last_evaluated_key)
            }
        };
        Ok((items.unwrap_or_default(), last))
    }
}

/// The `ExclusiveStartKey` of the GSI for a position: the index key plus the table key.
fn start_key(position: &Position) -> Item {
    HashMap::from([
        ("pk".to_string(), s(account_pk(position.id))),
        ("emailLower".to_string(), s(position.email_lower.clone())),
    ])
}

#[async_trait]
impl AccountStore for DynamoStore {
    /// One strongly consistent `GetItem` of [`HEALTH_KEY`] (no such item needs
    /// to exist), bounded by [`HEALTH_TIMEOUT`]: it exercises what a request
    /// does (credentials, network, the data plane of this region's replica),
    /// where `DescribeTable` would only ask the control plane.
    async fn health(&self) -> Result<(), StoreError> {
        let read = self.get_item(HEALTH_KEY.to_owned());
        match tokio::time::timeout(HEALTH_TIMEOUT, read).await {
            Ok(result) => result.map(|_| ()),
            Err(_) => Err(StoreError::unavailable(format!(
                "GetItem on {} took longer than {} ms",
                self.table,
                HEALTH_TIMEOUT.as_millis()
            ))),
        }
    }

    async fn create(
        &self,
        new: NewAccount,
        claim: Option<IdempotencyClaim>,
    ) -> Result<CreateOutcome, StoreError> {
        let sub = new.owner_sub.clone();
        for attempt in 0..MAX_TRANSACTION_ATTEMPTS {
            let now = Utc::now();
            // A retry usually finds its key: answer it with one GetItem, no write.
            if let Some(claim) = &claim {
                if let Some(rec) = self.get_claim(&sub, &claim.key, now).await? {
                    return decide_replay(&rec.fingerprint, rec.snapshot, claim);
                }
            }
            let record = new_record(new.clone(), now);
            let items = self.create_transaction(&record, claim.as_ref(), now)?;
            // The record id as ClientRequestToken makes the SDK's own retries of this
            // attempt idempotent: a retry after a lost response succeeds instead of
            // failing on the items the first try wrote (
            // <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#DDB-TransactWriteItems-request-ClientRequestToken>).
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items))
                .client_request_token(record.id.to_string())
                .send()
                .await;
            match result {
                Ok(_) => return Ok(CreateOutcome::Created(record)),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|se| se.is_transaction_canceled_exception()) =>
                {
                    // Lost a race, or the owner has an account. The winner's writes are
                    // committed atomically, so its idempotency record is visible now.
                    if let Some(claim) = &claim {
                        if let Some(rec) = self.get_claim(&sub, &claim.key, now).await? {
                            return decide_replay(&rec.fingerprint, rec.snapshot, claim);
                        }
                    }
                    if self.get_item(owner_pk(&sub)).await?.is_some() {
                        return Err(StoreError::AlreadyExists);
                    }
                    tracing::debug!(attempt, "create transaction cancelled; retrying");
                    backoff(attempt).await;
                }
                Err(e) => return Err(sdk_error(e)),
            }
        }
        Err(StoreError::unavailable(
            "create kept conflicting with concurrent transactions",
        ))
    }

    async fn get(&self, id: Uuid) -> Result<AccountRecord, StoreError> {
        self.get_account(id).await?.ok_or(StoreError::NotFound)
    }

    /// Two consistent `GetItem`s: the owner pointer, then the account. No index read,
    /// so it sees a create that just returned (a GSI on `ownerSub` would not).
    async fn get_by_owner(&self, owner_sub: &str) -> Result<AccountRecord, StoreError> {
        let pointer = self
            .get_item(owner_pk(owner_sub))
            .await?
            .ok_or(StoreError::NotFound)?;
        let pointer: OwnerItem = from_item(pointer)?;
        self.get(pointer.account_id).await
    }

    /// A conditional `PutItem` of the whole item (optimistic locking, see
    /// <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html>).
    /// On a failed condition one consistent `GetItem` tells NotFound from
    /// VersionConflict.
    async fn replace(
        &self,
        record: AccountRecord,
        expected_version: u64,
    ) -> Result<AccountRecord, StoreError> {
        let new_version = expected_version
            .checked_add(1)
            .ok_or_else(|| StoreError::InvalidArgument("version overflow".into()))?;
        let stored = AccountRecord {
            version: new_version,
            updated_at: Utc::now(),
            ..record
        };
        let item = to_item(&AccountItem::new(stored.clone()))?;
        // Compare createdAt in exactly the form serde_dynamo stored it.
        let created_at = item
            .get("createdAt")
            .cloned()
            .ok_or_else(|| StoreError::Corrupt("createdAt missing".into()))?;
        let expected = AttributeValue::N(expected_version.to_string());
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(REPLACE_CONDITION)
            .expression_attribute_names("#v", "version")
            .expression_attribute_values(":expected", expected)
            .expression_attribute_values(":owner", s(stored.owner_sub.clone()))
            .expression_attribute_values(":created", created_at)
            .send()
            .await;
        match result {
            Ok(_) => Ok(stored),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
            {
                let current = self
                    .get_account(stored.id)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                // Our own write, retried by the SDK after a lost response: it succeeded.
                if current == stored {
                    return Ok(stored);
                }
                if current.version != expected_version {
                    return Err(StoreError::VersionConflict {
                        current: current.version,
                    });
                }
                check_immutable(&current, &stored)?;
                // The condition failed but nothing explains it (a concurrent write that
                // was undone?): report it as a conflict, the caller re-reads.
                Err(StoreError::VersionConflict {
                    current: current.version,
                })
            }
            Err(e) => Err(sdk_error(e)),
        }
    }

    /// `GetItem` (to learn the owner) then one transaction of two `Delete`s, so that
    /// the account and its owner pointer disappear together.
    async fn delete(&self, id: Uuid) -> Result<(), StoreError> {
        for attempt in 0..MAX_TRANSACTION_ATTEMPTS {
            let current = self.get_account(id).await?.ok_or(StoreError::NotFound)?;
            let account = Delete::builder()
                .table_name(&self.table)
                .key("pk", s(account_pk(id)))
                .condition_expression("attribute_exists(pk)")
                .build()
                .map_err(build_error)?;
            // The pointer may be missing only if data was repaired by hand; never delete
            // a pointer that names another account.
            let owner = Delete::builder()
                .table_name(&self.table)
                .key("pk", s(owner_pk(&current.owner_sub)))
                .condition_expression("attribute_not_exists(pk) OR accountId = :id")
                .expression_attribute_values(":id", s(id.to_string()))
                .build()
                .map_err(build_error)?;
            let result = self
                .client
                .transact_write_items()
                .transact_items(TransactWriteItem::builder().delete(account).build())
                .transact_items(TransactWriteItem::builder().delete(owner).build())
                .client_request_token(Uuid::new_v4().to_string())
                .send()
                .await;
            match result {
                Ok(_) => return Ok(()),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|se| se.is_transaction_canceled_exception()) =>
                {
                    tracing::debug!(attempt, "delete transaction cancelled; retrying");
                    backoff(attempt).await;
                }
                Err(e) => return Err(sdk_error(e)),
            }
        }
        Err(StoreError::unavailable(
            "delete kept conflicting with concurrent transactions",
        ))
    }

    /// Reads one more item than asked for, so that `next` is set only when another
    /// item exists (DynamoDB returns a `LastEvaluatedKey` whenever it stops at
    /// `Limit`, even at the very end).
    async fn list(
        &self,
        email: Option<&str>,
        limit: u32,
        after: Option<PageToken>,
    ) -> Result<Page, StoreError> {
        let limit = check_limit(limit)?;
        let filter = email.map(email_key);
        let mut start = match &after {
            Some(t) => Some(start_key(&token::decode(
                TokenKind::Dynamo,
                filter.as_deref(),
                t,
            )?)),
            None => None,
        };
        let mut items: Vec<AccountItem> = Vec::with_capacity(limit + 1);
        loop {
            let want = limit + 1 - items.len();
            let (page, last) = self.read_index(filter.as_deref(), start, want).await?;
            for item in page {
                let pk = item.get("pk").and_then(|v| v.as_s().ok()).cloned();
                // One item that does not decode is logged and left out: it must not fail
                // the page (the next page starts after the last item that did decode).
                match from_item::<AccountItem>(item) {
                    Ok(decoded) => items.push(decoded),
                    Err(e) => tracing::error!(
                        pk = pk.as_deref().unwrap_or("?"),
                        error = %e,
                        "listing skipped a stored account that does not decode"
                    ),
                }
            }
            if items.len() > limit || last.is_none() {
                break;
            }
            start = last;
        }
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| {
                token::encode(
                    TokenKind::Dynamo,
                    filter.as_deref(),
                    &Position {
                        email_lower: last.email_lower.clone(),
                        id: last.record.id,
                    },
                )
            })
        } else {
            None
        };
        Ok(Page {
            items: items.into_iter().map(|i| i.record).collect(),
            next,
        })
    }
}
