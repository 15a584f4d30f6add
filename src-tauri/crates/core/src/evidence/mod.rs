//! Evidence files on a request (exports from systems, letters received,
//! identity documents). The bytes live in `<database dir>/evidence/`, named by
//! their keyed SHA-256 (HMAC-SHA-256), so the same content is stored once; the
//! row keeps the plain SHA-256 and a safe display name. A file name is never
//! used as a path: it is only shown.
//!
//! The database is encrypted, so the files are too: AES-256-GCM under a random
//! key kept in the (encrypted) database, in 1 MiB chunks with a fresh nonce
//! prefix per file ([`crate::evidence::sealed`]), so a file is written and read as a
//! stream ([`open`]). The keyed name means the directory does not reveal
//! whether a known file is present.

pub mod purge;
mod sealed;
pub mod stored;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::row;
use crate::store::Db;
use crate::tasks;

/// The largest evidence file accepted: 25 MiB.
pub const MAX_BYTES: usize = 25 * 1024 * 1024;
/// The longest display name kept, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    Evidence,
    /// Deleted when the identity is verified (or a short configured period after).
    IdentityDocument,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Evidence => "evidence",
            EvidenceKind::IdentityDocument => "identity-document",
        }
    }
}

/// A stored evidence file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Evidence {
    pub id: String,
    pub request_id: String,
    pub task_id: Option<String>,
    pub kind: EvidenceKind,
    /// A safe display name (no path, no control characters).
    pub name: String,
    pub sha256: String,
    pub size: u32,
    /// Identity documents: the day they are deleted.
    pub delete_after: Option<NaiveDate>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// A file to attach.
pub struct NewEvidence<'a> {
    /// The request's id or reference.
    pub request: &'a str,
    /// The name the file came with; only its last component is kept, cleaned.
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// A task id or `REFERENCE#N`.
    pub task: Option<&'a str>,
    /// Or the name of a data-map system whose task this file belongs to.
    pub system: Option<&'a str>,
    pub kind: EvidenceKind,
}

/// Characters that change how text is displayed without being seen: bidi
/// overrides and isolates, zero-width joiners, the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// A display name that is harmless anywhere it is shown: the last component
/// only, letters, digits and a few punctuation marks kept, anything else
/// (slashes and their look-alikes, control and invisible characters) dropped
/// or replaced by `_`, no leading dot, at most [`MAX_NAME_CHARS`] characters
/// with the extension kept.
pub fn safe_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::new();
    for c in last.chars() {
        if c.is_control() || is_invisible(c) {
            continue;
        }
        let keep = c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')' | '[' | ']' | '+' | ',' | '@' | '&' | '\'');
        let c = if keep { c } else { '_' };
        if (c == ' ' || c == '_' || c == '.') && out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(|c: char| c == ' ' || c == '.' || c == '_');
    let mut name: String = trimmed.to_string();
    if name.chars().count() > MAX_NAME_CHARS {
        let ext: String = match name.rsplit_once('.') {
            Some((_, e)) if !e.is_empty() && e.chars().count() <= 10 => format!(".{e}"),
            _ => String::new(),
        };
        let keep = MAX_NAME_CHARS - ext.chars().count();
        name = name.chars().take(keep).collect::<String>().trim_end_matches(['.', ' ']).to_string() + &ext;
    }
    if name.is_empty() {
        "file".to_string()
    } else {
        name
    }
}

/// The evidence directory: `evidence/` beside the database file.
pub fn dir(db: &Db) -> Result<PathBuf> {
    let path = db.path();
    if path == Path::new(":memory:") {
        return Err(Error::invalid("evidence", "evidence files need a database file, not an in-memory database"));
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join("evidence"))
}

