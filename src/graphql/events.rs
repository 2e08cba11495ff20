//! Events from all three sources with their mentions and revisions.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{
    ComplexObject, Context, ID, InputType, Lookahead, Object, Result, SimpleObject, Value,
};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::ApiContext;
use super::addresses::Address;
use super::errors::{ErrorCode, internal};
use super::event_detail::{Core, EventDetail, event_detail};
use super::filters::EventFilter;
use super::loaders::{PersonKey, PersonLinksOf, PlaceKey, PlaceLinksOf};
use super::persons::{LinkEvidence, Person, PlaceEvidence};
use super::plain_list::{PlainObject, PlainRow, Plan};
use super::preload::{Preloaded, preload};
use super::units::Unit;
use crate::domain::{Lifecycle, Source};
use crate::ingest::resolution::field_slot;
use crate::store::{
    AddressMentionRow, EventCursor, EventFilter as StoreFilter, EventPage, EventRow, PageReads,
    PersonMentionRow,
};

#[derive(Default)]
pub struct EventsQuery;

/// 事件 A work order, alarm or petition in the unified model.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Event {
    /// 编号 Event id in the hub.
    pub id: ID,
    /// 来源 Which system it came from.
    pub source: Source,
    /// 源记录编号 The source's own id (工单编号 / 接警单编号 / 信访件编号).
    pub record_id: String,
    /// 发生时间 Call, alarm or registration time.
    pub occurred_at: DateTime<Utc>,
    /// 源更新时间 The source's revision time, when it has one.
    pub source_updated_at: Option<DateTime<Utc>>,
    /// 类型 The type as the source names it: 诉求类型 / 警情类别 / 信访目的.
    pub event_type: Option<String>,
    /// 统一分类 Path in the common taxonomy, levels joined by `>`.
    pub category: String,
    /// 原始分类 The category as the source wrote it.
    pub category_raw: Option<String>,
    /// 内容 What was reported, as written: 诉求内容 / 简要案情 / 主要内容.
    pub content: Option<String>,
    /// 承办单位 Handling, dispatched or responsible unit.
    pub unit: Option<String>,
    /// 统一状态 Common lifecycle.
    pub status: Lifecycle,
    /// 原始状态 The status as the source wrote it.
    pub status_raw: Option<String>,
    /// 办理时限 Deadline.
    pub deadline: Option<DateTime<Utc>>,
    /// 办结时间 Closed at.
    pub closed_at: Option<DateTime<Utc>>,
    /// 满意度 Satisfaction (hotline).
    pub satisfaction: Option<String>,
    /// 经度 WGS-84 longitude (110 alarms).
    pub longitude: Option<f64>,
    /// 纬度 WGS-84 latitude (110 alarms).
    pub latitude: Option<f64>,
    /// 信访人数 Number of petitioners.
    pub petitioners: Option<i64>,
    /// 来源特有字段 Source-specific fields as JSON (channel, purpose, outcome ...).
    pub detail: String,
    /// 版本 Number of the current version.
    pub version: i64,
    /// 涉及人员 Persons named in the record, as written.
    pub persons: Vec<PersonMention>,
    /// 涉及地址 Addresses named in the record, as written.
    pub addresses: Vec<AddressMention>,
}

/// 人员提及 A person as one record names them, and who that is.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct PersonMention {
    #[graphql(skip)]
    pub event_id: i64,
    #[graphql(skip)]
    pub pre: Option<Arc<Preloaded>>,
    /// 序号 Position in the record (0 for hotline/alarm; order in 信访人 for petitions).
    pub position: i64,
    /// 姓名 The name as written.
    pub name: Option<String>,
    /// 电话 The phone as written.
    pub phone: Option<String>,
    /// 证件号码 ID number exactly as given (may be masked or 15-digit).
    pub id_number: Option<String>,
}

/// 地址提及 An address as one field of a record writes it, and the place it is.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct AddressMention {
    #[graphql(skip)]
    pub event_id: i64,
    #[graphql(skip)]
    pub pre: Option<Arc<Preloaded>>,
    /// 字段 Canonical field: sqdz, afdd, zz or wtsd.
    pub field: String,
    /// 原文 The address exactly as written.
    pub text: String,
}

