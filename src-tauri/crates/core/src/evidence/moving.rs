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
