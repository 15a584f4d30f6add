//! A disk that fills up (issue 16, item 7): the database and the backups on a
//! real small filesystem — a tmpfs mounted for each test, as root (CI runs as
//! root). A test that cannot mount its disk fails: it never passes untested.
//!
//! What the officer must see: a clear "disk is full" error, nothing
//! half-written (no request without its event, no backup file that looks
//! finished), the database still opening and passing its checks, the previous
//! backups untouched, and everything working again once there is room.

use std::path::{Path, PathBuf};
use std::process::Command;

use rightsdesk_core::audit;
use rightsdesk_core::backups as backup;
use rightsdesk_core::backups::restore;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::domain::{NewRequest, RequestType};
use rightsdesk_core::register::tally;
use rightsdesk_core::requests;
use rightsdesk_core::store::{Db, DbKey};

const PASS: &str = "correct horse battery";

fn key() -> DbKey {
    DbKey::passphrase(PASS).unwrap()
}

/// A tmpfs of `size` mounted at `path` for the test, unmounted however the test ends.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(path: &Path, size: &str) -> SmallDisk {
        std::fs::create_dir_all(path).unwrap();
        let out = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"]).arg(path).output();
        assert!(
            matches!(&out, Ok(o) if o.status.success()),
            "cannot mount a {size} tmpfs for the full disk (this test needs root, as CI has): {out:?}"
        );
        SmallDisk(path.to_path_buf())
    }

    /// Makes room: the same filesystem, remounted larger (its files stay).
    fn grow(&self, size: &str) {
        let out = Command::new("mount").args(["-o", &format!("remount,size={size}")]).arg(&self.0).output().unwrap();
        assert!(out.status.success(), "remount: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let unmounted = Command::new("umount").arg(&self.0).status().is_ok_and(|s| s.success());
        if !unmounted {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// Bytes that neither compress nor repeat (xorshift), `n` of them.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn person(i: usize) -> NewRequest {
    NewRequest {
        request_type: RequestType::Access,
        regime: "eu-gdpr".into(),
        jurisdiction: "DE".into(),
        subject_name: format!("Zelda Fullerton {i}"),
        subject_email: format!("zelda.fullerton.{i}@example.org"),
        received: "2026-11-20".into(),
        // Several pages of notes each, so the disk fills after a few dozen requests.
        notes: format!("Zelda's notes {i}: {}", "ab".repeat(4_500)),
        ..Default::default()
    }
}

fn integrity(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "key", PASS).unwrap();
    c.execute_batch(&rightsdesk_core::store::PageHmac::NEW.pragma(None)).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

/// The database's own checks: every table intact, the kept tallies equal a
/// recount, the audit chain whole, no request without its `registered` event.
fn assert_consistent(db: &Db, path: &Path) {
    assert_eq!(integrity(path), "ok");
    let drift = db.read(tally::check).unwrap();
    assert!(drift.is_empty(), "the kept figures drifted from a recount: {drift:?}");
    let report = audit::verify(db).unwrap();
    assert!(report.intact, "{:?}", report.problems);
    let orphans: i64 = db
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.request_id = r.id AND e.kind = 'registered')",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(orphans, 0, "a request was written without its event");
}

#[test]
fn a_database_that_fills_its_disk_refuses_cleanly_stays_whole_and_demo_data_loads_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(&dir.path().join("small"), "3m");
    let path = disk.0.join("rightsdesk.sqlite3");
    let clock = FixedClock::at("2026-11-23");
    let db = Db::open(&path, &key()).unwrap();

    // Register until the disk is full.
    let mut registered = 0;
    let err = loop {
        match requests::register(&db, &clock, &person(registered), "officer") {
            Ok(_) => registered += 1,
            Err(e) => break e,
        }
        assert!(registered < 2_000, "the 3 MiB disk never filled");
    };
    assert!(registered > 0, "the disk was full before the first request: {err}");
    let message = err.to_string();
    assert!(message.contains("disk is full"), "the error says why: {message}");
    assert!(!message.contains("Zelda") && !message.contains("example.org"), "no personal data in the error: {message}");
    assert_eq!(requests::count(&db).unwrap(), registered as i64, "the refused request was not half-written");
    assert_consistent(&db, &path);

    // Demo data does not fit either, and none of it is left behind.
    let demo = rightsdesk_core::workspace::demo::load(&db, &clock, "officer");
    assert!(demo.is_err(), "the demo data cannot fit on the full disk");
    assert_eq!(requests::count(&db).unwrap(), registered as i64, "a partial demo load was left behind");
    drop(db);

    // Reopened on the full disk, the database opens and passes its checks.
    let db = Db::open(&path, &key()).unwrap();
    assert_consistent(&db, &path);
    assert_eq!(requests::count(&db).unwrap(), registered as i64);
    drop(db);

    // With room again (a fresh database beside it, as an officer starting over),
    // and in the old one: demo data loads.
    disk.grow("64m");
    let db = Db::open(&path, &key()).unwrap();
    requests::register(&db, &clock, &person(registered), "officer").unwrap();
    assert_consistent(&db, &path);
    drop(db);
    let fresh = disk.0.join("fresh.sqlite3");
    let db = Db::open(&fresh, &key()).unwrap();
    assert_eq!(rightsdesk_core::workspace::demo::load(&db, &clock, "officer").unwrap(), 16);
    assert_consistent(&db, &fresh);
}

