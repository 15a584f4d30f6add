//! A schedule's explanation kept once (migration 29, issue 21): the request's
//! row holds its dates and the SHA-256 of how they were reached, the words are
//! kept once for every request that shares them. What the officer reads (the
//! request, the list, a search) is the engine's whole explanation, as before;
//! a schedule written whole by an earlier version reads as it was; an
//! explanation changed behind the app's back is refused when read and named by
//! `audit verify`. Real encrypted SQLite files, changed with rusqlite and the
//! key as an intruder with sqlite3 would.

use std::path::{Path, PathBuf};

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::deadlines::{compute, EngineOptions, Schedule, ScheduleInput};
use rightsdesk_core::domain::{Request, RequestType};
use rightsdesk_core::requests::{self, rows::RequestFilter};
use rightsdesk_core::store::{Db, DbKey};
use rusqlite::Connection;

mod common;

const PASS: &str = "explanations passphrase";

fn open(path: &Path) -> Db {
    Db::open(path, &DbKey::passphrase(PASS).unwrap()).unwrap()
}

fn file(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "key", PASS).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    c
}

/// What the deadline engine says of a GDPR access request received on `day`.
fn engine(day: &str) -> Schedule {
    compute(&ScheduleInput {
        regime: "eu-gdpr",
        jurisdiction: "DE",
        request_type: RequestType::Access,
        received_on: day.parse().unwrap(),
        events: &[],
        options: &EngineOptions::default(),
        today: None,
    })
    .unwrap()
}

/// Three requests: two received the same day (one explanation), one the next.
fn register() -> (tempfile::TempDir, PathBuf, Vec<Request>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.sqlite3");
    let db = open(&path);
    let clock = FixedClock::at("2026-03-02");
    let made = [("Ines Lindqvist", "2026-02-20"), ("Jorge Lindqvist", "2026-02-20"), ("Kim Lindqvist", "2026-02-21")]
        .iter()
        .map(|(name, day)| requests::register(&db, &clock, &common::gdpr_access(name, day), "officer").unwrap())
        .collect();
    (dir, path, made)
}

