//! Evidence files on a request (exports from systems, letters received,
//! identity documents). The bytes are named by their keyed SHA-256
//! (HMAC-SHA-256), so the same content is stored once; the row keeps the plain
//! SHA-256 and a safe display name. A file name is never used as a path: it is
//! only shown. Where the sealed bytes live is the store's choice ([`place`]):
//! `<database dir>/evidence/` beside the local file, the table `stored_chunks`
//! in a team register. Every service here runs on both stores.
//!
//! The database is encrypted, so the files are too: AES-256-GCM under a random
//! key kept in the (encrypted) database, in 1 MiB chunks with a fresh nonce
//! prefix per file ([`crate::evidence::sealed`]), so a file is written and read as a
//! stream ([`open`]). The keyed name means the directory does not reveal
//! whether a known file is present.

pub mod moving;
pub mod place;
pub mod purge;
mod sealed;
pub mod stored;

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::row;
use crate::store::{Conn, Db, Dialect, Row, Store};
use crate::tasks;

use place::Place;

/// The largest evidence file accepted: 4 GiB less one byte, the size a row's `size` (a `u32`,
/// a plain number in TypeScript) can carry. Files are streamed in and out in flat memory, so
/// this is not a memory bound; in practice the disk is (a full disk fails the add and leaves
/// nothing behind, since the file is sealed to a temporary file first).
pub const MAX_BYTES: u64 = u32::MAX as u64;
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

/// What a file is attached to and as what; its bytes come separately ([`add_from`], [`add_file`]).
#[derive(Debug, Clone, Copy)]
pub struct Attach<'a> {
    /// The request's id or reference.
    pub request: &'a str,
    /// The name the file came with; only its last component is kept, cleaned.
    pub file_name: &'a str,
    /// A task id or `REFERENCE#N`.
    pub task: Option<&'a str>,
    /// Or the name of a data-map system whose task this file belongs to.
    pub system: Option<&'a str>,
    pub kind: EvidenceKind,
}

impl<'a> NewEvidence<'a> {
    /// The description of this file without its bytes.
    pub fn attach(&self) -> Attach<'a> {
        Attach { request: self.request, file_name: self.file_name, task: self.task, system: self.system, kind: self.kind }
    }
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

#[cfg(test)]
fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

const KEY_SETTING: &str = "evidence.key";

/// The evidence key, created on first use (inside the caller's write transaction). On a
/// team register an officer may not write `settings`: the key made here is kept by the
/// server's `rightsdesk_evidence_key` (PostgreSQL migration 7), which keeps the first one
/// made and returns the one kept.
fn key_in<'a>(conn: impl Into<Conn<'a>>, create: bool) -> Result<Option<zeroize::Zeroizing<[u8; 32]>>> {
    let conn = conn.into();
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    let kept = match crate::settings::get(conn, KEY_SETTING)? {
        Some(h) => zeroize::Zeroizing::new(h),
        None if create => {
            getrandom::fill(key.as_mut()).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
            let made = zeroize::Zeroizing::new(hex::encode(key.as_ref()));
            match conn.dialect() {
                Dialect::Sqlite => {
                    crate::settings::set(conn, KEY_SETTING, &made)?;
                    made
                }
                Dialect::Postgres => {
                    zeroize::Zeroizing::new(
                        conn.query_row("SELECT rightsdesk_evidence_key(?1)", &[&made.as_str()], |r| r.get::<String>(0))?,
                    )
                }
            }
        }
        None => return Ok(None),
    };
    hex::decode_to_slice(kept.as_bytes(), key.as_mut()).map_err(|_| Error::Internal("the evidence key is malformed".into()))?;
    Ok(Some(key))
}

const COLUMNS: &str = "id, request_id, task_id, kind, name, sha256, size, delete_after, added_by, added_at, blob";

