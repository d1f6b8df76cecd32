//! What a handler answers when it cannot succeed, independent of any HTTP
//! stack.
//!
//! A generated handler trait returns `Result<Success, OperationError>`; the
//! generated `OperationError` enum holds exactly the error statuses its
//! operation declares, each carrying a [`Problem`] (code, message, field
//! errors) where the spec gives that status the shared error shape. The
//! generated adapter renders it and adds what only it knows (the request id).
//!
//! [`ApiError`] is a problem with its status: what `?` carries. Every generated
//! error enum converts from anything that converts into an [`ApiError`], so a
//! crate gives its own error type one `From` impl (a store's "unavailable" →
//! 503, its "not found" → 404) and handlers use `?` on its results. This crate
//! has no HTTP dependencies so that such a crate (a store, a domain library)
//! can write that impl, which Rust's orphan rule allows only beside the error
//! type itself.

mod field_errors;

pub use field_errors::{FieldError, FieldErrors};

use std::borrow::Cow;

/// The content of an error answer: a stable machine code, a message for
/// people, and one entry per field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable, machine-readable (`NOT_FOUND`, `VALIDATION_FAILED`, ...).
    pub code: Cow<'static, str>,
    pub message: Cow<'static, str>,
    pub field_errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(code: impl Into<Cow<'static, str>>, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            field_errors: Vec::new(),
        }
    }

    /// Adds one field error.
    #[must_use]
    pub fn with_field_error(
        mut self,
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        self.field_errors
            .push(FieldError::new(field, code, message));
        self
    }

    /// Adds every field error gathered while reading a request.
    #[must_use]
    pub fn with_field_errors(mut self, errors: FieldErrors) -> Self {
        self.field_errors.extend(errors.into_vec());
        self
    }
}

/// A [`Problem`] and the HTTP status to answer it with. An operation's error
/// enum picks the variant declared for `status`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {}: {}", problem.code, problem.message)]
pub struct ApiError {
    pub status: u16,
    pub problem: Problem,
}

impl ApiError {
    pub fn new(
        status: u16,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            problem: Problem::new(code, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_error_displays_status_code_and_message_and_keeps_field_errors() {
        let e = ApiError {
            status: 400,
            problem: Problem::new("VALIDATION_FAILED", "bad").with_field_error(
                "query.cursor",
                "cursor",
                "pass it back unchanged",
            ),
        };
        assert_eq!(e.to_string(), "400 VALIDATION_FAILED: bad");
        assert_eq!(e.problem.field_errors[0].field, "query.cursor");
    }
}
