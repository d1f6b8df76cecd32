//! Security (<https://spec.openapis.org/oas/v3.0.3#security-requirement-object>)
//! as API Gateway REST can enforce it: one authorizer per method.
//!
//! | scheme | API Gateway authorizer |
//! |---|---|
//! | `http` `bearer`, `oauth2`, `openIdConnect`, `apiKey` in the `Authorization` header | the Cognito user pool authorizer; the requirement's scopes become the method's authorization scopes (an access token must carry one) |
//! | `apiKey` in another header, in the query or in a cookie; `http` `basic` and other `http` schemes | a Lambda `REQUEST` authorizer reading that credential (`x-amazon-apigateway-authtype: custom`): the service's authorizer function decides (see `codegen/README.md`) |
//!
//! Of several requirements (OR), the first non-empty one is enforced at the
//! gateway; an empty requirement (`{}`, anonymous allowed) makes the method
//! public at the gateway. Of several schemes in one requirement (AND), the
//! first is the gateway's; the others are lints. The operation's own
//! `security` wins over the document's (API Gateway ignores the document's:
//! codegen writes it into every operation that has none).

use crate::source::Spec;
use openapi_document::str_of;
use serde::Serialize;
use serde_json::Value;

/// Where a credential is read from, for a custom authorizer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credential {
    /// `header`, `query` or `cookie`.
    pub location: String,
    /// The header, query parameter or cookie name.
    pub name: String,
}

impl Credential {
    /// API Gateway's identity source expression for it (a cookie is read
    /// from the `Cookie` header).
    pub fn identity_source(&self) -> String {
        match self.location.as_str() {
            "query" => format!("method.request.querystring.{}", self.name),
            "cookie" => "method.request.header.Cookie".to_owned(),
            _ => format!("method.request.header.{}", self.name),
        }
    }
}

/// What guards an operation at the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Authorizer {
    /// Public.
    None,
    /// The Cognito user pool authorizer, with the scopes an access token
    /// must carry one of (none: an ID token is enough).
    Cognito { scheme: String, scopes: Vec<String> },
    /// A Lambda `REQUEST` authorizer reading `credential`.
    Custom {
        scheme: String,
        credential: Credential,
    },
}

impl Authorizer {
    pub fn is_some(&self) -> bool {
        !matches!(self, Self::None)
    }

    /// The scheme the gateway uses, if any.
    pub fn scheme(&self) -> Option<&str> {
        match self {
            Self::None => None,
            Self::Cognito { scheme, .. } | Self::Custom { scheme, .. } => Some(scheme),
        }
    }
}

/// The security requirements in effect for an operation: its own, else the
/// document's.
pub fn requirements<'a>(spec: &'a Spec, op: &'a serde_json::Map<String, Value>) -> &'a [Value] {
    op.get("security")
        .or_else(|| spec.raw.get("security"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Whether a scheme is one the Cognito user pool authorizer can check.
pub fn is_cognito_scheme(scheme: &Value) -> bool {
    match str_of(scheme, "type") {
        "oauth2" | "openIdConnect" => true,
        "http" => str_of(scheme, "scheme").eq_ignore_ascii_case("bearer"),
        "apiKey" => {
            str_of(scheme, "in") == "header"
                && str_of(scheme, "name").eq_ignore_ascii_case("authorization")
        }
        _ => false,
    }
}

/// The credential a custom authorizer reads for a scheme.
pub fn credential_of(scheme: &Value) -> Credential {
    match str_of(scheme, "type") {
        "apiKey" => Credential {
            location: str_of(scheme, "in").to_owned(),
            name: str_of(scheme, "name").to_owned(),
        },
        _ => Credential {
            location: "header".to_owned(),
            name: "Authorization".to_owned(),
        },
    }
}

/// The authorizer of an operation.
pub fn authorizer(spec: &Spec, op: &serde_json::Map<String, Value>) -> Authorizer {
    let requirements = requirements(spec, op);
    if requirements
        .iter()
        .any(|r| r.as_object().is_some_and(|m| m.is_empty()))
    {
        return Authorizer::None;
    }
    let Some((name, scopes)) = requirements
        .iter()
        .filter_map(Value::as_object)
        .find_map(|r| r.iter().next())
    else {
        return Authorizer::None;
    };
    let scheme = spec
        .raw
        .pointer(&openapi_document::pointer([
            "components",
            "securitySchemes",
            name.as_str(),
        ]))
        .map(|s| spec.deref(s))
        .cloned()
        .unwrap_or(Value::Null);
    if scheme.is_null() || is_cognito_scheme(&scheme) {
        Authorizer::Cognito {
            scheme: name.clone(),
            scopes: scopes
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        }
    } else {
        Authorizer::Custom {
            scheme: name.clone(),
            credential: credential_of(&scheme),
        }
    }
}
