//! Streams files into the ZIP: each file is read once, in 1 MiB chunks that
//! are hashed (SHA-256, on a second thread) and compressed as they pass, so
//! memory stays flat however large the evidence; the package goes to disk as
//! it is written (an early flush every 64 MiB), not all at the final sync.
//! Files that are already compressed (archives, images, video, PDFs, office
//! documents) are stored, not deflated again.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{mpsc, Arc};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::{FileOptions, ZipWriter};
use zip::{AesMode, CompressionMethod};

use crate::error::{Error, Result};
use crate::files::atomic::write_error;

/// One file in the package, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

const ALREADY_COMPRESSED: &[&str] = &[
    "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jpg", "jpeg", "png", "gif", "webp", "heic", "avif", "mp4", "mov", "mkv", "webm",
    "mp3", "m4a", "aac", "ogg", "opus", "flac", "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "jar",
];

pub fn is_already_compressed(path: &str) -> bool {
    Path::new(path).extension().and_then(|e| e.to_str()).is_some_and(|e| ALREADY_COMPRESSED.contains(&e.to_ascii_lowercase().as_str()))
}

/// Bytes read, hashed and written at a time.
const CHUNK: usize = 1 << 20;
/// Bytes of a file written between two early flushes to disk.
const FLUSH_EVERY: u64 = 64 << 20;
/// Chunks sent to the hashing thread and not yet hashed, at most.
const IN_FLIGHT: usize = 3;

/// The buffer of a chunk the hasher has finished with, to be filled again.
fn reuse(chunk: Arc<Vec<u8>>) -> Vec<u8> {
    Arc::try_unwrap(chunk).unwrap_or_else(|shared| Vec::with_capacity(shared.len()))
}

/// Reads from `input` until `buf` holds [`CHUNK`] bytes or the input ends;
/// returns how many it holds. What `buf` held before is overwritten, not
/// zeroed first (zeroing a full buffer is a memset of every byte packaged).
fn fill(input: &mut dyn Read, buf: &mut Vec<u8>, label: &str) -> Result<usize> {
    buf.resize(CHUNK, 0);
    let mut n = 0;
    while n < CHUNK {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A stored file that fails its authentication or its SHA-256.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error::invalid("evidence", format!("evidence file {label}: {e}")))
            }
            Err(e) => return Err(Error::Io(std::io::Error::new(e.kind(), format!("evidence file {label} could not be read: {e}")))),
        }
    }
    buf.truncate(n);
    Ok(n)
}

pub struct PackageWriter<'a> {
    zip: ZipWriter<&'a mut File>,
    /// The package file again (a second handle), to start writing it to disk
    /// while more is still being packaged; none if it could not be opened.
    flusher: Option<File>,
    target: &'a Path,
    passphrase: Option<&'a str>,
    modified: zip::DateTime,
    pub entries: Vec<Entry>,
    /// Called with the bytes just written and the file they belong to.
    progress: &'a mut dyn FnMut(u64, &str),
}

impl<'a> PackageWriter<'a> {
    pub fn new(
        file: &'a mut File,
        target: &'a Path,
        passphrase: Option<&'a str>,
        now: chrono::NaiveDateTime,
        progress: &'a mut dyn FnMut(u64, &str),
    ) -> Self {
        use chrono::{Datelike, Timelike};
        let modified = zip::DateTime::from_date_and_time(
            u16::try_from(now.year()).unwrap_or(1980),
            u8::try_from(now.month()).unwrap_or(1),
            u8::try_from(now.day()).unwrap_or(1),
            u8::try_from(now.hour()).unwrap_or(0),
            u8::try_from(now.minute()).unwrap_or(0),
            u8::try_from(now.second()).unwrap_or(0),
        )
        .unwrap_or_default();
        let flusher = file.try_clone().ok();
        PackageWriter { zip: ZipWriter::new(file), flusher, target, passphrase, modified, entries: Vec::new(), progress }
    }

