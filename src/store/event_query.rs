//! Reading events back: filtered, keyset-paginated lists with their mentions, and revisions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::in_list::{in_list, load_where_in};
use super::resolution::{ADDRESS, PERSON};
use super::schema::{
    address_mentions, entity_mentions, event_areas, event_versions, events, person_mentions,
};
use super::sql_time::{MaybeSqlTime, SqlTime};
use super::{AnyConnection, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub source: String,
    pub record_id: String,
    pub connector: String,
    #[diesel(deserialize_as = SqlTime)]
    pub occurred_at: NaiveDateTime,
    #[diesel(deserialize_as = MaybeSqlTime)]
    pub source_updated_at: Option<NaiveDateTime>,
    pub event_type: Option<String>,
    pub category: String,
    pub category_raw: Option<String>,
    pub content: Option<String>,
    pub unit: Option<String>,
    pub status: String,
    pub status_raw: Option<String>,
    #[diesel(deserialize_as = MaybeSqlTime)]
    pub deadline: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeSqlTime)]
    pub closed_at: Option<NaiveDateTime>,
    pub satisfaction: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub petitioners: Option<i64>,
    pub detail: String,
    pub content_hash: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct PersonMentionRow {
    pub event_id: i64,
    pub position: i64,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AddressMentionRow {
    pub event_id: i64,
    pub field: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct VersionRow {
    pub event_id: i64,
    pub version: i64,
    pub connector: String,
    #[diesel(deserialize_as = MaybeSqlTime)]
    pub source_updated_at: Option<NaiveDateTime>,
    pub status: String,
    pub status_raw: Option<String>,
    pub content_hash: String,
    pub raw: String,
    #[diesel(deserialize_as = SqlTime)]
    pub observed_at: NaiveDateTime,
}

/// Filters an analyst combines; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub sources: Vec<String>,
    /// occurred_at >= from (UTC).
    pub from: Option<NaiveDateTime>,
    /// occurred_at < to (UTC).
    pub to: Option<NaiveDateTime>,
    /// A common-taxonomy path at any level: `矛盾纠纷` matches `矛盾纠纷>家庭纠纷` too.
    pub category: Option<String>,
    pub statuses: Vec<String>,
    pub unit: Option<String>,
    pub text: Option<String>,
    pub types: Vec<String>,
    pub satisfaction: Vec<String>,
    /// Open (not finished) with a deadline before this instant.
    pub overdue_at: Option<NaiveDateTime>,
    /// Events at this place or inside it.
    pub area: Option<AreaFilter>,
    /// Events naming this resolved person.
    pub person: Option<i64>,
    /// Only these events.
    pub ids: Option<Vec<i64>>,
}

/// A place at some level of the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaFilter {
    pub level: AreaLevel,
    pub id: i64,
}

/// The levels events can be filtered and grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaLevel {
    District,
    Street,
    Community,
    Site,
    Building,
    /// Finer than `event_areas` keeps: matched on the mention's own place.
    Room,
}

impl AreaLevel {
    /// The level of an address entity as stored (`entities.level`).
    pub fn from_stored(level: &str) -> Option<AreaLevel> {
        Some(match level {
            "district" => AreaLevel::District,
            "street" => AreaLevel::Street,
            "community" => AreaLevel::Community,
            "site" | "road" | "crossing" => AreaLevel::Site,
            "building" => AreaLevel::Building,
            "room" => AreaLevel::Room,
            _ => return None,
        })
    }
}

/// Position after which the next page starts: newest first, ties broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventCursor {
    pub occurred_at: NaiveDateTime,
    pub id: i64,
}

#[derive(Debug, Clone)]
pub struct EventPage {
    pub events: Vec<EventRow>,
    pub persons: Vec<PersonMentionRow>,
    pub addresses: Vec<AddressMentionRow>,
    pub has_more: bool,
    /// Events matching the filter on all pages, when counted.
    pub total: Option<i64>,
}

/// What a page of events is read with besides its rows: a page that shows
/// no places need not read their mentions, one that shows no total need
/// not count every event its filter selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageReads {
    pub total: bool,
    pub persons: bool,
    pub addresses: bool,
}

impl PageReads {
    pub const ALL: PageReads = PageReads {
        total: true,
        persons: true,
        addresses: true,
    };
}

type Boxed<'a> = events::BoxedQuery<'a, super::connection::MultiBackend>;

/// Ids of the events in one area (`event_areas.<column> = id`).
macro_rules! in_area {
    ($column:ident, $id:expr) => {
        event_areas::table
            .filter(event_areas::$column.eq($id))
            .select(event_areas::event_id)
    };
}
pub(super) use in_area;

