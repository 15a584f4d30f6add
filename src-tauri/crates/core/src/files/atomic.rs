//! The one way Rightsdesk writes a file: whole or not at all.
//!
//! Every file the app writes — an export, a package, a calendar, a backup, an
//! evidence file, an audit export — is written here: to a temporary file beside
//! the target (so the rename stays on one file system), created owner-only
//! (0600, before a byte is written), synced, then renamed under its final name
//! ([`tempfile`]'s `persist`, or `persist_noclobber` when an existing file must
//! be kept), then the folder is synced so the rename itself survives a crash.
//! A failure, or a drop before [`AtomicFile::commit`], removes the temporary
//! file; a kill leaves it behind under [`TEMP_PREFIX`], which backups skip and
//! [`remove_stale`] clears when the register is next opened for writing.
//!
//! What does not belong here: where a file may be written (`destination`).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::files::destination::Overwrite;

/// The prefix of every temporary file and folder the app creates. A name with
/// it is never a finished file: backups and restores skip it, start-up removes it.
pub const TEMP_PREFIX: &str = ".rightsdesk-tmp-";

/// A file being written beside its final path; invisible under that path
/// until [`AtomicFile::commit`]. Dropped uncommitted, it is removed.
pub struct AtomicFile {
    temp: NamedTempFile,
    target: PathBuf,
}

/// An I/O error that says which file and that nothing was left behind.
pub fn write_error(path: &Path, e: &io::Error) -> Error {
    let hint = match e.kind() {
        io::ErrorKind::StorageFull => " (the disk is full)",
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => " (that folder is not writable)",
        io::ErrorKind::NotFound => " (that folder does not exist)",
        _ => "",
    };
    Error::Io(io::Error::new(e.kind(), format!("could not write {}: {e}{hint}; nothing was written under that name", path.display())))
}

/// The refusal of a file that exists when a file written without `--force`
/// is moved in (it appeared after `destination::check`).
pub fn exists_error(target: &Path) -> Error {
    Error::invalid("out", format!("{} already exists; nothing was written (add --force to replace it)", target.display()))
}

/// `tempfile` names its temporary file in its errors; the officer is told of
/// the target instead (the kind, and so "the disk is full", is kept).
fn without_temp_path(e: io::Error) -> io::Error {
    let text = e.to_string();
    match text.rfind(" at path ") {
        Some(i) => io::Error::new(e.kind(), text[..i].to_string()),
        None => e,
    }
}

impl AtomicFile {
    /// Starts writing `target`: an owner-only temporary file in the same
    /// folder, which must exist (a missing folder is an error naming the file).
    pub fn create(target: &Path) -> Result<AtomicFile> {
        if target.file_name().is_none_or(|n| n.is_empty()) {
            return Err(Error::invalid("out", "must name a file, not a folder"));
        }
        if target.is_dir() {
            return Err(Error::invalid("out", "is a folder; give a file name inside it"));
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX);
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
        let temp = builder.tempfile_in(parent_of(target)).map_err(|e| write_error(target, &without_temp_path(e)))?;
        Ok(AtomicFile { temp, target: target.to_path_buf() })
    }

    pub fn file(&mut self) -> &mut File {
        self.temp.as_file_mut()
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// The temporary path (to read the content back before committing).
    pub fn temp_path(&self) -> &Path {
        self.temp.path()
    }

    /// Syncs the content and moves it under its final name, replacing what is there.
    pub fn commit(self) -> Result<()> {
        self.commit_as(Overwrite::Allowed)
    }

    /// Syncs the content and moves it under its final name. With
    /// [`Overwrite::Refuse`] the move cannot replace anything, however late the
    /// target appeared (after `destination::check`, say): the file there is
    /// kept, the write refused naming it, and the temporary file removed.
    pub fn commit_as(self, overwrite: Overwrite) -> Result<()> {
        let AtomicFile { temp, target } = self;
        temp.as_file().sync_all().map_err(|e| write_error(&target, &e))?;
        crate::crash_point::hit("file.written");
        let moved = match overwrite {
            Overwrite::Allowed => temp.persist(&target),
            Overwrite::Refuse => temp.persist_noclobber(&target),
        };
        // On failure the returned temporary file is dropped, and so removed.
        match moved {
            Ok(_) => {}
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists && overwrite == Overwrite::Refuse => {
                return Err(exists_error(&target))
            }
            Err(e) => return Err(write_error(&target, &without_temp_path(e.error))),
        }
        sync_dir(&parent_of(&target));
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// Writes a whole file from `fill`, replacing what is there.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    write_as(path, Overwrite::Allowed, fill)
}

/// Writes a whole file from `fill`; with [`Overwrite::Refuse`] it never
/// replaces a file, not even one created after `destination::check`.
pub fn write_as(path: &Path, overwrite: Overwrite, fill: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let mut out = AtomicFile::create(path)?;
    fill(out.file())?;
    out.commit_as(overwrite)
}

/// Writes `bytes` as a whole file, replacing what is there.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_bytes_as(path, Overwrite::Allowed, bytes)
}

/// Writes `bytes` as a whole file, replacing an existing one only if `overwrite` allows it.
pub fn write_bytes_as(path: &Path, overwrite: Overwrite, bytes: &[u8]) -> Result<()> {
    write_as(path, overwrite, |f| f.write_all(bytes).map_err(|e| write_error(path, &e)))
}

/// Makes a rename or a new file in `dir` durable. Unix syncs the folder;
/// elsewhere a folder cannot be opened as a file and the OS keeps renames itself.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        // Best effort: some file systems (network mounts) cannot sync a folder; the file itself was synced.
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir; // nothing to sync on this platform
}

