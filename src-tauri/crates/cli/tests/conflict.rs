//! `request status ID STATUS --expect-version N` (issue 18 item 4): a script that
//! read the request (`request show` prints its version) changes it only if no one
//! changed it since; otherwise it is refused with "changed by NAME at TIME —
//! reload", exits non-zero and writes nothing. Both stores' services are tested
//! in `core/tests/conflict_stores.rs`.

mod common;

use std::path::Path;
use std::process::Output;

use common::ADA;

fn rightsdesk(db: &Path, user: &str, args: &[&str]) -> Output {
    common::command(db, "2025-02-10T10:00:00Z", args).env("USER", user).output().expect("run rightsdesk")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn a_status_change_expecting_an_older_version_is_refused_naming_who_changed_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    assert!(rightsdesk(&db, "registrar", ADA).status.success());
    let shown = json(&rightsdesk(&db, "ben", &["request", "show", "DSR-2025-0001", "--json"]));
    let version = shown["version"].as_i64().expect("show prints the version");
    assert_eq!(version, shown["timeline"][0]["seq"].as_i64().unwrap(), "the last event's number");
    let text = rightsdesk(&db, "ben", &["request", "show", "DSR-2025-0001"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(&format!("version: {version}")));
    // Anna changes it after Ben read it.
    let v = version.to_string();
    json(&rightsdesk(&db, "anna", &["request", "status", "DSR-2025-0001", "awaiting-identity", "--expect-version", &v, "--json"]));
    // Ben's change on what he read is refused, and nothing of it is written.
    let refused = rightsdesk(&db, "ben", &["request", "status", "DSR-2025-0001", "in-progress", "--expect-version", &v]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("changed by anna at 2025-02-10 10:00:00 UTC — reload"), "{said}");
    let now = json(&rightsdesk(&db, "ben", &["request", "show", "DSR-2025-0001", "--json"]));
    assert_eq!(now["request"]["status"], "awaiting-identity");
    assert_eq!(now["timeline"].as_array().unwrap().len(), 2);
    // With the version he reads now, it goes through.
    let v = now["version"].as_i64().unwrap().to_string();
    let changed = json(&rightsdesk(&db, "ben", &["request", "status", "DSR-2025-0001", "in-progress", "--expect-version", &v, "--json"]));
    assert_eq!(changed["request"]["status"], "in-progress");
    assert_eq!(changed["timeline"][2]["actor"], "ben");
}
