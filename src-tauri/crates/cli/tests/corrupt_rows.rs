//! A register whose file holds a value no version of Rightsdesk wrote (a
//! status, a date, a kind overwritten by a tool or a damaged disk) is read
//! strictly: the command fails and names the table, the column and the row,
//! instead of showing the officer `open` or 1970-01-01 as if it were recorded.
//! A real binary on a real encrypted SQLite file, corrupted with plain SQL.

mod common;

use std::path::Path;
use std::process::Output;

use common::PASSPHRASE;

fn rightsdesk(db: &Path, args: &[&str]) -> Output {
    common::command(db, "2026-11-23T10:00:00Z", args).env("USER", "dpo").output().expect("run rightsdesk")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The command failed, and said which table, column and row, and nothing of the subject.
fn refused_naming(out: &Output, table_column: &str, row: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "a corrupt {table_column} was read without complaint:\n{stdout}");
    assert!(stderr.contains(&format!("{table_column} of row {row}")), "{stderr}");
    for personal in ["Ada", "ada@example.org"] {
        assert!(!stderr.contains(personal), "the error quotes personal data: {stderr}");
    }
    stderr
}

/// Plain SQL on the encrypted file, as a repair tool or a bad restore would write.
fn tamper(db: &Path, sql: &str) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.pragma_update(None, "key", PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    // The statuses have CHECK constraints; a damaged file does not honour them.
    c.pragma_update(None, "ignore_check_constraints", true).unwrap();
    assert_eq!(c.execute(sql, []).unwrap(), 1, "{sql}");
}

/// A register with one erasure request and a task for each of two systems.
fn register(dir: &Path) -> (std::path::PathBuf, serde_json::Value) {
    let db = dir.join("r.sqlite3");
    let map = dir.join("map.csv");
    std::fs::write(&map, "name,role\nCRM,own\nStripe,sub-processor\n").unwrap();
    assert!(rightsdesk(&db, &["systems", "import", map.to_str().unwrap()]).status.success());
    let request = json(&rightsdesk(
        &db,
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
    ));
    (db, request)
}

#[test]
fn a_task_whose_stored_status_is_garbage_is_an_error_naming_the_row_not_an_open_task() {
    let dir = tempfile::tempdir().unwrap();
    let (db, request) = register(dir.path());
    let reference = request["reference"].as_str().unwrap();
    let tasks = json(&rightsdesk(&db, &["task", "list", reference, "--json"]));
    assert_eq!(tasks.as_array().unwrap().len(), 2, "{tasks}");
    let done = json(&rightsdesk(&db, &["task", "done", &format!("{reference}#2"), "--note", "deleted", "--json"]));
    let task = done["id"].as_str().unwrap();

    tamper(&db, &format!("UPDATE tasks SET status = 'finished-ish' WHERE id = '{task}'"));

    refused_naming(&rightsdesk(&db, &["task", "list", reference, "--json"]), "tasks.status", task);
    refused_naming(&rightsdesk(&db, &["task", "list", reference]), "tasks.status", task);
}

#[test]
fn a_request_whose_stored_date_is_garbage_is_an_error_in_show_and_list_not_1970() {
    let dir = tempfile::tempdir().unwrap();
    let (db, request) = register(dir.path());
    let (id, reference) = (request["id"].as_str().unwrap(), request["reference"].as_str().unwrap());

    tamper(&db, &format!("UPDATE requests SET received_at = 'yesterday-ish' WHERE id = '{id}'"));

    refused_naming(&rightsdesk(&db, &["request", "show", reference, "--json"]), "requests.received_at", id);
    refused_naming(&rightsdesk(&db, &["request", "show", reference]), "requests.received_at", id);
    refused_naming(&rightsdesk(&db, &["request", "list", "--json"]), "requests.received_at", id);
}

#[test]
fn a_request_whose_stored_type_is_garbage_is_an_error_naming_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let (db, request) = register(dir.path());
    let (id, reference) = (request["id"].as_str().unwrap(), request["reference"].as_str().unwrap());

    tamper(&db, &format!("UPDATE requests SET request_type = 'wish' WHERE id = '{id}'"));

    refused_naming(&rightsdesk(&db, &["task", "list", reference, "--json"]), "requests.request_type", id);
    refused_naming(&rightsdesk(&db, &["request", "show", reference, "--json"]), "requests.request_type", id);
}
