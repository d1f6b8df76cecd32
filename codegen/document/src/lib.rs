//! An OpenAPI document read as a JSON tree (`serde_json::Value`), the way every
//! consumer in this project reads it: codegen's checks and emitters, the API
//! Gateway emulator (which loads the generated import document) and the API
//! reference page. Each rule of the OpenAPI specification that they all rely
//! on is written here once:
//!
//! - [`pointer`]: RFC 6901 JSON pointers (escaping `~` and `/`), built as a
//!   walk descends;
//! - [`refs`]: local `$ref` resolution, followed through chains with a bound so
//!   that a cycle cannot hang a caller;
//! - [`operations`]: the operations of `paths` in document order and their
//!   parameters, path-level ones overridden by operation-level ones with the
//!   same `name` and `in`
//!   (<https://spec.openapis.org/oas/v3.0.3#fixed-fields-7>);
//! - [`paths`]: the parameters of a path template;
//! - [`media`]: which media types are JSON;
//! - [`schemas`]: every Schema Object of a document and its subschemas;
//! - [`text`]: JSON or YAML text to a JSON tree (duplicate keys refused, any number);
//! - [`walk`]: a depth-first traversal that hands every node its pointer and
//!   knows which members hold data rather than document (`example`,
//!   `examples`, `default`, `enum`, `const`): a `$ref` key inside them is a
//!   value, not a reference.

pub mod media;
pub mod operations;
pub mod paths;
pub mod pointer;
pub mod refs;
pub mod schemas;
pub mod text;
pub mod walk;

pub use operations::{operations, parameters, Operation, Parameter, METHODS};
pub use pointer::{child, escape, pointer, unescape, Pointer};
pub use refs::{deref, resolve};
pub use walk::{walk, Node, Visit};

/// The string member `key` of `value`, or `""`.
pub fn str_of<'a>(value: &'a serde_json::Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
}
