//! The conformance suite: one set of behaviours every [`AccountStore`] must show.
//!
//! Each case takes a factory that makes a fresh, empty store with a given idempotency
//! TTL; [`conformance_suite!`] turns every case into a `#[tokio::test]` on a
//! multi-thread runtime, so the same cases run against both stores.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use account_store::{
    AccountRecord, AccountStore, CreateOutcome, IdempotencyClaim, NewAccount, PageToken, StoreError,
};
use chrono::Utc;
use uuid::Uuid;

pub type StoreFuture = Pin<Box<dyn Future<Output = Arc<dyn AccountStore>> + Send>>;
/// Makes a fresh, empty store whose idempotency keys live for the given TTL.
pub type Make = fn(Duration) -> StoreFuture;

pub const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// A token in DynamoStore's format (checked to be accepted by `tests/dynamodb.rs`), to
/// give to the embedded store as "another store's token" without a moto server.
pub const DYNAMO_STYLE_TOKEN: &[u8] =
    br#"ddb1.{"f":null,"e":"a@example.com","i":"0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a10"}"#;

/// Generates one `#[tokio::test]` per conformance case for the store made by `$make`
/// (a [`Make`]); `$foreign` is an async fn returning another store's page token.
#[macro_export]
macro_rules! conformance_suite {
    ($make:path, $foreign:path) => {
        $crate::conformance_suite!(@cases $make;
            health_ok,
            create_get_and_get_by_owner,
            optional_fields_may_be_absent,
            create_twice_is_already_exists,
            idempotent_retry_replays_original_snapshot,
            idempotency_key_with_other_fingerprint_conflicts,
            idempotency_keys_are_scoped_per_owner,
            expired_idempotency_keys_are_forgotten,
            not_found_errors,
            replace_merges_fields,
            replace_with_stale_version_conflicts,
            replace_cannot_change_owner_or_creation_time,
            delete_removes_account_and_owner_pointer,
            list_rejects_limits_out_of_range,
            list_pagination_walks_all_items_exactly_once,
            list_filters_by_email_case_insensitively,
            concurrent_replace_has_exactly_one_winner,
            concurrent_create_with_one_key_creates_one_account,
            concurrent_create_without_key_creates_one_account,
        );

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn invalid_page_tokens_are_rejected() {
            conformance::invalid_page_tokens_are_rejected($make, $foreign().await).await;
        }
    };
    (@cases $make:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                conformance::$case($make).await;
            }
        )*
    };
}

pub fn new_account(sub: &str, email: &str) -> NewAccount {
    NewAccount {
        owner_sub: sub.to_string(),
        email: email.to_string(),
        display_name: format!("User {sub}"),
        phone: Some("+447700900123".to_string()),
        locale: Some("en-GB".to_string()),
    }
}

pub fn claim(key: &str, fingerprint: &str) -> Option<IdempotencyClaim> {
    Some(IdempotencyClaim {
        key: key.to_string(),
        fingerprint: fingerprint.to_string(),
    })
}

async fn create(store: &dyn AccountStore, sub: &str, email: &str) -> AccountRecord {
    match store.create(new_account(sub, email), None).await {
        Ok(CreateOutcome::Created(r)) => r,
        other => panic!("create {sub}: {other:?}"),
    }
}

/// Walks every page of a listing, checking the page-size contract on the way.
async fn walk(store: &dyn AccountStore, email: Option<&str>, limit: u32) -> Vec<AccountRecord> {
    let mut all = Vec::new();
    let mut after = None;
    for _ in 0..1000 {
        let page = store
            .list(email, limit, after.take())
            .await
            .unwrap_or_else(|e| panic!("list limit {limit}: {e}"));
        assert!(page.items.len() <= limit as usize, "page larger than limit");
        all.extend(page.items);
        match page.next {
            Some(t) => {
                assert!(!all.is_empty(), "a next token after an empty page");
                after = Some(t)
            }
            None => return all,
        }
    }
    panic!("listing did not end");
}

fn ids(records: &[AccountRecord]) -> Vec<Uuid> {
    let mut v: Vec<Uuid> = records.iter().map(|r| r.id).collect();
    v.sort();
    v
}

