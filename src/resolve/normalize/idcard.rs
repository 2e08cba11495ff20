//! Resident identity card numbers (GB 11643-1999) as the feeds write them,
//! sorted by how far they can be trusted.
//!
//! 18 characters: a 6-digit county code, the birth date `YYYYMMDD`, a 3-digit
//! order code whose last digit is odd for men, and a check character (ISO
//! 7064 MOD 11-2, `X` for 10). A number with a right check character is the
//! strongest identifier a mention can carry; the old 15-digit form (two-digit
//! year, no check character) converts to it losslessly. A wrong check
//! character is usually one mistyped digit, so such a number is kept as weak
//! evidence rather than thrown away. Masked numbers (`410602********1234`)
//! still share their county and last four characters with the full number.
//!
//! Parsing folds full-width digits, drops spaces and reads `x` as `X`.
//! Errors never echo the number: they end up in logs, and an ID number is
//! personal data. Positions in errors count characters of the number with
//! spaces removed, from 1.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::name::Sex;
use super::text::{fold_char, is_blank};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IdCard {
    /// A well-formed 18-character number whose check character is right (uppercase X).
    Valid(String),
    /// An old 15-digit number converted to 18 (century 19 inserted, check digit computed). Keeps nothing else.
    Upgraded(String),
    /// 18 characters, plausible birth date, but the check character is wrong: weak evidence, never thrown away.
    /// `number` is the text as given, uppercased.
    BadCheck { number: String },
    /// Masked in a run of `*` (also `＊`, `×`): "410602********1234" → prefix
    /// "410602", suffix "1234". Either side may have any length, even none,
    /// and the mask may be shorter than the hidden part (`410602****1234`):
    /// the prefix is anchored at the start of the number and the suffix at
    /// its end, so what they show is still positioned.
    Masked { prefix: String, suffix: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdCardError {
    #[error("no ID number given")]
    Empty,
    #[error("wrong length: {len} characters; an ID number has 18 (or 15 in the old form)")]
    WrongLength { len: usize },
    #[error(
        "bad character {ch:?} at position {position} of the ID number \
         (only digits, and X as the last of 18)"
    )]
    BadCharacter { ch: char, position: usize },
    #[error("impossible birth date {date} in the ID number")]
    ImpossibleBirthDate { date: String },
    #[error("badly masked ID number: {reason}")]
    BadMask { reason: &'static str },
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Birth dates outside this range (year, month, day) are typing errors:
/// nobody alive in the feeds was born before 1900, and the upper bound
/// leaves room for numbers issued to newborns up to the end of 2026. It is a
/// fixed date, not today's, so parsing stays a pure function; move it
/// forward when the data reaches it.
const EARLIEST_BIRTH: (i32, u32, u32) = (1900, 1, 1);
const LATEST_BIRTH: (i32, u32, u32) = (2026, 12, 31);

const LEN: usize = 18;
const OLD_LEN: usize = 15;
/// Where the birth date sits in an 18-character number.
const BIRTH: std::ops::Range<usize> = 6..14;
/// The order-code digit that tells the sex (the 17th character).
const SEX_POS: usize = 16;

/// ISO 7064 MOD 11-2 over the 17 digits, 'X' for 10; None unless given
/// exactly 17 ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != LEN - 1 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

impl IdCard {
    /// Parses a number as written: 18 characters, the old 15 digits, or a
    /// masked form; spaces, full-width characters, lowercase `x` and a
    /// `label:` prefix are tolerated.
    pub fn parse(raw: &str) -> Result<IdCard, IdCardError> {
        // A `label:` prefix (身份证号：) is never part of the number.
        let unlabelled = raw.rsplit([':', '：']).next().unwrap_or_default();
        let s: String = unlabelled
            .chars()
            .map(fold_char)
            .filter(|c| !is_blank(*c))
            .map(|c| match c {
                'x' => 'X',
                '×' => '*',
                c => c,
            })
            .collect();
        if s.is_empty() {
            return Err(IdCardError::Empty);
        }
        if s.contains('*') {
            return parse_masked(&s);
        }
        // Report a stray character first, then a wrong length, then an X
        // out of place: the most telling error for a clerk's typo.
        if let Some((i, ch)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == 'X'))
        {
            return Err(IdCardError::BadCharacter {
                ch,
                position: i + 1,
            });
        }
        let len = s.chars().count();
        if len != LEN && len != OLD_LEN {
            return Err(IdCardError::WrongLength { len });
        }
        check_characters(&s, 0, len)?;
        match len {
            LEN => {
                let date = &s[BIRTH];
                possible_birth(date)?;
                if check_char(&s[..LEN - 1]) == s[LEN - 1..].chars().next() {
                    Ok(IdCard::Valid(s))
                } else {
                    Ok(IdCard::BadCheck { number: s })
                }
            }
            OLD_LEN => {
                let first17 = format!("{}19{}", &s[..6], &s[6..]);
                possible_birth(&first17[BIRTH])?;
                match check_char(&first17) {
                    Some(c) => Ok(IdCard::Upgraded(format!("{first17}{c}"))),
                    // Unreachable: check_characters let only digits through.
                    None => Err(IdCardError::WrongLength { len }),
                }
            }
            _ => Err(IdCardError::WrongLength { len }),
        }
    }

    /// The full 18-character number for Valid and Upgraded (strong identifiers).
    pub fn strong(&self) -> Option<&str> {
        match self {
            IdCard::Valid(n) | IdCard::Upgraded(n) => Some(n),
            _ => None,
        }
    }

    /// The 18 characters as given for Valid/Upgraded/BadCheck.
    pub fn digits(&self) -> Option<&str> {
        match self {
            IdCard::Valid(n) | IdCard::Upgraded(n) | IdCard::BadCheck { number: n } => Some(n),
            IdCard::Masked { .. } => None,
        }
    }

    /// The birth date. For a masked number only when the mask leaves it
    /// whole (the usual `410602********1234` hides it).
    pub fn birth(&self) -> Option<NaiveDate> {
        let date: String = BIRTH.map(|i| self.char_at(i)).collect::<Option<_>>()?;
        parse_birth(&date)
    }

    /// 17th digit odd = male. For a masked number, when that digit shows
    /// (with a 4-character suffix, its 3rd character).
    pub fn sex(&self) -> Option<Sex> {
        let digit = self.char_at(SEX_POS)?.to_digit(10)?;
        Some(if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        })
    }

    /// The first 6 digits (the issuing county); for a masked number when the
    /// prefix has them.
    pub fn county(&self) -> Option<&str> {
        match self {
            IdCard::Masked { prefix, .. } => prefix.get(..6),
            _ => self.digits().and_then(|d| d.get(..6)),
        }
    }

    /// Key that a full number and a masked one share: first 6 + last 4 ("410602|1234"); None if not derivable.
    pub fn masked_key(&self) -> Option<String> {
        let (head, tail) = match self {
            IdCard::Masked { prefix, suffix } => (
                prefix.get(..6)?,
                suffix.get(suffix.len().checked_sub(4)?..)?,
            ),
            _ => {
                let d = self.digits()?;
                (d.get(..6)?, d.get(LEN - 4..)?)
            }
        };
        Some(format!("{head}|{tail}"))
    }

    /// Number of positions where two 18-char forms differ (for BadCheck vs Valid: typo of one digit); None if either has no 18 digits.
    pub fn digit_distance(&self, other: &IdCard) -> Option<u32> {
        let (a, b) = (self.digits()?, other.digits()?);
        let differing = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count();
        u32::try_from(differing).ok()
    }

    /// The character at `pos` (0-based) of the 18-character number, when
    /// known.
    fn char_at(&self, pos: usize) -> Option<char> {
        match self {
            IdCard::Masked { prefix, suffix } => {
                if pos < prefix.len() {
                    prefix.chars().nth(pos)
                } else {
                    let start = LEN.checked_sub(suffix.len())?;
                    pos.checked_sub(start).and_then(|i| suffix.chars().nth(i))
                }
            }
            _ => self.digits()?.chars().nth(pos),
        }
    }
}

