//! Validators compiled at build time: each parameter and body schema (the
//! self-contained draft-7 JSON Schema of [`crate::schema_json`]) becomes plain
//! Rust functions, one per schema node, calling the keyword checks of
//! `codegen_runtime::validation::keywords` in the order the `jsonschema` crate
//! 0.61 evaluates them (its keyword priorities and the keyword combinations it
//! checks as one unit), so that the field errors stay the ones it reports. A
//! Lambda then links no schema compiler and compiles nothing on its first
//! request; `codegen/differential` checks the two agree on generated instances.
//!
//! Draft 7 (<https://json-schema.org/draft-07/json-schema-validation>): `$ref`
//! replaces its siblings; `format` checks the draft's formats and OpenAPI's
//! `uuid` and ignores any other; keywords that are not draft-7 validation
//! keywords are annotations. A validation keyword OpenAPI 3.0 cannot express
//! (`patternProperties`, `dependencies`, `if`, ...) is refused by name.

use crate::model::Api;
use crate::names;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The name of the generated module holding the validators.
pub const MODULE: &str = "validators";

/// Which check function validates each schema text, as generated code names it
/// from an operation's module (`super::validators::…`).
#[derive(Debug, Default)]
pub struct Checks(BTreeMap<String, String>);

impl Checks {
    /// The path of the check compiled from `schema` (every schema of the API was compiled).
    pub fn path(&self, schema: &str) -> String {
        let name = self.0.get(schema).map_or("any", String::as_str);
        format!("super::{MODULE}::{name}")
    }
}

/// Compiles the schema of every parameter and request body of `api`, named
/// after its operation (`create_account_idempotency_key`, `create_account_body_0`).
pub fn of_api(api: &Api) -> Result<(Validators, Checks), String> {
    let mut validators = Validators::new();
    let mut checks = Checks::default();
    for (hint, schema) in schemas(api) {
        let name = validators
            .add(&hint, schema)
            .map_err(|e| format!("the schema of {hint}: {e}"))?;
        checks.0.insert(schema.to_owned(), name);
    }
    Ok((validators, checks))
}

/// Every schema the generated server validates, with the name its check gets:
/// each operation's parameters, then its body's media types.
pub fn schemas(api: &Api) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for op in &api.operations {
        for p in &op.parameters {
            out.push((format!("{}_{}", op.snake, p.field), p.schema.as_str()));
        }
        if let Some(body) = &op.body {
            for (i, m) in body.media.iter().enumerate() {
                if let Some(schema) = &m.schema {
                    out.push((format!("{}_body_{i}", op.snake), schema.as_str()));
                }
            }
        }
    }
    out
}

/// The module path generated code uses for the runtime's keyword checks.
const K: &str = "k";

/// Keywords that annotate only (draft 7 and OpenAPI), never constrain.
const ANNOTATIONS: &[&str] = &[
    "$id",
    "$schema",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "example",
    "readOnly",
    "writeOnly",
    "deprecated",
    "definitions",
    "nullable",
    "discriminator",
    "xml",
    "externalDocs",
    "contentMediaType",
    "contentEncoding",
];

/// Draft-7 validation keywords these validators do not compile.
const REFUSED: &[&str] = &[
    "patternProperties",
    "dependencies",
    "propertyNames",
    "if",
    "then",
    "else",
    "contains",
    "additionalItems",
];

/// Formats `jsonschema` checks under draft 7 (plus OpenAPI's `uuid`, which the
/// runtime registered by hand), and the runtime checker of each.
const FORMATS: &[(&str, Option<&str>)] = &[
    ("date", Some("date")),
    ("date-time", Some("date_time")),
    ("time", Some("time")),
    ("email", Some("email")),
    ("hostname", Some("hostname")),
    ("ipv4", Some("ipv4")),
    ("ipv6", Some("ipv6")),
    ("uri", Some("uri")),
    ("uri-reference", Some("uri_reference")),
    ("json-pointer", Some("json_pointer")),
    ("relative-json-pointer", Some("relative_json_pointer")),
    ("uuid", Some("uuid")),
    // Checked by `jsonschema` too, but not compiled here yet: refused by name.
    ("iri", None),
    ("iri-reference", None),
    ("uri-template", None),
    ("regex", None),
];

