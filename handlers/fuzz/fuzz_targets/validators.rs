//! The generated validators through the runtime's API the generated code uses. The
//! generated server compiles each schema into a private validator function (issue 16), so
//! its body validators are reached through the public `parse_createAccount` and
//! `parse_updateAccount` with the value as the body: no panic, every refusal in the error
//! shape, and a body they accept is accepted again when sent back as it was read. And
//! `ParamSpec` reads raw parameter text in every location, style and shape (a value it
//! returns must pass its schema). An input that is JSON is sent as a body and read as every
//! parameter shape (the seeds are the tests' bodies and values); any other input is read
//! as a structured case.
#![no_main]

use accounts_fuzz::{error_shape_problem, runtime};
use accounts_server::{parse_create_account, parse_update_account};
use arbitrary::{Arbitrary, Unstructured};
use codegen_runtime::{FieldErrors, Inputs, ParamLocation, ParamSpec, Schema, Shape, Style};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

/// A proxy request of `operation` with `body`, as API Gateway passes it after the
/// authorizer: claims of a user with a verified email, the headers the operation needs.
fn body_request(operation: &str, body: &str) -> Option<lambda_http::Request> {
    let (method, path, content_type) = match operation {
        "createAccount" => ("POST", "/accounts", "application/json"),
        _ => (
            "PATCH",
            "/accounts/0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a10",
            "application/merge-patch+json",
        ),
    };
    let event = json!({
        "resource": path, "path": path, "httpMethod": method,
        "headers": {"Content-Type": content_type, "If-Match": "\"1\"", "Idempotency-Key": "fuzz-key-0001"},
        "multiValueHeaders": {"Content-Type": [content_type], "If-Match": ["\"1\""], "Idempotency-Key": ["fuzz-key-0001"]},
        "queryStringParameters": null, "multiValueQueryStringParameters": null,
        "pathParameters": {"accountId": "0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a10"},
        "stageVariables": null, "body": body, "isBase64Encoded": false,
        "requestContext": {
            "resourcePath": path, "httpMethod": method, "stage": "local", "requestId": "r",
            "accountId": "1", "apiId": "a", "identity": {},
            "authorizer": {"claims": {"sub": "fuzz-user", "email": "fuzz-user@example.com", "email_verified": "true"}}
        }
    });
    lambda_http::request::from_str(&event.to_string()).ok()
}

/// Whether the generated body validation of `operation` accepts `body`; a refusal must be
/// in the error shape.
fn body_accepted(operation: &str, body: &str) -> bool {
    let Some(request) = body_request(operation, body) else {
        return false;
    };
    let refused = runtime().block_on(async {
        match operation {
            "createAccount" => parse_create_account(&request).await.err(),
            _ => parse_update_account(&request).await.err(),
        }
    });
    let Some(response) = refused else {
        return true;
    };
    let status = response.status().as_u16();
    assert!(
        (400..500).contains(&status),
        "{operation}: {status} for {body}"
    );
    if let Some(problem) = error_shape_problem(response.body().as_ref()) {
        panic!("{operation}: {problem}");
    }
    false
}

/// The generated body validators: an accepted body is accepted again as it was sent.
fn check_body(value: &Value) {
    let text = value.to_string();
    for operation in ["createAccount", "updateAccount"] {
        if body_accepted(operation, &text) {
            let again: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            assert!(
                body_accepted(operation, &again.to_string()),
                "{operation} accepted {text} once only"
            );
        }
    }
}

