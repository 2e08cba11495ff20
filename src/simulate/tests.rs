//! Tests of the simulator as its users see it: determinism, the feeds'
//! paging and cursor semantics, the files, the truth and the noise.

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::*;

fn city() -> &'static SimCity {
    static CITY: OnceLock<SimCity> = OnceLock::new();
    CITY.get_or_init(|| SimCity::generate(&SimSpec::small(42)))
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

/// All items of the work-order feed at a step after `after`, page by page.
fn all_orders(c: &SimCity, step: u32, after: Option<&str>, page_size: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut page = 1;
    loop {
        let v = json(&c.workorders_json(step, after, page, page_size).unwrap());
        assert_eq!(v["code"], 0);
        let batch = v["data"]["items"].as_array().unwrap().clone();
        if batch.is_empty() {
            assert_eq!(v["data"]["total"].as_u64().unwrap() as usize, items.len());
            return items;
        }
        items.extend(batch);
        page += 1;
    }
}

fn all_alarms(
    c: &SimCity,
    step: u32,
    cursor: Option<String>,
    limit: usize,
) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut cursor = cursor;
    loop {
        let v = json(&c.alarms_json(step, cursor.as_deref(), limit).unwrap());
        items.extend(v["alarms"].as_array().unwrap().iter().cloned());
        cursor = Some(v["next_cursor"].as_str().unwrap().to_string());
        if !v["has_more"].as_bool().unwrap() {
            return (items, cursor.unwrap());
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = SimCity::generate(&SimSpec::small(42));
    let b = city();
    let other = SimCity::generate(&SimSpec::small(43));
    let (da, db, dother) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    a.write_truth(da.path()).unwrap();
    b.write_truth(db.path()).unwrap();
    other.write_truth(dother.path()).unwrap();
    for f in [
        TRUTH_FILE,
        TRUTH_ADDRESSES_FILE,
        TRUTH_PERSONS_FILE,
        TRUTH_SITUATIONS_FILE,
        TRUTH_SITUATION_PLACES_FILE,
    ] {
        let x = std::fs::read(da.path().join(f)).unwrap();
        assert_eq!(
            x,
            std::fs::read(db.path().join(f)).unwrap(),
            "{f} differs for the same seed"
        );
        assert_ne!(
            x,
            std::fs::read(dother.path().join(f)).unwrap(),
            "{f} equal for another seed"
        );
    }
    for step in 0..4 {
        assert_eq!(
            a.workorders_json(step, None, 1, 1000).unwrap(),
            b.workorders_json(step, None, 1, 1000).unwrap()
        );
        assert_eq!(
            a.alarms_json(step, None, 5000).unwrap(),
            b.alarms_json(step, None, 5000).unwrap()
        );
        for day in 0..30 {
            assert_eq!(
                a.petition_file_bytes(day, step),
                b.petition_file_bytes(day, step)
            );
        }
    }
    assert_ne!(
        a.workorders_json(0, None, 1, 100).unwrap(),
        other.workorders_json(0, None, 1, 100).unwrap()
    );
    a.write_hotline_csv(&da.path().join("h.csv"), 3).unwrap();
    b.write_hotline_csv(&db.path().join("h.csv"), 3).unwrap();
    assert_eq!(
        std::fs::read(da.path().join("h.csv")).unwrap(),
        std::fs::read(db.path().join("h.csv")).unwrap()
    );
}

#[test]
fn sizes_follow_the_spec() {
    let c = city();
    let s = c.spec();
    assert_eq!(
        (c.orders.len(), c.alarms.len(), c.petitions.len()),
        (s.hotline_orders, s.alarms, s.petitions)
    );
    assert_eq!(c.pop.persons.len(), s.persons);
    assert_eq!(s.hotline_orders + s.alarms + s.petitions, 2000);
    let e = c.expected(3);
    assert_eq!(e.hotline.records + e.hotline.malformed, s.hotline_orders);
    assert_eq!(e.alarm.records + e.alarm.malformed, s.alarms);
    assert_eq!(e.petition.records + e.petition.malformed, s.petitions);
    assert_eq!(e.petition_files, 30);
    // Step 0 holds the bulk.
    let e0 = c.expected(0);
    let share = e0.hotline.rows as f64 / e.hotline.rows as f64;
    assert!((0.6..0.8).contains(&share), "step 0 holds {share}");
    // Revisions: about revision_rate of the records.
    let revised =
        c.orders.iter().filter(|o| o.n_versions > 1).count() as f64 / c.orders.len() as f64;
    assert!((0.25..0.35).contains(&revised), "revised share {revised}");
    assert!(e.petition_file_exports > e.petition_files);
}

#[test]
fn generated_ids_have_valid_check_digits() {
    let c = city();
    let mut seen = HashSet::new();
    for p in &c.pop.persons {
        let id = p.id18();
        assert!(is_valid_18(&id), "{id}");
        assert!(["410602", "410603", "410611", "410621", "410622"].contains(&&id[..6]));
        assert_eq!(
            (id.as_bytes()[16] - b'0') % 2 == 1,
            p.male,
            "sex digit of {id}"
        );
        assert!(seen.insert(id), "duplicate ID");
    }
    // In the feeds: full IDs valid, except the deliberate wrong check digits.
    let (mut valid, mut wrong, mut old, mut masked, mut lower) = (0, 0, 0, 0, 0);
    for i in 0..c.orders.len() {
        for id in [c.hotline_person(i).id] {
            match id.len() {
                0 => {}
                15 => old += 1,
                18 if id.contains('*') => masked += 1,
                18 => {
                    if is_valid_18(&id) {
                        valid += 1;
                    } else {
                        wrong += 1;
                    }
                    if id.ends_with('x') {
                        lower += 1;
                    }
                }
                n => panic!("ID of length {n}: {id}"),
            }
        }
    }
    assert!(
        valid > 100 && masked > 50 && wrong > 0 && old > 0,
        "{valid} {masked} {wrong} {old}"
    );
    assert!(
        wrong * 5 < valid,
        "too many wrong check digits: {wrong} of {valid}"
    );
    let _ = lower;
    // 15-digit forms convert back: insert 19, recompute the check.
    let p = &c.pop.persons[0];
    let id15 = p.id15();
    let first17 = format!("{}19{}", &id15[..6], &id15[6..]);
    let id18 = format!("{first17}{}", check_char(first17.as_bytes()) as char);
    assert_eq!(id18, p.id18());
}

#[test]
fn paging_returns_every_released_order_exactly_once() {
    let c = city();
    for step in 0..4 {
        let items = all_orders(c, step, None, 37);
        assert_eq!(items.len(), c.expected(step).hotline.rows);
        let mut ids = HashSet::new();
        let mut missing_id = 0;
        let mut last: Option<(String, String)> = None;
        for it in &items {
            let key = (
                it["gxsj"].as_str().unwrap().to_string(),
                it["gdbh"].as_str().unwrap_or("").to_string(),
            );
            if let Some(prev) = &last {
                assert!(
                    prev.0 < key.0 || (prev.0 == key.0 && (prev.1 < key.1 || key.1.is_empty())),
                    "{prev:?} then {key:?}"
                );
            }
            last = Some(key.clone());
            match it.get("gdbh") {
                Some(g) => assert!(ids.insert(g.as_str().unwrap().to_string()), "duplicate {g}"),
                None => missing_id += 1,
            }
        }
        assert!(
            missing_id > 0 || step == 0,
            "malformed items without gdbh are served"
        );
        // Larger pages give the same sequence.
        assert_eq!(items, all_orders(c, step, None, 1000));
    }
}

#[test]
fn incremental_sync_sees_every_version_once() {
    let c = city();
    let mut cursor: Option<String> = None;
    let mut fetched = 0;
    let mut seen: HashMap<String, String> = HashMap::new();
    for step in 0..4 {
        let items = all_orders(c, step, cursor.as_deref(), 100);
        for it in &items {
            let gx = it["gxsj"].as_str().unwrap().to_string();
            if let Some(prev) = it
                .get("gdbh")
                .and_then(|g| seen.insert(g.as_str().unwrap().to_string(), gx.clone()))
            {
                assert!(prev < gx, "a version came again without a newer gxsj");
            }
        }
        fetched += items.len();
        if let Some(max) = items
            .iter()
            .map(|i| i["gxsj"].as_str().unwrap().to_string())
            .max()
        {
            cursor = Some(format!("{}+08:00", max.replace(' ', "T")));
        }
    }
    let e = c.expected(3);
    assert_eq!(fetched, e.hotline.rows + e.hotline.revisions);
    // updated_after is strict, and accepts other offsets.
    let items = all_orders(c, 3, Some("2026-11-10T12:00:00+08:00"), 500);
    assert!(
        items
            .iter()
            .all(|i| i["gxsj"].as_str().unwrap() > "2026-11-10 12:00:00")
    );
    let utc = all_orders(c, 3, Some("2026-11-10T04:00:00Z"), 500);
    assert_eq!(items, utc);
    assert!(c.workorders_json(0, Some("yesterday"), 1, 10).is_err());
}

#[test]
fn alarm_cursor_resumes_after_set_step() {
    let c = city();
    let (first, cursor) = all_alarms(c, 0, None, 50);
    assert_eq!(first.len(), c.alarm_log.ends[0]);
    // Nothing new at the same step: empty, same cursor.
    let v = json(&c.alarms_json(0, Some(&cursor), 50).unwrap());
    assert_eq!(v["alarms"].as_array().unwrap().len(), 0);
    assert_eq!(v["has_more"], false);
    assert_eq!(v["next_cursor"].as_str().unwrap(), cursor);
    let mut all = first.clone();
    let mut cursor = cursor;
    for step in 1..4 {
        let (more, next) = all_alarms(c, step, Some(cursor), 50);
        assert_eq!(all.len() + more.len(), c.alarm_log.ends[step as usize]);
        all.extend(more);
        cursor = next;
    }
    let (everything, _) = all_alarms(c, 3, None, 5000);
    assert_eq!(all, everything);
    let e = c.expected(3);
    assert_eq!(all.len(), e.alarm.rows);
    let ids: Vec<&str> = all.iter().filter_map(|a| a["jjdbh"].as_str()).collect();
    let distinct: HashSet<&str> = ids.iter().copied().collect();
    let well_formed = all
        .iter()
        .filter(|a| a["jjdbh"].is_string() && a["bjsj"].is_number())
        .count();
    assert_eq!(well_formed, e.alarm.records + e.alarm.revisions);
    assert!(distinct.len() >= e.alarm.records);
    // A revised alarm comes again with its outcome filled.
    let revised = all.iter().find(|a| {
        a["cjjg"].is_string()
            && ids
                .iter()
                .filter(|i| **i == a["jjdbh"].as_str().unwrap_or(""))
                .count()
                > 1
    });
    assert!(revised.is_some());
    assert!(c.alarms_json(0, Some("garbage"), 10).is_err());
}

#[test]
fn petition_reexport_rewrites_a_file() {
    let c = city();
    let dir = tempfile::tempdir().unwrap();
    let first = c.write_petition_files(dir.path(), 0).unwrap();
    assert_eq!(first.len(), c.expected(0).petition_files);
    assert!(
        first
            .iter()
            .all(|n| n.starts_with("xf_2026") && (n.ends_with(".csv") || n.ends_with(".xlsx")))
    );
    assert!(
        c.write_petition_files(dir.path(), 0).unwrap().is_empty(),
        "unchanged files are not rewritten"
    );
    let before: HashMap<String, Vec<u8>> = first
        .iter()
        .map(|n| (n.clone(), std::fs::read(dir.path().join(n)).unwrap()))
        .collect();
    let second = c.write_petition_files(dir.path(), 3).unwrap();
    let rewritten: Vec<&String> = second.iter().filter(|n| before.contains_key(*n)).collect();
    assert!(!rewritten.is_empty(), "some step-0 files are re-exported");
    let csv_name = rewritten
        .iter()
        .find(|n| n.ends_with(".csv"))
        .expect("a re-exported CSV");
    let old = String::from_utf8(before[*csv_name].clone()).unwrap();
    let new = String::from_utf8(std::fs::read(dir.path().join(csv_name)).unwrap()).unwrap();
    assert!(new.starts_with('\u{feff}'));
    assert_ne!(old, new);
    assert_eq!(
        old.lines().count(),
        new.lines().count(),
        "same rows, corrected"
    );
    assert!(new.contains(",办结,"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 30);
}

#[test]
fn petition_files_hold_the_expected_rows() {
    let c = city();
    let e = c.expected(3);
    let (mut rows, mut bad_columns, mut bad_dates) = (0, 0, 0);
    let mut collective = 0;
    for day in 0..30 {
        if c.petition_file_is_xlsx(day) {
            continue;
        }
        let bytes = c.petition_file_bytes(day, 3).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(&bytes[3..]);
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            dialect::PETITION_COLUMNS_REFERENCE
        );
        for rec in r.records() {
            let rec = rec.unwrap();
            rows += 1;
            if rec.len() != 16 {
                bad_columns += 1;
                continue;
            }
            if chrono::NaiveDate::parse_from_str(&rec[1], "%Y/%m/%d").is_err() {
                bad_dates += 1;
            }
            let xfrs: u32 = rec[3].parse().unwrap();
            if xfrs >= 5 {
                collective += 1;
                assert!(
                    rec[4].split(';').count() >= 2,
                    "a collective petition lists several persons"
                );
            }
        }
    }
    let xlsx_rows: usize = (0..30)
        .filter(|d| c.petition_file_is_xlsx(*d))
        .map(|d| c.petitions_of_day(d).len())
        .sum();
    assert_eq!(rows + xlsx_rows, e.petition.rows);
    assert!(collective > 0);
    let _ = (bad_columns, bad_dates);
}

#[test]
fn xlsx_petition_file_reads_with_calamine() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let c = city();
    let dir = tempfile::tempdir().unwrap();
    let names = c.write_petition_files(dir.path(), 3).unwrap();
    let name = names
        .iter()
        .find(|n| n.ends_with(".xlsx"))
        .expect("about one day in four is XLSX");
    let mut wb: Xlsx<_> = open_workbook(dir.path().join(name)).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|d| d.to_string()).collect();
    assert_eq!(header, dialect::PETITION_COLUMNS_REFERENCE);
    let day: u32 = (0..30).find(|d| &c.petition_file_name(*d) == name).unwrap();
    let data: Vec<&[Data]> = rows.collect();
    assert_eq!(data.len(), c.petitions_of_day(day).len());
    for r in data {
        if let Some(Data::String(id)) = r.first() {
            assert!(id.starts_with("XF2026"));
        }
    }
    // The same bytes on every export with the same content.
    assert_eq!(
        std::fs::read(dir.path().join(name)).unwrap(),
        c.petition_file_bytes(day, 3).unwrap()
    );
}

