//! One schema as the comparison sees it: its `$ref`s followed and its
//! `allOf` members merged (<https://spec.openapis.org/oas/v3.0.3#schema-object>),
//! every keyword kept with the pointer of the place that wrote it, and the
//! prose (`description`, `title`, `example`s, `x-` extensions) left out, so
//! that an inline schema and a `$ref` to an identical one read the same.

use super::canonical::PROSE;
use crate::context::{follow, Located};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// A set of JSON types (`null` included), as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Types(u8);

impl Types {
    pub const NULL: Types = Types(1);
    pub const BOOLEAN: Types = Types(2);
    pub const INTEGER: Types = Types(4);
    pub const NUMBER: Types = Types(8);
    pub const STRING: Types = Types(16);
    pub const ARRAY: Types = Types(32);
    pub const OBJECT: Types = Types(64);
    /// Every type: no `type` keyword.
    pub const ANY: Types = Types(127);
    const NAMES: [(&'static str, Types); 7] = [
        ("null", Self::NULL),
        ("boolean", Self::BOOLEAN),
        ("integer", Self::INTEGER),
        ("number", Self::NUMBER),
        ("string", Self::STRING),
        ("array", Self::ARRAY),
        ("object", Self::OBJECT),
    ];

    fn named(name: &str) -> Option<Types> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
    }

    pub fn contains(self, other: Types) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn union(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }

    pub fn intersect(self, other: Types) -> Types {
        Types(self.0 & other.0)
    }

    pub fn without(self, other: Types) -> Types {
        Types(self.0 & !other.0)
    }

    /// As a set of values: `number` includes the integers.
    pub fn values(self) -> Types {
        if self.contains(Self::NUMBER) {
            self.union(Self::INTEGER)
        } else {
            self
        }
    }

    /// How many types (`null` included).
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// `string`, `integer | null`, ... for messages.
    pub fn describe(self) -> String {
        if self == Self::ANY {
            return "any type".to_owned();
        }
        let names: Vec<&str> = Self::NAMES
            .iter()
            .filter(|(_, t)| self.contains(*t))
            .map(|(n, _)| *n)
            .collect();
        if names.is_empty() {
            "no type".to_owned()
        } else {
            names.join(" | ")
        }
    }
}

/// A keyword's value and where it is written.
#[derive(Debug, Clone)]
pub(crate) struct Keyword<'a> {
    pub value: &'a Value,
    pub at: String,
}

/// Keywords about the schema document itself, not about values.
const SCHEMA_META: &[&str] = &["$schema", "$id", "$anchor", "$defs", "definitions"];

/// One schema, merged.
#[derive(Debug, Clone)]
pub(crate) struct View<'a> {
    /// The schema node (after `$ref`s).
    pub at: String,
    /// `None`: no `type` anywhere (any value).
    pub types: Option<Types>,
    /// Where `type` (or `nullable`) is written; the node otherwise.
    pub type_at: String,
    pub nullable: bool,
    pub format: Option<Keyword<'a>>,
    /// `enum`, or `const` as an enum of one.
    pub enumeration: Option<(Vec<&'a Value>, String)>,
    pub keywords: BTreeMap<&'static str, Keyword<'a>>,
    pub patterns: Vec<Keyword<'a>>,
    pub properties: BTreeMap<&'a str, Located<'a>>,
    pub required: BTreeSet<&'a str>,
    pub additional: Option<Located<'a>>,
    pub items: Option<Located<'a>>,
    pub one_of: Vec<Located<'a>>,
    pub any_of: Vec<Located<'a>>,
    pub not: Option<Keyword<'a>>,
    pub discriminator: Option<Keyword<'a>>,
    pub default: Option<Keyword<'a>>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// Validation keywords not modeled above (`readOnly`, `prefixItems`, ...).
    pub other: BTreeMap<&'a str, Keyword<'a>>,
}

/// The bound keywords kept in [`View::keywords`].
pub(crate) const BOUNDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

