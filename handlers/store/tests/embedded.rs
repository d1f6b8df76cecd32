//! The conformance suite against [`EmbeddedStore`] (in memory), plus what only the
//! embedded store has: persistence across reopen and closing.

mod conformance;

use std::sync::Arc;
use std::time::Duration;

use account_store::{AccountRecord, AccountStore, EmbeddedStore, PageToken, StoreError};
use conformance::{claim, new_account, StoreFuture, DYNAMO_STYLE_TOKEN};

fn make(ttl: Duration) -> StoreFuture {
    Box::pin(async move {
        let store = EmbeddedStore::in_memory()
            .expect("in-memory store")
            .with_idempotency_ttl(ttl);
        Arc::new(store) as Arc<dyn AccountStore>
    })
}

async fn foreign_token() -> PageToken {
    PageToken::from_bytes(DYNAMO_STYLE_TOKEN)
}

conformance_suite!(make, foreign_token);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_survives_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let (rec, v2) = {
        let store = EmbeddedStore::open(&data).expect("open");
        let rec = store
            .create(
                new_account("sub-1", "ada@example.com"),
                claim("key-0001", "f1"),
            )
            .await
            .expect("create")
            .into_record();
        let v2 = store
            .replace(
                AccountRecord {
                    display_name: "Ada King".into(),
                    ..rec.clone()
                },
                1,
            )
            .await
            .expect("replace");
        store
            .create(new_account("sub-2", "bob@example.com"), None)
            .await
            .expect("create 2");
        (rec, v2)
        // dropped here: the file is closed
    };
    let store = EmbeddedStore::open(&data).expect("reopen");
    assert_eq!(store.path(), Some(data.join("accounts.redb").as_path()));
    store.health().await.expect("health");
    assert_eq!(store.get(rec.id).await.expect("get"), v2);
    assert_eq!(store.get_by_owner("sub-1").await.expect("get_by_owner"), v2);
    let replay = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f1"),
        )
        .await
        .expect("replay after reopen");
    assert!(replay.is_replay());
    assert_eq!(replay.into_record(), rec);
    let page = store.list(None, 10, None).await.expect("list");
    assert_eq!(page.items.len(), 2);
    let again = store
        .create(new_account("sub-2", "b@example.com"), None)
        .await;
    assert!(matches!(again, Err(StoreError::AlreadyExists)), "{again:?}");
}

#[tokio::test]
async fn closed_store_is_unavailable_and_releases_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = EmbeddedStore::open(dir.path()).expect("open");
    let clone = store.clone();
    store
        .create(new_account("sub-1", "ada@example.com"), None)
        .await
        .expect("create");
    // A second open of a database in use is refused, not corrupting it.
    let second = EmbeddedStore::open(dir.path());
    assert!(
        matches!(second, Err(StoreError::Unavailable(_))),
        "{second:?}"
    );
    store.close();
    let h = clone.health().await;
    assert!(matches!(h, Err(StoreError::Unavailable(_))), "{h:?}");
    let g = clone.get_by_owner("sub-1").await;
    assert!(matches!(g, Err(StoreError::Unavailable(_))), "{g:?}");
    let reopened = EmbeddedStore::open(dir.path()).expect("reopen after close");
    reopened.get_by_owner("sub-1").await.expect("data kept");
}

/// Operations: a second server on the same data directory is told which file is in use and
/// why, each cause once (the message used to repeat redb's text and name no path).
#[tokio::test]
async fn a_database_in_use_names_its_file_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let _first = EmbeddedStore::open(dir.path()).expect("open");
    let Err(second) = EmbeddedStore::open(dir.path()) else {
        panic!("a second open succeeded");
    };
    let mut chain = vec![second.to_string()];
    let mut source = std::error::Error::source(&second);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    let file = dir.path().join("accounts.redb");
    assert_eq!(
        chain,
        [
            "the account store is unavailable".to_owned(),
            format!(
                "{} is open in another process (another server on the same data directory?)",
                file.display()
            ),
        ]
    );
}
