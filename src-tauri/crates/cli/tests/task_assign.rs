//! `task assign TASK NAME` / `--nobody` and `request list --assigned-to-me` (issue 18 item 4)
//! on a register file, where "me" is the name the officer works under ($USER). Both stores'
//! services are tested in `core/tests/task_assign_stores.rs`.

mod common;

use std::path::Path;
use std::process::Output;

fn rightsdesk(db: &Path, user: &str, args: &[&str]) -> Output {
    common::command(db, "2025-02-10T10:00:00Z", args).env("USER", user).output().expect("run rightsdesk")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn add(db: &Path, name: &str, email: &str) -> String {
    let args = ["request", "add", "--type", "erasure", "--regime", "eu-gdpr", "--jurisdiction", "DE", "--received", "2025-01-31"];
    let mut args = args.to_vec();
    args.extend(["--name", name, "--email", email, "--json"]);
    json(&rightsdesk(db, "anna", &args))["reference"].as_str().unwrap().to_string()
}

fn mine(db: &Path, user: &str) -> Vec<String> {
    let listed = json(&rightsdesk(db, user, &["request", "list", "--assigned-to-me", "--json"]));
    listed.as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_task_assigned_to_someone_lists_its_request_as_theirs_and_the_timeline_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "name,role,legal_duty\nCRM,own,\nBilling,own,\n").unwrap();
    json(&rightsdesk(&db, "anna", &["systems", "import", map.to_str().unwrap(), "--json"]));
    let first = add(&db, "Ada Example", "ada@example.org");
    let second = add(&db, "Bob Sample", "bob@example.org");
    assert!(mine(&db, "ben").is_empty());

    let task = json(&rightsdesk(&db, "anna", &["task", "assign", &format!("{first}#1"), "ben", "--json"]));
    assert_eq!(task["assignee"], "ben");
    assert_eq!(mine(&db, "ben"), vec![first.clone()], "ben's list");
    assert!(mine(&db, "anna").is_empty(), "not anna's");
    let shown = json(&rightsdesk(&db, "ben", &["request", "show", &first, "--json"]));
    let last = shown["timeline"].as_array().unwrap().last().unwrap().clone();
    assert!(last["summary"].as_str().unwrap().ends_with("assigned to ben"), "{last}");
    assert_eq!(last["actor"], "anna", "anna assigned it");
    let listed = rightsdesk(&db, "ben", &["task", "list", &first]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("assigned to ben"));

    // On a stale version, refused; with --nobody, unassigned.
    let v = shown["version"].as_i64().unwrap();
    let stale = rightsdesk(&db, "ben", &["task", "assign", &format!("{first}#2"), "ben", "--expect-version", &(v - 1).to_string()]);
    assert!(String::from_utf8_lossy(&stale.stderr).contains("changed by anna at 2025-02-10 10:00:00 UTC — reload"));
    json(&rightsdesk(&db, "ben", &["task", "assign", &format!("{second}#2"), "ben", "--json"]));
    assert_eq!(mine(&db, "ben"), vec![first.clone(), second.clone()]);
    let task = json(&rightsdesk(&db, "ben", &["task", "assign", &format!("{first}#1"), "--nobody", "--json"]));
    assert_eq!(task["assignee"], serde_json::Value::Null);
    assert_eq!(mine(&db, "ben"), vec![second]);
    // Neither a name nor --nobody: refused by the parser.
    assert!(!rightsdesk(&db, "ben", &["task", "assign", &format!("{first}#1")]).status.success());
}
