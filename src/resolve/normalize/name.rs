//! Personal names as the three feeds write them, parsed into what person
//! resolution can compare: a full name with its surname and toneless pinyin,
//! a surname known only through an honorific (张先生, 王女士), or nothing.
//!
//! Clerks type names by sound, in traditional characters, with stray
//! full-width spaces, or replace them with placeholders (匿名, 不详, 某某).
//! Every form that denotes the same person must come out equal here, and
//! every placeholder must come out [`PersonName::Absent`] so that two
//! anonymous callers never look like the same person.
//!
//! Choices that are not obvious from the rules:
//!
//! - Traditional → simplified runs on every input, character by character,
//!   and never touches a character that is already simplified (see
//!   [`super::text::to_simplified`]: the converter alone turns 张宁 into
//!   张㝉).
//! - A name with a masked or lost character (`张*`, `张某某`, `张*伟`, `张??`
//!   from a broken encoding) only tells its surname, so it becomes a
//!   [`PersonName::Honorific`] with no sex; a mask over the surname (`*伟`)
//!   tells nothing comparable and becomes [`PersonName::Absent`]. Keeping
//!   `张*伟` as a full name would make it *disagree* with 张建伟.
//! - A lone Han character (`张`) is taken as a bare surname, for the same
//!   reason.
//! - A full name followed by an honorific (`张伟先生`) is the full name: the
//!   honorific adds nothing a full name lacks except a sex hint, which a
//!   [`PersonName::Full`] cannot carry.
//! - Long or digit-bearing text is kept as a full name (conservative: a wrong
//!   full name only fails to match, a dropped one loses evidence) unless it
//!   clearly is not one name: no Han character or letter at all (`13800000000`,
//!   `***`), more than [`MAX_NAME_CHARS`] characters (a sentence), or list
//!   punctuation (`张三、李四`: several people).
//! - Bracketed remarks are dropped (`王女士（本人）`), and a `label:` prefix
//!   (`姓名：张三`) is cut.
//! - Pinyin writes ü as `v` (`吕` → `lv`), the usual ASCII spelling in
//!   Chinese systems, so the key stays ASCII for Han names. Latin words keep
//!   their own spelling, lowercased, split at spaces and at lower→upper case
//!   changes, so `Zhang Wei` and `ZhangWei` share the key of 张伟. A rare
//!   Han character the pinyin table lacks stands for itself, rather than
//!   vanishing and making two different names share a key.

use pinyin::ToPinyin;
use serde::{Deserialize, Serialize};

use super::text::{fold_char, is_blank, is_han, to_simplified};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PersonName {
    /// A full name, trimmed, spaces removed, full-width folded, traditional →
    /// simplified: "张伟". `pinyin` is toneless, lowercase, one token per Han
    /// character, with the surname's own reading ("shan" for 单).
    Full {
        name: String,
        surname: String,
        pinyin: String,
    },
    /// Only a surname is known: an honorific (张先生, 王女士, 李师傅), a masked
    /// name (张某某, 张*), or a lone character. `sex` comes from the honorific.
    Honorific {
        surname: String,
        sex: Option<Sex>,
        pinyin: String,
    },
    /// 匿名, empty, 无, 不详, 未知, 某某, "-" ...: no name.
    Absent,
}

/// Longer text than this is a remark or a sentence, not a name. Real names,
/// transliterated minority names included (阿卜杜热合曼·买买提明), stay well
/// under it.
pub const MAX_NAME_CHARS: usize = 20;

