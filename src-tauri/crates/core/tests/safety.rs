//! Backups, restore and the retention purge, on real encrypted SQLite files.

use std::path::{Path, PathBuf};

use rightsdesk_core::backups as backup;
use rightsdesk_core::backups::restore;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::RequestId;
use rightsdesk_core::domain::{Identifier, NewRequest, RequestType, Status};
use rightsdesk_core::requests;
use rightsdesk_core::retention;
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::store::{self, Db, DbKey};
use rusqlite::types::Value;
use rusqlite::Connection;

const PASS: &str = "correct horse battery";

fn key() -> DbKey {
    DbKey::passphrase(PASS).unwrap()
}

fn ada(received: &str) -> NewRequest {
    NewRequest {
        request_type: RequestType::Erasure,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: "Ada Lovelace-Example".into(),
        subject_email: "ada.lovelace@example.org".into(),
        identifiers: vec![Identifier { kind: "customer id".into(), value: "C-77123".into() }],
        received: received.into(),
        notes: "Lives at 12 Analytical Row".into(),
        ..Default::default()
    }
}

/// Every table, every row, as values (raw SQL with the key, not through the store).
fn dump(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = '{PASS}';")).unwrap();
    conn.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| t != "sqlite_sequence");
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1")).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect::<Result<Vec<_>, _>>())
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            (t, rows)
        })
        .collect()
}

/// The restore as the tests' officer does it, at a pinned time.
fn by() -> restore::RestoredBy<'static> {
    static CLOCK: std::sync::LazyLock<FixedClock> = std::sync::LazyLock::new(|| FixedClock::at("2025-03-20"));
    restore::RestoredBy { clock: &*CLOCK, actor: "tester" }
}

fn files_under(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn populated(dir: &Path) -> Db {
    let db = Db::open(&dir.join("rightsdesk.sqlite3"), &key()).unwrap();
    let clock = FixedClock::at("2025-03-10");
    rightsdesk_core::workspace::demo::load(&db, &clock, "tester").unwrap();
    let r = requests::register(&db, &clock, &ada("2025-03-01"), "tester").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&r.id), Status::Refused, Some("Ada asked twice"), "tester").unwrap();
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(evidence.join("ab")).unwrap();
    std::fs::write(evidence.join("ab").join("ab12cd"), b"passport scan bytes \x00\x01\x02").unwrap();
    std::fs::write(evidence.join("ffee99"), vec![7u8; 300_000]).unwrap();
    db
}

#[test]
fn a_backup_restored_into_a_fresh_install_holds_every_row_and_every_evidence_file() {
    let old = tempfile::tempdir().unwrap();
    let db = populated(old.path());
    let file = old.path().join("backups").join("b.rdbackup");
    let summary = backup::backup_to(&db, &FixedClock::at("2025-03-11"), &file).unwrap();
    assert_eq!(summary.evidence_files, 2);
    assert!(summary.requests > 10);
    drop(db);

    let bytes = std::fs::read(&file).unwrap();
    for secret in ["Ada Lovelace", "ada.lovelace@example.org", "passport scan", "Analytical Row"] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "{secret} is readable in the backup");
    }

    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("data").join("rightsdesk.sqlite3");
    let restored = restore::restore(&file, &target, Some(PASS), &MemorySecrets::default(), false, &by()).unwrap();
    assert_eq!(restored.requests, summary.requests);
    assert_eq!(restored.evidence_files, 2);

    // Every row came back; the timeline and its seals have one more: the restore itself.
    let (mut got, want) = (dump(&target), dump(&old.path().join("rightsdesk.sqlite3")));
    for (table, rows) in got.iter_mut().filter(|(t, _)| t == "events" || t == "audit_chain") {
        let last = rows.pop().unwrap();
        assert!(last.contains(&Value::Text("backup-restored".into())), "{table}: the restore is the newest event");
    }
    assert_eq!(got, want);
    assert_eq!(files_under(&target.parent().unwrap().join("evidence")), files_under(&old.path().join("evidence")));
    // The writer lock file (`store::lock`) stays beside the database; it holds no data.
    let names: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| !n.to_string_lossy().ends_with(".lock"))
        .collect();
    assert_eq!(names.len(), 2, "only the database and the evidence folder, no leftovers: {names:?}");
    // And the restored database opens and works through the store.
    let db = Db::open(&target, &key()).unwrap();
    assert_eq!(requests::count(&db).unwrap() as u32, summary.requests);
}

