//! The Cognito authorizer: any header value, and tokens of any claims and header signed with
//! the trusted key (plus algorithm confusion with its public key as an HMAC secret). No input
//! may panic, and a token passes only if it is a live Cognito ID token of this pool and app
//! client with a `sub`. An input that is a JSON object is a token's claims, signed with the
//! trusted key (the seeds are the tests' claims); any other input is read as a structured
//! case.
#![no_main]

use std::sync::OnceLock;

use accounts_fuzz::{dev_auth, encoding_key, runtime, CLIENT_ID, ISSUER};
use apigateway_rest_emulator::{CognitoAuthorizer, DevUser};
use arbitrary::{Arbitrary, Unstructured};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[derive(Arbitrary, Debug)]
enum Claim {
    Remove,
    Text(String),
    Number(i64),
    Seconds(i32),
    Flag(bool),
    List(Vec<String>),
}

#[derive(Arbitrary, Debug)]
enum Input {
    /// The `Authorization` header as sent.
    Header(String),
    /// Good claims changed, signed with the trusted key.
    Signed {
        changes: Vec<(u8, Claim)>,
        extra: Vec<(String, String)>,
        kid: Option<String>,
        bearer: bool,
    },
    /// Good claims under `HS256` keyed with the public key (algorithm confusion).
    Confused { kid: bool },
}

const NAMES: [&str; 10] = [
    "sub",
    "aud",
    "iss",
    "exp",
    "nbf",
    "iat",
    "token_use",
    "cognito:groups",
    "email",
    "email_verified",
];

fn authorizer() -> &'static CognitoAuthorizer {
    static AUTHORIZER: OnceLock<CognitoAuthorizer> = OnceLock::new();
    AUTHORIZER.get_or_init(|| {
        CognitoAuthorizer::new(
            dev_auth()
                .authorizer_config()
                .unwrap_or_else(|e| panic!("authorizer: {e}")),
        )
    })
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Whether claims (as signed) make a token API Gateway's authorizer accepts.
fn acceptable(claims: &Map<String, Value>) -> bool {
    let now = now();
    let sub_ok = claims
        .get("sub")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == CLIENT_ID,
        Some(Value::Array(items)) => items.iter().any(|a| a == CLIENT_ID),
        _ => false,
    };
    let exp_ok = claims
        .get("exp")
        .and_then(Value::as_i64)
        .is_some_and(|e| e >= now);
    let nbf_ok = claims
        .get("nbf")
        .is_none_or(|n| n.as_i64().is_some_and(|n| n <= now + 1));
    sub_ok
        && aud_ok
        && exp_ok
        && nbf_ok
        && claims.get("iss").and_then(Value::as_str) == Some(ISSUER)
        && claims.get("token_use").and_then(Value::as_str) == Some("id")
}

fuzz_target!(|data: &[u8]| {
    if let Ok(claims) = serde_json::from_slice::<Map<String, Value>>(data) {
        let Ok(token) = dev_auth().sign(&claims) else {
            return;
        };
        let result = runtime().block_on(authorizer().authorize(Some(&token)));
        if result.is_ok() {
            assert!(acceptable(&claims), "accepted claims {claims:?}");
        }
        return;
    }
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let (header, claims) = match input {
        Input::Header(value) => (value, None),
        Input::Signed {
            changes,
            extra,
            kid,
            bearer,
        } => {
            let mut claims = dev_auth().id_token_claims(&DevUser::new("fuzz-user"));
            for (name, change) in changes {
                let name = NAMES[usize::from(name) % NAMES.len()].to_owned();
                let value = match change {
                    Claim::Remove => {
                        claims.remove(&name);
                        continue;
                    }
                    Claim::Text(t) => json!(t),
                    Claim::Number(n) => json!(n),
                    Claim::Seconds(s) => json!(now() + i64::from(s)),
                    Claim::Flag(f) => json!(f),
                    Claim::List(l) => json!(l),
                };
                claims.insert(name, value);
            }
            for (k, v) in extra {
                claims.insert(k, json!(v));
            }
            let mut header = Header::new(Algorithm::RS256);
            header.kid = Some(kid.unwrap_or_else(|| dev_auth().kid().to_owned()));
            let token = match dev_auth().sign(&claims) {
                Ok(t) if header.kid.as_deref() == Some(dev_auth().kid()) => t,
                _ => {
                    // Another kid: signed by hand with the same key.
                    match jsonwebtoken::encode(&header, &claims, encoding_key()) {
                        Ok(t) => t,
                        Err(_) => return,
                    }
                }
            };
            let value = if bearer {
                format!("Bearer {token}")
            } else {
                token
            };
            (value, Some(claims))
        }
        Input::Confused { kid } => {
            let claims = dev_auth().id_token_claims(&DevUser::new("fuzz-user"));
            let mut header = Header::new(Algorithm::HS256);
            if kid {
                header.kid = Some(dev_auth().kid().to_owned());
            }
            let secret = dev_auth().jwks_json().to_string();
            let token = jsonwebtoken::encode(
                &header,
                &claims,
                &EncodingKey::from_secret(secret.as_bytes()),
            )
            .unwrap_or_else(|e| panic!("hs256: {e}"));
            let result = runtime().block_on(authorizer().authorize(Some(&token)));
            assert!(result.is_err(), "an HS256 token passed");
            return;
        }
    };
    let result = runtime().block_on(authorizer().authorize(Some(&header)));
    if let Ok(passed) = result {
        let claims =
            claims.unwrap_or_else(|| panic!("a raw header passed: {header:?} → {passed:?}"));
        assert!(acceptable(&claims), "accepted claims {claims:?}");
        assert!(
            passed.values().all(Value::is_string),
            "claims are passed on as strings"
        );
    }
});
