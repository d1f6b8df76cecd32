//! Objects: properties added, removed, made required or optional (each one
//! then compared at any depth), and `additionalProperties`.
//!
//! A property marked `readOnly` is not part of a request and one marked
//! `writeOnly` not part of a response
//! (<https://spec.openapis.org/oas/v3.0.3#fixed-fields-19>), so each side
//! sees only its own properties.

use super::rust::{field_is_option, Shape};
use super::view::View;
use super::{by_side, compare as compare_schema, Effect, Place};
use crate::context::{follow, Ctx, Located};
use crate::finding::{Severity, Side};
use crate::rules::Rule;
use serde_json::Value;
use std::collections::BTreeMap;

/// Compares the properties and `additionalProperties` of two object nodes.
pub(crate) fn compare<'a>(ctx: &mut Ctx<'a>, old: &View<'a>, new: &View<'a>, side: Side) {
    let old_props = visible(ctx.old, &old.properties, side);
    let new_props = visible(ctx.new, &new.properties, side);
    let mut names: Vec<&str> = old_props.keys().chain(new_props.keys()).copied().collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        match (old_props.get(name), new_props.get(name)) {
            (Some(o), Some(n)) => both(ctx, old, new, name, o, n, side),
            (None, Some(n)) => added(ctx, old, new, name, n, side),
            (Some(o), None) => removed(ctx, old, new, name, o, side),
            (None, None) => {}
        }
    }
    additional(ctx, old, new, side);
}

/// The properties that exist on `side`.
fn visible<'a>(
    root: &'a Value,
    props: &BTreeMap<&'a str, Located<'a>>,
    side: Side,
) -> BTreeMap<&'a str, Located<'a>> {
    let hidden = match side {
        Side::Request => "readOnly",
        Side::Response => "writeOnly",
        Side::Unreferenced => return props.clone(),
    };
    props
        .iter()
        .filter(|(_, p)| {
            let (target, _) = follow(root, (*p).clone());
            target.value.get(hidden).and_then(Value::as_bool) != Some(true)
        })
        .map(|(k, v)| (*k, v.clone()))
        .collect()
}

fn both<'a>(
    ctx: &mut Ctx<'a>,
    old: &View<'a>,
    new: &View<'a>,
    name: &str,
    o: &Located<'a>,
    n: &Located<'a>,
    side: Side,
) {
    let (old_required, new_required) = (old.required.contains(name), new.required.contains(name));
    if old_required != new_required {
        let old_view = View::build(ctx.old, o.clone());
        let new_view = View::build(ctx.new, n.clone());
        let option_changes =
            field_is_option(&old_view, old_required) != field_is_option(&new_view, new_required);
        let (rule, wire, what) = if new_required {
            (
                Rule::PropertyBecameRequired,
                by_side(
                    side,
                    Severity::WireBreaking,
                    Severity::Compatible,
                    Severity::Compatible,
                ),
                by_side(
                    side,
                    "requests that omit it are refused",
                    "readers always get it now",
                    "no operation uses this schema",
                ),
            )
        } else {
            (
                Rule::PropertyBecameOptional,
                by_side(
                    side,
                    Severity::Compatible,
                    Severity::WireBreaking,
                    Severity::Compatible,
                ),
                by_side(
                    side,
                    "callers may now omit it",
                    "readers that rely on it may not get it",
                    "no operation uses this schema",
                ),
            )
        };
        let mut message = format!(
            "property `{name}` is now {}: {what}",
            if new_required { "required" } else { "optional" }
        );
        let mut severity = wire;
        if option_changes && severity != Severity::WireBreaking {
            severity = Severity::RustApiBreaking;
            message.push_str(if new_required {
                "; its generated field is no longer an `Option`"
            } else {
                "; its generated field becomes an `Option`"
            });
        }
        ctx.emit(rule, severity, &o.at, &n.at, Some(side), message);
    }
    compare_schema(
        ctx,
        o.clone(),
        n.clone(),
        side,
        Place::Property {
            old_required,
            new_required,
        },
    );
}

