//! The emulator end to end against an echoing fake backend and the accounts API document.

mod common;

use std::sync::Arc;
use std::time::Duration;

use apigateway_rest_emulator::document::{Auth, ParamLocation};
use apigateway_rest_emulator::{
    ApiDocument, CognitoAuthorizer, LocalApi, ServerConfig, TemplateValues,
};
use apigateway_rest_emulator::{AuthorizerConfig, DevUser, JwksSource, KeyRefresh};
use common::*;
use serde_json::{json, Value};

// ---------------------------------------------------------------- document

#[test]
fn document_has_every_operation_of_the_spec() {
    let doc = document();
    let spec: Value = serde_yaml::from_str(&spec_text()).unwrap();
    let mut expected = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                expected.push((method.to_uppercase(), path.clone(), id.to_owned()));
            }
        }
    }
    assert_eq!(expected.len(), 7);
    for (method, path, id) in expected {
        let route = doc
            .routes
            .iter()
            .find(|r| r.operation_id == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(
            (route.method.as_str(), route.path.as_str()),
            (method.as_str(), path.as_str())
        );
        let expected_auth = id != "getHealth";
        assert_eq!(
            matches!(route.auth, Auth::Cognito { .. }),
            expected_auth,
            "{id}"
        );
        assert!(route.validator.parameters, "{id}");
        assert_eq!(route.validator.body, !route.body_models.is_empty(), "{id}");
        assert_eq!(route.timeout, Some(Duration::from_secs(29)), "{id}");
        assert_eq!(
            route.function_arn.as_deref(),
            Some(TemplateValues::default().function_arn(&id).as_str())
        );
    }
    let get_account = doc
        .routes
        .iter()
        .find(|r| r.operation_id == "getAccount")
        .unwrap();
    assert_eq!(get_account.required_params.len(), 1);
    assert_eq!(get_account.required_params[0].name, "accountId");
    assert_eq!(get_account.required_params[0].location, ParamLocation::Path);
    // If-Match is required in the spec but emitted optional (the handler answers 428).
    let update = doc
        .routes
        .iter()
        .find(|r| r.operation_id == "updateAccount")
        .unwrap();
    assert!(update.required_params.iter().all(|p| p.name != "If-Match"));
    assert_eq!(
        update.body_models[0].content_type,
        "application/merge-patch+json"
    );
}

// ---------------------------------------------------------------- routing

