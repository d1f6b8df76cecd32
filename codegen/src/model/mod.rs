//! Stage 3, model: the operations as the emitters need them, with every name
//! and Rust type decided once. One module per OpenAPI concept:
//! [`parameters`], [`bodies`], [`responses`].

pub mod bodies;
pub mod parameters;
pub mod responses;
pub mod security;

pub use bodies::{Body, BodyKind, MediaBody};
pub use parameters::{Location, Parameter, Shape};
pub use responses::{
    is_problem_shaped, MediaPayload, Payload, Response, ResponseHeader, PROBLEM_MEMBERS,
};

use crate::names;
use crate::source::Spec;
use crate::types::{component_schemas, TypeRegistry};
use crate::Refusal;
use openapi_document::Operation as RawOperation;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// The API as the emitters see it.
pub struct Api {
    /// Service name (`x-service-name`, else from the title): names crates and resources.
    pub service: String,
    pub title: String,
    pub version: String,
    pub operations: Vec<Operation>,
    pub types: TypeRegistry,
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
    /// The path template as the spec writes it.
    pub path: String,
    /// The resource path API Gateway routes on: a segment that mixes
    /// parameters with text (`{name}.json`) becomes one whole-segment
    /// parameter (API Gateway matches whole segments only), which the adapter
    /// splits by [`Operation::split_segments`].
    pub route: String,
    pub split_segments: Vec<SplitSegment>,
    pub summary: String,
    pub description: String,
    /// Whether the gateway authorizes it (the adapter then requires a caller).
    pub auth: bool,
    /// How the gateway authorizes it.
    pub authorizer: security::Authorizer,
    pub parameters: Vec<Parameter>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub access: Access,
}

/// A path segment that holds parameters and text: routed whole, split in the
/// adapter.
#[derive(Debug, Clone, Serialize)]
pub struct SplitSegment {
    /// The whole-segment parameter API Gateway routes it as.
    pub route_param: String,
    /// The segment as the spec writes it (`{name}.{ext}`).
    pub template: String,
}

/// Names handed out once each, so that spec names never collide with each
/// other or with the generated code's own names.
#[derive(Debug, Default, Clone)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// A set in which `reserved` are already taken.
    pub fn reserving(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `base`, or `base_<qualifier>`, or `base_<qualifier>_2`, ...: the first
    /// not yet taken (PascalCase names get the qualifier in PascalCase).
    pub fn claim(&mut self, base: &str, qualifier: &str) -> String {
        let pascal = base.starts_with(|c: char| c.is_ascii_uppercase());
        let join = |a: &str, b: &str| {
            if pascal {
                format!("{a}{}", names::pascal(b))
            } else {
                format!(
                    "{}_{}",
                    a.trim_end_matches('_'),
                    names::snake(b).trim_end_matches('_')
                )
            }
        };
        let qualified = join(base, qualifier);
        let name = std::iter::once(base.to_owned())
            .chain(std::iter::once(qualified.clone()))
            .chain((2..).map(|n| join(&qualified, &n.to_string())))
            .find(|n| !self.taken.contains(n))
            .unwrap_or(qualified);
        self.taken.insert(name.clone());
        name
    }
}

/// The typed request's own fields, which parameters may not take.
pub const REQUEST_FIELDS: &[&str] = &["meta", "caller", "body"];

/// How operations are grouped into Lambda functions when the spec does not
/// say (`x-aws-function` on an operation or its path item always wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Grouping {
    /// One function per operation: the seed's "one lean Lambda per route".
    #[default]
    PerOperation,
    /// One function per first tag (untagged operations: one each), for APIs
    /// of hundreds of operations.
    PerTag,
}

/// Builds the model. `types_crate` is the crate name of the shared types.
pub fn build(spec: &Spec, types_crate: &str) -> Result<Api, Refusal> {
    build_grouped(spec, types_crate, Grouping::PerOperation)
}

