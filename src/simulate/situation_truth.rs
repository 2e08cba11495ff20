//! The truth about planted situations: which records make up each planted
//! case, and where and when hotspots and clusters are, so the analysis'
//! detectors can be scored for recall and precision.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

use super::alarm::AlarmFault;
use super::cases::{self, CaseKind, NO_CASE};
use super::city::SimCity;
use super::files::write_atomically;
use super::hotline::OrderFault;
use super::petition::PetitionFault;

/// Members of planted cases: `kind,case,source,record_id`.
pub const TRUTH_SITUATIONS_FILE: &str = "truth_situations.csv";
/// Where and when hotspots and clusters are: `kind,case,place,week`.
pub const TRUTH_SITUATION_PLACES_FILE: &str = "truth_situation_places.csv";

/// A petition with at least this many petitioners (信访人数) is collective.
pub const COLLECTIVE_XFRS: u16 = 5;

/// One planted case as the truth files describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SituationCase {
    /// `escalation`, `repeat_caller`, `collective_petition`, `hotspot` or
    /// `collective_cluster`.
    pub kind: String,
    /// A label unique within the city: `E0003`, `H0001`.
    pub case: String,
    /// (source, record id): `hotline` gdbh, `alarm` jjdbh, `petition` xfjbh.
    pub members: Vec<(String, String)>,
    /// The truth place (as in truth_addresses.csv) of a hotspot or cluster.
    pub place: Option<String>,
    /// The Monday of a hotspot's week.
    pub week: Option<NaiveDate>,
}

impl SimCity {
    /// Writes `truth_situations.csv` and `truth_situation_places.csv`; see
    /// [`SimCity::write_truth`].
    pub(super) fn write_situation_truth(&self, dir: &Path) -> std::io::Result<()> {
        let labels = cases::labels(&self.cases);
        let mut members: Vec<Vec<(&str, String)>> = vec![Vec::new(); self.cases.len()];
        for (i, o) in self.orders.iter().enumerate() {
            if o.case != NO_CASE && o.fault != OrderFault::MissingId {
                members[o.case as usize].push(("hotline", self.gdbh(i)));
            }
        }
        for (i, a) in self.alarms.iter().enumerate() {
            if a.case != NO_CASE && a.fault != AlarmFault::NullId {
                members[a.case as usize].push(("alarm", self.jjdbh(i)));
            }
        }
        // Collective petitions the plan did not set out to make still are
        // collective: they get labels after the planted ones.
        let mut next_collective = self
            .cases
            .iter()
            .filter(|c| c.kind == CaseKind::CollectivePetition)
            .count();
        let mut unplanned: Vec<(String, String)> = Vec::new();
        for (i, p) in self.petitions.iter().enumerate() {
            if p.fault == PetitionFault::WrongColumns {
                continue;
            }
            let planted = self.cases.get(p.case as usize).map(|c| c.kind);
            if p.case != NO_CASE {
                members[p.case as usize].push(("petition", self.xfjbh(i)));
            }
            if p.xfrs >= COLLECTIVE_XFRS && planted != Some(CaseKind::CollectivePetition) {
                next_collective += 1;
                unplanned.push((format!("C{next_collective:04}"), self.xfjbh(i)));
            }
        }
        write_atomically(&dir.join(TRUTH_SITUATIONS_FILE), |f| {
            let mut w = csv::Writer::from_writer(f);
            w.write_record(["kind", "case", "source", "record_id"])?;
            for ((c, label), records) in self.cases.iter().zip(&labels).zip(&members) {
                for (source, id) in records {
                    w.write_record([c.kind.name(), label, source, id])?;
                }
            }
            for (label, id) in &unplanned {
                w.write_record([CaseKind::CollectivePetition.name(), label, "petition", id])?;
            }
            w.flush()
        })?;
        write_atomically(&dir.join(TRUTH_SITUATION_PLACES_FILE), |f| {
            let mut w = csv::Writer::from_writer(f);
            w.write_record(["kind", "case", "place", "week"])?;
            for (c, label) in self.cases.iter().zip(&labels) {
                let Some(place) = c.place else {
                    continue;
                };
                let week = c.week.map(|d| self.tl.fmt_day(d, '-')).unwrap_or_default();
                w.write_record([c.kind.name(), label, &self.places.entity_id(place), &week])?;
            }
            w.flush()
        })
    }
}

fn invalid(path: &Path, line: u64, message: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{} line {line}: {message}", path.display()),
    )
}

/// Reads a CSV with the given header into its records' fields.
fn read_rows(path: &Path, header: &[&str]) -> std::io::Result<Vec<Vec<String>>> {
    let mut r = csv::Reader::from_path(path).map_err(std::io::Error::other)?;
    let found = r.headers().map_err(std::io::Error::other)?.clone();
    if found.iter().collect::<Vec<_>>() != header {
        return Err(invalid(
            path,
            1,
            format!("header must be {}", header.join(",")),
        ));
    }
    r.records()
        .map(|rec| {
            let rec = rec.map_err(std::io::Error::other)?;
            Ok(rec.iter().map(str::to_string).collect())
        })
        .collect()
}

/// Reads the planted cases of a truth directory written by
/// [`SimCity::write_truth`], in the order the files list them.
pub fn read_situation_truth(dir: &Path) -> std::io::Result<Vec<SituationCase>> {
    let mut cases: Vec<SituationCase> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut case_of = |kind: &str, label: &str, cases: &mut Vec<SituationCase>| {
        *index.entry(label.to_string()).or_insert_with(|| {
            cases.push(SituationCase {
                kind: kind.to_string(),
                case: label.to_string(),
                members: Vec::new(),
                place: None,
                week: None,
            });
            cases.len() - 1
        })
    };
    let path = dir.join(TRUTH_SITUATIONS_FILE);
    for row in read_rows(&path, &["kind", "case", "source", "record_id"])? {
        let i = case_of(&row[0], &row[1], &mut cases);
        cases[i].members.push((row[2].clone(), row[3].clone()));
    }
    let path = dir.join(TRUTH_SITUATION_PLACES_FILE);
    for (n, row) in read_rows(&path, &["kind", "case", "place", "week"])?
        .into_iter()
        .enumerate()
    {
        let i = case_of(&row[0], &row[1], &mut cases);
        let week = match row[3].as_str() {
            "" => None,
            w => Some(
                NaiveDate::parse_from_str(w, "%Y-%m-%d")
                    .map_err(|e| invalid(&path, n as u64 + 2, e))?,
            ),
        };
        cases[i].place = Some(row[2].clone()).filter(|p| !p.is_empty());
        cases[i].week = week;
    }
    Ok(cases)
}
