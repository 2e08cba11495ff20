//! The HTTP feeds' records rendered once, as JSON text. A source system serves records it
//! already holds; building each record's text anew for every page request made the simulator
//! take CPU from the hub it feeds on the benchmark's two cores. A feed server renders every
//! version once before it answers (`FeedServer::start`), as the file feeds are written before.
//! The cost is memory: about 620 MiB more for a city of 1,000,000 records.

use serde_json::value::RawValue;

use super::city::SimCity;
use super::dialect;

pub(super) struct FeedItems {
    /// Per work order, each version's item of the paged feed.
    pub(super) orders: Vec<Box<[Box<RawValue>]>>,
    /// Per entry of the alarm log, the item of the cursor feed.
    pub(super) alarm_log: Vec<Box<RawValue>>,
}

impl FeedItems {
    pub(super) fn render(city: &SimCity) -> FeedItems {
        let names = dialect::hotline_fields(city.spec.dialect);
        // The two feeds on two threads: the city is read-only.
        std::thread::scope(|s| {
            let orders = s.spawn(|| {
                (0..city.orders.len())
                    .map(|i| {
                        (0..city.orders[i].versions().len())
                            .map(|v| city.order_item(i, v, names))
                            .collect()
                    })
                    .collect()
            });
            let alarm_log = city
                .alarm_log
                .entries
                .iter()
                .map(|e| city.alarm_item(e.alarm as usize, e.version as usize))
                .collect();
            FeedItems {
                orders: orders.join().expect("rendering work orders does not panic"),
                alarm_log,
            }
        })
    }
}
