//! Request bodies: presence, `required`, media types, and each shared media
//! type's schema on the request side.

use crate::content;
use crate::context::{follow, Ctx, Located};
use crate::finding::{Severity, Side};
use crate::paths::Op;
use crate::rules::Rule;

/// The Request Body Object of an operation, `$ref` followed.
fn body<'a>(root: &'a serde_json::Value, op: &Op<'a>) -> Option<Located<'a>> {
    op.at.member("requestBody").map(|b| follow(root, b).0)
}

pub(crate) fn compare<'a>(ctx: &mut Ctx<'a>, old_op: &Op<'a>, new_op: &Op<'a>) {
    let (old, new) = (body(ctx.old, old_op), body(ctx.new, new_op));
    let (old, new) = match (old, new) {
        (None, None) => return,
        (None, Some(n)) => {
            if n.bool_member("required") {
                ctx.emit(
                    Rule::RequestBodyAddedRequired,
                    Severity::WireBreaking,
                    &old_op.at.at,
                    &n.at,
                    None,
                    "the operation now requires a request body: requests without one are refused"
                        .into(),
                );
            } else {
                ctx.emit(
                    Rule::RequestBodyAddedOptional,
                    Severity::RustApiBreaking,
                    &old_op.at.at,
                    &n.at,
                    None,
                    "the operation now takes an optional request body: old requests stay valid, but the client method gains a `body` argument".into(),
                );
            }
            return;
        }
        (Some(o), None) => {
            ctx.emit(
                Rule::RequestBodyRemoved,
                Severity::RustApiBreaking,
                &o.at,
                &new_op.at.at,
                None,
                "the operation no longer takes a request body: the server ignores one when sent; the client method loses its `body` argument".into(),
            );
            return;
        }
        (Some(o), Some(n)) => (o, n),
    };
    match (old.bool_member("required"), new.bool_member("required")) {
        (false, true) => {
            ctx.emit(
                Rule::RequestBodyBecameRequired,
                Severity::WireBreaking,
                &old.at,
                &new.child_at("required"),
                None,
                "the request body is now required: requests without one are refused".into(),
            );
        }
        (true, false) => {
            ctx.emit(
                Rule::RequestBodyBecameOptional,
                Severity::Compatible,
                &old.child_at("required"),
                &new.at,
                None,
                "the request body is now optional: callers may leave it out".into(),
            );
        }
        _ => {}
    }
    content::compare(
        ctx,
        &old,
        &new,
        Side::Request,
        &|name| {
            (
                Rule::RequestMediaTypeRemoved,
                Severity::WireBreaking,
                format!("request media type `{name}` is no longer accepted: requests that send it are refused"),
            )
        },
        &|name| {
            (
                Rule::RequestMediaTypeAdded,
                Severity::Compatible,
                format!("request media type `{name}` is now accepted"),
            )
        },
    );
}
