//! Paths and operations: which operations exist on both sides (matched by
//! path template, with parameter names ignored, and method; then by
//! `operationId` for one that moved), and what each pair hands to the other
//! families. Also the document-level rules (`openapi` version, servers) and
//! callbacks and webhooks, which the API calls rather than serves and which
//! are compared as a whole.

use crate::context::{follow, Ctx, Located};
use crate::finding::Severity;
use crate::rules::Rule;
use crate::schemas::fingerprint;
use crate::{parameters, request_bodies, responses, security};
use openapi_document::{Operation, METHODS};
use serde_json::Value;
use std::collections::BTreeMap;

/// One operation with its place in the document.
#[derive(Debug, Clone)]
pub(crate) struct Op<'a> {
    pub inner: Operation<'a>,
    /// The Operation Object.
    pub at: Located<'a>,
}

impl Op<'_> {
    /// How findings name it: its `operationId`, else `METHOD /path`.
    pub fn label(&self) -> String {
        match self.inner.operation_id() {
            Some(id) => id.to_owned(),
            None => format!("{} {}", self.inner.method.to_uppercase(), self.inner.path),
        }
    }

    /// `path` with every `{name}` written `{}`: a renamed path parameter
    /// does not move the operation.
    fn template(&self) -> String {
        template(self.inner.path)
    }
}

fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push('{');
            }
            '}' => {
                in_name = false;
                out.push('}');
            }
            _ if in_name => {}
            c => out.push(c),
        }
    }
    out
}

/// The operations under `member` (`paths` or `webhooks`), in document order.
fn operations<'a>(root: &'a Value, member: &str) -> Vec<Op<'a>> {
    let mut out = Vec::new();
    for (path, item) in Located::new(root, "").entries(member) {
        let (item, _) = follow(root, item);
        let Some(item_map) = item.value.as_object() else {
            continue;
        };
        for (method, value) in item_map {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            if let Some(op) = value.as_object() {
                out.push(Op {
                    inner: Operation {
                        path,
                        method,
                        op,
                        path_item: item_map,
                    },
                    at: Located::new(value, item.child_at(method)),
                });
            }
        }
    }
    out
}

/// Compares everything reached from `paths`, the document-level members,
/// and webhooks.
pub(crate) fn compare(ctx: &mut Ctx<'_>) {
    document(ctx);
    let old_ops = operations(ctx.old, "paths");
    let new_ops = operations(ctx.new, "paths");
    let key = |op: &Op<'_>| (op.template(), op.inner.method.to_owned());
    let mut new_by_key: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (j, op) in new_ops.iter().enumerate() {
        new_by_key.entry(key(op)).or_insert(j);
    }
    let mut new_matched = vec![false; new_ops.len()];
    let mut unmatched_old = Vec::new();
    for (i, op) in old_ops.iter().enumerate() {
        match new_by_key.get(&key(op)) {
            Some(&j) if !new_matched[j] => {
                new_matched[j] = true;
                operation(ctx, op, &new_ops[j]);
            }
            _ => unmatched_old.push(i),
        }
    }
    for i in unmatched_old {
        let old = &old_ops[i];
        let moved = old.inner.operation_id().and_then(|id| {
            (0..new_ops.len())
                .find(|&j| !new_matched[j] && new_ops[j].inner.operation_id() == Some(id))
        });
        match moved {
            Some(j) => {
                new_matched[j] = true;
                let new = &new_ops[j];
                ctx.in_operation(Some(new.label()), |ctx| {
                    ctx.emit(
                        Rule::OperationMoved,
                        Severity::WireBreaking,
                        &old.at.at,
                        &new.at.at,
                        None,
                        format!(
                            "`{}` moved from {} {} to {} {}: callers of the old route get 404 or 405",
                            new.label(),
                            old.inner.method.to_uppercase(),
                            old.inner.path,
                            new.inner.method.to_uppercase(),
                            new.inner.path
                        ),
                    );
                });
                operation(ctx, old, new);
            }
            None => ctx.in_operation(Some(old.label()), |ctx| {
                ctx.emit(
                    Rule::OperationRemoved,
                    Severity::WireBreaking,
                    &old.at.at,
                    &parent(&old.at.at),
                    None,
                    format!(
                        "{} {} (`{}`) was removed: its callers get 404 or 405, and the client loses its method",
                        old.inner.method.to_uppercase(),
                        old.inner.path,
                        old.label()
                    ),
                );
            }),
        }
    }
    for (j, new) in new_ops.iter().enumerate() {
        if !new_matched[j] {
            ctx.in_operation(Some(new.label()), |ctx| {
                ctx.emit(
                    Rule::OperationAdded,
                    Severity::Compatible,
                    &parent(&new.at.at),
                    &new.at.at,
                    None,
                    format!(
                        "new operation {} {} (`{}`)",
                        new.inner.method.to_uppercase(),
                        new.inner.path,
                        new.label()
                    ),
                );
            });
        }
    }
    outbound(
        ctx,
        &operations(ctx.old, "webhooks"),
        &operations(ctx.new, "webhooks"),
    );
}

