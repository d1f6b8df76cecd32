//! Races through HTTP, against the embedded store and against DynamoDB on moto (the
//! testkit's locked launcher, so that moto applies each request atomically as DynamoDB
//! does): optimistic concurrency and idempotent creation must hold under 64 callers.

use std::sync::Arc;

use account_store::{AccountStore, DynamoStore, EmbeddedStore};
use accounts_testkit::{moto, TestServer};
use serde_json::json;
use tokio::sync::Barrier;

use crate::*;

const RACERS: usize = 64;

async fn embedded() -> Arc<dyn AccountStore> {
    Arc::new(EmbeddedStore::in_memory().unwrap_or_else(|e| panic!("store: {e}")))
}

async fn dynamodb() -> Arc<dyn AccountStore> {
    let table = format!("accounts-e2e-{}", uuid::Uuid::new_v4().simple());
    let store = DynamoStore::new(moto::client(), table);
    store
        .create_table()
        .await
        .unwrap_or_else(|e| panic!("create the table on moto ({}): {e}", moto::endpoint()));
    Arc::new(store)
}

/// Sends the same request `RACERS` times at once; returns `(status, body)` of each.
async fn race(
    method: reqwest::Method,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: String,
) -> Vec<(u16, String)> {
    let client = reqwest::Client::new();
    let barrier = Arc::new(Barrier::new(RACERS));
    let mut tasks = Vec::new();
    for i in 0..RACERS {
        let client = client.clone();
        let barrier = Arc::clone(&barrier);
        let (method, url, headers) = (method.clone(), url.clone(), headers.clone());
        let body = body.replace("{i}", &i.to_string());
        tasks.push(tokio::spawn(async move {
            let mut r = client.request(method, url).body(body);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            barrier.wait().await;
            let response = r.send().await.unwrap_or_else(|e| panic!("racer {i}: {e}"));
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap_or_else(|e| panic!("racer task: {e}")));
    }
    out
}

async fn patches_with_one_if_match_let_exactly_one_win(store: Arc<dyn AccountStore>) {
    let server = TestServer::start_with_store(store)
        .await
        .unwrap_or_else(|e| panic!("server: {e}"));
    let token = server.user_token("racer");
    let created = raw("POST", server.url("/accounts"))
        .auth(&token)
        .json(&json!({
            "email": "racer@example.com", "displayName": "Racer",
            "phone": "+447700900123", "locale": "en-GB"
        }))
        .send()
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let before = created.json();
    let id = before["id"].as_str().unwrap_or_default().to_owned();
    // Each racer changes a different field value: displayName "Writer <i>".
    let results = race(
        reqwest::Method::PATCH,
        server.url(&format!("/accounts/{id}")),
        vec![
            ("authorization", token.clone()),
            ("if-match", "\"1\"".to_owned()),
            ("content-type", "application/merge-patch+json".to_owned()),
        ],
        r#"{"displayName":"Writer {i}"}"#.to_owned(),
    )
    .await;
    let winners: Vec<&(u16, String)> = results.iter().filter(|(s, _)| *s == 200).collect();
    let losers = results.iter().filter(|(s, _)| *s == 412).count();
    assert_eq!(
        (winners.len(), losers),
        (1, RACERS - 1),
        "statuses: {:?}",
        results.iter().map(|(s, _)| *s).collect::<Vec<_>>()
    );
    for (status, body) in &results {
        if *status == 412 {
            assert!(body.contains("PRECONDITION_FAILED"), "{body}");
        }
    }
    let winner: serde_json::Value =
        serde_json::from_str(&winners[0].1).unwrap_or_else(|e| panic!("{e}"));
    let after = raw_get(&server, &token, &id).await.json();
    assert_eq!(after["version"], 2, "old + 1: {after}");
    assert_eq!(
        after["displayName"], winner["displayName"],
        "the winner's field"
    );
    for field in ["id", "ownerSub", "email", "phone", "locale", "createdAt"] {
        assert_eq!(after[field], before[field], "{field} lost: {after}");
    }
}

async fn posts_with_one_idempotency_key_create_one_account(store: Arc<dyn AccountStore>) {
    let server = TestServer::start_with_store(store)
        .await
        .unwrap_or_else(|e| panic!("server: {e}"));
    let token = server.user_token("poster");
    let results = race(
        reqwest::Method::POST,
        server.url("/accounts"),
        vec![
            ("authorization", token.clone()),
            ("idempotency-key", "race-key-0001".to_owned()),
            ("content-type", "application/json".to_owned()),
        ],
        json!({"email": "poster@example.com", "displayName": "Poster"}).to_string(),
    )
    .await;
    let statuses: Vec<u16> = results.iter().map(|(s, _)| *s).collect();
    assert!(
        statuses.iter().all(|s| *s == 201),
        "{statuses:?}: {results:?}"
    );
    let first = &results[0].1;
    assert!(
        results.iter().all(|(_, body)| body == first),
        "byte-identical bodies"
    );
    let listed = raw("GET", server.url("/accounts"))
        .auth(&server.admin_token("root"))
        .send()
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let items = listed.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 1, "one account: {}", listed.text);
    let me = raw("GET", server.url("/accounts/me"))
        .auth(&token)
        .send()
        .await;
    assert_eq!(&me.text, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn embedded_64_patches_one_if_match_one_winner() {
    patches_with_one_if_match_let_exactly_one_win(embedded().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn embedded_64_posts_one_idempotency_key_one_account() {
    posts_with_one_idempotency_key_create_one_account(embedded().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dynamodb_64_patches_one_if_match_one_winner() {
    patches_with_one_if_match_let_exactly_one_win(dynamodb().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dynamodb_64_posts_one_idempotency_key_one_account() {
    posts_with_one_idempotency_key_create_one_account(dynamodb().await).await;
}