fn from_row(r: &Row<'_>) -> Result<Evidence> {
    let id: String = r.get(0)?;
    let kind = |s: &str| match s {
        "evidence" => Some(EvidenceKind::Evidence),
        "identity-document" => Some(EvidenceKind::IdentityDocument),
        _ => None,
    };
    Ok(Evidence {
        request_id: r.get(1)?,
        task_id: r.get(2)?,
        kind: row::known("evidence", "kind", &id, &r.get::<String>(3)?, kind)?,
        name: r.get(4)?,
        sha256: r.get(5)?,
        size: r.get(6)?,
        delete_after: r.get::<Option<String>>(7)?.map(|d| row::parse("evidence", "delete_after", &id, &d)).transpose()?,
        added_by: r.get(8)?,
        added_at: row::instant("evidence", "added_at", &id, &r.get::<String>(9)?)?,
        id,
    })
}

fn get<'a>(conn: impl Into<Conn<'a>>, id: &str) -> Result<Evidence> {
    conn.into()
        .query_opt(&format!("SELECT {COLUMNS} FROM evidence WHERE id = ?1"), &[&id], from_row)?
        .ok_or(Error::NotFound { entity: "evidence file" })
}

/// Stores a file held in memory on a request; see [`add_from`].
pub fn add<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, new: &NewEvidence<'_>, actor: &str) -> Result<Evidence> {
    add_from(store, clock, &new.attach(), std::io::Cursor::new(new.bytes), actor)
}

/// Stores the regular file at `path` on a request, streamed from disk: it is
/// read once to name and hash it and once more to seal it, and never held
/// whole in memory. A folder, a device or a pipe is refused, and so is a file
/// that changes between the two readings.
pub fn add_file<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, about: &Attach<'_>, path: &Path, actor: &str) -> Result<Evidence> {
    add_file_expecting(store, clock, about, path, actor, None)
}

/// [`add_file`] from a loaded copy of the request: `expected` is the copy's `version`; if
/// someone changed the request since, the file is refused (`Error::Conflict`, "changed by
/// NAME at TIME — reload") and nothing is stored. `None` checks nothing.
pub fn add_file_expecting<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    about: &Attach<'_>,
    path: &Path,
    actor: &str,
    expected: Option<i64>,
) -> Result<Evidence> {
    let unreadable = |_| Error::invalid("file", "cannot be read");
    // Checked before opening: opening a named pipe would wait for a writer.
    if !std::fs::metadata(path).map_err(unreadable)?.is_file() {
        return Err(Error::invalid("file", "is not a regular file"));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(Error::invalid("file", "is not a regular file"));
    }
    add_checked(store.into(), clock, about, std::io::BufReader::with_capacity(1 << 16, file), actor, expected)
}

/// A file's keyed name (the blob), its SHA-256 and its size, read through once.
fn digests(key: &[u8; 32], content: &mut dyn Read) -> Result<(String, String, u64)> {
    use hmac::{Mac, SimpleHmac};
    let mut mac = <SimpleHmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    let mut sha = Sha256::new();
    let mut size: u64 = 0;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match content.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::Io(e)),
        };
        mac.update(&buf[..n]);
        sha.update(&buf[..n]);
        size += n as u64;
        if size > MAX_BYTES {
            return Err(too_large());
        }
    }
    Ok((hex::encode(mac.finalize().into_bytes()), hex::encode(sha.finalize()), size))
}

fn too_large() -> Error {
    Error::invalid("file", "is 4 GiB or larger; an evidence file must be smaller")
}

/// The bytes handed to the sealer, hashed on the way: the second reading must
/// be the first one again.
struct Rehash<'a> {
    inner: &'a mut dyn Read,
    sha: Sha256,
    size: u64,
}

impl Read for Rehash<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// Stores a file on a request, read from `content` twice: once for the keyed
/// name its sealed copy is stored (and bound) under, once to seal it. Refused
/// when empty or larger than [`MAX_BYTES`]; the same bytes are stored once
/// however often they are attached.
pub fn add_from<'a, R: Read + Seek>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    new: &Attach<'_>,
    content: R,
    actor: &str,
) -> Result<Evidence> {
    add_checked(store.into(), clock, new, content, actor, None)
}

