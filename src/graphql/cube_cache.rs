//! The aggregate cube kept fresh: after a sync batch or a resolution step
//! changes the store, the next aggregate request (at most every
//! `CHECK_EVERY`) starts a reload in the background and is answered from
//! the cube it has; until the first load finishes, aggregates go to SQL.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::analysis::cube::Cube;
use crate::store::{DataMark, Store};

const CHECK_EVERY: Duration = Duration::from_secs(2);

pub struct CubeCache {
    store: Store,
    state: Mutex<State>,
    /// One scan per core at a time: scans interleaved on fewer cores than
    /// requests evict each other's counters from the cache, and each one
    /// gets slower than waiting its turn.
    scans: Arc<tokio::sync::Semaphore>,
}

#[derive(Default)]
struct State {
    cube: Option<Arc<Cube>>,
    /// What the store looked like when `cube` was read.
    mark: Option<DataMark>,
    checked: Option<Instant>,
    loading: bool,
}

impl CubeCache {
    pub fn new(store: Store) -> CubeCache {
        CubeCache {
            store,
            state: Mutex::default(),
            scans: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
        }
    }

    /// The cube to answer from now (None: ask SQL), reloading it in the
    /// background when the store changed.
    pub async fn get(self: &Arc<Self>) -> Option<Arc<Cube>> {
        let (cube, check) = {
            let mut s = self.state.lock().expect("cube state");
            let due = !s.loading && s.checked.is_none_or(|t| t.elapsed() >= CHECK_EVERY);
            if due {
                s.checked = Some(Instant::now());
            }
            (s.cube.clone(), due)
        };
        if check {
            match self.store.data_mark().await {
                Ok(mark) => {
                    let stale = self.state.lock().expect("cube state").mark.as_ref() != Some(&mark);
                    if stale {
                        self.reload_in_background(mark);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot tell whether the aggregate cube is current")
                }
            }
        }
        cube
    }

    /// Runs `f` on the cube on the blocking pool when a core is free for it.
    pub async fn scan<T: Send + 'static>(
        &self,
        cube: Arc<Cube>,
        f: impl FnOnce(&Cube) -> T + Send + 'static,
    ) -> Result<T, crate::store::StoreError> {
        // The turn goes with the scan: a request given up on does not free
        // a core its scan still uses.
        let turn = self
            .scans
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| crate::store::StoreError::Task(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let out = f(&cube);
            drop(turn);
            out
        })
        .await
        .map_err(|e| crate::store::StoreError::Task(e.to_string()))
    }

    /// Loads the cube now (for start-up and benchmarks).
    pub async fn warm(&self) -> Result<(), crate::store::StoreError> {
        let mark = self.store.data_mark().await?;
        self.load(mark).await
    }

    fn reload_in_background(self: &Arc<Self>, mark: DataMark) {
        {
            let mut s = self.state.lock().expect("cube state");
            if s.loading {
                return;
            }
            s.loading = true;
        }
        let me = self.clone();
        tokio::spawn(async move {
            if let Err(e) = me.load(mark).await {
                tracing::warn!(error = %e, "the aggregate cube could not be loaded; aggregates use SQL");
            }
            me.state.lock().expect("cube state").loading = false;
        });
    }

    async fn load(&self, mark: DataMark) -> Result<(), crate::store::StoreError> {
        let started = Instant::now();
        let rows = self.store.cube_rows().await?;
        let cube = tokio::task::spawn_blocking(move || Cube::from_rows(rows))
            .await
            .map_err(|e| crate::store::StoreError::Task(e.to_string()))?;
        tracing::debug!(
            events = cube.len(),
            ms = started.elapsed().as_millis() as u64,
            "aggregate cube loaded"
        );
        let mut s = self.state.lock().expect("cube state");
        s.cube = Some(Arc::new(cube));
        s.mark = Some(mark);
        Ok(())
    }
}
