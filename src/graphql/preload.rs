//! What a page of events will be asked about its mentions' persons and
//! places, loaded before the page resolves: links, entity rows and
//! first/last seen, each in one query for the whole page and only when the
//! request selects them. Batch loaders would batch these too, but their
//! batches are cut by time, so a page's query count would depend on how
//! fast the server resolves; preloading makes it fixed.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Result};

use super::ApiContext;
use super::errors::internal;
use super::loaders::{ADDRESS, PERSON};
use crate::store::{EntityRecord, MentionLink, Span};

#[derive(Default)]
pub struct Preloaded {
    /// event id → links; None when the request does not ask for them.
    pub person_links: Option<HashMap<i64, Vec<MentionLink>>>,
    pub place_links: Option<HashMap<i64, Vec<MentionLink>>>,
    pub persons: HashMap<i64, EntityRecord>,
    pub places: HashMap<i64, EntityRecord>,
    pub spans: Option<HashMap<i64, Span>>,
}

impl Preloaded {
    pub fn person_link(&self, event_id: i64, slot: i64) -> Option<Option<MentionLink>> {
        let links = self.person_links.as_ref()?;
        Some(find(links, event_id, slot))
    }

    pub fn place_link(&self, event_id: i64, slot: i64) -> Option<Option<MentionLink>> {
        let links = self.place_links.as_ref()?;
        Some(find(links, event_id, slot))
    }
}

fn find(links: &HashMap<i64, Vec<MentionLink>>, event_id: i64, slot: i64) -> Option<MentionLink> {
    links
        .get(&event_id)?
        .iter()
        .find(|l| l.slot == slot)
        .cloned()
}

/// Loads what the selection under `edges.node` asks of these events.
pub async fn preload(ctx: &Context<'_>, event_ids: &[i64]) -> Result<Arc<Preloaded>> {
    let api = ctx.data::<ApiContext>()?;
    let node = ctx.look_ahead().field("edges").field("node");
    let persons = node.field("persons");
    let person = persons.field("person");
    let addresses = node.field("addresses");
    let place = addresses.field("place");
    let mut out = Preloaded::default();
    if event_ids.is_empty() {
        return Ok(Arc::new(out));
    }
    if person.exists() || persons.field("why").exists() {
        let links = api
            .store
            .links_of_events(PERSON, event_ids.to_vec())
            .await
            .map_err(internal)?;
        let ids: Vec<i64> = unique(links.iter().map(|l| l.entity_id));
        if person.exists() {
            out.persons = by_id(
                api.store
                    .entities_by_ids(PERSON, ids.clone())
                    .await
                    .map_err(internal)?,
            );
        }
        let span = ["eventCount", "firstSeen", "lastSeen"];
        if span.iter().any(|f| person.field(f).exists()) {
            let spans = api
                .store
                .entity_spans(PERSON, ids)
                .await
                .map_err(internal)?;
            out.spans = Some(spans.into_iter().map(|s| (s.entity_id, s)).collect());
        }
        out.person_links = Some(group(links));
    }
    if place.exists() || addresses.field("why").exists() {
        let links = api
            .store
            .links_of_events(ADDRESS, event_ids.to_vec())
            .await
            .map_err(internal)?;
        if place.exists() {
            let ids = unique(links.iter().map(|l| l.entity_id));
            out.places = by_id(
                api.store
                    .entities_by_ids(ADDRESS, ids)
                    .await
                    .map_err(internal)?,
            );
        }
        out.place_links = Some(group(links));
    }
    Ok(Arc::new(out))
}

fn unique(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = ids.collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn by_id(rows: Vec<EntityRecord>) -> HashMap<i64, EntityRecord> {
    rows.into_iter().map(|r| (r.id, r)).collect()
}

fn group(links: Vec<MentionLink>) -> HashMap<i64, Vec<MentionLink>> {
    let mut out: HashMap<i64, Vec<MentionLink>> = HashMap::new();
    for l in links {
        out.entry(l.event_id).or_default().push(l);
    }
    out
}
