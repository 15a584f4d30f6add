//! The audit trail covers the register itself (issue 16): a request row
//! changed or deleted with the file decrypted is named by `audit verify`, with
//! the field that no longer matches; `audit_legacy` is no back door. Real
//! encrypted SQLite files, changed with rusqlite and the key as an intruder
//! with sqlite3 would.

use std::path::{Path, PathBuf};

use rightsdesk_core::audit::{self, AuditReport};
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines::EngineOptions;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{NewRequest, RequestType, Status};
use rightsdesk_core::requests;
use rightsdesk_core::retention;
use rightsdesk_core::store::{Db, DbKey};
use rusqlite::Connection;

const PASS: &str = "audit trail passphrase";

fn open(path: &Path) -> Db {
    Db::open(path, &DbKey::passphrase(PASS).unwrap()).unwrap()
}

fn grace(received: &str) -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Grace Hopperton".into(),
        subject_email: "grace.hopperton@example.org".into(),
        received: received.into(),
        ..Default::default()
    }
}

/// A register of three requests: one open, one completed, one refused.
fn register() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.sqlite3");
    let db = open(&path);
    let clock = FixedClock::at("2026-03-02");
    let open_one = requests::register(&db, &clock, &grace("2026-02-20"), "officer").unwrap();
    let done = requests::register(&db, &clock, &grace("2026-02-21"), "officer").unwrap();
    let refused = requests::register(&db, &clock, &grace("2026-02-22"), "officer").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&open_one.id), Status::InProgress, None, "officer").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&done.id), Status::InProgress, None, "officer").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&done.id), Status::Completed, None, "officer").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&refused.id), Status::Refused, Some("manifestly unfounded"), "officer").unwrap();
    (dir, path)
}

/// Changes the file behind the app's back, as someone with the file, the key and sqlite3 could.
fn tamper(path: &Path, sql: &str) {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "key", PASS).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    c.execute_batch(sql).unwrap();
}

fn verify(path: &Path) -> AuditReport {
    let report = audit::verify(&open(path)).unwrap();
    assert_eq!(report.intact, report.problems.is_empty());
    report
}

fn said(report: &AuditReport) -> String {
    report.problems.iter().map(|p| format!("event {}: {}\n", p.seq, p.problem)).collect()
}

#[test]
fn an_untouched_register_verifies_after_every_kind_of_write() {
    let (_dir, path) = register();
    let db = open(&path);
    // Recomputing every open request's dates, and the retention purge years
    // later, change rows too; each seals the new state with its event.
    let later = FixedClock::at("2026-03-03");
    rightsdesk_core::requests::schedules::set_deadline_options(
        &db,
        &later,
        &EngineOptions { target_working_days: 5, ..Default::default() },
        "officer",
    )
    .unwrap();
    let years_later = FixedClock::at("2031-06-01");
    let purged = retention::purge(&db, &years_later, "officer", None).unwrap();
    assert!(purged.requests >= 2, "the closed requests were purged: {purged:?}");
    drop(db);
    let report = verify(&path);
    assert!(report.intact, "{}", said(&report));
}

#[test]
fn a_request_changed_in_the_file_is_named_with_the_field_that_differs() {
    // (what the intruder does to DSR-2026-0002, the completed request; the words verify must use)
    let cases = [
        ("UPDATE requests SET status = 'refused' WHERE reference = 'DSR-2026-0002'", "status"),
        ("UPDATE requests SET due = '2026-12-31' WHERE reference = 'DSR-2026-0002'", "due date"),
        ("UPDATE requests SET closed_on = '2026-03-20' WHERE reference = 'DSR-2026-0002'", "closing day"),
        ("UPDATE requests SET received_on = '2026-02-25' WHERE reference = 'DSR-2026-0002'", "date received"),
        ("UPDATE requests SET subject_name = 'Someone Else' WHERE reference = 'DSR-2026-0002'", "subject name"),
        ("UPDATE requests SET regime = 'uk-gdpr' WHERE reference = 'DSR-2026-0002'", "regime"),
        (
            "UPDATE requests SET schedule = json_set(schedule, '$.extended_due', '2026-06-30') WHERE reference = 'DSR-2026-0002'",
            "extended due date",
        ),
        ("UPDATE requests SET purged_at = '2026-03-05T10:00:00+00:00' WHERE reference = 'DSR-2026-0002'", "purge"),
    ];
    for (sql, field) in cases {
        let (_dir, path) = register();
        assert!(verify(&path).intact, "before: {sql}");
        tamper(&path, sql);
        let report = verify(&path);
        let text = said(&report);
        assert!(!report.intact, "{sql}: the trail still says intact");
        let line = report
            .problems
            .iter()
            .find(|p| p.problem.contains("DSR-2026-0002"))
            .unwrap_or_else(|| panic!("{sql}: the request is not named:\n{text}"));
        let named = line.problem.rsplit_once("): ").and_then(|(_, t)| t.strip_suffix(" changed behind Rightsdesk's back")).unwrap_or("");
        assert!(named.split(", ").any(|f| f == field), "{sql}: {field} not named:\n{text}");
        assert!(!text.contains("Grace") && !text.contains("grace.hopperton") && !text.contains("Someone"), "{text}");
    }
}