fn json(u: &mut Unstructured<'_>, depth: u8) -> arbitrary::Result<Value> {
    let kind = if depth == 0 {
        u.int_in_range(0..=4)?
    } else {
        u.int_in_range(0..=6)?
    };
    Ok(match kind {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        4 => Value::String(u.arbitrary()?),
        5 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array(
                (0..n)
                    .map(|_| json(u, depth - 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        _ => {
            let n = u.int_in_range(0..=6)?;
            let mut map = Map::new();
            for _ in 0..n {
                let key = match u.int_in_range(0..=5)? {
                    0 => "email".to_owned(),
                    1 => "displayName".to_owned(),
                    2 => "phone".to_owned(),
                    3 => "locale".to_owned(),
                    _ => u.arbitrary()?,
                };
                map.insert(key, json(u, depth - 1)?);
            }
            Value::Object(map)
        }
    })
}

#[derive(Debug)]
struct Input {
    value: Value,
    location: u8,
    style: u8,
    explode: bool,
    shape: u8,
    required: bool,
    raw: Vec<String>,
}

impl<'a> Arbitrary<'a> for Input {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self {
            value: json(u, 3)?,
            location: u.arbitrary()?,
            style: u.arbitrary()?,
            explode: u.arbitrary()?,
            shape: u.arbitrary()?,
            required: u.arbitrary()?,
            raw: u.arbitrary()?,
        })
    }
}

fn param(input: &Input, schema: &'static Schema) -> ParamSpec {
    const SCALARS: [&[&str]; 4] = [&["string"], &["integer"], &["number", "string"], &[]];
    let location = match input.location % 4 {
        0 => ParamLocation::Path,
        1 => ParamLocation::Query,
        2 => ParamLocation::Header,
        _ => ParamLocation::Cookie,
    };
    let style = match input.style % 7 {
        0 => Style::Simple,
        1 => Style::Label,
        2 => Style::Matrix,
        3 => Style::Form,
        4 => Style::SpaceDelimited,
        5 => Style::PipeDelimited,
        _ => Style::DeepObject,
    };
    let shape = match input.shape % 7 {
        n @ 0..=3 => Shape::Scalar(SCALARS[usize::from(n)]),
        4 => Shape::Array(&["string"]),
        5 => Shape::Object {
            properties: &[("a", &["integer"]), ("b", &["string"])],
            additional: &["string"],
        },
        _ => Shape::Json,
    };
    ParamSpec {
        name: "p",
        key: "p",
        location,
        style,
        explode: input.explode,
        shape,
        default: None,
        schema,
    }
}

fn request(spec: &ParamSpec, raw: &[String]) -> Option<lambda_http::Request> {
    use lambda_http::RequestExt;
    use std::collections::HashMap;
    let mut request = lambda_http::Request::default();
    match spec.location {
        ParamLocation::Path => {
            let map: HashMap<String, String> = raw
                .first()
                .map(|v| ("p".to_owned(), v.clone()))
                .into_iter()
                .collect();
            request = request.with_path_parameters(map);
        }
        ParamLocation::Query => {
            // API Gateway never sends a parameter with no value (lambda_http's query map
            // panics on an empty list: regressions/validators/).
            let mut map: HashMap<String, Vec<String>> = HashMap::new();
            if !raw.is_empty() {
                map.insert("p".to_owned(), raw.to_vec());
                map.insert("p[a]".to_owned(), raw.iter().rev().cloned().collect());
            }
            request = request.with_query_string_parameters(map);
        }
        ParamLocation::Header => {
            for v in raw {
                let value = http::HeaderValue::from_str(v).ok()?;
                request.headers_mut().append("p", value);
            }
        }
        ParamLocation::Cookie => {
            let cookie = raw
                .iter()
                .map(|v| format!("p={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            let value = http::HeaderValue::from_str(&cookie).ok()?;
            request.headers_mut().insert(http::header::COOKIE, value);
        }
    }
    Some(request)
}

fn check(input: &Input) {
    let schema: &'static Schema = &Schema::ANY;
    let spec = param(input, schema);
    let Some(request) = request(&spec, &input.raw) else {
        return;
    };
    let mut errors = FieldErrors::new();
    let inputs = Inputs::new(&request);
    let parsed: Option<Value> = spec.parse(&inputs, input.required, &mut errors);
    if let Some(value) = parsed {
        let mut recheck = FieldErrors::new();
        schema.validate(&value, &spec.field(), &mut recheck);
        assert!(
            recheck.is_empty(),
            "{value} passed as valid but fails: {recheck:?}"
        );
        assert!(errors.is_empty(), "a value and errors: {errors:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        let raw = match &value {
            Value::String(s) => vec![s.clone()],
            other => vec![other.to_string()],
        };
        check_body(&value);
        for shape in 0..7u8 {
            check(&Input {
                value: Value::Null,
                location: shape,
                style: shape,
                explode: shape % 2 == 0,
                shape,
                required: true,
                raw: raw.clone(),
            });
        }
        return;
    }
    if let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) {
        check_body(&input.value);
        check(&input);
    }
});
