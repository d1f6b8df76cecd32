//! Reading a document's text (JSON, or YAML 1.2 of which JSON is a subset)
//! into a JSON tree with keys in source order.
//!
//! - JSON goes through serde_json (fast on documents of several MB, every
//!   escape JSON allows); YAML through serde_yaml.
//! - A key repeated in one object is refused (a JSON tree would silently keep
//!   the last one).
//! - Numbers: any JSON allows. Integers beyond 64 bits become the nearest
//!   double; a magnitude beyond a double's range (`1e400`) becomes the largest
//!   finite double of its sign, which no bound or example distinguishes.
//! - YAML keys that are numbers or booleans (`200:`) become their text.

use crate::pointer::Pointer;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Why text is not a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TextError {
    /// Where in the document (`""`: the whole text, e.g. a syntax error).
    pub pointer: String,
    /// 1-based line and column of a syntax error, when the parser knows them.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl TextError {
    fn at(pointer: &Pointer, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// Whether the problem is a key repeated in one object.
    pub fn is_duplicate_key(&self) -> bool {
        self.message.contains("duplicate")
    }
}

/// Parses JSON or YAML text.
pub fn parse(text: &str) -> Result<Value, TextError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with(['{', '[']) {
        return parse_json(text);
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| TextError {
        pointer: String::new(),
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
        message: format!("not valid YAML: {e}"),
    })?;
    from_yaml(&yaml, &mut Pointer::root())
}

/// JSON through serde_json. A number whose magnitude no double holds
/// (`1e400`) is valid JSON that serde_json refuses ("number out of range", at
/// the number): it is rewritten to the largest finite double of its sign and
/// the text read again.
fn parse_json(text: &str) -> Result<Value, TextError> {
    let mut text = std::borrow::Cow::Borrowed(text);
    loop {
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        let parsed = UniqueKeys.deserialize(&mut deserializer).and_then(|v| {
            deserializer.end()?;
            Ok(v)
        });
        let e = match parsed {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        let clamped = e
            .to_string()
            .starts_with("number out of range")
            .then(|| clamp_number_at(&text, e.line(), e.column()))
            .flatten();
        match clamped {
            Some(rewritten) => text = std::borrow::Cow::Owned(rewritten),
            None => {
                return Err(TextError {
                    pointer: String::new(),
                    line: Some(e.line()),
                    column: Some(e.column()),
                    message: format!("not valid JSON: {e}"),
                })
            }
        }
    }
}

/// `text` with the number token around 1-based `line`:`column` replaced by
/// the largest finite double of its sign; `None` if no number is there.
fn clamp_number_at(text: &str, line: usize, column: usize) -> Option<String> {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let bytes = text.as_bytes();
    let at = (line_start + column.saturating_sub(1)).min(bytes.len().saturating_sub(1));
    let is_number = |b: u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
    let start = (0..=at).rev().take_while(|&i| is_number(bytes[i])).last()?;
    let end = (at..bytes.len())
        .take_while(|&i| is_number(bytes[i]))
        .last()
        .map_or(at, |i| i + 1);
    let replacement = if bytes[start] == b'-' {
        "-1.7976931348623157e308"
    } else {
        "1.7976931348623157e308"
    };
    Some(format!("{}{replacement}{}", &text[..start], &text[end..]))
}

fn from_yaml(value: &serde_yaml::Value, at: &mut Pointer) -> Result<Value, TextError> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::from(i),
            (_, Some(u)) => Value::from(u),
            _ => Value::Number(finite(n.as_f64().unwrap_or(0.0))),
        },
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                at.push(&i.to_string());
                out.push(from_yaml(item, at)?);
                at.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => return Err(TextError::at(at, "a mapping key is not a string")),
                };
                at.push(&key);
                let item = from_yaml(item, at)?;
                at.pop();
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => from_yaml(&tagged.value, at)?,
    })
}

/// A JSON number for any double: NaN (which YAML's `.nan` can write) is 0,
/// an infinity the largest finite double of its sign.
fn finite(f: f64) -> Number {
    let f = if f.is_nan() {
        0.0
    } else {
        f.clamp(f64::MIN, f64::MAX)
    };
    Number::from_f64(f).unwrap_or_else(|| Number::from(0))
}

/// Deserializes a `serde_json::Value`, refusing a key repeated in one object.
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(finite(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element_seed(UniqueKeys)? {
            out.push(item);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(UniqueKeys)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_with_every_escape_and_big_numbers_parses() {
        let text = r#"{"a": "\/\u00e9\ud83d\ude00\u0000", "big": 123456789012345678901234567890, "huge": 1e400, "neg": -1e400, "i": -9223372036854775808}"#;
        let v = parse(text).unwrap();
        assert_eq!(v["a"], "/é😀\u{0}");
        assert_eq!(v["big"].as_f64(), Some(1.2345678901234568e29));
        assert_eq!(v["huge"].as_f64(), Some(f64::MAX));
        assert_eq!(v["neg"].as_f64(), Some(f64::MIN));
        assert_eq!(v["i"], json!(i64::MIN));
    }

    #[test]
    fn duplicate_keys_are_refused_in_json_and_yaml() {
        let e = parse(r#"{"a": 1, "b": {"c": 1, "c": 2}}"#).unwrap_err();
        assert!(e.is_duplicate_key(), "{e}");
        assert_eq!(e.line, Some(1));
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert!(e.is_duplicate_key(), "{e}");
    }

    #[test]
    fn yaml_keys_become_text_and_order_is_kept() {
        let v = parse("\u{feff}z: 1\n200: {description: ok}\ntrue: x\n").unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["z", "200", "true"]);
    }
}