#[test]
fn a_request_deleted_from_the_file_with_its_timeline_is_named() {
    let (_dir, path) = register();
    tamper(
        &path,
        "PRAGMA foreign_keys = ON; DELETE FROM tasks WHERE request_id IN (SELECT id FROM requests WHERE reference = 'DSR-2026-0003');
         DELETE FROM requests WHERE reference = 'DSR-2026-0003';",
    );
    let report = verify(&path);
    let text = said(&report);
    assert!(text.contains("request DSR-2026-0003") && text.contains("was deleted"), "{text}");
}

#[test]
fn a_request_inserted_into_the_file_is_named() {
    let (_dir, path) = register();
    tamper(
        &path,
        "INSERT INTO requests (id, number, reference, request_type, regime, jurisdiction, subject_name, subject_email, identifiers, \
         channel, received_at, received_on, time_zone, status, notes, due, target, rule_set, schedule, created_at, updated_at) \
         SELECT 'forged', 99, 'DSR-2026-0099', request_type, regime, jurisdiction, subject_name, subject_email, identifiers, channel, \
         received_at, received_on, time_zone, 'completed', notes, due, target, rule_set, schedule, created_at, updated_at \
         FROM requests WHERE reference = 'DSR-2026-0001';",
    );
    let text = said(&verify(&path));
    assert!(text.contains("request DSR-2026-0099 (forged) is not in the audit trail"), "{text}");
}

#[test]
fn a_forged_state_added_to_match_a_changed_row_is_not_trusted() {
    let (_dir, path) = register();
    // The intruder changes the status and adds a state row that matches it,
    // copying what Rightsdesk would have written, at an event number with no seal.
    tamper(&path, "UPDATE requests SET status = 'withdrawn' WHERE reference = 'DSR-2026-0001';");
    let forged = {
        let db = open(&path);
        db.read(|c| {
            let id: String = c.query_row("SELECT id FROM requests WHERE reference = 'DSR-2026-0001'", [], |r| r.get(0))?;
            Ok(rightsdesk_core::store::events::request_state(c, &id)?.unwrap())
        })
        .unwrap()
    };
    tamper(
        &path,
        &format!(
            "INSERT INTO audit_states (seq, request_id, reference, digest, fields) VALUES (999, '{}', '{}', '{}', '{}');",
            forged.request_id, forged.reference, forged.digest, forged.fields
        ),
    );
    let text = said(&verify(&path));
    assert!(text.contains("request DSR-2026-0001") && text.contains("status changed"), "{text}");
    assert!(text.contains("event 999 have no seal"), "{text}");
}

#[test]
fn a_row_in_audit_legacy_lets_no_forged_event_through_even_after_the_next_write() {
    let (_dir, path) = register();
    // The hole: a row in `audit_legacy` claiming that every event so far was
    // written before the chain existed. Today's schema has no such table; the
    // intruder makes one, as an old version of the code would have read it.
    tamper(
        &path,
        "INSERT INTO events (request_id, at, kind, summary, data, actor) \
         SELECT id, '2026-03-02T12:00:00+00:00', 'status-changed', 'Status: received → completed', '{\"from\":\"received\",\"to\":\"completed\"}', 'officer' \
         FROM requests WHERE reference = 'DSR-2026-0001';
         CREATE TABLE IF NOT EXISTS audit_legacy (upto INTEGER NOT NULL) STRICT;
         INSERT INTO audit_legacy (upto) SELECT max(seq) FROM events;",
    );
    let forged: i64 = {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "key", PASS).unwrap();
        c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
        c.query_row("SELECT max(seq) FROM events", [], |r| r.get(0)).unwrap()
    };
    let expected = format!("event {forged} was not recorded by Rightsdesk (inserted behind its back)");
    let report = verify(&path);
    assert!(report.problems.iter().any(|p| p.problem == expected), "{}", said(&report));

    // The next ordinary write does not seal the forgery into the chain.
    let db = open(&path);
    let clock = FixedClock::at("2026-03-03");
    let open_one = requests::detail(&db, &clock, "DSR-2026-0001").unwrap().request;
    requests::change_status(&db, &clock, &RequestId::from(&open_one.id), Status::Paused, None, "officer").unwrap();
    drop(db);
    let report = verify(&path);
    assert!(report.problems.iter().any(|p| p.problem == expected), "{}", said(&report));
}

