//! Connector status and the quarantine, for operators and dashboards.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::ApiContext;
use super::errors::internal;
use crate::store::QuarantineFilter;

#[derive(Default)]
pub struct SyncQuery;

/// 数据接入状态 Sync status of one connector.
#[derive(SimpleObject)]
pub struct ConnectorStatus {
    /// 接入名称 Connector name (its file name in connectors/).
    pub name: String,
    /// 已接入记录数 Distinct records this connector has stored.
    pub records_synced: i64,
    /// 同步断点 The connector's checkpoint, JSON.
    pub checkpoint: Option<String>,
    /// 源端待同步 What the source said was still waiting at the last fetch.
    pub source_behind: Option<i64>,
    /// 最新源数据时间 Newest source time stored.
    pub last_source_time: Option<DateTime<Utc>>,
    /// 最近同步状态 Status of the latest run: running, ok or failed.
    pub last_run_status: Option<String>,
    /// 最近同步结束时间 When the latest run finished.
    pub last_run_finished: Option<DateTime<Utc>>,
    /// 最近错误 Error of the latest run, if it failed.
    pub last_error: Option<String>,
    /// 隔离区待处理 Open quarantine entries.
    pub quarantine_open: i64,
}

/// 隔离记录 A row that could not be stored, kept with the reason.
#[derive(SimpleObject)]
pub struct QuarantineEntry {
    /// 编号 Entry id, for `hub quarantine replay`.
    pub id: i64,
    /// 接入名称 The connector that met the row.
    pub connector: String,
    /// 来源 hotline, alarm or petition.
    pub source: String,
    /// 源记录编号 The record id when it could be read.
    pub record_id: Option<String>,
    /// 阶段 decode (bytes, columns) or map (fields).
    pub stage: String,
    /// 位置 Page, cursor, file and line.
    pub location: String,
    /// 原始内容 The raw row.
    pub raw: String,
    /// 原因 Why it was refused.
    pub reason: String,
    /// 状态 open, replayed or superseded (a later version of the record landed).
    pub status: String,
    /// 出现次数 Times the same raw row was delivered.
    pub seen_count: i64,
    /// 首次出现 When the row was first refused.
    pub first_seen_at: DateTime<Utc>,
}

#[Object]
impl SyncQuery {
    /// 数据接入状态 Every connector with its checkpoint, lag, last error and quarantine size.
    async fn connectors(&self, ctx: &Context<'_>) -> Result<Vec<ConnectorStatus>> {
        let api = ctx.data::<ApiContext>()?;
        let rows = api
            .store
            .connector_status(api.connectors.clone())
            .await
            .map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|s| ConnectorStatus {
                name: s.connector,
                records_synced: s.checkpoint.as_ref().map(|c| c.records_total).unwrap_or(0),
                checkpoint: s.checkpoint.as_ref().map(|c| c.checkpoint.to_string()),
                source_behind: s.checkpoint.as_ref().and_then(|c| c.source_behind),
                last_source_time: s
                    .checkpoint
                    .as_ref()
                    .and_then(|c| c.last_source_time)
                    .map(|t| t.and_utc()),
                last_run_status: s.last_run_status,
                last_run_finished: s.last_run_finished.map(|t| t.and_utc()),
                last_error: s.last_error,
                quarantine_open: s.quarantine_open,
            })
            .collect())
    }

    /// 隔离区 Quarantined rows, oldest first.
    async fn quarantine(
        &self,
        ctx: &Context<'_>,
        connector: Option<String>,
        #[graphql(desc = "open, replayed or superseded; all when absent")] status: Option<String>,
        #[graphql(default = 100, validator(minimum = 1, maximum = 1000))] first: i64,
    ) -> Result<Vec<QuarantineEntry>> {
        let api = ctx.data::<ApiContext>()?;
        let rows = api
            .store
            .quarantine_entries(QuarantineFilter {
                connector,
                status,
                limit: Some(first),
            })
            .await
            .map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|q| QuarantineEntry {
                id: q.id,
                connector: q.connector,
                source: q.source,
                record_id: q.record_id,
                stage: q.stage,
                location: q.location,
                raw: q.raw,
                reason: q.reason,
                status: q.status,
                seen_count: q.seen_count,
                first_seen_at: q.first_seen_at.and_utc(),
            })
            .collect())
    }
}
