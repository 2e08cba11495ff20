//! One raw record through a feed's mapping into an `EventRecord`, or the reason it cannot be.
//! Everything a clerk would need to fix the row (which field, what value, what was expected)
//! goes into the reason.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::mapping_config::{DetailKind, FieldSpec, MappingConfig, PersonPart};
use crate::domain::{AddressMention, EventRecord, Lifecycle, PersonMention};
use crate::json_path;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct MapError {
    /// The record id when it could be read, so the quarantine can be searched by it.
    pub record_id: Option<String>,
    pub reason: String,
}

pub fn map_record(
    config: &MappingConfig,
    raw: &Map<String, Value>,
) -> Result<EventRecord, MapError> {
    let root = RawView(raw);
    let f = &config.fields;
    let record_id = root.text(&f.record_id);
    let fail = |reason: String| MapError {
        record_id: record_id.clone(),
        reason,
    };
    let Some(id) = record_id.clone() else {
        return Err(fail(format!(
            "missing record id (field `{}`)",
            f.record_id.describe()
        )));
    };
    let time = |spec: &FieldSpec,
                required: bool|
     -> Result<Option<chrono::NaiveDateTime>, MapError> {
        match root.value(spec) {
            None if required => Err(fail(format!("missing time (field `{}`)", spec.describe()))),
            None => Ok(None),
            Some(v) => config
                .time
                .parse(&v, spec.formats())
                .map(Some)
                .map_err(|e| fail(format!("field `{}`: {e}", spec.describe()))),
        }
    };
    let optional_time = |spec: &Option<FieldSpec>| match spec {
        Some(s) => time(s, false),
        None => Ok(None),
    };
    let occurred_at = time(&f.occurred_at, true)?.expect("required time is present");
    let number = |spec: &Option<FieldSpec>| -> Result<Option<f64>, MapError> {
        let Some(spec) = spec else { return Ok(None) };
        match root.value(spec).as_deref() {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(v) => {
                let t = json_path::text(v).unwrap_or_default();
                t.parse::<f64>().map(Some).map_err(|_| {
                    fail(format!(
                        "field `{}`: `{t}` is not a number",
                        spec.describe()
                    ))
                })
            }
        }
    };
    let text = |spec: &Option<FieldSpec>| spec.as_ref().and_then(|s| root.text(s));

    let category_raw = text(&f.category).map(|c| normalise_path(&c, &config.categories.separator));
    let category = category_raw
        .as_deref()
        .map(|raw| common_category(config, raw))
        .unwrap_or_else(|| config.categories.default.clone());

    let status_raw = text(&f.status);
    let status = match &status_raw {
        None => config.statuses.when_empty.unwrap_or(Lifecycle::Unknown),
        // Without a vocabulary the raw status is all there is.
        Some(_) if config.statuses.map.is_empty() => Lifecycle::Unknown,
        // A value outside the vocabulary is a new status or a shifted column; either way a
        // person must look, and a replay after adding it to [statuses.map] stores the row.
        Some(s) => *config.statuses.map.get(s).ok_or_else(|| {
            fail(format!(
                "field `{}`: status `{s}` is not in [statuses.map] (known: {})",
                f.status
                    .as_ref()
                    .map(FieldSpec::describe)
                    .unwrap_or_default(),
                config
                    .statuses
                    .map
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            ))
        })?,
    };
    let satisfaction = match text(&f.satisfaction) {
        None => None,
        Some(s) => Some(*config.satisfaction.get(&s).ok_or_else(|| {
            fail(format!(
                "field `{}`: satisfaction `{s}` is not in [satisfaction] (known: {})",
                f.satisfaction
                    .as_ref()
                    .map(FieldSpec::describe)
                    .unwrap_or_default(),
                config
                    .satisfaction
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            ))
        })?),
    };
    let petitioners = match number(&f.petitioners)? {
        Some(n) if n >= 0.0 && n.fract() == 0.0 => Some(n as i64),
        Some(n) => {
            return Err(fail(format!(
                "petitioner count `{n}` is not a whole number"
            )));
        }
        None => None,
    };
    let longitude = number(&f.longitude)?;
    let latitude = number(&f.latitude)?;
    for (value, name, limit) in [
        (longitude, "longitude", 180.0),
        (latitude, "latitude", 90.0),
    ] {
        if value.is_some_and(|v| !(-limit..=limit).contains(&v)) {
            return Err(fail(format!(
                "{name} {} is out of range",
                value.unwrap_or_default()
            )));
        }
    }

    let mut detail = Map::new();
    for (key, spec) in &config.detail {
        let Some(v) = root.value(spec) else { continue };
        let value = match spec.kind() {
            DetailKind::Text => json_path::text(&v).map(Value::String),
            DetailKind::Number => match number(&Some(spec.clone()))? {
                Some(n) => serde_json::Number::from_f64(n).map(Value::Number),
                None => None,
            },
            DetailKind::Time => time(spec, false)?
                .map(|t| Value::String(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())),
        };
        if let Some(value) = value {
            detail.insert(key.clone(), value);
        }
    }

    Ok(EventRecord {
        source: config.source,
        record_id: id,
        occurred_at,
        source_updated_at: optional_time(&f.updated_at)?,
        event_type: text(&f.event_type),
        category,
        category_raw,
        content: text(&f.content),
        unit: text(&f.unit),
        status,
        status_raw,
        deadline: optional_time(&f.deadline)?,
        closed_at: optional_time(&f.closed_at)?,
        satisfaction,
        longitude,
        latitude,
        petitioners,
        detail,
        persons: persons(config, &root),
        addresses: config
            .addresses
            .iter()
            .filter_map(|(field, spec)| {
                root.text(spec).map(|text| AddressMention {
                    field: *field,
                    text,
                })
            })
            .collect(),
    })
}