/// [`add_from`], refused on a stale copy of the request (`expected`, checked in the writing transaction).
fn add_checked<R: Read + Seek>(
    store: Store<'_>,
    clock: &dyn Clock,
    new: &Attach<'_>,
    mut content: R,
    actor: &str,
    expected: Option<i64>,
) -> Result<Evidence> {
    let announced = content.seek(SeekFrom::End(0))?;
    content.rewind()?;
    if announced == 0 {
        return Err(Error::invalid("file", "is empty"));
    }
    if announced > MAX_BYTES {
        return Err(too_large());
    }
    let place = Place::of(store)?;
    let name = safe_name(new.file_name);
    let now = clock.now();
    store.write(|tx| {
        let (request_id, _, status) = tasks::request_head(tx, new.request)?;
        crate::store::version::ensure_unchanged(tx, &request_id, expected)?;
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
        // The blob's name is bound into every sealed chunk, so it is known before the first is written.
        let (blob, sha, size) = digests(&key, &mut content)?;
        if size == 0 {
            return Err(Error::invalid("file", "is empty"));
        }
        if !place.intact(tx, &key, &blob)? {
            content.rewind()?;
            place.write(tx, &blob, |out| {
                let mut again = Rehash { inner: &mut content, sha: Sha256::new(), size: 0 };
                crate::evidence::sealed::seal(&key, &blob, &mut again, out)?;
                if again.size != size || hex::encode(again.sha.finalize()) != sha {
                    return Err(Error::invalid("file", "changed while it was being stored; attach it again"));
                }
                Ok(())
            })?;
        }
        let id = uuid::Uuid::now_v7().to_string();
        let task_id = task.as_ref().map(|t| t.id.as_str());
        tx.execute(
            "INSERT INTO evidence (id, request_id, task_id, kind, name, sha256, size, added_by, added_at, blob) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &[&id, &request_id, &task_id, &new.kind.as_str(), &name, &sha, &(size as i64), &actor, &now.to_rfc3339(), &blob],
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
                summary: format!("{what}{on_task}: {name} ({size} bytes, SHA-256 {})", &sha[..12]),
                data: json!({ "evidence_id": id, "sha256": sha, "size": size, "kind": new.kind }),
            },
        )?;
        get(tx, &id)
    })
}

/// The files of a request, oldest first.
pub fn list<'a>(store: impl Into<Store<'a>>, request: &str) -> Result<Vec<Evidence>> {
    store.into().read(|c| {
        let (id, _, _) = tasks::request_head(c, request)?;
        c.query_map(&format!("SELECT {COLUMNS} FROM evidence WHERE request_id = ?1 ORDER BY added_at, id"), &[&id], from_row)
    })
}

/// A stored file's bytes as they are read: decrypted chunk by chunk, hashed on
/// the way, and checked against the SHA-256 the row keeps when the end is
/// reached. A damaged, changed or swapped file is an `InvalidData` error.
pub struct EvidenceReader<'a> {
    inner: crate::evidence::sealed::Opened<Box<dyn Read + 'a>>,
    hasher: Sha256,
    expected: String,
    checked: bool,
}

impl Read for EvidenceReader<'_> {
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

