//! A JSON response parsed in one pass, with the array of records at a dotted path kept as each
//! record's own text. The text is what the store keeps as the raw record: the source's bytes,
//! in the source's key order, without building the record and printing it again.

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A response body: everything but the items as a value (the items' place left empty), and
/// what stood at the items path.
#[derive(Debug)]
pub struct Body {
    pub rest: Value,
    pub items: Option<Items>,
}

/// What stood at the items path.
#[derive(Debug)]
pub enum Items {
    /// An array: each element's text.
    Texts(Vec<Box<RawValue>>),
    /// Anything else (null, an object, a scalar), for the error message.
    Other(Value),
}

/// Parses `bytes`, keeping the array at `path` (dot-separated object keys) as text.
pub fn parse(bytes: &[u8], path: &str) -> Result<Body, serde_json::Error> {
    let steps: Vec<&str> = path.split('.').collect();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let body = Level { steps: &steps }.deserialize(&mut de)?;
    de.end()?;
    Ok(body)
}

/// One level of the document, `steps` still to follow from here; none left: the items' place.
struct Level<'p> {
    steps: &'p [&'p str],
}

impl Level<'_> {
    /// A value that is not an object: at the items' place, what stood there instead of an
    /// array; above it, the path cannot go on and the value is kept whole.
    fn other(self, value: Value) -> Body {
        if self.steps.is_empty() {
            Body {
                rest: Value::Null,
                items: Some(Items::Other(value)),
            }
        } else {
            Body {
                rest: value,
                items: None,
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Level<'_> {
    type Value = Body;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Body, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Level<'_> {
    type Value = Body;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
        let Some((step, further)) = self.steps.split_first() else {
            let value = Value::deserialize(MapAccessDeserializer::new(map))?;
            return Ok(self.other(value));
        };
        let mut rest = Map::new();
        let mut items = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == *step {
                let inner = map.next_value_seed(Level { steps: further })?;
                items = inner.items;
                if !further.is_empty() {
                    rest.insert(key, inner.rest);
                }
            } else {
                let value = map.next_value::<Value>()?;
                rest.insert(key, value);
            }
        }
        Ok(Body {
            rest: Value::Object(rest),
            items,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
        if !self.steps.is_empty() {
            let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
            return Ok(self.other(value));
        }
        let mut texts = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(text) = seq.next_element::<Box<RawValue>>()? {
            texts.push(text);
        }
        Ok(Body {
            rest: Value::Null,
            items: Some(Items::Texts(texts)),
        })
    }
    fn visit_bool<E>(self, v: bool) -> Result<Body, E> {
        Ok(self.other(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Body, E> {
        Ok(self.other(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Body, E> {
        Ok(self.other(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Body, E> {
        Ok(self.other(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Body, E> {
        Ok(self.other(Value::String(v.to_string())))
    }
    fn visit_unit<E>(self) -> Result<Body, E> {
        Ok(self.other(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn texts(body: &Body) -> Vec<&str> {
        match &body.items {
            Some(Items::Texts(t)) => t.iter().map(|t| t.get()).collect(),
            other => panic!("no array: {other:?}"),
        }
    }

    #[test]
    fn items_keep_the_sources_own_text_and_the_rest_is_a_value() {
        let src = br#"{"code": 0, "data": {"total": 2, "items": [{"b":1, "a":"\u5f20"} , {"x":[1,2]}], "page": 1}}"#;
        let body = parse(src, "data.items").unwrap();
        assert_eq!(texts(&body), [r#"{"b":1, "a":"\u5f20"}"#, r#"{"x":[1,2]}"#]);
        assert_eq!(
            body.rest,
            json!({"code": 0, "data": {"total": 2, "page": 1}})
        );

        let body = parse(
            br#"{"alarms": [], "next_cursor": "c", "has_more": false}"#,
            "alarms",
        )
        .unwrap();
        assert!(texts(&body).is_empty());
        assert_eq!(body.rest, json!({"next_cursor": "c", "has_more": false}));
    }

    #[test]
    fn a_missing_or_wrong_shaped_items_place_is_told_apart() {
        let body = parse(br#"{"code": 401, "msg": "token expired"}"#, "data.items").unwrap();
        assert!(body.items.is_none());
        assert_eq!(body.rest, json!({"code": 401, "msg": "token expired"}));

        let body = parse(br#"{"data": {"items": null}}"#, "data.items").unwrap();
        assert!(matches!(body.items, Some(Items::Other(Value::Null))));
        let body = parse(br#"{"data": [1]}"#, "data.items").unwrap();
        assert!(body.items.is_none());
        assert_eq!(body.rest, json!({"data": [1]}));
        let body = parse(br#"{"data": {"items": {"a": 1}}}"#, "data.items").unwrap();
        assert!(matches!(body.items, Some(Items::Other(_))));
    }

    #[test]
    fn broken_json_is_an_error_as_before() {
        assert!(parse(br#"{"data": {"items": [{"a": 1}, {"b""#, "data.items").is_err());
        assert!(parse(br#"{"alarms": []} trailing"#, "alarms").is_err());
        assert!(parse(br#"{"alarms": [{"a": 1,}]}"#, "alarms").is_err());
    }
}