fn added<'a>(
    ctx: &mut Ctx<'a>,
    old: &View<'a>,
    new: &View<'a>,
    name: &str,
    n: &Located<'a>,
    side: Side,
) {
    let required = new.required.contains(name);
    let is_struct = Shape::of(new) == Shape::Struct;
    let closed = old.is_closed();
    let (severity, what) = match (required, side) {
        (true, Side::Request) => (Severity::WireBreaking, "requests without it are refused"),
        (false, Side::Request) if is_struct => (
            Severity::RustApiBreaking,
            "callers may send it; the generated struct gains a field, so struct literals stop compiling",
        ),
        (false, Side::Request) => (Severity::Compatible, "callers may send it"),
        (_, Side::Response) if closed => (
            Severity::WireBreaking,
            "the object was closed (`additionalProperties: false`), so readers that enforce it, as the generated client does, refuse responses that carry it",
        ),
        (_, Side::Response) => (Severity::Compatible, "readers that do not know it ignore it"),
        (_, Side::Unreferenced) => (
            if is_struct { Severity::RustApiBreaking } else { Severity::Compatible },
            "the generated struct gains a field, so struct literals stop compiling",
        ),
    };
    let rule = if required {
        Rule::RequiredPropertyAdded
    } else {
        Rule::PropertyAdded
    };
    let kind = if required {
        "required property"
    } else {
        "optional property"
    };
    ctx.emit(
        rule,
        severity,
        &old.at,
        &n.at,
        Some(side),
        format!("new {kind} `{name}`: {what}"),
    );
}

fn removed<'a>(
    ctx: &mut Ctx<'a>,
    old: &View<'a>,
    new: &View<'a>,
    name: &str,
    o: &Located<'a>,
    side: Side,
) {
    let was_required = old.required.contains(name);
    let (severity, what) = match side {
        Side::Request if new.is_closed() => (
            Severity::WireBreaking,
            "the object is closed (`additionalProperties: false`), so requests that still send it are refused",
        ),
        Side::Request => (
            Severity::RustApiBreaking,
            "the server ignores it when sent; the generated struct loses the field",
        ),
        Side::Response if was_required => (Severity::WireBreaking, "readers that rely on it no longer get it"),
        Side::Response => (
            Severity::RustApiBreaking,
            "it was optional, so readers cope without it; the generated struct loses the field",
        ),
        Side::Unreferenced => (Severity::RustApiBreaking, "the generated struct loses the field"),
    };
    ctx.emit(
        Rule::PropertyRemoved,
        severity,
        &o.at,
        &new.at,
        Some(side),
        format!("property `{name}` removed: {what}"),
    );
}

/// What an object says about properties it does not list.
enum Additional<'a> {
    Open,
    Closed,
    Schema(Located<'a>),
}

fn additional_of<'a>(view: &View<'a>) -> Additional<'a> {
    match &view.additional {
        None => Additional::Open,
        Some(a) => match a.value {
            Value::Bool(true) => Additional::Open,
            Value::Bool(false) => Additional::Closed,
            Value::Object(m) if m.is_empty() => Additional::Open,
            _ => Additional::Schema(a.clone()),
        },
    }
}

fn additional<'a>(ctx: &mut Ctx<'a>, old: &View<'a>, new: &View<'a>, side: Side) {
    let at = |v: &View<'a>| {
        v.additional
            .as_ref()
            .map_or_else(|| v.at.clone(), |a| a.at.clone())
    };
    let (effect, what) = match (additional_of(old), additional_of(new)) {
        (Additional::Open, Additional::Open) | (Additional::Closed, Additional::Closed) => return,
        (Additional::Schema(o), Additional::Schema(n)) => {
            compare_schema(ctx, o, n, side, Place::Value);
            return;
        }
        (Additional::Open, Additional::Closed) => (
            Effect::Narrowed,
            "properties it does not list are no longer allowed",
        ),
        (Additional::Open, Additional::Schema(_)) => (
            Effect::Narrowed,
            "properties it does not list must now match a schema",
        ),
        (Additional::Schema(_), Additional::Closed) => (
            Effect::Narrowed,
            "properties it does not list are no longer allowed",
        ),
        (Additional::Closed, _) | (Additional::Schema(_), Additional::Open) => (
            Effect::Widened,
            "properties it does not list are now allowed",
        ),
    };
    let rule = match effect {
        Effect::Widened => Rule::AdditionalPropertiesAllowed,
        _ => Rule::AdditionalPropertiesDisallowed,
    };
    let severity = super::wire(effect, side);
    let message = format!("{what}: {}", super::consequence(effect, side));
    ctx.emit(rule, severity, &at(old), &at(new), Some(side), message);
}
