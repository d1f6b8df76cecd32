//! API Gateway's request pipeline, in its order: payload limit (as declared), resource and
//! method, authorizer, body, request validator, integration. Each step either passes the
//! request on or refuses it with a [`Rejection`], which becomes the document's gateway
//! response in one place ([`LocalApi::reject`]).
//!
//! The body is read only once the route and the caller are known: a declared
//! `Content-Length` over the limit is refused at once (API Gateway's 413), but no byte of a
//! body is read for an unknown route or an unauthorized caller, and a body that arrives too
//! slowly is cut off (408).

use std::net::SocketAddr;

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use hyper::body::Bytes;
use serde_json::{Map, Value};

use super::{transport, HttpResponse, LocalApi};
use crate::authorizer::{AuthError, Claims};
use crate::custom_authorizer::{AuthorizerRequest, Decision, IdentitySource};
use crate::document::{Auth, Route};
use crate::event;
use crate::gateway_response::{self, ErrorContext, ResponseType};
use crate::router::RouteMatch;
use crate::validator::{RequestParts, ValidationFailure};

/// Why a request got no answer from the integration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// One of API Gateway's own answers (a gateway response type), with its message and, for
    /// a body that fails its model, the validator's detail
    /// (`$context.error.validationErrorString`).
    Gateway {
        /// The gateway response type.
        kind: ResponseType,
        /// `$context.error.message`.
        message: String,
        /// `$context.error.validationErrorString`.
        validation_error: Option<String>,
    },
    /// A request the emulator itself refuses without an API Gateway response type of its own
    /// (an unreadable or too slow body, a local page refusing the caller): rendered with the
    /// document's `DEFAULT_4XX` or `DEFAULT_5XX`, so it has the same shape as every other
    /// error, and this status.
    Local {
        /// The status.
        status: StatusCode,
        /// The message.
        message: &'static str,
    },
}

impl Rejection {
    /// The gateway response `kind` with its standard message.
    pub fn gateway(kind: ResponseType) -> Self {
        Self::Gateway {
            kind,
            message: kind.message().to_owned(),
            validation_error: None,
        }
    }
}

impl From<ValidationFailure> for Rejection {
    fn from(failure: ValidationFailure) -> Self {
        let message = failure.message();
        let (kind, validation_error) = match failure {
            ValidationFailure::MissingParameters(_) => (ResponseType::BadRequestParameters, None),
            ValidationFailure::InvalidBody(detail) => (ResponseType::BadRequestBody, Some(detail)),
        };
        Self::Gateway {
            kind,
            message,
            validation_error,
        }
    }
}

/// What a rejection's answer may refer to of the request (its method, path and headers);
/// for a request hyper could not even parse, what little is known.
pub(super) struct RequestLine<'a> {
    pub(super) method: &'a str,
    pub(super) path: &'a str,
    pub(super) headers: &'a HeaderMap,
}

impl<'a> From<&'a http::request::Parts> for RequestLine<'a> {
    fn from(parts: &'a http::request::Parts) -> Self {
        Self {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            headers: &parts.headers,
        }
    }
}

/// Per-request ids and facts shared by the pipeline steps.
pub(super) struct RequestState {
    pub(super) request_id: String,
    pub(super) extended_request_id: String,
    pub(super) trace_id: String,
    pub(super) time: chrono::DateTime<chrono::Utc>,
    pub(super) remote: SocketAddr,
    /// The matched resource's template, once routing found one.
    pub(super) resource_path: String,
    /// The matched operation, once routing found one (for the log line).
    pub(super) operation_id: Option<String>,
}

/// What a route's authorizer passes on to the integration (`requestContext.authorizer`).
pub(super) enum Authorized {
    /// No authorizer.
    Open,
    /// A Cognito authorizer's claims.
    Claims(Claims),
    /// A custom authorizer's `principalId` and context.
    Custom(Map<String, Value>),
}

