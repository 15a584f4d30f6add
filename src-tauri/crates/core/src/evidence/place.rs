//! Where a register keeps the sealed bytes of its stored files (evidence files,
//! mails kept by the privacy mailbox), chosen by the store (issue 18 item 5):
//!
//! - the local file: a folder beside it (`evidence/`), one sealed file per
//!   keyed name, sharded by its first two characters, as before;
//! - a team register: the table `stored_chunks` (PostgreSQL migration 7), the
//!   same sealed stream cut into rows of [`ROW`] bytes, row `n` holding the
//!   bytes from `n * ROW` on.
//!
//! Both are written and read as streams: the writer sends a row once it holds
//! [`ROW`] bytes, the reader fetches one row at a time, so memory stays flat
//! whatever the file's size. The rows are written inside the caller's writing
//! transaction, so a file's bytes, its evidence row and its event commit
//! together, and a client killed midway leaves none of them. The format is the
//! sealed one ([`super::sealed`]): authenticated chunk by chunk and bound to the
//! keyed name, so a row changed, dropped, reordered or moved to another name is
//! refused when read.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::{Conn, Dialect, Store};

/// Bytes of the sealed stream per row of `stored_chunks`.
pub const ROW: usize = 1 << 20;

/// Where a register keeps its stored files.
#[derive(Debug, Clone)]
pub enum Place {
    /// The local file's evidence folder.
    Folder(PathBuf),
    /// The team register's `stored_chunks`.
    Table,
}

impl Place {
    /// The place of `store`'s stored files.
    pub fn of(store: Store<'_>) -> Result<Place> {
        Ok(match store {
            Store::Sqlite(db) => Place::Folder(super::dir(db)?),
            Store::Postgres(_) => Place::Table,
        })
    }

    /// The place that goes with a connection: the folder `dir` on SQLite, the table on PostgreSQL.
    pub fn for_conn(conn: Conn<'_>, dir: &Path) -> Place {
        match conn.dialect() {
            Dialect::Sqlite => Place::Folder(dir.to_path_buf()),
            Dialect::Postgres => Place::Table,
        }
    }

    /// Whether anything is kept under `blob` (intact or not).
    pub fn holds(&self, conn: Conn<'_>, blob: &str) -> Result<bool> {
        match self {
            Place::Folder(dir) => Ok(super::blob_path(dir, blob).exists()),
            Place::Table => conn.query_row("SELECT EXISTS (SELECT 1 FROM stored_chunks WHERE blob = ?1)", &[&blob], |r| r.get(0)),
        }
    }

    /// Whether an intact copy sealed under `blob` is kept (read through, in flat memory).
    pub fn intact(&self, conn: Conn<'_>, key: &[u8; 32], blob: &str) -> Result<bool> {
        if !self.holds(conn, blob)? {
            return Ok(false);
        }
        let read = self.reader_in(conn, blob)?;
        Ok(super::sealed::open(key, blob, read).and_then(|mut r| io::copy(&mut r, &mut io::sink())).is_ok())
    }

    /// Keeps the sealed stream `fill` writes under `blob`, replacing a damaged copy, inside
    /// the caller's writing transaction: the folder's file is written whole and renamed into
    /// place ([`crate::files::atomic::write_with`]); the table's rows go in with the transaction.
    pub fn write(&self, conn: Conn<'_>, blob: &str, fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
        match self {
            Place::Folder(dir) => {
                let path = super::blob_path(dir, blob);
                let shard = crate::files::atomic::parent_of(&path);
                std::fs::create_dir_all(&shard).map_err(|e| crate::files::atomic::write_error(&shard, &e))?;
                crate::files::atomic::write_with(&path, |file| {
                    let mut out = io::BufWriter::new(file);
                    fill(&mut out)?;
                    Ok(out.flush()?)
                })
            }
            Place::Table => {
                conn.execute("DELETE FROM stored_chunks WHERE blob = ?1", &[&blob])?;
                let mut rows = Rows { conn, blob, n: 0, buf: Vec::with_capacity(ROW), failed: None };
                let filled = fill(&mut rows);
                // A row the server refused is the cause, whatever the sealer made of it.
                if let Some(e) = rows.failed.take() {
                    return Err(e);
                }
                filled?;
                rows.finish()
            }
        }
    }

    /// The sealed bytes kept under `blob`, read inside the caller's transaction.
    pub fn reader_in<'c>(&self, conn: Conn<'c>, blob: &str) -> Result<Box<dyn Read + 'c>> {
        match self {
            Place::Folder(dir) => Ok(Box::new(io::BufReader::new(std::fs::File::open(super::blob_path(dir, blob))?))),
            Place::Table => {
                let blob = blob.to_owned();
                Ok(Box::new(RowReader::new(move |n| fetch(conn, &blob, n))))
            }
        }
    }

    /// The sealed bytes kept under `blob`, read after the caller's transaction: on the
    /// team register each row in a short read of its own, so nothing is held between them.
    pub fn reader<'s>(&self, store: Store<'s>, blob: &str) -> Result<Box<dyn Read + 's>> {
        match self {
            Place::Folder(dir) => Ok(Box::new(io::BufReader::new(std::fs::File::open(super::blob_path(dir, blob))?))),
            Place::Table => {
                let blob = blob.to_owned();
                Ok(Box::new(RowReader::new(move |n| store.read(|c| fetch(c, &blob, n)))))
            }
        }
    }

    /// Removes what no evidence row and no received mail refers to any more (and, in the
    /// folder, leftover temporary files); how many stored files went.
    pub fn collect_garbage(&self, conn: Conn<'_>) -> Result<u32> {
        match self {
            Place::Folder(dir) => super::collect_garbage_in(conn, dir),
            Place::Table => {
                let gone = conn.query_row(
                    "WITH gone AS (DELETE FROM stored_chunks s WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.blob = s.blob) \
                     AND NOT EXISTS (SELECT 1 FROM intake_items i WHERE i.blob = s.blob) \
                     AND NOT EXISTS (SELECT 1 FROM packages p WHERE p.manifest_sha256 = s.blob) RETURNING s.blob) \
                     SELECT count(DISTINCT blob) FROM gone",
                    &[],
                    |r| r.get::<i64>(0),
                )?;
                Ok(u32::try_from(gone).unwrap_or(u32::MAX))
            }
        }
    }
}

