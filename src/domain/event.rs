use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Lifecycle, Satisfaction, Source};

/// One source record mapped into the unified model. Times are UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub source: Source,
    pub record_id: String,
    pub occurred_at: NaiveDateTime,
    /// The source's own revision time (gxsj), when it has one.
    pub source_updated_at: Option<NaiveDateTime>,
    pub event_type: Option<String>,
    /// Path in the common taxonomy, levels joined by `>`.
    pub category: String,
    pub category_raw: Option<String>,
    pub content: Option<String>,
    pub unit: Option<String>,
    pub status: Lifecycle,
    pub status_raw: Option<String>,
    pub deadline: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub satisfaction: Option<Satisfaction>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub petitioners: Option<i64>,
    /// Source-specific fields under canonical names (channel, purpose, outcome ...).
    pub detail: serde_json::Map<String, serde_json::Value>,
    pub persons: Vec<PersonMention>,
    pub addresses: Vec<AddressMention>,
}

/// A person named in a record, exactly as given. Resolution happens later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonMention {
    pub position: i64,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

impl PersonMention {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.id_number.is_none()
    }
}

/// An address as written in one field of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressMention {
    pub field: AddressField,
    pub text: String,
}

super::named_enum! {
    /// Which field of the source an address came from, by its canonical (reference-feed) name,
    /// whatever a city's export calls it.
    AddressField, "address field" {
        /// 12345 诉求地址
        Sqdz => "sqdz",
        /// 110 案发地点
        Afdd => "afdd",
        /// 信访 住址 (first petitioner's residence)
        Zz => "zz",
        /// 信访 问题属地 (where the problem is)
        Wtsd => "wtsd",
    }
}

/// A content digest as stored: 32 hexadecimal digits.
pub fn hash_text(digest: u128) -> String {
    format!("{digest:032x}")
}

/// The digest a stored content hash spells; None for text in another format, which no
/// delivery's digest matches.
pub fn digest_of(hash: &str) -> Option<u128> {
    if hash.len() != 32 {
        return None;
    }
    u128::from_str_radix(hash, 16).ok()
}

impl EventRecord {
    /// A hash of everything the hub derives from the record. Two deliveries of the same state
    /// (a re-sent page, the CSV export of an order already pulled over HTTP) hash alike, so they
    /// never make a new version; any real revision changes it.
    pub fn content_hash(&self) -> String {
        hash_text(self.content_digest())
    }

