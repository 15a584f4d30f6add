//! Retention: a package written to the default folder (`packages/` beside the
//! database) holds a copy of the subject's data, so the retention purge deletes
//! it with the rest. A package the officer saved elsewhere is theirs to manage
//! (it has usually been sent to the subject); its record stays, as it holds no
//! personal data (reference-based file name, hash, counts).

use std::path::PathBuf;

use rusqlite::Connection;

use crate::error::Result;
use crate::purge::{PurgeScope, Purged, Purger};

pub struct PackageFiles;

fn files(conn: &Connection, scope: &PurgeScope<'_>) -> Result<Vec<PathBuf>> {
    let mut stmt = conn.prepare_cached("SELECT file_name FROM packages WHERE request_id = ?1")?;
    let dir = scope.data_dir.join("packages");
    let mut out = Vec::new();
    for id in scope.request_ids {
        let names = stmt.query_map([id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        for name in names {
            // The name is stored without a folder; refuse anything that would leave `packages/`.
            if name.is_empty() || name.contains('/') || name.contains('\\') || name.starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            if path.is_file() && !out.contains(&path) {
                out.push(path);
            }
        }
    }
    Ok(out)
}

impl Purger for PackageFiles {
    fn name(&self) -> &'static str {
        "package-files"
    }
    fn what(&self) -> &'static str {
        "answer packages (ZIP files) kept in the packages folder beside the database"
    }
    fn count(&self, conn: &Connection, scope: &PurgeScope<'_>) -> Result<u64> {
        Ok(files(conn, scope)?.len() as u64)
    }
    fn purge(&self, conn: &Connection, scope: &PurgeScope<'_>) -> Result<Purged> {
        let files = files(conn, scope)?;
        Ok(Purged { items: files.len() as u64, files_after_commit: files })
    }
}
