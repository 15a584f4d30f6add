//! Opening a register for work from the CLI does what the app does at start:
//! open requests whose dates were computed under older rules are recomputed,
//! so a register used only from cron does not keep stale dates. Reading
//! commands open read-only and change nothing.

mod common;

use std::path::Path;

use common::{run, ADA};

const NOW: &str = "2025-02-10T10:00:00Z";

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = run(db, NOW, &args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn recomputed(detail: &serde_json::Value) -> Vec<&serde_json::Value> {
    detail["timeline"].as_array().unwrap().iter().filter(|e| e["kind"] == "dates-recomputed").collect()
}

/// Makes the request's stored dates look as an older version computed them: an older rule set and a later due date.
fn as_if_computed_by_an_older_version(db: &Path, id: &str) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.pragma_update(None, "key", common::PASSPHRASE).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let changed = c
        .execute(
            "UPDATE requests SET rule_set = 'eu-gdpr@2024.1', due = '2025-03-14', \
             schedule = json_set(schedule, '$.rule_set', 'eu-gdpr@2024.1', '$.due', '2025-03-14', '$.legal_due', '2025-03-14') \
             WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

#[test]
fn a_cron_only_register_gets_dates_computed_under_older_rules_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    let ada = json(&db, ADA);
    let id = ada["id"].as_str().unwrap().to_string();
    let current_rules = ada["schedule"]["rule_set"].as_str().unwrap().to_string();
    assert_eq!(ada["due"], "2025-02-28");
    as_if_computed_by_an_older_version(&db, &id);

    // Reading commands write nothing: the list shows the dates as stored.
    let listed = json(&db, &["request", "list"]);
    assert_eq!(listed[0]["due"], "2025-03-14", "a reading command recomputes nothing: {listed}");
    assert!(recomputed(&json(&db, &["request", "show", &id])).is_empty());

    // The reminders run from cron opens the register for work, as the app does at start.
    let out = run(&db, NOW, &["remind"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let detail = json(&db, &["request", "show", &id]);
    assert_eq!(detail["request"]["due"], "2025-02-28", "the due date is recomputed under the current rules: {detail}");
    assert_eq!(detail["request"]["schedule"]["rule_set"], current_rules.as_str());
    let events = recomputed(&detail);
    assert_eq!(events.len(), 1, "one dates-recomputed event on the timeline: {detail}");
    assert!(events[0]["summary"].as_str().unwrap().contains("the rules were updated"), "{}", events[0]);
    assert!(events[0]["summary"].as_str().unwrap().contains("→ Fri 28 Feb 2025"), "{}", events[0]);

    // Opening again finds nothing stale and adds nothing.
    let out = run(&db, NOW, &["remind"]);
    assert!(out.status.success());
    assert_eq!(recomputed(&json(&db, &["request", "show", &id])).len(), 1);
}
