//! Rows of the `saved_filters` table: named views of the request list. On the
//! store interface (`store::Conn`): the same calls on SQLite and PostgreSQL.

use crate::error::{Error, Result};
use crate::requests::rows::RequestFilter;
use crate::store::{Conn, Row};

/// A named filter the officer saved for the request list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedFilter {
    pub id: String,
    pub name: String,
    pub filter: RequestFilter,
}

pub fn insert<'a>(
    conn: impl Into<Conn<'a>>,
    id: &str,
    name: &str,
    filter: &RequestFilter,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let json = serde_json::to_string(filter).map_err(|e| Error::Internal(e.to_string()))?;
    conn.into().execute(
        "INSERT INTO saved_filters (id, name, filter, created_at) VALUES (?1, ?2, ?3, ?4)",
        &[&id, &name, &json, &now.to_rfc3339()],
    )?;
    Ok(())
}

/// The id of the filter named `name`, letter case aside (ASCII, as SQLite's
/// NOCASE column and the PostgreSQL schema's unique `lower(name)` index fold it).
pub fn find_by_name<'a>(conn: impl Into<Conn<'a>>, name: &str) -> Result<Option<String>> {
    conn.into().query_opt("SELECT id FROM saved_filters WHERE lower(name) = lower(?1)", &[&name], |r| r.get(0))
}

pub fn get<'a>(conn: impl Into<Conn<'a>>, id: &str) -> Result<SavedFilter> {
    conn.into()
        .query_opt("SELECT id, name, filter FROM saved_filters WHERE id = ?1", &[&id], row)?
        .ok_or(Error::NotFound { entity: "saved filter" })
}

/// Every saved filter, by name with letter case aside.
pub fn all<'a>(conn: impl Into<Conn<'a>>) -> Result<Vec<SavedFilter>> {
    conn.into().query_map("SELECT id, name, filter FROM saved_filters ORDER BY lower(name), name", &[], row)
}

pub fn delete<'a>(conn: impl Into<Conn<'a>>, id: &str) -> Result<bool> {
    Ok(conn.into().execute("DELETE FROM saved_filters WHERE id = ?1", &[&id])? > 0)
}

/// A stored filter that does not read as one is [`Error::Corrupt`], naming the row's id.
fn row(r: &Row<'_>) -> Result<SavedFilter> {
    let (id, name, json): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
    let filter = crate::store::row::json("saved_filters", "filter", &id, &json)?;
    Ok(SavedFilter { id, name, filter })
}
