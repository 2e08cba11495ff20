//! Address normalisation, parsing and the administrative-division gazetteer,
//! for matching places across the 12345, 110 and petition feeds.
//!
//! [`Gazetteer::parse`] turns free text (河南省鹤壁市淇滨区建业小区3号楼2单元501,
//! 鹤壁淇滨建业小区3栋2-501, 九州路与华夏南路交叉口东50米, 刘庄村3组18号) into an
//! [`AddressPath`]: one field per level, the finest given by
//! [`AddressPath::level`] and a comparable text by [`AddressPath::canonical`].
//!
//! The national divisions (province to street office, from the National Bureau
//! of Statistics codes; see `data/divisions/README.md`) are embedded;
//! a county adds its own streets and communities with
//! [`Gazetteer::with_local`], which also makes their city the home city whose
//! readings win for ambiguous names ([`Gazetteer::with_home_city`] sets it
//! explicitly). Parsing does no IO and never fails: text it cannot read ends
//! in [`AddressPath::nearby`], and it never names a level finer than the text
//! does.
//!
//! Readings to know about: `建业小区2-501` (no building before) is building 2,
//! room 501; a unit without a room is [`AddressLevel::Building`]; an
//! institution right after a division or a road keeps it in its name
//! (淇滨区实验小学, 九州路小学), a compound does not (九州路 + 建业小区).
//!
//! Not handled: letters as building numbers (A座, B栋), sub-numbers of doors
//! (108-1号), division names in the middle or at the end of the text, short
//! forms of autonomous prefectures and counties (延边 for 延边朝鲜族自治州),
//! and, without a home city, a compound whose name starts with the short name
//! of a far-away district (金山东苑 reads as 上海金山区 + 东苑).

mod divisions;
mod fill;
mod fold;
mod gazetteer;
mod load;
mod lower;
mod names;
mod numerals;
mod parse;
mod path;
mod tail;
mod vocab;

pub use gazetteer::Gazetteer;
pub use load::GazetteerError;
pub use path::{AddressLevel, AddressPath};

#[cfg(test)]
mod tests_divisions;
#[cfg(test)]
mod tests_places;
