//! Files are written whole or not at all: a temporary file beside the target,
//! fsync, rename, then fsync of the directory so the rename itself survives a crash.

use std::io::Write;
use std::path::Path;

use crate::error::Result;

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |file| Ok(file.write_all(bytes)?))
}

/// Like [`write_atomically`], with `write` streaming the content into the temporary file.
pub fn write_atomically_with(path: &Path, write: impl FnOnce(&mut std::fs::File) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // The one temporary prefix every reader skips (a backup took a `.tmp-` file left by a kill for evidence).
    let tmp = dir.join(format!("{}{}", crate::safety::fsutil::TEMP_PREFIX, uuid::Uuid::now_v7()));
    let result = (|| {
        // Exports and evidence copies hold personal data: owner-only (0600) from the start.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        crate::atomic_file::owner_only(&mut options);
        let mut file = options.open(&tmp)?;
        write(&mut file)?;
        file.sync_all()?;
        drop(file);
        crate::crash_point::hit("file.written");
        std::fs::rename(&tmp, path)?;
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
