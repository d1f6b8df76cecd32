//! OpenAPI 3.1 → 3.0.3, where 3.0 can say the same thing: API Gateway REST
//! imports only 2.0 and 3.0
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis>),
//! and progenitor and typify read 3.0. Conversions follow the 3.0 → 3.1
//! migration notes (<https://www.openapis.org/blog/2021/02/16/migrating-from-openapi-3-0-to-3-1-0>)
//! backwards:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [T1, T2, ...]` | `anyOf` of one schema per type (and `nullable`) |
//! | `const: x` | `enum: [x]` |
//! | `examples: [a, ...]` in a schema | `example: a` |
//! | `exclusiveMinimum: n` (a number) | `minimum: n`, `exclusiveMinimum: true` (also for maximum) |
//! | `$ref` with sibling keywords in a schema | `allOf: [{$ref}]` beside them |
//! | `contentEncoding: base64` / `contentMediaType` | `format: byte` / `format: binary` |
//! | `webhooks`, `jsonSchemaDialect`, `info.summary`, `license.identifier`, `$schema`, `$id`, `$anchor`, `$comment`, `components.pathItems` | dropped (a lint names each dropped member that matters) |
//!
//! A schema keyword 3.0 cannot express (`prefixItems`, `if`/`then`/`else`,
//! `dependentSchemas`, `dependentRequired`, `unevaluatedProperties`,
//! `unevaluatedItems`, `patternProperties`, `propertyNames`, `contains`,
//! `$defs`, `$dynamicRef`) is refused at its pointer, with the reason.

use crate::diagnostics::Diagnostic;
use openapi_document::schemas::subschemas;
use openapi_document::{child, Pointer};
use serde_json::{json, Map, Value};

/// Schema keywords of 3.1 (JSON Schema 2020-12) with no 3.0 equivalent.
const INEXPRESSIBLE: &[&str] = &[
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "contains",
    "$defs",
    "$dynamicRef",
    "$dynamicAnchor",
];

/// Members that only identify or annotate, dropped silently.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$anchor", "$comment", "$vocabulary"];

/// The converted document and its lints, or the refusals.
pub(super) fn to_30(
    file: &str,
    mut root: Value,
) -> Result<(Value, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut lints = Vec::new();
    let mut errors = Vec::new();
    let Value::Object(doc) = &mut root else {
        return Ok((root, lints));
    };
    let from = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("3.1")
        .to_owned();
    doc.insert("openapi".into(), json!("3.0.3"));
    lints.push(Diagnostic::lint(
        file,
        "/openapi",
        format!("OpenAPI {from} was converted to 3.0.3 for API Gateway, typify and progenitor"),
        "write the document as 3.0.3 to control every conversion (see codegen/README.md, Supported OpenAPI)",
    ));
    for (member, why) in [
        (
            "webhooks",
            "API Gateway has no webhooks; nothing is generated for them",
        ),
        ("jsonSchemaDialect", "3.0 schemas have one dialect"),
    ] {
        if doc.remove(member).is_some() {
            lints.push(Diagnostic::lint(
                file,
                child("", member),
                format!("`{member}` was dropped: {why}"),
                format!("remove `{member}`"),
            ));
        }
    }
    if let Some(Value::Object(info)) = doc.get_mut("info") {
        info.remove("summary");
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        components.remove("pathItems");
    }
    // 3.1 makes `paths` optional; 3.0 requires it.
    doc.entry("paths").or_insert_with(|| json!({}));
    // Every Schema Object: components and `schema` members.
    for at in openapi_document::schemas::schema_roots(&root) {
        if let Some(schema) = root.pointer_mut(at.as_str()) {
            convert_schema(file, schema, &mut at.clone(), &mut errors);
        }
    }
    if errors.is_empty() {
        Ok((root, lints))
    } else {
        Err(errors)
    }
}

fn convert_schema(file: &str, schema: &mut Value, at: &mut Pointer, errors: &mut Vec<Diagnostic>) {
    let Value::Object(map) = schema else {
        return;
    };
    for keyword in INEXPRESSIBLE {
        if map.contains_key(*keyword) {
            errors.push(Diagnostic::error(
                file,
                at.child(keyword).as_str(),
                format!("`{keyword}` (OpenAPI 3.1 / JSON Schema 2020-12) has no OpenAPI 3.0 equivalent, and API Gateway imports only 3.0"),
                "express the constraint without it (or describe it in `description` and check it in the handler)",
            ));
        }
    }
    for keyword in ANNOTATIONS {
        map.remove(*keyword);
    }
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = map.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            map.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some("base64" | "base64url") = map
        .remove("contentEncoding")
        .as_ref()
        .and_then(Value::as_str)
    {
        map.entry("format").or_insert(json!("byte"));
    }
    if map.remove("contentMediaType").is_some() {
        map.entry("format").or_insert(json!("binary"));
    }
    convert_type_list(map);
    // A `$ref` beside other keywords: 3.0 ignores the siblings, 3.1 applies both.
    if map.contains_key("$ref") && map.keys().any(|k| k != "$ref" && !is_annotation(k)) {
        if let Some(reference) = map.remove("$ref") {
            let mut all_of = match map.remove("allOf") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            all_of.insert(0, json!({"$ref": reference}));
            map.insert("allOf".into(), Value::Array(all_of));
        }
    } else if map.contains_key("$ref") {
        map.retain(|k, _| k == "$ref");
    }
    // Then every subschema, in place.
    let children: Vec<Vec<String>> = subschemas(schema)
        .into_iter()
        .map(|(segments, _)| segments)
        .collect();
    for segments in children {
        let mut slot: Option<&mut Value> = Some(schema);
        for s in &segments {
            slot = slot.and_then(|v| match v {
                Value::Object(m) => m.get_mut(s),
                Value::Array(a) => s.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                _ => None,
            });
        }
        if let Some(sub) = slot {
            for s in &segments {
                at.push(s);
            }
            convert_schema(file, sub, at, errors);
            for _ in &segments {
                at.pop();
            }
        }
    }
}

fn is_annotation(key: &str) -> bool {
    matches!(key, "description" | "summary" | "title")
}

/// `type: [..]` → one type and `nullable`, or `anyOf` one schema per type.
fn convert_type_list(map: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = map.get("type").cloned() else {
        return;
    };
    let nullable = types.iter().any(|t| t == "null");
    let others: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
    map.remove("type");
    match others.as_slice() {
        [] => {
            // Only `null`: 3.0 has no null type; an enum of null says it.
            map.insert("nullable".into(), Value::Bool(true));
            map.insert("enum".into(), json!([null]));
        }
        [one] => {
            map.insert("type".into(), one.clone());
        }
        many => {
            let branches: Vec<Value> = many.iter().map(|t| json!({"type": t})).collect();
            map.insert("anyOf".into(), Value::Array(branches));
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}
