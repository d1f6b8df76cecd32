//! The `content` of request bodies and responses: Media Type Objects
//! matched by media type, each shared one's schema compared on the side it
//! is read on, the others reported as added or removed.

use crate::context::{Ctx, Located};
use crate::finding::{Severity, Side};
use crate::rules::Rule;
use crate::schemas::{self, Place};

/// The media types of a Request Body or Response Object, keyed in lower
/// case (media type names are case-insensitive, RFC 6838 section 4.2).
pub(crate) fn media_types<'a>(holder: &Located<'a>) -> Vec<(String, Located<'a>)> {
    holder
        .entries("content")
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect()
}

/// How one media type present on one side only is reported.
pub(crate) type Report<'r> = &'r dyn Fn(&str) -> (Rule, Severity, String);

/// Compares the media types of `old` and `new` (the objects holding `content`).
pub(crate) fn compare<'a>(
    ctx: &mut Ctx<'a>,
    old: &Located<'a>,
    new: &Located<'a>,
    side: Side,
    removed: Report<'_>,
    added: Report<'_>,
) {
    let (olds, news) = (media_types(old), media_types(new));
    for (name, o) in &olds {
        match news.iter().find(|(n, _)| n == name) {
            None => {
                let (rule, severity, message) = removed(name);
                ctx.emit(
                    rule,
                    severity,
                    &o.at,
                    &new.child_at("content"),
                    None,
                    message,
                );
            }
            Some((_, n)) => {
                if let (Some(a), Some(b)) = (o.member("schema"), n.member("schema")) {
                    schemas::compare(ctx, a, b, side, Place::Value);
                }
            }
        }
    }
    for (name, n) in &news {
        if !olds.iter().any(|(o, _)| o == name) {
            let (rule, severity, message) = added(name);
            ctx.emit(
                rule,
                severity,
                &old.child_at("content"),
                &n.at,
                None,
                message,
            );
        }
    }
}
