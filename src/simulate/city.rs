//! The generated county: places, people and the records of the three
//! systems, in compact typed form. Text is rendered on demand.

use std::sync::OnceLock;
use std::time::Instant;

use super::alarm::{self, Alarm, AlarmLog};
use super::cases::PlantedCase;
use super::events;
use super::feed_items::FeedItems;
use super::hotline::{self, Order};
use super::petition::{self, Petition};
use super::places::Places;
use super::population::{MEAN_HOUSEHOLD, Population, URBAN_SHARE};
use super::seeds::{Stream, stream_rng};
use super::spec::SimSpec;
use super::timeline::Timeline;

/// A generated county with the ground truth of who and where every record
/// is. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct SimCity {
    pub(super) spec: SimSpec,
    pub(super) tl: Timeline,
    pub(super) places: Places,
    pub(super) pop: Population,
    /// Sorted by call time; gdbh order is index order.
    pub(super) orders: Vec<Order>,
    pub(super) alarms: Vec<Alarm>,
    pub(super) alarm_log: AlarmLog,
    /// Sorted by registration time; the cases of one day are contiguous.
    pub(super) petitions: Vec<Petition>,
    pub(super) petition_persons: Vec<u32>,
    /// day_starts[d]..day_starts[d+1] are the cases registered on day d.
    pub(super) day_starts: Vec<u32>,
    /// The planted cases, in plan order; records point into it.
    pub(super) cases: Vec<PlantedCase>,
    /// Per step, `(gxsj << 32) | order index` of the current version of every
    /// released order, sorted: the work-order feed's index, built on first use.
    order_index: Vec<OnceLock<Vec<u64>>>,
    /// The HTTP feeds' items, once `render_feed_items` has run.
    feed_items: OnceLock<FeedItems>,
}

impl SimCity {
    pub fn generate(spec: &SimSpec) -> SimCity {
        let started = Instant::now();
        let tl = Timeline::new(spec.start, spec.days, spec.steps);
        let households = (spec.persons.max(1) as f64 / MEAN_HOUSEHOLD).ceil() as usize;
        let urban = (households as f64 * URBAN_SHARE) as usize;
        let places = Places::generate(
            &mut stream_rng(spec.seed, Stream::Places),
            urban,
            households - urban,
        );
        let pop = Population::generate(
            &mut stream_rng(spec.seed, Stream::Population),
            spec.persons,
            &places,
            tl.start_date(),
        );
        let plan = events::plan(
            &mut stream_rng(spec.seed, Stream::Events),
            &places,
            &pop,
            &tl,
            (spec.hotline_orders, spec.alarms, spec.petitions),
        );
        let cases = plan.cases;
        let revision_rate = spec.revision_rate.clamp(0.0, 1.0);
        let malformed_rate = spec.malformed_rate.clamp(0.0, 1.0);
        let orders = hotline::build(
            &mut stream_rng(spec.seed, Stream::HotlineBuild),
            plan.orders,
            &tl,
            revision_rate,
            malformed_rate,
        );
        let (alarms, alarm_log) = alarm::build(
            &mut stream_rng(spec.seed, Stream::AlarmBuild),
            plan.alarms,
            &tl,
            revision_rate,
            malformed_rate,
        );
        let (petitions, petition_persons) = petition::build(
            &mut stream_rng(spec.seed, Stream::PetitionBuild),
            plan.petitions,
            &plan.petition_persons,
            &tl,
            revision_rate,
            malformed_rate,
        );
        let day_starts = (0..=tl.days)
            .map(|d| petitions.partition_point(|p| (p.day as u32) < d) as u32)
            .collect();
        let order_index = (0..tl.steps()).map(|_| OnceLock::new()).collect();
        tracing::debug!(
            seed = spec.seed,
            persons = pop.persons.len(),
            orders = orders.len(),
            alarms = alarms.len(),
            petitions = petitions.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "simulated city generated"
        );
        SimCity {
            spec: spec.clone(),
            tl,
            places,
            pop,
            orders,
            alarms,
            alarm_log,
            petitions,
            petition_persons,
            day_starts,
            cases,
            order_index,
            feed_items: OnceLock::new(),
        }
    }

    /// Renders every version of every work order and alarm as its feed shows it, so that pages
    /// are put together from ready text. Pages are the same with or without it.
    pub fn render_feed_items(&self) {
        self.feed_items.get_or_init(|| FeedItems::render(self));
    }

    pub(super) fn feed_items(&self) -> Option<&FeedItems> {
        self.feed_items.get()
    }

    pub fn spec(&self) -> &SimSpec {
        &self.spec
    }

    /// Number of release steps (`spec.steps`, at least 1).
    pub fn steps(&self) -> u32 {
        self.tl.steps() as u32
    }

    /// Clamps a requested step to the last one.
    pub(super) fn clamp_step(&self, step: u32) -> u16 {
        step.min(self.steps() - 1) as u16
    }

    /// The work-order feed index for a step (built once per step).
    pub(super) fn order_index(&self, step: u16) -> &[u64] {
        self.order_index[step as usize].get_or_init(|| {
            let mut keys: Vec<u64> = self
                .orders
                .iter()
                .enumerate()
                .filter_map(|(i, o)| {
                    o.current(step)
                        .map(|(_, v)| ((v.gxsj as u64) << 32) | i as u64)
                })
                .collect();
            keys.sort_unstable();
            keys
        })
    }

    pub(super) fn petitions_of_day(&self, day: u32) -> std::ops::Range<usize> {
        self.day_starts[day as usize] as usize..self.day_starts[day as usize + 1] as usize
    }

    pub(super) fn listed_persons(&self, p: &Petition) -> &[u32] {
        &self.petition_persons[p.persons.0 as usize..(p.persons.0 + p.persons.1 as u32) as usize]
    }
}
