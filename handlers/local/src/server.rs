//! The HTTP front: an HTTP/1 server (hyper 1) that plays API Gateway's request pipeline in its
//! order — payload limit, resource and method, authorizer, request validator, Lambda proxy
//! integration — and answers every failure with the document's gateway responses.
//!
//! Limits emulated ([quotas](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html)):
//! a 10 MB payload (413 `Request Too Long`) and a 29 s integration timeout (504
//! `Endpoint request timed out`). A backend that fails or panics gets API Gateway's answer to a
//! failed Lambda: 502 `Internal server error`; the server itself never goes down for it.
//!
//! Besides the API, three local-only conveniences are served when no API route matches:
//! `GET /openapi.json`, `GET /docs` and the dev JWKS at `GET /.well-known/jwks.json` (also under
//! `<issuer path>/.well-known/jwks.json`, where OIDC tools look).

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::authorizer::{AuthError, CognitoAuthorizer};
use crate::devauth::{DevAuth, DevAuthError, DevUser};
use crate::docs::SpecPages;
use crate::document::{ApiDocument, Auth, DocumentError, Route};
use crate::event::{self, EventInput, InvocationContext};
use crate::gateway_response::{self, ErrorContext, ResponseType};
use crate::router::{percent_decode, RouteMatch, Router};
use crate::validator::{RequestParts, RouteValidator};

/// The functions behind the API: one call per request that passed the gateway, with the
/// request a `lambda_http` handler would get in AWS.
pub trait Backend: Send + Sync + 'static {
    /// Runs the Lambda handler of `operation_id`.
    fn invoke(
        &self,
        operation_id: &str,
        request: lambda_http::Request,
    ) -> Pin<Box<dyn Future<Output = lambda_http::Response<lambda_http::Body>> + Send + '_>>;
}

/// API Gateway's maximum payload size (10 MB).
pub const MAX_PAYLOAD_BYTES: usize = 10 * 1024 * 1024;

/// API Gateway's default (and, for REST APIs, maximum regional) integration timeout.
pub const INTEGRATION_TIMEOUT: Duration = Duration::from_secs(29);

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
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            stage: "local".to_owned(),
            account_id: "123456789012".to_owned(),
            api_id: "local".to_owned(),
            max_body_bytes: MAX_PAYLOAD_BYTES,
            integration_timeout: INTEGRATION_TIMEOUT,
        }
    }
}

