//! What the fuzz targets share: one runtime, a dev issuer whose key is the same on every run
//! (so seeds may carry tokens), the accounts stack in process, and the oracles: the error
//! shape every error answer must have, and HTTP answers read back off the wire.
//!
//! Targets (`fuzz_targets/`), one per surface an attacker or a careless client reaches:
//! - `proxy_request`: API Gateway proxy events → the generated `parse_*` of every operation;
//! - `validators`: JSON values and raw parameter text through the runtime's `Schema` and
//!   `ParamSpec`, with the schemas the generated code uses;
//! - `jwt_authorizer`: the Cognito authorizer, with raw headers and signed tokens of any claims;
//! - `cursor`: the cursor decoder and the stores' page-token decoder behind it;
//! - `http_front`: bytes on a connection to the emulator in front of the whole service;
//! - `codegen_spec`: codegen's parse → check → generate on mutated specs.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use apigateway_rest_emulator::{
    ApiDocument, DevAuth, DevUser, LocalApi, ServerConfig, SpecPages, TemplateValues,
};
use serde_json::Value;

/// The issuer and app client of the fuzzers' dev tokens.
pub const ISSUER: &str = "http://127.0.0.1:3000/local_pool";
pub const CLIENT_ID: &str = "fuzz-client";

/// The operations of the accounts API, in spec order.
pub const OPERATIONS: [&str; 7] = [
    "getHealth",
    "getMyAccount",
    "createAccount",
    "listAccounts",
    "getAccount",
    "updateAccount",
    "deleteAccount",
];

const API_DOCUMENT: &str = include_str!("../../../generated/apigateway.json");
const SPEC: &str = include_str!("../../../spec/accounts.yaml");

/// One current-thread runtime per process (the targets run one input at a time).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("cannot build the runtime: {e}"))
    })
}

/// The dev key: fixed, so that seeds may carry tokens, and parsed rather than generated,
/// because generating a 2048-bit key under the address sanitizer takes longer than
/// libFuzzer's per-input timeout. A key for the fuzzers' own dev issuer only: nothing
/// outside `handlers/fuzz` trusts it.
fn fuzz_key() -> &'static rsa::RsaPrivateKey {
    static KEY: OnceLock<rsa::RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs8::DecodePrivateKey;
        rsa::RsaPrivateKey::from_pkcs8_pem(include_str!("fuzz-only-dev-key.pem"))
            .unwrap_or_else(|e| panic!("cannot read the fuzz key: {e}"))
    })
}

/// The dev key for hand-made tokens (another `kid`, another header).
pub fn encoding_key() -> &'static jsonwebtoken::EncodingKey {
    static KEY: OnceLock<jsonwebtoken::EncodingKey> = OnceLock::new();
    KEY.get_or_init(|| {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        let der = fuzz_key()
            .to_pkcs1_der()
            .unwrap_or_else(|e| panic!("cannot encode the fuzz key: {e}"));
        jsonwebtoken::EncodingKey::from_rsa_der(der.as_bytes())
    })
}

fn new_dev_auth() -> DevAuth {
    DevAuth::from_key(fuzz_key(), ISSUER, CLIENT_ID)
        .unwrap_or_else(|e| panic!("cannot set up dev auth: {e}"))
}

/// The dev issuer the fuzzed servers trust.
pub fn dev_auth() -> &'static DevAuth {
    static DEV: OnceLock<DevAuth> = OnceLock::new();
    DEV.get_or_init(new_dev_auth)
}

/// A token of `user` that lives for a century, so that seeds stay valid.
pub fn long_lived_token(user: DevUser) -> String {
    let user = DevUser {
        ttl: Duration::from_secs(100 * 365 * 24 * 3600),
        ..user
    };
    dev_auth()
        .mint_id_token(&user)
        .unwrap_or_else(|e| panic!("cannot mint a token: {e}"))
}

