//! The generated data set: deterministic, realistic, and readable by the core
//! exactly like data the officers entered. (No timing here: the figures are
//! printed by `scripts/bench.sh`, never asserted.)

use rightsdesk_bench::dataset::{generate, Spec};
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::Status;
use rightsdesk_core::requests;
use rightsdesk_core::requests::rows::RequestFilter;
use rightsdesk_core::store::{Db, DbKey};

fn rows(db: &Db) -> Vec<String> {
    db.read(|c| {
        let mut stmt = c.prepare(
            "SELECT id || reference || status || COALESCE(due, '') || subject_name || COALESCE(subject_email, '') || schedule FROM requests ORDER BY number",
        )?;
        let mut out = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = c.prepare("SELECT request_id || at || kind || summary || data || actor FROM events ORDER BY seq")?;
        out.extend(stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?);
        Ok(out)
    })
    .unwrap()
}

fn generated(n: u64, seed: u64) -> Db {
    let db = Db::open_in_memory().unwrap();
    generate(&db, &Spec::new(n, seed)).unwrap();
    db
}

#[test]
fn the_same_seed_writes_the_same_data_set_and_another_seed_another() {
    let a = rows(&generated(300, 42));
    assert_eq!(a, rows(&generated(300, 42)));
    assert_ne!(a, rows(&generated(300, 43)));
}

#[test]
fn a_data_set_has_about_ten_timeline_events_per_request_across_laws_types_and_stages() {
    let db = Db::open_in_memory().unwrap();
    let summary = generate(&db, &Spec::new(3_000, 7)).unwrap();
    assert_eq!(summary.requests, 3_000);
    let per_request = summary.events as f64 / summary.requests as f64;
    assert!((9.0..11.0).contains(&per_request), "{per_request} events per request");
    assert!(summary.by_regime.len() >= 15, "{:?}", summary.by_regime);
    assert!(summary.by_regime["eu-gdpr"] > summary.by_regime["uk-gdpr"]);
    assert!(summary.by_type.len() >= 9, "{:?}", summary.by_type);
    for status in Status::ALL {
        assert!(summary.by_status.get(status.as_str()).copied().unwrap_or(0) > 0, "no {status} request: {:?}", summary.by_status);
    }
    let open: u64 = Status::ALL.iter().filter(|s| !s.is_closed()).map(|s| summary.by_status[s.as_str()]).sum();
    assert!((30..600).contains(&open), "{open} open requests of 3,000");
}

#[test]
fn every_generated_request_reads_back_through_the_core_with_a_valid_history() {
    let db = generated(1_000, 5);
    let clock = FixedClock::at("2026-11-23");
    let all = requests::list(&db, &clock, &RequestFilter { limit: Some(10_000), ..Default::default() }).unwrap();
    assert_eq!(all.len(), 1_000);
    for r in all.iter().step_by(7) {
        let d = requests::detail(&db, &clock, &r.reference).unwrap();
        assert_eq!(d.timeline[0].kind, "registered");
        assert!(d.timeline.windows(2).all(|w| w[0].at <= w[1].at), "{} timeline out of order", r.reference);
        // Replaying the status changes along the allowed transitions ends at the stored status.
        let mut status = Status::Received;
        for e in d.timeline.iter().filter(|e| e.kind == "status-changed") {
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap();
            let to: Status = serde_json::from_value(data["to"].clone()).unwrap();
            assert!(status.can_move_to(to), "{}: {status} -> {to}", r.reference);
            status = to;
        }
        assert_eq!(status, r.status, "{}", r.reference);
        assert_eq!(r.due, r.schedule.legal_due);
        if Status::needs_reason(r.status) {
            assert!(r.status_reason.is_some(), "{} has no reason", r.reference);
        }
    }
}

#[test]
fn the_data_set_is_written_into_an_encrypted_file_and_only_into_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let key = || DbKey::passphrase("rightsdesk-bench").unwrap();
    let db = Db::open(&path, &key()).unwrap();
    generate(&db, &Spec::new(200, 1)).unwrap();
    assert_eq!(generate(&db, &Spec::new(200, 1)).unwrap_err().field(), Some("db"));
    drop(db);
    assert!(!rightsdesk_core::store::db::is_plaintext_sqlite(&path));
    let db = Db::open(&path, &key()).unwrap();
    assert_eq!(requests::count(&db).unwrap(), 200);
}
