//! Character-level normalisation of address text, before any parsing:
//! full-width forms to ASCII, whitespace and separators dropped, dashes unified,
//! a few traditional characters of address vocabulary simplified.
//!
//! Private on purpose: the address parser must not change behaviour when the
//! shared text normaliser does, since gazetteer keys are folded the same way.

/// Folds one text: full-width ASCII (U+FF01..U+FF5E) to ASCII, ideographic
/// space to space, then drops whitespace and punctuation that only separates
/// (commas, brackets, quotes, the middle dot of compound names), and writes
/// every dash as `-` (runs collapsed).
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = half_width(c);
        if c.is_whitespace() || is_separator(c) {
            continue;
        }
        let c = match c {
            '—' | '–' | '―' | '‐' | '−' | '~' | '〜' => '-',
            _ => simplified(c),
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    out
}

fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ',' | '、'
            | ';'
            | ':'
            | '。'
            | '!'
            | '?'
            | '"'
            | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '【'
            | '】'
            | '「'
            | '」'
            | '《'
            | '》'
            | '<'
            | '>'
            | '·'
            | '•'
            | '・'
            | '\u{200B}'
            | '\u{FEFF}'
    )
}

/// Traditional forms of the characters the parser keys on; feeds typed on
/// Taiwan-locale input methods use them.
fn simplified(c: char) -> char {
    match c {
        '號' => '号',
        '樓' => '楼',
        '棟' => '栋',
        '單' => '单',
        '組' => '组',
        '區' => '区',
        '縣' => '县',
        '鎮' => '镇',
        '鄉' => '乡',
        '門' => '门',
        '層' => '层',
        '與' => '与',
        '園' => '园',
        '場' => '场',
        '廣' => '广',
        '長' => '长',
        '東' => '东',
        '華' => '华',
        '莊' => '庄',
        '體' => '体',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn full_width_becomes_ascii() {
        assert_eq!(
            fold("建业小区３幢２单元５楼５０１室"),
            "建业小区3幢2单元5楼501室"
        );
        assert_eq!(fold("３＃楼"), "3#楼");
        assert_eq!(fold("ＡＢｃ"), "ABc");
    }

    #[test]
    fn whitespace_of_all_kinds_is_dropped() {
        assert_eq!(
            fold("淇滨区 建业小区\u{3000}3号楼\t2单元\n501"),
            "淇滨区建业小区3号楼2单元501"
        );
    }

    #[test]
    fn separators_dropped_and_dashes_unified() {
        assert_eq!(fold("华夏南路108号（建业小区）"), "华夏南路108号建业小区");
        assert_eq!(fold("建业·桂园，3栋2—501"), "建业桂园3栋2-501");
        assert_eq!(fold("2－－501"), "2-501");
        assert_eq!(fold("3號樓"), "3号楼");
    }
}