/// Compound surnames with their surname readings. Several of their characters
/// read differently elsewhere (尉迟 yu chi, 万俟 mo qi, 单于 chan yu), so the
/// readings are spelled out rather than looked up.
const COMPOUND_SURNAMES: &[(&str, &str)] = &[
    ("欧阳", "ou yang"),
    ("司马", "si ma"),
    ("诸葛", "zhu ge"),
    ("上官", "shang guan"),
    ("东方", "dong fang"),
    ("皇甫", "huang fu"),
    ("尉迟", "yu chi"),
    ("公孙", "gong sun"),
    ("慕容", "mu rong"),
    ("长孙", "zhang sun"),
    ("宇文", "yu wen"),
    ("司徒", "si tu"),
    ("夏侯", "xia hou"),
    ("轩辕", "xuan yuan"),
    ("令狐", "ling hu"),
    ("钟离", "zhong li"),
    ("澹台", "tan tai"),
    ("赫连", "he lian"),
    ("独孤", "du gu"),
    ("南宫", "nan gong"),
    ("西门", "xi men"),
    ("万俟", "mo qi"),
    ("闻人", "wen ren"),
    ("端木", "duan mu"),
    ("单于", "chan yu"),
    ("呼延", "hu yan"),
    ("申屠", "shen tu"),
    ("太史", "tai shi"),
    ("司空", "si kong"),
    ("司寇", "si kou"),
    ("百里", "bai li"),
    ("东郭", "dong guo"),
    ("公冶", "gong ye"),
    ("公羊", "gong yang"),
    ("公良", "gong liang"),
    ("公西", "gong xi"),
    ("谷梁", "gu liang"),
    ("拓跋", "tuo ba"),
    ("左丘", "zuo qiu"),
    ("第五", "di wu"),
    ("乐正", "yue zheng"),
    ("亓官", "qi guan"),
    ("仲孙", "zhong sun"),
    ("濮阳", "pu yang"),
    ("淳于", "chun yu"),
    ("宗政", "zong zheng"),
    ("羊舌", "yang she"),
    ("微生", "wei sheng"),
    ("梁丘", "liang qiu"),
    ("巫马", "wu ma"),
    ("漆雕", "qi diao"),
    ("颛孙", "zhuan sun"),
    ("段干", "duan gan"),
    ("子车", "zi ju"),
    ("夹谷", "jia gu"),
    ("宰父", "zai fu"),
    ("呼衍", "hu yan"),
];

/// Single-character surnames whose surname reading is not the character's
/// most common one (or that the pinyin table gets wrong). The rest use the
/// table.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('查', "zha"),
    ('朴', "piao"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('覃', "qin"),
    ('秘', "bi"),
    ('过', "guo"),
    ('乐', "yue"),
    ('贾', "jia"),
    ('翟', "zhai"),
    ('召', "shao"),
    ('种', "chong"),
    ('员', "yun"),
    ('句', "gou"),
    ('尉', "wei"),
    ('万', "wan"),
    ('长', "chang"),
    ('重', "chong"),
    ('朝', "chao"),
    ('沈', "shen"),
    ('石', "shi"),
    ('柏', "bai"),
    ('薄', "bo"),
    ('卜', "bu"),
    ('藏', "zang"),
    ('车', "che"),
    ('繁', "po"),
    ('费', "fei"),
    ('葛', "ge"),
    ('华', "hua"),
    ('纪', "ji"),
    ('角', "jue"),
    ('阚', "kan"),
    ('隗', "wei"),
    ('莘', "shen"),
    ('宓', "mi"),
    ('能', "nai"),
    ('逄', "pang"),
    ('任', "ren"),
    ('厍', "she"),
    ('折', "she"),
    ('冼', "xian"),
    ('洗', "xian"),
    ('燕', "yan"),
    ('叶', "ye"),
    ('恽', "yun"),
    ('祭', "zhai"),
    ('郇', "huan"),
    ('那', "na"),
    ('都', "du"),
    ('谌', "chen"),
    ('禚', "zhuo"),
    ('殷', "yin"),
    ('相', "xiang"),
    ('和', "he"),
    ('便', "pian"),
    ('褚', "chu"),
    ('眭', "sui"),
    ('尹', "yin"),
    ('曲', "qu"),
    ('强', "qiang"),
    ('应', "ying"),
    ('盛', "sheng"),
    ('佘', "she"),
    ('哈', "ha"),
    ('黑', "hei"),
    ('牟', "mou"),
    ('隽', "juan"),
    ('吕', "lv"),
    ('闾', "lv"),
];

