//! The backup file format: one encrypted stream of named members.
//!
//! ```text
//! "RDBACKUP" 0x01 | header length (u32 BE) | header (JSON, see BackupHeader)
//! chunks: last flag (u8) | length (u32 BE) | AES-256-GCM ciphertext of up to 64 KiB
//! ```
//! The key is Argon2id(the database key's secret, salt, params in the header).
//! The chunks are the kernel's encryption stream ([`crate::crypto`]: each
//! chunk's nonce is the header's random 7-byte prefix, the chunk counter and
//! the last flag), and the header is the associated data of every chunk:
//! reordered, dropped, truncated or edited chunks, and an edited header, all
//! fail authentication. Inside, the plaintext is a sequence of members (`F`,
//! name length u16 BE, name, size u64 BE, bytes) closed by `E`.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{self, Broken, StreamReader, StreamWriter, PREFIX};
use crate::error::{Error, Result};

const MAGIC: &[u8; 9] = b"RDBACKUP\x01";
const CHUNK: usize = 64 * 1024;
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
            kdf: Kdf {
                algorithm: "argon2id".into(),
                m_cost_kib: 19 * 1024,
                t_cost: 2,
                p_cost: 1,
                salt: hex::encode(crypto::random::<16>()?),
            },
            cipher: "aes-256-gcm".into(),
            nonce_prefix: hex::encode(crypto::random::<PREFIX>()?),
        })
    }

    /// The stream's key and nonce prefix.
    fn key(&self, secret: &str) -> Result<(Zeroizing<[u8; 32]>, [u8; PREFIX])> {
        if self.format != 1 || self.cipher != "aes-256-gcm" || self.kdf.algorithm != "argon2id" {
            return Err(bad("was written by a newer Rightsdesk or is not a Rightsdesk backup"));
        }
        let salt = hex::decode(&self.kdf.salt).ok().filter(|s| s.len() >= 8).ok_or_else(|| bad("has a damaged header"))?;
        let mut prefix = [0u8; PREFIX];
        hex::decode_to_slice(&self.nonce_prefix, &mut prefix).map_err(|_| bad("has a damaged header"))?;
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
        Ok((key, prefix))
    }
}

/// Writes the encrypted stream; call [`ArchiveWriter::finish`] to seal it.
pub struct ArchiveWriter<W: Write> {
    stream: StreamWriter<W>,
}

impl<W: Write> ArchiveWriter<W> {
    pub fn new(mut out: W, header: &BackupHeader, secret: &str) -> Result<Self> {
        let (key, prefix) = header.key(secret)?;
        let aad = serde_json::to_vec(header).map_err(|e| Error::Internal(e.to_string()))?;
        out.write_all(MAGIC)?;
        out.write_all(&u32::try_from(aad.len()).map_err(|_| bad("header too long"))?.to_be_bytes())?;
        out.write_all(&aad)?;
        Ok(ArchiveWriter { stream: StreamWriter::new(&key, &prefix, aad, CHUNK, out) })
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        Ok(self.stream.write_all(bytes)?)
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
        Ok(self.stream.finish()?)
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
    stream: StreamReader<R>,
}

impl<R: Read> ArchiveReader<R> {
    pub fn open(mut input: R, secret: &str) -> Result<(BackupHeader, Self)> {
        let (header, aad) = read_header(&mut input)?;
        let (key, prefix) = header.key(secret)?;
        Ok((header, ArchiveReader { stream: StreamReader::new(&key, &prefix, aad, CHUNK, input) }))
    }

    /// Fills `out` from the authenticated plaintext.
    fn take(&mut self, out: &mut [u8]) -> Result<()> {
        self.stream.read_exact(out).map_err(|e| match crypto::broken(&e) {
            Some(Broken::Cut) => bad("is truncated (its end is missing)"),
            Some(Broken::Malformed) => bad("is damaged"),
            Some(Broken::Unauthentic) => bad("cannot be decrypted: the key is not the one it was made with, or the file was altered"),
            Some(Broken::Trailing) => bad("has data after its end"),
            // The sealed end came before the member did.
            None if e.kind() == io::ErrorKind::UnexpectedEof => bad("is damaged (a member runs past the end)"),
            None => Error::Io(e),
        })
    }

    /// The next member's name and size, or `None` at the authenticated end.
    pub fn next_member(&mut self) -> Result<Option<(String, u64)>> {
        let mut tag = [0u8; 1];
        self.take(&mut tag)?;
        match tag[0] {
            b'E' => {
                // The end marker must sit at the very end of the sealed last chunk.
                if !self.stream.finished() {
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
