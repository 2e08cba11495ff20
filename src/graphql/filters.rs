//! The event filter as clients write it, checked and turned into the
//! store's filter. Shared by every list of events (the top-level list, a
//! person's or a place's timeline, a unit's work) and by aggregates.

use async_graphql::{Context, ID, InputObject, Result};
use chrono::{DateTime, Utc};

use super::ApiContext;
use super::errors::ErrorCode;
use super::ids::{PLACE_PREFIX, parse_entity_id};
use super::loaders::PlaceKey;
use crate::domain::{Lifecycle, Satisfaction, Source};
use crate::store::{AreaFilter, EventFilter as StoreFilter, area_of};

/// 事件筛选 Filters on events; all optional, combined with AND.
#[derive(InputObject, Default, Clone)]
pub struct EventFilter {
    /// 来源 Only these sources.
    pub sources: Option<Vec<Source>>,
    /// 起始时间 occurredAt at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// 截止时间 occurredAt before this instant.
    pub to: Option<DateTime<Utc>>,
    /// 分类 A common-taxonomy path at any level (`矛盾纠纷` includes `矛盾纠纷>家庭纠纷`).
    pub category: Option<String>,
    /// 类型 Only these types (诉求类型 / 警情类别 / 信访目的), exactly as stored.
    pub types: Option<Vec<String>>,
    /// 状态 Only these lifecycle states.
    pub statuses: Option<Vec<Lifecycle>>,
    /// 承办单位 Exact handling unit.
    pub unit: Option<String>,
    /// 区域 An address id at any level (district, street office, community, compound,
    /// building, room): events there or inside it.
    pub area: Option<ID>,
    /// 人员 A person id: events naming that person.
    pub person: Option<ID>,
    /// 超期 true: only unfinished items past their deadline now (超期未办结).
    /// false or absent: no restriction.
    pub overdue: Option<bool>,
    /// 满意度 Only these satisfaction ratings (hotline).
    pub satisfaction: Option<Vec<Satisfaction>>,
    /// 内容包含 Content contains this text.
    pub text_contains: Option<String>,
}

impl EventFilter {
    /// Checks the filter and resolves the ids it names.
    pub async fn to_store(&self, ctx: &Context<'_>) -> Result<StoreFilter> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from >= to
        {
            return Err(ErrorCode::BadArgument.error("filter.from must be before filter.to"));
        }
        let strings = |v: &Option<Vec<String>>| v.clone().unwrap_or_default();
        Ok(StoreFilter {
            sources: self
                .sources
                .iter()
                .flatten()
                .map(|s| s.as_str().to_string())
                .collect(),
            from: self.from.map(|t| t.naive_utc()),
            to: self.to.map(|t| t.naive_utc()),
            category: self.category.clone().filter(|c| !c.is_empty()),
            statuses: self
                .statuses
                .iter()
                .flatten()
                .map(|s| s.as_str().to_string())
                .collect(),
            unit: self.unit.clone(),
            text: self.text_contains.clone().filter(|t| !t.is_empty()),
            types: strings(&self.types),
            satisfaction: self
                .satisfaction
                .iter()
                .flatten()
                .map(|s| s.as_str().to_string())
                .collect(),
            overdue_at: (self.overdue == Some(true)).then(|| Utc::now().naive_utc()),
            area: match &self.area {
                Some(id) => Some(area(ctx, id).await?),
                None => None,
            },
            person: self
                .person
                .as_ref()
                .map(|id| parse_entity_id(id, super::ids::PERSON_PREFIX))
                .transpose()?,
            ids: None,
        })
    }
}

/// The store filter for a place id, by the place's level.
pub async fn area(ctx: &Context<'_>, id: &ID) -> Result<AreaFilter> {
    let api = ctx.data::<ApiContext>()?;
    let n = parse_entity_id(id, PLACE_PREFIX)?;
    let record =
        api.loaders.load_one(PlaceKey(n)).await?.ok_or_else(|| {
            ErrorCode::BadId.error(format!("no address has id `{}`", id.as_str()))
        })?;
    area_of(&record).ok_or_else(|| {
        ErrorCode::BadArgument.error(format!(
            "address `{}` is a {} and cannot be used as an area",
            id.as_str(),
            record.level.as_deref().unwrap_or("place")
        ))
    })
}
