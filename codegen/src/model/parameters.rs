//! Parameters (<https://spec.openapis.org/oas/v3.0.3#parameter-object>): in
//! path, query, header or cookie; any schema; every `style` and `explode` of
//! OpenAPI 3.0; or `content` (the value is a JSON document).
//!
//! The adapter turns the raw text into JSON by the parameter's [`Shape`] and
//! style, validates it against the full schema, and deserializes it into the
//! parameter's Rust type.

use super::Names;
use crate::names;
use crate::schema_json::standalone_json_schema;
use crate::source::Spec;
use crate::types::TypeRegistry;
use crate::Refusal;
use openapi_document::{child, media, str_of};
use serde::Serialize;
use serde_json::{Map, Value};

/// Where a parameter comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "path" => Some(Self::Path),
            "query" => Some(Self::Query),
            "header" => Some(Self::Header),
            "cookie" => Some(Self::Cookie),
            _ => None,
        }
    }

    /// The style a parameter here has when it names none.
    fn default_style(self) -> &'static str {
        match self {
            Self::Path | Self::Header => "simple",
            Self::Query | Self::Cookie => "form",
        }
    }
}

/// How the raw text of a parameter becomes JSON before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Shape {
    /// One value; the JSON types it may be read as, in order of preference
    /// (empty: any — a number, boolean or string, whichever the text is).
    Scalar(Vec<String>),
    /// Several values, each read as one of these types.
    Array(Vec<String>),
    /// Name/value pairs: each property's types, and the types of others.
    Object {
        properties: Vec<(String, Vec<String>)>,
        additional: Vec<String>,
    },
    /// `content`: the text is a JSON document.
    Json,
}

#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    pub name: String,
    /// The name the request carries it under: for a path parameter, the name
    /// of its segment in API Gateway's route (see `model::canonical_routes`);
    /// else `name`.
    pub key: String,
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
    /// `simple`, `label`, `matrix`, `form`, `spaceDelimited`, `pipeDelimited`, `deepObject`.
    pub style: String,
    pub explode: bool,
    pub shape: Shape,
    /// Self-contained JSON Schema validating the value.
    pub schema: String,
    pub description: String,
}

impl Parameter {
    /// Whether API Gateway's presence check can see it under its own name:
    /// an object spread over several query keys (`explode`, `deepObject`) has
    /// no key of its name, and API Gateway ignores cookie parameters.
    pub fn gateway_checks_presence(&self) -> bool {
        let spread = matches!(self.shape, Shape::Object { .. })
            && self.location == Location::Query
            && (self.explode || self.style == "deepObject");
        !spread && self.location != Location::Cookie && !self.handler_enforced
    }
}

/// The parameters of one operation, fields named so that none collides with
/// another or with the typed request's own fields.
pub(super) fn parameters(
    spec: &Spec,
    raw: &openapi_document::Operation<'_>,
    pascal: &str,
    declares_428: bool,
    fields: &mut Names,
    types: &mut TypeRegistry,
    components: &Map<String, Value>,
) -> Result<Vec<Parameter>, Refusal> {
    let mut out = Vec::new();
    for param in openapi_document::parameters(&spec.raw, raw) {
        let (at, p) = (param.pointer, param.value);
        let name = str_of(p, "name").to_owned();
        let Some(location) = Location::parse(str_of(p, "in")) else {
            continue;
        };
        let content_schema = p
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.iter().next())
            .map(|(media_type, m)| (media_type.clone(), m.get("schema").cloned()));
        let (schema, schema_at, is_content) = match (&content_schema, p.get("schema")) {
            (Some((_, schema)), _) => (
                schema.clone().unwrap_or_else(|| serde_json::json!({})),
                child(&at, "content"),
                true,
            ),
            (None, Some(schema)) => (schema.clone(), child(&at, "schema"), false),
            (None, None) => (serde_json::json!({"type": "string"}), at.clone(), false),
        };
        let resolved = spec.deref(&schema).clone();
        let hint = format!("{pascal}{}", names::pascal(&name));
        let rust_type = types.type_of(spec, &schema, Some(hint), &schema_at)?;
        let required = p.get("required") == Some(&Value::Bool(true)) || location == Location::Path;
        let style = p
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or_else(|| location.default_style())
            .to_owned();
        let explode = p
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        let shape = if is_content {
            let media_type = content_schema.map(|(m, _)| m).unwrap_or_default();
            if media::is_json(&media_type) {
                Shape::Json
            } else {
                Shape::Scalar(vec!["string".into()])
            }
        } else {
            shape_of(spec, &resolved)
        };
        let base = if location == Location::Header {
            names::header_field(&name)
        } else {
            names::snake(&name)
        };
        let field = fields.claim(&base, location_word(location));
        out.push(Parameter {
            key: name.clone(),
            field,
            location,
            rust_type,
            required,
            handler_enforced: required && location == Location::Header && declares_428,
            default: resolved.get("default").map(Value::to_string),
            style,
            explode,
            shape,
            schema: standalone_json_schema(&schema, components).to_string(),
            description: str_of(p, "description").to_owned(),
            name,
        });
    }
    Ok(out)
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
    }
}

/// The shape of a parameter's (resolved) schema.
pub(super) fn shape_of(spec: &Spec, schema: &Value) -> Shape {
    let ty = str_of(schema, "type");
    let is_object = ty == "object"
        || (ty.is_empty()
            && (schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some()));
    if ty == "array" || (ty.is_empty() && schema.get("items").is_some()) {
        let items = schema
            .get("items")
            .map(|i| spec.deref(i))
            .unwrap_or(&Value::Null);
        return Shape::Array(scalar_types(spec, items));
    }
    if is_object {
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, p)| (name.clone(), scalar_types(spec, spec.deref(p))))
            .collect();
        let additional = match schema.get("additionalProperties") {
            Some(Value::Object(_)) => {
                scalar_types(spec, spec.deref(&schema["additionalProperties"]))
            }
            _ => Vec::new(),
        };
        return Shape::Object {
            properties,
            additional,
        };
    }
    Shape::Scalar(scalar_types(spec, schema))
}

/// The JSON types a scalar schema admits, most specific first: its `type`, the
/// types of its `oneOf`/`anyOf`/`allOf` branches, of its `enum` values, or
/// the type its `format` implies. Empty when nothing says.
fn scalar_types(spec: &Spec, schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |t: &str| {
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    };
    add(str_of(schema, "type"));
    for key in ["oneOf", "anyOf", "allOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            for t in scalar_types(spec, spec.deref(branch)) {
                add(&t);
            }
        }
    }
    for value in schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add(match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::String(_) => "string",
            _ => "",
        });
    }
    match str_of(schema, "format") {
        "int32" | "int64" => add("integer"),
        "float" | "double" => add("number"),
        "" => {}
        _ => add("string"),
    }
    out
}
