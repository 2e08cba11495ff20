//! Counts and rates of events grouped by up to four dimensions at once, in
//! one SQL statement, for trends, heat maps and league tables. Days, weeks
//! and months are China Standard Time (UTC+8, no daylight saving), as the
//! centre counts them.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text};

use super::event_query::{EventFilter, FINISHED, filtered};
use super::{Backend, Store, StoreError};

/// What events can be grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Day,
    /// The Monday the week starts on.
    Week,
    Month,
    District,
    Street,
    Community,
    Site,
    Building,
    /// The top level of the common taxonomy.
    Category,
    /// The whole taxonomy path.
    CategoryPath,
    Source,
    Type,
    Status,
    Unit,
}

pub const MAX_DIMENSIONS: usize = 4;

/// One group: its key per dimension (area ids as text) and its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub keys: Vec<String>,
    pub events: i64,
    pub finished: i64,
    /// Mean hours from occurrence to closing, over closed events.
    pub mean_handling_hours: Option<f64>,
    pub satisfied: i64,
    /// Events with a satisfaction rating (未评价 not counted).
    pub rated: i64,
}

type Row = (
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<f64>,
    i64,
    i64,
);

impl Store {
    /// Groups the events a filter selects; the largest groups first, at most
    /// `limit` of them.
    pub async fn aggregate(
        &self,
        filter: EventFilter,
        dims: Vec<Dimension>,
        limit: i64,
    ) -> Result<Vec<Group>, StoreError> {
        assert!(dims.len() <= MAX_DIMENSIONS, "checked by the API");
        let backend = self.backend();
        let mut columns: Vec<String> = dims.iter().map(|d| expression(*d, backend)).collect();
        columns.resize(MAX_DIMENSIONS, "''".to_string());
        let finished = FINISHED
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(",");
        let hours = match backend {
            Backend::Sqlite => {
                "(julianday(events.closed_at) - julianday(events.occurred_at)) * 24.0"
            }
            Backend::Postgres => {
                "EXTRACT(EPOCH FROM (events.closed_at - events.occurred_at)) / 3600.0"
            }
        };
        let select = format!(
            "{}, COUNT(*), \
             SUM(CASE WHEN events.status IN ({finished}) THEN 1 ELSE 0 END), \
             CAST(AVG(CASE WHEN events.closed_at IS NOT NULL THEN {hours} END) AS DOUBLE PRECISION), \
             SUM(CASE WHEN events.satisfaction IN ('satisfied', 'basically_satisfied') THEN 1 ELSE 0 END), \
             SUM(CASE WHEN events.satisfaction IS NOT NULL AND events.satisfaction <> 'unrated' THEN 1 ELSE 0 END)",
            columns.join(", ")
        );
        let n = dims.len();
        self.run(move |conn| {
            let rows: Vec<Row> = filtered(&filter)
                .select(sql::<(
                    Text,
                    Text,
                    Text,
                    Text,
                    BigInt,
                    BigInt,
                    Nullable<Double>,
                    BigInt,
                    BigInt,
                )>(&select))
                // Diesel cannot group a boxed query, so GROUP BY rides in the
                // WHERE clause: after the first line the clause always reads
                // `WHERE (<filters> AND 1 = 1`, and the second closes it,
                // groups and opens a HAVING that diesel's `)` closes. Fixed
                // text only; tests/graphql_entities.rs checks both stores.
                .filter(sql::<Bool>("1 = 1"))
                .filter(sql::<Bool>("1 = 1) GROUP BY 1, 2, 3, 4 HAVING (1 = 1"))
                .order(sql::<BigInt>("5 DESC, 1, 2, 3, 4"))
                .limit(limit)
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(
                    |(a, b, c, d, events, finished, hours, satisfied, rated)| Group {
                        keys: [a, b, c, d].into_iter().take(n).collect(),
                        events,
                        finished,
                        mean_handling_hours: hours,
                        satisfied,
                        rated,
                    },
                )
                .collect())
        })
        .await
    }
}

/// The SQL text of a dimension's key. Only fixed text: nothing a client
/// sends reaches it.
fn expression(d: Dimension, backend: Backend) -> String {
    let sqlite = backend == Backend::Sqlite;
    let area = |column: &str| {
        format!(
            "COALESCE(CAST((SELECT ea.{column} FROM event_areas ea WHERE ea.event_id = events.id) AS TEXT), '')"
        )
    };
    match d {
        Dimension::Day if sqlite => "strftime('%Y-%m-%d', events.occurred_at, '+8 hours')".into(),
        Dimension::Day => "to_char(events.occurred_at + interval '8 hours', 'YYYY-MM-DD')".into(),
        Dimension::Week if sqlite => {
            "date(events.occurred_at, '+8 hours', 'weekday 0', '-6 days')".into()
        }
        Dimension::Week => {
            "to_char(date_trunc('week', events.occurred_at + interval '8 hours'), 'YYYY-MM-DD')"
                .into()
        }
        Dimension::Month if sqlite => "strftime('%Y-%m', events.occurred_at, '+8 hours')".into(),
        Dimension::Month => "to_char(events.occurred_at + interval '8 hours', 'YYYY-MM')".into(),
        Dimension::District => area("district_id"),
        Dimension::Street => area("street_id"),
        Dimension::Community => area("community_id"),
        Dimension::Site => area("site_id"),
        Dimension::Building => area("building_id"),
        Dimension::Category if sqlite => "CASE WHEN instr(events.category, '>') > 0 \
             THEN substr(events.category, 1, instr(events.category, '>') - 1) \
             ELSE events.category END"
            .into(),
        Dimension::Category => "split_part(events.category, '>', 1)".into(),
        Dimension::CategoryPath => "events.category".into(),
        Dimension::Source => "events.source".into(),
        Dimension::Type => "COALESCE(events.event_type, '')".into(),
        Dimension::Status => "events.status".into(),
        Dimension::Unit => "COALESCE(events.unit, '')".into(),
    }
}
