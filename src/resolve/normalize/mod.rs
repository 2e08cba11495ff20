//! Person fields parsed once into types: names (folded, simplified, with a
//! phonetic key), phones (canonical mobile or landline), ID numbers
//! (checked, upgraded, masked or mistyped forms kept as what they are).

pub mod idcard;
pub mod name;
pub mod phone;
pub mod sound;
pub mod text;
