//! The shipped connector files map records shaped like feeds.md into the unified model.

use std::path::Path;

use hub::domain::{AddressField, Lifecycle, Satisfaction, Source};
use hub::feeds::{FeedError, load_dir, load_file};
use hub::ingest::mapping::map_record;
use serde_json::json;

fn env(name: &str) -> Option<String> {
    match name {
        "HOTLINE_BASE_URL" | "ALARM_BASE_URL" => Some("http://127.0.0.1:9".into()),
        "HOTLINE_TOKEN" | "ALARM_API_KEY" => Some("secret".into()),
        "PETITION_DIR" => Some("/tmp".into()),
        "HOTLINE_CSV" => Some("/tmp/hotline.csv".into()),
        _ => None,
    }
}

fn feed(file: &str) -> hub::feeds::Feed {
    load_file(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("connectors")
            .join(file),
        &env,
    )
    .expect("shipped connector file loads")
}

fn object(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn hotline_work_order() {
    let f = feed("hotline.toml");
    let e = map_record(
        &f.mapping,
        &object(json!({
            "gdbh": "GD2026110100001", "ldsj": "2026-11-01 08:23:11", "ldrxm": "张先生",
            "lxdh": "138-1234-5678", "sfzh": "410602********1234", "sqdz": "淇滨区九州路街道华夏南路108号院3号楼2单元501",
            "sqlx": "投诉", "sqfl": "城乡建设>物业管理>物业服务", "sqnr": "小区电梯长期故障", "cbdw": "淇滨区九州路街道办事处",
            "zt": "已办结", "jzsj": "2026-11-06 08:23:11", "bjsj": "2026-11-03 17:00:00", "myd": "基本满意",
            "gxsj": "2026-11-03 17:00:05"
        })),
    )
    .unwrap();
    assert_eq!(e.source, Source::Hotline);
    assert_eq!(e.record_id, "GD2026110100001");
    assert_eq!(
        e.occurred_at.to_string(),
        "2026-11-01 00:23:11",
        "local time stored as UTC"
    );
    assert_eq!(e.category, "城乡建设>物业管理");
    assert_eq!(
        e.category_raw.as_deref(),
        Some("城乡建设>物业管理>物业服务")
    );
    assert_eq!(e.status, Lifecycle::Resolved);
    assert_eq!(e.satisfaction, Some(Satisfaction::BasicallySatisfied));
    assert_eq!(e.persons.len(), 1);
    assert_eq!(
        e.persons[0].phone.as_deref(),
        Some("138-1234-5678"),
        "kept as given; resolution normalises"
    );
    assert_eq!(e.addresses[0].field, AddressField::Sqdz);
}

#[test]
fn alarm_with_nested_category_and_epoch_times() {
    let f = feed("alarm.toml");
    let e = map_record(
        &f.mapping,
        &object(json!({
            "jjdbh": "J410602202611010001", "bjsj": 1_761_956_591_000_i64, "bjrxm": "", "bjdh": "+86 138 1234 5678",
            "bjrzjhm": "410602880315234", "afdd": "九州路与华夏南路交叉口东50米", "jd": 114.29, "wd": 35.75,
            "jqlb": {"dm": "04", "mc": "纠纷"}, "jqxl": "家庭纠纷", "jyaq": "夫妻吵架", "cjdw": "淇滨分局九州路派出所",
            "cjjg": null, "cjsj": null
        })),
    )
    .unwrap();
    assert_eq!(e.category, "矛盾纠纷>家庭纠纷");
    assert_eq!(e.category_raw.as_deref(), Some("纠纷>家庭纠纷"));
    assert_eq!(e.event_type.as_deref(), Some("纠纷"));
    assert_eq!(
        e.status,
        Lifecycle::InProgress,
        "no outcome yet means still open"
    );
    assert_eq!(e.longitude, Some(114.29));
    assert_eq!(e.persons[0].name, None);
    assert_eq!(e.persons[0].id_number.as_deref(), Some("410602880315234"));
    assert_eq!(e.detail.get("category_code"), Some(&json!("04")));
}

#[test]
fn petition_with_packed_petitioners() {
    let f = feed("petition.toml");
    let e = map_record(
        &f.mapping,
        &object(json!({
            "xfjbh": "XF2026110100007", "djrq": "2026/11/01", "xfxs": "来访", "xfrs": "6",
            "xfr": "李娜|410602198803152345|13903921234;王强||13600001111;|410602199001011234|",
            "zz": "淇滨区华夏社区5号楼", "wtsd": "淇滨区某工地", "nrfl": "劳动社保>拖欠工资", "xfmd": "求决",
            "zynr": "工地拖欠工资", "zrdw": "淇滨区人社局", "blzt": "交办", "sfcf": "否", "sfyj": "是",
            "bjqx": "2026/12/31", "bjrq": ""
        })),
    )
    .unwrap();
    assert_eq!(e.petitioners, Some(6));
    assert_eq!(e.persons.len(), 3);
    assert_eq!(e.persons[1].name.as_deref(), Some("王强"));
    assert_eq!(e.persons[1].id_number, None);
    assert_eq!(e.persons[2].position, 2);
    assert_eq!(
        e.persons[2].id_number.as_deref(),
        Some("410602199001011234")
    );
    assert_eq!(e.status, Lifecycle::Assigned);
    assert_eq!(e.closed_at, None);
    assert_eq!(e.detail.get("skipped_level"), Some(&json!("是")));
    assert_eq!(e.addresses.len(), 2);
}

#[test]
fn bad_rows_say_which_field_and_value() {
    let f = feed("hotline.toml");
    let err = map_record(
        &f.mapping,
        &object(json!({"gdbh": "G1", "ldsj": "2026-13-45 25:61:00"})),
    )
    .unwrap_err();
    assert_eq!(err.record_id.as_deref(), Some("G1"));
    assert!(
        err.reason.contains("ldsj") && err.reason.contains("2026-13-45 25:61:00"),
        "{}",
        err.reason
    );
    let err = map_record(&f.mapping, &object(json!({"ldsj": "2026-11-01 08:00:00"}))).unwrap_err();
    assert_eq!(err.record_id, None);
    assert!(
        err.reason.contains("missing record id") && err.reason.contains("gdbh"),
        "{}",
        err.reason
    );
}

#[test]
fn csv_export_and_http_map_the_same_state_alike() {
    let http = feed("hotline.toml");
    let csv = feed("hotline_csv.toml");
    let a = map_record(
        &http.mapping,
        &object(json!({"gdbh": "G1", "ldsj": "2026-11-01 08:00:00", "zt": "已派单", "sqfl": "城乡建设>物业管理", "gxsj": "2026-11-01 09:00:00", "lxdh": "13800000000"})),
    )
    .unwrap();
    let b = map_record(
        &csv.mapping,
        &object(json!({"工单编号": "G1", "来电时间": "2026-11-01 08:00:00", "办理状态": "已派单", "诉求分类": "城乡建设>物业管理", "更新时间": "2026-11-01 09:00:00", "联系电话": "13800000000"})),
    )
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.content_hash(),
        b.content_hash(),
        "the same order from two exports is one version"
    );
}

