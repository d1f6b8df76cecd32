//! The keyword checks that generated validators call, one function per
//! keyword (or per keyword combination `jsonschema` evaluates as one unit, such
//! as `properties` + `additionalProperties: false` + one `required` name), with
//! `jsonschema` 0.61's messages and instance pointers
//! (<https://json-schema.org/draft-07/json-schema-validation>). Each applies
//! only to the JSON type it constrains and ignores the others, as the
//! specification says.

use super::numbers::{self, Num};
use super::{At, Check, Findings};
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// JSON types as a set (the bits `jsonschema` orders them by in messages).
pub const NULL: u8 = 1;
pub const BOOLEAN: u8 = 1 << 1;
pub const INTEGER: u8 = 1 << 2;
pub const NUMBER: u8 = 1 << 3;
pub const STRING: u8 = 1 << 4;
pub const ARRAY: u8 = 1 << 5;
pub const OBJECT: u8 = 1 << 6;

const TYPE_NAMES: [(u8, &str); 7] = [
    (NULL, "null"),
    (BOOLEAN, "boolean"),
    (INTEGER, "integer"),
    (NUMBER, "number"),
    (STRING, "string"),
    (ARRAY, "array"),
    (OBJECT, "object"),
];

/// Whether `value` has one of the types in `set` (an integral number is an
/// `integer` and a `number`).
pub fn has_type(value: &Value, set: u8) -> bool {
    let bit = match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOLEAN,
        Value::Number(n) if numbers::is_integer(n) => return set & (INTEGER | NUMBER) != 0,
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => OBJECT,
    };
    set & bit != 0
}

/// `type` naming one type.
pub fn of_type(value: &Value, ty: u8, at: &At<'_>, out: &mut Findings) {
    if !has_type(value, ty) {
        let name = TYPE_NAMES
            .iter()
            .find(|(bit, _)| *bit == ty)
            .map_or("", |(_, n)| *n);
        out.report(at, "type", || format!(r#"{value} is not of type "{name}""#));
    }
}

/// `type` listing several types.
pub fn of_types(value: &Value, set: u8, at: &At<'_>, out: &mut Findings) {
    if !has_type(value, set) {
        out.report(at, "type", || {
            let names: Vec<String> = TYPE_NAMES
                .iter()
                .filter(|(bit, _)| set & bit != 0)
                .map(|(_, name)| format!(r#""{name}""#))
                .collect();
            format!("{value} is not of types {}", names.join(", "))
        });
    }
}

/// A JSON value written in a schema (`enum`, `const`), as a constant.
#[derive(Debug, Clone, Copy)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(Num),
    String(&'static str),
    /// An array or object, as JSON text (read on first use).
    Json(&'static str, &'static OnceLock<Option<Value>>),
}

impl Literal {
    fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Literal::Null, Value::Null) => true,
            (Literal::Bool(a), Value::Bool(b)) => a == b,
            (Literal::String(a), Value::String(b)) => a == b,
            (Literal::Number(a), Value::Number(b)) => {
                Num::of(b).and_then(|b| a.compare(b)) == Some(std::cmp::Ordering::Equal)
            }
            (Literal::Json(text, parsed), _) => {
                // codegen writes the text from a parsed value; unreadable text matches nothing.
                parsed
                    .get_or_init(|| serde_json::from_str(text).ok())
                    .as_ref()
                    .is_some_and(|literal| equal(literal, value))
            }
            _ => false,
        }
    }
}

/// `enum`; `listed` is the message's list of the options (`"a", "b" or "c"`).
pub fn enumeration(
    value: &Value,
    options: &[Literal],
    listed: &str,
    at: &At<'_>,
    out: &mut Findings,
) {
    if !options.iter().any(|o| o.matches(value)) {
        out.report(at, "enum", || format!("{value} is not one of {listed}"));
    }
}

/// `const`; `expected` is the constant as JSON text.
pub fn constant(value: &Value, literal: Literal, expected: &str, at: &At<'_>, out: &mut Findings) {
    if !literal.matches(value) {
        out.report(at, "const", || format!("{expected} was expected"));
    }
}

/// JSON equality as draft 7 defines it: numbers by value, objects by members.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (Num::of(x), Num::of(y)) {
            (Some(x), Some(y)) => x.compare(y) == Some(std::cmp::Ordering::Equal),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// The numeric bounds; `limit` is the bound as written in the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Minimum,
    Maximum,
    ExclusiveMinimum,
    ExclusiveMaximum,
}

