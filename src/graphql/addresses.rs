//! Resolved places in their hierarchy — room ⊂ building ⊂ compound ⊂
//! community ⊂ street office ⊂ district — with the events at or inside
//! each, the persons seen there, and search by free text normalised the
//! way resolution normalises it.

use std::collections::BTreeMap;

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::ApiContext;
use super::errors::{ErrorCode, internal};
use super::events::{EventConnection, Scope, scoped_events};
use super::filters::EventFilter;
use super::ids::{PLACE_PREFIX, parse_entity_id, place_id};
use super::loaders::{ADDRESS, PersonKey, PlaceKey};
use super::persons::{EntityChange, Person, entity_changes};
use crate::resolve::place::query_keys;
use crate::resolve::search_keys::place_key;
use crate::store::resolution::ALIAS;
use crate::store::{EntityRecord, area_of};

#[derive(Default)]
pub struct AddressesQuery;

/// 地址 A resolved place at some level of the hierarchy.
#[derive(Clone)]
pub struct Address {
    record: EntityRecord,
    detail: serde_json::Value,
}

impl From<EntityRecord> for Address {
    fn from(record: EntityRecord) -> Address {
        let detail = serde_json::from_str(&record.detail).unwrap_or_default();
        Address { record, detail }
    }
}

/// 地址人员 A person seen in events at a place.
#[derive(SimpleObject)]
pub struct PlacePerson {
    /// 人员 The person.
    pub person: Person,
    /// 事件数 Their events at this place or inside it.
    pub events: i64,
}

/// Ancestors are at most this many levels up (room → province).
const MAX_DEPTH: usize = 10;

/// 地址 A resolved place at some level of the hierarchy, with what happened there.
#[Object]
impl Address {
    /// 编号 Address id: A followed by a number.
    async fn id(&self) -> ID {
        place_id(self.record.id)
    }

    /// 标准地址 Canonical text, ancestors first (河南省鹤壁市淇滨区…3号楼2单元501室).
    async fn text(&self) -> &str {
        &self.record.label
    }

    /// 层级 province, city, district, street, community, site, road, crossing, building
    /// or room.
    async fn level(&self) -> Option<&str> {
        self.record.level.as_deref()
    }

    /// 经度 Mean WGS-84 longitude of the 110 alarms placed here.
    async fn longitude(&self) -> Option<f64> {
        self.detail.get("longitude")?.as_f64()
    }

    /// 纬度 Mean WGS-84 latitude of the 110 alarms placed here.
    async fn latitude(&self) -> Option<f64> {
        self.detail.get("latitude")?.as_f64()
    }

    /// 提及次数 Mentions whose finest place this is.
    async fn mention_count(&self) -> i64 {
        self.record.mention_count
    }

    /// 上级 The enclosing place.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Address>> {
        let Some(p) = self.record.parent_id else {
            return Ok(None);
        };
        let api = ctx.data::<ApiContext>()?;
        Ok(api.loaders.load_one(PlaceKey(p)).await?.map(Address::from))
    }

    /// 上级链 Every enclosing place, nearest first, up to the district and beyond.
    async fn ancestors(&self, ctx: &Context<'_>) -> Result<Vec<Address>> {
        let api = ctx.data::<ApiContext>()?;
        let mut out = Vec::new();
        let mut next = self.record.parent_id;
        while let Some(id) = next {
            if out.len() >= MAX_DEPTH {
                break;
            }
            let Some(r) = api.loaders.load_one(PlaceKey(id)).await? else {
                break;
            };
            next = r.parent_id;
            out.push(Address::from(r));
        }
        Ok(out)
    }

    /// 下级 Places directly inside this one, most mentions first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, validator(minimum = 1, maximum = 500))] first: i64,
    ) -> Result<Vec<Address>> {
        let api = ctx.data::<ApiContext>()?;
        let rows = api
            .store
            .children_of(vec![self.record.id], first)
            .await
            .map_err(internal)?;
        Ok(rows.into_iter().map(Address::from).collect())
    }

    /// 时间线 Events at this place or inside it, from all three systems, newest first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i64,
        after: Option<String>,
    ) -> Result<EventConnection> {
        scoped_events(ctx, filter, Scope::Area(self.area()?), first, after).await
    }

    /// 相关人员 Persons named in events here or inside, most events first: who else
    /// lives at or calls about this place.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn persons(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i64,
    ) -> Result<Vec<PlacePerson>> {
        let api = ctx.data::<ApiContext>()?;
        let rows = api
            .store
            .persons_at(self.area()?, first)
            .await
            .map_err(internal)?;
        let people = api
            .loaders
            .load_many(rows.iter().map(|(id, _)| PersonKey(*id)))
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, events)| {
                Some(PlacePerson {
                    person: Person::from(people.get(&PersonKey(id))?.clone()),
                    events,
                })
            })
            .collect())
    }

    /// 归并记录 Creations, merges and splits of this place, oldest first.
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<EntityChange>> {
        entity_changes(ctx, ADDRESS, self.record.id, place_id).await
    }
}

