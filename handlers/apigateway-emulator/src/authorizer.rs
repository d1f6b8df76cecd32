//! The Cognito user pool authorizer of an API Gateway REST API
//! ([docs](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html)).
//!
//! What it checks, as API Gateway does for a method without OAuth scopes (with scopes, see
//! [`CognitoAuthorizer::authorize_for`]: an access token with one of them instead):
//! - the token is taken from the configured header (`Authorization`). AWS documents the raw
//!   JWT as the header value; the console's authorizer test (and AWS workshops) also accept
//!   `Bearer <jwt>`, so both are accepted here. A missing or empty header is 401, and so is
//!   a repeated one (the server refuses it before asking the authorizer: the token verified
//!   and the token a handler reads must be the same);
//! - RS256 signature against the pool's JWKS (by `kid`), `exp` (no leeway), `iss` equal to the
//!   pool's issuer, and `token_use` equal to `id`: without scopes API Gateway takes ID tokens
//!   only, an access token is refused
//!   ([knowledge center](https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized));
//! - `aud` equal to the configured app client id when one is configured (API Gateway itself
//!   accepts ID tokens of any app client of the pool; configure no audience to get exactly that).
//!   With an audience configured a token *without* `aud` is refused too: every Cognito ID
//!   token names its app client, so one without is not Cognito's;
//! - a non-empty `sub` (the caller's identity), and `nbf`, when present, not in the future.
//!
//! The keys of a [`JwksSource::Url`] are fetched on first use, by one request at a time
//! however many callers wait for them, and kept for [`KeyRefresh::max_age`]; after that the
//! next request fetches them again, so a key removed from the JWKS stops being trusted within
//! that time (and every token verified with the old set is verified again). A token naming an
//! unknown `kid` triggers an early fetch at most once per [`KeyRefresh::unknown_kid_interval`].
//! A failed fetch is not retried for [`KeyRefresh::failure_backoff`]; meanwhile, and up to
//! [`KeyRefresh::max_stale`] after the last good fetch, the last good keys keep working, after
//! that (or with none) the answer is API Gateway's 500 `AUTHORIZER_CONFIGURATION_ERROR`.
//!
//! On success the claims become `requestContext.authorizer.claims`, every value a string as API
//! Gateway renders them: numbers and booleans as text, `exp` and `iat` as Java dates
//! (`Wed Nov 26 16:00:00 UTC 2026`), `cognito:groups` joined by `,`.
//!
//! [`verify_jwt`](https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html)
//! describes the same checks for hand-written verifiers.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use tokio::sync::{Mutex, RwLock};

/// Where the signing keys come from.
#[derive(Debug, Clone)]
pub enum JwksSource {
    /// Keys given in process (the dev key of [`crate::devauth::DevAuth`]).
    Static(JwkSet),
    /// A JWKS URL: Cognito's `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json`
    /// or moto's `http://127.0.0.1:<port>/<pool>/.well-known/jwks.json`. Fetched and refreshed
    /// as [`KeyRefresh`] says.
    Url(String),
}

/// When the keys of a [`JwksSource::Url`] are fetched again (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRefresh {
    /// How long fetched keys are used before the next request fetches them again.
    pub max_age: Duration,
    /// The least time between two fetches caused by tokens naming an unknown `kid`.
    pub unknown_kid_interval: Duration,
    /// How long after a failed fetch no other fetch is tried.
    pub failure_backoff: Duration,
    /// How long after the last good fetch its keys stand in while fetching fails.
    pub max_stale: Duration,
}

impl Default for KeyRefresh {
    fn default() -> Self {
        Self {
            max_age: Duration::from_secs(10 * 60),
            unknown_kid_interval: Duration::from_secs(60),
            failure_backoff: Duration::from_secs(10),
            max_stale: Duration::from_secs(60 * 60),
        }
    }
}

/// How tokens are verified.
#[derive(Debug, Clone)]
pub struct AuthorizerConfig {
    /// Expected `iss`: `https://cognito-idp.<region>.amazonaws.com/<pool id>` for Cognito and
    /// moto (whose tokens name the real Cognito host), or the dev issuer.
    pub issuer: String,
    /// Expected `aud` (the app client id); `None` accepts any client of the pool like API
    /// Gateway does.
    pub audience: Option<String>,
    /// The keys.
    pub jwks: JwksSource,
    /// When the keys of a URL are fetched again.
    pub refresh: KeyRefresh,
}

/// Why a request was not authorized.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No token in the header: 401.
    #[error("no token in the authorization header")]
    MissingToken,
    /// The token failed a check: 401.
    #[error("invalid token: {0}")]
    InvalidToken(String),
    /// The keys could not be fetched: API Gateway's 500 `AUTHORIZER_CONFIGURATION_ERROR`.
    #[error("cannot fetch the JWKS from {url}: {reason}")]
    Jwks {
        /// The JWKS URL.
        url: String,
        /// What failed.
        reason: String,
    },
}