pub(crate) fn blob_path(dir: &Path, blob: &str) -> PathBuf {
    dir.join(&blob[..2]).join(blob)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const KEY_SETTING: &str = "evidence.key";

/// The evidence key, created on first use (inside the caller's write transaction).
fn key_in(conn: &Connection, create: bool) -> Result<Option<zeroize::Zeroizing<[u8; 32]>>> {
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    match crate::settings::get(conn, KEY_SETTING)? {
        Some(h) => {
            let h = zeroize::Zeroizing::new(h);
            hex::decode_to_slice(h.as_bytes(), key.as_mut()).map_err(|_| Error::Internal("the evidence key is malformed".into()))?;
        }
        None if create => {
            getrandom::fill(key.as_mut()).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
            crate::settings::set(conn, KEY_SETTING, &zeroize::Zeroizing::new(hex::encode(key.as_ref())))?;
        }
        None => return Ok(None),
    }
    Ok(Some(key))
}

fn blob_name(key: &[u8; 32], bytes: &[u8]) -> String {
    use hmac::{Mac, SimpleHmac};
    let mut mac = <SimpleHmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(bytes);
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `path` holds an intact copy sealed under `blob` (read through, in flat memory).
fn intact(key: &[u8; 32], blob: &str, path: &Path) -> bool {
    std::fs::File::open(path)
        .and_then(|f| crate::evidence::sealed::open(key, blob, std::io::BufReader::new(f)))
        .and_then(|mut r| std::io::copy(&mut r, &mut std::io::sink()))
        .is_ok()
}

const COLUMNS: &str = "id, request_id, task_id, kind, name, sha256, size, delete_after, added_by, added_at, blob";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Evidence> {
    let id: String = r.get(0)?;
    let kind = |s: &str| match s {
        "evidence" => Some(EvidenceKind::Evidence),
        "identity-document" => Some(EvidenceKind::IdentityDocument),
        _ => None,
    };
    Ok(Evidence {
        request_id: r.get(1)?,
        task_id: r.get(2)?,
        kind: row::known("evidence", "kind", &id, &r.get::<_, String>(3)?, kind)?,
        name: r.get(4)?,
        sha256: r.get(5)?,
        size: r.get(6)?,
        delete_after: r.get::<_, Option<String>>(7)?.map(|d| row::parse("evidence", "delete_after", &id, &d)).transpose()?,
        added_by: r.get(8)?,
        added_at: row::instant("evidence", "added_at", &id, &r.get::<_, String>(9)?)?,
        id,
    })
}

fn get(conn: &Connection, id: &str) -> Result<Evidence> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM evidence WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound { entity: "evidence file" })
}

/// Stores a file on a request. Refused when too large or empty; the same
/// bytes are stored once however often they are attached.
pub fn add(db: &Db, clock: &dyn Clock, new: &NewEvidence<'_>, actor: &str) -> Result<Evidence> {
    if new.bytes.is_empty() {
        return Err(Error::invalid("file", "is empty"));
    }
    if new.bytes.len() > MAX_BYTES {
        return Err(Error::invalid("file", format!("is larger than {} MiB", MAX_BYTES / (1024 * 1024))));
    }
    let dir = dir(db)?;
    let name = safe_name(new.file_name);
    let sha = sha256_hex(new.bytes);
    let now = clock.now();
    db.write(|tx| {
        let (request_id, _, status) = tasks::request_head(tx, new.request)?;
        if status.is_closed() {
            return Err(Error::invalid("file", format!("the request is {status}; no evidence can be added")));
        }
        let task = match (new.task, new.system) {
            (Some(t), _) => Some(tasks::get(tx, t)?),
            (None, Some(system)) => Some(
                tasks::list_in(tx, &request_id)?
                    .into_iter()
                    .find(|t| t.system_name.eq_ignore_ascii_case(system.trim()))
                    .ok_or_else(|| Error::invalid("system", "the request has no task for this system"))?,
            ),
            (None, None) => None,
        };
        if task.as_ref().is_some_and(|t| t.request_id != request_id) {
            return Err(Error::invalid("task", "belongs to another request"));
        }
        // Written inside the transaction, so a concurrent clean-up cannot see the file unreferenced.
        let key = key_in(tx, true)?.ok_or_else(|| Error::Internal("evidence key".into()))?;
        let blob = blob_name(&key, new.bytes);
        let path = blob_path(&dir, &blob);
        if !intact(&key, &blob, &path) {
            let shard = crate::files::atomic::parent_of(&path);
            std::fs::create_dir_all(&shard).map_err(|e| crate::files::atomic::write_error(&shard, &e))?;
            crate::files::atomic::write_with(&path, |file| {
                let mut out = std::io::BufWriter::new(file);
                crate::evidence::sealed::seal(&key, &blob, &mut &new.bytes[..], &mut out)?;
                Ok(out.flush()?)
            })?;
        }
        let id = uuid::Uuid::now_v7().to_string();
        tx.execute(
            "INSERT INTO evidence (id, request_id, task_id, kind, name, sha256, size, added_by, added_at, blob) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                request_id,
                task.as_ref().map(|t| &t.id),
                new.kind.as_str(),
                name,
                sha,
                new.bytes.len() as i64,
                actor,
                now.to_rfc3339(),
                blob
            ],
        )?;
        let what = match new.kind {
            EvidenceKind::Evidence => "Evidence added",
            EvidenceKind::IdentityDocument => "Identity document added",
        };
        let on_task = task.as_ref().map(|t| format!(" to task {} ({})", t.position, t.system_name)).unwrap_or_default();
        events::append(
            tx,
            Some(&request_id),
            now,
            actor,
            NewEvent {
                kind: EventKind::EvidenceAdded,
                summary: format!("{what}{on_task}: {name} ({} bytes, SHA-256 {})", new.bytes.len(), &sha[..12]),
                data: json!({ "evidence_id": id, "sha256": sha, "size": new.bytes.len(), "kind": new.kind }),
            },
        )?;
        get(tx, &id)
    })
}

