//! A parameter's or body's schema, compiled at build time into a validator
//! function (see [`crate::validation`]): nothing is parsed or compiled when a
//! Lambda starts or serves its first request.

use crate::validation::{At, Check, Findings};
use api_problem::FieldErrors;
use serde_json::Value;

/// The compiled validator of one schema, as the generated server crates hold it.
pub struct Schema {
    check: Check,
}

impl Schema {
    pub const fn new(check: Check) -> Self {
        Self { check }
    }

    /// The schema `{}`: every value is valid.
    pub const ANY: Schema = Schema::new(|_, _, _| {});

    /// Adds one field error per violation. `field` names the value: a prefix
    /// such as `query.limit`, or `""` for a body (errors then carry JSON pointers,
    /// `/` for the body itself).
    pub fn validate(&self, value: &Value, field: &str, errors: &mut FieldErrors) {
        let mut findings = Findings::new();
        (self.check)(value, &At::ROOT, &mut findings);
        for finding in findings.into_vec() {
            let name = match (field.is_empty(), finding.pointer.is_empty()) {
                (true, true) => "/".to_owned(),
                (true, false) => finding.pointer,
                (false, _) => format!("{field}{}", finding.pointer),
            };
            errors.push(name, finding.keyword, finding.message);
        }
    }

    /// Whether `value` is valid, formatting no message.
    pub fn accepts(&self, value: &Value) -> bool {
        Findings::accepts(self.check, value, &At::ROOT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::keywords as k;
    use serde_json::json;

    fn email(v: &Value, at: &At<'_>, out: &mut Findings) {
        k::of_type(v, k::STRING, at, out);
        k::format(v, "email", crate::validation::formats::email, at, out);
    }

    fn account(v: &Value, at: &At<'_>, out: &mut Findings) {
        k::of_type(v, k::OBJECT, at, out);
        k::closed(v, &[("email", email)], Some("email"), at, out);
    }

    static ACCOUNT: Schema = Schema::new(account);

    #[test]
    fn every_violation_is_reported_with_its_pointer_and_keyword() {
        let mut p = FieldErrors::new();
        ACCOUNT.validate(&json!({"email": "nope", "extra": 1}), "", &mut p);
        let codes: Vec<_> = p
            .as_slice()
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("/email", "format", r#""nope" is not a "email""#),
                (
                    "/extra",
                    "additionalProperties",
                    "Additional properties are not allowed ('extra' was unexpected)"
                ),
            ]
        );
        let mut p = FieldErrors::new();
        ACCOUNT.validate(&json!({}), "", &mut p);
        assert_eq!(p.as_slice()[0].field, "/email");
        assert_eq!(p.as_slice()[0].code, "required");
        assert!(!ACCOUNT.accepts(&json!([])));
        assert!(ACCOUNT.accepts(&json!({"email": "a@example.com"})));
    }

    #[test]
    fn parameter_errors_are_prefixed_with_the_parameter_and_the_body_is_slash() {
        fn limit(v: &Value, at: &At<'_>, out: &mut Findings) {
            k::of_type(v, k::INTEGER, at, out);
            k::bound(
                v,
                k::Bound::Minimum,
                crate::validation::Num::Int(1),
                "1",
                at,
                out,
            );
        }
        let mut p = FieldErrors::new();
        Schema::new(limit).validate(&json!(0), "query.limit", &mut p);
        assert_eq!(p.as_slice()[0].field, "query.limit");
        assert_eq!(p.as_slice()[0].code, "minimum");
        assert_eq!(p.as_slice()[0].message, "0 is less than the minimum of 1");
        let mut p = FieldErrors::new();
        ACCOUNT.validate(&json!(3), "", &mut p);
        assert_eq!(p.as_slice()[0].field, "/");
        assert!(Schema::ANY.accepts(&json!({"any": "thing"})));
    }
}
