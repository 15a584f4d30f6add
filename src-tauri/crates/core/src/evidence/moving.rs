//! Stored files moving with their register between the local file and a team database
//! (issue 18 item 6, `team migrate` and `team export`): the sealed bytes of every stored
//! file a row refers to (an evidence file, a mail kept by the privacy mailbox) are copied
//! as they are, a row (or a file) at a time, from where the source keeps them to where the
//! target does ([`Place`]). No second cipher and no re-sealing: the key moves with the
//! settings, and the keyed names with the rows. Each copy is read back through under the
//! key before the move may commit, so a file that would not open afterwards stops the move.

use std::io;

use serde::Serialize;

use super::place::Place;
use crate::error::{Error, Result};
use crate::store::Conn;

/// The stored files a move found in the source and copied into the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StoredFiles {
    /// Distinct stored files the source's rows refer to.
    pub source: u64,
    /// Copied into the target and read back intact.
    pub target: u64,
    /// Bytes of the sealed copies moved.
    pub bytes: u64,
}

/// Copies every stored file `source`'s rows refer to from `from` into `target` at `to`,
/// inside both move transactions (after the rows were copied: the key is the target's
/// `evidence.key`). `written` is told each keyed name written into a folder, so a caller
/// can remove them if the move fails after all.
pub fn copy(source: Conn<'_>, from: &Place, target: Conn<'_>, to: &Place, written: &mut dyn FnMut(&str)) -> Result<StoredFiles> {
    let blobs: Vec<String> =
        source.query_map("SELECT blob FROM evidence UNION SELECT blob FROM intake_items WHERE blob <> '' ORDER BY 1", &[], |r| r.get(0))?;
    let mut moved = StoredFiles { source: blobs.len() as u64, ..StoredFiles::default() };
    if blobs.is_empty() {
        return Ok(moved);
    }
    let key = super::key_in(target, false)?
        .ok_or_else(|| Error::invalid("from", "the register holds stored files but no key for them; nothing was written"))?;
    for (i, blob) in blobs.iter().enumerate() {
        let missing = || {
            Error::invalid(
                "from",
                format!("stored file {} of {} is missing from where the register keeps it; nothing was written", i + 1, blobs.len()),
            )
        };
        if !from.holds(source, blob)? {
            return Err(missing());
        }
        if !to.intact(target, &key, blob)? {
            let mut input = from.reader_in(source, blob)?;
            let mut copied = 0u64;
            to.write(target, blob, |out| {
                copied = io::copy(&mut input, out)?;
                Ok(())
            })?;
            written(blob);
            moved.bytes += copied;
            if !to.intact(target, &key, blob)? {
                return Err(Error::invalid(
                    "from",
                    format!(
                        "stored file {} of {} does not open under the register's key (damaged or changed where it is kept); \
                         nothing was written",
                        i + 1,
                        blobs.len()
                    ),
                ));
            }
        }
        moved.target += 1;
    }
    Ok(moved)
}

/// The kept answer packages a move found in the source and carried into the target (the
/// newest package of each file name: a rebuilt package replaces the file of the same name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct KeptPackages {
    /// Packages whose ZIP the source keeps (on the file: in the `packages/` folder beside it).
    pub source: u64,
    /// Carried into the target (read back intact on a team register; written whole on the file).
    pub target: u64,
}

/// A package's file name as its row keeps it, if it may be joined to the packages folder.
fn plain_name(name: &str) -> bool {
    !(name.is_empty() || name.contains('/') || name.contains('\\') || name.starts_with('.'))
}

/// The newest row per file name of `rows` (newest first), with a plain name.
fn newest_per_name(rows: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    rows.into_iter().filter(|(name, _)| plain_name(name) && seen.insert(name.clone())).collect()
}

/// `team migrate`: keeps the ZIPs of the source file's packages found in its `packages/`
/// folder (`dir`) in the team register `target`'s `stored_chunks`, sealed under the target's
/// key and named by the manifest SHA-256 (as a build on the team register keeps them,
/// `place::keep_package`), inside the move's transaction, after the rows were copied.
/// A package saved elsewhere by the officer is theirs and is not carried.
pub fn keep_packages(source: Conn<'_>, dir: &std::path::Path, target: Conn<'_>) -> Result<KeptPackages> {
    let rows = source.query_map("SELECT file_name, manifest_sha256 FROM packages ORDER BY created_at DESC, id DESC", &[], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?;
    let mut moved = KeptPackages::default();
    for (name, blob) in newest_per_name(rows) {
        let zip = dir.join(&name);
        if !zip.is_file() {
            continue;
        }
        moved.source += 1;
        if !Place::Table.holds(target, &blob)? {
            super::place::keep_package(target, &blob, &zip)?;
        }
        let key = super::key_in(target, false)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
        if !Place::Table.intact(target, &key, &blob)? {
            return Err(Error::invalid("from", format!("the package {name} could not be kept in the team register; nothing was written")));
        }
        moved.target += 1;
    }
    Ok(moved)
}

/// `team migrate`, before anything is copied: a register file that keeps built packages
/// (ZIPs in `dir`, its `packages/` folder) but has no key for stored files yet (nothing was
/// ever attached) gets one now, in `source`'s transaction, so that the key the team register
/// seals the packages with ([`keep_packages`]) is moved and counted with the settings.
pub fn key_for_packages(source: Conn<'_>, dir: &std::path::Path) -> Result<()> {
    let rows = source.query_map("SELECT file_name, manifest_sha256 FROM packages ORDER BY created_at DESC, id DESC", &[], |r| {
        Ok((r.get::<String>(0)?, r.get::<String>(1)?))
    })?;
    if newest_per_name(rows).iter().any(|(name, _)| dir.join(name).is_file()) {
        super::key_in(source, true)?;
    }
    Ok(())
}

/// `team export`: writes the ZIPs of the packages the team register `source` keeps into the
/// new file's `packages/` folder (`dir`) under their file names, decrypted a row at a time
/// (memory flat), each written whole and renamed into place. A file already there is never
/// replaced (it is left, and not counted). `written` is told each file written, so the
/// caller can remove them if the export fails after all.
pub fn unpack_packages(source: Conn<'_>, dir: &std::path::Path, written: &mut dyn FnMut(&std::path::Path)) -> Result<KeptPackages> {
    let rows = source.query_map(
        "SELECT p.file_name, p.manifest_sha256 FROM packages p \
         WHERE EXISTS (SELECT 1 FROM stored_chunks s WHERE s.blob = p.manifest_sha256 AND s.n = 0) \
         ORDER BY p.created_at DESC, p.id DESC",
        &[],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    let rows = newest_per_name(rows);
    let mut moved = KeptPackages { source: rows.len() as u64, target: 0 };
    if rows.is_empty() {
        return Ok(moved);
    }
    let key = super::key_in(source, false)?
        .ok_or_else(|| Error::invalid("from", "the register keeps packages but no key for them; nothing was written"))?;
    std::fs::create_dir_all(dir).map_err(|e| crate::files::atomic::write_error(dir, &e))?;
    for (name, blob) in rows {
        let path = dir.join(&name);
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let input = Place::Table.reader_in(source, &blob)?;
        let damaged =
            |e: io::Error| Error::invalid("from", format!("the kept package {name} does not open ({}); nothing was written", e.kind()));
        let mut opened = super::sealed::open(&key, &blob, input).map_err(damaged)?;
        crate::files::atomic::write_with(&path, |file| {
            io::copy(&mut opened, file).map_err(damaged)?;
            Ok(())
        })?;
        written(&path);
        moved.target += 1;
    }
    Ok(moved)
}