/// `jsonschema`'s evaluation order of the keywords (lower first; ties keep
/// the schema's order).
fn priority(keyword: &str) -> u8 {
    match keyword {
        "type" => 1,
        "const" => 5,
        "enum" => 6,
        "minimum" => 10,
        "maximum" => 11,
        "exclusiveMinimum" => 12,
        "exclusiveMaximum" => 13,
        "multipleOf" => 14,
        "minLength" => 20,
        "maxLength" => 21,
        "minItems" => 22,
        "maxItems" => 23,
        "minProperties" => 24,
        "maxProperties" => 25,
        "required" => 26,
        "pattern" => 30,
        "format" => 31,
        "uniqueItems" => 35,
        "properties" => 40,
        "additionalProperties" => 42,
        "items" => 44,
        "allOf" => 50,
        "anyOf" => 51,
        "oneOf" => 52,
        "not" => 53,
        _ => 80,
    }
}

/// Below this many properties `jsonschema` fuses a two-name `required` into `properties`.
const PROPERTY_LIST_LIMIT: usize = 15;

/// Where a node lives, so that equal nodes compile once: inside a named
/// definition (shared by every schema that embeds the same definition), or
/// elsewhere in one root schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum NodeKey {
    Definition {
        name: String,
        text: String,
        rest: String,
    },
    Root {
        root: usize,
        pointer: String,
    },
}

/// The validators of one generated module.
#[derive(Debug, Default)]
pub struct Validators {
    /// Distinct root schema texts, and the function compiled for each.
    roots: Vec<(String, String)>,
    nodes: BTreeMap<NodeKey, String>,
    taken: BTreeSet<String>,
    functions: Vec<String>,
    patterns: Vec<String>,
    /// Whether a node accepts everything (the module then defines `any`).
    uses_any: bool,
    /// What the `add` in progress put into `nodes` and `taken`, taken back
    /// if it fails, so a refused schema leaves no name without a function.
    added_keys: Vec<NodeKey>,
    added_names: Vec<String>,
}

/// One root schema being compiled.
struct Root<'a> {
    id: usize,
    doc: &'a Value,
}

impl Validators {
    pub fn new() -> Self {
        let mut v = Self::default();
        v.taken
            .extend(["any".to_owned(), K.to_owned(), "f".to_owned()]);
        v
    }

    /// Whether no schema was added.
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Compiles `schema` (self-contained JSON Schema text); returns the name
    /// of its check function in the module. `hint` names it (`create_account_body_0`).
    pub fn add(&mut self, hint: &str, schema: &str) -> Result<String, String> {
        if let Some((_, name)) = self.roots.iter().find(|(text, _)| text == schema) {
            return Ok(name.clone());
        }
        let doc: Value =
            serde_json::from_str(schema).map_err(|e| format!("schema is not JSON: {e}"))?;
        let root = Root {
            id: self.roots.len(),
            doc: &doc,
        };
        let (functions, patterns, uses_any) =
            (self.functions.len(), self.patterns.len(), self.uses_any);
        self.added_keys.clear();
        self.added_names.clear();
        match self.node(&root, "", &names::snake(hint), &mut Vec::new()) {
            Ok(name) => {
                self.roots.push((schema.to_owned(), name.clone()));
                Ok(name)
            }
            Err(e) => {
                self.functions.truncate(functions);
                self.patterns.truncate(patterns);
                self.uses_any = uses_any;
                for key in std::mem::take(&mut self.added_keys) {
                    self.nodes.remove(&key);
                }
                for name in std::mem::take(&mut self.added_names) {
                    self.taken.remove(&name);
                }
                Err(e)
            }
        }
    }

    /// `mod {name} { ... }`: the check functions (visible to the parent
    /// module) and the pattern statics, with the imports they use.
    pub fn module(&self, name: &str) -> String {
        let items = self.items();
        let mut imports = vec![
            format!("keywords as {K}"),
            "At".to_owned(),
            "Findings".to_owned(),
            "Value".to_owned(),
        ];
        if items.contains(" as Check") {
            imports.push("Check".to_owned());
        }
        if items.contains("Num::") {
            imports.push("Num".to_owned());
        }
        if items.contains(" f::") {
            imports.insert(0, "formats as f".to_owned());
        }
        format!(
            "/// The validators of the parameters and bodies above, compiled from their\n/// JSON Schemas by codegen (see `codegen_runtime::validation`).\nmod {name} {{\nuse codegen_runtime::validation::{{{}}};\n{items}}}\n",
            imports.join(", ")
        )
    }

