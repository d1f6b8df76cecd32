//! Multi-file documents: every `$ref` to another local file (`pet.yaml`,
//! `schemas.json#/Pet`, `../common.yaml#/components/responses/NotFound`) is
//! bundled into this document, as `redocly bundle` does: the target is copied
//! under `#/components/<kind>/<name>` (the kind from where it is referenced,
//! or from the target's own place in its file) and the reference rewritten to
//! it. References inside copied content are resolved against the file they
//! were written in. A path item `$ref` (local or not) is inlined, since
//! OpenAPI 3.0 has no component for path items.
//!
//! Every copied subtree remembers its [`Origin`], so that a problem found in
//! the bundle is reported in the file that holds it.

use crate::diagnostics::Diagnostic;
use openapi_document::{pointer, resolve, walk, Node, Pointer, Visit};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a subtree of the bundled document was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Its pointer in the bundled document.
    pub prefix: String,
    /// The file, as diagnostics name it.
    pub file: String,
    /// Its pointer in that file.
    pub pointer: String,
}

/// How many distinct targets one document may pull in: a bound that keeps a
/// pathological chain of files from running away.
const MAX_TARGETS: usize = 10_000;

/// Bundles `root` (read from `root_path`, named `root_file` in diagnostics).
pub(super) fn bundle(
    root_file: &str,
    root_path: &Path,
    mut root: Value,
) -> Result<(Value, Vec<Origin>), Vec<Diagnostic>> {
    let root_abs = absolute(root_path);
    let base = root_abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut files: BTreeMap<PathBuf, Value> = BTreeMap::new();
    let mut placed: BTreeMap<String, String> = BTreeMap::new();
    let mut origins = Vec::new();
    let mut errors = Vec::new();
    // The root's own relative references are relative to its directory.
    absolutize(&mut root, &root_abs, &base, true);
    for _round in 0..MAX_TARGETS {
        let pending = external_refs(&root);
        if pending.is_empty() {
            break;
        }
        for (at, reference) in pending {
            let (file, fragment) = split(&reference);
            let file_path = PathBuf::from(file);
            if file_path == root_abs {
                set_ref(&mut root, &at, format!("#{fragment}"));
                continue;
            }
            let display = display_name(root_file, &root_abs, &file_path);
            if !files.contains_key(&file_path) {
                match load(&file_path, &display) {
                    Ok(doc) => {
                        files.insert(file_path.clone(), doc);
                    }
                    Err(LoadError::Unreadable(reason)) => {
                        errors.push(Diagnostic::error(
                            root_file,
                            format!("{at}/$ref"),
                            format!("`$ref` names {display}, which cannot be read ({reason})"),
                            "check the path, relative to the file that holds the `$ref`",
                        ));
                        set_ref(&mut root, &at, "#/x-unresolved".to_owned());
                        continue;
                    }
                    Err(LoadError::Invalid(d)) => {
                        errors.push(d);
                        set_ref(&mut root, &at, "#/x-unresolved".to_owned());
                        continue;
                    }
                }
            }
            let Some(target) = files
                .get(&file_path)
                .and_then(|doc| resolve(doc, &format!("#{fragment}")))
                .cloned()
            else {
                errors.push(Diagnostic::error(
                    root_file,
                    &at,
                    format!("`$ref` target `{fragment}` does not exist in {display}"),
                    "correct the reference or define the target in that file",
                ));
                set_ref(&mut root, &at, "#/x-unresolved".to_owned());
                continue;
            };
            let mut content = target;
            let dir = file_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            absolutize(&mut content, &file_path, &dir, false);
            if is_path_item_slot(&at) {
                // No component holds path items in 3.0: inline it.
                origins.push(Origin {
                    prefix: parent_of(&at),
                    file: display,
                    pointer: fragment.to_owned(),
                });
                replace_holder(&mut root, &at, content);
                continue;
            }
            let key = reference.clone();
            let local = match placed.get(&key) {
                Some(local) => local.clone(),
                None => {
                    let kind = kind_of(&at, fragment);
                    let name = unique_name(&root, kind, &name_for(fragment, &file_path));
                    let local = pointer(["components", kind, name.as_str()]);
                    insert_component(&mut root, kind, &name, content);
                    origins.push(Origin {
                        prefix: local.clone(),
                        file: display,
                        pointer: fragment.to_owned(),
                    });
                    placed.insert(key, local.clone());
                    local
                }
            };
            set_ref(&mut root, &at, format!("#{local}"));
        }
    }
    inline_local_path_items(&mut root);
    if errors.is_empty() {
        Ok((root, origins))
    } else {
        Err(errors)
    }
}

/// Why a referenced file was not loaded.
enum LoadError {
    /// It cannot be read (reported at the reference).
    Unreadable(String),
    /// It is not a document (reported in it).
    Invalid(Diagnostic),
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    crate::lexical(&joined)
}

/// How diagnostics name a referenced file: relative to the root's directory,
/// joined to the way the user named the root.
fn display_name(root_file: &str, root_abs: &Path, file: &Path) -> String {
    let root_dir = root_abs.parent().unwrap_or(Path::new("/"));
    let shown_dir = Path::new(root_file).parent().unwrap_or(Path::new(""));
    match file.strip_prefix(root_dir) {
        Ok(rel) => shown_dir.join(rel).display().to_string(),
        Err(_) => file.display().to_string(),
    }
}

fn load(path: &Path, display: &str) -> Result<Value, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::Unreadable(e.to_string()))?;
    openapi_document::text::parse(&text).map_err(|e| {
        let at = e
            .line
            .map(|l| format!(" (line {l}, column {})", e.column.unwrap_or(0)))
            .unwrap_or_default();
        LoadError::Invalid(Diagnostic::error(
            display,
            e.pointer.clone(),
            format!("{e}{at}"),
            "fix the syntax of this file",
        ))
    })
}