fn stored_schedules(path: &Path) -> Vec<String> {
    let c = file(path);
    let mut st = c.prepare("SELECT schedule FROM requests ORDER BY number").unwrap();
    st.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn each_request_reads_with_the_engines_whole_explanation_kept_once_for_those_that_share_it() {
    let (_dir, path, made) = register();
    // The rows hold the dates and a hash, not the words.
    let rows = stored_schedules(&path);
    for row in &rows {
        let v: serde_json::Value = serde_json::from_str(row).unwrap();
        assert!(v.get("steps").is_none() && v.get("readings").is_none(), "{row}");
        assert_eq!(v["explanation"].as_str().unwrap().len(), 64, "{row}");
        assert!(v["due"].is_string() && v["target"].is_string(), "the dates stay in the row: {row}");
    }
    assert!(rows[0].len() < 700, "a row's schedule is its dates: {} bytes", rows[0].len());
    let kept: i64 = file(&path).query_row("SELECT count(*) FROM schedule_explanations", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 2, "the two requests received the same day share one explanation");

    // What the officer reads is the engine's whole schedule, by every way of reading it.
    let db = open(&path);
    let clock = FixedClock::at("2026-03-02");
    let expected = [engine("2026-02-20"), engine("2026-02-20"), engine("2026-02-21")];
    assert!(!expected[0].steps.is_empty() && !expected[0].readings.is_empty());
    for (r, want) in made.iter().zip(&expected) {
        assert_eq!(&r.schedule, want, "as registered");
        let detail = requests::detail(&db, &clock, &r.reference).unwrap();
        assert_eq!(&detail.request.schedule, want, "the request's page");
    }
    let listed = requests::list(&db, &clock, &RequestFilter::default()).unwrap();
    assert_eq!(listed.len(), 3);
    for r in &listed {
        let want = &expected[made.iter().position(|m| m.id == r.id).unwrap()];
        assert_eq!(&r.schedule, want, "the list");
    }
    let filter = RequestFilter { search: Some("Jorge".into()), ..Default::default() };
    let (total, found) = db.read(|c| requests::rows::page(c, &filter, |_| "2026-03-02".parse().unwrap())).unwrap();
    assert_eq!((total, found.len()), (1, 1));
    assert_eq!(found[0].schedule, expected[1], "a search's page");

    // A recomputation (new deadline options) writes the new explanation the same way.
    let later = FixedClock::at("2026-03-03");
    requests::schedules::set_deadline_options(&db, &later, &EngineOptions { target_working_days: 2, ..Default::default() }, "officer")
        .unwrap();
    let after = requests::detail(&db, &later, &made[2].reference).unwrap().request.schedule;
    assert_ne!(after.target, expected[2].target, "the target moved");
    assert!(after.steps.iter().any(|s| s.detail.contains("2 working day")), "{:?}", after.steps);
    assert!(stored_schedules(&path).iter().all(|s| s.contains("\"explanation\"") && !s.contains("\"steps\"")));
    drop(db);
    let report = audit::verify(&open(&path)).unwrap();
    assert!(report.intact, "{:?}", report.problems);
}

#[test]
fn a_schedule_written_whole_by_an_earlier_version_reads_as_it_was() {
    let (_dir, path, made) = register();
    // As every version before migration 29 wrote it: the whole schedule in the row.
    let mut whole = engine("2026-02-21");
    whole.steps[0].detail = "Received (as an earlier version worded it)".into();
    let text = serde_json::to_string(&whole).unwrap();
    file(&path).execute("UPDATE requests SET schedule = ?1 WHERE id = ?2", [&text, &made[2].id]).unwrap();
    let db = open(&path);
    let read = requests::detail(&db, &FixedClock::at("2026-03-02"), &made[2].id).unwrap().request.schedule;
    assert_eq!(read, whole, "read from its own row, not from a kept explanation");
}

#[test]
fn an_explanation_changed_behind_the_apps_back_is_refused_and_named_by_verify() {
    let (_dir, path, made) = register();
    let c = file(&path);
    let changed = c
        .execute("UPDATE schedule_explanations SET text = replace(text, 'calendar month', 'three calendar months') WHERE text LIKE '%2026-02-21%'", [])
        .unwrap();
    assert_eq!(changed, 1, "the explanation of the request received on the 21st");
    drop(c);
    let db = open(&path);
    let clock = FixedClock::at("2026-03-02");
    let err = requests::detail(&db, &clock, &made[2].reference).unwrap_err();
    assert!(err.to_string().contains("schedule_explanations"), "{err}");
    assert!(requests::list(&db, &clock, &RequestFilter::default()).is_err(), "the list does not show the changed words either");
    // The other explanation is untouched and still reads.
    assert_eq!(requests::detail(&db, &clock, &made[0].reference).unwrap().request.schedule, engine("2026-02-20"));
    drop(db);
    let report = audit::verify(&open(&path)).unwrap();
    assert!(!report.intact);
    let said: Vec<&str> = report.problems.iter().map(|p| p.problem.as_str()).collect();
    assert!(said.iter().any(|p| p.contains("explanation of the dates") && p.contains("changed")), "{said:?}");
}

#[test]
fn an_explanation_deleted_behind_the_apps_back_is_refused_and_named_by_verify() {
    let (_dir, path, made) = register();
    let c = file(&path);
    assert_eq!(c.execute("DELETE FROM schedule_explanations WHERE text LIKE '%2026-02-21%'", []).unwrap(), 1);
    drop(c);
    let db = open(&path);
    let err = requests::detail(&db, &FixedClock::at("2026-03-02"), &made[2].reference).unwrap_err();
    assert!(err.to_string().contains("schedule"), "{err}");
    drop(db);
    let report = audit::verify(&open(&path)).unwrap();
    assert!(!report.intact);
    let said: Vec<&str> = report.problems.iter().map(|p| p.problem.as_str()).collect();
    assert!(said.iter().any(|p| p.contains("was removed") && p.contains(&made[2].reference)), "{said:?}");
}
