//! The GraphQL API, split by area and merged. Resolvers read through `Store`; they never build
//! SQL themselves.

mod errors;
mod events;
mod sync;

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema};

use crate::store::Store;

pub use errors::ErrorCode;

#[derive(MergedObject, Default)]
pub struct Query(events::EventsQuery, sync::SyncQuery);

pub type HubSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// What resolvers can reach.
#[derive(Clone)]
pub struct ApiContext {
    pub store: Store,
    /// Connector names from the loaded connector files, so status lists feeds that never ran.
    pub connectors: Vec<String>,
}

pub fn build_schema(ctx: Option<ApiContext>) -> HubSchema {
    let builder = Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .limit_depth(12)
        .limit_complexity(5_000);
    match ctx {
        Some(c) => builder.data(c).finish(),
        None => builder.finish(),
    }
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    build_schema(None).sdl()
}
