//! Chinese personal names: surnames with realistic frequencies, given names
//! that collide as often as real ones do, and the two kinds of spelling noise
//! a clerk introduces (a homophone typed by sound, a traditional character).

use rand::Rng;

use super::seeds::pick_weighted;

/// Surnames with their approximate national share in units of 0.01 %, adjusted
/// towards northern Henan (more 牛, 申, 靳, 岳).
pub(super) const SURNAMES: &[(&str, u32)] = &[
    ("王", 710),
    ("李", 700),
    ("张", 670),
    ("刘", 540),
    ("陈", 450),
    ("杨", 310),
    ("赵", 220),
    ("黄", 220),
    ("周", 190),
    ("吴", 200),
    ("徐", 150),
    ("孙", 150),
    ("胡", 130),
    ("朱", 130),
    ("高", 110),
    ("林", 110),
    ("何", 110),
    ("郭", 110),
    ("马", 150),
    ("罗", 90),
    ("梁", 80),
    ("宋", 70),
    ("郑", 80),
    ("谢", 70),
    ("韩", 60),
    ("唐", 60),
    ("冯", 60),
    ("于", 60),
    ("董", 50),
    ("肖", 50),
    ("程", 50),
    ("曹", 50),
    ("袁", 50),
    ("邓", 50),
    ("许", 50),
    ("傅", 40),
    ("沈", 40),
    ("曾", 40),
    ("彭", 40),
    ("吕", 40),
    ("苏", 40),
    ("卢", 40),
    ("蒋", 40),
    ("蔡", 40),
    ("贾", 40),
    ("丁", 40),
    ("魏", 40),
    ("薛", 30),
    ("叶", 30),
    ("阎", 30),
    ("余", 30),
    ("潘", 30),
    ("杜", 30),
    ("戴", 30),
    ("夏", 30),
    ("钟", 30),
    ("汪", 30),
    ("田", 30),
    ("任", 30),
    ("姜", 30),
    ("范", 30),
    ("方", 30),
    ("石", 30),
    ("姚", 30),
    ("谭", 20),
    ("廖", 20),
    ("邹", 20),
    ("熊", 20),
    ("金", 20),
    ("陆", 20),
    ("郝", 20),
    ("孔", 20),
    ("白", 20),
    ("崔", 20),
    ("康", 20),
    ("毛", 20),
    ("邱", 20),
    ("秦", 20),
    ("江", 20),
    ("史", 20),
    ("顾", 20),
    ("侯", 20),
    ("邵", 20),
    ("孟", 20),
    ("龙", 20),
    ("万", 20),
    ("段", 20),
    ("雷", 20),
    ("钱", 20),
    ("汤", 20),
    ("尹", 20),
    ("黎", 20),
    ("常", 20),
    ("武", 20),
    ("乔", 20),
    ("贺", 20),
    ("龚", 20),
    ("文", 20),
    ("牛", 30),
    ("申", 15),
    ("靳", 10),
    ("岳", 15),
    ("付", 20),
    ("司马", 2),
    ("欧阳", 2),
];

/// The most frequent full given names (the national top list), by rank.
/// Drawing a quarter of all given names from here yields the many 张伟 / 王芳
/// collisions that make name-only matching fail.
const TOP_GIVEN: &[(&str, bool)] = &[
    ("伟", true),
    ("芳", false),
    ("娜", false),
    ("秀英", false),
    ("敏", false),
    ("静", false),
    ("丽", false),
    ("强", true),
    ("磊", true),
    ("军", true),
    ("洋", true),
    ("勇", true),
    ("艳", false),
    ("杰", true),
    ("娟", false),
    ("涛", true),
    ("明", true),
    ("超", true),
    ("秀兰", false),
    ("霞", false),
    ("平", true),
    ("刚", true),
    ("桂英", false),
];

const MALE_CHARS: &str = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林建国志文海东亮宏峰岩兵博轩子涵晨阳永庆春生金福新振立德成贵宝";
const FEMALE_CHARS: &str = "芳娜敏静丽艳娟霞秀英兰玲梅燕琳萍红雪婷倩慧颖洁晶丹莉蕾佳欣悦怡桂凤荣晓云春玉珍爱雯欢梓涵子萱琪淑秋彩";

