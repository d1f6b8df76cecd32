//! The client: progenitor on a copy of the spec, with every component schema
//! replaced by the shared types crate's type (one set of types for server and
//! client). progenitor refuses `+json` request media types, so they are given to
//! it as `application/json`; the crate's hand-written hooks set the real
//! Content-Type from [`MERGE_PATCH`-style] tables this emitter writes.

use crate::diagnostics::InternalError;
use crate::model::Api;
use crate::source::Spec;
use crate::types::{guarded, Library};
use crate::Refusal;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;

/// Renders the client's generated module.
pub fn emit(spec: &Spec, api: &Api, spec_file: &str) -> Result<String, Refusal> {
    let mut raw = spec.raw.clone();
    let mut media_types = Vec::new();
    rewrite_json_media_types(&mut raw, &mut media_types);
    rewrite_default_responses(&mut raw);
    keep_one_body_type_per_side(&mut raw);
    let openapi: openapiv3::OpenAPI = serde_json::from_value(raw)
        .map_err(|e| internal(spec, "preparing the spec for progenitor", e))?;
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(crate::Auth))
        .with_hooks(HooksMode::Expected);
    for (schema, rust) in api.types.component_names() {
        settings.with_replacement(
            progenitor_name(schema),
            format!("::{}::{rust}", api.types.crate_ident()),
            std::iter::empty(),
        );
    }
    let tokens = guarded(spec, "", Library::Progenitor, || {
        let mut generator = Generator::new(&settings);
        generator
            .generate_tokens(&openapi)
            .map_err(|e| e.to_string())
    })?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| internal(spec, "parsing progenitor's output", e))?;
    share_parameter_types(&mut file, api);
    let table = media_types
        .iter()
        .map(|(op, media)| format!("({op:?}, {media:?})"))
        .collect::<Vec<_>>()
        .join(", ");
    let extra: syn::File = syn::parse_str(&format!(
        "/// Operations whose request body is sent with a `+json` media type, which\n\
         /// the client's hooks set in place of `application/json`.\n\
         pub const REQUEST_MEDIA_TYPES: &[(&str, &str)] = &[{table}];"
    ))
    .map_err(|e| internal(spec, "writing the media type table", e))?;
    file.items.extend(extra.items);
    file.attrs.push(
        syn::parse_quote!(#![allow(clippy::all, unused_imports, dead_code, mismatched_lifetime_syntaxes)]),
    );
    Ok(super::rust_file(&super::rust_header(spec_file), &file))
}

fn internal(spec: &Spec, doing: &str, e: impl std::fmt::Display) -> InternalError {
    InternalError {
        doing: doing.to_owned(),
        file: spec.file.clone(),
        pointer: None,
        message: e.to_string(),
    }
}

/// progenitor names replaced types by typify's PascalCase form of the schema name.
fn progenitor_name(schema: &str) -> String {
    crate::names::pascal(schema)
}

/// `application/merge-patch+json` and other `+json` bodies → `application/json`,
/// remembering `(operationId, real media type)`.
fn rewrite_json_media_types(raw: &mut Value, out: &mut Vec<(String, String)>) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let Some(content) = op
                .pointer_mut("/requestBody/content")
                .and_then(Value::as_object_mut)
            else {
                continue;
            };
            let keys: Vec<String> = content.keys().cloned().collect();
            for key in keys {
                if key != "application/json" && key.ends_with("+json") {
                    if let Some(v) = content.remove(&key) {
                        content.insert("application/json".into(), v);
                        // progenitor's OperationInfo carries the snake_case id.
                        out.push((crate::names::snake(&id), key));
                    }
                }
            }
        }
    }
}

/// progenitor asserts when a `default` response sits beside typed successes
/// (progenitor issue 950); as errors, `4XX` and `5XX` mean the same to a client.
fn rewrite_default_responses(raw: &mut Value) {
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            if let Some(default) = responses.remove("default") {
                for range in ["4XX", "5XX"] {
                    responses.entry(range).or_insert_with(|| default.clone());
                }
            }
        }
    }
}

/// progenitor returns one success type and one error type per operation and
/// asserts on more (progenitor issue 950). Where the statuses of one side
/// differ (a body on some, none or another schema on others), the client keeps
/// the statuses with the most common body (a body before none; the first
/// written on a tie) and leaves the rest undeclared: it still returns them,
/// as `Error::UnexpectedResponse` with their status and bytes.
fn keep_one_body_type_per_side(raw: &mut Value) {
    let source = raw.clone();
    let Some(paths) = raw.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for op in item.values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for is_error in [false, true] {
                let side: Vec<(String, String)> = responses
                    .iter()
                    .filter(|(status, _)| {
                        (status.as_str() == "default" || status.starts_with(['4', '5'])) == is_error
                    })
                    .map(|(status, r)| (status.clone(), body_key(&source, r)))
                    .collect();
                let mut counts: Vec<(&str, usize)> = Vec::new();
                for (_, key) in &side {
                    match counts.iter_mut().find(|(k, _)| k == key) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((key, 1)),
                    }
                }
                if counts.len() < 2 {
                    continue;
                }
                // Most common first; a body before none; otherwise as written.
                let keep = counts
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, (key, n))| (*n, !key.is_empty(), usize::MAX - i))
                    .map(|(_, (key, _))| (*key).to_owned())
                    .unwrap_or_default();
                for (status, key) in &side {
                    if *key != keep {
                        responses.remove(status);
                    }
                }
            }
        }
    }
}

/// What progenitor would type a response's body as: its schema (after the
/// response's own `$ref`), or `""` for no body.
fn body_key(root: &Value, response: &Value) -> String {
    openapi_document::deref(root, response)
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.values().next())
        .and_then(|m| m.get("schema"))
        .map(Value::to_string)
        .unwrap_or_default()
}

/// progenitor's type replacement covers component schemas only; the types it
/// makes for constrained parameters (`UpdateAccountIfMatch`, ...) are the same
/// typify output the types crate already holds. Drop the client's copies and
/// re-export the shared ones, so callers name one type.
fn share_parameter_types(file: &mut syn::File, api: &Api) {
    let prefix = format!("{}::", api.types.crate_ident());
    let shared: Vec<String> = api
        .operations
        .iter()
        .flat_map(|o| o.parameters.iter())
        .filter_map(|p| p.rust_type.strip_prefix(&prefix))
        .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_owned)
        .collect();
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        let defined = |name: &str, items: &[syn::Item]| {
            items.iter().any(|i| {
                matches!(i, syn::Item::Struct(s) if s.ident == name)
                    || matches!(i, syn::Item::Enum(e) if e.ident == name)
            })
        };
        let mut replaced = Vec::new();
        for name in &shared {
            if defined(name, items) && !replaced.contains(name) {
                replaced.push(name.clone());
            }
        }
        items.retain(|i| match i {
            syn::Item::Struct(s) => !replaced.iter().any(|n| s.ident == n),
            syn::Item::Enum(e) => !replaced.iter().any(|n| e.ident == n),
            syn::Item::Impl(imp) => {
                let header = quote::quote!(#imp).to_string();
                let header = header.split('{').next().unwrap_or_default().to_owned();
                !replaced.iter().any(|n| {
                    header
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|t| t == n)
                })
            }
            _ => true,
        });
        for name in &replaced {
            if let Ok(path) = syn::parse_str::<syn::Item>(&format!(
                "pub use ::{}::{name};",
                api.types.crate_ident()
            )) {
                items.push(path);
            }
        }
    }
}
