//! Key-value settings of the organisation (time zone, and what later issues add).

pub mod mail;
mod organisation;
pub use organisation::*;

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

pub const ORG_TIME_ZONE: &str = "org.time_zone";
pub const ORG_NAME: &str = "org.name";

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
