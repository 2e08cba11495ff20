//! Chinese numerals to Arabic digits, but only where they count something:
//! a run of numerals is rewritten when a unit of address vocabulary follows it
//! (三号楼, 二单元, 十二组, 东五十米) or when it ends the text right after a
//! unit (二单元五零一). Elsewhere numerals are parts of names and stay
//! (九州路, 鹤煤三矿, 十字路口, 三门峡, 二七区).

/// Units after which a numeral run is a number. 门 and 区 are missing on
/// purpose: 三门峡 and 二七区 are names.
const UNITS: &[&str] = &[
    "号", "栋", "幢", "单元", "组", "楼", "室", "层", "米", "公里", "户", "期", "排", "座", "#",
    "-",
];

/// Characters that end a unit; a numeral run after one of them at the very end
/// of the text is a room number (二单元五零一).
const UNIT_ENDS: &[char] = &['元', '楼', '栋', '幢', '层', '-', '#'];

/// Rewrites counting numerals as ASCII digits and drops the ordinal 第 before
/// them (第三组 → 3组).
pub(crate) fn arabic(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '第' {
            let after = &rest[c.len_utf8()..];
            let run = after.len() - after.trim_start_matches(is_any_digit).len();
            if run > 0 && follows_unit(&after[run..]) {
                rest = after;
                continue;
            }
        }
        if is_cn_digit(c) {
            let run = rest.len() - rest.trim_start_matches(is_cn_digit).len();
            let (numeral, after) = rest.split_at(run);
            let counted = follows_unit(after) || (after.is_empty() && out.ends_with(UNIT_ENDS));
            match value(numeral) {
                Some(v) if counted => out.push_str(&v.to_string()),
                _ => out.push_str(numeral),
            }
            rest = after;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn follows_unit(after: &str) -> bool {
    UNITS.iter().any(|u| after.starts_with(u))
}

fn is_any_digit(c: char) -> bool {
    c.is_ascii_digit() || is_cn_digit(c)
}

fn is_cn_digit(c: char) -> bool {
    digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The value of a numeral run: positional when it has 十/百/千 (一百零八 = 108,
/// 十二 = 12), else read digit by digit as room numbers are spoken (五零一 = 501).
fn value(numeral: &str) -> Option<u64> {
    let positional = numeral.contains(['十', '百', '千']);
    let mut total: u64 = 0;
    let mut pending: Option<u64> = None;
    for c in numeral.chars() {
        if let Some(d) = digit(c) {
            if positional {
                pending = Some(d);
            } else {
                total = total.checked_mul(10)?.checked_add(d)?;
            }
            continue;
        }
        let scale = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        // A bare 十 means one ten (十二 = 12).
        total = total.checked_add(pending.take().unwrap_or(1).checked_mul(scale)?)?;
    }
    Some(total + pending.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::{arabic, value};

    #[test]
    fn values() {
        for (cn, n) in [
            ("三", 3),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("一百零八", 108),
            ("五百零一", 501),
            ("五零一", 501),
            ("一千二百", 1200),
            ("两", 2),
        ] {
            assert_eq!(value(cn), Some(n), "{cn}");
        }
    }

    #[test]
    fn counting_numerals_become_digits() {
        assert_eq!(
            arabic("建业小区三号楼二单元501室"),
            "建业小区3号楼2单元501室"
        );
        assert_eq!(arabic("十二号楼"), "12号楼");
        assert_eq!(arabic("刘庄村三组二十三号"), "刘庄村3组23号");
        assert_eq!(arabic("交叉口东五十米"), "交叉口东50米");
        assert_eq!(arabic("建业小区三楼"), "建业小区3楼");
        assert_eq!(arabic("三#楼"), "3#楼");
        assert_eq!(arabic("二单元五零一"), "2单元501");
        assert_eq!(arabic("第三组"), "3组");
        assert_eq!(arabic("第3组"), "3组");
    }

    #[test]
    fn numerals_inside_names_stay() {
        for name in [
            "九州路",
            "鹤煤三矿家属院",
            "九州路华夏南路十字路口",
            "九州路一带",
            "三门峡市",
            "二七区",
            "五一路",
            "第一中学",
            "九矿广场街道",
        ] {
            assert_eq!(arabic(name), name);
        }
    }
}
