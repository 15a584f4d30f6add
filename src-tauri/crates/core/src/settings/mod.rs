//! Key-value settings of the organisation (time zone, and what later issues add).
//!
//! On the store interface (`store::Conn`): the same calls on the local SQLite
//! file and on a team's PostgreSQL database.

pub mod mail;
mod organisation;
pub use organisation::*;

use crate::error::Result;
use crate::store::Conn;

pub const ORG_TIME_ZONE: &str = "org.time_zone";
pub const ORG_NAME: &str = "org.name";

/// The setting `key`, `None` when it was never set.
pub fn get<'a>(conn: impl Into<Conn<'a>>, key: &str) -> Result<Option<String>> {
    conn.into().query_opt("SELECT value FROM settings WHERE key = ?1", &[&key], |r| r.get(0))
}

/// Sets `key` to `value`, replacing what it held.
pub fn set<'a>(conn: impl Into<Conn<'a>>, key: &str, value: &str) -> Result<()> {
    conn.into().execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}
