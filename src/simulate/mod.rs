//! A seeded synthetic county (鹤壁市淇滨区 and its neighbours 山城区 and
//! 鹤山区) whose residents call the 12345 hotline, call 110 and petition,
//! rendered in exactly the shapes of the three source feeds (feeds.md), with
//! the ground truth of who and where every mention is and of the situations
//! planted for the analysis to find (escalations, repeat callers, collective
//! petitions, hotspots, collective clusters: `events.rs`). Used by the demo,
//! the tests and the benchmarks: the same [`SimSpec`] always gives the same
//! bytes.
//!
//! ```ignore
//! # async fn demo() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use crate::simulate::{FeedServer, ServeOptions, SimCity, SimSpec};
//! let city = Arc::new(SimCity::generate(&SimSpec::small(7)));
//! let server = FeedServer::start(city.clone(), ServeOptions::new("t0k", "k3y")).await?;
//! // GET {base}/api/v1/workorders?page=1&page_size=500  (Authorization: Bearer t0k)
//! // GET {base}/jcj/alarms?limit=1000                    (X-Api-Key: k3y)
//! server.set_step(1);
//! city.write_petition_files(std::path::Path::new("/tmp/xf"), 1)?;
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Timeline
//! The period (`days` from `start`) is cut into `steps` release steps: step 0
//! is the first 70 % of the period, the later steps share the rest. Every
//! work-order version, alarm log entry and petition file export belongs to the
//! step whose window holds its update time; [`FeedServer::set_step`] exposes
//! everything up to a step. Revisions always land in a later step than the
//! version they revise, so a client that syncs once per step sees each one.
//! `revision_rate` is met exactly when enough records are released before the
//! last step (those released in it cannot be revised).
//!
//! # Reference dialect (feeds.md)
//! * Hotline JSON items: `gdbh ldsj ldrxm lxdh sfzh sqdz sqlx sqfl sqnr cbdw zt
//!   jzsj bjsj myd gxsj`, all strings, times `2026-11-01 08:23:11`, `bjsj` null
//!   while open, `myd` empty while open, `未评价` when closed and not yet
//!   visited. `gdbh` = `GD` + call date `YYYYMMDD` + six-digit daily sequence.
//! * Hotline CSV export: GB18030, CRLF, headers `工单编号,来电时间,来电人,联系电话,
//!   身份证号,诉求地址,诉求类型,诉求分类,诉求内容,承办单位,办理状态,办理时限,办结时间,
//!   满意度,更新时间`.
//! * Alarms: `jjdbh bjsj bjrxm bjdh bjrzjhm afdd jd wd jqlb jqxl jyaq cjdw cjjg
//!   cjsj`; `bjsj`/`cjsj` epoch milliseconds (`cjsj` null while open), `jqlb`
//!   `{"dm":"04","mc":"纠纷"}`, `jd`/`wd` numbers (6 decimals) or null, `cjjg`
//!   null while open. `jjdbh` = `J410611` + date + five-digit daily sequence.
//! * Petition files `xf_YYYYMMDD.csv` (UTF-8 with BOM, LF) or `.xlsx` (sheet
//!   `信访登记`, `xfrs` a number cell, everything else text), columns `xfjbh djrq
//!   xfxs xfrs xfr zz wtsd nrfl xfmd zynr zrdw blzt sfcf sfyj bjqx bjrq`, dates
//!   `2026/11/01`, `xfr` = `name|id|phone` per person joined by `;`.
//!   `xfjbh` = `XF` + date + five-digit daily sequence.
//!
//! # SecondCity dialect
//! Same city, same records, same endpoints, query parameters and envelopes.
//! * Hotline JSON keys (Reference → SecondCity): `gdbh→order_no`,
//!   `ldsj→call_time`, `ldrxm→caller`, `lxdh→phone`, `sfzh→id_no`,
//!   `sqdz→address`, `sqlx→req_type`, `sqfl→category`, `sqnr→content`,
//!   `cbdw→handler`, `zt→state`, `jzsj→due_time`, `bjsj→done_time`,
//!   `myd→rating`, `gxsj→update_time`. `call_time`, `due_time`, `done_time`:
//!   `2026/11/01 08:23` (no seconds); `update_time`: `2026/11/01 08:23:11`
//!   (seconds kept: it is the incremental cursor). Values (statuses, ratings,
//!   category paths with `>`) are unchanged.
//! * Hotline CSV export: UTF-8 without BOM, LF, headers `单号,受理时间,诉求人,
//!   联系方式,证件号码,事发地址,诉求类别,业务分类,诉求描述,责任单位,工单状态,处理期限,
//!   完成时间,评价结果,最后更新时间` (same order and formats as the JSON keys above).
//! * Alarms: same field names; `bjsj` and `cjsj` are strings
//!   `2026-11-01T08:23:11+08:00` (`cjsj` null while open).
//! * Petition files: same names, encodings and order of columns, headers
//!   `信访编号,登记日期,信访方式,人数,信访人信息,住址,问题属地,问题分类,诉求目的,信访内容,
//!   责任单位,办理状态,是否重复,是否越级,办结期限,办结日期` (= `xfjbh … bjrq`), dates
//!   `2026-11-01`.
//!
//! The constants in [`dialect`] hold these names for config generators.
//!
//! # Noise
//! People: see the table in `person_text.rs` (names: homophones 8 %,
//! traditional ~5 %, stray spaces ~5 %, 先生/女士 12–20 % on hotline and
//! 110, 匿名 2–5 %, empty 2–8 %; phones in five mobile and three landline
//! forms; IDs empty, full, masked, 15-digit, lowercase x, wrong check).
//! Households share a home and often one phone (25 % landline, 60 % when
//! the head is 65+); ~15 % of adults (and all children under 14) have no
//! phone of their own and give the household's.
//! Addresses (`address_text.rs`): prefix `河南省鹤壁市淇滨区` 18 %,
//! `鹤壁市淇滨区` 25 %, `淇滨区` 25 %, `鹤壁淇滨` 5 %, none 27 %; street office
//! named 25 % (urban) / 75 % (villages); community 25 % (always for
//! villages); compound by name 45 %, by door number 35 %, both 20 %; yards
//! `华夏南路108号院`; building `3号楼` 45 %, `三号楼` 10 %, `3栋` 20 %, `3幢` 12 %,
//! `3#楼` 5 %, `三楼` 8 %; room `2单元501` 35 %, `2-501` 20 %, `2单元5楼501室`
//! 12 %, `2单元501室` 23 %, `二单元501` 5 %, `2单元501号` 5 %; full-width 8 %;
//! stray spaces 6 %. 110 places: gates, `楼下`, crossings (`九州路与华夏南路交叉口东50米`),
//! road sections; coordinates for 70 % of alarms (within ~60 m).
//! Malformed rows (`malformed_rate` of each source, never revised): hotline
//! items without `gdbh`, with `ldsj` impossible (`2026-13-45 25:61:00`) or
//! empty; alarms with `bjsj` a word (`昨天`) or `jjdbh` null; petition rows
//! with a column missing or extra, or `djrq` impossible (`2026/02/30`).
//! In the hotline CSV export another `malformed_rate / 2` of the well-formed
//! orders carry undecodable bytes in the content field.

