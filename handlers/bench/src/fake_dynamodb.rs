//! A loopback stand-in for DynamoDB and Secrets Manager (AWS JSON 1.0/1.1
//! protocols, dispatched on `X-Amz-Target`): fixed bodies, no state, no
//! signature check, so a store call costs a loopback round trip and nothing
//! else. The SDK reaches it through `AWS_ENDPOINT_URL_DYNAMODB` /
//! `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL`
//! (<https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html>).
//!
//! The data: one account [`ACCOUNT_ID`] owned by [`OWNER_SUB`] at version 3;
//! any other owner has no account (so `createAccount` for [`NEW_SUB`] succeeds);
//! no idempotency records.

use crate::serve::{respond, serve};
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::task::JoinHandle;

/// The account every read returns.
pub const ACCOUNT_ID: &str = "6f1c2b9e-8c1a-4d2e-9a57-2b3c4d5e6f70";
/// The owner of [`ACCOUNT_ID`].
pub const OWNER_SUB: &str = "bench-user";
/// A caller without an account.
pub const NEW_SUB: &str = "bench-new-user";
/// The account's version (its `ETag` is `"3"`).
pub const VERSION: u64 = 3;

/// Request counters, to tell the store call apart from the handler's own work.
#[derive(Debug, Default)]
pub struct Counters {
    /// Requests answered.
    pub requests: AtomicU64,
    /// Nanoseconds spent inside the handler (head received → body ready).
    pub busy_ns: AtomicU64,
    /// Requests answered, by [`call_kind`].
    by_kind: Mutex<BTreeMap<String, u64>>,
}

