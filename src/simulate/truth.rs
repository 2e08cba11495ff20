//! The ground truth: which person and which place every mention is, and
//! which records make up the planted situations (`situation_truth.rs`).

use std::collections::HashSet;
use std::path::Path;

use super::alarm::AlarmFault;
use super::city::SimCity;
use super::files::write_atomically;
use super::hotline::OrderFault;
use super::petition::PetitionFault;
use super::places::{Level, PlaceRef};

/// Mentions: `kind,source,record_id,mention,entity`.
pub const TRUTH_FILE: &str = "truth.csv";
/// Address entities and their parents:
/// `entity,level,room,building,site,community,street,district`.
pub const TRUTH_ADDRESSES_FILE: &str = "truth_addresses.csv";
/// Every person as registered:
/// `entity,name,sex,birth,id_number,mobile,household,household_phone,home`.
pub const TRUTH_PERSONS_FILE: &str = "truth_persons.csv";

pub(super) fn person_id(p: u32) -> String {
    format!("P{p:06}")
}

impl SimCity {
    /// Writes the ground truth into `dir`:
    ///
    /// * `truth.csv`, header `kind,source,record_id,mention,entity`: one line
    ///   per person mention (kind `person`, mention = 0 for hotline and
    ///   alarm, the position in xfr for petitions, entity `P000123`) and per
    ///   address (kind `address`, mention = `sqdz`, `afdd`, `zz` or `wtsd`,
    ///   entity = the finest place the text names: `R000123-2-501` room,
    ///   `B000123` building or village house, `S00012` site, `C0003`
    ///   community, `J001` street office, `D02` district, `X0042` road
    ///   crossing, `L05` road). It covers every generated record, whatever
    ///   its release step. Left out: rows without a usable record id
    ///   (hotline items without gdbh, alarms with a null jjdbh, petition
    ///   rows with a wrong column count) and person mentions that show
    ///   nothing at all (no name or 匿名, no phone, no ID).
    /// * `truth_addresses.csv`, header
    ///   `entity,level,room,building,site,community,street,district`: every
    ///   address entity of truth.csv and all their parents, with the id of
    ///   each level (its own included; empty where it has none: a crossing
    ///   has no site, a road only a district).
    /// * `truth_persons.csv`: every person with canonical name, sex, birth
    ///   date, ID number, own mobile, household id and phone, and home.
    /// * `truth_situations.csv`, header `kind,case,source,record_id`: one
    ///   line per member record of every planted case (see `events.rs`).
    ///   `kind` is `escalation` (a family chain's hotline order, alarm and
    ///   petition), `repeat_caller` (one caller's orders), `collective_petition`
    ///   (a planted one, or any other petition with 信访人数 ≥ 5: one record
    ///   each), `hotspot` (the extra events of a building's spike week) or
    ///   `collective_cluster` (every member's record); `case` labels the case
    ///   within the city, by kind: `E0001`, `R0001`, `C0001`, `H0001`,
    ///   `G0001`, numbered in plan order; `source` is `hotline`, `alarm` or
    ///   `petition` and `record_id` its gdbh, jjdbh or xfjbh. Records without
    ///   a usable id are left out as in truth.csv; the rest of each case
    ///   stays.
    /// * `truth_situation_places.csv`, header `kind,case,place,week`: for
    ///   every hotspot its building (`B000123`, an entity of
    ///   truth_addresses.csv) and the Monday of its week (`2026-11-16`); for
    ///   every collective cluster the site it is about (`S00012`: a
    ///   construction site or the members' compound), week empty.
    ///
    /// [`read_situation_truth`](super::read_situation_truth) reads the last
    /// two back.
    pub fn write_truth(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut places: HashSet<PlaceRef> = HashSet::new();
        write_atomically(&dir.join(TRUTH_FILE), |f| {
            let mut w = csv::Writer::from_writer(f);
            w.write_record(["kind", "source", "record_id", "mention", "entity"])?;
            for i in 0..self.orders.len() {
                let o = &self.orders[i];
                if o.fault == OrderFault::MissingId {
                    continue;
                }
                let id = self.gdbh(i);
                if !self.hotline_person(i).is_blank() {
                    w.write_record(["person", "hotline", &id, "0", &person_id(o.person)])?;
                }
                w.write_record([
                    "address",
                    "hotline",
                    &id,
                    "sqdz",
                    &self.places.entity_id(o.place),
                ])?;
                places.insert(o.place);
            }
            for i in 0..self.alarms.len() {
                let a = &self.alarms[i];
                if a.fault == AlarmFault::NullId {
                    continue;
                }
                let id = self.jjdbh(i);
                if !self.alarm_person(i).is_blank() {
                    w.write_record(["person", "alarm", &id, "0", &person_id(a.person)])?;
                }
                w.write_record([
                    "address",
                    "alarm",
                    &id,
                    "afdd",
                    &self.places.entity_id(a.place),
                ])?;
                places.insert(a.place);
            }
            for i in 0..self.petitions.len() {
                let p = &self.petitions[i];
                if p.fault == PetitionFault::WrongColumns {
                    continue;
                }
                let id = self.xfjbh(i);
                let texts = self.petition_people(i);
                for (k, (person, text)) in self.listed_persons(p).iter().zip(&texts).enumerate() {
                    if !text.is_blank() {
                        w.write_record([
                            "person",
                            "petition",
                            &id,
                            &k.to_string(),
                            &person_id(*person),
                        ])?;
                    }
                }
                w.write_record([
                    "address",
                    "petition",
                    &id,
                    "zz",
                    &self.places.entity_id(p.zz),
                ])?;
                w.write_record([
                    "address",
                    "petition",
                    &id,
                    "wtsd",
                    &self.places.entity_id(p.wtsd),
                ])?;
                places.insert(p.zz);
                places.insert(p.wtsd);
            }
            w.flush()
        })?;
        self.write_truth_addresses(&dir.join(TRUTH_ADDRESSES_FILE), places)?;
        self.write_truth_persons(&dir.join(TRUTH_PERSONS_FILE))?;
        self.write_situation_truth(dir)
    }

