//! What typify 0.8 is given: the JSON Schema of `schema_json::to_json_schema`,
//! with the constructs typify cannot turn into Rust relaxed. Relaxing is safe
//! because the types only shape data: the adapter validates every request
//! body and parameter against the full schema first (`Schema::validate`), so
//! a constraint dropped here is still enforced.
//!
//! - `not`: typify `todo!`s on it; dropped (`{not: X}` alone is any value).
//! - `enum` values that do not fit the schema's type, repeat, or become the
//!   same Rust variant name (`e-`/`e+`), and an untyped enum of several JSON
//!   types (`[1, "a"]`): typify fails or panics on them; such an enum is
//!   dropped (its type stays), a duplicate value removed.
//! - an empty `allOf` (typify panics): dropped.
//! - `default` values that do not fit the type: typify refuses the schema
//!   ("value does not conform") or cannot render them; dropped, as is the
//!   default of a nullable schema (its field is `Option<Option<T>>`, absent
//!   ≠ `null`, and typify's default attribute would repeat serde's).
//! - a `format` without `type` (`{format: date-time}`): typify `todo!`s; the
//!   type the format implies is added, and a format that implies none
//!   (`{format: string}`) is dropped, as is a format on a type formats do not
//!   apply to (`{type: object, format: file}`).
//! - an untyped schema with the keywords of several types
//!   (`{maxItems: 1, properties: …}`): typify `todo!`s; the first of object,
//!   array, string, number it has keywords of becomes its type, the others'
//!   keywords are dropped.
//! - a `$ref` with siblings (`{$ref: …, type: string}`): OpenAPI 3.0 ignores
//!   them ([Reference Object](https://spec.openapis.org/oas/v3.0.3#reference-object)),
//!   typify asserts they agree with the target; only annotations are kept.
//!
//! [`name_inline_types`] then keeps typify's type names apart: typify names an
//! inline object after its parent and property (`User.role` → `UserRole`) or
//! after its `title`, and a component of that name makes two Rust types of one
//! name (`error[E0428]`).

use crate::names;
use openapi_document::schemas::subschemas;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// `schema` (already JSON Schema) made digestible for typify, recursively.
pub fn relax(schema: &Value) -> Value {
    let mut out = schema.clone();
    relax_in_place(&mut out);
    out
}

fn relax_in_place(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    map.remove("not");
    if map
        .get("type")
        .is_some_and(|t| !t.is_string() && !t.is_array())
    {
        map.remove("type");
    }
    if map.contains_key("$ref") {
        map.retain(|k, _| matches!(k.as_str(), "$ref" | "description" | "title"));
        return;
    }
    if !map.contains_key("type") {
        let implied = map
            .get("format")
            .and_then(Value::as_str)
            .and_then(format_type)
            .or_else(|| keyword_type(map))
            .or_else(|| first_keyword_family(map));
        if let Some(ty) = implied {
            map.insert("type".into(), json!(ty));
            drop_other_families(map, ty);
        }
    }
    let types = types_of(map);
    let formatted = types.is_empty()
        || types
            .iter()
            .any(|t| matches!(t.as_str(), "string" | "integer" | "number"));
    if !formatted
        || (types.is_empty()
            && map
                .get("format")
                .and_then(Value::as_str)
                .and_then(format_type)
                .is_none())
    {
        map.remove("format");
    }
    // `allOf: []` (invalid, but seen in published documents) adds nothing; typify panics on it.
    if map
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        map.remove("allOf");
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let mut kept: Vec<Value> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for v in values {
            if fits(v, &types) && seen.insert(v.to_string()) {
                kept.push(v.clone());
            }
        }
        let distinct_names = {
            let strings: Vec<&str> = kept.iter().filter_map(Value::as_str).collect();
            let names: BTreeSet<String> = strings.iter().map(|s| names::pascal(s)).collect();
            names.len() == strings.len()
                && strings.iter().all(|s| s.chars().any(char::is_alphanumeric))
        };
        // An untyped enum of several JSON types (`[1, "a"]`): typify panics.
        let kinds: BTreeSet<&str> = kept.iter().map(json_kind).collect();
        let mixed = types.is_empty() && kinds.len() > 1;
        if kept.is_empty() || !distinct_names || mixed {
            map.remove("enum");
        } else {
            map.insert("enum".into(), Value::Array(kept));
        }
    }
    if let Some(default) = map.get("default") {
        // A nullable property is `Option<Option<T>>` (absent ≠ `null`), whose serde
        // attributes already say absent is `None`; typify's default on top does not compile.
        if !fits(default, &types) || types.iter().any(|t| t == "null") {
            map.remove("default");
        }
    }
    let children: Vec<Vec<String>> = subschemas(schema)
        .into_iter()
        .map(|(segments, _)| segments)
        .collect();
    for segments in children {
        if let Some(child) = at_mut(schema, &segments) {
            relax_in_place(child);
        }
    }
}

