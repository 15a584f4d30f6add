//! The backup file format: one encrypted stream of named members.
//!
//! ```text
//! "RDBACKUP" 0x01 | header length (u32 BE) | header (JSON, see BackupHeader)
//! chunks: last flag (u8) | length (u32 BE) | AES-256-GCM ciphertext of up to 64 KiB
//! ```
//! The key is Argon2id(the database key's secret, salt, params in the header).
//! Each chunk's nonce is a random 7-byte prefix, the chunk counter (u32 BE) and
//! the last flag (the STREAM construction), and the header is the associated
//! data of every chunk: reordered, dropped, truncated or edited chunks, and an
//! edited header, all fail authentication. Inside, the plaintext is a sequence
//! of members (`F`, name length u16 BE, name, size u64 BE, bytes) closed by `E`.

use std::io::{Read, Write};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

const MAGIC: &[u8; 9] = b"RDBACKUP\x01";
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const MAX_HEADER: u32 = 64 * 1024;

/// Argon2id parameters (OWASP's minimum: 19 MiB, 2 passes, 1 lane).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Kdf {
    pub algorithm: String,
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// Hex.
    pub salt: String,
}

/// What the file says about itself, readable without the key (no personal data).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: u32,
    pub created_at: String,
    pub schema_version: u32,
    /// `passphrase` or `keyring`: which secret the backup key is derived from.
    pub key: String,
    /// For `keyring`: the keyring entry that held the key when the backup was made.
    pub keyring_entry: Option<String>,
    pub kdf: Kdf,
    pub cipher: String,
    /// Hex, 7 bytes.
    pub nonce_prefix: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(b)
}

fn bad(reason: &str) -> Error {
    Error::invalid("backup", reason.to_string())
}

impl BackupHeader {
    pub fn new(schema_version: u32, key_kind: &str, keyring_entry: Option<String>, created_at: String) -> Result<Self> {
        Ok(BackupHeader {
            format: 1,
            created_at,
            schema_version,
            key: key_kind.into(),
            keyring_entry,
            kdf: Kdf { algorithm: "argon2id".into(), m_cost_kib: 19 * 1024, t_cost: 2, p_cost: 1, salt: hex(&random::<16>()?) },
            cipher: "aes-256-gcm".into(),
            nonce_prefix: hex(&random::<7>()?),
        })
    }

    fn cipher(&self, secret: &str) -> Result<(Aes256Gcm, [u8; 7])> {
        if self.format != 1 || self.cipher != "aes-256-gcm" || self.kdf.algorithm != "argon2id" {
            return Err(bad("was written by a newer Rightsdesk or is not a Rightsdesk backup"));
        }
        let salt = unhex(&self.kdf.salt).filter(|s| s.len() >= 8).ok_or_else(|| bad("has a damaged header"))?;
        let prefix: [u8; 7] = unhex(&self.nonce_prefix).and_then(|p| p.try_into().ok()).ok_or_else(|| bad("has a damaged header"))?;
        // Bounded so a hostile header cannot make the restore allocate gigabytes or spin for hours.
        if self.kdf.m_cost_kib > 256 * 1024 || self.kdf.t_cost > 10 || self.kdf.p_cost > 8 {
            return Err(bad("asks for key-derivation parameters beyond what Rightsdesk writes"));
        }
        let params = argon2::Params::new(self.kdf.m_cost_kib, self.kdf.t_cost, self.kdf.p_cost, Some(32))
            .map_err(|_| bad("has a damaged header"))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(secret.as_bytes(), &salt, key.as_mut())
            .map_err(|e| Error::Internal(format!("key derivation failed: {e}")))?;
        let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|_| Error::Internal("cipher key".into()))?;
        Ok((cipher, prefix))
    }
}

fn nonce(prefix: &[u8; 7], counter: u32, last: bool) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..7].copy_from_slice(prefix);
    n[7..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    n
}

/// Writes the encrypted stream; call [`ArchiveWriter::finish`] to seal it.
pub struct ArchiveWriter<W: Write> {
    out: W,
    cipher: Aes256Gcm,
    prefix: [u8; 7],
    aad: Vec<u8>,
    counter: u32,
    buf: Zeroizing<Vec<u8>>,
}

impl<W: Write> ArchiveWriter<W> {
    pub fn new(mut out: W, header: &BackupHeader, secret: &str) -> Result<Self> {
        let (cipher, prefix) = header.cipher(secret)?;
        let aad = serde_json::to_vec(header).map_err(|e| Error::Internal(e.to_string()))?;
        out.write_all(MAGIC)?;
        out.write_all(&u32::try_from(aad.len()).map_err(|_| bad("header too long"))?.to_be_bytes())?;
        out.write_all(&aad)?;
        Ok(ArchiveWriter { out, cipher, prefix, aad, counter: 0, buf: Zeroizing::new(Vec::with_capacity(CHUNK)) })
    }

