//! Stage 2, check: the rules a spec must follow. Errors stop generation (the
//! outputs could not be correct); lints are API Gateway REST import rules
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html>)
//! and the team's own conventions, reported by `codegen lint`.

use crate::diagnostics::{child, pointer, Diagnostic};
use crate::names;
use crate::source::Spec;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The HTTP methods an OpenAPI path item may hold.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

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

/// One operation as found in the raw document.
pub struct RawOperation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub pointer: String,
    pub op: &'a Map<String, Value>,
    pub path_params: Option<&'a Value>,
}

/// Every operation in document order.
pub fn operations(spec: &Spec) -> Vec<RawOperation<'_>> {
    let mut out = Vec::new();
    let Some(paths) = spec.raw.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if let (true, Some(op)) = (METHODS.contains(&method.as_str()), op.as_object()) {
                out.push(RawOperation {
                    path,
                    method,
                    pointer: pointer(["paths", path.as_str(), method.as_str()]),
                    op,
                    path_params: item.get("parameters"),
                });
            }
        }
    }
    out
}

/// Follows one level of local `$ref`.
pub fn deref<'a>(spec: &'a Spec, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => spec.resolve(r).map(|v| deref(spec, v)).unwrap_or(value),
        None => value,
    }
}

/// The parameters of an operation: path-level ones overridden by operation-level
/// ones with the same name and location, each with the pointer where it is written.
pub fn parameters<'a>(spec: &'a Spec, op: &RawOperation<'a>) -> Vec<(String, &'a Value)> {
    let mut by_key: BTreeMap<(String, String), (String, &Value)> = BTreeMap::new();
    let mut order = Vec::new();
    let path_ptr = pointer(["paths", op.path, "parameters"]);
    let lists = [
        (path_ptr, op.path_params),
        (child(&op.pointer, "parameters"), op.op.get("parameters")),
    ];
    for (ptr, list) in lists {
        for (i, p) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = deref(spec, p);
            let key = (str_of(p, "name").to_owned(), str_of(p, "in").to_owned());
            if !by_key.contains_key(&key) {
                order.push(key.clone());
            }
            by_key.insert(key, (format!("{ptr}/{i}"), p));
        }
    }
    order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .collect()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// `{name}` segments of a path template.
pub fn template_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_owned)
        .collect()
}

/// The media type a body is sent with if it is JSON (`application/json` or `*/*+json`).
pub fn is_json_media_type(media: &str) -> bool {
    let base = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    base == "application/json" || base.ends_with("+json")
}

/// Errors: constructs codegen cannot turn into correct code.
pub fn errors(spec: &Spec) -> Vec<Diagnostic> {
    let f = spec.file.as_str();
    let mut out = Vec::new();
    if spec
        .raw
        .get("paths")
        .and_then(Value::as_object)
        .is_none_or(|p| p.is_empty())
    {
        out.push(Diagnostic::error(
            f,
            "/paths",
            "the document has no paths",
            "add at least one operation under `paths`",
        ));
    }
    if let Some(paths) = spec.raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let at = pointer(["paths", path.as_str()]);
            if item.get("$ref").is_some() {
                out.push(Diagnostic::error(
                    f,
                    &at,
                    "path item `$ref` is not supported",
                    "write the path item inline",
                ));
            }
            if !path.starts_with('/') {
                out.push(Diagnostic::error(
                    f,
                    &at,
                    "the path does not start with `/`",
                    "write paths as `/segment/{param}`",
                ));
            }
        }
    }
    check_schema_names(spec, &mut out);
    check_schema_types(spec, &mut out);
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(spec) {
        let at = &op.pointer;
        match op.op.get("operationId").and_then(Value::as_str) {
            None => out.push(Diagnostic::error(
                f,
                at,
                "the operation has no operationId",
                "add a unique lowerCamelCase `operationId`: it names the handler trait, the Lambda and the client method",
            )),
            Some(id) => {
                let snake = names::snake(id);
                if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
                    out.push(Diagnostic::error(
                        f,
                        child(at, "operationId"),
                        format!("operationId `{id}` cannot become a Rust identifier"),
                        "start it with a letter, e.g. `listPets`",
                    ));
                } else if let Some(first) = ids.insert(snake.clone(), at.clone()) {
                    out.push(Diagnostic::error(
                        f,
                        child(at, "operationId"),
                        format!("operationId `{id}` is not unique (the same name, `{snake}`, is used at #{first})"),
                        "give every operation its own operationId",
                    ));
                }
            }
        }
        check_parameters(spec, &op, &mut out);
        check_request_body(spec, &op, &mut out);
        check_responses(spec, &op, &mut out);
    }
    out
}