/// The claims handed to the integration, all strings.
pub type Claims = Map<String, Value>;

/// At most this many verified tokens are remembered (a local server sees a handful).
const VERIFIED_CAPACITY: usize = 1024;

/// A Cognito user pool authorizer.
#[derive(Debug)]
pub struct CognitoAuthorizer {
    config: AuthorizerConfig,
    client: reqwest::Client,
    keys: RwLock<KeyCache>,
    /// Held while fetching, so that one request fetches and the others wait for its result.
    fetching: Mutex<()>,
    verified: VerifiedTokens,
}

/// The keys as last fetched, and the last failure.
#[derive(Debug, Default, Clone)]
struct KeyCache {
    /// The last good key set and when it was fetched.
    good: Option<(Arc<JwkSet>, Instant)>,
    /// When the last fetch failed, and why; cleared by a good fetch.
    failed: Option<(Instant, String)>,
}

/// Tokens whose signature, issuer, audience and `token_use` already passed, with their
/// `exp` and the claims as passed on. An RS256 verification costs far more than the rest
/// of a request, and a client sends the same token until it expires, so a token is verified
/// once and afterwards only its expiry is checked again. Nothing else about a token can
/// change (it is signed); what can is the key set, so a JWKS refetch empties the map.
#[derive(Debug, Default)]
struct VerifiedTokens(std::sync::RwLock<HashMap<String, (i64, Claims)>>);

impl VerifiedTokens {
    /// The claims of `token` if it was verified and `exp` has not passed at `now`.
    fn get(&self, token: &str, now: i64) -> Option<Result<Claims, AuthError>> {
        let map = self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (exp, claims) = map.get(token)?;
        // jsonwebtoken's rule with no leeway: expired once `exp < now`.
        Some(if *exp < now {
            Err(AuthError::InvalidToken("ExpiredSignature".to_owned()))
        } else {
            Ok(claims.clone())
        })
    }

    fn insert(&self, token: &str, exp: i64, claims: &Claims, now: i64) {
        let mut map = self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= VERIFIED_CAPACITY {
            map.retain(|_, (exp, _)| *exp >= now);
            if map.len() >= VERIFIED_CAPACITY {
                map.clear();
            }
        }
        map.insert(token.to_owned(), (exp, claims.clone()));
    }

