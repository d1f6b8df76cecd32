//! Schemas, compared node by node with the side they are read on: a request
//! schema is written by clients (a tightening breaks them), a response
//! schema is read by them (a loosening breaks them)
//! (<https://www.oasdiff.com/docs/breaking-changes>). `$ref`s are followed and
//! `allOf` is merged ([`view`]), `oneOf`/`anyOf` alternatives are paired,
//! arrays, maps and properties are descended into at any depth; a pair of
//! nodes already compared on a side is not compared again, which both stops
//! recursive schemas and keeps a schema shared by many operations linear.
//! Beside the wire, each node's generated Rust type ([`rust`]) is compared.

mod canonical;
mod composition;
mod constraints;
mod objects;
pub(crate) mod rust;
pub(crate) mod view;

pub(crate) use canonical::fingerprint;

use crate::context::{Ctx, Located};
use crate::finding::{Severity, Side};
use crate::rules::Rule;
use rust::Shape;
use view::View;

/// Where a schema sits, which decides how optionality shows in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Place {
    /// A body, an array item, an alternative, a map value.
    Value,
    /// A parameter value: the client and server wrap optional ones in
    /// `Option` themselves, whatever the schema says.
    Parameter,
    /// A response header value: the generated code hands headers over as
    /// strings, so its schema never shapes a Rust type.
    Header,
    /// An object property, required or not in the old and the new object.
    Property {
        old_required: bool,
        new_required: bool,
    },
}

/// What a change does to the set of valid values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    Narrowed,
    Widened,
    Changed,
}

/// The wire severity of a change: tightening breaks writers (requests),
/// loosening breaks readers (responses), a change that is neither breaks
/// both; a schema no operation uses has no wire.
pub(crate) fn wire(effect: Effect, side: Side) -> Severity {
    match (side, effect) {
        (Side::Unreferenced, _) => Severity::Compatible,
        (Side::Request, Effect::Widened) | (Side::Response, Effect::Narrowed) => {
            Severity::Compatible
        }
        _ => Severity::WireBreaking,
    }
}

/// What the wire severity means for the reader of a finding.
pub(crate) fn consequence(effect: Effect, side: Side) -> &'static str {
    match (side, effect) {
        (Side::Unreferenced, _) => "no operation uses this schema",
        (Side::Request, Effect::Widened) => "the server accepts everything it accepted before",
        (Side::Request, _) => "requests that were valid may now be refused",
        (Side::Response, Effect::Narrowed) => "responses stay within what readers expect",
        (Side::Response, _) => "readers may receive values the old contract excluded",
    }
}

/// One value (a severity, a consequence) per side.
pub(crate) fn by_side<T>(side: Side, request: T, response: T, unreferenced: T) -> T {
    match side {
        Side::Request => request,
        Side::Response => response,
        Side::Unreferenced => unreferenced,
    }
}

/// One more member of a closed set (an `enum` value, a `oneOf`/`anyOf`
/// alternative): a request may send it, a response may carry it to readers
/// that do not know it, and the generated enum gains a variant.
pub(crate) fn variant_added(side: Side) -> (Severity, &'static str) {
    by_side(
        side,
        (Severity::Compatible, "the server accepts it besides the old ones"),
        (
            Severity::WireBreaking,
            "readers meet one they do not know (a client generated before cannot decode it; `match`es on the generated enum stop being exhaustive)",
        ),
        (
            Severity::RustApiBreaking,
            "the generated enum gains a variant, so `match`es on it stop being exhaustive",
        ),
    )
}

/// One member less: requests that send it are refused; readers never meet
/// it again, but the generated enum loses the variant.
pub(crate) fn variant_removed(side: Side) -> (Severity, &'static str) {
    by_side(
        side,
        (Severity::WireBreaking, "requests that send it are refused"),
        (
            Severity::RustApiBreaking,
            "readers never meet it again, but the generated enum loses the variant and code naming it stops compiling",
        ),
        (
            Severity::RustApiBreaking,
            "the generated enum loses the variant and code naming it stops compiling",
        ),
    )
}

/// The findings made at one node, before its children are compared.
pub(crate) struct Node<'n, 'a> {
    pub ctx: &'n mut Ctx<'a>,
    pub side: Side,
    pub old: &'n View<'a>,
    pub new: &'n View<'a>,
    pub place: Place,
    /// Each finding's index, and whether its keyword decides the Rust type.
    found: Vec<(usize, bool)>,
}

impl Node<'_, '_> {
    /// Records a finding at this node.
    pub fn emit(
        &mut self,
        rule: Rule,
        severity: Severity,
        old: &str,
        new: &str,
        message: String,
        shapes_type: bool,
    ) {
        let i = self
            .ctx
            .emit(rule, severity, old, new, Some(self.side), message);
        self.found.push((i, shapes_type));
    }

