use super::named_enum;

named_enum! {
    /// The common lifecycle every source status is mapped onto (办理状态统一口径).
    /// The raw status is always kept beside it.
    Lifecycle, "lifecycle status" {
        /// 受理 / 待受理 / 接警: registered, nobody assigned yet.
        Received => "received",
        /// 已派单 / 交办 / 转送: assigned or forwarded to a unit.
        Assigned => "assigned",
        /// 办理中 / 处警中: the unit is working on it.
        InProgress => "in_progress",
        /// 已办结 / 办结 / 已调解 / 已处置: the unit reports it done.
        Resolved => "resolved",
        /// 已回访 / 已关闭: follow-up done, the matter is closed.
        Closed => "closed",
        /// 不予受理 / 无效警情: not taken up.
        Rejected => "rejected",
        /// 未知 A raw status the connector's mapping does not know.
        Unknown => "unknown",
    }
}

impl Lifecycle {
    /// Whether the unit's work is finished (for overdue and closure-rate counts).
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Lifecycle::Resolved | Lifecycle::Closed | Lifecycle::Rejected
        )
    }
}
