//! Lambda `REQUEST` authorizers of an API Gateway REST API
//! ([docs](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html)),
//! for the security schemes Cognito cannot check (an API key in another header, the query or a
//! cookie; HTTP basic): codegen writes them as `x-amazon-apigateway-authtype: custom` with the
//! credential as the identity source, and the deployed service names the function.
//!
//! Locally the decision is a [`CustomAuthorizer`] the `<service>-local` binary provides (the
//! hook); what surrounds it is API Gateway's:
//! - with result caching on (codegen sets a TTL), a request that lacks any identity source is
//!   401 without asking the authorizer;
//! - [`Decision::Unauthorized`] is 401, [`Decision::Deny`] is 403 (`ACCESS_DENIED`);
//! - [`Decision::Allow`] passes `principalId` and the `context` map on as
//!   `requestContext.authorizer` (values as strings, numbers or booleans, as API Gateway
//!   allows: [output](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html)).
//!
//! [`DevKeys`] is the default hook: it accepts the credentials given to the local server
//! (`--api-key`, or one it generates and prints), so a developer can call such operations.

use serde_json::{Map, Value};

/// Where API Gateway reads one identity source
/// (`method.request.header.X`, `method.request.querystring.x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentitySource {
    /// A request header (case-insensitive).
    Header(String),
    /// A query string parameter.
    Query(String),
}

impl IdentitySource {
    /// Parses an `identitySource` list (comma-separated); unknown entries (stage variables,
    /// `$context`) are skipped: nothing local supplies them.
    pub fn parse_list(text: &str) -> Vec<Self> {
        text.split(',')
            .map(str::trim)
            .filter_map(|s| {
                if let Some(name) = s.strip_prefix("method.request.header.") {
                    Some(Self::Header(name.to_owned()))
                } else {
                    s.strip_prefix("method.request.querystring.")
                        .map(|name| Self::Query(name.to_owned()))
                }
            })
            .filter(|s| !matches!(s, Self::Header(n) | Self::Query(n) if n.is_empty()))
            .collect()
    }
}

/// What the hook is asked: the scheme, the method ARN and the identity values in
/// `identitySource` order.
#[derive(Debug, Clone)]
pub struct AuthorizerRequest {
    /// The security scheme's name in the document.
    pub scheme: String,
    /// `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`.
    pub method_arn: String,
    /// Each identity source with its value.
    pub identity: Vec<(IdentitySource, String)>,
}

/// The hook's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// An `Allow` policy for the method.
    Allow {
        /// The caller (`requestContext.authorizer.principalId`).
        principal_id: String,
        /// The `context` map (string, number and boolean values).
        context: Map<String, Value>,
    },
    /// A `Deny` policy: 403.
    Deny,
    /// The authorizer's `Unauthorized` error: 401.
    Unauthorized,
}

/// The local stand-in for a service's authorizer function.
pub trait CustomAuthorizer: Send + Sync {
    /// Decides one request.
    fn authorize(&self, request: &AuthorizerRequest) -> Decision;
}

/// Accepts requests whose identity values include one of the configured credentials, the
/// whole value or the part after an auth scheme word (`Basic <key>`, `ApiKey <key>`).
#[derive(Debug, Clone)]
pub struct DevKeys {
    keys: Vec<String>,
}

impl DevKeys {
    /// Accepts exactly these credentials (empty ones are ignored).
    pub fn new(keys: impl IntoIterator<Item = String>) -> Self {
        Self {
            keys: keys.into_iter().filter(|k| !k.is_empty()).collect(),
        }
    }

    /// The configured credentials.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The index of the credential `value` carries. A `Cookie` header (a cookie scheme's
    /// identity source: the document does not keep the cookie's name) is matched cookie by
    /// cookie.
    fn matches(&self, source: &IdentitySource, value: &str) -> Option<usize> {
        let is_cookie =
            matches!(source, IdentitySource::Header(n) if n.eq_ignore_ascii_case("cookie"));
        let candidates: Vec<&str> = if is_cookie {
            value
                .split(';')
                .filter_map(|pair| pair.trim().split_once('=').map(|(_, v)| v))
                .collect()
        } else {
            let bare = value
                .split_once(' ')
                .map(|(_, rest)| rest.trim())
                .unwrap_or(value);
            vec![value, bare]
        };
        self.keys
            .iter()
            .position(|k| candidates.iter().any(|c| c == k))
    }
}

impl CustomAuthorizer for DevKeys {
    fn authorize(&self, request: &AuthorizerRequest) -> Decision {
        let found = request
            .identity
            .iter()
            .find_map(|(source, value)| self.matches(source, value));
        match found {
            Some(index) => {
                let mut context = Map::new();
                context.insert("scheme".into(), Value::String(request.scheme.clone()));
                Decision::Allow {
                    principal_id: format!("dev-key-{}", index + 1),
                    context,
                }
            }
            None => Decision::Deny,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_sources_are_read_from_the_document_list() {
        assert_eq!(
            IdentitySource::parse_list(
                "method.request.header.X-Partner-Key, method.request.querystring.key, stageVariables.s"
            ),
            vec![
                IdentitySource::Header("X-Partner-Key".into()),
                IdentitySource::Query("key".into()),
            ]
        );
    }

    #[test]
    fn dev_keys_allow_a_known_credential_and_deny_others() {
        let keys = DevKeys::new(["k1".to_owned(), String::new(), "k2".to_owned()]);
        let ask = |value: &str| AuthorizerRequest {
            scheme: "partnerKey".into(),
            method_arn: "arn:aws:execute-api:us-east-1:123456789012:local/api/GET/notes".into(),
            identity: vec![(IdentitySource::Header("X-Key".into()), value.to_owned())],
        };
        assert!(
            matches!(keys.authorize(&ask("k2")), Decision::Allow { principal_id, .. } if principal_id == "dev-key-2")
        );
        assert!(matches!(
            keys.authorize(&ask("Basic k1")),
            Decision::Allow { .. }
        ));
        assert_eq!(keys.authorize(&ask("k3")), Decision::Deny);
        assert_eq!(keys.authorize(&ask("")), Decision::Deny);
    }

    #[test]
    fn a_cookie_credential_is_found_among_the_cookies() {
        let keys = DevKeys::new(["k1".to_owned()]);
        let ask = AuthorizerRequest {
            scheme: "session".into(),
            method_arn: String::new(),
            identity: vec![(
                IdentitySource::Header("Cookie".into()),
                "a=1; session=k1".into(),
            )],
        };
        assert!(matches!(keys.authorize(&ask), Decision::Allow { .. }));
    }
}
