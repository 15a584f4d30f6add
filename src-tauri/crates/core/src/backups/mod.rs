//! Online backups: the database copied with SQLite's backup API (the copy is
//! keyed like the original), plus every evidence file, sealed into one
//! encrypted file (`archive.rs`). The file appears under its final name only
//! once it is complete and has been read back and authenticated.

pub mod archive;
pub mod restore;
pub mod team;

use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use crate::backups::archive::{ArchiveReader, ArchiveWriter, BackupHeader};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::files::atomic::{self, AtomicFile, TEMP_PREFIX};
use crate::files::destination::{Overwrite, Protected};
use crate::settings;
use crate::store::db::apply_key;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::key::keyring_name;
use crate::store::{Db, DbKey};

/// The database's member name inside a backup.
pub const DB_MEMBER: &str = "rightsdesk.sqlite3";
/// Evidence files live under `<database directory>/evidence/`, and under `evidence/` in a backup.
pub use crate::paths::EVIDENCE_DIR;
pub const BACKUP_EXT: &str = "rdbackup";

pub const SETTING_DIR: &str = "backup.dir";
pub const SETTING_KEEP: &str = "backup.keep";
pub const SETTING_DAILY: &str = "backup.daily";
pub const DEFAULT_KEEP: u32 = 7;

/// What a finished backup holds (no personal data).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupSummary {
    pub path: String,
    pub created_at: String,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub bytes: u64,
    pub requests: u32,
    pub evidence_files: u32,
}

/// The evidence directory of the database at `db_path`.
pub fn evidence_dir(db_path: &Path) -> PathBuf {
    atomic::parent_of(db_path).join(EVIDENCE_DIR)
}

/// Every regular file under `root`, as (path relative with `/`, absolute path), sorted.
pub(crate) fn evidence_files(root: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), root.to_path_buf())];
    while let Some((prefix, dir)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) {
                continue; // an evidence file still being written is not evidence yet
            }
            let kind = entry.file_type()?;
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            if kind.is_dir() {
                stack.push((rel, entry.path()));
            } else if kind.is_file() {
                out.push((rel, entry.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn key_of(db: &Db) -> Result<DbKey> {
    db.key().ok_or_else(|| Error::invalid("db", "an in-memory database cannot be backed up"))
}

/// Copies the live database into `copy` with the online backup API; the copy
/// has the same key and format. Other connections may keep writing meanwhile.
fn copy_database(db: &Db, key: &DbKey, copy: &Path) -> Result<()> {
    let mut dst = Connection::open(copy)?;
    apply_key(&dst, key, db.page_hmac())?;
    db.with_connection(|src| {
        let backup = rusqlite::backup::Backup::new(src, &mut dst)?;
        backup.run_to_completion(1024, std::time::Duration::from_millis(5), None)?;
        Ok(())
    })?;
    let ok: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::Internal("the database copy failed its integrity check".into()));
    }
    dst.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
    Ok(())
}

/// Writes a backup of `db` and its evidence files to `out`, which must not exist yet.
/// On any failure nothing is left in `out`'s folder: the staging copy and the
/// unfinished file (both `.rightsdesk-tmp-…`) are removed, and a full disk
/// says so, naming the file.
pub fn backup_to(db: &Db, clock: &dyn Clock, out: &Path) -> Result<BackupSummary> {
    let started = std::time::Instant::now();
    let result = write_backup(db, clock, out).map_err(|e| disk_full(out, e));
    let ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(s) => tracing::info!(bytes = s.bytes, requests = s.requests, evidence_files = s.evidence_files, ms, "backup written"),
        // The code only: the message names the backup's path, which the officer chose.
        Err(e) => tracing::error!(code = %e.code(), ms, "backup failed"),
    }
    result
}

