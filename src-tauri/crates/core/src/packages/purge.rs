//! Retention: a package written to the default folder (`packages/` beside the
//! database) holds a copy of the subject's data, so the retention purge deletes
//! it with the rest. A package the officer saved elsewhere is theirs to manage
//! (it has usually been sent to the subject); its record stays, as it holds no
//! personal data (reference-based file name, hash, counts).

use std::path::PathBuf;

use crate::error::Result;
use crate::purge::{PurgeScope, Purged, Purger};
use crate::store::{Conn, Dialect};

pub struct PackageFiles;

fn files(conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Vec<PathBuf>> {
    let dir = scope.data_dir.join("packages");
    let mut out = Vec::new();
    for id in scope.request_ids {
        let names = conn.query_map("SELECT file_name FROM packages WHERE request_id = ?1", &[id], |r| r.get::<String>(0))?;
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

/// On a team register: the packages of the scope's requests kept in `stored_chunks`
/// (`evidence::place::keep_package`, named by the manifest's SHA-256). Their rows in
/// `packages` stay, as on the file.
fn kept(conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in scope.request_ids {
        let blobs = conn.query_map(
            "SELECT DISTINCT p.manifest_sha256 FROM packages p WHERE p.request_id = ?1 \
             AND EXISTS (SELECT 1 FROM stored_chunks s WHERE s.blob = p.manifest_sha256)",
            &[id],
            |r| r.get::<String>(0),
        )?;
        for blob in blobs {
            if !out.contains(&blob) {
                out.push(blob);
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
    fn count(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<u64> {
        match conn.dialect() {
            Dialect::Sqlite => Ok(files(conn, scope)?.len() as u64),
            Dialect::Postgres => Ok(kept(conn, scope)?.len() as u64),
        }
    }
    fn purge(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Purged> {
        match conn.dialect() {
            Dialect::Sqlite => {
                let files = files(conn, scope)?;
                Ok(Purged { items: files.len() as u64, files_after_commit: files })
            }
            Dialect::Postgres => {
                let kept = kept(conn, scope)?;
                for blob in &kept {
                    conn.execute("DELETE FROM stored_chunks WHERE blob = ?1", &[blob])?;
                }
                Ok(Purged { items: kept.len() as u64, files_after_commit: Vec::new() })
            }
        }
    }
}
