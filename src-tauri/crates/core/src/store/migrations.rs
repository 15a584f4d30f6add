//! Migrations are history: numbered, applied atomically, never edited once shipped.

use rusqlite::Connection;
use rusqlite_migration::{HookError, Migrations, M};

use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    // 1: requests, their timeline, settings.
    include_str!("migrations/0001_requests.sql"),
    // 2: clock events and schedule history (deadline engine).
    include_str!("migrations/0002_clock_events.sql"),
    // 3: data map, tasks, identity verification, evidence.
    include_str!("migrations/0003_work.sql"),
    // 4: mail settings, letters, outbox, reminders.
    include_str!("migrations/0004_mail.sql"),
    // 5: packages, imports.
    include_str!("migrations/0005_packages.sql"),
    // 6: retention purge marks, one-time redaction of timeline events.
    include_str!("migrations/0006_security.sql"),
    // 7: the officer's workspace: saved filters.
    include_str!("migrations/0007_workspace.sql"),
    // 8: indexes for the list, detail and dashboard at 100,000 requests (issue 8).
    include_str!("migrations/0008_indexes.sql"),
    // 9: the list's search as an FTS5 trigram index kept in step by triggers (issue 8).
    include_str!("migrations/0009_search.sql"),
    // 10: the data map's legal basis and source per system, for the answer package's cover letter (issue 6).
    include_str!("migrations/0010_datamap_letter.sql"),
    // 11: the dashboard at any size: the date each request was closed, figures by day and
    // status kept by triggers, indexes over open requests (issue 8).
    include_str!("migrations/0011_dashboard.sql"),
    // 12: a bulk import writes the search index once, not once per request (issue 8).
    include_str!("migrations/0012_bulk_search.sql"),
    // 13: the audit trail seals the request rows' state; `audit_legacy` consumed and dropped (issue 16).
    include_str!("migrations/0013_audit_states.sql"),
    // 14: a registration's idempotency key, so a retried submission is not registered twice (issue 16).
    include_str!("migrations/0014_submissions.sql"),
    // 15: automated decision-making per system, and the officer's statements of facts a package lacks (issue 19).
    include_str!("migrations/0015_automated_decisions.sql"),
    // 16: an appeal records the earlier request it appeals (issue 19).
    include_str!("migrations/0016_appeal_of.sql"),
    // 17: the privacy mailbox: the IMAP folder's UIDVALIDITY and last UID, and the intake (issue 17).
    include_str!("migrations/0017_mailbox.sql"),
    // 18: mails to a system's owner about a task, and the owners' replies filed on it (issue 17).
    include_str!("migrations/0018_owner_mail.sql"),
    // 19: requests handled as a processor for a customer, the controller (issue 19).
    include_str!("migrations/0019_processor.sql"),
    // 20: the dashboard at 1,000,000 requests: open requests by type, regime and dates kept by triggers (issue 21).
    include_str!("migrations/0020_open_tallies.sql"),
    // 21: the dashboard at 1,000,000 requests: open, unextended requests by the last day to notify an extension (issue 21).
    include_str!("migrations/0021_open_notices.sql"),
    // 22: registering one request at a time writes fewer B-trees: five indexes no query reads dropped (issue 21).
    include_str!("migrations/0022_fewer_indexes.sql"),
    // 23: a task can be assigned to a member of the team; "assigned to me" (issue 18).
    include_str!("migrations/0023_task_assignee.sql"),
    // 24: registering one request at a time merges the search index's segments less often (issue 21).
    include_str!("migrations/0024_search_automerge.sql"),
    // 25: the search index merged into one segment, not left in the middle of a bulk write's merges (issue 21).
    include_str!("migrations/0025_search_merged.sql"),
    // 26: a reference in any letter case is looked up upper-cased in the unique index; the NOCASE index dropped (issue 21).
    include_str!("migrations/0026_reference_upper.sql"),
    // 27: the retention purge's candidates in a partial index a registration does not write (issue 21).
    include_str!("migrations/0027_closed_unpurged.sql"),
    // 28: the index on (request_type, due, number) dropped: the list by type walks its order instead (issue 21).
    include_str!("migrations/0028_no_type_due.sql"),
    // 29: a schedule's explanation kept once, named in the request's schedule by its hash (issue 21).
    include_str!("migrations/0029_schedule_explanations.sql"),
    // 30: whether a request is closed written as comparisons in its indexes and triggers, not an IN list (issue 21).
    include_str!("migrations/0030_closed_as_comparisons.sql"),
    // 31: the sealed states' index by seq dropped: verify sorts them itself (issue 21).
    include_str!("migrations/0031_no_states_by_seq.sql"),
];