impl Address {
    fn area(&self) -> Result<crate::store::AreaFilter> {
        area_of(&self.record).ok_or_else(|| {
            ErrorCode::BadArgument.error(format!(
                "a {} is too coarse to list events by",
                self.record.level.as_deref().unwrap_or("place")
            ))
        })
    }
}

/// 地址检索结果 Places a free-text address names.
#[derive(SimpleObject)]
pub struct AddressSearch {
    /// 解析结果 The text as the parser read it, canonical.
    pub parsed: String,
    /// 命中 Known places the text names, finest first.
    pub hits: Vec<Address>,
}

#[Object]
impl AddressesQuery {
    /// 地址档案 One place by id (A45).
    async fn address(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Address>> {
        let api = ctx.data::<ApiContext>()?;
        let n = parse_entity_id(&id, PLACE_PREFIX)?;
        Ok(api.loaders.load_one(PlaceKey(n)).await?.map(Address::from))
    }

    /// 地址检索 Find places by free text written any way the feeds write it (全角, 繁体,
    /// 三号楼 / 3栋 / 3#, 2-501, a compound by name or by door number).
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn search_addresses(
        &self,
        ctx: &Context<'_>,
        text: String,
        #[graphql(default = 10, validator(minimum = 1, maximum = 100))] first: i64,
    ) -> Result<AddressSearch> {
        let api = ctx.data::<ApiContext>()?;
        let path = api.search.gazetteer.parse(&text);
        let (links, site_keys) = query_keys(&path, None);
        if links.is_empty() {
            return Err(ErrorCode::BadArgument.error(format!("`{text}` names no place")));
        }
        // The compound may be stored under another of its names: find it
        // first and ask for its buildings and rooms under that key.
        let site_keys: Vec<String> = site_keys.iter().map(|k| place_key(k)).collect();
        let mut sites = api
            .store
            .entities_by_keys(ADDRESS, site_keys.clone(), None, 1)
            .await
            .map_err(internal)?;
        if sites.is_empty() {
            sites = api
                .store
                .entities_by_keys(ALIAS, site_keys, None, 1)
                .await
                .map_err(internal)?;
        }
        let stored_site = match sites.first() {
            Some((_, id)) => api.loaders.load_one(PlaceKey(*id)).await?.and_then(|r| {
                Address::from(r)
                    .detail
                    .get("key")?
                    .as_str()
                    .map(str::to_string)
            }),
            None => None,
        };
        let (links, _) = query_keys(&path, stored_site.as_deref());
        let keys: Vec<String> = links.iter().map(|(_, k)| place_key(k)).collect();
        let found = api
            .store
            .entities_by_keys(ADDRESS, keys.clone(), None, first)
            .await
            .map_err(internal)?;
        let rank: BTreeMap<&String, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        let mut ids: Vec<(usize, i64)> = found
            .iter()
            .map(|(k, id)| (rank.get(k).copied().unwrap_or(usize::MAX), *id))
            .collect();
        ids.sort();
        ids.dedup_by_key(|(_, id)| *id);
        ids.truncate(first as usize);
        let places = api
            .loaders
            .load_many(ids.iter().map(|(_, id)| PlaceKey(*id)))
            .await?;
        Ok(AddressSearch {
            parsed: path.canonical(),
            hits: ids
                .into_iter()
                .filter_map(|(_, id)| places.get(&PlaceKey(id)).cloned().map(Address::from))
                .collect(),
        })
    }
}
