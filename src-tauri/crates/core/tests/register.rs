//! The register and the yearly figures, read back by parsers that are not ours.

mod common;

use std::process::Command;

use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, Status};
use rightsdesk_core::register::{self, ExportFormat};
use rightsdesk_core::requests;
use rightsdesk_core::store::Db;

fn db(dir: &std::path::Path) -> Db {
    common::register_in(dir)
}

fn add(db: &Db, request_type: &str, name: &str, received: &str) -> String {
    let input = NewRequest {
        request_type: request_type.parse().unwrap(),
        regime: "ccpa".into(),
        jurisdiction: "US-CA".into(),
        subject_name: name.into(),
        subject_email: format!("{}@example.com", name.len()),
        received: received.into(),
        ..Default::default()
    };
    requests::register(db, &FixedClock::at(received), &input, "t").unwrap().id
}

fn close(db: &Db, id: &str, on: &str, to: Status) {
    let clock = FixedClock::at(on);
    requests::change_status(db, &clock, &RequestId::from(id), Status::InProgress, None, "t").unwrap();
    requests::change_status(db, &clock, &RequestId::from(id), to, (to == Status::Refused).then_some("could not verify identity"), "t")
        .unwrap();
}

#[test]
fn formula_cells_in_the_register_csv_are_neutralised_for_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    // (A leading tab or carriage return cannot reach the register: validation trims names;
    // `neutralise` handles them all the same, see its unit test.)
    for (i, evil) in ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "=1+2", "+cmd|' /C calc'!A0"].iter().enumerate() {
        add(&db, "access", evil, &format!("2025-01-{:02}", i + 10));
    }
    add(&db, "access", "Plain Name", "2025-01-20");
    let mut out = Vec::new();
    let n = register::export(&db, ExportFormat::Csv, &mut out).unwrap();
    assert_eq!(n, 7);
    let path = dir.path().join("register.csv");
    std::fs::write(&path, &out).unwrap();
    // Python's csv module reads it back; every name cell that began with a formula character now begins with '.
    let script = "import csv, json, sys\n\
        rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig', newline='')))\n\
        print(json.dumps([r['subject_name'] for r in rows]))\n";
    let py = Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3");
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    let names: Vec<String> = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(names.len(), 7);
    for name in &names[..6] {
        assert!(name.starts_with('\''), "{name:?} was not neutralised");
    }
    assert_eq!(names[6], "Plain Name");
    // JSON keeps the value as typed (it is data, not a spreadsheet).
    let mut json = Vec::new();
    register::export(&db, ExportFormat::Json, &mut json).unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(rows[1]["subject_name"], "+1+1");
    assert_eq!(rows[0]["type"], "access");
}

#[test]
fn the_yearly_figures_count_received_complied_denied_and_the_days_to_respond() {
    let dir = tempfile::tempdir().unwrap();
    let db = db(dir.path());
    let a = add(&db, "access", "Alice", "2025-01-06");
    let b = add(&db, "access", "Bob", "2025-01-20");
    let c = add(&db, "access", "Carol", "2025-03-03");
    let d = add(&db, "erasure", "Dan", "2025-02-03");
    let _open = add(&db, "erasure", "Eve", "2025-03-10");
    let _last_year = add(&db, "access", "Fay", "2024-12-30");
    close(&db, &a, "2025-01-16", Status::Completed); // 10 days
    close(&db, &b, "2025-02-19", Status::Completed); // 30 days
    close(&db, &c, "2025-04-02", Status::Refused); // 30 days
    close(&db, &d, "2025-06-02", Status::Completed); // 119 days, after the CCPA 45-day date (no extension)
    let m = register::year_metrics(&db, &FixedClock::at("2025-07-01"), 2025).unwrap();
    let access = m.by_type.iter().find(|t| t.request_type == "access").unwrap();
    assert_eq!((access.received, access.complied_in_whole_or_in_part, access.denied, access.still_open), (3, 2, 1, 0));
    assert_eq!(access.median_days_to_respond, Some(30.0));
    assert_eq!(access.mean_days_to_respond, Some(23.3));
    let erasure = m.by_type.iter().find(|t| t.request_type == "erasure").unwrap();
    assert_eq!((erasure.received, erasure.complied_in_whole_or_in_part, erasure.still_open), (2, 1, 1));
    assert_eq!(m.total.received, 5, "the request received in 2024 counts in 2024");
    assert_eq!(m.total.median_days_to_respond, Some(30.0));
    // Per month: January's two were answered on time, February's one was late.
    assert_eq!(m.months[0].received, 2);
    assert_eq!(m.months[0].on_time_rate, Some(1.0));
    assert_eq!(m.months[1].on_time_rate, Some(0.0));
    assert_eq!(m.months[11].on_time_rate, None);
    // The CSV is one line per type and one for all.
    let mut csv = Vec::new();
    register::metrics_csv(&m, &mut csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(&lines[0][1], "access");
    assert_eq!(&lines[0][7], "30");
    assert_eq!(&lines[2][1], "all");
    assert!(register::year_metrics(&db, &FixedClock::at("2025-07-01"), 25).is_err());
}
