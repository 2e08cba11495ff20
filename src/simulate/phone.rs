//! Phone numbers: mobiles (11 digits) and 鹤壁 landlines (area code 0392,
//! seven-digit local numbers), and the ways clerks write them.

use rand::Rng;

use super::seeds::{pick, pick_weighted};

pub(super) const AREA_CODE: &str = "0392";

const MOBILE_PREFIXES: &[u64] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159, 166,
    176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199,
];

/// A phone as a number: a value of 10^10 or more is a mobile, a smaller one a
/// landline's local number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Phone(pub(super) u64);

impl Phone {
    pub(super) fn is_mobile(self) -> bool {
        self.0 >= 10_000_000_000
    }

    pub(super) fn random_mobile<R: Rng + ?Sized>(rng: &mut R) -> Phone {
        Phone(*pick(rng, MOBILE_PREFIXES) * 100_000_000 + rng.random_range(0..100_000_000))
    }

    pub(super) fn random_landline<R: Rng + ?Sized>(rng: &mut R) -> Phone {
        let first = *pick(rng, &[2u64, 3, 6, 7]);
        Phone(first * 1_000_000 + rng.random_range(0..1_000_000))
    }

    /// The canonical form: 11 digits, or `0392-NNNNNNN`.
    pub(super) fn canonical(self) -> String {
        if self.is_mobile() {
            self.0.to_string()
        } else {
            format!("{AREA_CODE}-{:07}", self.0)
        }
    }

    /// One of the written forms of feeds.md, drawn with fixed shares:
    /// mobiles 62% plain, 12% `138-1234-5678`, 8% `+86 138 1234 5678`,
    /// 8% `+8613812345678`, 10% `138 1234 5678`; landlines 55% `0392-3312345`,
    /// 20% `03923312345`, 25% without the area code.
    pub(super) fn written<R: Rng + ?Sized>(self, rng: &mut R) -> String {
        if self.is_mobile() {
            let s = self.0.to_string();
            let (a, b, c) = (&s[..3], &s[3..7], &s[7..]);
            match pick_weighted(rng, &[62, 12, 8, 8, 10]) {
                0 => s,
                1 => format!("{a}-{b}-{c}"),
                2 => format!("+86 {a} {b} {c}"),
                3 => format!("+86{s}"),
                _ => format!("{a} {b} {c}"),
            }
        } else {
            match pick_weighted(rng, &[55, 20, 25]) {
                0 => format!("{AREA_CODE}-{:07}", self.0),
                1 => format!("{AREA_CODE}{:07}", self.0),
                _ => format!("{:07}", self.0),
            }
        }
    }
}
