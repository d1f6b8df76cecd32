//! The HTTP front: an HTTP/1 server (hyper 1) that plays API Gateway's request pipeline in its
//! order — payload limit, resource and method, authorizer, request validator, Lambda proxy
//! integration — and answers every failure with the document's gateway responses.
//!
//! Limits emulated ([quotas](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html)):
//! a 10 MB payload (413 `Request Too Long`), 10,240 bytes of request line and headers (431),
//! and a 29 s integration timeout (504 `Endpoint request timed out`). A backend that fails or
//! panics gets API Gateway's answer to a failed Lambda: 502 `Internal server error`; the
//! server itself never goes down for it. Slow and many clients are bounded as
//! [`transport`] describes (header and body read timeouts, a connection cap), and every
//! error answer, hyper's own included, has the document's error shape.
//!
//! One module per seam:
//! - [`transport`]: bind, accept, serve connections within bounds, shut down, read a body;
//! - [`protocol_errors`]: hyper's own answers to unparseable requests, shaped;
//! - [`pipeline`]: the steps in API Gateway's order, each refusing with a [`Rejection`];
//! - [`integration`]: the Lambda proxy integration (event, invocation, timeout, answer);
//! - [`local_routes`]: what only the local server answers, when no API route matches.

mod integration;
mod local_routes;
mod pipeline;
mod protocol_errors;
mod transport;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::HeaderValue;
use http_body_util::Full;
use hyper::body::Bytes;
use serde_json::Value;

use crate::authorizer::CognitoAuthorizer;
use crate::backend::Backend;
use crate::custom_authorizer::CustomAuthorizer;
use crate::devauth::{DevAuth, DevAuthError};
use crate::docs::SpecPages;
use crate::document::{ApiDocument, DocumentError};
use crate::router::Router;
use crate::validator::RouteValidator;

pub use pipeline::{parse_query, Rejection};
pub use transport::{bind, BindError};

/// API Gateway's maximum payload size (10 MB).
pub const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// API Gateway's default (and, for REST APIs, maximum regional) integration timeout.
pub const INTEGRATION_TIMEOUT: Duration = Duration::from_secs(29);

/// API Gateway's quota on the request line and headers together (10,240 bytes).
pub const MAX_HEADER_BYTES: usize = 10 * 1024;

/// How long a request head may take to arrive (and a keep-alive connection may stay idle).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a body may take to arrive once the server reads it.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How many connections are served at once.
pub const MAX_CONNECTIONS: usize = 512;

/// What the emulated stage looks like from inside the event.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Stage name (`requestContext.stage`; `lambda_http` prefixes the request URI with it).
    pub stage: String,
    /// `requestContext.accountId`.
    pub account_id: String,
    /// `requestContext.apiId`.
    pub api_id: String,
    /// Payload limit in bytes.
    pub max_body_bytes: usize,
    /// How long a backend may take before the 504, at most (an integration's
    /// `timeoutInMillis` can only shorten it).
    pub integration_timeout: Duration,
    /// Limit of the request line and headers together (431 beyond).
    pub max_header_bytes: usize,
    /// How long a request head may take to arrive, counted from when the server waits for it
    /// (so also the idle time of a keep-alive connection); the connection is closed after it.
    pub header_read_timeout: Duration,
    /// How long a body may take to arrive once the server reads it (408 after it).
    pub body_read_timeout: Duration,
    /// How many connections are served at once; further ones wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            stage: "local".to_owned(),
            account_id: "123456789012".to_owned(),
            api_id: "local".to_owned(),
            max_body_bytes: MAX_PAYLOAD_BYTES,
            integration_timeout: INTEGRATION_TIMEOUT,
            max_header_bytes: MAX_HEADER_BYTES,
            header_read_timeout: HEADER_READ_TIMEOUT,
            body_read_timeout: BODY_READ_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        }
    }
}

/// The emulated API: document, authorizer, backend and local pages.
pub struct LocalApi {
    document: ApiDocument,
    router: Router,
    validators: Vec<RouteValidator>,
    authorizer: Option<CognitoAuthorizer>,
    custom_authorizer: Option<Arc<dyn CustomAuthorizer>>,
    backend: Arc<dyn Backend>,
    config: ServerConfig,
    pages: Option<SpecPages>,
    jwks: Option<(String, Value)>,
    dev_auth: Option<Arc<DevAuth>>,
    token_endpoint: bool,
}

impl std::fmt::Debug for LocalApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalApi")
            .field("routes", &self.document.routes.len())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// A response ready for hyper.
pub type HttpResponse = http::Response<Full<Bytes>>;

