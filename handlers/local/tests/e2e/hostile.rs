//! Hostile input and bad data through the whole stack (issue 15): records that no longer
//! fit the schema, text that lies, identity (groups, the email policy), cursors that expire
//! and survive a key rotation, and a second server on the same data directory. Each test
//! names the class of failure it guards; the emulator's own classes (token claims, slow
//! clients, error shape, logs, the dev token endpoint, the JWKS cache) are in
//! `handlers/apigateway-emulator/tests/hostile.rs`.

use std::sync::Arc;

use account_store::{AccountStore, EmbeddedStore, NewAccount, PageToken};
use accounts_service::cursor::{self, CursorKeys};
use accounts_testkit::{DevUser, TestServer};
use serde_json::json;

use crate::{create, patch_raw, raw, raw_get};

fn keys(current: &[u8], previous: Option<&[u8]>) -> CursorKeys {
    CursorKeys {
        current: current.to_vec(),
        previous: previous.map(<[u8]>::to_vec),
    }
}

async fn server_over(store: Arc<dyn AccountStore>, keys: CursorKeys) -> TestServer {
    TestServer::start_with(store, keys)
        .await
        .unwrap_or_else(|e| panic!("test server: {e}"))
}

/// Every account an admin can list, page by page with `limit=1`, by `ownerSub`.
async fn list_all(server: &TestServer, admin: &str) -> Vec<String> {
    let mut owners = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("/accounts?limit=1&cursor={c}"),
            None => "/accounts?limit=1".to_owned(),
        };
        let page = raw("GET", server.url(&query)).auth(admin).send().await;
        assert_eq!(page.status, 200, "{}", page.text);
        let body = page.json();
        for item in body["items"].as_array().into_iter().flatten() {
            owners.push(item["ownerSub"].as_str().unwrap_or_default().to_owned());
        }
        match body["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return owners,
        }
    }
}

