//! The registry of purgers: one per feature that holds personal data of a
//! request. The retention purge asks each what it would remove (the preview)
//! and then runs each inside one transaction. A feature that stores personal
//! data (letters, evidence, packages) adds its purger to [`PURGERS`]; files it
//! removes are returned and deleted only once the transaction has committed.

use crate::error::Result;
use crate::purge::{PurgeScope, Purged, Purger, REMOVED};
use crate::store::events::EventKind;
use crate::store::{Conn, Dialect};

/// Every purger, in the order they run.
pub static PURGERS: &[&dyn Purger] = &[
    &SubjectIdentity,
    &TimelineDetails,
    &crate::letters::purge::Letters,
    &crate::packages::PackageFiles,
    &crate::evidence::purge::WorkData,
    &crate::mailbox::purge::Mails,
];

/// The subject's name, email, identifiers, the notes and the status reason of the request row.
pub struct SubjectIdentity;

impl Purger for SubjectIdentity {
    fn name(&self) -> &'static str {
        "subject-identity"
    }
    fn what(&self) -> &'static str {
        "subject name, email and identifiers, notes and status reasons of the request"
    }
    fn count(&self, _conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<u64> {
        Ok(scope.request_ids.len() as u64)
    }
    fn purge(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Purged> {
        let now = scope.now.to_rfc3339();
        let mut items = 0;
        for id in scope.request_ids {
            items += conn.execute(
                "UPDATE requests SET subject_name = ?2, subject_email = NULL, identifiers = '[]', notes = '', \
                 status_reason = CASE WHEN status_reason IS NULL THEN NULL ELSE ?2 END, purged_at = ?3 \
                 WHERE id = ?1 AND purged_at IS NULL",
                &[id, &REMOVED, &now],
            )? as u64;
        }
        Ok(Purged { items, files_after_commit: Vec::new() })
    }
}

/// Timeline entries whose wording may carry personal data (reasons, notes,
/// clock-event notes, anything a later feature writes). Entries generated only
/// from the skeleton are kept as they are; a status change keeps its from/to.
pub struct TimelineDetails;

/// Event kinds whose summary and data are built from the anonymised skeleton
/// only. A `request-state-mismatch` names columns and the reference, never
/// their values, and `audit verify` reads it for good: it is never redacted.
const SKELETON_KINDS: [EventKind; 4] =
    [EventKind::Registered, EventKind::DatesRecomputed, EventKind::PersonalDataPurged, EventKind::RequestStateMismatch];

/// The events of request `?1` still to be redacted: not yet redacted, not of a
/// skeleton kind, and not a status change without a reason.
fn needs_redaction(dialect: Dialect) -> String {
    format!(
        "request_id = ?1 AND redacted_at IS NULL AND kind NOT IN {} \
         AND NOT (kind = '{STATUS_CHANGED}' AND {} IS NULL)",
        EventKind::sql_list(&SKELETON_KINDS),
        field(dialect, "reason")
    )
}

/// The text of the event data's top-level `key` (`json_extract` on SQLite, `->>` on PostgreSQL).
fn field(dialect: Dialect, key: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("json_extract(data, '$.{key}')"),
        Dialect::Postgres => format!("((data::jsonb) ->> '{key}')"),
    }
}

/// The redacted status change's data: `{"from":…,"to":…}`, the same text on both stores
/// (SQLite's `json_object`; on PostgreSQL built from `to_json` so no spaces creep in).
fn from_to(dialect: Dialect) -> String {
    match dialect {
        Dialect::Sqlite => "json_object('from', json_extract(data, '$.from'), 'to', json_extract(data, '$.to'))".into(),
        Dialect::Postgres => "('{\"from\":' || COALESCE(to_json((data::jsonb) ->> 'from')::text, 'null') \
             || ',\"to\":' || COALESCE(to_json((data::jsonb) ->> 'to')::text, 'null') || '}')"
            .into(),
    }
}

const STATUS_CHANGED: &str = EventKind::StatusChanged.as_str();

impl Purger for TimelineDetails {
    fn name(&self) -> &'static str {
        "timeline-details"
    }
    fn what(&self) -> &'static str {
        "timeline entries that may quote personal data (reasons, notes); their date, kind and actor stay"
    }
    fn count(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<u64> {
        let sql = format!("SELECT count(*) FROM events WHERE {}", needs_redaction(conn.dialect()));
        let mut n = 0u64;
        for id in scope.request_ids {
            n += conn.query_row(&sql, &[id], |r| r.get::<i64>(0))? as u64;
        }
        Ok(n)
    }
    fn purge(&self, conn: Conn<'_>, scope: &PurgeScope<'_>) -> Result<Purged> {
        let now = scope.now.to_rfc3339();
        let d = conn.dialect();
        let sql = format!(
            "UPDATE events SET redacted_at = ?2, \
             summary = CASE WHEN kind = '{STATUS_CHANGED}' \
                 THEN 'Status: ' || {from} || ' → ' || {to} || ' (reason removed under the retention policy)' \
                 ELSE kind || ': details removed under the retention policy' END, \
             data = CASE WHEN kind = '{STATUS_CHANGED}' THEN {from_to} ELSE '{{}}' END \
             WHERE {}",
            needs_redaction(d),
            from = field(d, "from"),
            to = field(d, "to"),
            from_to = from_to(d),
        );
        let mut items = 0;
        for id in scope.request_ids {
            items += conn.execute(&sql, &[id, &now])? as u64;
        }
        Ok(Purged { items, files_after_commit: Vec::new() })
    }
}
