//! Hot words: what people are calling about, not only how many call. Free
//! text (诉求内容, 简要案情, 主要内容) is cut into words with jieba, words of
//! one character, numbers and the stop list (`data/hot-words/stopwords.txt`)
//! are left out, and each word counts once per event. A word's rise compares
//! its share of the span's events with its share in the span before:
//! rise = (count + 1) / (previous × events / previous events + 1).

use std::collections::{HashMap, HashSet};

use jieba_rs::Jieba;

use super::calendar::DaySpan;
use super::frame::{Frame, Level};

const STOP_WORDS: &str = include_str!("../../data/hot-words/stopwords.txt");

/// The segmenter and stop list; building it reads jieba's dictionary
/// (a few hundred milliseconds), so make one and keep it.
pub struct Segmenter {
    jieba: Jieba,
    stop: HashSet<&'static str>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter {
            jieba: Jieba::new(),
            stop: STOP_WORDS
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect(),
        }
    }
}

impl Segmenter {
    /// The countable words of a text, each once.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut out: Vec<&str> = self
            .jieba
            .cut(text, true)
            .into_iter()
            .map(|t| t.word.trim())
            .filter(|w| {
                w.chars().count() >= 2
                    && w.chars().all(|c| c.is_alphabetic())
                    && !self.stop.contains(w)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct HotWord {
    pub word: String,
    /// Events of the span that use the word.
    pub count: u32,
    /// Events of the span before that use it.
    pub previous: u32,
    pub rise: f64,
}

#[derive(Clone, Debug)]
pub struct HotWordParams {
    pub span: DaySpan,
    /// Per area at this level, or for the whole county.
    pub level: Option<Level>,
    pub top: usize,
    /// Words used by fewer events of the span are not reported.
    pub min_count: u32,
}

#[derive(Clone, Debug)]
pub struct AreaWords {
    /// None for the whole county (or events without an area at the level).
    pub area: Option<i64>,
    pub events: u32,
    /// Most used first.
    pub top: Vec<HotWord>,
    /// Rise of at least 2, steepest first.
    pub rising: Vec<HotWord>,
}

#[derive(Default)]
struct Counts {
    events: [u32; 2],
    words: HashMap<u32, [u32; 2]>,
}

pub fn hot_words(seg: &Segmenter, frame: &Frame, params: &HotWordParams) -> Vec<AreaWords> {
    let spans = [params.span, params.span.previous()];
    // Simulated and real feeds repeat texts (templates, copied summaries):
    // cut each distinct text once.
    let mut cut: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut vocab: HashMap<&str, u32> = HashMap::new();
    let mut words: Vec<&str> = Vec::new();
    let mut areas: HashMap<Option<i64>, Counts> = HashMap::new();
    for e in &frame.events {
        let Some(which) = spans.iter().position(|s| s.contains(e.at)) else {
            continue;
        };
        let area = params.level.and_then(|l| e.area(l));
        let counts = areas.entry(area).or_default();
        counts.events[which] += 1;
        let Some(text) = e.content.as_deref() else {
            continue;
        };
        let ids = cut.entry(text).or_insert_with(|| {
            seg.words(text)
                .into_iter()
                .map(|w| {
                    *vocab.entry(w).or_insert_with(|| {
                        words.push(w);
                        words.len() as u32 - 1
                    })
                })
                .collect()
        });
        for id in ids.iter() {
            counts.words.entry(*id).or_default()[which] += 1;
        }
    }
    let mut out: Vec<AreaWords> = areas
        .into_iter()
        .filter(|(_, c)| c.events[0] > 0)
        .map(|(area, c)| {
            let scale = if c.events[1] > 0 {
                c.events[0] as f64 / c.events[1] as f64
            } else {
                1.0
            };
            let mut all: Vec<HotWord> = c
                .words
                .iter()
                .filter(|(_, n)| n[0] >= params.min_count)
                .map(|(id, n)| HotWord {
                    word: words[*id as usize].to_string(),
                    count: n[0],
                    previous: n[1],
                    rise: (n[0] as f64 + 1.0) / (n[1] as f64 * scale + 1.0),
                })
                .collect();
            all.sort_by(|a, b| b.count.cmp(&a.count).then(a.word.cmp(&b.word)));
            let top: Vec<HotWord> = all.iter().take(params.top).cloned().collect();
            all.retain(|w| w.rise >= 2.0);
            all.sort_by(|a, b| {
                b.rise
                    .total_cmp(&a.rise)
                    .then(b.count.cmp(&a.count))
                    .then(a.word.cmp(&b.word))
            });
            all.truncate(params.top);
            AreaWords {
                area,
                events: c.events[0],
                top,
                rising: all,
            }
        })
        .collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then(a.area.cmp(&b.area)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_leave_out_stop_words_numbers_and_single_characters() {
        let seg = Segmenter::default();
        let w = seg.words("来电人反映小区物业公司私自上调物业费，垃圾3天未清运，要求物业整改。");
        assert!(w.contains(&"物业费"), "{w:?}");
        assert!(w.contains(&"垃圾"), "{w:?}");
        assert!(!w.contains(&"来电人"), "{w:?}");
        assert!(!w.contains(&"要求"), "{w:?}");
        assert!(w.iter().all(|x| x.chars().count() >= 2));
        assert!(!w.iter().any(|x| x.contains('3')));
        let mut sorted = w.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), w.len(), "each word once");
    }
}