#[test]
fn restore_refuses_to_overwrite_a_database_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let file = dir.path().join("b.rdbackup");
    backup::backup_to(&db, &FixedClock::at("2025-03-11"), &file).unwrap();
    let target = dir.path().join("rightsdesk.sqlite3");
    let err = restore::restore(&file, &target, Some(PASS), &MemorySecrets::default(), false, &by()).unwrap_err();
    assert_eq!(err.field(), Some("db"));
    // A change after the backup is undone by a forced restore.
    let clock = FixedClock::at("2025-03-12");
    requests::register(&db, &clock, &ada("2025-03-12"), "tester").unwrap();
    let before = requests::count(&db).unwrap();
    drop(db);
    restore::restore(&file, &target, Some(PASS), &MemorySecrets::default(), true, &by()).unwrap();
    let db = Db::open(&target, &key()).unwrap();
    assert_eq!(requests::count(&db).unwrap(), before - 1);
}

#[test]
fn a_damaged_or_wrongly_keyed_backup_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let file = dir.path().join("b.rdbackup");
    backup::backup_to(&db, &FixedClock::at("2025-03-11"), &file).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("rightsdesk.sqlite3");

    let err = restore::restore(&file, &target, Some("not the passphrase"), &MemorySecrets::default(), false, &by()).unwrap_err();
    assert!(err.to_string().contains("cannot be decrypted"), "{err}");

    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 0x40;
    let damaged = dir.path().join("damaged.rdbackup");
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(restore::restore(&damaged, &target, Some(PASS), &MemorySecrets::default(), false, &by()).is_err());
    let truncated = dir.path().join("truncated.rdbackup");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    assert!(restore::restore(&truncated, &target, Some(PASS), &MemorySecrets::default(), false, &by()).is_err());
    assert_eq!(std::fs::read_dir(fresh.path()).unwrap().count(), 0, "nothing was written");
}

#[test]
fn a_keyring_keyed_database_restores_with_the_key_from_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rightsdesk.sqlite3");
    let secrets = MemorySecrets::default();
    let db = store::unlock(&path, &secrets).unwrap();
    rightsdesk_core::workspace::demo::load(&db, &FixedClock::at("2025-03-10"), "t").unwrap();
    let file = dir.path().join("b.rdbackup");
    backup::backup_to(&db, &FixedClock::at("2025-03-11"), &file).unwrap();
    let target = dir.path().join("copy").join("rightsdesk.sqlite3");
    restore::restore(&file, &target, None, &secrets, false, &by()).unwrap();
    let copy = store::unlock(&target, &secrets).unwrap();
    assert_eq!(requests::count(&copy).unwrap(), requests::count(&db).unwrap());
}

#[test]
fn scheduled_backups_are_kept_n_deep_and_the_daily_one_runs_only_when_due() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let backups = dir.path().join("backups");
    for day in 1..=5 {
        backup::backup_rotating(&db, &FixedClock::at(&format!("2025-04-0{day}")), &backups, 3).unwrap();
    }
    let kept = backup::backups_in(&backups).unwrap();
    assert_eq!(kept.len(), 3);
    assert_eq!(kept[0].0.date_naive().to_string(), "2025-04-03");

    let clock = FixedClock::at("2025-04-05");
    backup::set_schedule(&db, &clock, "t", backups.to_str().unwrap(), 3, true).unwrap();
    assert!(backup::run_scheduled_if_due(&db, &clock).unwrap().is_none(), "the newest is from today");
    let ran = backup::run_scheduled_if_due(&db, &FixedClock::at("2025-04-07")).unwrap();
    assert!(ran.is_some());
    assert_eq!(backup::schedule(&db).unwrap().last_backup_at.unwrap()[..10], *"2025-04-07");
}

#[test]
fn backups_in_the_same_second_are_rotated_in_the_order_they_were_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = populated(dir.path());
    let backups = dir.path().join("backups");
    let clock = FixedClock::at("2025-04-01");
    let mut made = Vec::new();
    for _ in 0..11 {
        let (summary, _) = backup::backup_rotating(&db, &clock, &backups, 3).unwrap();
        assert!(Path::new(&summary.path).exists(), "the backup just written is kept");
        made.push(PathBuf::from(summary.path));
    }
    // The 9th, 10th and 11th of that second: `-10` and `-11` sort after `-9`, and all after the first.
    let kept: Vec<PathBuf> = backup::backups_in(&backups).unwrap().into_iter().map(|(_, p)| p).collect();
    assert_eq!(kept, made[8..].to_vec());
    assert!(made[10].to_string_lossy().ends_with("T120000Z-11.rdbackup"), "{}", made[10].display());

    // A clock set back: the new backup's name is older than those kept, and it is still kept.
    let (summary, removed) = backup::backup_rotating(&db, &FixedClock::at("2025-03-01"), &backups, 3).unwrap();
    assert!(Path::new(&summary.path).exists());
    assert_eq!(removed, vec![made[8].clone()]);
}

