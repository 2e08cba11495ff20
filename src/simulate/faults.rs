//! Fault injection for the HTTP feeds.

use rand::Rng;
use std::time::Duration;

/// Per-request fault probabilities. Each request draws once from the
/// server's own seeded generator; at most one fault applies.
#[derive(Clone, Debug, PartialEq)]
pub struct Faults {
    /// HTTP 500 with a plain-text body.
    pub error_500: f64,
    /// HTTP 429 with `Retry-After: {retry_after_secs}`.
    pub too_many_429: f64,
    /// The answer is right but comes after `slow_delay`.
    pub slow: f64,
    /// HTTP 200 whose JSON body is cut in the middle.
    pub truncated: f64,
    /// Hotline: HTTP 200 with `{"code":503,"msg":"系统繁忙"}`. The alarm feed
    /// has no code field; there it is HTTP 503 with `{"error":"系统繁忙"}`.
    pub code_nonzero: f64,
    pub slow_delay: Duration,
    pub retry_after_secs: u64,
}

impl Faults {
    pub fn none() -> Self {
        Faults::total(0.0)
    }

    /// `rate` spread evenly over the five kinds.
    pub fn total(rate: f64) -> Self {
        let each = rate.clamp(0.0, 1.0) / 5.0;
        Faults {
            error_500: each,
            too_many_429: each,
            slow: each,
            truncated: each,
            code_nonzero: each,
            slow_delay: Duration::from_millis(300),
            retry_after_secs: 1,
        }
    }

    pub(super) fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Fault {
        let u = rng.random::<f64>();
        let kinds = [
            (self.error_500, Fault::Error500),
            (self.too_many_429, Fault::TooMany),
            (self.slow, Fault::Slow),
            (self.truncated, Fault::Truncated),
            (self.code_nonzero, Fault::CodeNonzero),
        ];
        let mut acc = 0.0;
        for (p, f) in kinds {
            acc += p.max(0.0);
            if u < acc {
                return f;
            }
        }
        Fault::None
    }
}

impl Default for Faults {
    fn default() -> Self {
        Faults::none()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fault {
    None,
    Error500,
    TooMany,
    Slow,
    Truncated,
    CodeNonzero,
}
