//! Analysis frames kept between requests: a dashboard polls the same
//! window again and again, and reading a month of a city takes seconds. A
//! frame is reused while the store's mark (last sync batch, resolution
//! queue, entity log) has not moved, checked at most every `CHECK_EVERY`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::analysis::{Frame, Themes};
use crate::report::build::load_frame;
use crate::store::{DataMark, Store, StoreError};

const CHECK_EVERY: Duration = Duration::from_secs(2);
/// Windows kept at once.
const KEEP: usize = 4;

struct Entry {
    /// from, to, text from.
    window: (NaiveDateTime, NaiveDateTime, NaiveDateTime),
    mark: DataMark,
    frame: Arc<Frame>,
}

pub struct FrameCache {
    store: Store,
    themes: Themes,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: Vec<Entry>,
    mark: Option<(DataMark, Instant)>,
}

impl FrameCache {
    pub fn new(store: Store, themes: Themes) -> FrameCache {
        FrameCache {
            store,
            themes,
            state: Mutex::default(),
        }
    }

    async fn mark(&self) -> Result<DataMark, StoreError> {
        if let Some((m, at)) = &self.state.lock().expect("frame cache").mark
            && at.elapsed() < CHECK_EVERY
        {
            return Ok(m.clone());
        }
        let m = self.store.data_mark().await?;
        self.state.lock().expect("frame cache").mark = Some((m.clone(), Instant::now()));
        Ok(m)
    }

    /// The events of [from, to) as a frame, without their text.
    pub async fn frame(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Arc<Frame>, StoreError> {
        self.frame_with_text(from, to, to).await
    }

    /// The events of [from, to) as a frame, with the text of those from
    /// `text_from` on.
    pub async fn frame_with_text(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        text_from: NaiveDateTime,
    ) -> Result<Arc<Frame>, StoreError> {
        let window = (from, to, text_from);
        let mark = self.mark().await?;
        {
            let s = self.state.lock().expect("frame cache");
            if let Some(e) = s
                .entries
                .iter()
                .find(|e| e.window == window && e.mark == mark)
            {
                return Ok(e.frame.clone());
            }
        }
        let frame =
            Arc::new(load_frame(&self.store, from, to, text_from, self.themes.clone()).await?);
        let mut s = self.state.lock().expect("frame cache");
        s.entries.retain(|e| e.window != window && e.mark == mark);
        s.entries.push(Entry {
            window,
            mark,
            frame: frame.clone(),
        });
        if s.entries.len() > KEEP {
            s.entries.remove(0);
        }
        Ok(frame)
    }
}