/// Characters typed by sound instead of the right one.
const HOMOPHONES: &[(char, &str)] = &[
    ('张', "章"),
    ('王', "汪"),
    ('李', "里黎"),
    ('刘', "柳留"),
    ('陈', "晨"),
    ('杨', "阳羊"),
    ('黄', "皇"),
    ('赵', "照"),
    ('吴', "武伍"),
    ('周', "舟"),
    ('徐', "许"),
    ('孙', "荪"),
    ('马', "玛"),
    ('胡', "湖"),
    ('朱', "珠"),
    ('高', "郜"),
    ('林', "琳"),
    ('何', "河"),
    ('郭', "国"),
    ('罗', "骆"),
    ('郑', "正"),
    ('梁', "良"),
    ('伟', "巍玮炜威"),
    ('芳', "方"),
    ('娜', "那纳"),
    ('敏', "民闵"),
    ('静', "晶婧敬"),
    ('丽', "莉利"),
    ('强', "蔷"),
    ('磊', "垒"),
    ('军', "君"),
    ('洋', "阳杨"),
    ('勇', "永涌"),
    ('艳', "燕彦雁"),
    ('杰', "洁捷"),
    ('娟', "鹃涓"),
    ('涛', "韬滔"),
    ('明', "铭鸣"),
    ('超', "潮朝"),
    ('秀', "绣琇"),
    ('英', "瑛莹"),
    ('兰', "岚蓝"),
    ('霞', "侠"),
    ('平', "萍苹"),
    ('刚', "钢纲"),
    ('桂', "贵"),
    ('华', "桦花"),
    ('辉', "晖徽"),
    ('鹏', "朋"),
    ('飞', "菲非"),
    ('鑫', "新欣"),
    ('斌', "彬宾"),
    ('宇', "雨玉"),
    ('浩', "皓昊"),
    ('凯', "恺楷"),
    ('健', "建剑"),
    ('俊', "骏峻"),
    ('帆', "凡"),
    ('旭', "绪"),
    ('宁', "凝"),
    ('龙', "隆"),
    ('建', "健剑"),
    ('志', "智治"),
    ('文', "雯闻"),
    ('东', "冬"),
    ('红', "虹鸿"),
    ('玲', "琳苓"),
    ('梅', "玫"),
    ('燕', "艳雁"),
    ('琳', "林霖"),
    ('萍', "平苹"),
    ('婷', "亭庭"),
    ('倩', "茜"),
    ('慧', "惠蕙"),
    ('颖', "莹影"),
    ('洁', "杰婕"),
    ('晶', "静菁"),
    ('莉', "丽俐"),
    ('佳', "家嘉"),
    ('欣', "新馨"),
    ('悦', "月越"),
    ('怡', "宜仪"),
    ('凤', "峰"),
    ('荣', "蓉容"),
    ('涵', "寒含"),
    ('子', "梓紫"),
    ('轩', "宣萱"),
    ('博', "波柏"),
    ('亮', "靓"),
    ('峰', "锋枫"),
    ('春', "椿"),
    ('玉', "钰"),
];

/// Simplified to traditional, for the characters used above.
const TRADITIONAL: &[(char, char)] = &[
    ('陈', '陳'),
    ('张', '張'),
    ('刘', '劉'),
    ('杨', '楊'),
    ('黄', '黃'),
    ('赵', '趙'),
    ('吴', '吳'),
    ('孙', '孫'),
    ('马', '馬'),
    ('郑', '鄭'),
    ('冯', '馮'),
    ('韩', '韓'),
    ('许', '許'),
    ('邓', '鄧'),
    ('罗', '羅'),
    ('谢', '謝'),
    ('叶', '葉'),
    ('钟', '鍾'),
    ('苏', '蘇'),
    ('卢', '盧'),
    ('蒋', '蔣'),
    ('贾', '賈'),
    ('阎', '閻'),
    ('钱', '錢'),
    ('汤', '湯'),
    ('龚', '龔'),
    ('邹', '鄒'),
    ('顾', '顧'),
    ('陆', '陸'),
    ('龙', '龍'),
    ('乔', '喬'),
    ('贺', '賀'),
    ('刘', '劉'),
    ('万', '萬'),
    ('孟', '孟'),
    ('伟', '偉'),
    ('华', '華'),
    ('丽', '麗'),
    ('军', '軍'),
    ('红', '紅'),
    ('国', '國'),
    ('东', '東'),
    ('强', '強'),
    ('兰', '蘭'),
    ('凤', '鳳'),
    ('鹏', '鵬'),
    ('辉', '輝'),
    ('涛', '濤'),
    ('杰', '傑'),
    ('艳', '艷'),
    ('刚', '剛'),
    ('飞', '飛'),
    ('宁', '寧'),
    ('帅', '帥'),
    ('静', '靜'),
    ('颖', '穎'),
    ('洁', '潔'),
    ('悦', '悅'),
    ('荣', '榮'),
    ('轩', '軒'),
    ('凯', '凱'),
    ('晓', '曉'),
    ('云', '雲'),
    ('爱', '愛'),
    ('贵', '貴'),
    ('宝', '寶'),
    ('欢', '歡'),
    ('庆', '慶'),
    ('兵', '兵'),
    ('进', '進'),
];

