//! Stage 1, parse: read the spec file, refuse what is not well-formed OpenAPI 3.0,
//! and keep both the raw JSON tree (for pointers and for emitters that copy the
//! document) and the typed `openapiv3` model.

mod locate;
mod version;
mod yaml;

use crate::diagnostics::Diagnostic;
use openapi_document::{resolve, walk, Node, Pointer, Visit};
use openapiv3::OpenAPI;
use serde_json::Value;
use std::path::Path;

/// API Gateway's REST import limit on the document size.
/// <https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html>
pub const MAX_DOCUMENT_BYTES: usize = 6 * 1024 * 1024;

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name used in every diagnostic.
    pub file: String,
    /// The document as JSON, keys in source order.
    pub raw: Value,
    /// The typed model.
    pub openapi: OpenAPI,
}

impl Spec {
    /// Resolves a local `$ref` (`#/a/b`) in the raw document.
    pub fn resolve(&self, reference: &str) -> Option<&Value> {
        resolve(&self.raw, reference)
    }

    /// `value`, or what its `$ref` chain leads to.
    pub fn deref<'a>(&'a self, value: &'a Value) -> &'a Value {
        openapi_document::deref(&self.raw, value)
    }
}

/// Reads and parses a spec file. Every refusal names the file and a pointer.
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
    parse(&file, &text)
}

/// Parses spec text (YAML or JSON) named `file`.
pub fn parse(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(vec![Diagnostic::error(
            file,
            "",
            format!(
                "the document is {} bytes; API Gateway imports at most 6 MB",
                text.len()
            ),
            "split the API or move large examples out of the spec",
        )]);
    }
    // serde_yaml::Value refuses duplicate keys, which serde_json::Value would
    // silently collapse to the last one.
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        let fix = if e.to_string().contains("duplicate") {
            "remove or rename the repeated key"
        } else {
            "fix the YAML/JSON syntax"
        };
        vec![Diagnostic::error(
            file,
            "",
            format!("not valid YAML{at}: {e}"),
            fix,
        )]
    })?;
    let raw = yaml::yaml_to_json(file, &yaml, "")?;
    version::check_version(file, &raw)?;
    let openapi: OpenAPI = serde_path_to_error::deserialize(raw.clone()).map_err(|e| {
        let (segments, message) =
            locate::locate(&raw, locate::segments(e.path()), e.inner().to_string());
        vec![locate::not_openapi(file, segments, message)]
    })?;
    let spec = Spec {
        file: file.to_owned(),
        raw,
        openapi,
    };
    let broken = unresolved_refs(&spec);
    if broken.is_empty() {
        Ok(spec)
    } else {
        Err(broken)
    }
}

/// Every `$ref` must be local (`#/...`) and point at something that exists.
/// A `$ref` inside example data is data, not a reference.
fn unresolved_refs(spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk(&spec.raw, &mut Pointer::root(), &mut |at, _, node| {
        if let Node::Reference(reference) = node {
            if !reference.starts_with("#/") {
                out.push(Diagnostic::error(
                    &spec.file,
                    at.as_str(),
                    format!("`$ref: {reference}` is not a local reference"),
                    "inline the referenced definition into this document under #/components",
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
    fn version_31_is_refused_at_the_version_field() {
        let d = err("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(d.pointer, "/openapi");
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