/// Honorifics and forms of address that follow a surname, longest first so
/// that 老先生 is not read as 老 + 先生.
const HONORIFICS: &[(&str, Option<Sex>)] = &[
    ("老先生", Some(Sex::Male)),
    ("老大爷", Some(Sex::Male)),
    ("老太太", Some(Sex::Female)),
    ("老奶奶", Some(Sex::Female)),
    ("先生", Some(Sex::Male)),
    ("男士", Some(Sex::Male)),
    ("大爷", Some(Sex::Male)),
    ("大伯", Some(Sex::Male)),
    ("大叔", Some(Sex::Male)),
    ("叔叔", Some(Sex::Male)),
    ("伯伯", Some(Sex::Male)),
    ("大哥", Some(Sex::Male)),
    ("爷爷", Some(Sex::Male)),
    ("老汉", Some(Sex::Male)),
    ("女士", Some(Sex::Female)),
    ("小姐", Some(Sex::Female)),
    ("太太", Some(Sex::Female)),
    ("阿姨", Some(Sex::Female)),
    ("大妈", Some(Sex::Female)),
    ("大娘", Some(Sex::Female)),
    ("大姐", Some(Sex::Female)),
    ("大嫂", Some(Sex::Female)),
    ("奶奶", Some(Sex::Female)),
    ("婆婆", Some(Sex::Female)),
    ("老太", Some(Sex::Female)),
    ("姑娘", Some(Sex::Female)),
    ("师傅", None),
    ("老师", None),
    ("同志", None),
    ("同学", None),
    ("老板", None),
    ("经理", None),
    ("主任", None),
    ("医生", None),
    ("律师", None),
    ("警官", None),
];

/// Whole values (lowercased, spaces removed) that stand for "no name".
const PLACEHOLDERS: &[&str] = &[
    "无",
    "无名",
    "无名氏",
    "匿名",
    "不详",
    "未知",
    "某",
    "某某",
    "某某某",
    "空",
    "暂无",
    "没有",
    "不明",
    "未填",
    "未填写",
    "未提供",
    "未登记",
    "未录入",
    "未留",
    "保密",
    "本人",
    "市民",
    "群众",
    "热心市民",
    "热心群众",
    "来电人",
    "来电者",
    "来电市民",
    "报警人",
    "信访人",
    "求助人",
    "当事人",
    "投诉人",
    "反映人",
    "佚名",
    "路人",
    "姓名",
    "测试",
    "null",
    "none",
    "nil",
    "na",
    "n/a",
    "unknown",
    "anonymous",
    "test",
    "name",
];

/// Fragments that make any value a refusal or a placeholder (姓名不详,
/// 不愿透露, 来电人未留姓名, 信息保密).
const PLACEHOLDER_PARTS: &[&str] = &["不详", "未知", "透露", "未留", "不愿留", "保密"];

/// Punctuation that separates several names or clauses: such text is not one
/// person's name.
const LIST_PUNCTUATION: &[char] = &[',', ';', '、', '/', '|', '&', '+', '。', '!', '\\', '='];

const OPEN_BRACKETS: &[char] = &['(', '[', '{', '<', '【', '〔', '〈', '《', '「', '『'];
const CLOSE_BRACKETS: &[char] = &[')', ']', '}', '>', '】', '〕', '〉', '》', '」', '』'];

/// Variants of the separator in transliterated names (买买提·艾力).
const INTERPUNCTS: &[char] = &['·', '•', '‧', '・', '･', '∙', '⋅', '●'];

impl PersonName {
    /// Parses a name as written in a feed. Never fails: what is not a name is
    /// [`PersonName::Absent`].
    pub fn parse(raw: &str) -> PersonName {
        let spaced = clean(raw);
        let compact: String = spaced.chars().filter(|c| *c != ' ').collect();
        if is_placeholder(&compact) || !could_be_a_name(&compact) {
            return PersonName::Absent;
        }
        for (honorific, sex) in HONORIFICS {
            let Some(prefix) = compact.strip_suffix(honorific) else {
                continue;
            };
            if prefix.is_empty() || is_placeholder(prefix) {
                return PersonName::Absent;
            }
            if let Some(surname) = surname_only(prefix) {
                return PersonName::honorific(surname, *sex);
            }
            let prefix_spaced = drop_last_chars(&spaced, honorific.chars().count());
            return classify(prefix, &prefix_spaced);
        }
        classify(&compact, &spaced)
    }

    /// The surname: compound (欧阳) or the first character.
    pub fn surname(&self) -> Option<&str> {
        match self {
            PersonName::Full { surname, .. } | PersonName::Honorific { surname, .. } => {
                Some(surname)
            }
            PersonName::Absent => None,
        }
    }

    /// Toneless pinyin, syllables joined by single spaces, lowercase ascii:
    /// "zhang wei". For Honorific: the surname's pinyin. The surname's
    /// syllables always come first, one per surname character.
    pub fn pinyin(&self) -> Option<&str> {
        match self {
            PersonName::Full { pinyin, .. } | PersonName::Honorific { pinyin, .. } => Some(pinyin),
            PersonName::Absent => None,
        }
    }