/// Checks that `s` is digits with at most an `X` in the last place of an
/// 18-character number, whose first character is number position
/// `offset`; `total` is the number's length.
fn check_characters(s: &str, offset: usize, total: usize) -> Result<(), IdCardError> {
    for (i, ch) in s.chars().enumerate() {
        let position = offset + i + 1;
        let check_place = ch == 'X' && total == LEN && position == LEN;
        if !(ch.is_ascii_digit() || check_place) {
            return Err(IdCardError::BadCharacter { ch, position });
        }
    }
    Ok(())
}

fn parse_masked(s: &str) -> Result<IdCard, IdCardError> {
    let total = s.chars().count();
    if total > LEN {
        return Err(IdCardError::WrongLength { len: total });
    }
    let (Some(start), Some(end)) = (s.find('*'), s.rfind('*')) else {
        return Err(IdCardError::BadMask {
            reason: "no mask characters",
        });
    };
    if s[start..=end].chars().any(|c| c != '*') {
        return Err(IdCardError::BadMask {
            reason: "more than one masked run",
        });
    }
    let (prefix, suffix) = (&s[..start], &s[end + 1..]);
    if prefix.is_empty() && suffix.is_empty() {
        return Err(IdCardError::BadMask {
            reason: "nothing left unmasked",
        });
    }
    // The prefix sits at the start of the number and the suffix at its end,
    // so `X` is only allowed as the suffix's last character.
    check_characters(prefix, 0, 0)?;
    let suffix_offset = LEN - suffix.chars().count();
    check_characters(suffix, suffix_offset, LEN)?;
    let masked = IdCard::Masked {
        prefix: prefix.to_string(),
        suffix: suffix.to_string(),
    };
    // A visible birth date is held to the same standard as in a full number.
    if let Some(date) = prefix.get(BIRTH) {
        possible_birth(date)?;
    }
    Ok(masked)
}