/// The pointer one segment up (for "where it would be").
fn parent(at: &str) -> String {
    at.rfind('/')
        .map_or_else(String::new, |i| at[..i].to_owned())
}

/// One operation present on both sides.
fn operation<'a>(ctx: &mut Ctx<'a>, old: &Op<'a>, new: &Op<'a>) {
    ctx.in_operation(Some(new.label()), |ctx| {
        let (o, n) = (old.inner.operation_id(), new.inner.operation_id());
        if o != n {
            let show = |id: Option<&str>| id.map_or("none".to_owned(), |id| format!("`{id}`"));
            ctx.emit(
                Rule::OperationIdChanged,
                Severity::RustApiBreaking,
                &old.at.child_at("operationId"),
                &new.at.child_at("operationId"),
                None,
                format!(
                    "`operationId` {} → {}: the wire is unchanged, but the client method and the server trait are renamed",
                    show(o),
                    show(n)
                ),
            );
        }
        let deprecated = |op: &Op<'_>| op.at.bool_member("deprecated");
        match (deprecated(old), deprecated(new)) {
            (false, true) => {
                ctx.emit(
                    Rule::OperationDeprecated,
                    Severity::Informational,
                    &old.at.at,
                    &new.at.child_at("deprecated"),
                    None,
                    format!("`{}` is deprecated: plan to stop calling it", new.label()),
                );
            }
            (true, false) => {
                ctx.emit(
                    Rule::OperationUndeprecated,
                    Severity::Informational,
                    &old.at.child_at("deprecated"),
                    &new.at.at,
                    None,
                    format!("`{}` is no longer deprecated", new.label()),
                );
            }
            _ => {}
        }
        parameters::compare(ctx, old, new);
        request_bodies::compare(ctx, old, new);
        responses::compare(ctx, old, new);
        security::compare_operation(ctx, old, new);
        callbacks(ctx, old, new);
    });
}

/// The callbacks of one operation: `name → expression → method`.
fn callbacks<'a>(ctx: &mut Ctx<'a>, old: &Op<'a>, new: &Op<'a>) {
    let collect = |root: &'a Value, op: &Op<'a>| {
        let mut out = Vec::new();
        for (name, callback) in op.at.entries("callbacks") {
            let (callback, _) = follow(root, callback);
            for (expression, item) in callback.entries_self() {
                let (item, _) = follow(root, item);
                for (method, value) in item.entries_self() {
                    if METHODS.contains(&method) {
                        out.push((
                            (name.to_owned(), expression.to_owned(), method.to_owned()),
                            value,
                        ));
                    }
                }
            }
        }
        out
    };
    let old_cbs = collect(ctx.old, old);
    let new_cbs = collect(ctx.new, new);
    compare_outbound(
        ctx,
        old_cbs,
        new_cbs,
        &old.at.child_at("callbacks"),
        &new.at.child_at("callbacks"),
    );
}

