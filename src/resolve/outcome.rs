//! What one resolution step changed, for the store to write.

use super::mention::MentionKey;
use super::stable_ids::{EntityId, IdChange};

#[derive(Clone, Debug, Default)]
pub struct Resolution {
    /// Mentions whose entity is new or different.
    pub assigned: Vec<(MentionKey, EntityId)>,
    /// Mentions that no longer exist (or no longer name anyone or anywhere).
    pub removed: Vec<MentionKey>,
    pub changes: Vec<IdChange>,
    /// Entities whose members, label or parent may have changed.
    pub touched: Vec<EntityId>,
    /// Mentions looked at again.
    pub reclustered: usize,
    /// For merged entities: the strongest link that joined them, as text.
    pub evidence: std::collections::BTreeMap<EntityId, String>,
}
