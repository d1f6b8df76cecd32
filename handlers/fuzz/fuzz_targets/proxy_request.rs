//! API Gateway proxy events → the generated `parse_*` of every operation: headers, query,
//! path and body bytes. An input starting with `{` is the event JSON itself (the seeds are
//! events as the tests build them); any other input is read as a structured event. Every
//! operation's `parse_*` reads each event. No input may panic, and every refusal is 400,
//! 401, 415 or 428 in the shared error shape.
#![no_main]

use accounts_fuzz::{error_shape_problem, runtime, OPERATIONS};
use arbitrary::{Arbitrary, Unstructured};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[derive(Arbitrary, Debug)]
struct Event {
    method: String,
    account_id: Option<String>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<String>,
    base64: bool,
    claims: Vec<(String, String)>,
    sub: Option<String>,
    groups: Option<String>,
}

fn event(input: &Event) -> Value {
    let mut headers = Map::new();
    let mut multi: Map<String, Value> = Map::new();
    for (k, v) in &input.headers {
        headers.insert(k.clone(), json!(v));
        match multi.get_mut(k).and_then(Value::as_array_mut) {
            Some(list) => list.push(json!(v)),
            None => {
                multi.insert(k.clone(), json!([v]));
            }
        }
    }
    let mut query = Map::new();
    let mut multi_query: Map<String, Value> = Map::new();
    for (k, v) in &input.query {
        query.insert(k.clone(), json!(v));
        match multi_query.get_mut(k).and_then(Value::as_array_mut) {
            Some(list) => list.push(json!(v)),
            None => {
                multi_query.insert(k.clone(), json!([v]));
            }
        }
    }
    let mut claims: Map<String, Value> = input
        .claims
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    if let Some(sub) = &input.sub {
        claims.insert("sub".into(), json!(sub));
    }
    if let Some(groups) = &input.groups {
        claims.insert("cognito:groups".into(), json!(groups));
    }
    let path_parameters = match &input.account_id {
        Some(id) => json!({ "accountId": id }),
        None => Value::Null,
    };
    json!({
        "resource": "/accounts/{accountId}",
        "path": "/accounts/x",
        "httpMethod": input.method,
        "headers": headers,
        "multiValueHeaders": multi,
        "queryStringParameters": if query.is_empty() { Value::Null } else { Value::Object(query) },
        "multiValueQueryStringParameters": if multi_query.is_empty() { Value::Null } else { Value::Object(multi_query) },
        "pathParameters": path_parameters,
        "stageVariables": null,
        "requestContext": {
            "resourcePath": "/accounts/{accountId}", "httpMethod": input.method, "stage": "local",
            "requestId": "fuzz-request", "accountId": "123456789012", "apiId": "fuzz",
            "identity": {"sourceIp": "127.0.0.1"},
            "authorizer": { "claims": claims }
        },
        // API Gateway base64-encodes a binary body itself: the flag never comes with text
        // that is not base64 (aws_lambda_events panics on that: regressions/proxy_request/).
        "body": if input.base64 { input.body.as_ref().map(|b| BASE64.encode(b)) } else { input.body.clone() },
        "isBase64Encoded": input.base64,
    })
}

async fn parse(
    operation: &str,
    request: &lambda_http::Request,
) -> Option<lambda_http::Response<lambda_http::Body>> {
    use accounts_server::*;
    match operation {
        "getHealth" => parse_get_health(request).await.err(),
        "getMyAccount" => parse_get_my_account(request).await.err(),
        "createAccount" => parse_create_account(request).await.err(),
        "listAccounts" => parse_list_accounts(request).await.err(),
        "getAccount" => parse_get_account(request).await.err(),
        "updateAccount" => parse_update_account(request).await.err(),
        _ => parse_delete_account(request).await.err(),
    }
}

fn check(operation: &str, refusal: lambda_http::Response<lambda_http::Body>) {
    let status = refusal.status().as_u16();
    assert!(
        [400, 401, 415, 428].contains(&status),
        "{operation} refused with {status}"
    );
    let body: &[u8] = match refusal.body() {
        lambda_http::Body::Text(t) => t.as_bytes(),
        lambda_http::Body::Binary(b) => b,
        _ => &[],
    };
    if let Some(problem) = error_shape_problem(body) {
        panic!(
            "{operation} {status}: {problem}: {}",
            String::from_utf8_lossy(body)
        );
    }
}

/// Whether an event's body is base64 where `isBase64Encoded` says so (what API Gateway
/// sends); an event JSON of the seeds that says otherwise is not one it could send.
fn base64_body_is_base64(text: &str) -> bool {
    let Ok(event) = serde_json::from_str::<Value>(text) else {
        return true;
    };
    match (
        event.get("isBase64Encoded"),
        event.get("body").and_then(Value::as_str),
    ) {
        (Some(Value::Bool(true)), Some(body)) => BASE64.decode(body).is_ok(),
        _ => true,
    }
}

fuzz_target!(|data: &[u8]| {
    let text = if data.first() == Some(&b'{') {
        match std::str::from_utf8(data) {
            Ok(text) => text.to_owned(),
            Err(_) => return,
        }
    } else {
        match Event::arbitrary(&mut Unstructured::new(data)) {
            Ok(input) => event(&input).to_string(),
            Err(_) => return,
        }
    };
    if !base64_body_is_base64(&text) {
        return;
    }
    // lambda_http refuses events API Gateway never sends (an invalid header name): the
    // runtime would not call the handler either.
    let Ok(request) = lambda_http::request::from_str(&text) else {
        return;
    };
    for operation in OPERATIONS {
        if let Some(refusal) = runtime().block_on(parse(operation, &request)) {
            check(operation, refusal);
        }
    }
});
