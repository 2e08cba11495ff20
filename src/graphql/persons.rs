//! Resolved persons: who they are across the three systems, their
//! timeline, where they appear, why each mention is them, and search by
//! name, pinyin, phone or ID number however written.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use async_graphql::{Context, ID, Lookahead, Object, Result, SimpleObject, Value};
use chrono::{DateTime, NaiveDate, Utc};

use super::ApiContext;
use super::addresses::Address;
use super::errors::{ErrorCode, internal};
use super::events::{EventConnection, Scope, page_connection, page_reads, scoped_events};
use super::filters::EventFilter;
use super::ids::{PERSON_PREFIX, parse_entity_id, person_id};
use super::loaders::{PERSON, PersonKey, PersonSpan, PlaceKey};
use crate::domain::Source;
use crate::resolve::person::PersonSummary;
use crate::resolve::search_keys::person_query;
use crate::resolve::why::PersonWhy;
use crate::store::{EntityRecord, EventPage};

#[derive(Default)]
pub struct PersonsQuery;

/// 人员 One person as resolved across the hotline, alarms and petitions.
pub struct Person {
    record: EntityRecord,
    summary: Option<PersonSummary>,
    /// First/last seen when already loaded with a page (inner None: no events).
    span: Option<Option<crate::store::Span>>,
    /// The newest page of the timeline (its `first`), read with the person
    /// when the request asks for it; taken by the one `events` field.
    newest: Mutex<Option<(i64, EventPage)>>,
}

impl From<EntityRecord> for Person {
    fn from(record: EntityRecord) -> Person {
        let summary = serde_json::from_str(&record.detail).ok();
        Person {
            record,
            summary,
            span: None,
            newest: Mutex::new(None),
        }
    }
}

impl Person {
    pub fn with_span(mut self, span: Option<Option<crate::store::Span>>) -> Person {
        self.span = span;
        self
    }

    fn with_newest(self, first: i64, page: EventPage) -> Person {
        *self.newest.lock().unwrap_or_else(|e| e.into_inner()) = Some((first, page));
        self
    }

    /// The page read with the person, if it is the one asked for.
    fn take_newest(&self, first: i64) -> Option<EventPage> {
        let mut slot = self.newest.lock().unwrap_or_else(|e| e.into_inner());
        match slot.take() {
            Some((n, page)) if n == first => Some(page),
            _ => None,
        }
    }

    fn list(&self, f: impl Fn(&PersonSummary) -> &Vec<String>) -> Vec<String> {
        self.summary
            .as_ref()
            .map(|s| f(s).clone())
            .unwrap_or_default()
    }
}

/// 人员出现地点 A place where a person appears, with how many of their events.
#[derive(SimpleObject)]
pub struct PersonPlace {
    /// 地址 The place.
    pub address: Address,
    /// 事件数 Events of the person naming this place.
    pub events: i64,
}

/// 实体变更 One change of an entity: created, merged, split or retired.
#[derive(SimpleObject)]
pub struct EntityChange {
    /// 时间 When it happened.
    pub at: DateTime<Utc>,
    /// 变更 created, merged, split or retired.
    pub action: String,
    /// 相关实体 The other entity ids involved (merged in, split into).
    pub others: Vec<ID>,
    /// 原因 Why, with the linking evidence for a merge.
    pub reason: String,
}

/// 人员 One person as resolved across the hotline, alarms and petitions.
#[Object]
impl Person {
    /// 编号 Person id: P followed by a number.
    async fn id(&self) -> ID {
        person_id(self.record.id)
    }

    /// 姓名 The name most mentions give (an honorific form such as 张先生 only when
    /// no mention gives a full name; 匿名 when none gives any).
    async fn name(&self) -> &str {
        &self.record.label
    }

    /// 姓名写法 Every name seen, folded and simplified.
    async fn names(&self) -> Vec<String> {
        self.list(|s| &s.names)
    }

    /// 电话 Every phone seen, canonical (mobiles 11 digits; landlines with area code).
    async fn phones(&self) -> Vec<String> {
        self.list(|s| &s.phones)
    }