/// [`build`], grouping operations into functions as `grouping` says.
pub fn build_grouped(spec: &Spec, types_crate: &str, grouping: Grouping) -> Result<Api, Refusal> {
    let mut types = TypeRegistry::new(spec, &names::crate_ident(types_crate))?;
    let mut operations = Vec::new();
    let mut problems = Vec::new();
    let components = component_schemas(spec);
    for raw in openapi_document::operations(&spec.raw) {
        match operation(spec, &raw, &mut types, &components) {
            Ok(op) => operations.push(op),
            Err(Refusal::Spec(mut d)) => problems.append(&mut d),
            Err(internal) => return Err(internal),
        }
    }
    if !problems.is_empty() {
        return Err(Refusal::Spec(problems));
    }
    canonical_routes(&mut operations);
    assign_functions(spec, &mut operations, grouping);
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
    components: &serde_json::Map<String, Value>,
) -> Result<Operation, Refusal> {
    let op = raw.op;
    let operation_id = member(op, "operationId");
    let pascal = names::pascal(&operation_id);
    let declares_428 = op
        .get("responses")
        .and_then(Value::as_object)
        .is_some_and(|r| r.contains_key("428"));
    let mut fields = Names::reserving(REQUEST_FIELDS);
    let parameters = parameters::parameters(
        spec,
        raw,
        &pascal,
        declares_428,
        &mut fields,
        types,
        components,
    )?;
    let body = bodies::request_body(spec, raw, &pascal, types, components)?;
    let responses = responses::responses(spec, raw, &pascal, types, components)?;
    let (route, split_segments) = route_of(raw.path);
    let authorizer = security::authorizer(spec, op);
    let auth = authorizer.is_some();
    let access = op.get("x-aws-access");
    Ok(Operation {
        key: names::lower_camel(&operation_id),
        snake: names::snake(&operation_id),
        function: names::kebab(&operation_id),
        method: raw.method.to_ascii_uppercase(),
        path: raw.path.to_owned(),
        route,
        split_segments,
        summary: member(op, "summary"),
        description: member(op, "description"),
        auth,
        authorizer,
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

/// The Lambda function of each operation: `x-aws-function` on the operation
/// or its path item, else by `grouping`.
fn assign_functions(spec: &Spec, operations: &mut [Operation], grouping: Grouping) {
    for op in operations.iter_mut() {
        let item = spec.raw.get("paths").and_then(|p| p.get(&op.path));
        let raw_op = item.and_then(|i| i.get(op.method.to_ascii_lowercase()));
        let named = raw_op
            .and_then(|o| o.get("x-aws-function"))
            .or_else(|| item.and_then(|i| i.get("x-aws-function")))
            .and_then(Value::as_str);
        let tag = raw_op
            .and_then(|o| o.get("tags"))
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(Value::as_str);
        op.function = match (named, grouping, tag) {
            (Some(name), _, _) => names::kebab(name),
            (None, Grouping::PerTag, Some(tag)) => names::kebab(tag),
            _ => names::kebab(&op.operation_id),
        };
    }
}

/// A Lambda function and the operations it serves.
#[derive(Debug, Clone, Serialize)]
pub struct Function {
    pub name: String,
    pub operations: Vec<String>,
    /// The union of its operations' access: what its role is granted.
    pub access: Access,
}

impl Api {
    /// The functions, in the order their first operation appears.
    pub fn functions(&self) -> Vec<Function> {
        let mut out: Vec<Function> = Vec::new();
        for op in &self.operations {
            match out.iter_mut().find(|f| f.name == op.function) {
                Some(f) => {
                    f.operations.push(op.operation_id.clone());
                    for action in &op.access.dynamodb {
                        if !f.access.dynamodb.contains(action) {
                            f.access.dynamodb.push(action.clone());
                        }
                    }
                    f.access.secret |= op.access.secret;
                }
                None => out.push(Function {
                    name: op.function.clone(),
                    operations: vec![op.operation_id.clone()],
                    access: op.access.clone(),
                }),
            }
        }
        for f in &mut out {
            f.access.dynamodb.sort();
        }
        out
    }
}

/// API Gateway builds one resource tree, in which the parameter segments
/// under one parent must share a name (`/pets/{petId}` beside
/// `/pets/{id}/photos` is refused on import: "A sibling ({id}) of this resource
/// already has a variable path part"). The first name written at each place
/// becomes the route's; a path parameter is then read under its route name.
fn canonical_routes(operations: &mut [Operation]) {
    let mut names: std::collections::BTreeMap<String, String> = Default::default();
    for op in operations.iter_mut() {
        let mut prefix = String::new();
        let mut renamed: Vec<(String, String)> = Vec::new();
        let segments: Vec<String> = op.route.split('/').map(str::to_owned).collect();
        let mut out = Vec::with_capacity(segments.len());
        for segment in segments {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let canonical = names
                        .entry(prefix.clone())
                        .or_insert_with(|| name.to_owned())
                        .clone();
                    if canonical != name {
                        renamed.push((name.to_owned(), canonical.clone()));
                    }
                    out.push(format!("{{{canonical}}}"));
                    prefix.push_str("/{}");
                }
                None => {
                    prefix.push('/');
                    prefix.push_str(&segment);
                    out.push(segment);
                }
            }
        }
        op.route = out.join("/");
        for (from, to) in renamed {
            for p in op
                .parameters
                .iter_mut()
                .filter(|p| p.location == Location::Path && p.key == from)
            {
                p.key = to.clone();
            }
            for s in op
                .split_segments
                .iter_mut()
                .filter(|s| s.route_param == from)
            {
                s.route_param = to.clone();
            }
        }
    }
}

/// The API Gateway resource path of a spec path, and its segments to split.
fn route_of(path: &str) -> (String, Vec<SplitSegment>) {
    let mixed = openapi_document::paths::mixed_segments(path);
    if mixed.is_empty() {
        return (path.to_owned(), Vec::new());
    }
    let mut splits = Vec::new();
    let route = path
        .split('/')
        .map(|segment| {
            if !mixed.contains(&segment) {
                return segment.to_owned();
            }
            let first = segment
                .split('{')
                .nth(1)
                .and_then(|s| s.split('}').next())
                .unwrap_or("segment");
            let route_param = format!("{first}Segment");
            splits.push(SplitSegment {
                route_param: route_param.clone(),
                template: segment.to_owned(),
            });
            format!("{{{route_param}}}")
        })
        .collect::<Vec<_>>()
        .join("/");
    (route, splits)
}