/// The folder holding `path` (`.` for a bare file name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes what a crash left in `dir` under [`TEMP_PREFIX`] (files and
/// staging folders; only ours, by their prefix). Returns how many.
pub fn remove_leftovers(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let path = entry.path();
            let gone =
                if entry.file_type().is_ok_and(|t| t.is_dir()) { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            removed += usize::from(gone.is_ok());
        }
    }
    removed
}

/// Start-up's clean-up, run when the register at `db_path` is opened for
/// writing (`store::Db::open`, under the writer lock, so no other writer is
/// mid-file): removes the temporary files and staging folders a crash left
/// beside the database and anywhere in its evidence folder. Returns how many.
pub fn remove_stale(db_path: &Path) -> usize {
    let dir = parent_of(db_path);
    let mut removed = remove_leftovers(&dir);
    let mut folders = vec![dir.join(crate::paths::EVIDENCE_DIR)];
    while let Some(folder) = folders.pop() {
        removed += remove_leftovers(&folder);
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        folders.extend(entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()));
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_write_leaves_neither_the_target_nor_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let err = write_with(&target, |f| {
            f.write_all(b"half")?;
            Err(Error::Internal("stopped".into()))
        })
        .unwrap_err();
        assert!(matches!(err, Error::Internal(_)));
        assert!(!target.exists());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn an_uncommitted_file_is_invisible_under_its_name_and_carries_the_one_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"half").unwrap();
            assert!(!target.exists());
            let listed = names(dir.path());
            assert_eq!(listed.len(), 1);
            assert!(listed[0].starts_with(TEMP_PREFIX), "{listed:?}");
            #[cfg(unix)]
            assert_eq!(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(f.temp_path()).unwrap().permissions()) & 0o777, 0o600);
        }
        assert!(names(dir.path()).is_empty(), "the temporary file is removed");
        write_bytes(&target, b"whole").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
        #[cfg(unix)]
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&target).unwrap().permissions()) & 0o777, 0o600);
    }

    #[test]
    fn a_file_that_appears_after_the_check_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("export.csv");
        let p = crate::files::destination::Protected::for_database(&dir.path().join("data").join("r.sqlite3"));
        crate::files::destination::check(&target, &p, Overwrite::Refuse).unwrap();
        let err = write_as(&target, Overwrite::Refuse, |f| {
            f.write_all(b"the register")?;
            // Between the check and the rename, someone (or something) creates the file.
            std::fs::write(&target, b"someone else's").unwrap();
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("export.csv") && err.contains("already exists") && err.contains("--force"), "{err}");
        assert_eq!(std::fs::read(&target).unwrap(), b"someone else's");
        assert_eq!(names(dir.path()), ["export.csv"], "no temporary file is left");
        // Allowed (--force, a confirmed save dialog), it replaces.
        write_bytes_as(&target, Overwrite::Allowed, b"the register").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"the register");
    }

    #[test]
    fn a_missing_folder_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no-such-folder").join("out.zip");
        let err = write_with(&target, |_| Ok(())).unwrap_err().to_string();
        assert!(err.contains("out.zip") && err.contains("nothing was written"), "{err}");
        assert!(err.contains("that folder does not exist") && !err.contains(TEMP_PREFIX), "{err}");
    }

    #[test]
    fn stale_temporary_files_beside_the_database_and_in_the_evidence_folder_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rightsdesk.sqlite3");
        let shard = dir.path().join("evidence").join("ab");
        std::fs::create_dir_all(&shard).unwrap();
        std::fs::write(&db, b"db").unwrap();
        std::fs::write(dir.path().join(format!("{TEMP_PREFIX}x1")), b"half").unwrap();
        std::fs::create_dir_all(dir.path().join(format!("{TEMP_PREFIX}restore")).join("evidence")).unwrap();
        std::fs::write(shard.join("ab12"), b"sealed").unwrap();
        std::fs::write(shard.join(format!("{TEMP_PREFIX}y2")), b"half").unwrap();
        std::fs::write(dir.path().join("evidence").join(format!("{TEMP_PREFIX}z3")), b"half").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"the officer's").unwrap();
        assert_eq!(remove_stale(&db), 4);
        assert_eq!(names(dir.path()), ["evidence", "notes.txt", "rightsdesk.sqlite3"]);
        assert_eq!(names(&dir.path().join("evidence")), ["ab"]);
        assert_eq!(names(&shard), ["ab12"]);
    }
}
