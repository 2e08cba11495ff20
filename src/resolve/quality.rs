//! Clustering quality against a known truth: pairwise and B-cubed
//! precision, recall and F1. Both views are reported because they fail
//! differently: pairwise is dominated by large entities (one wrong merge of
//! two frequent callers costs thousands of pairs), B-cubed weighs every
//! mention equally.

use std::collections::HashMap;
use std::hash::Hash;

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Scores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Scores {
    fn new(precision: f64, recall: f64) -> Scores {
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Scores {
            precision,
            recall,
            f1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Quality {
    pub mentions: usize,
    pub pairwise: Scores,
    pub bcubed: Scores,
}

fn pairs(n: usize) -> f64 {
    (n as f64) * (n as f64 - 1.0) / 2.0
}

/// Compares `predicted` with `truth` over the items of `truth`. An item the
/// prediction does not label counts as an entity of its own.
pub fn compare<I, T, P>(truth: &HashMap<I, T>, predicted: &HashMap<I, P>) -> Quality
where
    I: Eq + Hash,
    T: Eq + Hash + Clone,
    P: Eq + Hash + Clone,
{
    // Unlabelled items get a unique predicted label of their own.
    let mut cells: HashMap<(T, Option<P>, usize), usize> = HashMap::new();
    let mut truth_sizes: HashMap<T, usize> = HashMap::new();
    let mut pred_sizes: HashMap<(Option<P>, usize), usize> = HashMap::new();
    for (n, (item, t)) in truth.iter().enumerate() {
        let p = match predicted.get(item) {
            Some(p) => (Some(p.clone()), 0),
            None => (None, n),
        };
        *cells.entry((t.clone(), p.0.clone(), p.1)).or_insert(0) += 1;
        *truth_sizes.entry(t.clone()).or_insert(0) += 1;
        *pred_sizes.entry(p).or_insert(0) += 1;
    }
    let tp: f64 = cells.values().map(|n| pairs(*n)).sum();
    let pred_pairs: f64 = pred_sizes.values().map(|n| pairs(*n)).sum();
    let truth_pairs: f64 = truth_sizes.values().map(|n| pairs(*n)).sum();
    let ratio = |a: f64, b: f64| if b == 0.0 { 1.0 } else { a / b };
    let pairwise = Scores::new(ratio(tp, pred_pairs), ratio(tp, truth_pairs));

    let total = truth.len().max(1) as f64;
    let (mut bp, mut br) = (0.0, 0.0);
    for ((t, p, k), n) in &cells {
        let n = *n as f64;
        bp += n * n / pred_sizes[&(p.clone(), *k)] as f64;
        br += n * n / truth_sizes[t] as f64;
    }
    Quality {
        mentions: truth.len(),
        pairwise,
        bcubed: Scores::new(bp / total, br / total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[(u32, &'static str)]) -> HashMap<u32, &'static str> {
        v.iter().copied().collect()
    }

    #[test]
    fn a_perfect_clustering_scores_one() {
        let t = labels(&[(1, "a"), (2, "a"), (3, "b")]);
        let p = labels(&[(1, "x"), (2, "x"), (3, "y")]);
        let q = compare(&t, &p);
        assert_eq!(q.pairwise.f1, 1.0);
        assert_eq!(q.bcubed.f1, 1.0);
    }

    #[test]
    fn an_over_merge_costs_precision_only() {
        let t = labels(&[(1, "a"), (2, "a"), (3, "b")]);
        let p = labels(&[(1, "x"), (2, "x"), (3, "x")]);
        let q = compare(&t, &p);
        assert_eq!(q.pairwise.recall, 1.0);
        assert!((q.pairwise.precision - 1.0 / 3.0).abs() < 1e-12);
        // B-cubed precision: items 1,2 see 2/3, item 3 sees 1/3.
        assert!((q.bcubed.precision - (2.0 / 3.0 + 2.0 / 3.0 + 1.0 / 3.0) / 3.0).abs() < 1e-12);
        assert_eq!(q.bcubed.recall, 1.0);
    }

    #[test]
    fn unlabelled_items_are_singletons() {
        let t = labels(&[(1, "a"), (2, "a")]);
        let p = labels(&[(1, "x")]);
        let q = compare(&t, &p);
        assert_eq!(q.pairwise.recall, 0.0);
        assert_eq!(q.pairwise.precision, 1.0);
        assert_eq!(q.bcubed.recall, 0.5);
    }
}
