//! Whether a request is closed is written as comparisons, not an IN list, in
//! the indexes and triggers of `requests` (migration 30, issue 21 item 6).
//! SQLite evaluates `status IN ('completed', 'refused', 'withdrawn',
//! 'duplicate')` through a temporary B-tree it builds each time a statement
//! runs: every request registered or changed built ten of them, about an
//! eighth of a CSV import's time. What is checked here is the schema and the
//! statement SQLite compiles for a write, on a real encrypted file; the time
//! itself is measured by `scripts/bench.sh`, not by a test.

use std::path::Path;

use rightsdesk_core::domain::{closed_sql_of, CLOSED_SQL};
use rightsdesk_core::store::{Db, DbKey};
use rusqlite::Connection;

const PASS: &str = "closed comparisons passphrase";

fn register(path: &Path) -> Connection {
    drop(Db::open(path, &DbKey::passphrase(PASS).unwrap()).unwrap());
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "key", PASS).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    c
}

/// How many temporary B-trees the statement `sql` opens (its `OpenEphemeral` instructions).
fn temporary_btrees(c: &Connection, sql: &str) -> usize {
    let mut explain = c.prepare(&format!("EXPLAIN {sql}")).unwrap();
    let ops: Vec<String> = explain.query_map([], |r| r.get(1)).unwrap().map(Result::unwrap).collect();
    assert!(ops.len() > 10, "EXPLAIN gave no program for {sql}");
    ops.iter().filter(|op| op.as_str() == "OpenEphemeral").count()
}

#[test]
fn the_indexes_and_triggers_of_requests_test_closedness_with_the_queries_own_comparisons() {
    let dir = tempfile::tempdir().unwrap();
    let c = register(&dir.path().join("register.sqlite3"));
    let defs: Vec<(String, String)> = c
        .prepare("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'requests' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, sql) in &defs {
        assert!(!sql.contains("'withdrawn', 'duplicate')"), "{name} still tests closedness with an IN list:\n{sql}");
    }
    let forms = [CLOSED_SQL.to_string(), closed_sql_of("NEW.status"), closed_sql_of("OLD.status")];
    let mut using: Vec<&str> =
        defs.iter().filter(|(_, sql)| forms.iter().any(|f| sql.contains(f.as_str()))).map(|(n, _)| n.as_str()).collect();
    using.sort_unstable();
    assert_eq!(
        using,
        [
            "requests_by_list_order",
            "requests_by_status_list_order",
            "requests_closed_unpurged",
            "requests_open_by_extension_notice",
            "requests_open_by_list_order",
            "requests_open_by_target",
            "requests_open_dashboard",
            "requests_open_notice_delete",
            "requests_open_notice_insert",
            "requests_open_notice_update",
            "requests_open_tally_delete",
            "requests_open_tally_insert",
            "requests_open_tally_update",
        ]
    );
}

#[test]
fn writing_a_request_builds_one_temporary_btree_the_status_checks_own() {
    let dir = tempfile::tempdir().unwrap();
    let c = register(&dir.path().join("register.sqlite3"));
    let insert = "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
                  identifiers, channel, received_at, received_on, time_zone, status, notes, due, target, rule_set, schedule, \
                  created_at, updated_at) VALUES ('r1', 1, 'DSR-2026-0001', 'access', 'eu-gdpr', 'DE', 'Ada', 'ada@example.org', '[]', \
                  'email', '2026-12-01T09:00:00+00:00', '2026-12-01', 'Europe/Berlin', 'received', '', '2027-01-01', '2026-12-20', \
                  'eu-gdpr@1', '{}', '2026-12-01T09:00:00+00:00', '2026-12-01T09:00:00+00:00')";
    // The one left is the CHECK on the status column (nine values), which only copying the table could change.
    assert_eq!(temporary_btrees(&c, insert), 1);
    assert_eq!(temporary_btrees(&c, "UPDATE requests SET status = 'completed', due = NULL, closed_on = '2026-12-02' WHERE id = 'r1'"), 1);
}
