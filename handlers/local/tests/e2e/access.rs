//! Who may see or change whose account: owners, strangers (404, never a hint), admins.

use accounts_testkit::DevUser;
use serde_json::json;

use crate::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_account_is_404_for_get_patch_delete_and_stays_unchanged() {
    let server = server().await;
    let alice = create(&server, "alice").await;
    let bob = server.client(&DevUser::new("bob"));
    create(&server, "bob").await;
    let alice_token = server.user_token("alice");
    let before = raw_get(&server, &alice_token, &alice.id.to_string()).await;
    assert_eq!(before.status, 200);

    let e = expect_status(bob.get_account(&alice.id).await, 404);
    assert_eq!(e.code.as_str(), "NOT_FOUND");
    let bob_token = server.user_token("bob");
    let aid = alice.id.to_string();
    let a = patch_raw(
        &server,
        &bob_token,
        &aid,
        "\"1\"",
        &json!({"displayName": "Bob"}),
    )
    .await;
    a.assert_error(404, "NOT_FOUND", None);
    // A stale If-Match does not reveal the account either (404 before 412).
    let a = patch_raw(
        &server,
        &bob_token,
        &aid,
        "\"9\"",
        &json!({"displayName": "Bob"}),
    )
    .await;
    a.assert_error(404, "NOT_FOUND", None);
    let e = expect_status(bob.delete_account(&alice.id).await, 404);
    assert_eq!(e.code.as_str(), "NOT_FOUND");
    // The same answer as for an id that does not exist at all.
    let missing = expect_status(bob.get_account(&uuid::Uuid::new_v4()).await, 404);
    assert_eq!(missing.message, e.message);

    let after = raw_get(&server, &alice_token, &alice.id.to_string()).await;
    assert_eq!(after.text, before.text, "unchanged, byte for byte");
    // Bob's own account is untouched too, and /me is always the caller's.
    let me = bob
        .get_my_account()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_inner();
    assert_eq!(me.owner_sub.as_str(), "bob");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_read_patch_delete_and_list_others_accounts_non_admins_cannot_list() {
    let server = server().await;
    let alice = create(&server, "alice").await;
    let carol = create(&server, "carol").await;
    let admin = server.client(&DevUser::new("root").with_group("admin"));
    // Group membership comes from `cognito:groups`, with other groups beside it.
    let admin_too = server.client(
        &DevUser::new("ops")
            .with_group("operators")
            .with_group("admin"),
    );

    let got = admin
        .get_account(&alice.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_inner();
    assert_same(&got, &alice);
    let ops_token = server.token(
        &DevUser::new("ops")
            .with_group("operators")
            .with_group("admin"),
    );
    let patched = patch_raw(
        &server,
        &ops_token,
        &alice.id.to_string(),
        "\"1\"",
        &json!({"displayName": "Renamed by admin", "locale": null}),
    )
    .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let patched = patched.json();
    assert_eq!(patched["displayName"], "Renamed by admin");
    assert_eq!(patched["ownerSub"], "alice", "the owner stays");
    assert!(patched.get("locale").is_none(), "{patched}");
    // The admin's typed client reads the change.
    let again = admin_too
        .get_account(&alice.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_inner();
    assert_eq!(again.version.get(), 2);

    let page = admin
        .list_accounts(None, None, None)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .into_inner();
    let mut ids: Vec<_> = page.items.iter().map(|a| a.id).collect();
    ids.sort();
    let mut want = vec![alice.id, carol.id];
    want.sort();
    assert_eq!(ids, want);
    // Find by email, case-insensitively.
    let found = raw("GET", server.url("/accounts?email=CAROL%40example.com"))
        .auth(&server.admin_token("root"))
        .send()
        .await;
    assert_eq!(found.status, 200, "{}", found.text);
    assert_eq!(found.json()["items"][0]["id"], carol.id.to_string());

    admin
        .delete_account(&carol.id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let carol_client = server.client(&DevUser::new("carol"));
    expect_status(carol_client.get_my_account().await, 404);

    // Not an admin: 403 on the listing, whatever the parameters.
    for user in [
        DevUser::new("alice"),
        DevUser::new("mallory").with_group("administrators"),
        DevUser::new("eve").with_group("Admin"),
    ] {
        let client = server.client(&user);
        let e = expect_status(client.list_accounts(None, None, None).await, 403);
        assert_eq!(e.code.as_str(), "FORBIDDEN", "{}", user.sub);
    }
    // An admin without an account of their own still has no /me.
    expect_status(admin.get_my_account().await, 404);
}
