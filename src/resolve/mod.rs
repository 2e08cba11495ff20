//! Entity resolution: which mentions are one person, which addresses one
//! place. Pure computation over parsed values — no IO, no database, no
//! clock — so it is tested directly and runs the same in a sync, a rebuild
//! and a benchmark. The store feeds it mentions and writes back what it
//! returns (`crate::ingest::resolution`).

pub mod address;
pub mod mention;
pub mod normalize;
pub mod outcome;
pub mod person;
pub mod place;
pub mod quality;
pub mod search_keys;
pub mod stable_ids;
pub mod why;
