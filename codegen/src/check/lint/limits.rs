//! API Gateway's quotas, on the document codegen generates: the 6 MB import
//! limit and the default of 300 resources per REST API
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html>).

use crate::diagnostics::Diagnostic;
use crate::emit::apigateway::{render, MAX_IMPORT_BYTES};
use crate::model::Api;
use crate::source::Spec;
use std::collections::BTreeSet;

/// Resources per REST API, by default (adjustable through Service Quotas).
pub const DEFAULT_RESOURCE_QUOTA: usize = 300;

/// Lints the generated import document against API Gateway's quotas.
pub fn gateway_limits(spec: &Spec, api: &Api) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let rendered = render(spec, api);
    let megabytes = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    if rendered.text.len() > MAX_IMPORT_BYTES {
        out.push(Diagnostic::lint(
            &spec.file,
            "",
            format!(
                "the generated API Gateway document is {:.1} MB even without descriptions, over the 6 MB import limit",
                megabytes(rendered.text.len())
            ),
            "split the API into services, or move large enums and examples out of the schemas",
        ));
    } else if rendered.without_descriptions {
        out.push(Diagnostic::lint(
            &spec.file,
            "",
            "the generated API Gateway document only fits API Gateway's 6 MB import limit because descriptions were left out of it",
            "shorten descriptions, or split the API",
        ));
    }
    // Each distinct path prefix of every route is one resource (the root too).
    let resources: BTreeSet<String> = api
        .operations
        .iter()
        .flat_map(|op| {
            let segments: Vec<&str> = op.route.split('/').filter(|s| !s.is_empty()).collect();
            (0..=segments.len())
                .map(|n| format!("/{}", segments[..n].join("/")))
                .collect::<Vec<_>>()
        })
        .collect();
    if resources.len() > DEFAULT_RESOURCE_QUOTA {
        out.push(Diagnostic::lint(
            &spec.file,
            "/paths",
            format!(
                "the API needs {} API Gateway resources; the default quota is {DEFAULT_RESOURCE_QUOTA} per REST API",
                resources.len()
            ),
            "request a higher \"Resources per API\" quota in Service Quotas before deploying, or split the API",
        ));
    }
    out
}
