//! The caller, as API Gateway's Cognito user pool authorizer passes it: the
//! token's claims, all strings, under `requestContext.authorizer.claims`
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html>).
//!
//! Groups: a REST API flattens the token's `cognito:groups` array into one
//! string (`admin,ops`), and a Cognito group name may itself contain a comma
//! (group names are `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`,
//! <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html>),
//! so membership of a group named `ops,admin` would read as `admin`. The
//! groups are therefore read from the token the authorizer verified — the one
//! `Authorization` header, whose payload must name the same `sub`, issuer,
//! audience and token ids as the claims, and whose groups must flatten to the
//! claim exactly — and only without such a token from the flattened claim,
//! where a comma makes the claim ambiguous and grants no group at all.
//!
//! The token read is the one the authorizer verified: a REST API passes a
//! repeated header's last value in `headers` (which `lambda_http` makes the
//! request's only value) and maps `method.request.header.Authorization`, the
//! authorizer's identity source, from the same last value; the local emulator
//! refuses a request with more than one `Authorization` header outright.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use serde_json::{Map, Value};

/// Who is calling. Only constructed from authorizer claims (and the token they
/// were verified from), never from headers the client alone controls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The Cognito `sub`: the stable user id.
    pub sub: String,
    /// `cognito:groups`.
    pub groups: Vec<String>,
    pub username: Option<String>,
    /// The token's `email` claim, verified or not (see [`Caller::verified_email`]).
    pub email: Option<String>,
    /// Whether Cognito verified `email` (the `email_verified` claim).
    pub email_verified: bool,
}

/// The claims whose values must be the same in the claims API Gateway passes
/// and in the token the groups are read from (when the claims carry them).
const BINDING_CLAIMS: [&str; 6] = ["iss", "aud", "token_use", "jti", "origin_jti", "event_id"];

impl Caller {
    /// Reads the claims of a REST API proxy request; `None` without a `sub`.
    /// Behind a Lambda `REQUEST` authorizer (no claims) the caller is the
    /// authorizer's `principalId`, with no groups and no email
    /// (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html>).
    pub fn from_request(request: &Request) -> Option<Self> {
        let RequestContext::ApiGatewayV1(ctx) = request.request_context_ref()? else {
            return None;
        };
        let Some(claims) = ctx
            .authorizer
            .fields
            .get("claims")
            .and_then(Value::as_object)
        else {
            let principal = ctx.authorizer.fields.get("principalId")?.as_str()?;
            return (!principal.is_empty()).then(|| Self {
                sub: principal.to_owned(),
                groups: Vec::new(),
                username: None,
                email: None,
                email_verified: false,
            });
        };
        let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
        let sub = text("sub").filter(|s| !s.is_empty())?;
        let groups = match claims.get("cognito:groups") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(flat)) => {
                groups_from_token(claims, flat, request).unwrap_or_else(|| parse_flattened(flat))
            }
            Some(_) => Vec::new(),
        };
        let email_verified = match claims.get("email_verified") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true",
            _ => false,
        };
        Some(Self {
            sub,
            groups,
            username: text("cognito:username"),
            email: text("email"),
            email_verified,
        })
    }

    pub fn in_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }

    /// The email Cognito verified for this caller, if the token carries one.
    pub fn verified_email(&self) -> Option<&str> {
        self.email
            .as_deref()
            .filter(|e| self.email_verified && !e.is_empty())
    }
}

/// The groups of the token in the one `Authorization` header, if it is the
/// token the claims were taken from (see the module docs).
fn groups_from_token(
    claims: &Map<String, Value>,
    flat: &str,
    request: &Request,
) -> Option<Vec<String>> {
    let mut values = request
        .headers()
        .get_all(http::header::AUTHORIZATION)
        .iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    let value = value.to_str().ok()?.trim();
    let token = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => value,
    };
    let mut parts = token.split('.');
    let (Some(_), Some(payload), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let payload = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let payload: Map<String, Value> = serde_json::from_slice(&payload).ok()?;
    let same = |name: &str| match (claims.get(name), payload.get(name)) {
        (None, _) => true,
        (Some(Value::String(c)), Some(Value::String(p))) => c == p,
        _ => false,
    };
    if !same("sub") || claims.get("sub").is_none() || !BINDING_CLAIMS.iter().all(|n| same(n)) {
        return None;
    }
    let groups: Vec<String> = payload
        .get("cognito:groups")?
        .as_array()?
        .iter()
        .map(|g| g.as_str().map(str::to_owned))
        .collect::<Option<_>>()?;
    let flattened = [groups.join(","), format!("[{}]", groups.join(" "))];
    flattened.iter().any(|f| f == flat).then_some(groups)
}

