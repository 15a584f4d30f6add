//! The format of the register's file (`store::PageHmac`, issue 21 item 6).
//! A new register authenticates its pages with HMAC-SHA256. A register made
//! by an earlier version, in SQLCipher 4's default HMAC-SHA512, opens, takes
//! writes (also from the background checkpointer's connection), is backed up
//! and restored, and stays in its format. Real encrypted files, read back with
//! SQLCipher directly, as a tool holding the key would.

use std::path::Path;
use std::time::{Duration, Instant};

use rightsdesk_core::backups as backup;
use rightsdesk_core::backups::restore;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::requests;
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::store::{Db, DbKey, PageHmac};
use rightsdesk_core::Error;
use rusqlite::Connection;

const PASS: &str = "page format passphrase";

fn key() -> DbKey {
    DbKey::passphrase(PASS).unwrap()
}

/// Whether SQLCipher reads the file with the key and the given page HMAC.
fn opens_with(path: &Path, hmac: PageHmac) -> bool {
    let c = Connection::open(path).unwrap();
    c.execute_batch(&format!("PRAGMA cipher_log_level = NONE; PRAGMA key = '{PASS}';")).unwrap();
    c.execute_batch(&hmac.pragma(None)).unwrap();
    c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_ok()
}

/// A register file as versions before `PageHmac` created it: SQLCipher's defaults
/// (HMAC-SHA512), its first page written, the schema then laid by `Db::open`.
fn old_register(path: &Path) -> Db {
    {
        let c = Connection::open(path).unwrap();
        c.execute_batch(&format!("PRAGMA key = '{PASS}'; CREATE TABLE first_page (x); DROP TABLE first_page;")).unwrap();
    }
    assert!(opens_with(path, PageHmac::Sha512) && !opens_with(path, PageHmac::Sha256), "the set-up made no old file");
    Db::open(path, &key()).unwrap()
}

fn ada(n: usize) -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: format!("Ada Example {n}"),
        subject_email: format!("ada{n}@example.org"),
        received: "2026-11-20".into(),
        ..Default::default()
    }
}

#[test]
fn a_new_register_authenticates_its_pages_with_hmac_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    let db = Db::open(&path, &key()).unwrap();
    requests::register(&db, &FixedClock::at("2026-11-20"), &ada(1), "tester").unwrap();
    drop(db);
    assert!(opens_with(&path, PageHmac::Sha256), "a new register does not open as HMAC-SHA256");
    assert!(!opens_with(&path, PageHmac::Sha512), "a new register opens as HMAC-SHA512");
    assert_eq!(PageHmac::NEW, PageHmac::Sha256);
}

#[test]
fn a_register_made_before_opens_takes_writes_and_checkpoints_and_stays_in_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let db = old_register(&path);
    let clock = FixedClock::at("2026-11-20");
    let size = || std::fs::metadata(&path).unwrap().len();
    let before = size();
    // More commits than the checkpointer lets pass (64), fewer WAL pages than the
    // writer's own checkpoint waits for (4,000): only the checkpointer's
    // connection, keyed in the file's format, can copy them into the file.
    for n in 0..70 {
        requests::register(&db, &clock, &ada(n), "tester").unwrap();
    }
    let waited = Instant::now();
    while size() == before && waited.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(size() > before, "no checkpoint reached the old file");
    drop(db);

    assert!(opens_with(&path, PageHmac::Sha512), "the old register was converted or damaged");
    assert!(!opens_with(&path, PageHmac::Sha256));
    let db = Db::open(&path, &key()).unwrap();
    assert_eq!(requests::count(&db).unwrap(), 70);
    drop(db);
    let wrong = Db::open(&path, &DbKey::passphrase("not the passphrase").unwrap()).err().unwrap();
    assert!(matches!(wrong, Error::WrongKey { .. }), "{wrong}");
    let read_only = Db::open_read_only(&path, &key()).unwrap();
    assert_eq!(requests::count(&read_only).unwrap(), 70);
}

#[test]
fn a_register_made_before_is_backed_up_verified_and_restored_in_its_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let db = old_register(&path);
    let clock = FixedClock::at("2026-11-20");
    for n in 0..3 {
        requests::register(&db, &clock, &ada(n), "tester").unwrap();
    }
    let file = dir.path().join("b.rdbackup");
    let summary = backup::backup_to(&db, &clock, &file).unwrap();
    assert_eq!(summary.requests, 3);
    drop(db);
    assert_eq!(restore::verify(&file, &key()).unwrap().requests, 3);

    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("rightsdesk.sqlite3");
    let by = restore::RestoredBy { clock: &clock, actor: "tester" };
    let restored = restore::restore(&file, &target, Some(PASS), &MemorySecrets::default(), false, &by).unwrap();
    assert_eq!(restored.requests, 3);
    assert!(opens_with(&target, PageHmac::Sha512), "the restored register is not in its backup's format");
    let db = Db::open(&target, &key()).unwrap();
    assert_eq!(requests::count(&db).unwrap(), 3);
}
