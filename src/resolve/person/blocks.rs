//! Blocking: the keys under which two mentions are compared at all. Only
//! mentions sharing a key are ever scored, so the work grows with the sizes
//! of the blocks, never with all pairs.
//!
//! A key is kept as a 64-bit hash of its text with its kind: a million
//! mentions carry four or five keys each, and the index holds every key
//! twice. Two different texts sharing a hash would only put two mentions
//! in one block, where scoring still decides.

/// A name shared by more mentions than this is not a block: a name that
/// common carries too little weight to link anything on its own, and the
/// pairs it would cost grow with its square.
pub const NAME_BLOCK_LIMIT: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKind {
    /// First 17 characters of an 18-character ID number.
    Id17,
    /// Canonical phone.
    Phone,
    /// First 6 and last 4 characters of a masked or full ID.
    Masked,
    /// Toneless pinyin of a full name.
    Name,
    /// Surname sound and a building the record names: namesakes and family
    /// at one address, whatever phone they gave.
    Home,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockKey {
    pub kind: BlockKind,
    hash: u64,
}

impl BlockKey {
    fn new(kind: BlockKind, text: &str) -> BlockKey {
        BlockKey {
            kind,
            hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        }
    }

    pub fn is_name(&self) -> bool {
        self.kind == BlockKind::Name
    }
}

pub fn keys(f: &super::features::PersonFeatures) -> Vec<BlockKey> {
    let mut out = Vec::with_capacity(4);
    if let Some(id) = f.id17() {
        out.push(BlockKey::new(BlockKind::Id17, id));
    }
    if let Some(p) = &f.phone {
        out.push(BlockKey::new(BlockKind::Phone, &p.canonical()));
    }
    if let Some(k) = f.id.as_ref().and_then(|i| i.masked_key()) {
        out.push(BlockKey::new(BlockKind::Masked, &k));
    }
    if let Some(p) = f.name.pinyin().filter(|_| f.name.full().is_some()) {
        out.push(BlockKey::new(BlockKind::Name, p));
    }
    if let Some(surname) = super::compare::surname_sound(&f.name) {
        for b in &f.buildings {
            out.push(BlockKey {
                kind: BlockKind::Home,
                hash: xxhash_rust::xxh3::xxh3_64_with_seed(surname.as_bytes(), *b),
            });
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
