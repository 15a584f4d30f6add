//! The registry of purgers: one per feature that holds personal data of a
//! request. The retention purge asks each what it would remove (the preview)
//! and then runs each inside one transaction. A feature that stores personal
//! data (letters, evidence, packages) adds its purger to [`PURGERS`]; files it
//! removes are returned and deleted only once the transaction has committed.

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::purge::{PurgeScope, Purged, Purger, REMOVED};
use crate::store::events::EventKind;

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
    fn count(&self, _conn: &Connection, scope: &PurgeScope<'_>) -> Result<u64> {
        Ok(scope.request_ids.len() as u64)
    }
    fn purge(&self, conn: &Connection, scope: &PurgeScope<'_>) -> Result<Purged> {
        let mut stmt = conn.prepare_cached(
            "UPDATE requests SET subject_name = ?2, subject_email = NULL, identifiers = '[]', notes = '', \
             status_reason = CASE WHEN status_reason IS NULL THEN NULL ELSE ?2 END, purged_at = ?3 \
             WHERE id = ?1 AND purged_at IS NULL",
        )?;
        let mut items = 0;
        for id in scope.request_ids {
            items += stmt.execute(params![id, REMOVED, scope.now.to_rfc3339()])? as u64;
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
fn needs_redaction() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "request_id = ?1 AND redacted_at IS NULL AND kind NOT IN {} \
             AND NOT (kind = '{STATUS_CHANGED}' AND json_extract(data, '$.reason') IS NULL)",
            EventKind::sql_list(&SKELETON_KINDS)
        )
    })
}

const STATUS_CHANGED: &str = EventKind::StatusChanged.as_str();

impl Purger for TimelineDetails {
    fn name(&self) -> &'static str {
        "timeline-details"
    }
    fn what(&self) -> &'static str {
        "timeline entries that may quote personal data (reasons, notes); their date, kind and actor stay"
    }
    fn count(&self, conn: &Connection, scope: &PurgeScope<'_>) -> Result<u64> {
        let mut stmt = conn.prepare_cached(&format!("SELECT count(*) FROM events WHERE {}", needs_redaction()))?;
        let mut n = 0u64;
        for id in scope.request_ids {
            n += stmt.query_row([id], |r| r.get::<_, i64>(0))? as u64;
        }
        Ok(n)
    }
    fn purge(&self, conn: &Connection, scope: &PurgeScope<'_>) -> Result<Purged> {
        let now = scope.now.to_rfc3339();
        let mut stmt = conn.prepare_cached(&format!(
            "UPDATE events SET redacted_at = ?2, \
             summary = CASE WHEN kind = '{STATUS_CHANGED}' \
                 THEN 'Status: ' || json_extract(data, '$.from') || ' → ' || json_extract(data, '$.to') || ' (reason removed under the retention policy)' \
                 ELSE kind || ': details removed under the retention policy' END, \
             data = CASE WHEN kind = '{STATUS_CHANGED}' \
                 THEN json_object('from', json_extract(data, '$.from'), 'to', json_extract(data, '$.to')) \
                 ELSE '{{}}' END \
             WHERE {}",
            needs_redaction()
        ))?;
        let mut items = 0;
        for id in scope.request_ids {
            items += stmt.execute(params![id, now])? as u64;
        }
        Ok(Purged { items, files_after_commit: Vec::new() })
    }
}
