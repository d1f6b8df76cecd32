//! API Gateway REST proxy events (the `aws_proxy` integration's input,
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format>)
//! as a Cognito user pool authorizer passes them on: claims in
//! `requestContext.authorizer.claims`, headers in both single and multi-value form.

use crate::fake_dynamodb::{ACCOUNT_ID, NEW_SUB, OWNER_SUB, VERSION};
use serde_json::{json, Map, Value};

/// One operation the harness invokes: the Lambda binary and its request.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The Lambda's binary name (the manifest's `function`).
    pub function: &'static str,
    pub method: &'static str,
    /// The API Gateway resource (`/accounts/{accountId}`).
    pub resource: &'static str,
    /// The concrete path.
    pub path: String,
    pub path_parameters: Option<Value>,
    pub query: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// Cognito `sub` of the caller; `None` for an unauthenticated route.
    pub sub: Option<&'static str>,
    pub admin: bool,
    /// The status a correct handler answers against the fake table.
    pub expect_status: u16,
}

/// Every accounts operation, with a request that succeeds against the fake table.
pub fn operations() -> Vec<Operation> {
    let account_path = format!("/accounts/{ACCOUNT_ID}");
    let account_params = json!({ "accountId": ACCOUNT_ID });
    vec![
        Operation {
            function: "get-health",
            method: "GET",
            resource: "/health",
            path: "/health".into(),
            path_parameters: None,
            query: None,
            headers: vec![],
            body: None,
            sub: None,
            admin: false,
            expect_status: 200,
        },
        Operation {
            function: "get-my-account",
            method: "GET",
            resource: "/accounts/me",
            path: "/accounts/me".into(),
            path_parameters: None,
            query: None,
            headers: vec![],
            body: None,
            sub: Some(OWNER_SUB),
            admin: false,
            expect_status: 200,
        },
        Operation {
            function: "create-account",
            method: "POST",
            resource: "/accounts",
            path: "/accounts".into(),
            path_parameters: None,
            query: None,
            headers: vec![
                ("Content-Type", "application/json".into()),
                ("Idempotency-Key", "bench-key-0001".into()),
            ],
            // The email is the caller's verified one, from the token (the email policy).
            body: Some(r#"{"displayName":"New User"}"#.into()),
            sub: Some(NEW_SUB),
            admin: false,
            expect_status: 201,
        },
        Operation {
            function: "list-accounts",
            method: "GET",
            resource: "/accounts",
            path: "/accounts".into(),
            path_parameters: None,
            query: Some(json!({ "limit": "10" })),
            headers: vec![],
            body: None,
            sub: Some("bench-admin"),
            admin: true,
            expect_status: 200,
        },
        Operation {
            function: "get-account",
            method: "GET",
            resource: "/accounts/{accountId}",
            path: account_path.clone(),
            path_parameters: Some(account_params.clone()),
            query: None,
            headers: vec![],
            body: None,
            sub: Some(OWNER_SUB),
            admin: false,
            expect_status: 200,
        },
        Operation {
            function: "update-account",
            method: "PATCH",
            resource: "/accounts/{accountId}",
            path: account_path.clone(),
            path_parameters: Some(account_params.clone()),
            query: None,
            headers: vec![
                ("Content-Type", "application/merge-patch+json".into()),
                ("If-Match", format!("\"{VERSION}\"")),
            ],
            body: Some(r#"{"displayName":"Renamed User","phone":null}"#.into()),
            sub: Some(OWNER_SUB),
            admin: false,
            expect_status: 200,
        },
        Operation {
            function: "delete-account",
            method: "DELETE",
            resource: "/accounts/{accountId}",
            path: account_path,
            path_parameters: Some(account_params),
            query: None,
            headers: vec![],
            body: None,
            sub: Some(OWNER_SUB),
            admin: false,
            expect_status: 204,
        },
    ]
}

/// The echo request the floor answers (its body comes back as the response body).
pub fn floor_operation() -> Operation {
    Operation {
        function: "floor",
        method: "GET",
        resource: "/accounts/me",
        path: "/accounts/me".into(),
        path_parameters: None,
        query: None,
        headers: vec![],
        body: None,
        sub: Some(OWNER_SUB),
        admin: false,
        expect_status: 200,
    }
}

/// The proxy event of `op` with request id `request_id`.
pub fn rest_event(op: &Operation, request_id: &str) -> Value {
    let mut headers = Map::new();
    for (k, v) in [
        ("Accept", "application/json"),
        ("Host", "abc123.execute-api.us-east-1.amazonaws.com"),
        ("User-Agent", "accounts-mobile/1.0"),
        (
            "X-Amzn-Trace-Id",
            "Root=1-5759e988-bd862e3fe1be46a994272793",
        ),
        ("X-Forwarded-For", "203.0.113.7"),
        ("X-Forwarded-Port", "443"),
        ("X-Forwarded-Proto", "https"),
    ] {
        headers.insert(k.into(), Value::String(v.into()));
    }
    if op.sub.is_some() {
        headers.insert(
            "Authorization".into(),
            Value::String("eyJraWQiOiJiZW5jaCJ9.eyJzdWIiOiJiZW5jaCJ9.c2ln".into()),
        );
    }
    for (k, v) in &op.headers {
        headers.insert((*k).into(), Value::String(v.clone()));
    }
    let multi_headers: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.clone(), json!([v])))
        .collect();
    let multi_query = op.query.as_ref().and_then(Value::as_object).map(|q| {
        q.iter()
            .map(|(k, v)| (k.clone(), json!([v])))
            .collect::<Map<_, _>>()
    });
    let authorizer = op.sub.map(|sub| {
        let mut claims = json!({
            "sub": sub,
            "email": format!("{sub}@example.com"),
            "email_verified": "true",
            "token_use": "id",
            "cognito:username": sub,
            "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench",
            "aud": "benchclient",
            "auth_time": "1764000000",
            "iat": "1764000000",
            "exp": "4102444800",
        });
        if op.admin {
            claims["cognito:groups"] = json!("admin");
        }
        json!({ "claims": claims })
    });
    let mut context = json!({
        "resourceId": "abc1de",
        "resourcePath": op.resource,
        "httpMethod": op.method,
        "extendedRequestId": "Bench0ExtendedId=",
        "requestTime": "26/Nov/2026:16:00:00 +0000",
        "path": format!("/prod{}", op.path),
        "accountId": "123456789012",
        "protocol": "HTTP/1.1",
        "stage": "prod",
        "domainPrefix": "abc123",
        "requestTimeEpoch": 1_795_708_800_000u64,
        "requestId": request_id,
        "identity": { "sourceIp": "203.0.113.7", "userAgent": "accounts-mobile/1.0" },
        "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
        "apiId": "abc123"
    });
    if let Some(a) = authorizer {
        context["authorizer"] = a;
    }
    json!({
        "resource": op.resource,
        "path": op.path,
        "httpMethod": op.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": op.query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": op.path_parameters,
        "stageVariables": null,
        "requestContext": context,
        "body": op.body,
        "isBase64Encoded": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_parse_as_lambda_http_requests() {
        for op in operations().iter().chain([floor_operation()].iter()) {
            let event = rest_event(op, "req-1");
            let parsed: Result<lambda_http::request::LambdaRequest, _> =
                serde_json::from_value(event);
            assert!(parsed.is_ok(), "{}: {:?}", op.function, parsed.err());
        }
    }
}
