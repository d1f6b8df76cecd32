//! The accounts API on the API Gateway REST emulator (`apigateway-rest-emulator`): what
//! `accounts-local` and the test kit share.
//!
//! The emulator knows nothing of accounts; this crate brings the service to it:
//! [`GeneratedBackend`], the generated `dispatch` (the same lambda_http adapters the Lambdas
//! run) as the emulator's [`Backend`](apigateway_rest_emulator::Backend). The binary adds the
//! store wiring (embedded, in memory or DynamoDB) and the cursor key.

pub mod backend;

pub use backend::GeneratedBackend;
