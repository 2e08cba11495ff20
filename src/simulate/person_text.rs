//! Writing a person the ways the three systems do (feeds.md, "People").
//!
//! Shares per channel (each mention is drawn independently):
//!
//! | name            | hotline | alarm | petition |
//! |-----------------|---------|-------|----------|
//! | exact           | 62 %    | 55 %  | 78 %     |
//! | homophone       | 8 %     | 8 %   | 8 %      |
//! | traditional (1) | 5 %     | 3 %   | 6 %      |
//! | stray spaces    | 5 %     | 4 %   | 6 %      |
//! | 张先生 / 王女士 | 12 %    | 20 %  | 0        |
//! | 匿名            | 5 %     | 2 %   | 0        |
//! | empty           | 3 %     | 8 %   | 2 %      |
//!
//! (1) only names with a character that has a traditional form change; the
//! others stay exact.
//!
//! Phone: the person's own mobile (90 % of those who have one) or the
//! household's phone (a landline or another member's mobile; always for the
//! ~15 % without a phone of their own), written as in `Phone::written`;
//! empty for 2 % of hotline callers (30 % when the name is 匿名), never for
//! alarms (the exchange shows the caller), 15 % of petitioners.
//!
//! ID number: empty for 65 % of hotline callers, 55 % of alarm reporters,
//! 15 % of petitioners; the rest are, by channel (hotline / alarm / petition),
//! full 50/55/77 %, masked `410602********1234` 40/10/10 %, the old 15-digit
//! form 5/27/5 % (only for people born before 1999, others get the full
//! number), a wrong check character 5/8/8 %. A full number ending in `X`
//! is written with a lowercase `x` 35 % of the time.

use chrono::Datelike;
use rand::Rng;

use super::idcard;
use super::names;
use super::population::Population;
use super::seeds::pick_weighted;
use super::text_noise::stray_spaces;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Channel {
    Hotline,
    Alarm,
    Petition,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct PersonText {
    pub(super) name: String,
    pub(super) phone: String,
    pub(super) id: String,
}

impl PersonText {
    /// True when the mention carries nothing that identifies anyone.
    pub(super) fn is_blank(&self) -> bool {
        (self.name.trim().is_empty() || self.name == "匿名")
            && self.phone.is_empty()
            && self.id.is_empty()
    }
}

pub(super) fn render<R: Rng + ?Sized>(
    pop: &Population,
    person: u32,
    channel: Channel,
    rng: &mut R,
) -> PersonText {
    let p = &pop.persons[person as usize];
    let full = p.name.full();
    let name_weights: &[u32] = match channel {
        Channel::Hotline => &[62, 8, 5, 5, 12, 5, 3],
        Channel::Alarm => &[55, 8, 3, 4, 20, 2, 8],
        Channel::Petition => &[78, 8, 6, 6, 0, 0, 2],
    };
    let name = match pick_weighted(rng, name_weights) {
        0 => full,
        1 => names::homophone(rng, &full),
        2 => names::traditional(&full),
        3 => stray_spaces(rng, &full),
        4 => format!(
            "{}{}",
            p.name.surname(),
            if p.male { "先生" } else { "女士" }
        ),
        5 => "匿名".to_string(),
        _ => String::new(),
    };

    let phone_empty = match channel {
        Channel::Hotline if name == "匿名" => 0.30,
        Channel::Hotline => 0.02,
        Channel::Alarm => 0.0,
        Channel::Petition => 0.15,
    };
    let phone = if rng.random_bool(phone_empty) {
        String::new()
    } else {
        let number = if p.mobile.0 != 0 && rng.random_bool(0.9) {
            p.mobile
        } else {
            pop.household_of(person).phone
        };
        number.written(rng)
    };

    let (empty, weights): (f64, &[u32]) = match channel {
        Channel::Hotline => (0.65, &[50, 40, 5, 5]),
        Channel::Alarm => (0.55, &[55, 10, 27, 8]),
        Channel::Petition => (0.15, &[77, 10, 5, 8]),
    };
    let id = if rng.random_bool(empty) {
        String::new()
    } else {
        let id18 = p.id18();
        let old_enough = p.birth.year() < 1999;
        match pick_weighted(rng, weights) {
            1 => idcard::masked(&id18),
            2 if old_enough => p.id15(),
            3 => idcard::with_wrong_check(&id18, rng.random_range(0..10)),
            _ => {
                if id18.ends_with('X') && rng.random_bool(0.35) {
                    id18.to_ascii_lowercase()
                } else {
                    id18
                }
            }
        }
    };
    PersonText { name, phone, id }
}
