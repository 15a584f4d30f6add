//! Streams files into the ZIP: each file is read once, in 64 KiB chunks that
//! are hashed (SHA-256) and compressed as they pass, so memory stays flat
//! however large the evidence. Files that are already compressed (archives,
//! images, video, PDFs, office documents) are stored, not deflated again.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::{FileOptions, ZipWriter};
use zip::{AesMode, CompressionMethod};

use crate::atomic_file::write_error;
use crate::error::{Error, Result};

/// One file in the package, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

const ALREADY_COMPRESSED: &[&str] = &[
    "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "jpg", "jpeg", "png", "gif", "webp", "heic", "avif", "mp4",
    "mov", "mkv", "webm", "mp3", "m4a", "aac", "ogg", "opus", "flac", "pdf", "docx", "xlsx", "pptx", "odt", "ods",
    "odp", "epub", "jar",
];

pub fn is_already_compressed(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ALREADY_COMPRESSED.contains(&e.to_ascii_lowercase().as_str()))
}

pub struct PackageWriter<'a> {
    zip: ZipWriter<&'a mut File>,
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
        PackageWriter { zip: ZipWriter::new(file), target, passphrase, modified, entries: Vec::new(), progress }
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
        let mut input = File::open(source).map_err(|e| {
            Error::Io(std::io::Error::new(e.kind(), format!("evidence file {} could not be read: {e}", source.display())))
        })?;
        let size = input.metadata()?.len();
        self.add_reader(path, &mut input, size, &source.display().to_string())
    }

    /// Streams `input` (about `size` bytes; `label` names it in errors) into the
    /// package in 64 KiB chunks, hashing it on the way.
    pub fn add_reader(&mut self, path: &str, input: &mut dyn Read, size: u64, label: &str) -> Result<()> {
        self.start(path, size)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = input.read(&mut buf).map_err(|e| match e.kind() {
                // A stored file that fails its authentication or its SHA-256.
                std::io::ErrorKind::InvalidData => Error::invalid("evidence", format!("evidence file {label}: {e}")),
                kind => Error::Io(std::io::Error::new(kind, format!("evidence file {label} could not be read: {e}"))),
            })?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            self.zip.write_all(&buf[..n]).map_err(|e| write_error(self.target, &e))?;
            total += n as u64;
            (self.progress)(n as u64, path);
        }
        self.entries.push(Entry { path: path.into(), bytes: total, sha256: format!("{:x}", hasher.finalize()) });
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