#[test]
fn the_purge_removes_personal_data_of_requests_closed_long_enough_and_keeps_the_skeleton() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("rightsdesk.sqlite3"), &key()).unwrap();
    let clock = FixedClock::at("2022-01-20");
    let old = requests::register(&db, &clock, &ada("2022-01-10"), "t").unwrap();
    requests::change_status(&db, &clock, &RequestId::from(&old.id), Status::Refused, Some("Ada Lovelace-Example asked twice"), "t")
        .unwrap();
    let recent = requests::register(&db, &FixedClock::at("2024-06-01"), &ada("2024-06-01"), "t").unwrap();
    requests::change_status(&db, &FixedClock::at("2024-06-02"), &RequestId::from(&recent.id), Status::Withdrawn, None, "t").unwrap();
    let open = requests::register(&db, &clock, &ada("2022-01-12"), "t").unwrap();

    let today = FixedClock::at("2025-02-01");
    let plan = retention::preview(&db, &today).unwrap();
    assert_eq!(plan.requests.len(), 1, "only the request closed over 36 months ago");
    assert_eq!(plan.requests[0].reference, old.reference);
    assert_eq!(plan.requests[0].purge_from.to_string(), "2025-01-20");
    let timeline_items = plan.removes.iter().find(|c| c.purger == "timeline-details").unwrap().items;
    assert_eq!(timeline_items, 1, "the status change that quotes a reason");

    let stale = retention::purge(&db, &today, "t", Some(2)).unwrap_err();
    assert_eq!(stale.field(), Some("purge"), "a purge that no longer matches the preview is refused");
    let report = retention::purge(&db, &today, "t", Some(1)).unwrap();
    assert_eq!(report.requests, 1);
    let d = requests::detail(&db, &today, &old.id).unwrap();
    assert!(!d.request.subject.name.contains("Ada"));
    assert_eq!(d.request.subject.email, None);
    assert!(d.request.subject.identifiers.is_empty());
    assert_eq!(d.request.status, Status::Refused);
    assert_eq!(d.request.received_on.to_string(), "2022-01-10");
    let timeline = serde_json::to_string(&d.timeline).unwrap();
    assert!(!timeline.contains("Ada"), "{timeline}");
    assert!(timeline.contains("refused"));
    assert_eq!(d.timeline.last().unwrap().kind, "personal-data-purged");
    for untouched in [&recent.id, &open.id] {
        assert!(requests::detail(&db, &today, untouched).unwrap().request.subject.name.contains("Ada"));
    }
    // The purge is audited with counts and no personal data; a second run finds nothing.
    let audit: (String, String) = db
        .read(|c| Ok(c.query_row("SELECT summary, data FROM events WHERE kind = 'retention-purge'", [], |r| Ok((r.get(0)?, r.get(1)?)))?))
        .unwrap();
    assert!(audit.0.contains("1 closed request"));
    assert!(!audit.1.contains("Ada") && audit.1.contains("subject-identity"));
    assert!(retention::preview(&db, &today).unwrap().requests.is_empty());
    // The timeline is still append-only outside the purge's one-time redaction.
    let edit = db.write(|tx| Ok(tx.execute("UPDATE events SET summary = 'x' WHERE kind = 'registered'", [])?));
    assert!(edit.is_err());
}

#[test]
fn each_regime_shows_its_default_period_and_the_officer_can_change_it() {
    let db = Db::open_in_memory().unwrap();
    let clock = FixedClock::at("2025-02-01");
    let policies = retention::policies(&db).unwrap();
    let ccpa = policies.iter().find(|p| p.regime == "ccpa").unwrap();
    assert_eq!((ccpa.months, ccpa.default_months), (24, 24));
    assert!(ccpa.basis.contains("7101"));
    assert_eq!(policies.iter().find(|p| p.regime == "eu-gdpr").unwrap().months, 36);
    let changed = retention::set_months(&db, &clock, "t", "eu-gdpr", 60).unwrap();
    assert_eq!((changed.months, changed.default_months), (60, 36));
    assert_eq!(retention::set_months(&db, &clock, "t", "eu-gdpr", 0).unwrap_err().field(), Some("months"));
    assert_eq!(retention::set_months(&db, &clock, "t", "mars", 12).unwrap_err().field(), Some("regime"));
}