    /// 证件号码 Every ID number seen: 18 characters, or `first6|last4` for masked ones.
    async fn id_numbers(&self) -> Vec<String> {
        self.list(|s| &s.id_numbers)
    }

    /// 来源 Systems the person appears in.
    async fn sources(&self) -> Vec<Source> {
        self.list(|s| &s.sources)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect()
    }

    /// 性别 male or female, from the ID number or an honorific.
    async fn sex(&self) -> Option<&'static str> {
        match self.summary.as_ref()?.sex? {
            crate::resolve::normalize::name::Sex::Male => Some("male"),
            crate::resolve::normalize::name::Sex::Female => Some("female"),
        }
    }

    /// 出生日期 From the ID number.
    async fn birth_date(&self) -> Option<NaiveDate> {
        self.summary.as_ref()?.birth
    }

    /// 提及次数 Mentions resolved to this person.
    async fn mention_count(&self) -> i64 {
        self.record.mention_count
    }

    /// 事件数 Events naming this person.
    async fn event_count(&self, ctx: &Context<'_>) -> Result<i64> {
        Ok(self.span(ctx).await?.map_or(0, |s| s.events))
    }

    /// 首次出现 occurredAt of the person's earliest event.
    async fn first_seen(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.span(ctx).await?.map(|s| s.first.and_utc()))
    }

    /// 最近出现 occurredAt of the person's latest event.
    async fn last_seen(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.span(ctx).await?.map(|s| s.last.and_utc()))
    }

    /// 时间线 Everything the person reported, called the police about or petitioned on,
    /// across the three systems, newest first. Each event's `persons` carries the
    /// evidence (`why`) linking that mention to this person.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i64,
        after: Option<String>,
    ) -> Result<EventConnection> {
        if filter.is_none()
            && after.is_none()
            && let Some(page) = self.take_newest(first)
        {
            return page_connection(ctx, page, false).await;
        }
        scoped_events(ctx, filter, Scope::Person(self.record.id), first, after).await
    }

    /// 出现地点 Places the person's events name, most events first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn places(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i64,
    ) -> Result<Vec<PersonPlace>> {
        let api = ctx.data::<ApiContext>()?;
        let events = api
            .store
            .events_of_entity(PERSON, self.record.id)
            .await
            .map_err(internal)?;
        let links = api
            .store
            .links_of_events(super::loaders::ADDRESS, events)
            .await
            .map_err(internal)?;
        let mut counts: BTreeMap<i64, std::collections::BTreeSet<i64>> = BTreeMap::new();
        for l in links {
            counts.entry(l.entity_id).or_default().insert(l.event_id);
        }
        let mut ranked: Vec<(i64, i64)> = counts
            .into_iter()
            .map(|(id, ev)| (id, ev.len() as i64))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(first as usize);
        let places = api
            .loaders
            .load_many(ranked.iter().map(|(id, _)| PlaceKey(*id)))
            .await?;
        Ok(ranked
            .into_iter()
            .filter_map(|(id, events)| {
                Some(PersonPlace {
                    address: Address::from(places.get(&PlaceKey(id))?.clone()),
                    events,
                })
            })
            .collect())
    }

    /// 归并记录 How this person came to be: creations, merges and splits, oldest first.
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<EntityChange>> {
        entity_changes(ctx, PERSON, self.record.id, person_id).await
    }
}

impl Person {
    async fn span(&self, ctx: &Context<'_>) -> Result<Option<crate::store::Span>> {
        if let Some(known) = self.span {
            return Ok(known);
        }
        let api = ctx.data::<ApiContext>()?;
        api.loaders.load_one(PersonSpan(self.record.id)).await
    }
}

/// `first` when the selection asks for the person's events once, with no
/// filter, cursor or directive: the first page of the plain history. Any
/// other shape is left to the `events` field itself.
fn newest_page_asked(events: &Lookahead<'_>) -> Option<i64> {
    let fields = events.selection_fields();
    let [field] = fields.as_slice() else {
        return None;
    };
    if !field.directives().ok()?.is_empty() {
        return None;
    }
    // The `events` field's default and bounds; were they to change, the
    // page read here would not be taken and the field would read its own.
    let mut first = 20;
    for (name, value) in field.arguments().ok()? {
        match (name.as_str(), value) {
            ("first", Value::Number(n)) => first = n.as_i64()?,
            _ => return None,
        }
    }
    (1..=200).contains(&first).then_some(first)
}