#[tokio::test]
async fn routes_to_operations_with_literal_segments_first() {
    let api = api();
    let health = req("GET", "/health").send(&api).await;
    assert_eq!(health.status, 200, "{}", health.text);
    assert_eq!(health.json()["operationId"], "getHealth");

    let me = req("GET", "/accounts/me").auth(&alice()).send(&api).await;
    assert_eq!(me.json()["operationId"], "getMyAccount");

    let one = req("GET", "/accounts/0b6f1f7e")
        .auth(&alice())
        .send(&api)
        .await;
    assert_eq!(one.json()["operationId"], "getAccount");
    assert_eq!(
        one.json()["pathParameters"],
        json!({"accountId": "0b6f1f7e"})
    );

    for (method, op) in [("PATCH", "updateAccount"), ("DELETE", "deleteAccount")] {
        let a = req(method, "/accounts/x1")
            .auth(&alice())
            .header("content-type", "application/merge-patch+json")
            .json(r#"{"displayName":"Ada"}"#)
            .send(&api)
            .await;
        assert_eq!(a.json()["operationId"], op, "{}", a.text);
    }
    let list = req("GET", "/accounts").auth(&alice()).send(&api).await;
    assert_eq!(list.json()["operationId"], "listAccounts");
    // One trailing slash is ignored, as REST APIs do.
    let slash = req("GET", "/health/").send(&api).await;
    assert_eq!(slash.json()["operationId"], "getHealth");
}

#[tokio::test]
async fn unknown_path_or_method_is_403_missing_authentication_token() {
    let api = api();
    for (method, path) in [
        ("GET", "/nope"),
        ("GET", "/"),
        ("PUT", "/accounts"),
        ("POST", "/health"),
        ("get", "/health"),
        ("HEAD", "/health"),
        ("GET", "/accounts/a/b"),
        ("GET", "/accounts//"),
        // The resource /accounts/me exists without DELETE: API Gateway picks the resource
        // first and does not fall back to /accounts/{accountId}.
        ("DELETE", "/accounts/me"),
    ] {
        // Even with a valid token: routing comes before the authorizer.
        let a = req(method, path).auth(&alice()).send(&api).await;
        assert_eq!(a.status, 403, "{method} {path}: {}", a.text);
        gateway_error(
            &a,
            "MISSING_AUTHENTICATION_TOKEN",
            "Missing Authentication Token",
        );
        assert_eq!(
            a.header("x-amzn-errortype"),
            "MissingAuthenticationTokenException"
        );
    }
}

// ---------------------------------------------------------------- authorizer

#[tokio::test]
async fn authorizer_matrix() {
    let api = api();
    let dev = dev();
    let user = alice();
    let good = dev.id_token_claims(&user);

    let mut expired = good.clone();
    let past = chrono::Utc::now().timestamp() - 3600;
    expired.insert("iat".into(), json!(past - 3600));
    expired.insert("exp".into(), json!(past));

    let mut wrong_issuer = good.clone();
    wrong_issuer.insert(
        "iss".into(),
        json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"),
    );

    let mut wrong_audience = good.clone();
    wrong_audience.insert("aud".into(), json!("another-client"));

    let mut access = good.clone();
    access.insert("token_use".into(), json!("access"));
    access.remove("aud");
    access.insert("client_id".into(), json!(CLIENT_ID));
    access.insert("scope".into(), json!("aws.cognito.signin.user.admin"));

    let forged_unknown_kid = forger().sign(&good).unwrap();
    // The trusted key's kid over claims signed by another key.
    let genuine = dev.sign(&good).unwrap();
    let forged_parts: Vec<&str> = forged_unknown_kid.split('.').collect();
    let genuine_parts: Vec<&str> = genuine.split('.').collect();
    let forged_known_kid = format!(
        "{}.{}.{}",
        genuine_parts[0], forged_parts[1], forged_parts[2]
    );

    let cases: Vec<(&str, Option<String>)> = vec![
        ("no header", None),
        ("empty header", Some(String::new())),
        ("garbage", Some("not-a-jwt".into())),
        ("expired", Some(dev.sign(&expired).unwrap())),
        ("forged, unknown kid", Some(forged_unknown_kid)),
        ("forged, known kid", Some(forged_known_kid)),
        ("wrong issuer", Some(dev.sign(&wrong_issuer).unwrap())),
        ("wrong audience", Some(dev.sign(&wrong_audience).unwrap())),
        ("access token", Some(dev.sign(&access).unwrap())),
    ];
    for (name, header) in cases {
        let mut r = req("GET", "/accounts/me");
        if let Some(h) = &header {
            r = r.header("authorization", h);
        }
        let a = r.send(&api).await;
        assert_eq!(a.status, 401, "{name}: {}", a.text);
        gateway_error(&a, "UNAUTHORIZED", "Unauthorized");
    }

    // A good token, raw and with `Bearer `: its claims reach the handler as strings.
    for value in [genuine.clone(), format!("Bearer {genuine}")] {
        let a = req("GET", "/accounts/me")
            .header("authorization", &value)
            .send(&api)
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
        let claims = &a.json()["requestContext"]["authorizer"]["claims"];
        assert_eq!(claims["sub"], "alice-sub");
        assert_eq!(claims["email"], "alice-sub@example.com");
        assert_eq!(claims["cognito:username"], "alice-sub");
        assert_eq!(claims["cognito:groups"], "admin,ops");
        assert_eq!(claims["token_use"], "id");
        assert_eq!(claims["aud"], CLIENT_ID);
        assert_eq!(claims["iss"], ISSUER);
        assert_eq!(claims["email_verified"], "true");
        for (k, v) in claims.as_object().unwrap() {
            assert!(v.is_string(), "{k} is {v}");
        }
        assert!(claims["exp"].as_str().unwrap().contains(" UTC "));
    }

    // No auth on getHealth: no token needed, no authorizer in the event.
    let health = req("GET", "/health").send(&api).await;
    assert_eq!(health.status, 200);
    assert!(
        health.json()["requestContext"]["authorizer"]
            .get("claims")
            .is_none_or(Value::is_null),
        "{}",
        health.text
    );
}

#[tokio::test]
async fn a_route_needing_cognito_without_an_authorizer_is_a_500() {
    let api = LocalApi::new(document(), Arc::new(Echo), config()).unwrap();
    let a = req("GET", "/accounts/me").auth(&alice()).send(&api).await;
    assert_eq!(a.status, 500);
    gateway_error(
        &a,
        "AUTHORIZER_CONFIGURATION_ERROR",
        "Authorizer configuration error",
    );
}

// ---------------------------------------------------------------- validators

#[tokio::test]
async fn body_validation_matches_api_gateway() {
    let api = api();
    let post = |body: &'static str, ct: Option<&'static str>| {
        let mut r = req("POST", "/accounts").auth(&alice()).json(body);
        if let Some(ct) = ct {
            r = r.header("content-type", ct);
        }
        r
    };
    for (body, ct) in [
        ("{}", Some("application/json")),
        ("", Some("application/json")),
        ("{not json", Some("application/json")),
        (r#"{"email":"a@b.c"}"#, Some("application/json")),
        (
            r#"{"email":"a@b.c","displayName":"Ada","extra":1}"#,
            Some("application/json"),
        ),
        (
            r#"{"email":"a@b.c","displayName":" Ada"}"#,
            Some("application/json"),
        ),
        // Parameters after the media type fall back to the bare media type.
        ("{}", Some("application/json; charset=utf-8")),
        // No Content-Type: API Gateway assumes application/json.
        ("{}", None),
    ] {
        let a = post(body, ct).send(&api).await;
        assert_eq!(a.status, 400, "{body} {ct:?}: {}", a.text);
        gateway_error(&a, "BAD_REQUEST_BODY", "Invalid request body");
        assert_eq!(a.header("x-amzn-errortype"), "BadRequestException");
    }
    // Valid bodies pass; `format: email` is not checked by API Gateway.
    let ok = post(
        r#"{"email":"not-an-email","displayName":"Ada"}"#,
        Some("application/json"),
    )
    .send(&api)
    .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(
        ok.json()["body"],
        r#"{"email":"not-an-email","displayName":"Ada"}"#
    );
    // A media type without a model is not validated.
    let other = post("{}", Some("text/plain")).send(&api).await;
    assert_eq!(other.status, 201, "{}", other.text);

    // Merge patch: null clears a nullable field; an empty patch is a valid one (RFC 7396).
    let patch = |body: &'static str| {
        req("PATCH", "/accounts/x1")
            .auth(&alice())
            .header("content-type", "application/merge-patch+json")
            .json(body)
    };
    let a = patch(r#"{"phone":null}"#).send(&api).await;
    assert_eq!(a.status, 200, "{}", a.text);
    // No If-Match: the gateway lets it through (the handler answers 428).
    assert!(a.json()["headers"].get("if-match").is_none());
    let a = patch("{}").send(&api).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let a = patch(r#"{"email":null}"#).send(&api).await;
    assert_eq!(a.status, 400);
}

#[tokio::test]
async fn parameter_validation_checks_presence_only() {
    let api = api();
    // A blank path parameter.
    let a = req("GET", "/accounts/%20").auth(&alice()).send(&api).await;
    assert_eq!(a.status, 400, "{}", a.text);
    gateway_error(
        &a,
        "BAD_REQUEST_PARAMETERS",
        "Missing required request parameters: [accountId]",
    );
    // Patterns, types and limits of parameters are never checked by API Gateway.
    let a = req("GET", "/accounts?limit=abc&cursor=!!&email=x")
        .auth(&alice())
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
}

#[tokio::test]
async fn missing_parameters_are_listed_in_document_order() {
    let doc = ApiDocument::from_json(
        &json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "x-amazon-apigateway-request-validators": {
                "params-only": {"validateRequestBody": false, "validateRequestParameters": true}
            },
            "x-amazon-apigateway-request-validator": "params-only",
            "paths": {"/things/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "getThing",
                    "parameters": [
                        {"name": "limit", "in": "query", "required": true, "schema": {"type": "integer"}},
                        {"name": "X-Tenant", "in": "header", "required": true, "schema": {"type": "string"}},
                        {"name": "opt", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok"}}
                }
            }}
        })
        .to_string(),
    )
    .unwrap();
    let api = LocalApi::new(doc, Arc::new(Echo), config()).unwrap();
    let a = req("GET", "/things/1?limit=").send(&api).await;
    assert_eq!(a.status, 400);
    // No gateway responses customised: API Gateway's built-in body.
    assert_eq!(
        a.json(),
        json!({"message": "Missing required request parameters: [limit, X-Tenant]"})
    );
    let a = req("GET", "/things/1?limit=5")
        .header("x-tenant", "  ")
        .send(&api)
        .await;
    assert_eq!(
        a.json(),
        json!({"message": "Missing required request parameters: [X-Tenant]"})
    );
    let a = req("GET", "/things/1?limit=5")
        .header("X-TENANT", "t")
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json()["operationId"], "getThing");
}