/// Opens a stored file for streaming: memory stays flat whatever its size. On a team
/// register the rows are fetched one at a time as the file is read.
pub fn open<'a>(store: impl Into<Store<'a>>, id: &str) -> Result<(Evidence, EvidenceReader<'a>)> {
    let store = store.into();
    let (evidence, blob, key) = store.read(|c| {
        let e = get(c, id)?;
        let blob: String = c.query_row("SELECT blob FROM evidence WHERE id = ?1", &[&id], |r| r.get(0))?;
        Ok((e, blob, key_in(c, false)?))
    })?;
    let key = key.ok_or_else(|| Error::Internal("evidence key".into()))?;
    let damaged = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::InvalidData => Error::invalid("evidence", e.to_string()),
        _ => Error::Io(e),
    };
    let input = Place::of(store)?.reader(store, &blob)?;
    let inner = crate::evidence::sealed::open(&key, &blob, input).map_err(damaged)?;
    let expected = evidence.sha256.clone();
    Ok((evidence, EvidenceReader { inner, hasher: Sha256::new(), expected, checked: false }))
}

/// The bytes of a stored file, decrypted and checked against its SHA-256.
pub fn read<'a>(store: impl Into<Store<'a>>, id: &str) -> Result<(Evidence, Vec<u8>)> {
    let (evidence, mut reader) = open(store, id)?;
    let mut bytes = Vec::with_capacity(evidence.size as usize);
    reader.read_to_end(&mut bytes).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => Error::invalid("evidence", e.to_string()),
        _ => Error::Io(e),
    })?;
    Ok((evidence, bytes))
}

/// Removes a file from a request (the bytes go once nothing refers to them).
pub fn remove<'a>(store: impl Into<Store<'a>>, clock: &dyn Clock, id: &str, reason: &str, actor: &str) -> Result<()> {
    remove_expecting(store, clock, id, reason, actor, None)
}

/// [`remove`] from a loaded copy of the file's request: `expected` is the copy's `version`;
/// on a stale copy the removal is refused (`Error::Conflict`) and nothing is written.
pub fn remove_expecting<'a>(
    store: impl Into<Store<'a>>,
    clock: &dyn Clock,
    id: &str,
    reason: &str,
    actor: &str,
    expected: Option<i64>,
) -> Result<()> {
    let store = store.into();
    let reason = crate::domain::text("reason", reason, 2000)?;
    let now = clock.now();
    let place = Place::of(store)?;
    store.write(|tx| {
        let e = get(tx, id)?;
        crate::store::version::ensure_unchanged(tx, &e.request_id, expected)?;
        tx.execute("DELETE FROM evidence WHERE id = ?1", &[&id])?;
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
        place.collect_garbage(tx)?;
        Ok(())
    })
}

/// Deletes rows (inside the caller's transaction); the caller then collects garbage.
pub(crate) fn delete_rows<'a>(conn: impl Into<Conn<'a>>, ids: &[String]) -> Result<()> {
    let conn = conn.into();
    for id in ids {
        conn.execute("DELETE FROM evidence WHERE id = ?1", &[id])?;
    }
    Ok(())
}

