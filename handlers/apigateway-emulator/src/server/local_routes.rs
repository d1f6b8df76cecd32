//! What only the local server answers, and only for `GET` when no API route matches (so a
//! service's own `/docs` wins): `/openapi.json` and `/docs` (see [`crate::docs`]), the dev
//! JWKS at `/.well-known/jwks.json` and `<issuer path>/.well-known/jwks.json` (where OIDC tools
//! look), and dev tokens at `/local/token` (see [`LocalApi::with_dev_auth`]).
//!
//! `/local/token` mints tokens of any user, admins included, so it answers only a caller that
//! talks to the loopback address by name: the `Host` header must be `127.0.0.1`, `[::1]` or
//! `localhost` (with any port), and a browser's `Origin`, when sent, must be one of those too.
//! That refuses a page that rebinds its own DNS name to 127.0.0.1
//! ([DNS rebinding](https://en.wikipedia.org/wiki/DNS_rebinding)) or calls across sites; a
//! refusal is 403 in the document's error shape.

use http::{HeaderMap, Method, StatusCode};

use super::pipeline::{parse_query, Rejection};
use super::{with_type, HttpResponse, LocalApi};
use crate::devauth::{DevAuth, DevUser};

impl LocalApi {
    /// The local page for this request, if there is one: its answer or why it refuses.
    pub(super) fn local_route(
        &self,
        request: &http::request::Parts,
    ) -> Option<Result<HttpResponse, Rejection>> {
        if request.method != Method::GET {
            return None;
        }
        let path = request.uri.path().trim_end_matches('/');
        if let Some(pages) = &self.pages {
            if path == "/openapi.json" {
                return Some(Ok(with_type(pages.json.clone(), "application/json")));
            }
            if path == "/docs" {
                return Some(Ok(with_type(
                    pages.html.clone(),
                    "text/html; charset=utf-8",
                )));
            }
        }
        if let Some((issuer_path, jwks)) = &self.jwks {
            let under_issuer = format!("{issuer_path}/.well-known/jwks.json");
            if path == "/.well-known/jwks.json" || path == under_issuer {
                return Some(Ok(with_type(jwks.to_string(), "application/json")));
            }
        }
        match &self.dev_auth {
            Some(dev) if self.token_endpoint && path == "/local/token" => {
                if !from_loopback(&request.headers) {
                    tracing::warn!(
                        host = ?request.headers.get(http::header::HOST),
                        origin = ?request.headers.get(http::header::ORIGIN),
                        "refused /local/token: not addressed to the loopback interface by name"
                    );
                    return Some(Err(Rejection::Local {
                        status: StatusCode::FORBIDDEN,
                        message: "Dev tokens are minted only for requests to 127.0.0.1, [::1] or localhost.",
                    }));
                }
                Some(mint_dev_token(dev, request.uri.query()))
            }
            _ => None,
        }
    }
}

/// Whether the one `Host` names the loopback interface and every `Origin` does too.
fn from_loopback(headers: &HeaderMap) -> bool {
    let mut hosts = headers.get_all(http::header::HOST).iter();
    let host_ok = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().is_ok_and(is_loopback_authority),
        // None, or several (RFC 9110 §7.2: a request with more than one is invalid).
        _ => false,
    };
    let origins_ok = headers.get_all(http::header::ORIGIN).iter().all(|origin| {
        origin
            .to_str()
            .ok()
            .and_then(|o| {
                o.strip_prefix("http://")
                    .or_else(|| o.strip_prefix("https://"))
            })
            .is_some_and(is_loopback_authority)
    });
    host_ok && origins_ok
}

/// `127.0.0.1`, `localhost` or `[::1]`, each with an optional port, and nothing else.
fn is_loopback_authority(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((host, port)) if port.is_empty() || is_port(port) => return host == "::1",
            _ => return false,
        },
        None => match authority.split_once(':') {
            Some((host, port)) if is_port(port) => host,
            Some(_) => return false,
            None => authority,
        },
    };
    host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost")
}

/// `:<1 to 5 digits>`.
fn is_port(text: &str) -> bool {
    let digits = text.strip_prefix(':').unwrap_or(text);
    !digits.is_empty() && digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `GET /local/token?sub=alice&groups=admin,ops&email=...&username=...`: an ID token for
/// that user (the last non-empty value of each parameter counts); with `scope=a b`, an
/// access token with those OAuth scopes instead (for methods with authorization scopes).
fn mint_dev_token(dev: &DevAuth, query: Option<&str>) -> Result<HttpResponse, Rejection> {
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
    let scopes: Vec<String> = get("scope")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let (minted, kind, field) = if scopes.is_empty() {
        (dev.mint_id_token(&user), "id", "idToken")
    } else {
        (
            dev.mint_access_token(&user, &scopes),
            "access",
            "accessToken",
        )
    };
    match minted {
        Ok(token) => Ok(with_type(
            serde_json::json!({
                field: token,
                "tokenType": kind,
                "expiresIn": user.ttl.as_secs(),
                "sub": user.sub,
                "groups": user.groups,
            })
            .to_string(),
            "application/json",
        )),
        Err(e) => {
            tracing::error!(error = %e, "cannot mint a dev token");
            Err(Rejection::Local {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: "Cannot mint a dev token.",
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_count() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:3000",
            "localhost",
            "LOCALHOST:8080",
            "[::1]",
            "[::1]:3000",
        ] {
            assert!(is_loopback_authority(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "127.0.0.1.evil.example",
            "127.0.0.2:3000",
            "localhost.evil.example",
            "127.0.0.1:3000:1",
            "127.0.0.1:",
            "[::1]evil",
            "[::2]:3000",
            "",
        ] {
            assert!(!is_loopback_authority(bad), "{bad}");
        }
    }

    #[test]
    fn a_cross_site_origin_is_refused_even_to_localhost() {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::HOST, "127.0.0.1:3000".parse().unwrap());
        assert!(from_loopback(&headers));
        headers.insert(
            http::header::ORIGIN,
            "https://evil.example".parse().unwrap(),
        );
        assert!(!from_loopback(&headers));
        headers.insert(
            http::header::ORIGIN,
            "http://localhost:3000".parse().unwrap(),
        );
        assert!(from_loopback(&headers));
        headers.append(http::header::HOST, "evil.example".parse().unwrap());
        assert!(!from_loopback(&headers), "two Hosts, no token");
        headers.remove(http::header::HOST);
        assert!(!from_loopback(&headers), "no Host, no token");
    }
}