#[test]
fn shipped_folder_loads_and_missing_secrets_disable_one_feed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors");
    let (feeds, broken) = load_dir(&dir, &env).unwrap();
    let names: Vec<_> = feeds.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["alarm", "hotline", "hotline_csv", "petition"]);
    assert!(broken.is_empty());

    let no_token = |n: &str| if n == "HOTLINE_TOKEN" { None } else { env(n) };
    let (feeds, broken) = load_dir(&dir, &no_token).unwrap();
    assert_eq!(feeds.len(), 3);
    assert_eq!(broken.len(), 1);
    let msg = broken[0].error.to_string();
    assert!(
        msg.contains("hotline.toml")
            && msg.contains("http.headers.Authorization")
            && msg.contains("HOTLINE_TOKEN"),
        "{msg}"
    );
}

#[test]
fn malformed_connector_file_names_file_key_and_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("city.toml");
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors/hotline.toml"),
    )
    .unwrap();
    std::fs::write(
        &file,
        base.replace("page_size = 500", "page_size = \"lots\""),
    )
    .unwrap();
    let err = load_file(&file, &env).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, FeedError::Invalid { .. }));
    assert!(
        msg.contains("city.toml")
            && msg.contains("paged.page_size")
            && msg.contains("expected u32"),
        "{msg}"
    );

    std::fs::write(
        &file,
        base.replace("\"已办结\" = \"resolved\"", "\"已办结\" = \"finished\""),
    )
    .unwrap();
    let msg = load_file(&file, &env).unwrap_err().to_string();
    assert!(
        msg.contains("finished") && msg.contains("resolved"),
        "{msg}"
    );

    std::fs::write(
        &file,
        base.replace("\"交通运输\" = \"交通\"", "\"交通运输\" = \"交通>航空\""),
    )
    .unwrap();
    let msg = load_file(&file, &env).unwrap_err().to_string();
    assert!(
        msg.contains("交通>航空") && msg.contains("taxonomy"),
        "{msg}"
    );
}

