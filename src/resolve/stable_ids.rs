//! Stable entity ids across re-clustering.
//!
//! Clustering is recomputed for whole components whenever new mentions touch
//! them, so its output is a fresh partition with no ids. Ids are handed back
//! by overlap: each new cluster keeps the old id held by most of its
//! members, so adding a record moves no one who was not involved, and a merge
//! or a split shows up as an id that grew, vanished or appeared — which is
//! what the entity log records.

use std::collections::{BTreeMap, HashMap};

/// An entity id as stored: a positive integer per kind.
pub type EntityId = i64;

/// What changed for one id in one re-clustering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdChange {
    /// A cluster with no previous id: `id` is new.
    Created { id: EntityId, mentions: usize },
    /// `id` kept its members' majority and took in members of `absorbed`.
    Merged {
        id: EntityId,
        absorbed: Vec<EntityId>,
    },
    /// Some of `id`'s former members now belong to `into` (new or other ids).
    Split { id: EntityId, into: Vec<EntityId> },
    /// `id` has no members any more (all absorbed elsewhere).
    Retired { id: EntityId, into: Vec<EntityId> },
}

/// Assigns ids to `clusters` (each a list of mention indices) given the ids
/// those mentions held before (`old`, `None` for new mentions). Returns the id
/// of each cluster, in order, and the changes. `next_id` is advanced for every
/// id created. Deterministic: ties go to the larger overlap, then the smaller
/// old id, and clusters are served largest-overlap first.
pub fn assign<M: Copy + Eq + std::hash::Hash, S: std::hash::BuildHasher>(
    clusters: &[Vec<M>],
    old: &HashMap<M, EntityId, S>,
    next_id: &mut EntityId,
) -> (Vec<EntityId>, Vec<IdChange>) {
    // overlap[c][id] = members of cluster c that held id before.
    let overlaps: Vec<BTreeMap<EntityId, usize>> = clusters
        .iter()
        .map(|members| {
            let mut o = BTreeMap::new();
            for m in members {
                if let Some(id) = old.get(m) {
                    *o.entry(*id).or_insert(0) += 1;
                }
            }
            o
        })
        .collect();
    let mut candidates: Vec<(usize, EntityId, usize)> = overlaps
        .iter()
        .enumerate()
        .flat_map(|(c, o)| o.iter().map(move |(id, n)| (*n, *id, c)))
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut assigned: Vec<Option<EntityId>> = vec![None; clusters.len()];
    let mut taken: HashMap<EntityId, usize> = HashMap::new();
    for (_, id, c) in candidates {
        if assigned[c].is_none() && !taken.contains_key(&id) {
            assigned[c] = Some(id);
            taken.insert(id, c);
        }
    }
    let mut changes = Vec::new();
    let ids: Vec<EntityId> = assigned
        .iter()
        .enumerate()
        .map(|(c, a)| match a {
            Some(id) => *id,
            None => {
                let id = *next_id;
                *next_id += 1;
                changes.push(IdChange::Created {
                    id,
                    mentions: clusters[c].len(),
                });
                id
            }
        })
        .collect();

    // Where did each old id's members go?
    let mut went: BTreeMap<EntityId, Vec<EntityId>> = BTreeMap::new();
    for (c, o) in overlaps.iter().enumerate() {
        for old_id in o.keys() {
            went.entry(*old_id).or_default().push(ids[c]);
        }
    }
    for (c, o) in overlaps.iter().enumerate() {
        let absorbed: Vec<EntityId> = o.keys().copied().filter(|id| *id != ids[c]).collect();
        // A piece of one old entity under a new id is that entity's split,
        // not a merge; a merge joins an id that is kept, or several.
        if !absorbed.is_empty() && (o.contains_key(&ids[c]) || absorbed.len() >= 2) {
            changes.push(IdChange::Merged {
                id: ids[c],
                absorbed,
            });
        }
    }
    for (old_id, mut targets) in went {
        targets.sort_unstable();
        targets.dedup();
        if taken.contains_key(&old_id) {
            targets.retain(|t| *t != old_id);
            if !targets.is_empty() {
                changes.push(IdChange::Split {
                    id: old_id,
                    into: targets,
                });
            }
        } else {
            changes.push(IdChange::Retired {
                id: old_id,
                into: targets,
            });
        }
    }
    (ids, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old(pairs: &[(u32, EntityId)]) -> HashMap<u32, EntityId> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn unchanged_clusters_keep_their_ids_and_new_ones_get_fresh_ids() {
        let mut next = 10;
        let (ids, changes) = assign(
            &[vec![1, 2], vec![3], vec![4]],
            &old(&[(1, 7), (2, 7), (3, 8)]),
            &mut next,
        );
        assert_eq!(ids, vec![7, 8, 10]);
        assert_eq!(next, 11);
        assert_eq!(
            changes,
            vec![IdChange::Created {
                id: 10,
                mentions: 1
            }]
        );
    }

    #[test]
    fn a_merge_keeps_the_majority_id_and_retires_the_other() {
        let mut next = 10;
        let (ids, changes) = assign(&[vec![1, 2, 3]], &old(&[(1, 8), (2, 7), (3, 7)]), &mut next);
        assert_eq!(ids, vec![7]);
        assert!(changes.contains(&IdChange::Merged {
            id: 7,
            absorbed: vec![8]
        }));
        assert!(changes.contains(&IdChange::Retired {
            id: 8,
            into: vec![7]
        }));
    }

    #[test]
    fn a_split_keeps_the_id_on_the_larger_part() {
        let mut next = 10;
        let (ids, changes) = assign(
            &[vec![1], vec![2, 3]],
            &old(&[(1, 7), (2, 7), (3, 7)]),
            &mut next,
        );
        assert_eq!(ids, vec![10, 7]);
        assert!(changes.contains(&IdChange::Split {
            id: 7,
            into: vec![10]
        }));
    }

    #[test]
    fn ties_go_to_the_smaller_old_id() {
        let mut next = 10;
        let (ids, _) = assign(&[vec![1, 2]], &old(&[(1, 9), (2, 8)]), &mut next);
        assert_eq!(ids, vec![8]);
    }
}
