//! Rendering work orders: JSON items for the paged feed and rows of the CSV
//! export, in either dialect.

use rand::Rng;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;
use std::io::Write;
use std::path::Path;

use super::address_text::{self, AddrStyle};
use super::catalog::{self, ORDER_STATUS, RATINGS};
use super::city::SimCity;
use super::dialect;
use super::files::write_atomically;
use super::gb18030::Gb18030Encoder;
use super::hotline::OrderFault;
use super::person_text::{self, Channel};
use super::places::Level;
use super::seeds::{Stream, record_rng};
use super::short_place::short_place;
use super::spec::Dialect;
use super::timeline::DAY;

/// Why a page request cannot be answered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PageError {
    #[error(
        "updated_after must be an RFC 3339 time with an offset, such as 2026-11-01T00:00:00+08:00; got {0:?}"
    )]
    BadUpdatedAfter(String),
}

/// One work order as the feed shows it: values in the dialect's field
/// order; None is JSON null.
pub(super) struct HotlineRow {
    pub(super) values: [Option<String>; 15],
    /// The gdbh key is left out of the JSON object (and empty in the CSV).
    pub(super) omit_id: bool,
    /// The CSV export writes undecodable bytes into the content field.
    pub(super) broken_content: bool,
}

const BAD_TIMES: &[&str] = &[
    "{y}-13-45 25:61:00",
    "{y}-02-30 08:15:00",
    "{y}-11-31 24:00:00",
    "{y}-00-12 10:10:10",
];

impl SimCity {
    pub(super) fn gdbh(&self, idx: usize) -> String {
        let o = &self.orders[idx];
        format!("GD{}{:06}", self.tl.compact_day(o.call / DAY), o.seq)
    }

    pub(super) fn hotline_person(&self, idx: usize) -> person_text::PersonText {
        let mut rng = record_rng(self.spec.seed, Stream::HotlinePerson, idx as u64);
        person_text::render(
            &self.pop,
            self.orders[idx].person,
            Channel::Hotline,
            &mut rng,
        )
    }

    pub(super) fn hotline_address(&self, idx: usize) -> String {
        let mut rng = record_rng(self.spec.seed, Stream::HotlineAddress, idx as u64);
        address_text::render(
            &self.places,
            self.orders[idx].place,
            AddrStyle::Formal,
            &mut rng,
        )
    }

    pub(super) fn hotline_row(&self, idx: usize, version: usize) -> HotlineRow {
        let o = &self.orders[idx];
        let v = o.versions()[version];
        let cat = &catalog::HOTLINE[o.cat as usize];
        let second = self.spec.dialect == Dialect::SecondCity;
        let fmt = |t: u32| {
            if second {
                self.tl.fmt_slash_min(t)
            } else {
                self.tl.fmt_dash(t)
            }
        };
        let mut rng = record_rng(self.spec.seed, Stream::HotlineText, idx as u64);
        let template = cat.texts[rng.random_range(0..cat.texts.len())];
        let content = catalog::fill(
            template,
            &short_place(&self.places, o.place),
            rng.random_range(2..10),
        );
        let ldsj = match o.fault {
            OrderFault::BadTime => {
                let y = self.tl.local(o.call).format("%Y").to_string();
                let bad = BAD_TIMES[rng.random_range(0..BAD_TIMES.len())].replace("{y}", &y);
                if second { bad.replace('-', "/") } else { bad }
            }
            OrderFault::EmptyTime => String::new(),
            _ => fmt(o.call),
        };
        let unit = match cat.unit {
            Some(u) => u.to_string(),
            None => {
                let a = self.places.ancestry(o.place);
                match a.street {
                    Some(s) if o.place.level() != Level::Road => {
                        self.places.streets[s as usize].office.clone()
                    }
                    _ => format!(
                        "{}人民政府",
                        self.places.districts[a.district.unwrap_or(0) as usize].name
                    ),
                }
            }
        };
        let person = self.hotline_person(idx);
        let gxsj = if second {
            self.tl.fmt_slash_sec(v.gxsj)
        } else {
            self.tl.fmt_dash(v.gxsj)
        };
        HotlineRow {
            values: [
                Some(self.gdbh(idx)),
                Some(ldsj),
                Some(person.name),
                Some(person.phone),
                Some(person.id),
                Some(self.hotline_address(idx)),
                Some(cat.sqlx.to_string()),
                Some(cat.sqfl.to_string()),
                Some(content),
                Some(unit),
                Some(ORDER_STATUS[v.status as usize].to_string()),
                Some(fmt(o.deadline())),
                o.closed_at(version).map(fmt),
                Some(RATINGS[v.rating as usize].to_string()),
                Some(gxsj),
            ],
            omit_id: o.fault == OrderFault::MissingId,
            broken_content: o.csv_broken,
        }
    }

