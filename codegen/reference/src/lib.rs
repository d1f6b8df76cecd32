//! The HTML API reference of an OpenAPI 3.0 document
//! ([OpenAPI 3.0.3](https://spec.openapis.org/oas/v3.0.3)): one self-contained page, rendered
//! ahead of time, that works offline (no script, no CDN, no remote image).
//!
//! Every operation is a `<section id="op-<operationId>">` and every component schema a
//! `<section id="schema-<Name>">`, so that links and browser tests can find them. The
//! document's Markdown (`description`s) is CommonMark rendered by pulldown-cmark, with raw
//! HTML shown as text (see [`markdown`]). Each operation shows a ready `curl` command and an
//! example of each request and response body: the document's own, else one built from the
//! schema.
//!
//! ```
//! let spec = openapi_reference::parse("openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths: {}")?;
//! let page = openapi_reference::render(&spec);
//! assert!(page.contains("<title>Pets</title>"));
//! # Ok::<(), openapi_reference::ReferenceError>(())
//! ```

mod curl;
mod example;
mod html;
pub mod markdown;
mod operation;
mod page;
mod schema;

pub use page::render;

use serde_json::Value;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    /// Neither JSON nor YAML.
    #[error("the OpenAPI document is neither JSON nor YAML: {0}")]
    Parse(#[from] serde_yaml::Error),
}

/// Reads a document written as JSON or YAML (such as `spec/accounts.yaml`).
pub fn parse(text: &str) -> Result<Value, ReferenceError> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(_) => Ok(serde_yaml::from_str(text)?),
    }
}
