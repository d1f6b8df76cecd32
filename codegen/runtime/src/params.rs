//! Parameters out of an API Gateway REST proxy request, in every location and
//! serialization OpenAPI 3.0 defines
//! (<https://spec.openapis.org/oas/v3.0.3#style-values>): the raw text is
//! turned into JSON by the parameter's [`Shape`] and [`Style`], validated
//! against its full schema (API Gateway checks only presence:
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html>),
//! then deserialized into its Rust type.

use crate::schema::Schema;
use api_problem::FieldErrors;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    fn prefix(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// `style` (<https://spec.openapis.org/oas/v3.0.3#style-values>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// How the value is built from the text, by the schema's shape. Type lists
/// are the JSON types a text may be read as, in order (empty: whichever it is).
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Scalar(&'static [&'static str]),
    Array(&'static [&'static str]),
    Object {
        properties: &'static [(&'static str, &'static [&'static str])],
        additional: &'static [&'static str],
    },
    /// `content` with a JSON media type: the text is a JSON document.
    Json,
}

/// A parameter as the spec declares it.
pub struct ParamSpec {
    /// Its name in the spec (field errors name it so).
    pub name: &'static str,
    /// The name the request carries it under (a path parameter's segment
    /// name in API Gateway's route may differ from the spec's).
    pub key: &'static str,
    pub location: ParamLocation,
    pub style: Style,
    pub explode: bool,
    pub shape: Shape,
    /// JSON text of the default, applied when the parameter is absent.
    pub default: Option<&'static str>,
    pub schema: &'static Schema,
}

/// What a request offers its parameters: the proxy request, the values of
/// path segments split by template, and its cookies.
pub struct Inputs<'a> {
    request: &'a Request,
    split: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
}

impl<'a> Inputs<'a> {
    pub fn new(request: &'a Request) -> Self {
        let cookies = request
            .headers()
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        Self {
            request,
            split: Vec::new(),
            cookies,
        }
    }

    /// Splits the path parameters API Gateway routed whole segments as
    /// (`route_param`) by their templates (`{name}.{ext}`): API Gateway
    /// matches whole segments only, so a segment that mixes parameters and
    /// text arrives as one value. A value that does not fit its template is a
    /// field error.
    #[must_use]
    pub fn split_segments(mut self, segments: &[(&str, &str)], errors: &mut FieldErrors) -> Self {
        for (route_param, template) in segments {
            let value = self
                .request
                .path_parameters_ref()
                .and_then(|m| m.first(route_param))
                .unwrap_or_default();
            match split_by_template(template, value) {
                Some(pairs) => self.split.extend(pairs),
                None => errors.push(
                    format!("path.{route_param}"),
                    "pattern",
                    format!("`{value}` does not match the path segment `{template}`"),
                ),
            }
        }
        self
    }

