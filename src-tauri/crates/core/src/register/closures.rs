//! When each closed request was answered: the date of the status change that
//! closed it, in the request's own time zone (the organisation's local date,
//! as the legal clock counts).

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rusqlite::Connection;

use crate::error::Result;
use crate::store::events::parse_instant;

/// request id -> the local date of its last move to a closed status.
pub fn closed_on(conn: &Connection) -> Result<HashMap<String, NaiveDate>> {
    let mut stmt = conn.prepare(
        "SELECT e.request_id, e.at, r.time_zone FROM events e JOIN requests r ON r.id = e.request_id \
         WHERE e.kind = 'status-changed' \
           AND json_extract(e.data, '$.to') IN ('completed', 'refused', 'withdrawn', 'duplicate') \
         ORDER BY e.seq",
    )?;
    let mut out = HashMap::new();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (id, at, zone) = row?;
        let zone: Tz = zone.parse().unwrap_or(Tz::UTC);
        out.insert(id, parse_instant(&at).with_timezone(&zone).date_naive());
    }
    Ok(out)
}