    fn zip_error(&self, e: zip::result::ZipError) -> Error {
        match e {
            zip::result::ZipError::Io(io) => write_error(self.target, &io),
            other => Error::Internal(format!("the package could not be written: {other}")),
        }
    }

    fn start(&mut self, path: &str, size: u64) -> Result<()> {
        let method = if is_already_compressed(path) { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        let options: FileOptions<'_, ()> = FileOptions::default()
            .compression_method(method)
            .last_modified_time(self.modified)
            .unix_permissions(0o644)
            // ZIP64 only where needed: older tools read small entries more reliably without it.
            .large_file(size >= 0xFFFF_0000);
        let options = match self.passphrase {
            Some(p) => options.with_aes_encryption(AesMode::Aes256, p),
            None => options,
        };
        self.zip.start_file(path, options).map_err(|e| self.zip_error(e))
    }

    /// Adds a file made in memory (letter, index, data) and lists it.
    pub fn add_bytes(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        self.add_unlisted(path, bytes)?;
        self.entries.push(Entry { path: path.into(), bytes: bytes.len() as u64, sha256: format!("{:x}", Sha256::digest(bytes)) });
        Ok(())
    }

    /// Adds a file that the manifest does not list (the manifest itself, the checksum list).
    pub fn add_unlisted(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        self.start(path, bytes.len() as u64)?;
        self.zip.write_all(bytes).map_err(|e| write_error(self.target, &e))?;
        (self.progress)(bytes.len() as u64, path);
        Ok(())
    }

    /// Streams a file from disk into the package, hashing it on the way.
    pub fn add_file(&mut self, path: &str, source: &Path) -> Result<()> {
        let mut input = File::open(source)
            .map_err(|e| Error::Io(std::io::Error::new(e.kind(), format!("evidence file {} could not be read: {e}", source.display()))))?;
        let size = input.metadata()?.len();
        self.add_reader(path, &mut input, size, &source.display().to_string())
    }

    /// Streams `input` (about `size` bytes; `label` names it in errors) into the
    /// package in 1 MiB chunks. Each chunk is hashed (SHA-256) on a second
    /// thread while this one writes it (CRC-32, encryption, the disk), so the
    /// hash costs no time where there is a second core; at most
    /// [`IN_FLIGHT`] chunks are held, so memory stays flat.
    pub fn add_reader(&mut self, path: &str, input: &mut dyn Read, size: u64, label: &str) -> Result<()> {
        self.start(path, size)?;
        let (to_hasher, chunks) = mpsc::sync_channel::<Arc<Vec<u8>>>(IN_FLIGHT);
        let (returned, hashed) = mpsc::channel::<Arc<Vec<u8>>>();
        // Every FLUSH_EVERY bytes, a third thread asks the disk to take what is
        // written so far (fdatasync on the second handle), so the disk writes while
        // the rest is packaged and the final sync has only the tail left. A failed
        // early flush is not an error: the final sync (AtomicFile::commit) decides.
        let (to_flusher, flushes) = mpsc::sync_channel::<()>(1);
        let flusher = self.flusher.as_ref();
        let (total, sha256) = std::thread::scope(|s| -> Result<(u64, String)> {
            if let Some(file) = flusher {
                s.spawn(move || {
                    for () in flushes {
                        // Only to keep dirty pages few; the finished file is synced (and its error returned) at the end.
                        let _ = file.sync_data();
                    }
                });
            }
            let hasher = s.spawn(move || {
                let mut hasher = Sha256::new();
                for chunk in chunks {
                    hasher.update(chunk.as_slice());
                    // Back to the writer for reuse; it may have stopped on an error.
                    let _ = returned.send(chunk);
                }
                format!("{:x}", hasher.finalize())
            });
            let mut made = 0usize;
            let mut total = 0u64;
            let written = loop {
                // A buffer the hasher is done with, or a new one while fewer than IN_FLIGHT + 1 exist.
                let mut buf = match hashed.try_recv() {
                    Ok(chunk) => reuse(chunk),
                    Err(_) if made <= IN_FLIGHT => {
                        made += 1;
                        Vec::with_capacity(CHUNK)
                    }
                    Err(_) => match hashed.recv() {
                        Ok(chunk) => reuse(chunk),
                        Err(_) => break Err(Error::Internal("the package's hashing stopped".into())),
                    },
                };
                let n = match fill(input, &mut buf, label) {
                    Ok(n) => n,
                    Err(e) => break Err(e),
                };
                if n == 0 {
                    break Ok(());
                }
                if let Err(e) = self.zip.write_all(&buf) {
                    break Err(write_error(self.target, &e));
                }
                if (total + n as u64) / FLUSH_EVERY > total / FLUSH_EVERY {
                    // Skipped while the last flush is still running.
                    let _ = to_flusher.try_send(());
                }
                total += n as u64;
                (self.progress)(n as u64, path);
                if to_hasher.send(Arc::new(buf)).is_err() {
                    break Err(Error::Internal("the package's hashing stopped".into()));
                }
            };
            drop(to_hasher);
            drop(to_flusher);
            let sha256 = hasher.join().map_err(|_| Error::Internal("the package's hashing failed".into()))?;
            written.map(|()| (total, sha256))
        })?;
        self.entries.push(Entry { path: path.into(), bytes: total, sha256 });
        Ok(())
    }

    pub fn finish(self) -> Result<Vec<Entry>> {
        let target = self.target;
        let file = self.zip.finish().map_err(|e| match e {
            zip::result::ZipError::Io(io) => write_error(target, &io),
            other => Error::Internal(format!("the package could not be written: {other}")),
        })?;
        file.flush().map_err(|e| write_error(target, &e))?;
        Ok(self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives its bytes a few at a time, then fails if told to, as a slow or broken disk would.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        fail_after: Option<usize>,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.fail_after.is_some_and(|n| self.at >= n) {
                return Err(std::io::Error::other("the disk went away"));
            }
            let n = buf.len().min(7_777).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn content(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8).collect()
    }

    fn write(input: &mut Trickle, size: usize) -> (Result<Vec<Entry>>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p.zip");
        let mut file = File::create(&target).unwrap();
        let mut progress = |_: u64, _: &str| {};
        let now = chrono::NaiveDate::from_ymd_opt(2025, 2, 10).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let mut w = PackageWriter::new(&mut file, &target, None, now, &mut progress);
        let result = w.add_reader("evidence/call.ogg", input, size as u64, "call.ogg").and_then(|()| w.finish());
        (result, dir)
    }

    #[test]
    fn a_file_of_many_chunks_read_in_short_pieces_is_stored_whole_with_its_sha256() {
        // Five chunks and a bit, arriving 7,777 bytes at a time.
        let bytes = content(5 * CHUNK + 12_345);
        let (entries, dir) = write(&mut Trickle { bytes: bytes.clone(), at: 0, fail_after: None }, bytes.len());
        let entries = entries.unwrap();
        assert_eq!(
            entries,
            vec![Entry { path: "evidence/call.ogg".into(), bytes: bytes.len() as u64, sha256: format!("{:x}", Sha256::digest(&bytes)) }]
        );
        let mut zip = zip::ZipArchive::new(File::open(dir.path().join("p.zip")).unwrap()).unwrap();
        let mut stored = Vec::new();
        zip.by_name("evidence/call.ogg").unwrap().read_to_end(&mut stored).unwrap();
        assert!(stored == bytes, "the package holds the file's bytes in order");
    }

    #[test]
    fn a_read_that_fails_half_way_is_reported_by_the_files_name() {
        let bytes = content(3 * CHUNK);
        let (result, _dir) = write(&mut Trickle { bytes, at: 0, fail_after: Some(CHUNK + 100) }, 3 * CHUNK);
        let message = result.unwrap_err().to_string();
        assert!(message.contains("evidence file call.ogg could not be read: the disk went away"), "{message}");
    }
}
