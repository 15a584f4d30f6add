//! Rows of the `saved_filters` table: named views of the request list.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::requests::rows::RequestFilter;

/// A named filter the officer saved for the request list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedFilter {
    pub id: String,
    pub name: String,
    pub filter: RequestFilter,
}

pub fn insert(conn: &Connection, id: &str, name: &str, filter: &RequestFilter, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    let json = serde_json::to_string(filter).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO saved_filters (id, name, filter, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, name, json, now.to_rfc3339()],
    )?;
    Ok(())
}

pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT id FROM saved_filters WHERE name = ?1", [name], |r| r.get(0)).optional()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<SavedFilter> {
    conn.query_row("SELECT id, name, filter FROM saved_filters WHERE id = ?1", [id], row)
        .optional()?
        .ok_or(Error::NotFound { entity: "saved filter" })?
}

pub fn all(conn: &Connection) -> Result<Vec<SavedFilter>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, filter FROM saved_filters ORDER BY name COLLATE NOCASE")?;
    let rows = stmt.query_map([], row)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r??);
    }
    Ok(out)
}

pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM saved_filters WHERE id = ?1", [id])? > 0)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<SavedFilter>> {
    let (id, name, json): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
    Ok(serde_json::from_str(&json)
        .map(|filter| SavedFilter { id, name, filter })
        .map_err(|_| Error::Internal("stored saved filter is unreadable".into())))
}