#[test]
fn gb18030_csv_decodes_except_the_broken_rows() {
    let c = city();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gd.csv");
    c.write_hotline_csv(&path, 3).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GB18030, not UTF-8");
    let e = c.expected(3);
    let mut broken = 0;
    let mut lines = 0;
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        lines += 1;
        assert!(line.ends_with(b"\r"), "CRLF line ends");
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(line);
        if had_errors {
            broken += 1;
            assert!(text.contains('\u{FFFD}'));
            assert_eq!(text.matches(',').count(), 14, "structure intact: {text}");
        }
    }
    assert_eq!(lines, e.hotline_csv.rows + 1);
    assert_eq!(broken, e.hotline_csv.malformed - e.hotline.malformed);
    assert!(broken > 0);
    let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
    assert!(text.starts_with("工单编号,来电时间,来电人,联系电话,身份证号,诉求地址"));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.records().count(), e.hotline_csv.rows);
}

#[test]
fn truth_covers_the_feeds() {
    let c = city();
    let dir = tempfile::tempdir().unwrap();
    c.write_truth(dir.path()).unwrap();
    let mut r = csv::Reader::from_path(dir.path().join(TRUTH_FILE)).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["kind", "source", "record_id", "mention", "entity"]
    );
    // (source, record id) -> [(kind, mention, entity)]
    type Lines = Vec<(String, String, String)>;
    let mut by_record: HashMap<(String, String), Lines> = HashMap::new();
    let mut entities = HashSet::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[0] == "address" {
            entities.insert(rec[4].to_string());
        } else {
            assert!(rec[4].starts_with('P') && rec[4].len() == 7);
        }
        by_record
            .entry((rec[1].to_string(), rec[2].to_string()))
            .or_default()
            .push((rec[0].to_string(), rec[3].to_string(), rec[4].to_string()));
    }
    for it in all_orders(c, 3, None, 1000) {
        if let Some(g) = it["gdbh"].as_str() {
            let t = &by_record[&("hotline".to_string(), g.to_string())];
            assert!(t.iter().any(|(k, m, _)| k == "address" && m == "sqdz"));
        }
    }
    let (alarms, _) = all_alarms(c, 3, None, 5000);
    for a in alarms.iter().filter_map(|a| a["jjdbh"].as_str()) {
        assert!(by_record.contains_key(&("alarm".to_string(), a.to_string())));
    }
    // Collective petitions list several persons, all in the truth.
    let multi = by_record
        .iter()
        .filter(|((s, _), v)| {
            s == "petition" && v.iter().filter(|(k, _, _)| k == "person").count() >= 3
        })
        .count();
    assert!(multi > 0);
    // Some person is in all three systems.
    let mut systems: HashMap<String, HashSet<String>> = HashMap::new();
    for ((source, _), v) in &by_record {
        for (k, _, e) in v {
            if k == "person" {
                systems.entry(e.clone()).or_default().insert(source.clone());
            }
        }
    }
    assert!(systems.values().any(|s| s.len() == 3));
    // Every address entity has its parents.
    let mut r = csv::Reader::from_path(dir.path().join(TRUTH_ADDRESSES_FILE)).unwrap();
    let mut listed = HashSet::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        listed.insert(rec[0].to_string());
        let level = &rec[1];
        if ["room", "building", "site", "community", "crossing"].contains(&level) {
            assert!(
                rec[7].starts_with('D') && rec[6].starts_with('J') && rec[5].starts_with('C'),
                "{rec:?}"
            );
        }
        if level == "room" {
            assert!(rec[2] == rec[0] && rec[3].starts_with('B') && rec[4].starts_with('S'));
        }
    }
    assert!(entities.is_subset(&listed));
    for level in ["R", "B", "S", "X"] {
        assert!(
            entities.iter().any(|e| e.starts_with(level)),
            "no {level} entity"
        );
    }
}

