//! Restoring a backup: everything is decrypted into a staging folder beside
//! the target and checked (every chunk authenticated, the sealed end seen, the
//! database's integrity) before anything takes a final name. Evidence files
//! are moved into place first and the database last, so a crash leaves either
//! no database or the whole restored one.
//!
//! Before its rename, the staged database records the restore itself: every
//! letter that was queued, sending or unknown in the backup becomes "unknown —
//! check before resending" (it may have gone out after the backup was made),
//! and a `backup-restored` event is appended and sealed on the audit chain, in
//! one transaction. So the restored database never appears without them.

use std::io::{BufReader, Write};
use std::path::{Component, Path, PathBuf};

use rusqlite::OpenFlags;
use serde::Serialize;
use serde_json::json;

use crate::backups::archive::{read_header, ArchiveReader, BackupHeader};
use crate::backups::{evidence_dir, DB_MEMBER, EVIDENCE_DIR};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::files::atomic::{self, TEMP_PREFIX};
use crate::letters::outbox;
use crate::secrets::SecretStore;
use crate::store::db::{open_keyed, OpenKeyedError};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::key::keyring_name;
use crate::store::{Db, DbKey};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreSummary {
    pub db_path: String,
    pub created_at: String,
    pub requests: u32,
    pub evidence_files: u32,
    /// Letters that were queued, sending or unknown in the backup, now unknown:
    /// the officer checks each before it is sent again (0 for a verification).
    pub letters_to_check: u32,
}

/// The header of a backup file: when it was made, and which key it needs.
pub fn inspect(file: &Path) -> Result<BackupHeader> {
    let mut f = BufReader::new(std::fs::File::open(file)?);
    Ok(read_header(&mut f)?.0)
}

/// The key a backup needs: the passphrase given (`RIGHTSDESK_PASSPHRASE`) for a
/// passphrase-protected database, else the keyring entry that held its key.
pub fn key_for(header: &BackupHeader, passphrase: Option<&str>, secrets: &dyn SecretStore) -> Result<DbKey> {
    if let Some(p) = passphrase.filter(|p| !p.is_empty()) {
        return DbKey::passphrase(p);
    }
    let missing = |reason: String| Error::KeyUnavailable { reason };
    match (header.key.as_str(), &header.keyring_entry) {
        ("keyring", Some(entry)) => match secrets.get(entry) {
            Ok(Some(hex)) if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) => Ok(DbKey::Raw(zeroize::Zeroizing::new(hex))),
            Ok(_) => Err(missing(
                "this backup was made with a key kept in the OS keyring of the machine it came from, and this keyring does not hold it"
                    .into(),
            )),
            Err(e) => Err(missing(e.to_string())),
        },
        _ => Err(missing("this backup is protected by the database's passphrase".into())),
    }
}

/// A member name as a safe relative path under `evidence/` (hostile input: no
/// `..`, no absolute paths, no drive prefixes).
fn evidence_member(name: &str) -> Result<PathBuf> {
    let rel = name
        .strip_prefix(&format!("{EVIDENCE_DIR}/"))
        .ok_or_else(|| Error::invalid("backup", "holds a member Rightsdesk does not write"))?;
    let path = Path::new(rel);
    let safe = !rel.is_empty()
        && !rel.contains('\\')
        && path.components().all(|c| matches!(c, Component::Normal(n) if !n.to_string_lossy().starts_with(TEMP_PREFIX)));
    if !safe {
        return Err(Error::invalid("backup", "holds an evidence file with an unsafe name"));
    }
    Ok(path.to_path_buf())
}

pub(crate) struct Staged {
    pub(crate) header: BackupHeader,
    db: bool,
    pub(crate) evidence: Vec<PathBuf>,
}

/// Decrypts `file` into `staging`; fails (writing nothing outside `staging`)
/// unless every chunk authenticates and the sealed end is reached.
pub(crate) fn stage(file: &Path, key: &DbKey, staging: &Path) -> Result<Staged> {
    let f = BufReader::new(std::fs::File::open(file)?);
    let (header, mut r) = ArchiveReader::open(f, key.secret())?;
    if header.schema_version as usize > crate::store::SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found: header.schema_version as usize, supported: crate::store::SCHEMA_VERSION });
    }
    let mut staged = Staged { header, db: false, evidence: Vec::new() };
    while let Some((name, size)) = r.next_member()? {
        let (dest, rel) = if name == DB_MEMBER {
            if staged.db {
                return Err(Error::invalid("backup", "holds two databases"));
            }
            staged.db = true;
            (staging.join(DB_MEMBER), None)
        } else {
            let rel = evidence_member(&name)?;
            (staging.join(EVIDENCE_DIR).join(&rel), Some(rel))
        };
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&dest).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::invalid("backup", "holds the same file twice")
            } else {
                e.into()
            }
        })?;
        r.copy_member(size, &mut out)?;
        out.flush()?;
        out.sync_all()?;
        staged.evidence.extend(rel);
    }
    if !staged.db {
        return Err(Error::invalid("backup", "holds no database"));
    }
    Ok(staged)
}

/// Checks a backup end to end without writing anything but a staging folder
/// in the system's temporary directory, removed afterwards.
pub fn verify(file: &Path, key: &DbKey) -> Result<RestoreSummary> {
    let staging = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir()?;
    let staged = stage(file, key, staging.path())?;
    let requests = check_database(&staging.path().join(DB_MEMBER), key)?;
    Ok(RestoreSummary {
        db_path: String::new(),
        created_at: staged.header.created_at,
        requests,
        evidence_files: u32::try_from(staged.evidence.len()).unwrap_or(u32::MAX),
        letters_to_check: 0,
    })
}