/// The emulated API: document, authorizer, backend and local pages.
pub struct LocalApi {
    document: ApiDocument,
    router: Router,
    validators: Vec<RouteValidator>,
    authorizer: Option<CognitoAuthorizer>,
    backend: Arc<dyn Backend>,
    config: ServerConfig,
    pages: Option<SpecPages>,
    jwks: Option<(String, Value)>,
    dev_auth: Option<Arc<DevAuth>>,
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
            backend,
            config,
            pages: None,
            jwks: None,
            dev_auth: None,
        })
    }

    /// Verifies tokens of Cognito-protected routes with `authorizer`. Without one, such routes
    /// answer 500 `AUTHORIZER_CONFIGURATION_ERROR`.
    pub fn with_authorizer(mut self, authorizer: CognitoAuthorizer) -> Self {
        self.authorizer = Some(authorizer);
        self
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
    /// (answer: `{"idToken": "...", "expiresIn": 3600}`; every parameter optional).
    pub fn with_dev_auth(self, dev: Arc<DevAuth>) -> Result<Self, DevAuthError> {
        let authorizer = CognitoAuthorizer::new(dev.authorizer_config()?);
        let jwks = dev.jwks_json().clone();
        let issuer = dev.issuer().to_owned();
        let mut api = self.with_authorizer(authorizer).with_jwks(&issuer, jwks);
        api.dev_auth = Some(dev);
        Ok(api)
    }

    /// The loaded document.
    pub fn document(&self) -> &ApiDocument {
        &self.document
    }

    /// Accepts connections on `listener` until `shutdown` completes, then lets requests in
    /// flight finish (for up to 10 s). Accept errors are logged and the loop goes on.
    pub async fn serve(
        self: Arc<Self>,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (stream, remote) = match accepted {
                        Ok(pair) => pair,
                        Err(e) => {
                            tracing::warn!(error = %e, "accept failed");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    let api = Arc::clone(&self);
                    let service = hyper::service::service_fn(move |req| {
                        let api = Arc::clone(&api);
                        async move { Ok::<_, Infallible>(api.handle(req, remote).await) }
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    let conn = graceful.watch(conn);
                    tokio::spawn(async move {
                        if let Err(e) = conn.await {
                            tracing::debug!(error = %e, "connection closed with an error");
                        }
                    });
                }
                () = &mut shutdown => break,
            }
        }
        drop(listener);
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(Duration::from_secs(10)) => {
                tracing::warn!("requests still running after 10 s; stopping anyway");
            }
        }
        Ok(())
    }

    /// Handles one request from `remote` and logs it. Exposed so tests can drive the pipeline
    /// without sockets.
    pub async fn handle<B>(&self, request: http::Request<B>, remote: SocketAddr) -> HttpResponse
    where
        B: hyper::body::Body<Data = Bytes> + Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let started = Instant::now();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let mut state = RequestState::new(&request, remote);
        let (response, operation_id) = self.pipeline(request, &mut state).await;
        let mut response = response;
        state.stamp(response.headers_mut());
        tracing::info!(
            method = %method,
            path = %path,
            status = response.status().as_u16(),
            latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            request_id = %state.request_id,
            operation_id = operation_id.unwrap_or("-"),
            "request"
        );
        response
    }

    async fn pipeline<'s, B>(
        &'s self,
        request: http::Request<B>,
        state: &mut RequestState,
    ) -> (HttpResponse, Option<&'s str>)
    where
        B: hyper::body::Body<Data = Bytes> + Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let (parts, body) = request.into_parts();
        // 1. Payload limit.
        let declared = parts
            .headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > self.config.max_body_bytes) {
            return (
                self.gateway(
                    ResponseType::RequestTooLarge,
                    "Request Too Long",
                    None,
                    state,
                    &parts.headers,
                ),
                None,
            );
        }
        let body = match Limited::new(body, self.config.max_body_bytes)
            .collect()
            .await
        {
            Ok(collected) => collected.to_bytes(),
            Err(e) => {
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some()
                {
                    return (
                        self.gateway(
                            ResponseType::RequestTooLarge,
                            "Request Too Long",
                            None,
                            state,
                            &parts.headers,
                        ),
                        None,
                    );
                }
                tracing::debug!(error = %e, "could not read the request body");
                return (
                    plain(StatusCode::BAD_REQUEST, "could not read the request body"),
                    None,
                );
            }
        };
        // 2. Resource and method.
        let path = parts.uri.path().to_owned();
        let (route_index, path_params) = match self.router.find(parts.method.as_str(), &path) {
            RouteMatch::Found { route, path_params } => (route, path_params),
            RouteMatch::NotFound => {
                if let Some(local) = self.local_route(&parts.method, &path, parts.uri.query()) {
                    return (local, None);
                }
                return (
                    self.gateway(
                        ResponseType::MissingAuthenticationToken,
                        "Missing Authentication Token",
                        None,
                        state,
                        &parts.headers,
                    ),
                    None,
                );
            }
        };
        let Some(route) = self.document.routes.get(route_index) else {
            return (
                plain(StatusCode::INTERNAL_SERVER_ERROR, "route table mismatch"),
                None,
            );
        };
        state.resource_path = route.path.clone();
        let operation_id = Some(route.operation_id.as_str());
        // 3. Authorizer.
        let claims = match &route.auth {
            Auth::None => None,
            Auth::Cognito { header, .. } => {
                let Some(authorizer) = &self.authorizer else {
                    tracing::error!(operation_id = %route.operation_id, "the route needs a Cognito authorizer but none is configured");
                    return (
                        self.gateway(
                            ResponseType::AuthorizerConfigurationError,
                            "Authorizer configuration error",
                            None,
                            state,
                            &parts.headers,
                        ),
                        operation_id,
                    );
                };
                let value = parts
                    .headers
                    .get(header.as_str())
                    .and_then(|v| v.to_str().ok());
                match authorizer.authorize(value).await {
                    Ok(claims) => Some(claims),
                    Err(AuthError::Jwks { url, reason }) => {
                        tracing::error!(%url, %reason, "cannot fetch the JWKS");
                        return (
                            self.gateway(
                                ResponseType::AuthorizerConfigurationError,
                                "Authorizer configuration error",
                                None,
                                state,
                                &parts.headers,
                            ),
                            operation_id,
                        );
                    }
                    Err(e) => {
                        tracing::info!(reason = %e, "unauthorized");
                        return (
                            self.gateway(
                                ResponseType::Unauthorized,
                                "Unauthorized",
                                None,
                                state,
                                &parts.headers,
                            ),
                            operation_id,
                        );
                    }
                }
            }
        };
        // 4. Request validator.
        let query = parse_query(parts.uri.query());
        let validation = self.validators.get(route_index).map(|v| {
            v.validate(
                route,
                RequestParts {
                    path_params: &path_params,
                    query: &query,
                    headers: &parts.headers,
                    body: &body,
                },
            )
        });
        if let Some(Err(failure)) = validation {
            let (kind, detail) = match &failure {
                crate::validator::ValidationFailure::MissingParameters(_) => {
                    (ResponseType::BadRequestParameters, None)
                }
                crate::validator::ValidationFailure::InvalidBody(d) => {
                    (ResponseType::BadRequestBody, Some(d.clone()))
                }
            };
            return (
                self.gateway(kind, &failure.message(), detail, state, &parts.headers),
                operation_id,
            );
        }
        // 5. Lambda proxy integration.
        let response = self
            .integrate(
                route,
                &parts,
                &path_params,
                &query,
                &body,
                claims.as_ref(),
                state,
            )
            .await;
        (response, operation_id)
    }

    #[allow(clippy::too_many_arguments)]
    async fn integrate(
        &self,
        route: &Route,
        parts: &http::request::Parts,
        path_params: &[(String, String)],
        query: &[(String, String)],
        body: &[u8],
        claims: Option<&crate::authorizer::Claims>,
        state: &RequestState,
    ) -> HttpResponse {
        let mut headers = parts.headers.clone();
        add_forwarding_headers(&mut headers, state);
        let domain_name = parts
            .headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("127.0.0.1")
            .to_owned();
        let source_ip = state.remote.ip().to_string();
        let event = event::build_event(&EventInput {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            resource: &route.path,
            path_params,
            query,
            headers: &headers,
            body,
            claims,
            source_ip: &source_ip,
            request_id: &state.request_id,
            extended_request_id: &state.extended_request_id,
            stage: &self.config.stage,
            account_id: &self.config.account_id,
            api_id: &self.config.api_id,
            domain_name: &domain_name,
            time: state.time,
        });
        // The integration's own timeout, capped by the configured one (tests shorten it).
        let timeout = route.timeout.map_or(self.config.integration_timeout, |t| {
            t.min(self.config.integration_timeout)
        });
        let invocation = InvocationContext {
            aws_request_id: uuid::Uuid::new_v4().to_string(),
            function_arn: route.function_arn.clone().unwrap_or_default(),
            deadline_ms: u64::try_from(
                (state.time + chrono::Duration::from_std(timeout).unwrap_or_default())
                    .timestamp_millis(),
            )
            .unwrap_or_default(),
            trace_id: state.trace_id.clone(),
        };
        let lambda_request = match event::to_lambda_request(&event, &invocation) {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "lambda_http refused the event");
                return self.lambda_failure(state, &parts.headers);
            }
        };
        let backend = Arc::clone(&self.backend);
        let operation_id = route.operation_id.clone();
        let task = tokio::spawn(async move { backend.invoke(&operation_id, lambda_request).await });
        let abort = task.abort_handle();
        let outcome = tokio::time::timeout(timeout, task).await;
        let response = match outcome {
            Ok(Ok(response)) => response,
            Ok(Err(join_error)) => {
                tracing::error!(operation_id = %route.operation_id, error = %join_error, "the function failed");
                return self.lambda_failure(state, &parts.headers);
            }
            Err(_) => {
                abort.abort();
                tracing::error!(operation_id = %route.operation_id, "the function timed out");
                return self.gateway(
                    ResponseType::IntegrationTimeout,
                    "Endpoint request timed out",
                    None,
                    state,
                    &parts.headers,
                );
            }
        };
        let proxy = event::from_lambda_response(response);
        let mut builder = http::Response::builder().status(proxy.status);
        if let Some(h) = builder.headers_mut() {
            for (name, value) in &proxy.headers {
                match remap_response_header(name) {
                    HeaderFate::Keep => {
                        h.append(name, value.clone());
                    }
                    HeaderFate::Remap(remapped) => {
                        h.append(remapped, value.clone());
                    }
                    HeaderFate::Drop => {}
                }
            }
            if !h.contains_key(http::header::CONTENT_TYPE) {
                h.insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
            }
        }
        match builder.body(Full::new(Bytes::from(proxy.body))) {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "malformed Lambda proxy response");
                self.lambda_failure(state, &parts.headers)
            }
        }
    }

    fn lambda_failure(&self, state: &RequestState, headers: &HeaderMap) -> HttpResponse {
        self.gateway(
            ResponseType::LambdaFailure,
            "Internal server error",
            None,
            state,
            headers,
        )
    }

    fn gateway(
        &self,
        kind: ResponseType,
        message: &str,
        validation_error: Option<String>,
        state: &RequestState,
        request_headers: &HeaderMap,
    ) -> HttpResponse {
        let ctx = ErrorContext {
            message: message.to_owned(),
            validation_error,
            request_id: state.request_id.clone(),
            extended_request_id: state.extended_request_id.clone(),
            http_method: state.method.clone(),
            path: format!("/{}{}", self.config.stage, state.path),
            resource_path: state.resource_path.clone(),
            stage: self.config.stage.clone(),
            domain_name: request_headers
                .get(http::header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            api_id: self.config.api_id.clone(),
            account_id: self.config.account_id.clone(),
        };
        let rendered = gateway_response::render(
            &self.document.gateway_responses,
            kind,
            &ctx,
            request_headers,
        );
        let mut response = http::Response::new(Full::new(Bytes::from(rendered.body)));
        *response.status_mut() = rendered.status;
        *response.headers_mut() = rendered.headers;
        response
    }

    fn local_route(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
    ) -> Option<HttpResponse> {
        if method != Method::GET {
            return None;
        }
        let path = path.trim_end_matches('/');
        if let Some(pages) = &self.pages {
            if path == "/openapi.json" {
                return Some(with_type(pages.json.clone(), "application/json"));
            }
            if path == "/docs" {
                return Some(with_type(pages.html.clone(), "text/html; charset=utf-8"));
            }
        }
        if let Some((issuer_path, jwks)) = &self.jwks {
            let under_issuer = format!("{issuer_path}/.well-known/jwks.json");
            if path == "/.well-known/jwks.json" || path == under_issuer {
                return Some(with_type(jwks.to_string(), "application/json"));
            }
        }
        if let Some(dev) = &self.dev_auth {
            if path == "/local/token" {
                return Some(mint_dev_token(dev, query));
            }
        }
        None
    }
}

