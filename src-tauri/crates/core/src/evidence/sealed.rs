//! How an evidence file is kept at rest, read and written as a stream so a
//! file of any size passes through in flat memory.
//!
//! ```text
//! v2 (written): "RDE2" | nonce prefix (7 random bytes)
//!               chunks: last flag (u8) | length (u32 BE) | AES-256-GCM ciphertext of up to 1 MiB + 16-byte tag
//! v1 (read):    "RDE1" | nonce (12) | AES-256-GCM ciphertext of the whole file + tag
//! ```
//! The v2 chunks are the kernel's encryption stream ([`crate::crypto`]: the
//! nonce is the prefix, the chunk counter and the last flag), and the blob
//! name is the associated data of every chunk: a chunk reordered, dropped,
//! edited or appended, a stream cut short, or bytes moved to another name, all
//! fail authentication. v1 files (written before v2) still read, whole: they
//! were at most 25 MiB.

use std::io::{self, Read, Write};

use zeroize::Zeroizing;

use crate::crypto::{self, StreamReader, StreamWriter, PREFIX};
use crate::error::Result;

pub const V1: &[u8; 4] = b"RDE1";
pub const V2: &[u8; 4] = b"RDE2";
/// Plaintext per chunk.
pub const CHUNK: usize = 1 << 20;

fn damaged() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the stored file is damaged or was changed")
}

/// Reads until `buf` is full or the input ends; whether it was filled.
fn read_full(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<bool> {
    match input.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Encrypts `plain` (v2) into `out` under `key`, bound to the name `blob`.
pub fn seal(key: &[u8; 32], blob: &str, plain: &mut dyn Read, out: &mut dyn Write) -> Result<()> {
    let prefix = crypto::random::<PREFIX>()?;
    out.write_all(V2)?;
    out.write_all(&prefix)?;
    let mut stream = StreamWriter::new(key, &prefix, blob.as_bytes().to_vec(), CHUNK, out);
    io::copy(plain, &mut stream)?;
    stream.finish()?;
    Ok(())
}

/// The plaintext of a stored file, decrypted chunk by chunk as it is read.
/// A damaged or changed file is an `InvalidData` error at the chunk where it
/// shows; nothing unauthenticated is ever handed out.
pub struct Opened<R: Read>(Format<R>);

enum Format<R: Read> {
    /// Already decrypted whole, and how much of it has been read.
    V1(Zeroizing<Vec<u8>>, usize),
    /// Boxed: the cipher state is large beside a buffer.
    V2(Box<StreamReader<R>>),
}

/// Opens a stored file for reading (v2 streamed, v1 decrypted whole).
pub fn open<R: Read>(key: &[u8; 32], blob: &str, mut input: R) -> io::Result<Opened<R>> {
    let mut magic = [0u8; 4];
    if !read_full(&mut input, &mut magic)? {
        return Err(damaged());
    }
    match &magic {
        V2 => {
            let mut prefix = [0u8; PREFIX];
            if !read_full(&mut input, &mut prefix)? {
                return Err(damaged());
            }
            Ok(Opened(Format::V2(Box::new(StreamReader::new(key, &prefix, blob.as_bytes().to_vec(), CHUNK, input)))))
        }
        V1 => {
            let mut rest = Vec::new();
            input.read_to_end(&mut rest)?;
            let (nonce, sealed) = rest.split_first_chunk::<12>().ok_or_else(damaged)?;
            let plain = crypto::open_whole(key, nonce, blob.as_bytes(), sealed).ok_or_else(damaged)?;
            Ok(Opened(Format::V1(plain, 0)))
        }
        _ => Err(damaged()),
    }
}

impl<R: Read> Read for Opened<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.0 {
            Format::V1(plain, pos) => {
                let n = (&plain[*pos..]).read(buf)?;
                *pos += n;
                Ok(n)
            }
            // A broken stream, however it broke, is one thing to the officer.
            Format::V2(stream) => stream.read(buf).map_err(|e| if crypto::broken(&e).is_some() { damaged() } else { e }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Nonce};

    const KEY: [u8; 32] = [7u8; 32];
    const TAG: usize = crypto::TAG;

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
        let cipher = Aes256Gcm::new_from_slice(&KEY).unwrap();
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
