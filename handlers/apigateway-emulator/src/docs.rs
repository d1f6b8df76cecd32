//! The local API reference: `GET /openapi.json` and `GET /docs`: the generated page
//! (`generated/reference.html`) when the service gives it, else rendered once at start from
//! the hand-written spec (the page itself comes from [`openapi_reference`] either way).

pub use openapi_reference::ReferenceError as DocsError;

/// The two pages, rendered once at start.
#[derive(Debug, Clone)]
pub struct SpecPages {
    /// The spec as pretty JSON.
    pub json: String,
    /// The HTML reference.
    pub html: String,
}

impl SpecPages {
    /// Renders both pages from the spec text (JSON, or YAML such as `spec/accounts.yaml`).
    pub fn from_spec(spec: &str) -> Result<Self, DocsError> {
        let value = openapi_reference::parse(spec)?;
        Ok(Self {
            json: serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()),
            html: openapi_reference::render(&value),
        })
    }

    /// The spec's JSON, and `html` as the reference: the page `codegen generate` wrote
    /// (`generated/reference.html`), served byte for byte as the deployed stack serves it.
    pub fn with_reference(spec: &str, html: &str) -> Result<Self, DocsError> {
        let value = openapi_reference::parse(spec)?;
        Ok(Self {
            json: serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()),
            html: html.to_owned(),
        })
    }
}