/// Component schemas become Rust types named in PascalCase (typify's rule, and
/// the name the client's type replacement looks up): two names that differ only
/// in case or punctuation would define the same type twice.
fn check_schema_names(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let schemas = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for name in schemas.into_iter().flatten().map(|(name, _)| name) {
        let rust = names::pascal(name);
        if let Some(first) = seen.insert(rust.clone(), name.clone()) {
            out.push(Diagnostic::error(
                &spec.file,
                pointer(["components", "schemas", name.as_str()]),
                format!("schema `{name}` becomes the Rust type `{rust}`, like schema `{first}`"),
                "rename one of the two schemas",
            ));
        }
    }
}

/// The `type` values of the OpenAPI 3.0 Schema Object
/// (<https://spec.openapis.org/oas/v3.0.3#data-types>). openapiv3 reads any
/// other string as an untyped schema, which typify then rejects with a message
/// that names neither the keyword nor its place.
const SCHEMA_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

fn check_schema_types(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let schemas = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        schema_types(
            spec,
            schema,
            &pointer(["components", "schemas", name.as_str()]),
            out,
        );
    }
    // Inline schemas: every `schema` member under `paths` and the other components.
    for top in [
        "/paths",
        "/components/parameters",
        "/components/responses",
        "/components/requestBodies",
        "/components/headers",
    ] {
        if let Some(v) = spec.raw.pointer(top) {
            inline_schemas(spec, v, top, out);
        }
    }
}

