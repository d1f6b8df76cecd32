//! Parameters of an operation (path-level ones merged in, as
//! [`openapi_document::parameters`] does): matched by location and name
//! (header names case-insensitively, path parameters by their position in
//! the template), then compared: presence, `required`, location,
//! serialization, and their schema on the request side.
//!
//! The generated client takes parameters as positional arguments
//! (progenitor's `InterfaceStyle::Positional`), optional ones as `Option`:
//! so a new optional parameter, or one that becomes optional, changes every
//! call even though the wire accepts the old requests.

use crate::context::{follow, Ctx, Located};
use crate::finding::{Severity, Side};
use crate::paths::Op;
use crate::rules::Rule;
use crate::schemas::{self, Place};
use serde_json::Value;

/// One parameter in effect.
struct Param<'a> {
    /// The Parameter Object, `$ref` followed.
    at: Located<'a>,
    name: &'a str,
    location: &'a str,
    /// What matches it across documents.
    key: String,
}

impl<'a> Param<'a> {
    fn required(&self) -> bool {
        self.location == "path" || self.at.bool_member("required")
    }

    /// `style`, `explode`, `allowReserved` with their defaults
    /// (<https://spec.openapis.org/oas/v3.0.3#style-values>), or the
    /// `content` media type.
    fn serialization(&self) -> String {
        if let Some(content) = self.at.value.get("content").and_then(Value::as_object) {
            let types: Vec<&String> = content.keys().collect();
            return format!("content {types:?}");
        }
        let style = self.at.str_member("style").unwrap_or(match self.location {
            "query" | "cookie" => "form",
            _ => "simple",
        });
        let explode = self
            .at
            .value
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        let reserved = self.at.bool_member("allowReserved");
        format!("style `{style}`, explode {explode}, allowReserved {reserved}")
    }

    /// The schema: `schema`, or the one of its single `content` entry.
    fn schema(&self) -> Option<Located<'a>> {
        self.at.member("schema").or_else(|| {
            self.at
                .entries("content")
                .into_iter()
                .next()
                .and_then(|(_, media)| media.member("schema"))
        })
    }

    fn describe(&self) -> String {
        format!("{} parameter `{}`", self.location, self.name)
    }
}

/// The parameters of `op` in `root`.
fn list<'a>(root: &'a Value, op: &Op<'a>) -> Vec<Param<'a>> {
    let path_names: Vec<&str> = op
        .inner
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect();
    openapi_document::parameters(root, &op.inner)
        .into_iter()
        .map(|p| {
            let written = root.pointer(&p.pointer).unwrap_or(p.value);
            let (at, _) = follow(root, Located::new(written, p.pointer.clone()));
            let (name, location) = (p.name(), p.location());
            let key = match (location, path_names.iter().position(|n| *n == name)) {
                ("path", Some(i)) => format!("path#{i}"),
                ("header", _) => format!("header:{}", name.to_ascii_lowercase()),
                _ => format!("{location}:{name}"),
            };
            Param {
                at,
                name,
                location,
                key,
            }
        })
        .collect()
}

pub(crate) fn compare<'a>(ctx: &mut Ctx<'a>, old_op: &Op<'a>, new_op: &Op<'a>) {
    let old = list(ctx.old, old_op);
    let new = list(ctx.new, new_op);
    let mut new_free = vec![true; new.len()];
    let mut old_left = Vec::new();
    for o in &old {
        match new.iter().position(|n| n.key == o.key) {
            Some(j) if new_free[j] => {
                new_free[j] = false;
                both(ctx, o, &new[j]);
            }
            _ => old_left.push(o),
        }
    }
    for o in old_left {
        let moved =
            (0..new.len()).find(|&j| new_free[j] && new[j].name.eq_ignore_ascii_case(o.name));
        match moved {
            Some(j) => {
                new_free[j] = false;
                let n = &new[j];
                ctx.emit(
                    Rule::ParameterMoved,
                    Severity::WireBreaking,
                    &o.at.at,
                    &n.at.at,
                    None,
                    format!(
                        "parameter `{}` moved from {} to {}: callers send it where the server no longer reads it",
                        o.name, o.location, n.location
                    ),
                );
                compare_schemas(ctx, o, n);
            }
            None => {
                ctx.emit(
                    Rule::ParameterRemoved,
                    Severity::RustApiBreaking,
                    &o.at.at,
                    &new_op.at.at,
                    None,
                    format!(
                        "{} removed: the server ignores it when sent; the client method loses the argument",
                        o.describe()
                    ),
                );
            }
        }
    }
    for (j, n) in new.iter().enumerate() {
        if !new_free[j] {
            continue;
        }
        if n.required() {
            ctx.emit(
                Rule::ParameterAddedRequired,
                Severity::WireBreaking,
                &old_op.at.at,
                &n.at.at,
                None,
                format!(
                    "new required {}: requests without it are refused",
                    n.describe()
                ),
            );
        } else {
            ctx.emit(
                Rule::ParameterAddedOptional,
                Severity::RustApiBreaking,
                &old_op.at.at,
                &n.at.at,
                None,
                format!(
                    "new optional {}: old requests stay valid, but the client method gains an argument",
                    n.describe()
                ),
            );
        }
    }
}

fn both<'a>(ctx: &mut Ctx<'a>, o: &Param<'a>, n: &Param<'a>) {
    if o.name != n.name && o.location == "path" {
        ctx.emit(
            Rule::PathParameterRenamed,
            Severity::Compatible,
            &o.at.at,
            &n.at.at,
            None,
            format!(
                "path parameter `{}` renamed `{}`: the URL is the same, and positional client arguments keep their place",
                o.name, n.name
            ),
        );
    }
    match (o.required(), n.required()) {
        (false, true) => {
            ctx.emit(
                Rule::ParameterBecameRequired,
                Severity::WireBreaking,
                &o.at.at,
                &n.at.at,
                None,
                format!(
                    "{} is now required: requests without it are refused",
                    n.describe()
                ),
            );
        }
        (true, false) => {
            ctx.emit(
                Rule::ParameterBecameOptional,
                Severity::RustApiBreaking,
                &o.at.at,
                &n.at.at,
                None,
                format!(
                    "{} is now optional: old requests stay valid, but the client argument becomes an `Option`",
                    n.describe()
                ),
            );
        }
        _ => {}
    }
    let (a, b) = (o.serialization(), n.serialization());
    if a != b {
        ctx.emit(
            Rule::ParameterStyleChanged,
            Severity::WireBreaking,
            &o.at.at,
            &n.at.at,
            None,
            format!(
                "{} is serialized differently ({a} → {b}): the server misreads old requests",
                n.describe()
            ),
        );
    }
    if !o.at.bool_member("deprecated") && n.at.bool_member("deprecated") {
        ctx.emit(
            Rule::ParameterDeprecated,
            Severity::Informational,
            &o.at.at,
            &n.at.child_at("deprecated"),
            None,
            format!("{} is deprecated: plan to stop sending it", n.describe()),
        );
    }
    compare_schemas(ctx, o, n);
}

fn compare_schemas<'a>(ctx: &mut Ctx<'a>, o: &Param<'a>, n: &Param<'a>) {
    if let (Some(a), Some(b)) = (o.schema(), n.schema()) {
        schemas::compare(ctx, a, b, Side::Request, Place::Parameter);
    }
}
