//! Opaque, tamper-proof list cursors that expire, under keys that can rotate.
//!
//! A cursor is the store's page token with an expiry, signed with HMAC-SHA256:
//! `base64url(payload) "." base64url(mac)` (the spec's `cursor` pattern), where
//! `payload = 0x01 (format) ‖ expiry (u64, big-endian Unix seconds) ‖ page token`.
//! It is signed with the *current* key and accepted under the current or the
//! *previous* key, so a key can be rotated without breaking the listings in
//! progress: a cursor issued just before a rotation still works after it, for as
//! long as it lives ([`CURSOR_TTL`], 24 hours). A cursor past its expiry is
//! refused even under a valid key, so a leaked one stops working.
//!
//! Keys come from a [`CursorKey`]: in the Lambdas a Secrets Manager secret (its
//! `AWSCURRENT` and `AWSPREVIOUS` versions), locally a key file beside the data
//! (and the file of the key before it, if any).

use std::time::Duration;

use account_store::PageToken;
use async_trait::async_trait;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How long a cursor is accepted after it was issued.
pub const CURSOR_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The format byte at the start of every payload.
const FORMAT: u8 = 1;

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

/// The keys cursors are signed and checked with.
#[derive(Clone, PartialEq, Eq)]
pub struct CursorKeys {
    /// Signs new cursors; checks cursors.
    pub current: Vec<u8>,
    /// The key before the last rotation: checks cursors issued before it.
    pub previous: Option<Vec<u8>>,
}

impl std::fmt::Debug for CursorKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CursorKeys")
            .field("current", &format_args!("{} bytes", self.current.len()))
            .field("previous", &self.previous.as_ref().map(Vec::len))
            .finish()
    }
}

/// Where the keys come from; implementations cache them (the Lambda's reads
/// Secrets Manager on first use and again every few minutes).
#[async_trait]
pub trait CursorKey: Send + Sync {
    /// The keys as last known.
    async fn keys(&self) -> Result<CursorKeys, CursorKeyError>;

    /// The keys read again if the source can (at most about once a minute): asked
    /// when a cursor fails under [`CursorKey::keys`], since another container may
    /// already sign with a key rotated in since.
    async fn refreshed_keys(&self) -> Result<CursorKeys, CursorKeyError> {
        self.keys().await
    }
}

/// One key given directly (tests, and the Lambdas that never list).
pub struct StaticCursorKey(pub Vec<u8>);

#[async_trait]
impl CursorKey for StaticCursorKey {
    async fn keys(&self) -> Result<CursorKeys, CursorKeyError> {
        Ok(CursorKeys {
            current: self.0.clone(),
            previous: None,
        })
    }
}

/// Keys given directly (the local server's key files).
#[async_trait]
impl CursorKey for CursorKeys {
    async fn keys(&self) -> Result<CursorKeys, CursorKeyError> {
        Ok(self.clone())
    }
}

/// Why a cursor is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    /// Not a cursor signed with either key (altered, forged, or from elsewhere).
    #[error("the cursor was not issued by this service")]
    Invalid,
    /// Signed by us, but past its expiry.
    #[error("the cursor has expired")]
    Expired,
}

fn mac(key: &[u8], payload: &[u8]) -> Result<HmacSha256, CursorKeyError> {
    HmacSha256::new_from_slice(key)
        .map(|mut mac| {
            mac.update(payload);
            mac
        })
        .map_err(|e| CursorKeyError(e.to_string()))
}

/// Signs a page token into a cursor that expires [`CURSOR_TTL`] after `now`
/// (Unix seconds), with the current key.
pub fn sign(keys: &CursorKeys, token: &PageToken, now: u64) -> Result<String, CursorKeyError> {
    if keys.current.is_empty() {
        // An empty HMAC key is valid to the algorithm and known to everyone.
        return Err(CursorKeyError("the current cursor key is empty".to_owned()));
    }
    let expires = now.saturating_add(CURSOR_TTL.as_secs());
    let mut payload = Vec::with_capacity(9 + token.as_bytes().len());
    payload.push(FORMAT);
    payload.extend_from_slice(&expires.to_be_bytes());
    payload.extend_from_slice(token.as_bytes());
    let tag = mac(&keys.current, &payload)?.finalize().into_bytes();
    Ok(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(tag)
    ))
}