    /// The sex an honorific implies (先生 → male); None when it does not tell.
    pub fn sex_hint(&self) -> Option<Sex> {
        match self {
            PersonName::Honorific { sex, .. } => *sex,
            _ => None,
        }
    }

    /// The folded simplified full name for Full, None otherwise.
    pub fn full(&self) -> Option<&str> {
        match self {
            PersonName::Full { name, .. } => Some(name),
            _ => None,
        }
    }

    fn honorific(surname: &str, sex: Option<Sex>) -> PersonName {
        PersonName::Honorific {
            surname: surname.to_string(),
            sex,
            pinyin: surname_pinyin(surname),
        }
    }
}

/// Toneless pinyin of any text, syllables joined by single spaces: the
/// homophone key for addresses and other free text. Width is folded and
/// traditional characters simplified first; runs of ASCII letters and digits
/// stay as lowercased tokens; punctuation and spaces only separate tokens.
/// Uses each character's most common reading (no surname readings).
pub fn pinyin_of(text: &str) -> String {
    let folded: String = text.chars().map(fold_char).collect();
    tokens(&to_simplified(&folded), false).join(" ")
}

/// Folds width, turns blanks into single spaces, cuts a `label:` prefix,
/// simplifies, drops bracketed remarks, unifies interpuncts and trims
/// punctuation at both ends. Inner single spaces are kept because they mark
/// word boundaries in Latin names.
fn clean(raw: &str) -> String {
    let mut folded = String::with_capacity(raw.len());
    for c in raw.chars().map(fold_char) {
        if c.is_whitespace() {
            if !folded.ends_with(' ') {
                folded.push(' ');
            }
        } else if !is_blank(c) {
            folded.push(c);
        }
    }
    // Names never contain a colon; what precedes one is a field label.
    let unlabelled = folded.rsplit(':').next().unwrap_or_default();
    let simplified = to_simplified(unlabelled);
    let unbracketed = drop_brackets(&simplified);
    let unified = unify_interpuncts(&unbracketed);
    unified
        .trim_matches(|c: char| !(c.is_alphanumeric() || is_mask(c)))
        .to_string()
}

/// Removes bracketed text (and stray brackets). When nothing name-like is
/// left outside the brackets, the bracketed text is the name: `（张三）`.
fn drop_brackets(s: &str) -> String {
    let mut outside = String::new();
    let mut inside = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        if OPEN_BRACKETS.contains(&c) {
            depth += 1;
            inside.push(' ');
        } else if CLOSE_BRACKETS.contains(&c) {
            depth = depth.saturating_sub(1);
            inside.push(' ');
        } else if depth == 0 {
            outside.push(c);
        } else {
            inside.push(c);
        }
    }
    if outside.chars().any(char::is_alphanumeric) {
        outside
    } else {
        inside
    }
}

/// Maps the look-alike separators of transliterated names to `·`, and a `.`
/// between Han characters too (a common half-width stand-in).
fn unify_interpuncts(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_han = c == '.'
                && i > 0
                && chars.get(i - 1).is_some_and(|p| is_han(*p))
                && chars.get(i + 1).is_some_and(|n| is_han(*n));
            if INTERPUNCTS.contains(&c) || between_han {
                '·'
            } else {
                c
            }
        })
        .collect()
}

fn is_placeholder(compact: &str) -> bool {
    let lower = compact.to_lowercase();
    PLACEHOLDERS.contains(&lower.as_str())
        || lower.starts_with("匿名")
        || PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p))
        || (!lower.is_empty() && lower.chars().all(|c| c == 'x'))
}

/// False for text that clearly is not one person's name (see the module
/// doc); everything else is given the benefit of the doubt.
fn could_be_a_name(compact: &str) -> bool {
    compact.chars().any(|c| is_han(c) || c.is_alphabetic())
        && compact.chars().count() <= MAX_NAME_CHARS
        && !compact.contains(LIST_PUNCTUATION)
}

/// Characters standing for a hidden or lost character. `x` also counts
/// when [`x_is_mask`] says so.
fn is_mask(c: char) -> bool {
    matches!(c, '*' | '×' | '?' | '\u{FFFD}' | '某' | '○')
}

/// Whether `x`/`X` in this name is a mask: only in a Han name whose only
/// Latin letters are x's (张XX, 张x伟), never in 李Xiao or Max.
fn x_is_mask(s: &str) -> bool {
    s.chars().any(is_han)
        && s.chars()
            .filter(char::is_ascii_alphabetic)
            .all(|c| matches!(c, 'x' | 'X'))
}