// ---------------------------------------------------------------- records that no longer fit

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_a_token_whose_sub_does_not_fit_writes_nothing() {
    let store = Arc::new(EmbeddedStore::in_memory().unwrap());
    let server = server_over(store.clone(), keys(&[1; 32], None)).await;
    let admin = server.admin_token("admin");
    for sub in ["s".repeat(129), "has space".to_owned(), "naïve".to_owned()] {
        let token = server.user_token(&sub);
        let a = raw("POST", server.url("/accounts"))
            .auth(&token)
            .json(&json!({"displayName": "Long Sub"}))
            .send()
            .await;
        a.assert_error(400, "VALIDATION_FAILED", None);
        assert_eq!(
            a.field_errors(),
            [("token.sub".to_owned(), "schema".to_owned())],
            "{}",
            a.text
        );
        // Nothing was written: the user has no account, and listings still answer.
        let me = raw("GET", server.url("/accounts/me"))
            .auth(&token)
            .send()
            .await;
        me.assert_error(404, "NOT_FOUND", None);
        assert!(store.get_by_owner(&sub).await.is_err());
    }
    create(&server, "fits").await;
    assert_eq!(list_all(&server, &admin).await, ["fits"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_one_stored_record_that_no_longer_fits_never_takes_a_listing_down() {
    let store = Arc::new(EmbeddedStore::in_memory().unwrap());
    let server = server_over(store.clone(), keys(&[2; 32], None)).await;
    let admin = server.admin_token("admin");
    create(&server, "a-before").await;
    // Stored by an older version, under rules it no longer meets (a name that lies).
    let legacy = store
        .create(
            NewAccount {
                owner_sub: "b-legacy".into(),
                email: "b-legacy@example.com".into(),
                display_name: "Ada\u{202e}nimda".into(),
                phone: None,
                locale: None,
            },
            None,
        )
        .await
        .unwrap()
        .into_record();
    create(&server, "c-after").await;
    // Every page answers; the record that cannot be shown is left out.
    assert_eq!(list_all(&server, &admin).await, ["a-before", "c-after"]);
    let all = raw("GET", server.url("/accounts"))
        .auth(&admin)
        .send()
        .await;
    assert_eq!(all.status, 200, "{}", all.text);
    // Its owner's point read fails (logged with the record), and a change that keeps the
    // unfit name is refused, naming it; replacing the name writes it back readable.
    let owner = server.user_token("b-legacy");
    let me = raw("GET", server.url("/accounts/me"))
        .auth(&owner)
        .send()
        .await;
    me.assert_error(503, "UNAVAILABLE", None);
    let id = legacy.id.to_string();
    let a = patch_raw(
        &server,
        &owner,
        &id,
        "\"1\"",
        &json!({"phone": "+447700900123"}),
    )
    .await;
    a.assert_error(400, "VALIDATION_FAILED", None);
    assert_eq!(
        a.field_errors(),
        [("/displayName".to_owned(), "schema".to_owned())]
    );
    let fixed = patch_raw(
        &server,
        &owner,
        &id,
        "\"1\"",
        &json!({"displayName": "Ada"}),
    )
    .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
    assert_eq!(
        list_all(&server, &admin).await,
        ["a-before", "b-legacy", "c-after"]
    );
}

// ---------------------------------------------------------------- text that lies

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_that_lies_display_names_refuse_invisible_and_bidi_characters() {
    let server = crate::server().await;
    let token = server.user_token("texts");
    for lie in [
        "Ada\u{202e}nimda",     // right-to-left override
        "Ada\u{202a}x",         // left-to-right embedding
        "Ada\u{2066}x\u{2069}", // isolates
        "Ad\u{200b}a",          // zero-width space
        "Ad\u{200d}a",          // zero-width joiner
        "Ada\u{200f}",          // right-to-left mark
        "Ada\u{061c}x",         // Arabic letter mark
        "A\u{feff}da",          // zero-width no-break space
        "A\u{2060}da",          // word joiner
        "A\u{00ad}da",          // soft hyphen
        "A\u{2028}da",          // line separator
        "A\u{3164}da",          // Hangul filler
        "\u{3000}Ada",          // leading ideographic space
        "Ada\u{00a0}",          // trailing no-break space
    ] {
        let a = raw("POST", server.url("/accounts"))
            .auth(&token)
            .json(&json!({"displayName": lie}))
            .send()
            .await;
        a.assert_error(400, "BAD_REQUEST_BODY", Some("Invalid request body"));
    }
    // Printable text in any script, spaces inside and emoji with presentation selectors pass.
    let ok = raw("POST", server.url("/accounts"))
        .auth(&token)
        .json(&json!({"displayName": "Zoë 山田\u{3000}太郎 ❤\u{fe0f}"}))
        .send()
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    let id = ok.json()["id"].as_str().unwrap_or_default().to_owned();
    let a = patch_raw(
        &server,
        &token,
        &id,
        "\"1\"",
        &json!({"displayName": "x\u{202e}y"}),
    )
    .await;
    a.assert_error(400, "BAD_REQUEST_BODY", Some("Invalid request body"));
}

// ---------------------------------------------------------------- identity

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_a_group_named_with_a_comma_is_not_admin() {
    let server = crate::server().await;
    let ops_admin = server.token_with(
        &DevUser::new("mallory"),
        json!({"cognito:groups": ["ops,admin"]}),
    );
    let a = raw("GET", server.url("/accounts"))
        .auth(&ops_admin)
        .send()
        .await;
    a.assert_error(403, "FORBIDDEN", None);
    // Two real groups, one of them admin: admin.
    let two = server.token_with(
        &DevUser::new("olive"),
        json!({"cognito:groups": ["ops", "admin"]}),
    );
    let a = raw("GET", server.url("/accounts")).auth(&two).send().await;
    assert_eq!(a.status, 200, "{}", a.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_the_email_is_the_owner_s_verified_email() {
    let server = crate::server().await;
    let ada = DevUser::new("ada");
    let token = server.token(&ada);
    // Someone else's address: refused.
    let a = raw("POST", server.url("/accounts"))
        .auth(&token)
        .json(&json!({"email": "grace@example.com", "displayName": "Ada"}))
        .send()
        .await;
    a.assert_error(400, "VALIDATION_FAILED", None);
    assert_eq!(
        a.field_errors(),
        [("/email".to_owned(), "verified".to_owned())]
    );
    // An address the token carries but the pool did not verify: refused.
    let unverified = server.token_with(&DevUser::new("eve"), json!({"email_verified": false}));
    let a = raw("POST", server.url("/accounts"))
        .auth(&unverified)
        .json(&json!({"displayName": "Eve"}))
        .send()
        .await;
    assert_eq!(
        a.field_errors(),
        [("/email".to_owned(), "verified".to_owned())]
    );
    // Left out: the verified one is used; the same one in another case is accepted too.
    let created = raw("POST", server.url("/accounts"))
        .auth(&token)
        .json(&json!({"displayName": "Ada"}))
        .send()
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.json()["email"], "ada@example.com");
    let id = created.json()["id"].as_str().unwrap_or_default().to_owned();

    // Changing it: only the owner, only to the verified email of their current token.
    let a = patch_raw(
        &server,
        &token,
        &id,
        "\"1\"",
        &json!({"email": "grace@example.com"}),
    )
    .await;
    assert_eq!(
        a.field_errors(),
        [("/email".to_owned(), "verified".to_owned())]
    );
    let admin = server.admin_token("root");
    let a = patch_raw(
        &server,
        &admin,
        &id,
        "\"1\"",
        &json!({"email": "root@example.com"}),
    )
    .await;
    assert_eq!(
        a.field_errors(),
        [("/email".to_owned(), "verified".to_owned())]
    );
    let mut moved = ada.clone();
    moved.email = "ada.new@example.com".into();
    let new_token = server.token(&moved);
    let a = patch_raw(
        &server,
        &new_token,
        &id,
        "\"1\"",
        &json!({"email": "ADA.NEW@example.com"}),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        a.json()["email"],
        "ada.new@example.com",
        "the verified spelling is kept"
    );
    let now = raw_get(&server, &new_token, &id).await;
    assert_eq!(now.json()["version"], 2);
}

// ---------------------------------------------------------------- cursors

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_cursors_survive_a_key_rotation_and_expire() {
    let store: Arc<dyn AccountStore> = Arc::new(EmbeddedStore::in_memory().unwrap());
    let before = server_over(Arc::clone(&store), keys(&[3; 32], None)).await;
    for sub in ["r1", "r2", "r3"] {
        create(&before, sub).await;
    }
    let admin = before.admin_token("admin");
    let first = raw("GET", before.url("/accounts?limit=1"))
        .auth(&admin)
        .send()
        .await;
    let cursor = first.json()["nextCursor"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // The key rotates: the old one becomes the previous key; the open listing goes on.
    let after = server_over(Arc::clone(&store), keys(&[4; 32], Some(&[3; 32]))).await;
    let admin = after.admin_token("admin");
    let next = raw(
        "GET",
        after.url(&format!("/accounts?limit=1&cursor={cursor}")),
    )
    .auth(&admin)
    .send()
    .await;
    assert_eq!(next.status, 200, "{}", next.text);
    assert_eq!(next.json()["items"][0]["ownerSub"], "r2");
    // Once rotated again, the first key is gone.
    let twice = server_over(Arc::clone(&store), keys(&[5; 32], Some(&[4; 32]))).await;
    let admin = twice.admin_token("admin");
    let old = raw(
        "GET",
        twice.url(&format!("/accounts?limit=1&cursor={cursor}")),
    )
    .auth(&admin)
    .send()
    .await;
    old.assert_error(400, "VALIDATION_FAILED", None);

    // A cursor signed with the current key a day and a second ago has expired.
    let page = store.list(None, 1, None).await.unwrap();
    let token = page
        .next
        .unwrap_or_else(|| PageToken::from_bytes(Vec::new()));
    let issued =
        u64::try_from(chrono::Utc::now().timestamp()).unwrap() - cursor::CURSOR_TTL.as_secs() - 1;
    let stale = cursor::sign(&keys(&[5; 32], None), &token, issued).unwrap();
    let a = raw(
        "GET",
        twice.url(&format!("/accounts?limit=1&cursor={stale}")),
    )
    .auth(&admin)
    .send()
    .await;
    a.assert_error(
        400,
        "VALIDATION_FAILED",
        Some("The cursor has expired; start the listing again."),
    );
    assert_eq!(
        a.field_errors(),
        [("query.cursor".to_owned(), "cursor".to_owned())]
    );
}

// ---------------------------------------------------------------- operations

#[tokio::test]
async fn operations_a_second_server_on_the_same_data_directory_says_why_once() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_accounts-local");
    let mut first = Command::new(bin)
        .args(["--port", "0", "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = first.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let serving = lines.find(|l| l.as_ref().is_ok_and(|l| l.contains("serving")));
    assert!(serving.is_some(), "the first server did not start");
    let second = Command::new(bin)
        .args(["--port", "0", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    first.kill().unwrap();
    let _ = first.wait();
    assert!(!second.status.success());
    let stderr = String::from_utf8_lossy(&second.stderr);
    let file = dir.path().join("accounts.redb");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        stderr.matches("is open in another process").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    assert!(stderr.contains("another --data-dir"), "{stderr}");
    assert!(!stderr.contains("Cannot acquire lock"), "{stderr}");
}
