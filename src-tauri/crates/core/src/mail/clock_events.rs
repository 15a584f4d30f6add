//! Clock events on the timeline: kind `clock`, data `{"event": <ClockEvent>}`,
//! the form the deadline integration reads back to recompute a request's dates.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::json;

use crate::deadline::ClockEvent;
use crate::error::Result;
use crate::store::events::{self, NewEvent};

pub const KIND: &str = "clock";

/// The same event, dated `on` (the day a letter was actually sent).
pub fn dated(ev: ClockEvent, on: NaiveDate) -> ClockEvent {
    match ev {
        ClockEvent::IdentityRequested { .. } => ClockEvent::IdentityRequested { on },
        ClockEvent::IdentityReceived { .. } => ClockEvent::IdentityReceived { on },
        ClockEvent::ClarificationRequested { .. } => ClockEvent::ClarificationRequested { on },
        ClockEvent::ClarificationReceived { .. } => ClockEvent::ClarificationReceived { on },
        ClockEvent::FeeRequested { .. } => ClockEvent::FeeRequested { on },
        ClockEvent::FeePaid { .. } => ClockEvent::FeePaid { on },
        ClockEvent::CostNotice { .. } => ClockEvent::CostNotice { on },
        ClockEvent::Paused { reason, .. } => ClockEvent::Paused { on, reason },
        ClockEvent::Resumed { .. } => ClockEvent::Resumed { on },
        ClockEvent::ExtensionNoticeSent { reason, until, .. } => ClockEvent::ExtensionNoticeSent { on, reason, until },
    }
}

pub fn append(tx: &Connection, request_id: &str, ev: &ClockEvent, now: DateTime<Utc>, actor: &str) -> Result<()> {
    let summary = match ev {
        ClockEvent::ExtensionNoticeSent { on, until: Some(u), .. } => {
            format!("Clock: extension notice sent on {on}; the answer is now due by {u}")
        }
        other => format!("Clock: {} on {}", other.kind(), other.on()),
    };
    events::append(tx, Some(request_id), now, actor, NewEvent { kind: KIND, summary, data: json!({ "event": ev }) })?;
    Ok(())
}

/// The clock events recorded for a request, in order.
pub fn for_request(conn: &Connection, request_id: &str) -> Result<Vec<ClockEvent>> {
    let mut stmt = conn.prepare_cached("SELECT data FROM events WHERE request_id = ?1 AND kind = ?2 ORDER BY seq")?;
    let rows = stmt.query_map([request_id, KIND], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for data in rows {
        let value: serde_json::Value = serde_json::from_str(&data?).unwrap_or_default();
        if let Ok(ev) = serde_json::from_value::<ClockEvent>(value["event"].clone()) {
            out.push(ev);
        }
    }
    Ok(out)
}
