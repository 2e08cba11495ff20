//! A JSON response parsed in one pass, with the array of records at a dotted path kept as each
//! record's own text. The text is what the store keeps as the raw record: the source's bytes,
//! in the source's key order, without building the record and printing it again.

use std::fmt;

use serde::Deserialize;
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

/// One level of the document, `steps` still to follow from here.
struct Level<'p> {
    steps: &'p [&'p str],
}

impl<'de> DeserializeSeed<'de> for Level<'_> {
    type Value = Body;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Body, D::Error> {
        match self.steps {
            [] => {
                let items = d.deserialize_any(ItemsVisitor)?;
                Ok(Body {
                    rest: Value::Null,
                    items: Some(items),
                })
            }
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Level<'_> {
    type Value = Body;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
        let (step, further) = self.steps.split_first().expect("not at the path's end");
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

    // Not an object: the path cannot go on, and the value is kept whole.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Body, A::Error> {
        whole(Value::deserialize(
            serde::de::value::SeqAccessDeserializer::new(seq),
        )?)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Body, E> {
        whole(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Body, E> {
        whole(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Body, E> {
        whole(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Body, E> {
        whole(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Body, E> {
        whole(Value::String(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Body, E> {
        whole(Value::Null)
    }
}

fn whole<E>(rest: Value) -> Result<Body, E> {
    Ok(Body { rest, items: None })
}

struct ItemsVisitor;

impl<'de> Visitor<'de> for ItemsVisitor {
    type Value = Items;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut texts = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(text) = seq.next_element::<Box<RawValue>>()? {
            texts.push(text);
        }
        Ok(Items::Texts(texts))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Items, A::Error> {
        let value = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(Items::Other(value))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Items, E> {
        Ok(Items::Other(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Items, E> {
        Ok(Items::Other(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Items, E> {
        Ok(Items::Other(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Items, E> {
        Ok(Items::Other(Value::from(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Items, E> {
        Ok(Items::Other(Value::String(v.to_string())))
    }
    fn visit_unit<E>(self) -> Result<Items, E> {
        Ok(Items::Other(Value::Null))
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