    fn seal(&mut self, last: bool) -> Result<()> {
        let n = nonce(&self.prefix, self.counter, last);
        let ct = self
            .cipher
            .encrypt(Nonce::from_slice(&n), Payload { msg: &self.buf, aad: &self.aad })
            .map_err(|_| Error::Internal("encryption failed".into()))?;
        self.out.write_all(&[u8::from(last)])?;
        self.out.write_all(&u32::try_from(ct.len()).map_err(|_| bad("chunk"))?.to_be_bytes())?;
        self.out.write_all(&ct)?;
        self.buf.clear();
        self.counter = self.counter.checked_add(1).ok_or_else(|| bad("is too large"))?;
        Ok(())
    }

    fn put(&mut self, mut bytes: &[u8]) -> Result<()> {
        while !bytes.is_empty() {
            let take = (CHUNK - self.buf.len()).min(bytes.len());
            self.buf.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.buf.len() == CHUNK {
                self.seal(false)?;
            }
        }
        Ok(())
    }

    /// Adds one member, streaming its content from `content` (exactly `size` bytes).
    pub fn member(&mut self, name: &str, size: u64, content: &mut dyn Read) -> Result<()> {
        let name_len = u16::try_from(name.len()).map_err(|_| bad("member name too long"))?;
        self.put(b"F")?;
        self.put(&name_len.to_be_bytes())?;
        self.put(name.as_bytes())?;
        self.put(&size.to_be_bytes())?;
        let mut left = size;
        let mut block = Zeroizing::new(vec![0u8; CHUNK]);
        while left > 0 {
            let want = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
            content.read_exact(&mut block[..want])?;
            self.put(&block[..want])?;
            left -= want as u64;
        }
        Ok(())
    }

