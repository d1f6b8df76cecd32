//! Opaque, tamper-proof list cursors: the store's page token, signed with
//! HMAC-SHA256 under a key held in Secrets Manager (or a local key).
//! Format: `base64url(token) "." base64url(mac)`, as the spec's `cursor` pattern says.

use account_store::PageToken;
use async_trait::async_trait;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why the signing key is not available.
#[derive(Debug, thiserror::Error)]
#[error("the cursor signing key is unavailable: {0}")]
pub struct CursorKeyError(pub String);

/// Without its key the listing cannot be served: 503, logged with the cause.
impl From<CursorKeyError> for accounts_server::ApiError {
    fn from(error: CursorKeyError) -> Self {
        account_store::log_cause(&error);
        Self::new(503, "UNAVAILABLE", account_store::UNAVAILABLE_MESSAGE)
    }
}

/// Where the signing key comes from; read once per container and cached by the
/// implementation (the Lambda's reads Secrets Manager lazily on first use).
#[async_trait]
pub trait CursorKey: Send + Sync {
    async fn key(&self) -> Result<Vec<u8>, CursorKeyError>;
}

/// A key given directly (local server, tests).
pub struct StaticCursorKey(pub Vec<u8>);

#[async_trait]
impl CursorKey for StaticCursorKey {
    async fn key(&self) -> Result<Vec<u8>, CursorKeyError> {
        Ok(self.0.clone())
    }
}

fn mac(key: &[u8], payload: &[u8]) -> Result<HmacSha256, CursorKeyError> {
    let mut mac = HmacSha256::new_from_slice(key).map_err(|e| CursorKeyError(e.to_string()))?;
    mac.update(payload);
    Ok(mac)
}

/// Signs a page token into a cursor.
pub fn sign(key: &[u8], token: &PageToken) -> Result<String, CursorKeyError> {
    let tag = mac(key, token.as_bytes())?.finalize().into_bytes();
    Ok(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(token.as_bytes()),
        URL_SAFE_NO_PAD.encode(tag)
    ))
}

/// Checks a cursor's signature (in constant time) and returns the page token;
/// `None` for anything not signed with `key`.
pub fn verify(key: &[u8], cursor: &str) -> Option<PageToken> {
    let (payload, tag) = cursor.split_once('.')?;
    let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(key, &payload).ok()?.verify_slice(&tag).ok()?;
    Some(PageToken::from_bytes(payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_cursor_round_trips_and_any_change_is_refused() {
        let token = PageToken::from_bytes(b"ddb1.{\"e\":\"a@b.c\"}".to_vec());
        let cursor = sign(b"k1", &token).unwrap();
        assert_eq!(verify(b"k1", &cursor), Some(token));
        assert_eq!(verify(b"k2", &cursor), None, "another key");
        let mut tampered = cursor.clone().into_bytes();
        tampered[2] ^= 1;
        assert_eq!(verify(b"k1", &String::from_utf8_lossy(&tampered)), None);
        assert_eq!(verify(b"k1", "no-dot"), None);
        assert_eq!(verify(b"k1", "!!.!!"), None);
    }
}
