//! A store double that fails on demand, for the 503 of every operation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use account_store::{
    AccountRecord, AccountStore, CreateOutcome, IdempotencyClaim, NewAccount, Page, PageToken,
    StoreError,
};
use async_trait::async_trait;

/// Wraps a real store; while switched off every call answers
/// [`StoreError::Unavailable`], as `DynamoStore` does when DynamoDB cannot be reached.
#[derive(Debug)]
pub struct SwitchableStore {
    inner: Arc<dyn AccountStore>,
    failing: AtomicBool,
}

impl SwitchableStore {
    /// A working store over `inner`.
    pub fn new(inner: Arc<dyn AccountStore>) -> Self {
        Self {
            inner,
            failing: AtomicBool::new(false),
        }
    }

    /// `true`: every call fails from now on; `false`: calls reach the inner store again.
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    fn check(&self) -> Result<(), StoreError> {
        if self.failing.load(Ordering::SeqCst) {
            Err(StoreError::Unavailable(
                "the test switched the store off".into(),
            ))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl AccountStore for SwitchableStore {
    async fn health(&self) -> Result<(), StoreError> {
        self.check()?;
        self.inner.health().await
    }

    async fn create(
        &self,
        new: NewAccount,
        claim: Option<IdempotencyClaim>,
    ) -> Result<CreateOutcome, StoreError> {
        self.check()?;
        self.inner.create(new, claim).await
    }

    async fn get(&self, id: uuid::Uuid) -> Result<AccountRecord, StoreError> {
        self.check()?;
        self.inner.get(id).await
    }

    async fn get_by_owner(&self, owner_sub: &str) -> Result<AccountRecord, StoreError> {
        self.check()?;
        self.inner.get_by_owner(owner_sub).await
    }

    async fn replace(
        &self,
        record: AccountRecord,
        expected_version: u64,
    ) -> Result<AccountRecord, StoreError> {
        self.check()?;
        self.inner.replace(record, expected_version).await
    }

    async fn delete(&self, id: uuid::Uuid) -> Result<(), StoreError> {
        self.check()?;
        self.inner.delete(id).await
    }

    async fn list(
        &self,
        email: Option<&str>,
        limit: u32,
        after: Option<PageToken>,
    ) -> Result<Page, StoreError> {
        self.check()?;
        self.inner.list(email, limit, after).await
    }
}
