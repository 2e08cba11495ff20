//! Parsing one address: normalise the text, list the readings of its
//! division prefix, parse the rest under each reading, keep the reading that
//! leaves the least unexplained text, then fill the upper levels.

use super::divisions::{self, Token};
use super::fill::{self, Divisions};
use super::lower::{Context, Lower, parse_lower};
use super::{AddressLevel, AddressPath, Gazetteer, fold, numerals, vocab};
use std::cmp::Reverse;

/// Lower is better: unexplained characters, then the longer division prefix
/// (钜桥镇华夏社区 names a town, even if the local list puts 华夏社区
/// elsewhere), then fewer divisions named under the wrong parent, then fewer
/// divisions unknown to the gazetteer, then fewer short names.
type Score = (usize, Reverse<usize>, usize, usize, usize);

impl Gazetteer {
    /// Normalises and parses one address text. Never fails: what cannot be
    /// read is left in `nearby`, and levels the text does not name stay empty
    /// unless the gazetteer fills them unambiguously from a finer one.
    pub fn parse(&self, text: &str) -> AddressPath {
        let text = numerals::arabic(&fold::fold(text));
        let mut best: Option<(Score, Divisions, Lower)> = None;
        for reading in divisions::readings(self, &text) {
            let last = reading.tokens.last();
            let rest = skip_office_word(&text[reading.end..], last);
            // 鹤壁市鹤壁东站: the site already carries its own division name
            // (but 鹤壁市中山公园 does not: 中山 starts the park's name).
            let named = !self.full_prefixes(rest).is_empty()
                || self
                    .short_prefixes(rest)
                    .iter()
                    .any(|(len, _)| !vocab::starts_with_kind_suffix(&rest[*len..]));
            let ctx = Context {
                community: last
                    .filter(|t| t.level == AddressLevel::Community)
                    .map(|t| t.label.as_str()),
                landmark: last
                    .filter(|t| t.level < AddressLevel::Community && !named)
                    .map(|t| t.label.as_str()),
            };
            let lower = parse_lower(rest, ctx);
            let mut tokens: Vec<Token> = reading.tokens.clone();
            if let Some(name) = &lower.community {
                let token = divisions::community_token(self, name, tokens.last());
                tokens.push(token);
            }
            let shorts = tokens.iter().filter(|t| t.short).count();
            let unknown = tokens.iter().filter(|t| t.cands.is_empty()).count();
            let Some(div) = fill::resolve(self, &mut tokens) else {
                continue;
            };
            let score = (
                lower.junk,
                Reverse(reading.end),
                div.contradictions,
                unknown,
                shorts,
            );
            if best.as_ref().is_none_or(|(s, ..)| score < *s) {
                best = Some((score, div, lower));
            }
        }
        let Some((_, div, lower)) = best else {
            return AddressPath::default();
        };
        AddressPath {
            province: div.province,
            city: div.city,
            district: div.district,
            street: div.street,
            community: div.community,
            road: lower.road,
            number: lower.number,
            site: lower.site,
            group: lower.group,
            building: lower.building,
            unit: lower.unit,
            room: lower.room,
            crossing: lower.crossing,
            nearby: lower.nearby,
        }
    }
}

/// 金山街道办事处天山路社区: the office of a street office, followed by
/// finer places, is the street office itself. Alone (or with a vague
/// relation) it stays, as the office building.
fn skip_office_word<'t>(rest: &'t str, last: Option<&Token>) -> &'t str {
    if last.is_none_or(|t| t.level != AddressLevel::Street) {
        return rest;
    }
    let word = vocab::prefix_in(rest, &["办事处", "人民政府", "政府", "办"]);
    match word.map(|w| &rest[w.len()..]) {
        Some(after) if !after.is_empty() && !vocab::is_vague(after) => after,
        _ => rest,
    }
}