/// Checks a cursor's signature under the current or the previous key (in
/// constant time) and its expiry at `now`, and returns the page token.
pub fn verify(keys: &CursorKeys, cursor: &str, now: u64) -> Result<PageToken, CursorError> {
    let (payload, tag) = cursor.split_once('.').ok_or(CursorError::Invalid)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| CursorError::Invalid)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| CursorError::Invalid)?;
    let signed = std::iter::once(&keys.current)
        .chain(keys.previous.as_ref())
        .filter(|key| !key.is_empty())
        .any(|key| mac(key, &payload).is_ok_and(|m| m.verify_slice(&tag).is_ok()));
    if !signed {
        return Err(CursorError::Invalid);
    }
    let (format, rest) = payload.split_first().ok_or(CursorError::Invalid)?;
    if *format != FORMAT || rest.len() < 8 {
        return Err(CursorError::Invalid);
    }
    let (expires, token) = rest.split_at(8);
    let expires = u64::from_be_bytes(expires.try_into().map_err(|_| CursorError::Invalid)?);
    if expires <= now {
        return Err(CursorError::Expired);
    }
    Ok(PageToken::from_bytes(token.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(current: &[u8], previous: Option<&[u8]>) -> CursorKeys {
        CursorKeys {
            current: current.to_vec(),
            previous: previous.map(<[u8]>::to_vec),
        }
    }

    const NOW: u64 = 1_800_000_000;

    #[test]
    fn a_signed_cursor_round_trips_and_any_change_is_refused() {
        let token = PageToken::from_bytes(b"ddb1.{\"e\":\"a@b.c\"}".to_vec());
        let k1 = keys(b"k1", None);
        let cursor = sign(&k1, &token, NOW).unwrap();
        assert_eq!(verify(&k1, &cursor, NOW), Ok(token));
        assert_eq!(
            verify(&keys(b"k2", None), &cursor, NOW),
            Err(CursorError::Invalid)
        );
        let mut tampered = cursor.clone().into_bytes();
        tampered[2] ^= 1;
        assert_eq!(
            verify(&k1, &String::from_utf8_lossy(&tampered), NOW),
            Err(CursorError::Invalid)
        );
        assert_eq!(verify(&k1, "no-dot", NOW), Err(CursorError::Invalid));
        assert_eq!(verify(&k1, "!!.!!", NOW), Err(CursorError::Invalid));
        // A correctly signed payload of another format is not a cursor either.
        let other = URL_SAFE_NO_PAD.encode([2u8; 12]);
        let tag = URL_SAFE_NO_PAD.encode(mac(b"k1", &[2u8; 12]).unwrap().finalize().into_bytes());
        assert_eq!(
            verify(&k1, &format!("{other}.{tag}"), NOW),
            Err(CursorError::Invalid)
        );
    }

    #[test]
    fn cursors_survive_one_rotation_and_expire() {
        let token = PageToken::from_bytes(b"redb1.{}".to_vec());
        let before = keys(b"old-key", None);
        let cursor = sign(&before, &token, NOW).unwrap();
        // Rotated: the old key is now the previous one; new cursors use the new key.
        let after = keys(b"new-key", Some(b"old-key"));
        assert_eq!(verify(&after, &cursor, NOW + 60), Ok(token.clone()));
        let fresh = sign(&after, &token, NOW).unwrap();
        assert_eq!(verify(&before, &fresh, NOW), Err(CursorError::Invalid));
        // Rotated again: the old key is gone.
        let twice = keys(b"newest", Some(b"new-key"));
        assert_eq!(verify(&twice, &cursor, NOW), Err(CursorError::Invalid));
        assert_eq!(verify(&twice, &fresh, NOW), Ok(token));
        // Expiry, even under a valid key.
        let ttl = CURSOR_TTL.as_secs();
        assert!(verify(&after, &fresh, NOW + ttl - 1).is_ok());
        assert_eq!(verify(&after, &fresh, NOW + ttl), Err(CursorError::Expired));
    }
}