    /// The content hash as a number (its text is this in 32 hexadecimal digits).
    pub fn content_digest(&self) -> u128 {
        thread_local! {
            // The JSON is only hashed: one buffer per mapping thread, grown once, instead of
            // a fresh one grown by doubling for every record.
            static JSON: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        JSON.with_borrow_mut(|json| {
            json.clear();
            serde_json::to_writer(&mut *json, self).expect("an EventRecord always serialises");
            xxhash_rust::xxh3::xxh3_128(json)
        })
    }

    /// A digest of the persons and addresses the record names, alike for two records that name
    /// the same ones in any order: what the store keeps as the record's mentions (persons by
    /// position, addresses by field) is all it covers.
    pub fn mentions_digest(&self) -> u128 {
        let mut persons: Vec<&PersonMention> = self.persons.iter().collect();
        persons.sort_by_key(|p| p.position);
        let mut addresses: Vec<(&str, &str)> = self
            .addresses
            .iter()
            .map(|a| (a.field.as_str(), a.text.as_str()))
            .collect();
        addresses.sort_unstable();
        // Every text is preceded by its length (or -1 when absent), so no two lists spell alike.
        let mut bytes = Vec::with_capacity(256);
        let mut text = |t: Option<&str>| match t {
            Some(t) => {
                bytes.extend_from_slice(&(t.len() as i64).to_le_bytes());
                bytes.extend_from_slice(t.as_bytes());
            }
            None => bytes.extend_from_slice(&(-1i64).to_le_bytes()),
        };
        for p in persons {
            text(Some(&p.position.to_string()));
            text(p.name.as_deref());
            text(p.phone.as_deref());
            text(p.id_number.as_deref());
        }
        text(None);
        for (field, at) in addresses {
            text(Some(field));
            text(Some(at));
        }
        xxhash_rust::xxh3::xxh3_128(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record whose hash is pinned below.
    fn pinned() -> EventRecord {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let mut detail = serde_json::Map::new();
        detail.insert("channel".into(), "电话".into());
        EventRecord {
            source: Source::Hotline,
            record_id: "GD2026110100001".into(),
            occurred_at: at("2026-11-01 00:23:11"),
            source_updated_at: Some(at("2026-11-02 08:00:00")),
            event_type: Some("投诉".into()),
            category: "城市管理>噪音扰民".into(),
            category_raw: Some("噪音".into()),
            content: Some("楼上装修噪音\"很大\"".into()),
            unit: Some("城关街道".into()),
            status: Lifecycle::Closed,
            status_raw: Some("已办结".into()),
            deadline: None,
            closed_at: Some(at("2026-11-03 09:30:00")),
            satisfaction: Some(Satisfaction::Satisfied),
            longitude: Some(116.4),
            latitude: None,
            petitioners: None,
            detail,
            persons: vec![PersonMention {
                position: 0,
                name: Some("张三".into()),
                phone: Some("13800138000".into()),
                id_number: None,
            }],
            addresses: vec![AddressMention {
                field: AddressField::Sqdz,
                text: "城关镇幸福路8号".into(),
            }],
        }
    }

    #[test]
    fn a_records_content_hash_stays_what_stored_versions_were_hashed_with() {
        // Stored versions are recognised by this hash: were it to change, every record
        // delivered again after an upgrade would count as a new version.
        let record = pinned();
        assert_eq!(record.content_hash(), "0d3160f524fa81037d2413db1ab0953b");
        // The same again from the thread's reused buffer.
        assert_eq!(record.content_hash(), "0d3160f524fa81037d2413db1ab0953b");
        assert_eq!(hash_text(record.content_digest()), record.content_hash());
        assert_eq!(
            digest_of(&record.content_hash()),
            Some(record.content_digest())
        );
    }

    #[test]
    fn digests_are_read_from_the_stored_hash_format_only() {
        assert_eq!(
            digest_of("0d3160f524fa81037d2413db1ab0953b"),
            Some(0x0d3160f524fa81037d2413db1ab0953b)
        );
        assert_eq!(digest_of("0d3160f524fa81037d2413db1ab0953"), None);
        assert_eq!(digest_of("zz3160f524fa81037d2413db1ab0953b"), None);
    }

    #[test]
    fn the_mentions_digest_tells_apart_what_the_store_keeps_apart() {
        let person = |position, name: Option<&str>, phone: Option<&str>| PersonMention {
            position,
            name: name.map(Into::into),
            phone: phone.map(Into::into),
            id_number: None,
        };
        let place = |field, text: &str| AddressMention {
            field,
            text: text.into(),
        };
        let record = |persons, addresses| EventRecord {
            persons,
            addresses,
            ..pinned()
        };
        let two = vec![
            person(0, Some("张伟"), Some("111")),
            person(1, Some("李娜"), None),
        ];
        let places = vec![
            place(AddressField::Zz, "幸福路1号"),
            place(AddressField::Wtsd, "城关镇"),
        ];
        let base = record(two.clone(), places.clone()).mentions_digest();
        let mut reordered = two.clone();
        reordered.reverse();
        let mut moved = places.clone();
        moved.reverse();
        assert_eq!(
            record(reordered, moved).mentions_digest(),
            base,
            "order is not kept"
        );
        let differing = [
            record(vec![two[0].clone()], places.clone()),
            record(
                vec![two[0].clone(), person(1, Some("李娜"), Some(""))],
                places.clone(),
            ),
            record(
                vec![two[0].clone(), person(2, Some("李娜"), None)],
                places.clone(),
            ),
            record(
                vec![two[0].clone(), person(1, None, Some("李娜"))],
                places.clone(),
            ),
            record(two.clone(), vec![place(AddressField::Zz, "幸福路1号")]),
            record(
                two.clone(),
                vec![
                    place(AddressField::Wtsd, "幸福路1号"),
                    place(AddressField::Zz, "城关镇"),
                ],
            ),
            record(
                two.clone(),
                vec![
                    place(AddressField::Zz, "幸福路1号城"),
                    place(AddressField::Wtsd, "关镇"),
                ],
            ),
        ];
        for (i, r) in differing.iter().enumerate() {
            assert_ne!(r.mentions_digest(), base, "variant {i}");
        }
    }
}
