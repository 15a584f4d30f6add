//! The evidence store for bytes that are not (yet) a request's file: a mail
//! read into the privacy mailbox is sealed here when it is filed, and becomes
//! a request's evidence file only when the officer accepts or links it. Same
//! key, same keyed (content-addressed) names, same sealed format as every
//! evidence file: no second cipher. A stored file is kept while an evidence
//! row or an intake item refers to it ([`super::collect_garbage_in`]).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::place::Place;
use super::{digests, get, key_in, safe_name, too_large, Evidence, EvidenceKind, Rehash, MAX_BYTES};
use crate::crypto::{self, StreamWriter};
use crate::error::{Error, Result};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{Conn, Store};

/// Bytes sealed in the evidence store: their keyed name, SHA-256 and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub blob: String,
    pub sha256: String,
    pub size: u64,
}

/// Seals `bytes` into the evidence folder `dir` (on a team register: its
/// `stored_chunks`, [`Place`]), inside the caller's write transaction (so a
/// concurrent clean-up cannot see the file unreferenced before the caller's row
/// commits). Written once per content: a copy already there and intact is
/// kept. Empty content is refused.
pub fn seal_in<'a>(tx: impl Into<Conn<'a>>, dir: &Path, bytes: &[u8]) -> Result<Sealed> {
    let tx = tx.into();
    if bytes.is_empty() {
        return Err(Error::invalid("file", "is empty"));
    }
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large());
    }
    let key = key_in(tx, true)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let (blob, sha256, size) = digests(&key, &mut &bytes[..])?;
    let place = Place::for_conn(tx, dir);
    if !place.intact(tx, &key, &blob)? {
        place.write(tx, &blob, |out| {
            let mut content = bytes;
            let mut again = Rehash { inner: &mut content, sha: Sha256::new(), size: 0 };
            super::sealed::seal(&key, &blob, &mut again, out)
        })?;
    }
    Ok(Sealed { blob, sha256, size })
}

/// The evidence key, for [`Staging`] (created on first use, in its own write).
pub fn staging_key<'a>(store: impl Into<Store<'a>>) -> Result<zeroize::Zeroizing<[u8; 32]>> {
    store.into().write(|tx| key_in(tx, true)?.ok_or_else(|| Error::Internal("evidence key".into())))
}

/// Bytes written to the evidence folder as they arrive (a large mail read from
/// the server a range at a time), before their keyed name is known: sealed
/// under the evidence key into an owner-only temporary file
/// ([`crate::files::atomic::TEMP_PREFIX`], removed on drop, and by the next
/// opening of the register after a kill), hashed on the way. Only the chunk
/// being encrypted is ever held. [`seal_staged_in`] then seals them under their
/// keyed name, read back from the temporary file a chunk at a time.
pub struct Staging {
    key: zeroize::Zeroizing<[u8; 32]>,
    name: String,
    temp: tempfile::NamedTempFile,
    out: StreamWriter<std::io::BufWriter<std::fs::File>>,
    mac: hmac::SimpleHmac<Sha256>,
    sha: Sha256,
    size: u64,
}

/// Staged bytes, sealed in their temporary file, with their keyed name, SHA-256 and size.
pub struct Staged {
    key: zeroize::Zeroizing<[u8; 32]>,
    name: String,
    temp: tempfile::NamedTempFile,
    pub sealed: Sealed,
}

impl Staging {
    /// Starts a temporary sealed file in the evidence folder `dir`.
    pub fn new(key: zeroize::Zeroizing<[u8; 32]>, dir: &Path) -> Result<Staging> {
        use hmac::Mac;
        std::fs::create_dir_all(dir).map_err(|e| crate::files::atomic::write_error(dir, &e))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(crate::files::atomic::TEMP_PREFIX);
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
        let temp = builder.tempfile_in(dir).map_err(|e| crate::files::atomic::write_error(dir, &std::io::Error::new(e.kind(), "")))?;
        let name = temp.path().file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let mut file = std::io::BufWriter::with_capacity(1 << 16, temp.reopen()?);
        let prefix = crypto::random::<{ crypto::PREFIX }>()?;
        std::io::Write::write_all(&mut file, super::sealed::V2)?;
        std::io::Write::write_all(&mut file, &prefix)?;
        let out = StreamWriter::new(&key, &prefix, name.as_bytes().to_vec(), super::sealed::CHUNK, file);
        let mac = <hmac::SimpleHmac<Sha256> as Mac>::new_from_slice(key.as_ref()).expect("HMAC takes any key length");
        Ok(Staging { key, name, temp, out, mac, sha: Sha256::new(), size: 0 })
    }

