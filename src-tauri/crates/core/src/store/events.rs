//! The timeline: append-only events, written in the same transaction as the change they record.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use crate::domain::TimelineEvent;
use crate::error::Result;

/// What happened, in words a regulator can read, plus structured data.
/// The summary must not carry personal data beyond what the request already holds.
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub summary: String,
    pub data: serde_json::Value,
}

pub fn append(conn: &Connection, request_id: Option<&str>, at: DateTime<Utc>, actor: &str, event: NewEvent<'_>) -> Result<i64> {
    conn.prepare_cached("INSERT INTO events (request_id, at, kind, summary, data, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(
        params![request_id, at.to_rfc3339(), event.kind, event.summary, event.data.to_string(), actor],
    )?;
    let seq = conn.last_insert_rowid();
    seal(conn, seq)?;
    Ok(seq)
}

pub fn for_request(conn: &Connection, request_id: &str) -> Result<Vec<TimelineEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, kind, summary, data, actor FROM events WHERE request_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([request_id], |r| {
        let at: String = r.get(1)?;
        Ok(TimelineEvent {
            seq: r.get(0)?,
            at: parse_instant(&at),
            kind: r.get(2)?,
            summary: r.get(3)?,
            data: r.get(4)?,
            actor: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn parse_instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).unwrap_or_default()
}

// ---- The audit chain (issue 5) ------------------------------------------------
//
// Every event is sealed in the same transaction as it is written: a row of
// `audit_chain` holds its identifiers and actions, the SHA-256 of its words
// (summary and data), and a hash over all that and the previous row's hash.
// Changing, removing, inserting or reordering anything breaks the chain at that
// point; `crate::work::audit::verify` says where.

/// The hash before the first row of the chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One sealed row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainRow {
    pub seq: i64,
    pub request_id: Option<String>,
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub content_sha256: String,
    pub prev_hash: String,
    pub hash: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of an event's words: summary and data, separated by a NUL.
pub fn content_hash(summary: &str, data: &str) -> String {
    let mut bytes = Vec::with_capacity(summary.len() + data.len() + 1);
    bytes.extend_from_slice(summary.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(data.as_bytes());
    sha256_hex(&bytes)
}

/// The hash of a chain row: every field, one per line, after the previous hash.
pub fn chain_hash(prev_hash: &str, seq: i64, request_id: Option<&str>, at: &str, kind: &str, actor: &str, content: &str) -> String {
    let text = format!("{prev_hash}\n{seq}\n{}\n{at}\n{kind}\n{actor}\n{content}", request_id.unwrap_or(""));
    sha256_hex(text.as_bytes())
}

/// The request a chain row is about: the event's request, or for a removal
/// (whose event cannot reference the removed row) the id named in its data.
fn chained_request_id(kind: &str, request_id: Option<String>, data: &str) -> Option<String> {
    request_id.or_else(|| {
        (kind == "request-removed")
            .then(|| serde_json::from_str::<serde_json::Value>(data).ok())
            .flatten()
            .and_then(|v| v.get("request_id").and_then(|r| r.as_str()).map(str::to_string))
    })
}

/// Seals event `seq` (and, first, any events written before the chain existed).
pub fn seal(conn: &Connection, seq: i64) -> Result<()> {
    use rusqlite::OptionalExtension;
    let legacy_upto = legacy_upto(conn)?;
    let last: Option<(i64, String)> =
        conn.prepare_cached("SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1")?.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    let (last_seq, mut prev) = last.unwrap_or((0, GENESIS_HASH.to_string()));
    let mut stmt = conn.prepare_cached(
        "SELECT seq, request_id, at, kind, summary, data, actor FROM events \
         WHERE seq > ?1 AND (seq <= ?2 OR seq = ?3) ORDER BY seq",
    )?;
    let rows = stmt
        .query_map(params![last_seq, legacy_upto, seq], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (s, request_id, at, kind, summary, data, actor) in rows {
        let request_id = chained_request_id(&kind, request_id, &data);
        let content = content_hash(&summary, &data);
        let hash = chain_hash(&prev, s, request_id.as_deref(), &at, &kind, &actor, &content);
        conn.prepare_cached(
            "INSERT INTO audit_chain (seq, request_id, at, kind, actor, content_sha256, prev_hash, hash) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![s, request_id, at, kind, actor, content, prev, hash],
        )?;
        prev = hash;
    }
    Ok(())
}

/// The whole audit chain, in order.
pub fn chain(conn: &Connection) -> Result<Vec<ChainRow>> {
    let mut stmt = conn.prepare(
        "SELECT seq, request_id, at, kind, actor, content_sha256, prev_hash, hash FROM audit_chain ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ChainRow {
            seq: r.get(0)?,
            request_id: r.get(1)?,
            at: r.get(2)?,
            kind: r.get(3)?,
            actor: r.get(4)?,
            content_sha256: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// An event row as stored, for comparison with its seal.
#[derive(Debug, Clone)]
pub struct RawEvent {
    pub seq: i64,
    pub request_id: Option<String>,
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub content_sha256: String,
    /// The request named by the row for the chain (see `chained_request_id`).
    pub chained_request_id: Option<String>,
    /// Set when the retention purge redacted the event's words.
    pub redacted: bool,
    pub summary_tail_is_redaction: bool,
}

/// Every event row, in order, with the hash of its words.
pub fn raw_events(conn: &Connection) -> Result<Vec<RawEvent>> {
    let mut stmt =
        conn.prepare("SELECT seq, request_id, at, kind, summary, data, actor, redacted_at IS NOT NULL FROM events ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        let request_id: Option<String> = r.get(1)?;
        let kind: String = r.get(3)?;
        let summary: String = r.get(4)?;
        let data: String = r.get(5)?;
        Ok(RawEvent {
            seq: r.get(0)?,
            chained_request_id: chained_request_id(&kind, request_id.clone(), &data),
            request_id,
            at: r.get(2)?,
            kind,
            actor: r.get(6)?,
            redacted: r.get(7)?,
            summary_tail_is_redaction: summary.ends_with("removed under the retention policy")
                || summary.ends_with("removed under the retention policy)"),
            content_sha256: content_hash(&summary, &data),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The highest event number ever handed out (SQLite's AUTOINCREMENT record),
/// so that removing the newest events and their seals is noticed too.
pub fn highest_seq_issued(conn: &Connection) -> Result<i64> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT seq FROM sqlite_sequence WHERE name = 'events'", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// The last event written before the chain existed (sealed on the next write).
pub fn legacy_upto(conn: &Connection) -> Result<i64> {
    use rusqlite::OptionalExtension;
    Ok(conn.prepare_cached("SELECT max(upto) FROM audit_legacy")?.query_row([], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten().unwrap_or(0))
}
