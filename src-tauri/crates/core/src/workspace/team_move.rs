//! Moving a register in and out of a team database (issue 18, item 6): `rightsdesk team
//! migrate` ([`into_team`]) and `rightsdesk team export` ([`export`]). The copying is
//! `store::pg::migrate`'s; here the audit trail is verified on both sides inside the move's
//! transactions, so the target commits only when its trail verifies exactly as the source's
//! does (the same seals, the same head hash), and every copied table holds as many rows on
//! both sides.

use std::path::{Path, PathBuf};

use crate::audit::{self, AuditReport};
use crate::error::{Error, Result};
use crate::evidence::moving::{self, KeptPackages, StoredFiles};
use crate::evidence::place::Place;
use crate::store::pg::migrate::{self, TableCount};
use crate::store::{Conn, Db, DbKey, PgDb};

/// What a move did: the rows per table on both sides, the stored files (evidence files and
/// kept mails) on both sides, and the audit trail verified on both.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Moved {
    pub tables: Vec<TableCount>,
    pub stored_files: StoredFiles,
    /// The built answer packages kept with the register (on the file: its `packages/` folder;
    /// on a team register: `stored_chunks`), carried to the other side.
    pub packages: KeptPackages,
    pub source_audit: AuditReport,
    pub target_audit: AuditReport,
}

/// Moves the register file `file` into the empty team database `pg` (connected as the
/// database administrator who ran `team init`), its stored files from the folder beside it
/// into the team register's `stored_chunks`, streamed. All or nothing: the rows and the
/// stored files commit together.
pub fn into_team(file: &Db, pg: &PgDb) -> Result<Moved> {
    let folder = Place::Folder(crate::evidence::dir(file)?);
    let packages_dir = crate::files::atomic::parent_of(file.path()).join("packages");
    // A file with packages but no key for stored files yet gets its key first, inside the
    // move: the key is copied and counted with the settings, and the packages sealed with it.
    let prepare = |s: Conn<'_>| moving::key_for_packages(s, &packages_dir);
    let (tables, ((source_audit, target_audit), (stored_files, packages))) = migrate::to_postgres_prepared(file, pg, prepare, |s, t| {
        let audits = verified(s, t, "register file", "team database")?;
        let stored = moving::copy(s, &folder, t, &Place::Table, &mut |_| {})?;
        Ok((audits, (stored, moving::keep_packages(s, &packages_dir, t)?)))
    })?;
    Ok(Moved { tables, stored_files, packages, source_audit, target_audit })
}

/// Copies the team database `pg` into a new register file at `path`, encrypted with `key`.
/// An existing file is never replaced. The copy is written beside it under another name and
/// renamed into place only once it is complete and verified, so a failed or killed export
/// leaves no file at `path`.
pub fn export(pg: &PgDb, path: &Path, key: &DbKey) -> Result<Moved> {
    refuse_existing(path)?;
    let partial = partial_path(path)?;
    remove_with_companions(&partial);
    let db = Db::open(&partial, key)?;
    // The stored files go into the folder beside the new file (the partial one is beside it too).
    let folder = crate::evidence::dir(&db)?;
    let mut written = Vec::new();
    // The kept packages go into the `packages/` folder beside the new file, where the file's
    // register finds them (`packages::built_package`).
    let packages_dir = crate::files::atomic::parent_of(path).join("packages");
    let mut unpacked: Vec<PathBuf> = Vec::new();
    let result = migrate::to_sqlite(pg, &db, |s, t| {
        let audits = verified(s, t, "team database", "new register file")?;
        let stored = moving::copy(s, &Place::Table, t, &Place::Folder(folder.clone()), &mut |blob| written.push(blob.to_owned()))?;
        let packages = moving::unpack_packages(s, &packages_dir, &mut |p| unpacked.push(p.to_path_buf()))?;
        Ok((audits, (stored, packages)))
    })
    .and_then(|(tables, audits)| {
        // One self-contained file: no write-ahead log to carry along.
        db.with_connection(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?))?;
        Ok((tables, audits))
    });
    drop(db);
    let (tables, ((source_audit, target_audit), (stored_files, packages))) = match result {
        Ok(done) => done,
        Err(e) => {
            remove_with_companions(&partial);
            remove_stored(&folder, &written);
            remove_files(&unpacked);
            return Err(e);
        }
    };
    let _ = std::fs::remove_file(crate::store::lock::lock_path(&partial));
    // A hard link never replaces a file that appeared meanwhile; where the file system has
    // none, a rename after checking again.
    let placed = match std::fs::hard_link(&partial, path) {
        Ok(()) => std::fs::remove_file(&partial).or(Ok(())),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(std::io::ErrorKind::AlreadyExists.into()),
        Err(_) => std::fs::rename(&partial, path),
    };
    if let Err(e) = placed {
        remove_with_companions(&partial);
        remove_stored(&folder, &written);
        remove_files(&unpacked);
        return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists(path)
        } else {
            Error::invalid("to", format!("{} could not be written ({e}); nothing was written", path.display()))
        });
    }
    crate::files::atomic::sync_dir(&crate::files::atomic::parent_of(path));
    Ok(Moved { tables, stored_files, packages, source_audit, target_audit })
}

/// Removes the package files an export wrote before it failed.
fn remove_files(written: &[PathBuf]) {
    for path in written {
        let _ = std::fs::remove_file(path);
    }
}

/// Removes the stored files an export wrote into `folder` before it failed (files that
/// were there before are kept: the same bytes under the same key belong to another file).
fn remove_stored(folder: &Path, written: &[String]) {
    for blob in written {
        let _ = std::fs::remove_file(crate::evidence::blob_path(folder, blob));
    }
}

fn exists(path: &Path) -> Error {
    Error::invalid(
        "to",
        format!("{} already exists: an export writes a new register file and never replaces one; nothing was written", path.display()),
    )
}

/// Refuses a path where a file (or a link, or a folder) already is.
pub fn refuse_existing(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(exists(path));
    }
    Ok(())
}

/// Where the copy is written until it is complete: a hidden name beside `path`.
fn partial_path(path: &Path) -> Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| Error::invalid("to", format!("{} is not a file name", path.display())))?;
    let mut hidden = std::ffi::OsString::from(".");
    hidden.push(name);
    hidden.push(format!(".export-{}.partial", std::process::id()));
    Ok(path.with_file_name(hidden))
}

fn remove_with_companions(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let _ = std::fs::remove_file(crate::store::lock::lock_path(path));
}

/// The audit trail verified on both sides of a move, inside its transactions: the source's
/// must be intact and the target's the same.
fn verified(source: Conn<'_>, target: Conn<'_>, source_name: &str, target_name: &str) -> Result<(AuditReport, AuditReport)> {
    let s = audit::verify_in(source)?;
    if !s.intact {
        let first = s.problems.first().map(|p| format!(", the first at event {}", p.seq)).unwrap_or_default();
        return Err(Error::invalid(
            "from",
            format!(
                "the audit trail of the {source_name} does not verify ({} problem{}{first}): see `rightsdesk audit verify`; \
                 a register whose trail is broken is not moved; nothing was written",
                s.problems.len(),
                if s.problems.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    let t = audit::verify_in(target)?;
    if t != s {
        return Err(Error::Internal(format!(
            "the audit trail of the {target_name} does not verify as the {source_name}'s does after the copy \
             ({} seals checked, intact: {}); nothing was written",
            t.checked, t.intact
        )));
    }
    Ok((s, t))
}
