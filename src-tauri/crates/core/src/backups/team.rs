//! A team register's backup (issue 18, item 7): the same encrypted archive a register file
//! gets, made from a register file that holds one consistent snapshot of the team database
//! (`team export`'s copy, made by the caller into a private staging folder: the move lives in
//! `workspace::team_move`, above this module). The archive is sealed with a passphrase the
//! officer keeps (`RIGHTSDESK_PASSPHRASE`), never with anything the server holds, so it
//! restores without the server: to a register file as any backup, or into an empty team
//! database ([`stage_register`], then `team_move::into_team`).
//!
//! The staging folder is `.rightsdesk-tmp-team-<pid>-…` beside the backup, private to its
//! owner, and removed whatever happens; one a killed process left is removed by the next team
//! backup into that folder (and by any `--dir` backup). What it can hold is the copy, which is
//! encrypted with the same passphrase.

use std::path::{Path, PathBuf};

use crate::backups::archive::BackupHeader;
use crate::backups::restore::{self, RestoredBy};
use crate::backups::{evidence_dir, evidence_files, seal, BackupSummary, DB_MEMBER};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::files::atomic::{self, TEMP_PREFIX};
use crate::secrets::SecretStore;
use crate::store::db::open_keyed;
use crate::store::{Db, DbKey};

/// The start of a team backup's staging folder's name, followed by the process id.
const STAGING: &str = "team-";

/// Writes a backup of a team register to `out`, which must not exist yet: `copy` writes one
/// consistent snapshot of the team register as a new register file, encrypted with `key`
/// (a passphrase), at the path it is given; that file is sealed into the archive and removed
/// with its staging folder whatever happens. On any failure nothing is left under `out`.
pub fn backup_to(clock: &dyn Clock, out: &Path, key: &DbKey, copy: impl FnOnce(&Path) -> Result<()>) -> Result<BackupSummary> {
    let started = std::time::Instant::now();
    let result = write(clock, out, key, copy).map_err(|e| super::disk_full(out, e));
    let ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(s) => tracing::info!(bytes = s.bytes, requests = s.requests, ms, "team register backup written"),
        Err(e) => tracing::error!(code = %e.code(), ms, "team register backup failed"),
    }
    result
}

fn write(clock: &dyn Clock, out: &Path, key: &DbKey, copy: impl FnOnce(&Path) -> Result<()>) -> Result<BackupSummary> {
    if std::fs::symlink_metadata(out).is_ok() {
        return Err(Error::invalid("out", "a file already exists there; choose another name"));
    }
    if !matches!(key, DbKey::Passphrase(_)) {
        return Err(Error::Internal("a team register's backup is sealed with a passphrase".into()));
    }
    let now = clock.now();
    let header = BackupHeader::new(crate::store::SCHEMA_VERSION as u32, "passphrase", None, now.to_rfc3339())?;
    let out_dir = atomic::parent_of(out);
    std::fs::create_dir_all(&out_dir)?;
    remove_dead_staging(&out_dir);
    // tempfile makes the folder readable by its owner only.
    let staging = tempfile::Builder::new().prefix(&format!("{TEMP_PREFIX}{STAGING}{}-", std::process::id())).tempdir_in(&out_dir)?;
    let file = staging.path().join(DB_MEMBER);
    copy(&file)?;
    crate::crash_point::hit("team-backup.copied");
    let requests = requests_in(&file, key)?;
    // Stored files the copy keeps beside it, as a register file does, go in as evidence members.
    let evidence = evidence_files(&evidence_dir(&file))?;
    let summary = seal(&header, key, &file, &evidence, out, requests);
    drop(staging);
    summary
}

/// The requests in the register file at `path`, after its integrity check.
fn requests_in(path: &Path, key: &DbKey) -> Result<i64> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let (conn, _) = open_keyed(path, flags, key)?;
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Internal("the team register's copy failed its integrity check".into()));
    }
    Ok(conn.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?)
}

/// Removes the staging folders of team backups whose process is gone (a kill): on a system
/// that lists processes in `/proc`; elsewhere they stay until a `--dir` backup removes them.
fn remove_dead_staging(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(TEMP_PREFIX).and_then(|n| n.strip_prefix(STAGING)) else { continue };
        let Some(pid) = rest.split('-').next().filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) else { continue };
        if pid != std::process::id().to_string() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A backup's register file decrypted into a private staging folder (still encrypted with its
/// key, as every register file is), checked, with the restore recorded on its audit trail:
/// what `team_move::into_team` moves into an empty team database. The folder is removed when
/// this is dropped.
pub struct StagedRegister {
    _dir: tempfile::TempDir,
    path: PathBuf,
    key: DbKey,
    /// When the backup was made.
    pub created_at: String,
    pub requests: u32,
    /// Letters that were queued, sending or unknown in the backup, now unknown.
    pub letters_to_check: u32,
}

impl StagedRegister {
    /// Opens the staged register file (under its writer lock).
    pub fn open(&self) -> Result<Db> {
        Db::open(&self.path, &self.key)
    }
}

/// Decrypts and checks the backup `file` (its key as [`restore::key_for`] finds it) and
/// records the restore on the staged copy's audit trail (a `backup-restored` event by `by`),
/// for a move into a team database. Nothing is written outside the staging folder.
pub fn stage_register(file: &Path, passphrase: Option<&str>, secrets: &dyn SecretStore, by: &RestoredBy<'_>) -> Result<StagedRegister> {
    let header = restore::inspect(file)?;
    let key = restore::key_for(&header, passphrase, secrets)?;
    let dir = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir()?;
    // The evidence files land in `evidence/` beside the staged register file, where a register
    // keeps them; whether a team database takes them is the move's to decide.
    let staged = restore::stage(file, &key, dir.path())?;
    let path = dir.path().join(DB_MEMBER);
    let requests = restore::check_database(&path, &key)?;
    let letters_to_check = restore::record_restore(&path, &key, &staged.header.created_at, by)?;
    Ok(StagedRegister { _dir: dir, path, key, created_at: staged.header.created_at, requests, letters_to_check })
}
