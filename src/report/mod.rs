//! The situation report (社会治安形势分析报告): `build` loads one frame of
//! stored events, `sections` runs the analyses of `crate::analysis` over it,
//! and `build` names what they found; `html`, `xlsx` and `tables` render
//! it; `jobs` produces reports by hand and runs the scheduled exports of
//! `hub.toml`.

pub mod build;
mod html;
pub mod jobs;
pub mod model;
pub mod period;
mod sections;
mod tables;
mod xlsx;

use std::str::FromStr;

pub use crate::config::AnalysisSettings;
pub use build::build;
pub use model::SituationReport;
pub use period::Period;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Xlsx,
    Json,
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Xlsx, Format::Json, Format::Csv];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == s)
            .ok_or_else(|| format!("unknown report format {s:?}: expected html, xlsx, json or csv"))
    }
}

/// The report in one format, as bytes.
pub fn render(report: &SituationReport, format: Format) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Html => html::render(report).into_bytes(),
        Format::Xlsx => xlsx::render(report)?,
        Format::Json => serde_json::to_vec_pretty(report)?,
        Format::Csv => tables::csv(report)?,
    })
}

/// The file name of a report: `situation-daily-2026-12-01.html`.
pub fn file_name(report: &SituationReport, format: Format) -> String {
    format!(
        "situation-{}-{}.{}",
        report.period.as_str(),
        report.first_day,
        format.extension()
    )
}