/// A built answer package kept in a team register's `stored_chunks` (issue 18 item 5), so
/// every officer finds it for the response letter: the ZIP at `zip`, sealed under the
/// stored files' key and bound to `blob` (the package's manifest SHA-256, which its row in
/// `packages` keeps: the clean-up keeps the rows while that row is there), inside the
/// caller's writing transaction, read a chunk at a time. Its SHA-256 and size.
pub fn keep_package(conn: Conn<'_>, blob: &str, zip: &Path) -> Result<(String, u64)> {
    use sha2::{Digest, Sha256};
    let key = super::key_in(conn, true)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let file = std::fs::File::open(zip).map_err(|e| crate::files::atomic::write_error(zip, &e))?;
    let mut input = io::BufReader::with_capacity(1 << 16, file);
    let mut hashed = super::Rehash { inner: &mut input, sha: Sha256::new(), size: 0 };
    Place::Table.write(conn, blob, |out| super::sealed::seal(&key, blob, &mut hashed, out))?;
    Ok((hex::encode(hashed.sha.finalize()), hashed.size))
}

/// The ZIP of a package kept by [`keep_package`], decrypted as it is read, each row fetched
/// in a short read of its own (memory flat); a changed, missing or reordered row is an
/// `InvalidData` error when it is reached. `None` when nothing is kept under `blob`.
pub fn open_package<'s>(store: Store<'s>, blob: &str) -> Result<Option<Box<dyn Read + 's>>> {
    let (held, key) = store.read(|c| Ok((Place::Table.holds(c, blob)?, super::key_in(c, false)?)))?;
    if !held {
        return Ok(None);
    }
    let key = key.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let input = Place::Table.reader(store, blob)?;
    let opened = super::sealed::open(&key, blob, input)
        .map_err(|e| Error::invalid("package", format!("the kept package cannot be opened ({})", e.kind())))?;
    Ok(Some(Box::new(opened)))
}

/// Row `n` of the sealed bytes kept under `blob`, `None` past the last.
fn fetch(conn: Conn<'_>, blob: &str, n: i32) -> Result<Option<Vec<u8>>> {
    conn.query_opt("SELECT bytes FROM stored_chunks WHERE blob = ?1 AND n = ?2", &[&blob, &n], |r| r.get::<Vec<u8>>(0))
}

/// The writer of `stored_chunks`: a row is sent once [`ROW`] bytes are held.
struct Rows<'c, 'b> {
    conn: Conn<'c>,
    blob: &'b str,
    n: i32,
    buf: Vec<u8>,
    /// The server's refusal of a row, kept whole (an `io::Error` would lose its SQLSTATE).
    failed: Option<Error>,
}

impl Rows<'_, '_> {
    fn send(&mut self, bytes: &[u8]) -> Result<()> {
        let n = self.n;
        self.conn.execute("INSERT INTO stored_chunks (blob, n, bytes) VALUES (?1, ?2, ?3)", &[&self.blob, &n, &bytes])?;
        self.n = self.n.checked_add(1).ok_or_else(|| Error::Internal("a stored file of too many rows".into()))?;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        if !self.buf.is_empty() {
            let rest = std::mem::take(&mut self.buf);
            self.send(&rest)?;
        }
        Ok(())
    }
}

impl Write for Rows<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.failed.is_some() {
            return Err(io::Error::other("the team database refused a stored file's row"));
        }
        let take = bytes.len().min(ROW - self.buf.len());
        self.buf.extend_from_slice(&bytes[..take]);
        if self.buf.len() == ROW {
            let full = std::mem::replace(&mut self.buf, Vec::with_capacity(ROW));
            if let Err(e) = self.send(&full) {
                self.failed = Some(e);
                return Err(io::Error::other("the team database refused a stored file's row"));
            }
        }
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Rows are whole: the last, shorter one goes at the end.
        Ok(())
    }
}

/// The reader of `stored_chunks`: one row fetched at a time, in order.
struct RowReader<F> {
    fetch: F,
    n: i32,
    row: Vec<u8>,
    at: usize,
    ended: bool,
}

impl<F: FnMut(i32) -> Result<Option<Vec<u8>>>> RowReader<F> {
    fn new(fetch: F) -> Self {
        RowReader { fetch, n: 0, row: Vec::new(), at: 0, ended: false }
    }
}

impl<F: FnMut(i32) -> Result<Option<Vec<u8>>>> Read for RowReader<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.row.len() {
            if self.ended {
                return Ok(0);
            }
            match (self.fetch)(self.n).map_err(|e| io::Error::other(e.to_string()))? {
                Some(row) => {
                    self.row = row;
                    self.at = 0;
                    self.n += 1;
                }
                None => self.ended = true,
            }
        }
        let n = buf.len().min(self.row.len() - self.at);
        buf[..n].copy_from_slice(&self.row[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