/// 版本 One stored version of a record (status history).
#[derive(SimpleObject)]
pub struct EventVersion {
    /// 版本号 Version number, 1 for the first seen.
    pub version: i64,
    /// 接入名称 The connector that delivered it.
    pub connector: String,
    /// 源更新时间 The source's revision time, when it has one.
    pub source_updated_at: Option<DateTime<Utc>>,
    /// 统一状态 Common lifecycle of this version.
    pub status: String,
    /// 原始状态 The status as the source wrote it.
    pub status_raw: Option<String>,
    /// 原始记录 The record exactly as the source sent it, JSON.
    pub raw: String,
    /// 接入时间 When the hub first saw this version.
    pub observed_at: DateTime<Utc>,
}

#[ComplexObject]
impl PersonMention {
    /// 人员 The resolved person this mention is (none for a blank mention).
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(link) = self.link(ctx).await? else {
            return Ok(None);
        };
        if let Some(pre) = &self.pre
            && let Some(record) = pre.persons.get(&link.entity_id)
        {
            let span = pre.spans.as_ref().map(|s| s.get(&link.entity_id).copied());
            return Ok(Some(Person::from(record.clone()).with_span(span)));
        }
        let api = ctx.data::<ApiContext>()?;
        Ok(api
            .loaders
            .load_one(PersonKey(link.entity_id))
            .await?
            .map(Person::from))
    }

    /// 关联依据 Why this mention is that person: its strongest link to another of the
    /// person's mentions, field by field. Null when the person was seen only once.
    async fn why(&self, ctx: &Context<'_>) -> Result<Option<LinkEvidence>> {
        Ok(self
            .link(ctx)
            .await?
            .and_then(|l| l.why)
            .and_then(|w| LinkEvidence::parse(&w)))
    }
}

impl PersonMention {
    async fn link(&self, ctx: &Context<'_>) -> Result<Option<crate::store::MentionLink>> {
        if let Some(found) = self
            .pre
            .as_ref()
            .and_then(|p| p.person_link(self.event_id, self.position))
        {
            return Ok(found);
        }
        let api = ctx.data::<ApiContext>()?;
        let links = api.loaders.load_one(PersonLinksOf(self.event_id)).await?;
        Ok(links
            .unwrap_or_default()
            .into_iter()
            .find(|l| l.slot == self.position))
    }
}

#[ComplexObject]
impl AddressMention {
    /// 地点 The resolved place: the finest the text names.
    async fn place(&self, ctx: &Context<'_>) -> Result<Option<Address>> {
        let Some(link) = self.link(ctx).await? else {
            return Ok(None);
        };
        if let Some(record) = self
            .pre
            .as_ref()
            .and_then(|p| p.places.get(&link.entity_id))
        {
            return Ok(Some(Address::from(record.clone())));
        }
        let api = ctx.data::<ApiContext>()?;
        Ok(api
            .loaders
            .load_one(PlaceKey(link.entity_id))
            .await?
            .map(Address::from))
    }

    /// 归并依据 Why the text is that place: the place key it names and, when the
    /// compound was written under another name, how the two writings were joined.
    async fn why(&self, ctx: &Context<'_>) -> Result<Option<PlaceEvidence>> {
        Ok(self
            .link(ctx)
            .await?
            .and_then(|l| l.why)
            .and_then(|w| PlaceEvidence::parse(&w)))
    }
}

impl AddressMention {
    async fn link(&self, ctx: &Context<'_>) -> Result<Option<crate::store::MentionLink>> {
        let Some(slot) = field_slot(&self.field) else {
            return Ok(None);
        };
        if let Some(found) = self
            .pre
            .as_ref()
            .and_then(|p| p.place_link(self.event_id, slot as i64))
        {
            return Ok(found);
        }
        let api = ctx.data::<ApiContext>()?;
        let links = api.loaders.load_one(PlaceLinksOf(self.event_id)).await?;
        Ok(links
            .unwrap_or_default()
            .into_iter()
            .find(|l| l.slot == slot as i64))
    }
}