// ---------------------------------------------------------------- event

#[tokio::test]
async fn the_handler_sees_what_api_gateway_sends() {
    let api = api();
    let a = req("GET", "/accounts/abc%20d?limit=5&limit=7&email=a%40b.c")
        .auth(&alice())
        .header("x-multi", "one")
        .header("x-multi", "two")
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let echo = a.json();
    let request_id = a.header("x-amzn-requestid");
    assert_eq!(uuid::Uuid::parse_str(request_id).map(|_| ()), Ok(()));
    assert!(a.header("x-amzn-trace-id").starts_with("Root=1-"));
    assert!(!a.header("x-amz-apigw-id").is_empty());
    assert_eq!(a.header("etag"), "\"1\"");

    assert_eq!(echo["operationId"], "getAccount");
    assert_eq!(echo["method"], "GET");
    // lambda_http puts the stage in front of the path, as in AWS.
    assert!(
        echo["uri"]
            .as_str()
            .unwrap()
            .contains("/local/accounts/abc%20d?"),
        "{}",
        echo["uri"]
    );
    assert_eq!(echo["pathParameters"], json!({"accountId": "abc d"}));
    assert_eq!(echo["query"]["limit"], json!(["5", "7"]));
    assert_eq!(echo["query"]["email"], json!(["a@b.c"]));
    // API Gateway sends both `headers` (last value) and `multiValueHeaders`; lambda_http
    // extends the latter with the former, so a handler sees the last value only — in AWS too.
    assert_eq!(echo["headers"]["x-multi"], json!(["two"]));
    assert_eq!(echo["headers"]["x-forwarded-for"], json!(["127.0.0.1"]));
    assert_eq!(echo["headers"]["x-forwarded-proto"], json!(["http"]));
    assert_eq!(
        echo["headers"]["x-amzn-trace-id"][0],
        a.header("x-amzn-trace-id")
    );
    assert_eq!(echo["body"], Value::Null);

    let ctx = &echo["requestContext"];
    assert_eq!(ctx["requestId"], request_id);
    // `extendedRequestId` is in the event (see below) but aws_lambda_events has no field for
    // it, so a lambda_http handler never sees it, in AWS either.
    assert_eq!(ctx["resourcePath"], "/accounts/{accountId}");
    assert_eq!(ctx["httpMethod"], "GET");
    assert_eq!(ctx["path"], "/local/accounts/abc%20d");
    assert_eq!(ctx["stage"], "local");
    assert_eq!(ctx["accountId"], "123456789012");
    assert_eq!(ctx["apiId"], "local");
    assert_eq!(ctx["domainName"], "127.0.0.1:3000");
    assert_eq!(ctx["protocol"], "HTTP/1.1");
    assert_eq!(ctx["identity"]["sourceIp"], "127.0.0.1");
    assert_eq!(ctx["identity"]["userAgent"], "emulator-tests/1.0");
    assert!(ctx["requestTimeEpoch"].as_i64().unwrap() > 1_700_000_000_000);
    assert!(ctx["requestTime"].as_str().unwrap().ends_with(" +0000"));
    assert_eq!(ctx["authorizer"]["claims"]["sub"], "alice-sub");

    let lambda = &echo["lambda"];
    assert!(lambda["functionArn"]
        .as_str()
        .unwrap()
        .ends_with(":function:getAccount"));
    assert_ne!(lambda["requestId"], request_id);
    assert_eq!(lambda["traceId"], a.header("x-amzn-trace-id"));
}