/// A stored name: surname index plus up to two given-name characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Name {
    pub(super) surname: u8,
    pub(super) given: [char; 2],
}

impl Name {
    pub(super) fn surname(&self) -> &'static str {
        SURNAMES[self.surname as usize].0
    }

    pub(super) fn full(&self) -> String {
        let mut s = String::from(self.surname());
        for c in self.given {
            if c != '\0' {
                s.push(c);
            }
        }
        s
    }
}

pub(super) fn random_surname<R: Rng + ?Sized>(rng: &mut R) -> u8 {
    let weights: Vec<u32> = SURNAMES.iter().map(|(_, w)| *w).collect();
    pick_weighted(rng, &weights) as u8
}

pub(super) fn random_given<R: Rng + ?Sized>(rng: &mut R, male: bool) -> [char; 2] {
    let roll = rng.random::<f64>();
    if roll < 0.25 {
        let candidates: Vec<(&str, u32)> = TOP_GIVEN
            .iter()
            .enumerate()
            .filter(|(_, (_, m))| *m == male)
            .map(|(rank, (g, _))| (*g, 1200 / (rank as u32 + 2)))
            .collect();
        let weights: Vec<u32> = candidates.iter().map(|c| c.1).collect();
        let g = candidates[pick_weighted(rng, &weights)].0;
        let mut chars = g.chars();
        return [chars.next().unwrap_or('\0'), chars.next().unwrap_or('\0')];
    }
    let pool: Vec<char> = if male {
        MALE_CHARS.chars().collect()
    } else {
        FEMALE_CHARS.chars().collect()
    };
    let first = pool[rng.random_range(0..pool.len())];
    if roll < 0.45 {
        [first, '\0']
    } else {
        [first, pool[rng.random_range(0..pool.len())]]
    }
}

/// Replaces one character that has a known homophone; returns the input
/// unchanged when none has.
pub(super) fn homophone<R: Rng + ?Sized>(rng: &mut R, name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let candidates: Vec<usize> = (0..chars.len())
        .filter(|i| HOMOPHONES.iter().any(|(c, _)| *c == chars[*i]))
        .collect();
    if candidates.is_empty() {
        return name.to_string();
    }
    let i = candidates[rng.random_range(0..candidates.len())];
    let alts: Vec<char> = HOMOPHONES
        .iter()
        .find(|(c, _)| *c == chars[i])
        .map(|(_, a)| a.chars().collect())
        .unwrap_or_default();
    let mut out = chars.clone();
    out[i] = alts[rng.random_range(0..alts.len())];
    out.into_iter().collect()
}

/// Writes every character that has a traditional form in that form.
pub(super) fn traditional(name: &str) -> String {
    name.chars()
        .map(|c| {
            TRADITIONAL
                .iter()
                .find(|(s, _)| *s == c)
                .map(|(_, t)| *t)
                .unwrap_or(c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn noise_changes_names_as_intended() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(traditional("陈伟"), "陳偉");
        let h = homophone(&mut rng, "张伟");
        assert_ne!(h, "张伟");
        assert_eq!(h.chars().count(), 2);
        assert_eq!(homophone(&mut rng, "欧"), "欧");
    }

    #[test]
    fn top_names_collide() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut wei = 0;
        for _ in 0..2000 {
            if random_given(&mut rng, true) == ['伟', '\0'] {
                wei += 1;
            }
        }
        assert!(wei > 20, "伟 drawn {wei} times");
    }
}
