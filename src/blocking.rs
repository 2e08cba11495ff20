//! Long computations called from async code (an analysis over a million
//! events takes most of a second) must not stall the executor's worker:
//! on the multi-threaded runtime the worker hands its other tasks away for
//! the duration; elsewhere (a current-thread runtime, no runtime) the work
//! simply runs.

pub fn compute<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}