/// Removes stored files in the folder `dir` that no row refers to any more, and leftover temporary files.
pub(crate) fn collect_garbage_in<'a>(conn: impl Into<Conn<'a>>, dir: &Path) -> Result<u32> {
    let conn = conn.into();
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
                &[&name],
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
pub fn collect_garbage<'a>(store: impl Into<Store<'a>>) -> Result<u32> {
    let store = store.into();
    let place = Place::of(store)?;
    store.write(|tx| place.collect_garbage(tx))
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

    /// `len` zero bytes, produced as they are read (a file too large to hold in a test's memory).
    struct Zeros {
        len: u64,
        pos: u64,
    }

    impl Read for Zeros {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (buf.len() as u64).min(self.len - self.pos) as usize;
            buf[..n].fill(0);
            self.pos += n as u64;
            Ok(n)
        }
    }

    impl Seek for Zeros {
        fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
            self.pos = match to {
                SeekFrom::Start(n) => n,
                SeekFrom::End(d) => self.len.saturating_add_signed(d),
                SeekFrom::Current(d) => self.pos.saturating_add_signed(d),
            };
            Ok(self.pos)
        }
    }

    fn about<'a>(request: &'a str, name: &'a str) -> Attach<'a> {
        Attach { request, file_name: name, task: None, system: None, kind: EvidenceKind::Evidence }
    }

    #[test]
    fn an_oversized_or_empty_file_is_refused_and_nothing_is_stored() {
        let (tmp, db, clock, id) = setup();
        let big = Zeros { len: MAX_BYTES + 1, pos: 0 };
        assert_eq!(add_from(&db, &clock, &about(&id, "big.bin"), big, "o").unwrap_err().field(), Some("file"));
        assert_eq!(add(&db, &clock, &file(&id, "empty.bin", b""), "o").unwrap_err().field(), Some("file"));
        assert!(stored_files(&tmp.path().join("data").join("evidence")).is_empty());
        assert!(list(&db, &id).unwrap().is_empty());
    }

    #[test]
    fn a_30_mib_file_picked_on_disk_is_stored_and_reads_back_byte_for_byte() {
        // Above the 25 MiB the app once accepted; noise, so no chunk repeats another.
        let (tmp, db, clock, id) = setup();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let bytes: Vec<u8> = (0..30 * 1024 * 1024 + 17)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let picked = tmp.path().join("call recording.ogg");
        std::fs::write(&picked, &bytes).unwrap();
        let e = add_file(&db, &clock, &about(&id, "call recording.ogg"), &picked, "o").unwrap();
        assert_eq!((e.name.as_str(), e.size as usize), ("call recording.ogg", bytes.len()));
        assert_eq!(e.sha256, sha256_hex(&bytes));
        let (_, back) = read(&db, &e.id).unwrap();
        assert!(back == bytes, "the stored file reads back byte for byte");
        // Sealed on disk: 1 MiB chunks, nothing of the plain bytes.
        let on_disk = std::fs::read(stored_path(&db, &e.id)).unwrap();
        assert!(on_disk.len() > bytes.len() && !on_disk.windows(64).any(|w| w == &bytes[1 << 20..(1 << 20) + 64]));
        // The timeline names the size that was stored.
        let trail = db.read(|c| Ok(c.query_row("SELECT summary FROM events ORDER BY seq DESC LIMIT 1", [], |r| r.get::<_, String>(0))?));
        assert!(trail.unwrap().contains(&format!("({} bytes", bytes.len())));
    }

    #[test]
    fn a_folder_or_a_missing_file_is_refused_without_naming_the_path() {
        let (tmp, db, clock, id) = setup();
        for path in [tmp.path().to_path_buf(), tmp.path().join("Ada Example passport.pdf")] {
            let err = add_file(&db, &clock, &about(&id, "x"), &path, "o").unwrap_err();
            assert_eq!(err.field(), Some("file"));
            assert!(!err.to_string().contains("Ada") && !err.to_string().contains(tmp.path().to_str().unwrap()), "{err}");
        }
        assert!(list(&db, &id).unwrap().is_empty());
    }

    /// A source whose bytes change after the first reading (a file still being written by another program).
    struct Changing {
        inner: std::io::Cursor<Vec<u8>>,
        rewinds: u32,
    }

    impl Read for Changing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.inner.read(buf)
        }
    }

    impl Seek for Changing {
        fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
            if to == SeekFrom::Start(0) {
                self.rewinds += 1;
                if self.rewinds == 2 {
                    self.inner.get_mut()[3] ^= 1;
                }
            }
            self.inner.seek(to)
        }
    }

    #[test]
    fn a_file_that_changes_between_the_two_readings_is_refused_and_nothing_is_stored() {
        let (tmp, db, clock, id) = setup();
        let source = Changing { inner: std::io::Cursor::new(b"id,name\n1,Ada\n".to_vec()), rewinds: 0 };
        let err = add_from(&db, &clock, &about(&id, "export.csv"), source, "o").unwrap_err();
        assert!(err.to_string().contains("changed while it was being stored"), "{err}");
        assert!(stored_files(&tmp.path().join("data").join("evidence")).is_empty());
        assert!(list(&db, &id).unwrap().is_empty());
    }
}
