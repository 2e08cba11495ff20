//! Counts and rates grouped by several dimensions at once: one request
//! draws a trend (by day), a heat map (by community) or a league table (by
//! unit), or any cross of them.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::resolver_utils::enum_value;
use async_graphql::{Context, Enum, Object, Result, SimpleObject, Value};

use super::ApiContext;
use super::addresses::Address;
use super::errors::{ErrorCode, internal};
use super::filters::EventFilter;
use super::ids::place_id;
use super::loaders::PlaceKey;
use super::plain_list::{PlainList, PlainRow, Plan};
use crate::store::{Dimension, MAX_DIMENSIONS};

#[derive(Default)]
pub struct AggregatesQuery;

/// 分组维度 What to group events by. Days, weeks and months are China Standard Time.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum GroupBy {
    /// 日 YYYY-MM-DD
    Day,
    /// 周 The Monday the week starts on, YYYY-MM-DD.
    Week,
    /// 月 YYYY-MM
    Month,
    /// 区县 District.
    District,
    /// 街道（乡镇） Street office or township.
    Street,
    /// 社区（村） Community or village.
    Community,
    /// 小区 / 村民小组 / 门牌 Compound, village group or road number.
    Site,
    /// 楼栋 Building.
    Building,
    /// 一级分类 The top level of the common taxonomy.
    Category,
    /// 完整分类 The whole taxonomy path.
    CategoryPath,
    /// 来源 Source system.
    Source,
    /// 类型 Type as the source names it.
    Type,
    /// 状态 Common lifecycle.
    Status,
    /// 承办单位 Handling unit.
    Unit,
}

impl GroupBy {
    fn dimension(self) -> Dimension {
        match self {
            GroupBy::Day => Dimension::Day,
            GroupBy::Week => Dimension::Week,
            GroupBy::Month => Dimension::Month,
            GroupBy::District => Dimension::District,
            GroupBy::Street => Dimension::Street,
            GroupBy::Community => Dimension::Community,
            GroupBy::Site => Dimension::Site,
            GroupBy::Building => Dimension::Building,
            GroupBy::Category => Dimension::Category,
            GroupBy::CategoryPath => Dimension::CategoryPath,
            GroupBy::Source => Dimension::Source,
            GroupBy::Type => Dimension::Type,
            GroupBy::Status => Dimension::Status,
            GroupBy::Unit => Dimension::Unit,
        }
    }

    fn is_area(self) -> bool {
        matches!(
            self,
            GroupBy::District
                | GroupBy::Street
                | GroupBy::Community
                | GroupBy::Site
                | GroupBy::Building
        )
    }
}

/// 分组键 A group's value in one dimension.
#[derive(SimpleObject)]
pub struct GroupKey {
    /// 维度 The dimension.
    pub by: GroupBy,
    /// 值 The value: an address id such as A45 for area dimensions, the enum value
    /// (HOTLINE, IN_PROGRESS) for source and status; null when the events do not say
    /// (no area resolved, no unit, no type).
    pub value: Option<String>,
    /// 名称 What to print: the place's canonical text for areas, else the value.
    pub label: Option<String>,
    /// 地址 The place, for area dimensions.
    pub address: Option<Arc<Address>>,
}

/// 统计组 One group and its figures.
#[derive(SimpleObject)]
pub struct AggregateGroup {
    /// 分组键 One key per requested dimension, in the order asked.
    pub keys: Vec<GroupKey>,
    /// 事件数 Events in the group.
    pub count: i64,
    /// 办结数 Events in a finished state (resolved, closed, rejected).
    pub finished: i64,
    /// 办结率 finished / count.
    pub closure_rate: f64,
    /// 平均办理时长（小时）Mean hours from occurrence to closing, over closed events.
    pub mean_handling_hours: Option<f64>,
    /// 满意数 Rated satisfied or basically satisfied.
    pub satisfied: i64,
    /// 评价数 Events with a satisfaction rating (未评价 not counted).
    pub rated: i64,
    /// 满意率 satisfied / rated; null when nothing was rated.
    pub satisfaction_rate: Option<f64>,
}

impl PlainRow for GroupKey {
    const TYPE_NAME: &'static str = "GroupKey";

    fn plain(&self, name: &str, _: Option<&Plan>) -> Option<Value> {
        Some(match name {
            "by" => enum_value(self.by),
            "value" => self.value.clone().into(),
            "label" => self.label.clone().into(),
            _ => return None,
        })
    }
}

impl PlainRow for AggregateGroup {
    const TYPE_NAME: &'static str = "AggregateGroup";

