//! The CLI as a script uses it: a real binary on a real SQLite file.

use std::path::Path;
use std::process::{Command, Output};

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rightsdesk"))
        .args(args)
        .env("RIGHTSDESK_DB", db)
        .env("RIGHTSDESK_NOW", "2025-02-10T10:00:00Z")
        .output()
        .expect("run rightsdesk")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

const ADA: &[&str] = &[
    "request", "add", "--type", "access", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received", "2025-01-31",
    "--email", "ada@example.org", "--name", "Ada Example",
];

#[test]
fn the_readme_example_prints_due_28_february() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let mut args = ADA.to_vec();
    args.push("--json");
    let request = json(&rightsdesk(&db, &args));
    assert_eq!(request["due"], "2025-02-28");
    assert_eq!(request["days_left"], 18);
    assert_eq!(request["reference"], "DSR-2025-0001");
    let listed = json(&rightsdesk(&db, &["request", "list", "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let shown = json(&rightsdesk(&db, &["request", "show", "DSR-2025-0001", "--json"]));
    assert_eq!(shown["request"]["subject"]["email"], "ada@example.org");
    assert_eq!(shown["timeline"][0]["kind"], "registered");
}

#[test]
fn the_db_flag_overrides_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let env_db = dir.path().join("env.sqlite3");
    let flag_db = dir.path().join("flag.sqlite3");
    let mut args = ADA.to_vec();
    args.extend(["--db", flag_db.to_str().unwrap()]);
    assert!(rightsdesk(&env_db, &args).status.success());
    assert!(flag_db.exists());
    let in_env = json(&rightsdesk(&env_db, &["request", "list", "--json"]));
    assert!(in_env.as_array().unwrap().is_empty());
}

#[test]
fn bad_input_names_the_field_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    let before = row_counts(&db);
    let cases: &[(&str, &str, &str)] = &[
        ("--type", "acces", "type:"),
        ("--email", "ada@@example", "email:"),
        ("--received", "2025-02-30", "received:"),
        ("--received", "2025-03-01", "received: is in the future"),
        ("--regime", "gdpr", "regime:"),
    ];
    for (flag, value, expected) in cases {
        let mut args = ADA.to_vec();
        let at = args.iter().position(|a| a == flag).unwrap();
        args[at + 1] = value;
        let out = rightsdesk(&db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{flag} {value} was accepted");
        assert!(stderr.contains(expected), "{flag} {value}: stderr was {stderr}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(row_counts(&db), before, "nothing was written by the refused requests");
}

#[test]
fn status_changes_follow_the_rules_and_need_reasons_where_the_law_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    let out = rightsdesk(&db, &["request", "status", "DSR-2025-0001", "completed"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot go from received to completed"));
    let out = rightsdesk(&db, &["request", "status", "DSR-2025-0001", "refused"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("reason"));
    let d = json(&rightsdesk(&db, &["request", "status", "DSR-2025-0001", "in-progress", "--json"]));
    assert_eq!(d["request"]["status"], "in-progress");
    let d = json(&rightsdesk(&db, &["request", "status", "DSR-2025-0001", "completed", "--json"]));
    assert_eq!(d["request"]["status"], "completed");
    assert_eq!(d["timeline"].as_array().unwrap().len(), 3);
    assert!(d["request"]["days_left"].is_null());
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, ADA).status.success());
    {
        let conn = rusqlite_conn(&db);
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let out = rightsdesk(&db, &["request", "list"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("newer Rightsdesk"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.sqlite3");
    std::fs::write(&db, b"these are not the requests you are looking for, just text that is long enough").unwrap();
    let out = rightsdesk(&db, &["request", "list"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not be opened") && stderr.contains("notes.sqlite3"), "{stderr}");
}

#[test]
fn demo_data_loads_into_an_empty_database_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let loaded = json(&rightsdesk(&db, &["demo", "load", "--json"]));
    assert!(loaded["loaded"].as_u64().unwrap() >= 10);
    assert!(!rightsdesk(&db, &["demo", "load"]).status.success());
    let open = json(&rightsdesk(&db, &["request", "list", "--open", "--json"]));
    let all = json(&rightsdesk(&db, &["request", "list", "--json"]));
    assert!(open.as_array().unwrap().len() < all.as_array().unwrap().len());
}

/// Requests and timeline events in the file.
fn row_counts(path: &Path) -> (i64, i64) {
    let conn = rusqlite_conn(path);
    let count = |table: &str| conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
    (count("requests"), count("events"))
}

fn rusqlite_conn(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}