#[ComplexObject]
impl Event {
    /// 来源特有信息 What only this event's system records: a work order's request type
    /// and satisfaction, an alarm's outcome and dispatch time, a petition's channel,
    /// purpose, repeat and level-skipping flags.
    async fn source_detail(&self) -> EventDetail {
        event_detail(
            Core {
                source: self.source,
                event_type: self.event_type.as_deref(),
                satisfaction: self.satisfaction.as_deref(),
                longitude: self.longitude,
                latitude: self.latitude,
                petitioners: self.petitioners,
            },
            &self.detail,
        )
    }

    /// 承办单位 The handling unit as an object, to follow to its other work.
    async fn handling_unit(&self) -> Option<Unit> {
        self.unit.clone().map(|name| Unit { name })
    }

    /// 版本历史 Every version of the record, oldest first.
    async fn revisions(&self, ctx: &Context<'_>) -> Result<Vec<EventVersion>> {
        let api = ctx.data::<ApiContext>()?;
        let id = parse_id(&self.id)?;
        let rows = api.store.event_versions(id).await.map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|v| EventVersion {
                version: v.version,
                connector: v.connector,
                source_updated_at: v.source_updated_at.map(|t| t.and_utc()),
                status: v.status,
                status_raw: v.status_raw,
                raw: v.raw,
                observed_at: v.observed_at.and_utc(),
            })
            .collect())
    }
}

