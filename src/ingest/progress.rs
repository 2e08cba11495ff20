//! Progress of a sync: bars on a terminal, structured log lines otherwise.

use std::io::IsTerminal;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::store::BatchOutcome;

#[derive(Clone)]
pub enum Progress {
    Bars(MultiProgress),
    Log,
    Quiet,
}

impl Progress {
    /// Bars when stderr is a terminal, log lines when it is not (CI, services, pipes).
    pub fn auto() -> Progress {
        if std::io::stderr().is_terminal() {
            Progress::Bars(MultiProgress::new())
        } else {
            Progress::Log
        }
    }

    pub fn connector(&self, name: &str) -> ConnectorProgress {
        match self {
            Progress::Bars(multi) => {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(
                    ProgressStyle::with_template(
                        "{spinner} {prefix:<16} {pos:>9} records {per_sec:>12}  {msg}",
                    )
                    .expect("template is valid"),
                );
                bar.set_prefix(name.to_string());
                bar.enable_steady_tick(std::time::Duration::from_millis(200));
                ConnectorProgress {
                    name: name.to_string(),
                    bar: Some(bar),
                    log: false,
                }
            }
            Progress::Log => ConnectorProgress {
                name: name.to_string(),
                bar: None,
                log: true,
            },
            Progress::Quiet => ConnectorProgress {
                name: name.to_string(),
                bar: None,
                log: false,
            },
        }
    }
}

pub struct ConnectorProgress {
    name: String,
    bar: Option<ProgressBar>,
    log: bool,
}

impl ConnectorProgress {
    pub fn batch(&self, fetched: i64, outcome: &BatchOutcome, behind: Option<i64>) {
        if let Some(bar) = &self.bar {
            bar.inc(fetched as u64);
            if let Some(b) = behind {
                bar.set_message(format!("{b} behind"));
            }
        }
        if self.log {
            tracing::info!(
                connector = %self.name,
                fetched,
                inserted = outcome.inserted,
                updated = outcome.updated,
                unchanged = outcome.unchanged,
                quarantined = outcome.quarantined,
                behind,
                "batch committed"
            );
        }
    }

    pub fn finish(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.finish_with_message(message);
        }
    }
}
