//! Backup, restore and the retention purge from the command line, as cron and an officer use them.

mod common;

use std::path::Path;
use std::process::Output;

fn rightsdesk(db: &Path, now: &str, args: &[&str]) -> Output {
    common::run(db, now, args)
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

const NOW: &str = "2025-02-10T10:00:00Z";

#[test]
fn a_backup_made_from_the_cli_restores_elsewhere_and_lists_the_same_requests() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live").join("r.sqlite3");
    json(&rightsdesk(&db, NOW, &["demo", "load", "--json"]));
    let file = dir.path().join("b.rdbackup");
    let made = json(&rightsdesk(&db, NOW, &["backup", "--out", file.to_str().unwrap(), "--json"]));
    assert_eq!(made["backup"]["requests"], 16);
    // The same name again is refused rather than overwritten.
    assert!(!rightsdesk(&db, NOW, &["backup", "--out", file.to_str().unwrap()]).status.success());

    let checked = json(&rightsdesk(&db, NOW, &["restore", file.to_str().unwrap(), "--verify-only", "--json"]));
    assert_eq!(checked["verified"]["requests"], 16);
    let other = dir.path().join("fresh").join("r.sqlite3");
    let restored = json(&rightsdesk(&other, NOW, &["restore", file.to_str().unwrap(), "--json"]));
    assert_eq!(restored["restored"]["requests"], 16);
    let a = json(&rightsdesk(&db, NOW, &["request", "list", "--json"]));
    let b = json(&rightsdesk(&other, NOW, &["request", "list", "--json"]));
    assert_eq!(a, b);

    let again = rightsdesk(&other, NOW, &["restore", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
}

#[test]
fn cron_backups_into_a_folder_keep_the_newest_n() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    json(&rightsdesk(&db, NOW, &["demo", "load", "--json"]));
    let folder = dir.path().join("backups");
    for day in ["2025-02-10", "2025-02-11", "2025-02-12", "2025-02-13"] {
        let now = format!("{day}T02:00:00Z");
        json(&rightsdesk(&db, &now, &["backup", "--dir", folder.to_str().unwrap(), "--keep", "2", "--json"]));
    }
    let mut names: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["rightsdesk-20250212T020000Z.rdbackup", "rightsdesk-20250213T020000Z.rdbackup"]);
}

#[test]
fn a_second_backup_in_the_same_second_keeps_the_one_it_reports_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    json(&rightsdesk(&db, NOW, &["demo", "load", "--json"]));
    let folder = dir.path().join("backups");
    let mut reported = Vec::new();
    for _ in 0..2 {
        // RIGHTSDESK_NOW pins the clock: both runs fall in the same second, as two quick cron runs can.
        let made = json(&rightsdesk(&db, NOW, &["backup", "--dir", folder.to_str().unwrap(), "--keep", "1", "--json"]));
        reported.push(made["backup"]["path"].as_str().unwrap().to_string());
    }
    assert_ne!(reported[0], reported[1]);
    assert!(Path::new(&reported[1]).exists(), "the backup just reported as written was deleted");
    let left: Vec<String> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    assert_eq!(left, [reported[1].clone()], "--keep 1 keeps the newest");
    let checked = json(&rightsdesk(&db, NOW, &["restore", &reported[1], "--verify-only", "--json"]));
    assert_eq!(checked["verified"]["requests"], 16);
}

#[test]
fn the_purge_preview_lists_what_the_purge_then_removes_and_the_names_are_gone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    json(&rightsdesk(&db, NOW, &["demo", "load", "--json"]));
    let later = "2028-03-01T10:00:00Z";
    let plan = json(&rightsdesk(&db, later, &["purge", "--dry-run", "--json"]));
    let refs: Vec<String> = plan["requests"].as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect();
    assert!(!refs.is_empty());
    let text = String::from_utf8_lossy(&rightsdesk(&db, later, &["purge", "--dry-run"]).stdout).into_owned();
    assert!(refs.iter().all(|r| text.contains(r.as_str())), "{text}");

    let done = json(&rightsdesk(&db, later, &["purge", "--json"]));
    assert_eq!(done["purged"]["requests"], refs.len());
    for r in &refs {
        let shown = json(&rightsdesk(&db, later, &["request", "show", r, "--json"]));
        assert!(shown["request"]["subject"]["name"].as_str().unwrap().contains("removed"));
        assert!(shown["request"]["subject"]["email"].is_null());
    }
    let after = json(&rightsdesk(&db, later, &["purge", "--dry-run", "--json"]));
    assert!(after["requests"].as_array().unwrap().is_empty());
}

#[test]
fn the_officer_changes_a_regimes_retention_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let set = json(&rightsdesk(&db, NOW, &["retention", "set", "ccpa", "30", "--json"]));
    assert_eq!((set["months"].as_u64(), set["default_months"].as_u64()), (Some(30), Some(24)));
    let shown = json(&rightsdesk(&db, NOW, &["retention", "show", "--json"]));
    let ccpa = shown.as_array().unwrap().iter().find(|p| p["regime"] == "ccpa").unwrap().clone();
    assert_eq!(ccpa["months"], 30);
    let bad = rightsdesk(&db, NOW, &["retention", "set", "ccpa", "0"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("months"));
}
