//! Matches a request's method and path to a route the way API Gateway REST APIs select a
//! [resource and method](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html).
//!
//! Rules emulated:
//! - path parameters are whole segments (`/accounts/{accountId}`), never parts of one, and never
//!   empty;
//! - at each level a literal segment beats a `{param}` segment (`/accounts/me` wins over
//!   `/accounts/{accountId}` for `GET /accounts/me`); if the literal branch leads nowhere the
//!   parameter branch is tried;
//! - the resource is chosen first and the method second: a resource that exists but lacks the
//!   method (and has no `ANY`) is *not* retried on another resource, and the caller gets
//!   API Gateway's 403 `Missing Authentication Token`, as for an unknown path;
//! - one trailing slash is ignored (`/health/` is `/health`), as REST APIs do.

use crate::document::Route;

/// A path segment of a resource template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

#[derive(Debug, Clone)]
struct Resource {
    segments: Vec<Segment>,
    /// Indexes into the route table, one per method.
    methods: Vec<(String, usize)>,
}

/// The outcome of matching a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteMatch {
    /// A route: its index in [`crate::document::ApiDocument::routes`] and the path parameters
    /// (percent-decoded, in template order).
    Found {
        /// Index of the route.
        route: usize,
        /// `name → value` pairs.
        path_params: Vec<(String, String)>,
    },
    /// No resource matches the path, or the resource has no such method: API Gateway's
    /// `MISSING_AUTHENTICATION_TOKEN` (403).
    NotFound,
}

/// The resource tree of one document.
#[derive(Debug, Clone, Default)]
pub struct Router {
    resources: Vec<Resource>,
}

impl Router {
    /// Builds the router from a route table (e.g. [`crate::document::ApiDocument::routes`]).
    pub fn new(routes: &[Route]) -> Self {
        let mut resources: Vec<Resource> = Vec::new();
        for (index, route) in routes.iter().enumerate() {
            let segments = parse_template(&route.path);
            match resources.iter_mut().find(|r| r.segments == segments) {
                Some(r) => r.methods.push((route.method.clone(), index)),
                None => resources.push(Resource {
                    segments,
                    methods: vec![(route.method.clone(), index)],
                }),
            }
        }
        Self { resources }
    }

    /// Finds the route for `method` and the raw (still percent-encoded) request `path`.
    pub fn find(&self, method: &str, path: &str) -> RouteMatch {
        let Some(segments) = split_path(path) else {
            return RouteMatch::NotFound;
        };
        let Some(resource) = self.best_resource(&segments) else {
            return RouteMatch::NotFound;
        };
        let route = resource
            .methods
            .iter()
            // Methods are case-sensitive (RFC 9110): `get` is not `GET`.
            .find(|(m, _)| m == method)
            .or_else(|| resource.methods.iter().find(|(m, _)| m == "ANY"));
        let Some((_, route)) = route else {
            return RouteMatch::NotFound;
        };
        let path_params = resource
            .segments
            .iter()
            .zip(&segments)
            .filter_map(|(template, actual)| match template {
                Segment::Param(name) => Some((name.clone(), decode_segment(actual))),
                Segment::Literal(_) => None,
            })
            .collect();
        RouteMatch::Found {
            route: *route,
            path_params,
        }
    }

    /// Among resources whose template matches, the one that is literal at the first segment
    /// where the candidates differ: the same order as walking API Gateway's resource tree
    /// literal-first.
    fn best_resource(&self, segments: &[&str]) -> Option<&Resource> {
        self.resources
            .iter()
            .filter(|r| matches(&r.segments, segments))
            .min_by(|a, b| specificity(&a.segments).cmp(&specificity(&b.segments)))
    }
}

/// A key that orders more specific templates first: `false` (literal) sorts before `true`.
fn specificity(segments: &[Segment]) -> Vec<bool> {
    segments
        .iter()
        .map(|s| matches!(s, Segment::Param(_)))
        .collect()
}

fn matches(template: &[Segment], segments: &[&str]) -> bool {
    template.len() == segments.len()
        && template.iter().zip(segments).all(|(t, s)| match t {
            Segment::Literal(l) => l == s,
            Segment::Param(_) => !s.is_empty(),
        })
}

fn parse_template(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_owned()),
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect()
}

/// Splits a request path into segments; `None` when it does not start with `/`.
/// One trailing slash is dropped; any other empty segment is kept (and so matches nothing).
fn split_path(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix('/')?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some(Vec::new());
    }
    Some(rest.split('/').collect())
}

/// A path segment's value: `%XX` escapes decoded (invalid ones kept as written, invalid UTF-8
/// replaced); a `+` stays a `+`, as in any URI path (RFC 3986).
fn decode_segment(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Auth, ValidatorKind};

    fn route(method: &str, path: &str) -> Route {
        Route {
            method: method.to_owned(),
            path: path.to_owned(),
            operation_id: format!("{method} {path}"),
            auth: Auth::None,
            validator: ValidatorKind::default(),
            required_params: Vec::new(),
            body_models: Vec::new(),
            function_arn: None,
            timeout: None,
        }
    }

    #[test]
    fn literal_beats_param_and_backtracks() {
        let routes = vec![
            route("GET", "/a/{x}/c"),
            route("GET", "/a/b/d"),
            route("GET", "/a/{x}"),
        ];
        let r = Router::new(&routes);
        assert_eq!(
            r.find("GET", "/a/b/c"),
            RouteMatch::Found {
                route: 0,
                path_params: vec![("x".into(), "b".into())]
            }
        );
        assert!(matches!(
            r.find("GET", "/a/b/d"),
            RouteMatch::Found { route: 1, .. }
        ));
        assert_eq!(
            r.find("GET", "/a/hello%20world"),
            RouteMatch::Found {
                route: 2,
                path_params: vec![("x".into(), "hello world".into())]
            }
        );
        assert_eq!(r.find("GET", "/a//c"), RouteMatch::NotFound);
        assert_eq!(r.find("GET", "a/b"), RouteMatch::NotFound);
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(decode_segment("a%2Fb%zz%4+c"), "a/b%zz%4+c");
    }
}
