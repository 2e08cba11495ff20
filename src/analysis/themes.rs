//! Dispute themes: the kinds of trouble that travel from one system to the
//! next. The three sources file the same unpaid wages under 劳动社保>拖欠工资
//! (12345, 信访) and 矛盾纠纷>劳资纠纷 (110); a theme is the set of common
//! categories that mean one kind of dispute, so an escalation or a
//! collective matter is recognised whichever system saw it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Short name for reports, e.g. 家庭纠纷.
    pub name: String,
    /// Common-taxonomy category paths; a category belongs to the theme when
    /// it is one of them or lies below one.
    pub categories: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Themes(pub Vec<Theme>);

fn theme(name: &str, categories: &[&str]) -> Theme {
    Theme {
        name: name.into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
    }
}

impl Default for Themes {
    /// The disputes the 民转刑 early warning watches.
    fn default() -> Self {
        Themes(vec![
            theme("家庭纠纷", &["矛盾纠纷>家庭纠纷", "矛盾纠纷>婚恋纠纷"]),
            theme("邻里纠纷", &["矛盾纠纷>邻里纠纷"]),
            theme(
                "物业房产",
                &[
                    "矛盾纠纷>物业纠纷",
                    "城乡建设>物业管理",
                    "城乡建设>房屋产权",
                ],
            ),
            theme(
                "劳资欠薪",
                &[
                    "矛盾纠纷>劳资纠纷",
                    "劳动社保>拖欠工资",
                    "劳动社保>劳动关系",
                ],
            ),
            theme(
                "土地征迁",
                &[
                    "矛盾纠纷>土地纠纷",
                    "农业农村>土地承包",
                    "城乡建设>征地拆迁",
                ],
            ),
            theme("债务纠纷", &["矛盾纠纷>债务纠纷"]),
            theme("医疗纠纷", &["矛盾纠纷>医疗纠纷"]),
        ])
    }
}

impl Themes {
    /// The first theme the category belongs to.
    pub fn of(&self, category: &str) -> Option<u8> {
        self.0
            .iter()
            .position(|t| {
                t.categories.iter().any(|c| {
                    category == c
                        || (category.len() > c.len()
                            && category.starts_with(c.as_str())
                            && category[c.len()..].starts_with('>'))
                })
            })
            .map(|i| i as u8)
    }

    pub fn name(&self, theme: u8) -> &str {
        &self.0[theme as usize].name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_belongs_to_a_theme_at_a_level_boundary() {
        let t = Themes::default();
        let wages = t.of("劳动社保>拖欠工资").unwrap();
        assert_eq!(t.of("矛盾纠纷>劳资纠纷"), Some(wages));
        assert_eq!(t.of("劳动社保>拖欠工资>农民工"), Some(wages));
        assert_eq!(t.name(wages), "劳资欠薪");
        assert_eq!(t.of("劳动社保>拖欠工资款"), None);
        assert_eq!(t.of("劳动社保"), None);
        assert_eq!(t.of("刑事>盗窃"), None);
    }
}