/// Webhooks (OpenAPI 3.1): operations the API calls, like callbacks.
fn outbound<'a>(ctx: &mut Ctx<'a>, old: &[Op<'a>], new: &[Op<'a>]) {
    let list = |ops: &[Op<'a>]| {
        ops.iter()
            .map(|op| {
                (
                    (
                        op.inner.path.to_owned(),
                        String::new(),
                        op.inner.method.to_owned(),
                    ),
                    op.at.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    compare_outbound(ctx, list(old), list(new), "/webhooks", "/webhooks");
}

type OutboundKey = (String, String, String);

/// Requests the API sends: the receivers are the consumers, so a removed
/// or changed one breaks them; compared as a whole (prose aside).
fn compare_outbound<'a>(
    ctx: &mut Ctx<'a>,
    old: Vec<(OutboundKey, Located<'a>)>,
    new: Vec<(OutboundKey, Located<'a>)>,
    old_parent: &str,
    new_parent: &str,
) {
    let new_map: BTreeMap<&OutboundKey, &Located<'a>> = new.iter().map(|(k, v)| (k, v)).collect();
    let old_map: BTreeMap<&OutboundKey, &Located<'a>> = old.iter().map(|(k, v)| (k, v)).collect();
    let name = |(a, b, c): &OutboundKey| {
        if b.is_empty() {
            format!("webhook `{a}` {}", c.to_uppercase())
        } else {
            format!("callback `{a}` {} `{b}`", c.to_uppercase())
        }
    };
    for (key, o) in &old_map {
        match new_map.get(key) {
            None => {
                ctx.emit(
                    Rule::CallbackRemoved,
                    Severity::WireBreaking,
                    &o.at,
                    new_parent,
                    None,
                    format!("{} was removed: receivers stop getting it", name(key)),
                );
            }
            Some(n) if fingerprint(o.value) != fingerprint(n.value) => {
                ctx.emit(
                    Rule::CallbackChanged,
                    Severity::WireBreaking,
                    &o.at,
                    &n.at,
                    None,
                    format!(
                        "{} changed: receivers built for the old one may refuse it",
                        name(key)
                    ),
                );
            }
            Some(_) => {}
        }
    }
    for (key, n) in &new_map {
        if !old_map.contains_key(key) {
            ctx.emit(
                Rule::CallbackAdded,
                Severity::Compatible,
                old_parent,
                &n.at,
                None,
                format!("new {}", name(key)),
            );
        }
    }
}

/// `openapi` and `servers`.
fn document(ctx: &mut Ctx<'_>) {
    let version = |root: &Value| {
        root.get("openapi")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (a, b) = (version(ctx.old), version(ctx.new));
    if a != b {
        ctx.emit(
            Rule::OpenapiVersionChanged,
            Severity::Informational,
            "/openapi",
            "/openapi",
            None,
            format!(
                "`openapi` {} → {}",
                a.unwrap_or_default(),
                b.unwrap_or_default()
            ),
        );
    }
    let servers = |root: &'_ Value| -> Vec<(String, String)> {
        Located::new(root, "")
            .items("servers")
            .into_iter()
            .filter_map(|s| {
                s.str_member("url")
                    .map(|u| (u.trim_end_matches('/').to_owned(), s.at.clone()))
            })
            .collect()
    };
    let (old, new) = (servers(ctx.old), servers(ctx.new));
    for (url, at) in &old {
        if !new.iter().any(|(u, _)| u == url) {
            ctx.emit(
                Rule::ServerRemoved,
                Severity::Informational,
                at,
                "/servers",
                None,
                format!(
                    "server `{url}` is no longer listed: clients configured with it should move"
                ),
            );
        }
    }
    for (url, at) in &new {
        if !old.iter().any(|(u, _)| u == url) {
            ctx.emit(
                Rule::ServerAdded,
                Severity::Informational,
                "/servers",
                at,
                None,
                format!("server `{url}` is listed"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_ignore_parameter_names() {
        assert_eq!(super::template("/a/{id}/b/{x}"), "/a/{}/b/{}");
    }
}
