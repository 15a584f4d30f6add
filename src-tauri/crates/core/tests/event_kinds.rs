//! The timeline's event kinds are one closed set (`EventKind`), on a real
//! encrypted SQLite file: what an earlier version stored keeps reading (and
//! keeps its sealed text), today's code writes one spelling, and a kind no
//! Rightsdesk wrote is reported as a corrupt row instead of shown as is.

use rightsdesk_core::audit;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{EventKind, NewRequest, RequestType};
use rightsdesk_core::identity;
use rightsdesk_core::requests;
use rightsdesk_core::store::{events, Db, DbKey};

fn open(dir: &tempfile::TempDir) -> Db {
    Db::open(&dir.path().join("register.sqlite3"), &DbKey::passphrase("event kinds passphrase").unwrap()).unwrap()
}

fn ada() -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Example".into(),
        subject_email: "ada@example.org".into(),
        received: "2026-11-20".into(),
        ..Default::default()
    }
}

/// Writes an event as a version that spelt its kind `kind` did: the row, then its seal.
fn store_as_an_earlier_version(db: &Db, request_id: &str, kind: &str) -> i64 {
    db.write(|tx| {
        tx.execute(
            "INSERT INTO events (request_id, at, kind, summary, data, actor) \
             VALUES (?1, '2026-11-21T09:00:00+00:00', ?2, 'Identity documents are deleted 7 days after verification', \
                     '{\"key\":\"identity.document_days\",\"value\":7}', 'officer')",
            [request_id, kind],
        )?;
        let seq = tx.last_insert_rowid();
        events::seal(tx, seq)?;
        Ok(seq)
    })
    .unwrap()
}

fn stored_kind(db: &Db, seq: i64) -> String {
    db.read(|c| Ok(c.query_row("SELECT kind FROM events WHERE seq = ?1", [seq], |r| r.get(0))?)).unwrap()
}

#[test]
fn a_settings_change_stored_with_the_old_spelling_still_reads_and_its_seal_still_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2026-11-21");
    let r = requests::register(&db, &clock, &ada(), "officer").unwrap();
    let seq = store_as_an_earlier_version(&db, &r.id, "setting-changed");

    let detail = requests::detail(&db, &clock, &r.id).expect("the timeline reads");
    let old = detail.timeline.iter().find(|e| e.seq == seq).expect("the old event is on the timeline");
    assert_eq!(old.kind, EventKind::SettingsChanged);
    let json = serde_json::to_value(old).unwrap();
    assert_eq!(json["kind"], "settings-changed", "the window gets the one spelling it has a label for");

    assert_eq!(stored_kind(&db, seq), "setting-changed", "the stored row is never rewritten");
    let report = audit::verify(&db).unwrap();
    assert!(report.intact && report.problems.is_empty(), "the sealed text still matches: {:?}", report.problems);
}

#[test]
fn the_identity_document_period_is_recorded_as_a_settings_change_like_every_other_setting() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2026-11-21");
    identity::set_document_days(&db, &clock, 7, "officer").unwrap();
    let kinds: Vec<String> = db.read(|c| Ok(events::chain(c)?.into_iter().map(|r| r.kind).collect())).unwrap();
    assert_eq!(kinds, ["settings-changed"]);
}

#[test]
fn a_kind_no_rightsdesk_wrote_is_a_corrupt_row_named_by_table_column_and_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let clock = FixedClock::at("2026-11-21");
    let r = requests::register(&db, &clock, &ada(), "officer").unwrap();
    let seq = store_as_an_earlier_version(&db, &r.id, "note");

    let err = requests::detail(&db, &clock, &r.id).expect_err("an unknown kind is not shown as if it were one");
    let message = err.to_string();
    assert!(message.contains(&format!("events.kind of row {seq}")), "{message}");
    assert!(!message.contains("note") && !message.contains("Ada"), "names the place, not the value: {message}");
}