    /// One page of the work-order feed at `step`, as the HTTP body:
    /// `{"code":0,"msg":"ok","data":{"total":T,"page":N,"page_size":M,"items":[...]}}`.
    /// Items are the current versions of orders whose update time is strictly
    /// after `updated_after`, ordered by (update time, gdbh); pages count
    /// from 1; page_size is clamped to 1..=1000.
    pub fn workorders_json(
        &self,
        step: u32,
        updated_after: Option<&str>,
        page: usize,
        page_size: usize,
    ) -> Result<Vec<u8>, PageError> {
        let after = match updated_after {
            None => i64::MIN,
            Some(s) => self
                .tl
                .parse_instant(s)
                .ok_or_else(|| PageError::BadUpdatedAfter(s.to_string()))?,
        };
        let step = self.clamp_step(step);
        let index = self.order_index(step);
        // Update times have whole seconds, so "strictly after t" is "after floor(t)".
        let first = index.partition_point(|k| ((k >> 32) as i64) <= after);
        let total = index.len() - first;
        let page = page.max(1);
        let page_size = page_size.clamp(1, 1000);
        let from = first
            .saturating_add((page - 1).saturating_mul(page_size))
            .min(index.len());
        let to = from.saturating_add(page_size).min(index.len());
        let names = dialect::hotline_fields(self.spec.dialect);
        let versions = index[from..to].iter().map(|k| {
            let i = (*k & 0xFFFF_FFFF) as usize;
            let (v, _) = self.orders[i]
                .current(step)
                .expect("indexed orders are released");
            (i, v)
        });
        let rendered: Vec<Box<RawValue>>;
        let items: Vec<&RawValue> = match self.feed_items() {
            Some(ready) => versions.map(|(i, v)| &*ready.orders[i][v]).collect(),
            None => {
                rendered = versions
                    .map(|(i, v)| self.order_item(i, v, names))
                    .collect();
                rendered.iter().map(|r| &**r).collect()
            }
        };
        let body = Envelope {
            code: 0,
            msg: "ok",
            data: PageData {
                total,
                page,
                page_size,
                items,
            },
        };
        Ok(serde_json::to_vec(&body).expect("serialising plain data cannot fail"))
    }

    /// One version of a work order as an item of the paged feed.
    pub(super) fn order_item(
        &self,
        idx: usize,
        version: usize,
        names: &'static [&'static str; 15],
    ) -> Box<RawValue> {
        let row = self.hotline_row(idx, version);
        serde_json::value::to_raw_value(&ItemJson { row: &row, names })
            .expect("serialising plain data cannot fail")
    }

    /// Writes the CSV export of every work order's latest version released
    /// up to `step`, in gdbh order. Reference: GB18030, CRLF line ends;
    /// SecondCity: UTF-8 without BOM, LF line ends. Rows flagged as broken
    /// carry bytes that are invalid in the file's encoding inside the content
    /// field (GB18030: a lone 0x81 before a space; UTF-8: a lone 0xFF); the
    /// CSV structure stays intact.
    pub fn write_hotline_csv(&self, path: &Path, step: u32) -> std::io::Result<()> {
        let step = self.clamp_step(step);
        let gb = self.spec.dialect == Dialect::Reference;
        let terminator = if gb {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        };
        write_atomically(path, |out| {
            // Each row is formatted as UTF-8 CSV, then encoded as a whole: one
            // encoder call per row instead of one per field. A broken content
            // field carries a SOH marker (0x01, never inside a GB18030
            // multi-byte sequence) that becomes the undecodable bytes.
            let mut line: Vec<u8> = Vec::with_capacity(1024);
            let mut encoder = Gb18030Encoder::new();
            let mut encoded: Vec<u8> = Vec::with_capacity(1024);
            let mut put = |line: &mut Vec<u8>, out: &mut dyn Write| -> std::io::Result<()> {
                encoded.clear();
                if gb {
                    encoder.encode_into(std::str::from_utf8(line).unwrap_or(""), &mut encoded);
                } else {
                    encoded.extend_from_slice(line);
                }
                for part in encoded.split_inclusive(|b| *b == MARKER) {
                    match part.split_last() {
                        Some((&MARKER, head)) => {
                            out.write_all(head)?;
                            out.write_all(if gb { &[0x81, 0x20] } else { &[0xFF, 0x20] })?;
                        }
                        _ => out.write_all(part)?,
                    }
                }
                line.clear();
                Ok(())
            };
            {
                let mut w = csv::WriterBuilder::new()
                    .terminator(terminator)
                    .from_writer(&mut line);
                w.write_record(dialect::hotline_csv_headers(self.spec.dialect))?;
                w.flush()?;
            }
            put(&mut line, out)?;
            for i in 0..self.orders.len() {
                let Some((v, _)) = self.orders[i].current(step) else {
                    continue;
                };
                let mut row = self.hotline_row(i, v);
                if row.omit_id {
                    row.values[0] = None;
                }
                if let Some(content) = row.values[8].as_mut().filter(|_| row.broken_content) {
                    let cut = content
                        .char_indices()
                        .nth(content.chars().count() / 2)
                        .map(|(b, _)| b)
                        .unwrap_or(0);
                    content.insert(cut, MARKER as char);
                }
                {
                    let mut w = csv::WriterBuilder::new()
                        .terminator(terminator)
                        .from_writer(&mut line);
                    w.write_record(row.values.iter().map(|v| v.as_deref().unwrap_or("")))?;
                    w.flush()?;
                }
                put(&mut line, out)?;
            }
            Ok(())
        })
    }
}

/// Stands for the undecodable bytes until the row is encoded.
const MARKER: u8 = 0x01;

#[derive(Serialize)]
struct Envelope<'a> {
    code: i32,
    msg: &'a str,
    data: PageData<'a>,
}

#[derive(Serialize)]
struct PageData<'a> {
    total: usize,
    page: usize,
    page_size: usize,
    items: Vec<&'a RawValue>,
}

struct ItemJson<'a> {
    row: &'a HotlineRow,
    names: &'static [&'static str; 15],
}

impl Serialize for ItemJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (i, (name, value)) in self.names.iter().zip(&self.row.values).enumerate() {
            if i == 0 && self.row.omit_id {
                continue;
            }
            m.serialize_entry(name, value)?;
        }
        m.end()
    }
}