impl RequestState {
    pub(super) fn new(remote: SocketAddr) -> Self {
        let time = chrono::Utc::now();
        Self {
            request_id: uuid::Uuid::new_v4().to_string(),
            extended_request_id: event::new_extended_request_id(),
            trace_id: event::new_trace_id(time),
            time,
            remote,
            resource_path: String::new(),
            operation_id: None,
        }
    }

    /// The headers API Gateway adds to every answer.
    pub(super) fn stamp(&self, headers: &mut HeaderMap) {
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

impl LocalApi {
    pub(super) async fn pipeline<B>(
        &self,
        parts: &http::request::Parts,
        body: B,
        state: &mut RequestState,
    ) -> Result<HttpResponse, Rejection>
    where
        B: hyper::body::Body<Data = Bytes> + Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        // 1. A Host no function could be called with, and the payload limit, as far as the
        //    request declares its size.
        transport::check_host(&parts.headers, parts.uri.path())?;
        transport::check_declared_length(&parts.headers, self.config.max_body_bytes)?;
        // 2. Resource and method.
        let (route, path_params) = match self.router.find(parts.method.as_str(), parts.uri.path()) {
            RouteMatch::Found { route, path_params } => (route, path_params),
            RouteMatch::NotFound => {
                return self.local_route(parts).unwrap_or(Err(Rejection::gateway(
                    ResponseType::MissingAuthenticationToken,
                )));
            }
        };
        let (Some(route), Some(validator)) =
            (self.document.routes.get(route), self.validators.get(route))
        else {
            return Err(Rejection::Local {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: "route table mismatch",
            });
        };
        state.resource_path.clone_from(&route.path);
        state.operation_id = Some(route.operation_id.clone());
        // 3. Authorizer.
        let authorized = self.authorize(route, parts).await?;
        // 4. The body, within the payload limit and the body timeout.
        let body = transport::read_body(
            body,
            self.config.max_body_bytes,
            self.config.body_read_timeout,
        )
        .await?;
        // 5. Request validator.
        let query = parse_query(parts.uri.query());
        validator.validate(
            route,
            RequestParts {
                path_params: &path_params,
                query: &query,
                headers: &parts.headers,
                body: &body,
            },
        )?;
        // 6. Lambda proxy integration.
        self.integrate(
            route,
            parts,
            &path_params,
            &query,
            &body,
            &authorized,
            state,
        )
        .await
    }

    /// The route's authorizer: what it passes on to the integration.
    async fn authorize(
        &self,
        route: &Route,
        parts: &http::request::Parts,
    ) -> Result<Authorized, Rejection> {
        match &route.auth {
            Auth::None => Ok(Authorized::Open),
            Auth::Cognito { header, scopes, .. } => self
                .authorize_cognito(route, &parts.headers, header, scopes)
                .await
                .map(Authorized::Claims),
            Auth::Custom {
                scheme,
                identity_sources,
            } => self
                .authorize_custom(route, parts, scheme, identity_sources)
                .map(Authorized::Custom),
        }
    }

    /// The Cognito authorizer: the claims of a good token.
    async fn authorize_cognito(
        &self,
        route: &Route,
        headers: &HeaderMap,
        header: &str,
        scopes: &[String],
    ) -> Result<Claims, Rejection> {
        let Some(authorizer) = &self.authorizer else {
            tracing::error!(operation_id = %route.operation_id, "the route needs a Cognito authorizer but none is configured");
            return Err(Rejection::gateway(
                ResponseType::AuthorizerConfigurationError,
            ));
        };
        // More than one token header: which one a Lambda would read and which one was
        // verified could differ, so none is trusted.
        let mut values = headers.get_all(header).iter();
        let value = match (values.next(), values.next()) {
            (value, None) => value.and_then(|v| v.to_str().ok()),
            (_, Some(_)) => {
                tracing::info!(header = %header, "unauthorized: more than one token header");
                return Err(Rejection::gateway(ResponseType::Unauthorized));
            }
        };
        match authorizer.authorize_for(value, scopes).await {
            Ok(claims) => Ok(claims),
            Err(AuthError::Jwks { url, reason }) => {
                tracing::error!(%url, %reason, "cannot fetch the JWKS");
                Err(Rejection::gateway(
                    ResponseType::AuthorizerConfigurationError,
                ))
            }
            Err(e) => {
                tracing::info!(reason = %e, "unauthorized");
                Err(Rejection::gateway(ResponseType::Unauthorized))
            }
        }
    }

    /// A custom (`REQUEST`) authorizer, as API Gateway runs one with result caching on: a
    /// missing identity source is 401 without asking; then the hook decides (401, 403, or the
    /// principal and context the integration gets).
    fn authorize_custom(
        &self,
        route: &Route,
        parts: &http::request::Parts,
        scheme: &str,
        sources: &[IdentitySource],
    ) -> Result<Map<String, Value>, Rejection> {
        let Some(hook) = &self.custom_authorizer else {
            tracing::error!(operation_id = %route.operation_id, "the route needs a custom authorizer but none is configured");
            return Err(Rejection::gateway(
                ResponseType::AuthorizerConfigurationError,
            ));
        };
        let query = parse_query(parts.uri.query());
        let mut identity = Vec::with_capacity(sources.len());
        for source in sources {
            let value = match source {
                IdentitySource::Header(name) => parts
                    .headers
                    .get(name.as_str())
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                IdentitySource::Query(name) => query
                    .iter()
                    .rev()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone()),
            };
            match value.filter(|v| !v.trim().is_empty()) {
                Some(value) => identity.push((source.clone(), value)),
                None => return Err(Rejection::gateway(ResponseType::Unauthorized)),
            }
        }
        let request = AuthorizerRequest {
            scheme: scheme.to_owned(),
            method_arn: format!(
                "arn:aws:execute-api:local:{}:{}/{}/{}{}",
                self.config.account_id,
                self.config.api_id,
                self.config.stage,
                route.method,
                parts.uri.path()
            ),
            identity,
        };
        match hook.authorize(&request) {
            Decision::Allow {
                principal_id,
                context,
            } => {
                let mut output = context;
                output.insert("principalId".to_owned(), Value::String(principal_id));
                Ok(output)
            }
            Decision::Deny => Err(Rejection::gateway(ResponseType::AccessDenied)),
            Decision::Unauthorized => Err(Rejection::gateway(ResponseType::Unauthorized)),
        }
    }

