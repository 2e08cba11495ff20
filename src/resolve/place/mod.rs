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
    AddressInput, AreaIds, Incoming, Place, PlaceExplanation, PlaceResolver, RecordAddresses,
};

/// The place keys a written address names, finest first, as a search
/// looks them up; `site` renames the compound to the key it is stored
/// under once a first lookup found it. Also returns the site keys as
/// written.
pub fn query_keys(
    path: &crate::resolve::address::AddressPath,
    site: Option<&str>,
) -> (
    Vec<(crate::resolve::address::AddressLevel, String)>,
    Vec<String>,
) {
    let c = keys::chain(path, &|k| {
        site.map_or_else(|| k.to_string(), str::to_string)
    });
    (
        c.links
            .into_iter()
            .map(|(l, k)| (l, k.to_string()))
            .collect(),
        c.site_keys.iter().map(|k| k.to_string()).collect(),
    )
}
