//! What only the local server answers, and only for `GET` when no API route matches (so a
//! service's own `/docs` wins): `/openapi.json` and `/docs` (see [`crate::docs`]), the dev
//! JWKS at `/.well-known/jwks.json` and `<issuer path>/.well-known/jwks.json` (where OIDC tools
//! look), and dev tokens at `/local/token` (see [`LocalApi::with_dev_auth`]).

use http::{Method, StatusCode};

use super::pipeline::parse_query;
use super::{plain, with_type, HttpResponse, LocalApi};
use crate::devauth::{DevAuth, DevUser};

impl LocalApi {
    pub(super) fn local_route(
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
        match &self.dev_auth {
            Some(dev) if path == "/local/token" => Some(mint_dev_token(dev, query)),
            _ => None,
        }
    }
}

/// `GET /local/token?sub=alice&groups=admin,ops&email=...&username=...`: an ID token for
/// that user (the last non-empty value of each parameter counts).
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
