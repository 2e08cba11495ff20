//! The situation analyses on small hand-made frames, one behaviour each.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::calendar::DaySpan;
use super::collective::{self, CollectiveParams};
use super::escalation::{self, EscalationParams, Risk};
use super::frame::{Frame, Level};
use super::hotspots::{self, HotspotParams};
use super::indicators::{self, GroupBy, IndicatorParams};
use super::repeat::{self, RepeatKind, RepeatParams};
use super::themes::Themes;
use crate::store::resolution::EventAreaRow;
use crate::store::{SituationRow, SituationRows};

const FAMILY: &str = "矛盾纠纷>家庭纠纷";
const WAGES_HOTLINE: &str = "劳动社保>拖欠工资";
const WAGES_ALARM: &str = "矛盾纠纷>劳资纠纷";

/// Day `day` of November 2026 (day 31 is 1 December), `hour` UTC.
fn t(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + Duration::days(day as i64 - 1)
        + Duration::hours(hour as i64)
}

/// Builds rows event by event.
#[derive(Default)]
struct Rows(SituationRows);

impl Rows {
    fn event(&mut self, source: &str, at: NaiveDateTime, category: &str) -> &mut SituationRow {
        let id = self.0.events.len() as i64 + 1;
        self.0.events.push(SituationRow {
            id,
            source: source.into(),
            record_id: format!("{source}-{id}"),
            occurred_at: at,
            category: category.into(),
            event_type: None,
            content: None,
            unit: Some("甲单位".into()),
            status: "in_progress".into(),
            deadline: None,
            closed_at: None,
            satisfaction: None,
            petitioners: None,
            detail: "{}".into(),
        });
        self.0.areas.push(EventAreaRow {
            event_id: id,
            district_id: Some(1),
            street_id: Some(2),
            community_id: Some(3),
            site_id: None,
            building_id: None,
        });
        self.0.events.last_mut().unwrap()
    }

    fn building(&mut self, building: i64) -> &mut Self {
        self.0.areas.last_mut().unwrap().building_id = Some(building);
        self
    }

    fn site(&mut self, site: i64) -> &mut Self {
        self.0.areas.last_mut().unwrap().site_id = Some(site);
        self
    }

    fn person(&mut self, person: i64) -> &mut Self {
        let id = self.0.events.last().unwrap().id;
        self.0.persons.push((id, person));
        self
    }

    fn room(&mut self, room: i64) -> &mut Self {
        let id = self.0.events.last().unwrap().id;
        self.0.places.push((id, 0, room));
        if let Err(at) = self.0.rooms.binary_search(&room) {
            self.0.rooms.insert(at, room);
        }
        self
    }

    fn frame(self) -> Frame {
        Frame::new(self.0, Themes::default())
    }
}

fn chains(frame: &Frame) -> Vec<escalation::Escalation> {
    escalation::escalations(
        frame,
        &EscalationParams {
            from: t(1, 0),
            to: t(60, 0),
            window: Duration::days(30),
        },
    )
}

#[test]
fn a_family_dispute_through_all_three_systems_is_one_high_risk_chain() {
    let mut r = Rows::default();
    r.event("hotline", t(1, 9), FAMILY);
    r.person(7);
    r.event("alarm", t(2, 21), FAMILY);
    r.person(7);
    r.event("petition", t(12, 10), FAMILY);
    r.person(7);
    // Another person's quarrel the other way round is no escalation.
    r.event("alarm", t(3, 9), FAMILY);
    r.person(8);
    r.event("hotline", t(4, 9), FAMILY);
    r.person(8);
    let found = chains(&r.frame());
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert_eq!(c.steps, vec![1, 2, 3]);
    assert_eq!(c.persons, vec![7]);
    assert_eq!(c.theme, "家庭纠纷");
    assert_eq!(c.risk, Risk::High, "score {}", c.score);
}

#[test]
fn steps_of_different_themes_or_too_far_apart_make_no_chain() {
    let mut r = Rows::default();
    r.event("hotline", t(1, 9), FAMILY);
    r.person(1);
    r.event("alarm", t(2, 9), "刑事>盗窃");
    r.person(1);
    r.event("hotline", t(1, 9), FAMILY);
    r.person(2);
    r.event("petition", t(40, 9), FAMILY);
    r.person(2);
    assert!(chains(&r.frame()).is_empty());
}

#[test]
fn a_household_links_steps_named_by_different_people_and_merges_with_the_persons_chain() {
    let mut r = Rows::default();
    // The wife calls the hotline, an unnamed caller reports the fight at the
    // same room, the wife petitions: one chain, found both ways.
    r.event("hotline", t(5, 9), FAMILY);
    r.person(3).room(900);
    r.event("alarm", t(6, 22), FAMILY);
    r.room(900);
    r.event("petition", t(20, 9), FAMILY);
    r.person(3).room(900);
    let found = chains(&r.frame());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].steps, vec![1, 2, 3]);
    assert_eq!(found[0].persons, vec![3]);
    assert_eq!(found[0].household, Some(900));
}