/// Rewrites every reference in `value` (written in `file`, in `dir`) to an
/// absolute `path#fragment`, so that it means the same wherever it is copied.
/// In the root, local references (`#/...`) stay local.
fn absolutize(value: &mut Value, file: &Path, dir: &Path, is_root: bool) {
    let mut edits = Vec::new();
    walk(value, &mut Pointer::root(), &mut |at, _, node| {
        if let Node::Reference(reference) = node {
            let (path, fragment) = split(reference);
            let target = if path.is_empty() {
                if is_root {
                    return Visit::Descend;
                }
                file.to_path_buf()
            } else if is_remote(path) {
                return Visit::Descend;
            } else {
                crate::lexical(&dir.join(percent_decoded(path)))
            };
            edits.push((at.to_string(), format!("{}#{fragment}", target.display())));
        }
        Visit::Descend
    });
    for (at, reference) in edits {
        set_ref_at(value, &at, reference);
    }
}

fn percent_decoded(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

fn is_remote(path: &str) -> bool {
    path.contains("://")
}

/// `file#fragment` → (`file`, `/fragment`); `#/a` → (``, `/a`).
fn split(reference: &str) -> (&str, &str) {
    match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    }
}

/// Pointers (of the `$ref` members) of references to other files.
fn external_refs(root: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(root, &mut Pointer::root(), &mut |at, _, node| {
        if let Node::Reference(reference) = node {
            let (file, _) = split(reference);
            if !file.is_empty() && !is_remote(file) {
                out.push((parent_of(at.as_str()), reference.to_owned()));
            }
        }
        Visit::Descend
    });
    out
}

fn parent_of(at: &str) -> String {
    at.rsplit_once('/')
        .map(|(p, _)| p.to_owned())
        .unwrap_or_default()
}

/// Sets the `$ref` of the Reference Object at `at`.
fn set_ref(root: &mut Value, at: &str, reference: String) {
    if let Some(Value::Object(holder)) = root.pointer_mut(at) {
        holder.insert("$ref".to_owned(), Value::String(reference));
    }
}

/// Sets the `$ref` member whose own pointer is `at` (ends in `/$ref`).
fn set_ref_at(root: &mut Value, at: &str, reference: String) {
    if let Some(slot) = root.pointer_mut(at) {
        *slot = Value::String(reference);
    }
}

fn replace_holder(root: &mut Value, at: &str, content: Value) {
    if let Some(slot) = root.pointer_mut(at) {
        *slot = content;
    }
}

/// A Reference Object directly under `/paths/<path>`.
fn is_path_item_slot(at: &str) -> bool {
    let segments: Vec<&str> = at.split('/').skip(1).collect();
    segments.len() == 2 && segments[0] == "paths"
}

/// The component kind a reference at `at` (to `fragment`) stands for.
fn kind_of(at: &str, fragment: &str) -> &'static str {
    const KINDS: [&str; 9] = [
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
    ];
    // The target's own place, when its file has components.
    let target: Vec<&str> = fragment.split('/').skip(1).collect();
    if let ["components", kind, _] = target.as_slice() {
        if let Some(k) = KINDS.iter().find(|k| *k == kind) {
            return k;
        }
    }
    let segments: Vec<String> = Pointer::parse(at)
        .segments()
        .map(|s| s.into_owned())
        .collect();
    let parent = segments.len().checked_sub(2).map(|i| segments[i].as_str());
    if segments.last().map(String::as_str) == Some("requestBody") {
        return "requestBodies";
    }
    match parent {
        Some("parameters") => "parameters",
        Some("responses") => "responses",
        Some("requestBodies") => "requestBodies",
        Some("headers") => "headers",
        Some("examples") if !in_schema(&segments) => "examples",
        Some("links") => "links",
        Some("callbacks") => "callbacks",
        Some("securitySchemes") => "securitySchemes",
        _ => "schemas",
    }
}

fn in_schema(segments: &[String]) -> bool {
    segments.iter().any(|s| s == "schema" || s == "schemas")
}

/// A component name from the fragment's last segment or the file's stem,
/// restricted to what component names allow (`^[a-zA-Z0-9.\-_]+$`).
fn name_for(fragment: &str, file: &Path) -> String {
    let last = Pointer::parse(fragment)
        .segments()
        .last()
        .map(|s| s.into_owned())
        .filter(|s| !s.is_empty());
    let raw = last.unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Bundled".to_owned())
    });
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "Bundled".to_owned()
    } else {
        clean
    }
}

fn unique_name(root: &Value, kind: &str, name: &str) -> String {
    let taken = |n: &str| root.pointer(&pointer(["components", kind, n])).is_some();
    if !taken(name) {
        return name.to_owned();
    }
    (2..)
        .map(|i| format!("{name}{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| name.to_owned())
}

fn insert_component(root: &mut Value, kind: &str, name: &str, content: Value) {
    let Value::Object(doc) = root else {
        return;
    };
    let components = doc
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(components) = components {
        let kind = components
            .entry(kind)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(kind) = kind {
            kind.insert(name.to_owned(), content);
        }
    }
}

/// Local path item references (`/a: {$ref: '#/paths/~1b'}`) are inlined: API
/// Gateway and codegen read path items in place.
fn inline_local_path_items(root: &mut Value) {
    let source = root.clone();
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        if let Some(target) = item
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| resolve(&source, r))
        {
            let target = openapi_document::deref(&source, target);
            *item = target.clone();
        }
    }
}
