//! Responses: statuses, headers, media types and bodies, each body and
//! header schema on the response side.
//!
//! A status added is harmless on the wire (a reader meets it as an
//! unexpected status either way) but not for the generated Rust API: the
//! server's per-operation response enum gains a variant, so exhaustive
//! `match`es stop compiling, and the client now decodes the status instead
//! of returning `UnexpectedResponse`.

use crate::content::{self, media_types};
use crate::context::{follow, Ctx, Located};
use crate::finding::{Severity, Side};
use crate::paths::Op;
use crate::rules::Rule;
use crate::schemas::{self, Place};

/// The responses of an operation: status key (`4XX` upper-cased), where
/// the operation lists it, and the Response Object with its `$ref` followed.
fn responses<'a>(root: &'a serde_json::Value, op: &Op<'a>) -> Vec<(String, String, Located<'a>)> {
    op.at
        .member("responses")
        .map(|r| r.entries_self())
        .unwrap_or_default()
        .into_iter()
        .map(|(status, response)| {
            (
                status.to_ascii_uppercase(),
                response.at.clone(),
                follow(root, response).0,
            )
        })
        .collect()
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

pub(crate) fn compare<'a>(ctx: &mut Ctx<'a>, old_op: &Op<'a>, new_op: &Op<'a>) {
    let (old, new) = (responses(ctx.old, old_op), responses(ctx.new, new_op));
    let old_holder = old_op.at.child_at("responses");
    let new_holder = new_op.at.child_at("responses");
    for (status, listed, o) in &old {
        match new.iter().find(|(s, _, _)| s == status) {
            Some((_, _, n)) => response(ctx, status, o, n),
            None if is_success(status) => {
                ctx.emit(
                    Rule::ResponseSuccessStatusRemoved,
                    Severity::WireBreaking,
                    listed,
                    &new_holder,
                    None,
                    format!("success status {status} is no longer returned: readers that expect it meet another status"),
                );
            }
            None => {
                ctx.emit(
                    Rule::ResponseStatusRemoved,
                    Severity::RustApiBreaking,
                    listed,
                    &new_holder,
                    None,
                    format!("status {status} is no longer returned: on the wire readers simply stop meeting it, but its variant leaves the generated response enum"),
                );
            }
        }
    }
    for (status, listed, _) in &new {
        if !old.iter().any(|(s, _, _)| s == status) {
            ctx.emit(
                Rule::ResponseStatusAdded,
                Severity::RustApiBreaking,
                &old_holder,
                listed,
                None,
                format!(
                    "new status {status}: the generated response enum gains a variant (exhaustive `match`es stop compiling) and the client returns it typed instead of as `UnexpectedResponse`"
                ),
            );
        }
    }
}

fn response<'a>(ctx: &mut Ctx<'a>, status: &str, old: &Located<'a>, new: &Located<'a>) {
    headers(ctx, status, old, new);
    let (olds, news) = (media_types(old), media_types(new));
    match (olds.is_empty(), news.is_empty()) {
        (true, true) => return,
        (true, false) => {
            ctx.emit(
                Rule::ResponseBodyAdded,
                Severity::RustApiBreaking,
                &old.at,
                &new.child_at("content"),
                None,
                format!("status {status} now has a body: readers may ignore it, but the generated return or error type changes"),
            );
            return;
        }
        (false, true) => {
            ctx.emit(
                Rule::ResponseBodyRemoved,
                Severity::WireBreaking,
                &old.child_at("content"),
                &new.at,
                None,
                format!("status {status} no longer has a body: readers that decode it fail"),
            );
            return;
        }
        (false, false) => {}
    }
    content::compare(
        ctx,
        old,
        new,
        Side::Response,
        &|name| {
            (
                Rule::ResponseMediaTypeRemoved,
                Severity::WireBreaking,
                format!("status {status} no longer comes as `{name}`: readers that accept only it get another type"),
            )
        },
        &|name| {
            (
                Rule::ResponseMediaTypeAdded,
                Severity::Compatible,
                format!("status {status} may also come as `{name}` (content negotiation keeps old readers on the types they accept)"),
            )
        },
    );
}

/// Response headers, names compared case-insensitively (RFC 9110 section 5.1).
fn headers<'a>(ctx: &mut Ctx<'a>, status: &str, old: &Located<'a>, new: &Located<'a>) {
    let list = |root, holder: &Located<'a>| -> Vec<(String, Located<'a>)> {
        holder
            .entries("headers")
            .into_iter()
            .map(|(name, h)| (name.to_ascii_lowercase(), follow(root, h).0))
            .collect()
    };
    let (olds, news) = (list(ctx.old, old), list(ctx.new, new));
    for (name, o) in &olds {
        let required = o.bool_member("required");
        match news.iter().find(|(n, _)| n == name) {
            None => {
                let (severity, why) = if required {
                    (
                        Severity::WireBreaking,
                        "it was required, so readers rely on it",
                    )
                } else {
                    (
                        Severity::Compatible,
                        "it was optional, so readers cope without it",
                    )
                };
                ctx.emit(
                    Rule::ResponseHeaderRemoved,
                    severity,
                    &o.at,
                    &new.child_at("headers"),
                    None,
                    format!("status {status} no longer sends header `{name}`: {why}"),
                );
            }
            Some((_, n)) => {
                match (required, n.bool_member("required")) {
                    (true, false) => {
                        ctx.emit(
                            Rule::ResponseHeaderBecameOptional,
                            Severity::WireBreaking,
                            &o.at,
                            &n.at,
                            None,
                            format!("header `{name}` of status {status} is now optional: readers that rely on it may not get it"),
                        );
                    }
                    (false, true) => {
                        ctx.emit(
                            Rule::ResponseHeaderBecameRequired,
                            Severity::Compatible,
                            &o.at,
                            &n.at,
                            None,
                            format!("header `{name}` of status {status} is now always sent"),
                        );
                    }
                    _ => {}
                }
                if let (Some(a), Some(b)) = (o.member("schema"), n.member("schema")) {
                    schemas::compare(ctx, a, b, Side::Response, Place::Header);
                }
            }
        }
    }
    for (name, n) in &news {
        if !olds.iter().any(|(o, _)| o == name) {
            ctx.emit(
                Rule::ResponseHeaderAdded,
                Severity::Compatible,
                &old.child_at("headers"),
                &n.at,
                None,
                format!("status {status} now sends header `{name}`"),
            );
        }
    }
}
