//! One writer per database file: an exclusive advisory lock on `<database>.lock`
//! beside it, taken in [`super::Db::open`] and held for the life of the `Db`, so
//! the app and the CLI both honour it. A second writer (another app, a CLI
//! command that writes, a restore over the file) is refused with a message
//! naming the database and the process that holds it.
//!
//! The lock is the operating system's (`flock` on Unix, `LockFileEx` on Windows
//! through `std::fs::File::try_lock`): it goes with the process, so a crash or a
//! kill never leaves a stale lock. The file stays after the writer ends; it only
//! holds who locked it last (program name, process id, time) — no personal data.
//! Readers take no lock: SQLite's write-ahead log lets them read a consistent
//! snapshot while the writer works (see [`super::Db::open_read_only`]).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The held lock; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

/// `<database file name>.lock`, beside the real database file: the path is
/// resolved first (symlinks, relative paths, `..`), so every name for the same
/// file — a symlink, `dir/../r.sqlite3`, a relative path — meets the same lock.
pub fn lock_path(db: &Path) -> PathBuf {
    let real = crate::files::destination::resolve(db);
    let mut name = real.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    real.with_file_name(name)
}

/// Takes the writer lock of the database at `db`, or says who holds it.
pub fn acquire(db: &Path) -> Result<WriterLock> {
    let path = lock_path(db);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::Open { path: db.display().to_string(), reason: format!("its lock file: {e}") })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            // Only to name the holder in the message; "another process" when it cannot be read.
            let _ = file.read_to_string(&mut holder);
            let holder = holder.lines().next().map(str::trim).filter(|h| !h.is_empty()).unwrap_or("another process");
            return Err(Error::InUse { path: db.display().to_string(), holder: holder.chars().take(200).collect() });
        }
        Err(TryLockError::Error(e)) => return Err(Error::Open { path: db.display().to_string(), reason: format!("its lock file: {e}") }),
    }
    // Say who holds it, for the message another process shows. Best effort: the lock itself is what counts.
    let _ = file.set_len(0).and_then(|_| file.seek(SeekFrom::Start(0))).and_then(|_| {
        let line = format!("{} (process {}) since {}\n", program_name(), std::process::id(), chrono::Utc::now().to_rfc3339());
        file.write_all(line.as_bytes())
    });
    Ok(WriterLock { _file: file })
}

/// The running program's file name only (a full path could name the user).
fn program_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Rightsdesk".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock_and_admitted_after() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rightsdesk.sqlite3");
        let first = acquire(&db).unwrap();
        let err = acquire(&db).unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::InUse);
        let message = err.to_string();
        assert!(message.contains(&db.display().to_string()), "{message}");
        assert!(message.contains(&format!("process {}", std::process::id())), "{message}");
        drop(first);
        assert!(acquire(&db).is_ok());
        let real_dir = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(lock_path(&db), real_dir.join("rightsdesk.sqlite3.lock"));
    }

    #[test]
    fn readers_open_beside_the_writer_see_its_data_and_cannot_write() {
        use crate::settings;
        use crate::store::{Db, DbKey};
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rightsdesk.sqlite3");
        let key = DbKey::passphrase("correct horse battery").unwrap();
        let writer = Db::open(&db, &key).unwrap();
        writer.write(|tx| settings::set(tx, "org.name", "Example Ltd")).unwrap();
        assert_eq!(Db::open(&db, &key).unwrap_err().code(), crate::error::ErrorCode::InUse, "a second writer in the same process too");
        let reader = Db::open_read_only(&db, &key).unwrap();
        let n: i64 = reader.read(|c| Ok(c.query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?)).unwrap();
        assert_eq!(n, 1);
        assert!(reader.write(|tx| settings::set(tx, "org.name", "Other")).is_err(), "a reader cannot write");
        drop(writer);
        drop(reader);
        assert!(Db::open(&db, &key).is_ok(), "the lock went with the writer");
    }
}
