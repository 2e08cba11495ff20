//! A feed is one connector file in `connectors/`: which kind of connector fetches it (transport)
//! and how its raw fields map onto the unified model (mapping). Onboarding a city is writing
//! such files; no code changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::connectors::config::{
    ConnectorKind, CursorConfig, FilesConfig, HttpConfig, PagedConfig, RetryConfig, TransportConfig,
};
use crate::connectors::env_subst::substitute_toml;
use crate::domain::{AddressField, Satisfaction, Source, taxonomy};
use crate::ingest::mapping_config::{
    CategoriesConfig, FieldSpec, FieldsConfig, MappingConfig, PersonFields, PersonsListConfig,
    StatusesConfig,
};
use crate::time_format::TimeSpec;

/// A connector file exactly as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedFile {
    /// Unique connector name; the file stem when absent.
    name: Option<String>,
    /// Another connector file (relative to this one) whose `[statuses]`, `[satisfaction]` and
    /// `[categories]` this feed shares when it does not give its own: two exports of one system
    /// then map the same state to the same event. Applied to the TOML document before this
    /// struct is read, so the field itself is only validated here.
    #[serde(rename = "vocabulary_from")]
    _vocabulary_from: Option<PathBuf>,
    source: Source,
    kind: ConnectorKind,
    #[serde(default = "yes")]
    enabled: bool,
    /// How often `hub sync --follow` polls this feed.
    #[serde(
        default = "default_poll",
        with = "crate::connectors::config::humantime_serde_compat"
    )]
    poll_every: Duration,
    http: Option<HttpConfig>,
    paged: Option<PagedConfig>,
    cursor: Option<CursorConfig>,
    files: Option<FilesConfig>,
    #[serde(default)]
    retry: RetryConfig,
    #[serde(default)]
    time: TimeSpec,
    fields: FieldsConfig,
    #[serde(default)]
    persons: Vec<PersonFields>,
    persons_list: Option<PersonsListConfig>,
    #[serde(default)]
    addresses: BTreeMap<AddressField, FieldSpec>,
    #[serde(default)]
    detail: BTreeMap<String, FieldSpec>,
    #[serde(default)]
    categories: CategoriesConfig,
    #[serde(default)]
    statuses: StatusesConfig,
    #[serde(default)]
    satisfaction: BTreeMap<String, Satisfaction>,
}

fn yes() -> bool {
    true
}
fn default_poll() -> Duration {
    Duration::from_secs(60)
}

/// Looks up an environment variable (the process's, or a map in tests and the demo).
pub type Env<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// A loaded, checked feed definition.
#[derive(Debug, Clone)]
pub struct Feed {
    pub name: String,
    pub file: PathBuf,
    pub source: Source,
    pub enabled: bool,
    pub poll_every: Duration,
    pub transport: TransportConfig,
    pub mapping: MappingConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("cannot read connector folder {dir}: {source}")]
    Dir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read connector file {file}: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("connector file {file}: {message}")]
    Invalid { file: PathBuf, message: String },
    #[error("connector file {file}: key `{key}`: {message}")]
    Env {
        file: PathBuf,
        key: String,
        message: String,
    },
    #[error("connector name `{name}` is used by both {first} and {second}")]
    DuplicateName {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
}

/// A feed that could not be loaded, kept so `hub sync` and `hub status` can report it by name
/// while the other feeds run.
#[derive(Debug)]
pub struct BrokenFeed {
    pub name: String,
    pub error: FeedError,
}