fn parse_id(id: &ID) -> Result<i64> {
    id.parse::<i64>()
        .map_err(|_| ErrorCode::BadId.error(format!("`{}` is not an event id", id.as_str())))
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

fn to_event(
    row: EventRow,
    persons: Vec<PersonMention>,
    addresses: Vec<AddressMention>,
) -> Result<Event> {
    let source = row
        .source
        .parse::<Source>()
        .map_err(|e| ErrorCode::Internal.error(e.to_string()))?;
    let status = row
        .status
        .parse::<Lifecycle>()
        .unwrap_or(Lifecycle::Unknown);
    Ok(Event {
        id: ID(row.id.to_string()),
        source,
        record_id: row.record_id,
        occurred_at: utc(row.occurred_at),
        source_updated_at: row.source_updated_at.map(utc),
        event_type: row.event_type,
        category: row.category,
        category_raw: row.category_raw,
        content: row.content,
        unit: row.unit,
        status,
        status_raw: row.status_raw,
        deadline: row.deadline.map(utc),
        closed_at: row.closed_at.map(utc),
        satisfaction: row.satisfaction,
        longitude: row.longitude,
        latitude: row.latitude,
        petitioners: row.petitioners,
        detail: row.detail,
        version: row.version,
        persons,
        addresses,
    })
}

fn group_mentions(
    persons: Vec<PersonMentionRow>,
    addresses: Vec<AddressMentionRow>,
    pre: Option<Arc<Preloaded>>,
) -> (
    HashMap<i64, Vec<PersonMention>>,
    HashMap<i64, Vec<AddressMention>>,
) {
    let mut p: HashMap<i64, Vec<PersonMention>> = HashMap::new();
    for m in persons {
        p.entry(m.event_id).or_default().push(PersonMention {
            event_id: m.event_id,
            pre: pre.clone(),
            position: m.position,
            name: m.name,
            phone: m.phone,
            id_number: m.id_number,
        });
    }
    let mut a: HashMap<i64, Vec<AddressMention>> = HashMap::new();
    for m in addresses {
        a.entry(m.event_id).or_default().push(AddressMention {
            event_id: m.event_id,
            pre: pre.clone(),
            field: m.field,
            text: m.text,
        });
    }
    (p, a)
}

fn encode_cursor(row: &EventRow) -> String {
    format!(
        "{}|{}",
        row.occurred_at.and_utc().timestamp_micros(),
        row.id
    )
}

fn decode_cursor(cursor: &str) -> Result<EventCursor> {
    let bad = || {
        ErrorCode::BadCursor.error(format!(
            "`{cursor}` is not a cursor this API gave out; start again without `after`"
        ))
    };
    let (micros, id) = cursor.split_once('|').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let at = DateTime::from_timestamp_micros(micros).ok_or_else(bad)?;
    Ok(EventCursor {
        occurred_at: at.naive_utc(),
        id,
    })
}

/// Extra fields on the event connection.
#[derive(SimpleObject)]
pub struct EventTotals {
    /// 总数 Events matching the filter, on all pages.
    pub total_count: i64,
}

/// The stored fields of an event, its persons' and its addresses' read
/// plainly; the computed ones (handlingUnit, sourceDetail, revisions, a
/// mention's person, place or why) send the event the general way. Values
/// go through the same conversions the general path uses.
impl PlainRow for Event {
    const TYPE_NAME: &'static str = "Event";

    fn plain(&self, name: &str, sub: Option<&Plan>) -> Option<Value> {
        Some(match name {
            "id" => self.id.to_value(),
            "source" => self.source.to_value(),
            "recordId" => self.record_id.to_value(),
            "occurredAt" => self.occurred_at.to_value(),
            "sourceUpdatedAt" => self.source_updated_at.to_value(),
            "eventType" => self.event_type.to_value(),
            "category" => self.category.to_value(),
            "categoryRaw" => self.category_raw.to_value(),
            "content" => self.content.to_value(),
            "unit" => self.unit.to_value(),
            "status" => self.status.to_value(),
            "statusRaw" => self.status_raw.to_value(),
            "deadline" => self.deadline.to_value(),
            "closedAt" => self.closed_at.to_value(),
            "satisfaction" => self.satisfaction.to_value(),
            "longitude" => self.longitude.to_value(),
            "latitude" => self.latitude.to_value(),
            "petitioners" => self.petitioners.to_value(),
            "detail" => self.detail.to_value(),
            "version" => self.version.to_value(),
            "persons" => sub?.apply_all(&self.persons)?,
            "addresses" => sub?.apply_all(&self.addresses)?,
            _ => return None,
        })
    }
}

impl PlainRow for PersonMention {
    const TYPE_NAME: &'static str = "PersonMention";

    fn plain(&self, name: &str, _: Option<&Plan>) -> Option<Value> {
        Some(match name {
            "position" => self.position.to_value(),
            "name" => self.name.to_value(),
            "phone" => self.phone.to_value(),
            "idNumber" => self.id_number.to_value(),
            _ => return None,
        })
    }
}

impl PlainRow for AddressMention {
    const TYPE_NAME: &'static str = "AddressMention";

    fn plain(&self, name: &str, _: Option<&Plan>) -> Option<Value> {
        Some(match name {
            "field" => self.field.to_value(),
            "text" => self.text.to_value(),
            _ => return None,
        })
    }
}

/// The events of a store filter restricted to `ids`, newest first, with
/// their mentions (entities through the batch loaders).
pub async fn events_among(
    api: &ApiContext,
    mut filter: StoreFilter,
    ids: Vec<i64>,
) -> Result<Vec<Event>> {
    let n = ids.len() as i64;
    filter.ids = Some(ids);
    // Nobody reads a total of events chosen by id.
    let reads = PageReads {
        total: false,
        ..PageReads::ALL
    };
    let page = api
        .store
        .events_page_with(filter, None, n.max(1), reads)
        .await
        .map_err(internal)?;
    let (mut persons, mut addresses) = group_mentions(page.persons, page.addresses, None);
    page.events
        .into_iter()
        .map(|row| {
            let id = row.id;
            to_event(
                row,
                persons.remove(&id).unwrap_or_default(),
                addresses.remove(&id).unwrap_or_default(),
            )
        })
        .collect()
}

/// What a nested event list is the events of.
pub enum Scope {
    Person(i64),
    Area(crate::store::AreaFilter),
    Unit(String),
}

/// The events of one person, place or unit: the client's filter with the
/// scope added. The filter may not set the scope itself (two persons or two
/// areas at once is not a question this API answers).
pub async fn scoped_events(
    ctx: &Context<'_>,
    filter: Option<EventFilter>,
    scope: Scope,
    first: i64,
    after: Option<String>,
) -> Result<EventConnection> {
    let filter = filter.unwrap_or_default();
    let clash = match &scope {
        Scope::Person(_) => filter.person.is_some().then_some("filter.person"),
        Scope::Area(_) => filter.area.is_some().then_some("filter.area"),
        Scope::Unit(_) => filter.unit.is_some().then_some("filter.unit"),
    };
    if let Some(field) = clash {
        return Err(ErrorCode::BadArgument.error(format!(
            "{field} cannot be used inside the events of one {}",
            match scope {
                Scope::Person(_) => "person",
                Scope::Area(_) => "address",
                Scope::Unit(_) => "unit",
            }
        )));
    }
    let mut f = filter.to_store(ctx).await?;
    match scope {
        Scope::Person(id) => f.person = Some(id),
        Scope::Area(a) => f.area = Some(a),
        Scope::Unit(u) => f.unit = Some(u),
    }
    event_connection(ctx, f, first, after).await
}

pub type EventConnection = Connection<String, PlainObject<Event>, EventTotals, EmptyFields>;

/// One page of the events a store filter selects, newest first.
pub async fn event_connection(
    ctx: &Context<'_>,
    filter: StoreFilter,
    first: i64,
    after: Option<String>,
) -> Result<EventConnection> {
    let api = ctx.data::<ApiContext>()?;
    let cursor = after.as_deref().map(decode_cursor).transpose()?;
    let page = api
        .store
        .events_page_with(filter, cursor, first, page_reads(&ctx.look_ahead()))
        .await
        .map_err(internal)?;
    page_connection(ctx, page, after.is_some()).await
}

/// What a selection of an event connection reads besides the rows: the
/// total only when it names totalCount, mentions only when it shows them.
pub fn page_reads(look: &Lookahead<'_>) -> PageReads {
    let asks = |field: &str| {
        look.field("edges").field("node").field(field).exists()
            || look.field("nodes").field(field).exists()
    };
    PageReads {
        total: look.field("totalCount").exists(),
        persons: asks("persons"),
        addresses: asks("addresses"),
    }
}

/// The connection for a page already read; `ctx` is the connection field's.
pub async fn page_connection(
    ctx: &Context<'_>,
    page: EventPage,
    has_previous: bool,
) -> Result<EventConnection> {
    let ids: Vec<i64> = page.events.iter().map(|e| e.id).collect();
    let pre = preload(ctx, &ids).await?;
    let (mut persons, mut addresses) = group_mentions(page.persons, page.addresses, Some(pre));
    let mut conn = Connection::with_additional_fields(
        has_previous,
        page.has_more,
        // Counted whenever the selection names totalCount, the one place it is read.
        EventTotals {
            total_count: page.total.unwrap_or_default(),
        },
    );
    for row in page.events {
        let cursor = encode_cursor(&row);
        let id = row.id;
        let event = to_event(
            row,
            persons.remove(&id).unwrap_or_default(),
            addresses.remove(&id).unwrap_or_default(),
        )?;
        conn.edges.push(Edge::new(cursor, PlainObject(event)));
    }
    Ok(conn)
}

#[Object]
impl EventsQuery {
    /// 事件列表 Events from all sources, newest first, filtered and paginated (Relay cursors).
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        #[graphql(default = 50, validator(minimum = 1, maximum = 500))] first: i64,
        after: Option<String>,
    ) -> Result<EventConnection> {
        let f = filter.unwrap_or_default().to_store(ctx).await?;
        event_connection(ctx, f, first, after).await
    }

    /// 事件详情 One event by id.
    async fn event(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Event>> {
        let api = ctx.data::<ApiContext>()?;
        let id = parse_id(&id)?;
        match api.store.event_by_id(id).await.map_err(internal)? {
            None => Ok(None),
            Some((row, p, a)) => {
                let (mut persons, mut addresses) = group_mentions(p, a, None);
                to_event(
                    row,
                    persons.remove(&id).unwrap_or_default(),
                    addresses.remove(&id).unwrap_or_default(),
                )
                .map(Some)
            }
        }
    }
}
