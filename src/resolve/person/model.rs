//! Fellegi–Sunter weights for person links, estimated from the data.
//!
//! A pair's score is the log2 odds that its two mentions are one person:
//! base odds plus, per field, log2(m/u) of the level the pair shows, where
//! m = P(level | same person) and u = P(level | different people). The base
//! is the prior odds of two random mentions, or, when the pair shares a
//! phone or a name, the odds measured on such pairs (see `phone_odds`,
//! `name_odds`); the field the base came from then adds nothing more. `u` comes from random pairs; `m` from pairs that are
//! the same person beyond doubt (the same valid ID number for the name,
//! phone, sex and birth fields; the same personal phone and the same exact
//! name for the ID field). Names and phones get term-frequency adjustments:
//! a common name agrees by chance more often, and a phone used by several
//! people (a household's landline) says less about which of them called.
//!
//! Parameters are trained on request and stored; clustering always runs with
//! the stored parameters, so re-running it gives the same entities.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::compare::{AgreeLevel, Comparison, IdLevel, NameLevel, compare};
use super::features::PersonFeatures;

/// Inputs of the term-frequency adjustments for one pair.
#[derive(Clone, Copy, Debug, Default)]
pub struct Frequencies {
    /// Bucketed number of mentions with the exact name (for Exact) or the
    /// same sound (for Phonetic).
    pub name: u32,
    /// Different phones seen with the name.
    pub name_phones: u32,
    /// Different full names seen with the shared phone.
    pub phone_holders: u32,
    /// How many of those the less specific of the two mentions could be.
    pub phone_candidates: u32,
    /// When one mention is ambiguous on the shared phone (no name, or
    /// 张先生) and the other names one of its candidates: that candidate's
    /// mentions on the phone, of all the candidates' (see
    /// `Stats::phone_share`).
    pub phone_share: Option<(u32, u32)>,
    /// When one mention gives a name without a phone and the other the
    /// same name with one: that phone's mentions under the name, of all the
    /// name's mentions with a phone (see `Stats::name_share`).
    pub name_share: Option<(u32, u32)>,
}

