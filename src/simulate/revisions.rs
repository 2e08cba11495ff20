//! Placing later versions of a record in later release steps.

use rand::Rng;

use super::timeline::Timeline;

/// Chooses up to `wanted` distinct steps after `first`, ascending.
pub(super) fn later_steps<R: Rng + ?Sized>(
    rng: &mut R,
    tl: &Timeline,
    first: u16,
    wanted: usize,
) -> Vec<u16> {
    let last = tl.steps() - 1;
    let mut avail: Vec<u16> = (first + 1..=last).collect();
    let mut out = Vec::new();
    while out.len() < wanted && !avail.is_empty() {
        out.push(avail.remove(rng.random_range(0..avail.len())));
    }
    out.sort_unstable();
    out
}

/// A time inside a step's window, after `after`.
pub(super) fn time_in_step<R: Rng + ?Sized>(
    rng: &mut R,
    tl: &Timeline,
    step: u16,
    after: u32,
) -> u32 {
    let (lo, hi) = tl.window(step);
    let lo = lo.max(after.saturating_add(1));
    if lo >= hi {
        lo
    } else {
        rng.random_range(lo..hi)
    }
}

/// Which of `n` records get revisions: exactly `rate` of all records when
/// enough of them can still be revised (a record released in the last step
/// cannot), chosen among those that can.
pub(super) fn choose_revised<R: Rng + ?Sized>(
    rng: &mut R,
    eligible: &[bool],
    rate: f64,
) -> Vec<bool> {
    let n = eligible.len();
    let want = super::seeds::share(n, rate);
    let idx: Vec<usize> = (0..n).filter(|i| eligible[*i]).collect();
    let mask = super::seeds::choose_mask(rng, idx.len(), want);
    let mut out = vec![false; n];
    for (k, i) in idx.iter().enumerate() {
        if mask[k] {
            out[*i] = true;
        }
    }
    out
}
