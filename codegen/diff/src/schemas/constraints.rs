//! The keywords that constrain a value in place: `type`, `nullable`,
//! `format`, `enum`/`const`, numeric bounds, lengths, item and property
//! counts, `pattern`, `default`, `deprecated`, and validation keywords the
//! comparison does not model one by one.

use super::view::{Types, View};
use super::{by_side, canonical, Effect, Node};
use crate::finding::Severity;
use crate::rules::Rule;
use serde_json::Value;

/// Runs every check of this module on one node.
pub(crate) fn compare(node: &mut Node<'_, '_>) {
    types(node);
    nullable(node);
    format(node);
    enumeration(node);
    numeric_bounds(node);
    for (keyword, lower, tight, loose, shapes) in COUNT_BOUNDS {
        count_bound(node, keyword, *lower, *tight, *loose, *shapes);
    }
    unique_items(node);
    patterns(node);
    default(node);
    deprecated(node);
    items_presence(node);
    other_keywords(node);
}

/// `(keyword, is a lower bound, rule when tightened, rule when loosened,
/// decides the Rust type)`.
const COUNT_BOUNDS: &[(&str, bool, Rule, Rule, bool)] = &[
    (
        "minLength",
        true,
        Rule::LengthBoundTightened,
        Rule::LengthBoundLoosened,
        true,
    ),
    (
        "maxLength",
        false,
        Rule::LengthBoundTightened,
        Rule::LengthBoundLoosened,
        true,
    ),
    (
        "minItems",
        true,
        Rule::ItemsBoundTightened,
        Rule::ItemsBoundLoosened,
        false,
    ),
    (
        "maxItems",
        false,
        Rule::ItemsBoundTightened,
        Rule::ItemsBoundLoosened,
        false,
    ),
    (
        "minProperties",
        true,
        Rule::PropertiesBoundTightened,
        Rule::PropertiesBoundLoosened,
        false,
    ),
    (
        "maxProperties",
        false,
        Rule::PropertiesBoundTightened,
        Rule::PropertiesBoundLoosened,
        false,
    ),
];

/// The effect of going from the set `old` to the set `new`.
fn set_effect(old: Types, new: Types) -> Option<Effect> {
    match (new.contains(old), old.contains(new)) {
        (true, true) => None,
        (true, false) => Some(Effect::Widened),
        (false, true) => Some(Effect::Narrowed),
        (false, false) => Some(Effect::Changed),
    }
}

fn types(node: &mut Node<'_, '_>) {
    let old = node
        .old
        .value_types()
        .unwrap_or(Types::ANY.without(Types::NULL));
    let new = node
        .new
        .value_types()
        .unwrap_or(Types::ANY.without(Types::NULL));
    if old == new {
        return;
    }
    let Some(effect) = set_effect(old.values(), new.values()) else {
        // `[integer, number]` and `number` hold the same values; only the
        // Rust type may differ, which the Rust check reports.
        return;
    };
    let (o, n) = (node.old.type_at.clone(), node.new.type_at.clone());
    node.change(
        Rule::TypeChanged,
        effect,
        &o,
        &n,
        format!("`type` {} → {}", old.describe(), new.describe()),
        true,
    );
}

fn nullable(node: &mut Node<'_, '_>) {
    let (old, new) = (node.old.allows_null(), node.new.allows_null());
    if old == new {
        return;
    }
    let (rule, effect, what) = if new {
        (
            Rule::NullableAdded,
            Effect::Widened,
            "the value may now be `null`",
        )
    } else {
        (
            Rule::NullableRemoved,
            Effect::Narrowed,
            "the value may no longer be `null`",
        )
    };
    let mut severity = super::wire(effect, node.side);
    let mut message = format!("{what}: {}", super::consequence(effect, node.side));
    if node.field_option_changes() && severity != Severity::WireBreaking {
        severity = Severity::RustApiBreaking;
        message.push_str(if new {
            "; the generated field becomes an `Option`"
        } else {
            "; the generated field is no longer an `Option`"
        });
    }
    let (o, n) = (node.old.type_at.clone(), node.new.type_at.clone());
    node.emit(rule, severity, &o, &n, message, false);
}

/// Format pairs where the second allows every value of the first.
const WIDER_FORMATS: &[(&str, &str)] = &[
    ("int8", "int16"),
    ("int8", "int32"),
    ("int8", "int64"),
    ("int16", "int32"),
    ("int16", "int64"),
    ("int32", "int64"),
    ("uint8", "uint16"),
    ("uint8", "uint32"),
    ("uint8", "uint64"),
    ("uint16", "uint32"),
    ("uint16", "uint64"),
    ("uint32", "uint64"),
    ("float", "double"),
    ("date", "date-time"),
];

