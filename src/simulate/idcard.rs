//! Resident identity card numbers (GB 11643-1999).
//!
//! 18 characters: six-digit issuing county, birth date `YYYYMMDD`, a three-digit
//! order code whose last digit is odd for men and even for women, and a check
//! character (ISO 7064 MOD 11-2). The first-generation 15-digit number has a
//! two-digit year and no check character.

use chrono::{Datelike, NaiveDate};

/// The five county-level divisions of 鹤壁市 (GB/T 2260).
pub(super) const COUNTIES: &[(&str, &str)] = &[
    ("410602", "鹤山区"),
    ("410603", "山城区"),
    ("410611", "淇滨区"),
    ("410621", "浚县"),
    ("410622", "淇县"),
];

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| (*d - b'0') as u32 * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

/// True when an 18-character number's last character matches its check
/// character (an `x` counts as `X`).
pub fn is_valid_18(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && check_char(&b[..17]) == b[17].to_ascii_uppercase()
}

/// The 18-digit number for a county, a birth date and an order code (0..=999).
pub(super) fn id18(county: u8, birth: NaiveDate, order: u16) -> String {
    let mut s = format!(
        "{}{:04}{:02}{:02}{:03}",
        COUNTIES[county as usize].0,
        birth.year(),
        birth.month(),
        birth.day(),
        order % 1000
    );
    let c = check_char(s.as_bytes());
    s.push(c as char);
    s
}

/// The first-generation 15-digit form of the same number: the century and the
/// check character are dropped.
pub(super) fn id15(county: u8, birth: NaiveDate, order: u16) -> String {
    format!(
        "{}{:02}{:02}{:02}{:03}",
        COUNTIES[county as usize].0,
        birth.year() % 100,
        birth.month(),
        birth.day(),
        order % 1000
    )
}

/// The same number with a wrong check character, as a typing error makes.
pub(super) fn with_wrong_check(id: &str, shift: u8) -> String {
    let b = id.as_bytes();
    let right = CHECK_CHARS
        .iter()
        .position(|c| *c == b[17].to_ascii_uppercase())
        .unwrap_or(0);
    let wrong = CHECK_CHARS[(right + 1 + (shift as usize % 10)) % 11];
    let mut s = id[..17].to_string();
    s.push(wrong as char);
    s
}

/// `410602********1234`: the county and the last four characters kept.
pub(super) fn masked(id: &str) -> String {
    format!("{}********{}", &id[..6], &id[14..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_check_digits() {
        // The standard's worked example.
        assert!(is_valid_18("11010519491231002X"));
        assert!(is_valid_18("11010519491231002x"));
        assert!(!is_valid_18("110105194912310021"));
        let id = id18(2, NaiveDate::from_ymd_opt(1988, 3, 15).unwrap(), 234);
        assert_eq!(&id[..17], "41061119880315234");
        assert!(is_valid_18(&id));
        assert!(!is_valid_18(&with_wrong_check(&id, 3)));
        assert_eq!(
            id15(2, NaiveDate::from_ymd_opt(1988, 3, 15).unwrap(), 234),
            "410611880315234"
        );
        assert_eq!(masked(&id), format!("410611********{}", &id[14..]));
    }
}
