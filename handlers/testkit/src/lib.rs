//! Dev-only test support for the accounts service (never a dependency of a shipped crate).
//!
//! - [`moto`]: one moto server per test binary, each request applied atomically (see
//!   [`moto`] for why), or the server `MOTO_ENDPOINT` names;
//! - [`TestServer`] (feature `server`, on by default): the `accounts-local` stack in
//!   process on a free port — the API Gateway emulator driven by `generated/apigateway.json`,
//!   the generated lambda_http adapters, the handlers — over any
//!   [`AccountStore`](account_store::AccountStore);
//! - [`TestServer`]'s token helpers: ID tokens for any user and groups, and the tokens
//!   API Gateway's Cognito authorizer must refuse (expired, wrong issuer, wrong audience,
//!   access token, forged signature), all from ONE RSA key generated once per test binary;
//! - [`SwitchableStore`]: a store double that answers [`StoreError::Unavailable`]
//!   (`account_store::StoreError::Unavailable`) on demand, to drive every 503.
//!
//! ```no_run
//! # async fn demo() -> Result<(), accounts_testkit::TestkitError> {
//! use accounts_testkit::{DevUser, TestServer};
//! let server = TestServer::start().await?;
//! let alice = server.client(&DevUser::new("alice"));
//! let health = alice.get_health().await;
//! # let _ = health; Ok(()) }
//! ```

pub mod moto;

#[cfg(feature = "server")]
mod server;
#[cfg(feature = "server")]
mod store;

#[cfg(feature = "server")]
pub use apigateway_rest_emulator::{DevAuth, DevUser};
#[cfg(feature = "server")]
pub use server::{signing_key, Handlers, TestServer, TestkitError, CLIENT_ID};
#[cfg(feature = "server")]
pub use store::SwitchableStore;