fn possible_birth(date: &str) -> Result<NaiveDate, IdCardError> {
    parse_birth(date).ok_or_else(|| IdCardError::ImpossibleBirthDate {
        date: date.to_string(),
    })
}

/// A real calendar date in the allowed range, from `YYYYMMDD`.
fn parse_birth(date: &str) -> Option<NaiveDate> {
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ymd = (
        date.get(..4)?.parse().ok()?,
        date.get(4..6)?.parse().ok()?,
        date.get(6..)?.parse().ok()?,
    );
    if !(EARLIEST_BIRTH..=LATEST_BIRTH).contains(&ymd) {
        return None;
    }
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, ymd.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid number from its first 17 digits, via the module's own check.
    fn valid(first17: &str) -> String {
        let c = check_char(first17).unwrap_or('?');
        format!("{first17}{c}")
    }

    /// The same number with a wrong check character.
    fn wrong_check(first17: &str) -> String {
        let right = check_char(first17).unwrap_or('?');
        let wrong = CHECK_CHARS
            .iter()
            .find(|c| **c != right)
            .copied()
            .unwrap_or('?');
        format!("{first17}{wrong}")
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn check_char_matches_the_standard() {
        // The worked example of GB 11643-1999.
        assert_eq!(check_char("11010519491231002"), Some('X'));
        // Computed independently (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2).
        assert_eq!(check_char("13050319670401001"), Some('6'));
        assert_eq!(check_char("41061119880315234"), Some('5'));
        assert_eq!(check_char("41060219900101123"), Some('1'));
        assert_eq!(check_char("41060220000229002"), Some('0'));
        assert_eq!(check_char("1101051949123100"), None);
        assert_eq!(check_char("110105194912310021"), None);
        assert_eq!(check_char("1101051949123100X"), None);
        assert_eq!(check_char("１1010519491231002"), None);
    }

    #[test]
    fn valid_numbers() {
        assert_eq!(
            IdCard::parse("11010519491231002X"),
            Ok(IdCard::Valid("11010519491231002X".into()))
        );
        let n = valid("41061119880315234");
        assert_eq!(n, "410611198803152345");
        let id = IdCard::parse(&n);
        assert_eq!(id, Ok(IdCard::Valid(n.clone())));
        let Ok(id) = id else { return };
        assert_eq!(id.strong(), Some(n.as_str()));
        assert_eq!(id.digits(), Some(n.as_str()));
        assert_eq!(id.birth(), date(1988, 3, 15));
        assert_eq!(id.sex(), Some(Sex::Female)); // order code 234: even
        assert_eq!(id.county(), Some("410611"));
        assert_eq!(id.masked_key(), Some("410611|2345".into()));
    }

    #[test]
    fn lowercase_x_spaces_and_full_width() {
        let want = Ok(IdCard::Valid("11010519491231002X".into()));
        assert_eq!(IdCard::parse("11010519491231002x"), want);
        assert_eq!(IdCard::parse(" 110105 19491231 002x "), want);
        assert_eq!(IdCard::parse("１１０１０５１９４９１２３１００２Ｘ"), want);
        assert_eq!(IdCard::parse("１１０１０５１９４９１２３１００２ｘ"), want);
        assert_eq!(IdCard::parse("110105\u{3000}19491231002X"), want);
        assert_eq!(IdCard::parse("身份证号：11010519491231002X"), want);
    }

    #[test]
    fn sex_from_the_17th_digit() {
        let female = IdCard::parse("11010519491231002X");
        assert_eq!(
            female.as_ref().ok().and_then(IdCard::sex),
            Some(Sex::Female)
        );
        let male = IdCard::parse(&valid("41060219900101123"));
        assert_eq!(male.as_ref().ok().and_then(IdCard::sex), Some(Sex::Male));
    }

    #[test]
    fn wrong_check_character_is_weak_evidence() {
        let id = IdCard::parse("110105194912310021");
        assert_eq!(
            id,
            Ok(IdCard::BadCheck {
                number: "110105194912310021".into()
            })
        );
        let Ok(id) = id else { return };
        assert_eq!(id.strong(), None);
        assert_eq!(id.digits(), Some("110105194912310021"));
        assert_eq!(id.birth(), date(1949, 12, 31));
        assert_eq!(id.sex(), Some(Sex::Female));
        assert_eq!(id.county(), Some("110105"));
        assert_eq!(id.masked_key(), Some("110105|0021".into()));

        let right = IdCard::parse("11010519491231002X");
        assert_eq!(
            right.as_ref().ok().and_then(|r| r.digit_distance(&id)),
            Some(1)
        );

        let bad = wrong_check("41060219850615003");
        assert!(matches!(IdCard::parse(&bad), Ok(IdCard::BadCheck { .. })));
    }

    #[test]
    fn a_mistyped_digit_fails_the_check() {
        let right = valid("41061119880315234");
        let typo = right.replacen("1988", "1987", 1);
        let (Ok(a), Ok(b)) = (IdCard::parse(&right), IdCard::parse(&typo)) else {
            panic!("both parse");
        };
        assert!(matches!(b, IdCard::BadCheck { .. }));
        assert_eq!(a.digit_distance(&b), Some(1));
        assert_eq!(a.digit_distance(&a), Some(0));
    }

    #[test]
    fn fifteen_digit_numbers_upgrade() {
        let id = IdCard::parse("130503670401001");
        assert_eq!(id, Ok(IdCard::Upgraded("130503196704010016".into())));
        let Ok(id) = id else { return };
        assert_eq!(id.strong(), Some("130503196704010016"));
        assert_eq!(id.digits(), Some("130503196704010016"));
        assert_eq!(id.birth(), date(1967, 4, 1));
        assert_eq!(id.sex(), Some(Sex::Male));
        // The upgraded form is the one the person's new card carries.
        assert_eq!(
            IdCard::parse("130503196704010016")
                .ok()
                .as_ref()
                .and_then(IdCard::strong),
            id.strong()
        );
        assert_eq!(
            IdCard::parse("410611880315234"),
            Ok(IdCard::Upgraded(valid("41061119880315234")))
        );
    }

    #[test]
    fn masked_numbers() {
        let id = IdCard::parse("410602********1234");
        assert_eq!(
            id,
            Ok(IdCard::Masked {
                prefix: "410602".into(),
                suffix: "1234".into()
            })
        );
        let Ok(id) = id else { return };
        assert_eq!(id.strong(), None);
        assert_eq!(id.digits(), None);
        assert_eq!(id.birth(), None);
        assert_eq!(id.sex(), Some(Sex::Male)); // 3rd of the suffix: 3
        assert_eq!(id.county(), Some("410602"));
        assert_eq!(id.masked_key(), Some("410602|1234".into()));

        // The full number shares the key.
        let full = valid("41060219900101123");
        assert_eq!(
            IdCard::parse(&full).ok().and_then(|f| f.masked_key()),
            Some(format!("410602|{}", &full[14..]))
        );
        let masked = IdCard::parse(&format!("410602********{}", &full[14..]));
        assert_eq!(
            masked.ok().and_then(|m| m.masked_key()),
            Some(format!("410602|{}", &full[14..]))
        );
    }

    #[test]
    fn other_mask_characters_and_shapes() {
        let want = Ok(IdCard::Masked {
            prefix: "410602".into(),
            suffix: "002X".into(),
        });
        assert_eq!(IdCard::parse("410602＊＊＊＊＊＊＊＊002x"), want);
        assert_eq!(IdCard::parse("410602××××××××002X"), want);
        assert_eq!(IdCard::parse("410602****002X"), want);
        let Ok(w) = want else { return };
        assert_eq!(w.sex(), Some(Sex::Female));

        // Other prefix and suffix lengths are kept; the key needs 6 and 4.
        let short = IdCard::parse("4106************34");
        assert_eq!(
            short,
            Ok(IdCard::Masked {
                prefix: "4106".into(),
                suffix: "34".into()
            })
        );
        let Ok(short) = short else { return };
        assert_eq!(short.masked_key(), None);
        assert_eq!(short.county(), None);
        assert_eq!(short.sex(), Some(Sex::Male));

        let long = IdCard::parse("41060219900101****");
        let Ok(long) = long else { panic!("{long:?}") };
        assert_eq!(long.birth(), date(1990, 1, 1));
        assert_eq!(long.sex(), None);
        assert_eq!(long.masked_key(), None);
        assert_eq!(long.county(), Some("410602"));
        assert_eq!(long.digit_distance(&long), None);
    }

    #[test]
    fn bad_masks() {
        assert_eq!(
            IdCard::parse("******************"),
            Err(IdCardError::BadMask {
                reason: "nothing left unmasked"
            })
        );
        assert!(matches!(
            IdCard::parse("4106**1990****1234"),
            Err(IdCardError::BadMask { .. })
        ));
        assert_eq!(
            IdCard::parse("410602**********1234"),
            Err(IdCardError::WrongLength { len: 20 })
        );
        // x is the check character, never a mask.
        assert!(matches!(
            IdCard::parse("410602xxxxxxxx1234"),
            Err(IdCardError::BadCharacter {
                ch: 'X',
                position: 7
            })
        ));
        assert!(matches!(
            IdCard::parse("41060X********1234"),
            Err(IdCardError::BadCharacter {
                ch: 'X',
                position: 6
            })
        ));
        assert!(matches!(
            IdCard::parse("410602********12X4"),
            Err(IdCardError::BadCharacter {
                ch: 'X',
                position: 17
            })
        ));
        assert_eq!(
            IdCard::parse("41060219901301****"),
            Err(IdCardError::ImpossibleBirthDate {
                date: "19901301".into()
            })
        );
    }

    #[test]
    fn rejects_empty_and_wrong_lengths() {
        assert_eq!(IdCard::parse(""), Err(IdCardError::Empty));
        assert_eq!(IdCard::parse("  \u{3000}"), Err(IdCardError::Empty));
        assert_eq!(
            IdCard::parse("1101051949123100"),
            Err(IdCardError::WrongLength { len: 16 })
        );
        assert_eq!(
            IdCard::parse("11010519491231002X1"),
            Err(IdCardError::WrongLength { len: 19 })
        );
        assert_eq!(
            IdCard::parse("12345"),
            Err(IdCardError::WrongLength { len: 5 })
        );
    }

    #[test]
    fn rejects_bad_characters() {
        assert_eq!(
            IdCard::parse("11010519491231002Y"),
            Err(IdCardError::BadCharacter {
                ch: 'Y',
                position: 18
            })
        );
        assert_eq!(
            IdCard::parse("1101051949X231002X"),
            Err(IdCardError::BadCharacter {
                ch: 'X',
                position: 11
            })
        );
        assert_eq!(
            IdCard::parse("13050367040100X"),
            Err(IdCardError::BadCharacter {
                ch: 'X',
                position: 15
            })
        );
        assert!(matches!(
            IdCard::parse("无"),
            Err(IdCardError::BadCharacter {
                ch: '无',
                position: 1
            })
        ));
        assert!(matches!(
            IdCard::parse("110105-19491231-002X"),
            Err(IdCardError::BadCharacter {
                ch: '-',
                position: 7
            })
        ));
    }

    #[test]
    fn impossible_birth_dates() {
        // Right check character, impossible date: an error, not Valid.
        for first17 in [
            "11010519491331002", // month 13
            "11010519490230002", // 30 February
            "11010518991231002", // before 1900
            "11010520270101002", // after 2026
            "41060219900229002", // 1990 is no leap year
        ] {
            let n = valid(first17);
            assert!(
                matches!(
                    IdCard::parse(&n),
                    Err(IdCardError::ImpossibleBirthDate { .. })
                ),
                "{n}"
            );
            // Wrong check character and impossible date: also an error.
            let n = wrong_check(first17);
            assert!(
                matches!(
                    IdCard::parse(&n),
                    Err(IdCardError::ImpossibleBirthDate { .. })
                ),
                "{n}"
            );
        }
        // Leap day and range ends are possible.
        for first17 in [
            "41060220000229002",
            "41060219000101002",
            "41060220261231002",
        ] {
            assert!(matches!(
                IdCard::parse(&valid(first17)),
                Ok(IdCard::Valid(_))
            ));
        }
        assert_eq!(
            IdCard::parse("130503671301001"),
            Err(IdCardError::ImpossibleBirthDate {
                date: "19671301".into()
            })
        );
    }

    #[test]
    fn digit_distance_needs_eighteen_characters() {
        let a = IdCard::parse("11010519491231002X");
        let m = IdCard::parse("110105********002X");
        let (Ok(a), Ok(m)) = (a, m) else {
            panic!("both parse")
        };
        assert_eq!(a.digit_distance(&m), None);
        assert_eq!(m.digit_distance(&a), None);
        // Masked and full share the key.
        assert_eq!(a.masked_key(), m.masked_key());
    }

    #[test]
    fn error_messages_do_not_echo_the_number() {
        let e = IdCard::parse("1101051949123100")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("wrong length: 16 characters; an ID number has 18 (or 15 in the old form)")
        );
    }
}
