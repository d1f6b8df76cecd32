//! # API evolution: comparing two OpenAPI documents
//!
//! [`diff`] compares an old and a new OpenAPI 3.0/3.1 document operation by
//! operation and schema by schema and classifies every change
//! ([`Severity`]):
//!
//! - **wire-breaking**: a client written against the old contract, in any
//!   language, sends requests the new one refuses or meets responses the
//!   old one excluded;
//! - **rust-api-breaking**: the wire stays compatible, but the generated
//!   Rust API changes so that code using it may stop compiling (a renamed
//!   type, a new response status or enum variant, an argument or field that
//!   becomes an `Option`, a new positional argument);
//! - **compatible**, and **informational** (deprecations).
//!
//! Direction matters ([`Side`]): a constraint tightened on a request breaks
//! callers, loosened on a response breaks readers
//! (<https://www.oasdiff.com/docs/breaking-changes>). `$ref`s, `allOf`,
//! `oneOf`/`anyOf`, arrays, maps and nested objects are followed at any
//! depth; a recursive schema is compared once per pair of places. A schema
//! written inline or by `$ref`, key order, and prose (`description`,
//! `summary`, `title`, examples, `x-` extensions) make no difference.
//!
//! Each finding names its place in both documents (RFC 6901 pointers), its
//! [`Rule`] (the catalogue, with one example each, is the table in
//! `codegen/README.md`) and the operations that reach it. [`render`] shows a
//! report for a terminal, as JSON, or as a Markdown changelog section.
//!
//! ```
//! let old = openapi_diff::Document::parse("old.yaml", r#"
//! openapi: 3.0.3
//! info: {title: t, version: 1.0.0}
//! paths:
//!   /things:
//!     post:
//!       operationId: createThing
//!       requestBody:
//!         content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
//!       responses: {'201': {description: created}}
//! "#).unwrap();
//! let new = openapi_diff::Document::parse("new.yaml", &old_text_with_max_length()).unwrap();
//! # fn old_text_with_max_length() -> String { r#"
//! # openapi: 3.0.3
//! # info: {title: t, version: 1.0.0}
//! # paths:
//! #   /things:
//! #     post:
//! #       operationId: createThing
//! #       requestBody:
//! #         content: {application/json: {schema: {type: object, properties: {name: {type: string, maxLength: 10}}}}}
//! #       responses: {'201': {description: created}}
//! # "#.to_owned() }
//! let report = openapi_diff::diff(&old, &new);
//! assert!(report.is_breaking());
//! assert_eq!(report.findings[0].rule.id(), "length-bound-tightened");
//! ```
//!
//! One module per family of rules ([`Family`]): paths and operations (with
//! callbacks, webhooks and the document-level rules), parameters, request
//! bodies, responses (with `content`, shared with request bodies), schemas,
//! component schemas, security.
//!
//! `codegen diff`, `codegen release` and the version gate of `codegen check`
//! are built on this crate (`codegen/README.md`, "API evolution").

mod components;
mod content;
mod context;
pub mod finding;
mod load;
mod parameters;
mod paths;
pub mod render;
mod request_bodies;
mod responses;
pub mod rules;
mod schemas;
mod security;

pub use finding::{Finding, Report, Severity, Side};
pub use load::{Document, LoadError};
pub use rules::{Family, Rule};

/// Compares `old` with `new`.
pub fn diff(old: &Document, new: &Document) -> Report {
    let mut ctx = context::Ctx::new(&old.root, &new.root);
    components::compare(&mut ctx);
    paths::compare(&mut ctx);
    schemas::compare_unreferenced(&mut ctx);
    Report::new(ctx.into_findings())
}