/// A full disk as the officer should read it: which backup, and that nothing
/// was written under its name (SQLite's "database or disk is full" while the
/// copy is made, or the OS's ENOSPC while the file is written).
fn disk_full(out: &Path, e: Error) -> Error {
    let full = match &e {
        Error::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        Error::Database(db) => db.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull),
        _ => false,
    };
    if !full {
        return e;
    }
    Error::Io(std::io::Error::new(
        std::io::ErrorKind::StorageFull,
        format!("could not write the backup {}: the disk is full; nothing was written under that name", out.display()),
    ))
}

fn write_backup(db: &Db, clock: &dyn Clock, out: &Path) -> Result<BackupSummary> {
    if out.exists() {
        return Err(Error::invalid("out", "a file already exists there; choose another name"));
    }
    let key = key_of(db)?;
    let now = clock.now();
    let (kind, entry) = match &key {
        DbKey::Passphrase(_) => ("passphrase", None),
        DbKey::Raw(_) => ("keyring", Some(keyring_name(db.path()))),
    };
    let header = BackupHeader::new(crate::store::SCHEMA_VERSION as u32, kind, entry, now.to_rfc3339())?;

    let out_dir = atomic::parent_of(out);
    std::fs::create_dir_all(&out_dir)?;
    let staging = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir_in(&out_dir)?;
    let copy = staging.path().join(DB_MEMBER);
    copy_database(db, &key, &copy)?;
    crate::crash_point::hit("backup.copied");
    let requests: i64 = db.read(|c| Ok(c.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?))?;
    let evidence = evidence_files(&evidence_dir(db.path()))?;
    let summary = seal(&header, &key, &copy, &evidence, out, requests)?;
    drop(staging);
    Ok(summary)
}

/// Seals the database copy `copy` (keyed with `key`, one self-contained file) and the
/// `evidence` files into the backup `out`, read back and authenticated before it gets its name.
fn seal(
    header: &BackupHeader,
    key: &DbKey,
    copy: &Path,
    evidence: &[(String, PathBuf)],
    out: &Path,
    requests: i64,
) -> Result<BackupSummary> {
    let mut file = AtomicFile::create(out)?;
    {
        let mut w = ArchiveWriter::new(BufWriter::new(&mut file), header, key.secret())?;
        let mut add = |name: &str, path: &Path| -> Result<()> {
            let mut f = std::fs::File::open(path)?;
            let size = f.metadata()?.len();
            w.member(name, size, &mut (&mut f as &mut dyn Read).take(size))
        };
        add(DB_MEMBER, copy)?;
        for (rel, path) in evidence {
            add(&format!("{EVIDENCE_DIR}/{rel}"), path)?;
        }
        w.finish()?.into_inner().map_err(|e| Error::Io(e.into_error()))?;
    }
    // Read the whole file back before it gets its name: a backup that cannot be restored is not one.
    let members = verify_file(file.temp_path(), key.secret())?;
    if members != 1 + evidence.len() {
        return Err(Error::Internal("the backup read back with a different number of members".into()));
    }
    let bytes = std::fs::metadata(file.temp_path())?.len();
    // Never over a file that appeared meanwhile (not even with the name checked above).
    file.commit_as(Overwrite::Refuse).map_err(|e| match e {
        Error::Invalid { field: "out", .. } => Error::invalid("out", "a file already exists there; choose another name"),
        e => e,
    })?;
    Ok(BackupSummary {
        path: out.display().to_string(),
        created_at: header.created_at.clone(),
        bytes,
        requests: u32::try_from(requests).unwrap_or(u32::MAX),
        evidence_files: u32::try_from(evidence.len()).unwrap_or(u32::MAX),
    })
}

/// Authenticates every chunk of a backup; returns its number of members.
pub(crate) fn verify_file(path: &Path, secret: &str) -> Result<usize> {
    let f = std::io::BufReader::new(std::fs::File::open(path)?);
    let (_, mut r) = ArchiveReader::open(f, secret)?;
    let mut n = 0;
    while let Some((_, size)) = r.next_member()? {
        r.copy_member(size, &mut std::io::sink())?;
        n += 1;
    }
    Ok(n)
}