enum HeaderFate {
    Keep,
    Remap(HeaderName),
    Drop,
}

/// API Gateway owns some response headers: `Content-Length` is recomputed, and a function's
/// `Connection`, `Date`, `Server`, `Transfer-Encoding` ... reach the client renamed to
/// `x-amzn-Remapped-<name>`
/// ([important notes](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis)).
/// Locally this also keeps a handler from breaking HTTP/1 framing.
fn remap_response_header(name: &HeaderName) -> HeaderFate {
    const REMAPPED: [&str; 9] = [
        "authorization",
        "connection",
        "date",
        "server",
        "transfer-encoding",
        "upgrade",
        "te",
        "trailer",
        "www-authenticate",
    ];
    if name == http::header::CONTENT_LENGTH {
        return HeaderFate::Drop;
    }
    if REMAPPED.contains(&name.as_str()) {
        return match HeaderName::from_bytes(format!("x-amzn-remapped-{}", name.as_str()).as_bytes())
        {
            Ok(remapped) => HeaderFate::Remap(remapped),
            Err(_) => HeaderFate::Drop,
        };
    }
    HeaderFate::Keep
}

/// Per-request ids and facts shared by the pipeline steps.
struct RequestState {
    request_id: String,
    extended_request_id: String,
    trace_id: String,
    time: chrono::DateTime<chrono::Utc>,
    remote: SocketAddr,
    method: String,
    path: String,
    resource_path: String,
}

