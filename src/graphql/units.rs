//! Handling units (承办单位 / 处警单位 / 责任单位) and their work.

use async_graphql::{Context, Object, Result};

use super::events::{EventConnection, Scope, scoped_events};
use super::filters::EventFilter;

/// 单位 A unit that handles work orders, alarms or petitions.
pub struct Unit {
    pub name: String,
}

/// 单位 A unit that handles work orders, alarms or petitions.
#[Object]
impl Unit {
    /// 单位名称 As the sources write it.
    async fn name(&self) -> &str {
        &self.name
    }

    /// 承办事件 Events this unit handles, newest first.
    #[graphql(complexity = "(first.max(1) as usize).saturating_mul(child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        #[graphql(default = 20, validator(minimum = 1, maximum = 200))] first: i64,
        after: Option<String>,
    ) -> Result<EventConnection> {
        scoped_events(ctx, filter, Scope::Unit(self.name.clone()), first, after).await
    }
}
