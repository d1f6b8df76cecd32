//! API evolution: how the contract may change once released.
//!
//! - [`releases`]: the released contracts, recorded in the repository as
//!   `<spec dir>/released/<service>/<version>.yaml` (a verbatim copy of the
//!   spec at release time), and the version policy: a breaking change
//!   (wire or generated Rust API) needs a major version, a compatible one a
//!   minor version, anything else a patch; Cargo's reading of `0.x`
//!   versions applies, since the client crate carries this version.
//! - [`cli`]: `codegen diff`, `codegen release`, and the gate `codegen
//!   check` runs after its drift check.
//!
//! The comparison itself is the `openapi-diff` crate.

pub mod cli;
pub mod releases;

pub use cli::{check_then_gate, run_diff, run_gate, run_release, Format};