impl RequestState {
    fn new<B>(request: &http::Request<B>, remote: SocketAddr) -> Self {
        let time = chrono::Utc::now();
        Self {
            request_id: uuid::Uuid::new_v4().to_string(),
            extended_request_id: event::new_extended_request_id(),
            trace_id: event::new_trace_id(time),
            time,
            remote,
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            resource_path: String::new(),
        }
    }

    /// The headers API Gateway adds to every answer.
    fn stamp(&self, headers: &mut HeaderMap) {
        let pairs = [
            ("x-amzn-requestid", &self.request_id),
            ("x-amz-apigw-id", &self.extended_request_id),
            ("x-amzn-trace-id", &self.trace_id),
        ];
        for (name, value) in pairs {
            if let Ok(v) = HeaderValue::from_str(value) {
                headers.insert(HeaderName::from_static(name), v);
            }
        }
    }
}

/// `X-Forwarded-*` and `X-Amzn-Trace-Id`, which API Gateway adds to the request headers.
fn add_forwarding_headers(headers: &mut HeaderMap, state: &RequestState) {
    let ip = state.remote.ip().to_string();
    let forwarded_for = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}, {ip}"),
        None => ip,
    };
    // The port the client connected to, as the Host header names it (80 when it names none).
    let port = headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| h.rsplit_once(':'))
        .map(|(_, p)| p.to_owned())
        .unwrap_or_else(|| "80".to_owned());
    let pairs = [
        ("x-forwarded-for", forwarded_for),
        ("x-forwarded-port", port),
        ("x-forwarded-proto", "http".to_owned()),
        ("x-amzn-trace-id", state.trace_id.clone()),
    ];
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    }
}

