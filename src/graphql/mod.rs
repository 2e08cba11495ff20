//! The GraphQL API, split by area and merged. Resolvers read through `Store`; they never build
//! SQL themselves.

mod addresses;
mod aggregates;
mod cube_cache;
mod errors;
mod event_detail;
mod events;
mod filters;
mod ids;
mod loaders;
mod persons;
mod plain_list;
mod preload;
mod situation;
mod situation_cache;
mod situation_types;
mod subscriptions;
mod sync;
mod units;

use std::sync::Arc;

use async_graphql::{EmptyMutation, MergedObject, Schema};

use crate::config::{AnalysisSettings, ResolveSettings};
use crate::report::jobs::Reporter;
use crate::resolve::address::Gazetteer;
use crate::store::Store;

pub use errors::{ErrorCode, code_refusal};

#[derive(MergedObject, Default)]
pub struct Query(
    events::EventsQuery,
    persons::PersonsQuery,
    addresses::AddressesQuery,
    aggregates::AggregatesQuery,
    situation::SituationQuery,
    sync::SyncQuery,
);

pub type HubSchema = Schema<Query, EmptyMutation, subscriptions::Subscription>;

/// How search text is read: the same gazetteer and area code resolution uses.
pub struct SearchSettings {
    pub gazetteer: Gazetteer,
    pub area_code: String,
}

/// What resolvers can reach.
#[derive(Clone)]
pub struct ApiContext {
    pub store: Store,
    /// Connector names from the loaded connector files, so status lists feeds that never ran.
    pub connectors: Vec<String>,
    pub search: Arc<SearchSettings>,
    loaders: Arc<loaders::Loaders>,
    cube: Arc<cube_cache::CubeCache>,
    frames: Arc<situation_cache::FrameCache>,
    reporter: Reporter,
}

impl ApiContext {
    /// With the national gazetteer and default area code; see `with_search`.
    pub fn new(store: Store, connectors: Vec<String>) -> ApiContext {
        let defaults = ResolveSettings::default();
        ApiContext {
            loaders: Arc::new(loaders::loaders(store.clone())),
            cube: Arc::new(cube_cache::CubeCache::new(store.clone())),
            frames: Arc::new(situation_cache::FrameCache::new(
                store.clone(),
                AnalysisSettings::default().themes,
            )),
            reporter: Reporter::new(store.clone(), AnalysisSettings::default()),
            store,
            connectors,
            search: Arc::new(SearchSettings {
                gazetteer: Gazetteer::national().clone(),
                area_code: defaults.area_code,
            }),
        }
    }

    /// Loads the aggregate cube now rather than at the first aggregate.
    pub async fn warm(&self) -> Result<(), crate::store::StoreError> {
        self.cube.warm().await
    }

    /// Situation analysis and reports with these settings (themes, county name).
    pub fn with_analysis(mut self, settings: &AnalysisSettings) -> ApiContext {
        self.frames = Arc::new(situation_cache::FrameCache::new(
            self.store.clone(),
            settings.themes.clone(),
        ));
        self.reporter = Reporter::new(self.store.clone(), settings.clone());
        self
    }

    /// Reads search text the way resolution with these settings reads records.
    pub fn with_search(mut self, gazetteer: Gazetteer, area_code: &str) -> ApiContext {
        self.search = Arc::new(SearchSettings {
            gazetteer,
            area_code: area_code.to_string(),
        });
        self
    }
}

/// Deep enough for person → events → addresses → place → persons → person →
/// events → node and its fields; a query nesting deeper is refused.
pub const MAX_DEPTH: usize = 15;
/// Each field costs 1; a list of `first` items costs `first` times its
/// item. 100 events with their persons and places cost about 3,000.
pub const MAX_COMPLEXITY: usize = 20_000;

pub fn build_schema(ctx: Option<ApiContext>) -> HubSchema {
    let builder = Schema::build(Query::default(), EmptyMutation, subscriptions::Subscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY);
    match ctx {
        Some(c) => builder.data(c).finish(),
        None => builder.finish(),
    }
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    build_schema(None).sdl()
}