#[test]
fn demo_data_that_does_not_fit_leaves_an_empty_database_that_loads_it_later() {
    let dir = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(&dir.path().join("small"), "8m");
    let path = disk.0.join("rightsdesk.sqlite3");
    let clock = FixedClock::at("2026-11-23");
    let db = Db::open(&path, &key()).unwrap();
    // Fill the disk beside the database, leaving room for a request or two, not the demo set.
    let filler = disk.0.join("filler.bin");
    let free = || {
        let out = Command::new("df").args(["--output=avail", "-B1"]).arg(&disk.0).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().trim().parse::<usize>().unwrap()
    };
    std::fs::write(&filler, noise(free().saturating_sub(160 << 10), 7)).unwrap();

    let err = rightsdesk_core::workspace::demo::load(&db, &clock, "officer").unwrap_err();
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_eq!(requests::count(&db).unwrap(), 0, "a partial demo set was left behind");
    assert_consistent(&db, &path);

    // Room again: `demo load` works on the same database (it refuses one that holds requests).
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(rightsdesk_core::workspace::demo::load(&db, &clock, "officer").unwrap(), 16);
    assert_eq!(requests::count(&db).unwrap(), 16);
    assert_consistent(&db, &path);
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_backup_that_fills_its_disk_is_a_clean_error_and_the_previous_backups_are_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live");
    let path = live.join("rightsdesk.sqlite3");
    let db = Db::open(&path, &key()).unwrap();
    rightsdesk_core::workspace::demo::load(&db, &FixedClock::at("2026-11-23"), "officer").unwrap();

    let disk = SmallDisk::mount(&dir.path().join("backups"), "4m");
    for day in ["2026-11-23", "2026-11-24"] {
        backup::backup_rotating(&db, &FixedClock::at(day), &disk.0, 7).unwrap();
    }
    let before = listing(&disk.0);
    assert_eq!(before.len(), 2);

    // 5 MiB of evidence arrives: the next backup cannot fit.
    std::fs::create_dir_all(live.join("evidence")).unwrap();
    std::fs::write(live.join("evidence").join("scan-0001"), noise(5 << 20, 11)).unwrap();
    let err = backup::backup_rotating(&db, &FixedClock::at("2026-11-25"), &disk.0, 7).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("disk is full") && message.contains("rightsdesk-20261125T120000Z.rdbackup"), "{message}");
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(listing(&disk.0), before, "no partial backup is left, and the previous ones are as they were");
    assert_eq!(backup::backups_in(&disk.0).unwrap().len(), 2);

    // A named file on the full disk: the same.
    let named = disk.0.join("before-the-upgrade.rdbackup");
    let err = backup::backup_to(&db, &FixedClock::at("2026-11-25"), &named).unwrap_err();
    assert!(err.to_string().contains("disk is full"), "{err}");
    assert_eq!(listing(&disk.0), before);

    // The previous backups still restore, and the database is unharmed.
    for (name, _) in &before {
        let checked = restore::verify(&disk.0.join(name), &key()).unwrap();
        assert_eq!(checked.requests, 16);
    }
    assert_consistent(&db, &path);

    // With room, the backup is written and holds the evidence.
    disk.grow("64m");
    let (made, removed) = backup::backup_rotating(&db, &FixedClock::at("2026-11-25"), &disk.0, 7).unwrap();
    assert!(removed.is_empty());
    assert_eq!(made.evidence_files, 1);
}