    fn clear(&self) {
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl CognitoAuthorizer {
    /// An authorizer for `config`.
    pub fn new(config: AuthorizerConfig) -> Self {
        let good = match &config.jwks {
            JwksSource::Static(set) => Some((Arc::new(set.clone()), Instant::now())),
            JwksSource::Url(_) => None,
        };
        Self {
            config,
            client: reqwest::Client::new(),
            keys: RwLock::new(KeyCache { good, failed: None }),
            fetching: Mutex::new(()),
            verified: VerifiedTokens::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &AuthorizerConfig {
        &self.config
    }

    /// Verifies the value of the token header and returns the claims as API Gateway passes
    /// them on.
    pub async fn authorize(&self, header: Option<&str>) -> Result<Claims, AuthError> {
        self.authorize_for(header, &[]).await
    }

    /// As [`Self::authorize`], for a method with OAuth `scopes`: then API Gateway takes an
    /// *access* token (`token_use` `access`) whose `scope` claim holds one of them, and no ID
    /// token; the configured audience is the access token's `client_id` (access tokens carry
    /// no `aud`).
    pub async fn authorize_for(
        &self,
        header: Option<&str>,
        scopes: &[String],
    ) -> Result<Claims, AuthError> {
        let token = extract_token(header).ok_or(AuthError::MissingToken)?;
        let now = unix_now();
        let access = !scopes.is_empty();
        // Keys past their age are fetched again first: that forgets every verification made
        // with the old set, so a key removed from the JWKS stops working for cached tokens too.
        if let JwksSource::Url(url) = &self.config.jwks {
            self.keys(url, None).await;
        }
        if !access {
            if let Some(known) = self.verified.get(token, now) {
                return known;
            }
        }
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| AuthError::InvalidToken(e.to_string()))?;
        if header.alg != Algorithm::RS256 {
            return Err(AuthError::InvalidToken(format!(
                "algorithm {:?} is not RS256",
                header.alg
            )));
        }
        let kid = header
            .kid
            .ok_or_else(|| AuthError::InvalidToken("the token has no kid".to_owned()))?;
        let key = self.key_for(&kid).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = 0;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[self.config.issuer.as_str()]);
        match self.config.audience.as_ref().filter(|_| !access) {
            Some(aud) => {
                // A configured audience makes `aud` required: a token without one is not
                // an ID token of that (or any) app client.
                validation.set_required_spec_claims(&["exp", "iss", "aud"]);
                validation.set_audience(&[aud.as_str()]);
            }
            None => {
                validation.set_required_spec_claims(&["exp", "iss"]);
                validation.validate_aud = false;
            }
        }
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
            .map_err(|e| AuthError::InvalidToken(e.to_string()))?;
        let claims = data.claims;
        match claims.get("sub").and_then(Value::as_str) {
            Some(sub) if !sub.is_empty() => {}
            _ => {
                return Err(AuthError::InvalidToken(
                    "the token has no sub (no identity)".to_owned(),
                ))
            }
        }
        let wanted = if access { "access" } else { "id" };
        match claims.get("token_use").and_then(Value::as_str) {
            Some(used) if used == wanted => {}
            other => {
                return Err(AuthError::InvalidToken(format!(
                    "token_use is {other:?}, API Gateway needs an {wanted} token here"
                )))
            }
        }
        if access {
            check_access_token(&claims, self.config.audience.as_deref(), scopes)?;
        }
        let claims_out = stringify_claims(&claims);
        if let (false, Some(exp)) = (access, claims.get("exp").and_then(Value::as_i64)) {
            self.verified.insert(token, exp, &claims_out, now);
        }
        Ok(claims_out)
    }

    /// The key `kid` names, from the cached set or a fresh one (see the module docs).
    async fn key_for(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        let JwksSource::Url(url) = &self.config.jwks else {
            let cached = self.keys.read().await.good.clone();
            return find_key(cached.as_ref().map(|(set, _)| set.as_ref()), kid);
        };
        let cached = self.keys(url, Some(kid)).await;
        self.cached_key(&cached, url, kid)
    }

    /// The key cache, after fetching the set if it is due (for `kid`, when given).
    async fn keys(&self, url: &str, kid: Option<&str>) -> KeyCache {
        let refresh = self.config.refresh;
        let before = self.keys.read().await.clone();
        if !needs_fetch(&before, kid, &refresh) {
            return before;
        }
        // One fetch at a time: whoever waited here finds the set another request fetched.
        let _fetching = self.fetching.lock().await;
        let now_cached = self.keys.read().await.clone();
        let changed = fetched_at(&now_cached) != fetched_at(&before)
            || now_cached.failed.as_ref().map(|(at, _)| *at)
                != before.failed.as_ref().map(|(at, _)| *at);
        if changed || !needs_fetch(&now_cached, kid, &refresh) {
            return now_cached;
        }
        let fetched = self.fetch(url).await;
        let mut keys = self.keys.write().await;
        match fetched {
            Ok(set) => {
                *keys = KeyCache {
                    good: Some((Arc::new(set), Instant::now())),
                    failed: None,
                };
                // Tokens verified with the old set are verified again with this one.
                self.verified.clear();
            }
            Err(reason) => {
                tracing::warn!(%url, %reason, "cannot fetch the JWKS");
                keys.failed = Some((Instant::now(), reason));
            }
        }
        keys.clone()
    }

    /// The key from the cached set while it may stand in, else why there is none.
    fn cached_key(
        &self,
        cached: &KeyCache,
        url: &str,
        kid: &str,
    ) -> Result<DecodingKey, AuthError> {
        let usable = cached
            .good
            .as_ref()
            .filter(|(_, at)| at.elapsed() < self.config.refresh.max_stale);
        match (usable, &cached.failed) {
            (None, Some((_, reason))) => Err(AuthError::Jwks {
                url: url.to_owned(),
                reason: reason.clone(),
            }),
            (usable, _) => find_key(usable.map(|(set, _)| set.as_ref()), kid),
        }
    }

    async fn fetch(&self, url: &str) -> Result<JwkSet, String> {
        let response = self
            .client
            .get(url)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .error_for_status()
            .map_err(|e| e.to_string())?;
        response.json::<JwkSet>().await.map_err(|e| e.to_string())
    }
}

fn fetched_at(cache: &KeyCache) -> Option<Instant> {
    cache.good.as_ref().map(|(_, at)| *at)
}

/// Whether a request (for `kid`, when given) should fetch the keys: none yet, too old, or an
/// unknown `kid` and no fetch for a while; never within the back-off after a failure.
fn needs_fetch(cache: &KeyCache, kid: Option<&str>, refresh: &KeyRefresh) -> bool {
    if cache
        .failed
        .as_ref()
        .is_some_and(|(at, _)| at.elapsed() < refresh.failure_backoff)
    {
        return false;
    }
    match &cache.good {
        None => true,
        Some((set, at)) => {
            at.elapsed() >= refresh.max_age
                || (kid.is_some_and(|kid| set.find(kid).is_none())
                    && at.elapsed() >= refresh.unknown_kid_interval)
        }
    }
}

fn find_key(set: Option<&JwkSet>, kid: &str) -> Result<DecodingKey, AuthError> {
    let jwk = set
        .and_then(|set| set.find(kid))
        .ok_or_else(|| AuthError::InvalidToken(format!("unknown kid {kid}")))?;
    DecodingKey::from_jwk(jwk).map_err(|e| AuthError::InvalidToken(e.to_string()))
}

/// The raw token, or the token after a case-insensitive `Bearer ` prefix.
/// An access token's app client (`client_id`, when an audience is configured) and scopes: one
/// of the method's must be in its space-separated `scope` claim.
fn check_access_token(
    claims: &Map<String, Value>,
    audience: Option<&str>,
    scopes: &[String],
) -> Result<(), AuthError> {
    if let Some(aud) = audience {
        if claims.get("client_id").and_then(Value::as_str) != Some(aud) {
            return Err(AuthError::InvalidToken(
                "the access token's client_id is not the configured app client".to_owned(),
            ));
        }
    }
    let granted = claims
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if granted
        .split_whitespace()
        .any(|g| scopes.iter().any(|s| s == g))
    {
        Ok(())
    } else {
        Err(AuthError::InvalidToken(format!(
            "the access token's scopes {granted:?} include none of {scopes:?}"
        )))
    }
}

fn extract_token(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    if value.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => value,
    };
    (!token.is_empty()).then_some(token)
}

/// Renders claims as API Gateway REST does: every value a string.
pub fn stringify_claims(claims: &Map<String, Value>) -> Claims {
    claims
        .iter()
        .map(|(k, v)| {
            let s = match (k.as_str(), v) {
                ("exp" | "iat", Value::Number(n)) => n
                    .as_i64()
                    .and_then(java_date)
                    .unwrap_or_else(|| n.to_string()),
                (_, Value::String(s)) => s.clone(),
                (_, Value::Array(items)) => items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                (_, other) => other.to_string(),
            };
            (k.clone(), Value::String(s))
        })
        .collect()
}

/// `Wed Nov 26 16:00:00 UTC 2026`: Java's `Date.toString()` in UTC, as API Gateway renders
/// `exp` and `iat`.
fn java_date(epoch: i64) -> Option<String> {
    let t = chrono::DateTime::from_timestamp(epoch, 0)?;
    Some(t.format("%a %b %d %H:%M:%S UTC %Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_extraction() {
        assert_eq!(extract_token(None), None);
        assert_eq!(extract_token(Some("  ")), None);
        assert_eq!(extract_token(Some("Bearer ")), None);
        assert_eq!(extract_token(Some("abc.def.ghi")), Some("abc.def.ghi"));
        assert_eq!(extract_token(Some("bearer abc.def")), Some("abc.def"));
    }

    #[test]
    fn claims_become_strings() {
        let claims: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "sub": "s", "email_verified": true, "cognito:groups": ["admin", "ops"],
            "exp": 1_800_000_000, "auth_time": 1_700_000_000
        }))
        .unwrap();
        let out = stringify_claims(&claims);
        assert_eq!(out["email_verified"], "true");
        assert_eq!(out["cognito:groups"], "admin,ops");
        assert_eq!(out["auth_time"], "1700000000");
        assert_eq!(out["exp"], "Fri Jan 15 08:00:00 UTC 2027");
    }

    #[test]
    fn a_verified_token_is_remembered_until_it_expires() {
        let verified = VerifiedTokens::default();
        let claims: Claims = serde_json::from_value(serde_json::json!({"sub": "s"})).unwrap();
        assert!(verified.get("t", 100).is_none());
        verified.insert("t", 100, &claims, 50);
        assert_eq!(verified.get("t", 100).unwrap().unwrap(), claims);
        assert!(matches!(
            verified.get("t", 101),
            Some(Err(AuthError::InvalidToken(_)))
        ));
        verified.clear();
        assert!(verified.get("t", 100).is_none());
    }

    #[test]
    fn the_verified_map_stays_bounded() {
        let verified = VerifiedTokens::default();
        let claims = Claims::new();
        for i in 0..VERIFIED_CAPACITY {
            verified.insert(&format!("old{i}"), 10, &claims, 0);
        }
        // Full: the expired entries go, the live one stays.
        verified.insert("live", 1_000, &claims, 500);
        verified.insert("next", 1_000, &claims, 500);
        assert!(verified.get("old0", 5).is_none());
        assert!(verified.get("live", 500).is_some());
        assert!(verified.get("next", 500).is_some());
    }
}