/// Gives every inline schema typify would name (an object, an enum, a
/// composition, a constrained string) under a component's `properties` and
/// `items` a Rust name no component and no other inline type has, by setting
/// its `title`, which typify's name follows. An inline copy of the component
/// it collides with becomes a `$ref` to it; inline copies of one another keep
/// their shared name (typify makes one type of them).
pub fn name_inline_types(defs: &mut [(String, Value)]) {
    let mut taken: std::collections::BTreeMap<String, Value> = defs
        .iter()
        .map(|(name, schema)| (type_name(name), schema.clone()))
        .collect();
    let components: std::collections::BTreeMap<String, String> = defs
        .iter()
        .map(|(name, _)| (type_name(name), name.clone()))
        .collect();
    for (name, schema) in defs.iter_mut() {
        name_children(schema, &type_name(name), &mut taken, &components);
    }
}

/// typify's Rust name for a schema name (its `sanitize` to PascalCase).
fn type_name(name: &str) -> String {
    use heck::ToPascalCase;
    let cleaned: String = name
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    cleaned.to_pascal_case()
}

fn name_children(
    schema: &mut Value,
    parent: &str,
    taken: &mut std::collections::BTreeMap<String, Value>,
    components: &std::collections::BTreeMap<String, String>,
) {
    use heck::ToSnakeCase;
    let Value::Object(map) = schema else {
        return;
    };
    let mut children: Vec<(String, &mut Value)> = Vec::new();
    for (keyword, value) in map.iter_mut() {
        match (keyword.as_str(), value) {
            ("properties", Value::Object(props)) => {
                for (prop, child) in props.iter_mut() {
                    children.push((format!("{parent}_{}", prop.to_snake_case()), child));
                }
            }
            ("items", items @ Value::Object(_)) => children.push((format!("{parent}_item"), items)),
            _ => {}
        }
    }
    for (suggested, child) in children {
        let Some(child_map) = child.as_object() else {
            continue;
        };
        if child_map.contains_key("$ref") {
            continue;
        }
        if !becomes_named_type(child_map) {
            // An array's items are named after it (`User_tags_item`), its title unused.
            name_children(child, &type_name(&suggested), taken, components);
            continue;
        }
        let natural = type_name(
            child_map
                .get("title")
                .and_then(Value::as_str)
                .unwrap_or(&suggested),
        );
        let mut unique = natural.clone();
        match taken.get(&natural) {
            None => {}
            Some(existing) if strip_title(existing) == strip_title(child) => {
                if let Some(component) = components.get(&natural) {
                    *child = json!({ "$ref": format!("#/definitions/{component}") });
                }
                continue;
            }
            Some(_) => {
                let mut n = 2;
                while taken.contains_key(&unique) {
                    unique = format!("{natural}{n}");
                    n += 1;
                }
                if let Value::Object(m) = child {
                    m.insert("title".into(), json!(unique));
                }
            }
        }
        taken.insert(unique.clone(), child.clone());
        name_children(child, &unique, taken, components);
    }
}

/// Whether typify makes a named Rust type of the schema.
fn becomes_named_type(map: &Map<String, Value>) -> bool {
    ["properties", "enum", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| map.contains_key(*k))
        || (types_of(map) == ["string"]
            && ["pattern", "minLength", "maxLength"]
                .iter()
                .any(|k| map.contains_key(*k)))
}

fn strip_title(schema: &Value) -> Value {
    let mut out = schema.clone();
    if let Value::Object(m) = &mut out {
        m.remove("title");
    }
    out
}

/// The JSON type of a value (integers and other numbers alike).
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn at_mut<'a>(value: &'a mut Value, segments: &[String]) -> Option<&'a mut Value> {
    let mut slot = value;
    for s in segments {
        slot = match slot {
            Value::Object(m) => m.get_mut(s)?,
            Value::Array(a) => a.get_mut(s.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(slot)
}

/// The JSON types a schema object names (`type` as a string or a list).
fn types_of(map: &Map<String, Value>) -> Vec<String> {
    match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is of one of `types` (any, when none are named).
fn fits(value: &Value, types: &[String]) -> bool {
    if types.is_empty() {
        return true;
    }
    types.iter().any(|t| match (t.as_str(), value) {
        ("null", Value::Null) | ("boolean", Value::Bool(_)) | ("string", Value::String(_)) => true,
        ("array", Value::Array(_)) | ("object", Value::Object(_)) => true,
        ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    })
}

/// Each type's validation keywords, in the order an ambiguous schema is read
/// (object first: `properties` says the most about the data).
const FAMILIES: [(&str, &[&str]); 4] = [
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    ("string", &["minLength", "maxLength", "pattern"]),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
];

fn families_present(map: &Map<String, Value>) -> Vec<&'static str> {
    FAMILIES
        .iter()
        .filter(|(_, keys)| keys.iter().any(|k| map.contains_key(*k)))
        .map(|(ty, _)| *ty)
        .collect()
}

/// The one type a schema's validation keywords imply (`{minimum: 0}` is a
/// number), when they are of one type's keywords only; typify `todo!`s on an
/// untyped schema that has them.
fn keyword_type(map: &Map<String, Value>) -> Option<&'static str> {
    match (families_present(map).as_slice(), has_composition(map)) {
        ([one], false) => Some(one),
        _ => None,
    }
}

/// The first type (in [`FAMILIES`] order) of an untyped schema that mixes
/// several types' keywords without composing schemas.
fn first_keyword_family(map: &Map<String, Value>) -> Option<&'static str> {
    if has_composition(map) {
        return None;
    }
    families_present(map).first().copied()
}