    /// Appends the next bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        use hmac::Mac;
        self.size += bytes.len() as u64;
        if self.size > MAX_BYTES {
            return Err(too_large());
        }
        self.mac.update(bytes);
        self.sha.update(bytes);
        std::io::Write::write_all(&mut self.out, bytes)?;
        Ok(())
    }

    /// How many bytes were written.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Seals the last chunk; empty content is refused.
    pub fn finish(self) -> Result<Staged> {
        use hmac::Mac;
        if self.size == 0 {
            return Err(Error::invalid("file", "is empty"));
        }
        let Staging { key, name, temp, out, mac, sha, size } = self;
        out.finish()?;
        let sealed = Sealed { blob: hex::encode(mac.finalize().into_bytes()), sha256: hex::encode(sha.finalize()), size };
        Ok(Staged { key, name, temp, sealed })
    }
}

/// Seals staged bytes under their keyed name inside the caller's write
/// transaction (as [`seal_in`] does with bytes in memory), streamed from the
/// temporary file, which is then removed. Bytes that do not read back as they
/// were written (a changed temporary file) are refused.
pub fn seal_staged_in<'a>(tx: impl Into<Conn<'a>>, dir: &Path, staged: Staged) -> Result<Sealed> {
    let tx = tx.into();
    let key = key_in(tx, false)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
    if key.as_ref() != staged.key.as_ref() {
        return Err(Error::Internal("the evidence key changed while a mail was being read".into()));
    }
    let Sealed { blob, sha256, size } = &staged.sealed;
    let place = Place::for_conn(tx, dir);
    if !place.intact(tx, &key, blob)? {
        let input = std::io::BufReader::new(staged.temp.reopen()?);
        let mut opened = super::sealed::open(&key, &staged.name, input)?;
        place.write(tx, blob, |out| {
            let mut again = Rehash { inner: &mut opened, sha: Sha256::new(), size: 0 };
            super::sealed::seal(&key, blob, &mut again, out)?;
            if again.size != *size || hex::encode(again.sha.finalize()) != *sha256 {
                return Err(Error::invalid("file", "changed while it was being stored; fetch it again"));
            }
            Ok(())
        })?;
    }
    Ok(staged.sealed)
}

/// Attaches sealed bytes to a request as an evidence file named `file_name`,
/// with its `evidence-added` event, inside the caller's transaction.
pub fn attach_in<'a>(
    tx: impl Into<Conn<'a>>,
    now: DateTime<Utc>,
    request_id: &str,
    file_name: &str,
    sealed: &Sealed,
    actor: &str,
) -> Result<Evidence> {
    let tx = tx.into();
    let name = safe_name(file_name);
    let id = uuid::Uuid::now_v7().to_string();
    tx.execute(
        "INSERT INTO evidence (id, request_id, task_id, kind, name, sha256, size, added_by, added_at, blob) \
         VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[
            &id,
            &request_id,
            &EvidenceKind::Evidence.as_str(),
            &name,
            &sealed.sha256,
            &(sealed.size as i64),
            &actor,
            &now.to_rfc3339(),
            &sealed.blob,
        ],
    )?;
    events::append(
        tx,
        Some(request_id),
        now,
        actor,
        NewEvent {
            kind: EventKind::EvidenceAdded,
            summary: format!("Evidence added: {name} ({} bytes, SHA-256 {})", sealed.size, &sealed.sha256[..12]),
            data: json!({ "evidence_id": id, "sha256": sealed.sha256, "size": sealed.size, "kind": EvidenceKind::Evidence }),
        },
    )?;
    get(tx, &id)
}

/// The size of the bytes sealed under `blob`, read through in flat memory (a
/// chunk at a time) and checked against `sha256`.
pub fn checked_size<'a>(conn: impl Into<Conn<'a>>, dir: &Path, blob: &str, sha256: &str) -> Result<u64> {
    let conn = conn.into();
    let key = key_in(conn, false)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let input = Place::for_conn(conn, dir).reader_in(conn, blob)?;
    let mut opened = super::sealed::open(&key, blob, input)
        .map_err(|e| Error::invalid("evidence", format!("the stored message cannot be opened ({})", e.kind())))?;
    let mut hashed = Rehash { inner: &mut opened, sha: Sha256::new(), size: 0 };
    std::io::copy(&mut hashed, &mut std::io::sink())
        .map_err(|e| Error::invalid("evidence", format!("the stored message is damaged ({})", e.kind())))?;
    if hex::encode(hashed.sha.finalize()) != sha256 {
        return Err(Error::invalid("evidence", "the stored message no longer matches its SHA-256"));
    }
    Ok(hashed.size)
}

/// The bytes sealed under `blob`, decrypted and checked against `sha256`.
pub fn read<'a>(conn: impl Into<Conn<'a>>, dir: &Path, blob: &str, sha256: &str) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let conn = conn.into();
    let key = key_in(conn, false)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let input = Place::for_conn(conn, dir).reader_in(conn, blob)?;
    let mut opened = super::sealed::open(&key, blob, input)
        .map_err(|e| Error::invalid("evidence", format!("the stored message cannot be opened ({})", e.kind())))?;
    let mut bytes = Vec::new();
    opened.read_to_end(&mut bytes).map_err(|e| Error::invalid("evidence", format!("the stored message is damaged ({})", e.kind())))?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(Error::invalid("evidence", "the stored message no longer matches its SHA-256"));
    }
    Ok(bytes)
}
