//! Reading typed parameters and bodies out of an API Gateway REST proxy request.

use crate::schema::Schema;
use api_problem::FieldErrors;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What every response and log line needs to know about the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub operation_id: &'static str,
    /// API Gateway's `requestContext.requestId`, quoted in error bodies.
    pub request_id: String,
    /// The X-Ray trace id (`X-Amzn-Trace-Id`), when tracing is on.
    pub trace_id: Option<String>,
}

impl Meta {
    pub fn from_request(operation_id: &'static str, request: &Request) -> Self {
        let request_id = match request.request_context_ref() {
            Some(RequestContext::ApiGatewayV1(ctx)) => ctx.request_id.clone(),
            _ => None,
        }
        .or_else(|| request.lambda_context_ref().map(|c| c.request_id.clone()))
        .unwrap_or_default();
        let trace_id = request
            .headers()
            .get("x-amzn-trace-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| std::env::var("_X_AMZN_TRACE_ID").ok());
        Self {
            operation_id,
            request_id,
            trace_id,
        }
    }
}

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    fn prefix(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
        }
    }
}

/// A parameter as the spec declares it.
pub struct ParamSpec {
    pub name: &'static str,
    pub location: ParamLocation,
    /// JSON type the raw text is read as: `string`, `integer`, `number`, `boolean`, `array`.
    pub json_type: &'static str,
    /// For arrays, the item type.
    pub item_type: &'static str,
    /// JSON text of the default, applied when the parameter is absent.
    pub default: Option<&'static str>,
    pub schema: &'static Schema,
}

impl ParamSpec {
    /// `query.limit`, `header.If-Match`: how field errors name it.
    pub fn field(&self) -> String {
        format!("{}.{}", self.location.prefix(), self.name)
    }

