//! Seed derivation and small sampling helpers.
//!
//! Every random choice comes from a `ChaCha8Rng` whose seed is derived from the
//! spec seed plus a stream tag (and, for per-record rendering, the record index).
//! Deriving instead of sharing one generator lets the server render any single
//! record on demand, in any order, and still produce the same bytes.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The independent random streams. Their numbers are part of the output
/// contract: changing one changes the generated city for every seed.
#[derive(Clone, Copy, Debug)]
pub(super) enum Stream {
    Places = 1,
    Population = 2,
    Events = 3,
    HotlineBuild = 4,
    AlarmBuild = 5,
    PetitionBuild = 6,
    HotlinePerson = 10,
    HotlineAddress = 11,
    HotlineText = 12,
    AlarmPerson = 13,
    AlarmAddress = 14,
    AlarmText = 15,
    PetitionPerson = 16,
    PetitionAddress = 17,
    PetitionText = 18,
    PetitionFileKind = 19,
}

/// SplitMix64 finaliser: a cheap, well-mixed bijection on u64.
pub(super) fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

pub(super) fn mix(a: u64, b: u64) -> u64 {
    splitmix64(a ^ splitmix64(b.wrapping_add(0x5851_F42D_4C95_7F2D)))
}

/// A generator for one stream of one seed.
pub(super) fn stream_rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed, stream as u64))
}

/// A generator for one record of one stream: rendering record `idx` needs no
/// other record's draws.
pub(super) fn record_rng(seed: u64, stream: Stream, idx: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(mix(seed, stream as u64), idx))
}

/// Picks an index with probability proportional to `weights` (small tables).
pub(super) fn pick_weighted<R: Rng + ?Sized>(rng: &mut R, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= *w;
    }
    weights.len() - 1
}

/// Picks one element of a non-empty slice.
pub(super) fn pick<'a, T, R: Rng + ?Sized>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Cumulative weights for sampling from large populations in O(log n).
pub(super) struct Cumulative {
    cum: Vec<f64>,
}

impl Cumulative {
    pub(super) fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        let cum = weights
            .into_iter()
            .map(|w| {
                acc += w.max(0.0);
                acc
            })
            .collect();
        Cumulative { cum }
    }

    /// The weight of element `i`.
    pub(super) fn weight(&self, i: usize) -> f64 {
        self.cum[i] - if i == 0 { 0.0 } else { self.cum[i - 1] }
    }

    pub(super) fn total(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.cum.last().is_none_or(|t| *t <= 0.0)
    }

    pub(super) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let total = *self.cum.last().expect("sampling from an empty population");
        let x = rng.random::<f64>() * total;
        self.cum
            .partition_point(|c| *c <= x)
            .min(self.cum.len() - 1)
    }
}

/// Rounds `n * rate` to a count, with at least one when the rate is positive
/// and the population is large enough for one to be expected in a sample of
/// a hundred (so small demo cities still show every kind of fault).
pub(super) fn share(n: usize, rate: f64) -> usize {
    if rate <= 0.0 || n == 0 {
        return 0;
    }
    let c = (n as f64 * rate).round() as usize;
    if c == 0 && n >= 100 { 1 } else { c.min(n) }
}

/// Hands out the kinds of a source's malformed rows in turn from a random
/// first one, so every kind shows once there are as many malformed rows as
/// kinds: drawing each independently left small cities without some kind
/// now and then.
pub(super) struct Rotation {
    next: usize,
    len: usize,
}

impl Rotation {
    pub(super) fn new<R: Rng + ?Sized>(rng: &mut R, len: usize) -> Self {
        Rotation {
            next: rng.random_range(0..len),
            len,
        }
    }

    pub(super) fn next_kind(&mut self) -> usize {
        let k = self.next;
        self.next = (k + 1) % self.len;
        k
    }
}

/// Chooses `k` distinct indices out of `0..n`, returned as a membership mask.
pub(super) fn choose_mask<R: Rng + ?Sized>(rng: &mut R, n: usize, k: usize) -> Vec<bool> {
    let mut mask = vec![false; n];
    let k = k.min(n);
    if k * 2 > n {
        // Dense: shuffle-free selection by counting down.
        let mut need = k;
        for (i, m) in mask.iter_mut().enumerate() {
            let left = n - i;
            if rng.random_range(0..left) < need {
                *m = true;
                need -= 1;
            }
        }
    } else {
        let mut chosen = 0;
        while chosen < k {
            let i = rng.random_range(0..n);
            if !mask[i] {
                mask[i] = true;
                chosen += 1;
            }
        }
    }
    mask
}