/// Migrations whose SQL is followed, in the same transaction, by a step in Rust.
fn migration(index: usize, sql: &'static str) -> M<'static> {
    match index {
        10 => M::up_with_hook(sql, |tx: &rusqlite::Transaction| backfill_closed_on(tx).map_err(|e| HookError::Hook(e.to_string()))),
        12 => M::up_with_hook(sql, |tx: &rusqlite::Transaction| {
            crate::store::events::upgrade_to_request_states(tx).map_err(|e| HookError::Hook(e.to_string()))
        }),
        _ => M::up(sql),
    }
}

fn all() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().enumerate().map(|(i, sql)| migration(i, sql)).collect())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

pub fn apply(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let found = usize::try_from(found).unwrap_or(usize::MAX);
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    all().to_latest(conn)?;
    Ok(())
}

/// Fills `closed_on` for requests closed before the column existed (migration
/// 11): the date of the last status change that closed each one, or of its
/// last update when its timeline has none.
fn backfill_closed_on(conn: &Connection) -> Result<()> {
    let mut closed = std::collections::HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT e.request_id, e.at FROM events e \
         WHERE e.kind = 'status-changed' \
           AND json_extract(e.data, '$.to') IN ('completed', 'refused', 'withdrawn', 'duplicate') \
         ORDER BY e.seq",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?)))? {
        if let (Some(id), at) = row? {
            closed.insert(id, at);
        }
    }
    let mut requests =
        conn.prepare("SELECT id, time_zone, updated_at FROM requests WHERE status IN ('completed', 'refused', 'withdrawn', 'duplicate')")?;
    let mut update = conn.prepare("UPDATE requests SET closed_on = ?2 WHERE id = ?1")?;
    let rows = requests.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (id, zone, updated) = row?;
        let at = closed.get(&id).map_or(updated.as_str(), String::as_str);
        update.execute(rusqlite::params![id, crate::clock::local_date(crate::store::events::parse_instant(at), &zone).to_string()])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(all().validate().is_ok());
    }

    #[test]
    fn requests_closed_before_the_closing_date_was_kept_get_it_from_their_timeline_on_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = Migrations::new(MIGRATIONS[..10].iter().map(|sql| M::up(sql)).collect());
        before.to_latest(&mut conn).unwrap();
        let insert = |id: &str, number: i64, status: &str, updated: &str| {
            conn.execute(
                "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
                 channel, received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at) \
                 VALUES (?1, ?2, ?1, 'access', 'eu-gdpr', 'DE', 'Zoë Older', NULL, 'email', '2024-01-01T09:00:00+00:00', \
                 '2024-01-01', 'Europe/Berlin', ?3, 'x', '{}', '2024-01-01T09:00:00+00:00', ?4)",
                rusqlite::params![id, number, status, updated],
            )
            .unwrap();
        };
        insert("closed", 1, "completed", "2024-03-05T10:00:00+00:00");
        insert("no-timeline", 2, "refused", "2024-02-10T23:30:00+00:00");
        insert("open", 3, "in-progress", "2024-02-01T10:00:00+00:00");
        // Completed at 23:30 UTC on 31 January: 1 February in Berlin. A later note does not move it.
        for (at, kind, data) in [
            ("2024-01-20T10:00:00+00:00", "status-changed", r#"{"from":"received","to":"in-progress"}"#),
            ("2024-01-31T23:30:00+00:00", "status-changed", r#"{"from":"in-progress","to":"completed"}"#),
            ("2024-03-05T10:00:00+00:00", "note", "{}"),
        ] {
            conn.execute(
                "INSERT INTO events (request_id, at, kind, summary, data, actor) VALUES ('closed', ?1, ?2, 's', ?3, 't')",
                rusqlite::params![at, kind, data],
            )
            .unwrap();
        }
        apply(&mut conn).unwrap();
        let closed_on =
            |id: &str| -> Option<String> { conn.query_row("SELECT closed_on FROM requests WHERE id = ?1", [id], |r| r.get(0)).unwrap() };
        assert_eq!(closed_on("closed").as_deref(), Some("2024-02-01"));
        assert_eq!(closed_on("no-timeline").as_deref(), Some("2024-02-11"), "its last update, in Berlin");
        assert_eq!(closed_on("open"), None);
        assert!(crate::register::tally::check(&conn).unwrap().is_empty(), "the figures count the backfilled answers");
        let answered: i64 = conn.query_row("SELECT sum(answered) FROM request_days", [], |r| r.get(0)).unwrap();
        assert_eq!(answered, 2);
    }

    #[test]
    fn the_upgrade_seals_events_from_before_the_chain_and_every_request_as_a_baseline_and_drops_audit_legacy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let mut conn = Connection::open(&path).unwrap();
            // Keyed as files were before store::PageHmac (HMAC-SHA512, SQLCipher's default): an old file.
            conn.pragma_update(None, "key", crate::testutil::TEST_PASSPHRASE).unwrap();
            Migrations::new(MIGRATIONS[..2].iter().map(|sql| M::up(sql)).collect()).to_latest(&mut conn).unwrap();
            conn.execute(
                "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
                 channel, received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at) \
                 VALUES ('r1', 1, 'DSR-2024-0001', 'access', 'eu-gdpr', 'DE', 'Zoë Older', NULL, 'email', \
                 '2024-01-01T09:00:00+00:00', '2024-01-01', 'Europe/Berlin', 'in-progress', 'x', '{}', \
                 '2024-01-01T09:00:00+00:00', '2024-01-01T09:00:00+00:00')",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO events (request_id, at, kind, summary, data, actor) \
                 VALUES ('r1', '2024-01-01T09:00:00+00:00', 'registered', 'Registered', '{}', 'o')",
                [],
            )
            .unwrap();
            // Up to the version before this one: the chain exists but is still empty.
            Migrations::new(MIGRATIONS[..12].iter().enumerate().map(|(i, sql)| migration(i, sql)).collect()).to_latest(&mut conn).unwrap();
        }
        let db = crate::testutil::test_db(&path);
        let report = crate::audit::verify(&db).unwrap();
        assert!(report.intact, "{:?}", report.problems);
        assert_eq!(report.checked, 2, "the old event and the baseline");
        let (seq, _) = crate::audit::state_baseline(&db).unwrap().expect("a baseline");
        assert_eq!(seq, 2);
        let gone: i64 =
            db.read(|c| Ok(c.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'audit_legacy'", [], |r| r.get(0))?)).unwrap();
        assert_eq!(gone, 0);
        drop(db);
        // Still in the format it was created in: an old file is not converted.
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "key", crate::testutil::TEST_PASSPHRASE).unwrap();
        c.execute_batch("UPDATE requests SET status = 'completed' WHERE id = 'r1';").unwrap();
        drop(c);
        let report = crate::audit::verify(&crate::testutil::test_db(&path)).unwrap();
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(report.problems[0].problem.contains("request DSR-2024-0001 (r1) no longer matches"), "{:?}", report.problems);
        assert!(report.problems[0].problem.contains("status changed"), "{:?}", report.problems);
    }

    #[test]
    fn requests_registered_before_the_search_index_are_found_after_the_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before_search = Migrations::new(MIGRATIONS[..8].iter().map(|sql| M::up(sql)).collect());
        before_search.to_latest(&mut conn).unwrap();
        conn.execute(
            "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
             channel, received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at) \
             VALUES ('r1', 1, 'DSR-2024-0001', 'access', 'eu-gdpr', 'DE', 'Zoë Older', 'zoe@old.example', 'email', \
             '2024-01-01T00:00:00Z', '2024-01-01', 'UTC', 'completed', 'x', '{}', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        apply(&mut conn).unwrap();
        let found: i64 =
            conn.query_row("SELECT rowid FROM requests_search WHERE requests_search MATCH '\"zoe older\"'", [], |r| r.get(0)).unwrap();
        assert_eq!(found, 1);
    }

    /// Request number `n` for the search index tests, its name "Subject Qx<n>zq", in one statement
    /// (one commit, as the form registers one).
    fn insert_subject_qx(conn: &Connection, n: i64) {
        conn.execute(
            "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, \
             channel, received_at, received_on, time_zone, status, rule_set, schedule, created_at, updated_at) \
             VALUES ('r' || ?1, ?1, printf('DSR-2024-%04d', ?1), 'access', 'eu-gdpr', 'DE', 'Subject Qx' || ?1 || 'zq', NULL, \
             'email', '2024-01-01T00:00:00Z', '2024-01-01', 'UTC', 'received', 'x', '{}', '2024-01-01T00:00:00Z', \
             '2024-01-01T00:00:00Z')",
            [n],
        )
        .unwrap();
    }

    #[test]
    fn the_search_index_merges_at_eight_segments_and_finds_every_request_registered_one_at_a_time() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        let automerge: i64 = conn.query_row("SELECT v FROM requests_search_config WHERE k = 'automerge'", [], |r| r.get(0)).unwrap();
        assert_eq!(automerge, 8);
        // One commit per request, as the form registers them: each adds a segment, and
        // enough of them (600) that levels fill and are merged.
        for n in 1..=600 {
            insert_subject_qx(&conn, n);
        }
        conn.execute_batch("INSERT INTO requests_search (requests_search) VALUES ('integrity-check');").unwrap();
        for n in [1, 7, 8, 9, 63, 64, 65, 300, 511, 512, 600] {
            let found: Vec<i64> = conn
                .prepare("SELECT rowid FROM requests_search WHERE requests_search MATCH ?1")
                .unwrap()
                .query_map([format!("\"qx{n}zq\"")], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(found, vec![n], "request {n}");
        }
        let all: i64 =
            conn.query_row("SELECT count(*) FROM requests_search WHERE requests_search MATCH '\"subject qx\"'", [], |r| r.get(0)).unwrap();
        assert_eq!(all, 600);
    }

    #[test]
    fn the_upgrade_merges_the_search_index_into_one_segment_and_it_still_finds_every_request() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = Migrations::new(MIGRATIONS[..24].iter().map(|sql| M::up(sql)).collect());
        before.to_latest(&mut conn).unwrap();
        // One statement per request, as the form registers them: one segment each, merged by levels.
        for n in 1..=100 {
            insert_subject_qx(&conn, n);
        }
        assert!(crate::requests::rows::search_segments(&conn).unwrap() > 1);
        apply(&mut conn).unwrap();
        assert_eq!(crate::requests::rows::search_segments(&conn).unwrap(), 1);
        conn.execute_batch("INSERT INTO requests_search (requests_search) VALUES ('integrity-check');").unwrap();
        for n in [1, 8, 9, 64, 65, 100] {
            let found: i64 = conn
                .query_row("SELECT rowid FROM requests_search WHERE requests_search MATCH ?1", [format!("\"qx{n}zq\"")], |r| r.get(0))
                .unwrap();
            assert_eq!(found, n);
        }
    }
}