pub async fn health_ok(make: Make) {
    let store = make(DAY).await;
    store.health().await.expect("a fresh store is healthy");
}

pub async fn create_get_and_get_by_owner(make: Make) {
    let store = make(DAY).await;
    let before = Utc::now() - chrono::Duration::seconds(1);
    let out = store
        .create(new_account("sub-1", "Ada@Example.com"), None)
        .await
        .expect("create");
    assert!(!out.is_replay());
    let rec = out.into_record();
    assert_eq!(rec.owner_sub, "sub-1");
    assert_eq!(rec.email, "Ada@Example.com", "the email is kept as given");
    assert_eq!(rec.display_name, "User sub-1");
    assert_eq!(rec.phone.as_deref(), Some("+447700900123"));
    assert_eq!(rec.locale.as_deref(), Some("en-GB"));
    assert_eq!(rec.version, 1);
    assert_eq!(rec.created_at, rec.updated_at);
    assert!(rec.created_at >= before && rec.created_at <= Utc::now());
    assert_eq!(store.get(rec.id).await.expect("get"), rec);
    assert_eq!(
        store.get_by_owner("sub-1").await.expect("get_by_owner"),
        rec
    );
    let other = create(&*store, "sub-2", "bob@example.com").await;
    assert_ne!(other.id, rec.id);
    assert_eq!(
        store.get_by_owner("sub-2").await.expect("get_by_owner"),
        other
    );
    assert_eq!(
        store.get_by_owner("sub-1").await.expect("get_by_owner"),
        rec
    );
}

pub async fn optional_fields_may_be_absent(make: Make) {
    let store = make(DAY).await;
    let new = NewAccount {
        phone: None,
        locale: None,
        ..new_account("sub-1", "ada@example.com")
    };
    let rec = store.create(new, None).await.expect("create").into_record();
    assert_eq!(rec.phone, None);
    assert_eq!(rec.locale, None);
    assert_eq!(store.get(rec.id).await.expect("get"), rec);
}

pub async fn create_twice_is_already_exists(make: Make) {
    let store = make(DAY).await;
    let first = create(&*store, "sub-1", "ada@example.com").await;
    let again = store
        .create(new_account("sub-1", "x@example.com"), None)
        .await;
    assert!(matches!(again, Err(StoreError::AlreadyExists)), "{again:?}");
    let with_key = store
        .create(
            new_account("sub-1", "x@example.com"),
            claim("key-0001", "f1"),
        )
        .await;
    assert!(
        matches!(with_key, Err(StoreError::AlreadyExists)),
        "{with_key:?}"
    );
    assert_eq!(store.get_by_owner("sub-1").await.expect("get"), first);
    // The failed create recorded nothing under its key: once the account is gone, the
    // same key with another request creates.
    store.delete(first.id).await.expect("delete");
    let out = store
        .create(
            new_account("sub-1", "y@example.com"),
            claim("key-0001", "f2"),
        )
        .await
        .expect("create after delete");
    assert!(!out.is_replay());
}

pub async fn idempotent_retry_replays_original_snapshot(make: Make) {
    let store = make(DAY).await;
    let new = new_account("sub-1", "ada@example.com");
    let created = store
        .create(new.clone(), claim("key-0001", "f1"))
        .await
        .expect("create");
    let CreateOutcome::Created(original) = created else {
        panic!("first call must create: {created:?}");
    };
    let retry = store
        .create(new.clone(), claim("key-0001", "f1"))
        .await
        .expect("retry");
    assert_eq!(retry, CreateOutcome::Replayed(original.clone()));
    // The replay is the record as created, even after it changed ...
    let changed = AccountRecord {
        display_name: "Ada King".into(),
        ..original.clone()
    };
    let v2 = store.replace(changed, 1).await.expect("replace");
    assert_eq!(v2.version, 2);
    let retry = store
        .create(new.clone(), claim("key-0001", "f1"))
        .await
        .expect("retry after change");
    assert_eq!(retry, CreateOutcome::Replayed(original.clone()));
    // ... and after it was deleted.
    store.delete(original.id).await.expect("delete");
    let retry = store
        .create(new, claim("key-0001", "f1"))
        .await
        .expect("retry after delete");
    assert_eq!(retry, CreateOutcome::Replayed(original));
}

