//! The property test of issue 15: random valid and invalid requests of every operation
//! against the in-process local server; each answer's status must be one the spec declares
//! for the operation, its body must match the schema declared for that status (jsonschema
//! against the spec's own schemas), and a declared required header must be there. No 500,
//! no undeclared shape.
//!
//! Requests are generated from the spec: bodies from the request schemas (patterns through
//! proptest's regex strategies), then made invalid in the ways a careless or hostile client
//! would (a missing or unknown property, a wrong type, any JSON, bytes that are not JSON, a
//! wrong media type), with valid, missing, garbage, foreign and admin tokens, existing and
//! random account ids, fresh, stale, weak and malformed `If-Match` values, and query values
//! in and out of range. The run is seeded (`PROPERTIES_SEED`, default fixed) and prints the
//! failing request.

use std::collections::BTreeMap;
use std::sync::Arc;

use accounts_testkit::{DevUser, TestServer};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Value};

const SPEC: &str = include_str!("../../../../spec/accounts.yaml");

/// The owner every generated request may act as, and their verified email.
const OWNER: &str = "prop-owner";
const OWNER_EMAIL: &str = "prop-owner@example.com";

/// How many requests one run sends (`PROPERTIES_CASES` overrides).
const CASES: u32 = 600;

/// An operation as the spec declares it.
struct Operation {
    id: String,
    method: String,
    path: String,
    /// Declared status → (validator of the JSON body, required response headers).
    responses: BTreeMap<u16, (Option<jsonschema::Validator>, Vec<String>)>,
    /// The request body's schema, if any.
    body: Option<Value>,
}

struct Spec {
    operations: Vec<Operation>,
    components: Value,
}

fn load_spec() -> Spec {
    let doc: Value = serde_yaml::from_str(SPEC).unwrap_or_else(|e| panic!("spec: {e}"));
    let components = doc["components"].clone();
    let resolve = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.trim_start_matches('#');
                doc.pointer(pointer).cloned().unwrap_or(Value::Null)
            }
            None => v.clone(),
        }
    };
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut responses = BTreeMap::new();
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let response = resolve(response);
                let validator = response
                    .pointer("/content/application~1json/schema")
                    .map(|schema| compile(schema, &components));
                let headers = response["headers"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(_, h)| resolve(h)["required"] == json!(true))
                    .map(|(name, _)| name.to_ascii_lowercase())
                    .collect();
                let status: u16 = status.parse().unwrap_or_else(|_| panic!("status {status}"));
                responses.insert(status, (validator, headers));
            }
            let body = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .and_then(|c| c.values().next())
                .map(|media| media["schema"].clone());
            operations.push(Operation {
                id: id.to_owned(),
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                responses,
                body,
            });
        }
    }
    assert_eq!(
        operations.len(),
        accounts_server::ROUTES.len(),
        "every operation is tested"
    );
    Spec {
        operations,
        components,
    }
}

/// A validator for `schema` whose `$ref`s resolve into the spec's components. Response
/// schemas use no OpenAPI-only keyword but `nullable`, which they do not use.
fn compile(schema: &Value, components: &Value) -> jsonschema::Validator {
    let root = json!({"allOf": [schema], "components": components});
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_format("uuid", |s: &str| uuid::Uuid::parse_str(s).is_ok())
        .build(&root)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

// ---------------------------------------------------------------- generating values

/// A strategy of values valid under `schema` (the subset of JSON Schema the spec's request
/// schemas use).
fn valid(schema: &Value, components: &Value) -> BoxedStrategy<Value> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return valid(&components["schemas"][name], components);
    }
    let inner = match schema["type"].as_str() {
        Some("object") => {
            let required: Vec<String> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            let properties: Vec<(String, BoxedStrategy<Value>, bool)> = schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, s)| {
                    let mut values = valid(s, components);
                    if k == "email" {
                        // Often the owner's verified email, which the email policy accepts.
                        values = prop_oneof![Just(json!(OWNER_EMAIL)), values].boxed();
                    }
                    (k.clone(), values, required.contains(k))
                })
                .collect();
            let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
                .into_iter()
                .map(|(k, s, required)| {
                    let present = s.prop_map(move |v| Some((k.clone(), v)));
                    if required {
                        present.boxed()
                    } else {
                        prop_oneof![Just(None), present].boxed()
                    }
                })
                .collect();
            parts
                .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
                .boxed()
        }
        Some("integer") => {
            let min = schema["minimum"].as_i64().unwrap_or(i64::MIN / 2);
            let max = schema["maximum"].as_i64().unwrap_or(i64::MAX / 2);
            (min..=max).prop_map(Value::from).boxed()
        }
        _ => string(schema),
    };
    if schema["nullable"] == json!(true) {
        prop_oneof![Just(Value::Null), inner].boxed()
    } else {
        inner
    }
}