/// Splits and percent-decodes a query string, keeping every value in order.
pub fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        })
        .collect()
}

/// `GET /local/token`: an ID token for the user the query names.
fn mint_dev_token(dev: &DevAuth, query: Option<&str>) -> HttpResponse {
    let params = parse_query(query);
    let get = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let mut user = DevUser::new(get("sub").unwrap_or_else(|| "local-user".to_owned()));
    if let Some(email) = get("email") {
        user.email = email;
    }
    if let Some(username) = get("username") {
        user.username = username;
    }
    if let Some(groups) = get("groups") {
        user.groups = groups
            .split(',')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect();
    }
    match dev.mint_id_token(&user) {
        Ok(token) => with_type(
            serde_json::json!({
                "idToken": token,
                "tokenType": "id",
                "expiresIn": user.ttl.as_secs(),
                "sub": user.sub,
                "groups": user.groups,
            })
            .to_string(),
            "application/json",
        ),
        Err(e) => {
            tracing::error!(error = %e, "cannot mint a dev token");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "cannot mint a dev token")
        }
    }
}

/// Why the server could not listen.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    /// Another process holds the port.
    #[error("port {port} is already in use; pass --port")]
    InUse {
        /// The port.
        port: u16,
    },
    /// Any other failure (permissions, bad address).
    #[error("cannot listen on {addr}: {source}")]
    Other {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Binds the listener, turning "address in use" into the message a developer can act on.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, BindError> {
    TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            BindError::InUse { port: addr.port() }
        } else {
            BindError::Other { addr, source }
        }
    })
}

fn with_type(body: String, content_type: &'static str) -> HttpResponse {
    let mut response = http::Response::new(Full::new(Bytes::from(body)));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    response
}

fn plain(status: StatusCode, message: &str) -> HttpResponse {
    let mut response = with_type(
        serde_json::json!({ "message": message }).to_string(),
        "application/json",
    );
    *response.status_mut() = status;
    response
}
