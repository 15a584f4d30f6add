//! Files are written whole or not at all: a temporary file beside the target,
//! fsync, rename, fsync of the directory. A crash leaves either the old state
//! or the new one under the final name, never half a file.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::files::destination::Overwrite;

/// The prefix of every temporary file this module creates; leftovers of a
/// crash carry it and are never taken for a finished file.
pub const TEMP_PREFIX: &str = ".rightsdesk-tmp-";

/// A file being written beside its final path; invisible under that path
/// until [`AtomicFile::commit`]. Dropped uncommitted, it is removed.
pub struct AtomicFile {
    file: Option<File>,
    temp: PathBuf,
    target: PathBuf,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = parent_of(target);
        std::fs::create_dir_all(&dir)?;
        let mut suffix = [0u8; 8];
        getrandom::fill(&mut suffix).map_err(|e| io::Error::other(e.to_string()))?;
        let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = dir.join(format!("{TEMP_PREFIX}{suffix}-{name}"));
        // Backups and evidence hold personal data: owner-only (0600) from the start.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        crate::files::atomic::owner_only(&mut options);
        let file = options.open(&temp)?;
        Ok(AtomicFile { file: Some(file), temp, target: target.to_path_buf() })
    }

    /// The temporary path (to re-read and check the content before committing).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Syncs the content and moves it under the final name. With `replace`
    /// false an existing target is refused (the temporary file is removed).
    pub fn commit(mut self, replace: bool) -> io::Result<()> {
        let file = self.file.take().ok_or_else(|| io::Error::other("already committed"))?;
        file.sync_all()?;
        drop(file);
        crate::crash_point::hit("file.written");
        let overwrite = if replace { Overwrite::Allowed } else { Overwrite::Refuse };
        move_into_place(&self.temp, &self.target, overwrite)?;
        sync_dir(&parent_of(&self.target));
        Ok(())
    }
}

/// Moves a finished temporary file under its final name. With
/// [`Overwrite::Refuse`] the move cannot replace anything, however late the
/// target appeared (after `destination::check`, say): a hard link fails if the
/// target exists, so there is no window between a check and a rename. A
/// refused move (`AlreadyExists`) removes the temporary file.
pub fn move_into_place(temp: &Path, target: &Path, overwrite: Overwrite) -> io::Result<()> {
    match overwrite {
        Overwrite::Allowed => std::fs::rename(temp, target),
        Overwrite::Refuse => match std::fs::hard_link(temp, target) {
            Ok(()) => std::fs::remove_file(temp),
            Err(e) => {
                let _ = std::fs::remove_file(temp);
                Err(e)
            }
        },
    }
}

/// The error for a target that exists when a file written without
/// `--force` is moved in: it appeared after the check.
pub fn exists_error(target: &Path) -> crate::error::Error {
    crate::error::Error::invalid("out", format!("{} already exists; nothing was written (add --force to replace it)", target.display()))
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().ok_or_else(|| io::Error::other("already committed"))?.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `target` atomically, replacing what was there.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(target)?;
    f.write_all(bytes)?;
    f.commit(true)
}

/// Makes a rename or a new file in `dir` durable (best effort where directories cannot be opened).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes temporary files a crash left in `dir` (only ours, by their prefix).
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let path = entry.path();
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_file_leaves_nothing_under_the_final_name() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the temporary file is removed");
        write_atomic(&target, b"whole").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
    }

    #[test]
    fn committing_without_replace_refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.bin");
        std::fs::write(&target, b"precious").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        assert!(f.commit(false).is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"precious");
    }

    #[test]
    fn a_file_that_appears_after_the_check_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.rdbackup");
        let p = crate::files::destination::Protected::for_database(&dir.path().join("data").join("r.sqlite3"));
        crate::files::destination::check(&target, &p, Overwrite::Refuse).unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        std::fs::write(&target, b"someone else's").unwrap();
        let err = f.commit(false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"someone else's");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
    }
}
