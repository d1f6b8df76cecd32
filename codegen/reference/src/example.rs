//! Example values, as Redoc and Swagger UI show them: the document's own where it gives one
//! (a Media Type Object's `example` or first `examples` entry, a Parameter's or a Schema's
//! `example`, [OpenAPI 3.0.3](https://spec.openapis.org/oas/v3.0.3#media-type-object)), else
//! one built from the schema: `default`, the first `enum` value, a value of the `format`, a
//! number within the bounds, one array item (or `minItems`), every property.

use openapi_document::{deref, str_of};
use serde_json::{Map, Value};

/// Which side of the wire the value is for: a request leaves out `readOnly` properties, a
/// response `writeOnly` ones (OpenAPI 3.0.3, Schema Object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Request,
    Response,
}

/// Nesting deeper than this is shown as `null`: examples stay readable, and a schema that
/// contains itself through arrays or `additionalProperties` ends.
const MAX_DEPTH: usize = 8;

/// The example of a Media Type Object, or of a Parameter Object (both may carry `example`,
/// `examples` and `schema`): `None` when it has neither an example nor a schema.
pub(crate) fn of_media(spec: &Value, media: &Value, direction: Direction) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let first = media
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|examples| examples.values().next())
        .map(|example| deref(spec, example))
        .and_then(|example| example.get("value"));
    if let Some(value) = first {
        return Some(value.clone());
    }
    media
        .get("schema")
        .map(|schema| of_schema(spec, schema, direction))
}

/// A value of `schema`.
pub(crate) fn of_schema(spec: &Value, schema: &Value, direction: Direction) -> Value {
    Builder {
        spec,
        direction,
        refs: Vec::new(),
    }
    .build(schema, 0)
}

struct Builder<'a> {
    spec: &'a Value,
    direction: Direction,
    /// The `$ref`s being expanded: one met again is a cycle, shown as `null`.
    refs: Vec<&'a str>,
}

impl<'a> Builder<'a> {
    fn build(&mut self, schema: &'a Value, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if self.refs.contains(&reference) {
                return Value::Null;
            }
            self.refs.push(reference);
            let value = self.build(deref(self.spec, schema), depth);
            self.refs.pop();
            return value;
        }
        for given in ["example", "default"] {
            if let Some(value) = schema.get(given) {
                return value.clone();
            }
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|values| values.first())
        {
            return first.clone();
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            return self.all_of(parts, depth);
        }
        for alternatives in ["oneOf", "anyOf"] {
            if let Some(first) = schema
                .get(alternatives)
                .and_then(Value::as_array)
                .and_then(|a| a.first())
            {
                return self.build(first, depth + 1);
            }
        }
        match schema_type(schema) {
            "string" => string(schema),
            "integer" => integer(schema),
            "number" => number(schema),
            "boolean" => Value::Bool(true),
            "array" => self.array(schema, depth),
            "object" => self.object(schema, depth),
            _ => Value::Null,
        }
    }

    /// The parts' objects merged (a part that is not an object wins alone).
    fn all_of(&mut self, parts: &'a [Value], depth: usize) -> Value {
        let mut merged = Map::new();
        for part in parts {
            match self.build(part, depth + 1) {
                Value::Object(fields) => merged.extend(fields),
                Value::Null => {}
                other => return other,
            }
        }
        Value::Object(merged)
    }

    fn array(&mut self, schema: &'a Value, depth: usize) -> Value {
        let Some(items) = schema.get("items") else {
            return Value::Array(Vec::new());
        };
        let item = self.build(items, depth + 1);
        let count = schema
            .get("minItems")
            .and_then(Value::as_u64)
            .unwrap_or(1)
            .clamp(1, 3);
        Value::Array(vec![item; usize::try_from(count).unwrap_or(1)])
    }

    fn object(&mut self, schema: &'a Value, depth: usize) -> Value {
        let mut fields = Map::new();
        let skipped = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if deref(self.spec, property).get(skipped) == Some(&Value::Bool(true)) {
                continue;
            }
            fields.insert(name.clone(), self.build(property, depth + 1));
        }
        if fields.is_empty() {
            if let Some(values @ Value::Object(_)) = schema.get("additionalProperties") {
                fields.insert("key".to_owned(), self.build(values, depth + 1));
            }
        }
        Value::Object(fields)
    }
}

/// The schema's `type`, or the one its keywords imply.
fn schema_type(schema: &Value) -> &str {
    match str_of(schema, "type") {
        "" if schema.get("properties").is_some()
            || schema.get("additionalProperties").is_some() =>
        {
            "object"
        }
        "" if schema.get("items").is_some() => "array",
        ty => ty,
    }
}

