//! JSON Schema validators compiled on first use, so a Lambda pays only for the
//! schemas of the one operation it serves.

use api_problem::FieldErrors;
use serde_json::Value;
use std::sync::OnceLock;

/// A JSON Schema held as text in the generated code and compiled lazily.
pub struct Schema {
    source: &'static str,
    compiled: OnceLock<Result<jsonschema::Validator, String>>,
}

impl Schema {
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    fn validator(&self) -> &Result<jsonschema::Validator, String> {
        self.compiled.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.source).map_err(|e| e.to_string())?;
            // Draft 7 compiles several times faster than 2019-09 (no vocabularies to
            // set up), which a Lambda pays on its first request; OpenAPI's `uuid`
            // format, a 2019-09 addition, is registered by hand.
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .should_validate_formats(true)
                .with_format("uuid", is_uuid)
                .build(&schema)
                .map_err(|e| e.to_string())
        })
    }

    /// Adds one field error per violation. `field` names the value: a prefix
    /// such as `query.limit`, or `""` for a body (errors then carry JSON pointers).
    pub fn validate(&self, value: &Value, field: &str, errors: &mut FieldErrors) {
        match self.validator() {
            Ok(v) => {
                for error in v.iter_errors(value) {
                    let mut pointer = error.instance_path().to_string();
                    // Name the property itself, not the object holding it.
                    match error.kind() {
                        jsonschema::error::ValidationErrorKind::Required { property } => {
                            if let Some(p) = property.as_str() {
                                pointer = openapi_document::child(&pointer, p);
                            }
                        }
                        jsonschema::error::ValidationErrorKind::AdditionalProperties {
                            unexpected,
                        } if unexpected.len() == 1 => {
                            pointer = openapi_document::child(&pointer, &unexpected[0]);
                        }
                        _ => {}
                    }
                    let name = if field.is_empty() {
                        if pointer.is_empty() {
                            "/".to_owned()
                        } else {
                            pointer
                        }
                    } else {
                        format!("{field}{pointer}")
                    };
                    errors.push(name, error.kind().keyword().to_owned(), error.to_string());
                }
            }
            // The schema is generated from a checked spec; if it still cannot
            // compile, refuse the value rather than let it through unchecked.
            Err(e) => errors.push(
                if field.is_empty() { "/" } else { field },
                "schema",
                format!("cannot validate: {e}"),
            ),
        }
    }
}

/// RFC 4122 textual form: 8-4-4-4-12 hex digits.
fn is_uuid(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static EMAIL: Schema = Schema::new(
        r#"{"type":"object","additionalProperties":false,"required":["email"],"properties":{"email":{"type":"string","format":"email"}}}"#,
    );

    #[test]
    fn every_violation_is_reported_with_its_pointer_and_keyword() {
        let mut p = FieldErrors::new();
        EMAIL.validate(&json!({"email": "nope", "extra": 1}), "", &mut p);
        let codes: Vec<_> = p
            .as_slice()
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert!(codes.contains(&("/email", "format")), "{codes:?}");
        assert!(
            codes.contains(&("/extra", "additionalProperties")),
            "{codes:?}"
        );
        let mut p = FieldErrors::new();
        EMAIL.validate(&json!({}), "", &mut p);
        assert_eq!(p.as_slice()[0].field, "/email");
        assert_eq!(p.as_slice()[0].code, "required");
    }

    #[test]
    fn uuid_format_is_checked() {
        static ID: Schema = Schema::new(r#"{"type":"string","format":"uuid"}"#);
        let mut p = FieldErrors::new();
        ID.validate(
            &json!("0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a10"),
            "path.id",
            &mut p,
        );
        assert!(p.is_empty(), "{p:?}");
        ID.validate(
            &json!("0b6f1f7e-4c1a-4d4b-9e59-0c1e4c4b2a1"),
            "path.id",
            &mut p,
        );
        ID.validate(
            &json!("0b6f1f7e04c1a-4d4b-9e59-0c1e4c4b2a10"),
            "path.id",
            &mut p,
        );
        assert_eq!(p.as_slice().len(), 2);
        assert_eq!(p.as_slice()[0].code, "format");
    }

    #[test]
    fn parameter_errors_are_prefixed_with_the_parameter() {
        static LIMIT: Schema = Schema::new(r#"{"type":"integer","minimum":1,"maximum":100}"#);
        let mut p = FieldErrors::new();
        LIMIT.validate(&json!(0), "query.limit", &mut p);
        assert_eq!(p.as_slice()[0].field, "query.limit");
        assert_eq!(p.as_slice()[0].code, "minimum");
    }
}
