//! The accounts API's behaviour: one implementation of each generated operation
//! trait (`accounts_server::{GetHealth, GetMyAccount, ...}`) over an
//! [`AccountStore`](account_store::AccountStore).
//!
//! Authorisation rule: an account is visible to its owner (the token's `sub`)
//! and to members of the `admin` group; to anyone else it does not exist (404,
//! not 403), so that ids cannot be probed. Only listing answers 403, since its
//! existence is public.
//!
//! Email policy: an account's email is its owner's *verified* email, the ID
//! token's `email` claim with `email_verified` true, which the user pool
//! verified by mail. `createAccount` takes it from the token (a body may repeat
//! it, case-insensitively, and nothing else); only the owner may change it, and
//! only to the verified email of their current token (after changing and
//! verifying it in the user pool). Nobody can register or switch to an address
//! they do not control, and an address is as unique as the user pool keeps
//! verified emails (unique where email is a sign-in alias or the username). A
//! token without a verified email cannot create an account (400 `/email`
//! `verified`).
//!
//! Hostile and stale data: nothing is written that could not be read back (a
//! record is checked against the schema's constrained types first, 400 naming
//! each field); a stored record that no longer fits (older rules) is left out of
//! listings with an error log, and a point read of it is 503 with the log naming
//! it. `If-Match` is compared strongly (RFC 9110): a weak tag never matches.
//! Cursors expire after 24 hours and survive one key rotation ([`cursor`]).

mod convert;
pub mod cursor;
mod operations;

pub use cursor::{CursorError, CursorKey, CursorKeyError, CursorKeys, StaticCursorKey};

use account_store::AccountStore;
use std::sync::Arc;

/// The Cognito group whose members may read, change and list every account.
pub const ADMIN_GROUP: &str = "admin";

/// The service: a store, the cursor signing key, and where it runs.
#[derive(Clone)]
pub struct AccountsService {
    store: Arc<dyn AccountStore>,
    cursor_key: Arc<dyn CursorKey>,
    region: String,
}

impl AccountsService {
    /// `region` is what `GET /health` reports (`AWS_REGION`, or `local`).
    pub fn new(
        store: Arc<dyn AccountStore>,
        cursor_key: Arc<dyn CursorKey>,
        region: impl Into<String>,
    ) -> Self {
        Self {
            store,
            cursor_key,
            region: region.into(),
        }
    }
}
