//! Stage 1, parse: read the spec file, refuse what is not well-formed OpenAPI 3.0,
//! and keep both the raw JSON tree (for pointers and for emitters that copy the
//! document) and the typed `openapiv3` model.

mod bundle;
mod downconvert;
mod locate;
mod normalize;
mod version;

pub use bundle::Origin;

use crate::diagnostics::Diagnostic;
use openapi_document::{resolve, walk, Node, Pointer, Visit};
use openapiv3::OpenAPI;
use serde_json::Value;
use std::path::Path;

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name used in every diagnostic.
    pub file: String,
    /// The document as JSON, keys in source order: bundled (other files'
    /// parts copied into `components`) and, for 3.1, converted to 3.0.
    pub raw: Value,
    /// The typed model.
    pub openapi: OpenAPI,
    /// Where bundled parts were written (see [`Spec::relocate`]).
    pub origins: Vec<Origin>,
    /// Lints of the reading itself (a 3.1 conversion, dropped members).
    pub reading_lints: Vec<Diagnostic>,
}

impl Spec {
    /// Resolves a local `$ref` (`#/a/b`) in the raw document.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        resolve(&self.raw, reference)
    }

    /// Points a diagnostic about a bundled part at the file and pointer where
    /// that part is written.
    pub fn relocate(&self, diagnostic: &mut Diagnostic) {
        if diagnostic.file != self.file {
            return;
        }
        let origin = self
            .origins
            .iter()
            .filter(|o| {
                diagnostic.pointer == o.prefix
                    || diagnostic.pointer.starts_with(&format!("{}/", o.prefix))
            })
            .max_by_key(|o| o.prefix.len());
        if let Some(o) = origin {
            diagnostic.pointer = format!("{}{}", o.pointer, &diagnostic.pointer[o.prefix.len()..]);
            diagnostic.file = o.file.clone();
        }
    }

    /// `value`, or what its `$ref` chain leads to.
    pub fn deref<'a>(&'a self, value: &'a Value) -> &'a Value {
        openapi_document::deref(&self.raw, value)
    }
}

/// Reads and parses a spec file, bundling the files it references. Every
/// refusal names the file that holds the problem and a pointer into it.
pub fn load(path: &Path) -> Result<Spec, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            &file,
            "",
            format!("cannot read the file ({e})"),
            "check the path and that the file is UTF-8 text",
        )]
    })?;
    let raw = read_text(&file, &text)?;
    let (raw, origins) = bundle::bundle(&file, path, raw)?;
    from_value(&file, raw, origins)
}

/// Parses spec text (YAML or JSON) named `file`; references to other files
/// are resolved against the current directory.
pub fn parse(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    let raw = read_text(file, text)?;
    let (raw, origins) = bundle::bundle(file, Path::new(file), raw)?;
    from_value(file, raw, origins)
}

fn read_text(file: &str, text: &str) -> Result<Value, Vec<Diagnostic>> {
    openapi_document::text::parse(text).map_err(|e| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
            _ => String::new(),
        };
        let fix = if e.is_duplicate_key() {
            "remove or rename the repeated key"
        } else {
            "fix the YAML/JSON syntax"
        };
        vec![Diagnostic::error(
            file,
            e.pointer.clone(),
            format!("{e}{at}"),
            fix,
        )]
    })
}

fn from_value(file: &str, raw: Value, origins: Vec<Origin>) -> Result<Spec, Vec<Diagnostic>> {
    let (mut raw, mut reading_lints) = match version::check_version(file, &raw)? {
        version::Version::V30 => (raw, Vec::new()),
        version::Version::V31 => downconvert::to_30(file, raw)?,
    };
    reading_lints.extend(normalize::normalize(file, &mut raw));
    let openapi: OpenAPI =
        serde_path_to_error::deserialize(without_callbacks(&raw)).map_err(|e| {
            let (segments, message) =
                locate::locate(&raw, locate::segments(e.path()), e.inner().to_string());
            vec![locate::not_openapi(file, segments, message)]
        })?;
    let spec = Spec {
        file: file.to_owned(),
        raw,
        openapi,
        origins,
        reading_lints,
    };
    let mut broken = unresolved_refs(&spec);
    for d in &mut broken {
        spec.relocate(d);
    }
    if broken.is_empty() {
        Ok(spec)
    } else {
        Err(broken)
    }
}