    fn path(&self, name: &str) -> Option<String> {
        self.split
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| {
                self.request
                    .path_parameters_ref()
                    .and_then(|m| m.first(name))
                    .map(str::to_owned)
            })
    }

    fn query_all(&self, name: &str) -> Vec<String> {
        self.request
            .query_string_parameters_ref()
            .and_then(|m| m.all(name))
            .map(|all| all.into_iter().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    fn query_pairs(&self) -> Vec<(String, String)> {
        self.request
            .query_string_parameters_ref()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn headers(&self, name: &str) -> Vec<String> {
        self.request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// `{name}.{ext}` against `report.tar.gz` → name=`report`, ext=`tar.gz`: each
/// parameter takes the shortest text up to the literal that follows it (the
/// last one takes the rest).
pub fn split_by_template(template: &str, value: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest_template = template;
    let mut rest = value;
    while !rest_template.is_empty() {
        if let Some(after_open) = rest_template.strip_prefix('{') {
            let close = after_open.find('}')?;
            let name = &after_open[..close];
            rest_template = &after_open[close + 1..];
            let literal_end = rest_template.find('{').unwrap_or(rest_template.len());
            let literal = &rest_template[..literal_end];
            let taken = if literal.is_empty() {
                rest.len()
            } else {
                rest.find(literal)?
            };
            if taken == 0 {
                return None;
            }
            out.push((name.to_owned(), rest[..taken].to_owned()));
            rest = &rest[taken..];
        } else {
            let literal_end = rest_template.find('{').unwrap_or(rest_template.len());
            let literal = &rest_template[..literal_end];
            rest = rest.strip_prefix(literal)?;
            rest_template = &rest_template[literal_end..];
        }
    }
    rest.is_empty().then_some(out)
}

impl ParamSpec {
    /// `query.limit`, `header.If-Match`: how field errors name it.
    pub fn field(&self) -> String {
        format!("{}.{}", self.location.prefix(), self.name)
    }

    /// Whether a *required* parameter is there: API Gateway's validator counts
    /// a blank value as missing, so the handler does too.
    pub fn is_present(&self, inputs: &Inputs<'_>) -> bool {
        self.raw(inputs, true).is_some()
    }

    /// Reads, validates and converts the parameter. `None` when it is absent
    /// (then `required` adds a field error) or invalid (the errors say why).
    pub fn parse<T: DeserializeOwned>(
        &self,
        inputs: &Inputs<'_>,
        required: bool,
        errors: &mut FieldErrors,
    ) -> Option<T> {
        let value = match self.raw(inputs, required) {
            Some(Ok(value)) => value,
            Some(Err(message)) => {
                errors.push(self.field(), "format", message);
                return None;
            }
            None => match self.default.and_then(|d| serde_json::from_str(d).ok()) {
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
            },
        };
        let before = errors.len();
        self.schema.validate(&value, &self.field(), errors);
        if errors.len() > before {
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

    /// The value as JSON; `None` when absent. A blank required value is
    /// absent (as at the gateway); a blank optional one was sent.
    fn raw(&self, inputs: &Inputs<'_>, required: bool) -> Option<Result<Value, String>> {
        let keep = |v: &String| !(required && v.trim().is_empty());
        match self.location {
            ParamLocation::Query => self.read_query(inputs, &keep),
            ParamLocation::Path => inputs
                .path(self.key)
                .filter(keep)
                .map(|v| self.decode_text(&v)),
            ParamLocation::Cookie => inputs
                .cookie(self.name)
                .filter(keep)
                .map(|v| self.decode_text(&v)),
            ParamLocation::Header => {
                let values: Vec<String> =
                    inputs.headers(self.name).into_iter().filter(keep).collect();
                (!values.is_empty()).then(|| self.decode_text(&values.join(",")))
            }
        }
    }

    fn read_query(
        &self,
        inputs: &Inputs<'_>,
        keep: &dyn Fn(&String) -> bool,
    ) -> Option<Result<Value, String>> {
        let spread = matches!(self.shape, Shape::Object { .. })
            && (self.style == Style::DeepObject || (self.style == Style::Form && self.explode));
        if spread {
            return self.spread_object(inputs);
        }
        let values: Vec<String> = inputs
            .query_all(self.name)
            .into_iter()
            .filter(keep)
            .collect();
        if values.is_empty() {
            return None;
        }
        if let (Shape::Array(types), true) = (self.shape, self.explode && self.style == Style::Form)
        {
            return Some(Ok(Value::Array(
                values.iter().map(|v| coerce(types, v)).collect(),
            )));
        }
        Some(self.decode_text(&values.join(",")))
    }

    /// An object whose properties are query keys of their own
    /// (`role=admin&name=Ada`, or `filter[role]=admin` for `deepObject`).
    fn spread_object(&self, inputs: &Inputs<'_>) -> Option<Result<Value, String>> {
        let Shape::Object {
            properties,
            additional,
        } = self.shape
        else {
            return None;
        };
        let mut object = Map::new();
        for (key, value) in inputs.query_pairs() {
            let name = if self.style == Style::DeepObject {
                match key
                    .strip_prefix(self.name)
                    .and_then(|k| k.strip_prefix('['))
                    .and_then(|k| k.strip_suffix(']'))
                {
                    Some(name) => name.to_owned(),
                    None => continue,
                }
            } else if properties.iter().any(|(p, _)| *p == key) || !additional.is_empty() {
                key
            } else {
                continue;
            };
            let types = property_types(properties, additional, &name);
            object.insert(name, coerce(types, &value));
        }
        (!object.is_empty()).then_some(Ok(Value::Object(object)))
    }

    /// One text (a path segment, a header, a cookie, a non-exploded query
    /// value) by the style's separators.
    fn decode_text(&self, text: &str) -> Result<Value, String> {
        let (body, separator) = match self.style {
            Style::Label => (
                text.strip_prefix('.').unwrap_or(text),
                if self.explode { '.' } else { ',' },
            ),
            Style::Matrix => {
                let prefix = format!(";{}=", self.name);
                let body = text.strip_prefix(prefix.as_str()).unwrap_or(text);
                (body, if self.explode { ';' } else { ',' })
            }
            Style::SpaceDelimited => (text, ' '),
            Style::PipeDelimited => (text, '|'),
            _ => (text, ','),
        };
        match self.shape {
            Shape::Json => serde_json::from_str(text).map_err(|e| format!("not JSON: {e}")),
            Shape::Scalar(types) => Ok(coerce(types, body)),
            Shape::Array(types) => {
                let matrix_item = format!("{}=", self.name);
                Ok(Value::Array(
                    body.split(separator)
                        .map(|item| item.strip_prefix(matrix_item.as_str()).unwrap_or(item))
                        .map(|item| coerce(types, item))
                        .collect(),
                ))
            }
            Shape::Object {
                properties,
                additional,
            } => {
                let mut object = Map::new();
                let parts: Vec<&str> = body.split(separator).collect();
                if self.explode {
                    for part in parts {
                        let (k, v) = part.split_once('=').unwrap_or((part, ""));
                        object.insert(
                            k.to_owned(),
                            coerce(property_types(properties, additional, k), v),
                        );
                    }
                } else {
                    for pair in parts.chunks(2) {
                        let (k, v) = (pair[0], pair.get(1).copied().unwrap_or_default());
                        object.insert(
                            k.to_owned(),
                            coerce(property_types(properties, additional, k), v),
                        );
                    }
                }
                Ok(Value::Object(object))
            }
        }
    }
}

fn property_types(
    properties: &'static [(&'static str, &'static [&'static str])],
    additional: &'static [&'static str],
    name: &str,
) -> &'static [&'static str] {
    properties
        .iter()
        .find(|(p, _)| *p == name)
        .map_or(additional, |(_, t)| *t)
}

/// Text → JSON by the admitted types, in order; text that none reads stays a
/// string, so that the schema reports the type error.
pub fn coerce(types: &[&str], text: &str) -> Value {
    const ANY: &[&str] = &["integer", "number", "boolean", "string"];
    let types = if types.is_empty() { ANY } else { types };
    for ty in types {
        let parsed = match *ty {
            "integer" => text
                .parse::<i64>()
                .map(Value::from)
                .ok()
                .or_else(|| text.parse::<u64>().ok().map(Value::from)),
            "number" => text
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            "boolean" => match text {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            "null" if text == "null" => Some(Value::Null),
            "string" => Some(Value::String(text.to_owned())),
            _ => None,
        };
        if let Some(value) = parsed {
            return value;
        }
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    static ANY: Schema = Schema::ANY;

    fn spec(location: ParamLocation, style: Style, explode: bool, shape: Shape) -> ParamSpec {
        ParamSpec {
            name: "id",
            key: "id",
            location,
            style,
            explode,
            shape,
            default: None,
            schema: &ANY,
        }
    }

    fn query(pairs: &[(&str, &str)]) -> Request {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            map.entry((*k).to_owned())
                .or_default()
                .push((*v).to_owned());
        }
        Request::default().with_query_string_parameters(map)
    }

    fn parse(p: &ParamSpec, request: &Request) -> Option<Value> {
        let mut errors = FieldErrors::new();
        let inputs = Inputs::new(request);
        let v = p.parse::<Value>(&inputs, false, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        v
    }

    const OBJ: Shape = Shape::Object {
        properties: &[("role", &["string"]), ("age", &["integer"])],
        additional: &[],
    };

    #[test]
    fn query_styles_of_the_specification_table() {
        let ints = Shape::Array(&["integer"]);
        let q = query(&[("id", "3"), ("id", "4")]);
        assert_eq!(
            parse(&spec(ParamLocation::Query, Style::Form, true, ints), &q),
            Some(json!([3, 4]))
        );
        let q = query(&[("id", "3,4")]);
        assert_eq!(
            parse(&spec(ParamLocation::Query, Style::Form, false, ints), &q),
            Some(json!([3, 4]))
        );
        let q = query(&[("id", "3 4")]);
        assert_eq!(
            parse(
                &spec(ParamLocation::Query, Style::SpaceDelimited, false, ints),
                &q
            ),
            Some(json!([3, 4]))
        );
        let q = query(&[("id", "3|4")]);
        assert_eq!(
            parse(
                &spec(ParamLocation::Query, Style::PipeDelimited, false, ints),
                &q
            ),
            Some(json!([3, 4]))
        );
        let q = query(&[("role", "admin"), ("age", "5"), ("other", "x")]);
        assert_eq!(
            parse(&spec(ParamLocation::Query, Style::Form, true, OBJ), &q),
            Some(json!({"role": "admin", "age": 5}))
        );
        let q = query(&[("id", "role,admin,age,5")]);
        assert_eq!(
            parse(&spec(ParamLocation::Query, Style::Form, false, OBJ), &q),
            Some(json!({"role": "admin", "age": 5}))
        );
        let q = query(&[("id[role]", "admin"), ("id[age]", "7")]);
        assert_eq!(
            parse(
                &spec(ParamLocation::Query, Style::DeepObject, true, OBJ),
                &q
            ),
            Some(json!({"role": "admin", "age": 7}))
        );
        let q = query(&[]);
        assert_eq!(
            parse(
                &spec(ParamLocation::Query, Style::DeepObject, true, OBJ),
                &q
            ),
            None
        );
    }

    #[test]
    fn header_and_json_content_and_scalars_of_several_types() {
        let mut r = Request::default();
        r.headers_mut()
            .insert("id", "role=admin,age=5".parse().unwrap());
        assert_eq!(
            parse(&spec(ParamLocation::Header, Style::Simple, true, OBJ), &r),
            Some(json!({"role": "admin", "age": 5}))
        );
        let q = query(&[("id", r#"{"a":[1]}"#)]);
        assert_eq!(
            parse(
                &spec(ParamLocation::Query, Style::Form, true, Shape::Json),
                &q
            ),
            Some(json!({"a": [1]}))
        );
        let mixed = Shape::Scalar(&["integer", "string"]);
        assert_eq!(
            parse(
                &spec(ParamLocation::Query, Style::Form, true, mixed),
                &query(&[("id", "12")])
            ),
            Some(json!(12))
        );
        assert_eq!(
            parse(
                &spec(ParamLocation::Query, Style::Form, true, mixed),
                &query(&[("id", "ab")])
            ),
            Some(json!("ab"))
        );
        let mut r = Request::default();
        r.headers_mut()
            .insert("cookie", "a=1; id=42".parse().unwrap());
        assert_eq!(
            parse(
                &spec(
                    ParamLocation::Cookie,
                    Style::Form,
                    true,
                    Shape::Scalar(&["integer"])
                ),
                &r
            ),
            Some(json!(42))
        );
    }

    #[test]
    fn segments_split_by_their_templates() {
        assert_eq!(
            split_by_template("{name}.{ext}", "report.tar.gz"),
            Some(vec![
                ("name".into(), "report".into()),
                ("ext".into(), "tar.gz".into())
            ])
        );
        assert_eq!(
            split_by_template("v{major}", "v2"),
            Some(vec![("major".into(), "2".into())])
        );
        assert_eq!(split_by_template("{name}.json", "x.xml"), None);
        assert_eq!(split_by_template("{name}.json", ".json"), None);
    }
}
