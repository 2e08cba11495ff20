//! Rendering the daily petition files (CSV with BOM, or XLSX for about one
//! day in four) and dropping them into a folder.

use chrono::Datelike;
use rand::Rng;
use std::io::Write;
use std::path::Path;

use super::address_text::{self, AddrStyle};
use super::catalog::{self, CHANNELS, PETITION_STATUS, PURPOSES};
use super::city::SimCity;
use super::dialect;
use super::files::write_atomically;
use super::person_text::{self, Channel, PersonText};
use super::petition::{NO_DAY, PetitionFault, PetitionVersion, file_step};
use super::seeds::{Stream, record_rng};
use super::short_place::short_place;
use super::spec::Dialect;

/// Share of days whose file is an XLSX workbook.
pub(super) const XLSX_RATE: f64 = 0.25;
/// Days from registration to the legal deadline.
const DEADLINE_DAYS: u32 = 60;
const BAD_DATES: &[&str] = &["{y}/02/30", "{y}/13/01", "{y}/11/31", "{y}/00/15"];

impl SimCity {
    pub(super) fn xfjbh(&self, idx: usize) -> String {
        let p = &self.petitions[idx];
        format!("XF{}{:05}", self.tl.compact_day(p.day as u32), p.seq)
    }

    /// The listed petitioners as written, in xfr order.
    pub(super) fn petition_people(&self, idx: usize) -> Vec<PersonText> {
        let mut rng = record_rng(self.spec.seed, Stream::PetitionPerson, idx as u64);
        self.listed_persons(&self.petitions[idx])
            .iter()
            .map(|p| person_text::render(&self.pop, *p, Channel::Petition, &mut rng))
            .collect()
    }

    /// (zz, wtsd) as written.
    pub(super) fn petition_addresses(&self, idx: usize) -> (String, String) {
        let p = &self.petitions[idx];
        let mut rng = record_rng(self.spec.seed, Stream::PetitionAddress, idx as u64);
        let zz = address_text::render(&self.places, p.zz, AddrStyle::Formal, &mut rng);
        let wtsd = address_text::render(&self.places, p.wtsd, AddrStyle::Formal, &mut rng);
        (zz, wtsd)
    }

    fn petition_row(&self, idx: usize, v: &PetitionVersion) -> Vec<String> {
        let p = &self.petitions[idx];
        let cat = &catalog::PETITION[p.cat as usize];
        let sep = if self.spec.dialect == Dialect::SecondCity {
            '-'
        } else {
            '/'
        };
        let day = p.day as u32;
        let mut rng = record_rng(self.spec.seed, Stream::PetitionText, idx as u64);
        let djrq = if p.fault == PetitionFault::BadDate {
            let y = self.tl.date_of_day(day).year().to_string();
            BAD_DATES[rng.random_range(0..BAD_DATES.len())]
                .replace("{y}", &y)
                .replace('/', &sep.to_string())
        } else {
            self.tl.fmt_day(day, sep)
        };
        let xfr = self
            .petition_people(idx)
            .iter()
            .map(|t| format!("{}|{}|{}", t.name, t.id, t.phone))
            .collect::<Vec<_>>()
            .join(";");
        let (zz, wtsd) = self.petition_addresses(idx);
        let zynr = catalog::fill(
            cat.texts[rng.random_range(0..cat.texts.len())],
            &short_place(&self.places, p.wtsd),
            rng.random_range(2..10),
        );
        let zrdw = match cat.unit {
            Some(u) => u.to_string(),
            None => {
                let a = self.places.ancestry(p.wtsd);
                match a.street {
                    Some(s) => self.places.streets[s as usize].office.clone(),
                    None => format!(
                        "{}人民政府",
                        self.places.districts[a.district.unwrap_or(0) as usize].name
                    ),
                }
            }
        };
        let yes_no = |b: bool| if b { "是" } else { "否" }.to_string();
        let mut row = vec![
            self.xfjbh(idx),
            djrq,
            CHANNELS[p.channel as usize].0.to_string(),
            p.xfrs.to_string(),
            xfr,
            zz,
            wtsd,
            cat.nrfl.to_string(),
            PURPOSES[cat.purpose as usize].to_string(),
            zynr,
            zrdw,
            PETITION_STATUS[v.status as usize].to_string(),
            yes_no(p.repeat),
            yes_no(p.skip_level),
            self.tl.fmt_day(day + DEADLINE_DAYS, sep),
            if v.closed_day == NO_DAY {
                String::new()
            } else {
                self.tl.fmt_day(v.closed_day as u32, sep)
            },
        ];
        if p.fault == PetitionFault::WrongColumns {
            if rng.random_bool(0.5) {
                row.remove(8);
            } else {
                row.push("备注：材料不全".to_string());
            }
        }
        row
    }

