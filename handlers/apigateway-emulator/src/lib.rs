//! An API Gateway REST API (regional) on one machine, for any service generated from an
//! OpenAPI document.
//!
//! A faithful local stand-in for an API Gateway REST API with a Cognito user pool authorizer
//! and Lambda proxy integrations, so developers run a service without Docker or AWS. It reads
//! the same import document that Terraform imports (codegen's `apigateway.json`), so routes,
//! authorization, request validation and error bodies behave as they do in the cloud, and it
//! calls the service through a [`Backend`]: the operation id and the `lambda_http` request its
//! Lambda would get. It knows nothing of any particular service.
//!
//! Modules, one job each:
//! - [`template`]: render the Terraform template as `templatefile` would;
//! - [`document`]: load routes, authorizers, validators and gateway responses;
//! - [`router`]: pick the resource and method as API Gateway does;
//! - [`authorizer`]: the Cognito user pool authorizer (with OAuth scopes for access tokens);
//! - [`custom_authorizer`]: Lambda `REQUEST` authorizers, decided by a local hook;
//! - [`validator`]: API Gateway's basic request validators;
//! - [`event`]: the Lambda proxy event and response, through `lambda_http`;
//! - [`gateway_response`]: API Gateway's own error answers;
//! - [`docs`]: `/openapi.json` and the offline HTML reference at `/docs`;
//! - [`devauth`]: a local token issuer with a JWKS;
//! - [`secret_file`]: owner-only key files beside a local server's data;
//! - [`local_data`]: `--data-dir`/`--in-memory` for a local server without a store of its own;
//! - [`backend`]: what the integrations call;
//! - [`server`]: the HTTP server tying it together (transport, pipeline, integration,
//!   local routes);
//! - [`cli`]: the flags and start-up every `<service>-local` binary shares.
//!
//! Wiring it up by hand (what [`cli::Startup`] does):
//!
//! ```no_run
//! use std::sync::Arc;
//! use apigateway_rest_emulator::{
//!     bind, ApiDocument, Backend, DevAuth, DevUser, LocalApi, ServerConfig, SpecPages,
//!     TemplateValues,
//! };
//!
//! struct Handlers;
//! impl Backend for Handlers {
//!     fn invoke(
//!         &self,
//!         operation_id: &str,
//!         request: lambda_http::Request,
//!     ) -> std::pin::Pin<Box<dyn std::future::Future<Output = lambda_http::Response<lambda_http::Body>> + Send + '_>> {
//!         let _ = (operation_id, request);
//!         Box::pin(async { lambda_http::Response::new(lambda_http::Body::Empty) })
//!     }
//! }
//!
//! # async fn run(template: &str, spec: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let listener = bind("127.0.0.1:3000".parse()?).await?; // "port 3000 is already in use; pass --port"
//! let port = listener.local_addr()?.port();
//! let dev = Arc::new(DevAuth::generate(DevAuth::local_issuer(port), "local-client")?);
//! println!("token: {}", dev.mint_id_token(&DevUser::new("alice").with_group("admin"))?);
//! let document = ApiDocument::from_template(template, &TemplateValues::default())?;
//! let api = LocalApi::new(document, Arc::new(Handlers), ServerConfig::default())?
//!     .with_pages(SpecPages::from_spec(spec)?)
//!     .with_dev_auth(dev)?;
//! Arc::new(api)
//!     .serve(listener, async {
//!         let _ = tokio::signal::ctrl_c().await;
//!     })
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! To verify real Cognito or moto tokens instead of dev ones, use
//! [`LocalApi::with_authorizer`] with an [`AuthorizerConfig`] naming the pool's issuer
//! (`https://cognito-idp.<region>.amazonaws.com/<pool id>`, also for moto), its JWKS URL (moto:
//! `http://127.0.0.1:<port>/<pool id>/.well-known/jwks.json`) and the app client id.

pub mod authorizer;
pub mod backend;
pub mod cli;
pub mod custom_authorizer;
pub mod devauth;
pub mod docs;
pub mod document;
pub mod event;
pub mod gateway_response;
pub mod local_data;
pub mod router;
pub mod secret_file;
pub mod server;
pub mod template;
pub mod validator;

pub use authorizer::{AuthorizerConfig, CognitoAuthorizer, JwksSource, KeyRefresh};
pub use backend::Backend;
pub use devauth::{DevAuth, DevUser, SigningKey};
pub use docs::SpecPages;
pub use document::ApiDocument;
pub use server::{bind, BindError, LocalApi, ServerConfig};
pub use template::TemplateValues;
