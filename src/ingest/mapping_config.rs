//! How a feed's raw fields map onto the unified model: the `[time]`, `[fields]`, `[[persons]]`,
//! `[persons_list]`, `[addresses]`, `[detail]`, `[categories]`, `[statuses]` and
//! `[satisfaction]` sections of a connector file.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::{AddressField, Lifecycle, Satisfaction, Source};
use crate::time_format::TimeSpec;

#[derive(Debug, Clone)]
pub struct MappingConfig {
    pub source: Source,
    pub time: TimeSpec,
    pub fields: FieldsConfig,
    pub persons: Vec<PersonFields>,
    pub persons_list: Option<PersonsListConfig>,
    pub addresses: BTreeMap<AddressField, FieldSpec>,
    pub detail: BTreeMap<String, FieldSpec>,
    pub categories: CategoriesConfig,
    pub statuses: StatusesConfig,
    pub satisfaction: BTreeMap<String, Satisfaction>,
}

/// Where a value comes from: a dotted path (`jqlb.mc`), several paths joined (`["jqlb.mc", "jqxl"]`
/// gives `纠纷>家庭纠纷`), or a table with a per-field time format.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FieldSpec {
    Path(String),
    Paths(Vec<String>),
    Detailed(DetailedField),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailedField {
    pub field: OneOrMany,
    /// For time fields: formats that override `[time] formats` for this field.
    pub formats: Option<Vec<String>>,
    /// What joins several paths; `>` by default.
    pub join: Option<String>,
    /// For `[detail]` entries: `time` converts the value to a UTC timestamp, `text` keeps it.
    #[serde(default)]
    pub kind: DetailKind,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DetailKind {
    #[default]
    Text,
    Time,
    Number,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl FieldSpec {
    pub fn paths(&self) -> &[String] {
        match self {
            FieldSpec::Path(p) => std::slice::from_ref(p),
            FieldSpec::Paths(ps) => ps,
            FieldSpec::Detailed(d) => match &d.field {
                OneOrMany::One(p) => std::slice::from_ref(p),
                OneOrMany::Many(ps) => ps,
            },
        }
    }

    pub fn formats(&self) -> Option<&[String]> {
        match self {
            FieldSpec::Detailed(d) => d.formats.as_deref(),
            _ => None,
        }
    }

    pub fn join(&self) -> &str {
        match self {
            FieldSpec::Detailed(DetailedField { join: Some(j), .. }) => j,
            _ => ">",
        }
    }

    pub fn kind(&self) -> DetailKind {
        match self {
            FieldSpec::Detailed(d) => d.kind,
            _ => DetailKind::Text,
        }
    }

    /// The field name shown in quarantine reasons.
    pub fn describe(&self) -> String {
        self.paths().join("+")
    }
}

/// The common core. `record_id` and `occurred_at` are required; a row without them is quarantined.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldsConfig {
    pub record_id: FieldSpec,
    pub occurred_at: FieldSpec,
    pub updated_at: Option<FieldSpec>,
    pub event_type: Option<FieldSpec>,
    pub category: Option<FieldSpec>,
    pub content: Option<FieldSpec>,
    pub unit: Option<FieldSpec>,
    pub status: Option<FieldSpec>,
    pub deadline: Option<FieldSpec>,
    pub closed_at: Option<FieldSpec>,
    pub satisfaction: Option<FieldSpec>,
    pub longitude: Option<FieldSpec>,
    pub latitude: Option<FieldSpec>,
    pub petitioners: Option<FieldSpec>,
}

/// One person whose parts sit in separate fields (hotline caller, alarm reporter).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFields {
    pub name: Option<FieldSpec>,
    pub phone: Option<FieldSpec>,
    pub id_number: Option<FieldSpec>,
}

/// Several persons packed in one field (信访人: `李娜|4106...|139...;王强||136...`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonsListConfig {
    pub field: FieldSpec,
    #[serde(default = "default_person_separator")]
    pub separator: String,
    #[serde(default = "default_part_separator")]
    pub part_separator: String,
    /// The order of the parts: any of `name`, `id_number`, `phone`.
    pub parts: Vec<PersonPart>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PersonPart {
    Name,
    IdNumber,
    Phone,
}

fn default_person_separator() -> String {
    ";".into()
}
fn default_part_separator() -> String {
    "|".into()
}

/// Raw category paths onto the common taxonomy: the longest matching raw prefix wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoriesConfig {
    /// What separates levels in the raw path (`>` in the reference feeds).
    #[serde(default = "default_level_separator")]
    pub separator: String,
    /// Common path for raw paths no prefix matches.
    #[serde(default = "default_category")]
    pub default: String,
    /// Raw prefix (levels joined by `>`) → common path.
    #[serde(default)]
    pub map: BTreeMap<String, String>,
}

impl Default for CategoriesConfig {
    fn default() -> Self {
        CategoriesConfig {
            separator: default_level_separator(),
            default: default_category(),
            map: BTreeMap::new(),
        }
    }
}

fn default_level_separator() -> String {
    ">".into()
}
fn default_category() -> String {
    "其他".into()
}

/// Raw status text onto the common lifecycle.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusesConfig {
    /// Lifecycle when the status field is empty or null (an alarm without 处警结果 is still open).
    pub when_empty: Option<Lifecycle>,
    #[serde(default)]
    pub map: BTreeMap<String, Lifecycle>,
}