mod address_text;
mod alarm;
mod alarm_feed;
mod cases;
mod catalog;
mod city;
mod cursor;
pub mod dialect;
mod events;
mod expected;
mod faults;
mod feed_items;
mod files;
mod gazetteer;
mod gb18030;
mod hotline;
mod hotline_feed;
mod idcard;
mod names;
mod person_text;
mod petition;
mod petition_files;
mod phone;
mod places;
mod population;
mod revisions;
mod seeds;
mod server;
mod short_place;
mod situation_truth;
mod spec;
mod text_noise;
mod timeline;
mod truth;

#[cfg(test)]
mod tests;

pub use alarm_feed::CursorError;
pub use city::SimCity;
pub use expected::{Expected, SourceCounts};
pub use faults::Faults;
pub use gazetteer::GAZETTEER_FILE;
pub use hotline_feed::PageError;
pub use idcard::{check_char, is_valid_18};
pub use server::{FeedServer, ServeOptions};
pub use situation_truth::{
    COLLECTIVE_XFRS, SituationCase, TRUTH_SITUATION_PLACES_FILE, TRUTH_SITUATIONS_FILE,
    read_situation_truth,
};
pub use spec::{Dialect, SimSpec};
pub use truth::{TRUTH_ADDRESSES_FILE, TRUTH_FILE, TRUTH_PERSONS_FILE};
