//! The operations of a document and their parameters.

use crate::pointer::{child, pointer};
use crate::refs::deref;
use crate::str_of;
use serde_json::{Map, Value};

/// The HTTP methods a Path Item may hold
/// (<https://spec.openapis.org/oas/v3.0.3#path-item-object>).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation as written in the document.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// The path template (`/accounts/{accountId}`).
    pub path: &'a str,
    /// Lower case, as the document writes it.
    pub method: &'a str,
    /// The Operation Object.
    pub op: &'a Map<String, Value>,
    /// The Path Item holding it (path-level `parameters`, `summary`, ...).
    pub path_item: &'a Map<String, Value>,
}

impl Operation<'_> {
    /// `/paths/<path>/<method>`.
    pub fn pointer(&self) -> String {
        pointer(["paths", self.path, self.method])
    }

    /// `operationId`, if any.
    pub fn operation_id(&self) -> Option<&str> {
        self.op.get("operationId").and_then(Value::as_str)
    }
}

/// Every operation under `paths`, in document order.
pub fn operations(root: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = deref(root, item).as_object() else {
            continue;
        };
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            if let Some(op) = op.as_object() {
                out.push(Operation {
                    path,
                    method,
                    op,
                    path_item: item,
                });
            }
        }
    }
    out
}

/// A parameter in effect for an operation.
#[derive(Debug, Clone)]
pub struct Parameter<'a> {
    /// The list entry that declares it (`/paths/~1a/parameters/0` or
    /// `/paths/~1a/get/parameters/1`): the place a diagnostic names.
    pub pointer: String,
    /// The Parameter Object, with its `$ref` followed.
    pub value: &'a Value,
}

impl<'a> Parameter<'a> {
    pub fn name(&self) -> &'a str {
        str_of(self.value, "name")
    }

    /// `path`, `query`, `header` or `cookie`.
    pub fn location(&self) -> &'a str {
        str_of(self.value, "in")
    }

    pub fn required(&self) -> bool {
        self.value.get("required").and_then(Value::as_bool) == Some(true)
    }
}

/// The parameters of `op`: path-level ones first, each replaced by an
/// operation-level one with the same `name` and `in`, then the operation's own
/// others, in the order they are written.
pub fn parameters<'a>(root: &'a Value, op: &Operation<'a>) -> Vec<Parameter<'a>> {
    let key = |p: &Value| (str_of(p, "name").to_owned(), str_of(p, "in").to_owned());
    let list = |holder: &'a Map<String, Value>, at: String| -> Vec<Parameter<'a>> {
        holder
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| Parameter {
                pointer: child(&at, &i.to_string()),
                value: deref(root, p),
            })
            .collect()
    };
    let mut own = list(op.op, child(&op.pointer(), "parameters"));
    let shared = list(op.path_item, pointer(["paths", op.path, "parameters"]));
    let mut out = Vec::with_capacity(shared.len() + own.len());
    for p in shared {
        match own.iter().position(|o| key(o.value) == key(p.value)) {
            Some(i) => out.push(own.remove(i)),
            None => out.push(p),
        }
    }
    out.extend(own);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operation_parameters_override_path_ones_of_the_same_name_and_place() {
        let doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "description": "shared"},
                    {"$ref": "#/components/parameters/Trace"}
                ],
                "get": {"parameters": [
                    {"name": "limit", "in": "query"},
                    {"name": "id", "in": "path", "required": true, "description": "own"},
                    {"name": "trace", "in": "query"}
                ]},
                "summary": "not an operation"
            }},
            "components": {"parameters": {"Trace": {"name": "trace", "in": "header"}}}
        });
        let ops = operations(&doc);
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].pointer(), "/paths/~1a~1{id}/get");
        let params = parameters(&doc, &ops[0]);
        let seen: Vec<(&str, &str, String)> = params
            .iter()
            .map(|p| (p.name(), p.location(), p.pointer.clone()))
            .collect();
        assert_eq!(
            seen,
            [
                ("id", "path", "/paths/~1a~1{id}/get/parameters/1".to_owned()),
                (
                    "trace",
                    "header",
                    "/paths/~1a~1{id}/parameters/1".to_owned()
                ),
                (
                    "limit",
                    "query",
                    "/paths/~1a~1{id}/get/parameters/0".to_owned()
                ),
                (
                    "trace",
                    "query",
                    "/paths/~1a~1{id}/get/parameters/2".to_owned()
                ),
            ]
        );
        assert_eq!(params[0].value["description"], "own");
    }
}