pub async fn entity_changes(
    ctx: &Context<'_>,
    kind: &'static str,
    id: i64,
    to_id: fn(i64) -> ID,
) -> Result<Vec<EntityChange>> {
    let api = ctx.data::<ApiContext>()?;
    let rows = api.store.entity_history(kind, id).await.map_err(internal)?;
    Ok(rows
        .into_iter()
        .map(|(at, action, others, reason)| EntityChange {
            at: at.and_utc(),
            action,
            others: serde_json::from_str::<Vec<i64>>(&others)
                .unwrap_or_default()
                .into_iter()
                .map(to_id)
                .collect(),
            reason,
        })
        .collect())
}

/// 提及引用 Another mention, by its source's own ids.
#[derive(SimpleObject)]
pub struct MentionRef {
    /// 来源 Source system.
    pub source: Source,
    /// 源记录编号 gdbh / jjdbh / xfjbh.
    pub record_id: String,
    /// 序号 Position of the person in the record.
    pub position: i64,
}

/// 字段证据 What one field contributed to a link.
#[derive(SimpleObject)]
pub struct FieldEvidence {
    /// 字段 base (prior odds), id, name, phone, sex, birth or place.
    pub field: String,
    /// 比较结果 How the two mentions compare on it (exact, phonetic, agree, disagree, unknown ...).
    pub level: String,
    /// 权重 log2 odds it adds (negative: evidence against).
    pub weight: f64,
    /// 说明 What the weight stands for, when it needs saying.
    pub note: Option<String>,
}

/// 关联证据 Why a mention belongs to its person: its strongest link to another
/// mention of that person.
#[derive(SimpleObject)]
pub struct LinkEvidence {
    /// 关联提及 The mention it links to.
    pub with: MentionRef,
    /// 得分 Sum of the weights (log2 odds).
    pub score: f64,
    /// 阈值 Links are made at or above this score, or by a shared valid ID number.
    pub threshold: f64,
    /// 字段证据 Each field's part, the prior odds first.
    pub fields: Vec<FieldEvidence>,
}

impl LinkEvidence {
    pub fn parse(json: &str) -> Option<LinkEvidence> {
        let w: PersonWhy = serde_json::from_str(json).ok()?;
        Some(LinkEvidence {
            with: MentionRef {
                source: w.with.source.parse().ok()?,
                record_id: w.with.record_id,
                position: w.with.slot as i64,
            },
            score: w.score,
            threshold: w.threshold,
            fields: w
                .fields
                .into_iter()
                .map(|f| FieldEvidence {
                    field: f.field,
                    level: f.level,
                    weight: f.weight,
                    note: f.note,
                })
                .collect(),
        })
    }
}

/// 地址归并依据 Why an address as written is the place it was resolved to.
#[derive(SimpleObject)]
pub struct PlaceEvidence {
    /// 地点键 The place key the text names (S: compound, S#: road and number, /B
    /// building, /U unit, /R room; C: community, J: street office, D: district).
    pub named: String,
    /// 别名链 How this writing of the compound was joined to the one it is stored
    /// under, step by step; empty when it is the same writing.
    pub aliases: Vec<AliasStepEvidence>,
}

/// 别名 One step joining two writings of a compound.
#[derive(SimpleObject)]
pub struct AliasStepEvidence {
    /// 原写法 One writing (a name or a road and number).
    pub from: String,
    /// 另一写法 The other writing.
    pub to: String,
    /// 共现记录数 Records naming both; null when joined by where 110 alarms were
    /// called from (nearby coordinates).
    pub records: Option<i64>,
}

