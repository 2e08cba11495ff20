//! 信访 cases: the records, their corrections, and which daily file holds
//! them.

use rand::Rng;
use std::collections::HashSet;

use super::catalog::{PETITION_DONE, PETITION_STATUS};
use super::events::PetitionDraft;
use super::places::PlaceRef;
use super::revisions::{choose_revised, later_steps, time_in_step};
use super::seeds::{Rotation, choose_mask, pick_weighted, share};
use super::timeline::{DAY, Timeline};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PetitionFault {
    None,
    /// The row has one column too few or too many: no usable record id.
    WrongColumns,
    /// `djrq` is an impossible date such as `2026/02/30`.
    BadDate,
}

pub(super) const NO_DAY: u16 = u16::MAX;

#[derive(Clone, Copy, Debug)]
pub(super) struct PetitionVersion {
    pub(super) step: u16,
    /// Index into catalog::PETITION_STATUS.
    pub(super) status: u8,
    /// 办结日期 as a day index, NO_DAY while open.
    pub(super) closed_day: u16,
}

impl Default for PetitionVersion {
    fn default() -> Self {
        PetitionVersion {
            step: 0,
            status: 0,
            closed_day: NO_DAY,
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Petition {
    pub(super) day: u16,
    pub(super) seq: u32,
    /// Listed petitioners (start, count) in SimCity::petition_persons.
    pub(super) persons: (u32, u8),
    pub(super) xfrs: u16,
    pub(super) zz: PlaceRef,
    pub(super) wtsd: PlaceRef,
    pub(super) cat: u8,
    pub(super) channel: u8,
    /// The planted case the petition belongs to, or cases::NO_CASE.
    pub(super) case: u32,
    pub(super) repeat: bool,
    pub(super) skip_level: bool,
    pub(super) fault: PetitionFault,
    pub(super) n_versions: u8,
    pub(super) versions: [PetitionVersion; 3],
}

impl Petition {
    pub(super) fn versions(&self) -> &[PetitionVersion] {
        &self.versions[..self.n_versions as usize]
    }

    pub(super) fn current(&self, step: u16) -> Option<&PetitionVersion> {
        self.versions().iter().rev().find(|v| v.step <= step)
    }
}

/// The step in which the file of `day` is first exported: at the end of
/// that day.
pub(super) fn file_step(tl: &Timeline, day: u32) -> u16 {
    tl.step_of((day + 1) * DAY - 1)
}

pub(super) fn build<R: Rng + ?Sized>(
    rng: &mut R,
    mut drafts: Vec<PetitionDraft>,
    persons: &[u32],
    tl: &Timeline,
    revision_rate: f64,
    malformed_rate: f64,
) -> (Vec<Petition>, Vec<u32>) {
    drafts.sort_by_key(|d| d.t);
    let n = drafts.len();
    let faulty = choose_mask(rng, n, share(n, malformed_rate));
    let last_step = tl.steps() - 1;
    let eligible: Vec<bool> = (0..n)
        .map(|i| !faulty[i] && file_step(tl, drafts[i].t / DAY) < last_step)
        .collect();
    let revised = choose_revised(rng, &eligible, revision_rate);
    let mut seen_petitioners: HashSet<u32> = HashSet::new();
    let mut out_persons = Vec::with_capacity(persons.len());

    let mut fault_kinds = Rotation::new(rng, 2);
    let mut petitions = Vec::with_capacity(n);
    let mut day = u32::MAX;
    let mut seq = 0;
    for (i, d) in drafts.into_iter().enumerate() {
        if d.t / DAY != day {
            day = d.t / DAY;
            seq = 0;
        }
        seq += 1;
        let fault = if faulty[i] {
            [PetitionFault::WrongColumns, PetitionFault::BadDate][fault_kinds.next_kind()]
        } else {
            PetitionFault::None
        };
        let listed = &persons[d.persons.0 as usize..(d.persons.0 + d.persons.1 as u32) as usize];
        let start = out_persons.len() as u32;
        out_persons.extend_from_slice(listed);
        // A repeat petition: the first petitioner has petitioned before.
        let repeat = !seen_petitioners.insert(listed[0]);
        let s0 = file_step(tl, day);
        let mut versions = [PetitionVersion::default(); 3];
        let mut nv = 1;
        if revised[i] {
            let status0 = pick_weighted(rng, &[40, 35, 10, 15]) as u8;
            versions[0] = PetitionVersion {
                step: s0,
                status: status0,
                closed_day: NO_DAY,
            };
            // A middle version is 办理中 (3); after a first version that already says so it
            // would change nothing a reader can see, so such a case goes straight to done.
            let wanted = if rng.random_bool(0.7) || status0 == 3 {
                1
            } else {
                2
            };
            let steps = later_steps(rng, tl, s0, wanted);
            let k_last = steps.len();
            let mut after = (day + 1) * DAY - 1;
            for (k, step) in steps.into_iter().enumerate() {
                let t = time_in_step(rng, tl, step, after);
                after = t;
                let (status, closed_day) = if k + 1 == k_last {
                    (PETITION_DONE, (t / DAY) as u16)
                } else {
                    (3, NO_DAY)
                };
                versions[nv] = PetitionVersion {
                    step: tl.step_of(t).max(step),
                    status,
                    closed_day,
                };
                nv += 1;
            }
        } else {
            let status = [0u8, 1, 2, 3, 5][pick_weighted(rng, &[25, 30, 15, 25, 5])];
            versions[0] = PetitionVersion {
                step: s0,
                status,
                closed_day: NO_DAY,
            };
        }
        petitions.push(Petition {
            day: day as u16,
            seq,
            persons: (start, d.persons.1),
            xfrs: d.xfrs.max(d.persons.1 as u16),
            zz: d.zz,
            wtsd: d.wtsd,
            cat: d.cat,
            channel: d.channel,
            case: d.case,
            repeat: repeat || rng.random_bool(0.03),
            skip_level: rng.random_bool(0.08),
            fault,
            n_versions: nv as u8,
            versions,
        });
    }
    debug_assert!(PETITION_STATUS.len() > PETITION_DONE as usize);
    (petitions, out_persons)
}