fn is_mask_in(c: char, x_mask: bool) -> bool {
    is_mask(c) || (x_mask && matches!(c, 'x' | 'X'))
}

/// The surname when `s` is nothing but a surname, possibly followed by mask
/// characters: 张, 欧阳, 张某某, 欧阳**.
fn surname_only(s: &str) -> Option<&str> {
    let surname = leading_surname(s, true)?;
    let rest = &s[surname.len()..];
    let x_mask = x_is_mask(s);
    rest.chars()
        .all(|c| is_mask_in(c, x_mask))
        .then_some(surname)
}

/// The Han surname `s` starts with: a compound surname when one matches
/// (and, unless `bare_compound_ok`, something follows it), else the first
/// character if it is Han and no mask.
fn leading_surname(s: &str, bare_compound_ok: bool) -> Option<&str> {
    for (compound, _) in COMPOUND_SURNAMES {
        if s.starts_with(compound) && (bare_compound_ok || s.len() > compound.len()) {
            return Some(&s[..compound.len()]);
        }
    }
    let first = s.chars().next()?;
    (is_han(first) && !is_mask(first)).then(|| &s[..first.len_utf8()])
}

/// Decides between a full name, a surname-only name and nothing for a value
/// with no honorific.
fn classify(compact: &str, spaced: &str) -> PersonName {
    let chars: Vec<char> = compact.chars().collect();
    let Some(&first) = chars.first() else {
        return PersonName::Absent;
    };
    let x_mask = x_is_mask(compact);
    if is_mask_in(first, x_mask) {
        return PersonName::Absent;
    }
    if chars.len() == 1 && is_han(first) {
        return PersonName::honorific(compact, None);
    }
    if chars.iter().any(|c| is_mask_in(*c, x_mask)) {
        // A bare compound surname before masks (欧阳**) still counts as one.
        return match leading_surname(compact, true) {
            Some(surname) => PersonName::honorific(surname, None),
            None => PersonName::Absent,
        };
    }
    // A two-character name equal to a compound surname (东方) is more likely
    // surname 东 + given name 方 than a surname with the name missing, hence
    // no bare compound here.
    let surname = leading_surname(compact, false).map_or_else(|| first.to_string(), str::to_string);
    let mut syllables = tokens(spaced, true);
    let surname_chars = surname.chars().count();
    if surname.chars().all(is_han) && syllables.len() >= surname_chars {
        syllables.splice(..surname_chars, [surname_pinyin(&surname)]);
    }
    PersonName::Full {
        name: compact.to_string(),
        surname,
        pinyin: syllables.join(" "),
    }
}