pub async fn idempotency_key_with_other_fingerprint_conflicts(make: Make) {
    let store = make(DAY).await;
    let original = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f1"),
        )
        .await
        .expect("create")
        .into_record();
    let other = store
        .create(
            new_account("sub-1", "eve@example.com"),
            claim("key-0001", "f2"),
        )
        .await;
    assert!(
        matches!(other, Err(StoreError::IdempotencyConflict)),
        "{other:?}"
    );
    assert_eq!(store.get_by_owner("sub-1").await.expect("get"), original);
}

pub async fn idempotency_keys_are_scoped_per_owner(make: Make) {
    let store = make(DAY).await;
    let a = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f1"),
        )
        .await
        .expect("create a");
    let b = store
        .create(
            new_account("sub-2", "bob@example.com"),
            claim("key-0001", "f1"),
        )
        .await
        .expect("create b");
    assert!(!a.is_replay() && !b.is_replay());
    assert_ne!(a.record().id, b.record().id);
    assert_eq!(b.record().owner_sub, "sub-2");
}

pub async fn expired_idempotency_keys_are_forgotten(make: Make) {
    // Keys live at least the TTL and at most a second more (whole-second `expiresAt`).
    let store = make(Duration::from_secs(2)).await;
    let first = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f1"),
        )
        .await
        .expect("create")
        .into_record();
    let retry = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f1"),
        )
        .await
        .expect("retry within the TTL");
    assert_eq!(retry, CreateOutcome::Replayed(first.clone()));
    let kept = store
        .create(
            new_account("sub-2", "bob@example.com"),
            claim("key-0002", "f1"),
        )
        .await
        .expect("create sub-2")
        .into_record();
    store.delete(first.id).await.expect("delete");
    tokio::time::sleep(Duration::from_millis(3200)).await;
    // Expired: neither a replay nor a conflict, but a new creation ...
    let second = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f2"),
        )
        .await
        .expect("create with the expired key");
    let CreateOutcome::Created(second) = second else {
        panic!("an expired key must not replay: {second:?}");
    };
    assert_ne!(second.id, first.id);
    // ... which now owns the key afresh.
    let retry = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f2"),
        )
        .await
        .expect("retry of the second creation");
    assert_eq!(retry, CreateOutcome::Replayed(second));
    let conflict = store
        .create(
            new_account("sub-1", "ada@example.com"),
            claim("key-0001", "f1"),
        )
        .await;
    assert!(
        matches!(conflict, Err(StoreError::IdempotencyConflict)),
        "{conflict:?}"
    );
    // An expired key of an owner who still has the account: AlreadyExists, no replay.
    let again = store
        .create(
            new_account("sub-2", "bob@example.com"),
            claim("key-0002", "f1"),
        )
        .await;
    assert!(matches!(again, Err(StoreError::AlreadyExists)), "{again:?}");
    assert_eq!(store.get_by_owner("sub-2").await.expect("get"), kept);
}

pub async fn not_found_errors(make: Make) {
    let store = make(DAY).await;
    let rec = create(&*store, "sub-1", "ada@example.com").await;
    let missing = Uuid::new_v4();
    assert!(matches!(
        store.get(missing).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_by_owner("nobody").await,
        Err(StoreError::NotFound)
    ));
    let ghost = AccountRecord {
        id: missing,
        ..rec.clone()
    };
    let r = store.replace(ghost, 1).await;
    assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    let d = store.delete(missing).await;
    assert!(matches!(d, Err(StoreError::NotFound)), "{d:?}");
    assert_eq!(store.get(rec.id).await.expect("get"), rec);
}

