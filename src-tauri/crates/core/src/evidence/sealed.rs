//! How an evidence file is kept at rest, read and written as a stream so a
//! file of any size passes through in flat memory.
//!
//! ```text
//! v2 (written): "RDE2" | nonce prefix (7 random bytes)
//!               chunks: last flag (u8) | length (u32 BE) | AES-256-GCM ciphertext of up to 1 MiB + 16-byte tag
//! v1 (read):    "RDE1" | nonce (12) | AES-256-GCM ciphertext of the whole file + tag
//! ```
//! A v2 chunk's nonce is the prefix, the chunk counter (u32 BE) and the last
//! flag (the STREAM construction, as in `safety/archive.rs`), and the blob name
//! is the associated data of every chunk: a chunk reordered, dropped, edited
//! or appended, a stream cut short, or bytes moved to another name, all fail
//! authentication. v1 files (written before v2) still read, whole: they were
//! at most 25 MiB.

use std::io::{self, Read, Write};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub const V1: &[u8; 4] = b"RDE1";
pub const V2: &[u8; 4] = b"RDE2";
/// Plaintext per chunk.
pub const CHUNK: usize = 1 << 20;
const TAG: usize = 16;

fn damaged() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the stored file is damaged or was changed")
}

fn nonce(prefix: &[u8; 7], counter: u32, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..7].copy_from_slice(prefix);
    n[7..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    n
}

fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new_from_slice(key).expect("a 32-byte key")
}

/// Reads until `buf` is full or the input ends; returns how much was read.
fn fill(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Encrypts `plain` (v2) into `out` under `key`, bound to the name `blob`.
pub fn seal(key: &[u8; 32], blob: &str, plain: &mut dyn Read, out: &mut dyn Write) -> Result<()> {
    let mut prefix = [0u8; 7];
    getrandom::fill(&mut prefix).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    let cipher = cipher(key);
    out.write_all(V2)?;
    out.write_all(&prefix)?;
    // One chunk of look-ahead: a chunk is the last when nothing follows it.
    let mut current = Zeroizing::new(vec![0u8; CHUNK]);
    let mut next = Zeroizing::new(vec![0u8; CHUNK]);
    let mut len = fill(plain, &mut current)?;
    let mut counter: u32 = 0;
    loop {
        let next_len = if len == CHUNK { fill(plain, &mut next)? } else { 0 };
        let last = next_len == 0;
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce(&prefix, counter, last)), Payload { msg: &current[..len], aad: blob.as_bytes() })
            .map_err(|_| Error::Internal("the file could not be encrypted".into()))?;
        out.write_all(&[u8::from(last)])?;
        out.write_all(&u32::try_from(sealed.len()).expect("a chunk is small").to_be_bytes())?;
        out.write_all(&sealed)?;
        if last {
            return Ok(());
        }
        std::mem::swap(&mut current, &mut next);
        len = next_len;
        counter = counter.checked_add(1).ok_or_else(|| Error::invalid("file", "is too large"))?;
    }
}

/// The plaintext of a stored file, decrypted chunk by chunk as it is read.
/// A damaged or changed file is an `InvalidData` error at the chunk where it
/// shows; nothing unauthenticated is ever handed out.
pub struct Opened<R: Read> {
    input: R,
    cipher: Aes256Gcm,
    blob: String,
    /// None for v1 (already decrypted whole into `plain`).
    prefix: Option<[u8; 7]>,
    counter: u32,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    finished: bool,
}

/// Opens a stored file for reading (v2 streamed, v1 decrypted whole).
pub fn open<R: Read>(key: &[u8; 32], blob: &str, mut input: R) -> io::Result<Opened<R>> {
    let mut magic = [0u8; 4];
    if fill(&mut input, &mut magic)? != 4 {
        return Err(damaged());
    }
    let cipher = cipher(key);
    let mut opened = Opened {
        input,
        cipher,
        blob: blob.to_string(),
        prefix: None,
        counter: 0,
        plain: Zeroizing::new(Vec::new()),
        pos: 0,
        finished: false,
    };
    match &magic {
        V2 => {
            let mut prefix = [0u8; 7];
            if fill(&mut opened.input, &mut prefix)? != 7 {
                return Err(damaged());
            }
            opened.prefix = Some(prefix);
        }
        V1 => {
            let mut rest = Vec::new();
            opened.input.read_to_end(&mut rest)?;
            if rest.len() < 12 {
                return Err(damaged());
            }
            let plain = opened
                .cipher
                .decrypt(Nonce::from_slice(&rest[..12]), Payload { msg: &rest[12..], aad: blob.as_bytes() })
                .map_err(|_| damaged())?;
            opened.plain = Zeroizing::new(plain);
            opened.finished = true;
        }
        _ => return Err(damaged()),
    }
    Ok(opened)
}

