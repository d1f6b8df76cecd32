//! Reading a document to compare: YAML or JSON text into a JSON tree, and
//! the refusals (`file: #/pointer: problem: fix`) for input that cannot be
//! compared faithfully: not OpenAPI 3, or a `$ref` that does not resolve
//! inside the document.

use openapi_document::walk::{walk, Node, Visit};
use openapi_document::{resolve, Pointer};
use serde_json::Value;

/// One OpenAPI document, as a JSON tree with keys in source order.
#[derive(Debug, Clone)]
pub struct Document {
    /// How messages name the document (a path, or `git:REV:path`).
    pub name: String,
    pub root: Value,
}

/// Why a document is refused.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: #: cannot read it ({reason}): check the path (or the git revision)")]
    Read { file: String, reason: String },
    #[error("{file}: #{pointer}: {problem}: {fix}")]
    Refused {
        file: String,
        pointer: String,
        problem: String,
        fix: String,
    },
}

impl LoadError {
    fn refused(
        file: &str,
        pointer: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self::Refused {
            file: file.to_owned(),
            pointer: pointer.into(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// A document that could not be read at all.
    pub fn unreadable(file: &str, reason: impl Into<String>) -> Self {
        Self::Read {
            file: file.to_owned(),
            reason: reason.into(),
        }
    }

    /// The document the error is about.
    pub fn file(&self) -> &str {
        match self {
            Self::Read { file, .. } | Self::Refused { file, .. } => file,
        }
    }

    /// The place in it (`""`: the whole document).
    pub fn pointer(&self) -> &str {
        match self {
            Self::Read { .. } => "",
            Self::Refused { pointer, .. } => pointer,
        }
    }
}

impl Document {
    /// Reads `path` from disk.
    pub fn read(path: &std::path::Path) -> Result<Self, LoadError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| LoadError::unreadable(&name, e.to_string()))?;
        Self::parse(&name, &text)
    }

    /// Parses YAML or JSON text named `name` (one reader for every tool:
    /// [`openapi_document::text::parse`]).
    pub fn parse(name: &str, text: &str) -> Result<Self, LoadError> {
        let root = openapi_document::text::parse(text).map_err(|e| {
            let at = match (e.line, e.column) {
                (Some(line), Some(column)) => format!(" at line {line}, column {column}"),
                _ => String::new(),
            };
            let fix = if e.pointer.is_empty() {
                "fix the syntax"
            } else {
                "write it as JSON allows"
            };
            LoadError::refused(name, &e.pointer, format!("{}{at}", e.message), fix)
        })?;
        Self::from_value(name, root)
    }

    /// Checks an already parsed tree.
    pub fn from_value(name: &str, root: Value) -> Result<Self, LoadError> {
        check_openapi(name, &root)?;
        check_references(name, &root)?;
        Ok(Self {
            name: name.to_owned(),
            root,
        })
    }

    /// `info.version`, if any.
    pub fn version(&self) -> Option<&str> {
        self.root.pointer("/info/version").and_then(Value::as_str)
    }
}

/// OpenAPI 3.0 or 3.1 (<https://spec.openapis.org/oas/v3.1.0#fixed-fields>).
fn check_openapi(file: &str, root: &Value) -> Result<(), LoadError> {
    let Some(object) = root.as_object() else {
        return Err(LoadError::refused(
            file,
            "",
            "the document is not a mapping",
            "give an OpenAPI 3 document",
        ));
    };
    match object.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => {}
        Some(v) => {
            return Err(LoadError::refused(
                file,
                "/openapi",
                format!("OpenAPI {v} is not compared"),
                "give an OpenAPI 3.0 or 3.1 document",
            ))
        }
        None if object.contains_key("swagger") => {
            return Err(LoadError::refused(
                file,
                "/swagger",
                "Swagger 2.0 is not compared",
                "convert the document to OpenAPI 3 first",
            ))
        }
        None => {
            return Err(LoadError::refused(
                file,
                "/openapi",
                "no `openapi` version string",
                "add `openapi: 3.0.3` (or the version the document follows)",
            ))
        }
    }
    for member in ["paths", "components", "webhooks"] {
        if let Some(value) = object.get(member) {
            if !value.is_object() {
                return Err(LoadError::refused(
                    file,
                    format!("/{member}"),
                    format!("`{member}` is not a mapping"),
                    "write it as a mapping",
                ));
            }
        }
    }
    Ok(())
}

/// Every `$ref` must name a place in this document: a comparison that
/// cannot follow a reference could only guess.
fn check_references(file: &str, root: &Value) -> Result<(), LoadError> {
    let mut problem = None;
    walk(root, &mut Pointer::root(), &mut |at, _, node| {
        if problem.is_some() {
            return Visit::Skip;
        }
        if let Node::Reference(target) = node {
            if !target.starts_with('#') {
                problem = Some(LoadError::refused(
                    file,
                    at.as_str(),
                    format!("`{target}` refers outside the document"),
                    "bundle the document into one file first (for example `redocly bundle`)",
                ));
            } else if resolve(root, target).is_none() {
                problem = Some(LoadError::refused(
                    file,
                    at.as_str(),
                    format!("`{target}` does not resolve"),
                    "point the `$ref` at an existing place in the document",
                ));
            }
        }
        Visit::Descend
    });
    problem.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_status_keys_become_strings_and_bad_input_is_refused_with_a_pointer() {
        let doc = Document::parse(
            "a.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        )
        .unwrap();
        assert!(doc.root.pointer("/paths/~1a/get/responses/200").is_some());

        let swagger = Document::parse("s.json", r#"{"swagger": "2.0"}"#).unwrap_err();
        assert_eq!(swagger.pointer(), "/swagger");

        let broken = Document::parse(
            "b.yaml",
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Gone'}\n",
        )
        .unwrap_err();
        assert_eq!(broken.pointer(), "/paths/~1a/get/responses/200/$ref");
        assert!(broken
            .to_string()
            .starts_with("b.yaml: #/paths/~1a/get/responses/200/$ref: "));

        let syntax = Document::parse("c.yaml", "openapi: [3.0").unwrap_err();
        assert!(syntax.to_string().contains("not valid YAML"));
    }
}