/// Strings under a string schema: its pattern (anchors dropped) or format, within its lengths.
fn string(schema: &Value) -> BoxedStrategy<Value> {
    let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
    let max = schema["maxLength"].as_u64().unwrap_or(64) as usize;
    let base: BoxedStrategy<String> = match (schema["pattern"].as_str(), schema["format"].as_str())
    {
        (Some(pattern), _) => {
            let pattern = pattern.trim_start_matches('^').trim_end_matches('$');
            proptest::string::string_regex(pattern)
                .unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
                .boxed()
        }
        (None, Some("email")) => "[a-z][a-z0-9.]{0,20}@[a-z]{1,10}\\.(com|org|example)".boxed(),
        (None, Some("uuid")) => any::<u128>()
            .prop_map(|n| uuid::Uuid::from_u128(n).to_string())
            .boxed(),
        _ => ".{0,40}".boxed(),
    };
    base.prop_filter("within its lengths", move |s| {
        (min..=max).contains(&s.chars().count())
    })
    .prop_map(Value::String)
    .boxed()
}

/// Any JSON value.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A body: valid under the schema, or made invalid.
fn body(schema: &Value, components: &Value) -> BoxedStrategy<Body> {
    let good = valid(schema, components);
    prop_oneof![
        4 => good.clone().prop_map(Body::Json),
        1 => (good.clone(), "[a-zA-Z]{1,10}", any_json()).prop_map(|(mut v, k, x)| {
            if let Some(o) = v.as_object_mut() {
                o.insert(k, x);
            }
            Body::Json(v)
        }),
        1 => (good.clone(), any::<prop::sample::Index>(), any_json()).prop_map(|(mut v, i, x)| {
            if let Some(o) = v.as_object_mut() {
                let keys: Vec<String> = o.keys().cloned().collect();
                if !keys.is_empty() {
                    o.insert(keys[i.index(keys.len())].clone(), x);
                }
            }
            Body::Json(v)
        }),
        1 => (good.clone(), any::<prop::sample::Index>()).prop_map(|(mut v, i)| {
            if let Some(o) = v.as_object_mut() {
                let keys: Vec<String> = o.keys().cloned().collect();
                if !keys.is_empty() {
                    o.remove(&keys[i.index(keys.len())]);
                }
            }
            Body::Json(v)
        }),
        1 => any_json().prop_map(Body::Json),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Body::Bytes),
        1 => good.prop_map(Body::WrongMediaType),
        1 => Just(Body::Absent),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
enum Body {
    Json(Value),
    Bytes(Vec<u8>),
    WrongMediaType(Value),
    Absent,
}

#[derive(Debug, Clone)]
enum Auth {
    Owner,
    /// A user seen for the first time (who can create an account).
    Fresh,
    Other,
    Admin,
    Missing,
    Garbage(String),
}

#[derive(Debug, Clone)]
enum Id {
    Own,
    Random(u128),
    Text(String),
}

#[derive(Debug, Clone)]
struct Request {
    operation: usize,
    auth: Auth,
    id: Id,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Body,
}

fn request(spec: &Spec) -> BoxedStrategy<Request> {
    let auth = prop_oneof![
        6 => Just(Auth::Owner),
        2 => Just(Auth::Fresh),
        1 => Just(Auth::Other),
        2 => Just(Auth::Admin),
        1 => Just(Auth::Missing),
        1 => "[ -~]{0,60}".prop_map(Auth::Garbage),
    ];
    let id = prop_oneof![
        4 => Just(Id::Own),
        1 => any::<u128>().prop_map(Id::Random),
        // Not a dot segment: a client resolves `/accounts/.` to `/accounts/` (another
        // resource) before sending.
        1 => "[ -~]{1,40}"
            .prop_filter("not a dot segment", |t| t != "." && t != "..")
            .prop_map(Id::Text),
    ];
    let query = prop::collection::vec(
        (
            prop_oneof![Just("limit"), Just("cursor"), Just("email"), Just("other")],
            prop_oneof![
                "[0-9]{1,3}".boxed(),
                "-?[0-9]{1,22}".boxed(),
                "[A-Za-z0-9_-]{1,30}\\.[A-Za-z0-9_-]{1,30}".boxed(),
                "[a-z]{1,8}@[a-z]{1,8}\\.com".boxed(),
                ".{0,20}".boxed(),
            ],
        )
            .prop_map(|(k, v)| (k.to_owned(), v)),
        0..3,
    );
    let header = prop_oneof![
        3 => (Just("If-Match"), prop_oneof![
            3 => Just(CURRENT.to_owned()),
            1 => Just("\"1\"".to_owned()), 1 => Just("W/\"1\"".to_owned()), 1 => Just("\"01\"".to_owned()),
            1 => "\"[0-9]{1,4}\"".boxed(), 1 => "[ -~]{0,30}".boxed()
        ]),
        1 => (Just("Idempotency-Key"), prop_oneof![
            "[A-Za-z0-9_.:-]{8,40}".boxed(), "[ -~]{0,20}".boxed()
        ]),
    ]
    .prop_map(|(k, v)| (k.to_owned(), v));
    let headers = prop::collection::vec(header, 1..4);
    let headers = prop_oneof![1 => Just(Vec::new()), 5 => headers].boxed();
    let bodies: Vec<BoxedStrategy<Body>> =
        spec.operations
            .iter()
            .map(|op| match &op.body {
                Some(schema) => body(schema, &spec.components),
                None => prop_oneof![4 => Just(Body::Absent), 1 => any_json().prop_map(Body::Json)]
                    .boxed(),
            })
            .collect();
    let operations = spec.operations.len();
    (0..operations, auth, id, query, headers)
        .prop_flat_map(move |(operation, auth, id, query, headers)| {
            bodies[operation].clone().prop_map(move |body| Request {
                operation,
                auth: auth.clone(),
                id: id.clone(),
                query: query.clone(),
                headers: headers.clone(),
                body,
            })
        })
        .boxed()
}

// ---------------------------------------------------------------- the property

/// In a generated `If-Match`: the owner's account's current `ETag`, read just before.
const CURRENT: &str = "@current@";

struct World {
    server: TestServer,
    owner: String,
    other: String,
    admin: String,
    /// The owner's account, created again whenever a request deleted it.
    own_id: std::sync::Mutex<String>,
    fresh: std::sync::atomic::AtomicU64,
    client: reqwest::Client,
}

impl World {
    fn own_id(&self) -> String {
        self.own_id.lock().map(|id| id.clone()).unwrap_or_default()
    }

    /// Creates the owner's account if it is gone; its id.
    async fn ensure_own_account(&self) -> String {
        let me = self
            .client
            .get(self.server.url("/accounts/me"))
            .header("authorization", &self.owner)
            .send()
            .await
            .unwrap_or_else(|e| panic!("me: {e}"));
        if me.status() == 404 {
            let created = self
                .client
                .post(self.server.url("/accounts"))
                .header("authorization", &self.owner)
                .json(&json!({"displayName": "Property Owner"}))
                .send()
                .await
                .unwrap_or_else(|e| panic!("create: {e}"));
            let created: Value = created.json().await.unwrap_or_default();
            let id = created["id"].as_str().unwrap_or_default().to_owned();
            if let Ok(mut own) = self.own_id.lock() {
                own.clone_from(&id);
            }
            return id;
        }
        self.own_id()
    }

    async fn current_etag(&self) -> String {
        let me = self
            .client
            .get(self.server.url("/accounts/me"))
            .header("authorization", &self.owner)
            .send()
            .await
            .unwrap_or_else(|e| panic!("me: {e}"));
        me.headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("\"1\"")
            .to_owned()
    }
}

async fn send(
    world: &World,
    spec: &Spec,
    r: &Request,
) -> (u16, reqwest::header::HeaderMap, String) {
    let op = &spec.operations[r.operation];
    let id = match &r.id {
        Id::Own => world.ensure_own_account().await,
        Id::Random(n) => uuid::Uuid::from_u128(*n).to_string(),
        Id::Text(t) => {
            percent_encoding::utf8_percent_encode(t, percent_encoding::NON_ALPHANUMERIC).to_string()
        }
    };
    let path = op.path.replace("{accountId}", &id);
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&r.query)
        .finish();
    let url = if query.is_empty() {
        world.server.url(&path)
    } else {
        world.server.url(&format!("{path}?{query}"))
    };
    let method = reqwest::Method::from_bytes(op.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut builder = world.client.request(method, &url);
    match &r.auth {
        Auth::Owner => builder = builder.header("authorization", &world.owner),
        Auth::Fresh => {
            let n = world
                .fresh
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let token = world.server.token(&DevUser::new(format!("prop-fresh-{n}")));
            builder = builder.header("authorization", token);
        }
        Auth::Other => builder = builder.header("authorization", &world.other),
        Auth::Admin => builder = builder.header("authorization", &world.admin),
        Auth::Missing => {}
        Auth::Garbage(g) => builder = builder.header("authorization", g.as_str()),
    }
    for (k, v) in &r.headers {
        if v == CURRENT {
            builder = builder.header(k.as_str(), world.current_etag().await);
        } else {
            builder = builder.header(k.as_str(), v.as_str());
        }
    }
    let media = if op.id == "updateAccount" {
        "application/merge-patch+json"
    } else {
        "application/json"
    };
    builder = match &r.body {
        Body::Json(v) => builder.header("content-type", media).body(v.to_string()),
        Body::Bytes(b) => builder.header("content-type", media).body(b.clone()),
        Body::WrongMediaType(v) => builder
            .header("content-type", "text/plain")
            .body(v.to_string()),
        Body::Absent => builder,
    };
    let response = builder
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    (status, headers, text)
}

fn check(
    spec: &Spec,
    r: &Request,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    text: &str,
) -> Result<(), String> {
    let op = &spec.operations[r.operation];
    let Some((validator, required)) = op.responses.get(&status) else {
        return Err(format!(
            "{} answered {status}, which it does not declare: {text}",
            op.id
        ));
    };
    if let Some(validator) = validator {
        let body: Value = serde_json::from_str(text)
            .map_err(|e| format!("{} {status}: not JSON ({e}): {text}", op.id))?;
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        if !errors.is_empty() {
            return Err(format!("{} {status}: {errors:?} in {text}", op.id));
        }
    } else if !text.is_empty() {
        return Err(format!("{} {status} declares no body: {text}", op.id));
    }
    for name in required {
        if !headers.contains_key(name.as_str()) {
            return Err(format!("{} {status}: no {name} header", op.id));
        }
    }
    Ok(())
}

#[test]
fn every_answer_is_declared_and_matches_its_schema() {
    let spec = load_spec();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let world = runtime.block_on(async {
        let server = TestServer::start()
            .await
            .unwrap_or_else(|e| panic!("server: {e}"));
        let owner = server.token(&DevUser::new(OWNER));
        let created = reqwest::Client::new()
            .post(server.url("/accounts"))
            .header("authorization", &owner)
            .json(&json!({"displayName": "Property Owner"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("create: {e}"));
        let created: Value = created.json().await.unwrap_or_default();
        World {
            other: server.token(&DevUser::new("prop-other")),
            admin: server.token(&DevUser::new("prop-admin").with_group("admin")),
            own_id: std::sync::Mutex::new(created["id"].as_str().unwrap_or_default().to_owned()),
            fresh: std::sync::atomic::AtomicU64::new(0),
            owner,
            client: reqwest::Client::new(),
            server,
        }
    });
    assert!(
        !world.own_id().is_empty(),
        "the owner's account was created"
    );
    let world = Arc::new(world);
    let seed: u64 = std::env::var("PROPERTIES_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_203);
    let cases = std::env::var("PROPERTIES_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(CASES);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            max_shrink_iters: 200,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let seen_cell: std::cell::RefCell<BTreeMap<(String, u16), u32>> = Default::default();
    let result = runner.run(&request(&spec), |r| {
        let (status, headers, text) = runtime.block_on(send(&world, &spec, &r));
        *seen_cell
            .borrow_mut()
            .entry((spec.operations[r.operation].id.clone(), status))
            .or_default() += 1;
        check(&spec, &r, status, &headers, &text).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("seed {seed}: {e}");
    }
    let seen = seen_cell.into_inner();
    // The generator reaches every operation, and beyond its refusals.
    for op in &spec.operations {
        let statuses: Vec<u16> = seen
            .keys()
            .filter(|(id, _)| *id == op.id)
            .map(|(_, s)| *s)
            .collect();
        assert!(
            statuses.iter().any(|s| (200..300).contains(s)),
            "{} never succeeded: {statuses:?}",
            op.id
        );
    }
    eprintln!("statuses seen (operation, status) → count: {seen:?}");
}