/// The files of a request, oldest first.
pub fn list(db: &Db, request: &str) -> Result<Vec<Evidence>> {
    db.read(|c| {
        let (id, _, _) = tasks::request_head(c, request)?;
        let mut stmt = c.prepare_cached(&format!("SELECT {COLUMNS} FROM evidence WHERE request_id = ?1 ORDER BY added_at, id"))?;
        let rows = stmt.query_map([id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// A stored file's bytes as they are read: decrypted chunk by chunk, hashed on
/// the way, and checked against the SHA-256 the row keeps when the end is
/// reached. A damaged, changed or swapped file is an `InvalidData` error.
pub struct EvidenceReader {
    inner: crate::evidence::sealed::Opened<std::io::BufReader<std::fs::File>>,
    hasher: Sha256,
    expected: String,
    checked: bool,
}

impl Read for EvidenceReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.hasher.update(&buf[..n]);
        } else if !self.checked {
            self.checked = true;
            if hex::encode(std::mem::take(&mut self.hasher).finalize()) != self.expected {
                return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "the stored file no longer matches its SHA-256"));
            }
        }
        Ok(n)
    }
}

/// Opens a stored file for streaming: memory stays flat whatever its size.
pub fn open(db: &Db, id: &str) -> Result<(Evidence, EvidenceReader)> {
    let (evidence, blob, key) = db.read(|c| {
        let e = get(c, id)?;
        let blob: String = c.query_row("SELECT blob FROM evidence WHERE id = ?1", [id], |r| r.get(0))?;
        Ok((e, blob, key_in(c, false)?))
    })?;
    let key = key.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let damaged = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::InvalidData => Error::invalid("evidence", e.to_string()),
        _ => Error::Io(e),
    };
    let file = std::fs::File::open(blob_path(&dir(db)?, &blob))?;
    let inner = crate::evidence::sealed::open(&key, &blob, std::io::BufReader::new(file)).map_err(damaged)?;
    let expected = evidence.sha256.clone();
    Ok((evidence, EvidenceReader { inner, hasher: Sha256::new(), expected, checked: false }))
}

/// The bytes of a stored file, decrypted and checked against its SHA-256.
pub fn read(db: &Db, id: &str) -> Result<(Evidence, Vec<u8>)> {
    let (evidence, mut reader) = open(db, id)?;
    let mut bytes = Vec::with_capacity(evidence.size as usize);
    reader.read_to_end(&mut bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => Error::invalid("evidence", e.to_string()),
        _ => Error::Io(e),
    })?;
    Ok((evidence, bytes))
}

