//! API Gateway's basic request validation
//! ([docs](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html)),
//! and nothing more:
//!
//! - with `validateRequestParameters`, every required path, query and header parameter must be
//!   present and not blank; API Gateway checks only existence, never type, pattern, enum or
//!   format. Failure: 400 `Missing required request parameters: [a, b]`;
//! - with `validateRequestBody`, the body is checked against the draft-4 model of the request's
//!   media type. If no model matches the media type, the body is not validated (as documented);
//!   a missing `Content-Type` counts as `application/json` (API Gateway's default), and a
//!   Content-Type with parameters (`; charset=utf-8`) falls back to its bare media type, then to
//!   a `$default` model. `format` is an annotation here as in API Gateway's validator.
//!   Failure: 400 `Invalid request body`.

use std::sync::Arc;

use http::HeaderMap;
use serde_json::{json, Value};

use crate::document::{ApiDocument, DocumentError, ParamLocation, Route};

/// A route's compiled validation rules.
#[derive(Clone)]
pub struct RouteValidator {
    /// `(media type, compiled model)` in document order.
    models: Vec<(String, Arc<jsonschema::Validator>)>,
}

impl std::fmt::Debug for RouteValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteValidator")
            .field(
                "models",
                &self.models.iter().map(|(ct, _)| ct).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Why a request was refused before the integration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationFailure {
    /// Names of the missing or blank parameters, in document order.
    MissingParameters(Vec<String>),
    /// The body does not match its model; the detail is what API Gateway logs
    /// (`$context.error.validationErrorString`).
    InvalidBody(String),
}

impl ValidationFailure {
    /// The message API Gateway sends.
    pub fn message(&self) -> String {
        match self {
            Self::MissingParameters(names) => {
                format!(
                    "Missing required request parameters: [{}]",
                    names.join(", ")
                )
            }
            Self::InvalidBody(_) => "Invalid request body".to_owned(),
        }
    }
}

/// The parts of a request the validator looks at.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// Path parameters from the router.
    pub path_params: &'a [(String, String)],
    /// Decoded query parameters (all values).
    pub query: &'a [(String, String)],
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// The raw body.
    pub body: &'a [u8],
}

impl RouteValidator {
    /// Compiles the body models of `route` against the document's `components.schemas`.
    pub fn compile(document: &ApiDocument, route: &Route) -> Result<Self, DocumentError> {
        let schemas = document.schemas();
        let mut models = Vec::new();
        for model in &route.body_models {
            // The model may be a `$ref` into `#/components/schemas`: the root carries the
            // components so that such references (also nested ones) resolve.
            let root = json!({
                "$schema": "http://json-schema.org/draft-04/schema#",
                "allOf": [model.schema],
                "components": {"schemas": schemas},
            });
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .should_validate_formats(false)
                .build(&root)
                .map_err(|e| DocumentError::Model {
                    operation_id: route.operation_id.clone(),
                    content_type: model.content_type.clone(),
                    reason: e.to_string(),
                })?;
            models.push((model.content_type.to_ascii_lowercase(), Arc::new(validator)));
        }
        Ok(Self { models })
    }

    /// Applies the route's validator to a request.
    pub fn validate(
        &self,
        route: &Route,
        request: RequestParts<'_>,
    ) -> Result<(), ValidationFailure> {
        if route.validator.parameters {
            let missing: Vec<String> = route
                .required_params
                .iter()
                .filter(|p| !present(p.location, &p.name, &request))
                .map(|p| p.name.clone())
                .collect();
            if !missing.is_empty() {
                return Err(ValidationFailure::MissingParameters(missing));
            }
        }
        if route.validator.body {
            let content_type = request
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/json");
            if let Some(model) = self.model_for(content_type) {
                let instance: Value = if request.body.iter().all(u8::is_ascii_whitespace) {
                    // An empty body is validated as an empty object.
                    json!({})
                } else {
                    serde_json::from_slice(request.body).map_err(|e| {
                        ValidationFailure::InvalidBody(format!("[Invalid JSON: {e}]"))
                    })?
                };
                let errors: Vec<String> = model
                    .iter_errors(&instance)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                if !errors.is_empty() {
                    return Err(ValidationFailure::InvalidBody(format!(
                        "[{}]",
                        errors.join(", ")
                    )));
                }
            }
        }
        Ok(())
    }

    fn model_for(&self, content_type: &str) -> Option<&jsonschema::Validator> {
        let full = content_type.trim().to_ascii_lowercase();
        let bare = full.split(';').next().unwrap_or_default().trim().to_owned();
        let find = |ct: &str| {
            self.models
                .iter()
                .find(|(m, _)| m == ct)
                .map(|(_, v)| v.as_ref())
        };
        find(&full)
            .or_else(|| find(&bare))
            .or_else(|| find("$default"))
    }
}

fn present(location: ParamLocation, name: &str, request: &RequestParts<'_>) -> bool {
    let not_blank = |v: &str| !v.trim().is_empty();
    match location {
        ParamLocation::Path => request
            .path_params
            .iter()
            .any(|(k, v)| k == name && not_blank(v)),
        ParamLocation::Query => request.query.iter().any(|(k, v)| k == name && not_blank(v)),
        ParamLocation::Header => request
            .headers
            .get_all(name)
            .iter()
            .any(|v| v.to_str().map(not_blank).unwrap_or(true)),
    }
}