    /// Closes the member list and seals the last chunk; returns the sink.
    pub fn finish(mut self) -> Result<W> {
        self.put(b"E")?;
        self.seal(true)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Reads the header of a backup file (no key needed).
pub fn read_header(input: &mut dyn Read) -> Result<(BackupHeader, Vec<u8>)> {
    let mut magic = [0u8; 9];
    input.read_exact(&mut magic).map_err(|_| bad("is not a Rightsdesk backup (too short)"))?;
    if &magic != MAGIC {
        return Err(bad("is not a Rightsdesk backup"));
    }
    let mut len = [0u8; 4];
    input.read_exact(&mut len).map_err(|_| bad("is truncated"))?;
    let len = u32::from_be_bytes(len);
    if len > MAX_HEADER {
        return Err(bad("has a damaged header"));
    }
    let mut raw = vec![0u8; len as usize];
    input.read_exact(&mut raw).map_err(|_| bad("is truncated"))?;
    let header: BackupHeader = serde_json::from_slice(&raw).map_err(|_| bad("has a damaged header"))?;
    Ok((header, raw))
}

/// The decrypted member stream. Plaintext is handed out chunk by chunk, each
/// authenticated; the caller must not treat anything as final until
/// [`ArchiveReader::next_member`] returns `None` (the sealed end was seen).
pub struct ArchiveReader<R: Read> {
    input: R,
    cipher: Aes256Gcm,
    prefix: [u8; 7],
    aad: Vec<u8>,
    counter: u32,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    ended: bool,
}

impl<R: Read> ArchiveReader<R> {
    pub fn open(mut input: R, secret: &str) -> Result<(BackupHeader, Self)> {
        let (header, aad) = read_header(&mut input)?;
        let (cipher, prefix) = header.cipher(secret)?;
        let reader = ArchiveReader { input, cipher, prefix, aad, counter: 0, plain: Zeroizing::new(Vec::new()), pos: 0, ended: false };
        Ok((header, reader))
    }

    fn next_chunk(&mut self) -> Result<bool> {
        if self.ended {
            return Ok(false);
        }
        let mut head = [0u8; 5];
        self.input.read_exact(&mut head).map_err(|_| bad("is truncated (its end is missing)"))?;
        let last = match head[0] {
            0 => false,
            1 => true,
            _ => return Err(bad("is damaged")),
        };
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if !(TAG..=CHUNK + TAG).contains(&len) {
            return Err(bad("is damaged"));
        }
        let mut ct = vec![0u8; len];
        self.input.read_exact(&mut ct).map_err(|_| bad("is truncated"))?;
        let n = nonce(&self.prefix, self.counter, last);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(&n), Payload { msg: &ct, aad: &self.aad })
            .map_err(|_| bad("cannot be decrypted: the key is not the one it was made with, or the file was altered"))?;
        self.plain = Zeroizing::new(plain);
        self.pos = 0;
        self.counter = self.counter.checked_add(1).ok_or_else(|| bad("is damaged"))?;
        if last {
            self.ended = true;
            let mut extra = [0u8; 1];
            if self.input.read(&mut extra)? != 0 {
                return Err(bad("has data after its end"));
            }
        }
        Ok(true)
    }

    fn take(&mut self, out: &mut [u8]) -> Result<()> {
        let mut filled = 0;
        while filled < out.len() {
            if self.pos == self.plain.len() && !self.next_chunk()? {
                return Err(bad("is damaged (a member runs past the end)"));
            }
            let n = (self.plain.len() - self.pos).min(out.len() - filled);
            out[filled..filled + n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
            self.pos += n;
            filled += n;
        }
        Ok(())
    }

    /// The next member's name and size, or `None` at the authenticated end.
    pub fn next_member(&mut self) -> Result<Option<(String, u64)>> {
        let mut tag = [0u8; 1];
        self.take(&mut tag)?;
        match tag[0] {
            b'E' => {
                // The end marker must sit at the very end of the sealed last chunk.
                if !self.ended || self.pos != self.plain.len() {
                    return Err(bad("is damaged (data after the end marker)"));
                }
                Ok(None)
            }
            b'F' => {
                let mut len = [0u8; 2];
                self.take(&mut len)?;
                let mut name = vec![0u8; u16::from_be_bytes(len) as usize];
                self.take(&mut name)?;
                let name = String::from_utf8(name).map_err(|_| bad("has a member with an invalid name"))?;
                let mut size = [0u8; 8];
                self.take(&mut size)?;
                Ok(Some((name, u64::from_be_bytes(size))))
            }
            _ => Err(bad("is damaged")),
        }
    }

    /// Copies the current member's `size` bytes into `out`.
    pub fn copy_member(&mut self, size: u64, out: &mut dyn Write) -> Result<()> {
        let mut left = size;
        let mut block = Zeroizing::new(vec![0u8; CHUNK]);
        while left > 0 {
            let n = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
            self.take(&mut block[..n])?;
            out.write_all(&block[..n])?;
            left -= n as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(secret: &str) -> Vec<u8> {
        let header = BackupHeader::new(6, "passphrase", None, "2026-11-23T10:00:00Z".into()).unwrap();
        let mut w = ArchiveWriter::new(Vec::new(), &header, secret).unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        w.member("rightsdesk.sqlite3", big.len() as u64, &mut big.as_slice()).unwrap();
        w.member("evidence/ab", 3, &mut &b"xyz"[..]).unwrap();
        w.finish().unwrap()
    }

    fn read_all(bytes: &[u8], secret: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let (_, mut r) = ArchiveReader::open(bytes, secret)?;
        let mut out = Vec::new();
        while let Some((name, size)) = r.next_member()? {
            let mut content = Vec::new();
            r.copy_member(size, &mut content)?;
            out.push((name, content));
        }
        Ok(out)
    }

    #[test]
    fn members_come_back_as_written() {
        let members = read_all(&sample("correct horse battery"), "correct horse battery").unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].1.len(), 200_000);
        assert_eq!(members[1], ("evidence/ab".to_string(), b"xyz".to_vec()));
    }

    #[test]
    fn a_wrong_key_a_truncation_or_a_flipped_bit_is_refused() {
        let bytes = sample("correct horse battery");
        assert!(read_all(&bytes, "wrong horse battery").is_err());
        for cut in [bytes.len() - 1, bytes.len() - 70_000, 200] {
            assert!(read_all(&bytes[..cut], "correct horse battery").is_err(), "truncated at {cut}");
        }
        let mut flipped = bytes.clone();
        let at = flipped.len() / 2;
        flipped[at] ^= 1;
        assert!(read_all(&flipped, "correct horse battery").is_err());
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(read_all(&extra, "correct horse battery").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

        /// Hostile input: any edit of a backup (bytes flipped, cut, or appended) is
        /// refused with an error (never a panic) or, for no-op edits, reads back intact.
        #[test]
        fn an_edited_backup_never_panics_and_never_reads_back_altered(
            edits in proptest::collection::vec((0usize..400_000, 1u8..=255), 0..4),
            cut in proptest::option::of(0usize..400_000),
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3),
        ) {
            let original = sample_bytes();
            let mut bytes = original.clone();
            for (at, x) in edits {
                let at = at % bytes.len();
                bytes[at] ^= x;
            }
            if let Some(c) = cut {
                bytes.truncate(c % (bytes.len() + 1));
            }
            bytes.extend(tail);
            match read_all(&bytes, "correct horse battery") {
                Ok(members) => {
                    proptest::prop_assert_eq!(&bytes, &original);
                    proptest::prop_assert_eq!(members.len(), 2);
                }
                Err(e) => proptest::prop_assert!(matches!(e, Error::Invalid { field: "backup", .. }), "{e}"),
            }
        }

        #[test]
        fn random_bytes_are_not_a_backup(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            proptest::prop_assert!(read_all(&bytes, "correct horse battery").is_err());
        }
    }

    fn sample_bytes() -> Vec<u8> {
        static SAMPLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        SAMPLE.get_or_init(|| sample("correct horse battery")).clone()
    }

    #[test]
    fn the_file_shows_no_plaintext() {
        let bytes = sample("correct horse battery");
        assert!(!bytes.windows(11).any(|w| w == b"evidence/ab"));
    }
}