    /// The module's items: pattern statics and check functions.
    pub fn items(&self) -> String {
        let mut out = String::new();
        if self.uses_any {
            out.push_str("/// A schema without constraints.\npub(super) fn any(_: &Value, _: &At<'_>, _: &mut Findings) {}\n");
        }
        for (i, source) in self.patterns.iter().enumerate() {
            out.push_str(&format!(
                "static PATTERN_{i}: {K}::Pattern = {K}::Pattern::new({source:?});\n"
            ));
        }
        for f in &self.functions {
            out.push_str(f);
            out.push('\n');
        }
        out
    }

    /// The check function of the node at `pointer` (a name in the module).
    /// `visiting` holds the `$ref`s being followed, to stop at a reference cycle.
    fn node(
        &mut self,
        root: &Root<'_>,
        pointer: &str,
        hint: &str,
        visiting: &mut Vec<String>,
    ) -> Result<String, String> {
        let node = root
            .doc
            .pointer(pointer)
            .ok_or_else(|| format!("no schema at #{pointer}"))?;
        let object = match node {
            Value::Bool(true) => return Ok(self.any()),
            Value::Bool(false) => return Ok(format!("{K}::nothing")),
            Value::Object(o) => o,
            other => {
                return Err(format!(
                    "#{pointer}: a schema must be an object or a boolean, not {other}"
                ))
            }
        };
        // Draft 7: `$ref` replaces its siblings.
        if let Some(target) = object.get("$ref") {
            let target = target
                .as_str()
                .ok_or_else(|| format!("#{pointer}/$ref is not a string"))?;
            let target = resolve(target).ok_or_else(|| {
                format!(
                    "#{pointer}/$ref: only references inside the schema are compiled, not {target}"
                )
            })?;
            if visiting.contains(&target) {
                // A reference to itself without an instance step: `jsonschema` accepts anything.
                return Ok(self.any());
            }
            visiting.push(target.clone());
            let hint = definition_hint(&target).unwrap_or_else(|| hint.to_owned());
            let name = self.node(root, &target, &hint, visiting);
            visiting.pop();
            return name;
        }
        let key = key_of(root, pointer);
        if let Some(name) = self.nodes.get(&key) {
            return Ok(name.clone());
        }
        let constraining = object
            .keys()
            .any(|k| !ANNOTATIONS.contains(&k.as_str()) && k != "$ref");
        if !constraining {
            return Ok(self.any());
        }
        let name = self.unique(hint);
        self.added_keys.push(key.clone());
        self.nodes.insert(key, name.clone());
        let body = self.body(root, pointer, object, &name)?;
        let text = serde_json::to_string(node).unwrap_or_default();
        let shown = if text.chars().count() <= 100 {
            format!(": `{}`", text.replace('`', "'"))
        } else {
            String::new()
        };
        self.functions.push(format!(
            "/// `#{pointer}`{shown}\npub(super) fn {name}(v: &Value, at: &At<'_>, out: &mut Findings) {{\n{body}}}\n"
        ));
        Ok(name)
    }

    fn any(&mut self) -> String {
        self.uses_any = true;
        "any".to_owned()
    }

    fn unique(&mut self, hint: &str) -> String {
        let base = if hint.is_empty() {
            "schema".to_owned()
        } else {
            hint.to_owned()
        };
        let mut name = base.clone();
        let mut n = 1;
        while !self.taken.insert(name.clone()) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.added_names.push(name.clone());
        name
    }

