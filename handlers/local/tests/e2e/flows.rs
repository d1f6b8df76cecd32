//! The flows through the generated client: lifecycle, If-Match, merge patch,
//! idempotent create, validation and pagination.

use std::collections::BTreeSet;

use accounts_testkit::DevUser;
use serde_json::json;

use crate::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_lifecycle_create_me_get_patch_get_list_delete_404() {
    let server = server().await;
    let alice = server.client(&DevUser::new("alice"));
    let admin = server.client(&DevUser::new("root").with_group("admin"));

    // create
    let created = alice
        .create_account(None, &sample("alice"))
        .await
        .unwrap_or_else(|e| panic!("create: {e:?}"));
    assert_eq!(created.status().as_u16(), 201);
    let id = created.id;
    assert_eq!(
        created.headers()["location"].to_str().ok(),
        Some(format!("/accounts/{id}").as_str())
    );
    assert_eq!(created.headers()["etag"].to_str().ok(), Some("\"1\""));
    let created = created.into_inner();
    assert_eq!(created.owner_sub.as_str(), "alice");
    assert_eq!(created.email.as_str(), "alice@example.com");
    assert_eq!(created.version.get(), 1);

    // me
    let me = alice
        .get_my_account()
        .await
        .unwrap_or_else(|e| panic!("me: {e:?}"));
    assert_eq!(me.headers()["etag"].to_str().ok(), Some("\"1\""));
    assert_same(&me.into_inner(), &created);

    // get
    let got = alice
        .get_account(&id)
        .await
        .unwrap_or_else(|e| panic!("get: {e:?}"))
        .into_inner();
    assert_same(&got, &created);

    // patch (raw: the typed client's PATCH is covered by
    // `the_typed_client_patches_with_the_merge_patch_media_type`)
    let reply = patch_raw(
        &server,
        &server.user_token("alice"),
        &id.to_string(),
        "\"1\"",
        &json!({"displayName": "Alice Liddell"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("etag"), "\"2\"");
    let patched: Account = serde_json::from_str(&reply.text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(patched.display_name.as_str(), "Alice Liddell");
    assert_eq!(patched.version.get(), 2);
    assert_eq!(patched.created_at, created.created_at);
    assert!(patched.updated_at >= created.updated_at);

    // get again
    let got = alice
        .get_account(&id)
        .await
        .unwrap_or_else(|e| panic!("get: {e:?}"));
    assert_eq!(got.headers()["etag"].to_str().ok(), Some("\"2\""));
    assert_same(&got.into_inner(), &patched);

    // list as admin
    let page = admin
        .list_accounts(None, None, None)
        .await
        .unwrap_or_else(|e| panic!("list: {e:?}"))
        .into_inner();
    assert_eq!(page.items.len(), 1);
    assert_same(&page.items[0], &patched);
    assert_eq!(page.next_cursor, None);

    // delete, then 404 everywhere
    let deleted = alice
        .delete_account(&id)
        .await
        .unwrap_or_else(|e| panic!("delete: {e:?}"));
    assert_eq!(deleted.status().as_u16(), 204);
    let e = expect_status(alice.get_account(&id).await, 404);
    assert_eq!(e.code.as_str(), "NOT_FOUND");
    let e = expect_status(alice.get_my_account().await, 404);
    assert_eq!(e.code.as_str(), "NOT_FOUND");
    expect_status(alice.delete_account(&id).await, 404);
    // The owner may create a new account after deleting the old one.
    let again = alice
        .create_account(None, &sample("alice"))
        .await
        .unwrap_or_else(|e| panic!("create again: {e:?}"))
        .into_inner();
    assert_ne!(again.id, id);
}

/// The generated client must send `PATCH` bodies as `application/merge-patch+json` (the
/// only media type the spec declares for `updateAccount`), including `null`s (the patch
/// type is a double option).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typed_client_patches_with_the_merge_patch_media_type() {
    let server = server().await;
    let account = create(&server, "typed").await;
    let client = server.client(&DevUser::new("typed"));
    let result = client
        .update_account(
            &account.id,
            &"\"1\"".parse().unwrap_or_else(|e| panic!("{e:?}")),
            &patch(json!({"phone": null, "displayName": "Typed"})),
        )
        .await;
    let updated = match result {
        Ok(r) => r.into_inner(),
        Err(e) => panic!(
            "the client's update_account was refused; its hooks must set Content-Type \
             application/merge-patch+json (REQUEST_MEDIA_TYPES is keyed by operationId \
             `updateAccount` but progenitor's OperationInfo.operation_id is `update_account`): {e:?}"
        ),
    };
    assert_eq!(updated.phone, None);
    assert_eq!(updated.display_name.as_str(), "Typed");
    assert_eq!(updated.version.get(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_match_missing_428_stale_412_weak_never_matches_malformed_400() {
    let server = server().await;
    let token = server.user_token("ifm");
    let account = create(&server, "ifm").await;
    let url = server.url(&format!("/accounts/{}", account.id));

    // Missing: the gateway lets it through (If-Match is emitted optional), the handler says 428.
    let a = raw("PATCH", url.clone())
        .auth(&token)
        .merge_patch(&json!({"displayName": "X"}))
        .send()
        .await;
    a.assert_error(428, "PRECONDITION_REQUIRED", None);

    // Stale.
    let id = account.id.to_string();
    let a = patch_raw(&server, &token, &id, "\"7\"", &json!({"displayName": "X"})).await;
    a.assert_error(412, "PRECONDITION_FAILED", None);

    // HTTP semantics: If-Match compares strongly (RFC 9110 §13.1.1), so a weak tag of the
    // current version never matches, nor does another spelling of the number.
    for weak_or_not_the_tag in ["W/\"1\"", "\"01\""] {
        let a = patch_raw(
            &server,
            &token,
            &id,
            weak_or_not_the_tag,
            &json!({"displayName": "Weak"}),
        )
        .await;
        a.assert_error(412, "PRECONDITION_FAILED", None);
    }
    let ok = patch_raw(
        &server,
        &token,
        &id,
        "\"1\"",
        &json!({"displayName": "Strong"}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.header("etag"), "\"2\"");

    // Not an ETag at all (`*` is valid HTTP, but the spec's pattern admits only versions).
    for (bad, codes) in [
        ("*", vec!["minLength", "pattern"]),
        ("\"x\"", vec!["pattern"]),
        ("W/\"\"", vec!["pattern"]),
    ] {
        let a = raw("PATCH", url.clone())
            .auth(&token)
            .header("if-match", bad)
            .merge_patch(&json!({"displayName": "Z"}))
            .send()
            .await;
        a.assert_error(400, "VALIDATION_FAILED", None);
        let want: Vec<(String, String)> = codes
            .into_iter()
            .map(|c| ("header.If-Match".to_owned(), c.to_owned()))
            .collect();
        assert_eq!(a.field_errors(), want, "{bad}: {}", a.text);
    }
    // Nothing changed by the refused requests.
    let now = raw_get(&server, &token, &account.id.to_string()).await;
    assert_eq!(now.json()["displayName"], "Strong");
    assert_eq!(now.json()["version"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_patch_absent_keeps_null_clears_and_required_fields_cannot_be_cleared() {
    let server = server().await;
    let token = server.user_token("mp");
    let account = create(&server, "mp").await;
    let id = account.id.to_string();
    let url = server.url(&format!("/accounts/{id}"));
    let send = |etag: &str, body: serde_json::Value| {
        raw("PATCH", url.clone())
            .auth(&token)
            .header("if-match", etag)
            .merge_patch(&body)
            .send()
    };

    // Absent fields stay.
    let a = send("\"1\"", json!({"displayName": "New Name"})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let body = a.json();
    assert_eq!(body["displayName"], "New Name");
    assert_eq!(body["email"], "mp@example.com");
    assert_eq!(body["phone"], "+447700900123");
    assert_eq!(body["locale"], "en-GB");

    // `null` clears phone; locale stays.
    let a = send("\"2\"", json!({"phone": null})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let body = a.json();
    assert!(
        body.get("phone").is_none(),
        "cleared means absent: {}",
        a.text
    );
    assert_eq!(body["locale"], "en-GB");
    assert_eq!(body["displayName"], "New Name");

    // `null` clears locale; a value sets phone again, in one patch.
    let a = send("\"3\"", json!({"locale": null, "phone": "+15555550100"})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let body = a.json();
    assert!(body.get("locale").is_none(), "{}", a.text);
    assert_eq!(body["phone"], "+15555550100");
    assert_eq!(body["version"], 4);

    let a = send("\"4\"", json!({"phone": null})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["version"], 5);

    // `null` on a required field: the draft-4 model (email/displayName are non-nullable
    // strings) fails in API Gateway's validator, whose 400 comes before the Lambda. Its
    // gateway response carries no field errors (API Gateway cannot fill them); the handler's
    // own field errors for the same body are asserted in `handler_field_errors_*` below.
    for body in [json!({"email": null}), json!({"displayName": null})] {
        let a = send("\"5\"", body.clone()).await;
        a.assert_error(400, "BAD_REQUEST_BODY", Some("Invalid request body"));
        assert!(a.field_errors().is_empty(), "{}", a.text);
    }
    // Nothing changed.
    let now = raw_get(&server, &token, &id).await;
    assert_eq!(now.json()["version"], 5);
    assert_eq!(now.json()["email"], "mp@example.com");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotent_create_replays_refuses_other_body_and_conflicts_without_key() {
    let server = server().await;
    let admin = server.admin_token("root");

    // Same key, same body: identical 201s, one account.
    let token = server.user_token("idem");
    let body = json!({"email": "idem@example.com", "displayName": "Idem"});
    let post = |key: Option<&str>, body: &serde_json::Value| {
        let mut r = raw("POST", server.url("/accounts")).auth(&token);
        if let Some(key) = key {
            r = r.header("idempotency-key", key);
        }
        r.json(body).send()
    };
    let first = post(Some("key-00000001"), &body).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let second = post(Some("key-00000001"), &body).await;
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(first.text, second.text, "byte-identical replay");
    assert_eq!(first.header("location"), second.header("location"));
    assert_eq!(first.header("etag"), second.header("etag"));
    // The same body with its fields in another order is the same request.
    let reordered = post(
        Some("key-00000001"),
        &json!({"displayName": "Idem", "email": "idem@example.com"}),
    )
    .await;
    assert_eq!(reordered.text, first.text);
    let list = raw("GET", server.url("/accounts?email=idem%40example.com"))
        .auth(&admin)
        .send()
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(1));

    // Same key, another body: 422.
    let other = post(
        Some("key-00000001"),
        &json!({"email": "idem@example.com", "displayName": "Other"}),
    )
    .await;
    other.assert_error(422, "IDEMPOTENCY_KEY_REUSED", None);

    // Without a key twice (another user): 201 then 409.
    let client = server.client(&DevUser::new("nokey"));
    client
        .create_account(None, &sample("nokey"))
        .await
        .unwrap_or_else(|e| panic!("first create: {e:?}"));
    let e = expect_status(client.create_account(None, &sample("nokey")).await, 409);
    assert_eq!(e.code.as_str(), "ACCOUNT_EXISTS");
    // A new key does not get around the one-account rule either.
    let e = expect_status(
        client
            .create_account(
                Some(&"key-00000002".parse().unwrap_or_else(|e| panic!("{e:?}"))),
                &sample("nokey"),
            )
            .await,
        409,
    );
    assert_eq!(e.code.as_str(), "ACCOUNT_EXISTS");
    // Keys are per user: bob may use alice's key for his own account.
    let bob = raw("POST", server.url("/accounts"))
        .auth(&server.user_token("bob"))
        .header("idempotency-key", "key-00000001")
        .json(&json!({"email": "bob@example.com", "displayName": "Bob"}))
        .send()
        .await;
    assert_eq!(bob.status, 201, "{}", bob.text);
    assert_ne!(bob.json()["id"], first.json()["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_errors_name_each_field() {
    let server = server().await;
    let token = server.user_token("val");
    let admin = server.admin_token("root");

    // `format: email` is not checked by API Gateway: the handler answers, naming the field.
    let a = raw("POST", server.url("/accounts"))
        .auth(&token)
        .json(&json!({"email": "not-an-email", "displayName": "Ada"}))
        .send()
        .await;
    a.assert_error(400, "VALIDATION_FAILED", Some("The request is invalid."));
    assert_eq!(
        a.field_errors(),
        vec![("/email".to_owned(), "format".to_owned())],
        "{}",
        a.text
    );

    // A bad Idempotency-Key (headers are never checked by the gateway).
    let a = raw("POST", server.url("/accounts"))
        .auth(&token)
        .header("idempotency-key", "short")
        .json(&json!({"email": "val@example.com", "displayName": "Ada"}))
        .send()
        .await;
    a.assert_error(400, "VALIDATION_FAILED", None);
    assert_eq!(
        a.field_errors(),
        vec![("header.Idempotency-Key".to_owned(), "minLength".to_owned())],
        "{}",
        a.text
    );

    // Bad path parameter, for each operation that has one.
    for method in ["GET", "PATCH", "DELETE"] {
        let mut r = raw(method, server.url("/accounts/not-a-uuid")).auth(&token);
        if method == "PATCH" {
            r = r
                .header("if-match", "\"1\"")
                .merge_patch(&json!({"displayName": "X"}));
        }
        let a = r.send().await;
        a.assert_error(400, "VALIDATION_FAILED", None);
        assert_eq!(
            a.field_errors(),
            // The spec's `format: uuid`, checked by the adapter's validator.
            vec![("path.accountId".to_owned(), "format".to_owned())],
            "{method}: {}",
            a.text
        );
    }

    // Query parameters.
    for (query, field, code) in [
        ("limit=0", "query.limit", "minimum"),
        ("limit=101", "query.limit", "maximum"),
        ("limit=abc", "query.limit", "type"),
        ("cursor=no-dot", "query.cursor", "pattern"),
        ("email=nope", "query.email", "format"),
    ] {
        let a = raw("GET", server.url(&format!("/accounts?{query}")))
            .auth(&admin)
            .send()
            .await;
        a.assert_error(400, "VALIDATION_FAILED", None);
        assert_eq!(
            a.field_errors(),
            vec![(field.to_owned(), code.to_owned())],
            "{query}: {}",
            a.text
        );
    }
    // Every problem of a request is named, not just the first.
    let a = raw("GET", server.url("/accounts?limit=0&email=nope"))
        .auth(&admin)
        .send()
        .await;
    assert_eq!(
        a.field_errors(),
        vec![
            ("query.limit".to_owned(), "minimum".to_owned()),
            ("query.email".to_owned(), "format".to_owned())
        ],
        "{}",
        a.text
    );

    // Body-model failures (too long, unknown property, missing property): API Gateway's
    // validator answers before the Lambda, with its own message and no field errors.
    for body in [
        json!({"email": "val@example.com", "displayName": "x".repeat(101)}),
        json!({"email": "val@example.com", "displayName": "Ada", "nickname": "A"}),
        json!({"email": "val@example.com"}),
    ] {
        let a = raw("POST", server.url("/accounts"))
            .auth(&token)
            .json(&body)
            .send()
            .await;
        a.assert_error(400, "BAD_REQUEST_BODY", Some("Invalid request body"));
    }
    // Nothing was created by any of them.
    let me = raw("GET", server.url("/accounts/me"))
        .auth(&token)
        .send()
        .await;
    assert_eq!(me.status, 404, "{}", me.text);
}

/// What the handler itself answers for bodies the gateway would refuse first (defence in
/// depth: a Lambda invoked directly, or a gateway deployed without validators). The
/// generated adapter is called with a proxy event as API Gateway builds it.
#[tokio::test]
async fn handler_field_errors_for_bodies_the_gateway_would_refuse() {
    for (operation, body, expected) in [
        (
            "createAccount",
            json!({"email": "a@example.com", "displayName": "x".repeat(101)}),
            vec![("/displayName", "maxLength")],
        ),
        (
            "createAccount",
            json!({"email": "a@example.com", "displayName": "Ada", "nickname": "A"}),
            // The field is the unexpected property itself.
            vec![("/nickname", "additionalProperties")],
        ),
        (
            "createAccount",
            json!({"email": "a@example.com"}),
            vec![("/displayName", "required")],
        ),
        (
            "updateAccount",
            json!({"email": null, "displayName": null}),
            vec![("/displayName", "type"), ("/email", "type")],
        ),
    ] {
        let reply = direct::invoke(operation, &body).await;
        assert_eq!(reply.0, 400, "{operation} {body}: {}", reply.1);
        let value: serde_json::Value = serde_json::from_str(&reply.1).unwrap_or_default();
        assert_eq!(value["code"], "VALIDATION_FAILED", "{}", reply.1);
        let got: BTreeSet<(String, String)> = value["fieldErrors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                (
                    e["field"].as_str().unwrap_or_default().to_owned(),
                    e["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let want: BTreeSet<(String, String)> = expected
            .iter()
            .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
            .collect();
        assert_eq!(got, want, "{operation} {body}: {}", reply.1);
    }
}

mod direct {
    //! Invokes the generated adapters with an API Gateway proxy event, no gateway in front.
    use std::sync::Arc;

    use account_store::EmbeddedStore;
    use accounts_service::{AccountsService, StaticCursorKey};
    use apigateway_rest_emulator::authorizer::stringify_claims;
    use apigateway_rest_emulator::event::{
        build_event, to_lambda_request, EventInput, InvocationContext,
    };

    pub async fn invoke(operation: &str, body: &serde_json::Value) -> (u16, String) {
        let store = EmbeddedStore::in_memory().unwrap_or_else(|e| panic!("store: {e}"));
        let service =
            AccountsService::new(Arc::new(store), Arc::new(StaticCursorKey(vec![7; 32])), "t");
        let id = "0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a10".to_owned();
        let (method, path, resource, content_type, params) = match operation {
            "createAccount" => (
                "POST",
                "/accounts".to_owned(),
                "/accounts",
                "application/json",
                vec![],
            ),
            _ => (
                "PATCH",
                format!("/accounts/{id}"),
                "/accounts/{accountId}",
                "application/merge-patch+json",
                vec![("accountId".to_owned(), id.clone())],
            ),
        };
        let mut headers = http::HeaderMap::new();
        headers.insert("content-type", http::HeaderValue::from_static(content_type));
        headers.insert("if-match", http::HeaderValue::from_static("\"1\""));
        let claims = stringify_claims(
            &serde_json::from_value(serde_json::json!({
                "sub": "direct", "token_use": "id", "email": "direct@example.com"
            }))
            .unwrap_or_default(),
        );
        let text = body.to_string();
        let event = build_event(&EventInput {
            method,
            path: &path,
            resource,
            path_params: &params,
            query: &[],
            headers: &headers,
            body: text.as_bytes(),
            binary_body: false,
            claims: Some(&claims),
            custom_authorizer: None,
            source_ip: "127.0.0.1",
            request_id: "direct-request",
            extended_request_id: "direct=",
            stage: "local",
            account_id: "123456789012",
            api_id: "local",
            domain_name: "127.0.0.1",
            time: chrono::Utc::now(),
        });
        let request = to_lambda_request(
            &event,
            &InvocationContext {
                aws_request_id: "direct".into(),
                function_arn: "arn:aws:lambda:us-east-1:123456789012:function:x".into(),
                deadline_ms: 0,
                trace_id: "Root=1-00000000-000000000000000000000000".into(),
            },
        )
        .unwrap_or_else(|e| panic!("event: {e}"));
        let response = accounts_server::dispatch(&service, operation, request)
            .await
            .unwrap_or_else(|| panic!("unknown operation {operation}"));
        let proxy = apigateway_rest_emulator::event::from_lambda_response(response, false);
        (
            proxy.status.as_u16(),
            String::from_utf8_lossy(&proxy.body).into_owned(),
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursor_pagination_walks_every_account_once_and_refuses_bad_cursors() {
    let server = server().await;
    let admin = server.client(&DevUser::new("root").with_group("admin"));
    let mut ids = BTreeSet::new();
    for i in 0..23 {
        ids.insert(create(&server, &format!("page-{i:02}")).await.id);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let parsed = cursor
            .as_deref()
            .map(|c| c.parse().unwrap_or_else(|e| panic!("cursor {c}: {e:?}")));
        let page = admin
            .list_accounts(parsed.as_ref(), None, std::num::NonZeroU64::new(5))
            .await
            .unwrap_or_else(|e| panic!("page {pages}: {e:?}"))
            .into_inner();
        pages += 1;
        assert!(page.items.len() <= 5);
        seen.extend(page.items.iter().map(|a| a.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(pages < 20, "the listing does not end");
    }
    assert_eq!(seen.len(), ids.len(), "each account exactly once");
    assert_eq!(seen.iter().copied().collect::<BTreeSet<_>>(), ids);
    assert_eq!(pages, 5);

    // A real cursor, then tampered, then reused with another filter: 400, never 500.
    let first = raw("GET", server.url("/accounts?limit=5"))
        .auth(&server.admin_token("root"))
        .send()
        .await;
    let next = first.json()["nextCursor"]
        .as_str()
        .unwrap_or_else(|| panic!("no cursor: {}", first.text))
        .to_owned();
    let (payload, tag) = next
        .split_once('.')
        .unwrap_or_else(|| panic!("cursor shape: {next}"));
    let flip = |s: &str| {
        let mut chars: Vec<char> = s.chars().collect();
        chars[1] = if chars[1] == 'A' { 'B' } else { 'A' };
        chars.into_iter().collect::<String>()
    };
    for (name, query) in [
        (
            "payload tampered",
            format!("cursor={}.{tag}", flip(payload)),
        ),
        ("tag tampered", format!("cursor={payload}.{}", flip(tag))),
        ("swapped halves", format!("cursor={tag}.{payload}")),
        (
            "other filter",
            format!("cursor={next}&email=page-01%40example.com"),
        ),
        ("other limit is fine", format!("cursor={next}&limit=50")),
    ] {
        let a = raw("GET", server.url(&format!("/accounts?{query}")))
            .auth(&server.admin_token("root"))
            .send()
            .await;
        if name == "other limit is fine" {
            assert_eq!(a.status, 200, "{name}: {}", a.text);
            continue;
        }
        a.assert_error(400, "VALIDATION_FAILED", None);
        assert_eq!(
            a.field_errors(),
            vec![("query.cursor".to_owned(), "cursor".to_owned())],
            "{name}: {}",
            a.text
        );
    }
    // A cursor of the email listing is refused on the full listing, too.
    let by_email = raw(
        "GET",
        server.url("/accounts?email=page-01%40example.com&limit=1"),
    )
    .auth(&server.admin_token("root"))
    .send()
    .await;
    assert_eq!(by_email.status, 200, "{}", by_email.text);
    assert_eq!(by_email.json()["items"].as_array().map(Vec::len), Some(1));
}
