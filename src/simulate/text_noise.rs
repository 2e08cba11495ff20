//! Character-level noise shared by names and addresses: Chinese numerals,
//! full-width forms, stray spaces.

use rand::Rng;

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五, 108 → 一百零八.
pub(super) fn chinese_number(n: u32) -> String {
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                String::new()
            } else {
                DIGITS[(n % 10) as usize].to_string()
            }
        ),
        20..=99 => {
            let ones = if n.is_multiple_of(10) {
                String::new()
            } else {
                DIGITS[(n % 10) as usize].to_string()
            };
            format!("{}十{ones}", DIGITS[(n / 10) as usize])
        }
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest as usize]),
                10..=19 => format!("一{}", chinese_number(rest)),
                _ => chinese_number(rest),
            };
            format!("{}百{tail}", DIGITS[(n / 100) as usize])
        }
        _ => n.to_string(),
    }
}

/// ASCII digits, letters, `-`, `#`, `(`, `)`, `,` and spaces to their
/// full-width forms (１０８号, ２－５０１).
pub(super) fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' if c.is_ascii_alphanumeric() || "-#(),".contains(c) => {
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Inserts one or two spaces at random character boundaries, or pads the
/// ends, as copy-and-paste and careless typing do.
pub(super) fn stray_spaces<R: Rng + ?Sized>(rng: &mut R, s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 2 {
        return format!("{s} ");
    }
    match rng.random_range(0..4) {
        0 => format!(" {s}"),
        1 => format!("{s} "),
        _ => {
            let mut out = String::with_capacity(s.len() + 2);
            let at = rng.random_range(1..chars.len());
            let twice = rng.random_bool(0.3);
            for (i, c) in chars.iter().enumerate() {
                if i == at {
                    out.push(' ');
                    if twice {
                        out.push(' ');
                    }
                }
                out.push(*c);
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_and_widths() {
        assert_eq!(chinese_number(3), "三");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(30), "三十");
        assert_eq!(chinese_number(108), "一百零八");
        assert_eq!(chinese_number(115), "一百一十五");
        assert_eq!(full_width("108号2-501"), "１０８号２－５０１");
    }
}
