//! Runtime support for the server crates `codegen` generates.
//!
//! Generated code stays thin (one typed request, one success enum, one error
//! enum and one trait per operation); what every operation does alike lives
//! here, written and tested once: reading parameters and bodies from an API
//! Gateway REST proxy request and validating them fully (API Gateway checks
//! only presence and the draft-4 body model:
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html>),
//! the caller's identity from the Cognito authorizer's claims, the shared error
//! shape (rendering [`Problem`]s), and the Lambda loop that logs one JSON
//! line per request.

pub mod body;
pub mod error;
pub mod identity;
pub mod logging;
pub mod not_implemented;
pub mod params;
pub mod request;
pub mod response;
pub mod schema;
pub mod validation;

pub use api_problem::{ApiError, FieldError, FieldErrors, Problem};
pub use body::{Multipart, Part};
pub use error::{problem_response, undeclared_status};
pub use identity::Caller;
pub use lambda_http;
pub use not_implemented::{answering_early, not_implemented};
pub use params::{Inputs, ParamLocation, ParamSpec, Shape, Style};
pub use request::Meta;
pub use response::{
    bytes_response, json_response, json_response_as, text_response, unrouted, ResponseHeaders,
};
pub use schema::Schema;