fn string(schema: &Value) -> Value {
    let text = match str_of(schema, "format") {
        "date" => "2024-05-01",
        "date-time" => "2024-05-01T12:00:00Z",
        "time" => "12:00:00Z",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "email" => "user@example.com",
        "uri" | "url" => "https://example.com/",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "ZXhhbXBsZQ==",
        "password" => "********",
        _ => "string",
    };
    let min = bound(schema, "minLength");
    let max = bound(schema, "maxLength");
    let mut text = text.to_owned();
    if let Some(min) = min {
        while text.chars().count() < min {
            text.push('x');
        }
    }
    if let Some(max) = max {
        text = text.chars().take(max).collect();
    }
    Value::String(text)
}

fn bound(schema: &Value, key: &str) -> Option<usize> {
    schema
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// 0 when the bounds allow it, else the nearest bound (an exclusive one moved inside).
fn integer(schema: &Value) -> Value {
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    let minimum = schema.get("minimum").and_then(Value::as_f64).map(|m| {
        if exclusive("exclusiveMinimum") {
            m.floor() + 1.0
        } else {
            m.ceil()
        }
    });
    let maximum = schema.get("maximum").and_then(Value::as_f64).map(|m| {
        if exclusive("exclusiveMaximum") {
            m.ceil() - 1.0
        } else {
            m.floor()
        }
    });
    let value = clamp(0.0, minimum, maximum);
    // `as` saturates a bound beyond i64.
    Value::from(value as i64)
}

fn number(schema: &Value) -> Value {
    let value = clamp(
        0.0,
        schema.get("minimum").and_then(Value::as_f64),
        schema.get("maximum").and_then(Value::as_f64),
    );
    serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
}

fn clamp(value: f64, minimum: Option<f64>, maximum: Option<f64>) -> f64 {
    let value = minimum.map_or(value, |m| value.max(m));
    maximum.map_or(value, |m| value.min(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["name"], "properties": {
                "id": {"type": "integer", "format": "int64", "readOnly": true},
                "name": {"type": "string", "minLength": 8},
                "born": {"type": "string", "format": "date"},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "weight": {"type": "number", "minimum": 0.5},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}},
                "parent": {"$ref": "#/components/schemas/Pet"},
                "secret": {"type": "string", "writeOnly": true}
            }},
            "Named": {"allOf": [{"$ref": "#/components/schemas/Id"}, {"properties": {"label": {"example": "Rex"}}}]},
            "Id": {"type": "object", "properties": {"id": {"type": "integer", "minimum": 3, "exclusiveMinimum": true}}}
        }}})
    }

    #[test]
    fn built_from_the_schema_for_each_direction() {
        let spec = spec();
        let pet = json!({"$ref": "#/components/schemas/Pet"});
        let request = of_schema(&spec, &pet, Direction::Request);
        assert_eq!(request["name"], "stringxx");
        assert_eq!(request["born"], "2024-05-01");
        assert_eq!(request["kind"], "cat");
        assert_eq!(request["weight"], 0.5);
        assert_eq!(request["tags"], json!(["str"]));
        assert!(
            request.get("id").is_none(),
            "readOnly is not sent: {request}"
        );
        assert_eq!(request["secret"], "string");
        // `parent` is a Pet inside a Pet: the cycle ends in null instead of recursing.
        assert_eq!(request["parent"], Value::Null);
        let response = of_schema(&spec, &pet, Direction::Response);
        assert_eq!(response["id"], 0);
        assert!(
            response.get("secret").is_none(),
            "writeOnly is not returned: {response}"
        );
        let named = of_schema(
            &spec,
            &json!({"$ref": "#/components/schemas/Named"}),
            Direction::Response,
        );
        assert_eq!(named, json!({"id": 4, "label": "Rex"}));
    }

    #[test]
    fn the_document_s_own_example_wins() {
        let spec = json!({"components": {"examples": {"cat": {"value": {"name": "Tom"}}}}});
        let media = json!({"schema": {"type": "object"}, "examples": {"first": {"$ref": "#/components/examples/cat"}}});
        assert_eq!(
            of_media(&spec, &media, Direction::Request),
            Some(json!({"name": "Tom"}))
        );
        let media = json!({"example": [1, 2], "schema": {"type": "array"}});
        assert_eq!(
            of_media(&spec, &media, Direction::Response),
            Some(json!([1, 2]))
        );
        assert_eq!(of_media(&spec, &json!({}), Direction::Response), None);
    }
}