fn inline_schemas(spec: &Spec, value: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let c = child(at, k);
                if k == "schema" {
                    schema_types(spec, v, &c, out);
                } else if !k.starts_with("x-") && k != "example" && k != "examples" {
                    inline_schemas(spec, v, &c, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                inline_schemas(spec, v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Checks `type` in a schema and its subschemas (not through `$ref`: the target
/// is checked where it is defined).
fn schema_types(spec: &Spec, schema: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(ty) = map.get("type").and_then(Value::as_str) {
        if !SCHEMA_TYPES.contains(&ty) {
            out.push(Diagnostic::error(
                &spec.file,
                child(at, "type"),
                format!("`type: {ty}` is not an OpenAPI 3.0 type"),
                format!(
                    "use one of {} (`nullable: true` for null)",
                    SCHEMA_TYPES.join(", ")
                ),
            ));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(v) = map.get(key) {
            schema_types(spec, v, &child(at, key), out);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, v) in map
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            schema_types(spec, v, &format!("{}/{i}", child(at, key)), out);
        }
    }
    for (name, v) in map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_types(spec, v, &child(&child(at, "properties"), name), out);
    }
}

fn check_parameters(spec: &Spec, op: &RawOperation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let params = parameters(spec, op);
    let declared: BTreeSet<String> = params
        .iter()
        .filter(|(_, p)| str_of(p, "in") == "path")
        .map(|(_, p)| str_of(p, "name").to_owned())
        .collect();
    for segment in op.path.split('/') {
        if segment.contains('{')
            && !(segment.starts_with('{')
                && segment.ends_with('}')
                && segment.matches('{').count() == 1)
        {
            out.push(Diagnostic::error(
                f,
                pointer(["paths", op.path]),
                format!("path segment `{segment}` mixes a parameter with text; API Gateway path parameters must be whole segments"),
                "make the parameter a whole segment, e.g. `/files/{fileName}`",
            ));
        }
    }
    for name in template_params(op.path) {
        if !declared.contains(&name) {
            out.push(Diagnostic::error(
                f,
                &op.pointer,
                format!("path parameter `{{{name}}}` of `{}` is not declared", op.path),
                format!("add `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}` to the parameters"),
            ));
        }
    }
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    for (at, p) in &params {
        let name = str_of(p, "name");
        let location = str_of(p, "in");
        if location == "path" && !template_params(op.path).iter().any(|t| t == name) {
            out.push(Diagnostic::error(
                f,
                at,
                format!(
                    "path parameter `{name}` does not appear in the path `{}`",
                    op.path
                ),
                format!("add `{{{name}}}` to the path or change `in`"),
            ));
        }
        if location == "path" && p.get("required") != Some(&Value::Bool(true)) {
            out.push(Diagnostic::error(
                f,
                at,
                format!("path parameter `{name}` is not `required: true`"),
                "path parameters are always required: add `required: true`",
            ));
        }
        if location == "cookie" {
            out.push(Diagnostic::error(
                f,
                at,
                format!(
                    "cookie parameter `{name}`: API Gateway REST import ignores cookie parameters"
                ),
                "pass it as a header or query parameter",
            ));
        }
        if p.get("content").is_some() || p.get("schema").is_none() {
            out.push(Diagnostic::error(
                f,
                at,
                format!("parameter `{name}` has no `schema` (or uses `content`)"),
                "describe it with a `schema` of a primitive type",
            ));
        } else if let Some(schema) = p.get("schema") {
            let schema = deref(spec, schema);
            let ty = str_of(schema, "type");
            let item_ty = schema
                .get("items")
                .map(|i| str_of(deref(spec, i), "type"))
                .unwrap_or_default();
            let primitive = |t: &str| matches!(t, "string" | "integer" | "number" | "boolean");
            let ok = primitive(ty) || (ty == "array" && location == "query" && primitive(item_ty));
            if !ok {
                out.push(Diagnostic::error(
                    f,
                    child(at, "schema"),
                    format!(
                        "parameter `{name}` has {}; only strings, numbers, integers, booleans (and arrays of them in the query) can be parsed from a URL or header",
                        if ty.is_empty() { "a schema without `type`".to_owned() } else { format!("a schema of type `{ty}`") }
                    ),
                    "give the parameter a primitive `type`, or move structured data into the request body",
                ));
            }
        }
        let field = names::snake(name);
        if let Some(other) = fields.insert(field.clone(), at.clone()) {
            out.push(Diagnostic::error(
                f,
                at,
                format!("parameter `{name}` has the same Rust name `{field}` as the parameter at #{other}"),
                "rename one of the parameters",
            ));
        }
    }
}

fn check_request_body(spec: &Spec, op: &RawOperation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let Some(body) = op.op.get("requestBody") else {
        return;
    };
    let at = child(&op.pointer, "requestBody");
    let body = deref(spec, body);
    let content = body.get("content").and_then(Value::as_object);
    let Some(content) = content.filter(|c| !c.is_empty()) else {
        out.push(Diagnostic::error(
            f,
            &at,
            "the request body has no `content`",
            "add `content: {application/json: {schema: ...}}`",
        ));
        return;
    };
    if content.len() > 1 {
        out.push(Diagnostic::error(
            f,
            child(&at, "content"),
            format!("the request body offers {} media types ({}); one typed body per operation is supported", content.len(), content.keys().cloned().collect::<Vec<_>>().join(", ")),
            "keep only the JSON media type",
        ));
    }
    for (media, m) in content {
        let mat = pointer(["content", media.as_str()]);
        let mat = format!("{at}{mat}");
        if !is_json_media_type(media) {
            out.push(Diagnostic::error(
                f,
                &mat,
                format!("request media type `{media}` is not JSON; handlers and API Gateway models here are JSON-only"),
                "use `application/json` (or a `+json` type such as `application/merge-patch+json`)",
            ));
        } else if m.get("schema").is_none() {
            out.push(Diagnostic::error(
                f,
                &mat,
                "the request media type has no `schema`",
                "add a `schema` (a `$ref` to #/components/schemas/...)",
            ));
        }
    }
}

fn check_responses(spec: &Spec, op: &RawOperation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let at = child(&op.pointer, "responses");
    let Some(responses) = op
        .op
        .get("responses")
        .and_then(Value::as_object)
        .filter(|r| !r.is_empty())
    else {
        out.push(Diagnostic::error(
            f,
            &at,
            "the operation has no responses",
            "declare at least its success response",
        ));
        return;
    };
    let mut success_types = BTreeSet::new();
    let mut error_types = BTreeSet::new();
    for (status, response) in responses {
        let rat = child(&at, status);
        let valid = status == "default"
            || status.len() == 3
                && (status.chars().all(|c| c.is_ascii_digit())
                    || (status.ends_with("XX") && status.starts_with(['1', '2', '3', '4', '5'])));
        let code_ok = status
            .parse::<u16>()
            .map(|c| (100..600).contains(&c))
            .unwrap_or(true);
        if !valid || !code_ok {
            out.push(Diagnostic::error(
                f,
                &rat,
                format!("`{status}` is not an HTTP status code"),
                "use a status like `200` or a range like `4XX`",
            ));
            continue;
        }
        let response = deref(spec, response);
        let Some(content) = response
            .get("content")
            .and_then(Value::as_object)
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        if content.len() > 1 || !content.keys().all(|m| is_json_media_type(m)) {
            out.push(Diagnostic::error(
                f,
                child(&rat, "content"),
                format!(
                    "the response offers {}; one JSON media type per response is supported",
                    content.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
                "keep only `application/json`",
            ));
            continue;
        }
        for (media, m) in content {
            match m.get("schema") {
                None => out.push(Diagnostic::error(
                    f,
                    format!("{rat}{}", pointer(["content", media.as_str()])),
                    if m.get("example").is_some() || m.get("examples").is_some() {
                        "the response media type has examples but no `schema`"
                    } else {
                        "the response media type has no `schema`"
                    },
                    "add a `schema` describing the body",
                )),
                Some(schema) => {
                    let key = serde_json::to_string(schema).unwrap_or_default();
                    if status.starts_with('2') {
                        success_types.insert(key);
                    } else if status.starts_with(['4', '5']) || status == "default" {
                        error_types.insert(key);
                    }
                }
            }
        }
    }
    if success_types.len() > 1 {
        out.push(Diagnostic::error(
            f,
            &at,
            "the success responses have different body schemas; a typed client can return one success type per operation",
            "use one schema for every 2XX body",
        ));
    }
    if error_types.len() > 1 {
        out.push(Diagnostic::error(
            f,
            &at,
            "the error responses have different body schemas; a typed client can return one error type per operation",
            "use one error schema for every 4XX/5XX body",
        ));
    }
}

/// Lints: API Gateway import rules and the team's conventions.
pub fn lints(spec: &Spec) -> Vec<Diagnostic> {
    let f = spec.file.as_str();
    let mut out = Vec::new();
    let raw = &spec.raw;
    if raw.get("security").is_some() {
        out.push(Diagnostic::lint(
            f,
            "/security",
            "API Gateway ignores root-level `security`",
            "remove it and set `security` on every operation (`security: []` for public ones)",
        ));
    }
    if raw.get("webhooks").is_some() {
        out.push(Diagnostic::lint(
            f,
            "/webhooks",
            "`webhooks` are OpenAPI 3.1 and ignored",
            "remove them",
        ));
    }
    let schemes = raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for (name, scheme) in schemes.into_iter().flatten() {
        let scheme = deref(spec, scheme);
        let at = pointer(["components", "securitySchemes", name.as_str()]);
        let cognito_shaped = str_of(scheme, "type") == "apiKey"
            && str_of(scheme, "in") == "header"
            && str_of(scheme, "name").eq_ignore_ascii_case("authorization");
        if !cognito_shaped {
            out.push(Diagnostic::lint(
                f,
                &at,
                format!("security scheme `{name}` is not an apiKey on the Authorization header, the only form API Gateway's Cognito user pool authorizer takes"),
                "declare `type: apiKey, in: header, name: Authorization` (codegen adds x-amazon-apigateway-authtype: cognito_user_pools)",
            ));
        }
    }
    let schemas = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        let at = pointer(["components", "schemas", name.as_str()]);
        if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push(Diagnostic::lint(
                f,
                &at,
                format!(
                    "schema name `{name}` is not alphanumeric; API Gateway model names must be"
                ),
                format!("rename it to `{}`", names::pascal(name)),
            ));
        }
        lint_schema_keywords(f, schema, &at, &mut out);
    }
    match schemas.and_then(|s| s.get("Error")) {
        None => out.push(Diagnostic::lint(
            f,
            "/components/schemas",
            "there is no `Error` schema; every error response must share one shape",
            "add `Error` with required `code`, `message`, `requestId` and `fieldErrors`",
        )),
        Some(error) => {
            let props = error.get("properties").and_then(Value::as_object);
            for field in ["code", "message", "requestId", "fieldErrors"] {
                if props.is_none_or(|p| !p.contains_key(field)) {
                    out.push(Diagnostic::lint(
                        f,
                        "/components/schemas/Error",
                        format!("the Error schema lacks `{field}`, which generated validation errors and gateway responses fill"),
                        format!("add the `{field}` property"),
                    ));
                }
            }
        }
    }
    walk_extensions(raw, "", &mut |at, key| {
        if key.starts_with("x-amazon-apigateway") {
            out.push(Diagnostic::lint(
                f,
                at,
                format!(
                    "`{key}` is written by hand; codegen generates every API Gateway extension"
                ),
                "remove it from the spec (the generated document carries it)",
            ));
        }
    });
    for op in operations(spec) {
        lint_operation(spec, &op, &mut out);
    }
    out
}

fn lint_schema_keywords(f: &str, schema: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                let cat = child(at, k);
                if k == "oneOf" {
                    out.push(Diagnostic::lint(
                        f,
                        &cat,
                        "API Gateway models do not support `oneOf` reliably",
                        "use `anyOf`, or one object with optional properties",
                    ));
                }
                if k != "properties" && k != "enum" && k != "example" {
                    lint_schema_keywords(f, v, &cat, out);
                } else if k == "properties" {
                    for (pk, pv) in v.as_object().into_iter().flatten() {
                        lint_schema_keywords(f, pv, &child(&cat, pk), out);
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                lint_schema_keywords(f, v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn walk_extensions(value: &Value, at: &str, f: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let c = child(at, k);
                if k.starts_with("x-") {
                    f(&c, k);
                } else if k != "example" && k != "examples" {
                    walk_extensions(v, &c, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_extensions(v, &format!("{at}/{i}"), f);
            }
        }
        _ => {}
    }
}

fn lint_operation(spec: &Spec, op: &RawOperation<'_>, out: &mut Vec<Diagnostic>) {
    let f = spec.file.as_str();
    let at = &op.pointer;
    if let Some(id) = op.op.get("operationId").and_then(Value::as_str) {
        if names::lower_camel(id) != id {
            out.push(Diagnostic::lint(
                f,
                child(at, "operationId"),
                format!("operationId `{id}` is not lowerCamelCase"),
                format!("rename it to `{}`", names::lower_camel(id)),
            ));
        }
    }
    if op.op.get("summary").is_none() {
        out.push(Diagnostic::lint(
            f,
            at,
            "the operation has no `summary`; the API reference lists operations by it",
            "add a one-line `summary`",
        ));
    }
    for key in ["callbacks", "links"] {
        if op.op.get(key).is_some() {
            out.push(Diagnostic::lint(
                f,
                child(at, key),
                format!("API Gateway REST import ignores `{key}`"),
                format!("remove `{key}`, or document the behaviour in `description`"),
            ));
        }
    }
    let security = op.op.get("security");
    match security {
        None => out.push(Diagnostic::lint(
            f,
            at,
            "the operation has no `security`; API Gateway ignores root-level security, so it would be public",
            "add `security: [{cognito: []}]`, or `security: []` to make it public on purpose",
        )),
        Some(s) => {
            let authed = s.as_array().is_some_and(|a| !a.is_empty());
            let responses = op.op.get("responses").and_then(Value::as_object);
            if authed && responses.is_none_or(|r| !r.contains_key("401")) {
                out.push(Diagnostic::lint(
                    f,
                    child(at, "responses"),
                    "the operation needs a token but declares no 401",
                    "add `'401': {$ref: '#/components/responses/Unauthorized'}`",
                ));
            }
        }
    }
    let has_input = !parameters(spec, op).is_empty() || op.op.get("requestBody").is_some();
    let responses = op.op.get("responses").and_then(Value::as_object);
    if has_input && responses.is_none_or(|r| !r.contains_key("400")) {
        out.push(Diagnostic::lint(
            f,
            child(at, "responses"),
            "the operation takes input but declares no 400 for invalid input",
            "add `'400': {$ref: '#/components/responses/BadRequest'}`",
        ));
    }
    for (status, response) in responses.into_iter().flatten() {
        if !status.starts_with(['4', '5']) {
            continue;
        }
        let schema = deref(spec, response).pointer("/content/application~1json/schema");
        if schema.and_then(|s| s.get("$ref")).and_then(Value::as_str)
            != Some("#/components/schemas/Error")
        {
            out.push(Diagnostic::lint(
                f,
                child(&child(at, "responses"), status),
                format!("error response {status} does not use the shared `Error` schema"),
                "give it `content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}`",
            ));
        }
    }
    match op.op.get("x-aws-access") {
        None => out.push(Diagnostic::lint(
            f,
            at,
            "the operation has no `x-aws-access`; its Lambda's IAM role is built from it",
            "add `x-aws-access: {dynamodb: [GetItem], secret: false}` listing exactly what the handler calls",
        )),
        Some(access) => {
            let aat = child(at, "x-aws-access");
            for (i, action) in access.get("dynamodb").and_then(Value::as_array).into_iter().flatten().enumerate() {
                let name = action.as_str().unwrap_or_default();
                if !DYNAMODB_ACTIONS.contains(&name) {
                    out.push(Diagnostic::lint(
                        f,
                        format!("{aat}/dynamodb/{i}"),
                        format!("`{name}` is not a DynamoDB action codegen knows"),
                        format!("use one of {}", DYNAMODB_ACTIONS.join(", ")),
                    ));
                }
            }
            if access.get("secret").is_some_and(|s| !s.is_boolean()) {
                out.push(Diagnostic::lint(f, child(&aat, "secret"), "`secret` must be true or false", "write `secret: true` or `secret: false`"));
            }
        }
    }
}
