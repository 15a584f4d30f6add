//! The mailbox's rows: the folder's UIDVALIDITY and last UID, and the intake items.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::intake::{IntakeItem, IntakeState};
use crate::error::{Error, Result};
use crate::store::row;

/// The folder's UIDVALIDITY and the highest UID filed under it, if it was read before.
pub(super) fn folder_state(conn: &Connection, folder: &str) -> Result<Option<(u32, u32)>> {
    Ok(conn
        .prepare_cached("SELECT uidvalidity, last_uid FROM mailbox_folders WHERE folder = ?1")?
        .query_row([folder], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Records that `uid` (under `uidvalidity`) has been read, in the transaction that files it.
pub(super) fn advance_folder(tx: &Connection, folder: &str, uidvalidity: u32, uid: u32) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO mailbox_folders (folder, uidvalidity, last_uid) VALUES (?1, ?2, ?3) \
         ON CONFLICT (folder) DO UPDATE SET \
           last_uid = CASE WHEN uidvalidity = excluded.uidvalidity THEN max(last_uid, excluded.last_uid) ELSE excluded.last_uid END, \
           uidvalidity = excluded.uidvalidity",
    )?
    .execute(params![folder, uidvalidity, uid])?;
    Ok(())
}

/// Whether this message was filed before under another UID: the same Message-ID,
/// arrival time and size, or (without a Message-ID) the same bytes.
pub(super) fn already_filed(
    tx: &Connection,
    folder: &str,
    message_id: Option<&str>,
    arrived: DateTime<Utc>,
    size: u32,
    sha256: &str,
) -> Result<bool> {
    let arrived = arrived.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let found: bool = match message_id {
        Some(mid) => tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM intake_items WHERE folder = ?1 AND message_id = ?2 AND internal_date = ?3 AND size = ?4)",
            )?
            .query_row(params![folder, mid, arrived, size], |r| r.get(0))?,
        None => tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM intake_items WHERE folder = ?1 AND message_id IS NULL AND sha256 = ?2)")?
            .query_row(params![folder, sha256], |r| r.get(0))?,
    };
    Ok(found)
}

pub(super) const COLUMNS: &str = "id, from_name, from_address, subject, internal_date, size, preview, attachments, warning, state, \
                                  reason, request_id, sha256, message_id, blob";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<IntakeItem> {
    let id: String = r.get(0)?;
    Ok(IntakeItem {
        from_name: r.get(1)?,
        from_address: r.get(2)?,
        subject: r.get(3)?,
        received_at: row::instant("intake_items", "internal_date", &id, &r.get::<_, String>(4)?)?,
        size: r.get(5)?,
        preview: r.get(6)?,
        attachments: row::json("intake_items", "attachments", &id, &r.get::<_, String>(7)?)?,
        warning: r.get(8)?,
        state: row::known("intake_items", "state", &id, &r.get::<_, String>(9)?, IntakeState::parse)?,
        reason: r.get(10)?,
        request_id: r.get(11)?,
        sha256: r.get(12)?,
        message_id: r.get(13)?,
        blob: r.get(14)?,
        suggestion: None,
        open_requests_from_sender: Vec::new(),
        id,
    })
}

/// One item, by its id (or a unique prefix of at least 8 characters).
pub(super) fn get(conn: &Connection, id: &str) -> Result<IntakeItem> {
    let id = id.trim();
    if let Some(item) = conn.query_row(&format!("SELECT {COLUMNS} FROM intake_items WHERE id = ?1"), [id], from_row).optional()? {
        return Ok(item);
    }
    if id.len() >= 8 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM intake_items WHERE id LIKE ?1 || '%' LIMIT 2"))?;
        let found = stmt.query_map([id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        if found.len() == 1 {
            return Ok(found.into_iter().next().expect("one"));
        }
    }
    Err(Error::NotFound { entity: "intake item" })
}

pub(super) fn list(conn: &Connection, state: Option<IntakeState>) -> Result<Vec<IntakeItem>> {
    let (sql, arg) = match state {
        Some(s) => (format!("SELECT {COLUMNS} FROM intake_items WHERE state = ?1 ORDER BY internal_date, id"), s.as_str()),
        None => (format!("SELECT {COLUMNS} FROM intake_items WHERE ?1 = ?1 ORDER BY internal_date, id"), ""),
    };
    let mut stmt = conn.prepare(&sql)?;
    let items = stmt.query_map([arg], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(items)
}

/// Marks a new item decided; refuses one already decided.
pub(super) fn decide(
    tx: &Connection,
    item: &IntakeItem,
    state: IntakeState,
    reason: Option<&str>,
    request_id: Option<&str>,
    at: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    let n = tx.execute(
        "UPDATE intake_items SET state = ?1, reason = ?2, request_id = ?3, decided_at = ?4, decided_by = ?5 WHERE id = ?6 AND state = 'new'",
        params![state.as_str(), reason, request_id, at.to_rfc3339(), actor, item.id],
    )?;
    if n == 0 {
        return Err(Error::invalid("item", "was already decided (accepted, dismissed or linked)"));
    }
    Ok(())
}
