//! The accounts API's behaviour: one implementation of each generated operation
//! trait (`accounts_server::{GetHealth, GetMyAccount, ...}`) over an
//! [`AccountStore`](account_store::AccountStore).
//!
//! Authorisation rule: an account is visible to its owner (the token's `sub`)
//! and to members of the `admin` group; to anyone else it does not exist (404,
//! not 403), so that ids cannot be probed. Only listing answers 403, since its
//! existence is public.

mod convert;
pub mod cursor;
mod operations;

pub use cursor::{CursorKey, CursorKeyError, StaticCursorKey};

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
