//! Measuring resolution against a known truth: reads an export in the
//! `kind,source,record_id,mention,entity` format (ours, a peer's, or the
//! simulator's truth.csv) and scores it with pairwise and B-cubed metrics,
//! persons and addresses apart.

use std::collections::HashMap;
use std::path::Path;

use crate::resolve::quality::{Quality, compare};

/// (kind, source, record id, mention) → entity label.
pub type Labels = HashMap<(String, String, String, String), String>;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path} line {line}: {message}")]
    Format {
        path: String,
        line: u64,
        message: String,
    },
    #[error("unknown address level `{0}` (expected room, building, site or community)")]
    Level(String),
}

fn read_err(path: &Path, e: impl std::fmt::Display) -> EvalError {
    EvalError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Reads a `kind,source,record_id,mention,entity` file.
pub fn read_labels(path: &Path) -> Result<Labels, EvalError> {
    let mut r = csv::Reader::from_path(path).map_err(|e| read_err(path, e))?;
    let headers = r.headers().map_err(|e| read_err(path, e))?.clone();
    let want = ["kind", "source", "record_id", "mention", "entity"];
    if headers.iter().collect::<Vec<_>>() != want {
        return Err(EvalError::Format {
            path: path.display().to_string(),
            line: 1,
            message: format!("header must be {}", want.join(",")),
        });
    }
    let mut out = Labels::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| read_err(path, e))?;
        let f = |i: usize| rec.get(i).unwrap_or_default().to_string();
        out.insert((f(0), f(1), f(2), f(3)), f(4));
    }
    Ok(out)
}

/// The simulator's truth with addresses labelled at `level` (None: the
/// finest each mention names), the way our export labels them.
pub fn truth_labels(dir: &Path, level: Option<&str>) -> Result<Labels, EvalError> {
    let mut labels = read_labels(&dir.join(crate::simulate::TRUTH_FILE))?;
    let Some(level) = level else {
        return Ok(labels);
    };
    let column = match level {
        "room" => 2,
        "building" => 3,
        "site" => 4,
        "community" => 5,
        other => return Err(EvalError::Level(other.to_string())),
    };
    let path = dir.join(crate::simulate::TRUTH_ADDRESSES_FILE);
    let mut r = csv::Reader::from_path(&path).map_err(|e| read_err(&path, e))?;
    // entity → (its level, its ancestor at the wanted level)
    let mut up: HashMap<String, (String, String)> = HashMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| read_err(&path, e))?;
        let get = |i: usize| rec.get(i).unwrap_or_default().to_string();
        up.insert(get(0), (get(1), get(column)));
    }
    let rank = |l: &str| match l {
        "district" => 0,
        "street" => 1,
        "community" => 2,
        "site" | "road" | "crossing" => 3,
        "building" => 4,
        "room" => 5,
        _ => 0,
    };
    for ((kind, ..), entity) in labels.iter_mut() {
        if kind != "address" {
            continue;
        }
        if let Some((own, ancestor)) = up.get(entity.as_str())
            && rank(own) > rank(level)
            && !ancestor.is_empty()
        {
            *entity = ancestor.clone();
        }
    }
    Ok(labels)
}

/// Keeps only the truth about records that were stored: a record the
/// quarantine holds cannot be resolved, and scoring it would measure the
/// simulator's malformed rows, not resolution.
pub fn restrict_to(truth: &mut Labels, stored: &std::collections::HashSet<(String, String)>) {
    truth.retain(|(_, source, record_id, _), _| {
        stored.contains(&(source.clone(), record_id.clone()))
    });
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct EvalReport {
    pub persons: Quality,
    pub addresses: Quality,
}

/// Scores `predicted` against `truth`, over the mentions of the truth.
pub fn evaluate(truth: &Labels, predicted: &Labels) -> EvalReport {
    let part = |kind: &str| {
        let t: HashMap<_, _> = truth
            .iter()
            .filter(|(k, _)| k.0 == kind)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let p: HashMap<_, _> = predicted
            .iter()
            .filter(|(k, _)| k.0 == kind)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        compare(&t, &p)
    };
    EvalReport {
        persons: part("person"),
        addresses: part("address"),
    }
}
