//! The keys an entity is found by, and the keys a search asks for. Both
//! come from the same parsers resolution uses, so "张三", "張三" and
//! "zhang san", or "138-1234-5678" and "+86 13812345678", find the same
//! person. Keys are `prefix:value`:
//!
//! | prefix | value |
//! |---|---|
//! | `n:` | full name, folded and simplified |
//! | `y:` | toneless pinyin of the name (homophones) |
//! | `s:` | surname, for honorific-only mentions (张先生) |
//! | `t:` | phone, canonical |
//! | `i:` | 18-character ID number (also with a wrong check digit) |
//! | `m:` | first 6 + last 4 of an ID (what masked forms keep) |
//! | `k:` | place key (`place::keys`) |

use super::normalize::idcard::IdCard;
use super::normalize::name::PersonName;
use super::normalize::phone::Phone;
use super::person::features::PersonFeatures;

/// The keys one person mention contributes to its entity.
pub fn person_keys(f: &PersonFeatures) -> Vec<String> {
    let mut out = Vec::new();
    match &f.name {
        PersonName::Full { name, pinyin, .. } => {
            out.push(format!("n:{name}"));
            out.push(format!("y:{pinyin}"));
        }
        PersonName::Honorific { surname, .. } => out.push(format!("s:{surname}")),
        PersonName::Absent => {}
    }
    if let Some(p) = &f.phone {
        out.push(format!("t:{}", p.canonical()));
    }
    if let Some(id) = &f.id {
        if let Some(d) = id.digits() {
            out.push(format!("i:{d}"));
        }
        if let Some(k) = id.masked_key() {
            out.push(format!("m:{k}"));
        }
    }
    out
}

/// What a person search asks for: the exact keys to look up, and a name
/// prefix for partial names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonQuery {
    pub keys: Vec<String>,
    /// `n:` prefix matching names that start with the text (张 → 张三, 张伟).
    pub name_prefix: Option<String>,
    /// How the text was read: id, masked_id, phone, name or pinyin.
    pub read_as: &'static str,
}

/// Reads search text as an ID number (full or masked), a phone in any
/// format, a name (any script) or pinyin; None when it is none of these.
pub fn person_query(text: &str, area_code: &str) -> Option<PersonQuery> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(id) = IdCard::parse(text) {
        let mut keys = Vec::new();
        let read_as = match id.digits() {
            Some(d) => {
                keys.push(format!("i:{d}"));
                "id"
            }
            None => "masked_id",
        };
        keys.extend(id.masked_key().map(|k| format!("m:{k}")));
        return Some(PersonQuery {
            keys,
            name_prefix: None,
            read_as,
        });
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if digits >= 7
        && let Ok(p) = Phone::parse(text, area_code)
    {
        return Some(PersonQuery {
            keys: vec![format!("t:{}", p.canonical())],
            name_prefix: None,
            read_as: "phone",
        });
    }
    if text.is_ascii() && text.chars().any(|c| c.is_ascii_alphabetic()) {
        let pinyin = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        return Some(PersonQuery {
            keys: vec![format!("y:{pinyin}")],
            name_prefix: None,
            read_as: "pinyin",
        });
    }
    match PersonName::parse(text) {
        PersonName::Full { name, pinyin, .. } => Some(PersonQuery {
            keys: vec![format!("n:{name}"), format!("y:{pinyin}")],
            name_prefix: Some(format!("n:{name}")),
            read_as: "name",
        }),
        PersonName::Honorific { surname, .. } => Some(PersonQuery {
            keys: vec![format!("s:{surname}")],
            name_prefix: Some(format!("n:{surname}")),
            read_as: "name",
        }),
        // One character is not a name to the parser, but a fine prefix.
        PersonName::Absent if text.chars().count() <= 2 && !text.is_ascii() => Some(PersonQuery {
            keys: Vec::new(),
            name_prefix: Some(format!("n:{}", folded(text))),
            read_as: "name",
        }),
        PersonName::Absent => None,
    }
}

fn folded(text: &str) -> String {
    use super::normalize::text::{fold_char, to_simplified};
    to_simplified(&text.chars().map(fold_char).collect::<String>())
}

/// The key of a place, as stored for search.
pub fn place_key(key: &str) -> String {
    format!("k:{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(name: Option<&str>, phone: Option<&str>, id: Option<&str>) -> Vec<String> {
        person_keys(&PersonFeatures::parse(name, phone, id, "0392"))
    }

    #[test]
    fn every_way_of_writing_finds_the_same_keys() {
        let stored = keys(
            Some("張偉"),
            Some("138 1234 5678"),
            Some("410602199003071234"),
        );
        for text in ["张伟", "張 偉", "zhang wei", "Zhang Wei"] {
            let q = person_query(text, "0392").unwrap();
            assert!(
                q.keys.iter().any(|k| stored.contains(k)),
                "{text}: {q:?} vs {stored:?}"
            );
        }
        for text in ["+86 138-1234-5678", "13812345678", "8613812345678"] {
            let q = person_query(text, "0392").unwrap();
            assert_eq!(q.read_as, "phone", "{text}");
            assert!(stored.contains(&q.keys[0]), "{text}: {q:?}");
        }
        let q = person_query("410602********1234", "0392").unwrap();
        assert_eq!(q.read_as, "masked_id");
        assert!(stored.contains(&q.keys[0]), "{q:?} vs {stored:?}");
    }

    #[test]
    fn partial_names_search_by_prefix() {
        let q = person_query("张", "0392").unwrap();
        assert_eq!(q.name_prefix.as_deref(), Some("n:张"));
        assert!(person_query("   ", "0392").is_none());
    }
}