    /// The answer to a rejected request: the document's gateway response (with API Gateway's
    /// `$context` for its template), or the emulator's own message.
    pub(super) fn reject(
        &self,
        rejection: Rejection,
        state: &RequestState,
        request: &RequestLine<'_>,
    ) -> HttpResponse {
        let (kind, message, validation_error, status) = match rejection {
            Rejection::Gateway {
                kind,
                message,
                validation_error,
            } => (kind, message, validation_error, None),
            Rejection::Local { status, message } => {
                let kind = if status.is_server_error() {
                    ResponseType::Default5xx
                } else {
                    ResponseType::Default4xx
                };
                (kind, message.to_owned(), None, Some(status))
            }
        };
        let ctx = ErrorContext {
            message,
            validation_error,
            request_id: state.request_id.clone(),
            extended_request_id: state.extended_request_id.clone(),
            http_method: request.method.to_owned(),
            path: format!("/{}{}", self.config.stage, request.path),
            resource_path: state.resource_path.clone(),
            stage: self.config.stage.clone(),
            domain_name: request
                .headers
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
            request.headers,
        );
        let mut response =
            http::Response::new(http_body_util::Full::new(Bytes::from(rendered.body)));
        *response.status_mut() = status.unwrap_or(rendered.status);
        *response.headers_mut() = rendered.headers;
        response
    }
}

/// The query string as API Gateway reads it for `queryStringParameters`: split on `&` and `=`,
/// `+` a space and `%XX` decoded (`application/x-www-form-urlencoded`), every value kept in
/// order.
pub fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}
