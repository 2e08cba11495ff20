//! Mainland China phone numbers parsed into one canonical form, so that the
//! same phone written `+86 138 1234 5678`, `138-1234-5678` or
//! `１３８１２３４５６７８` is one block key and one piece of evidence.
//!
//! A mobile is 11 digits starting 13–19. A landline is an area code (`010`
//! and `020`–`029` have three digits, every other one four, all starting
//! with 0 — the codes are prefix-free, so the length follows from the
//! digits) and a 7- or 8-digit local number; one written without its area
//! code is in the city's own area, which the caller passes in.
//!
//! Extensions (`0392-3312345-801`, `/801`, `转801`, `分机801`, `ext 801`,
//! `#801`) are dropped: they reach a desk, not a person, and the switchboard
//! number is what two records of the same household share. So are labels
//! (`电话：`, `手机`) and bracketed remarks without digits (`（本人）`). A number given with
//! `+86`, `0086` or `86` loses it, and a landline written internationally
//! (`+86 392 3312345`) gets its trunk 0 back. A mobile dialled with a
//! leading trunk 0 (`013812345678`) is the mobile. Masked numbers
//! (`138****5678`) and several numbers in one field are errors rather than
//! guesses: [`Phone::parse_all`] splits the latter.

use serde::{Deserialize, Serialize};

use super::text::{fold_char, is_blank};

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Phone {
    /// 11 digits starting with 1: "13812345678"
    Mobile(String),
    /// area code with leading 0 ("0392") and local number (7 or 8 digits)
    Landline { area: String, local: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("no phone number given")]
    Empty,
    #[error("not a phone number: {0:?} has characters other than digits and separators")]
    NotANumber(String),
    #[error(
        "wrong number of digits: {digits} has {len}; expected an 11-digit mobile, \
         or a 7- or 8-digit local number with an optional area code"
    )]
    WrongLength { digits: String, len: usize },
    #[error("not a mobile number: {0} (mobiles start with 13 to 19)")]
    BadMobile(String),
    #[error("not a mainland China number: {0:?}")]
    Foreign(String),
    #[error("masked phone number: {0:?}")]
    Masked(String),
    #[error("several phone numbers in one field: {0:?}")]
    Several(String),
    #[error("default area code {0:?} is not a valid area code (0 and 2 or 3 more digits)")]
    BadDefaultArea(String),
}

/// Words clerks put before a number without a colon (手机13812345678).
const LABELS: &[&str] = &[
    "联系电话",
    "电话号码",
    "手机号码",
    "手机号",
    "手机",
    "电话",
    "座机",
    "固话",
    "tel",
    "Tel",
    "TEL",
    "mobile",
    "Mobile",
];

/// Separators between several numbers in one field.
const LIST_SEPARATORS: &[char] = &[',', ';', '/', '、', '|', '。', '或'];

/// Where an extension starts. Letters are otherwise rejected, so `x` can
/// only mean an extension here.
const EXTENSION_MARKERS: &[&str] = &["转", "分机", "ext", "EXT", "Ext", "#", "x", "X"];

/// Characters that only format a number.
const FORMATTING: &[char] = &['-', '(', ')', '.', '—', '–', '‐'];

/// Digits before an extension marker that make it plausible: a 7-digit local
/// number at least. Fewer, and the "marker" is part of junk text.
const MIN_DIGITS_BEFORE_EXTENSION: usize = 7;

/// The longest trailing group read as an extension when the digits are too
/// many for a landline (`0392-3312345-801`).
const MAX_EXTENSION_DIGITS: usize = 5;