#[test]
fn wages_filed_under_different_categories_are_one_theme() {
    let mut r = Rows::default();
    r.event("hotline", t(1, 9), WAGES_HOTLINE);
    r.person(4);
    r.event("alarm", t(3, 9), WAGES_ALARM);
    r.person(4);
    let found = chains(&r.frame());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].theme, "劳资欠薪");
    // Two steps, both open, spread over two days: not the top of the scale.
    assert!(
        found[0].score
            < chains(&{
                let mut r = Rows::default();
                r.event("hotline", t(1, 9), WAGES_HOTLINE);
                r.person(4);
                r.event("alarm", t(1, 12), WAGES_ALARM);
                r.person(4);
                r.event("petition", t(2, 9), WAGES_HOTLINE);
                r.person(4);
                r.frame()
            })[0]
                .score
    );
}

#[test]
fn a_hotspot_is_a_spike_against_the_places_own_baseline() {
    let mut r = Rows::default();
    let week = DaySpan::new(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), 7);
    // Building 50: one event a week, then ten in the last week.
    for w in 0..4 {
        r.event("hotline", t(1 + 7 * w, 10), "城乡建设>供水供暖");
        r.building(50);
    }
    for i in 0..10 {
        r.event("hotline", t(29 + i % 7, 2), "城乡建设>供水供暖");
        r.building(50);
    }
    // Building 60: busy every week, a little busier in the last.
    for w in 0..4 {
        for i in 0..8 {
            r.event("alarm", t(1 + 7 * w + i % 7, 12), "治安>噪音扰民");
            r.building(60);
        }
    }
    for i in 0..11 {
        r.event("alarm", t(29 + i % 7, 12), "治安>噪音扰民");
        r.building(60);
    }
    let frame = r.frame();
    let found = hotspots::hotspots(&frame, &HotspotParams::weekly(week, Level::Building));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].place, 50);
    assert_eq!(found[0].count, 10);
    assert_eq!(found[0].baseline, 1.0);
    assert!(found[0].p_value < 1e-4);
    assert_eq!(found[0].events.len(), 10);
}

#[test]
fn a_cluster_needs_enough_different_persons_from_more_than_one_system() {
    let mut r = Rows::default();
    for p in 0..4 {
        let source = if p % 2 == 0 { "hotline" } else { "petition" };
        r.event(source, t(3 + p as u32, 10), WAGES_HOTLINE);
        r.site(77);
        r.person(100 + p);
    }
    // Three persons at another site, and four through one system only.
    for p in 0..3 {
        r.event("hotline", t(3, 10), WAGES_ALARM);
        r.site(78);
        r.person(200 + p);
        r.event("petition", t(4, 10), WAGES_ALARM);
        r.site(78);
        r.person(200 + p);
    }
    for p in 0..4 {
        r.event("hotline", t(3, 10), WAGES_HOTLINE);
        r.site(79);
        r.person(300 + p);
    }
    let frame = r.frame();
    let found = collective::clusters(&frame, &CollectiveParams::new(t(1, 0), t(15, 0)));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].place, 77);
    assert_eq!(found[0].persons, vec![100, 101, 102, 103]);
    assert_eq!(found[0].level, Level::Site);
}

#[test]
fn collective_petitions_have_five_or_more_petitioners() {
    let mut r = Rows::default();
    r.event("petition", t(2, 9), WAGES_HOTLINE).petitioners = Some(5);
    r.event("petition", t(2, 9), WAGES_HOTLINE).petitioners = Some(4);
    r.event("petition", t(3, 9), WAGES_HOTLINE).petitioners = Some(30);
    let frame = r.frame();
    let found = collective::collective_petitions(&frame, &CollectiveParams::new(t(1, 0), t(5, 0)));
    assert_eq!(found, vec![(3, 30), (1, 5)]);
}

