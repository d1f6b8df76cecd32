//! Stage 3, model: the operations as the emitters need them, with every name
//! and Rust type decided once.

use crate::check::{self, deref, is_json_media_type, RawOperation};
use crate::diagnostics::{child, Diagnostic};
use crate::names;
use crate::schema_json::standalone_json_schema;
use crate::source::Spec;
use crate::types::{component_schemas, TypeRegistry};
use serde::Serialize;
use serde_json::Value;

/// The API as the emitters see it.
pub struct Api {
    /// Service name (`x-service-name`, else from the title): names crates and resources.
    pub service: String,
    pub title: String,
    pub version: String,
    pub operations: Vec<Operation>,
    pub types: TypeRegistry,
}

/// Where a parameter comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    pub name: String,
    pub location: Location,
    /// Rust field name in the typed request.
    pub field: String,
    /// Rust type of the value (without the `Option` for optional parameters).
    pub rust_type: String,
    pub required: bool,
    /// A required header that the handler, not API Gateway, enforces: the
    /// operation answers 428 without it (so the gateway must not answer 400).
    pub handler_enforced: bool,
    /// JSON default applied when the parameter is absent.
    pub default: Option<String>,
    /// The JSON type the raw string is read as (`string`, `integer`, `number`, `boolean`, `array`).
    pub json_type: String,
    /// Item JSON type for arrays.
    pub item_json_type: String,
    /// Self-contained JSON Schema validating the value.
    pub schema: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub media_type: String,
    pub required: bool,
    pub rust_type: String,
    pub schema: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseHeader {
    pub name: String,
    pub field: String,
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub status: String,
    /// Numeric status for exact codes; ranges (`4XX`) carry the status in the variant.
    pub code: Option<u16>,
    pub variant: String,
    pub description: String,
    pub body_type: Option<String>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Access {
    pub dynamodb: Vec<String>,
    pub secret: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub operation_id: String,
    /// lowerCamel: manifest key and Terraform placeholder.
    pub key: String,
    pub snake: String,
    pub pascal: String,
    /// kebab: the Lambda binary and function name.
    pub function: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub auth: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub access: Access,
    /// The variant to answer invalid input with (400), if declared.
    pub bad_request: Option<String>,
    /// The variant to answer a missing handler-enforced header with (428).
    pub precondition_required: Option<String>,
    /// The variant to answer a missing identity with (401).
    pub unauthorized: Option<String>,
}

/// Builds the model. `types_crate` is the crate name of the shared types.
pub fn build(spec: &Spec, types_crate: &str) -> Result<Api, Vec<Diagnostic>> {
    let mut types = TypeRegistry::new(spec, &names::crate_ident(types_crate))?;
    let mut operations = Vec::new();
    let mut problems = Vec::new();
    let root_security = spec
        .raw
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    for raw in check::operations(spec) {
        match operation(spec, &raw, &mut types, root_security) {
            Ok(op) => operations.push(op),
            Err(mut d) => problems.append(&mut d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let title = spec.openapi.info.title.clone();
    let service = spec
        .raw
        .pointer("/info/x-service-name")
        .and_then(Value::as_str)
        .map(names::kebab)
        .unwrap_or_else(|| names::kebab(&title));
    Ok(Api {
        service,
        title,
        version: spec.openapi.info.version.clone(),
        operations,
        types,
    })
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn operation(
    spec: &Spec,
    raw: &RawOperation<'_>,
    types: &mut TypeRegistry,
    root_security: bool,
) -> Result<Operation, Vec<Diagnostic>> {
    let op = Value::Object(raw.op.clone());
    let operation_id = text(&op, "operationId");
    let pascal = names::pascal(&operation_id);
    let components = component_schemas(spec);
    let responses_raw = raw
        .op
        .get("responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let declares = |s: &str| responses_raw.contains_key(s);

    let mut parameters = Vec::new();
    for (at, p) in check::parameters(spec, raw) {
        let name = text(p, "name");
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            _ => continue,
        };
        let schema = p.get("schema").cloned().unwrap_or(Value::Null);
        let resolved = deref(spec, &schema).clone();
        let hint = format!("{pascal}{}", names::pascal(&name));
        let rust_type = types.type_of(spec, &schema, Some(hint), &child(&at, "schema"))?;
        let required = p.get("required") == Some(&Value::Bool(true));
        let item = resolved
            .get("items")
            .map(|i| deref(spec, i).clone())
            .unwrap_or(Value::Null);
        parameters.push(Parameter {
            field: if location == Location::Header {
                names::header_field(&name)
            } else {
                names::snake(&name)
            },
            location,
            rust_type,
            required,
            handler_enforced: required && location == Location::Header && declares("428"),
            default: resolved.get("default").map(Value::to_string),
            json_type: text(&resolved, "type"),
            item_json_type: text(&item, "type"),
            schema: standalone_json_schema(&schema, &components).to_string(),
            description: text(p, "description"),
            name,
        });
    }

    let body = match raw.op.get("requestBody") {
        None => None,
        Some(b) => {
            let b = deref(spec, b);
            let content = b.get("content").and_then(Value::as_object);
            let (media_type, media) = content
                .and_then(|c| c.iter().find(|(m, _)| is_json_media_type(m)))
                .map(|(m, v)| (m.clone(), v.clone()))
                .unzip();
            match (media_type, media.and_then(|m| m.get("schema").cloned())) {
                (Some(media_type), Some(schema)) => {
                    let at = child(&raw.pointer, "requestBody");
                    let rust_type =
                        types.type_of(spec, &schema, Some(format!("{pascal}Body")), &at)?;
                    Some(Body {
                        media_type,
                        required: b.get("required") == Some(&Value::Bool(true)),
                        rust_type,
                        schema: standalone_json_schema(&schema, &components).to_string(),
                    })
                }
                _ => None,
            }
        }
    };

    let mut responses = Vec::new();
    for (status, r) in &responses_raw {
        let r = deref(spec, r);
        let at = child(&child(&raw.pointer, "responses"), status);
        let schema = r
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"))
            .cloned();
        let body_type = match schema {
            Some(s) => Some(types.type_of(
                spec,
                &s,
                Some(format!("{pascal}{}", names::status_variant(status))),
                &at,
            )?),
            None => None,
        };
        let headers = r
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
            .map(|(n, h)| {
                let h = deref(spec, h);
                ResponseHeader {
                    name: n.clone(),
                    field: names::header_field(n),
                    required: h.get("required") == Some(&Value::Bool(true)),
                    description: text(h, "description"),
                }
            })
            .collect();
        responses.push(Response {
            code: status.parse().ok(),
            variant: names::status_variant(status),
            description: text(r, "description"),
            body_type,
            headers,
            status: status.clone(),
        });
    }
    let variant_for = |s: &str| {
        responses
            .iter()
            .find(|r| r.status == s)
            .map(|r| r.variant.clone())
    };
    let auth = match raw.op.get("security") {
        Some(Value::Array(list)) => !list.is_empty(),
        _ => root_security,
    };
    let access = raw.op.get("x-aws-access");
    Ok(Operation {
        key: names::lower_camel(&operation_id),
        snake: names::snake(&operation_id),
        function: names::kebab(&operation_id),
        method: raw.method.to_ascii_uppercase(),
        path: raw.path.to_owned(),
        summary: text(&op, "summary"),
        description: text(&op, "description"),
        auth,
        parameters,
        body,
        bad_request: variant_for("400").or_else(|| variant_for("4XX")),
        precondition_required: variant_for("428"),
        unauthorized: variant_for("401"),
        responses,
        access: Access {
            dynamodb: access
                .and_then(|a| a.get("dynamodb"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            secret: access
                .and_then(|a| a.get("secret"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
        },
        pascal,
        operation_id,
    })
}
