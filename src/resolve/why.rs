//! Why a mention belongs to its entity, in the form stored with the link
//! (`entity_mentions.why`) and shown by the API. Kept small: only the
//! strongest link is stored; `PersonResolver::explain` recomputes any other
//! pair.

use serde::{Deserialize, Serialize};

use super::mention::MentionKey;

/// Another mention, by the source's own ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionRef {
    pub source: String,
    pub record_id: String,
    pub slot: u32,
}

impl From<&MentionKey> for MentionRef {
    fn from(k: &MentionKey) -> MentionRef {
        MentionRef {
            source: k.source.as_str().to_string(),
            record_id: k.record_id.to_string(),
            slot: k.slot,
        }
    }
}

/// One field's part in a person link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldWeight {
    pub field: String,
    pub level: String,
    /// log2 odds this field adds.
    pub weight: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The strongest link from a person mention to another mention of its
/// entity. A person seen once has none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonWhy {
    pub with: MentionRef,
    /// log2 odds of the pair; linked at or above `threshold`, or through a
    /// shared valid ID.
    pub score: f64,
    pub threshold: f64,
    pub fields: Vec<FieldWeight>,
}

/// Why an address mention is the place it is: the key its text names and,
/// when the compound is known under another name, the alias steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceWhy {
    /// The finest place key the text names, as written.
    pub named: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<super::place::AliasStep>,
}
