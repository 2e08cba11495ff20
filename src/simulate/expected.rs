//! What the feeds contain at a step, for checking that nothing was lost or
//! duplicated.

use serde::Serialize;
use std::collections::BTreeSet;

use super::alarm::AlarmFault;
use super::city::SimCity;
use super::hotline::OrderFault;
use super::petition::{PetitionFault, file_step};

/// Counts for one source at one step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SourceCounts {
    /// Distinct record ids among well-formed rows.
    pub records: usize,
    /// Malformed rows (each malformed record is one row and never revised).
    pub malformed: usize,
    /// Versions after the first released up to the step (work orders,
    /// alarms) or corrections applied to petition rows.
    pub revisions: usize,
    /// Rows the consumer reads at this step: current items of the hotline
    /// feed with no updated_after, log entries of the alarm feed, data rows
    /// across all petition files, data rows of the CSV export.
    pub rows: usize,
}

/// What the feeds contain up to and including a step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Expected {
    pub step: u32,
    /// The paged JSON feed.
    pub hotline: SourceCounts,
    /// The CSV export: as `hotline`, except that rows with undecodable
    /// bytes count as malformed.
    pub hotline_csv: SourceCounts,
    pub alarm: SourceCounts,
    pub petition: SourceCounts,
    /// Petition files released.
    pub petition_files: usize,
    /// Petition file exports released, first exports and re-exports.
    pub petition_file_exports: usize,
}

impl SimCity {
    pub fn expected(&self, step: u32) -> Expected {
        let s = self.clamp_step(step);
        let mut e = Expected {
            step: s as u32,
            ..Expected::default()
        };
        for o in &self.orders {
            let Some((v, _)) = o.current(s) else { continue };
            e.hotline.rows += 1;
            e.hotline_csv.rows += 1;
            if o.fault == OrderFault::None {
                e.hotline.records += 1;
                e.hotline.revisions += v;
                if o.csv_broken {
                    e.hotline_csv.malformed += 1;
                } else {
                    e.hotline_csv.records += 1;
                    e.hotline_csv.revisions += v;
                }
            } else {
                e.hotline.malformed += 1;
                e.hotline_csv.malformed += 1;
            }
        }
        for entry in &self.alarm_log.entries[..self.alarm_log.ends[s as usize]] {
            e.alarm.rows += 1;
            let a = &self.alarms[entry.alarm as usize];
            if a.fault != AlarmFault::None {
                e.alarm.malformed += 1;
            } else if entry.version == 0 {
                e.alarm.records += 1;
            } else {
                e.alarm.revisions += 1;
            }
        }
        for day in 0..self.tl.days {
            let fs = file_step(&self.tl, day);
            if fs > s {
                continue;
            }
            e.petition_files += 1;
            let mut exports = BTreeSet::new();
            exports.insert(fs);
            for i in self.petitions_of_day(day) {
                let p = &self.petitions[i];
                let mut current = 0;
                for (k, v) in p.versions().iter().enumerate() {
                    if v.step <= s {
                        exports.insert(v.step);
                        current = k;
                    }
                }
                e.petition.rows += 1;
                if p.fault == PetitionFault::None {
                    e.petition.records += 1;
                    e.petition.revisions += current;
                } else {
                    e.petition.malformed += 1;
                }
            }
            e.petition_file_exports += exports.len();
        }
        e
    }
}