#[test]
fn the_event_json_has_api_gateways_fields() {
    let mut headers = http::HeaderMap::new();
    headers.append("x-a", "1".parse().unwrap());
    headers.append("x-a", "2".parse().unwrap());
    let time = chrono::Utc::now();
    let event = apigateway_rest_emulator::event::build_event(
        &apigateway_rest_emulator::event::EventInput {
            method: "POST",
            path: "/accounts",
            resource: "/accounts",
            path_params: &[],
            query: &[],
            headers: &headers,
            body: b"{}",
            binary_body: false,
            claims: None,
            custom_authorizer: None,
            source_ip: "10.0.0.1",
            request_id: "r",
            extended_request_id: "e=",
            stage: "prod",
            account_id: "1",
            api_id: "a",
            domain_name: "a.execute-api.us-east-1.amazonaws.com",
            time,
        },
    );
    assert_eq!(event["resource"], "/accounts");
    assert_eq!(event["path"], "/accounts");
    assert_eq!(event["httpMethod"], "POST");
    assert_eq!(event["headers"], json!({"x-a": "2"}));
    assert_eq!(event["multiValueHeaders"], json!({"x-a": ["1", "2"]}));
    assert_eq!(event["queryStringParameters"], Value::Null);
    assert_eq!(event["multiValueQueryStringParameters"], Value::Null);
    assert_eq!(event["pathParameters"], Value::Null);
    assert_eq!(event["stageVariables"], Value::Null);
    assert_eq!(event["body"], "{}");
    assert_eq!(event["isBase64Encoded"], false);
    assert_eq!(event["requestContext"]["path"], "/prod/accounts");
    assert_eq!(event["requestContext"]["extendedRequestId"], "e=");
    assert_eq!(event["requestContext"]["requestId"], "r");
    assert_eq!(event["requestContext"]["identity"]["sourceIp"], "10.0.0.1");
    assert_eq!(event["requestContext"]["domainPrefix"], "a");
    assert_eq!(
        event["requestContext"]["requestTimeEpoch"],
        time.timestamp_millis()
    );
    assert!(event["requestContext"].get("authorizer").is_none());
    // The Lambda runtime's own deserialiser accepts it.
    let request = lambda_http::request::from_str(&event.to_string()).unwrap();
    assert_eq!(request.uri().path(), "/prod/accounts");
}