    pub(super) fn petition_file_is_xlsx(&self, day: u32) -> bool {
        record_rng(self.spec.seed, Stream::PetitionFileKind, day as u64).random_bool(XLSX_RATE)
    }

    /// `xf_20261101.csv` or `xf_20261101.xlsx`.
    pub fn petition_file_name(&self, day: u32) -> String {
        let ext = if self.petition_file_is_xlsx(day) {
            "xlsx"
        } else {
            "csv"
        };
        format!("xf_{}.{ext}", self.tl.compact_day(day))
    }

    /// The contents of a day's file as exported at `step` (None when the
    /// file is not released yet).
    pub fn petition_file_bytes(&self, day: u32, step: u32) -> Option<Vec<u8>> {
        let step = self.clamp_step(step);
        if day >= self.tl.days || file_step(&self.tl, day) > step {
            return None;
        }
        let rows: Vec<Vec<String>> = self
            .petitions_of_day(day)
            .filter_map(|i| {
                self.petitions[i]
                    .current(step)
                    .map(|v| self.petition_row(i, v))
            })
            .collect();
        let header = dialect::petition_columns(self.spec.dialect);
        if self.petition_file_is_xlsx(day) {
            Some(self.xlsx_bytes(day, header, &rows))
        } else {
            let mut out = Vec::with_capacity(rows.len() * 400 + 64);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            {
                let mut w = csv::WriterBuilder::new()
                    .flexible(true)
                    .from_writer(&mut out);
                w.write_record(header).expect("writing to memory");
                for r in &rows {
                    w.write_record(r).expect("writing to memory");
                }
                w.flush().expect("writing to memory");
            }
            Some(out)
        }
    }

    fn xlsx_bytes(&self, day: u32, header: &[&str; 16], rows: &[Vec<String>]) -> Vec<u8> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
        let d = self.tl.date_of_day(day);
        let mut wb = Workbook::new();
        // A fixed creation time keeps the bytes stable for a seed.
        if let Ok(created) =
            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
        {
            wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
        }
        let ws = wb.add_worksheet();
        let _ = ws.set_name("信访登记");
        for (c, h) in header.iter().enumerate() {
            let _ = ws.write_string(0, c as u16, *h);
        }
        for (r, row) in rows.iter().enumerate() {
            let well_formed = row.len() == header.len();
            for (c, v) in row.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let (rr, cc) = (r as u32 + 1, c as u16);
                // The count of petitioners is a number cell, as Excel users type it.
                match v.parse::<f64>() {
                    Ok(n) if well_formed && c == 3 => {
                        let _ = ws.write_number(rr, cc, n);
                    }
                    _ => {
                        let _ = ws.write_string(rr, cc, v);
                    }
                }
            }
        }
        wb.save_to_buffer()
            .expect("an in-memory workbook of strings always saves")
    }

    /// Names of the petition files released up to `step`.
    pub fn petition_file_names(&self, step: u32) -> Vec<String> {
        let step = self.clamp_step(step);
        (0..self.tl.days)
            .filter(|d| file_step(&self.tl, *d) <= step)
            .map(|d| self.petition_file_name(d))
            .collect()
    }

    /// Writes the petition files released up to and including `step` into
    /// `dir`: one per day, each as its latest export at that step. A file
    /// whose bytes on disk are already the same is left alone (not
    /// returned), so calling this at successive steps writes the new files
    /// and rewrites the re-exported ones in place. Each write goes to a
    /// hidden `.xf_….tmp` in `dir` first and is then renamed.
    pub fn write_petition_files(&self, dir: &Path, step: u32) -> std::io::Result<Vec<String>> {
        std::fs::create_dir_all(dir)?;
        let mut written = Vec::new();
        for day in 0..self.tl.days {
            let Some(bytes) = self.petition_file_bytes(day, step) else {
                continue;
            };
            let name = self.petition_file_name(day);
            let path = dir.join(&name);
            if std::fs::read(&path).is_ok_and(|old| old == bytes) {
                continue;
            }
            write_atomically(&path, |f| f.write_all(&bytes))?;
            tracing::debug!(file = %name, bytes = bytes.len(), step, "petition file written");
            written.push(name);
        }
        Ok(written)
    }
}
