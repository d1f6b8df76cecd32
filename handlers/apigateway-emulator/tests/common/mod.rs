//! Shared test fixtures: the accounts API Gateway document and spec (read as fixture files,
//! not through a dependency: the emulator knows no service), dev keys, an echoing fake backend
//! and a request helper.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use apigateway_rest_emulator::{
    ApiDocument, Backend, CognitoAuthorizer, DevAuth, DevUser, LocalApi, ServerConfig, SpecPages,
    TemplateValues,
};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use lambda_http::{Body, Request, RequestExt, Response};
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};

pub const ISSUER: &str = "http://127.0.0.1:3000/local_pool";
pub const CLIENT_ID: &str = "local-client";

/// codegen's API Gateway document, the one Terraform imports.
pub const DOCUMENT_TEMPLATE: &str = include_str!("../../../../generated/apigateway.json");

/// The hand-authored spec.
pub const SPEC: &str = include_str!("../../../../spec/accounts.yaml");

pub fn spec_text() -> String {
    SPEC.to_owned()
}

pub fn document() -> ApiDocument {
    ApiDocument::from_template(DOCUMENT_TEMPLATE, &TemplateValues::default())
        .expect("document loads")
}

/// Two RSA keys, generated once per test binary (key generation is slow in debug builds).
pub fn keys() -> &'static (RsaPrivateKey, RsaPrivateKey) {
    static KEYS: OnceLock<(RsaPrivateKey, RsaPrivateKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::thread_rng();
        (
            RsaPrivateKey::new(&mut rng, 2048).expect("key"),
            RsaPrivateKey::new(&mut rng, 2048).expect("key"),
        )
    })
}

/// The dev issuer the server trusts.
pub fn dev() -> &'static DevAuth {
    static DEV: OnceLock<DevAuth> = OnceLock::new();
    DEV.get_or_init(|| DevAuth::from_key(&keys().0, ISSUER, CLIENT_ID).expect("dev auth"))
}

/// Same issuer and client, another key: its tokens are forgeries.
pub fn forger() -> DevAuth {
    DevAuth::from_key(&keys().1, ISSUER, CLIENT_ID).expect("forger")
}

pub fn token(user: &DevUser) -> String {
    dev().mint_id_token(user).expect("token")
}

pub fn alice() -> DevUser {
    DevUser::new("alice-sub")
        .with_group("admin")
        .with_group("ops")
}

/// A backend that answers with what it received, so tests see the handler's view.
pub struct Echo;

impl Backend for Echo {
    fn invoke(
        &self,
        operation_id: &str,
        request: Request,
    ) -> Pin<Box<dyn Future<Output = Response<Body>> + Send + '_>> {
        let operation_id = operation_id.to_owned();
        Box::pin(async move {
            if request.headers().contains_key("x-test-panic") {
                panic!("the handler panicked");
            }
            if request.headers().contains_key("x-test-sleep") {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            if request.headers().contains_key("x-test-reserved-headers") {
                return Response::builder()
                    .status(200)
                    .header("content-type", "text/plain")
                    .header("content-length", "999")
                    .header("connection", "close")
                    .header("server", "handler")
                    .header("x-custom", "kept")
                    .body(Body::Text("short".to_owned()))
                    .expect("response");
            }
            if request.headers().contains_key("x-test-binary") {
                return Response::builder()
                    .status(200)
                    .header("content-type", "application/octet-stream")
                    .body(Body::Binary(vec![0, 1, 2, 255]))
                    .expect("response");
            }
            let mut headers: Map<String, Value> = Map::new();
            for name in request.headers().keys() {
                let values: Vec<Value> = request
                    .headers()
                    .get_all(name)
                    .iter()
                    .map(|v| json!(v.to_str().unwrap_or_default()))
                    .collect();
                headers.insert(name.as_str().to_owned(), Value::Array(values));
            }
            let mut query: Map<String, Value> = Map::new();
            let qs = request.query_string_parameters();
            for (k, _) in qs.iter() {
                query.insert(k.to_owned(), json!(qs.all(k).unwrap_or_default()));
            }
            let mut path_params: Map<String, Value> = Map::new();
            for (k, v) in request.path_parameters().iter() {
                path_params.insert(k.to_owned(), json!(v));
            }
            let context = request
                .request_context_ref()
                .map(|c| serde_json::to_value(c).expect("context"))
                .unwrap_or(Value::Null);
            let lambda = request.lambda_context_ref().map(|c| {
                json!({"requestId": c.request_id, "functionArn": c.invoked_function_arn,
                       "deadline": c.deadline, "traceId": c.xray_trace_id})
            });
            let body = match request.body() {
                Body::Text(t) => json!(t),
                Body::Binary(b) => json!(String::from_utf8_lossy(b)),
                _ => Value::Null,
            };
            let echo = json!({
                "operationId": operation_id,
                "method": request.method().as_str(),
                "uri": request.uri().to_string(),
                "headers": headers,
                "query": query,
                "pathParameters": path_params,
                "requestContext": context,
                "lambda": lambda,
                "body": body,
            });
            Response::builder()
                .status(if operation_id == "createAccount" {
                    201
                } else {
                    200
                })
                .header("content-type", "application/json")
                .header("etag", "\"1\"")
                .body(Body::Text(echo.to_string()))
                .expect("response")
        })
    }
}

pub fn config() -> ServerConfig {
    ServerConfig {
        integration_timeout: Duration::from_secs(2),
        ..ServerConfig::default()
    }
}

pub fn api_with(document: ApiDocument, config: ServerConfig) -> LocalApi {
    let authorizer = CognitoAuthorizer::new(dev().authorizer_config().expect("authorizer config"));
    LocalApi::new(document, Arc::new(Echo), config)
        .expect("api")
        .with_authorizer(authorizer)
        .with_pages(SpecPages::from_spec(&spec_text()).expect("pages"))
        .with_jwks(ISSUER, dev().jwks_json().clone())
}

pub fn api() -> LocalApi {
    api_with(document(), config())
}

/// What a test sees of a response.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

pub struct Req {
    builder: http::request::Builder,
    body: Vec<u8>,
}

pub fn req(method: &str, uri: &str) -> Req {
    Req {
        builder: http::Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "127.0.0.1:3000")
            .header("user-agent", "emulator-tests/1.0"),
        body: Vec::new(),
    }
}

impl Req {
    /// A request without the default `Host` header.
    pub fn without_host(method: &str, uri: &str) -> Self {
        Req {
            builder: http::Request::builder().method(method).uri(uri),
            body: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    pub fn auth(self, user: &DevUser) -> Self {
        let t = token(user);
        self.header("authorization", &t)
    }

    pub fn json(mut self, body: &str) -> Self {
        self.body = body.as_bytes().to_vec();
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    pub async fn send(self, api: &LocalApi) -> Answer {
        let request = self
            .builder
            .body(Full::new(Bytes::from(self.body)))
            .expect("request");
        let remote: SocketAddr = "127.0.0.1:50000".parse().expect("addr");
        let response = api.handle(request, remote).await;
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

/// The error shape of the document's gateway responses.
pub fn gateway_error(answer: &Answer, code: &str, message: &str) {
    let body = answer.json();
    assert_eq!(
        body,
        json!({
            "code": code,
            "message": message,
            "requestId": answer.header("x-amzn-requestid"),
            "fieldErrors": []
        }),
        "body {}",
        answer.text
    );
    assert_eq!(answer.header("access-control-allow-origin"), "*");
}
