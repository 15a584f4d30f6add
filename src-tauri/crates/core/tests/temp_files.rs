//! The one temporary-file prefix (`files::atomic::TEMP_PREFIX`), as the
//! officer meets it: a file still being written is never taken for a finished
//! one by an online backup, and what a killed writer left behind is gone the
//! next time the register is opened for work. Real encrypted SQLite files,
//! real evidence, a real backup restored into a fresh place.

use std::io::Write;
use std::path::{Path, PathBuf};

use rightsdesk_core::backups as backup;
use rightsdesk_core::backups::restore;
use rightsdesk_core::clock::FixedClock;
use rightsdesk_core::evidence::{self, EvidenceKind, NewEvidence};
use rightsdesk_core::files::atomic::{AtomicFile, TEMP_PREFIX};
use rightsdesk_core::secrets::MemorySecrets;
use rightsdesk_core::store::{Db, DbKey};

const PASS: &str = "correct horse battery";

fn key() -> DbKey {
    DbKey::passphrase(PASS).unwrap()
}

/// A register with the demo requests and one stored evidence file; returns the database and its path.
fn register_with_evidence(dir: &Path) -> (Db, PathBuf) {
    let path = dir.join("data").join("rightsdesk.sqlite3");
    let db = Db::open(&path, &key()).unwrap();
    let clock = FixedClock::at("2025-03-10");
    rightsdesk_core::workspace::demo::load(&db, &clock, "tester").unwrap();
    let open: String = db
        .read(|c| {
            Ok(c.query_row("SELECT reference FROM requests WHERE status = 'in-progress' ORDER BY reference LIMIT 1", [], |r| r.get(0))?)
        })
        .unwrap();
    let scan = NewEvidence {
        request: &open,
        file_name: "passport.png",
        bytes: b"the subject's passport scan, whole",
        task: None,
        system: None,
        kind: EvidenceKind::Evidence,
    };
    evidence::add(&db, &clock, &scan, "tester").unwrap();
    (db, path)
}

/// Every file under `root`, relative, sorted.
fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn an_evidence_file_still_being_written_is_not_put_into_an_online_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = register_with_evidence(dir.path());
    let folder = evidence::dir(&db).unwrap();
    let stored = files_under(&folder);
    assert_eq!(stored.len(), 1, "one sealed evidence file: {stored:?}");

    // A second evidence file is half-written by the one writer when the daily backup starts.
    let shard = folder.join("cd");
    std::fs::create_dir_all(&shard).unwrap();
    let mut half = AtomicFile::create(&shard.join(format!("cd{}", "0".repeat(62)))).unwrap();
    half.file().write_all(b"the first half of another scan").unwrap();
    half.file().flush().unwrap();

    let file = dir.path().join("backups").join("daily.rdbackup");
    let summary = backup::backup_to(&db, &FixedClock::at("2025-03-11"), &file).unwrap();
    assert_eq!(summary.evidence_files, 1, "only the finished evidence file is backed up");
    drop(half);
    drop(db);

    // Restored into a fresh place: the finished file, and nothing half-written under any name.
    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("data").join("rightsdesk.sqlite3");
    let restored = restore::restore(
        &file,
        &target,
        Some(PASS),
        &MemorySecrets::default(),
        false,
        &restore::RestoredBy { clock: &FixedClock::at("2025-03-12"), actor: "tester" },
    )
    .unwrap();
    assert_eq!(restored.evidence_files, 1);
    assert_eq!(files_under(&target.parent().unwrap().join("evidence")), stored);
    let db = Db::open(&target, &key()).unwrap();
    let ids: Vec<String> = db
        .read(|c| {
            let mut stmt = c.prepare("SELECT id FROM evidence")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })
        .unwrap();
    assert_eq!(ids.len(), 1);
    assert_eq!(evidence::read(&db, &ids[0]).unwrap().1, b"the subject's passport scan, whole");
    assert!(path.exists());
}

#[test]
fn opening_the_register_for_work_removes_what_a_killed_writer_left_beside_it_and_in_its_evidence_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path) = register_with_evidence(dir.path());
    let folder = evidence::dir(&db).unwrap();
    let stored = files_under(&folder);
    let data = path.parent().unwrap().to_path_buf();
    drop(db);

    // What a kill leaves (no destructor runs): a half-written evidence file in its shard,
    // an unfinished export beside the database, and a restore's staging folder.
    let shard = folder.join("cd");
    std::fs::create_dir_all(&shard).unwrap();
    let mut killed = AtomicFile::create(&shard.join(format!("cd{}", "0".repeat(62)))).unwrap();
    killed.file().write_all(b"half of a scan").unwrap();
    std::mem::forget(killed);
    let mut export = AtomicFile::create(&data.join("register.csv")).unwrap();
    export.file().write_all(b"reference,subject\n").unwrap();
    std::mem::forget(export);
    let staging = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir_in(&data).unwrap().keep();
    std::fs::write(staging.join("rightsdesk.sqlite3"), b"a staged copy").unwrap();
    // The officer's own file beside the database is not ours to remove.
    std::fs::write(data.join("notes.txt"), b"the officer's notes").unwrap();
    let ours = |dir: &Path| {
        std::fs::read_dir(dir).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(TEMP_PREFIX)).count()
    };
    assert_eq!((ours(&data), ours(&shard)), (2, 1), "the leftovers are there before the opening");

    // Reading does not clean (it writes nothing); opening for work does.
    drop(Db::open_read_only(&path, &key()).unwrap());
    assert_eq!((ours(&data), ours(&shard)), (2, 1));
    let opened = rightsdesk_core::workspace::open_with_key(&path, &key()).unwrap();
    assert_eq!((ours(&data), ours(&shard)), (0, 0), "the leftovers are gone: {:?}", files_under(&data));
    assert_eq!(files_under(&folder), stored, "the finished evidence file stays");
    assert_eq!(std::fs::read(data.join("notes.txt")).unwrap(), b"the officer's notes");
    let n: i64 = opened.db.read(|c| Ok(c.query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))?)).unwrap();
    assert_eq!(n, 1);
}