#[test]
fn family_dispute_goes_hotline_alarm_petition() {
    let c = city();
    let family: HashSet<u32> = c
        .orders
        .iter()
        .filter(|o| o.cat as usize == catalog::HOTLINE_FAMILY)
        .map(|o| o.person)
        .collect();
    let in_alarm: HashSet<u32> = c
        .alarms
        .iter()
        .filter(|a| a.cat as usize == catalog::ALARM_FAMILY)
        .map(|a| a.person)
        .collect();
    let in_petition: HashSet<u32> = c
        .petitions
        .iter()
        .filter(|p| p.cat as usize == catalog::PETITION_FAMILY)
        .map(|p| c.listed_persons(p)[0])
        .collect();
    let all3 = family
        .iter()
        .filter(|p| in_alarm.contains(p) && in_petition.contains(p))
        .count();
    assert!(all3 >= 2, "{all3} planted family disputes");
    // Repeat callers.
    let mut calls: HashMap<u32, usize> = HashMap::new();
    for o in &c.orders {
        *calls.entry(o.person).or_default() += 1;
    }
    assert!(calls.values().any(|n| *n >= 4));
}

#[test]
fn noise_kinds_all_appear() {
    let c = city();
    let mut names = Vec::new();
    let mut phones = Vec::new();
    let mut addrs = Vec::new();
    for i in 0..c.orders.len() {
        let p = c.hotline_person(i);
        names.push(p.name);
        phones.push(p.phone);
        addrs.push(c.hotline_address(i));
    }
    for i in 0..c.alarms.len() {
        let r = c.alarm_row(i, 0);
        names.push(r.bjrxm);
        phones.push(r.bjdh);
        addrs.push(r.afdd);
    }
    let any = |v: &Vec<String>, f: &dyn Fn(&str) -> bool| v.iter().any(|s| f(s));
    assert!(any(&names, &|s| s.ends_with("先生") || s.ends_with("女士")));
    assert!(any(&names, &|s| s == "匿名"));
    assert!(any(&names, &|s| s.is_empty()));
    assert!(any(&names, &|s| s.contains(' ')));
    assert!(any(&names, &|s| {
        s.chars()
            .any(|c| "陳張劉楊黃趙吳孫馬鄭偉華麗軍紅國東強蘭鳳".contains(c))
    }));
    assert!(any(&phones, &|s| s.starts_with("+86 ")));
    assert!(any(&phones, &|s| s.starts_with("+861")));
    assert!(any(&phones, &|s| s.len() == 13 && s.contains('-')));
    assert!(any(&phones, &|s| s.starts_with("0392")));
    assert!(any(&phones, &|s| s.len() == 7));
    assert!(any(&addrs, &|s| s.starts_with("河南省鹤壁市")));
    assert!(any(&addrs, &|s| s.contains('栋')));
    assert!(any(&addrs, &|s| s.contains('幢')));
    assert!(any(&addrs, &|s| s.contains("号楼")
        && s.chars().any(|c| "一二三四五六七八九十".contains(c))));
    assert!(any(&addrs, &|s| s.contains('－')
        || s.chars().any(|c| ('０'..='９').contains(&c))));
    assert!(any(&addrs, &|s| s.contains("交叉口") && s.ends_with('米')));
    assert!(any(&addrs, &|s| s.contains("门口")));
    assert!(any(&addrs, &|s| s.contains("号院")));
    assert!(any(&addrs, &|s| s.contains("单元") && s.contains('室')));
    // Households share phones.
    let mut by_phone: HashMap<&str, HashSet<u32>> = HashMap::new();
    for (i, o) in c.orders.iter().enumerate() {
        let p = &phones[i];
        if !p.is_empty() {
            by_phone.entry(p.as_str()).or_default().insert(o.person);
        }
    }
    assert!(
        by_phone.values().any(|s| s.len() > 1),
        "some phone is shared by two callers"
    );
    // Coordinates on about 70 % of alarms.
    let with = (0..c.alarms.len())
        .filter(|i| c.alarm_row(*i, 0).jd.is_some())
        .count() as f64
        / c.alarms.len() as f64;
    assert!((0.5..0.8).contains(&with), "{with}");
}

