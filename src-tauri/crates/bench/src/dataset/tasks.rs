//! Each request's task list, as `tasks::generate_in` makes it when the
//! request is registered: for a type with work to do
//! ([`TaskAction::for_request`]), one task per system of the map relevant to
//! that work (the map as it stood on arrival), numbered 1, 2, 3 … in the map's
//! order, the system's name and legal duty copied, created with the request.
//!
//! Where each task stands follows where its request stands: all open while it
//! is received or waits for identity; a growing share closed the longer it has
//! been in progress; every one closed (done, not held, or exempt under the
//! system's legal duty) before a completion or a refusal; withdrawn and
//! duplicate requests keep what was open when they closed.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rusqlite::types::Value;
use rusqlite::Connection;

use rightsdesk_core::domain::Status;
use rightsdesk_core::tasks::{TaskAction, TaskStatus};
use rightsdesk_core::Result;

use super::batch::{int, opt_text, text, Batch};
use super::datamap::{self, SystemDef, SYSTEMS};
use super::{between, end_of, id_at, Generated, Spec};
use crate::people::OFFICERS;
use crate::rng::Rng;

const COLUMNS: &[&str] = &[
    "id",
    "request_id",
    "system_id",
    "system_name",
    "action",
    "legal_duty",
    "position",
    "status",
    "note",
    "exemption",
    "closed_by",
    "closed_at",
    "created_at",
];

/// How a task was closed, or that it is still open.
struct Closing {
    status: TaskStatus,
    note: &'static str,
    exemption: Option<String>,
    at: DateTime<Utc>,
}

/// Whether a request comes from an employee or applicant (the HR system then has a task too).
fn from_staff(rng: &mut Rng) -> bool {
    rng.chance(0.03)
}

/// The outcome of the work in one system once it is done.
fn outcome(rng: &mut Rng, system: &SystemDef, action: TaskAction) -> (TaskStatus, &'static str, Option<String>) {
    if action == TaskAction::Delete && !system.legal_duty.is_empty() && rng.chance(0.9) {
        return (TaskStatus::Exempt, "", Some(system.legal_duty.to_string()));
    }
    if rng.chance(system.not_held) {
        let note = if rng.chance(0.4) { "No record under the email address or customer ID given" } else { "" };
        return (TaskStatus::NotHeld, note, None);
    }
    let notes: &[&str] = match action {
        TaskAction::Collect => &["", "", "Exported and checked for third-party data", "Export attached", "Two records found and exported"],
        TaskAction::Delete => &["", "", "Deleted in the admin console", "Vendor confirmed the deletion in writing"],
        TaskAction::Correct => &["", "Address corrected", "Name spelling corrected"],
        TaskAction::Restrict => &["", "Flagged as restricted"],
        TaskAction::Stop => &["", "Added to the suppression list", "Marketing flag removed"],
    };
    (TaskStatus::Done, *rng.pick(notes), None)
}

/// When work in the systems could begin: the move to in progress, on a working morning.
fn work_from(g: &Generated) -> DateTime<Utc> {
    let started = g.started_on.map(|d| d.and_hms_opt(8, 0, 0).expect("a real time").and_utc());
    started.map_or(g.received_at, |s| s.max(g.received_at))
}

/// `duplicate_closed`: a duplicate's tasks were all closed as not held (else left open).
fn closing(rng: &mut Rng, g: &Generated, system: &SystemDef, action: TaskAction, spec: &Spec, duplicate_closed: bool) -> Option<Closing> {
    use Status::*;
    // Closed before the request's own closing status change; open ones up to today.
    let until = g.closed_at.map_or_else(|| end_of(spec.today), |c| c - Duration::seconds(30)).max(g.received_at);
    let from = work_from(g).min(until);
    let close = |rng: &mut Rng, (status, note, exemption): (TaskStatus, &'static str, Option<String>)| {
        Some(Closing { status, note, exemption, at: between(rng, from, until) })
    };
    match g.status {
        Received | AwaitingIdentity => None,
        InProgress | Paused | AwaitingClarification => {
            let days = (spec.today - g.started_on.unwrap_or(g.received_on)).num_days() as f64;
            if rng.chance((0.15 + days / 25.0).min(0.85)) {
                let o = outcome(rng, system, action);
                close(rng, o)
            } else {
                None
            }
        }
        Completed => {
            let o = outcome(rng, system, action);
            close(rng, o)
        }
        Refused => {
            let reason = g.status_reason.as_deref().unwrap_or("Request refused");
            let o = if reason.starts_with("Not a customer") {
                (TaskStatus::NotHeld, "", None)
            } else {
                (TaskStatus::Exempt, "", Some(format!("Request refused: {reason}")))
            };
            close(rng, o)
        }
        Withdrawn => {
            if g.started_on.is_some() && rng.chance(0.4) {
                let o = outcome(rng, system, action);
                close(rng, o)
            } else {
                None
            }
        }
        Duplicate => {
            if duplicate_closed {
                close(rng, (TaskStatus::NotHeld, "Duplicate: handled under the earlier request", None))
            } else {
                None
            }
        }
    }
}

pub fn generate(conn: &Connection, rng: &mut Rng, spec: &Spec, generated: &[Generated]) -> Result<u64> {
    let ids: HashMap<String, String> = {
        let mut stmt = conn.prepare("SELECT name, id FROM systems")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let added: Vec<DateTime<Utc>> = SYSTEMS.iter().enumerate().map(|(i, s)| datamap::added_at(s, i, spec.today)).collect();
    let mut batch = Batch::new("tasks", COLUMNS);
    for g in generated {
        let Some(action) = TaskAction::for_request(g.request_type) else { continue };
        let staff = from_staff(rng);
        let duplicate_closed = g.status == Status::Duplicate && rng.chance(0.4);
        let created = g.received_at.to_rfc3339();
        let mut position = 0;
        for (system, added) in SYSTEMS.iter().zip(&added) {
            if !system.actions.contains(&action) || (system.staff_only && !staff) || *added > g.received_at {
                continue;
            }
            position += 1;
            let closed = closing(rng, g, system, action, spec, duplicate_closed);
            let (status, note, exemption, by, at) = match closed {
                Some(c) => (c.status, c.note, c.exemption, Some(*rng.pick(OFFICERS)), Some(c.at.to_rfc3339())),
                None => (TaskStatus::Open, "", None, None, None),
            };
            let row = [
                text(id_at(rng, g.received_at)),
                text(g.id.as_str()),
                opt_text(ids.get(system.name).cloned()),
                text(system.name),
                text(action.as_str()),
                text(system.legal_duty),
                int(position),
                text(status.as_str()),
                text(note),
                opt_text(exemption),
                opt_text(by),
                opt_text(at),
                Value::Text(created.clone()),
            ];
            batch.push(conn, row)?;
        }
    }
    batch.flush(conn)?;
    Ok(batch.inserted)
}