impl<R: Read> Opened<R> {
    /// Decrypts the next chunk into `plain`.
    fn next_chunk(&mut self) -> io::Result<()> {
        let prefix = self.prefix.expect("v2");
        let mut head = [0u8; 5];
        if fill(&mut self.input, &mut head)? != 5 {
            return Err(damaged()); // cut short: the last chunk never came
        }
        let last = match head[0] {
            0 => false,
            1 => true,
            _ => return Err(damaged()),
        };
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if !(TAG..=CHUNK + TAG).contains(&len) {
            return Err(damaged());
        }
        let mut sealed = vec![0u8; len];
        if fill(&mut self.input, &mut sealed)? != len {
            return Err(damaged());
        }
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(&nonce(&prefix, self.counter, last)), Payload { msg: &sealed, aad: self.blob.as_bytes() })
            .map_err(|_| damaged())?;
        self.plain = Zeroizing::new(plain);
        self.pos = 0;
        self.counter = self.counter.checked_add(1).ok_or_else(damaged)?;
        if last {
            let mut extra = [0u8; 1];
            if fill(&mut self.input, &mut extra)? != 0 {
                return Err(damaged()); // something appended after the last chunk
            }
            self.finished = true;
        }
        Ok(())
    }
}

impl<R: Read> Read for Opened<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.plain.len() {
            if self.finished {
                return Ok(0);
            }
            self.next_chunk()?;
        }
        let n = buf.len().min(self.plain.len() - self.pos);
        buf[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7u8; 32];

    fn sealed(plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        seal(&KEY, "blob", &mut &plain[..], &mut out).unwrap();
        out
    }

    fn read_all(stored: &[u8], blob: &str) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        open(&KEY, blob, stored)?.read_to_end(&mut out)?;
        Ok(out)
    }

    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn files_of_every_size_around_the_chunk_boundaries_come_back_as_they_went_in() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 5] {
            let plain = pattern(n);
            let stored = sealed(&plain);
            assert_eq!(&stored[..4], V2);
            assert_eq!(read_all(&stored, "blob").unwrap(), plain, "{n} bytes");
        }
    }

    #[test]
    fn a_file_written_in_the_first_format_still_reads() {
        let cipher = cipher(&KEY);
        let nonce = [3u8; 12];
        let ct = cipher.encrypt(Nonce::from_slice(&nonce), Payload { msg: b"old evidence", aad: b"blob" }).unwrap();
        let stored: Vec<u8> = V1.iter().chain(&nonce).chain(&ct).copied().collect();
        assert_eq!(read_all(&stored, "blob").unwrap(), b"old evidence");
        assert_eq!(read_all(&stored, "other").unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn edited_cut_reordered_appended_or_renamed_streams_are_refused() {
        let plain = pattern(2 * CHUNK + 10);
        let stored = sealed(&plain);
        let chunk = 5 + CHUNK + TAG;
        let head = 4 + 7;
        let refused = |bytes: &[u8], blob: &str| read_all(bytes, blob).unwrap_err().kind() == io::ErrorKind::InvalidData;
        // One bit flipped in the middle chunk.
        let mut edited = stored.clone();
        edited[head + chunk + 100] ^= 1;
        assert!(refused(&edited, "blob"));
        // Cut after the first two chunks: the last chunk never comes.
        assert!(refused(&stored[..head + 2 * chunk], "blob"));
        // The first two chunks swapped.
        let mut swapped = stored[..head].to_vec();
        swapped.extend_from_slice(&stored[head + chunk..head + 2 * chunk]);
        swapped.extend_from_slice(&stored[head..head + chunk]);
        swapped.extend_from_slice(&stored[head + 2 * chunk..]);
        assert!(refused(&swapped, "blob"));
        // A byte appended after the last chunk.
        let mut appended = stored.clone();
        appended.push(0);
        assert!(refused(&appended, "blob"));
        // A middle chunk claiming to be the last.
        let mut flagged = stored[..head + 2 * chunk].to_vec();
        flagged[head + chunk] = 1;
        assert!(refused(&flagged, "blob"));
        // The right bytes under another name.
        assert!(refused(&stored, "another blob"));
        assert!(refused(b"RDE9junk", "blob"));
    }
}
