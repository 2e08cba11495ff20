//! 12345 work orders: the records, their versions, and how they are built
//! from the event plan.

use rand::Rng;

use super::catalog::{self, ORDER_CLOSED, ORDER_DONE, ORDER_VISITED};
use super::events::Draft;
use super::places::PlaceRef;
use super::revisions::{choose_revised, later_steps, time_in_step};
use super::seeds::{Rotation, choose_mask, pick_weighted, share};
use super::timeline::{DAY, Timeline};

/// How a malformed work order is broken (in the JSON feed and the CSV).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OrderFault {
    None,
    /// The `gdbh` key is missing: no usable record id.
    MissingId,
    /// `ldsj` is an impossible time such as `2026-13-45 25:61:00`.
    BadTime,
    /// `ldsj` is empty.
    EmptyTime,
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct OrderVersion {
    pub(super) gxsj: u32,
    pub(super) step: u16,
    /// Index into catalog::ORDER_STATUS.
    pub(super) status: u8,
    /// Index into catalog::RATINGS.
    pub(super) rating: u8,
}

#[derive(Clone, Debug)]
pub(super) struct Order {
    pub(super) person: u32,
    pub(super) place: PlaceRef,
    pub(super) call: u32,
    /// Sequence within the call day (the tail of gdbh).
    pub(super) seq: u32,
    pub(super) cat: u8,
    /// The planted case the order belongs to, or cases::NO_CASE.
    pub(super) case: u32,
    pub(super) fault: OrderFault,
    /// The content field of this row carries bytes that are not valid in
    /// the CSV export's encoding.
    pub(super) csv_broken: bool,
    pub(super) n_versions: u8,
    pub(super) versions: [OrderVersion; 4],
}

impl Order {
    pub(super) fn versions(&self) -> &[OrderVersion] {
        &self.versions[..self.n_versions as usize]
    }

    /// The latest version released up to `step`.
    pub(super) fn current(&self, step: u16) -> Option<(usize, &OrderVersion)> {
        self.versions()
            .iter()
            .enumerate()
            .rev()
            .find(|(_, v)| v.step <= step)
    }

    /// When the order was closed, as of version `v`.
    pub(super) fn closed_at(&self, v: usize) -> Option<u32> {
        self.versions()[..=v]
            .iter()
            .find(|x| x.status >= ORDER_DONE)
            .map(|x| x.gxsj)
    }

    pub(super) fn deadline(&self) -> u32 {
        self.call + catalog::HOTLINE[self.cat as usize].deadline_days * DAY
    }
}

/// Share of well-formed work orders whose content is broken in the CSV
/// export only, relative to malformed_rate.
pub(super) const CSV_BROKEN_SHARE: f64 = 0.5;

pub(super) fn build<R: Rng + ?Sized>(
    rng: &mut R,
    mut drafts: Vec<Draft>,
    tl: &Timeline,
    revision_rate: f64,
    malformed_rate: f64,
) -> Vec<Order> {
    drafts.sort_by_key(|d| d.t);
    let n = drafts.len();
    let faulty = choose_mask(rng, n, share(n, malformed_rate));
    let broken = choose_mask(rng, n, share(n, malformed_rate * CSV_BROKEN_SHARE));
    let last_step = tl.steps() - 1;
    let period_end = tl.period - 1;

    // First versions: registered within half an hour of the call.
    let first_gx: Vec<u32> = drafts
        .iter()
        .map(|d| (d.t + rng.random_range(60..1800)).min(period_end.max(d.t)))
        .collect();
    let eligible: Vec<bool> = (0..n)
        .map(|i| !faulty[i] && tl.step_of(first_gx[i]) < last_step)
        .collect();
    let revised = choose_revised(rng, &eligible, revision_rate);

    let mut fault_kinds = Rotation::new(rng, 3);
    let mut orders = Vec::with_capacity(n);
    let mut day = u32::MAX;
    let mut seq = 0;
    for (i, d) in drafts.into_iter().enumerate() {
        if d.t / DAY != day {
            day = d.t / DAY;
            seq = 0;
        }
        seq += 1;
        let fault = if faulty[i] {
            [
                OrderFault::MissingId,
                OrderFault::BadTime,
                OrderFault::EmptyTime,
            ][fault_kinds.next_kind()]
        } else {
            OrderFault::None
        };
        let mut versions = [OrderVersion::default(); 4];
        let mut nv = 1;
        let deadline_days = catalog::HOTLINE[d.cat as usize].deadline_days;
        if revised[i] {
            let s0 = tl.step_of(first_gx[i]);
            let status0 = if rng.random_bool(0.4) { 0 } else { 1 };
            versions[0] = OrderVersion {
                gxsj: first_gx[i],
                step: s0,
                status: status0,
                rating: 0,
            };
            let wanted = [1usize, 2, 3][pick_weighted(rng, &[50, 35, 15])];
            let steps = later_steps(rng, tl, s0, wanted);
            let k_last = steps.len();
            for (k, step) in steps.into_iter().enumerate() {
                let prev = versions[nv - 1];
                if prev.status >= ORDER_VISITED {
                    break;
                }
                let mut status = (prev.status + rng.random_range(1..=2)).min(ORDER_VISITED);
                if k + 1 == k_last && status < ORDER_DONE && rng.random_bool(0.7) {
                    status = ORDER_DONE + u8::from(rng.random_bool(0.5));
                }
                let gxsj = time_in_step(rng, tl, step, prev.gxsj);
                versions[nv] = OrderVersion {
                    gxsj,
                    step: tl.step_of(gxsj),
                    status,
                    rating: rating_for(rng, status),
                };
                nv += 1;
            }
        } else {
            let status = pick_weighted(rng, &[5, 15, 25, 30, 20, 5]) as u8;
            let delay = match status {
                0 => rng.random_range(60..1800),
                1 => rng.random_range(1800..6 * 3600),
                2 => rng.random_range(6 * 3600..3 * DAY),
                3 => rng.random_range(DAY..deadline_days.max(2) * DAY),
                4 => rng.random_range(deadline_days * DAY..(deadline_days + 3) * DAY),
                _ => rng.random_range(3600..2 * DAY),
            };
            let status = if faulty[i] {
                status.min(ORDER_CLOSED)
            } else {
                status
            };
            let gxsj = (d.t + delay).min(period_end.max(first_gx[i]));
            versions[0] = OrderVersion {
                gxsj,
                step: tl.step_of(gxsj),
                status,
                rating: rating_for(rng, status),
            };
        }
        orders.push(Order {
            person: d.person,
            place: d.place,
            call: d.t,
            seq,
            cat: d.cat,
            case: d.case,
            fault,
            csv_broken: broken[i] && !faulty[i],
            n_versions: nv as u8,
            versions,
        });
    }
    orders
}

fn rating_for<R: Rng + ?Sized>(rng: &mut R, status: u8) -> u8 {
    match status {
        ORDER_VISITED => 1 + pick_weighted(rng, &[70, 20, 10]) as u8,
        ORDER_DONE | ORDER_CLOSED => 4,
        _ => 0,
    }
}