impl PlaceEvidence {
    pub fn parse(json: &str) -> Option<PlaceEvidence> {
        let w: crate::resolve::why::PlaceWhy = serde_json::from_str(json).ok()?;
        Some(PlaceEvidence {
            named: w.named,
            aliases: w
                .aliases
                .into_iter()
                .map(|a| AliasStepEvidence {
                    from: a.from,
                    to: a.to,
                    records: a.records.map(i64::from),
                })
                .collect(),
        })
    }
}

/// 人员检索结果 Persons a search found.
#[derive(SimpleObject)]
pub struct PersonSearch {
    /// 识别为 How the text was read: id, masked_id, phone, name or pinyin.
    pub read_as: String,
    /// 命中 Persons found, exact matches first.
    pub hits: Vec<PersonHit>,
}

/// 检索命中 One person a search found, with the keys that matched.
#[derive(SimpleObject)]
pub struct PersonHit {
    /// 人员 The person found.
    pub person: Person,
    /// 命中键 The normalised keys that matched (n: name, y: pinyin, t: phone,
    /// i: ID, m: masked ID, s: surname).
    pub matched: Vec<String>,
}

#[Object]
impl PersonsQuery {
    /// 人员档案 One person by id (P123).
    async fn person(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Person>> {
        let api = ctx.data::<ApiContext>()?;
        let n = parse_entity_id(&id, PERSON_PREFIX)?;
        let look = ctx.look_ahead();
        // A history as analysts open it: the person with the newest page of
        // their timeline, read together in one checkout.
        let events = look.field("events");
        if let Some(first) = newest_page_asked(&events) {
            let found = api
                .store
                .person_history(n, first, page_reads(&events))
                .await
                .map_err(internal)?;
            return Ok(found.map(|h| {
                Person::from(h.record)
                    .with_span(Some(h.span))
                    .with_newest(first, h.page)
            }));
        }
        // One person asked for by id: read it (and its first/last seen when
        // asked) at once rather than through a batch that waits for company.
        let span = ["eventCount", "firstSeen", "lastSeen"]
            .iter()
            .any(|f| look.field(f).exists());
        let found = api
            .store
            .entity_with_span(PERSON, n, span)
            .await
            .map_err(internal)?;
        Ok(found.map(|(record, s)| Person::from(record).with_span(span.then_some(s))))
    }

    /// 人员检索 Find persons by name (any script, homophones through pinyin, a leading
    /// part such as a surname), by phone in any format, or by ID number, full, 15-digit
    /// or masked (410602********1234). Exact matches first, then most mentions.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn search_persons(
        &self,
        ctx: &Context<'_>,
        text: String,
        #[graphql(default = 20, validator(minimum = 1, maximum = 100))] first: i64,
    ) -> Result<PersonSearch> {
        let api = ctx.data::<ApiContext>()?;
        let q = person_query(&text, &api.search.area_code).ok_or_else(|| {
            ErrorCode::BadArgument.error(format!(
                "`{text}` is not a name, phone or ID number to search for"
            ))
        })?;
        let found = api
            .store
            .entities_by_keys(PERSON, q.keys.clone(), q.name_prefix.clone(), first)
            .await
            .map_err(internal)?;
        let mut matched: HashMap<i64, Vec<String>> = HashMap::new();
        for (key, id) in found {
            let m = matched.entry(id).or_default();
            if !m.contains(&key) {
                m.push(key);
            }
        }
        let people = api
            .loaders
            .load_many(matched.keys().map(|id| PersonKey(*id)))
            .await?;
        let mut hits: Vec<PersonHit> = matched
            .into_iter()
            .filter_map(|(id, keys)| {
                Some(PersonHit {
                    person: Person::from(people.get(&PersonKey(id))?.clone()),
                    matched: keys,
                })
            })
            .collect();
        let exact = |h: &PersonHit| h.matched.iter().any(|k| q.keys.contains(k));
        hits.sort_by(|a, b| {
            exact(b)
                .cmp(&exact(a))
                .then(
                    b.person
                        .record
                        .mention_count
                        .cmp(&a.person.record.mention_count),
                )
                .then(a.person.record.id.cmp(&b.person.record.id))
        });
        hits.truncate(first as usize);
        Ok(PersonSearch {
            read_as: q.read_as.to_string(),
            hits,
        })
    }
}
