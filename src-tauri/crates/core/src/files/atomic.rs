//! Files are written whole or not at all: a temporary file beside the target,
//! fsync, rename. A failure (or a drop before [`AtomicFile::commit`]) removes
//! the temporary file, so nothing half-written ever sits under the final name.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::files::destination::Overwrite;

pub struct AtomicFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    file: File,
    committed: bool,
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

impl AtomicFile {
    /// Starts writing `path`: creates a hidden temporary file in the same folder
    /// (so the final rename stays on one file system and is atomic).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::invalid("out", "must name a file, not a folder"))?;
        if path.is_dir() {
            return Err(Error::invalid("out", "is a folder; give a file name inside it"));
        }
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let temp_path = dir.join(format!(".{name}.{}.partial", uuid::Uuid::now_v7().simple()));
        let mut options = OpenOptions::new();
        options.write(true).read(true).create_new(true);
        owner_only(&mut options);
        let file = options.open(&temp_path).map_err(|e| write_error(path, &e))?;
        Ok(AtomicFile { final_path: path.to_path_buf(), temp_path, file, committed: false })
    }

    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    pub fn path(&self) -> &Path {
        &self.final_path
    }

    /// Flushes to disk and moves the file under its final name, replacing what is there.
    pub fn commit(self) -> Result<()> {
        self.commit_as(Overwrite::Allowed)
    }

    /// Flushes to disk and moves the file under its final name. With
    /// [`Overwrite::Refuse`] a file that appeared under that name since the
    /// destination was checked is kept and the write is refused.
    pub fn commit_as(mut self, overwrite: Overwrite) -> Result<()> {
        let fail = |e: io::Error| write_error(&self.final_path, &e);
        self.file.sync_all().map_err(fail)?;
        crate::crash_point::hit("file.written");
        // On failure the temporary file is removed (here or on Drop).
        match crate::files::fsutil::move_into_place(&self.temp_path, &self.final_path, overwrite) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && overwrite == Overwrite::Refuse => {
                return Err(crate::files::fsutil::exists_error(&self.final_path))
            }
            Err(e) => return Err(fail(e)),
        }
        self.committed = true;
        // Make the rename itself durable (best effort: not every platform can open a folder).
        if let Some(dir) = self.final_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

/// Files written here hold personal data (exports, packages): on Unix they are
/// created readable and writable by their owner only (0600), before a byte is
/// written, and the rename keeps that mode.
pub fn owner_only(options: &mut OpenOptions) {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    #[cfg(not(unix))]
    let _ = options;
}

/// Writes a whole file from `fill`, atomically, replacing what is there.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    write_as(path, Overwrite::Allowed, fill)
}

/// Writes a whole file from `fill`, atomically; with [`Overwrite::Refuse`] it
/// never replaces a file, not even one created after `destination::check`.
pub fn write_as(path: &Path, overwrite: Overwrite, fill: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let mut out = AtomicFile::create(path)?;
    fill(out.file())?;
    out.commit_as(overwrite)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

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
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
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
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
        // Allowed (--force, a confirmed save dialog), it replaces.
        write_as(&target, Overwrite::Allowed, |f| Ok(f.write_all(b"the register")?)).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"the register");
    }

    #[test]
    fn a_missing_folder_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no-such-folder").join("out.zip");
        let err = write_with(&target, |_| Ok(())).unwrap_err().to_string();
        assert!(err.contains("out.zip") && err.contains("nothing was written"), "{err}");
    }
}
