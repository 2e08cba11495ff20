//! What to simulate: sizes, period, release steps, noise rates, dialect.

use chrono::NaiveDate;

/// Which deployment's shapes the feeds are rendered in. See the module
/// documentation for every field name and format of each dialect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// The shapes of feeds.md.
    #[default]
    Reference,
    /// The same city as another deployment exports it: renamed hotline fields,
    /// other time formats, a UTF-8 CSV, RFC 3339 alarm times, other petition
    /// headers.
    SecondCity,
}

/// The parameters of a simulated county. Same spec, same bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct SimSpec {
    pub seed: u64,
    /// Population that generates the events (children included).
    pub persons: usize,
    /// Distinct work orders (gdbh), malformed ones included.
    pub hotline_orders: usize,
    /// Distinct alarms (jjdbh), malformed ones included.
    pub alarms: usize,
    /// Distinct petition cases (xfjbh), malformed ones included.
    pub petitions: usize,
    /// First day of the simulated period.
    pub start: NaiveDate,
    /// Length of the period; petition files: one per day.
    pub days: u32,
    /// The timeline is cut into this many release steps (at least 1).
    pub steps: u32,
    /// Share of orders/alarms/petitions that get later revisions.
    pub revision_rate: f64,
    /// Share of malformed rows per source.
    pub malformed_rate: f64,
    pub dialect: Dialect,
}

impl SimSpec {
    /// The default first day: 2026-11-01.
    pub fn default_start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date")
    }

    /// About 2,000 records in all over 30 days, 4 release steps.
    pub fn small(seed: u64) -> Self {
        Self::with_records(seed, 2_000)
    }

    /// `total` records split about 50 % hotline, 35 % alarms, 15 % petitions,
    /// with about total/4 persons; 30 days, 4 steps, default rates.
    pub fn with_records(seed: u64, total: usize) -> Self {
        let hotline_orders = total / 2;
        let alarms = total * 35 / 100;
        let petitions = total - hotline_orders - alarms;
        SimSpec {
            seed,
            persons: (total / 4).max(50),
            hotline_orders,
            alarms,
            petitions,
            start: Self::default_start(),
            days: 30,
            steps: 4,
            revision_rate: 0.3,
            malformed_rate: 0.01,
            dialect: Dialect::Reference,
        }
    }

    /// The same spec rendered in another dialect.
    pub fn with_dialect(mut self, dialect: Dialect) -> Self {
        self.dialect = dialect;
        self
    }
}
