//! Hub settings, layered: built-in defaults < `hub.toml` < `HUB_*` environment variables <
//! command-line flags. Each layer only names what it changes.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULT_CONFIG_FILE: &str = "hub.toml";

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `sqlite://hub.db` (a file, created on first use) or `postgres://user:pass@host/db`.
    pub database_url: String,
    /// Where `hub serve` and `hub demo` listen for GraphQL.
    pub listen: SocketAddr,
    /// Folder of connector TOML files, one per feed.
    pub connectors_dir: PathBuf,
    pub resolve: ResolveSettings,
    pub analysis: AnalysisSettings,
    /// Scheduled situation reports (`[[reports]]`), run by `hub serve`.
    pub reports: Vec<ReportJob>,
}

/// One scheduled report: which period, when, in which formats, to where.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportJob {
    /// Names the job in `hub report list`.
    pub name: String,
    pub period: crate::report::Period,
    /// When to run, in `zone`: five fields (minute hour day month weekday)
    /// or six with seconds first. Each run reports the last complete
    /// period: a daily job at 07:00 reports yesterday.
    pub cron: String,
    #[serde(default = "default_report_zone")]
    pub zone: chrono_tz::Tz,
    pub formats: Vec<crate::report::Format>,
    /// Folder the files are written to.
    pub out_dir: Option<PathBuf>,
    /// URL each file is POSTed to.
    pub webhook: Option<String>,
}

fn default_report_zone() -> chrono_tz::Tz {
    chrono_tz::Asia::Shanghai
}

impl ReportJob {
    pub fn schedule(&self) -> Result<croner::Cron, String> {
        croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Optional)
            .build()
            .parse(&self.cron)
            .map_err(|e| e.to_string())
    }
}

/// How situation analysis and the reports read the data (`[analysis]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalysisSettings {
    /// The jurisdiction named in report titles.
    pub county: String,
    /// Longest span of an escalation chain, and the look-back of the
    /// reports' warning sections, in days.
    pub escalation_days: i64,
    /// Weeks before the last seven days that make a hotspot's baseline.
    pub hotspot_baseline: u32,
    /// Events in 30 days that make a person a frequent contact.
    pub repeat_min_events: usize,
    /// Which common categories are one kind of dispute
    /// (`[[analysis.themes]] name = "..." categories = ["..."]`).
    pub themes: crate::analysis::Themes,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        AnalysisSettings {
            county: "淇滨区".into(),
            escalation_days: 30,
            hotspot_baseline: 4,
            repeat_min_events: 4,
            themes: crate::analysis::Themes::default(),
        }
    }
}

/// What entity resolution needs to know about the county it runs in.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResolveSettings {
    /// Telephone area code for landlines written without one (鹤壁: 0392).
    pub area_code: String,
    /// Division code of the county's city (鹤壁市: 4106): short place names
    /// are read inside it first.
    pub home_city: String,
    /// The county's own list of street offices and communities (CSV
    /// `code,level,name,parent`), on top of the national division data.
    pub gazetteer: Option<PathBuf>,
    /// Link two person mentions when the log2 odds reach this.
    pub threshold: f64,
    /// Entities per transaction when links of mentions stored without one
    /// are written at start (after the first sync of a city, all of them):
    /// fewer hold less in memory at once.
    pub write_part: usize,
}

impl Default for ResolveSettings {
    fn default() -> Self {
        ResolveSettings {
            area_code: "0392".into(),
            home_city: "4106".into(),
            gazetteer: None,
            threshold: 0.0,
            write_part: 5_000,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://hub.db".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            connectors_dir: PathBuf::from("connectors"),
            resolve: ResolveSettings::default(),
            analysis: AnalysisSettings::default(),
            reports: Vec::new(),
        }
    }
}

/// The `hub.toml` file as written; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLayer {
    database_url: Option<String>,
    listen: Option<String>,
    connectors_dir: Option<PathBuf>,
    resolve: Option<ResolveSettings>,
    analysis: Option<AnalysisSettings>,
    reports: Option<Vec<ReportJob>>,
}