    /// The raw values as sent (several for a repeated query parameter).
    fn values(&self, request: &Request) -> Vec<String> {
        match self.location {
            ParamLocation::Path => request
                .path_parameters_ref()
                .and_then(|m| m.first(self.name))
                .map(str::to_owned)
                .into_iter()
                .collect(),
            ParamLocation::Query => request
                .query_string_parameters_ref()
                .and_then(|m| m.all(self.name))
                .map(|all| all.into_iter().map(str::to_owned).collect())
                .unwrap_or_default(),
            ParamLocation::Header => request
                .headers()
                .get_all(self.name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Whether a *required* parameter is there: API Gateway's validator counts
    /// a blank value as missing, so the handler does too.
    pub fn is_present(&self, request: &Request) -> bool {
        self.values(request).iter().any(|v| !v.trim().is_empty())
    }

    /// Reads, validates and converts the parameter. `None` when it is absent
    /// (then `required` adds a field error) or invalid (the errors say why).
    pub fn parse<T: DeserializeOwned>(
        &self,
        request: &Request,
        required: bool,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        // A blank required parameter is missing (as at the gateway); a blank
        // optional one was sent, so its value is checked like any other.
        let raw: Vec<String> = if required {
            self.values(request)
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .collect()
        } else {
            self.values(request)
        };
        let value = if raw.is_empty() {
            match self.default.and_then(|d| serde_json::from_str(d).ok()) {
                Some(default) => default,
                None => {
                    if required {
                        errors.push(
                            self.field(),
                            "required",
                            format!("{} is required", self.field()),
                        );
                    }
                    return None;
                }
            }
        } else {
            self.to_json(&raw)
        };
        let before = errors.as_slice().len();
        self.schema.validate(&value, &self.field(), errors);
        if errors.as_slice().len() > before {
            return None;
        }
        match serde_json::from_value(value) {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push(self.field(), "type", e.to_string());
                None
            }
        }
    }

    /// Text → JSON by the declared type; text that does not parse stays a
    /// string so that the schema reports the type error.
    fn to_json(&self, raw: &[String]) -> Value {
        if self.json_type == "array" {
            let items = raw
                .iter()
                .flat_map(|v| v.split(','))
                .map(|v| scalar(self.item_type, v))
                .collect();
            return Value::Array(items);
        }
        scalar(
            self.json_type,
            raw.first().map(String::as_str).unwrap_or_default(),
        )
    }
}

fn scalar(json_type: &str, text: &str) -> Value {
    let parsed = match json_type {
        "integer" => text.parse::<i64>().ok().map(Value::from),
        "number" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        "boolean" => match text {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::String(text.to_owned()))
}

/// Reads, validates and converts the JSON body sent as `media_type`.
pub fn parse_body<T: DeserializeOwned>(
    request: &Request,
    media_type: &str,
    required: bool,
    schema: &Schema,
    errors: &mut FieldErrors,
) -> Option<T> {
    let bytes: &[u8] = match request.body() {
        Body::Empty => &[],
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        if required {
            errors.push("/", "required", "a request body is required");
        }
        return None;
    }
    let content_type = request
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let base = content_type.split(';').next().unwrap_or_default().trim();
    if !base.eq_ignore_ascii_case(media_type) {
        errors.push(
            "header.Content-Type",
            "mediaType",
            format!(
                "the body must be sent as {media_type}, not {}",
                if base.is_empty() { "(none)" } else { base }
            ),
        );
        return None;
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            errors.push("/", "json", format!("the body is not valid JSON: {e}"));
            return None;
        }
    };
    let before = errors.as_slice().len();
    schema.validate(&value, "", errors);
    if errors.as_slice().len() > before {
        return None;
    }
    match serde_json::from_value(value) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push("/", "type", e.to_string());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    static LIMIT_SCHEMA: Schema = Schema::new(r#"{"type":"integer","minimum":1,"maximum":100}"#);
    static LIMIT: ParamSpec = ParamSpec {
        name: "limit",
        location: ParamLocation::Query,
        json_type: "integer",
        item_type: "",
        default: Some("20"),
        schema: &LIMIT_SCHEMA,
    };
    static BODY: Schema =
        Schema::new(r#"{"type":"object","required":["a"],"properties":{"a":{"type":"string"}}}"#);

    fn with_query(pairs: &[(&str, &str)]) -> Request {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Request::default().with_query_string_parameters(map)
    }

    #[test]
    fn defaults_apply_and_values_are_typed_and_checked() {
        let mut p = FieldErrors::new();
        assert_eq!(
            LIMIT.parse::<i64>(&with_query(&[]), false, &mut p),
            Some(20)
        );
        assert_eq!(
            LIMIT.parse::<i64>(&with_query(&[("limit", "7")]), false, &mut p),
            Some(7)
        );
        assert!(p.is_empty());
        assert_eq!(
            LIMIT.parse::<i64>(&with_query(&[("limit", "abc")]), false, &mut p),
            None
        );
        assert_eq!(
            LIMIT.parse::<i64>(&with_query(&[("limit", "101")]), false, &mut p),
            None
        );
        let codes: Vec<_> = p
            .into_vec()
            .into_iter()
            .map(|f| (f.field, f.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("query.limit".into(), "type".into()),
                ("query.limit".into(), "maximum".into())
            ]
        );
    }

    #[test]
    fn bodies_need_the_declared_media_type_and_valid_json() {
        let mut req = Request::new(Body::Text("{\"a\":1}".into()));
        req.headers_mut().insert(
            "content-type",
            "application/json; charset=utf-8".parse().unwrap(),
        );
        let mut p = FieldErrors::new();
        assert_eq!(
            parse_body::<Value>(&req, "application/json", true, &BODY, &mut p),
            None
        );
        assert_eq!(p.as_slice()[0].field, "/a");

        let mut req = Request::new(Body::Text("{".into()));
        req.headers_mut()
            .insert("content-type", "application/json".parse().unwrap());
        let mut p = FieldErrors::new();
        parse_body::<Value>(&req, "application/json", true, &BODY, &mut p);
        assert_eq!(p.as_slice()[0].code, "json");

        let req = Request::new(Body::Text("{\"a\":\"x\"}".into()));
        let mut p = FieldErrors::new();
        parse_body::<Value>(&req, "application/json", true, &BODY, &mut p);
        assert_eq!(p.as_slice()[0].code, "mediaType");
    }
}