impl Phone {
    /// `default_area` is the city's area code ("0392") used when a landline is written without it.
    pub fn parse(raw: &str, default_area: &str) -> Result<Phone, PhoneError> {
        let folded: String = raw
            .chars()
            .map(fold_char)
            .map(|c| if is_blank(c) { ' ' } else { c })
            .collect();
        // A `label:` prefix (电话：, Tel:) is never part of the number.
        let unlabelled = folded.rsplit(':').next().unwrap_or_default();
        let unremarked = drop_remarks(unlabelled);
        let text = strip_label(&unremarked)
            .trim_matches(|c: char| c == ' ' || LIST_SEPARATORS.contains(&c));
        if text.is_empty() {
            return Err(PhoneError::Empty);
        }
        let text = match text.split_once(LIST_SEPARATORS) {
            // `0392-3312345/801`: a slash before a few digits is an extension.
            Some((number, ext)) if is_extension(ext) => number.trim_end(),
            Some(_) => return Err(PhoneError::Several(text.to_string())),
            None => text,
        };
        match parse_number(text, default_area) {
            // `13812345678 13912345678`: two whole numbers side by side.
            Err(PhoneError::WrongLength { .. })
                if text.split_whitespace().count() >= 2
                    && text
                        .split_whitespace()
                        .all(|part| parse_number(part, default_area).is_ok()) =>
            {
                Err(PhoneError::Several(text.to_string()))
            }
            result => result,
        }
    }

    /// Parses every number in a field that lists several
    /// (`13812345678、0392-3312345`), in order. An empty field gives none.
    pub fn parse_all(raw: &str, default_area: &str) -> Vec<Result<Phone, PhoneError>> {
        let folded: String = raw.chars().map(fold_char).collect();
        folded
            .split(LIST_SEPARATORS)
            .filter(|part| !part.chars().all(|c| is_blank(c) || c.is_whitespace()))
            .map(|part| Phone::parse(part, default_area))
            .collect()
    }

    /// "13812345678" or "0392-3312345"
    pub fn canonical(&self) -> String {
        match self {
            Phone::Mobile(number) => number.clone(),
            Phone::Landline { area, local } => format!("{area}-{local}"),
        }
    }

    /// The 64-bit xxh3 hash of `canonical`, computed without building it:
    /// resolution looks phones up by this for every pair it scores.
    pub fn key(&self) -> u64 {
        match self {
            Phone::Mobile(number) => xxhash_rust::xxh3::xxh3_64(number.as_bytes()),
            Phone::Landline { area, local } => {
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                h.update(area.as_bytes());
                h.update(b"-");
                h.update(local.as_bytes());
                h.digest()
            }
        }
    }

