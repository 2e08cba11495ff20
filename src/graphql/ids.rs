//! Ids of resolved entities as clients see them: `P123` for a person,
//! `A45` for an address, so a person id pasted where an address is
//! expected is an error, not someone else's data.

use async_graphql::{ID, Result};

use super::errors::ErrorCode;

pub const PERSON_PREFIX: char = 'P';
pub const PLACE_PREFIX: char = 'A';

pub fn person_id(n: i64) -> ID {
    ID(format!("{PERSON_PREFIX}{n}"))
}

pub fn place_id(n: i64) -> ID {
    ID(format!("{PLACE_PREFIX}{n}"))
}

/// The number inside an entity id with the expected prefix.
pub fn parse_entity_id(id: &ID, prefix: char) -> Result<i64> {
    let what = if prefix == PERSON_PREFIX {
        "person"
    } else {
        "address"
    };
    id.strip_prefix(prefix)
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            ErrorCode::BadId.error(format!(
                "`{}` is not a {what} id (they look like {prefix}123)",
                id.as_str()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_kinds_do_not_mix() {
        assert_eq!(parse_entity_id(&person_id(7), PERSON_PREFIX).unwrap(), 7);
        assert!(parse_entity_id(&place_id(7), PERSON_PREFIX).is_err());
        assert!(parse_entity_id(&ID("P-1".into()), PERSON_PREFIX).is_err());
        assert!(parse_entity_id(&ID("7".into()), PLACE_PREFIX).is_err());
    }
}
