//! Live updates for dashboard panels over graphql-transport-ws: events
//! that are new or changed, as each sync batch commits, filtered like any
//! event list. Changes committed by this process are seen (`hub serve
//! --sync`, `hub demo`); a sync in another process is not.

use async_graphql::{Context, Result, Subscription};
use futures_util::Stream;
use futures_util::stream::{self, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::ApiContext;
use super::events::{Event, events_among};
use super::filters::EventFilter;

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// 事件变动 Each event that is new or whose current version changed (a status
    /// update, a revision), as soon as the sync batch carrying it is stored, if it
    /// matches the filter. Persons and addresses resolve as in queries; resolution of
    /// a new record may follow a moment later.
    async fn events_changed(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
    ) -> Result<impl Stream<Item = Event> + use<>> {
        let api = ctx.data::<ApiContext>()?.clone();
        let filter = filter.unwrap_or_default().to_store(ctx).await?;
        let changes = api.store.subscribe_changes();
        let batches = stream::unfold(changes, move |mut changes| {
            let api = api.clone();
            let filter = filter.clone();
            async move {
                loop {
                    match changes.recv().await {
                        Ok(ids) => match events_among(&api, filter.clone(), ids.to_vec()).await {
                            Ok(events) => return Some((events, changes)),
                            Err(e) => {
                                tracing::warn!(error = ?e.message, "a change batch could not be read")
                            }
                        },
                        Err(RecvError::Lagged(n)) => {
                            tracing::warn!(batches = n, "a subscriber fell behind; changes skipped")
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            }
        });
        Ok(batches.flat_map(stream::iter))
    }
}