#[test]
fn malformed_rows_are_served_without_breaking_the_page() {
    let c = city();
    let items = all_orders(c, 3, None, 1000);
    assert!(items.iter().any(|i| i.get("gdbh").is_none()));
    assert!(items.iter().any(|i| i["ldsj"] == ""));
    assert!(items.iter().any(|i| {
        chrono::NaiveDateTime::parse_from_str(i["ldsj"].as_str().unwrap(), "%Y-%m-%d %H:%M:%S")
            .is_err()
            && i["ldsj"] != ""
    }));
    let bad = items
        .iter()
        .filter(|i| {
            i.get("gdbh").is_none()
                || chrono::NaiveDateTime::parse_from_str(
                    i["ldsj"].as_str().unwrap(),
                    "%Y-%m-%d %H:%M:%S",
                )
                .is_err()
        })
        .count();
    assert_eq!(bad, c.expected(3).hotline.malformed);
    let (alarms, _) = all_alarms(c, 3, None, 5000);
    assert!(alarms.iter().any(|a| a["jjdbh"].is_null()));
    assert!(alarms.iter().any(|a| a["bjsj"].is_string()));
}

#[test]
fn second_city_renames_fields_and_formats() {
    let c = SimCity::generate(&SimSpec::small(42).with_dialect(Dialect::SecondCity));
    let v = json(&c.workorders_json(3, None, 1, 50).unwrap());
    let item = &v["data"]["items"][0];
    for f in dialect::HOTLINE_FIELDS_SECOND_CITY {
        assert!(item.get(f).is_some(), "{f} missing in {item}");
    }
    assert!(item.get("gdbh").is_none());
    let call = item["call_time"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(call, "%Y/%m/%d %H:%M").is_ok(),
        "{call}"
    );
    let upd = item["update_time"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(upd, "%Y/%m/%d %H:%M:%S").is_ok(),
        "{upd}"
    );
    let a = json(&c.alarms_json(3, None, 10).unwrap());
    let bjsj = a["alarms"][0]["bjsj"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(bjsj).is_ok());
    let dir = tempfile::tempdir().unwrap();
    c.write_hotline_csv(&dir.path().join("h.csv"), 3).unwrap();
    let bytes = std::fs::read(dir.path().join("h.csv")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("单号,受理时间,诉求人"));
    let day = (0..30).find(|d| !c.petition_file_is_xlsx(*d)).unwrap();
    let f = String::from_utf8(c.petition_file_bytes(day, 3).unwrap()).unwrap();
    assert!(f.starts_with("\u{feff}信访编号,登记日期"));
    assert!(f.lines().nth(1).unwrap().contains(",2026-11-"));
    // Same city underneath: the same truth.
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    c.write_truth(d1.path()).unwrap();
    city().write_truth(d2.path()).unwrap();
    assert_eq!(
        std::fs::read(d1.path().join(TRUTH_FILE)).unwrap(),
        std::fs::read(d2.path().join(TRUTH_FILE)).unwrap()
    );
}

