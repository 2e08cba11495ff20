//! Rendering alarms for the cursor feed.

use rand::Rng;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;

use super::address_text::{self, AddrStyle};
use super::alarm::{AlarmFault, NO_TIME};
use super::catalog::{self, OUTCOMES};
use super::city::SimCity;
use super::cursor;
use super::dialect::ALARM_FIELDS;
use super::person_text::{self, Channel};
use super::places::Level;
use super::seeds::{Stream, record_rng};
use super::short_place::short_place;
use super::spec::Dialect;
use super::timeline::DAY;

/// Share of alarms that carry coordinates.
pub(super) const COORDS_RATE: f64 = 0.7;

/// Why an alarm batch cannot be answered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CursorError {
    #[error("cursor {0:?} was not issued by this feed; start again without a cursor")]
    Invalid(String),
}

pub(super) enum TimeValue {
    Millis(i64),
    Text(String),
    Null,
}

impl Serialize for TimeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TimeValue::Millis(v) => s.serialize_i64(*v),
            TimeValue::Text(t) => s.serialize_str(t),
            TimeValue::Null => s.serialize_none(),
        }
    }
}

pub(super) struct AlarmRow {
    pub(super) jjdbh: Option<String>,
    pub(super) bjsj: TimeValue,
    pub(super) bjrxm: String,
    pub(super) bjdh: String,
    pub(super) bjrzjhm: String,
    pub(super) afdd: String,
    pub(super) jd: Option<f64>,
    pub(super) wd: Option<f64>,
    pub(super) dm: &'static str,
    pub(super) mc: &'static str,
    pub(super) jqxl: &'static str,
    pub(super) jyaq: String,
    pub(super) cjdw: String,
    pub(super) cjjg: Option<&'static str>,
    pub(super) cjsj: TimeValue,
}

const TEXT_TIMES: &[&str] = &["昨天", "今天上午", "刚才", "前天晚上", "不详"];

impl SimCity {
    pub(super) fn jjdbh(&self, idx: usize) -> String {
        let a = &self.alarms[idx];
        format!("J410611{}{:05}", self.tl.compact_day(a.t / DAY), a.seq)
    }

    pub(super) fn alarm_person(&self, idx: usize) -> person_text::PersonText {
        let mut rng = record_rng(self.spec.seed, Stream::AlarmPerson, idx as u64);
        person_text::render(&self.pop, self.alarms[idx].person, Channel::Alarm, &mut rng)
    }

    pub(super) fn alarm_row(&self, idx: usize, version: usize) -> AlarmRow {
        let a = &self.alarms[idx];
        let v = a.versions()[version];
        let cat = &catalog::ALARM[a.cat as usize];
        let second = self.spec.dialect == Dialect::SecondCity;
        let time = |t: u32, ms: u16| {
            if second {
                TimeValue::Text(self.tl.fmt_rfc3339(t))
            } else {
                TimeValue::Millis(self.tl.epoch_ms(t, ms))
            }
        };
        let mut arng = record_rng(self.spec.seed, Stream::AlarmAddress, idx as u64);
        let afdd = address_text::render(&self.places, a.place, AddrStyle::Police, &mut arng);
        let (jd, wd) = match self.places.coords(a.place) {
            Some((lon, lat)) if arng.random_bool(COORDS_RATE) => {
                // A caller's position is not the door: up to ~60 m off.
                let lon = lon + arng.random_range(-0.0006..0.0006);
                let lat = lat + arng.random_range(-0.0005..0.0005);
                (
                    Some((lon * 1e6).round() / 1e6),
                    Some((lat * 1e6).round() / 1e6),
                )
            }
            _ => (None, None),
        };
        let mut rng = record_rng(self.spec.seed, Stream::AlarmText, idx as u64);
        let template = cat.texts[rng.random_range(0..cat.texts.len())];
        let jyaq = catalog::fill(
            template,
            &short_place(&self.places, a.place),
            rng.random_range(2..9),
        );
        let bjsj = match a.fault {
            AlarmFault::TextTime => {
                TimeValue::Text(TEXT_TIMES[rng.random_range(0..TEXT_TIMES.len())].to_string())
            }
            _ => time(a.t, a.ms),
        };
        let anc = self.places.ancestry(a.place);
        let cjdw = match anc.street {
            Some(s) if a.place.level() != Level::Road => {
                self.places.streets[s as usize].police_station.clone()
            }
            _ => format!(
                "{}巡特警大队",
                self.places.districts[anc.district.unwrap_or(0) as usize].police
            ),
        };
        let person = self.alarm_person(idx);
        AlarmRow {
            jjdbh: if a.fault == AlarmFault::NullId {
                None
            } else {
                Some(self.jjdbh(idx))
            },
            bjsj,
            bjrxm: person.name,
            bjdh: person.phone,
            bjrzjhm: person.id,
            afdd,
            jd,
            wd,
            dm: cat.dm,
            mc: cat.mc,
            jqxl: cat.xl,
            jyaq,
            cjdw,
            cjjg: if v.outcome == 0 {
                None
            } else {
                Some(OUTCOMES[v.outcome as usize])
            },
            cjsj: if v.cjsj == NO_TIME {
                TimeValue::Null
            } else {
                time(v.cjsj, (a.ms * 7) % 1000)
            },
        }
    }

