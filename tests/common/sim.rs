//! Simulator wiring for tests (filled in with the simulator).