/// Removes the keywords of every type but `ty`.
fn drop_other_families(map: &mut Map<String, Value>, ty: &str) {
    for (family, keys) in FAMILIES {
        if family != ty {
            for k in keys {
                map.remove(*k);
            }
        }
    }
}

fn has_composition(map: &Map<String, Value>) -> bool {
    ["allOf", "anyOf", "oneOf", "enum", "const"]
        .iter()
        .any(|k| map.contains_key(*k))
}

/// The type an OpenAPI format implies.
fn format_type(format: &str) -> Option<&'static str> {
    Some(match format {
        "int32" | "int64" => "integer",
        "float" | "double" => "number",
        "date" | "date-time" | "time" | "duration" | "email" | "uuid" | "uri" | "uri-reference"
        | "hostname" | "ipv4" | "ipv6" | "byte" | "binary" | "password" | "regex" => "string",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_typify_cannot_take_is_relaxed() {
        let schema = json!({
            "type": "object",
            "properties": {
                "sign": {"type": "string", "enum": ["e-", "e+", "mu-"]},
                "kind": {"type": "string", "enum": ["kml", "kml", "csv"]},
                "n": {"type": "string", "default": null},
                "nullable_default": {"type": ["string", "null"], "default": ""},
                "t": {"format": "date-time"},
                "bounded": {"minimum": 0, "maximum": 100},
                "mixed": {"maxItems": 1, "properties": {"a": {"type": "number"}}},
                "listed": {"type": "array", "format": "list of urls", "items": {"type": "string"}},
                "untyped": {"format": "string", "description": "d"},
                "referenced": {"$ref": "#/definitions/B", "type": "string", "description": "d"},
                "x": {"not": {"type": "string"}, "description": "anything else"},
                "mixed_enum": {"enum": [1, "a", true]},
                "no_parts": {"allOf": [], "type": "object"}
            }
        });
        let out = relax(&schema);
        let p = &out["properties"];
        assert!(p["sign"].get("enum").is_none());
        assert_eq!(p["kind"]["enum"], json!(["kml", "csv"]));
        assert!(p["n"].get("default").is_none());
        assert!(p["nullable_default"].get("default").is_none());
        assert_eq!(p["t"]["type"], "string");
        assert_eq!(p["bounded"]["type"], "number");
        assert_eq!(
            p["mixed"],
            json!({"type": "object", "properties": {"a": {"type": "number"}}})
        );
        assert!(p["listed"].get("format").is_none());
        assert_eq!(p["untyped"], json!({"description": "d"}));
        assert_eq!(
            p["referenced"],
            json!({"$ref": "#/definitions/B", "description": "d"})
        );
        assert_eq!(p["x"], json!({"description": "anything else"}));
        assert!(p["mixed_enum"].get("enum").is_none());
        assert_eq!(p["no_parts"], json!({"type": "object"}));
    }

    #[test]
    fn inline_types_get_names_no_component_has() {
        let role = json!({"type": "string", "enum": ["admin", "user"]});
        let mut defs = vec![
            (
                "User".to_owned(),
                json!({"type": "object", "properties": {
                    "role": {"type": "object", "properties": {"id": {"type": "integer"}}},
                    "kind": role.clone(),
                    "tags": {"type": "array", "items": {"title": "UserRole", "type": "object", "properties": {"t": {}}}},
                    "plain": {"type": "string"}
                }}),
            ),
            (
                "UserRole".to_owned(),
                json!({"type": "string", "enum": ["x"]}),
            ),
            ("UserKind".to_owned(), role),
        ];
        name_inline_types(&mut defs);
        let p = &defs[0].1["properties"];
        assert_eq!(p["role"]["title"], "UserRole2");
        assert_eq!(p["kind"], json!({"$ref": "#/definitions/UserKind"}));
        assert_eq!(p["tags"]["items"]["title"], "UserRole3");
        assert!(p["plain"].get("title").is_none());
    }
}