/// The time and sequence number in a scheduled backup's name:
/// `rightsdesk-20250210T020000Z.rdbackup` is the first of that second (1),
/// `rightsdesk-20250210T020000Z-2.rdbackup` the second, and so on. Sorting by
/// this pair, not by the name, keeps `-2` after the first (a name sorts `-`
/// before `.`) and `-10` after `-9`.
fn backup_stamp(name: &str) -> Option<(DateTime<Utc>, u32)> {
    let stamp = name.strip_prefix("rightsdesk-")?.strip_suffix(&format!(".{BACKUP_EXT}"))?;
    let (time, rest) = (stamp.get(..16)?, stamp.get(16..)?);
    let seq = match rest.strip_prefix('-') {
        None if rest.is_empty() => 1,
        None => return None,
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => n.parse().ok().filter(|n| *n >= 2)?,
        Some(_) => return None,
    };
    let at = NaiveDateTime::parse_from_str(time, "%Y%m%dT%H%M%SZ").ok()?.and_utc();
    Some((at, seq))
}

/// The scheduled backups in `dir`, oldest first (by the time and sequence number in their names).
pub fn backups_in(dir: &Path) -> Result<Vec<(DateTime<Utc>, PathBuf)>> {
    Ok(scheduled_in(dir)?.into_iter().map(|(at, _, path)| (at, path)).collect())
}

/// [`backups_in`] with each name's sequence number.
fn scheduled_in(dir: &Path) -> Result<Vec<(DateTime<Utc>, u32, PathBuf)>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((at, seq)) = backup_stamp(&name) {
            found.push((at, seq, entry.path()));
        }
    }
    found.sort();
    Ok(found)
}

/// A new backup in `dir` named by its time, then the oldest removed so that `keep` remain.
/// The backup just written is never among them, even if the clock went back
/// and older names carry later times. Returns the backup and the files removed.
pub fn backup_rotating(db: &Db, clock: &dyn Clock, dir: &Path, keep: u32) -> Result<(BackupSummary, Vec<PathBuf>)> {
    rotating(clock, dir, keep, |out| backup_to(db, clock, out))
}

/// [`backup_rotating`] with the backup written by `make` at the path it is given (a team
/// register's: [`team::backup_to`]).
pub fn rotating(
    clock: &dyn Clock,
    dir: &Path,
    keep: u32,
    make: impl FnOnce(&Path) -> Result<BackupSummary>,
) -> Result<(BackupSummary, Vec<PathBuf>)> {
    if keep == 0 {
        return Err(Error::invalid("keep", "must be at least 1"));
    }
    std::fs::create_dir_all(dir)?;
    atomic::remove_leftovers(dir);
    // The next sequence number of this second: after every backup of it still
    // there, not merely a free name (the first may have been rotated away).
    let stamp = clock.now().format("%Y%m%dT%H%M%SZ").to_string();
    let first = format!("rightsdesk-{stamp}.{BACKUP_EXT}");
    let this_second = backup_stamp(&first).map(|(at, _)| at);
    let taken = scheduled_in(dir)?.into_iter().filter(|(at, _, _)| Some(*at) == this_second).map(|(_, n, _)| n).max();
    let name = |n: u32| if n == 1 { first.clone() } else { format!("rightsdesk-{stamp}-{n}.{BACKUP_EXT}") };
    let mut n = taken.map_or(1, |n| n + 1);
    while dir.join(name(n)).exists() {
        n += 1;
    }
    let out = dir.join(name(n));
    let summary = make(&out)?;
    let others: Vec<PathBuf> = backups_in(dir)?.into_iter().map(|(_, path)| path).filter(|p| *p != out).collect();
    let excess = (others.len() + 1).saturating_sub(keep as usize);
    let mut removed = Vec::new();
    for path in others.into_iter().take(excess) {
        std::fs::remove_file(&path)?;
        removed.push(path);
    }
    atomic::sync_dir(dir);
    tracing::info!(kept = keep, removed = removed.len(), "old backups rotated");
    Ok((summary, removed))
}