    fn write_truth_addresses(&self, path: &Path, used: HashSet<PlaceRef>) -> std::io::Result<()> {
        let mut all: HashSet<PlaceRef> = HashSet::new();
        for p in used {
            all.insert(p);
            let a = self.places.ancestry(p);
            for (level, idx) in [
                (Level::Building, a.building),
                (Level::Site, a.site),
                (Level::Community, a.community),
                (Level::Street, a.street.map(u32::from)),
                (Level::District, a.district.map(u32::from)),
            ] {
                if let Some(i) = idx {
                    all.insert(PlaceRef::new(level, i));
                }
            }
        }
        let mut rows: Vec<(String, PlaceRef)> = all
            .into_iter()
            .map(|p| (self.places.entity_id(p), p))
            .collect();
        rows.sort();
        write_atomically(path, |f| {
            let mut w = csv::Writer::from_writer(f);
            w.write_record([
                "entity",
                "level",
                "room",
                "building",
                "site",
                "community",
                "street",
                "district",
            ])?;
            for (id, p) in rows {
                let a = self.places.ancestry(p);
                let opt = |level: Level, i: Option<u32>| {
                    i.map(|i| self.places.entity_id(PlaceRef::new(level, i)))
                        .unwrap_or_default()
                };
                w.write_record([
                    id.as_str(),
                    p.level().name(),
                    &a.room.map(|r| self.places.entity_id(r)).unwrap_or_default(),
                    &opt(Level::Building, a.building),
                    &opt(Level::Site, a.site),
                    &opt(Level::Community, a.community),
                    &opt(Level::Street, a.street.map(u32::from)),
                    &opt(Level::District, a.district.map(u32::from)),
                ])?;
            }
            w.flush()
        })
    }

    fn write_truth_persons(&self, path: &Path) -> std::io::Result<()> {
        write_atomically(path, |f| {
            let mut w = csv::Writer::from_writer(f);
            w.write_record([
                "entity",
                "name",
                "sex",
                "birth",
                "id_number",
                "mobile",
                "household",
                "household_phone",
                "home",
            ])?;
            for (i, p) in self.pop.persons.iter().enumerate() {
                let hh = &self.pop.households[p.household as usize];
                w.write_record([
                    person_id(i as u32).as_str(),
                    &p.name.full(),
                    if p.male { "男" } else { "女" },
                    &p.birth.format("%Y-%m-%d").to_string(),
                    &p.id18(),
                    &if p.mobile.0 == 0 {
                        String::new()
                    } else {
                        p.mobile.canonical()
                    },
                    &format!("H{:06}", p.household),
                    &hh.phone.canonical(),
                    &self.places.entity_id(hh.home),
                ])?;
            }
            w.flush()
        })
    }
}