// ---------------------------------------------------------------- responses and failures

#[tokio::test]
async fn handler_failures_are_502_and_the_server_goes_on() {
    let api = api();
    let a = req("GET", "/health")
        .header("x-test-panic", "1")
        .send(&api)
        .await;
    assert_eq!(a.status, 502, "{}", a.text);
    gateway_error(&a, "DEFAULT_5XX", "Internal server error");
    let b = req("GET", "/health").send(&api).await;
    assert_eq!(b.status, 200);
}

#[tokio::test]
async fn slow_handlers_get_504() {
    let api = api_with(
        document(),
        ServerConfig {
            integration_timeout: Duration::from_millis(200),
            ..ServerConfig::default()
        },
    );
    let a = req("GET", "/health")
        .header("x-test-sleep", "1")
        .send(&api)
        .await;
    assert_eq!(a.status, 504, "{}", a.text);
    gateway_error(&a, "INTEGRATION_TIMEOUT", "Endpoint request timed out");
}

#[tokio::test]
async fn binary_bodies_come_back_base64_without_binary_media_types() {
    let api = api();
    let a = req("GET", "/health")
        .header("x-test-binary", "1")
        .send(&api)
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.text, "AAEC/w==");
    assert_eq!(a.header("content-type"), "application/octet-stream");
}