/// Values given on the command line; they win over everything else.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub connectors_dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error(
        "{origin}: `{value}` is not a valid listen address (expected host:port such as 127.0.0.1:8080)"
    )]
    Listen { origin: String, value: String },
    #[error(
        "{origin}: `{value}` is not a database URL (expected sqlite://FILE or postgres://USER:PASSWORD@HOST/DB)"
    )]
    DatabaseUrl { origin: String, value: String },
}

impl Settings {
    /// Builds the settings from all layers. `env` is the process environment in production and a
    /// map in tests, so the layering is testable without touching global state.
    pub fn load(
        overrides: &Overrides,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let mut settings = Settings::default();
        let (file, required) = match &overrides.config_file {
            Some(path) => (path.clone(), true),
            None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        if required || file.exists() {
            let layer = read_file_layer(&file)?;
            let where_ = |key: &str| format!("config file {}: key `{key}`", file.display());
            if let Some(url) = layer.database_url {
                settings.database_url = check_url(url, where_("database_url"))?;
            }
            if let Some(listen) = layer.listen {
                settings.listen = parse_listen(&listen, where_("listen"))?;
            }
            if let Some(dir) = layer.connectors_dir {
                settings.connectors_dir = dir;
            }
            if let Some(resolve) = layer.resolve {
                settings.resolve = resolve;
            }
            if let Some(analysis) = layer.analysis {
                settings.analysis = analysis;
            }
            if let Some(jobs) = layer.reports {
                for (i, job) in jobs.iter().enumerate() {
                    if let Err(e) = job.schedule() {
                        return Err(ConfigError::Parse {
                            path: file.clone(),
                            message: format!(
                                "key `reports[{i}].cron` of job {:?}: `{}` is not a cron expression ({e}); expected e.g. \"0 7 * * *\"",
                                job.name, job.cron
                            ),
                        });
                    }
                    if job.out_dir.is_none() && job.webhook.is_none() {
                        return Err(ConfigError::Parse {
                            path: file.clone(),
                            message: format!(
                                "job {:?} (`reports[{i}]`) needs `out_dir` or `webhook`",
                                job.name
                            ),
                        });
                    }
                }
                settings.reports = jobs;
            }
        }

        if let Some(url) = env("HUB_DATABASE_URL") {
            settings.database_url = check_url(url, "environment variable HUB_DATABASE_URL".into())?;
        }
        if let Some(listen) = env("HUB_LISTEN") {
            settings.listen = parse_listen(&listen, "environment variable HUB_LISTEN".into())?;
        }
        if let Some(dir) = env("HUB_CONNECTORS_DIR") {
            settings.connectors_dir = PathBuf::from(dir);
        }
        if let Some(path) = env("HUB_GAZETTEER") {
            settings.resolve.gazetteer = Some(PathBuf::from(path));
        }

        if let Some(url) = &overrides.database_url {
            settings.database_url = check_url(url.clone(), "flag --database-url".into())?;
        }
        if let Some(listen) = &overrides.listen {
            settings.listen = parse_listen(listen, "flag --listen".into())?;
        }
        if let Some(dir) = &overrides.connectors_dir {
            settings.connectors_dir = dir.clone();
        }
        Ok(settings)
    }
}

fn read_file_layer(path: &Path) -> Result<FileLayer, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn parse_listen(value: &str, origin: String) -> Result<SocketAddr, ConfigError> {
    value.parse().map_err(|_| ConfigError::Listen {
        origin,
        value: value.to_string(),
    })
}

fn check_url(value: String, origin: String) -> Result<String, ConfigError> {
    let known = ["sqlite://", "postgres://", "postgresql://"];
    if known.iter().any(|p| value.starts_with(p)) {
        Ok(value)
    } else {
        Err(ConfigError::DatabaseUrl { origin, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hub.toml");
        std::fs::write(
            &file,
            "database_url = \"sqlite://from-file.db\"\nlisten = \"127.0.0.1:9000\"\nconnectors_dir = \"file-conn\"\n",
        )
        .unwrap();
        let overrides = Overrides {
            config_file: Some(file),
            listen: Some("127.0.0.1:9100".into()),
            ..Default::default()
        };
        let s = Settings::load(
            &overrides,
            env(&[
                ("HUB_CONNECTORS_DIR", "env-conn"),
                ("HUB_LISTEN", "127.0.0.1:9050"),
            ]),
        )
        .unwrap();
        assert_eq!(s.database_url, "sqlite://from-file.db");
        assert_eq!(s.listen.port(), 9100, "the flag wins over env and file");
        assert_eq!(
            s.connectors_dir,
            PathBuf::from("env-conn"),
            "env wins over file"
        );
    }

    #[test]
    fn defaults_without_any_layer() {
        let s = Settings::load(
            &Overrides {
                config_file: None,
                ..Default::default()
            },
            env(&[]),
        );
        // hub.toml may exist in the working directory of a developer; only check when it does not.
        if !Path::new(DEFAULT_CONFIG_FILE).exists() {
            assert_eq!(s.unwrap(), Settings::default());
        }
    }

    #[test]
    fn bad_file_names_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hub.toml");
        std::fs::write(&file, "listen = 8080\n").unwrap();
        let err = Settings::load(
            &Overrides {
                config_file: Some(file.clone()),
                ..Default::default()
            },
            env(&[]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains(&file.display().to_string()), "{err}");
        assert!(err.contains("listen"), "{err}");
        assert!(
            err.contains("expected a string") || err.contains("invalid type"),
            "{err}"
        );

        std::fs::write(&file, "databse_url = \"sqlite://x.db\"\n").unwrap();
        let err = Settings::load(
            &Overrides {
                config_file: Some(file),
                ..Default::default()
            },
            env(&[]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `databse_url`"), "{err}");
    }

    #[test]
    fn report_jobs_and_analysis_settings_load_and_bad_ones_name_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hub.toml");
        let load = |text: &str| {
            std::fs::write(&file, text).unwrap();
            Settings::load(
                &Overrides {
                    config_file: Some(file.clone()),
                    ..Default::default()
                },
                env(&[]),
            )
        };
        let s = load(
            r#"
[analysis]
county = "山城区"
escalation_days = 45

[[analysis.themes]]
name = "欠薪"
categories = ["劳动社保>拖欠工资"]

[[reports]]
name = "morning"
period = "daily"
cron = "0 7 * * *"
formats = ["html", "xlsx"]
out_dir = "reports"

[[reports]]
name = "weekly"
period = "weekly"
cron = "0 0 8 * * Mon"
zone = "Asia/Urumqi"
formats = ["json"]
webhook = "http://127.0.0.1:9/x"
"#,
        )
        .unwrap();
        assert_eq!(s.analysis.county, "山城区");
        assert_eq!(s.analysis.escalation_days, 45);
        assert_eq!(
            s.analysis.hotspot_baseline, 4,
            "unset keys keep their default"
        );
        assert_eq!(s.analysis.themes.0.len(), 1);
        assert_eq!(s.reports.len(), 2);
        assert_eq!(s.reports[0].zone, chrono_tz::Asia::Shanghai);
        assert_eq!(s.reports[1].zone, chrono_tz::Asia::Urumqi);
        assert_eq!(s.reports[1].formats, vec![crate::report::Format::Json]);

        let bad_cron = load(
            "[[reports]]\nname = \"x\"\nperiod = \"daily\"\ncron = \"every morning\"\nformats = [\"html\"]\nout_dir = \"r\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(bad_cron.contains(&file.display().to_string()), "{bad_cron}");
        assert!(bad_cron.contains("reports[0].cron"), "{bad_cron}");
        assert!(bad_cron.contains("every morning"), "{bad_cron}");
        let nowhere = load(
            "[[reports]]\nname = \"x\"\nperiod = \"daily\"\ncron = \"0 7 * * *\"\nformats = [\"html\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            nowhere.contains("out_dir") && nowhere.contains("webhook"),
            "{nowhere}"
        );
        let bad_format = load(
            "[[reports]]\nname = \"x\"\nperiod = \"daily\"\ncron = \"0 7 * * *\"\nformats = [\"pdf\"]\nout_dir = \"r\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(bad_format.contains("pdf"), "{bad_format}");
    }

    #[test]
    fn bad_env_values_say_where_they_came_from() {
        let err = Settings::load(&Overrides::default(), env(&[("HUB_LISTEN", "localhost")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("HUB_LISTEN") && err.contains("localhost"),
            "{err}"
        );
        let err = Settings::load(
            &Overrides::default(),
            env(&[("HUB_DATABASE_URL", "mysql://x")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("HUB_DATABASE_URL"), "{err}");
    }
}
