//! The error bodies this service answers with (the spec's `Error` schema).

use accounts_server::types::{Error, ErrorCode};
use accounts_server::Meta;

/// Stable machine codes (the spec's `Error.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    NotFound,
    AccountExists,
    IdempotencyKeyReused,
    PreconditionFailed,
    Forbidden,
    Unavailable,
    ValidationFailed,
}

impl Code {
    #[cfg(test)]
    pub const ALL: [Code; 7] = [
        Code::NotFound,
        Code::AccountExists,
        Code::IdempotencyKeyReused,
        Code::PreconditionFailed,
        Code::Forbidden,
        Code::Unavailable,
        Code::ValidationFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::NotFound => "NOT_FOUND",
            Code::AccountExists => "ACCOUNT_EXISTS",
            Code::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Code::PreconditionFailed => "PRECONDITION_FAILED",
            Code::Forbidden => "FORBIDDEN",
            Code::Unavailable => "UNAVAILABLE",
            Code::ValidationFailed => "VALIDATION_FAILED",
        }
    }
}

/// An error body for this request.
pub fn error(meta: &Meta, code: Code, message: &str) -> Error {
    error_with_fields(meta, code, message, Vec::new())
}

/// An error body naming the fields at fault.
pub fn error_with_fields(
    meta: &Meta,
    code: Code,
    message: &str,
    field_errors: Vec<accounts_server::types::FieldError>,
) -> Error {
    Error {
        // Every `Code` matches the spec's code pattern (see the test below).
        code: ErrorCode::try_from(code.as_str()).expect("error codes match ^[A-Z][A-Z0-9_]*$"),
        message: message.to_owned(),
        request_id: meta.request_id.clone(),
        field_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_a_valid_error_code() {
        for code in Code::ALL {
            assert!(ErrorCode::try_from(code.as_str()).is_ok(), "{code:?}");
        }
    }
}