/// Removes a file from a request (the bytes go once nothing refers to them).
pub fn remove(db: &Db, clock: &dyn Clock, id: &str, reason: &str, actor: &str) -> Result<()> {
    let reason = crate::domain::text("reason", reason, 2000)?;
    let now = clock.now();
    let dir = dir(db)?;
    db.write(|tx| {
        let e = get(tx, id)?;
        tx.execute("DELETE FROM evidence WHERE id = ?1", [id])?;
        let why = if reason.is_empty() { String::new() } else { format!(" ({reason})") };
        events::append(
            tx,
            Some(&e.request_id),
            now,
            actor,
            NewEvent {
                kind: EventKind::EvidenceRemoved,
                summary: format!("File removed: {}{why}", e.name),
                data: json!({ "evidence_id": e.id, "sha256": e.sha256 }),
            },
        )?;
        collect_garbage_in(tx, &dir)?;
        Ok(())
    })
}

/// Deletes rows (inside the caller's transaction); the caller then collects garbage.
pub(crate) fn delete_rows(conn: &Connection, ids: &[String]) -> Result<()> {
    for id in ids {
        conn.execute("DELETE FROM evidence WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// Removes stored files that no row refers to any more, and leftover temporary files.
pub(crate) fn collect_garbage_in(conn: &Connection, dir: &Path) -> Result<u32> {
    let Ok(shards) = std::fs::read_dir(dir) else { return Ok(0) };
    let mut removed = 0;
    for shard in shards.flatten() {
        let path = shard.path();
        if path.is_file() {
            if shard.file_name().to_string_lossy().starts_with(crate::files::atomic::TEMP_PREFIX) {
                std::fs::remove_file(&path)?;
            }
            continue;
        }
        for file in std::fs::read_dir(&path)?.flatten() {
            let name = file.file_name().to_string_lossy().to_string();
            // A mail read into the privacy mailbox (`stored`) is kept while its intake item refers to it.
            let referenced: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM evidence WHERE blob = ?1) OR EXISTS (SELECT 1 FROM intake_items WHERE blob = ?1)",
                [&name],
                |r| r.get(0),
            )?;
            if !referenced {
                std::fs::remove_file(file.path())?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Removes unreferenced stored files; returns how many.
pub fn collect_garbage(db: &Db) -> Result<u32> {
    let dir = dir(db)?;
    db.write(|tx| collect_garbage_in(tx, &dir))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::requests;

    fn setup() -> (tempfile::TempDir, Db, FixedClock, String) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::testutil::test_db(&dir.path().join("data").join("r.sqlite3"));
        let clock = FixedClock::at("2026-11-23");
        let input = crate::testutil::ada_access_request();
        let r = requests::register(&db, &clock, &input, "o").unwrap();
        (dir, db, clock, r.id)
    }

    fn file<'a>(request: &'a str, name: &'a str, bytes: &'a [u8]) -> NewEvidence<'a> {
        NewEvidence { request, file_name: name, bytes, task: None, system: None, kind: EvidenceKind::Evidence }
    }

    /// Where a file's bytes are kept.
    pub(crate) fn stored_path(db: &Db, id: &str) -> PathBuf {
        let blob: String = db.read(|c| Ok(c.query_row("SELECT blob FROM evidence WHERE id = ?1", [id], |r| r.get(0))?)).unwrap();
        blob_path(&dir(db).unwrap(), &blob)
    }

    #[test]
    fn a_stored_file_changed_on_disk_is_refused_when_read() {
        let (_tmp, db, clock, id) = setup();
        let e = add(&db, &clock, &file(&id, "letter.pdf", b"%PDF-1.7 letter"), "o").unwrap();
        let path = stored_path(&db, &e.id);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(read(&db, &e.id).unwrap_err().field(), Some("evidence"));
    }

    #[test]
    fn a_file_stored_before_the_chunked_format_still_reads() {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let (_tmp, db, clock, id) = setup();
        let e = add(&db, &clock, &file(&id, "letter.txt", b"an older letter"), "o").unwrap();
        let path = stored_path(&db, &e.id);
        assert_eq!(&std::fs::read(&path).unwrap()[..4], super::sealed::V2);
        // Rewrite it as the first format did: "RDE1", a nonce, the whole file sealed at once.
        let key = db.read(|c| key_in(c, false)).unwrap().unwrap();
        let blob = path.file_name().unwrap().to_str().unwrap().to_string();
        let nonce = [9u8; 12];
        let sealed = aes_gcm::Aes256Gcm::new_from_slice(key.as_ref())
            .unwrap()
            .encrypt(aes_gcm::Nonce::from_slice(&nonce), Payload { msg: b"an older letter".as_slice(), aad: blob.as_bytes() })
            .unwrap();
        std::fs::write(&path, [b"RDE1".as_slice(), &nonce, &sealed].concat()).unwrap();
        assert_eq!(read(&db, &e.id).unwrap().1, b"an older letter");
    }

    fn stored_files(root: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in walk(root) {
            out.push(entry);
        }
        out.sort();
        out
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.path().is_dir() {
                    out.extend(walk(&e.path()));
                } else {
                    out.push(e.path());
                }
            }
        }
        out
    }

    #[test]
    fn the_same_file_attached_twice_is_stored_once_under_its_sha256() {
        let (tmp, db, clock, id) = setup();
        let a = add(&db, &clock, &file(&id, "export.csv", b"id,name\n1,Ada\n"), "o").unwrap();
        let b = add(&db, &clock, &file(&id, "copy of export.csv", b"id,name\n1,Ada\n"), "o").unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.sha256, sha256_hex(b"id,name\n1,Ada\n"));
        let files = stored_files(&tmp.path().join("data").join("evidence"));
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0], stored_path(&db, &a.id));
        let on_disk = std::fs::read(&files[0]).unwrap();
        assert!(!on_disk.windows(5).any(|w| w == b"1,Ada"), "the file is encrypted on disk");
        assert_eq!(read(&db, &b.id).unwrap().1, b"id,name\n1,Ada\n");
        // Removing one keeps the bytes for the other; removing both removes the file.
        remove(&db, &clock, &a.id, "", "o").unwrap();
        assert_eq!(stored_files(&tmp.path().join("data").join("evidence")).len(), 1);
        remove(&db, &clock, &b.id, "attached by mistake", "o").unwrap();
        assert!(stored_files(&tmp.path().join("data").join("evidence")).is_empty());
    }

    #[test]
    fn hostile_file_names_are_stored_safely_and_shown_harmlessly() {
        let (tmp, db, clock, id) = setup();
        let long = "a".repeat(10_000) + ".pdf";
        let cases: &[(&str, &str)] = &[
            ("../../etc/passwd", "passwd"),
            ("/etc/shadow", "shadow"),
            ("C:\\Windows\\system32\\cmd.exe", "cmd.exe"),
            ("..", "file"),
            ("", "file"),
            (".bashrc", "bashrc"),
            ("report\u{0}\n\r\u{1b}[31m.pdf", "report[31m.pdf"),
            ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
            ("..\u{2215}..\u{2215}etc\u{2215}passwd", "etc_passwd"),
            ("\u{FF0E}\u{FF0E}\u{FF0F}secret", "secret"),
            ("Ада Пример.pdf", "Ада Пример.pdf"),
        ];
        for (raw, expected) in cases {
            let e =
                add(&db, &clock, &file(&id, raw, raw.as_bytes().iter().chain(b"x").copied().collect::<Vec<_>>().as_slice()), "o").unwrap();
            assert_eq!(&e.name, expected, "{raw:?}");
        }
        let e = add(&db, &clock, &file(&id, &long, b"long"), "o").unwrap();
        assert_eq!(e.name.chars().count(), MAX_NAME_CHARS);
        assert!(e.name.ends_with(".pdf"));
        // Whatever the names, every byte went under evidence/ and nowhere else.
        let root = tmp.path().join("data");
        for f in stored_files(tmp.path()) {
            assert!(f.starts_with(root.join("evidence")) || f.parent() == Some(root.as_path()), "{f:?}");
        }
        assert!(!tmp.path().join("etc").exists());
    }

    #[test]
    fn an_oversized_or_empty_file_is_refused_and_nothing_is_stored() {
        let (tmp, db, clock, id) = setup();
        let big = vec![0u8; MAX_BYTES + 1];
        assert_eq!(add(&db, &clock, &file(&id, "big.bin", &big), "o").unwrap_err().field(), Some("file"));
        assert_eq!(add(&db, &clock, &file(&id, "empty.bin", b""), "o").unwrap_err().field(), Some("file"));
        assert!(stored_files(&tmp.path().join("data").join("evidence")).is_empty());
        assert!(list(&db, &id).unwrap().is_empty());
    }
}
