//! The answer of an operation whose handler is not written yet: `501 Not Implemented`
//! ([RFC 9110 §15.6.2](https://www.rfc-editor.org/rfc/rfc9110#section-15.6.2)) in the
//! shared error shape, whatever statuses the operation declares.
//!
//! A handler method returns its operation's `Result<Success, Error>`, whose enums hold only
//! the statuses the spec declares (some operations declare no error at all), so a 501 is
//! not a value of that type. The stubs `codegen new` writes answer early instead:
//! [`not_implemented`] records the 501 for the request being served and never completes;
//! [`answering_early`], which the Lambda loop ([`crate::logging::run`]) and the local
//! server's generated backend wrap around every request, then ends the request with it.
//! Nothing else can use this path: a written handler answers through its enums.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use lambda_http::{Body, Response};

use crate::error::problem_response;
use crate::request::Meta;
use api_problem::Problem;

/// A response recorded for the request being served, if its handler answered early.
type EarlyAnswer = Arc<Mutex<Option<Response<Body>>>>;

tokio::task_local! {
    static EARLY_ANSWER: EarlyAnswer;
}

/// Serves one request with `handle`, ending it with the response [`not_implemented`]
/// recorded if the handler called it.
pub async fn answering_early<F>(handle: F) -> Response<Body>
where
    F: Future<Output = Response<Body>>,
{
    let slot: EarlyAnswer = Arc::default();
    let scoped = EARLY_ANSWER.scope(Arc::clone(&slot), handle);
    let mut scoped = std::pin::pin!(scoped);
    std::future::poll_fn(|cx| match scoped.as_mut().poll(cx) {
        Poll::Ready(response) => Poll::Ready(response),
        Poll::Pending => match slot.lock().ok().and_then(|mut answer| answer.take()) {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Pending,
        },
    })
    .await
}

/// The body of a handler not written yet: the request ends with `501 Not Implemented`
/// (code `NOT_IMPLEMENTED`, the request id in the body) and this future never completes.
///
/// # Panics
///
/// Outside [`answering_early`] (a handler method called directly, as in a unit test), with
/// a message naming the operation: there is no request to answer.
pub async fn not_implemented<T>(meta: &Meta) -> T {
    let problem = Problem::new(
        "NOT_IMPLEMENTED",
        format!(
            "{} is not implemented yet: its handler is still the stub `codegen new` wrote.",
            meta.operation_id
        ),
    );
    let answer = problem_response(problem, 501, meta, &[]);
    let recorded = EARLY_ANSWER
        .try_with(|slot| {
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(answer);
            }
        })
        .is_ok();
    assert!(
        recorded,
        "{} is not implemented yet (its handler is the stub `codegen new` wrote), and it was \
         called outside `codegen_runtime::answering_early`, so there is no request to answer",
        meta.operation_id
    );
    std::future::pending().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::json_response;

    fn meta() -> Meta {
        Meta {
            operation_id: "listPets",
            request_id: "req-9".into(),
            trace_id: None,
        }
    }

    /// A stand-in for a generated adapter around a handler that may answer early.
    async fn adapter(stubbed: bool) -> Response<Body> {
        let result: Result<u16, ()> = if stubbed {
            not_implemented(&meta()).await
        } else {
            Ok(200)
        };
        json_response::<()>(result.unwrap_or(500), None, &[])
    }

    #[tokio::test]
    async fn a_stub_ends_the_request_with_501_in_the_shared_shape() {
        let response = answering_early(adapter(true)).await;
        assert_eq!(response.status(), 501);
        let Body::Text(text) = response.body() else {
            panic!("a JSON text body")
        };
        let body: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(body["code"], "NOT_IMPLEMENTED");
        assert_eq!(body["requestId"], "req-9");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .starts_with("listPets is not implemented"));
    }

    #[tokio::test]
    async fn a_written_handler_answers_as_it_says() {
        assert_eq!(answering_early(adapter(false)).await.status(), 200);
    }

    #[tokio::test]
    #[should_panic(expected = "listPets is not implemented yet")]
    async fn a_stub_called_outside_a_request_says_which_operation() {
        let _: u16 = not_implemented(&meta()).await;
    }
}