pub async fn replace_merges_fields(make: Make) {
    let store = make(DAY).await;
    let rec = create(&*store, "sub-1", "ada@example.com").await;
    let changed = AccountRecord {
        display_name: "Ada King".into(),
        email: "Ada.King@Example.com".into(),
        phone: None,
        ..rec.clone()
    };
    let v2 = store.replace(changed, 1).await.expect("replace");
    assert_eq!(v2.id, rec.id);
    assert_eq!(v2.version, 2);
    assert_eq!(v2.display_name, "Ada King");
    assert_eq!(v2.email, "Ada.King@Example.com");
    assert_eq!(v2.phone, None, "a cleared field is gone");
    assert_eq!(
        v2.locale.as_deref(),
        Some("en-GB"),
        "an untouched field stays"
    );
    assert_eq!(v2.owner_sub, rec.owner_sub);
    assert_eq!(v2.created_at, rec.created_at);
    assert!(v2.updated_at >= rec.updated_at);
    assert_eq!(store.get(rec.id).await.expect("get"), v2);
    assert_eq!(store.get_by_owner("sub-1").await.expect("get_by_owner"), v2);
    // The email index follows the change.
    let old = walk(&*store, Some("ada@example.com"), 10).await;
    assert!(old.is_empty(), "old email still indexed: {old:?}");
    let new = walk(&*store, Some("ADA.KING@example.COM"), 10).await;
    assert_eq!(new, vec![v2.clone()]);
    let v3 = store
        .replace(
            AccountRecord {
                phone: Some("+15550001234".into()),
                locale: None,
                ..v2.clone()
            },
            2,
        )
        .await
        .expect("second replace");
    assert_eq!(v3.version, 3);
    assert_eq!(v3.phone.as_deref(), Some("+15550001234"));
    assert_eq!(v3.locale, None);
    assert_eq!(v3.display_name, "Ada King");
    assert_eq!(store.get(rec.id).await.expect("get"), v3);
}

pub async fn replace_with_stale_version_conflicts(make: Make) {
    let store = make(DAY).await;
    let rec = create(&*store, "sub-1", "ada@example.com").await;
    let v2 = store
        .replace(
            AccountRecord {
                display_name: "Two".into(),
                ..rec.clone()
            },
            1,
        )
        .await
        .expect("replace");
    for stale in [1, 0, 7] {
        let r = store
            .replace(
                AccountRecord {
                    display_name: "Stale".into(),
                    ..rec.clone()
                },
                stale,
            )
            .await;
        assert!(
            matches!(r, Err(StoreError::VersionConflict { current: 2 })),
            "expected {stale}: {r:?}"
        );
    }
    assert_eq!(store.get(rec.id).await.expect("get"), v2);
}

pub async fn replace_cannot_change_owner_or_creation_time(make: Make) {
    let store = make(DAY).await;
    let rec = create(&*store, "sub-1", "ada@example.com").await;
    let r = store
        .replace(
            AccountRecord {
                owner_sub: "sub-evil".into(),
                ..rec.clone()
            },
            1,
        )
        .await;
    assert!(matches!(r, Err(StoreError::InvalidArgument(_))), "{r:?}");
    let r = store
        .replace(
            AccountRecord {
                created_at: rec.created_at - chrono::Duration::days(1),
                ..rec.clone()
            },
            1,
        )
        .await;
    assert!(matches!(r, Err(StoreError::InvalidArgument(_))), "{r:?}");
    assert_eq!(store.get(rec.id).await.expect("get"), rec);
    assert!(matches!(
        store.get_by_owner("sub-evil").await,
        Err(StoreError::NotFound)
    ));
}