/// Every `*.toml` file of a folder (not recursive), sorted by name.
pub fn load_dir(
    dir: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(Vec<Feed>, Vec<BrokenFeed>), FeedError> {
    let files = toml_files(dir)?;
    let mut feeds: Vec<Feed> = Vec::new();
    let mut broken = Vec::new();
    for file in files {
        match load_file(&file, env) {
            Ok(feed) => {
                if let Some(other) = feeds.iter().find(|f| f.name == feed.name) {
                    return Err(FeedError::DuplicateName {
                        name: feed.name,
                        first: other.file.clone(),
                        second: file,
                    });
                }
                feeds.push(feed)
            }
            // A missing secret disables one feed; a malformed file is a mistake to fix first.
            Err(error @ FeedError::Env { .. }) => broken.push(BrokenFeed {
                name: stem(&file),
                error,
            }),
            Err(other) => return Err(other),
        }
    }
    Ok((feeds, broken))
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn load_file(file: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Feed, FeedError> {
    load(file, Some(env))
}

/// Every feed of a folder for its mapping alone (quarantine replay): `${VAR}`s are left as
/// written, so a feed whose secrets are not in this shell still re-maps its rows.
pub fn load_dir_mappings(dir: &Path) -> Result<Vec<Feed>, FeedError> {
    let mut feeds = Vec::new();
    for file in toml_files(dir)? {
        feeds.push(load(&file, None)?);
    }
    Ok(feeds)
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, FeedError> {
    let entries = std::fs::read_dir(dir).map_err(|source| FeedError::Dir {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn load(file: &Path, env: Option<&Env<'_>>) -> Result<Feed, FeedError> {
    let text = std::fs::read_to_string(file).map_err(|source| FeedError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    let invalid = |message: String| FeedError::Invalid {
        file: file.to_path_buf(),
        message,
    };
    // Parse the shape first so a typo is reported even when a variable is missing.
    let mut doc: toml::Value = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    FeedFile::deserialize(doc.clone()).map_err(|e| invalid(e.to_string()))?;
    if let Some(base) = doc
        .get("vocabulary_from")
        .and_then(|v| v.as_str())
        .map(PathBuf::from)
    {
        let base = file.parent().unwrap_or(Path::new(".")).join(base);
        let base_text = std::fs::read_to_string(&base).map_err(|e| {
            invalid(format!(
                "key `vocabulary_from`: cannot read {}: {e}",
                base.display()
            ))
        })?;
        let base_doc: toml::Value = toml::from_str(&base_text)
            .map_err(|e| invalid(format!("key `vocabulary_from`: {}: {e}", base.display())))?;
        let table = doc.as_table_mut().expect("a TOML document is a table");
        for section in ["statuses", "satisfaction", "categories"] {
            if let Some(v) = base_doc.get(section)
                && !table.contains_key(section)
            {
                table.insert(section.to_string(), v.clone());
            }
        }
    }
    let enabled = doc.get("enabled").and_then(|v| v.as_bool()).unwrap_or(true);
    if let Some(env) = env.filter(|_| enabled) {
        substitute_toml(&mut doc, env, &mut Vec::new()).map_err(|(key, e)| FeedError::Env {
            file: file.to_path_buf(),
            key,
            message: e.to_string(),
        })?;
    }
    let raw = FeedFile::deserialize(doc).map_err(|e| invalid(e.to_string()))?;
    let name = raw.name.clone().unwrap_or_else(|| stem(file));
    check(&raw).map_err(invalid)?;
    // The update-time field the paged connector walks is usually `[fields] updated_at`; it
    // must read it with the same formats the mapping does.
    let since_formats = match (&raw.paged, &raw.fields.updated_at) {
        (Some(p), Some(spec)) if spec.paths() == [p.since_field.as_str()] => {
            spec.formats().map(<[String]>::to_vec)
        }
        _ => None,
    };
    Ok(Feed {
        file: file.to_path_buf(),
        source: raw.source,
        enabled: raw.enabled,
        poll_every: raw.poll_every,
        transport: TransportConfig {
            name: name.clone(),
            kind: raw.kind,
            http: raw.http,
            paged: raw.paged,
            cursor: raw.cursor,
            files: raw.files,
            retry: raw.retry,
            time: raw.time.clone(),
            since_formats,
        },
        mapping: MappingConfig {
            source: raw.source,
            time: raw.time,
            fields: raw.fields,
            persons: raw.persons,
            persons_list: raw.persons_list,
            addresses: raw.addresses,
            detail: raw.detail,
            categories: raw.categories,
            statuses: raw.statuses,
            satisfaction: raw.satisfaction,
        },
        name,
    })
}

/// Sections a kind cannot work without, named the way the file spells them, and category
/// targets that must be in the common taxonomy.
fn check(raw: &FeedFile) -> Result<(), String> {
    let targets = raw
        .categories
        .map
        .iter()
        .map(|(k, v)| (format!("categories.map.\"{k}\""), v));
    for (key, path) in targets.chain([("categories.default".to_string(), &raw.categories.default)])
    {
        if !taxonomy::is_known(path) {
            return Err(format!(
                "key `{key}`: `{path}` is not a path of the common taxonomy (see src/domain/taxonomy.rs)"
            ));
        }
    }
    let need = |present: bool, section: &str| {
        if present {
            Ok(())
        } else {
            Err(format!("kind `{:?}` needs a [{section}] section", raw.kind).to_lowercase())
        }
    };
    match raw.kind {
        ConnectorKind::HttpPaged => {
            need(raw.http.is_some(), "http")?;
            need(raw.paged.is_some(), "paged")
        }
        ConnectorKind::HttpCursor => {
            need(raw.http.is_some(), "http")?;
            need(raw.cursor.is_some(), "cursor")
        }
        ConnectorKind::FileDrop => {
            let files = raw
                .files
                .as_ref()
                .ok_or("kind file_drop needs a [files] section")?;
            if files.dir.is_none() || files.patterns.is_empty() {
                return Err("kind file_drop needs `files.dir` and `files.patterns`".into());
            }
            Ok(())
        }
        ConnectorKind::CsvFile => {
            let files = raw
                .files
                .as_ref()
                .ok_or("kind csv_file needs a [files] section")?;
            if files.path.is_none() {
                return Err("kind csv_file needs `files.path`".into());
            }
            Ok(())
        }
    }
}