#[test]
fn fault_draws_follow_the_rates() {
    use rand::SeedableRng;
    let f = Faults::total(0.5);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let n = 20_000;
    for _ in 0..n {
        *counts.entry(format!("{:?}", f.draw(&mut rng))).or_default() += 1;
    }
    for kind in ["Error500", "TooMany", "Slow", "Truncated", "CodeNonzero"] {
        let share = counts[kind] as f64 / n as f64;
        assert!((0.08..0.12).contains(&share), "{kind}: {share}");
    }
    assert!(Faults::none().draw(&mut rng) == faults::Fault::None);
}

#[test]
fn with_records_splits_as_documented() {
    let s = SimSpec::with_records(1, 1_000_000);
    assert_eq!(
        (s.hotline_orders, s.alarms, s.petitions, s.persons),
        (500_000, 350_000, 150_000, 250_000)
    );
    let c = SimCity::generate(&SimSpec {
        steps: 1,
        ..SimSpec::with_records(5, 400)
    });
    assert_eq!(c.steps(), 1);
    assert_eq!(c.expected(0).hotline.revisions, 0);
    assert_eq!(c.expected(7), c.expected(0));
}

#[test]
fn tiny_and_odd_specs_work() {
    let specs = [
        SimSpec::with_records(1, 0),
        SimSpec::with_records(2, 10),
        SimSpec {
            days: 1,
            steps: 10,
            ..SimSpec::with_records(3, 300)
        },
        SimSpec {
            steps: 0,
            days: 0,
            ..SimSpec::with_records(4, 200)
        },
        SimSpec {
            revision_rate: 1.0,
            malformed_rate: 0.5,
            ..SimSpec::with_records(5, 500)
        },
        SimSpec {
            persons: 3,
            ..SimSpec::with_records(6, 300)
        },
    ];
    for spec in specs {
        let c = SimCity::generate(&spec);
        let last = c.steps() - 1;
        let e = c.expected(last);
        assert_eq!(
            all_orders(&c, last, None, 50).len(),
            e.hotline.rows,
            "{spec:?}"
        );
        assert_eq!(
            all_alarms(&c, last, None, 50).0.len(),
            e.alarm.rows,
            "{spec:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        c.write_truth(dir.path()).unwrap();
        c.write_hotline_csv(&dir.path().join("h.csv"), last)
            .unwrap();
        let files = c.write_petition_files(dir.path(), last).unwrap();
        assert_eq!(files.len(), e.petition_files);
    }
}

/// The record ids every feed serves at the last step: hotline gdbh, alarm
/// jjdbh, petition xfjbh (CSV and XLSX files).
fn feed_ids(c: &SimCity) -> HashSet<(String, String)> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut ids = HashSet::new();
    for it in all_orders(c, 3, None, 1000) {
        if let Some(g) = it["gdbh"].as_str() {
            ids.insert(("hotline".to_string(), g.to_string()));
        }
    }
    for a in all_alarms(c, 3, None, 5000).0 {
        if let Some(j) = a["jjdbh"].as_str() {
            ids.insert(("alarm".to_string(), j.to_string()));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for name in c.write_petition_files(dir.path(), 3).unwrap() {
        let path = dir.path().join(&name);
        let rows: Vec<Vec<String>> = if name.ends_with(".xlsx") {
            let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
            let sheet = wb.sheet_names()[0].clone();
            let range = wb.worksheet_range(&sheet).unwrap();
            range
                .rows()
                .skip(1)
                .map(|r| r.iter().map(Data::to_string).collect())
                .collect()
        } else {
            let bytes = std::fs::read(&path).unwrap();
            let mut r = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(&bytes[3..]);
            r.records()
                .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
                .collect()
        };
        // Rows with a column too many or too few are kept too: the truth
        // leaves them out, so a superset does no harm.
        for row in rows.into_iter().filter(|r| !r.is_empty()) {
            ids.insert(("petition".to_string(), row[0].clone()));
        }
    }
    ids
}

#[test]
fn situation_truth_names_records_the_feeds_serve() {
    let c = city();
    let dir = tempfile::tempdir().unwrap();
    c.write_truth(dir.path()).unwrap();
    let first_line = |f: &str| {
        std::fs::read_to_string(dir.path().join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        first_line(TRUTH_SITUATIONS_FILE),
        "kind,case,source,record_id"
    );
    assert_eq!(
        first_line(TRUTH_SITUATION_PLACES_FILE),
        "kind,case,place,week"
    );
    let cases = read_situation_truth(dir.path()).unwrap();
    let ids = feed_ids(c);
    let mut per_kind: HashMap<&str, usize> = HashMap::new();
    let mut labels = HashSet::new();
    for case in &cases {
        *per_kind.entry(case.kind.as_str()).or_default() += 1;
        assert!(labels.insert(case.case.clone()), "{} twice", case.case);
        assert!(!case.members.is_empty(), "{} has no records", case.case);
        for m in &case.members {
            assert!(ids.contains(m), "{m:?} of {} is in no feed", case.case);
        }
        let sources: HashSet<&str> = case.members.iter().map(|m| m.0.as_str()).collect();
        match case.kind.as_str() {
            "escalation" => assert!(sources.len() >= 2, "{case:?}"),
            "repeat_caller" => assert_eq!(sources, HashSet::from(["hotline"])),
            "collective_petition" => assert_eq!(case.members.len(), 1),
            "hotspot" => {
                assert!(case.place.as_ref().unwrap().starts_with('B'));
                let week = case.week.unwrap();
                assert_eq!(chrono::Datelike::weekday(&week), chrono::Weekday::Mon);
                assert!(case.members.len() >= 8, "{case:?}");
            }
            "collective_cluster" => {
                assert!(case.place.as_ref().unwrap().starts_with('S'));
                assert!(case.week.is_none());
                assert!(sources.len() >= 2, "{case:?}");
            }
            other => panic!("unknown kind {other}"),
        }
    }
    for kind in [
        "escalation",
        "repeat_caller",
        "hotspot",
        "collective_cluster",
    ] {
        assert!(
            per_kind.get(kind).copied().unwrap_or(0) >= 2,
            "{per_kind:?}"
        );
    }
    assert!(per_kind["collective_petition"] >= 1);
    // Every petition with 信访人数 ≥ 5 is a collective petition case.
    let collective: HashSet<String> = cases
        .iter()
        .filter(|k| k.kind == "collective_petition")
        .flat_map(|k| k.members.iter().map(|m| m.1.clone()))
        .collect();
    for (i, p) in c.petitions.iter().enumerate() {
        if p.xfrs >= COLLECTIVE_XFRS && p.fault != petition::PetitionFault::WrongColumns {
            assert!(collective.contains(&c.xfjbh(i)));
        }
    }
}

/// Events at or under a building by day: hotline and alarm places,
/// petitions' 问题属地.
fn events_at_building(c: &SimCity, building: u32) -> Vec<u32> {
    let at = |p: places::PlaceRef| c.places.ancestry(p).building == Some(building);
    let mut days: Vec<u32> = Vec::new();
    days.extend(
        c.orders
            .iter()
            .filter(|o| at(o.place))
            .map(|o| o.call / 86_400),
    );
    days.extend(
        c.alarms
            .iter()
            .filter(|a| at(a.place))
            .map(|a| a.t / 86_400),
    );
    days.extend(
        c.petitions
            .iter()
            .filter(|p| at(p.wtsd))
            .map(|p| p.day as u32),
    );
    days
}

#[test]
fn hotspot_weeks_stand_out_at_their_building() {
    for spec in [SimSpec::small(42), SimSpec::with_records(7, 2000)] {
        let c = SimCity::generate(&spec);
        let weeks = c.tl.full_weeks();
        let mut seen = 0;
        for case in c
            .cases
            .iter()
            .filter(|k| k.kind == cases::CaseKind::Hotspot)
        {
            seen += 1;
            let building = case.place.unwrap().index();
            let monday = case.week.unwrap();
            assert!(weeks[1..].contains(&monday), "not a later full week");
            let days = events_at_building(&c, building);
            let in_week = |m: u32| days.iter().filter(|d| (m..m + 7).contains(*d)).count();
            let others: Vec<usize> = weeks
                .iter()
                .filter(|m| **m != monday)
                .map(|m| in_week(*m))
                .collect();
            let mean = others.iter().sum::<usize>() as f64 / others.len() as f64;
            let spike = in_week(monday);
            assert!(
                spike as f64 >= 3.0 * mean && spike >= 8,
                "{spec:?}: building {building} week {monday}: {spike} against {others:?}"
            );
        }
        assert!(seen >= 2);
    }
}

#[test]
fn collective_clusters_are_different_persons_at_one_site() {
    let c = city();
    let mut seen = 0;
    for (k, case) in c.cases.iter().enumerate() {
        if case.kind != cases::CaseKind::CollectiveCluster {
            continue;
        }
        seen += 1;
        let site = case.place.unwrap().index();
        let k = k as u32;
        // (person, place, day) of every member record.
        let mut records: Vec<(u32, places::PlaceRef, u32)> = Vec::new();
        records.extend(
            c.orders
                .iter()
                .filter(|o| o.case == k)
                .map(|o| (o.person, o.place, o.call / 86_400)),
        );
        records.extend(
            c.alarms
                .iter()
                .filter(|a| a.case == k)
                .map(|a| (a.person, a.place, a.t / 86_400)),
        );
        records.extend(
            c.petitions
                .iter()
                .filter(|p| p.case == k)
                .map(|p| (c.listed_persons(p)[0], p.wtsd, p.day as u32)),
        );
        let persons: HashSet<u32> = records.iter().map(|r| r.0).collect();
        assert!(persons.len() >= 4, "{} persons", persons.len());
        assert_eq!(persons.len(), records.len(), "one record per member");
        for (_, place, _) in &records {
            assert_eq!(c.places.ancestry(*place).site, Some(site));
        }
        let first = records.iter().map(|r| r.2).min().unwrap();
        let last = records.iter().map(|r| r.2).max().unwrap();
        assert!(last - first < 14, "spread over {} days", last - first + 1);
    }
    assert!(seen >= 2);
}

#[test]
fn planted_counts_scale_with_the_city() {
    let count =
        |c: &SimCity, kind: cases::CaseKind| c.cases.iter().filter(|k| k.kind == kind).count();
    for (spec, expected) in [
        (SimSpec::small(42), [7, 3, 12, 2, 3]),
        (SimSpec::with_records(7, 2000), [7, 3, 12, 2, 3]),
    ] {
        let c = SimCity::generate(&spec);
        let got = cases::CaseKind::ALL.map(|k| count(&c, k));
        println!("{spec:?}: {got:?}");
        assert_eq!(got, expected, "{:?}", cases::CaseKind::ALL);
    }
}

#[test]
fn pages_from_items_rendered_once_are_the_pages_rendered_per_request() {
    for dialect in [Dialect::Reference, Dialect::SecondCity] {
        let mut spec = SimSpec::small(7);
        spec.dialect = dialect;
        let c = SimCity::generate(&spec);
        let pages = |c: &SimCity| {
            let mut bodies = Vec::new();
            for step in 0..c.steps() {
                // Every page, revised orders and alarms (later pages) included.
                for after in [None, Some("2026-11-03T00:00:00+08:00")] {
                    for page in 1.. {
                        let body = c.workorders_json(step, after, page, 97).unwrap();
                        let empty = json(&body)["data"]["items"] == serde_json::json!([]);
                        bodies.push(body);
                        if empty {
                            break;
                        }
                    }
                }
                let mut cursor = None;
                loop {
                    let body = c.alarms_json(step, cursor.as_deref(), 113).unwrap();
                    let v = json(&body);
                    cursor = v["next_cursor"].as_str().map(str::to_string);
                    bodies.push(body);
                    if v["has_more"] != true {
                        break;
                    }
                }
            }
            bodies
        };
        let per_request = pages(&c);
        assert!(c.steps() > 1 && per_request.len() > 20);
        c.render_feed_items();
        assert!(c.feed_items().is_some());
        assert!(per_request == pages(&c), "{dialect:?}: pages differ");
    }
}