#[test]
fn paged_cursor_reads_update_time_with_its_field_formats() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("city.toml");
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors/hotline.toml"),
    )
    .unwrap();
    let text = base.replace(
        "updated_at = \"gxsj\"",
        "updated_at = { field = \"gxsj\", formats = [\"%Y/%m/%d %H:%M:%S\"] }",
    );
    std::fs::write(&file, text).unwrap();
    let feed = load_file(&file, &env).unwrap();
    assert_eq!(
        feed.transport.since_formats,
        Some(vec!["%Y/%m/%d %H:%M:%S".to_string()])
    );
    assert_eq!(feed.transport.paged.as_ref().unwrap().since_field, "gxsj");
    assert_eq!(
        load_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors/hotline.toml"),
            &env
        )
        .unwrap()
        .transport
        .since_formats,
        None
    );
}

#[test]
fn a_json_record_is_kept_in_the_sources_text_and_a_reject_with_its_keys_sorted() {
    let f = feed("hotline.toml");
    let order = |gdbh: &str, ldsj: &str| {
        format!(
            r#"{{"zt": "已办结", "gdbh": "{gdbh}", "ldsj": "{ldsj}", "sqfl": "城乡建设>物业管理",
                "gxsj": "2026-11-03 17:00:05", "sqnr": "\u5c0f\u533a"}}"#
        )
    };
    let reordered = r#"{"gdbh": "GD2", "gxsj": "2026-11-03 17:00:05", "ldsj": "yesterday",
        "sqfl": "城乡建设>物业管理", "sqnr": "小区", "zt": "已办结"}"#;
    let record = |text: String| hub::connectors::RawRecord {
        fields: object(serde_json::from_str(&text).unwrap()),
        text: Some(text),
        location: "page 1".into(),
    };
    let good = order("GD1", "2026-11-01 08:23:11");
    let batch = hub::connectors::Batch {
        records: vec![
            record(good.clone()),
            record(order("GD2", "yesterday")),
            record(reordered.to_string()),
        ],
        rejects: Vec::new(),
        checkpoint: serde_json::Value::Null,
        source_behind: None,
        done: true,
    };
    let write = hub::ingest::sync::prepare(&f, 1, batch);
    assert_eq!(write.events.len(), 1);
    assert_eq!(write.events[0].raw, good, "as the source sent it");
    assert_eq!(write.rejects.len(), 2);
    assert_eq!(
        write.rejects[0].raw, write.rejects[1].raw,
        "one quarantine entry for one record, whatever its key order"
    );
    assert!(write.rejects[0].raw.starts_with(r#"{"gdbh":"GD2","gxsj""#));
}