fn format(node: &mut Node<'_, '_>) {
    let name = |v: &View<'_>| {
        v.format
            .as_ref()
            .and_then(|f| f.value.as_str().map(str::to_owned))
    };
    let (old, new) = (name(node.old), name(node.new));
    let effect = match (&old, &new) {
        (None, None) => return,
        (Some(a), Some(b)) if a == b => return,
        (None, Some(_)) => Effect::Narrowed,
        (Some(_), None) => Effect::Widened,
        (Some(a), Some(b)) if WIDER_FORMATS.contains(&(a.as_str(), b.as_str())) => Effect::Widened,
        (Some(a), Some(b)) if WIDER_FORMATS.contains(&(b.as_str(), a.as_str())) => Effect::Narrowed,
        _ => Effect::Changed,
    };
    let at = |v: &View<'_>| {
        v.format
            .as_ref()
            .map_or_else(|| v.at.clone(), |f| f.at.clone())
    };
    let (o, n) = (at(node.old), at(node.new));
    let show = |f: &Option<String>| f.as_deref().map_or("none".to_owned(), |f| format!("`{f}`"));
    node.change(
        Rule::FormatChanged,
        effect,
        &o,
        &n,
        format!("`format` {} → {}", show(&old), show(&new)),
        true,
    );
}

fn enumeration(node: &mut Node<'_, '_>) {
    let side = node.side;
    match (node.old.enumeration.clone(), node.new.enumeration.clone()) {
        (None, None) => {}
        (None, Some((values, at))) => {
            let o = node.old.at.clone();
            node.change(
                Rule::EnumAdded,
                Effect::Narrowed,
                &o,
                &at,
                format!("the value is now restricted to {}", list(&values)),
                true,
            );
        }
        (Some((values, at)), None) => {
            let n = node.new.at.clone();
            node.change(
                Rule::EnumRemoved,
                Effect::Widened,
                &at,
                &n,
                format!("the value is no longer restricted to {}", list(&values)),
                true,
            );
        }
        (Some((old, old_at)), Some((new, new_at))) => {
            // `null` is the nullable rule's business.
            for (i, value) in new.iter().enumerate() {
                if value.is_null() || old.contains(value) {
                    continue;
                }
                let (severity, why) = super::variant_added(side);
                node.emit(
                    Rule::EnumValueAdded,
                    severity,
                    &old_at,
                    &openapi_document::child(&new_at, &i.to_string()),
                    format!("`enum` gained {}: {why}", show(value)),
                    false,
                );
            }
            for (i, value) in old.iter().enumerate() {
                if value.is_null() || new.contains(value) {
                    continue;
                }
                let (severity, why) = super::variant_removed(side);
                node.emit(
                    Rule::EnumValueRemoved,
                    severity,
                    &openapi_document::child(&old_at, &i.to_string()),
                    &new_at,
                    format!("`enum` lost {}: {why}", show(value)),
                    false,
                );
            }
        }
    }
}

fn show(value: &Value) -> String {
    format!("`{value}`")
}

