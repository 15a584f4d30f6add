//! `rightsdesk export requests` and `rightsdesk metrics` as a script uses them.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::run(db, "2025-07-01T10:00:00Z", args)
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_register_goes_to_standard_output_or_a_file_and_python_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(&rightsdesk(&db, &["demo", "load"]));
    let csv = ok(&rightsdesk(&db, &["export", "requests", "--format", "csv"]));
    let path = dir.path().join("register.csv");
    std::fs::write(&path, &csv).unwrap();
    let py = Command::new("python3")
        .arg("-c")
        .arg("import csv,sys; rows=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig',newline=''))); print(len(rows), rows[0]['reference'])")
        .arg(&path)
        .output()
        .unwrap();
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    let listed = ok(&rightsdesk(&db, &["request", "list", "--json"]));
    let n = serde_json::from_str::<serde_json::Value>(&listed).unwrap().as_array().unwrap().len();
    assert!(String::from_utf8_lossy(&py.stdout).starts_with(&format!("{n} DSR-")));
    let json_file = dir.path().join("register.json");
    ok(&rightsdesk(&db, &["export", "requests", "--format", "json", "--out", json_file.to_str().unwrap()]));
    let rows: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_file).unwrap()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), n);
    let bad = rightsdesk(&db, &["export", "requests", "--format", "xlsx"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("format: is csv or json"));
}

#[test]
fn the_yearly_metrics_print_as_text_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(&rightsdesk(&db, &["demo", "load"]));
    let text = ok(&rightsdesk(&db, &["metrics", "--year", "2025"]));
    assert!(text.contains("MEDIAN DAYS") && text.contains("All requests"), "{text}");
    let csv = ok(&rightsdesk(&db, &["metrics", "--year", "2025", "--format", "csv"]));
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "year,request_type,received,complied_in_whole_or_in_part,denied,withdrawn_or_duplicate,still_open,median_days_to_respond,mean_days_to_respond"
    );
    assert!(csv.lines().last().unwrap().starts_with("2025,all,"));
}