impl<'a> View<'a> {
    /// Follows `start`'s `$ref`s and merges its `allOf` members.
    pub fn build(root: &'a Value, start: Located<'a>) -> View<'a> {
        let (node, _) = follow(root, start);
        let mut view = View {
            at: node.at.clone(),
            types: None,
            type_at: node.at.clone(),
            nullable: false,
            format: None,
            enumeration: None,
            keywords: BTreeMap::new(),
            patterns: Vec::new(),
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            additional: None,
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            not: None,
            discriminator: None,
            default: None,
            deprecated: false,
            read_only: false,
            write_only: false,
            other: BTreeMap::new(),
        };
        let mut seen = HashSet::new();
        view.merge(root, node, &mut seen);
        if view.types.is_none() {
            // `properties` without `type: object` is how many documents
            // write an object; reading it so keeps `type: object` added
            // later from looking like a change.
            if !view.properties.is_empty() || view.additional.is_some() {
                view.types = Some(Types::OBJECT);
            } else if view.items.is_some() {
                view.types = Some(Types::ARRAY);
            }
        }
        if view.nullable {
            view.types = view.types.map(|t| t.union(Types::NULL));
        }
        view
    }

    fn merge(&mut self, root: &'a Value, node: Located<'a>, seen: &mut HashSet<String>) {
        if !seen.insert(node.at.clone()) {
            return;
        }
        let Some(map) = node.value.as_object() else {
            return;
        };
        for (key, value) in map {
            let at = node.child_at(key);
            let keyword = || Keyword {
                value,
                at: at.clone(),
            };
            match key.as_str() {
                "type" => {
                    let types = match value {
                        Value::String(name) => Types::named(name),
                        Value::Array(names) => Some(
                            names
                                .iter()
                                .filter_map(Value::as_str)
                                .filter_map(Types::named)
                                .fold(Types::default(), Types::union),
                        ),
                        _ => None,
                    };
                    if let Some(types) = types {
                        self.types = Some(self.types.map_or(types, |t| t.intersect(types)));
                        self.type_at = at;
                    }
                }
                "nullable" => {
                    if value.as_bool() == Some(true) {
                        self.nullable = true;
                    }
                }
                "format" => {
                    self.format.get_or_insert_with(keyword);
                }
                "enum" => {
                    if let Some(values) = value.as_array() {
                        self.enumeration
                            .get_or_insert_with(|| (values.iter().collect(), at.clone()));
                    }
                }
                "const" => {
                    self.enumeration
                        .get_or_insert_with(|| (vec![value], at.clone()));
                }
                "pattern" => self.patterns.push(keyword()),
                "properties" => {
                    for (name, schema) in node.entries("properties") {
                        self.properties.entry(name).or_insert(schema);
                    }
                }
                "required" => {
                    for name in value.as_array().into_iter().flatten() {
                        if let Some(name) = name.as_str() {
                            self.required.insert(name);
                        }
                    }
                }
                "additionalProperties" => {
                    self.additional
                        .get_or_insert_with(|| Located::new(value, at.clone()));
                }
                "items" => {
                    self.items
                        .get_or_insert_with(|| Located::new(value, at.clone()));
                }
                "oneOf" => self.one_of.extend(node.items("oneOf")),
                "anyOf" => self.any_of.extend(node.items("anyOf")),
                "allOf" => {
                    for member in node.items("allOf") {
                        let (member, _) = follow(root, member);
                        self.merge(root, member, seen);
                    }
                }
                "not" => {
                    self.not.get_or_insert_with(keyword);
                }
                "discriminator" => {
                    self.discriminator.get_or_insert_with(keyword);
                }
                "default" => {
                    self.default.get_or_insert_with(keyword);
                }
                "deprecated" => self.deprecated |= value.as_bool() == Some(true),
                "readOnly" => self.read_only |= value.as_bool() == Some(true),
                "writeOnly" => self.write_only |= value.as_bool() == Some(true),
                "$ref" => {
                    // OpenAPI 3.1 allows keywords beside `$ref`: the target
                    // applies like one more `allOf` member.
                    let (target, _) = follow(root, node.clone());
                    if target.at != node.at {
                        self.merge(root, target, seen);
                    }
                }
                k => {
                    if let Some(&bound) = BOUNDS.iter().find(|b| **b == k) {
                        self.keywords.entry(bound).or_insert_with(keyword);
                    } else if !PROSE.contains(&k)
                        && !SCHEMA_META.contains(&k)
                        && !k.starts_with("x-")
                    {
                        self.other.entry(k).or_insert_with(keyword);
                    }
                }
            }
        }
    }

    /// The value types, `null` excluded (`None`: any).
    pub fn value_types(&self) -> Option<Types> {
        self.types.map(|t| t.without(Types::NULL))
    }

    /// Whether `null` is allowed.
    pub fn allows_null(&self) -> bool {
        self.types.is_some_and(|t| t.contains(Types::NULL))
            || self
                .enumeration
                .as_ref()
                .is_some_and(|(values, _)| values.iter().any(|v| v.is_null()))
    }

    /// `additionalProperties: false`: no property beyond those listed.
    pub fn is_closed(&self) -> bool {
        self.additional
            .as_ref()
            .is_some_and(|a| a.value == &Value::Bool(false))
    }

    /// A number keyword.
    pub fn number(&self, keyword: &str) -> Option<f64> {
        self.keywords.get(keyword).and_then(|k| k.value.as_f64())
    }

    /// The keyword's pointer, or the node's when it is absent.
    pub fn at_of(&self, keyword: &str) -> String {
        self.keywords
            .get(keyword)
            .map(|k| k.at.clone())
            .unwrap_or_else(|| self.at.clone())
    }
}
