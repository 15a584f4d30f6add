//! `rightsdesk dashboard` and `rightsdesk bulk`: the real binary on a real (encrypted) SQLite file.

mod common;

use std::path::Path;
use std::process::Output;

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::run(db, "2025-02-10T10:00:00Z", args)
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn the_dashboard_of_the_demo_puts_the_overdue_request_first_with_both_dates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    json(&rightsdesk(&db, &["demo", "load", "--json"]));
    let d = json(&rightsdesk(&db, &["dashboard", "--json"]));
    assert_eq!(d["today"], "2025-02-10");
    let overdue = d["overdue"].as_array().unwrap();
    assert_eq!(d["overdue_count"].as_u64().unwrap() as usize, overdue.len());
    assert!(!overdue.is_empty(), "the demo has an overdue request: {d}");
    assert!(overdue[0]["due"].as_str().unwrap() < "2025-02-10");
    assert!(overdue[0]["target"].is_string(), "the internal target is shown beside the legal date");
    assert_eq!(d["per_month"].as_array().unwrap().len(), 12);
    assert_eq!(d["needs_you"][0]["kind"], "overdue");
    let text = rightsdesk(&db, &["dashboard"]);
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Overdue: "), "{text}");
    assert!(text.contains(overdue[0]["reference"].as_str().unwrap()), "{text}");
}

#[test]
fn a_bulk_status_change_is_all_or_nothing_and_names_the_request_that_blocked_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    for (name, email) in [("Ada Example", "ada@example.org"), ("Bob Sample", "bob@example.org"), ("Cy Person", "cy@example.org")] {
        json(&rightsdesk(
            &db,
            &[
                "request",
                "add",
                "--type",
                "access",
                "--regime",
                "eu-gdpr",
                "--jurisdiction",
                "DE",
                "--received",
                "2025-02-01",
                "--name",
                name,
                "--email",
                email,
                "--json",
            ],
        ));
    }
    json(&rightsdesk(&db, &["request", "status", "DSR-2025-0003", "withdrawn", "--json"]));
    let refused = rightsdesk(&db, &["bulk", "status", "--to", "in-progress", "DSR-2025-0001", "DSR-2025-0003"]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("DSR-2025-0003"), "{err}");
    let first = json(&rightsdesk(&db, &["request", "show", "DSR-2025-0001", "--json"]));
    assert_eq!(first["request"]["status"], "received", "nothing changed");

    let out = json(&rightsdesk(&db, &["bulk", "status", "--to", "in-progress", "DSR-2025-0001", "DSR-2025-0002", "--json"]));
    assert_eq!(out["changed"], 2);
    let dup = json(&rightsdesk(&db, &["bulk", "duplicate", "--of", "DSR-2025-0001", "DSR-2025-0002", "--json"]));
    assert_eq!(dup["references"][0], "DSR-2025-0002");
    let shown = json(&rightsdesk(&db, &["request", "show", "DSR-2025-0002", "--json"]));
    assert_eq!(shown["request"]["status"], "duplicate");
    assert_eq!(shown["request"]["status_reason"], "duplicate of DSR-2025-0001");
    let last = shown["timeline"].as_array().unwrap().last().unwrap().clone();
    assert!(last["data"].as_str().unwrap().contains(dup["batch"].as_str().unwrap()), "audited with its batch: {last}");
}

#[test]
fn the_list_searches_notes_and_sorts_by_subject() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    json(&rightsdesk(&db, &["demo", "load", "--json"]));
    let found = json(&rightsdesk(&db, &["request", "list", "--search", "support tickets", "--json"]));
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "only Marta's notes mention support tickets");
    assert_eq!(found[0]["subject"]["name"], "Marta Kowalczyk");
    let sorted = json(&rightsdesk(&db, &["request", "list", "--sort", "subject", "--json"]));
    let names: Vec<String> = sorted.as_array().unwrap().iter().map(|r| r["subject"]["name"].as_str().unwrap().to_lowercase()).collect();
    let mut expected = names.clone();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn a_bulk_completion_with_open_tasks_needs_a_reason_and_records_the_override_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,role,legal_duty\nCRM,own,\n").unwrap();
    json(&rightsdesk(&db, &["systems", "import", map.to_str().unwrap(), "--json"]));
    for (name, email) in [("Ada Example", "ada@example.org"), ("Bob Sample", "bob@example.org")] {
        json(&rightsdesk(
            &db,
            &[
                "request",
                "add",
                "--type",
                "access",
                "--regime",
                "eu-gdpr",
                "--jurisdiction",
                "DE",
                "--received",
                "2025-02-01",
                "--name",
                name,
                "--email",
                email,
                "--json",
            ],
        ));
    }
    let both = ["DSR-2025-0001", "DSR-2025-0002"];
    json(&rightsdesk(&db, &[&["bulk", "status", "--to", "in-progress", "--json"][..], &both].concat()));
    let refused = rightsdesk(&db, &[&["bulk", "status", "--to", "completed"][..], &both].concat());
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("task") && err.contains("DSR-2025-0001"), "{err}");
    for r in both {
        let shown = json(&rightsdesk(&db, &["request", "show", r, "--json"]));
        assert_eq!(shown["request"]["status"], "in-progress", "nothing changed: {r}");
    }
    json(&rightsdesk(&db, &[&["bulk", "status", "--to", "completed", "--reason", "answered by phone", "--json"][..], &both].concat()));
    for r in both {
        let shown = json(&rightsdesk(&db, &["request", "show", r, "--json"]));
        assert_eq!(shown["request"]["status"], "completed");
        let kinds: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert!(kinds.ends_with(&["tasks-overridden", "status-changed"]), "{r}: {kinds:?}");
    }
}