impl LocalApi {
    /// An API over `document` whose integrations call `backend`. Compiles every body model now,
    /// so a bad document fails at start rather than on a request.
    pub fn new(
        document: ApiDocument,
        backend: Arc<dyn Backend>,
        config: ServerConfig,
    ) -> Result<Self, DocumentError> {
        let router = Router::new(&document.routes);
        let validators = document
            .routes
            .iter()
            .map(|r| RouteValidator::compile(&document, r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            document,
            router,
            validators,
            authorizer: None,
            custom_authorizer: None,
            backend,
            config,
            pages: None,
            jwks: None,
            dev_auth: None,
            token_endpoint: true,
        })
    }

    /// Verifies tokens of Cognito-protected routes with `authorizer`. Without one, such routes
    /// answer 500 `AUTHORIZER_CONFIGURATION_ERROR`.
    pub fn with_authorizer(mut self, authorizer: CognitoAuthorizer) -> Self {
        self.authorizer = Some(authorizer);
        self
    }

    /// Decides the routes behind a custom (Lambda `REQUEST`) authorizer with `hook`; without
    /// one they answer API Gateway's 500 `AUTHORIZER_CONFIGURATION_ERROR`.
    pub fn with_custom_authorizer(mut self, hook: Arc<dyn CustomAuthorizer>) -> Self {
        self.custom_authorizer = Some(hook);
        self
    }

    /// Whether some route is behind a custom authorizer.
    pub fn has_custom_routes(&self) -> bool {
        self.document
            .routes
            .iter()
            .any(|r| matches!(r.auth, crate::document::Auth::Custom { .. }))
    }

    /// Serves `GET /openapi.json` and `GET /docs` from these pages.
    pub fn with_pages(mut self, pages: SpecPages) -> Self {
        self.pages = Some(pages);
        self
    }

    /// Serves `jwks` at `GET /.well-known/jwks.json` and `GET <issuer path>/.well-known/jwks.json`.
    pub fn with_jwks(mut self, issuer: &str, jwks: Value) -> Self {
        let issuer_path = issuer
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
            .unwrap_or_default();
        self.jwks = Some((issuer_path.trim_end_matches('/').to_owned(), jwks));
        self
    }

    /// Dev auth out of the box: trusts `dev`'s tokens (its issuer, client id and key), serves
    /// its JWKS (see [`LocalApi::with_jwks`]) and mints tokens at
    /// `GET /local/token?sub=alice&groups=admin,ops&email=alice@example.com`
    /// (answer: `{"idToken": "...", "expiresIn": 3600}`; every parameter optional), for
    /// callers that address the loopback interface by name only (see
    /// [`LocalApi::with_token_endpoint`] to turn it off).
    pub fn with_dev_auth(self, dev: Arc<DevAuth>) -> Result<Self, DevAuthError> {
        let authorizer = CognitoAuthorizer::new(dev.authorizer_config()?);
        let jwks = dev.jwks_json().clone();
        let issuer = dev.issuer().to_owned();
        let mut api = self.with_authorizer(authorizer).with_jwks(&issuer, jwks);
        api.dev_auth = Some(dev);
        Ok(api)
    }

    /// Whether `GET /local/token` mints dev tokens (on by default with dev auth). A local
    /// server over data it shares with others (a DynamoDB endpoint) turns it off: whoever
    /// reaches the port could otherwise act as any user, admins included.
    pub fn with_token_endpoint(mut self, on: bool) -> Self {
        self.token_endpoint = on;
        self
    }

    /// The loaded document.
    pub fn document(&self) -> &ApiDocument {
        &self.document
    }

    /// Handles one request from `remote` and logs it. Exposed so tests can drive the pipeline
    /// without sockets.
    pub async fn handle<B>(&self, request: http::Request<B>, remote: SocketAddr) -> HttpResponse
    where
        B: hyper::body::Body<Data = Bytes> + Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let started = Instant::now();
        let (parts, body) = request.into_parts();
        let mut state = pipeline::RequestState::new(remote);
        let mut response = match self.pipeline(&parts, body, &mut state).await {
            Ok(response) => response,
            Err(rejection) => self.reject(rejection, &state, &(&parts).into()),
        };
        state.stamp(response.headers_mut());
        tracing::info!(
            method = %parts.method,
            path = %parts.uri.path(),
            status = response.status().as_u16(),
            latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            request_id = %state.request_id,
            operation_id = state.operation_id.as_deref().unwrap_or("-"),
            "request"
        );
        response
    }
}

/// `body` with its `Content-Type`.
fn with_type(body: String, content_type: &'static str) -> HttpResponse {
    let mut response = http::Response::new(Full::new(Bytes::from(body)));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    response
}
