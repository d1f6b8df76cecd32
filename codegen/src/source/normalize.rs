//! What a foreign document leaves implicit, made explicit once, before
//! anything else reads it, so that every output (server, client, API Gateway
//! document, manifest) agrees. Each change is a lint:
//!
//! - an operation without `operationId` gets one from its method and path
//!   (`GET /pets/{petId}` → `getPetsPetId`); one whose id repeats another's,
//!   or names the same Rust items (`getPet`, `get_pet`), or cannot start a
//!   Rust identifier (`1stPet`), gets a unique one;
//! - an operation without responses gets `default` (OpenAPI requires at least
//!   one; progenitor and API Gateway need one);
//! - component schemas whose names become the same Rust type (`Pet_Record`,
//!   `PetRecord`; `boolean`, `Boolean`) are renamed, second one first, and
//!   every reference to them follows;
//! - a schema `$ref` to anything but a whole component schema
//!   (`#/components/schemas/Pet/properties/tag`, a schema under `paths`) gets
//!   a component of its own, since typify, API Gateway models and validators
//!   refer to whole definitions only.

use crate::diagnostics::Diagnostic;
use crate::names;
use openapi_document::{child, pointer, walk, Node, Pointer, Visit, METHODS};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Normalizes `root` in place and returns the lints saying what changed.
pub(super) fn normalize(file: &str, root: &mut Value) -> Vec<Diagnostic> {
    let mut lints = Vec::new();
    hoist_deep_schema_refs(file, root, &mut lints);
    rename_colliding_schemas(file, root, &mut lints);
    derive_operation_ids(file, root, &mut lints);
    default_responses(file, root, &mut lints);
    lints
}

fn derive_operation_ids(file: &str, root: &mut Value, lints: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op
                .as_object_mut()
                .filter(|_| METHODS.contains(&method.as_str()))
            else {
                continue;
            };
            let written = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let usable = written
                .as_deref()
                .filter(|id| starts_with_letter(id) && !taken.contains(&names::snake(id)));
            if let Some(id) = usable {
                taken.insert(names::snake(id));
                continue;
            }
            let base = match &written {
                Some(id) if starts_with_letter(id) => id.clone(),
                Some(id) if id.chars().any(|c| c.is_ascii_alphanumeric()) => {
                    names::lower_camel(&format!("op {id}"))
                }
                _ => operation_id_for(method, path),
            };
            let id = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}{n}")
                    }
                })
                .find(|id| !taken.contains(&names::snake(id)))
                .unwrap_or(base);
            taken.insert(names::snake(&id));
            let at = pointer(["paths", path.as_str(), method.as_str()]);
            let (at, problem) = match &written {
                None => (at, "the operation has no operationId".to_owned()),
                Some(old) => (
                    child(&at, "operationId"),
                    format!("operationId `{old}` repeats another's, or names the same Rust items, or cannot start a Rust identifier"),
                ),
            };
            lints.push(Diagnostic::lint(
                file,
                at,
                format!("{problem}; `{id}` is used (it names the handler trait, the Lambda and the client method)"),
                format!("write `operationId: {id}` (or another unique name) to keep it stable"),
            ));
            op.insert("operationId".into(), Value::String(id));
        }
    }
}

/// Whether an operationId's first letter or digit is a letter: it then names
/// Rust items, Lambda functions and Terraform keys as it is.
fn starts_with_letter(id: &str) -> bool {
    id.chars()
        .find(|c| c.is_ascii_alphanumeric())
        .is_some_and(|c| c.is_ascii_alphabetic())
}

/// `get` + `/pets/{petId}/photos` → `getPetsPetIdPhotos`; `/` → `getRoot`.
fn operation_id_for(method: &str, path: &str) -> String {
    let words: String = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches(|c| c == '{' || c == '}'))
        .collect::<Vec<_>>()
        .join(" ");
    let words = if words.trim().is_empty() {
        "root".to_owned()
    } else {
        words
    };
    names::lower_camel(&format!("{method} {words}"))
}