    /// Records a change of the value set, with its wire severity.
    pub fn change(
        &mut self,
        rule: Rule,
        effect: Effect,
        old: &str,
        new: &str,
        what: String,
        shapes_type: bool,
    ) {
        let message = format!("{what}: {}", consequence(effect, self.side));
        self.emit(
            rule,
            wire(effect, self.side),
            old,
            new,
            message,
            shapes_type,
        );
    }

    /// Whether a struct field holding this value changes between `T` and
    /// `Option<T>` (only properties are struct fields).
    pub fn field_option_changes(&self) -> bool {
        match self.place {
            Place::Property {
                old_required,
                new_required,
            } => {
                rust::field_is_option(self.old, old_required)
                    != rust::field_is_option(self.new, new_required)
            }
            Place::Value => self.old.allows_null() != self.new.allows_null(),
            Place::Parameter | Place::Header => false,
        }
    }
}

/// Compares the schema at `old` with the one at `new`, read on `side`.
pub(crate) fn compare<'a>(
    ctx: &mut Ctx<'a>,
    old: Located<'a>,
    new: Located<'a>,
    side: Side,
    place: Place,
) {
    let old_view = View::build(ctx.old, old);
    let new_view = View::build(ctx.new, new);
    let key = (old_view.at.clone(), new_view.at.clone(), side, place);
    if let Some(seen) = ctx.schema_memo.get(&key) {
        let seen = seen.clone();
        ctx.revisit(&seen);
        return;
    }
    let pair = (key.0.clone(), key.1.clone());
    if side == Side::Unreferenced && ctx.compared_pairs.contains(&pair) {
        // Reached from an operation already: its findings have a side.
        return;
    }
    ctx.compared_pairs.insert(pair);
    ctx.schema_memo.insert(key.clone(), Vec::new());
    ctx.open_frame();

    let mut node = Node {
        ctx,
        side,
        old: &old_view,
        new: &new_view,
        place,
        found: Vec::new(),
    };
    constraints::compare(&mut node);
    composition::compare_keywords(&mut node);
    rust_type(&mut node);
    let ctx = node.ctx;

    objects::compare(ctx, &old_view, &new_view, side);
    if let (Some(o), Some(n)) = (&old_view.items, &new_view.items) {
        compare(ctx, o.clone(), n.clone(), side, Place::Value);
    }
    composition::compare_alternatives(ctx, &old_view, &new_view, side);

    let found = ctx.close_frame();
    ctx.schema_memo.insert(key, found);
}

/// The Rust type of the node changed: say so on the findings that caused
/// it, or on its own when no wire rule covers the change.
fn rust_type(node: &mut Node<'_, '_>) {
    let (old, new) = (Shape::of(node.old), Shape::of(node.new));
    if old == new || node.place == Place::Header {
        return;
    }
    let wire_broken = node
        .found
        .iter()
        .any(|&(i, _)| node.ctx.severity_of(i) == Severity::WireBreaking);
    if wire_broken {
        return;
    }
    let why = format!(
        "; the generated Rust type changes from {} to {}",
        old.describe(),
        new.describe()
    );
    let causes: Vec<usize> = node
        .found
        .iter()
        .filter(|(_, s)| *s)
        .map(|(i, _)| *i)
        .collect();
    if causes.is_empty() {
        let (o, n) = (node.old.at.clone(), node.new.at.clone());
        node.emit(
            Rule::RustTypeChanged,
            Severity::RustApiBreaking,
            &o,
            &n,
            format!(
                "the generated Rust type changes from {} to {}",
                old.describe(),
                new.describe()
            ),
            false,
        );
    } else {
        for i in causes {
            node.ctx.escalate(i, Severity::RustApiBreaking, &why);
        }
    }
}

/// Compares the component schemas no operation reached (only their
/// generated types exist, so only Rust API changes can break).
pub(crate) fn compare_unreferenced<'a>(ctx: &mut Ctx<'a>) {
    let old_schemas = Located::new(ctx.old, "")
        .member("components")
        .map(|c| c.entries("schemas"))
        .unwrap_or_default();
    let new_root = ctx.new;
    for (name, old) in old_schemas {
        let new_name = ctx.renames.get(name).map(String::as_str).unwrap_or(name);
        let Some(new) = new_root
            .pointer("/components/schemas")
            .and_then(|s| s.get(new_name))
        else {
            continue;
        };
        let new = Located::new(
            new,
            openapi_document::pointer(["components", "schemas", new_name]),
        );
        ctx.in_operation(None, |ctx| {
            compare(ctx, old, new, Side::Unreferenced, Place::Value)
        });
    }
}
