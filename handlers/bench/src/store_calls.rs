//! The client-side cost of each kind of store call ([`crate::fake_dynamodb::call_kind`]),
//! measured from the bench process with the SDK client and HTTPS stack the
//! Lambdas use, against the same fake, in the same rounds as the invocations
//! the costs are subtracted from (so a busy spell of the machine weighs on
//! both). Each call is shaped like the store's own (`handlers/store/src/dynamo.rs`):
//! the full account item in writes, its condition expressions, the index reads.

use crate::fake_dynamodb::{ACCOUNT_ID, OWNER_SUB, VERSION};
use anyhow::{bail, Context, Result};
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// What building the client and its first call cost (wall), for the report.
#[derive(Debug, Clone, Copy)]
pub struct ClientStart {
    pub build: Duration,
    pub first_call: Duration,
}

/// An SDK DynamoDB client against the fake, warmed up (connection pooled, as in
/// a warm Lambda).
pub struct StoreCalls {
    client: Client,
    pub start: ClientStart,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

/// The account item as the store writes it.
fn account_item() -> HashMap<String, AttributeValue> {
    [
        ("pk", s(&format!("ACCOUNT#{ACCOUNT_ID}"))),
        ("id", s(ACCOUNT_ID)),
        ("ownerSub", s(OWNER_SUB)),
        ("email", s("Bench@Example.com")),
        ("emailLower", s("bench@example.com")),
        ("displayName", s("Bench User")),
        ("locale", s("en-CA")),
        ("version", AttributeValue::N(VERSION.to_string())),
        ("createdAt", s("2026-01-01T00:00:00Z")),
        ("updatedAt", s("2026-01-02T00:00:00Z")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// `TransactWriteItems (3 Put)` → `[("Put", 3)]`.
fn transaction_actions(kind: &str) -> Option<Vec<(&str, usize)>> {
    let inner = kind
        .strip_prefix("TransactWriteItems (")?
        .strip_suffix(')')?;
    inner
        .split(", ")
        .map(|part| {
            let (n, action) = part.split_once(' ')?;
            Some((action, n.parse().ok()?))
        })
        .collect()
}

impl StoreCalls {
    /// Builds the client (explicit config, as the Lambdas do) and makes a first call.
    pub async fn connect(endpoint: &str) -> Result<Self> {
        let started = Instant::now();
        let creds = aws_sdk_dynamodb::config::Credentials::new(
            "ASIABENCHBENCHBENCH0",
            "benchbenchbenchbenchbenchbenchbenchbench",
            Some("bench-session-token".into()),
            None,
            "bench",
        );
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .endpoint_url(endpoint)
            .http_client(accounts_aws_http::https_client()?)
            .build();
        let client = Client::from_conf(config);
        let build = started.elapsed();
        let mut calls = Self {
            client,
            start: ClientStart {
                build,
                first_call: Duration::ZERO,
            },
        };
        calls.start.first_call = calls.time("GetItem").await?;
        for _ in 0..5 {
            calls.time("GetItem").await?;
        }
        Ok(calls)
    }

    /// Whether `kind` can be costed here.
    pub fn knows(kind: &str) -> bool {
        matches!(
            kind,
            "GetItem"
                | "PutItem"
                | "DeleteItem"
                | "UpdateItem"
                | "Query"
                | "Scan"
                | "DescribeTable"
        ) || transaction_actions(kind).is_some_and(|actions| {
            actions
                .iter()
                .all(|(a, n)| *n > 0 && matches!(*a, "Put" | "Delete"))
        })
    }

    /// Makes one call of `kind` and returns its wall time.
    pub async fn time(&self, kind: &str) -> Result<Duration> {
        let table = "accounts";
        let c = &self.client;
        let started = Instant::now();
        let sent = match kind {
            "GetItem" => c
                .get_item()
                .table_name(table)
                .key("pk", s(&format!("ACCOUNT#{ACCOUNT_ID}")))
                .consistent_read(true)
                .send()
                .await
                .map_err(anyhow::Error::new)
                .map(|out| out.item.is_some()),
            "PutItem" => c
                .put_item()
                .table_name(table)
                .set_item(Some(account_item()))
                .condition_expression(
                    "attribute_exists(pk) AND #v = :expected AND ownerSub = :owner AND createdAt = :created",
                )
                .expression_attribute_names("#v", "version")
                .expression_attribute_values(":expected", AttributeValue::N(VERSION.to_string()))
                .expression_attribute_values(":owner", s(OWNER_SUB))
                .expression_attribute_values(":created", s("2026-01-01T00:00:00Z"))
                .send()
                .await
                .map_err(anyhow::Error::new)
                .map(|_| true),
            "DeleteItem" => c
                .delete_item()
                .table_name(table)
                .key("pk", s(&format!("ACCOUNT#{ACCOUNT_ID}")))
                .condition_expression("attribute_exists(pk)")
                .send()
                .await
                .map_err(anyhow::Error::new)
                .map(|_| true),
            "UpdateItem" => c
                .update_item()
                .table_name(table)
                .key("pk", s(&format!("ACCOUNT#{ACCOUNT_ID}")))
                .update_expression("SET #v = :v")
                .expression_attribute_names("#v", "version")
                .expression_attribute_values(":v", AttributeValue::N(VERSION.to_string()))
                .send()
                .await
                .map_err(anyhow::Error::new)
                .map(|_| true),
            "Query" => c
                .query()
                .table_name(table)
                .index_name("by-email")
                .key_condition_expression("emailLower = :e")
                .expression_attribute_values(":e", s("bench@example.com"))
                .limit(21)
                .send()
                .await
                .map_err(anyhow::Error::new)
                .map(|out| out.count > 0),
            "Scan" => c
                .scan()
                .table_name(table)
                .index_name("by-email")
                .limit(21)
                .send()
                .await
                .map_err(anyhow::Error::new)
                .map(|out| out.count > 0),
            "DescribeTable" => c
                .describe_table()
                .table_name(table)
                .send()
                .await
                .map_err(anyhow::Error::new)
                .map(|out| out.table.is_some()),
            other => {
                let actions = transaction_actions(other)
                    .filter(|_| Self::knows(other))
                    .with_context(|| format!("no probe for the store call {other:?}"))?;
                let mut request = c
                    .transact_write_items()
                    .client_request_token(ACCOUNT_ID);
                for (action, n) in actions {
                    for i in 0..n {
                        request = request.transact_items(transact_item(table, action, i)?);
                    }
                }
                request.send().await.map_err(anyhow::Error::new).map(|_| true)
            }
        };
        let elapsed = started.elapsed();
        match sent {
            Ok(true) => Ok(elapsed),
            Ok(false) => bail!("{kind} against the fake returned nothing"),
            Err(e) => Err(e.context(format!("{kind} against the fake"))),
        }
    }
}

/// The `i`-th action of a transaction, like the store's create (puts of whole
/// items, guarded) or delete (keys with a condition).
fn transact_item(table: &str, action: &str, i: usize) -> Result<TransactWriteItem> {
    let key = format!("ACCOUNT#{ACCOUNT_ID}-{i}");
    Ok(match action {
        "Put" => {
            let mut item = account_item();
            item.insert("pk".to_owned(), s(&key));
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(table)
                        .set_item(Some(item))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()?,
                )
                .build()
        }
        _ => TransactWriteItem::builder()
            .delete(
                Delete::builder()
                    .table_name(table)
                    .key("pk", s(&key))
                    .condition_expression("attribute_not_exists(pk) OR accountId = :id")
                    .expression_attribute_values(":id", s(ACCOUNT_ID))
                    .build()?,
            )
            .build(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_are_read_back_from_their_kind() {
        assert_eq!(
            transaction_actions("TransactWriteItems (2 Put, 1 Delete)"),
            Some(vec![("Put", 2), ("Delete", 1)])
        );
        assert!(StoreCalls::knows("TransactWriteItems (3 Put)"));
        assert!(!StoreCalls::knows("TransactWriteItems (1 ConditionCheck)"));
        assert!(!StoreCalls::knows("GetSecretValue"));
    }

    #[tokio::test]
    async fn every_kind_the_store_uses_is_answered() {
        let fake = crate::fake_dynamodb::FakeDynamoDb::start()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let calls = StoreCalls::connect(&fake.url())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for kind in [
            "GetItem",
            "PutItem",
            "DeleteItem",
            "Query",
            "Scan",
            "TransactWriteItems (3 Put)",
            "TransactWriteItems (2 Delete)",
        ] {
            calls.time(kind).await.unwrap_or_else(|e| panic!("{e}"));
        }
        let seen = fake.counters().by_kind();
        assert_eq!(seen.get("TransactWriteItems (3 Put)"), Some(&1));
        assert_eq!(seen.get("TransactWriteItems (2 Delete)"), Some(&1));
        assert!(calls.time("GetSecretValue").await.is_err());
    }
}
