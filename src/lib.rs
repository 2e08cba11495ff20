//! 综治 data-integration hub: three government feeds (12345 hotline, 110 alarms, 信访 petitions)
//! through config-driven connectors into one unified store, served over GraphQL.
//!
//! Data flows one way: `connectors` → `ingest` → `store` → `graphql`. See ARCHITECTURE.md.

pub mod analysis;
pub mod app;
pub mod blocking;
pub mod config;
pub mod connectors;
pub mod domain;
pub mod evaluation;
pub mod feeds;
pub mod graphql;
pub mod http_graphql;
pub mod ingest;
pub mod json_path;
pub mod report;
pub mod resolve;
pub mod simulate;
pub mod store;
pub mod thread_priority;
pub mod time_format;
