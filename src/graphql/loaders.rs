//! Batch loaders: every person, place, link and first/last-seen lookup a
//! response needs is gathered across the response and fetched in one
//! query per kind, so a page costs a fixed number of queries however many
//! rows it has. No cache: loaders are shared by all requests and batch
//! concurrent ones; the store is the only source of truth.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};

use super::errors::internal;
use crate::store::{EntityRecord, MentionLink, Span, Store};

pub use crate::store::resolution::{ADDRESS, PERSON};

/// A person entity id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PersonKey(pub i64);
/// An address entity id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlaceKey(pub i64);
/// The person links of an event's mentions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PersonLinksOf(pub i64);
/// The address links of an event's mentions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlaceLinksOf(pub i64);
/// First/last seen of a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PersonSpan(pub i64);

pub struct StoreLoader {
    store: Store,
}

pub type Loaders = DataLoader<StoreLoader>;

pub fn loaders(store: Store) -> Loaders {
    DataLoader::new(StoreLoader { store }, tokio::spawn)
}

impl StoreLoader {
    async fn entities(
        &self,
        kind: &'static str,
        ids: &[i64],
    ) -> Result<HashMap<i64, EntityRecord>, async_graphql::Error> {
        let rows = self
            .store
            .entities_by_ids(kind, ids.to_vec())
            .await
            .map_err(internal)?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }

    async fn links(
        &self,
        kind: &'static str,
        events: &[i64],
    ) -> Result<HashMap<i64, Vec<MentionLink>>, async_graphql::Error> {
        let rows = self
            .store
            .links_of_events(kind, events.to_vec())
            .await
            .map_err(internal)?;
        let mut out: HashMap<i64, Vec<MentionLink>> = HashMap::new();
        for l in rows {
            out.entry(l.event_id).or_default().push(l);
        }
        Ok(out)
    }
}

impl Loader<PersonKey> for StoreLoader {
    type Value = EntityRecord;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PersonKey],
    ) -> Result<HashMap<PersonKey, EntityRecord>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let found = self.entities(PERSON, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, r)| (PersonKey(id), r))
            .collect())
    }
}

impl Loader<PlaceKey> for StoreLoader {
    type Value = EntityRecord;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PlaceKey],
    ) -> Result<HashMap<PlaceKey, EntityRecord>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let found = self.entities(ADDRESS, &ids).await?;
        Ok(found.into_iter().map(|(id, r)| (PlaceKey(id), r)).collect())
    }
}

impl Loader<PersonLinksOf> for StoreLoader {
    type Value = Vec<MentionLink>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PersonLinksOf],
    ) -> Result<HashMap<PersonLinksOf, Vec<MentionLink>>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let found = self.links(PERSON, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(e, l)| (PersonLinksOf(e), l))
            .collect())
    }
}

impl Loader<PlaceLinksOf> for StoreLoader {
    type Value = Vec<MentionLink>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PlaceLinksOf],
    ) -> Result<HashMap<PlaceLinksOf, Vec<MentionLink>>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let found = self.links(ADDRESS, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(e, l)| (PlaceLinksOf(e), l))
            .collect())
    }
}

impl Loader<PersonSpan> for StoreLoader {
    type Value = Span;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[PersonSpan]) -> Result<HashMap<PersonSpan, Span>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = self
            .store
            .entity_spans(PERSON, ids)
            .await
            .map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|s| (PersonSpan(s.entity_id), s))
            .collect())
    }
}
