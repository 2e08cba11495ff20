//! The planted cases of a city: the situations the analysis should find,
//! kept with the records that make them so their truth can be written.

use super::places::PlaceRef;

/// The record belongs to no planted case.
pub(super) const NO_CASE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum CaseKind {
    /// A family dispute: hotline, then 110, then a petition.
    Escalation,
    /// One resident calling the hotline again and again.
    RepeatCaller,
    /// A petition with 信访人数 ≥ 5.
    CollectivePetition,
    /// One building's events of one week far above its other weeks.
    Hotspot,
    /// Several persons raising one theme about one place across sources.
    CollectiveCluster,
}

impl CaseKind {
    pub(super) const ALL: [CaseKind; 5] = [
        CaseKind::Escalation,
        CaseKind::RepeatCaller,
        CaseKind::CollectivePetition,
        CaseKind::Hotspot,
        CaseKind::CollectiveCluster,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            CaseKind::Escalation => "escalation",
            CaseKind::RepeatCaller => "repeat_caller",
            CaseKind::CollectivePetition => "collective_petition",
            CaseKind::Hotspot => "hotspot",
            CaseKind::CollectiveCluster => "collective_cluster",
        }
    }

    /// The first letter of the case labels (`E0003`, `H0001`).
    pub(super) fn letter(self) -> char {
        match self {
            CaseKind::Escalation => 'E',
            CaseKind::RepeatCaller => 'R',
            CaseKind::CollectivePetition => 'C',
            CaseKind::Hotspot => 'H',
            CaseKind::CollectiveCluster => 'G',
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct PlantedCase {
    pub(super) kind: CaseKind,
    /// Where a hotspot is, or what a cluster is about.
    pub(super) place: Option<PlaceRef>,
    /// A hotspot's week: the day index of its Monday.
    pub(super) week: Option<u32>,
}

/// Labels of the cases in plan order, numbered from 1 within each kind.
pub(super) fn labels(cases: &[PlantedCase]) -> Vec<String> {
    let mut next = [0u32; CaseKind::ALL.len()];
    cases
        .iter()
        .map(|c| {
            let k = CaseKind::ALL
                .iter()
                .position(|x| *x == c.kind)
                .expect("every kind is listed");
            next[k] += 1;
            format!("{}{:04}", c.kind.letter(), next[k])
        })
        .collect()
}