#[tokio::test]
async fn payloads_over_10_mb_are_413() {
    let api = api();
    let big = vec![b' '; 10 * 1024 * 1024 + 1];
    let a = req("POST", "/accounts")
        .auth(&alice())
        .body(big)
        .send(&api)
        .await;
    assert_eq!(a.status, 413, "{}", a.text);
    gateway_error(&a, "REQUEST_TOO_LARGE", "Request Too Long");
    // Exactly 10 MB is accepted by the limit (and then judged by the validator).
    let limit = vec![b' '; 10 * 1024 * 1024];
    let a = req("POST", "/accounts")
        .auth(&alice())
        .body(limit)
        .send(&api)
        .await;
    assert_eq!(a.status, 400, "{}", a.text);
}

// ---------------------------------------------------------------- local pages

#[tokio::test]
async fn docs_and_openapi_json_cover_every_operation() {
    let api = api();
    let spec: Value = serde_yaml::from_str(&spec_text()).unwrap();
    let docs = req("GET", "/docs").send(&api).await;
    assert_eq!(docs.status, 200);
    assert!(docs.header("content-type").starts_with("text/html"));
    let openapi = req("GET", "/openapi.json").send(&api).await;
    assert_eq!(openapi.json(), spec);
    let mut count = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            count += 1;
            assert!(docs.text.contains(&format!("id=\"op-{id}\"")), "{id}");
            assert!(
                docs.text.contains(&format!("<code>{path}</code>")),
                "{path}"
            );
            assert!(
                docs.text.contains(&format!("class=\"method {method}\"")),
                "{method}"
            );
            let summary = op["summary"].as_str().unwrap().replace('\'', "&#39;");
            assert!(docs.text.contains(&summary), "{summary}");
        }
    }
    assert_eq!(count, 7);
    // The request body's model is shown in the operation, not only linked.
    let create = &docs.text[docs.text.find("id=\"op-createAccount\"").unwrap()..];
    let create = &create[..create.find("</section>").unwrap()];
    for needle in [
        "Request body",
        "application/json",
        "href=\"#schema-NewAccount\"",
        "<code>displayName</code>",
        "<code>Idempotency-Key</code>",
        "<code>201</code>",
    ] {
        assert!(create.contains(needle), "createAccount lacks {needle}");
    }
    for schema in spec["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            docs.text.contains(&format!("id=\"schema-{schema}\"")),
            "{schema}"
        );
    }
    assert!(!docs.text.contains("<script"));
    assert!(!docs.text.contains("http://cdn") && !docs.text.contains("https://cdn"));
}

#[tokio::test]
async fn local_pages_never_shadow_api_routes() {
    let doc = ApiDocument::from_json(
        &json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/docs": {"get": {"operationId": "apiDocs", "responses": {"200": {"description": "ok"}}}}}
        })
        .to_string(),
    )
    .unwrap();
    let api = api_with(doc, config());
    let a = req("GET", "/docs").send(&api).await;
    assert_eq!(a.json()["operationId"], "apiDocs");
    // The others are still served, and only for GET.
    assert_eq!(req("GET", "/openapi.json").send(&api).await.status, 200);
    assert_eq!(req("POST", "/openapi.json").send(&api).await.status, 403);
}

// ---------------------------------------------------------------- over a socket

