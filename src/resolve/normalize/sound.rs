//! Whether two written names could be the same name said aloud. The
//! default pinyin of a character misses clerks' typos that go through a
//! second reading (靓 read liàng, 柏 read bó) or through the local accent,
//! which in Henan does not tell -n from -ng, nor z/c/s from zh/ch/sh.

use std::cell::RefCell;
use std::rc::Rc;

use pinyin::ToPinyinMulti;

/// Toneless readings of a character, folded for the accent.
fn readings(c: char) -> Vec<String> {
    match c.to_pinyin_multi() {
        Some(multi) => (0..multi.count())
            .map(|i| fold_accent(multi.get(i).plain()))
            .collect(),
        None => vec![c.to_lowercase().collect()],
    }
}

thread_local! {
    /// Readings already folded, by character: resolution compares the
    /// names of every pair in a block, and names share a few thousand
    /// characters.
    static READINGS: RefCell<foldhash::HashMap<char, Rc<[String]>>> = RefCell::default();
}

fn cached_readings(c: char) -> Rc<[String]> {
    READINGS.with(|cache| {
        cache
            .borrow_mut()
            .entry(c)
            .or_insert_with(|| readings(c).into())
            .clone()
    })
}

/// zh/ch/sh → z/c/s at the start, -ng → -n at the end.
fn fold_accent(s: &str) -> String {
    let s = s
        .strip_prefix("zh")
        .map(|r| format!("z{r}"))
        .or_else(|| s.strip_prefix("ch").map(|r| format!("c{r}")))
        .or_else(|| s.strip_prefix("sh").map(|r| format!("s{r}")))
        .unwrap_or_else(|| s.to_string());
    match s.strip_suffix("ng") {
        Some(r) => format!("{r}n"),
        None => s,
    }
}

/// True when the names have the same length and every pair of characters
/// shares a reading (after folding the accent).
pub fn sounds_alike(a: &str, b: &str) -> bool {
    a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).all(|(x, y)| {
            x == y || {
                let ry = cached_readings(y);
                cached_readings(x).iter().any(|r| ry.contains(r))
            }
        })
}

#[cfg(test)]
mod tests {
    use super::sounds_alike;

    #[test]
    fn second_readings_and_the_local_accent_count() {
        assert!(sounds_alike("戴靓兵", "戴亮兵"));
        assert!(sounds_alike("张柏", "张博"));
        assert!(sounds_alike("王琳", "王玲"));
        assert!(sounds_alike("张伟", "张巍"));
    }

    #[test]
    fn different_names_do_not() {
        assert!(!sounds_alike("张伟", "张丽"));
        assert!(!sounds_alike("张伟", "张伟伟"));
        assert!(!sounds_alike("李明", "王明"));
    }
}
