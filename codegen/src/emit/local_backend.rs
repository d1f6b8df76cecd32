//! The local server's backend (`handlers/local/src/backend.rs` of every service): the
//! generated `dispatch` as the API Gateway emulator's `Backend`, so that a local request
//! runs the same lambda_http adapters the Lambdas run, inside
//! `codegen_runtime::answering_early` as the Lambda loop does (a handler still a stub
//! answers 501). Generated so that every service, accounts included, is wired alike.
//!
//! The text is what rustfmt writes for any service name of a sane length: the server crate
//! is named once, as `server`.

use crate::model::Api;
use crate::names;
use crate::output::{Layout, OutputFile};

/// The generated server's trait that every operation's trait makes up (`<Service>Api`).
pub fn api_trait(service: &str) -> String {
    format!("{}Api", names::pascal(service))
}

/// The backend module.
pub fn emit(api: &Api, layout: &Layout, spec_file: &str) -> OutputFile {
    let server = names::crate_ident(&layout.server_crate);
    let api_trait = api_trait(&api.service);
    let contents = format!(
        "{header}
//! The generated server as the API Gateway emulator's backend: each request goes through the
//! generated `dispatch`, i.e. the same lambda_http adapters the Lambdas run, inside
//! `answering_early` as in the Lambda loop (so a handler still a stub answers 501).

use apigateway_rest_emulator::Backend;
use std::future::Future;
use std::pin::Pin;

use {server} as server;
use {server}::codegen_runtime::lambda_http::{{Body, Request, Response}};

/// Serves any complete implementation of the {service} API.
pub struct GeneratedBackend<H>(pub H);

impl<H: server::{api_trait} + 'static> Backend for GeneratedBackend<H> {{
    fn invoke(
        &self,
        operation_id: &str,
        request: Request,
    ) -> Pin<Box<dyn Future<Output = Response<Body>> + Send + '_>> {{
        let operation_id = operation_id.to_owned();
        Box::pin(async move {{
            let meta = server::Meta::from_request(\"unknown\", &request);
            // The router passes only operations of the same document; should one be
            // unknown, answer as API Gateway does for a failed Lambda, in the error shape.
            if !server::ROUTES
                .iter()
                .any(|route| route.operation_id == operation_id)
            {{
                return failed_lambda(&meta);
            }}
            server::codegen_runtime::answering_early(async {{
                server::dispatch(&self.0, &operation_id, request)
                    .await
                    .unwrap_or_else(|| failed_lambda(&meta))
            }})
            .await
        }})
    }}
}}

/// API Gateway's answer to a function that is not there: 502, in the error shape.
fn failed_lambda(meta: &server::Meta) -> Response<Body> {{
    server::codegen_runtime::problem_response(
        server::Problem::new(\"INTERNAL\", \"Internal server error\"),
        502,
        meta,
        &[],
    )
}}
",
        header = super::rust_header(spec_file),
        service = api.service,
    );
    OutputFile {
        path: layout.local_backend_rs.clone(),
        contents,
    }
}
