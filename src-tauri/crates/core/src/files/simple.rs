//! Files are written whole or not at all: a temporary file beside the target,
//! fsync, rename, then fsync of the directory so the rename itself survives a crash.

use std::io::Write;
use std::path::Path;

use crate::error::Result;
use crate::files::destination::Overwrite;

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |file| Ok(file.write_all(bytes)?))
}

/// Like [`write_atomically`]; with [`Overwrite::Refuse`] it never replaces a
/// file, not even one created after `destination::check` (refused, naming it).
pub fn write_atomically_as(path: &Path, overwrite: Overwrite, bytes: &[u8]) -> Result<()> {
    write_atomically_with_as(path, overwrite, |file| Ok(file.write_all(bytes)?))
}

/// Like [`write_atomically`], with `write` streaming the content into the temporary file.
pub fn write_atomically_with(path: &Path, write: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    write_atomically_with_as(path, Overwrite::Allowed, write)
}

/// Like [`write_atomically_with`], replacing an existing file only if `overwrite` allows it.
pub fn write_atomically_with_as(path: &Path, overwrite: Overwrite, write: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // The one temporary prefix every reader skips (a backup took a `.tmp-` file left by a kill for evidence).
    let tmp = dir.join(format!("{}{}", crate::files::fsutil::TEMP_PREFIX, uuid::Uuid::now_v7()));
    let result = (|| {
        // Exports and evidence copies hold personal data: owner-only (0600) from the start.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        crate::files::atomic::owner_only(&mut options);
        let mut file = options.open(&tmp)?;
        write(&mut file)?;
        file.sync_all()?;
        drop(file);
        crate::crash_point::hit("file.written");
        match crate::files::fsutil::move_into_place(&tmp, path, overwrite) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && overwrite == Overwrite::Refuse => {
                return Err(crate::files::fsutil::exists_error(path))
            }
            moved => moved?,
        }
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes a rename durable where the platform allows opening a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_appears_after_the_check_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("systems.csv");
        let p = crate::files::destination::Protected::for_database(&dir.path().join("data").join("r.sqlite3"));
        crate::files::destination::check(&target, &p, Overwrite::Refuse).unwrap();
        let err = write_atomically_with_as(&target, Overwrite::Refuse, |f| {
            f.write_all(b"the data map")?;
            // Between the check and the rename, someone (or something) creates the file.
            std::fs::write(&target, b"someone else's").unwrap();
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("systems.csv") && err.contains("already exists") && err.contains("--force"), "{err}");
        assert_eq!(std::fs::read(&target).unwrap(), b"someone else's");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
        write_atomically_as(&target, Overwrite::Allowed, b"the data map").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"the data map");
    }
}
