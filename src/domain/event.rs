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

impl EventRecord {
    /// A hash of everything the hub derives from the record. Two deliveries of the same state
    /// (a re-sent page, the CSV export of an order already pulled over HTTP) hash alike, so they
    /// never make a new version; any real revision changes it.
    pub fn content_hash(&self) -> String {
        let bytes = serde_json::to_vec(self).expect("an EventRecord always serialises");
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes))
    }
}