#[test]
fn a_row_changed_in_the_file_stays_found_after_the_officer_changes_it_again() {
    let (_dir, path) = register();
    // The intruder moves the day of receipt (and with it every date), then the
    // officer, unaware, pauses the request: that write must not seal the forgery.
    tamper(&path, "UPDATE requests SET received_on = '2026-02-27' WHERE reference = 'DSR-2026-0001';");
    let db = open(&path);
    let clock = FixedClock::at("2026-03-04");
    requests::change_status(&db, &clock, &RequestId::from("DSR-2026-0001"), Status::Paused, None, "officer").unwrap();
    let timeline = requests::detail(&db, &clock, "DSR-2026-0001").unwrap().timeline;
    assert!(timeline.iter().any(|e| e.kind == "request-state-mismatch" && e.summary.contains("date received")), "on the timeline");
    drop(db);
    let report = verify(&path);
    let text = said(&report);
    assert!(
        text.contains("request DSR-2026-0001")
            && text.contains("had been changed behind Rightsdesk's back")
            && text.contains("date received"),
        "{text}"
    );
}

#[test]
fn a_row_changed_in_the_file_and_then_purged_is_not_sealed_as_purged() {
    let (_dir, path) = register();
    // The intruder moves the completed request's due date and marks the open
    // one completed; years later the officer runs the retention purge, which
    // changes both rows: its seal must not adopt either forgery.
    tamper(
        &path,
        "UPDATE requests SET due = '2026-12-31' WHERE reference = 'DSR-2026-0002';
         UPDATE requests SET status = 'completed' WHERE reference = 'DSR-2026-0001';",
    );
    let db = open(&path);
    let purged = retention::purge(&db, &FixedClock::at("2031-06-01"), "officer", None).unwrap();
    assert_eq!(purged.requests, 3, "{purged:?}");
    drop(db);
    let report = verify(&path);
    let text = said(&report);
    assert!(!report.intact, "the purge sealed the forged rows: {text}");
    for (reference, field) in [("DSR-2026-0002", "due date"), ("DSR-2026-0001", "status")] {
        assert!(
            report.problems.iter().any(|p| p.problem.contains(&format!("request {reference}"))
                && p.problem.contains("had been changed behind Rightsdesk's back")
                && p.problem.contains(field)),
            "{reference} ({field}) is not named:\n{text}"
        );
    }
    assert!(!text.contains("Grace") && !text.contains("grace.hopperton"), "{text}");
}

/// The audit chain's rows and sealed states, every column, in order.
fn chain_of(path: &Path) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "key", PASS).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let rows = |sql: &str, n: usize| -> Vec<Vec<String>> {
        c.prepare(sql)
            .unwrap()
            .query_map([], |r| (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}"))).collect())
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    (
        rows("SELECT seq, request_id, at, kind, actor, content_sha256, prev_hash, hash, state_sha256 FROM audit_chain ORDER BY seq", 9),
        rows("SELECT seq, request_id, reference, digest, fields FROM audit_states ORDER BY seq, request_id", 5),
    )
}

#[test]
fn sealing_pending_events_in_one_pass_gives_what_sealing_each_in_turn_gives() {
    use rightsdesk_core::store::events;
    use rightsdesk_core::store::Conn;
    // Events written unsealed in bulk, as the benchmark's data sets are: two for each request,
    // after one request's row changed (its first of them seals its new state).
    let (_dir, path) = register();
    tamper(
        &path,
        "UPDATE requests SET notes = 'changed before the bulk events' WHERE number = 2; \
         INSERT INTO events (request_id, at, kind, summary, data, actor) \
             SELECT id, '2026-03-03T10:00:00+00:00', 'task-updated', 'note ' || number, '{}', 'officer' FROM requests ORDER BY number; \
         INSERT INTO events (request_id, at, kind, summary, data, actor) \
             SELECT id, '2026-03-04T10:00:00+00:00', 'task-updated', 'second note ' || number, '{}', 'officer' FROM requests ORDER BY number;",
    );
    let twin = path.with_file_name("twin.sqlite3");
    std::fs::copy(&path, &twin).unwrap();
    let (before, _) = chain_of(&path);

    let one_by_one = {
        let db = open(&twin);
        db.write(|tx| {
            let c = Conn::from(tx);
            let pending: Vec<i64> =
                c.query_map("SELECT seq FROM events WHERE seq > (SELECT max(seq) FROM audit_chain) ORDER BY seq", &[], |r| r.get(0))?;
            for seq in &pending {
                events::seal(c, *seq)?;
            }
            Ok(pending.len())
        })
        .unwrap()
    };
    let in_one_pass = open(&path).write(|tx| events::seal_pending(Conn::from(tx))).unwrap();
    assert_eq!((in_one_pass, one_by_one), (6, 6), "six events were pending");

    let (chain, states) = chain_of(&path);
    assert_eq!(chain.len(), before.len() + 6);
    assert_eq!((chain.clone(), states.clone()), chain_of(&twin), "the same chain rows and states either way");
    let new_states: Vec<&Vec<String>> = states
        .iter()
        .filter(|s| s[0].trim_start_matches("Integer(").trim_end_matches(')').parse::<usize>().unwrap() > before.len())
        .collect();
    assert_eq!(new_states.len(), 1, "only the changed request's state is sealed again, at its first pending event: {new_states:?}");
}