/// `@user@` and `@admin@` in an input become the tokens of `fuzz-user` and `fuzz-admin`.
pub fn with_tokens(input: &[u8]) -> Vec<u8> {
    static TOKENS: OnceLock<(String, String)> = OnceLock::new();
    let (user, admin) = TOKENS.get_or_init(|| {
        (
            long_lived_token(DevUser::new("fuzz-user")),
            long_lived_token(DevUser::new("fuzz-admin").with_group("admin")),
        )
    });
    let mut out = Vec::with_capacity(input.len() + 2048);
    let mut rest = input;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(b"@user@") {
            out.extend_from_slice(user.as_bytes());
            rest = after;
        } else if let Some(after) = rest.strip_prefix(b"@admin@") {
            out.extend_from_slice(admin.as_bytes());
            rest = after;
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

/// The whole accounts stack as `accounts-local --in-memory` runs it, with the fuzzers' dev
/// auth and short timeouts.
pub fn local_api() -> Arc<LocalApi> {
    static API: OnceLock<Arc<LocalApi>> = OnceLock::new();
    Arc::clone(API.get_or_init(|| {
        let store = account_store::EmbeddedStore::in_memory()
            .unwrap_or_else(|e| panic!("cannot open the store: {e}"));
        let service = accounts_service::AccountsService::new(
            Arc::new(store),
            Arc::new(accounts_service::StaticCursorKey(vec![7; 32])),
            "fuzz",
        );
        let document = ApiDocument::from_template(API_DOCUMENT, &TemplateValues::default())
            .unwrap_or_else(|e| panic!("the document does not load: {e}"));
        let config = ServerConfig {
            header_read_timeout: Duration::from_millis(500),
            body_read_timeout: Duration::from_millis(500),
            integration_timeout: Duration::from_secs(5),
            ..ServerConfig::default()
        };
        let api = LocalApi::new(
            document,
            Arc::new(accounts_local::GeneratedBackend(service)),
            config,
        )
        .unwrap_or_else(|e| panic!("the API does not build: {e}"))
        .with_pages(SpecPages::from_spec(SPEC).unwrap_or_else(|e| panic!("docs: {e}")));
        let api = api
            .with_dev_auth(Arc::new(new_dev_auth()))
            .unwrap_or_else(|e| panic!("dev auth: {e}"));
        Arc::new(api)
    }))
}

/// Why an error answer does not have the shared error shape, if it does not: a JSON object of
/// exactly `code` (upper snake case), `message`, `requestId` and `fieldErrors` (each with
/// `field`, `code`, `message`).
pub fn error_shape_problem(body: &[u8]) -> Option<String> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(format!("not JSON: {e}")),
    };
    let Some(object) = value.as_object() else {
        return Some("not an object".to_owned());
    };
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    if keys != ["code", "fieldErrors", "message", "requestId"] {
        return Some(format!("keys {keys:?}"));
    }
    let code = object["code"].as_str().unwrap_or_default();
    let code_ok = code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !code_ok || !object["message"].is_string() || !object["requestId"].is_string() {
        return Some(format!("field types in {value}"));
    }
    let field_errors_ok = object["fieldErrors"].as_array().is_some_and(|errors| {
        errors.iter().all(|e| {
            e.as_object().is_some_and(|e| {
                e.len() == 3
                    && ["field", "code", "message"]
                        .iter()
                        .all(|k| e.get(*k).is_some_and(Value::is_string))
            })
        })
    });
    (!field_errors_ok).then(|| format!("fieldErrors in {value}"))
}

/// One HTTP answer read off the wire.
#[derive(Debug)]
pub struct WireAnswer {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl WireAnswer {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

/// Every answer in `bytes`, or why the stream is not a sequence of HTTP/1.1 answers. A body
/// is `Content-Length` bytes, except that an answer directly followed by another head had
/// none (the answer to a `HEAD`).
pub fn read_answers(mut bytes: &[u8]) -> Result<Vec<WireAnswer>, String> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        let head = match response.parse(bytes) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => return Err("a truncated answer".to_owned()),
            Err(e) => return Err(format!("not an HTTP answer ({e})")),
        };
        let status = response.code.unwrap_or_default();
        let headers: Vec<(String, Vec<u8>)> = response
            .headers
            .iter()
            .map(|h| (h.name.to_ascii_lowercase(), h.value.to_vec()))
            .collect();
        let length = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
            .and_then(|v| v.parse::<usize>().ok());
        let after = &bytes[head..];
        // An answer to a HEAD keeps its Content-Length and sends no body: another answer
        // follows at once, or the connection ends (RFC 9110 §9.3.2).
        let bodyless = (100..200).contains(&status)
            || status == 204
            || status == 304
            || after.starts_with(b"HTTP/1.")
            || after.is_empty();
        let length = if bodyless {
            0
        } else {
            length.unwrap_or(after.len())
        };
        if length > after.len() {
            return Err(format!("a body shorter than its Content-Length {length}"));
        }
        out.push(WireAnswer {
            status,
            headers,
            body: after[..length].to_vec(),
        });
        bytes = &after[length..];
    }
    Ok(out)
}