/// One field's contribution to a score, for explanations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub field: &'static str,
    pub level: String,
    /// log2(m/u) after adjustments; 0 for unknown.
    pub weight: f64,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonModel {
    /// log2 odds that two random mentions are the same person.
    pub prior: f64,
    /// Mentions with a full name when trained: the denominator of name
    /// frequencies.
    pub named_mentions: f64,
    /// Link when the score reaches this (log2 odds).
    pub threshold: f64,
    /// "field.level" → (m, u).
    pub levels: BTreeMap<String, (f64, f64)>,
    /// log2 odds that two mentions sharing a phone are one person, by the
    /// number of different full names seen with the phone (1, 2, 3+).
    /// Estimated on pairs where both carry a valid ID; it replaces the
    /// global prior for phone-sharing pairs, since "random pair" odds are
    /// meaningless once two mentions share a number.
    pub phone_odds: [f64; 3],
    /// log2 odds that two mentions with the same full name (by sound) are
    /// one person, by the number of different phones the name has been
    /// seen with (index 0..=8, 8 meaning 8 or more); `None` where too few
    /// pairs with valid IDs were seen to estimate, and the prior with a
    /// term-frequency weight is used instead.
    pub name_odds: Vec<Option<f64>>,
    /// Pairs the estimates rest on, for the record.
    pub trained_on: TrainingCounts,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingCounts {
    pub mentions: u64,
    pub random_pairs: u64,
    pub id_anchor_pairs: u64,
    pub phone_anchor_pairs: u64,
}

fn key(field: &str, level: impl Serialize) -> String {
    let level = serde_json::to_value(level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!("{field}.{level}")
}

fn levels(c: &Comparison) -> [(&'static str, String); 6] {
    [
        ("id", key("id", c.id)),
        ("name", key("name", c.name)),
        ("phone", key("phone", c.phone)),
        ("sex", key("sex", c.sex)),
        ("birth", key("birth", c.birth)),
        ("place", key("place", c.place)),
    ]
}

const MIN_MENTIONS: usize = 500;
/// Name buckets by phones seen with the name: 0, 1, ... 7, 8 or more.
const NAME_BUCKETS: usize = 9;

fn name_bucket(phones: u32) -> usize {
    (phones as usize).min(NAME_BUCKETS - 1)
}
const MIN_ANCHORS: u64 = 30;
const RANDOM_PAIRS: u64 = 300_000;
const ANCHORS_PER_GROUP: usize = 20;

impl PersonModel {
    /// Parameters for a store too small to estimate from. Set by hand to
    /// plausible values, not measured; replaced by an estimate as soon as
    /// the store holds enough mentions (see `ingest::resolution`).
    pub fn fallback() -> PersonModel {
        let mut levels = BTreeMap::new();
        for (k, m, u) in [
            ("id.exact", 0.80, 1e-9),
            ("id.typo", 0.08, 1e-7),
            ("id.masked", 0.10, 1e-5),
            ("id.disagree", 0.02, 0.99),
            ("name.exact", 0.80, 1e-3),
            ("name.phonetic", 0.09, 1e-3),
            ("name.surname", 0.09, 0.05),
            ("name.disagree", 0.02, 0.95),
            ("phone.agree", 0.85, 2e-5),
            ("phone.disagree", 0.15, 0.99998),
            ("sex.agree", 0.999, 0.5),
            ("sex.disagree", 0.001, 0.5),
            ("birth.agree", 0.98, 1e-4),
            ("birth.disagree", 0.02, 0.9999),
            ("place.agree", 0.3, 2e-4),
        ] {
            levels.insert(k.to_string(), (m, u));
        }
        PersonModel {
            prior: -14.0,
            named_mentions: 20_000.0,
            threshold: 0.0,
            levels,
            phone_odds: [6.0, 0.0, -1.5],
            name_odds: Vec::new(),
            trained_on: TrainingCounts::default(),
        }
    }

    pub fn fallback_with_threshold(threshold: f64) -> PersonModel {
        PersonModel {
            threshold,
            ..PersonModel::fallback()
        }
    }

    /// Estimates the parameters from all mentions (see the module docs).
    /// Falls back to [`PersonModel::fallback`] when there is too little data.
    pub fn estimate(mentions: &[&PersonFeatures], threshold: f64) -> PersonModel {
        let mut model = PersonModel::fallback();
        model.threshold = threshold;
        if mentions.len() < MIN_MENTIONS {
            return model;
        }
        let n = mentions.len();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed_2026);
        let mut u_counts: BTreeMap<String, u64> = BTreeMap::new();
        for _ in 0..RANDOM_PAIRS {
            let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
            if a == b {
                continue;
            }
            for (_, k) in levels(&compare(mentions[a], mentions[b])) {
                *u_counts.entry(k).or_insert(0) += 1;
            }
        }

        // Anchors: mentions grouped by valid ID, and by personal phone + name.
        let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut by_phone_name: BTreeMap<(String, &str), Vec<usize>> = BTreeMap::new();
        // Different full names (by sound) seen with each phone.
        let mut phone_names: BTreeMap<String, std::collections::BTreeSet<&str>> = BTreeMap::new();
        for (i, f) in mentions.iter().enumerate() {
            if let Some(id) = f.strong_id() {
                by_id.entry(id).or_default().push(i);
            }
            if let (Some(p), Some(full)) = (&f.phone, f.name.full()) {
                by_phone_name
                    .entry((p.canonical(), full))
                    .or_default()
                    .push(i);
                phone_names
                    .entry(p.canonical())
                    .or_default()
                    .insert(f.name.pinyin().unwrap_or(full));
            }
        }
        let mut m_counts: BTreeMap<String, u64> = BTreeMap::new();
        let mut id_anchor_pairs = 0;
        for group in by_id.values() {
            for (a, b) in group_pairs(group) {
                id_anchor_pairs += 1;
                for (field, k) in levels(&compare(mentions[a], mentions[b])) {
                    if field != "id" {
                        *m_counts.entry(k).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut phone_anchor_pairs = 0;
        for ((phone, _), group) in &by_phone_name {
            if phone_names.get(phone).is_some_and(|s| s.len() > 1) {
                continue;
            }
            for (a, b) in group_pairs(group) {
                phone_anchor_pairs += 1;
                let c = compare(mentions[a], mentions[b]);
                *m_counts.entry(key("id", c.id)).or_insert(0) += 1;
            }
        }
        if id_anchor_pairs < MIN_ANCHORS || phone_anchor_pairs < MIN_ANCHORS {
            return model;
        }

        // Phone-sharing pairs that both carry a valid ID: how often are they
        // one person, by how many names the phone has been seen with?
        let mut by_phone: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, f) in mentions.iter().enumerate() {
            if let Some(p) = &f.phone {
                by_phone.entry(p.canonical()).or_default().push(i);
            }
        }
        let mut same = [0u64; 3];
        let mut total = [0u64; 3];
        for (phone, group) in &by_phone {
            let holders = phone_names.get(phone).map_or(1, |s| s.len().max(1));
            let b = holders.min(3) - 1;
            let (n_same, n_total) = same_id_pairs(mentions, group);
            same[b] += n_same;
            total[b] += n_total;
        }
        // Same for mentions sharing a full name (by sound), by how common it is.
        let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, f) in mentions.iter().enumerate() {
            if let (Some(_), Some(p)) = (f.name.full(), f.name.pinyin()) {
                by_name.entry(p).or_default().push(i);
            }
        }
        let mut name_same = [0u64; NAME_BUCKETS];
        let mut name_total = [0u64; NAME_BUCKETS];
        for group in by_name.values() {
            let phones: std::collections::BTreeSet<String> = group
                .iter()
                .filter_map(|i| mentions[*i].phone.as_ref().map(|p| p.canonical()))
                .collect();
            let b = name_bucket(phones.len() as u32);
            let (n_same, n_total) = same_id_pairs(mentions, group);
            name_same[b] += n_same;
            name_total[b] += n_total;
        }
        model.name_odds = (0..NAME_BUCKETS)
            .map(|b| anchored_log_odds(name_same[b], name_total[b]))
            .collect();
        for b in 0..3 {
            if let Some(odds) = anchored_log_odds(same[b], total[b]) {
                model.phone_odds[b] = odds;
            }
        }

        for (k, (m, u)) in model.levels.iter_mut() {
            let field = k.split('.').next().unwrap_or_default();
            let known = |counts: &BTreeMap<String, u64>| -> u64 {
                counts
                    .iter()
                    .filter(|(k2, _)| {
                        k2.starts_with(&format!("{field}.")) && !k2.ends_with(".unknown")
                    })
                    .map(|(_, v)| v)
                    .sum()
            };
            let (mk, uk) = (known(&m_counts), known(&u_counts));
            // Add-one smoothing over the known levels; a level never seen
            // among random pairs keeps a floor of half a pair.
            let levels_of_field = 5.0;
            if mk > 0 {
                *m = (m_counts.get(k).copied().unwrap_or(0) as f64 + 0.5)
                    / (mk as f64 + levels_of_field);
            }
            if uk > 0 {
                *u = (u_counts.get(k).copied().unwrap_or(0) as f64).max(0.5) / uk as f64;
            }
        }

        // Place agreement is all-or-nothing (never Disagree), so its m and u
        // are shares of all pairs, not of pairs where the field is known.
        if let Some(mu) = model.levels.get_mut("place.agree") {
            mu.0 = (m_counts.get("place.agree").copied().unwrap_or(0) as f64 + 0.5)
                / (id_anchor_pairs as f64 + 1.0);
            mu.1 = (u_counts.get("place.agree").copied().unwrap_or(0) as f64).max(0.5)
                / RANDOM_PAIRS as f64;
        }

        // Prior: same-person pairs among mentions with a valid ID, scaled up
        // to all mentions by the share that carries one.
        let with_id: usize = by_id.values().map(Vec::len).sum();
        let same_id_pairs: f64 = by_id.values().map(|g| pairs(g.len())).sum();
        let share = with_id as f64 / n as f64;
        let matches = same_id_pairs / (share * share).max(1e-9);
        let p = (matches / pairs(n)).clamp(1e-12, 0.5);
        model.prior = (p / (1.0 - p)).log2();
        model.named_mentions = mentions
            .iter()
            .filter(|f| f.name.full().is_some())
            .count()
            .max(1) as f64;
        model.trained_on = TrainingCounts {
            mentions: n as u64,
            random_pairs: RANDOM_PAIRS,
            id_anchor_pairs,
            phone_anchor_pairs,
        };
        model
    }

    fn mu(&self, field: &str, level: impl Serialize) -> (f64, f64) {
        self.levels
            .get(&key(field, level))
            .copied()
            .unwrap_or((0.5, 0.5))
    }

    /// The weights as a table indexed by level, for the hot loop.
    pub fn compile(&self) -> Weights {
        let w = |(m, u): (f64, f64)| (m / u).log2();
        let ids = [
            IdLevel::Exact,
            IdLevel::Typo,
            IdLevel::Masked,
            IdLevel::Disagree,
        ];
        let names = [
            NameLevel::Exact,
            NameLevel::Phonetic,
            NameLevel::Surname,
            NameLevel::Disagree,
        ];
        let agree = [AgreeLevel::Agree, AgreeLevel::Disagree];
        Weights {
            prior: self.prior,
            threshold: self.threshold,
            named_mentions: self.named_mentions,
            id: ids.map(|l| w(self.mu("id", l))),
            name_m: names.map(|l| self.mu("name", l).0),
            name: names.map(|l| w(self.mu("name", l))),
            phone: agree.map(|l| w(self.mu("phone", l))),
            phone_odds: self.phone_odds,
            name_odds: self.name_odds.clone(),
            sex: agree.map(|l| w(self.mu("sex", l))),
            birth: agree.map(|l| w(self.mu("birth", l))),
            place: w(self.mu("place", AgreeLevel::Agree)),
        }
    }
}

/// [`PersonModel`] compiled into arrays indexed by level (Unknown is 0).
#[derive(Clone, Debug)]
pub struct Weights {
    pub prior: f64,
    pub threshold: f64,
    named_mentions: f64,
    id: [f64; 4],
    name_m: [f64; 4],
    name: [f64; 4],
    phone: [f64; 2],
    phone_odds: [f64; 3],
    name_odds: Vec<Option<f64>>,
    sex: [f64; 2],
    birth: [f64; 2],
    place: f64,
}

fn agree_idx(l: AgreeLevel) -> Option<usize> {
    match l {
        AgreeLevel::Agree => Some(0),
        AgreeLevel::Disagree => Some(1),
        AgreeLevel::Unknown => None,
    }
}

impl Weights {
    /// Each field's weight for this comparison, adjusted for frequencies,
    /// with a note where an adjustment applied.
    pub fn evidence(&self, c: &Comparison, freq: &Frequencies) -> [Evidence; 6] {
        let level = |l: &dyn erased::Level| l.name();
        let [id, name, phone, sex, birth, place] = self.field_weights(c, freq);
        let named = matches!(c.name, NameLevel::Exact | NameLevel::Phonetic);
        let name_note = named.then(|| format!("{} mentions share it", freq.name.max(1)));
        let phone_note = (c.phone == AgreeLevel::Agree).then(|| {
            if let (Some((own, all)), true) = (freq.phone_share, ambiguous(c, freq)) {
                format!(
                    "shared phone: {} of its {} holders fit; the one named here made {own} of their {all} mentions on it",
                    freq.phone_candidates, freq.phone_holders
                )
            } else if ambiguous(c, freq) {
                format!(
                    "shared phone: {} of its {} holders fit, it cannot tell which",
                    freq.phone_candidates, freq.phone_holders
                )
            } else {
                format!("seen with {} different name(s)", freq.phone_holders.max(1))
            }
        });
        let ev = |field, level, weight, note| Evidence {
            field,
            level,
            weight,
            note,
        };
        [
            ev("id", level(&c.id), id, None),
            ev("name", level(&c.name), name, name_note),
            ev("phone", level(&c.phone), phone, phone_note),
            ev("sex", level(&c.sex), sex, None),
            ev("birth", level(&c.birth), birth, None),
            ev("place", level(&c.place), place, None),
        ]
    }

    /// Each field's weight (id, name, phone, sex, birth, place), without notes.
    fn field_weights(&self, c: &Comparison, freq: &Frequencies) -> [f64; 6] {
        let id = match c.id {
            IdLevel::Unknown => 0.0,
            l => self.id[l as usize],
        };
        let named = matches!(c.name, NameLevel::Exact | NameLevel::Phonetic);
        let name = match c.name {
            NameLevel::Unknown => 0.0,
            l if named => {
                let tf = (freq.name.max(1) as f64 / self.named_mentions).min(1.0);
                (self.name_m[l as usize] / tf).log2()
            }
            l => self.name[l as usize],
        };
        let phone = match c.phone {
            AgreeLevel::Agree if ambiguous(c, freq) => 0.0,
            AgreeLevel::Agree => self.phone[0] - (freq.phone_holders.max(1) as f64).log2(),
            l => agree_idx(l).map_or(0.0, |i| self.phone[i]),
        };
        let sex = agree_idx(c.sex).map_or(0.0, |i| self.sex[i]);
        let birth = agree_idx(c.birth).map_or(0.0, |i| self.birth[i]);
        let place = if c.place == AgreeLevel::Agree {
            self.place
        } else {
            0.0
        };
        [id, name, phone, sex, birth, place]
    }

    /// The starting odds of a pair and which shared key they come from:
    /// the odds of phone sharers, else of namesakes, else the prior. The
    /// field they come from adds no weight of its own.
    ///
    /// A mention ambiguous on a shared phone (no name, or 张先生 where two
    /// 张 men use it) starts from the share of the phone's use made by the
    /// candidate the other mention names: the household member who calls
    /// most is the likeliest behind a nameless call. The share already
    /// chose among people of one line, one surname and one home, so the
    /// name and place fields add nothing to it either.
    fn base(&self, c: &Comparison, freq: &Frequencies) -> (f64, Option<Base>) {
        let named = matches!(c.name, NameLevel::Exact | NameLevel::Phonetic);
        if c.phone == AgreeLevel::Agree {
            if !ambiguous(c, freq) {
                return (
                    self.phone_odds[freq.phone_holders.clamp(1, 3) as usize - 1],
                    Some(Base::Phone),
                );
            }
            if let Some(odds) = majority_odds(freq.phone_share) {
                return (odds, Some(Base::Share));
            }
        }
        if named
            && c.phone == AgreeLevel::Unknown
            && let Some(odds) = majority_odds(freq.name_share)
        {
            return (odds, Some(Base::NameShare));
        }
        if named && let Some(Some(odds)) = self.name_odds.get(name_bucket(freq.name)) {
            return (*odds, Some(Base::Name));
        }
        (self.prior, None)
    }

    /// log2 odds that the pair is one person; -inf for two different valid
    /// ID numbers.
    pub fn score(&self, c: &Comparison, freq: &Frequencies) -> f64 {
        if c.id_conflict {
            return f64::NEG_INFINITY;
        }
        let (base, from) = self.base(c, freq);
        let w = self.field_weights(c, freq);
        base + w
            .iter()
            .zip(FIELDS)
            .filter(|(_, f)| !from.is_some_and(|b| b.covers(f)))
            .map(|(v, _)| v)
            .sum::<f64>()
    }

    /// The evidence with the base odds first, as an explanation shows it.
    pub fn explain(&self, c: &Comparison, freq: &Frequencies) -> Vec<Evidence> {
        let (base, from) = self.base(c, freq);
        let mut out = vec![Evidence {
            field: "base",
            level: from.map_or("prior", Base::name).to_string(),
            weight: base,
            note: Some(
                match from {
                    Some(Base::Phone) => "odds that two mentions sharing this phone are one person",
                    Some(Base::Name) => {
                        "odds that two mentions with a name this common are one person"
                    }
                    Some(Base::Share) => {
                        "odds from the share of the shared phone's use made under the name"
                    }
                    Some(Base::NameShare) => {
                        "odds from the share of the name's use made with the other's phone"
                    }
                    None => "odds that two random mentions are one person",
                }
                .to_string(),
            ),
        }];
        for mut e in self.evidence(c, freq) {
            if from.is_some_and(|b| b.covers(e.field)) {
                e.weight = 0.0;
                e.note = Some("counted in the base odds".to_string());
            }
            out.push(e);
        }
        out
    }
}

/// The fields in the order `field_weights` returns them.
const FIELDS: [&str; 6] = ["id", "name", "phone", "sex", "birth", "place"];

/// Where a pair's starting odds come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    Phone,
    Name,
    Share,
    NameShare,
}

impl Base {
    fn name(self) -> &'static str {
        match self {
            Base::Phone => "phone",
            Base::Name => "name",
            Base::Share => "phone_share",
            Base::NameShare => "name_share",
        }
    }

    /// The fields whose agreement these odds already hold.
    fn covers(self, field: &str) -> bool {
        match self {
            Base::Phone => field == "phone",
            Base::Name | Base::NameShare => field == "name",
            Base::Share => matches!(field, "phone" | "name" | "place"),
        }
    }
}

/// Log2 odds of a share (own of all), when it is a majority short of all.
/// Only a majority says who: at an even share a pair would score exactly
/// the threshold for two people at once.
fn majority_odds(share: Option<(u32, u32)>) -> Option<f64> {
    let (own, all) = share?;
    (2 * own > all && own < all).then(|| {
        let p = own as f64 / all as f64;
        (p / (1.0 - p)).log2()
    })
}

/// One mention could be several of the shared phone's holders.
fn ambiguous(c: &Comparison, freq: &Frequencies) -> bool {
    let named = matches!(c.name, NameLevel::Exact | NameLevel::Phonetic);
    c.phone == AgreeLevel::Agree && freq.phone_candidates >= 2 && !named
}

mod erased {
    /// The snake_case name of a level, as serialised.
    pub trait Level {
        fn name(&self) -> String;
    }
    impl<T: serde::Serialize> Level for T {
        fn name(&self) -> String {
            serde_json::to_value(self)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }
    }
}

/// Among the pairs of a group's mentions that both carry a valid ID (a few
/// per mention, see `group_pairs`): how many share it, of how many.
fn same_id_pairs(mentions: &[&PersonFeatures], group: &[usize]) -> (u64, u64) {
    let with_id: Vec<usize> = group
        .iter()
        .copied()
        .filter(|i| mentions[*i].strong_id().is_some())
        .collect();
    let mut same = 0;
    let mut total = 0;
    for (a, c) in group_pairs(&with_id) {
        total += 1;
        if mentions[a].strong_id() == mentions[c].strong_id() {
            same += 1;
        }
    }
    (same, total)
}

/// log2 odds of "same person" from anchored counts (add-one smoothed);
/// None with too few pairs to say.
fn anchored_log_odds(same: u64, total: u64) -> Option<f64> {
    (total >= MIN_ANCHORS).then(|| {
        let p = (same as f64 + 1.0) / (total as f64 + 2.0);
        (p / (1.0 - p)).log2()
    })
}

fn pairs(n: usize) -> f64 {
    n as f64 * (n as f64 - 1.0) / 2.0
}

/// Pairs within a group, at most a few per member so that one frequent
/// caller does not dominate the estimate.
fn group_pairs(group: &[usize]) -> impl Iterator<Item = (usize, usize)> + '_ {
    group.iter().enumerate().flat_map(move |(i, a)| {
        group[i + 1..]
            .iter()
            .take(ANCHORS_PER_GROUP)
            .map(move |b| (*a, *b))
    })
}
