//! Raw records through a feed's mapping into the unified model, the sync loop that stores
//! them with their checkpoint, and quarantine replay.

pub mod mapping;
pub mod mapping_config;
pub mod progress;
pub mod replay;
pub mod resolution;
pub mod sync;
