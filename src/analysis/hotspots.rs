//! Hotspots: places whose event count in a span of days rises well above
//! their own baseline.
//!
//! Method: a one-sided Poisson test per place. The baseline rate λ is the
//! mean count of the place over the `baseline` spans of the same length
//! just before the span — those of them the data covers: a span that
//! begins before the frame's first event day would count as quiet and
//! make every busy place a hotspot in the first weeks of the data; with no
//! covered span there is no test. λ is floored at `min_rate` so a place that was quiet
//! (or not yet known) does not turn every small cluster into a warning. A
//! place is a hotspot when its count k is at least `min_events`, at least
//! `min_ratio` × λ, and P(X ≥ k | λ) < `max_p`. Counts include every
//! source; the place is the event's area at the chosen level (incident
//! address first, the home address only when there is no other).

use std::collections::HashMap;

use super::calendar::DaySpan;
use super::frame::{Frame, Ix, Level};

#[derive(Clone, Debug)]
pub struct HotspotParams {
    pub span: DaySpan,
    pub level: Level,
    /// Spans of the same length before `span` that make the baseline.
    pub baseline: u32,
    pub min_events: u32,
    pub min_ratio: f64,
    pub min_rate: f64,
    pub max_p: f64,
}

impl HotspotParams {
    /// A week against the four before it.
    pub fn weekly(span: DaySpan, level: Level) -> HotspotParams {
        HotspotParams {
            span,
            level,
            baseline: 4,
            min_events: 6,
            min_ratio: 3.0,
            min_rate: 1.0,
            max_p: 1e-4,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Hotspot {
    pub place: i64,
    pub level: Level,
    pub count: u32,
    /// Mean count per span over the covered baseline spans (before the floor).
    pub baseline: f64,
    /// P(X ≥ count) under the floored baseline rate.
    pub p_value: f64,
    /// Event ids in the span, newest first.
    pub events: Vec<i64>,
}

/// P(X ≥ k) for X ~ Poisson(λ), summed in log space so large k and λ stay
/// finite.
pub fn poisson_upper_tail(k: u32, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    // 1 - P(X ≤ k-1); for k far above λ sum the upper terms directly.
    let ln_l = lambda.ln();
    let ln_term = |i: u32| -> f64 { i as f64 * ln_l - lambda - ln_factorial(i) };
    if (k as f64) > lambda {
        let mut sum = 0.0;
        let mut i = k;
        loop {
            let t = ln_term(i).exp();
            sum += t;
            if t < sum * 1e-16 || i > k + 10_000 {
                break;
            }
            i += 1;
        }
        sum.min(1.0)
    } else {
        let below: f64 = (0..k).map(|i| ln_term(i).exp()).sum();
        (1.0 - below).max(0.0)
    }
}

fn ln_factorial(n: u32) -> f64 {
    (2..=n).map(|i| (i as f64).ln()).sum()
}

/// The baseline spans the frame's data covers, counted back from the span.
pub fn covered_spans(frame: &Frame, params: &HotspotParams) -> u32 {
    let Some(first) = frame.events.iter().map(|e| e.day).min() else {
        return 0;
    };
    (1..=params.baseline)
        .take_while(|k| params.span.back(*k as i64).first >= first)
        .count() as u32
}

pub fn hotspots(frame: &Frame, params: &HotspotParams) -> Vec<Hotspot> {
    let mut current: HashMap<i64, Vec<Ix>> = HashMap::new();
    let mut before: HashMap<i64, u32> = HashMap::new();
    let spans = covered_spans(frame, params);
    if spans == 0 {
        return Vec::new();
    }
    let base_start = params.span.back(spans as i64).start_utc();
    let start = params.span.start_utc();
    let end = params.span.end_utc();
    for (i, e) in frame.events.iter().enumerate() {
        if e.at < base_start || e.at >= end {
            continue;
        }
        let Some(place) = e.area(params.level) else {
            continue;
        };
        if e.at >= start {
            current.entry(place).or_default().push(i as Ix);
        } else {
            *before.entry(place).or_default() += 1;
        }
    }
    let mut out: Vec<Hotspot> = current
        .into_iter()
        .filter_map(|(place, ixs)| {
            let count = ixs.len() as u32;
            if count < params.min_events {
                return None;
            }
            let baseline = *before.get(&place).unwrap_or(&0) as f64 / spans as f64;
            let rate = baseline.max(params.min_rate);
            if (count as f64) < params.min_ratio * rate {
                return None;
            }
            let p_value = poisson_upper_tail(count, rate);
            (p_value < params.max_p).then(|| Hotspot {
                place,
                level: params.level,
                count,
                baseline,
                p_value,
                events: frame.ids_newest_first(ixs),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.p_value
            .total_cmp(&b.p_value)
            .then(b.count.cmp(&a.count))
            .then(a.place.cmp(&b.place))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tail_matches_known_values() {
        // P(X >= 6 | 1) = 1 - sum_{i<6} e^-1 / i!
        assert!((poisson_upper_tail(6, 1.0) - 0.000_594_2).abs() < 1e-6);
        assert!((poisson_upper_tail(1, 2.0) - (1.0 - (-2.0f64).exp())).abs() < 1e-12);
        assert_eq!(poisson_upper_tail(0, 3.0), 1.0);
        let far = poisson_upper_tail(400, 100.0);
        assert!(far > 0.0 && far < 1e-60, "{far}");
        let near = poisson_upper_tail(100, 100.0);
        assert!((near - 0.513).abs() < 0.01, "{near}");
    }
}