    /// The statements of a node's function, in `jsonschema`'s order.
    fn body(
        &mut self,
        root: &Root<'_>,
        pointer: &str,
        o: &Map<String, Value>,
        name: &str,
    ) -> Result<String, String> {
        for keyword in o.keys() {
            if REFUSED.contains(&keyword.as_str()) {
                return Err(format!(
                    "#{pointer}: `{keyword}` is not compiled into validators (OpenAPI 3.0 has no such keyword)"
                ));
            }
        }
        let at = |k: &str| format!("{pointer}/{}", escape(k));
        let child = |suffix: &str| format!("{name}_{}", names::snake(suffix));
        let mut units: Vec<(u8, String)> = Vec::new();
        let mut push =
            |keyword: &str, statement: String| units.push((priority(keyword), statement));

        let shape = array_shape(o);
        let properties = o.get("properties");
        let additional = o.get("additionalProperties");
        let required = o.get("required");
        let required_names: Vec<&str> = match required {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    i.as_str()
                        .ok_or_else(|| format!("#{pointer}/required lists a non-string"))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(format!("#{pointer}/required is not an array")),
        };
        let property_map = match properties {
            None => None,
            Some(Value::Object(p)) => Some(p),
            Some(_) => return Err(format!("#{pointer}/properties is not an object")),
        };
        // How `required` is checked: on its own, or fused into the object unit.
        let closed = matches!(additional, Some(Value::Bool(false)));
        let additional_schema = matches!(additional, Some(Value::Object(_)));
        let fused_one = closed && property_map.is_some() && required_names.len() == 1;
        let fused_two = !closed
            && !additional_schema
            && required_names.len() == 2
            && property_map.is_some_and(|p| p.len() < PROPERTY_LIST_LIMIT);

        for (keyword, value) in o {
            let keyword = keyword.as_str();
            match keyword {
                "type" if shape.is_none() => push(keyword, type_check(value, pointer)?),
                "type" => {}
                "enum" => {
                    let options = value
                        .as_array()
                        .ok_or_else(|| format!("#{pointer}/enum is not an array"))?;
                    let literals: Vec<String> = options.iter().map(literal).collect();
                    push(
                        keyword,
                        format!(
                            "{K}::enumeration(v, &[{}], {:?}, at, out);\n",
                            literals.join(", "),
                            enum_listing(options)
                        ),
                    );
                }
                "const" => push(
                    keyword,
                    format!(
                        "{K}::constant(v, {}, {:?}, at, out);\n",
                        literal(value),
                        value.to_string()
                    ),
                ),
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    let limit = value
                        .as_number()
                        .ok_or_else(|| format!("#{pointer}/{keyword} is not a number"))?;
                    let bound = match keyword {
                        "minimum" => "Minimum",
                        "maximum" => "Maximum",
                        "exclusiveMinimum" => "ExclusiveMinimum",
                        _ => "ExclusiveMaximum",
                    };
                    push(
                        keyword,
                        format!(
                            "{K}::bound(v, {K}::Bound::{bound}, {}, {:?}, at, out);\n",
                            num(limit),
                            limit.to_string()
                        ),
                    );
                }
                "multipleOf" => {
                    let m = value
                        .as_f64()
                        .filter(|m| *m > 0.0)
                        .ok_or_else(|| format!("#{pointer}/multipleOf is not a positive number"))?;
                    push(keyword, format!("{K}::multiple_of(v, {m:?}, at, out);\n"));
                }
                "minLength" | "maxLength" | "minProperties" | "maxProperties" => {
                    let limit = size(value).ok_or_else(|| {
                        format!("#{pointer}/{keyword} is not a non-negative integer")
                    })?;
                    push(
                        keyword,
                        format!("{K}::{}(v, {limit}, at, out);\n", names::snake(keyword)),
                    );
                }
                "minItems" | "maxItems" if shape.is_none() => {
                    let limit = size(value).ok_or_else(|| {
                        format!("#{pointer}/{keyword} is not a non-negative integer")
                    })?;
                    push(
                        keyword,
                        format!("{K}::{}(v, {limit}, at, out);\n", names::snake(keyword)),
                    );
                }
                "minItems" | "maxItems" => {}
                "uniqueItems" => match value {
                    Value::Bool(true) => push(keyword, format!("{K}::unique_items(v, at, out);\n")),
                    Value::Bool(false) => {}
                    _ => return Err(format!("#{pointer}/uniqueItems is not a boolean")),
                },
                "pattern" => {
                    let source = value
                        .as_str()
                        .ok_or_else(|| format!("#{pointer}/pattern is not a string"))?;
                    regress::Regex::new(source)
                        .map_err(|e| format!("#{pointer}/pattern {source:?} is not an ECMA-262 regular expression: {e}"))?;
                    let index = match self.patterns.iter().position(|p| p == source) {
                        Some(i) => i,
                        None => {
                            self.patterns.push(source.to_owned());
                            self.patterns.len() - 1
                        }
                    };
                    push(
                        keyword,
                        format!("{K}::pattern(v, &PATTERN_{index}, at, out);\n"),
                    );
                }
                "format" => {
                    let format = value
                        .as_str()
                        .ok_or_else(|| format!("#{pointer}/format is not a string"))?;
                    match FORMATS.iter().find(|(f, _)| *f == format) {
                        Some((_, Some(checker))) => push(
                            keyword,
                            format!("{K}::format(v, {format:?}, f::{checker}, at, out);\n"),
                        ),
                        Some((_, None)) => {
                            return Err(format!(
                                "#{pointer}/format: `{format}` is not compiled into validators yet"
                            ))
                        }
                        // Any other format is an annotation.
                        None => {}
                    }
                }
                "required" if fused_one || fused_two => {}
                "required" if !required_names.is_empty() => {
                    push(
                        keyword,
                        format!(
                            "{K}::required(v, &{}, at, out);\n",
                            str_list(&required_names)
                        ),
                    );
                }
                "required" => {}
                "properties" if closed || additional_schema => {}
                "properties" => {
                    let table = self.property_table(root, pointer, property_map, name)?;
                    if fused_two {
                        push(
                            keyword,
                            format!(
                                "{K}::properties_required_two(v, {table}, [{:?}, {:?}], at, out);\n",
                                required_names[0], required_names[1]
                            ),
                        );
                    } else {
                        push(keyword, format!("{K}::properties(v, {table}, at, out);\n"));
                    }
                }
                "additionalProperties" => match value {
                    Value::Bool(true) => {}
                    Value::Bool(false) => match property_map {
                        Some(_) => {
                            let table = self.property_table(root, pointer, property_map, name)?;
                            let one = if fused_one {
                                format!("Some({:?})", required_names[0])
                            } else {
                                "None".to_owned()
                            };
                            push(
                                keyword,
                                format!("{K}::closed(v, {table}, {one}, at, out);\n"),
                            );
                        }
                        None => push(keyword, format!("{K}::no_members(v, at, out);\n")),
                    },
                    Value::Object(_) => {
                        let table = self.property_table(root, pointer, property_map, name)?;
                        let rest =
                            self.node(root, &at(keyword), &child("additional"), &mut Vec::new())?;
                        push(
                            keyword,
                            format!("{K}::additional(v, {table}, {rest}, at, out);\n"),
                        );
                    }
                    _ => return Err(format!("#{pointer}/additionalProperties is not a schema")),
                },
                "items" => match value {
                    Value::Object(_) | Value::Bool(_) => {
                        let each =
                            self.node(root, &at(keyword), &child("items"), &mut Vec::new())?;
                        match &shape {
                            Some((min, max)) => push(
                                keyword,
                                format!(
                                    "{K}::array_shape(v, {}, {}, {each}, at, out);\n",
                                    option(*min),
                                    option(*max)
                                ),
                            ),
                            None => push(keyword, format!("{K}::items(v, {each}, at, out);\n")),
                        }
                    }
                    _ => {
                        return Err(format!(
                            "#{pointer}/items: tuples (an array of schemas) are not compiled"
                        ))
                    }
                },
                "allOf" | "anyOf" | "oneOf" => {
                    let branches = value
                        .as_array()
                        .filter(|b| !b.is_empty())
                        .ok_or_else(|| format!("#{pointer}/{keyword} is not a non-empty array"))?;
                    let mut names_of = Vec::new();
                    for i in 0..branches.len() {
                        let p = format!("{}/{i}", at(keyword));
                        names_of.push(self.node(
                            root,
                            &p,
                            &child(&format!("{keyword}_{i}")),
                            &mut Vec::new(),
                        )?);
                    }
                    let statement = match keyword {
                        "allOf" => names_of
                            .iter()
                            .map(|n| format!("{n}(v, at, out);\n"))
                            .collect(),
                        _ => format!(
                            "{K}::{}(v, &[{}], at, out);\n",
                            names::snake(keyword),
                            names_of
                                .iter()
                                .map(|n| format!("{n} as Check"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    push(keyword, statement);
                }
                "not" => {
                    let negated = self.node(root, &at(keyword), &child("not"), &mut Vec::new())?;
                    push(
                        keyword,
                        format!(
                            "{K}::not(v, {negated}, {:?}, at, out);\n",
                            value.to_string()
                        ),
                    );
                }
                "$ref" => {}
                k if ANNOTATIONS.contains(&k) => {}
                // Unknown keywords are annotations in draft 7.
                _ => {}
            }
        }
        units.sort_by_key(|(p, _)| *p);
        Ok(units.into_iter().map(|(_, s)| s).collect())
    }

    /// `&[("name", check), ...]` for a `properties` map (`&[]` for none).
    fn property_table(
        &mut self,
        root: &Root<'_>,
        pointer: &str,
        properties: Option<&Map<String, Value>>,
        owner: &str,
    ) -> Result<String, String> {
        let Some(properties) = properties else {
            return Ok("&[]".to_owned());
        };
        let mut entries = Vec::new();
        for name in properties.keys() {
            let p = format!("{pointer}/properties/{}", escape(name));
            let check = self.node(
                root,
                &p,
                &format!("{owner}_{}", names::snake(name)),
                &mut Vec::new(),
            )?;
            entries.push(format!("({name:?}, {check} as Check)"));
        }
        Ok(format!("&[{}]", entries.join(", ")))
    }
}

/// A `$ref` inside the schema as a JSON pointer (`#/definitions/X` → `/definitions/X`).
fn resolve(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}

/// `/definitions/NewAccount` → `def_new_account`.
fn definition_hint(pointer: &str) -> Option<String> {
    let name = pointer.strip_prefix("/definitions/")?;
    (!name.contains('/')).then(|| format!("def_{}", names::snake(&unescape(name))))
}

fn key_of(root: &Root<'_>, pointer: &str) -> NodeKey {
    if let Some(rest) = pointer.strip_prefix("/definitions/") {
        let (name, rest) = rest.split_once('/').map_or((rest, ""), |(n, r)| (n, r));
        let text = root
            .doc
            .pointer(&format!("/definitions/{name}"))
            .map(|d| d.to_string())
            .unwrap_or_default();
        return NodeKey::Definition {
            name: name.to_owned(),
            text,
            rest: rest.to_owned(),
        };
    }
    NodeKey::Root {
        root: root.id,
        pointer: pointer.to_owned(),
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `Some(n)` / `None` as Rust source.
fn option(n: Option<u64>) -> String {
    n.map_or_else(|| "None".to_owned(), |n| format!("Some({n})"))
}

/// `["a", "b"]` as Rust source.
fn str_list(items: &[&str]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| format!("{i:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A size limit (`minLength`, ...) as `jsonschema` reads one: a non-negative
/// integer, or an integral float.
fn size(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| *f >= 0.0 && f.trunc() == *f && *f <= u64::MAX as f64)
            .map(|f| f as u64)
    })
}

/// Whether `jsonschema` checks `type: "array"` + `items` + the item-count
/// bounds as one unit; the bounds when it does.
fn array_shape(o: &Map<String, Value>) -> Option<(Option<u64>, Option<u64>)> {
    if !matches!(o.get("items"), Some(Value::Object(_) | Value::Bool(false))) {
        return None;
    }
    if o.get("type").and_then(Value::as_str) != Some("array") {
        return None;
    }
    if [
        "prefixItems",
        "additionalItems",
        "contains",
        "unevaluatedItems",
        "uniqueItems",
    ]
    .iter()
    .any(|k| o.contains_key(*k))
    {
        return None;
    }
    let bound = |k: &str| match o.get(k) {
        None => Some(None),
        Some(v) => size(v).map(Some),
    };
    Some((bound("minItems")?, bound("maxItems")?))
}

/// The `type` check.
fn type_check(value: &Value, pointer: &str) -> Result<String, String> {
    let bit = |name: &str| -> Result<&'static str, String> {
        Ok(match name {
            "null" => "NULL",
            "boolean" => "BOOLEAN",
            "integer" => "INTEGER",
            "number" => "NUMBER",
            "string" => "STRING",
            "array" => "ARRAY",
            "object" => "OBJECT",
            other => return Err(format!("#{pointer}/type: unknown type {other:?}")),
        })
    };
    let names: Vec<&str> = match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| format!("#{pointer}/type lists a non-string"))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(format!("#{pointer}/type is neither a string nor an array")),
    };
    match names.as_slice() {
        [one] => Ok(format!("{K}::of_type(v, {K}::{}, at, out);\n", bit(one)?)),
        many => {
            let bits = many
                .iter()
                .map(|n| bit(n).map(|b| format!("{K}::{b}")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(format!(
                "{K}::of_types(v, {}, at, out);\n",
                bits.join(" | ")
            ))
        }
    }
}

/// A JSON number as a `Num` constant.
fn num(n: &serde_json::Number) -> String {
    if let Some(u) = n.as_u64() {
        format!("Num::Int({u})")
    } else if let Some(i) = n.as_i64() {
        format!("Num::Int({i})")
    } else {
        format!("Num::Float({:?})", n.as_f64().unwrap_or(f64::NAN))
    }
}

/// A JSON value as a `Literal` constant.
fn literal(value: &Value) -> String {
    match value {
        Value::Null => format!("{K}::Literal::Null"),
        Value::Bool(b) => format!("{K}::Literal::Bool({b})"),
        Value::Number(n) => format!("{K}::Literal::Number({})", num(n)),
        Value::String(s) => format!("{K}::Literal::String({s:?})"),
        other => format!(
            "{K}::Literal::Json({:?}, {{ static PARSED: std::sync::OnceLock<Option<Value>> = std::sync::OnceLock::new(); &PARSED }})",
            other.to_string()
        ),
    }
}

/// `jsonschema`'s list of the options in an `enum` message: `a, b or c`, or
/// the first two and `or N other candidates` past three.
fn enum_listing(options: &[Value]) -> String {
    let shown: Vec<String> = options.iter().map(Value::to_string).collect();
    match shown.len() {
        0 => String::new(),
        1 => shown[0].clone(),
        n if n <= 3 => format!("{} or {}", shown[..n - 1].join(", "), shown[n - 1]),
        n => format!("{} or {} other candidates", shown[..2].join(", "), n - 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile(schema: &str) -> String {
        let mut v = Validators::new();
        let name = v.add("body", schema).unwrap_or_else(|e| panic!("{e}"));
        format!("root={name}\n{}", v.items())
    }

    #[test]
    fn definitions_compile_once_and_refs_call_them() {
        let schema = r##"{"$ref":"#/definitions/A","definitions":{"A":{"type":"object","additionalProperties":false,"required":["b"],"properties":{"b":{"$ref":"#/definitions/B"}}},"B":{"type":"string","minLength":1}}}"##;
        let mut v = Validators::new();
        let first = v.add("one", schema).unwrap();
        let again = v.add("two", schema).unwrap();
        assert_eq!(first, "def_a");
        assert_eq!(again, first, "the same text compiles once");
        let code = v.items();
        assert!(
            code.contains("k::closed(v, &[(\"b\", def_b as Check)], Some(\"b\"), at, out);"),
            "{code}"
        );
        assert!(code.contains("k::min_length(v, 1, at, out);"), "{code}");
        assert_eq!(code.matches("fn def_b(").count(), 1);
    }

    #[test]
    fn keywords_follow_jsonschemas_order() {
        let code = compile(r#"{"pattern":"^a","maxLength":3,"type":"string","format":"email"}"#);
        let t = code.find("of_type").unwrap();
        let m = code.find("max_length").unwrap();
        let p = code.find("k::pattern").unwrap();
        let f = code.find("k::format").unwrap();
        assert!(t < m && m < p && p < f, "{code}");
    }

    #[test]
    fn refused_keywords_and_bad_patterns_are_named() {
        let mut v = Validators::new();
        let e = v.add("x", r#"{"patternProperties":{"a":{}}}"#).unwrap_err();
        assert!(e.contains("patternProperties"), "{e}");
        let e = v.add("x", r#"{"pattern":"("}"#).unwrap_err();
        assert!(e.contains("ECMA-262"), "{e}");
        // A refused schema leaves nothing behind: the next one gets the name.
        assert!(v.is_empty() && v.items().is_empty());
        assert_eq!(v.add("x", r#"{"minLength":1}"#).unwrap(), "x");
    }

    #[test]
    fn enum_messages_list_at_most_three() {
        let v = |j: &str| serde_json::from_str::<Vec<Value>>(j).unwrap();
        assert_eq!(enum_listing(&v(r#"["a"]"#)), r#""a""#);
        assert_eq!(enum_listing(&v(r#"["a",1,null]"#)), r#""a", 1 or null"#);
        assert_eq!(
            enum_listing(&v(r#"["a","b","c","d"]"#)),
            r#""a", "b" or 2 other candidates"#
        );
    }
}
