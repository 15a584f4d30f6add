//! The evidence store for bytes that are not (yet) a request's file: a mail
//! read into the privacy mailbox is sealed here when it is filed, and becomes
//! a request's evidence file only when the officer accepts or links it. Same
//! key, same keyed (content-addressed) names, same sealed format as every
//! evidence file: no second cipher. A stored file is kept while an evidence
//! row or an intake item refers to it ([`super::collect_garbage_in`]).

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{blob_path, digests, get, intact, key_in, safe_name, too_large, Evidence, EvidenceKind, Rehash, MAX_BYTES};
use crate::error::{Error, Result};
use crate::store::events::{self, EventKind, NewEvent};

/// Bytes sealed in the evidence store: their keyed name, SHA-256 and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub blob: String,
    pub sha256: String,
    pub size: u64,
}

/// Seals `bytes` into the evidence folder `dir`, inside the caller's write
/// transaction (so a concurrent clean-up cannot see the file unreferenced
/// before the caller's row commits). Written once per content: a copy already
/// there and intact is kept. Empty content is refused.
pub fn seal_in(tx: &Connection, dir: &Path, bytes: &[u8]) -> Result<Sealed> {
    if bytes.is_empty() {
        return Err(Error::invalid("file", "is empty"));
    }
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large());
    }
    let key = key_in(tx, true)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let (blob, sha256, size) = digests(&key, &mut &bytes[..])?;
    let path = blob_path(dir, &blob);
    if !intact(&key, &blob, &path) {
        let shard = crate::files::atomic::parent_of(&path);
        std::fs::create_dir_all(&shard).map_err(|e| crate::files::atomic::write_error(&shard, &e))?;
        crate::files::atomic::write_with(&path, |file| {
            use std::io::Write as _;
            let mut out = std::io::BufWriter::new(file);
            let mut content = bytes;
            let mut again = Rehash { inner: &mut content, sha: Sha256::new(), size: 0 };
            super::sealed::seal(&key, &blob, &mut again, &mut out)?;
            Ok(out.flush()?)
        })?;
    }
    Ok(Sealed { blob, sha256, size })
}

/// Attaches sealed bytes to a request as an evidence file named `file_name`,
/// with its `evidence-added` event, inside the caller's transaction.
pub fn attach_in(tx: &Connection, now: DateTime<Utc>, request_id: &str, file_name: &str, sealed: &Sealed, actor: &str) -> Result<Evidence> {
    let name = safe_name(file_name);
    let id = uuid::Uuid::now_v7().to_string();
    tx.execute(
        "INSERT INTO evidence (id, request_id, task_id, kind, name, sha256, size, added_by, added_at, blob) \
         VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            request_id,
            EvidenceKind::Evidence.as_str(),
            name,
            sealed.sha256,
            sealed.size as i64,
            actor,
            now.to_rfc3339(),
            sealed.blob
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

/// The bytes sealed under `blob`, decrypted and checked against `sha256`.
pub fn read(conn: &Connection, dir: &Path, blob: &str, sha256: &str) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let key = key_in(conn, false)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let file = std::fs::File::open(blob_path(dir, blob))?;
    let mut opened = super::sealed::open(&key, blob, std::io::BufReader::new(file))
        .map_err(|e| Error::invalid("evidence", format!("the stored message cannot be opened ({})", e.kind())))?;
    let mut bytes = Vec::new();
    opened.read_to_end(&mut bytes).map_err(|e| Error::invalid("evidence", format!("the stored message is damaged ({})", e.kind())))?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(Error::invalid("evidence", "the stored message no longer matches its SHA-256"));
    }
    Ok(bytes)
}