fn default_responses(file: &str, root: &mut Value, lints: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(op) = op
                .as_object_mut()
                .filter(|_| METHODS.contains(&method.as_str()))
            else {
                continue;
            };
            let empty = op
                .get("responses")
                .and_then(Value::as_object)
                .is_none_or(Map::is_empty);
            if !empty {
                continue;
            }
            op.insert(
                "responses".into(),
                json!({"default": {"description": "Any response (the document declares none)."}}),
            );
            lints.push(Diagnostic::lint(
                file,
                child(&pointer(["paths", path.as_str(), method.as_str()]), "responses"),
                "the operation declares no responses; it answers `default` (any status, no typed body)",
                "declare its responses",
            ));
        }
    }
}

fn rename_colliding_schemas(file: &str, root: &mut Value, lints: &mut Vec<Diagnostic>) {
    let Some(Value::Object(schemas)) = root.pointer("/components/schemas").cloned() else {
        return;
    };
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    let mut rust_names: BTreeSet<String> = schemas.keys().map(|n| names::pascal(n)).collect();
    for name in schemas.keys() {
        let rust = names::pascal(name);
        match seen.get(&rust) {
            None => {
                seen.insert(rust, name.clone());
            }
            Some(first) => {
                let renamed = (2..)
                    .map(|n| format!("{rust}{n}"))
                    .find(|candidate| {
                        !rust_names.contains(&names::pascal(candidate))
                            && !schemas.contains_key(candidate)
                    })
                    .unwrap_or_else(|| format!("{rust}Renamed"));
                rust_names.insert(names::pascal(&renamed));
                lints.push(Diagnostic::lint(
                    file,
                    pointer(["components", "schemas", name.as_str()]),
                    format!("schema `{name}` would become the Rust type `{rust}`, like schema `{first}`; it is renamed `{renamed}`"),
                    "give the schemas names that differ in more than case and punctuation",
                ));
                renames.push((name.clone(), renamed));
            }
        }
    }
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(target)) = root.pointer_mut("/components/schemas") {
        let old = std::mem::take(target);
        for (name, schema) in old {
            let new_name = renames
                .iter()
                .find(|(from, _)| *from == name)
                .map_or(name, |(_, to)| to.clone());
            target.insert(new_name, schema);
        }
    }
    let mut edits = Vec::new();
    walk(root, &mut Pointer::root(), &mut |at, _, node| {
        if let Node::Reference(reference) = node {
            for (from, to) in &renames {
                let old = format!("#{}", pointer(["components", "schemas", from.as_str()]));
                if reference == old || reference.starts_with(&format!("{old}/")) {
                    let rest = &reference[old.len()..];
                    let new = format!("#{}{rest}", pointer(["components", "schemas", to.as_str()]));
                    edits.push((at.to_string(), new));
                }
            }
        }
        Visit::Descend
    });
    for (at, reference) in edits {
        if let Some(slot) = root.pointer_mut(&at) {
            *slot = Value::String(reference);
        }
    }
}

/// How many rounds of hoisting: each round handles refs inside the previous
/// round's copies; deeper chains than this are left (and typify names them).
const MAX_HOIST_ROUNDS: usize = 8;

fn hoist_deep_schema_refs(file: &str, root: &mut Value, lints: &mut Vec<Diagnostic>) {
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..MAX_HOIST_ROUNDS {
        let mut deep: Vec<(String, String)> = Vec::new();
        openapi_document::schemas::for_each_schema(root, &mut |at, schema| {
            if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
                if target.starts_with("#/") && !is_component_root(target) {
                    deep.push((at.child("$ref").to_string(), target.to_owned()));
                }
            }
        });
        if deep.is_empty() {
            return;
        }
        for (at, target) in deep {
            let name = match hoisted.get(&target) {
                Some(name) => name.clone(),
                None => {
                    let Some(content) = openapi_document::resolve(root, &target).cloned() else {
                        continue;
                    };
                    let target_pointer = Pointer::parse(target.trim_start_matches('#'));
                    let base = names::pascal(
                        &target_pointer
                            .segments()
                            .filter(|s| s != "components" && s != "schemas")
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    let name = unique_schema_name(root, &base);
                    insert_schema(root, &name, content);
                    lints.push(Diagnostic::lint(
                        file,
                        at.trim_end_matches("/$ref"),
                        format!("`$ref: {target}` points inside a schema; it is given the component `{name}`"),
                        format!("move the target to `#/components/schemas/{name}` and refer to it there"),
                    ));
                    hoisted.insert(target.clone(), name.clone());
                    name
                }
            };
            if let Some(slot) = root.pointer_mut(&at) {
                *slot = Value::String(format!(
                    "#{}",
                    pointer(["components", "schemas", name.as_str()])
                ));
            }
        }
    }
}