    fn plain(&self, name: &str, sub: Option<&Plan>) -> Option<Value> {
        Some(match name {
            "keys" => sub?.apply_all(&self.keys)?,
            "count" => self.count.into(),
            "finished" => self.finished.into(),
            "closureRate" => self.closure_rate.into(),
            "meanHandlingHours" => self.mean_handling_hours.into(),
            "satisfied" => self.satisfied.into(),
            "rated" => self.rated.into(),
            "satisfactionRate" => self.satisfaction_rate.into(),
            _ => return None,
        })
    }
}

/// 统计结果 Grouped counts and rates.
#[derive(SimpleObject)]
pub struct Aggregate {
    /// 分组 Largest groups first.
    pub groups: PlainList<AggregateGroup>,
    /// 总数 Events in all returned groups.
    pub total: i64,
}

#[Object]
impl AggregatesQuery {
    /// 统计 Counts, closure rate, handling time and satisfaction of the events a filter
    /// selects, grouped by one to four dimensions at once.
    // Groups are cheap rows of numbers: a hundred cost what one item of a list does.
    #[graphql(
        complexity = "((first.max(1) as usize) / 100).max(1).saturating_mul(child_complexity)"
    )]
    async fn aggregate(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        by: Vec<GroupBy>,
        #[graphql(default = 1000, validator(minimum = 1, maximum = 10000))] first: i64,
    ) -> Result<Aggregate> {
        if by.is_empty() || by.len() > MAX_DIMENSIONS {
            return Err(ErrorCode::BadArgument.error(format!(
                "`by` takes 1 to {MAX_DIMENSIONS} dimensions, got {}",
                by.len()
            )));
        }
        let mut seen = by.clone();
        seen.sort_by_key(|b| *b as u8);
        seen.dedup();
        if seen.len() != by.len() {
            return Err(ErrorCode::BadArgument.error("`by` names a dimension twice"));
        }
        let api = ctx.data::<ApiContext>()?;
        let f = filter.unwrap_or_default().to_store(ctx).await?;
        let dims: Vec<Dimension> = by.iter().map(|b| b.dimension()).collect();
        let cached = match api.cube.get().await {
            Some(cube) => {
                let (f, dims) = (f.clone(), dims.clone());
                api.cube
                    .scan(cube, move |c| c.aggregate(&f, &dims, first as usize))
                    .await
                    .map_err(internal)?
            }
            None => None,
        };
        let groups = match cached {
            Some(g) => g,
            None => api
                .store
                .aggregate(f, dims, first)
                .await
                .map_err(internal)?,
        };
        let area_ids: Vec<PlaceKey> = groups
            .iter()
            .flat_map(|g| {
                by.iter()
                    .zip(&g.keys)
                    .filter(|(b, _)| b.is_area())
                    .filter_map(|(_, k)| k.parse().ok().map(PlaceKey))
            })
            .collect();
        let places = api.loaders.load_many(area_ids).await?;
        // A place is spelt (and parsed, when its address is asked for) once,
        // however many groups name it.
        let with_address = ctx
            .look_ahead()
            .field("groups")
            .field("keys")
            .field("address")
            .exists();
        let places: HashMap<i64, (String, Option<Arc<Address>>)> = places
            .into_iter()
            .map(|(PlaceKey(id), record)| {
                let label = record.label.clone();
                let address = with_address.then(|| Arc::new(Address::from(record)));
                (id, (label, address))
            })
            .collect();
        let total = groups.iter().map(|g| g.events).sum();
        let groups = groups
            .into_iter()
            .map(|g| AggregateGroup {
                keys: by
                    .iter()
                    .zip(g.keys)
                    .map(|(b, k)| {
                        if k.is_empty() {
                            return GroupKey {
                                by: *b,
                                value: None,
                                label: None,
                                address: None,
                            };
                        }
                        if b.is_area() {
                            let id: Option<i64> = k.parse().ok();
                            let place = id.and_then(|id| places.get(&id));
                            GroupKey {
                                by: *b,
                                value: id.map(|id| place_id(id).0),
                                label: place.map(|p| p.0.clone()),
                                address: place.and_then(|p| p.1.clone()),
                            }
                        } else {
                            // Sources and states as the API's enums spell them.
                            let k = match b {
                                GroupBy::Source | GroupBy::Status => k.to_uppercase(),
                                _ => k,
                            };
                            GroupKey {
                                by: *b,
                                label: Some(k.clone()),
                                value: Some(k),
                                address: None,
                            }
                        }
                    })
                    .collect(),
                count: g.events,
                finished: g.finished,
                closure_rate: g.finished as f64 / g.events.max(1) as f64,
                mean_handling_hours: g.mean_handling_hours,
                satisfied: g.satisfied,
                rated: g.rated,
                satisfaction_rate: (g.rated > 0).then(|| g.satisfied as f64 / g.rated as f64),
            })
            .collect();
        Ok(Aggregate {
            groups: PlainList(groups),
            total,
        })
    }
}
