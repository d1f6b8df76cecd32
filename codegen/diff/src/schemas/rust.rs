//! What the generated Rust API exposes for a schema: the shape of the type
//! typify 0.8 generates for it, and whether a struct field of it is an
//! `Option`. A change of either breaks code that uses the generated crates
//! even when the wire stays compatible (for example `String` becoming a
//! checked newtype once a `pattern` appears, or `i64` becoming
//! `NonZeroU64` once `minimum: 1` does).

use super::view::{Types, View};

/// The shape of a generated type, precise enough that a difference is a
/// different Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `serde_json::Value`.
    Any,
    Bool,
    Integer(&'static str),
    Float(&'static str),
    /// `String`, a checked newtype, `Uuid`, a chrono or `std::net` type.
    Text(&'static str),
    /// A Rust enum of the listed values.
    Enum,
    /// A Rust enum of the alternatives (`oneOf`, `anyOf`, several types).
    Union,
    Vec,
    Map,
    Struct,
}

impl Shape {
    pub fn of(view: &View<'_>) -> Shape {
        if view.enumeration.is_some() {
            return Shape::Enum;
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            return Shape::Union;
        }
        let Some(types) = view.value_types() else {
            return Shape::Any;
        };
        if types.len() > 1 {
            return Shape::Union;
        }
        match types {
            t if t == Types::BOOLEAN => Shape::Bool,
            t if t == Types::INTEGER => Shape::Integer(integer_type(view)),
            t if t == Types::NUMBER => {
                Shape::Float(match view.format.as_ref().and_then(|f| f.value.as_str()) {
                    Some("float") => "f32",
                    _ => "f64",
                })
            }
            t if t == Types::STRING => Shape::Text(string_type(view)),
            t if t == Types::ARRAY => Shape::Vec,
            t if t == Types::OBJECT => {
                let open_map = match &view.additional {
                    None => true,
                    Some(a) => a.value != &serde_json::Value::Bool(false),
                };
                if view.properties.is_empty() && open_map {
                    Shape::Map
                } else {
                    Shape::Struct
                }
            }
            _ => Shape::Any,
        }
    }

    /// How a message names it.
    pub fn describe(&self) -> String {
        match self {
            Shape::Any => "`serde_json::Value`".into(),
            Shape::Bool => "`bool`".into(),
            Shape::Integer(t) | Shape::Float(t) => format!("`{t}`"),
            Shape::Text("newtype") => "a checked newtype of `String`".into(),
            Shape::Text(t) => format!("`{t}`"),
            Shape::Enum => "an enum of the listed values".into(),
            Shape::Union => "an enum of the alternatives".into(),
            Shape::Vec => "a `Vec`".into(),
            Shape::Map => "a map".into(),
            Shape::Struct => "a struct".into(),
        }
    }

    /// Arrays and maps have an intrinsic default, so typify does not wrap
    /// an optional one in `Option`.
    fn has_intrinsic_default(&self) -> bool {
        matches!(self, Shape::Vec | Shape::Map)
    }
}

/// Whether typify makes the struct field of this property an `Option`:
/// nullable always; otherwise when it is not required, unless an array, a
/// map or a property with a `default` (filled in by serde instead).
pub(crate) fn field_is_option(view: &View<'_>, required: bool) -> bool {
    if view.allows_null() {
        return true;
    }
    if required {
        return false;
    }
    !(Shape::of(view).has_intrinsic_default() || view.default.is_some())
}

/// typify's string mapping: a few formats become their own types; any
/// length or pattern constraint makes a checked newtype.
fn string_type(view: &View<'_>) -> &'static str {
    match view.format.as_ref().and_then(|f| f.value.as_str()) {
        Some("uuid") => "uuid::Uuid",
        Some("date") => "chrono::NaiveDate",
        Some("date-time") => "chrono::DateTime<Utc>",
        Some("ip") => "std::net::IpAddr",
        Some("ipv4") => "std::net::Ipv4Addr",
        Some("ipv6") => "std::net::Ipv6Addr",
        _ => {
            let constrained = !view.patterns.is_empty()
                || view.keywords.contains_key("minLength")
                || view.keywords.contains_key("maxLength");
            if constrained {
                "newtype"
            } else {
                "String"
            }
        }
    }
}

/// The integer formats typify knows, most restrictive first: format, type,
/// non-zero type, range.
const INTEGERS: &[(&str, &str, &str, f64, f64)] = &[
    ("int8", "i8", "NonZeroU8", i8::MIN as f64, i8::MAX as f64),
    ("uint8", "u8", "NonZeroU8", 0.0, u8::MAX as f64),
    (
        "int16",
        "i16",
        "NonZeroU16",
        i16::MIN as f64,
        i16::MAX as f64,
    ),
    ("uint16", "u16", "NonZeroU16", 0.0, u16::MAX as f64),
    ("int", "i32", "NonZeroU32", i32::MIN as f64, i32::MAX as f64),
    (
        "int32",
        "i32",
        "NonZeroU32",
        i32::MIN as f64,
        i32::MAX as f64,
    ),
    ("uint", "u32", "NonZeroU32", 0.0, u32::MAX as f64),
    ("uint32", "u32", "NonZeroU32", 0.0, u32::MAX as f64),
    (
        "int64",
        "i64",
        "NonZeroU64",
        i64::MIN as f64,
        i64::MAX as f64,
    ),
    ("uint64", "u64", "NonZeroU64", 0.0, u64::MAX as f64),
];

/// The integer type typify picks: the format's type when the bounds fit
/// it (its non-zero type for `minimum: 1`), else the type whose range the
/// bounds name exactly, else `i64`.
fn integer_type(view: &View<'_>) -> &'static str {
    let exclusive = |k: &str| view.keywords.get(k).map(|k| k.value);
    let lower = match (view.number("minimum"), exclusive("exclusiveMinimum")) {
        (Some(m), Some(serde_json::Value::Bool(true))) => Some(m + 1.0),
        (m, Some(e)) if e.is_number() => {
            let e = e.as_f64().unwrap_or(f64::MIN) + 1.0;
            Some(m.map_or(e, |m| m.max(e)))
        }
        (m, _) => m,
    };
    let upper = match (view.number("maximum"), exclusive("exclusiveMaximum")) {
        (Some(m), Some(serde_json::Value::Bool(true))) => Some(m - 1.0),
        (m, Some(e)) if e.is_number() => {
            let e = e.as_f64().unwrap_or(f64::MAX) - 1.0;
            Some(m.map_or(e, |m| m.min(e)))
        }
        (m, _) => m,
    };
    let multiple = view.keywords.contains_key("multipleOf");
    let (mut lower, mut upper) = (lower, upper);
    let format = view.format.as_ref().and_then(|f| f.value.as_str());
    if let Some(&(_, ty, non_zero, min, max)) = INTEGERS.iter().find(|e| Some(e.0) == format) {
        let fits = lower.is_none_or(|l| l >= min) && upper.is_none_or(|u| u <= max);
        if !multiple && fits {
            return if lower == Some(1.0) { non_zero } else { ty };
        }
        lower = lower.or(Some(min));
        upper = upper.or(Some(max));
    }
    let same = |a: f64, b: f64| (a - b).abs() <= f64::EPSILON;
    let by_range = INTEGERS
        .iter()
        .rev()
        .find_map(|&(_, ty, non_zero, min, max)| match (lower, upper) {
            (Some(1.0), _) => Some(non_zero),
            (None, Some(u)) => same(max, u).then_some(ty),
            (Some(l), None) => same(min, l).then_some(ty),
            (Some(l), Some(u)) => (same(min, l) && same(max, u)).then_some(ty),
            (None, None) => None,
        });
    by_range.unwrap_or("i64")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Located;
    use serde_json::json;

    fn shape(schema: serde_json::Value) -> Shape {
        let root = json!({});
        Shape::of(&View::build(&root, Located::new(&schema, "")))
    }

    #[test]
    fn shapes_follow_what_typify_generates() {
        // The accounts spec: `limit` (minimum 1) and `version` (int64, minimum 1).
        assert_eq!(
            shape(json!({"type": "integer", "minimum": 1, "maximum": 100})),
            Shape::Integer("NonZeroU64")
        );
        assert_eq!(
            shape(json!({"type": "integer", "format": "int64", "minimum": 1})),
            Shape::Integer("NonZeroU64")
        );
        assert_eq!(
            shape(json!({"type": "integer", "format": "int32"})),
            Shape::Integer("i32")
        );
        assert_eq!(shape(json!({"type": "integer"})), Shape::Integer("i64"));
        assert_eq!(
            shape(json!({"type": "integer", "minimum": 0})),
            Shape::Integer("u64")
        );
        assert_eq!(shape(json!({"type": "string"})), Shape::Text("String"));
        assert_eq!(
            shape(json!({"type": "string", "maxLength": 3})),
            Shape::Text("newtype")
        );
        assert_eq!(
            shape(json!({"type": "string", "format": "uuid", "maxLength": 3})),
            Shape::Text("uuid::Uuid")
        );
        assert_eq!(shape(json!({"type": "string", "enum": ["a"]})), Shape::Enum);
        assert_eq!(shape(json!({"type": "object"})), Shape::Map);
        assert_eq!(shape(json!({"properties": {"a": {}}})), Shape::Struct);
        assert_eq!(
            shape(json!({"type": ["string", "null"]})),
            Shape::Text("String")
        );
        assert_eq!(shape(json!({"type": ["string", "integer"]})), Shape::Union);
    }
}
