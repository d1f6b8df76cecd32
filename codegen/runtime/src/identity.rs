//! The caller, as API Gateway's Cognito user pool authorizer passes it: the
//! token's claims, all strings, under `requestContext.authorizer.claims`
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html>).

use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde_json::Value;

/// Who is calling. Only constructed from authorizer claims, never from headers
/// the client controls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The Cognito `sub`: the stable user id.
    pub sub: String,
    /// `cognito:groups`.
    pub groups: Vec<String>,
    pub username: Option<String>,
    pub email: Option<String>,
}

impl Caller {
    /// Reads the claims of a REST API proxy request; `None` without a `sub`.
    pub fn from_request(request: &Request) -> Option<Self> {
        let RequestContext::ApiGatewayV1(ctx) = request.request_context_ref()? else {
            return None;
        };
        let claims = ctx.authorizer.fields.get("claims")?.as_object()?;
        let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
        let sub = text("sub").filter(|s| !s.is_empty())?;
        let groups = match claims.get("cognito:groups") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => parse_groups(s),
            _ => Vec::new(),
        };
        Some(Self {
            sub,
            groups,
            username: text("cognito:username"),
            email: text("email"),
        })
    }

    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }
}

/// REST APIs pass `cognito:groups` as one string: `admin,users`, or in some
/// integrations `[admin users]`; accept both.
fn parse_groups(s: &str) -> Vec<String> {
    s.trim_matches(['[', ']'])
        .split([',', ' '])
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_in_either_string_form() {
        assert_eq!(parse_groups("admin,users"), ["admin", "users"]);
        assert_eq!(parse_groups("[admin users]"), ["admin", "users"]);
        assert!(parse_groups("").is_empty());
    }
}
