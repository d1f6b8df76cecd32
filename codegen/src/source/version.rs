//! The version gate: OpenAPI 3.0.x, and 3.1.x converted to it (API Gateway REST imports 2.0 and 3.0,
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis>).

use crate::diagnostics::Diagnostic;
use serde_json::Value;

/// The versions read.
pub(super) enum Version {
    V30,
    /// Converted to 3.0 where it can be (see `downconvert`).
    V31,
}

/// Refuses anything but an object with `openapi: 3.0.x` or `3.1.x`, saying
/// what to do.
pub(super) fn check_version(file: &str, raw: &Value) -> Result<Version, Vec<Diagnostic>> {
    let Some(obj) = raw.as_object() else {
        return Err(vec![Diagnostic::error(
            file,
            "",
            "the document is not an object",
            "start from an OpenAPI 3.0.3 document (`openapi: 3.0.3`, `info`, `paths`)",
        )]);
    };
    if obj.contains_key("swagger") {
        return Err(vec![Diagnostic::error(
            file,
            "/swagger",
            "Swagger/OpenAPI 2.0 is not supported",
            "convert the document to OpenAPI 3.0.3 (for example with swagger2openapi) and set `openapi: 3.0.3`",
        )]);
    }
    match obj.get("openapi") {
        None => Err(vec![Diagnostic::error(
            file,
            "/openapi",
            "the `openapi` version field is missing",
            "add `openapi: 3.0.3` at the top",
        )]),
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(Version::V30),
        Some(Value::String(v)) if v.starts_with("3.1.") => Ok(Version::V31),
        Some(other) => Err(vec![Diagnostic::error(
            file,
            "/openapi",
            format!("unsupported OpenAPI version {other}"),
            "set `openapi: 3.0.3` (a quoted string)",
        )]),
    }
}
