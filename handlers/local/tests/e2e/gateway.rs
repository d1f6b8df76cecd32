//! API Gateway's own answers, byte for byte as the gateway responses of
//! `generated/apigateway.json` render them, and the Cognito authorizer matrix.
//!
//! "Missing required request parameters" (400 `BAD_REQUEST_PARAMETERS`): the only
//! parameter our document marks required is the `accountId` path parameter (`If-Match`
//! is emitted `required: false` so the handler can answer 428, `Idempotency-Key`,
//! `limit`, `cursor` and `email` are optional). A path parameter cannot be absent — a
//! request without the segment is another resource, or no resource (403) — so the
//! message is unreachable for every request a client would send. The one way in is a
//! segment that is present but blank (`/accounts/%20`), which API Gateway's validator
//! counts as missing; its 400 is declared by all three operations of that path, so even
//! then the answer is within the contract (asserted below).

use accounts_testkit::DevUser;
use serde_json::json;

use crate::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_and_methods_are_403_missing_authentication_token() {
    let server = server().await;
    let token = server.user_token("gw");
    for (method, path, with_token) in [
        ("GET", "/nope", false),
        ("GET", "/nope", true),
        ("GET", "/", false),
        ("PUT", "/accounts", true),
        ("POST", "/health", false),
        ("DELETE", "/accounts", true),
        ("DELETE", "/accounts/me", true),
        ("PATCH", "/accounts/me", true),
        (
            "POST",
            "/accounts/0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a10",
            true,
        ),
        ("GET", "/accounts/a/b", true),
    ] {
        let mut r = raw(method, server.url(path));
        if with_token {
            r = r.auth(&token);
        }
        let a = r.send().await;
        a.assert_error(
            403,
            "MISSING_AUTHENTICATION_TOKEN",
            Some("Missing Authentication Token"),
        );
        assert!(a.field_errors().is_empty());
        assert_eq!(
            a.header("access-control-allow-origin"),
            "*",
            "{method} {path}"
        );
        assert_eq!(
            a.header("x-amzn-errortype"),
            "MissingAuthenticationTokenException"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_body_is_the_gateways_400_before_the_lambda() {
    let server = server().await;
    let token = server.user_token("body");
    for (body, content_type) in [
        // Missing required `displayName`.
        (
            json!({"email": "body@example.com"}).to_string(),
            "application/json",
        ),
        ("{not json".to_owned(), "application/json"),
        (String::new(), "application/json"),
        (json!([1, 2]).to_string(), "application/json"),
    ] {
        let a = raw("POST", server.url("/accounts"))
            .auth(&token)
            .header("content-type", content_type)
            .body(&body)
            .send()
            .await;
        a.assert_error(400, "BAD_REQUEST_BODY", Some("Invalid request body"));
        assert!(a.field_errors().is_empty(), "{}", a.text);
        assert_eq!(a.header("x-amzn-errortype"), "BadRequestException");
    }
    // The validator runs after the authorizer: a bad body without a token is a 401.
    let a = raw("POST", server.url("/accounts"))
        .json(&json!({"displayName": "Ada"}))
        .send()
        .await;
    a.assert_error(401, "UNAUTHORIZED", Some("Unauthorized"));
    // An empty merge patch is a valid one that changes nothing (RFC 7396; README and spec
    // agree): 200 with the account as it is, the same version, nothing written.
    let account = create(&server, "body").await;
    let a = raw("PATCH", server.url(&format!("/accounts/{}", account.id)))
        .auth(&token)
        .header("if-match", "\"1\"")
        .merge_patch(&json!({}))
        .send()
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.header("etag"), "\"1\"");
    assert_eq!(a.json()["version"], 1);
    assert_eq!(a.json()["updatedAt"], json!(account.updated_at));
    // Still a conditional request: a stale tag is 412 even for `{}`.
    let a = raw("PATCH", server.url(&format!("/accounts/{}", account.id)))
        .auth(&token)
        .header("if-match", "\"2\"")
        .merge_patch(&json!({}))
        .send()
        .await;
    a.assert_error(412, "PRECONDITION_FAILED", None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blank_path_parameter_is_the_gateways_missing_parameters_400() {
    let server = server().await;
    let token = server.user_token("blank");
    for method in ["GET", "PATCH", "DELETE"] {
        let a = raw(method, server.url("/accounts/%20"))
            .auth(&token)
            .send()
            .await;
        a.assert_error(
            400,
            "BAD_REQUEST_PARAMETERS",
            Some("Missing required request parameters: [accountId]"),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_authorizer_refuses_every_bad_token_with_401_on_every_operation() {
    let server = server().await;
    // A real account, so that a refused token is not mistaken for a 404.
    let account = create(&server, "victim").await;
    let user = DevUser::new("victim").with_group("admin");
    let tokens: Vec<(&str, Option<String>)> = vec![
        ("no token", None),
        ("empty", Some(String::new())),
        ("Bearer and nothing", Some("Bearer ".to_owned())),
        ("garbage", Some("not-a-jwt".to_owned())),
        ("expired", Some(server.expired_token(&user))),
        ("forged signature", Some(server.forged_token(&user))),
        ("unknown key", Some(server.unknown_key_token(&user))),
        ("wrong issuer", Some(server.wrong_issuer_token(&user))),
        ("wrong audience", Some(server.wrong_audience_token(&user))),
        ("access token", Some(server.access_token(&user))),
    ];
    let id = account.id.to_string();
    let operations = [
        ("GET", "/accounts/me".to_owned(), None),
        ("GET", "/accounts".to_owned(), None),
        (
            "POST",
            "/accounts".to_owned(),
            Some(json!({"email": "v@example.com", "displayName": "V"})),
        ),
        ("GET", format!("/accounts/{id}"), None),
        (
            "PATCH",
            format!("/accounts/{id}"),
            Some(json!({"displayName": "Hacked"})),
        ),
        ("DELETE", format!("/accounts/{id}"), None),
    ];
    for (name, token) in &tokens {
        for (method, path, body) in &operations {
            let mut r = raw(method, server.url(path));
            if let Some(token) = token {
                r = r.auth(token);
            }
            if *method == "PATCH" {
                r = r.header("if-match", "\"1\"");
            }
            if let Some(body) = body {
                r = if *method == "PATCH" {
                    r.merge_patch(body)
                } else {
                    r.json(body)
                };
            }
            let a = r.send().await;
            assert_eq!(a.status, 401, "{name}: {method} {path}: {}", a.text);
            a.assert_error(401, "UNAUTHORIZED", Some("Unauthorized"));
            assert_eq!(a.header("x-amzn-errortype"), "UnauthorizedException");
        }
        // The typed client sees the declared 401 too.
        let client = match token {
            Some(t) => server.client_with_token(t),
            None => server.anonymous(),
        };
        let e = expect_status(client.get_my_account().await, 401);
        assert_eq!(e.message, "Unauthorized", "{name}");
    }
    // Nothing changed, nothing deleted.
    let owner = raw_get(&server, &server.user_token("victim"), &id).await;
    assert_eq!(owner.status, 200, "{}", owner.text);
    assert_eq!(owner.json()["version"], 1);
    assert_eq!(owner.json()["displayName"], "User victim");
    // The same user with a good token (raw or `Bearer `) is let in.
    for good in [
        server.token(&user),
        format!("Bearer {}", server.token(&user)),
    ] {
        let a = raw("GET", server.url("/accounts/me"))
            .auth(&good)
            .send()
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
    }
    // /health needs no token and ignores a bad one (no authorizer on it).
    for token in [None, Some("garbage")] {
        let mut r = raw("GET", server.url("/health"));
        if let Some(t) = token {
            r = r.auth(t);
        }
        let a = r.send().await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(a.json(), json!({"status": "ok", "region": "local"}));
    }
}