/// The officer's backup schedule (settings), and the newest backup found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupSchedule {
    pub dir: Option<String>,
    pub keep: u32,
    /// Back up when the app starts if the newest backup is older than a day.
    pub daily: bool,
    pub last_backup_at: Option<String>,
    pub backups: u32,
}

/// What no file a command exports may be written into: the register's own files (see
/// [`Protected::for_database`]) and the configured backup folder. The app and the CLI both ask here.
pub fn protected(db: &Db) -> Result<Protected> {
    let dir = db.read(|c| settings::get(c, SETTING_DIR))?;
    let mut protected = Protected::for_database(db.path());
    if let Some(dir) = dir.filter(|d| !d.is_empty()) {
        protected = protected.with_dir(Path::new(&dir));
    }
    Ok(protected)
}

pub fn schedule(db: &Db) -> Result<BackupSchedule> {
    let (dir, keep, daily) =
        db.read(|c| Ok((settings::get(c, SETTING_DIR)?, settings::get(c, SETTING_KEEP)?, settings::get(c, SETTING_DAILY)?)))?;
    let keep = keep.and_then(|k| k.parse().ok()).unwrap_or(DEFAULT_KEEP);
    let found = match &dir {
        Some(d) => backups_in(Path::new(d)).unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(BackupSchedule {
        dir,
        keep,
        daily: daily.as_deref() == Some("true"),
        last_backup_at: found.last().map(|(at, _)| at.to_rfc3339()),
        backups: u32::try_from(found.len()).unwrap_or(u32::MAX),
    })
}

/// Saves the schedule; the change is on the audit trail.
pub fn set_schedule(db: &Db, clock: &dyn Clock, actor: &str, dir: &str, keep: u32, daily: bool) -> Result<BackupSchedule> {
    let dir = dir.trim();
    if daily && dir.is_empty() {
        return Err(Error::invalid("dir", "choose a folder for the daily backups"));
    }
    if !dir.is_empty() && !Path::new(dir).is_absolute() {
        return Err(Error::invalid("dir", "must be an absolute folder path"));
    }
    if !(1..=365).contains(&keep) {
        return Err(Error::invalid("keep", "must be between 1 and 365"));
    }
    db.write(|tx| {
        if dir.is_empty() {
            tx.execute("DELETE FROM settings WHERE key = ?1", [SETTING_DIR])?;
        } else {
            settings::set(tx, SETTING_DIR, dir)?;
        }
        settings::set(tx, SETTING_KEEP, &keep.to_string())?;
        settings::set(tx, SETTING_DAILY, if daily { "true" } else { "false" })?;
        events::append(
            tx,
            None,
            clock.now(),
            actor,
            NewEvent {
                kind: EventKind::SettingsChanged,
                summary: format!("Backup schedule changed: {} backups kept, daily {}", keep, if daily { "on" } else { "off" }),
                data: json!({ "backup": { "keep": keep, "daily": daily } }),
            },
        )?;
        Ok(())
    })?;
    schedule(db)
}

/// At start: one backup into the scheduled folder when daily backups are on and
/// the newest is older than a day. `None` when nothing was due.
pub fn run_scheduled_if_due(db: &Db, clock: &dyn Clock) -> Result<Option<BackupSummary>> {
    let s = schedule(db)?;
    let (Some(dir), true) = (s.dir, s.daily) else { return Ok(None) };
    let fresh = s
        .last_backup_at
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .is_some_and(|t| clock.now().signed_duration_since(t) < chrono::Duration::days(1));
    if fresh {
        return Ok(None);
    }
    Ok(Some(backup_rotating(db, clock, Path::new(&dir), s.keep)?.0))
}
