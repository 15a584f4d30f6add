//! The work behind an answer from the command line: a real binary on a real SQLite file.

mod common;

use std::path::Path;
use std::process::Output;

use common::PASSPHRASE;

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::command(db, "2026-11-23T10:00:00Z", args).env("USER", "dpo").output().expect("run rightsdesk")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("JSON on stdout")
}

const MAP: &str = "name,vendor,role,purposes,location,retention,legal_duty\n\
    Stripe,\"Stripe, Inc.\",sub-processor,Payment processing,USA,7 years,\"Tax law: payment records, 7 years\"\n\
    CRM,,own,Customer accounts,EU,While a customer,\n";

fn erasure(db: &Path) -> String {
    let out = rightsdesk(
        db,
        &[
            "request",
            "add",
            "--type",
            "erasure",
            "--regime",
            "eu-gdpr",
            "--jurisdiction",
            "DE",
            "--received",
            "2026-11-20",
            "--email",
            "ada@example.org",
            "--name",
            "Ada Example",
            "--json",
        ],
    );
    json(&out)["reference"].as_str().unwrap().to_string()
}

#[test]
fn an_officer_works_an_erasure_request_from_the_map_to_completion() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let map = dir.path().join("map.csv");
    std::fs::write(&map, MAP).unwrap();
    assert!(ok(&rightsdesk(&db, &["systems", "import", map.to_str().unwrap()])).contains("2 added"));
    let reference = erasure(&db);

    let tasks = json(&rightsdesk(&db, &["task", "list", &reference, "--json"]));
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[1]["system_name"], "Stripe");
    assert_eq!(tasks[1]["action"], "delete");

    ok(&rightsdesk(&db, &["request", "status", &reference, "in-progress"]));
    let refused = rightsdesk(&db, &["request", "status", &reference, "completed"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tasks: 2 tasks are still open (CRM, Stripe)"));

    let done = json(&rightsdesk(&db, &["task", "done", &format!("{reference}#1"), "--note", "deleted in the CRM", "--json"]));
    assert_eq!(done["status"], "done");
    assert_eq!(done["closed_by"], "dpo");
    let export = dir.path().join("stripe-export.json");
    std::fs::write(&export, b"{\"customer\": \"cus_123\"}").unwrap();
    let e = json(&rightsdesk(&db, &["evidence", "add", &reference, export.to_str().unwrap(), "--system", "stripe", "--json"]));
    assert_eq!(e["task_id"], tasks[1]["id"]);
    assert_eq!(e["name"], "stripe-export.json");
    let exempt =
        json(&rightsdesk(&db, &["task", "done", &format!("{reference}#2"), "--exempt", "Tax law: payment records, 7 years", "--json"]));
    assert_eq!(exempt["status"], "exempt");

    let completed = json(&rightsdesk(&db, &["request", "status", &reference, "completed", "--json"]));
    assert_eq!(completed["request"]["status"], "completed");
    let human = ok(&rightsdesk(&db, &["task", "list", &reference]));
    assert!(human.contains("kept: Tax law: payment records, 7 years"), "{human}");
    assert!(ok(&rightsdesk(&db, &["audit", "verify"])).contains("the audit trail is intact"));
}

#[test]
fn a_data_map_file_with_a_bad_row_is_refused_whole_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,role\nStripe,sub-processor\nCRM,landlord\n").unwrap();
    let out = rightsdesk(&db, &["systems", "import", map.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("import: line 3, role:"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&rightsdesk(&db, &["systems", "list", "--json"])), serde_json::json!([]));
}

#[test]
fn the_starter_map_exports_as_csv_that_a_parser_reads_and_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    ok(&rightsdesk(&db, &["systems", "starter"]));
    let out = dir.path().join("map.csv");
    ok(&rightsdesk(&db, &["systems", "export", "--format", "csv", "--out", out.to_str().unwrap()]));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert!(names.contains(&"Stripe".to_string()), "{names:?}");
    let other = dir.path().join("other.sqlite3");
    assert!(ok(&rightsdesk(&other, &["systems", "import", out.to_str().unwrap()])).contains(&format!("{} added", names.len())));
}

#[test]
fn a_tampered_trail_fails_verification_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let reference = erasure(&db);
    ok(&rightsdesk(&db, &["request", "status", &reference, "in-progress"]));
    ok(&rightsdesk(&db, &["request", "status", &reference, "paused"]));
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "key", PASSPHRASE).unwrap();
        c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
        c.execute_batch("DROP TRIGGER events_are_append_only_update; UPDATE events SET actor = 'nobody' WHERE seq = 2;").unwrap();
    }
    let out = rightsdesk(&db, &["audit", "verify"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("event 2: event 2 was changed after it was recorded"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("first breaks at event 2"));

    let export = dir.path().join("trail.csv");
    ok(&rightsdesk(&db, &["audit", "export", "--out", export.to_str().unwrap()]));
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(!text.contains("Ada"), "no personal data in the regulator's export");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&export).unwrap().records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
}

#[test]
fn evidence_with_a_hostile_name_is_stored_under_its_hash_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("r.sqlite3");
    let reference = erasure(&db);
    let hostile = dir.path().join("..\u{2215}..\u{2215}passwd\u{202E}fdp.exe");
    std::fs::write(&hostile, b"root:x:0:0").unwrap();
    let e = json(&rightsdesk(&db, &["evidence", "add", &reference, hostile.to_str().unwrap(), "--json"]));
    assert_eq!(e["name"], "passwdfdp.exe");
    // The same bytes again: one stored copy, encrypted, under the evidence directory only.
    json(&rightsdesk(&db, &["evidence", "add", &reference, hostile.to_str().unwrap(), "--json"]));
    let shards: Vec<_> = std::fs::read_dir(dir.path().join("data").join("evidence")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(shards.len(), 1);
    let files: Vec<_> = std::fs::read_dir(&shards[0]).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    assert!(!std::fs::read(&files[0]).unwrap().windows(4).any(|w| w == b"root"));
    // And it comes back out whole.
    let back = dir.path().join("back.bin");
    ok(&rightsdesk(&db, &["evidence", "get", e["id"].as_str().unwrap(), "--out", back.to_str().unwrap()]));
    assert_eq!(std::fs::read(back).unwrap(), b"root:x:0:0");
}