/// The flattened claim without a token to read it from: `[admin ops]` (group
/// names hold no whitespace, so this form is unambiguous) or one name. A comma
/// may separate groups or belong to one name: such a claim grants no group.
fn parse_flattened(flat: &str) -> Vec<String> {
    let flat = flat.trim();
    if let Some(inner) = flat.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return inner.split_whitespace().map(str::to_owned).collect();
    }
    if flat.is_empty() {
        return Vec::new();
    }
    if flat.contains(',') {
        tracing::warn!(
            groups = ?flat,
            "cognito:groups is ambiguous without the token (a group name may hold a comma); no group granted"
        );
        return Vec::new();
    }
    vec![flat.to_owned()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn token(payload: &Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"k"}"#);
        let body = URL_SAFE_NO_PAD.encode(payload.to_string());
        format!("{header}.{body}.c2lnbmF0dXJl")
    }

    /// A proxy request whose claims are `claims` (stringified as API Gateway does)
    /// with these `Authorization` header values.
    fn request(claims: &Value, authorization: &[String]) -> Request {
        let headers: Map<String, Value> = authorization
            .last()
            .map(|a| {
                [("Authorization".to_owned(), json!(a))]
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default();
        let event = json!({
            "resource": "/accounts", "path": "/accounts", "httpMethod": "GET",
            "headers": headers,
            "multiValueHeaders": {"Authorization": authorization},
            "queryStringParameters": null, "multiValueQueryStringParameters": null,
            "pathParameters": null, "stageVariables": null, "body": null, "isBase64Encoded": false,
            "requestContext": {
                "resourcePath": "/accounts", "httpMethod": "GET", "stage": "local",
                "requestId": "r", "accountId": "1", "apiId": "a", "identity": {},
                "authorizer": {"claims": claims}
            }
        });
        lambda_http::request::from_str(&event.to_string()).unwrap()
    }

    fn payload(groups: &[&str]) -> Value {
        json!({"sub": "s-1", "iss": "https://cognito-idp/p", "aud": "client", "token_use": "id",
               "jti": "j-1", "cognito:groups": groups, "email": "a@example.com", "email_verified": true})
    }

    fn claims_of(payload: &Value) -> Value {
        let mut claims = payload.clone();
        let groups: Vec<&str> = payload["cognito:groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap())
            .collect();
        claims["cognito:groups"] = json!(groups.join(","));
        claims["email_verified"] = json!("true");
        claims
    }

    #[test]
    fn behind_a_request_authorizer_the_caller_is_its_principal() {
        let mut event = json!({
                "resource": "/notes", "path": "/notes", "httpMethod": "GET",
                "headers": {}, "multiValueHeaders": {},
                "queryStringParameters": null, "multiValueQueryStringParameters": null,
                "pathParameters": null, "stageVariables": null, "body": null, "isBase64Encoded": false,
                "requestContext": {
                    "resourcePath": "/notes", "httpMethod": "GET", "stage": "local",
                    "requestId": "r", "accountId": "1", "apiId": "a", "identity": {},
                    "authorizer": {"principalId": "partner-7", "scheme": "partnerKey"}
                }
        });
        let request = lambda_http::request::from_str(&event.to_string()).unwrap();
        let caller = Caller::from_request(&request).unwrap();
        assert_eq!(caller.sub, "partner-7");
        assert!(caller.groups.is_empty() && caller.verified_email().is_none());
        event["requestContext"]["authorizer"] = json!({"principalId": ""});
        let request = lambda_http::request::from_str(&event.to_string()).unwrap();
        assert_eq!(Caller::from_request(&request), None);
    }

    #[test]
    fn a_group_with_a_comma_in_its_name_grants_nothing_else() {
        let p = payload(&["ops,admin"]);
        let caller = Caller::from_request(&request(&claims_of(&p), &[token(&p)])).unwrap();
        assert_eq!(caller.groups, ["ops,admin"]);
        assert!(!caller.in_group("admin"));
        // Two real groups read the same on the wire, and are two groups.
        let p = payload(&["ops", "admin"]);
        let caller = Caller::from_request(&request(&claims_of(&p), &[token(&p)])).unwrap();
        assert_eq!(caller.groups, ["ops", "admin"]);
        assert!(caller.in_group("admin"));
        assert_eq!(caller.verified_email(), Some("a@example.com"));
    }

    #[test]
    fn groups_come_only_from_the_token_the_claims_were_taken_from() {
        let real = payload(&["ops,admin"]);
        let claims = claims_of(&real);
        // A second token next to the verified one, another token's payload, a
        // payload whose groups do not flatten to the claim: the claim alone
        // decides, and its comma grants nothing.
        let mut other = payload(&["ops", "admin"]);
        other["jti"] = json!("j-2");
        let mut regrouped = real.clone();
        regrouped["cognito:groups"] = json!(["admin"]);
        for (name, headers) in [
            ("another token", vec![token(&other)]),
            ("other groups", vec![token(&regrouped)]),
            ("no token", vec![]),
            ("not a JWT", vec!["Bearer nope".to_owned()]),
        ] {
            let caller = Caller::from_request(&request(&claims, &headers)).unwrap();
            assert!(caller.groups.is_empty(), "{name}: {:?}", caller.groups);
        }
        // `Bearer ` in front of the verified token is fine.
        let caller =
            Caller::from_request(&request(&claims, &[format!("Bearer {}", token(&real))])).unwrap();
        assert_eq!(caller.groups, ["ops,admin"]);
    }

    #[test]
    fn the_flattened_claim_alone_is_read_only_where_unambiguous() {
        assert_eq!(parse_flattened("admin"), ["admin"]);
        assert_eq!(parse_flattened("[admin users]"), ["admin", "users"]);
        assert!(parse_flattened("").is_empty());
        assert!(parse_flattened("ops,admin").is_empty());
    }

    #[test]
    fn an_unverified_email_is_not_a_verified_email() {
        let mut p = payload(&[]);
        p["email_verified"] = json!(false);
        let mut claims = claims_of(&p);
        claims["email_verified"] = json!("false");
        let caller = Caller::from_request(&request(&claims, &[token(&p)])).unwrap();
        assert_eq!(caller.email.as_deref(), Some("a@example.com"));
        assert_eq!(caller.verified_email(), None);
        assert!(caller.groups.is_empty());
    }
}
