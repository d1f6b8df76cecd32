//! Stage 2, check: the rules a spec must follow, split by OpenAPI concept.
//!
//! - [`refuse`]: constructs codegen cannot turn into correct code; any one
//!   stops generation.
//! - [`lint`]: API Gateway REST import rules
//!   (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html>)
//!   and the team's conventions; reported by `codegen lint`, never blocking.
//!
//! Both read the raw document through `openapi_document` (operations with
//! merged parameters, `$ref` following, pointers), as the model and the
//! emitters do.

pub mod lint;
pub mod refuse;

pub use lint::lints;
pub use refuse::errors;

/// DynamoDB actions `x-aws-access` may grant (IAM action names without `dynamodb:`).
pub const DYNAMODB_ACTIONS: &[&str] = &[
    "BatchGetItem",
    "BatchWriteItem",
    "ConditionCheckItem",
    "DeleteItem",
    "DescribeTable",
    "GetItem",
    "PutItem",
    "Query",
    "Scan",
    "UpdateItem",
];
