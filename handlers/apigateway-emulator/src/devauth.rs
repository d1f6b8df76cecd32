//! Dev auth that works out of the box: an in-process stand-in for a Cognito user pool that signs
//! ID tokens shaped like Cognito's
//! ([ID token payload](https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html)),
//! so that the real authorizer code path runs locally without AWS.
//!
//! The RSA-2048 signing key is generated at start, or kept beside a local server's data
//! ([`SigningKey::Persisted`]) so that printed tokens outlive a restart; its public half is
//! served as a JWKS at `GET /.well-known/jwks.json` so that other tools can verify the tokens
//! too. To verify real Cognito or moto tokens instead, build an
//! [`AuthorizerConfig`] with the pool's issuer, JWKS URL and client id.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};

use crate::authorizer::{AuthorizerConfig, JwksSource, KeyRefresh};
use crate::secret_file::{self, SecretFileError};

/// Why dev auth could not start or sign.
#[derive(Debug, thiserror::Error)]
pub enum DevAuthError {
    /// RSA key generation or encoding failed.
    #[error("cannot create the dev signing key: {0}")]
    Key(String),
    /// Signing failed.
    #[error("cannot sign the token")]
    Sign(#[from] jsonwebtoken::errors::Error),
    /// The JWKS could not be built.
    #[error("cannot build the JWKS")]
    Jwks(#[from] serde_json::Error),
}

/// Where the dev signing key comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigningKey {
    /// A new key for this process only (tokens die with it).
    Ephemeral,
    /// `dev-signing-key.pem` (PKCS#8) in this existing directory, created on first use,
    /// readable by its owner only (see [`crate::secret_file`]).
    Persisted(PathBuf),
}

/// Why the signing key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SigningKeyError {
    /// RSA key generation failed.
    #[error("cannot generate the dev signing key")]
    Generate(#[source] rsa::Error),
    /// PKCS#8 encoding failed.
    #[error("cannot encode the dev signing key")]
    Encode(#[source] rsa::pkcs8::Error),
    /// The key file could not be read or written.
    #[error(transparent)]
    File(#[from] SecretFileError),
}

impl SigningKey {
    /// The key: a persisted one is read back when it parses, else made and written.
    pub fn load(&self) -> Result<RsaPrivateKey, SigningKeyError> {
        match self {
            Self::Ephemeral => generate_key(),
            Self::Persisted(dir) => persisted_key(dir),
        }
    }
}

fn generate_key() -> Result<RsaPrivateKey, SigningKeyError> {
    RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(SigningKeyError::Generate)
}

fn persisted_key(dir: &Path) -> Result<RsaPrivateKey, SigningKeyError> {
    let path = dir.join("dev-signing-key.pem");
    let parse = |pem: &[u8]| {
        std::str::from_utf8(pem)
            .ok()
            .and_then(|pem| RsaPrivateKey::from_pkcs8_pem(pem).ok())
    };
    let existing = secret_file::read(&path)?;
    if let Some(key) = existing.as_deref().and_then(parse) {
        return Ok(key);
    }
    let key = generate_key()?;
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(SigningKeyError::Encode)?;
    // A file that did not parse is replaced; otherwise another server starting on the same
    // directory may have written one meanwhile, and its key wins.
    if secret_file::create(&path, pem.as_bytes(), existing.is_some())? {
        return Ok(key);
    }
    match secret_file::read(&path)?.as_deref().and_then(parse) {
        Some(theirs) => Ok(theirs),
        None => Ok(key),
    }
}

/// The user a dev token is for.
#[derive(Debug, Clone)]
pub struct DevUser {
    /// `sub` (the account owner's identity).
    pub sub: String,
    /// `email`.
    pub email: String,
    /// `cognito:username`.
    pub username: String,
    /// `cognito:groups` (e.g. `admin`).
    pub groups: Vec<String>,
    /// Lifetime (Cognito's default is one hour).
    pub ttl: Duration,
}

impl DevUser {
    /// A user with the given `sub`, an email derived from it, no groups and a one-hour token.
    pub fn new(sub: impl Into<String>) -> Self {
        let sub = sub.into();
        Self {
            email: format!("{sub}@example.com"),
            username: sub.clone(),
            sub,
            groups: Vec::new(),
            ttl: Duration::from_secs(3600),
        }
    }

    /// Adds a Cognito group.
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.groups.push(group.into());
        self
    }
}

/// A local token issuer.
pub struct DevAuth {
    encoding_key: EncodingKey,
    kid: String,
    issuer: String,
    client_id: String,
    jwks: Value,
}

impl std::fmt::Debug for DevAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevAuth")
            .field("kid", &self.kid)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl DevAuth {
    /// The issuer to use for a local server on `port`: `http://127.0.0.1:<port>/local_pool`.
    pub fn local_issuer(port: u16) -> String {
        format!("http://127.0.0.1:{port}/local_pool")
    }

    /// Generates a fresh RSA-2048 signing key for `issuer` and app client `client_id`.
    /// (This takes a moment in debug builds: generate once per process.)
    pub fn generate(
        issuer: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Result<Self, DevAuthError> {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .map_err(|e| DevAuthError::Key(e.to_string()))?;
        Self::from_key(&key, issuer, client_id)
    }

    /// Uses an existing key (tests reuse one key across servers).
    pub fn from_key(
        key: &RsaPrivateKey,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Result<Self, DevAuthError> {
        let der = key
            .to_pkcs1_der()
            .map_err(|e| DevAuthError::Key(e.to_string()))?;
        let encoding_key = EncodingKey::from_rsa_der(der.as_bytes());
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let n = b64.encode(key.n().to_bytes_be());
        let e = b64.encode(key.e().to_bytes_be());
        // The key id follows from the key, so a key persisted across restarts
        // keeps verifying the tokens minted before.
        let kid = {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(key.n().to_bytes_be());
            b64.encode(&digest[..12])
        };
        let jwks = json!({"keys": [{
            "alg": "RS256", "e": e, "kid": kid, "kty": "RSA", "n": n, "use": "sig"
        }]});
        Ok(Self {
            encoding_key,
            kid,
            issuer: issuer.into(),
            client_id: client_id.into(),
            jwks,
        })
    }

    /// The issuer (`iss`) of the minted tokens.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The app client id (`aud`) of the minted tokens.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The key id in the tokens' header and the JWKS.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public JWKS document (`{"keys":[...]}`).
    pub fn jwks_json(&self) -> &Value {
        &self.jwks
    }

    /// The public keys as a [`JwkSet`].
    pub fn jwk_set(&self) -> Result<JwkSet, DevAuthError> {
        Ok(serde_json::from_value(self.jwks.clone())?)
    }

    /// The authorizer configuration that accepts exactly these tokens.
    pub fn authorizer_config(&self) -> Result<AuthorizerConfig, DevAuthError> {
        Ok(AuthorizerConfig {
            issuer: self.issuer.clone(),
            audience: Some(self.client_id.clone()),
            jwks: JwksSource::Static(self.jwk_set()?),
            refresh: KeyRefresh::default(),
        })
    }

    /// The claims of a Cognito ID token for `user`, issued now. Tests tweak them and sign them
    /// with [`DevAuth::sign`] to make expired, foreign or access tokens.
    pub fn id_token_claims(&self, user: &DevUser) -> Map<String, Value> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(user.ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = json!({
            "sub": user.sub,
            "cognito:groups": user.groups,
            "email_verified": true,
            "iss": self.issuer,
            "cognito:username": user.username,
            "origin_jti": uuid::Uuid::new_v4().to_string(),
            "aud": self.client_id,
            "event_id": uuid::Uuid::new_v4().to_string(),
            "token_use": "id",
            "auth_time": now,
            "exp": now.saturating_add(ttl),
            "iat": now,
            "jti": uuid::Uuid::new_v4().to_string(),
            "email": user.email,
        });
        let mut map = match claims {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        // Cognito omits the claim for users in no group.
        if user.groups.is_empty() {
            map.remove("cognito:groups");
        }
        map
    }

    /// Mints an ID token for `user`.
    pub fn mint_id_token(&self, user: &DevUser) -> Result<String, DevAuthError> {
        self.sign(&self.id_token_claims(user))
    }

    /// Mints a Cognito *access* token for `user` with OAuth `scopes`, what a method with
    /// authorization scopes takes: `token_use` `access`, the app client as `client_id` (no
    /// `aud`), the scopes space-separated in `scope`.
    pub fn mint_access_token(
        &self,
        user: &DevUser,
        scopes: &[String],
    ) -> Result<String, DevAuthError> {
        let mut claims = self.id_token_claims(user);
        for id_only in ["aud", "email", "email_verified", "cognito:username"] {
            claims.remove(id_only);
        }
        claims.insert("token_use".into(), json!("access"));
        claims.insert("client_id".into(), json!(self.client_id));
        claims.insert("username".into(), json!(user.username));
        claims.insert("scope".into(), json!(scopes.join(" ")));
        self.sign(&claims)
    }

    /// Signs arbitrary claims with the dev key (RS256, `kid` header).
    pub fn sign(&self, claims: &Map<String, Value>) -> Result<String, DevAuthError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.encoding_key)?)
    }
}
