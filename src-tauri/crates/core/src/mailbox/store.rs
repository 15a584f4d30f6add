//! The mailbox's rows: the folder's UIDVALIDITY and last UID, and the intake items.
//! Written once for both stores (the portable dialect of `store::interface`).

use chrono::{DateTime, Utc};

use super::intake::{IntakeItem, IntakeState};
use crate::error::{Error, Result};
use crate::store::{row, Conn, Dialect, Row};

/// The folder's UIDVALIDITY and the highest UID filed under it, if it was read before.
pub(super) fn folder_state(conn: Conn<'_>, folder: &str) -> Result<Option<(u32, u32)>> {
    conn.query_opt("SELECT uidvalidity, last_uid FROM mailbox_folders WHERE folder = ?1", &[&folder], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Records that `uid` (under `uidvalidity`) has been read, in the transaction that files it.
pub(super) fn advance_folder(tx: Conn<'_>, folder: &str, uidvalidity: u32, uid: u32) -> Result<()> {
    let greatest = match tx.dialect() {
        Dialect::Sqlite => "max",
        Dialect::Postgres => "GREATEST",
    };
    tx.execute(
        &format!(
            "INSERT INTO mailbox_folders (folder, uidvalidity, last_uid) VALUES (?1, ?2, ?3) \
             ON CONFLICT (folder) DO UPDATE SET \
               last_uid = CASE WHEN mailbox_folders.uidvalidity = excluded.uidvalidity \
                 THEN {greatest}(mailbox_folders.last_uid, excluded.last_uid) ELSE excluded.last_uid END, \
               uidvalidity = excluded.uidvalidity"
        ),
        &[&folder, &uidvalidity, &uid],
    )?;
    Ok(())
}

/// Whether this message was filed before under another UID: the same Message-ID,
/// arrival time and size, or (without a Message-ID) the same bytes.
pub(super) fn already_filed(
    tx: Conn<'_>,
    folder: &str,
    message_id: Option<&str>,
    arrived: DateTime<Utc>,
    size: u32,
    sha256: &str,
) -> Result<bool> {
    let arrived = arrived.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    match message_id {
        Some(mid) => tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM intake_items WHERE folder = ?1 AND message_id = ?2 AND internal_date = ?3 AND size = ?4)",
            &[&folder, &mid, &arrived, &size],
            |r| r.get(0),
        ),
        None => tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM intake_items WHERE folder = ?1 AND message_id IS NULL AND sha256 = ?2)",
            &[&folder, &sha256],
            |r| r.get(0),
        ),
    }
}

pub(super) const COLUMNS: &str = "id, from_name, from_address, subject, internal_date, size, preview, attachments, warning, state, \
                                  reason, request_id, sha256, message_id, blob";

pub(super) fn from_row(r: &Row<'_>) -> Result<IntakeItem> {
    let id: String = r.get(0)?;
    Ok(IntakeItem {
        from_name: r.get(1)?,
        from_address: r.get(2)?,
        subject: r.get(3)?,
        received_at: row::instant("intake_items", "internal_date", &id, &r.get::<String>(4)?)?,
        size: r.get(5)?,
        preview: r.get(6)?,
        attachments: row::json("intake_items", "attachments", &id, &r.get::<String>(7)?)?,
        warning: r.get(8)?,
        state: row::known("intake_items", "state", &id, &r.get::<String>(9)?, IntakeState::parse)?,
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
pub(super) fn get(conn: Conn<'_>, id: &str) -> Result<IntakeItem> {
    let id = id.trim();
    if let Some(item) = conn.query_opt(&format!("SELECT {COLUMNS} FROM intake_items WHERE id = ?1"), &[&id], from_row)? {
        return Ok(item);
    }
    if id.len() >= 8 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        let found =
            conn.query_map(&format!("SELECT {COLUMNS} FROM intake_items WHERE id LIKE CAST(?1 AS TEXT) || '%' LIMIT 2"), &[&id], from_row)?;
        if found.len() == 1 {
            return Ok(found.into_iter().next().expect("one"));
        }
    }
    Err(Error::NotFound { entity: "intake item" })
}

pub(super) fn list(conn: Conn<'_>, state: Option<IntakeState>) -> Result<Vec<IntakeItem>> {
    match state {
        Some(s) => conn.query_map(
            &format!("SELECT {COLUMNS} FROM intake_items WHERE state = ?1 ORDER BY internal_date, id"),
            &[&s.as_str()],
            from_row,
        ),
        None => conn.query_map(&format!("SELECT {COLUMNS} FROM intake_items ORDER BY internal_date, id"), &[], from_row),
    }
}

/// Marks a new item decided; refuses one already decided.
pub(super) fn decide(
    tx: Conn<'_>,
    item: &IntakeItem,
    state: IntakeState,
    reason: Option<&str>,
    request_id: Option<&str>,
    at: DateTime<Utc>,
    actor: &str,
) -> Result<()> {
    let n = tx.execute(
        "UPDATE intake_items SET state = ?1, reason = ?2, request_id = ?3, decided_at = ?4, decided_by = ?5 WHERE id = ?6 AND state = 'new'",
        &[&state.as_str(), &reason, &request_id, &at.to_rfc3339(), &actor, &item.id],
    )?;
    if n == 0 {
        return Err(Error::invalid("item", "was already decided (accepted, dismissed or linked)"));
    }
    Ok(())
}
