//! End to end through HTTP: the in-process `accounts-local` stack (API Gateway emulator,
//! generated adapters, handlers, store) driven by the generated client crate, or by raw
//! HTTP where the client cannot express the request (a missing `If-Match`, a body the
//! gateway must refuse, an unknown route).
//!
//! One test binary (linking is the slow part on 2 cores); modules by theme:
//! - `flows`: lifecycle, If-Match, merge patch, idempotent create, validation, pagination;
//! - `gateway`: API Gateway's own answers and the authorizer matrix;
//! - `access`: who may see or change whose account;
//! - `coverage`: every operation × every declared status, asserted against
//!   `accounts_server::ROUTES` and the spec (503s through a failing store);
//! - `concurrency`: 64 racing PATCHes and POSTs, embedded store and DynamoDB on moto;
//! - `hostile`: hostile input and bad data (records that no longer fit, text that lies,
//!   identity, cursor rotation and expiry, a second server on one data directory);
//! - `properties`: random valid and invalid requests of every operation, each answer a
//!   status the spec declares with a body of the declared schema.

mod access;
mod concurrency;
mod coverage;
mod flows;
mod gateway;
mod hostile;
mod properties;

use accounts_client::types::{self, Account, NewAccount};
use accounts_testkit::{DevUser, TestServer};
use serde_json::{json, Value};

/// The generated client's error type for every operation.
pub type ClientError = accounts_client::Error<types::Error>;

/// A raw HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The `fieldErrors` as `(field, code)` pairs.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.json()["fieldErrors"]
            .as_array()
            .unwrap_or_else(|| panic!("no fieldErrors: {}", self.text))
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap_or_default().to_owned(),
                    e["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// Asserts an error body in the spec's `Error` shape with this code (and message, if given).
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str, message: Option<&str>) {
        assert_eq!(self.status, status, "{}", self.text);
        let body = self.json();
        assert_eq!(body["code"], code, "{}", self.text);
        if let Some(message) = message {
            assert_eq!(body["message"], message, "{}", self.text);
        }
        let mut keys: Vec<&String> = body
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        keys.sort();
        assert_eq!(
            keys,
            ["code", "fieldErrors", "message", "requestId"],
            "exactly the Error shape: {}",
            self.text
        );
        assert!(body["fieldErrors"].is_array(), "{}", self.text);
        // The request id in the body is the one API Gateway sends back as a header.
        assert_eq!(
            body["requestId"],
            self.header("x-amzn-requestid"),
            "{}",
            self.text
        );
    }
}

/// A raw request builder (for what the typed client cannot send).
pub struct Raw {
    method: reqwest::Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

pub fn raw(method: &str, url: String) -> Raw {
    Raw {
        method: reqwest::Method::from_bytes(method.as_bytes())
            .unwrap_or_else(|e| panic!("bad method {method}: {e}")),
        url,
        headers: Vec::new(),
        body: None,
    }
}

impl Raw {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn auth(self, token: &str) -> Self {
        self.header("authorization", token)
    }

    /// A JSON body as `application/json`.
    pub fn json(self, body: &Value) -> Self {
        self.header("content-type", "application/json")
            .body(&body.to_string())
    }

    /// A JSON merge patch body.
    pub fn merge_patch(self, body: &Value) -> Self {
        self.header("content-type", "application/merge-patch+json")
            .body(&body.to_string())
    }

    pub fn body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }

    pub async fn send(self) -> Reply {
        let client = reqwest::Client::new();
        let mut request = client.request(self.method, &self.url);
        for (k, v) in &self.headers {
            request = request.header(k, v);
        }
        if let Some(body) = self.body {
            request = request.body(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request to {} failed: {e}", self.url));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        Reply {
            status,
            headers,
            text,
        }
    }
}

/// A `NewAccount` from JSON (the typed constructors check every constraint).
pub fn new_account(value: Value) -> NewAccount {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("not a NewAccount: {e}"))
}

/// A typical new account for `sub`.
pub fn sample(sub: &str) -> NewAccount {
    new_account(json!({
        "email": format!("{sub}@example.com"),
        "displayName": format!("User {sub}"),
        "phone": "+447700900123",
        "locale": "en-GB",
    }))
}

pub fn patch(value: Value) -> types::AccountPatch {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("not an AccountPatch: {e}"))
}

/// Asserts two accounts are equal (the generated types do not derive `PartialEq`).
#[track_caller]
pub fn assert_same(a: &Account, b: &Account) {
    assert_eq!(
        serde_json::to_value(a).unwrap_or_default(),
        serde_json::to_value(b).unwrap_or_default()
    );
}

/// Asserts the client got the declared error `status` and returns its body.
#[track_caller]
pub fn expect_status<T: std::fmt::Debug>(
    result: Result<accounts_client::ResponseValue<T>, ClientError>,
    status: u16,
) -> types::Error {
    match result {
        Err(accounts_client::Error::ErrorResponse(r)) => {
            assert_eq!(r.status().as_u16(), status, "{:?}", r.as_ref());
            r.into_inner()
        }
        other => panic!("expected a declared {status}, got {other:?}"),
    }
}

/// Creates `sub`'s account through the client and returns it.
pub async fn create(server: &TestServer, sub: &str) -> Account {
    let client = server.client(&DevUser::new(sub));
    match client.create_account(None, &sample(sub)).await {
        Ok(r) => {
            assert_eq!(r.status().as_u16(), 201);
            r.into_inner()
        }
        Err(e) => panic!("create {sub}: {e:?}"),
    }
}

/// A started server over a fresh in-memory store.
pub async fn server() -> TestServer {
    TestServer::start()
        .await
        .unwrap_or_else(|e| panic!("test server: {e}"))
}

/// The account as its owner sees it now (raw JSON, for exact comparisons).
pub async fn raw_get(server: &TestServer, token: &str, id: &str) -> Reply {
    raw("GET", server.url(&format!("/accounts/{id}")))
        .auth(token)
        .send()
        .await
}

/// A JSON merge patch sent raw, as `application/merge-patch+json` (see
/// `flows::the_typed_client_patches_with_the_merge_patch_media_type` for why not the client).
pub async fn patch_raw(
    server: &TestServer,
    token: &str,
    id: &str,
    if_match: &str,
    body: &Value,
) -> Reply {
    raw("PATCH", server.url(&format!("/accounts/{id}")))
        .auth(token)
        .header("if-match", if_match)
        .merge_patch(body)
        .send()
        .await
}
