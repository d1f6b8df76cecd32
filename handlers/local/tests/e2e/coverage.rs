//! Every operation × every declared status code, produced through HTTP.
//!
//! The matrix (also asserted below against `accounts_server::ROUTES` and the spec's
//! `responses`, so a new operation or status fails here until it has a scenario):
//!
//! | operation     | 200/201/204 | 400 | 401 | 403 | 404 | 409 | 412 | 422 | 428 | 503 |
//! |---------------|-------------|-----|-----|-----|-----|-----|-----|-----|-----|-----|
//! | getHealth     | 200         |     |     |     |     |     |     |     |     | x   |
//! | getMyAccount  | 200         |     | x   |     | x   |     |     |     |     | x   |
//! | createAccount | 201         | x   | x   |     |     | x   |     | x   |     | x   |
//! | listAccounts  | 200         | x   | x   | x   |     |     |     |     |     | x   |
//! | getAccount    | 200         | x   | x   |     | x   |     |     |     |     | x   |
//! | updateAccount | 200         | x   | x   |     | x   |     | x   |     | x   | x   |
//! | deleteAccount | 204         | x   | x   |     | x   |     |     |     |     | x   |
//!
//! Each scenario below runs on a fresh server over a [`SwitchableStore`]; the 503s switch
//! the store off after the setup, so the failure is the store's and nothing else's. The
//! deeper tests of each status are in the other modules.

use std::collections::BTreeMap;
use std::sync::Arc;

use account_store::EmbeddedStore;
use accounts_testkit::{SwitchableStore, TestServer};
use serde_json::{json, Value};

use crate::*;

const MATRIX: &[(&str, &[u16])] = &[
    ("getHealth", &[200, 503]),
    ("getMyAccount", &[200, 401, 404, 503]),
    ("createAccount", &[201, 400, 401, 409, 422, 503]),
    ("listAccounts", &[200, 400, 401, 403, 503]),
    ("getAccount", &[200, 400, 401, 404, 503]),
    ("updateAccount", &[200, 400, 401, 404, 412, 428, 503]),
    ("deleteAccount", &[204, 400, 401, 404, 503]),
];

/// `operationId → declared statuses`, from the spec the server was built from.
fn declared() -> BTreeMap<String, Vec<u16>> {
    let spec: Value = serde_yaml::from_str(include_str!("../../../../spec/accounts.yaml"))
        .unwrap_or_else(|e| panic!("spec: {e}"));
    let mut out = BTreeMap::new();
    for item in spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        for op in item.as_object().into_iter().flat_map(|m| m.values()) {
            let Some(id) = op["operationId"].as_str() else {
                continue;
            };
            let mut codes: Vec<u16> = op["responses"]
                .as_object()
                .into_iter()
                .flat_map(|r| r.keys())
                .map(|k| k.parse().unwrap_or_else(|_| panic!("{id}: response {k}")))
                .collect();
            codes.sort_unstable();
            out.insert(id.to_owned(), codes);
        }
    }
    out
}

#[test]
fn the_matrix_is_every_route_and_every_declared_status() {
    let routes: Vec<&str> = accounts_server::ROUTES
        .iter()
        .map(|r| r.operation_id)
        .collect();
    let matrix: Vec<&str> = MATRIX.iter().map(|(op, _)| *op).collect();
    assert_eq!(matrix, routes, "one row per route, in ROUTES order");
    let declared = declared();
    assert_eq!(declared.len(), routes.len());
    for (op, statuses) in MATRIX {
        assert_eq!(
            declared.get(*op).map(Vec::as_slice),
            Some(*statuses),
            "{op}: the matrix row must list exactly the spec's responses"
        );
    }
}

struct Fixture {
    server: TestServer,
    store: Arc<SwitchableStore>,
    /// alice's account id (alice owns one, version 1, created with key `key-00000001`).
    id: String,
}

async fn fixture() -> Fixture {
    let inner = EmbeddedStore::in_memory().unwrap_or_else(|e| panic!("store: {e}"));
    let store = Arc::new(SwitchableStore::new(Arc::new(inner)));
    let server = TestServer::start_with_store(store.clone())
        .await
        .unwrap_or_else(|e| panic!("server: {e}"));
    let a = raw("POST", server.url("/accounts"))
        .auth(&server.user_token("alice"))
        .header("idempotency-key", "key-00000001")
        .json(&json!({"email": "alice@example.com", "displayName": "Alice"}))
        .send()
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let id = a.json()["id"].as_str().unwrap_or_default().to_owned();
    Fixture { server, store, id }
}

