//! Computations over the unified store for the API and the reports. Pure:
//! the store loads, these compute.

pub mod cube;