/// Who restores, and when: the restore is an event on the audit trail.
pub struct RestoredBy<'a> {
    pub clock: &'a dyn Clock,
    pub actor: &'a str,
}

/// Records the restore in the staged database at `path` (brought up to this
/// version's schema first): the letters a backup cannot vouch for become
/// unknown, and a `backup-restored` event goes on the chain, in one
/// transaction. The database is left in rollback-journal mode, so its whole
/// content is in the one file that is renamed into place. Returns how many
/// letters the officer must check.
pub(crate) fn record_restore(path: &Path, key: &DbKey, made: &str, by: &RestoredBy<'_>) -> Result<u32> {
    let db = Db::open(path, key)?;
    let now = by.clock.now();
    let letters = db.write(|tx| {
        let letters = outbox::flag_after_restore(tx, made, now, by.actor)?;
        events::append(
            tx,
            None,
            now,
            by.actor,
            NewEvent {
                kind: EventKind::BackupRestored,
                summary: format!(
                    "Database restored from a backup made {made}; {letters} letter(s) queued or being sent then are now \"unknown\": check each before resending"
                ),
                data: json!({ "backup_created_at": made, "letters_to_check": letters }),
            },
        )?;
        Ok(letters)
    })?;
    db.with_connection(|c| Ok(c.execute_batch("PRAGMA journal_mode = DELETE;")?))?;
    drop(db);
    // The lock file of the connection just closed; a lock file left behind locks nothing (the lock is the OS's).
    let _ = std::fs::remove_file(crate::store::lock::lock_path(path));
    Ok(u32::try_from(letters).unwrap_or(u32::MAX))
}

pub(crate) fn check_database(path: &Path, key: &DbKey) -> Result<u32> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match open_keyed(path, flags, key) {
        Ok((conn, _)) => conn,
        Err(OpenKeyedError::Read(_)) => return Err(Error::invalid("backup", "its database cannot be read with this key")),
        Err(e) => return Err(e.into()),
    };
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| Error::invalid("backup", "its database cannot be read with this key"))?;
    if ok != "ok" {
        return Err(Error::invalid("backup", "its database failed the integrity check"));
    }
    let n: i64 = conn.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Restores `file` as the database at `target` (and its evidence files beside
/// it). Refuses to replace an existing database unless `force`. The key comes
/// from `passphrase` or the keyring (see [`key_for`]); a keyring key is stored
/// again under the restored database's name.
pub fn restore(
    file: &Path,
    target: &Path,
    passphrase: Option<&str>,
    secrets: &dyn SecretStore,
    force: bool,
    by: &RestoredBy<'_>,
) -> Result<RestoreSummary> {
    if target.exists() && !force {
        return Err(Error::invalid("db", format!("a database already exists at {}; pass --force to replace it", target.display())));
    }
    let header = inspect(file)?;
    let key = key_for(&header, passphrase, secrets)?;
    let dir = atomic::parent_of(target);
    std::fs::create_dir_all(&dir)?;
    let staging = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir_in(&dir)?;
    let staged = stage(file, &key, staging.path())?;
    let staged_db = staging.path().join(DB_MEMBER);
    let requests = check_database(&staged_db, &key)?;
    let letters_to_check = record_restore(&staged_db, &key, &staged.header.created_at, by)?;
    crate::crash_point::hit("restore.staged");

    // Never replace a database another process is writing (the app, a CLI command). Taken
    // only now, so a refused backup leaves nothing behind, not even the lock file.
    let _writer = crate::store::lock::acquire(target)?;
    // Everything is verified: move the evidence into place, then the database.
    let evidence_root = evidence_dir(target);
    for rel in &staged.evidence {
        let dest = evidence_root.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(staging.path().join(EVIDENCE_DIR).join(rel), &dest)?;
        atomic::sync_dir(&atomic::parent_of(&dest));
    }
    crate::crash_point::hit("restore.evidence-moved");
    for suffix in ["-wal", "-shm"] {
        // A stale write-ahead log of the replaced database must not be replayed onto the restored one.
        match std::fs::remove_file(format!("{}{suffix}", target.display())) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                tracing::error!(suffix, error = %e.kind(), "a companion file of the replaced database could not be removed");
            }
            _ => {}
        }
    }
    crate::crash_point::hit("restore.old-log-removed");
    std::fs::rename(&staged_db, target)?;
    atomic::sync_dir(&dir);
    drop(staging);
    if let DbKey::Raw(hex) = &key {
        let name = keyring_name(target);
        if header.keyring_entry.as_deref() != Some(name.as_str()) {
            secrets.set(&name, hex).map_err(|e| Error::KeyUnavailable { reason: e.to_string() })?;
        }
    }
    Ok(RestoreSummary {
        db_path: target.display().to_string(),
        created_at: staged.header.created_at,
        requests,
        evidence_files: u32::try_from(staged.evidence.len()).unwrap_or(u32::MAX),
        letters_to_check,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_names_cannot_escape_the_evidence_folder() {
        for bad in ["evidence/../x", "evidence//etc/passwd", "evidence/", "other/x", "evidence/a\\..\\b", "/evidence/x"] {
            assert!(evidence_member(bad).is_err(), "{bad}");
        }
        assert_eq!(evidence_member("evidence/ab/cdef").unwrap(), PathBuf::from("ab/cdef"));
    }
}
