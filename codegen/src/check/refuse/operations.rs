//! Operations: each needs a unique `operationId` that can name a Rust trait,
//! a Lambda and a client method.

use crate::diagnostics::Diagnostic;
use crate::names;
use crate::source::Spec;
use openapi_document::child;
use std::collections::BTreeMap;

pub(super) fn check(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for op in openapi_document::operations(&spec.raw) {
        let at = op.pointer();
        let Some(id) = op.operation_id() else {
            out.push(Diagnostic::error(
                f,
                &at,
                "the operation has no operationId",
                "add a unique lowerCamelCase `operationId`: it names the handler trait, the Lambda and the client method",
            ));
            continue;
        };
        let snake = names::snake(id);
        if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(Diagnostic::error(
                f,
                child(&at, "operationId"),
                format!("operationId `{id}` cannot become a Rust identifier"),
                "start it with a letter, e.g. `listPets`",
            ));
        } else if let Some(first) = ids.insert(snake.clone(), at.clone()) {
            out.push(Diagnostic::error(
                f,
                child(&at, "operationId"),
                format!("operationId `{id}` is not unique (the same name, `{snake}`, is used at #{first})"),
                "give every operation its own operationId",
            ));
        }
    }
}
