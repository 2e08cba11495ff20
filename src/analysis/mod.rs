//! Computations over the unified store for the API and the reports. Pure:
//! the store loads, these compute.
//!
//! `cube` answers dashboard aggregates. The situation analyses (综合研判)
//! read a `Frame` of one window: `repeat` contacts, `escalation` chains,
//! `hotspots`, `collective` matters, work-discipline `indicators` and
//! `hot_words`; `themes` says which categories are one kind of dispute.

pub mod calendar;
pub mod collective;
pub mod cube;
pub mod escalation;
pub mod frame;
pub mod hot_words;
pub mod hotspots;
pub mod indicators;
pub mod repeat;
pub mod themes;

#[cfg(test)]
mod tests;

pub use calendar::DaySpan;
pub use frame::{Frame, Level};
pub use themes::Themes;