fn is_component_root(target: &str) -> bool {
    let pointer = Pointer::parse(target.trim_start_matches('#'));
    let segments: Vec<_> = pointer.segments().collect();
    segments.len() == 3 && segments[0] == "components" && segments[1] == "schemas"
}

fn unique_schema_name(root: &Value, base: &str) -> String {
    let taken = |n: &str| {
        root.pointer(&pointer(["components", "schemas", n]))
            .is_some()
    };
    std::iter::once(base.to_owned())
        .chain((2..).map(|i| format!("{base}{i}")))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_owned())
}

fn insert_schema(root: &mut Value, name: &str, content: Value) {
    let Value::Object(doc) = root else {
        return;
    };
    let components = doc.entry("components").or_insert_with(|| json!({}));
    if let Value::Object(components) = components {
        let schemas = components.entry("schemas").or_insert_with(|| json!({}));
        if let Value::Object(schemas) = schemas {
            schemas.insert(name.to_owned(), content);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_operation_ids_are_derived_and_unique() {
        let mut doc = json!({"paths": {
            "/pets/{petId}": {"get": {"responses": {"200": {"description": "x"}}}},
            "/pets/{pet_id}": {"get": {}, "put": {"operationId": "get_pets_pet_id"}},
            "/": {"post": {"operationId": "getRoot", "responses": {}}, "get": {}, "put": {"operationId": "1st"}}
        }});
        let lints = normalize("t.yaml", &mut doc);
        assert_eq!(
            doc["paths"]["/pets/{petId}"]["get"]["operationId"],
            "getPetsPetId"
        );
        assert_eq!(
            doc["paths"]["/pets/{pet_id}"]["get"]["operationId"],
            "getPetsPetId2"
        );
        assert_eq!(
            doc["paths"]["/pets/{pet_id}"]["put"]["operationId"],
            "get_pets_pet_id3"
        );
        assert_eq!(doc["paths"]["/"]["get"]["operationId"], "getRoot2");
        assert_eq!(doc["paths"]["/"]["put"]["operationId"], "op1st");
        assert!(doc["paths"]["/"]["post"]["responses"]["default"].is_object());
        assert_eq!(lints.len(), 10, "{lints:?}");
    }

    #[test]
    fn refs_inside_schemas_get_components_of_their_own() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"description": "x", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Outer/properties/inner"}
            }}}}}}},
            "components": {"schemas": {
                "Outer": {"properties": {"inner": {"properties": {"deeper": {"$ref": "#/components/schemas/Outer/properties/leaf"}}}, "leaf": {"type": "string"}}}
            }}
        });
        normalize("t.yaml", &mut doc);
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
            Some(&json!("#/components/schemas/OuterPropertiesInner"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/OuterPropertiesInner/properties/deeper/$ref"),
            Some(&json!("#/components/schemas/OuterPropertiesLeaf"))
        );
    }

    #[test]
    fn colliding_schema_names_are_renamed_with_their_references() {
        let mut doc = json!({
            "paths": {},
            "components": {"schemas": {
                "boolean": {"type": "boolean"},
                "Boolean": {"type": "string"},
                "Holder": {"properties": {"b": {"$ref": "#/components/schemas/Boolean"}}}
            }}
        });
        normalize("t.yaml", &mut doc);
        assert!(doc.pointer("/components/schemas/Boolean2").is_some());
        assert_eq!(
            doc.pointer("/components/schemas/Holder/properties/b/$ref"),
            Some(&json!("#/components/schemas/Boolean2"))
        );
    }
}
