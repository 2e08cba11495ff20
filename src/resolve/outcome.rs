//! What one resolution step changed, for the store to write.

use super::mention::MentionKey;
use std::collections::{HashMap, HashSet};

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

impl Resolution {
    /// The same step cut into parts of about `size` touched entities, for
    /// writing one transaction at a time: each part holds its entities'
    /// assignments, log entries and evidence. Entities that merged, split or
    /// retired go into the first part together with every id their change
    /// names, so no committed part points at an id that a part still to
    /// come retires; so do removals, which belong to no entity.
    pub fn into_parts(self, size: usize) -> Vec<Resolution> {
        let size = size.max(1);
        if self.touched.len() <= size {
            return vec![self];
        }
        let mut first: HashSet<EntityId> = HashSet::new();
        for c in &self.changes {
            match c {
                IdChange::Created { .. } => {}
                IdChange::Merged {
                    id,
                    absorbed: others,
                }
                | IdChange::Split { id, into: others }
                | IdChange::Retired { id, into: others } => {
                    first.insert(*id);
                    first.extend(others.iter().copied());
                }
            }
        }
        let (mut lead, rest): (Vec<EntityId>, Vec<EntityId>) =
            self.touched.into_iter().partition(|id| first.contains(id));
        let mut parts = vec![Resolution::default()];
        let mut part_of: HashMap<EntityId, usize> = HashMap::new();
        for id in &lead {
            part_of.insert(*id, 0);
        }
        // The first part is filled up to `size` from the rest.
        let room = size.saturating_sub(lead.len()).min(rest.len());
        for id in &rest[..room] {
            part_of.insert(*id, 0);
        }
        lead.extend_from_slice(&rest[..room]);
        parts[0].touched = lead;
        for chunk in rest[room..].chunks(size) {
            for id in chunk {
                part_of.insert(*id, parts.len());
            }
            parts.push(Resolution {
                touched: chunk.to_vec(),
                ..Resolution::default()
            });
        }
        let at = |id: &EntityId| part_of.get(id).copied().unwrap_or(0);
        for (k, id) in self.assigned {
            parts[at(&id)].assigned.push((k, id));
        }
        for c in self.changes {
            let id = match &c {
                IdChange::Created { id, .. }
                | IdChange::Merged { id, .. }
                | IdChange::Split { id, .. }
                | IdChange::Retired { id, .. } => *id,
            };
            parts[at(&id)].changes.push(c);
        }
        for (id, e) in self.evidence {
            parts[at(&id)].evidence.insert(id, e);
        }
        parts[0].removed = self.removed;
        parts[0].reclustered = self.reclustered;
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Source;

    fn key(n: usize) -> MentionKey {
        MentionKey::new(Source::Hotline, &format!("R{n}"), 0)
    }

    #[test]
    fn parts_hold_the_whole_step_and_keep_merges_together() {
        let mut r = Resolution {
            touched: (1..=10).collect(),
            reclustered: 12,
            ..Resolution::default()
        };
        for id in 1..=10 {
            r.assigned.push((key(id as usize), id));
            r.assigned.push((key(100 + id as usize), id));
            r.changes.push(IdChange::Created { id, mentions: 2 });
        }
        // 9 absorbed 7; 10 split into 4.
        r.changes.push(IdChange::Merged {
            id: 9,
            absorbed: vec![7],
        });
        r.changes.push(IdChange::Split {
            id: 10,
            into: vec![4],
        });
        r.evidence.insert(9, "phone".into());
        r.removed.push(key(999));
        let parts = r.clone().into_parts(3);
        assert!(parts.len() >= 3, "{}", parts.len());
        let first: HashSet<EntityId> = parts[0].touched.iter().copied().collect();
        for id in [9, 7, 10, 4] {
            assert!(first.contains(&id), "{id} in the first part");
        }
        for p in &parts {
            for (_, id) in &p.assigned {
                assert!(p.touched.contains(id), "a link travels with its entity");
            }
        }
        let mut touched: Vec<EntityId> = parts.iter().flat_map(|p| p.touched.clone()).collect();
        touched.sort_unstable();
        assert_eq!(touched, r.touched);
        let assigned: usize = parts.iter().map(|p| p.assigned.len()).sum();
        assert_eq!(assigned, r.assigned.len());
        let changes: usize = parts.iter().map(|p| p.changes.len()).sum();
        assert_eq!(changes, r.changes.len());
        assert_eq!(parts[0].evidence.get(&9).map(String::as_str), Some("phone"));
        assert_eq!(parts[0].removed, r.removed);
        assert_eq!(parts.iter().map(|p| p.reclustered).sum::<usize>(), 12);
        assert_eq!(r.clone().into_parts(10).len(), 1);
    }
}