/// The document as the typed model reads it: callbacks are not served (API
/// Gateway calls no one back), and openapiv3 2 cannot read a Callback Object
/// given by `$ref`, which OpenAPI 3.0 allows
/// (<https://spec.openapis.org/oas/v3.0.3#operation-object>).
fn without_callbacks(raw: &Value) -> Value {
    let mut typed = raw.clone();
    strip_callbacks(&mut typed);
    typed
}

/// Removes every operation's `callbacks` and `components.callbacks` (see
/// [`without_callbacks`]; progenitor reads the document with openapiv3 too).
pub(crate) fn strip_callbacks(typed: &mut Value) {
    if let Some(paths) = typed.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                op.remove("callbacks");
            }
        }
    }
    if let Some(components) = typed.get_mut("components").and_then(Value::as_object_mut) {
        components.remove("callbacks");
    }
}

/// Every `$ref` must be local (`#/...`) and point at something that exists.
/// A `$ref` inside example data is data, not a reference.
fn unresolved_refs(spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk(&spec.raw, &mut Pointer::root(), &mut |at, _, node| {
        if let Node::Reference(reference) = node {
            if !reference.starts_with('#') {
                out.push(Diagnostic::error(
                    &spec.file,
                    at.as_str(),
                    format!("`$ref: {reference}` is a remote reference (a URL); only this document and local files are read"),
                    "download the referenced document beside this one and refer to it by relative path",
                ));
            } else if spec.resolve(reference).is_none() {
                out.push(Diagnostic::error(
                    &spec.file,
                    at.as_str(),
                    format!("`$ref: {reference}` points at nothing"),
                    "define the target under #/components or correct the reference",
                ));
            }
        }
        Visit::Descend
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        match parse("t.yaml", text) {
            Ok(_) => panic!("expected a refusal"),
            Err(mut d) => d.remove(0),
        }
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let d = err("openapi: 3.0.3\nopenapi: 3.0.3\n");
        assert!(d.problem.contains("duplicate"), "{d}");
    }

    #[test]
    fn version_31_is_converted_and_what_30_cannot_say_is_refused_at_its_pointer() {
        let spec = parse(
            "t.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {x: {}}\ncomponents:\n  schemas:\n    A: {type: [string, 'null'], const: a, examples: [a]}\n    B: {type: integer, exclusiveMinimum: 3}\n",
        )
        .unwrap();
        assert_eq!(spec.raw["openapi"], "3.0.3");
        assert!(spec.raw.get("webhooks").is_none());
        let a = &spec.raw["components"]["schemas"]["A"];
        assert_eq!(
            a,
            &serde_json::json!({"type": "string", "nullable": true, "enum": ["a"], "example": "a"})
        );
        let b = &spec.raw["components"]["schemas"]["B"];
        assert_eq!(
            b,
            &serde_json::json!({"type": "integer", "minimum": 3, "exclusiveMinimum": true})
        );
        assert!(spec.reading_lints.iter().any(|l| l.pointer == "/webhooks"));
        let d = err("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {prefixItems: [{type: string}]}\n");
        assert_eq!(d.pointer, "/components/schemas/A/prefixItems", "{d}");
    }

    #[test]
    fn integer_response_keys_become_strings() {
        let s = parse("t.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n").unwrap();
        assert!(s.raw.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn structural_errors_point_inside_path_items_even_under_dotted_keys() {
        let d = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1.0/a:\n    get:\n      responses:\n        '200': {description: 5}\n");
        assert_eq!(
            d.pointer, "/paths/~1v1.0~1a/get/responses/200/description",
            "{d}"
        );
    }

    #[test]
    fn array_indices_become_pointer_segments() {
        let d =
            err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 5}]\npaths: {}\n");
        assert_eq!(d.pointer, "/servers/0/url", "{d}");
    }

    #[test]
    fn a_missing_member_is_pointed_at_itself() {
        let d = err("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n");
        assert_eq!(d.pointer, "/info/version", "{d}");
        assert!(d.fix.contains("add the required `version`"), "{d}");
    }

    #[test]
    fn errors_in_components_are_placed_at_the_component() {
        let d = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  responses:\n    Bad: {description: [1]}\n");
        assert_eq!(d.pointer, "/components/responses/Bad/description", "{d}");
    }

    #[test]
    fn dangling_refs_are_refused_with_their_pointer() {
        let d = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n");
        assert_eq!(d.pointer, "/components/schemas/A/$ref");
    }
}