fn persons(config: &MappingConfig, root: &RawView) -> Vec<PersonMention> {
    let mut out = Vec::new();
    for p in &config.persons {
        let get = |s: &Option<FieldSpec>| s.as_ref().and_then(|s| root.text(s));
        out.push(PersonMention {
            position: out.len() as i64,
            name: get(&p.name),
            phone: get(&p.phone),
            id_number: get(&p.id_number),
        });
    }
    if let Some(list) = &config.persons_list
        && let Some(packed) = root.text(&list.field)
    {
        for entry in packed.split(list.separator.as_str()) {
            if entry.trim().is_empty() {
                continue;
            }
            let mut m = PersonMention {
                position: out.len() as i64,
                name: None,
                phone: None,
                id_number: None,
            };
            for (part, value) in list
                .parts
                .iter()
                .zip(entry.split(list.part_separator.as_str()))
            {
                let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
                match part {
                    PersonPart::Name => m.name = value,
                    PersonPart::IdNumber => m.id_number = value,
                    PersonPart::Phone => m.phone = value,
                }
            }
            out.push(m);
        }
    }
    // A record with an empty caller still names nobody; keep positions dense over real persons
    // only where the source packs several (position is the source's own order for petitions).
    if config.persons_list.is_none() {
        out.retain(|m| !m.is_empty());
    }
    out
}

/// Raw category in `>`-joined form, whatever the feed separates levels with. Several source
/// fields (110 类别 + 细类) arrive already joined by `>`.
fn normalise_path(raw: &str, separator: &str) -> String {
    raw.split(separator)
        .flat_map(|part| part.split('>'))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(">")
}

/// The common path of the longest configured raw prefix (whole levels only).
fn common_category(config: &MappingConfig, raw: &str) -> String {
    let levels: Vec<&str> = raw.split('>').collect();
    for n in (1..=levels.len()).rev() {
        if let Some(common) = config.categories.map.get(&levels[..n].join(">")) {
            return common.clone();
        }
    }
    config.categories.default.clone()
}

/// Field access over one raw record.
struct RawView<'a>(&'a Map<String, Value>);

impl<'a> RawView<'a> {
    fn get(&self, path: &str) -> Option<&'a Value> {
        json_path::field(self.0, path)
    }

    /// The value of a spec; several paths are joined as text. Null and blank count as absent.
    /// A single path's value is borrowed from the record: a record's fields are read once
    /// each, and reading them, copies included, was about an eighth of mapping's time.
    fn value(&self, spec: &FieldSpec) -> Option<Cow<'a, Value>> {
        let paths = spec.paths();
        if let [path] = paths {
            let v = self.get(path)?;
            return match v {
                Value::Null => None,
                Value::String(s) if s.trim().is_empty() => None,
                other => Some(Cow::Borrowed(other)),
            };
        }
        let parts: Vec<String> = paths
            .iter()
            .filter_map(|p| self.get(p).and_then(json_path::text))
            .collect();
        (!parts.is_empty()).then(|| Cow::Owned(Value::String(parts.join(spec.join()))))
    }

    fn text(&self, spec: &FieldSpec) -> Option<String> {
        self.value(spec).as_deref().and_then(json_path::text)
    }
}