/// The surname reading of a Han surname, syllables space-joined.
fn surname_pinyin(surname: &str) -> String {
    if let Some((_, reading)) = COMPOUND_SURNAMES.iter().find(|(s, _)| *s == surname) {
        return (*reading).to_string();
    }
    surname
        .chars()
        .map(|c| {
            SURNAME_READINGS
                .iter()
                .find(|(s, _)| *s == c)
                .map_or_else(|| han_syllable(c), |(_, r)| (*r).to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One Han character's most common toneless reading, ü written `v`; the
/// character itself when the table has no reading.
fn han_syllable(c: char) -> String {
    match c.to_pinyin() {
        Some(p) => p.plain().replace('ü', "v"),
        None => c.to_string(),
    }
}

/// Splits text into pinyin tokens: one per Han character, one per run of
/// other letters and digits (lowercased; split at lower→upper changes when
/// `split_camel`), nothing for anything else.
fn tokens(s: &str, split_camel: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if is_han(c) {
            flush(&mut run, &mut out);
            out.push(han_syllable(c));
            prev_lower = false;
        } else if c.is_alphanumeric() {
            if split_camel && prev_lower && c.is_uppercase() {
                flush(&mut run, &mut out);
            }
            run.extend(c.to_lowercase());
            prev_lower = c.is_lowercase();
        } else {
            flush(&mut run, &mut out);
            prev_lower = false;
        }
    }
    flush(&mut run, &mut out);
    out
}

fn flush(run: &mut String, out: &mut Vec<String>) {
    if !run.is_empty() {
        out.push(std::mem::take(run));
    }
}

/// `s` without its last `n` non-space characters (and the spaces among
/// them).
fn drop_last_chars(s: &str, n: usize) -> String {
    let mut left = n;
    let mut end = s.len();
    for (i, c) in s.char_indices().rev() {
        if left == 0 {
            break;
        }
        end = i;
        if c != ' ' {
            left -= 1;
        }
    }
    s[..end].trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(name: &str, surname: &str, pinyin: &str) -> PersonName {
        PersonName::Full {
            name: name.into(),
            surname: surname.into(),
            pinyin: pinyin.into(),
        }
    }

    fn hon(surname: &str, sex: Option<Sex>, pinyin: &str) -> PersonName {
        PersonName::Honorific {
            surname: surname.into(),
            sex,
            pinyin: pinyin.into(),
        }
    }

    #[test]
    fn plain_full_names() {
        assert_eq!(PersonName::parse("张伟"), full("张伟", "张", "zhang wei"));
        assert_eq!(
            PersonName::parse("王秀英"),
            full("王秀英", "王", "wang xiu ying")
        );
        let n = PersonName::parse("李娜");
        assert_eq!(n.full(), Some("李娜"));
        assert_eq!(n.surname(), Some("李"));
        assert_eq!(n.pinyin(), Some("li na"));
        assert_eq!(n.sex_hint(), None);
    }

    #[test]
    fn spaces_and_full_width_are_removed() {
        let want = full("张伟", "张", "zhang wei");
        assert_eq!(PersonName::parse(" 张 伟 "), want);
        assert_eq!(PersonName::parse("张\u{3000}伟"), want);
        assert_eq!(PersonName::parse("\t张伟\n"), want);
        assert_eq!(PersonName::parse("张\u{200B}伟"), want);
    }

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(PersonName::parse("陳偉"), full("陈伟", "陈", "chen wei"));
        assert_eq!(PersonName::parse("張偉"), PersonName::parse("张伟"));
        assert_eq!(PersonName::parse("黃麗"), full("黄丽", "黄", "huang li"));
        assert_eq!(PersonName::parse("劉強"), full("刘强", "刘", "liu qiang"));
        assert_eq!(PersonName::parse("歐陽娜娜").surname(), Some("欧阳"));
        assert_eq!(
            PersonName::parse("張先生"),
            hon("张", Some(Sex::Male), "zhang")
        );
        // 宁 is already simplified and must stay 宁, so both spellings meet.
        assert_eq!(PersonName::parse("張寧"), full("张宁", "张", "zhang ning"));
        assert_eq!(PersonName::parse("张宁"), full("张宁", "张", "zhang ning"));
        // 於 is a surname of its own, not a traditional 于.
        assert_eq!(PersonName::parse("於伟").surname(), Some("於"));
    }

    #[test]
    fn homophones_share_pinyin_but_not_name() {
        let a = PersonName::parse("张伟");
        let b = PersonName::parse("张巍");
        assert_eq!(a.pinyin(), Some("zhang wei"));
        assert_eq!(b.pinyin(), Some("zhang wei"));
        assert_ne!(a.full(), b.full());
        assert_eq!(
            PersonName::parse("章伟").pinyin(),
            Some("zhang wei"),
            "章 and 张 sound alike"
        );
        assert_eq!(
            PersonName::parse("王芳").pinyin(),
            PersonName::parse("汪方").pinyin()
        );
    }

    #[test]
    fn honorifics() {
        assert_eq!(
            PersonName::parse("张先生"),
            hon("张", Some(Sex::Male), "zhang")
        );
        assert_eq!(
            PersonName::parse("王女士"),
            hon("王", Some(Sex::Female), "wang")
        );
        assert_eq!(PersonName::parse("刘小姐").sex_hint(), Some(Sex::Female));
        assert_eq!(PersonName::parse("陈太太").sex_hint(), Some(Sex::Female));
        assert_eq!(PersonName::parse("赵阿姨").sex_hint(), Some(Sex::Female));
        assert_eq!(PersonName::parse("李师傅"), hon("李", None, "li"));
        assert_eq!(PersonName::parse("孙老师"), hon("孙", None, "sun"));
        assert_eq!(
            PersonName::parse("周老先生"),
            hon("周", Some(Sex::Male), "zhou")
        );
        assert_eq!(
            PersonName::parse("欧阳先生"),
            hon("欧阳", Some(Sex::Male), "ou yang")
        );
        assert_eq!(
            PersonName::parse(" 张　先生 "),
            hon("张", Some(Sex::Male), "zhang")
        );
        let h = PersonName::parse("王女士");
        assert_eq!(h.full(), None);
        assert_eq!(h.surname(), Some("王"));
        assert_eq!(h.pinyin(), Some("wang"));
    }

    #[test]
    fn honorific_without_surname_is_absent() {
        assert_eq!(PersonName::parse("先生"), PersonName::Absent);
        assert_eq!(PersonName::parse("女士"), PersonName::Absent);
        assert_eq!(PersonName::parse("某先生"), PersonName::Absent);
    }

    #[test]
    fn full_name_with_honorific_is_the_full_name() {
        assert_eq!(
            PersonName::parse("张伟先生"),
            full("张伟", "张", "zhang wei")
        );
        assert_eq!(
            PersonName::parse("欧阳娜娜女士"),
            full("欧阳娜娜", "欧阳", "ou yang na na")
        );
    }

    #[test]
    fn placeholders_are_absent() {
        for raw in [
            "",
            " ",
            "匿名",
            "匿名用户",
            "无",
            "不详",
            "未知",
            "某某",
            "-",
            "--",
            "/",
            "***",
            "?",
            "NULL",
            "n/a",
            "xx",
            "姓名不详",
            "不愿透露",
            "来电人",
            "（匿名）",
            "１２３",
            "13812345678",
        ] {
            assert_eq!(PersonName::parse(raw), PersonName::Absent, "{raw:?}");
        }
        let a = PersonName::parse("匿名");
        assert_eq!(a.surname(), None);
        assert_eq!(a.pinyin(), None);
        assert_eq!(a.sex_hint(), None);
        assert_eq!(a.full(), None);
    }

    #[test]
    fn compound_surnames() {
        assert_eq!(
            PersonName::parse("欧阳娜娜"),
            full("欧阳娜娜", "欧阳", "ou yang na na")
        );
        assert_eq!(
            PersonName::parse("司马光"),
            full("司马光", "司马", "si ma guang")
        );
        assert_eq!(PersonName::parse("诸葛亮").surname(), Some("诸葛"));
        assert_eq!(PersonName::parse("上官婉儿").surname(), Some("上官"));
        assert_eq!(PersonName::parse("尉迟恭").pinyin(), Some("yu chi gong"));
        assert_eq!(PersonName::parse("万俟卨").surname(), Some("万俟"));
        assert_eq!(
            PersonName::parse("万俟卨").pinyin().map(|p| &p[..5]),
            Some("mo qi")
        );
        assert_eq!(
            PersonName::parse("长孙无忌").pinyin(),
            Some("zhang sun wu ji")
        );
        assert_eq!(PersonName::parse("单于宏").pinyin(), Some("chan yu hong"));
        // Two characters: surname 东 + given name 方.
        assert_eq!(PersonName::parse("东方"), full("东方", "东", "dong fang"));
    }

    #[test]
    fn polyphonic_surnames_use_surname_readings() {
        for (name, want) in [
            ("单伟", "shan wei"),
            ("曾伟", "zeng wei"),
            ("解伟", "xie wei"),
            ("仇伟", "qiu wei"),
            ("区伟", "ou wei"),
            ("查伟", "zha wei"),
            ("朴伟", "piao wei"),
            ("盖伟", "ge wei"),
            ("缪伟", "miao wei"),
            ("覃伟", "qin wei"),
            ("秘伟", "bi wei"),
            ("过伟", "guo wei"),
            ("乐伟", "yue wei"),
            ("贾伟", "jia wei"),
            ("翟伟", "zhai wei"),
            ("召伟", "shao wei"),
            ("种伟", "chong wei"),
            ("员伟", "yun wei"),
            ("句伟", "gou wei"),
            ("吕伟", "lv wei"),
        ] {
            assert_eq!(PersonName::parse(name).pinyin(), Some(want), "{name}");
        }
        assert_eq!(PersonName::parse("单女士").pinyin(), Some("shan"));
        assert_eq!(PersonName::parse("曾先生").pinyin(), Some("zeng"));
    }

    #[test]
    fn latin_names() {
        assert_eq!(PersonName::parse("Tom"), full("Tom", "T", "tom"));
        assert_eq!(PersonName::parse("Zhang Wei").pinyin(), Some("zhang wei"));
        assert_eq!(PersonName::parse("ZhangWei").pinyin(), Some("zhang wei"));
        assert_eq!(PersonName::parse("Zhang Wei").full(), Some("ZhangWei"));
        assert_eq!(PersonName::parse("Ｔｏｍ"), full("Tom", "T", "tom"));
        // Max is a name, not a mask; nor is the x of a Latin given name.
        assert_eq!(PersonName::parse("Max").full(), Some("Max"));
        assert_eq!(PersonName::parse("李Xiao"), full("李Xiao", "李", "li xiao"));
    }

    #[test]
    fn mixed_and_digit_names_stay_full() {
        assert_eq!(PersonName::parse("张A"), full("张A", "张", "zhang a"));
        assert_eq!(
            PersonName::parse("张三2"),
            full("张三2", "张", "zhang san 2")
        );
        let long = "阿卜杜热合曼·买买提明";
        let n = PersonName::parse(long);
        assert_eq!(n.full(), Some(long));
        assert_eq!(n.surname(), Some("阿"));
        assert_eq!(n.pinyin(), Some("a bo du re he man mai mai ti ming"));
        assert_eq!(PersonName::parse("买买提•艾力").full(), Some("买买提·艾力"));
        assert_eq!(PersonName::parse("买买提.艾力").full(), Some("买买提·艾力"));
    }

    #[test]
    fn text_that_is_not_one_name_is_absent() {
        assert_eq!(PersonName::parse("张三、李四"), PersonName::Absent);
        assert_eq!(PersonName::parse("张三,李四"), PersonName::Absent);
        assert_eq!(
            PersonName::parse("来电反映小区门口道路积水严重无法通行请尽快处理"),
            PersonName::Absent
        );
    }

    #[test]
    fn masked_names_keep_only_the_surname() {
        assert_eq!(PersonName::parse("张某某"), hon("张", None, "zhang"));
        assert_eq!(PersonName::parse("张某"), hon("张", None, "zhang"));
        assert_eq!(PersonName::parse("张*"), hon("张", None, "zhang"));
        assert_eq!(PersonName::parse("张*伟"), hon("张", None, "zhang"));
        assert_eq!(PersonName::parse("张XX"), hon("张", None, "zhang"));
        assert_eq!(PersonName::parse("张??"), hon("张", None, "zhang"));
        assert_eq!(PersonName::parse("欧阳**"), hon("欧阳", None, "ou yang"));
        assert_eq!(
            PersonName::parse("张**先生"),
            hon("张", Some(Sex::Male), "zhang")
        );
        assert_eq!(PersonName::parse("*伟"), PersonName::Absent);
        assert_eq!(PersonName::parse("张"), hon("张", None, "zhang"));
    }

    #[test]
    fn labels_and_brackets_are_dropped() {
        let want = full("张三", "张", "zhang san");
        assert_eq!(PersonName::parse("姓名：张三"), want);
        assert_eq!(PersonName::parse("张三（本人）"), want);
        assert_eq!(PersonName::parse("（张三）"), want);
        assert_eq!(PersonName::parse("“张三”"), want);
        assert_eq!(
            PersonName::parse("王女士(来电人)"),
            hon("王", Some(Sex::Female), "wang")
        );
    }

    #[test]
    fn pinyin_of_text() {
        assert_eq!(pinyin_of("张伟"), "zhang wei");
        assert_eq!(pinyin_of("陳偉"), "chen wei");
        assert_eq!(pinyin_of("淇滨区３号楼A座"), "qi bin qu 3 hao lou a zuo");
        assert_eq!(pinyin_of("  ,, "), "");
        assert_eq!(pinyin_of("吕"), "lv");
    }

    #[test]
    fn pinyin_is_lowercase_ascii_for_common_names() {
        for raw in ["张伟", "吕秀英", "欧阳娜娜", "Zhang WEI", "绿", "女"] {
            let n = PersonName::parse(raw);
            let p = n.pinyin().unwrap_or_default();
            assert!(
                p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '),
                "{raw}: {p}"
            );
        }
    }

    #[test]
    fn surname_syllables_come_first() {
        // Person resolution takes the first `surname.chars().count()`
        // syllables as the surname's sound.
        for raw in ["欧阳娜娜", "张伟", "单先生", "Tom Smith", "司马**"] {
            let n = PersonName::parse(raw);
            let (Some(s), Some(p)) = (n.surname(), n.pinyin()) else {
                panic!("{raw} has no surname");
            };
            let k = s.chars().count();
            let sound: Vec<&str> = p.split(' ').take(k).collect();
            assert_eq!(sound.len(), k, "{raw}");
        }
    }
}