#[tokio::test]
async fn serves_over_tcp_with_a_jwks_url_and_shuts_down_gracefully() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let jwks_url = format!("http://127.0.0.1:{port}/local_pool/.well-known/jwks.json");
    // The authorizer fetches the keys from the server's own JWKS route over HTTP.
    let authorizer = CognitoAuthorizer::new(AuthorizerConfig {
        issuer: ISSUER.to_owned(),
        audience: Some(CLIENT_ID.to_owned()),
        jwks: JwksSource::Url(jwks_url.clone()),
        refresh: KeyRefresh::default(),
    });
    let api = Arc::new(
        LocalApi::new(document(), Arc::new(Echo), config())
            .unwrap()
            .with_authorizer(authorizer)
            .with_jwks(ISSUER, dev().jwks_json().clone()),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(api.serve(listener, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let jwks: Value = client
        .get(format!("{base}/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], dev().kid());
    let health = client.get(format!("{base}/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let me = client
        .get(format!("{base}/accounts/me"))
        .header("authorization", token(&DevUser::new("bob")))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let body: Value = me.json().await.unwrap();
    assert_eq!(body["requestContext"]["authorizer"]["claims"]["sub"], "bob");
    let nope = client
        .get(format!("{base}/accounts/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(nope.status(), 401);
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(client.get(format!("{base}/health")).send().await.is_err());
}

#[tokio::test]
async fn an_unreachable_jwks_url_is_an_authorizer_configuration_error() {
    let authorizer = CognitoAuthorizer::new(AuthorizerConfig {
        issuer: ISSUER.to_owned(),
        audience: Some(CLIENT_ID.to_owned()),
        jwks: JwksSource::Url("http://127.0.0.1:9/pool/.well-known/jwks.json".to_owned()),
        refresh: KeyRefresh::default(),
    });
    let api = LocalApi::new(document(), Arc::new(Echo), config())
        .unwrap()
        .with_authorizer(authorizer);
    let a = req("GET", "/accounts/me").auth(&alice()).send(&api).await;
    assert_eq!(a.status, 500, "{}", a.text);
    gateway_error(
        &a,
        "AUTHORIZER_CONFIGURATION_ERROR",
        "Authorizer configuration error",
    );
    // Without a token no key is needed: plain 401.
    let a = req("GET", "/accounts/me").send(&api).await;
    assert_eq!(a.status, 401);
}

#[tokio::test]
async fn api_gateway_owned_response_headers_are_remapped() {
    let api = api();
    let a = req("GET", "/health")
        .header("x-test-reserved-headers", "1")
        .send(&api)
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.text, "short");
    assert!(a.headers.get("content-length").is_none());
    assert_eq!(a.header("x-amzn-remapped-connection"), "close");
    assert_eq!(a.header("x-amzn-remapped-server"), "handler");
    assert_eq!(a.header("x-custom"), "kept");
    assert_eq!(a.header("content-type"), "text/plain");
}

#[tokio::test]
async fn dev_auth_mints_tokens_the_server_accepts() {
    let dev = Arc::new(
        apigateway_rest_emulator::DevAuth::from_key(&keys().0, ISSUER, CLIENT_ID).unwrap(),
    );
    let api = LocalApi::new(document(), Arc::new(Echo), config())
        .unwrap()
        .with_dev_auth(dev.clone())
        .unwrap();
    let minted = req(
        "GET",
        "/local/token?sub=carol&groups=admin,%20ops&email=c%40x.org",
    )
    .send(&api)
    .await;
    assert_eq!(minted.status, 200, "{}", minted.text);
    let token = minted.json()["idToken"].as_str().unwrap().to_owned();
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.kid.as_deref(), Some(dev.kid()));
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    let a = req("GET", "/accounts/me")
        .header("authorization", &token)
        .send(&api)
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let claims = &a.json()["requestContext"]["authorizer"]["claims"];
    assert_eq!(claims["sub"], "carol");
    assert_eq!(claims["email"], "c@x.org");
    assert_eq!(claims["cognito:groups"], "admin,ops");
    // The raw token carries the groups as a JSON array, as Cognito's do.
    let raw = jsonwebtoken::dangerous::insecure_decode::<Value>(&token)
        .unwrap()
        .claims;
    assert_eq!(raw["cognito:groups"], json!(["admin", "ops"]));
    assert_eq!(raw["token_use"], "id");
    assert_eq!(raw["aud"], CLIENT_ID);
    assert!(raw["auth_time"].is_i64() && raw["iat"].is_i64() && raw["exp"].is_i64());
    // The JWKS is served where OIDC tools look for it.
    let jwks = req("GET", "/local_pool/.well-known/jwks.json")
        .send(&api)
        .await;
    assert_eq!(jwks.json()["keys"][0]["kid"], dev.kid());
}

#[tokio::test]
async fn a_busy_port_is_reported_clearly() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = taken.local_addr().unwrap();
    let err = apigateway_rest_emulator::bind(addr).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("port {} is already in use; pass --port", addr.port())
    );
}
