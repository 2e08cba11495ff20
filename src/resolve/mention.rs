//! The natural key of a mention. Clustering orders ties by it, so the result
//! depends only on what was said, never on the order records arrived in —
//! that is what lets the incremental path and a rebuild agree.

use std::sync::Arc;

use crate::domain::Source;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MentionKey {
    pub source: Source,
    /// The source's own record id (gdbh / jjdbh / xfjbh).
    pub record_id: Arc<str>,
    /// Persons: position in the record (0 for hotline and alarm, the order
    /// in xfr for petitions). Addresses: the field's position in
    /// [`crate::domain::AddressField`] order (sqdz, afdd, zz, wtsd).
    pub slot: u32,
}

impl MentionKey {
    pub fn new(source: Source, record_id: &str, slot: u32) -> MentionKey {
        MentionKey {
            source,
            record_id: Arc::from(record_id),
            slot,
        }
    }
}

impl std::fmt::Display for MentionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}#{}",
            self.source.as_str(),
            self.record_id,
            self.slot
        )
    }
}
