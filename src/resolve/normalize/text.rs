//! Character-level clean-up shared by the name, phone, ID-card and address
//! normalizers.
//!
//! Clerks in the three feeds type on Chinese input methods, which switch
//! between full-width and half-width forms at will (`１３８`, `（０３９２）`,
//! `张　伟`), and paste text with stray spaces and invisible characters. Every
//! normalizer folds these the same way first, so that the same text typed two
//! ways compares equal; keeping the folding here means the modules cannot
//! drift apart. Traditional → simplified conversion lives here for the same
//! reason.

/// Folds full-width ASCII variants (U+FF01..=U+FF5E) to ASCII and the
/// ideographic space (U+3000) to a plain space. Everything else, Han
/// characters included, is kept as it is.
pub fn fold_width(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// [`fold_width`] for one character.
pub fn fold_char(c: char) -> char {
    match c {
        // The full-width block mirrors ASCII 0x21..=0x7E at a fixed offset.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Drops all Unicode whitespace, and also the zero-width characters (ZWSP,
/// ZWNJ, ZWJ, word joiner, BOM) that copy-paste from web forms and Word
/// leaves behind: they are invisible to the clerk, so they must not make two
/// identical-looking values differ.
pub fn strip_spaces(s: &str) -> String {
    s.chars().filter(|c| !is_blank(*c)).collect()
}

/// True for characters [`strip_spaces`] removes.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// `strip_spaces(&fold_width(s))` in one pass: the usual first step for
/// identifiers, where no space is ever significant.
pub fn compact(s: &str) -> String {
    s.chars().map(fold_char).filter(|c| !is_blank(*c)).collect()
}

/// Traditional → simplified, one character at a time, leaving alone every
/// character that is already standard simplified.
///
/// `character_converter` maps a few simplified characters onto rarer ones
/// (宁 → 㝉, 榜 → 搒, 於 → 于, 著 → 着) and converts by phrase; run over a
/// whole string it turns 张宁 into 张㝉 while 張寧 becomes 张宁, so the two
/// spellings of one name would no longer meet. Converting only characters
/// that have no standing as simplified keeps both spellings on 宁, and
/// per-character conversion suits names and addresses, which are not
/// running prose.
pub fn to_simplified(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let one: &str = c.encode_utf8(&mut buf);
        if c.is_ascii() || character_converter::is_simplified(one) {
            out.push(c);
        } else {
            out.push_str(&character_converter::traditional_to_simplified(one));
        }
    }
    out
}

/// True for CJK unified ideographs (all extensions), compatibility
/// ideographs and 〇. Names and addresses are told apart from junk by
/// whether they contain these.
pub fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{3007}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}'
            | '\u{30000}'..='\u{323AF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_ascii() {
        assert_eq!(fold_width("１３８１２３４５６７８"), "13812345678");
        assert_eq!(fold_width("（０３９２）－３３１"), "(0392)-331");
        assert_eq!(fold_width("ＡＢＣｘｙｚ！～"), "ABCxyz!~");
        assert_eq!(fold_width("张　伟"), "张 伟");
    }

    #[test]
    fn keeps_han_and_ascii() {
        assert_eq!(fold_width("鹤壁市淇滨区 abc-123"), "鹤壁市淇滨区 abc-123");
        // U+FF00 and U+FF5F lie just outside the folded block.
        assert_eq!(fold_width("\u{FF00}\u{FF5F}"), "\u{FF00}\u{FF5F}");
        assert_eq!(fold_width(""), "");
    }

    #[test]
    fn strips_all_whitespace_and_invisibles() {
        assert_eq!(strip_spaces(" 张 \t伟\n"), "张伟");
        assert_eq!(strip_spaces("张\u{3000}伟"), "张伟");
        assert_eq!(strip_spaces("张\u{00A0}伟\u{200B}\u{FEFF}"), "张伟");
        assert_eq!(strip_spaces("   "), "");
    }

    #[test]
    fn compact_folds_then_strips() {
        assert_eq!(compact(" １３８　１２３４ ５６７８ "), "13812345678");
        assert_eq!(compact("张　伟"), "张伟");
    }

    #[test]
    fn simplifies_traditional_characters() {
        assert_eq!(to_simplified("陳偉"), "陈伟");
        assert_eq!(to_simplified("張寧"), "张宁");
        assert_eq!(to_simplified("歐陽娜娜"), "欧阳娜娜");
        assert_eq!(to_simplified("鶴壁市淇濱區 A3"), "鹤壁市淇滨区 A3");
        assert_eq!(to_simplified("黃劉"), "黄刘");
    }

    #[test]
    fn keeps_simplified_characters_the_converter_would_change() {
        // The converter alone gives 张㝉 here.
        assert_eq!(to_simplified("张宁"), "张宁");
        assert_eq!(to_simplified("张宁"), to_simplified("張寧"));
        assert_eq!(to_simplified("於榜著"), "於榜著");
        assert_eq!(to_simplified("王芳"), "王芳");
    }

    #[test]
    fn recognises_han() {
        assert!(is_han('张'));
        assert!(is_han('〇'));
        assert!(is_han('\u{20BB7}')); // 𠮷, extension B
        assert!(!is_han('A'));
        assert!(!is_han('·'));
        assert!(!is_han('，'));
    }
}