/// Produces `status` from `op` and returns the reply.
async fn scenario(op: &str, status: u16) -> Reply {
    let f = fixture().await;
    let s = &f.server;
    let alice = s.user_token("alice");
    let bob = s.user_token("bob");
    let admin = s.admin_token("root");
    let one = format!("/accounts/{}", f.id);
    let fail = status == 503;
    if fail {
        f.store.set_failing(true);
    }
    let new_body = json!({"email": "bob@example.com", "displayName": "Bob"});
    let patch = json!({"displayName": "Alice L"});
    match (op, status) {
        ("getHealth", _) => raw("GET", s.url("/health")).send().await,
        ("getMyAccount", 401) => raw("GET", s.url("/accounts/me")).send().await,
        ("getMyAccount", 404) => raw("GET", s.url("/accounts/me")).auth(&bob).send().await,
        ("getMyAccount", _) => raw("GET", s.url("/accounts/me")).auth(&alice).send().await,
        ("createAccount", 400) => {
            raw("POST", s.url("/accounts"))
                .auth(&bob)
                .json(&json!({"email": "bob", "displayName": "Bob"}))
                .send()
                .await
        }
        ("createAccount", 401) => raw("POST", s.url("/accounts")).json(&new_body).send().await,
        ("createAccount", 409) => {
            raw("POST", s.url("/accounts"))
                .auth(&alice)
                .json(&json!({"email": "alice@example.com", "displayName": "Alice"}))
                .send()
                .await
        }
        ("createAccount", 422) => {
            raw("POST", s.url("/accounts"))
                .auth(&alice)
                .header("idempotency-key", "key-00000001")
                .json(&json!({"email": "alice@example.com", "displayName": "Other"}))
                .send()
                .await
        }
        ("createAccount", _) => {
            raw("POST", s.url("/accounts"))
                .auth(&bob)
                .json(&new_body)
                .send()
                .await
        }
        ("listAccounts", 400) => {
            raw("GET", s.url("/accounts?limit=0"))
                .auth(&admin)
                .send()
                .await
        }
        ("listAccounts", 401) => raw("GET", s.url("/accounts")).send().await,
        ("listAccounts", 403) => raw("GET", s.url("/accounts")).auth(&alice).send().await,
        ("listAccounts", _) => raw("GET", s.url("/accounts")).auth(&admin).send().await,
        ("getAccount", 400) => {
            raw("GET", s.url("/accounts/nope"))
                .auth(&alice)
                .send()
                .await
        }
        ("getAccount", 401) => raw("GET", s.url(&one)).send().await,
        ("getAccount", 404) => raw("GET", s.url(&one)).auth(&bob).send().await,
        ("getAccount", _) => raw("GET", s.url(&one)).auth(&alice).send().await,
        ("updateAccount", code) => {
            let (token, path, if_match) = match code {
                400 => (Some(&alice), "/accounts/nope".to_owned(), Some("\"1\"")),
                401 => (None, one.clone(), Some("\"1\"")),
                404 => (Some(&bob), one.clone(), Some("\"1\"")),
                412 => (Some(&alice), one.clone(), Some("\"2\"")),
                428 => (Some(&alice), one.clone(), None),
                _ => (Some(&alice), one.clone(), Some("\"1\"")),
            };
            let mut r = raw("PATCH", s.url(&path));
            if let Some(t) = token {
                r = r.auth(t);
            }
            if let Some(m) = if_match {
                r = r.header("if-match", m);
            }
            r.merge_patch(&patch).send().await
        }
        ("deleteAccount", 400) => {
            raw("DELETE", s.url("/accounts/nope"))
                .auth(&alice)
                .send()
                .await
        }
        ("deleteAccount", 401) => raw("DELETE", s.url(&one)).send().await,
        ("deleteAccount", 404) => raw("DELETE", s.url(&one)).auth(&bob).send().await,
        ("deleteAccount", _) => raw("DELETE", s.url(&one)).auth(&alice).send().await,
        _ => panic!("no scenario for {op} {status}: add one"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_every_declared_status() {
    let expected_codes: BTreeMap<u16, &str> = [
        (400, "VALIDATION_FAILED"),
        (401, "UNAUTHORIZED"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (409, "ACCOUNT_EXISTS"),
        (412, "PRECONDITION_FAILED"),
        (422, "IDEMPOTENCY_KEY_REUSED"),
        (428, "PRECONDITION_REQUIRED"),
        (503, "UNAVAILABLE"),
    ]
    .into_iter()
    .collect();
    let mut produced = 0;
    for (op, statuses) in MATRIX {
        for &status in *statuses {
            let reply = scenario(op, status).await;
            assert_eq!(reply.status, status, "{op} {status}: {}", reply.text);
            if let Some(code) = expected_codes.get(&status) {
                reply.assert_error(status, code, None);
            } else if status == 204 {
                assert!(reply.text.is_empty(), "{op}: {}", reply.text);
            } else {
                assert!(reply.json().is_object(), "{op} {status}: {}", reply.text);
            }
            produced += 1;
        }
    }
    assert_eq!(produced, 34);
}

/// The 503 through the typed client, on every operation and /health, and recovery after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_outage_is_503_everywhere_and_the_service_recovers() {
    let f = fixture().await;
    let s = &f.server;
    let id: uuid::Uuid = f.id.parse().unwrap_or_else(|e| panic!("{e}"));
    let alice = s.client(&accounts_testkit::DevUser::new("alice"));
    let admin = s.client(&accounts_testkit::DevUser::new("root").with_group("admin"));
    f.store.set_failing(true);
    let health = s.anonymous().get_health().await;
    let e = expect_status(health, 503);
    assert_eq!(e.code.as_str(), "UNAVAILABLE");
    assert!(
        !e.message.contains("switched"),
        "no internals leak: {}",
        e.message
    );
    for e in [
        expect_status(alice.get_my_account().await, 503),
        expect_status(alice.create_account(None, &sample("alice")).await, 503),
        expect_status(admin.list_accounts(None, None, None).await, 503),
        expect_status(alice.get_account(&id).await, 503),
        expect_status(alice.delete_account(&id).await, 503),
    ] {
        assert_eq!(e.code.as_str(), "UNAVAILABLE");
    }
    let a = patch_raw(
        s,
        &s.user_token("alice"),
        &f.id,
        "\"1\"",
        &json!({"displayName": "X"}),
    )
    .await;
    a.assert_error(503, "UNAVAILABLE", None);
    f.store.set_failing(false);
    let health = s
        .anonymous()
        .get_health()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_inner();
    assert_eq!(health.region, "local");
    let me = alice
        .get_my_account()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_inner();
    assert_eq!(me.version.get(), 1, "the failed PATCH changed nothing");
}
