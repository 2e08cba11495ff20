//! Blocking: the keys under which two mentions are compared at all. Only
//! mentions sharing a key are ever scored, so the work grows with the sizes
//! of the blocks, never with all pairs.

use super::features::PersonFeatures;

/// A name shared by more mentions than this is not a block: a name that
/// common carries too little weight to link anything on its own, and the
/// pairs it would cost grow with its square.
pub const NAME_BLOCK_LIMIT: usize = 400;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKey {
    /// First 17 characters of an 18-character ID number.
    Id17(Box<str>),
    /// Canonical phone.
    Phone(Box<str>),
    /// First 6 and last 4 characters of a masked or full ID.
    Masked(Box<str>),
    /// Toneless pinyin of a full name.
    Name(Box<str>),
    /// Surname sound and a building the record names: namesakes and family
    /// at one address, whatever phone they gave.
    Home(Box<str>),
}

impl BlockKey {
    pub fn is_name(&self) -> bool {
        matches!(self, BlockKey::Name(_))
    }
}

pub fn keys(f: &PersonFeatures) -> Vec<BlockKey> {
    let mut out = Vec::with_capacity(4);
    if let Some(id) = f.id17() {
        out.push(BlockKey::Id17(id.into()));
    }
    if let Some(p) = &f.phone {
        out.push(BlockKey::Phone(p.canonical().into()));
    }
    if let Some(k) = f.id.as_ref().and_then(|i| i.masked_key()) {
        out.push(BlockKey::Masked(k.into()));
    }
    if let Some(p) = f.name.pinyin().filter(|_| f.name.full().is_some()) {
        out.push(BlockKey::Name(p.into()));
    }
    if let Some(surname) = super::compare::surname_sound(&f.name) {
        for b in &f.buildings {
            out.push(BlockKey::Home(format!("{surname}|{b}").into()));
        }
    }
    out
}