/// `minimum`, `maximum`, `exclusiveMinimum` or `exclusiveMaximum`.
pub fn bound(
    value: &Value,
    bound: Bound,
    limit: Num,
    limit_text: &str,
    at: &At<'_>,
    out: &mut Findings,
) {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let Value::Number(n) = value else { return };
    let Some(order) = Num::of(n).and_then(|n| n.compare(limit)) else {
        return;
    };
    let (keyword, fails, relation) = match bound {
        Bound::Minimum => ("minimum", order == Less, "less than the minimum of"),
        Bound::Maximum => ("maximum", order == Greater, "greater than the maximum of"),
        Bound::ExclusiveMinimum => (
            "exclusiveMinimum",
            matches!(order, Less | Equal),
            "less than or equal to the minimum of",
        ),
        Bound::ExclusiveMaximum => (
            "exclusiveMaximum",
            matches!(order, Greater | Equal),
            "greater than or equal to the maximum of",
        ),
    };
    if fails {
        out.report(at, keyword, || {
            format!("{value} is {relation} {limit_text}")
        });
    }
}

/// `multipleOf`.
pub fn multiple_of(value: &Value, multiple: f64, at: &At<'_>, out: &mut Findings) {
    if let Value::Number(n) = value {
        if !numbers::is_multiple_of(n, multiple) {
            out.report(at, "multipleOf", || {
                format!("{value} is not a multiple of {multiple}")
            });
        }
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `minLength`, in Unicode code points.
pub fn min_length(value: &Value, limit: u64, at: &At<'_>, out: &mut Findings) {
    if let Value::String(s) = value {
        if (s.chars().count() as u64) < limit {
            out.report(at, "minLength", || {
                format!(
                    "{value} is shorter than {limit} character{}",
                    plural(limit, "", "s")
                )
            });
        }
    }
}

/// `maxLength`, in Unicode code points.
pub fn max_length(value: &Value, limit: u64, at: &At<'_>, out: &mut Findings) {
    if let Value::String(s) = value {
        if s.chars().count() as u64 > limit {
            out.report(at, "maxLength", || {
                format!(
                    "{value} is longer than {limit} character{}",
                    plural(limit, "", "s")
                )
            });
        }
    }
}

/// A `pattern`: ECMA-262 (JSON Schema's dialect, which `regress` implements),
/// compiled on first use and searched anywhere in the string (not anchored).
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `text` matches; `None` if the pattern does not compile (codegen
    /// compiles every pattern with the same engine first, so that is a bug).
    pub fn is_match(&self, text: &str) -> Option<bool> {
        self.compiled
            .get_or_init(|| regress::Regex::new(self.source).ok())
            .as_ref()
            .map(|re| re.find(text).is_some())
    }
}

/// `pattern`.
pub fn pattern(value: &Value, pattern: &Pattern, at: &At<'_>, out: &mut Findings) {
    if let Value::String(s) = value {
        match pattern.is_match(s) {
            Some(true) => {}
            Some(false) => out.report(at, "pattern", || {
                format!(r#"{value} does not match "{}""#, pattern.source)
            }),
            None => out.report(at, "pattern", || {
                format!("the pattern {:?} does not compile", pattern.source)
            }),
        }
    }
}

/// `format`, with one of [`super::formats`]' checkers.
pub fn format(value: &Value, name: &str, check: fn(&str) -> bool, at: &At<'_>, out: &mut Findings) {
    if let Value::String(s) = value {
        if !check(s) {
            out.report(at, "format", || format!(r#"{value} is not a "{name}""#));
        }
    }
}

/// `minItems`.
pub fn min_items(value: &Value, limit: u64, at: &At<'_>, out: &mut Findings) {
    if let Value::Array(a) = value {
        if (a.len() as u64) < limit {
            out.report(at, "minItems", || {
                format!(
                    "{value} has less than {limit} item{}",
                    plural(limit, "", "s")
                )
            });
        }
    }
}

/// `maxItems`.
pub fn max_items(value: &Value, limit: u64, at: &At<'_>, out: &mut Findings) {
    if let Value::Array(a) = value {
        if a.len() as u64 > limit {
            out.report(at, "maxItems", || {
                format!(
                    "{value} has more than {limit} item{}",
                    plural(limit, "", "s")
                )
            });
        }
    }
}

/// `uniqueItems: true`.
pub fn unique_items(value: &Value, at: &At<'_>, out: &mut Findings) {
    if let Value::Array(a) = value {
        let duplicated = a
            .iter()
            .enumerate()
            .any(|(i, x)| a[i + 1..].iter().any(|y| equal(x, y)));
        if duplicated {
            out.report(at, "uniqueItems", || {
                format!("{value} has non-unique elements")
            });
        }
    }
}

/// `items` (one schema for every element).
pub fn items(value: &Value, each: Check, at: &At<'_>, out: &mut Findings) {
    if let Value::Array(a) = value {
        for (i, item) in a.iter().enumerate() {
            each(item, &at.index(i), out);
        }
    }
}

/// `type: "array"` with `items` and the item-count bounds, which `jsonschema`
/// checks as one unit at the place of `items`.
pub fn array_shape(
    value: &Value,
    min: Option<u64>,
    max: Option<u64>,
    each: Check,
    at: &At<'_>,
    out: &mut Findings,
) {
    if !matches!(value, Value::Array(_)) {
        of_type(value, ARRAY, at, out);
        return;
    }
    if let Some(min) = min {
        min_items(value, min, at, out);
    }
    if let Some(max) = max {
        max_items(value, max, at, out);
    }
    items(value, each, at, out);
}

/// `minProperties`.
pub fn min_properties(value: &Value, limit: u64, at: &At<'_>, out: &mut Findings) {
    if let Value::Object(o) = value {
        if (o.len() as u64) < limit {
            out.report(at, "minProperties", || {
                format!(
                    "{value} has less than {limit} propert{}",
                    plural(limit, "y", "ies")
                )
            });
        }
    }
}

/// `maxProperties`.
pub fn max_properties(value: &Value, limit: u64, at: &At<'_>, out: &mut Findings) {
    if let Value::Object(o) = value {
        if o.len() as u64 > limit {
            out.report(at, "maxProperties", || {
                format!(
                    "{value} has more than {limit} propert{}",
                    plural(limit, "y", "ies")
                )
            });
        }
    }
}

/// A missing required member, reported at the member's own pointer.
fn missing(name: &str, at: &At<'_>, out: &mut Findings) {
    out.report_at(
        || openapi_document::child(&at.pointer(), name),
        "required",
        || format!("{} is a required property", Value::String(name.to_owned())),
    );
}

/// `required`, in the order the names are listed.
pub fn required(value: &Value, names: &[&str], at: &At<'_>, out: &mut Findings) {
    if let Value::Object(o) = value {
        for name in names {
            if !o.contains_key(*name) {
                missing(name, at, out);
            }
        }
    }
}

/// The schemas of `properties`, by name.
pub type Properties<'a> = &'a [(&'a str, Check)];

fn lookup(properties: Properties<'_>, name: &str) -> Option<Check> {
    properties.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Below this many declared properties `jsonschema` keeps them in a list.
const PROPERTY_LIST_LIMIT: usize = 15;

/// `properties` alone: members in the instance's order, except that a short
/// property list against an object with more than four members per listed
/// property is walked in the schema's order (as `jsonschema` does).
pub fn properties(value: &Value, properties: Properties<'_>, at: &At<'_>, out: &mut Findings) {
    let Value::Object(o) = value else { return };
    let by_schema = properties.len() < PROPERTY_LIST_LIMIT && o.len() > properties.len() * 4;
    if by_schema {
        for (name, check) in properties {
            if let Some(member) = o.get(*name) {
                check(member, &at.key(name), out);
            }
        }
    } else {
        members(o, properties, at, out);
    }
}

fn members(o: &Map<String, Value>, properties: Properties<'_>, at: &At<'_>, out: &mut Findings) {
    for (name, member) in o {
        if let Some(check) = lookup(properties, name) {
            check(member, &at.key(name), out);
        }
    }
}

/// `properties` with a `required` of two names (and no closing
/// `additionalProperties`): the two names first, then the members.
pub fn properties_required_two(
    value: &Value,
    properties: Properties<'_>,
    names: [&str; 2],
    at: &At<'_>,
    out: &mut Findings,
) {
    required(value, &names, at, out);
    self::properties(value, properties, at, out);
}

/// The members no property lists, reported as one violation (at the member's
/// pointer when there is one, as the error shape names a field).
fn unexpected(names: &[&str], at: &At<'_>, out: &mut Findings) {
    if names.is_empty() {
        return;
    }
    out.report_at(
        || match names {
            [one] => openapi_document::child(&at.pointer(), one),
            _ => at.pointer(),
        },
        "additionalProperties",
        || {
            let listed: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
            format!(
                "Additional properties are not allowed ({} {} unexpected)",
                listed.join(", "),
                if names.len() == 1 { "was" } else { "were" }
            )
        },
    );
}

/// `properties` with `additionalProperties: false`: members in order, then
/// one violation listing the undeclared ones; with one `required` name
/// (`required_one`), its absence after that.
pub fn closed(
    value: &Value,
    properties: Properties<'_>,
    required_one: Option<&str>,
    at: &At<'_>,
    out: &mut Findings,
) {
    let Value::Object(o) = value else { return };
    let mut undeclared = Vec::new();
    for (name, member) in o {
        match lookup(properties, name) {
            Some(check) => check(member, &at.key(name), out),
            None => undeclared.push(name.as_str()),
        }
    }
    unexpected(&undeclared, at, out);
    if let Some(name) = required_one {
        if !o.contains_key(name) {
            missing(name, at, out);
        }
    }
}

/// `additionalProperties: false` without `properties`: the first member is
/// refused as a `false` schema would refuse it, at the object's pointer.
pub fn no_members(value: &Value, at: &At<'_>, out: &mut Findings) {
    if let Value::Object(o) = value {
        if let Some((_, first)) = o.iter().next() {
            out.report(at, "falseSchema", || {
                format!("False schema does not allow {first}")
            });
        }
    }
}

/// `additionalProperties` with a schema (`rest`), beside `properties` (maybe none).
pub fn additional(
    value: &Value,
    properties: Properties<'_>,
    rest: Check,
    at: &At<'_>,
    out: &mut Findings,
) {
    let Value::Object(o) = value else { return };
    for (name, member) in o {
        let check = lookup(properties, name).unwrap_or(rest);
        check(member, &at.key(name), out);
    }
}

/// The `false` schema.
pub fn nothing(value: &Value, at: &At<'_>, out: &mut Findings) {
    out.report(at, "falseSchema", || {
        format!("False schema does not allow {value}")
    });
}

/// `anyOf`: one violation naming the keyword when no branch accepts.
pub fn any_of(value: &Value, branches: &[Check], at: &At<'_>, out: &mut Findings) {
    if !branches.iter().any(|b| Findings::accepts(*b, value, at)) {
        out.report(at, "anyOf", || {
            format!("{value} is not valid under any of the schemas listed in the 'anyOf' keyword")
        });
    }
}

/// `oneOf`: exactly one branch must accept.
pub fn one_of(value: &Value, branches: &[Check], at: &At<'_>, out: &mut Findings) {
    let mut accepted = branches
        .iter()
        .filter(|b| Findings::accepts(**b, value, at));
    match (accepted.next(), accepted.next()) {
        (Some(_), None) => {}
        (None, _) => out.report(at, "oneOf", || {
            format!("{value} is not valid under any of the schemas listed in the 'oneOf' keyword")
        }),
        (Some(_), Some(_)) => out.report(at, "oneOf", || {
            format!(
                "{value} is valid under more than one of the schemas listed in the 'oneOf' keyword"
            )
        }),
    }
}

/// `not`; `schema` is the negated schema as JSON text.
pub fn not(value: &Value, negated: Check, schema: &str, at: &At<'_>, out: &mut Findings) {
    if Findings::accepts(negated, value, at) {
        out.report(at, "not", || format!("{schema} is not allowed for {value}"));
    }
}
