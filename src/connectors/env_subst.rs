//! `${NAME}` and `${NAME:-default}` in connector files, so secrets and locations stay out of them.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubstError {
    #[error("environment variable {0} is not set (and no `${{{0}:-default}}` is given)")]
    Missing(String),
    #[error("unclosed `${{` in `{0}`")]
    Unclosed(String),
}

/// Replaces every `${NAME}` / `${NAME:-default}` in `text`. `$$` stands for a literal `$`.
pub fn substitute(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, SubstError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body
                .find('}')
                .ok_or_else(|| SubstError::Unclosed(text.to_string()))?;
            let spec = &body[..end];
            let (name, default) = match spec.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (spec, None),
            };
            match (env(name).filter(|v| !v.is_empty()), default) {
                (Some(v), _) => out.push_str(&v),
                (None, Some(d)) => out.push_str(d),
                (None, None) => return Err(SubstError::Missing(name.to_string())),
            }
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// Substitutes in every string of a parsed TOML document; the error carries the key path.
pub fn substitute_toml(
    value: &mut toml::Value,
    env: &dyn Fn(&str) -> Option<String>,
    path: &mut Vec<String>,
) -> Result<(), (String, SubstError)> {
    match value {
        toml::Value::String(s) => {
            *s = substitute(s, env).map_err(|e| (path.join("."), e))?;
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                substitute_toml(item, env, path)?;
                path.pop();
            }
        }
        toml::Value::Table(table) => {
            for (k, v) in table.iter_mut() {
                path.push(k.clone());
                substitute_toml(v, env, path)?;
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "BASE" => Some("http://127.0.0.1:9".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn substitutes_and_defaults() {
        assert_eq!(
            substitute("${BASE}/api", &env).unwrap(),
            "http://127.0.0.1:9/api"
        );
        assert_eq!(substitute("${NOPE:-x}-${EMPTY:-y}", &env).unwrap(), "x-y");
        assert_eq!(substitute("cost $$5 $x", &env).unwrap(), "cost $5 $x");
        assert_eq!(
            substitute("${NOPE}", &env),
            Err(SubstError::Missing("NOPE".into()))
        );
        assert!(matches!(
            substitute("${BASE", &env),
            Err(SubstError::Unclosed(_))
        ));
    }

    #[test]
    fn reports_key_path() {
        let mut doc: toml::Value =
            toml::from_str("[http]\nheaders = { X-Api-Key = \"${ALARM_KEY}\" }\n").unwrap();
        let (path, err) = substitute_toml(&mut doc, &env, &mut Vec::new()).unwrap_err();
        assert_eq!(path, "http.headers.X-Api-Key");
        assert_eq!(err, SubstError::Missing("ALARM_KEY".into()));
    }
}
