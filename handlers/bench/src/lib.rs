//! Benchmarks: Lambda cold start against a floor, local server load, codegen timing.
//!
//! Everything here runs on loopback, outside the test suite (`bash .ci/bench.sh`):
//! - [`fake_runtime`]: the Lambda Runtime API
//!   (<https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>) that a
//!   bootstrap binary polls, so exec → first `/invocation/next` (init), the first
//!   invocation (cold request) and warm invocations can be timed from outside;
//! - [`fake_dynamodb`]: a DynamoDB (and Secrets Manager) JSON endpoint answering
//!   fixed bodies, so the store call costs little and always the same;
//! - [`events`]: API Gateway REST proxy events with Cognito claims, one per operation;
//! - [`cold`]: one cold start of a binary, end to end;
//! - [`load`]: `wrk` against a server, parsed;
//! - [`store_calls`]: the cost of each kind of store call, from the bench process;
//! - [`stats`], nearest-rank percentiles in milliseconds.

pub mod cold;
pub mod events;
pub mod fake_dynamodb;
pub mod fake_runtime;
pub mod load;
pub mod serve;
pub mod stats;
pub mod store_calls;