impl Counters {
    /// Requests answered so far, by [`call_kind`].
    pub fn by_kind(&self) -> BTreeMap<String, u64> {
        self.by_kind
            .lock()
            .map(|m| m.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    fn count(&self, kind: String) {
        let mut map = self
            .by_kind
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *map.entry(kind).or_default() += 1;
    }
}

/// The kind of a store call, for costing it: the operation of its
/// `X-Amz-Target` (`GetItem`, `PutItem`, ...), and for `TransactWriteItems`
/// also how many actions of which type it carries (`TransactWriteItems (3 Put)`),
/// as a transaction's cost grows with its items.
pub fn call_kind(target: &str, body: &[u8]) -> String {
    let op = target.rsplit_once('.').map_or(target, |(_, op)| op);
    if op != "TransactWriteItems" {
        return op.to_owned();
    }
    let body = String::from_utf8_lossy(body);
    let actions: Vec<String> = ["Put", "Delete", "Update", "ConditionCheck"]
        .iter()
        .filter_map(|action| {
            let n = body.matches(&format!("\"{action}\":")).count();
            (n > 0).then(|| format!("{n} {action}"))
        })
        .collect();
    format!("{op} ({})", actions.join(", "))
}

/// A running fake; stops when dropped.
pub struct FakeDynamoDb {
    addr: SocketAddr,
    task: JoinHandle<()>,
    counters: Arc<Counters>,
}

impl FakeDynamoDb {
    /// Starts on a free loopback port.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_on(crate::serve::loopback().await?).await
    }

    /// Starts on `listener`.
    pub async fn start_on(listener: tokio::net::TcpListener) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let c = counters.clone();
        let task = tokio::spawn(serve(listener, move |request| {
            let c = c.clone();
            async move {
                let started = Instant::now();
                let target = request
                    .headers()
                    .get("x-amz-target")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let body = match request.into_body().collect().await {
                    Ok(b) => b.to_bytes(),
                    Err(_) => Default::default(),
                };
                let (status, content_type, answer) = answer(&target, &body);
                let response = respond(status, content_type, answer);
                c.count(call_kind(&target, &body));
                c.requests.fetch_add(1, Ordering::Relaxed);
                c.busy_ns
                    .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
                response
            }
        }));
        Ok(Self {
            addr,
            task,
            counters,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The counters, shared: for reading them from elsewhere (a runtime hook).
    pub fn counters_handle(&self) -> Arc<Counters> {
        Arc::clone(&self.counters)
    }

    /// The counters.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }
}

impl Drop for FakeDynamoDb {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The stored account as DynamoDB JSON (the `Item` of a `GetItem`).
pub fn account_item() -> String {
    format!(
        concat!(
            r#"{{"pk":{{"S":"ACCOUNT#{id}"}},"id":{{"S":"{id}"}},"ownerSub":{{"S":"{owner}"}},"#,
            r#""email":{{"S":"Bench@Example.com"}},"emailLower":{{"S":"bench@example.com"}},"#,
            r#""displayName":{{"S":"Bench User"}},"locale":{{"S":"en-CA"}},"version":{{"N":"{v}"}},"#,
            r#""createdAt":{{"S":"2026-01-01T00:00:00Z"}},"updatedAt":{{"S":"2026-01-02T00:00:00Z"}}}}"#
        ),
        id = ACCOUNT_ID,
        owner = OWNER_SUB,
        v = VERSION
    )
}

/// The fixed answer to one call.
fn answer(target: &str, body: &[u8]) -> (u16, &'static str, String) {
    const JSON10: &str = "application/x-amz-json-1.0";
    const JSON11: &str = "application/x-amz-json-1.1";
    let body = String::from_utf8_lossy(body);
    match target.rsplit_once('.') {
        Some(("DynamoDB_20120810", op)) => {
            let out = match op {
                "DescribeTable" => {
                    r#"{"Table":{"TableName":"accounts","TableStatus":"ACTIVE","ItemCount":1}}"#
                        .to_owned()
                }
                "GetItem" => {
                    if body.contains(&format!("\"OWNER#{OWNER_SUB}\"")) {
                        format!(
                            r#"{{"Item":{{"pk":{{"S":"OWNER#{OWNER_SUB}"}},"accountId":{{"S":"{ACCOUNT_ID}"}}}}}}"#
                        )
                    } else if body.contains(&format!("\"ACCOUNT#{ACCOUNT_ID}\"")) {
                        format!(r#"{{"Item":{}}}"#, account_item())
                    } else {
                        "{}".to_owned()
                    }
                }
                "Query" | "Scan" => format!(
                    r#"{{"Items":[{}],"Count":1,"ScannedCount":1}}"#,
                    account_item()
                ),
                "PutItem" | "DeleteItem" | "UpdateItem" | "TransactWriteItems" => "{}".to_owned(),
                _ => {
                    return (
                        400,
                        JSON10,
                        format!(
                            r#"{{"__type":"com.amazon.coral.service#UnknownOperationException","message":"{op}"}}"#
                        ),
                    )
                }
            };
            (200, JSON10, out)
        }
        Some(("secretsmanager", "GetSecretValue")) => (
            200,
            JSON11,
            r#"{"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-cursor-key","Name":"bench/cursor-key","SecretString":"bench-cursor-key-0123456789abcdef0123456789abcdef","VersionId":"v1"}"#
                .to_owned(),
        ),
        _ => (
            400,
            JSON10,
            r#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#.to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_reads_by_key() {
        let (_, _, owner) = answer(
            "DynamoDB_20120810.GetItem",
            br#"{"Key":{"pk":{"S":"OWNER#bench-user"}}}"#,
        );
        assert!(owner.contains(ACCOUNT_ID));
        let (_, _, none) = answer(
            "DynamoDB_20120810.GetItem",
            br#"{"Key":{"pk":{"S":"OWNER#someone"}}}"#,
        );
        assert_eq!(none, "{}");
        let (status, _, _) = answer("DynamoDB_20120810.Nope", b"{}");
        assert_eq!(status, 400);
        for s in [owner, answer("DynamoDB_20120810.Scan", b"{}").2] {
            assert!(serde_json::from_str::<serde_json::Value>(&s).is_ok(), "{s}");
        }
    }

    #[test]
    fn kinds_tell_transactions_apart_by_their_actions() {
        assert_eq!(call_kind("DynamoDB_20120810.GetItem", b"{}"), "GetItem");
        assert_eq!(
            call_kind(
                "DynamoDB_20120810.TransactWriteItems",
                br#"{"TransactItems":[{"Put":{}},{"Put":{}},{"Delete":{}}]}"#
            ),
            "TransactWriteItems (2 Put, 1 Delete)"
        );
        assert_eq!(
            call_kind("secretsmanager.GetSecretValue", b"{}"),
            "GetSecretValue"
        );
    }
}