pub(super) fn filtered(f: &EventFilter) -> Boxed<'static> {
    let mut q = events::table.into_boxed();
    if !f.sources.is_empty() {
        q = q.filter(events::source.eq_any(f.sources.clone()));
    }
    if let Some(from) = f.from {
        q = q.filter(events::occurred_at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(events::occurred_at.lt(to));
    }
    if let Some(c) = &f.category {
        q = q.filter(
            events::category.eq(c.clone()).or(events::category
                .like(format!("{}>%", escape_like(c)))
                .escape('\\')),
        );
    }
    if !f.statuses.is_empty() {
        q = q.filter(events::status.eq_any(f.statuses.clone()));
    }
    if let Some(u) = &f.unit {
        q = q.filter(events::unit.eq(u.clone()));
    }
    if !f.types.is_empty() {
        q = q.filter(events::event_type.eq_any(f.types.clone()));
    }
    if !f.satisfaction.is_empty() {
        q = q.filter(events::satisfaction.eq_any(f.satisfaction.clone()));
    }
    if let Some(at) = f.overdue_at {
        q = q
            .filter(events::deadline.lt(at))
            .filter(events::status.ne_all(FINISHED));
    }
    if let Some(a) = f.area {
        q = match a.level {
            AreaLevel::Room => q.filter(
                events::id.eq_any(
                    entity_mentions::table
                        .filter(entity_mentions::kind.eq(ADDRESS))
                        .filter(entity_mentions::entity_id.eq(a.id))
                        .select(entity_mentions::event_id),
                ),
            ),
            AreaLevel::District => q.filter(events::id.eq_any(in_area!(district_id, a.id))),
            AreaLevel::Street => q.filter(events::id.eq_any(in_area!(street_id, a.id))),
            AreaLevel::Community => q.filter(events::id.eq_any(in_area!(community_id, a.id))),
            AreaLevel::Site => q.filter(events::id.eq_any(in_area!(site_id, a.id))),
            AreaLevel::Building => q.filter(events::id.eq_any(in_area!(building_id, a.id))),
        };
    }
    if let Some(p) = f.person {
        q = q.filter(
            events::id.eq_any(
                entity_mentions::table
                    .filter(entity_mentions::kind.eq(PERSON))
                    .filter(entity_mentions::entity_id.eq(p))
                    .select(entity_mentions::event_id),
            ),
        );
    }
    if let Some(ids) = &f.ids {
        q = q.filter(in_list(events::id, ids));
    }
    if let Some(t) = &f.text {
        q = q.filter(
            events::content
                .like(format!("%{}%", escape_like(t)))
                .escape('\\'),
        );
    }
    q
}

/// Lifecycle states in which the unit's work is done (`Lifecycle::is_finished`).
pub const FINISHED: [&str; 3] = ["resolved", "closed", "rejected"];

pub(super) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

impl Store {
    pub async fn events_page(
        &self,
        filter: EventFilter,
        after: Option<EventCursor>,
        first: i64,
    ) -> Result<EventPage, StoreError> {
        self.events_page_with(filter, after, first, PageReads::ALL)
            .await
    }

    /// A page with only the mentions `with` asks for (the others empty).
    pub async fn events_page_with(
        &self,
        filter: EventFilter,
        after: Option<EventCursor>,
        first: i64,
        with: PageReads,
    ) -> Result<EventPage, StoreError> {
        self.run(move |conn| {
            let total: Option<i64> = if with.total {
                Some(filtered(&filter).count().get_result(conn)?)
            } else {
                None
            };
            let mut q = filtered(&filter);
            if let Some(c) = after {
                q = q.filter(
                    events::occurred_at.lt(c.occurred_at).or(events::occurred_at
                        .eq(c.occurred_at)
                        .and(events::id.lt(c.id))),
                );
            }
            let mut rows: Vec<EventRow> = q
                .order((events::occurred_at.desc(), events::id.desc()))
                .limit(first + 1)
                .select(EventRow::as_select())
                .load(conn)?;
            let has_more = rows.len() as i64 > first;
            rows.truncate(first as usize);
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let (persons, addresses) = mentions(conn, &ids, with)?;
            Ok(EventPage {
                events: rows,
                persons,
                addresses,
                has_more,
                total,
            })
        })
        .await
    }

    pub async fn event_by_id(
        &self,
        id: i64,
    ) -> Result<Option<(EventRow, Vec<PersonMentionRow>, Vec<AddressMentionRow>)>, StoreError> {
        self.run(move |conn| {
            let row: Option<EventRow> = events::table
                .find(id)
                .select(EventRow::as_select())
                .first(conn)
                .optional()?;
            match row {
                None => Ok(None),
                Some(r) => {
                    let (p, a) = mentions(conn, &[id], PageReads::ALL)?;
                    Ok(Some((r, p, a)))
                }
            }
        })
        .await
    }

    /// occurredAt of the first and the last event.
    pub async fn event_time_span(
        &self,
    ) -> Result<Option<(NaiveDateTime, NaiveDateTime)>, StoreError> {
        self.run(|conn| {
            let (lo, hi): (Option<NaiveDateTime>, Option<NaiveDateTime>) = events::table
                .select((
                    diesel::dsl::min(events::occurred_at),
                    diesel::dsl::max(events::occurred_at),
                ))
                .first(conn)?;
            Ok(lo.zip(hi))
        })
        .await
    }

    pub async fn event_versions(&self, id: i64) -> Result<Vec<VersionRow>, StoreError> {
        self.run(move |conn| {
            Ok(event_versions::table
                .filter(event_versions::event_id.eq(id))
                .order(event_versions::version.asc())
                .load(conn)?)
        })
        .await
    }
}

pub(super) fn mentions(
    conn: &mut AnyConnection,
    ids: &[i64],
    with: PageReads,
) -> Result<(Vec<PersonMentionRow>, Vec<AddressMentionRow>), StoreError> {
    let persons = if with.persons {
        load_where_in!(conn, person_mentions::event_id, ids, |within| {
            person_mentions::table
                .filter(within)
                .order((person_mentions::event_id, person_mentions::position))
        })?
    } else {
        vec![]
    };
    let addresses = if with.addresses {
        load_where_in!(conn, address_mentions::event_id, ids, |within| {
            address_mentions::table
                .filter(within)
                .order((address_mentions::event_id, address_mentions::field))
        })?
    } else {
        vec![]
    };
    Ok((persons, addresses))
}
