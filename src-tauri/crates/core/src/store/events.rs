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
    conn.execute(
        "INSERT INTO events (request_id, at, kind, summary, data, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![request_id, at.to_rfc3339(), event.kind, event.summary, event.data.to_string(), actor],
    )?;
    Ok(conn.last_insert_rowid())
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