pub async fn delete_removes_account_and_owner_pointer(make: Make) {
    let store = make(DAY).await;
    let rec = create(&*store, "sub-1", "ada@example.com").await;
    let other = create(&*store, "sub-2", "bob@example.com").await;
    store.delete(rec.id).await.expect("delete");
    assert!(matches!(store.get(rec.id).await, Err(StoreError::NotFound)));
    assert!(matches!(
        store.get_by_owner("sub-1").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete(rec.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(walk(&*store, None, 10).await, vec![other.clone()]);
    assert!(walk(&*store, Some("ada@example.com"), 10).await.is_empty());
    // The owner may create again.
    let again = create(&*store, "sub-1", "ada@example.com").await;
    assert_ne!(again.id, rec.id);
    assert_eq!(store.get_by_owner("sub-1").await.expect("get"), again);
    assert_eq!(store.get(other.id).await.expect("get"), other);
}

pub async fn list_rejects_limits_out_of_range(make: Make) {
    let store = make(DAY).await;
    create(&*store, "sub-1", "ada@example.com").await;
    for bad in [0, 101, u32::MAX] {
        let r = store.list(None, bad, None).await;
        assert!(
            matches!(r, Err(StoreError::InvalidArgument(_))),
            "{bad}: {r:?}"
        );
    }
    for good in [1, 100] {
        let page = store.list(None, good, None).await.expect("list");
        assert_eq!(page.items.len(), 1);
        assert!(page.next.is_none());
    }
}

pub async fn list_pagination_walks_all_items_exactly_once(make: Make) {
    let store = make(DAY).await;
    assert!(walk(&*store, None, 10).await.is_empty());
    let mut created = Vec::new();
    for i in 0..23 {
        // Five emails shared by several accounts: GSI partitions with many items.
        created.push(
            create(
                &*store,
                &format!("sub-{i}"),
                &format!("user{}@example.com", i % 5),
            )
            .await,
        );
    }
    let expected = ids(&created);
    for limit in [1, 4, 7, 22, 23, 24, 100] {
        let all = walk(&*store, None, limit).await;
        let got = ids(&all);
        let unique: BTreeSet<Uuid> = got.iter().copied().collect();
        assert_eq!(unique.len(), got.len(), "limit {limit}: an item came twice");
        assert_eq!(got, expected, "limit {limit}: not every item exactly once");
        for rec in &all {
            let original = created.iter().find(|c| c.id == rec.id);
            assert_eq!(Some(rec), original);
        }
    }
    // Pages are full until the last, and the last has no next token.
    let first = store.list(None, 10, None).await.expect("page 1");
    assert_eq!(first.items.len(), 10);
    let second = store.list(None, 10, first.next).await.expect("page 2");
    assert_eq!(second.items.len(), 10);
    let third = store.list(None, 10, second.next).await.expect("page 3");
    assert_eq!(third.items.len(), 3);
    assert!(third.next.is_none());
    // Exactly one page of exactly `limit` items: no next token.
    let one = store.list(None, 23, None).await.expect("one page");
    assert_eq!(one.items.len(), 23);
    assert!(one.next.is_none());
}

pub async fn list_filters_by_email_case_insensitively(make: Make) {
    let store = make(DAY).await;
    let a = create(&*store, "sub-a", "Ada@Example.com").await;
    let b = create(&*store, "sub-b", "ada@example.COM").await;
    let c = create(&*store, "sub-c", "bob@example.com").await;
    let found = walk(&*store, Some("ADA@example.com"), 10).await;
    assert_eq!(ids(&found), ids(&[a.clone(), b.clone()]));
    let page = store
        .list(Some("ada@example.com"), 1, None)
        .await
        .expect("page 1");
    assert_eq!(page.items.len(), 1);
    let next = page.next.clone().expect("a second page");
    let page2 = store
        .list(Some("Ada@Example.com"), 1, Some(next))
        .await
        .expect("page 2");
    assert_eq!(page2.items.len(), 1);
    assert!(page2.next.is_none());
    assert_ne!(page.items[0].id, page2.items[0].id);
    assert_eq!(walk(&*store, Some("bob@example.com"), 5).await, vec![c]);
    assert!(walk(&*store, Some("nobody@example.com"), 5)
        .await
        .is_empty());
    assert!(
        walk(&*store, Some("ada"), 5).await.is_empty(),
        "no prefix match"
    );
}

pub async fn invalid_page_tokens_are_rejected(make: Make, foreign: PageToken) {
    let store = make(DAY).await;
    create(&*store, "sub-1", "ada@example.com").await;
    create(&*store, "sub-2", "ada@example.com").await;
    create(&*store, "sub-3", "bob@example.com").await;
    let all_token = store
        .list(None, 1, None)
        .await
        .expect("list")
        .next
        .expect("next");
    let ada_token = store
        .list(Some("ada@example.com"), 1, None)
        .await
        .expect("list")
        .next
        .expect("next");
    let bytes = all_token.as_bytes();
    let mut random = Uuid::new_v4().as_bytes().to_vec();
    random.extend_from_slice(Uuid::new_v4().as_bytes());
    let cases: Vec<(&str, Option<&str>, PageToken)> = vec![
        ("random bytes", None, PageToken::from_bytes(random)),
        ("empty", None, PageToken::from_bytes(Vec::new())),
        (
            "truncated by half",
            None,
            PageToken::from_bytes(&bytes[..bytes.len() / 2]),
        ),
        (
            "truncated by one",
            None,
            PageToken::from_bytes(&bytes[..bytes.len() - 1]),
        ),
        (
            "garbage after",
            None,
            PageToken::from_bytes([bytes, b"x"].concat()),
        ),
        ("other filter", Some("ada@example.com"), all_token.clone()),
        ("filtered, used unfiltered", None, ada_token.clone()),
        (
            "filtered, other email",
            Some("bob@example.com"),
            ada_token.clone(),
        ),
        ("another store's", None, foreign),
    ];
    for (what, email, token) in cases {
        let r = store.list(email, 1, Some(token)).await;
        assert!(
            matches!(r, Err(StoreError::InvalidPageToken)),
            "{what}: {r:?}"
        );
    }
    // The genuine tokens still work.
    let page = store.list(None, 10, Some(all_token)).await.expect("valid");
    assert_eq!(page.items.len(), 2);
    let page = store
        .list(Some("ada@example.com"), 10, Some(ada_token))
        .await
        .expect("valid");
    assert_eq!(page.items.len(), 1);
}

pub async fn concurrent_replace_has_exactly_one_winner(make: Make) {
    let store = make(DAY).await;
    let rec = create(&*store, "sub-1", "ada@example.com").await;
    let mut tasks = Vec::new();
    for i in 0..64 {
        let store = Arc::clone(&store);
        let changed = AccountRecord {
            display_name: format!("name-{i}"),
            phone: Some(format!("+1555000{i:04}")),
            ..rec.clone()
        };
        tasks.push(tokio::spawn(async move { store.replace(changed, 1).await }));
    }
    let mut winners = Vec::new();
    let mut conflicts = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(r) => winners.push(r),
            Err(StoreError::VersionConflict { current: 2 }) => conflicts += 1,
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one replace wins");
    assert_eq!(conflicts, 63);
    let winner = &winners[0];
    let stored = store.get(rec.id).await.expect("get");
    assert_eq!(&stored, winner);
    assert_eq!(stored.version, 2);
    // No lost field: the winner's changes and every untouched field are there together.
    let i: u32 = stored
        .display_name
        .strip_prefix("name-")
        .and_then(|n| n.parse().ok())
        .expect("a winner's name");
    assert_eq!(stored.phone, Some(format!("+1555000{i:04}")));
    assert_eq!(stored.email, rec.email);
    assert_eq!(stored.locale, rec.locale);
    assert_eq!(stored.created_at, rec.created_at);
}

pub async fn concurrent_create_with_one_key_creates_one_account(make: Make) {
    let store = make(DAY).await;
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            store
                .create(
                    new_account("sub-1", "ada@example.com"),
                    claim("key-0001", "f1"),
                )
                .await
        }));
    }
    let mut created = 0;
    let mut records = Vec::new();
    for task in tasks {
        let out = task.await.expect("task").expect("every call succeeds");
        if !out.is_replay() {
            created += 1;
        }
        records.push(out.into_record());
    }
    assert_eq!(created, 1, "exactly one call creates, the others replay");
    assert!(
        records.iter().all(|r| r == &records[0]),
        "identical records"
    );
    assert_eq!(store.get_by_owner("sub-1").await.expect("get"), records[0]);
    assert_eq!(walk(&*store, None, 100).await, vec![records[0].clone()]);
}

pub async fn concurrent_create_without_key_creates_one_account(make: Make) {
    let store = make(DAY).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            store
                .create(new_account("sub-1", &format!("u{i}@example.com")), None)
                .await
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(CreateOutcome::Created(r)) => created.push(r),
            Err(StoreError::AlreadyExists) => {}
            other => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(created.len(), 1);
    assert_eq!(store.get_by_owner("sub-1").await.expect("get"), created[0]);
    assert_eq!(walk(&*store, None, 100).await, created);
}
