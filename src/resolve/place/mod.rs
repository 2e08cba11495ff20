//! Place resolution: address mentions into a hierarchy of places — room ⊂
//! building ⊂ site ⊂ community ⊂ street office ⊂ district — keyed by what
//! the parsed address names (`keys`), with compound names and door numbers
//! joined as aliases (`aliases`), maintained incrementally (`resolver`).

mod aliases;
mod geo;
mod keys;
mod resolver;

pub use aliases::AliasStep;
pub use keys::building_key;
pub use resolver::{
    AddressInput, Incoming, Place, PlaceExplanation, PlaceResolver, RecordAddresses,
};
