//! Person resolution: which mentions across the three sources are one
//! citizen. Features are parsed once (`features`), compared field by field
//! (`compare`), weighted Fellegi–Sunter style with parameters estimated from
//! the data (`model`, `stats`), linked only within blocks (`blocks`) and
//! clustered under hard constraints (`cluster`) by the incremental resolver
//! (`resolver`).

mod blocks;
mod cluster;
pub mod compare;
pub mod features;
pub mod model;
mod resolver;
mod stats;

pub use features::PersonFeatures;
pub use model::{Evidence, PersonModel};
pub use resolver::{Explanation, PersonInput, PersonResolver, PersonSummary, RecordPersons};
