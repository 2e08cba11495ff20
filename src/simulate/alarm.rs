//! 110 alarms: the records, their re-sent versions, and the append-only log
//! the cursor feed reads.

use rand::Rng;

use super::catalog;
use super::events::Draft;
use super::places::PlaceRef;
use super::revisions::{choose_revised, later_steps, time_in_step};
use super::seeds::{Rotation, choose_mask, share};
use super::timeline::{DAY, Timeline};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AlarmFault {
    None,
    /// `bjsj` is a word such as `昨天` instead of epoch milliseconds.
    TextTime,
    /// `jjdbh` is null: no usable record id.
    NullId,
}

/// `cjsj` not yet known.
pub(super) const NO_TIME: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
pub(super) struct AlarmVersion {
    pub(super) sent: u32,
    pub(super) step: u16,
    /// Index into catalog::OUTCOMES; 0 = null.
    pub(super) outcome: u8,
    pub(super) cjsj: u32,
}

impl Default for AlarmVersion {
    fn default() -> Self {
        AlarmVersion {
            sent: 0,
            step: 0,
            outcome: 0,
            cjsj: NO_TIME,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Alarm {
    pub(super) person: u32,
    pub(super) place: PlaceRef,
    pub(super) t: u32,
    pub(super) ms: u16,
    pub(super) seq: u32,
    pub(super) cat: u8,
    /// The planted case the alarm belongs to, or cases::NO_CASE.
    pub(super) case: u32,
    pub(super) fault: AlarmFault,
    pub(super) n_versions: u8,
    pub(super) versions: [AlarmVersion; 3],
}

impl Alarm {
    pub(super) fn versions(&self) -> &[AlarmVersion] {
        &self.versions[..self.n_versions as usize]
    }
}

/// One entry of the log: a version of an alarm as it was sent.
#[derive(Clone, Copy, Debug)]
pub(super) struct LogEntry {
    pub(super) alarm: u32,
    pub(super) version: u8,
}

pub(super) struct AlarmLog {
    pub(super) entries: Vec<LogEntry>,
    /// ends[s] = number of entries released up to and including step s.
    pub(super) ends: Vec<usize>,
}

pub(super) fn build<R: Rng + ?Sized>(
    rng: &mut R,
    mut drafts: Vec<Draft>,
    tl: &Timeline,
    revision_rate: f64,
    malformed_rate: f64,
) -> (Vec<Alarm>, AlarmLog) {
    drafts.sort_by_key(|d| d.t);
    let n = drafts.len();
    let faulty = choose_mask(rng, n, share(n, malformed_rate));
    let last_step = tl.steps() - 1;
    let first_sent: Vec<u32> = drafts
        .iter()
        .map(|d| d.t + rng.random_range(5..120))
        .collect();
    let eligible: Vec<bool> = (0..n)
        .map(|i| !faulty[i] && tl.step_of(first_sent[i]) < last_step)
        .collect();
    let revised = choose_revised(rng, &eligible, revision_rate);

    let mut fault_kinds = Rotation::new(rng, 2);
    let mut alarms = Vec::with_capacity(n);
    let mut day = u32::MAX;
    let mut seq = 0;
    for (i, d) in drafts.into_iter().enumerate() {
        if d.t / DAY != day {
            day = d.t / DAY;
            seq = 0;
        }
        seq += 1;
        let fault = if faulty[i] {
            [AlarmFault::TextTime, AlarmFault::NullId][fault_kinds.next_kind()]
        } else {
            AlarmFault::None
        };
        let usual = catalog::ALARM[d.cat as usize].outcome;
        let mut versions = [AlarmVersion::default(); 3];
        let mut nv = 1;
        if revised[i] {
            let s0 = tl.step_of(first_sent[i]);
            versions[0] = AlarmVersion {
                sent: first_sent[i],
                step: s0,
                outcome: 0,
                cjsj: NO_TIME,
            };
            let wanted = if rng.random_bool(0.75) { 1 } else { 2 };
            let o1 = outcome(rng, usual);
            for step in later_steps(rng, tl, s0, wanted) {
                let prev = versions[nv - 1];
                let sent = time_in_step(rng, tl, step, prev.sent);
                let (outcome, cjsj) = if nv == 1 {
                    let cjsj = (d.t + rng.random_range(600..3600)).min(sent - 1);
                    (o1, cjsj)
                } else {
                    // A later correction: handed over, or a case opened.
                    (if prev.outcome == 4 { 3 } else { 4 }, prev.cjsj)
                };
                versions[nv] = AlarmVersion {
                    sent,
                    step: tl.step_of(sent),
                    outcome,
                    cjsj,
                };
                nv += 1;
            }
        } else if rng.random_bool(0.75) {
            // Dispatched before the first export.
            let cjsj = d.t + rng.random_range(600..3600);
            let sent = cjsj + rng.random_range(60..1800);
            versions[0] = AlarmVersion {
                sent,
                step: tl.step_of(sent),
                outcome: outcome(rng, usual),
                cjsj,
            };
        } else {
            versions[0] = AlarmVersion {
                sent: first_sent[i],
                step: tl.step_of(first_sent[i]),
                outcome: 0,
                cjsj: NO_TIME,
            };
        }
        alarms.push(Alarm {
            person: d.person,
            place: d.place,
            t: d.t,
            ms: rng.random_range(0..1000),
            seq,
            cat: d.cat,
            case: d.case,
            fault,
            n_versions: nv as u8,
            versions,
        });
    }

    // The log: versions in the order they were sent. Release steps follow
    // send times, so the entries of each step form one contiguous run.
    let mut entries: Vec<(u32, LogEntry)> = alarms
        .iter()
        .enumerate()
        .flat_map(|(a, al)| {
            al.versions().iter().enumerate().map(move |(v, x)| {
                (
                    x.sent,
                    LogEntry {
                        alarm: a as u32,
                        version: v as u8,
                    },
                )
            })
        })
        .collect();
    entries.sort_by_key(|(sent, e)| (*sent, e.alarm, e.version));
    let steps_of: Vec<u16> = entries
        .iter()
        .map(|(_, e)| alarms[e.alarm as usize].versions[e.version as usize].step)
        .collect();
    let ends = (0..tl.steps())
        .map(|s| steps_of.partition_point(|x| *x <= s))
        .collect();
    let entries = entries.into_iter().map(|(_, e)| e).collect();
    (alarms, AlarmLog { entries, ends })
}

/// Mostly the category's usual outcome, sometimes another, 5 % 无效警情.
fn outcome<R: Rng + ?Sized>(rng: &mut R, usual: u8) -> u8 {
    if rng.random_bool(0.05) {
        5
    } else if rng.random_bool(0.8) {
        usual
    } else {
        rng.random_range(1..5)
    }
}