    /// A batch of the alarm log at `step`, as the HTTP body:
    /// `{"alarms":[...],"next_cursor":"...","has_more":bool}`. `cursor`
    /// None starts at the beginning; `limit` is clamped to 1..=5000. When
    /// nothing is left, the batch is empty and next_cursor resumes at the
    /// same position, so a saved cursor picks up entries released later.
    pub fn alarms_json(
        &self,
        step: u32,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Vec<u8>, CursorError> {
        let pos = match cursor {
            None | Some("") => 0,
            Some(c) => cursor::decode(c).ok_or_else(|| CursorError::Invalid(c.to_string()))?,
        };
        let visible = self.alarm_log.ends[self.clamp_step(step) as usize];
        let limit = limit.clamp(1, 5000);
        let from = pos.min(visible);
        let to = from.saturating_add(limit).min(visible);
        let rendered: Vec<Box<RawValue>>;
        let rows: Vec<&RawValue> = match self.feed_items() {
            Some(ready) => ready.alarm_log[from..to].iter().map(|r| &**r).collect(),
            None => {
                rendered = self.alarm_log.entries[from..to]
                    .iter()
                    .map(|e| self.alarm_item(e.alarm as usize, e.version as usize))
                    .collect();
                rendered.iter().map(|r| &**r).collect()
            }
        };
        // A cursor ahead of what is visible (the step was lowered) stays put.
        let next = if pos > visible { pos } else { to };
        let body = Batch {
            alarms: &rows,
            next_cursor: cursor::encode(next),
            has_more: to < visible,
        };
        Ok(serde_json::to_vec(&body).expect("serialising plain data cannot fail"))
    }
}

impl SimCity {
    /// One version of an alarm as an item of the cursor feed.
    pub(super) fn alarm_item(&self, idx: usize, version: usize) -> Box<RawValue> {
        serde_json::value::to_raw_value(&self.alarm_row(idx, version))
            .expect("serialising plain data cannot fail")
    }
}

#[derive(Serialize)]
struct Batch<'a> {
    alarms: &'a [&'a RawValue],
    next_cursor: String,
    has_more: bool,
}

#[derive(Serialize)]
struct Category {
    dm: &'static str,
    mc: &'static str,
}

impl Serialize for AlarmRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = &ALARM_FIELDS;
        let mut m = s.serialize_map(Some(f.len()))?;
        m.serialize_entry(f[0], &self.jjdbh)?;
        m.serialize_entry(f[1], &self.bjsj)?;
        m.serialize_entry(f[2], &self.bjrxm)?;
        m.serialize_entry(f[3], &self.bjdh)?;
        m.serialize_entry(f[4], &self.bjrzjhm)?;
        m.serialize_entry(f[5], &self.afdd)?;
        m.serialize_entry(f[6], &self.jd)?;
        m.serialize_entry(f[7], &self.wd)?;
        m.serialize_entry(
            f[8],
            &Category {
                dm: self.dm,
                mc: self.mc,
            },
        )?;
        m.serialize_entry(f[9], self.jqxl)?;
        m.serialize_entry(f[10], &self.jyaq)?;
        m.serialize_entry(f[11], &self.cjdw)?;
        m.serialize_entry(f[12], &self.cjjg)?;
        m.serialize_entry(f[13], &self.cjsj)?;
        m.end()
    }
}