    pub fn is_mobile(&self) -> bool {
        matches!(self, Phone::Mobile(_))
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// Drops bracketed remarks without digits (`13812345678（本人）`,
/// `(微信同号)`); a bracket with digits is part of the number: `(0392)`.
fn drop_remarks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else {
            break;
        };
        let inner = &rest[open + 1..open + len];
        out.push_str(&rest[..open]);
        if inner.chars().any(|c| c.is_ascii_digit() || c == '+') {
            out.push_str(&rest[open..=open + len]);
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    out
}

fn strip_label(s: &str) -> &str {
    let s = s.trim_start();
    LABELS.iter().find_map(|l| s.strip_prefix(l)).unwrap_or(s)
}

/// Parses one number, cleaned of labels, remarks and list separators.
fn parse_number(text: &str, default_area: &str) -> Result<Phone, PhoneError> {
    if text.contains(['*', '×']) {
        return Err(PhoneError::Masked(text.to_string()));
    }
    let number = cut_extension(text);
    let (groups, plus) =
        digit_groups(number).ok_or_else(|| PhoneError::NotANumber(text.to_string()))?;
    let digits: String = groups.concat();
    let (digits, international) =
        strip_country_code(&digits, plus).ok_or_else(|| PhoneError::Foreign(text.to_string()))?;
    let digits = if international && !is_mobile_digits(&digits) && !digits.starts_with('0') {
        format!("0{digits}")
    } else {
        digits
    };
    match classify(&digits, default_area) {
        Err(PhoneError::WrongLength { .. }) if groups.len() >= 2 => {
            retry_without_extension(&digits, &groups, default_area)
                .ok_or_else(|| wrong_length(&digits))
        }
        result => result,
    }
}

/// True for what may follow a number as its extension: a few digits.
fn is_extension(s: &str) -> bool {
    let s = s.trim();
    (1..=MAX_EXTENSION_DIGITS).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// The text before the first extension marker that follows a whole number.
fn cut_extension(text: &str) -> &str {
    EXTENSION_MARKERS
        .iter()
        .filter_map(|m| text.find(m))
        .filter(|&at| {
            text[..at].chars().filter(char::is_ascii_digit).count() >= MIN_DIGITS_BEFORE_EXTENSION
        })
        .min()
        .map_or(text, |at| &text[..at])
}

/// The runs of digits in a number and whether it starts with `+` (possibly
/// inside a bracket: `(+86)`), or None when it has anything but digits,
/// spaces, formatting and that one `+`.
fn digit_groups(number: &str) -> Option<(Vec<&str>, bool)> {
    let (lead, body, plus) = match number.split_once('+') {
        Some((lead, body)) => (lead, body, true),
        None => ("", number, false),
    };
    let formatting = |c: char| c.is_ascii_digit() || c == ' ' || FORMATTING.contains(&c);
    if !lead.chars().all(|c| c == ' ' || c == '(') || !body.chars().all(formatting) {
        return None;
    }
    let groups: Vec<&str> = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    (!groups.is_empty()).then_some((groups, plus))
}

/// Drops a mainland country code. Returns the national digits and whether a
/// country code was there, or None for another country's number.
fn strip_country_code(digits: &str, plus: bool) -> Option<(String, bool)> {
    if plus {
        return digits.strip_prefix("86").map(|d| (d.to_string(), true));
    }
    if let Some(rest) = digits.strip_prefix("0086") {
        return Some((rest.to_string(), true));
    }
    if digits.starts_with("00") {
        return None;
    }
    // Without a `+`, 86 is only a country code when what follows is a whole
    // mobile (86-13812345678) or a whole landline with its trunk 0; a local
    // number may well start with 86.
    if let Some(rest) = digits.strip_prefix("86")
        && (is_mobile_digits(rest) || (rest.starts_with('0') && (10..=12).contains(&rest.len())))
    {
        return Some((rest.to_string(), true));
    }
    Some((digits.to_string(), false))
}

fn is_mobile_digits(d: &str) -> bool {
    d.len() == 11
        && d.starts_with('1')
        && d.as_bytes()
            .get(1)
            .is_some_and(|b| (b'3'..=b'9').contains(b))
}

/// Reads national digits (no country code) as a mobile or a landline.
fn classify(d: &str, default_area: &str) -> Result<Phone, PhoneError> {
    if d.starts_with('1') {
        return match d.len() {
            11 if is_mobile_digits(d) => Ok(Phone::Mobile(d.to_string())),
            11 => Err(PhoneError::BadMobile(d.to_string())),
            _ => Err(wrong_length(d)),
        };
    }
    if let Some(rest) = d.strip_prefix('0') {
        if is_mobile_digits(rest) {
            return Ok(Phone::Mobile(rest.to_string()));
        }
        let area_len = area_code_len(d);
        if d.len() <= area_len {
            return Err(wrong_length(d));
        }
        let (area, local) = d.split_at(area_len);
        return landline(area, local, d);
    }
    let area = normalize_area(default_area)?;
    landline(&area, d, d)
}

fn landline(area: &str, local: &str, digits: &str) -> Result<Phone, PhoneError> {
    if (7..=8).contains(&local.len()) {
        Ok(Phone::Landline {
            area: area.to_string(),
            local: local.to_string(),
        })
    } else {
        Err(wrong_length(digits))
    }
}

/// Three digits for 010 and 020–029, four for every other code.
fn area_code_len(d: &str) -> usize {
    if d.starts_with("010") || d.starts_with("02") {
        3
    } else {
        4
    }
}

/// The configured area code with its leading 0, checked against the
/// length rule.
fn normalize_area(raw: &str) -> Result<String, PhoneError> {
    let digits: String = raw
        .chars()
        .map(fold_char)
        .filter(|c| !is_blank(*c))
        .collect();
    let area = if digits.starts_with('0') {
        digits.clone()
    } else {
        format!("0{digits}")
    };
    let ok = area.chars().all(|c| c.is_ascii_digit())
        && area.len() >= 3
        && area.len() == area_code_len(&area)
        && !area.starts_with("00");
    if ok {
        Ok(area)
    } else {
        Err(PhoneError::BadDefaultArea(raw.to_string()))
    }
}

/// A landline followed by an extension written as one more group of
/// digits: `0392-3312345-801`. Only a landline result counts — a mobile has
/// no extensions, and a stray trailing digit must not be silently dropped
/// from one.
fn retry_without_extension(digits: &str, groups: &[&str], default_area: &str) -> Option<Phone> {
    let last = groups.last()?;
    if last.len() > MAX_EXTENSION_DIGITS {
        return None;
    }
    let shorter = digits.strip_suffix(last)?;
    match classify(shorter, default_area) {
        Ok(phone @ Phone::Landline { .. }) => Some(phone),
        _ => None,
    }
}

fn wrong_length(digits: &str) -> PhoneError {
    PhoneError::WrongLength {
        digits: digits.to_string(),
        len: digits.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: &str = "0392";

    fn mobile(d: &str) -> Phone {
        Phone::Mobile(d.into())
    }

    fn land(area: &str, local: &str) -> Phone {
        Phone::Landline {
            area: area.into(),
            local: local.into(),
        }
    }

    fn parse(raw: &str) -> Result<Phone, PhoneError> {
        Phone::parse(raw, AREA)
    }

    #[test]
    fn mobiles_in_every_written_form() {
        for raw in [
            "13812345678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "138 1234 5678",
            "86-13812345678",
            "8613812345678",
            "0086 13812345678",
            "１３８１２３４５６７８",
            "＋８６　１３８－１２３４－５６７８",
            " 13812345678 ",
            "(+86)13812345678",
            "013812345678",
            "电话：13812345678",
            "手机13812345678",
            "13812345678（本人）",
            "13812345678(微信同号)",
        ] {
            assert_eq!(parse(raw), Ok(mobile("13812345678")), "{raw:?}");
        }
    }

    #[test]
    fn landlines_in_every_written_form() {
        for raw in [
            "(0392)3312345",
            "（０３９２）３３１２３４５",
            "0392-3312345",
            "03923312345",
            "3312345",
            "0392 331 2345",
            "+86 392 3312345",
            "+86-392-3312345",
            "0086 392 3312345",
            "86-0392-3312345",
            "0392-3312345-801",
            "0392-3312345转801",
            "0392-3312345 分机 801",
            "0392-3312345 ext. 801",
            "0392-3312345x801",
            "0392-3312345#801",
            "3312345-801",
            "0392-3312345/801",
        ] {
            assert_eq!(parse(raw), Ok(land("0392", "3312345")), "{raw:?}");
        }
    }

    #[test]
    fn three_digit_area_codes() {
        assert_eq!(parse("010-12345678"), Ok(land("010", "12345678")));
        assert_eq!(parse("01012345678"), Ok(land("010", "12345678")));
        assert_eq!(parse("+86 10 12345678"), Ok(land("010", "12345678")));
        assert_eq!(parse("021-87654321"), Ok(land("021", "87654321")));
        assert_eq!(parse("(029)8765432"), Ok(land("029", "8765432")));
        assert_eq!(parse("0371-66668888"), Ok(land("0371", "66668888")));
        assert_eq!(parse("66668888"), Ok(land("0392", "66668888")));
    }

    #[test]
    fn default_area_is_normalized() {
        assert_eq!(Phone::parse("3312345", "392"), Ok(land("0392", "3312345")));
        assert_eq!(
            Phone::parse("3312345", " ０３９２ "),
            Ok(land("0392", "3312345"))
        );
        assert_eq!(Phone::parse("87654321", "010"), Ok(land("010", "87654321")));
        assert!(matches!(
            Phone::parse("3312345", "39"),
            Err(PhoneError::BadDefaultArea(_))
        ));
        assert!(matches!(
            Phone::parse("3312345", "03921"),
            Err(PhoneError::BadDefaultArea(_))
        ));
        // A bad default only matters for numbers that need it.
        assert_eq!(Phone::parse("13812345678", ""), Ok(mobile("13812345678")));
    }

    #[test]
    fn the_key_is_the_hash_of_the_canonical_text() {
        for p in [parse("+86 138 1234 5678"), parse("03923312345")] {
            let p = p.expect("parses");
            assert_eq!(
                p.key(),
                xxhash_rust::xxh3::xxh3_64(p.canonical().as_bytes())
            );
        }
    }

    #[test]
    fn canonical_and_display() {
        let m = parse("+86 138 1234 5678");
        assert_eq!(m.as_ref().map(Phone::canonical), Ok("13812345678".into()));
        assert_eq!(m.as_ref().map(Phone::is_mobile), Ok(true));
        let l = parse("03923312345");
        assert_eq!(l.as_ref().map(Phone::canonical), Ok("0392-3312345".into()));
        assert_eq!(
            l.as_ref().map(ToString::to_string),
            Ok("0392-3312345".into())
        );
        assert_eq!(l.as_ref().map(Phone::is_mobile), Ok(false));
        assert_eq!(mobile("13812345678").to_string(), "13812345678");
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(parse(""), Err(PhoneError::Empty));
        assert_eq!(parse("   "), Err(PhoneError::Empty));
        assert_eq!(parse("\u{3000}"), Err(PhoneError::Empty));
        // A remark alone leaves nothing.
        assert_eq!(parse("()"), Err(PhoneError::Empty));
        assert_eq!(parse("（本人）"), Err(PhoneError::Empty));
    }

    #[test]
    fn rejects_letters() {
        for raw in ["无", "abc", "1381234567a", "138abcd5678", "未提供", "-"] {
            assert!(
                matches!(parse(raw), Err(PhoneError::NotANumber(_))),
                "{raw:?}: {:?}",
                parse(raw)
            );
        }
    }

    #[test]
    fn rejects_wrong_lengths() {
        for raw in [
            "110",
            "12345",
            "331234",
            "1381234567",
            "138123456789",
            "0392-331234",
            "0392-331234567",
            "123456789",
            "0392",
        ] {
            assert!(
                matches!(parse(raw), Err(PhoneError::WrongLength { .. })),
                "{raw:?}: {:?}",
                parse(raw)
            );
        }
        // A stray digit after a mobile is not an extension.
        assert!(matches!(
            parse("138 1234 5678 9"),
            Err(PhoneError::WrongLength { .. })
        ));
    }

    #[test]
    fn rejects_other_errors() {
        assert!(matches!(
            parse("12012345678"),
            Err(PhoneError::BadMobile(_))
        ));
        assert!(matches!(
            parse("+1 212 555 0100"),
            Err(PhoneError::Foreign(_))
        ));
        assert!(matches!(
            parse("001 212 555 0100"),
            Err(PhoneError::Foreign(_))
        ));
        assert!(matches!(parse("138****5678"), Err(PhoneError::Masked(_))));
        assert!(matches!(
            parse("13812345678、13912345678"),
            Err(PhoneError::Several(_))
        ));
        assert!(matches!(
            parse("13812345678 13912345678"),
            Err(PhoneError::Several(_))
        ));
        assert!(matches!(
            parse("13812345678/13912345678"),
            Err(PhoneError::Several(_))
        ));
        assert!(matches!(
            parse("138+12345678"),
            Err(PhoneError::NotANumber(_))
        ));
    }

    #[test]
    fn error_messages_are_clear() {
        assert_eq!(PhoneError::Empty.to_string(), "no phone number given");
        let e = parse("12345")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("12345 has 5"), "{e}");
    }

    #[test]
    fn parse_all_splits_lists() {
        let all = Phone::parse_all("13812345678、0392-3312345；abc", AREA);
        assert_eq!(all.len(), 3);
        assert_eq!(all[0], Ok(mobile("13812345678")));
        assert_eq!(all[1], Ok(land("0392", "3312345")));
        assert!(all[2].is_err());
        assert!(Phone::parse_all("  ", AREA).is_empty());
        assert_eq!(
            Phone::parse_all("13812345678", AREA),
            vec![Ok(mobile("13812345678"))]
        );
    }

    #[test]
    fn trailing_separators_are_ignored() {
        assert_eq!(parse("13812345678，"), Ok(mobile("13812345678")));
        assert_eq!(parse("13812345678."), Ok(mobile("13812345678")));
    }
}
