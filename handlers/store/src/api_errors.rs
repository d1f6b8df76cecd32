//! How the API answers each store failure: the one conversion that lets a
//! handler write `self.store.get(id).await?` and get the status its operation
//! declares for it (see `api_problem`). It lives here because Rust's orphan
//! rule allows `From<StoreError> for ApiError` only beside one of the two types.

use crate::StoreError;
use api_problem::{ApiError, Problem};

/// The message of every 503: the cause goes to the log, never to the client.
pub const UNAVAILABLE_MESSAGE: &str = "The account store is unavailable; retry later.";

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::new(404, "NOT_FOUND", "No such account."),
            StoreError::AlreadyExists => ApiError::new(
                409,
                "ACCOUNT_EXISTS",
                "You already have an account; GET /accounts/me returns it.",
            ),
            StoreError::IdempotencyConflict => ApiError::new(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was used with a different request body; use a new key.",
            ),
            StoreError::VersionConflict { .. } => ApiError::new(
                412,
                "PRECONDITION_FAILED",
                "The account changed since you read it; GET it again and retry with its ETag.",
            ),
            StoreError::InvalidPageToken => ApiError {
                status: 400,
                problem: Problem::new(
                    "VALIDATION_FAILED",
                    "The cursor is not one this service issued for this listing.",
                )
                .with_field_error(
                    "query.cursor",
                    "cursor",
                    "pass back the nextCursor of the previous page unchanged, with the same email filter",
                ),
            },
            StoreError::InvalidArgument(_) => {
                log_cause(&error);
                ApiError::new(500, "INTERNAL", "The request could not be served.")
            }
            StoreError::Corrupt(_) | StoreError::Unavailable(_) => {
                log_cause(&error);
                ApiError::new(503, "UNAVAILABLE", UNAVAILABLE_MESSAGE)
            }
        }
    }
}

/// Logs a failure with its whole chain of causes, once.
pub fn log_cause(error: &(dyn std::error::Error + 'static)) {
    let mut cause = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        cause.push_str(": ");
        cause.push_str(&s.to_string());
        source = s.source();
    }
    tracing::error!(error = %cause, "account store failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_has_its_status_and_causes_stay_out_of_the_body() {
        let status = |e: StoreError| ApiError::from(e).status;
        assert_eq!(status(StoreError::NotFound), 404);
        assert_eq!(status(StoreError::AlreadyExists), 409);
        assert_eq!(status(StoreError::IdempotencyConflict), 422);
        assert_eq!(status(StoreError::VersionConflict { current: 2 }), 412);
        assert_eq!(status(StoreError::InvalidPageToken), 400);
        assert_eq!(status(StoreError::InvalidArgument("limit".into())), 500);
        let unavailable = ApiError::from(StoreError::Unavailable("secret host 10.0.0.1".into()));
        assert_eq!(unavailable.status, 503);
        assert_eq!(unavailable.problem.message, UNAVAILABLE_MESSAGE);
    }
}
