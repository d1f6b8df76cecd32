//! The generated server as the emulator's backend: each request goes through
//! the generated `dispatch`, i.e. the same lambda_http adapters the Lambdas run.

use apigateway_rest_emulator::Backend;
use std::future::Future;
use std::pin::Pin;

/// Serves any complete implementation of the accounts API.
pub struct GeneratedBackend<H>(pub H);

impl<H: accounts_server::AccountsApi + 'static> Backend for GeneratedBackend<H> {
    fn invoke(
        &self,
        operation_id: &str,
        request: lambda_http::Request,
    ) -> Pin<Box<dyn Future<Output = lambda_http::Response<lambda_http::Body>> + Send + '_>> {
        let operation_id = operation_id.to_owned();
        Box::pin(async move {
            match accounts_server::dispatch(&self.0, &operation_id, request).await {
                Some(response) => response,
                // The router passes only operations of the same document; should
                // one be unknown, answer as API Gateway does for a failed Lambda.
                None => {
                    let mut response = lambda_http::Response::new(lambda_http::Body::Text(
                        r#"{"message":"Internal server error"}"#.into(),
                    ));
                    *response.status_mut() = http::StatusCode::BAD_GATEWAY;
                    response
                }
            }
        })
    }
}