fn list(values: &[&Value]) -> String {
    values
        .iter()
        .map(|v| show(v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One end of a numeric range: the bound and whether it is exclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
struct End {
    value: f64,
    exclusive: bool,
}

/// `minimum`/`maximum` with OpenAPI 3.0's boolean `exclusive*` or 3.1's
/// numeric one (<https://spec.openapis.org/oas/v3.1.0#data-types>).
fn end(view: &View<'_>, inclusive: &str, exclusive: &str, lower: bool) -> Option<End> {
    let plain = view.number(inclusive);
    match view.keywords.get(exclusive).map(|k| k.value) {
        Some(Value::Bool(true)) => plain.map(|value| End {
            value,
            exclusive: true,
        }),
        Some(e) if e.is_number() => {
            let e = End {
                value: e.as_f64().unwrap_or_default(),
                exclusive: true,
            };
            // Both given: the tighter one applies.
            match plain {
                Some(p) if (lower && p > e.value) || (!lower && p < e.value) => Some(End {
                    value: p,
                    exclusive: false,
                }),
                _ => Some(e),
            }
        }
        _ => plain.map(|value| End {
            value,
            exclusive: false,
        }),
    }
}

/// Whether end `b` allows fewer values than end `a` (for a lower end: it
/// is higher, or as high and exclusive).
fn tighter(a: Option<End>, b: Option<End>, lower: bool) -> Option<Effect> {
    match (a, b) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Narrowed),
        (Some(_), None) => Some(Effect::Widened),
        (Some(a), Some(b)) if a == b => None,
        (Some(a), Some(b)) => {
            let higher = b.value > a.value || (b.value == a.value && b.exclusive && !a.exclusive);
            Some(if higher == lower {
                Effect::Narrowed
            } else {
                Effect::Widened
            })
        }
    }
}

fn describe_end(end: Option<End>, lower: bool) -> String {
    match end {
        None => "none".into(),
        Some(End { value, exclusive }) => {
            let op = match (lower, exclusive) {
                (true, false) => "≥",
                (true, true) => ">",
                (false, false) => "≤",
                (false, true) => "<",
            };
            format!("{op} {value}")
        }
    }
}

fn numeric_bounds(node: &mut Node<'_, '_>) {
    for (inclusive, exclusive, lower) in [
        ("minimum", "exclusiveMinimum", true),
        ("maximum", "exclusiveMaximum", false),
    ] {
        let a = end(node.old, inclusive, exclusive, lower);
        let b = end(node.new, inclusive, exclusive, lower);
        let Some(effect) = tighter(a, b, lower) else {
            continue;
        };
        let at = |v: &View<'_>| match v
            .keywords
            .get(inclusive)
            .or_else(|| v.keywords.get(exclusive))
        {
            Some(k) => k.at.clone(),
            None => v.at.clone(),
        };
        let (o, n) = (at(node.old), at(node.new));
        let rule = bound_rule(
            effect,
            Rule::NumericBoundTightened,
            Rule::NumericBoundLoosened,
        );
        let what = format!(
            "{} bound {} → {}",
            if lower { "lower" } else { "upper" },
            describe_end(a, lower),
            describe_end(b, lower)
        );
        node.change(rule, effect, &o, &n, what, true);
    }
    let (a, b) = (node.old.number("multipleOf"), node.new.number("multipleOf"));
    let effect = match (a, b) {
        (None, None) => return,
        (Some(a), Some(b)) if a == b => return,
        (None, Some(_)) => Effect::Narrowed,
        (Some(_), None) => Effect::Widened,
        (Some(a), Some(b)) if is_multiple(b, a) => Effect::Narrowed,
        (Some(a), Some(b)) if is_multiple(a, b) => Effect::Widened,
        _ => Effect::Changed,
    };
    let rule = bound_rule(
        effect,
        Rule::NumericBoundTightened,
        Rule::NumericBoundLoosened,
    );
    let (o, n) = (node.old.at_of("multipleOf"), node.new.at_of("multipleOf"));
    let show = |v: Option<f64>| v.map_or("none".to_owned(), |v| v.to_string());
    node.change(
        rule,
        effect,
        &o,
        &n,
        format!("`multipleOf` {} → {}", show(a), show(b)),
        true,
    );
}

/// The rule for a bound that moved: loosened when it allows more,
/// tightened when it allows less or something else.
fn bound_rule(effect: Effect, tight: Rule, loose: Rule) -> Rule {
    match effect {
        Effect::Widened => loose,
        Effect::Narrowed | Effect::Changed => tight,
    }
}

/// Whether `a` is a whole multiple of `b`.
fn is_multiple(a: f64, b: f64) -> bool {
    b != 0.0 && (a / b).fract().abs() < 1e-9
}

fn count_bound(
    node: &mut Node<'_, '_>,
    keyword: &str,
    lower: bool,
    tight: Rule,
    loose: Rule,
    shapes: bool,
) {
    let value = |v: &View<'_>| v.number(keyword);
    let (a, b) = (value(node.old), value(node.new));
    let effect = match (a, b) {
        (None, None) => return,
        (Some(a), Some(b)) if a == b => return,
        (None, Some(b)) if lower && b <= 0.0 => return,
        (Some(a), None) if lower && a <= 0.0 => return,
        (None, Some(_)) => Effect::Narrowed,
        (Some(_), None) => Effect::Widened,
        (Some(a), Some(b)) => {
            if (b > a) == lower {
                Effect::Narrowed
            } else {
                Effect::Widened
            }
        }
    };
    let rule = bound_rule(effect, tight, loose);
    let (o, n) = (node.old.at_of(keyword), node.new.at_of(keyword));
    let show = |v: Option<f64>| v.map_or("none".to_owned(), |v| v.to_string());
    node.change(
        rule,
        effect,
        &o,
        &n,
        format!("`{keyword}` {} → {}", show(a), show(b)),
        shapes,
    );
}

fn unique_items(node: &mut Node<'_, '_>) {
    let unique = |v: &View<'_>| {
        v.keywords
            .get("uniqueItems")
            .and_then(|k| k.value.as_bool())
            == Some(true)
    };
    let (a, b) = (unique(node.old), unique(node.new));
    if a == b {
        return;
    }
    let (rule, effect) = if b {
        (Rule::ItemsBoundTightened, Effect::Narrowed)
    } else {
        (Rule::ItemsBoundLoosened, Effect::Widened)
    };
    let (o, n) = (node.old.at_of("uniqueItems"), node.new.at_of("uniqueItems"));
    node.change(
        rule,
        effect,
        &o,
        &n,
        format!("`uniqueItems` {a} → {b}"),
        false,
    );
}