#[test]
fn indicators_count_rates_overdue_and_reopened_as_defined() {
    let mut r = Rows::default();
    let as_of = t(11, 0);
    // Resolved on time, satisfied.
    let e = r.event("hotline", t(1, 8), WAGES_HOTLINE);
    e.status = "closed".into();
    e.deadline = Some(t(6, 0));
    e.closed_at = Some(t(2, 8));
    e.satisfaction = Some("satisfied".into());
    // Resolved late, dissatisfied, re-opened once.
    let e = r.event("hotline", t(1, 9), WAGES_HOTLINE);
    e.status = "resolved".into();
    e.deadline = Some(t(3, 0));
    e.closed_at = Some(t(5, 9));
    e.satisfaction = Some("dissatisfied".into());
    // Never taken up; overdue.
    let e = r.event("hotline", t(2, 9), WAGES_HOTLINE);
    e.status = "received".into();
    e.deadline = Some(t(4, 0));
    // Closed after as_of: open and overdue at as_of.
    let e = r.event("hotline", t(2, 10), WAGES_HOTLINE);
    e.status = "closed".into();
    e.deadline = Some(t(5, 0));
    e.closed_at = Some(t(20, 0));
    // Due within two days of as_of.
    let e = r.event("hotline", t(9, 10), WAGES_HOTLINE);
    e.status = "assigned".into();
    e.deadline = Some(t(12, 0));
    r.0.versions = vec![
        (2, 1, "in_progress".into()),
        (2, 2, "resolved".into()),
        (2, 3, "in_progress".into()),
        (2, 4, "resolved".into()),
    ];
    let frame = r.frame();
    let rows = indicators::indicators(
        &frame,
        &IndicatorParams {
            from: t(1, 0),
            to: as_of,
            as_of,
            soon: Duration::hours(48),
            by: GroupBy::All,
            sources: Vec::new(),
        },
    );
    assert_eq!(rows.len(), 1);
    let i = &rows[0];
    assert_eq!(i.received, 5);
    assert_eq!(i.responded, 4);
    // The fourth was closed only after as_of.
    assert_eq!(i.finished, 2);
    assert_eq!(i.solved, 2);
    assert_eq!(i.rated, 2);
    assert_eq!(i.satisfied, 1);
    // Due: the first two (finished), the third (deadline passed), the fourth
    // (finished, late); on time: the first only.
    assert_eq!((i.on_time, i.due), (1, 4));
    assert_eq!(i.reopened, 1);
    assert_eq!(i.overdue, 2);
    assert_eq!(i.soon_due, 1);
    assert_eq!(i.mean_handling_hours(), Some((24.0 + 96.0) / 2.0));
    let overdue = indicators::overdue(&frame, as_of);
    assert_eq!(
        overdue.iter().map(|o| o.event).collect::<Vec<_>>(),
        vec![3, 4]
    );
}

#[test]
fn repeat_contacts_and_flagged_petitioners() {
    let mut r = Rows::default();
    for d in 0..4 {
        r.event("hotline", t(1 + d, 9), "城乡建设>物业管理");
        r.person(11);
    }
    r.event("petition", t(3, 9), "涉法涉诉").detail =
        r#"{"repeat":"是","skipped_level":"否"}"#.into();
    r.person(12);
    r.event("petition", t(4, 9), "涉法涉诉").detail =
        r#"{"repeat":"否","skipped_level":"是"}"#.into();
    r.person(13);
    let frame = r.frame();
    let ask = |kind, min_events| {
        repeat::repeat_contacts(
            &frame,
            &RepeatParams {
                from: t(1, 0),
                to: t(30, 0),
                min_events,
                kind,
            },
        )
        .into_iter()
        .map(|c| c.person)
        .collect::<Vec<_>>()
    };
    assert_eq!(ask(RepeatKind::Any, 4), vec![11]);
    assert_eq!(ask(RepeatKind::Any, 5), Vec::<i64>::new());
    assert_eq!(ask(RepeatKind::RepeatPetition, 2), vec![12]);
    assert_eq!(ask(RepeatKind::SkippedLevel, 2), vec![13]);
}

#[test]
fn chains_merged_through_co_petitioners_keep_their_steps_in_system_order() {
    let mut r = Rows::default();
    r.event("alarm", t(1, 9), FAMILY);
    r.person(21);
    r.event("hotline", t(2, 9), FAMILY);
    r.person(20);
    r.event("petition", t(10, 9), FAMILY);
    r.person(20).person(21);
    let frame = r.frame();
    let found = chains(&frame);
    assert_eq!(found.len(), 1, "{found:?}");
    let c = &found[0];
    assert_eq!(c.persons, vec![20, 21]);
    let stages: Vec<_> = c.sources.iter().map(|s| *s as u8).collect();
    assert!(stages.windows(2).all(|w| w[0] < w[1]), "{c:?}");
    assert_eq!(c.steps.last(), Some(&3));
    assert_eq!(c.events.len(), 3, "the other step is a related event");
}

#[test]
fn weeks_before_the_data_began_are_no_baseline() {
    // Data from 22 November: a busy building is as busy in its second week
    // as in its first, which alone makes the baseline.
    let mut r = Rows::default();
    for i in 0..16 {
        let day = if i < 8 { 22 + i % 7 } else { 29 + i % 7 };
        r.event("hotline", t(day, 2), "城乡建设>物业管理");
        r.building(70);
    }
    let frame = r.frame();
    let week = DaySpan::new(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), 7);
    let p = HotspotParams::weekly(week, Level::Building);
    assert_eq!(hotspots::covered_spans(&frame, &p), 1);
    assert!(hotspots::hotspots(&frame, &p).is_empty());
    // Only the first week of data: nothing to compare with.
    let first = HotspotParams::weekly(week.previous(), Level::Building);
    assert_eq!(hotspots::covered_spans(&frame, &first), 0);
    assert!(hotspots::hotspots(&frame, &first).is_empty());
}
