//! The conformance suite against [`DynamoStore`] on moto (one moto server for the
//! binary, one fresh table per test), plus what only DynamoDB has.

mod conformance;

use std::sync::Arc;
use std::time::Duration;

use account_store::{AccountStore, DynamoStore, EmbeddedStore, PageToken, StoreError};
use accounts_testkit::moto;
use conformance::{new_account, StoreFuture, DYNAMO_STYLE_TOKEN};
use uuid::Uuid;

async fn fresh_table(ttl: Duration) -> DynamoStore {
    let table = format!("accounts-{}", Uuid::new_v4().simple());
    let store = DynamoStore::new(moto::client(), table).with_idempotency_ttl(ttl);
    store.create_table().await.expect("create table on moto");
    store
}

fn make(ttl: Duration) -> StoreFuture {
    Box::pin(async move { Arc::new(fresh_table(ttl).await) as Arc<dyn AccountStore> })
}

/// A real token of the embedded store.
async fn foreign_token() -> PageToken {
    let other = EmbeddedStore::in_memory().expect("in-memory store");
    for sub in ["a", "b"] {
        other
            .create(new_account(sub, "a@example.com"), None)
            .await
            .expect("create");
    }
    other
        .list(None, 1, None)
        .await
        .expect("list")
        .next
        .expect("a next token")
}

conformance_suite!(make, foreign_token);

#[tokio::test]
async fn health_fails_when_the_table_is_missing() {
    let store = DynamoStore::new(moto::client(), "no-such-table");
    let h = store.health().await;
    assert!(matches!(h, Err(StoreError::Unavailable(_))), "{h:?}");
    let g = store.get_by_owner("sub-1").await;
    assert!(matches!(g, Err(StoreError::Unavailable(_))), "{g:?}");
}

/// The literal the embedded suite uses as "another store's token" is a token this
/// store accepts, so that check is not vacuous.
#[tokio::test]
async fn dynamo_style_token_sample_is_accepted_here() {
    let store = fresh_table(conformance::DAY).await;
    store
        .create(new_account("sub-1", "a@example.com"), None)
        .await
        .expect("create");
    let page = store
        .list(None, 10, Some(PageToken::from_bytes(DYNAMO_STYLE_TOKEN)))
        .await
        .expect("the sample token is valid for DynamoStore");
    assert!(page.next.is_none());
}

/// Records that no longer fit: an account item that does not decode (written by an older
/// version, or by hand) is left out of a listing instead of failing every page holding it.
#[tokio::test]
async fn a_listing_skips_an_item_that_does_not_decode() {
    use aws_sdk_dynamodb::types::AttributeValue;
    let store = fresh_table(conformance::DAY).await;
    for sub in ["sub-1", "sub-2"] {
        store
            .create(new_account(sub, &format!("{sub}@example.com")), None)
            .await
            .expect("create");
    }
    let bad = Uuid::new_v4();
    moto::client()
        .put_item()
        .table_name(store.table_name())
        .item("pk", AttributeValue::S(format!("ACCOUNT#{bad}")))
        .item("emailLower", AttributeValue::S("sub-15@example.com".into()))
        .item("id", AttributeValue::S(bad.to_string()))
        .item("version", AttributeValue::S("not a number".into()))
        .send()
        .await
        .expect("put a bad item");
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.list(None, 1, after).await.expect("the listing holds");
        seen.extend(page.items.into_iter().map(|r| r.owner_sub));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ["sub-1", "sub-2"]);
    let point = store.get(bad).await;
    assert!(matches!(point, Err(StoreError::Corrupt(_))), "{point:?}");
}