fn patterns(node: &mut Node<'_, '_>) {
    fn set<'v>(v: &View<'v>) -> Vec<&'v str> {
        let mut p: Vec<&str> = v.patterns.iter().filter_map(|k| k.value.as_str()).collect();
        p.sort_unstable();
        p.dedup();
        p
    }
    let (a, b) = (set(node.old), set(node.new));
    if a == b {
        return;
    }
    let at = |v: &View<'_>| {
        v.patterns
            .first()
            .map_or_else(|| v.at.clone(), |k| k.at.clone())
    };
    let (o, n) = (at(node.old), at(node.new));
    let quoted = |p: &[&str]| {
        p.iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let (rule, effect, what) = match (a.is_empty(), b.is_empty()) {
        (true, false) => (
            Rule::PatternAdded,
            Effect::Narrowed,
            format!("`pattern` {} added", quoted(&b)),
        ),
        (false, true) => (
            Rule::PatternRemoved,
            Effect::Widened,
            format!("`pattern` {} dropped", quoted(&a)),
        ),
        _ => (
            Rule::PatternChanged,
            Effect::Changed,
            format!("`pattern` {} → {}", quoted(&a), quoted(&b)),
        ),
    };
    node.change(rule, effect, &o, &n, what, true);
}

fn default(node: &mut Node<'_, '_>) {
    let (a, b) = (node.old.default.clone(), node.new.default.clone());
    let (rule, request, what, old_at, new_at) = match (&a, &b) {
        (None, None) => return,
        (Some(a), Some(b)) if a.value == b.value => return,
        (None, Some(b)) => (
            Rule::DefaultAdded,
            Severity::Compatible,
            format!(
                "`default` {} added: callers that omit the value get it",
                show(b.value)
            ),
            node.old.at.clone(),
            b.at.clone(),
        ),
        (Some(a), None) => (
            Rule::DefaultRemoved,
            Severity::WireBreaking,
            format!(
                "`default` {} dropped: callers that omit the value no longer get it",
                show(a.value)
            ),
            a.at.clone(),
            node.new.at.clone(),
        ),
        (Some(a), Some(b)) => (
            Rule::DefaultChanged,
            Severity::WireBreaking,
            format!(
                "`default` {} → {}: callers that omit the value get another one",
                show(a.value),
                show(b.value)
            ),
            a.at.clone(),
            b.at.clone(),
        ),
    };
    let mut severity = by_side(
        node.side,
        request,
        Severity::Compatible,
        Severity::Compatible,
    );
    let mut message = what;
    if severity != Severity::WireBreaking
        && matches!(node.place, super::Place::Property { .. })
        && node.field_option_changes()
    {
        severity = Severity::RustApiBreaking;
        message.push_str(
            "; the generated field changes between `Option<T>` and `T` filled with the default",
        );
    }
    node.emit(rule, severity, &old_at, &new_at, message, false);
}

fn deprecated(node: &mut Node<'_, '_>) {
    if !node.old.deprecated && node.new.deprecated {
        let (o, n) = (node.old.at.clone(), node.new.at.clone());
        node.emit(
            Rule::SchemaDeprecated,
            Severity::Informational,
            &o,
            &n,
            "marked `deprecated`: plan to stop using it".into(),
            false,
        );
    }
}

fn items_presence(node: &mut Node<'_, '_>) {
    let (a, b) = (&node.old.items, &node.new.items);
    let (effect, o, n, what) = match (a, b) {
        (None, Some(b)) => (
            Effect::Narrowed,
            node.old.at.clone(),
            b.at.clone(),
            "array items are now constrained by `items`",
        ),
        (Some(a), None) => (
            Effect::Widened,
            a.at.clone(),
            node.new.at.clone(),
            "array items are no longer constrained (`items` dropped)",
        ),
        _ => return,
    };
    node.change(
        Rule::SchemaKeywordChanged,
        effect,
        &o,
        &n,
        what.to_owned(),
        true,
    );
}

fn other_keywords(node: &mut Node<'_, '_>) {
    let mut keys: Vec<&str> = node
        .old
        .other
        .keys()
        .chain(node.new.other.keys())
        .copied()
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let (a, b) = (node.old.other.get(key), node.new.other.get(key));
        let same = match (a, b) {
            (Some(a), Some(b)) => {
                canonical::fingerprint(a.value) == canonical::fingerprint(b.value)
            }
            _ => false,
        };
        if same {
            continue;
        }
        let o = a.map_or_else(|| node.old.at.clone(), |k| k.at.clone());
        let n = b.map_or_else(|| node.new.at.clone(), |k| k.at.clone());
        node.change(
            Rule::SchemaKeywordChanged,
            Effect::Changed,
            &o,
            &n,
            format!("`{key}` changed"),
            false,
        );
    }
}
