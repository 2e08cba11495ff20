//! Dotted paths into JSON (`data.items`, `jqlb.mc`), as connector files name fields.

use serde_json::{Map, Value};

/// The value at `path`, or None when any step is missing. A key that itself contains dots
/// (some CSV headers do) is found before the path is split.
pub fn get<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(v) = root.get(path) {
        return Some(v);
    }
    let mut current = root;
    for step in path.split('.') {
        current = match current {
            Value::Object(map) => map.get(step)?,
            Value::Array(items) => items.get(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// As `get`, starting from a record's fields.
pub fn field<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(v) = fields.get(path) {
        return Some(v);
    }
    let (head, rest) = path.split_once('.')?;
    get(fields.get(head)?, rest)
}

/// A scalar as text: strings trimmed, numbers and booleans printed, null and blanks as None.
pub fn text(value: &Value) -> Option<String> {
    let s = match value {
        Value::Null => return None,
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    };
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths() {
        let v = json!({"data": {"items": [1, 2]}, "a.b": 3, "jqlb": {"mc": "纠纷"}});
        assert_eq!(get(&v, "data.items.1"), Some(&json!(2)));
        assert_eq!(get(&v, "a.b"), Some(&json!(3)));
        assert_eq!(get(&v, "jqlb.mc"), Some(&json!("纠纷")));
        assert_eq!(get(&v, "data.nope"), None);
        let fields = v.as_object().unwrap();
        assert_eq!(field(fields, "data.items.1"), Some(&json!(2)));
        assert_eq!(field(fields, "a.b"), Some(&json!(3)));
        assert_eq!(field(fields, "jqlb"), Some(&json!({"mc": "纠纷"})));
        assert_eq!(field(fields, "data.nope"), None);
        assert_eq!(text(&json!("  x ")), Some("x".into()));
        assert_eq!(text(&json!("   ")), None);
        assert_eq!(text(&json!(5)), Some("5".into()));
    }
}
