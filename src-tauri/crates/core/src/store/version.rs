//! A request's version, for refusing a change made on a stale copy (issue 18 item 4): the
//! sequence number of its last timeline event. Every change to a request appends an event
//! in the change's own transaction, so the number moves with every change, on both stores.

use crate::error::{Error, Result};
use crate::store::events::parse_instant;
use crate::store::Conn;

/// The request's last event: its number, who made it (the actor on record) and when.
fn last_change(conn: Conn<'_>, request_id: &str) -> Result<Option<(i64, String, String)>> {
    conn.query_opt("SELECT seq, actor, at FROM events WHERE request_id = ?1 ORDER BY seq DESC LIMIT 1", &[&request_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
}

/// The request's version: the sequence number of its last timeline event (0 if it has none).
pub fn of<'a>(conn: impl Into<Conn<'a>>, request_id: &str) -> Result<i64> {
    Ok(last_change(conn.into(), request_id)?.map_or(0, |(seq, _, _)| seq))
}

/// Refuses a change made on a stale copy: inside the writing transaction (writers are serial on
/// both stores), if the request's last event is not `expected` (the version the officer loaded),
/// someone changed it since, and the change is refused with who did and when
/// ([`Error::Conflict`]). `None` checks nothing, as before versions existed.
pub fn ensure_unchanged<'a>(tx: impl Into<Conn<'a>>, request_id: &str, expected: Option<i64>) -> Result<()> {
    let Some(expected) = expected else { return Ok(()) };
    match last_change(tx.into(), request_id)? {
        Some((seq, by, at)) if seq != expected => Err(Error::Conflict { by, at: parse_instant(&at) }),
        None if expected != 0 => Err(Error::NotFound { entity: "request" }),
        _ => Ok(()),
    }
}

/// Refuses a bulk action on a stale list: inside the writing transaction, if the request's last
/// event is newer than `as_of` (the highest event number when the officer's list was read),
/// someone changed it since the officer saw it, and the change is refused with who did and when
/// ([`Error::Conflict`]). `None` checks nothing (the CLI, older callers).
pub fn ensure_unchanged_since<'a>(tx: impl Into<Conn<'a>>, request_id: &str, as_of: Option<i64>) -> Result<()> {
    let Some(as_of) = as_of else { return Ok(()) };
    match last_change(tx.into(), request_id)? {
        Some((seq, by, at)) if seq > as_of => Err(Error::Conflict { by, at: parse_instant(&at) }),
        _ => Ok(()),
    }
}
