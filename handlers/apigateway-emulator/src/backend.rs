//! What the emulator calls behind a Lambda proxy integration.

use std::future::Future;
use std::pin::Pin;

/// The functions behind the API: one call per request that passed the gateway, with the
/// request a `lambda_http` handler would get in AWS. A generated service implements it over
/// its `dispatch` (the same adapters its Lambdas run).
pub trait Backend: Send + Sync + 'static {
    /// Runs the Lambda handler of `operation_id`.
    fn invoke(
        &self,
        operation_id: &str,
        request: lambda_http::Request,
    ) -> Pin<Box<dyn Future<Output = lambda_http::Response<lambda_http::Body>> + Send + '_>>;
}
