//! Stage 3, model: the operations as the emitters need them, with every name
//! and Rust type decided once.

use crate::names;
use crate::schema_json::standalone_json_schema;
use crate::source::Spec;
use crate::types::{component_schemas, TypeRegistry};
use crate::Refusal;
use openapi_document::{child, media, Operation as RawOperation};
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

/// What a response's body is, as the handler gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Payload {
    /// No content.
    Empty,
    /// The shared error shape (`code`, `message`, `requestId`, `fieldErrors`):
    /// the handler gives a `Problem` and the adapter adds the request id.
    Problem,
    /// Any other body: this Rust type.
    Typed(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// As the spec writes it: `200`, `4XX`, `default`.
    pub status: String,
    /// Numeric status for exact codes; ranges (`4XX`) and `default` carry the
    /// status in the variant.
    pub code: Option<u16>,
    pub variant: String,
    pub description: String,
    pub payload: Payload,
    pub headers: Vec<ResponseHeader>,
}

impl Response {
    /// Errors are `4XX`, `5XX` and `default`: they go into the operation's
    /// error enum; every other status is a success.
    pub fn is_error(&self) -> bool {
        self.status == "default" || self.status.starts_with(['4', '5'])
    }
}

/// What an operation's Lambda may touch (`x-aws-access`): Terraform grants
/// exactly this, and sets the variables [`Access::environment`] names.
#[derive(Debug, Clone, Serialize)]
pub struct Access {
    pub dynamodb: Vec<String>,
    pub secret: bool,
}

/// The variable holding the service table's name, for functions with DynamoDB access.
pub const TABLE_ENV: &str = "TABLE_NAME";
/// The variable holding the service secret's id, for functions that may read it.
pub const SECRET_ENV: &str = "CURSOR_SECRET_ID";

impl Access {
    /// The environment variables the function's set-up reads and Terraform sets.
    pub fn environment(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if !self.dynamodb.is_empty() {
            names.push(TABLE_ENV);
        }
        if self.secret {
            names.push(SECRET_ENV);
        }
        names
    }
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
}

/// Builds the model. `types_crate` is the crate name of the shared types.
pub fn build(spec: &Spec, types_crate: &str) -> Result<Api, Refusal> {
    let mut types = TypeRegistry::new(spec, &names::crate_ident(types_crate))?;
    let mut operations = Vec::new();
    let mut problems = Vec::new();
    let root_security = spec
        .raw
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    for raw in openapi_document::operations(&spec.raw) {
        match operation(spec, &raw, &mut types, root_security) {
            Ok(op) => operations.push(op),
            Err(Refusal::Spec(mut d)) => problems.append(&mut d),
            Err(internal) => return Err(internal),
        }
    }
    if !problems.is_empty() {
        return Err(Refusal::Spec(problems));
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
    openapi_document::str_of(v, key).to_owned()
}

fn member(object: &serde_json::Map<String, Value>, key: &str) -> String {
    object
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn operation(
    spec: &Spec,
    raw: &RawOperation<'_>,
    types: &mut TypeRegistry,
    root_security: bool,
) -> Result<Operation, Refusal> {
    let op = raw.op;
    let operation_id = member(op, "operationId");
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
    for param in openapi_document::parameters(&spec.raw, raw) {
        let (at, p) = (param.pointer, param.value);
        let name = text(p, "name");
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            _ => continue,
        };
        let schema = p.get("schema").cloned().unwrap_or(Value::Null);
        let resolved = spec.deref(&schema).clone();
        let hint = format!("{pascal}{}", names::pascal(&name));
        let rust_type = types.type_of(spec, &schema, Some(hint), &child(&at, "schema"))?;
        let required = p.get("required") == Some(&Value::Bool(true));
        let item = resolved
            .get("items")
            .map(|i| spec.deref(i).clone())
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
            let b = spec.deref(b);
            let content = b.get("content").and_then(Value::as_object);
            let (media_type, media) = content
                .and_then(|c| c.iter().find(|(m, _)| media::is_json(m)))
                .map(|(m, v)| (m.clone(), v.clone()))
                .unzip();
            match (media_type, media.and_then(|m| m.get("schema").cloned())) {
                (Some(media_type), Some(schema)) => {
                    let at = child(&raw.pointer(), "requestBody");
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
        let r = spec.deref(r);
        let at = child(&child(&raw.pointer(), "responses"), status);
        let schema = r
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.values().next())
            .and_then(|m| m.get("schema"))
            .cloned();
        let payload = match schema {
            Some(s) if is_problem_shaped(spec, &s) => Payload::Problem,
            Some(s) => Payload::Typed(types.type_of(
                spec,
                &s,
                Some(format!("{pascal}{}", names::status_variant(status))),
                &at,
            )?),
            None => Payload::Empty,
        };
        let headers = r
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
            .map(|(n, h)| {
                let h = spec.deref(h);
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
            payload,
            headers,
            status: status.clone(),
        });
    }
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
        summary: member(op, "summary"),
        description: member(op, "description"),
        auth,
        parameters,
        body,
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

/// The members of the shared error shape, which the adapter's own errors and
/// [`Payload::Problem`] bodies fill.
pub const PROBLEM_MEMBERS: [&str; 4] = ["code", "message", "requestId", "fieldErrors"];

/// Whether a body schema is the shared error shape: an object declaring every
/// one of [`PROBLEM_MEMBERS`], `code` and `message` as strings.
fn is_problem_shaped(spec: &Spec, schema: &Value) -> bool {
    let Some(props) = spec
        .deref(schema)
        .get("properties")
        .and_then(Value::as_object)
    else {
        return false;
    };
    let is_string = |name: &str| {
        props
            .get(name)
            .map(|p| spec.deref(p))
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str)
            == Some("string")
    };
    PROBLEM_MEMBERS.iter().all(|m| props.contains_key(*m))
        && is_string("code")
        && is_string("message")
}
